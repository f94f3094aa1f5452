//! `csat-responses`: "Rate this Partner" responses whose email was
//! confirmed and whose respondent is an AWS customer, dated by submission.
//! Several responses of one customer all count.

use chrono::NaiveDate;

use super::ledger::{Reason, Record};
use super::{Context, End, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, Warning, When};
use crate::calendar::Window;

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

    /// A respondent answering more than once in the window: each response
    /// counts (the guide is silent on repeats), said once per respondent,
    /// at their second response.
    fn warnings(&self, context: &Context, as_of: NaiveDate, window: Window) -> Vec<Warning> {
        let mut answered: foldhash::HashMap<String, usize> = foldhash::HashMap::default();
        let mut warnings = Vec::new();
        for (index, response) in context.partner.csat_responses.iter().enumerate() {
            let Some(respondent) = response.respondent.as_deref() else {
                continue;
            };
            if response.submitted_on > as_of || !window.contains(response.submitted_on) {
                continue;
            }
            let times = answered
                .entry(respondent.trim().to_lowercase())
                .or_default();
            *times += 1;
            if *times == 2 {
                warnings.push(Warning {
                    code: "csat-repeat-respondent",
                    message: format!(
                        "respondent `{respondent}` answered more than once in the window ({} excluded, through {as_of}); each response counts",
                        window.start
                    ),
                    line: None,
                    record: ("csat_responses", index),
                });
            }
        }
        warnings
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::MoreRecords
    }
}
