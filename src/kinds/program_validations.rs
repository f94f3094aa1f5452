//! `program-validations`: distinct active designations among competency,
//! MSP and Well-Architected validations (a competency is identified by its
//! name as [`normalize_competency`] gives it, so `AWS Migration Competency`
//! and `Migration` are one; MSP and Well-Architected are one designation each);
//! `msp_or_devops` counts those that are MSP or a key competency of the
//! rule file. Service delivery, service ready and FTR validations count for
//! nothing here.

use super::ledger::{Reason, Record};
use super::{Context, Entry, KindRule, MeasureSpec, PlanAsk, PlanStep, Sink, When};
use crate::partner::Program;
use crate::program::normalize_competency;

/// The kind.
pub struct ProgramValidations;

impl KindRule for ProgramValidations {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[
            count!("validations", "program validation", "program validations"),
            count!(
                "msp_or_devops",
                "MSP or key competency validation",
                "MSP or key competency validations",
                short = "MSP/key"
            ),
        ]
    }

    fn table(&self) -> &'static str {
        "validations"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        let mut designations: foldhash::HashMap<(Program, String), u64> =
            foldhash::HashMap::default();
        let already = |_| Reason::DesignationAlreadyCounted;
        let key_note = |_| "counts toward MSP or a key competency".to_owned();
        for validation in &context.partner.validations {
            let (name, is_key) = match validation.program {
                Program::Competency => {
                    let name = normalize_competency(validation.name.as_deref().unwrap_or_default());
                    let is_key = context.program.key_competencies.contains(&name);
                    (name, is_key)
                }
                Program::Msp => (String::new(), true),
                Program::WellArchitected => (String::new(), false),
                // What `Program::counts_in_tier_rules` leaves out.
                Program::TechnicalBaselineReview
                | Program::ServiceDelivery
                | Program::ServiceReady
                | Program::Ftr => continue,
            };
            let next = designations.len() as u64;
            let designation = *designations
                .entry((validation.program, name))
                .or_insert(next);
            let record = || Record::of_validation(validation);
            let when = When::Active {
                from: validation.achieved_on,
                expires_on: validation.expires_on,
            };
            let amounts: &[i64] = if is_key { &[1, 1] } else { &[1, 0] };
            let mut entry = Entry::new(when, &record)
                .adds(0, amounts)
                .once_per(designation, &already);
            if is_key {
                entry = entry.noted(&key_note);
            }
            sink.entry(entry);
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("validations")
    }

    fn plan_step(&self, ask: &PlanAsk) -> PlanStep {
        let short = |index: usize| {
            ask.values.get(index).map_or(0, |&(value, required)| {
                required.count().saturating_sub(value.count())
            })
        };
        let (more, key) = (short(0), short(1));
        let mut text = format!(
            "obtain {more} more active program validation{} (AWS Competency, MSP or Well-Architected)",
            if more == 1 { "" } else { "s" }
        );
        if key > 0 {
            let names: Vec<String> = std::iter::once("MSP".to_owned())
                .chain(
                    ask.key_competencies
                        .iter()
                        .map(|name| format!("the {name} Competency")),
                )
                .collect();
            text.push_str(&format!("; one must be {}", names.join(" or ")));
        }
        let lapsed: Vec<String> = ask
            .known
            .validations
            .iter()
            .filter(|v| {
                v.program.counts_in_tier_rules()
                    && v.expires_on.is_some_and(|expires| expires <= ask.by)
            })
            .map(|v| {
                format!(
                    "{} {}",
                    v.program.as_str(),
                    v.name.as_deref().unwrap_or_default()
                )
                .trim()
                .to_owned()
            })
            .collect();
        if !lapsed.is_empty() {
            text.push_str(&format!("; renewing would do: {}", lapsed.join(", ")));
        }
        PlanStep::Task(text)
    }
}
