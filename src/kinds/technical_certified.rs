//! `technical-certified`: registered people holding an active associate,
//! professional or specialty certification, each counted once at their
//! highest level (professional and specialty rank equal, above associate);
//! `professional_or_specialty` counts those whose highest is one of those.

use super::interval::{Interval, union};
use super::ledger::{Reason, Record};
use super::{
    Context, Entry, KindRule, KnowledgeNeeds, MeasureSpec, PlanAsk, PlanStep, Quantity, Shown,
    Sink, When, people,
};
use crate::partner::HeldCertification;
use crate::program::Level;

/// The kind.
pub struct TechnicalCertified;

/// Professional and specialty rank equal, above associate.
fn rank(level: Level) -> u8 {
    match level {
        Level::Foundational => 0,
        Level::Associate => 1,
        Level::Professional | Level::Specialty => 2,
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Foundational => "foundational",
        Level::Associate => "associate",
        Level::Professional => "professional",
        Level::Specialty => "specialty",
    }
}

impl KindRule for TechnicalCertified {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[
            count!(
                "individuals",
                "technical certified individual",
                "technical certified individuals"
            ),
            count!(
                "professional_or_specialty",
                "professional or specialty certified individual",
                "professional or specialty certified individuals",
                short = "pro/specialty"
            ),
        ]
    }

    fn table(&self) -> &'static str {
        "people"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        let program = context.program;
        for (index, person) in context.partner.people.iter().enumerate() {
            // The certifications that count, highest first (the first of
            // equals in the file first), with when they are active.
            let mut candidates: Vec<(&HeldCertification, Interval)> = Vec::new();
            for certification in &person.certifications {
                let when = if certification.level == Level::Foundational {
                    When::Never(Reason::FoundationalNotTechnical)
                } else {
                    people::credential(
                        person,
                        certification.earned_on,
                        certification.expires_on,
                        certification.account_email.as_deref(),
                    )
                };
                if let Some(active) = people::active(&when) {
                    candidates.push((certification, active));
                }
                let record = || Record::of_certification(program, person, certification);
                sink.entry(Entry::new(when, &record).shown(Shown::WhenExcluded));
            }
            candidates
                .sort_by_key(|(certification, _)| std::cmp::Reverse(rank(certification.level)));
            // The highest certification active on a date.
            let highest = |date| {
                candidates
                    .iter()
                    .find(|(_, active)| active.contains(date))
                    .map(|&(certification, _)| certification)
            };
            let any = union(candidates.iter().map(|&(_, active)| active).collect());
            let top = union(
                candidates
                    .iter()
                    .filter(|(certification, _)| {
                        rank(certification.level) == rank(Level::Professional)
                    })
                    .map(|&(_, active)| active)
                    .collect(),
            );
            let record = || Record::Person {
                email: person.email.clone(),
            };
            let note = |date| match highest(date) {
                Some(certification) => format!(
                    "counted at {} level ({})",
                    level_name(certification.level),
                    program.certifications[certification.catalog_index].id
                ),
                None => String::new(),
            };
            sink.entry(
                Entry::new(When::During(&any), &record)
                    .adds(0, &[1])
                    .noted(&note)
                    .shown(Shown::WhenCounted),
            );
            sink.entry(
                Entry::new(When::During(&top), &record)
                    .adds(1, &[1])
                    .shown(Shown::Never),
            );
            let counts_at = |date| {
                let level =
                    highest(date).map_or(Level::Associate, |certification| certification.level);
                Reason::CountedOnce(format!("the person counts at {} level", level_name(level)))
            };
            for &(certification, active) in &candidates {
                let record = || Record::of_certification(program, person, certification);
                let when = When::Active {
                    from: active.from,
                    expires_on: active.until,
                };
                sink.entry(
                    Entry::new(when, &record)
                        .once_per(people::key(index), &counts_at)
                        .shown(Shown::WhenRepeated),
                );
            }
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("individuals")
    }

    fn knowledge_needs(&self, thresholds: &[Quantity], needs: &mut KnowledgeNeeds) {
        let at = |index: usize| thresholds.get(index).map_or(0, |value| value.count());
        needs.technical_individuals = at(0);
        needs.professional = at(1);
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::People
    }
}
