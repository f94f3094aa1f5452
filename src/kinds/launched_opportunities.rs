//! `launched-opportunities`: launched ACE opportunities that are not
//! marketplace transactions, dated by their launch, with their MRR summed;
//! and, until the program's `legacy_credit_until`, one credit for each AWS
//! account ID sent through the legacy Revenue tool, dated by its first
//! submission (adds to `count`, not to `mrr_usd`): "for up to 12-months
//! from the original submission date" (FAQ 25), so submitting the same
//! account again adds nothing and does not restart its months.

use chrono::Days;

use super::ledger::{Reason, Record};
use super::{Context, End, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Quantity, Sink, When};
use crate::partner::{Origin, Stage};

/// The kind.
pub struct LaunchedOpportunities;

/// Counters: opportunities, their MRR, legacy credits.
const OPPORTUNITIES: usize = 0;
const CREDITS: usize = 2;

impl KindRule for LaunchedOpportunities {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[
            count!("count", "launched opportunity", "launched opportunities"),
            money!("mrr_usd", "launched MRR", "launched MRR", short = "MRR"),
        ]
    }

    fn can_be_time_bound(&self) -> bool {
        true
    }

    fn table(&self) -> &'static str {
        "opportunities"
    }

    fn counters(&self) -> usize {
        3
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        let partner = context.partner;
        for opportunity in &partner.opportunities {
            let record = || Record::Opportunity {
                id: opportunity.id.to_string(),
                launched_on: opportunity.launched_on,
                launched_on_source: opportunity.launched_on_source,
                mrr_usd: opportunity.mrr_usd,
            };
            let when = match (opportunity.stage, opportunity.launched_on) {
                (Stage::Launched, Some(_)) if opportunity.origin == Origin::Marketplace => {
                    When::Never(Reason::Marketplace)
                }
                (Stage::Launched, Some(launched)) => When::Dated(launched),
                (stage, _) => When::Never(Reason::NotLaunched(stage.as_str())),
            };
            sink.entry(
                Entry::new(when, &record)
                    .adds(OPPORTUNITIES, &[1, opportunity.mrr_usd.0])
                    .usd(opportunity.mrr_usd),
            );
        }
        let last = context.program.legacy_credit_until;
        let credit = |_| "+1 launched opportunity credit".to_owned();
        // Each account's original submission: the earliest, the first in
        // the file among equals.
        let submissions = &partner.legacy_account_submissions;
        let mut original: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
        for (index, submission) in submissions.iter().enumerate() {
            let first = original
                .entry(submission.account_id.as_str())
                .or_insert(index);
            if submission.submitted_on < submissions[*first].submitted_on {
                *first = index;
            }
        }
        for (index, submission) in submissions.iter().enumerate() {
            let record = || Record::LegacyCredit {
                account_id: submission.account_id.clone(),
                submitted_on: submission.submitted_on,
            };
            let first = original
                .get(submission.account_id.as_str())
                .map_or(index, |&first| first);
            let ended = if first == index {
                End {
                    on: last.checked_add_days(Days::new(1)),
                    reason: Reason::LegacyCreditEnded(last),
                }
            } else {
                End::always(Reason::AccountSubmittedBefore(
                    submissions[first].submitted_on,
                ))
            };
            sink.entry(
                Entry::new(When::Dated(submission.submitted_on), &record)
                    .ending(ended)
                    .adds(CREDITS, &[1])
                    .noted(&credit),
            );
        }
    }

    fn values(&self, counters: &[i64], thresholds: &[Quantity]) -> Vec<(Quantity, Quantity)> {
        self.tier_independent_values(counters)
            .into_iter()
            .enumerate()
            .map(|(index, value)| {
                (
                    value,
                    thresholds.get(index).copied().unwrap_or(Quantity::Count(0)),
                )
            })
            .collect()
    }

    fn tier_independent_values(&self, counters: &[i64]) -> Vec<Quantity> {
        let at = |index: usize| counters.get(index).copied().unwrap_or(0);
        let units = self.measures();
        vec![
            Quantity::of_counter(units[0].unit, at(OPPORTUNITIES).saturating_add(at(CREDITS))),
            Quantity::of_counter(units[1].unit, at(OPPORTUNITIES + 1)),
        ]
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("count")
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::MoreRecords
    }
}
