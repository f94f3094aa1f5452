//! `program-fee`: the APN program fee of the current membership year. The
//! fee "is billed on your organization's membership renewal date": a
//! payment counts from the day it is made until the next renewal
//! anniversary begins a new membership year (a late payment of last year's
//! fee does not count for this one). When the fee is short, the partner has
//! the rule file's `fee_grace_days` after the anniversary to pay ("payment
//! due by DATE"); after that it is not met (the guide: "at risk for
//! downgrade").

use chrono::{Days, NaiveDate};

use super::ledger::{Reason, Record};
use super::{
    Context, End, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Quantity, Sink, Warning, When,
};
use crate::calendar::Window;
use crate::calendar::{first_anniversary_on_or_after, latest_anniversary_on_or_before};
use crate::money::Cents;
use crate::partner::Partner;
use crate::program::Program;

/// The kind.
pub struct ProgramFee;

impl KindRule for ProgramFee {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[money!("paid_usd", "program fee", "program fee")]
    }

    fn can_be_time_bound(&self) -> bool {
        true
    }

    fn table(&self) -> &'static str {
        "fee_payments"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        let renewal = context.partner.info.renewal_date;
        for fee in &context.partner.fee_payments {
            let record = || Record::FeePayment {
                paid_on: fee.paid_on,
                amount_usd: fee.amount_usd,
            };
            let next_year = fee
                .paid_on
                .succ_opt()
                .map(|day| first_anniversary_on_or_after(renewal, day));
            let entry = Entry::new(When::Dated(fee.paid_on), &record)
                .adds(0, std::slice::from_ref(&fee.amount_usd.0))
                .usd(fee.amount_usd);
            sink.entry(match next_year {
                Some(next_year) => entry.ending(End {
                    on: Some(next_year),
                    reason: Reason::EarlierMembershipYear(next_year),
                }),
                None => entry,
            });
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        None
    }

    /// A payment made shortly before the current membership year began (within
    /// the grace days before it): likely meant for this year, it counts for
    /// the year before.
    fn warnings(&self, context: &Context, as_of: NaiveDate, _window: Window) -> Vec<Warning> {
        let year = latest_anniversary_on_or_before(context.partner.info.renewal_date, as_of);
        let soon_before = year
            .checked_sub_days(Days::new(u64::from(context.program.fee_grace_days)))
            .unwrap_or(year);
        context
            .partner
            .fee_payments
            .iter()
            .enumerate()
            .filter(|(_, fee)| (soon_before..year).contains(&fee.paid_on))
            .map(|(index, fee)| Warning {
                code: "fee-paid-before-its-year",
                message: format!(
                    "fee payment of {} on {} was made before the membership year that began {year}; it counts for the year before",
                    fee.amount_usd, fee.paid_on
                ),
                line: None,
                record: ("fee_payments", index),
            })
            .collect()
    }

    /// The last day of the fee's grace period, if `as_of` is in it.
    fn grace_until(
        &self,
        partner: &Partner,
        program: &Program,
        as_of: NaiveDate,
    ) -> Option<NaiveDate> {
        let anniversary = latest_anniversary_on_or_before(partner.info.renewal_date, as_of);
        let grace_days = u64::from(program.fee_grace_days);
        let last = anniversary.checked_add_days(Days::new(grace_days.checked_sub(1)?))?;
        (as_of <= last).then_some(last)
    }

    fn plan_step(&self, ask: &PlanAsk) -> PlanStep {
        let more = ask
            .values
            .first()
            .and_then(|&(value, required)| match (value, required) {
                (Quantity::Money(paid), Quantity::Money(required)) => {
                    Some(Cents(required.0.saturating_sub(paid.0)))
                }
                _ => None,
            })
            .unwrap_or(Cents::ZERO);
        let year = latest_anniversary_on_or_before(ask.known.info.renewal_date, ask.by);
        PlanStep::Task(format!(
            "pay the program fee of the membership year that began {year} ({more} more, paid {year} to {})",
            ask.by
        ))
    }
}
