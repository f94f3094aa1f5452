//! `csat-responses`: "Rate this Partner" responses whose email was
//! confirmed and whose respondent is an AWS customer, dated by submission.
//! Several responses of one customer all count.

use super::ledger::{Reason, Record};
use super::{Context, End, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, When};

/// The kind.
pub struct CsatResponses;

impl KindRule for CsatResponses {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[count!("responses", "CSAT response", "CSAT responses")]
    }

    fn can_be_time_bound(&self) -> bool {
        true
    }

    fn table(&self) -> &'static str {
        "csat_responses"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        for response in &context.partner.csat_responses {
            let record = || Record::CsatResponse {
                customer: response.customer.to_string(),
                respondent: response.respondent.clone(),
                submitted_on: response.submitted_on,
            };
            let mut entry = Entry::new(When::Dated(response.submitted_on), &record).adds(0, &[1]);
            if !response.email_confirmed {
                entry = entry.ending(End::always(Reason::NotEmailConfirmed));
            } else if !response.aws_customer {
                entry = entry.ending(End::always(Reason::NotAwsCustomer));
            }
            sink.entry(entry);
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("responses")
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::MoreRecords
    }
}
