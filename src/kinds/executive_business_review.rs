//! `executive-business-review`: approved executive business reviews
//! completed on or before the as-of date.

use super::ledger::{Reason, Record};
use super::{Context, End, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, When};

/// The kind.
pub struct ExecutiveBusinessReview;

impl KindRule for ExecutiveBusinessReview {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[count!(
            "reviews",
            "approved executive business review",
            "approved executive business reviews"
        )]
    }

    fn table(&self) -> &'static str {
        "executive_business_reviews"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        for review in &context.partner.executive_business_reviews {
            let record = || Record::ExecutiveBusinessReview {
                completed_on: review.completed_on,
            };
            let mut entry = Entry::new(When::Dated(review.completed_on), &record).adds(0, &[1]);
            if !review.approved {
                entry = entry.ending(End::always(Reason::NotApproved));
            }
            sink.entry(entry);
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("reviews")
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::Task("complete an approved executive business review".to_owned())
    }
}
