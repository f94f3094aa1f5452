//! `technical-baseline-review`: active validations of the technical
//! baseline review program.

use super::ledger::Record;
use super::{Context, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, When};
use crate::partner::Program;

/// The kind.
pub struct TechnicalBaselineReview;

impl KindRule for TechnicalBaselineReview {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[count!(
            "reviews",
            "technical baseline review",
            "technical baseline reviews"
        )]
    }

    fn table(&self) -> &'static str {
        "validations"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        for validation in context
            .partner
            .validations
            .iter()
            .filter(|validation| validation.program == Program::TechnicalBaselineReview)
        {
            let record = || Record::of_validation(validation);
            let when = When::Active {
                from: validation.achieved_on,
                expires_on: validation.expires_on,
            };
            sink.entry(Entry::new(when, &record).adds(0, &[1]));
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("reviews")
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::Task("complete an APN Technical Baseline Review".to_owned())
    }
}
