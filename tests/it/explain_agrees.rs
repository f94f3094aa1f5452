//! `explain`'s counted entries agree with `score`'s measures on every vector:
//! for each count-like measure the number of counted entries is the value,
//! and for each money measure the counted amounts add up to it.

use crate::common::vectors;
use apn_check::evaluate::score;
use apn_check::explain::explain;
use apn_check::partner::Partner;
use apn_check::rules::{Kind, Quantity, RuleSet};
use apn_check::scorecard::Scorecard;

/// The value of measure `name` of requirement `id` at the first tier that has it.
fn measure(card: &Scorecard, id: &str, name: &str) -> Option<Quantity> {
    card.tiers
        .iter()
        .flat_map(|tier| &tier.requirements)
        .find(|requirement| requirement.id == id)?
        .measures
        .iter()
        .find(|measure| measure.name == name)
        .map(|measure| measure.value)
}

#[test]
fn explain_counts_what_score_counts() {
    let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
    let mut checked = 0;
    let mut differences = Vec::new();
    for (path, _, as_of) in vectors() {
        let partner = Partner::load(&path, &rules).unwrap_or_else(|error| panic!("{error}"));
        let as_of =
            apn_check::calendar::parse_date(&as_of).unwrap_or_else(|error| panic!("{error}"));
        let card = score(&partner, &rules, as_of);
        let explanation =
            explain(&partner, &rules, as_of, None).unwrap_or_else(|| panic!("no explanation"));
        for explained in &explanation.requirements {
            let Some(requirement) = rules.requirements.iter().find(|r| r.id == explained.id) else {
                continue;
            };
            let entries = Quantity::Count(explained.counted.len() as u64);
            let amounts = Quantity::Money(
                explained
                    .counted
                    .iter()
                    .filter_map(|entry| entry.counts_usd)
                    .sum(),
            );
            let professional = Quantity::Count(
                explained
                    .counted
                    .iter()
                    .filter(|entry| {
                        entry.note.as_deref().is_some_and(|note| {
                            note.contains("at professional level")
                                || note.contains("at specialty level")
                        })
                    })
                    .count() as u64,
            );
            let expectations: Vec<(&str, Quantity)> = match requirement.kind {
                Kind::ProgramFee => vec![("paid_usd", amounts)],
                Kind::AccreditedProfessionals | Kind::FoundationalCertified => {
                    vec![("individuals", entries)]
                }
                Kind::TechnicalCertified => vec![
                    ("individuals", entries),
                    ("professional_or_specialty", professional),
                ],
                Kind::LaunchedOpportunities => vec![("count", entries), ("mrr_usd", amounts)],
                Kind::DirectRevenue => vec![("usd", amounts)],
                Kind::ProductListing => vec![("products", entries)],
                Kind::BusinessPlan => vec![("signed_off", entries)],
                Kind::TechnicalBaselineReview | Kind::ExecutiveBusinessReview => {
                    vec![("reviews", entries)]
                }
                Kind::ProgramValidations => vec![("validations", entries)],
                Kind::PublicReferences => vec![("customers", entries)],
                Kind::CsatResponses => vec![("responses", entries)],
                Kind::SustainedAttainment => Vec::new(),
            };
            for (name, explained_value) in expectations {
                checked += 1;
                let scored = measure(&card, &explained.id, name);
                if scored != Some(explained_value) {
                    differences.push(format!(
                        "{}: {} {name}: score {scored:?}, explain {explained_value:?}",
                        path.display(),
                        explained.id
                    ));
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} measures checked");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
