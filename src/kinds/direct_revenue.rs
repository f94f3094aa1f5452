//! `direct-revenue`: billed revenue of accounts on the partner's domains,
//! dated by the bill, less the credits that reduce it (every type but the
//! rule file's `non_reducing_credit_types`, compared by their letters as
//! [`normalize_credit_type`] says), never below zero per line.

use super::ledger::{Reason, Record};
use super::{Context, End, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, When};
use crate::money::Cents;
use crate::program::normalize_credit_type;

/// The kind.
pub struct DirectRevenue;

impl KindRule for DirectRevenue {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[money!("usd", "direct revenue", "direct revenue")]
    }

    fn can_be_time_bound(&self) -> bool {
        true
    }

    fn table(&self) -> &'static str {
        "revenue"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        let reduces = |credit_type: &str| {
            !context
                .program
                .non_reducing_credit_types
                .contains(&normalize_credit_type(credit_type))
        };
        for line in &context.partner.revenue {
            let record = || Record::RevenueLine {
                account_id: line.account_id.to_string(),
                domain: line.domain.to_string(),
                billed_on: line.billed_on,
                amount_usd: line.amount_usd,
            };
            let reducing: Cents = line
                .credits
                .iter()
                .filter(|credit| reduces(&credit.credit_type))
                .map(|credit| credit.amount_usd)
                .sum();
            let value = line.amount_usd.saturating_sub(reducing);
            let credits = |_| {
                line.credits
                    .iter()
                    .map(|credit| {
                        let effect = if reduces(&credit.credit_type) {
                            "reduced it"
                        } else {
                            "exempt"
                        };
                        format!(
                            "{} credit {}: {effect}",
                            credit.credit_type, credit.amount_usd
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let mut entry = Entry::new(When::Dated(line.billed_on), &record)
                .adds(0, std::slice::from_ref(&value.0))
                .usd(value);
            if !line.domain_on_file {
                entry = entry.ending(End::always(Reason::DomainNotOnFile(
                    line.domain.to_string(),
                )));
            }
            if !line.credits.is_empty() {
                entry = entry.noted(&credits);
            }
            sink.entry(entry);
        }
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::MoreRecords
    }
}
