//! `sustained-attainment`: the consecutive days, ending on the as-of date
//! and at most those of the rule file's `months`, on which every other
//! requirement of the tier was met. It counts no records: evaluation looks
//! back over the tier's other requirements day by day.

use super::{Context, KindRule, MeasureSpec, PlanAsk, PlanStep, Quantity, Sink};

/// The kind.
pub struct SustainedAttainment;

impl KindRule for SustainedAttainment {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[count!(
            "days",
            "day of sustained attainment",
            "days of sustained attainment"
        )]
    }

    fn threshold_keys(&self) -> &'static [MeasureSpec] {
        &[count!("months", "month", "months")]
    }

    fn table(&self) -> &'static str {
        "partner"
    }

    fn counters(&self) -> usize {
        0
    }

    fn lay_out(&self, _context: &Context, _sink: &mut dyn Sink) {}

    fn tier_independent_values(&self, _counters: &[i64]) -> Vec<Quantity> {
        Vec::new()
    }

    fn looks_back(&self) -> bool {
        true
    }

    fn plan_step(&self, ask: &PlanAsk) -> PlanStep {
        let (days, required) = ask
            .values
            .first()
            .map_or((0, 0), |&(days, required)| (days.count(), required.count()));
        PlanStep::Task(format!(
            "meet every other {} requirement on each of the {required} days up to {} (as the data stands: the last {days})",
            ask.tier, ask.by
        ))
    }
}
