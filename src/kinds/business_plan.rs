//! `business-plan`: the business plan's last sign-off by the APN Partner
//! Manager, dated by the sign-off.

use super::ledger::{Reason, Record};
use super::{Context, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, When};

/// The kind.
pub struct BusinessPlan;

impl KindRule for BusinessPlan {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[count!(
            "signed_off",
            "business plan sign-off",
            "business plan sign-off"
        )]
    }

    fn can_be_time_bound(&self) -> bool {
        true
    }

    fn table(&self) -> &'static str {
        "business_plan"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        let Some(plan) = &context.partner.business_plan else {
            return;
        };
        let record = || Record::BusinessPlan {
            signed_off_on: plan.signed_off_on,
        };
        let when = match plan.signed_off_on {
            None => When::Never(Reason::NoSignOff),
            Some(signed) => When::Dated(signed),
        };
        sink.entry(Entry::new(when, &record).adds(0, &[1]));
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("signed_off")
    }

    fn plan_step(&self, ask: &PlanAsk) -> PlanStep {
        PlanStep::Task(format!(
            "have the APN Partner Manager sign off the business plan ({} to {})",
            ask.after, ask.by
        ))
    }
}
