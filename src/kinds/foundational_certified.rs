//! `foundational-certified`: registered people holding an active
//! foundational certification (Cloud Practitioner), each counted once.

use super::interval::{Interval, union};
use super::ledger::{Reason, Record};
use super::{
    Context, Entry, KindRule, KnowledgeNeeds, MeasureSpec, PlanAsk, PlanStep, Quantity, Shown,
    Sink, When, people,
};
use crate::program::Level;

/// The kind.
pub struct FoundationalCertified;

impl KindRule for FoundationalCertified {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[count!(
            "individuals",
            "foundational certified individual",
            "foundational certified individuals"
        )]
    }

    fn table(&self) -> &'static str {
        "people"
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        let program = context.program;
        let already = |_| Reason::CountedOnce("the person counts already".to_owned());
        for (index, person) in context.partner.people.iter().enumerate() {
            // The certifications that count, with when: the first active one
            // on a date is the one named.
            let mut held: Vec<(Interval, usize)> = Vec::new();
            for certification in person
                .certifications
                .iter()
                .filter(|certification| certification.level == Level::Foundational)
            {
                let when = people::credential(
                    person,
                    certification.earned_on,
                    certification.expires_on,
                    certification.account_email.as_deref(),
                );
                if let Some(active) = people::active(&when) {
                    held.push((active, certification.catalog_index));
                }
                let record = || Record::of_certification(program, person, certification);
                sink.entry(
                    Entry::new(when, &record)
                        .once_per(people::key(index), &already)
                        .shown(Shown::WhenExcluded),
                );
            }
            let during = union(held.iter().map(|&(active, _)| active).collect());
            let record = || Record::Person {
                email: person.email.clone(),
            };
            let note = |date| {
                let id = held
                    .iter()
                    .find(|(active, _)| active.contains(date))
                    .map_or("", |&(_, catalog)| {
                        program.certifications[catalog].id.as_str()
                    });
                format!("holds {id}")
            };
            sink.entry(
                Entry::new(When::During(&during), &record)
                    .adds(0, &[1])
                    .noted(&note)
                    .shown(Shown::WhenCounted),
            );
        }
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("individuals")
    }

    fn knowledge_needs(&self, thresholds: &[Quantity], needs: &mut KnowledgeNeeds) {
        needs.foundational = thresholds.first().map_or(0, |value| value.count());
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::People
    }
}
