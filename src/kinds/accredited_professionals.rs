//! `accredited-professionals`: registered people holding an active AWS
//! Technical or Business Professional accreditation. A person holding both
//! counts once, toward `individuals` and toward one of the two sides: as few
//! go to the technical side as its minimum still needs, the rest to business.

use super::interval::{Interval, difference_into, intersect_into, union};
use super::ledger::{CountedEntry, Reason, Record};
use super::{
    Context, Entry, KindRule, KnowledgeNeeds, MeasureSpec, PlanAsk, PlanStep, Quantity, Shown,
    Sink, When, people,
};
use crate::partner::AccreditationKind;
use crate::tiers::Tier;

/// The kind.
pub struct AccreditedProfessionals;

/// Counters: people holding only a technical accreditation, only a
/// business one, both.
const TECHNICAL_ONLY: usize = 0;
const BUSINESS_ONLY: usize = 1;
const BOTH: usize = 2;

/// How many of `both` people holding both accreditations fill the technical
/// side: as few as the technical minimum still needs; the rest go to business.
pub fn dual_holders_to_technical(technical_only: u64, both: u64, technical_minimum: u64) -> u64 {
    both.min(technical_minimum.saturating_sub(technical_only))
}

fn counter(counters: &[i64], index: usize) -> u64 {
    counters
        .get(index)
        .map_or(0, |&value| u64::try_from(value).unwrap_or(0))
}

impl KindRule for AccreditedProfessionals {
    fn measures(&self) -> &'static [MeasureSpec] {
        &[
            count!(
                "individuals",
                "accredited individual",
                "accredited individuals"
            ),
            count!(
                "technical",
                "technical accredited individual",
                "technical accredited individuals"
            ),
            count!(
                "business",
                "business accredited individual",
                "business accredited individuals"
            ),
        ]
    }

    fn table(&self) -> &'static str {
        "people"
    }

    fn counters(&self) -> usize {
        3
    }

    fn lay_out(&self, context: &Context, sink: &mut dyn Sink) {
        // Scratch lists, reused from person to person.
        let (mut technical, mut business) = (Vec::new(), Vec::new());
        let (mut technical_only, mut business_only, mut both) =
            (Vec::new(), Vec::new(), Vec::new());
        for (index, person) in context.partner.people.iter().enumerate() {
            for (kind, held) in [
                (AccreditationKind::Technical, &mut technical),
                (AccreditationKind::Business, &mut business),
            ] {
                held.clear();
                let another = move |_| {
                    Reason::CountedOnce(format!(
                        "the person holds another {} accreditation",
                        kind.as_str()
                    ))
                };
                for accreditation in person.accreditations.iter().filter(|a| a.kind == kind) {
                    let when = people::credential(
                        person,
                        accreditation.earned_on,
                        accreditation.expires_on,
                        accreditation.account_email.as_deref(),
                    );
                    held.extend(people::active(&when));
                    let record = || Record::of_accreditation(person, accreditation);
                    let key =
                        people::key(index) * 2 + u64::from(kind == AccreditationKind::Business);
                    sink.entry(
                        Entry::new(when, &record)
                            .once_per(key, &another)
                            .shown(Shown::WhenExcluded),
                    );
                }
            }
            let technical_held = union(std::mem::take(&mut technical));
            let business_held = union(std::mem::take(&mut business));
            intersect_into(&technical_held, &business_held, &mut both);
            difference_into(&technical_held, &business_held, &mut technical_only);
            difference_into(&business_held, &technical_held, &mut business_only);
            technical = technical_held;
            business = business_held;
            let record = || Record::Person {
                email: person.email.clone(),
            };
            let sides: [(&[Interval], usize, &str); 3] = [
                (
                    &technical_only,
                    TECHNICAL_ONLY,
                    "technical accreditation only",
                ),
                (&business_only, BUSINESS_ONLY, "business accreditation only"),
                (&both, BOTH, "both accreditations"),
            ];
            for (during, counter, note) in sides {
                let note = |_| note.to_owned();
                sink.entry(
                    Entry::new(When::During(during), &record)
                        .adds(counter, &[1])
                        .noted(&note)
                        .shown(Shown::WhenCounted),
                );
            }
        }
    }

    fn values(&self, counters: &[i64], thresholds: &[Quantity]) -> Vec<(Quantity, Quantity)> {
        let threshold = |index: usize| thresholds.get(index).copied().unwrap_or(Quantity::Count(0));
        let (technical_only, business_only, both) = (
            counter(counters, TECHNICAL_ONLY),
            counter(counters, BUSINESS_ONLY),
            counter(counters, BOTH),
        );
        let to_technical = dual_holders_to_technical(technical_only, both, threshold(1).count());
        let count = Quantity::Count;
        vec![
            (count(technical_only + business_only + both), threshold(0)),
            (count(technical_only + to_technical), threshold(1)),
            (count(business_only + both - to_technical), threshold(2)),
        ]
    }

    fn tier_independent_values(&self, counters: &[i64]) -> Vec<Quantity> {
        let individuals = counter(counters, TECHNICAL_ONLY)
            + counter(counters, BUSINESS_ONLY)
            + counter(counters, BOTH);
        vec![Quantity::Count(individuals)]
    }

    fn counted_entries_measure(&self) -> Option<&'static str> {
        Some("individuals")
    }

    fn knowledge_needs(&self, thresholds: &[Quantity], needs: &mut KnowledgeNeeds) {
        let at = |index: usize| thresholds.get(index).map_or(0, |value| value.count());
        needs.accredited_individuals = at(0);
        needs.technical_side = at(1);
        needs.business_side = at(2);
    }

    fn plan_step(&self, _ask: &PlanAsk) -> PlanStep {
        PlanStep::People
    }

    /// Says, for each person holding both accreditations, which side they
    /// fill at each tier (the split depends on the tier's technical minimum).
    fn annotate(
        &self,
        counters: &[i64],
        sides: &[(Tier, &[Quantity])],
        counted: &mut [CountedEntry],
    ) {
        let (technical_only, both) = (counter(counters, TECHNICAL_ONLY), counter(counters, BOTH));
        let to_technical: Vec<(Tier, u64)> = sides
            .iter()
            .map(|&(tier, thresholds)| {
                let minimum = thresholds.get(1).map_or(0, |value| value.count());
                (
                    tier,
                    dual_holders_to_technical(technical_only, both, minimum),
                )
            })
            .collect();
        let dual_holders = counted.iter_mut().filter(|entry| entry.counter == BOTH);
        for (index, entry) in (0_u64..).zip(dual_holders) {
            let side_at = |technical: bool| {
                to_technical
                    .iter()
                    .filter(|(_, to_technical)| (index < *to_technical) == technical)
                    .map(|(tier, _)| tier.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (on_technical, on_business) = (side_at(true), side_at(false));
            let mut note = String::from("both accreditations, counted once: ");
            match (on_technical.is_empty(), on_business.is_empty()) {
                (false, true) => note.push_str("technical side"),
                (true, false) => note.push_str("business side"),
                _ => note.push_str(&format!(
                    "technical side at {on_technical}; business side at {on_business}"
                )),
            }
            entry.note = Some(note);
        }
    }
}
