//! Explanations: for each requirement, every record that was considered,
//! whether it counted and, if not, why. Counting reports to a
//! [`Ledger`](crate::kinds::ledger::Ledger): scoring passes a [`Tally`]
//! that records nothing, `explain` passes a [`Recorder`], so the two always
//! agree.

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::evaluate::Day;
pub use crate::kinds::ledger::{
    CountedEntry, ExcludedEntry, Ledger, Reason, Record, Recorder, Tally,
};
use crate::kinds::{Context, Quantity, Warning};
use crate::partner::Partner;
use crate::rules::RuleSet;
use crate::tiers::Tier;

/// One requirement explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementExplanation {
    /// The requirement id.
    #[serde(skip)]
    pub id: String,
    /// Its title.
    pub title: String,
    /// Whether only the window's records count.
    pub time_bound: bool,
    /// The tier-independent measures as counted (none for kinds whose values
    /// depend on the tier, such as the accredited split).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<NamedValue>,
    /// What more there is to say (sustained attainment's look-back).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The records that counted.
    pub counted: Vec<CountedEntry>,
    /// The records that did not.
    pub excluded: Vec<ExcludedEntry>,
    /// What looks wrong in the records the requirement reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// A measure's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NamedValue {
    /// The measure.
    pub name: &'static str,
    /// Its value.
    pub value: Quantity,
}

/// Every requirement of the partner's track explained, as of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The partner's name.
    pub partner: String,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The excluded first day of the window.
    pub window_start: NaiveDate,
    /// Per requirement id, in the rule file's order.
    #[serde(serialize_with = "by_id")]
    pub requirements: Vec<RequirementExplanation>,
}

fn by_id<S: Serializer>(
    requirements: &[RequirementExplanation],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(
        requirements
            .iter()
            .map(|requirement| (&requirement.id, requirement)),
    )
}

/// Explains every requirement that applies to the partner's track (or only
/// `only`, a requirement id) as of `as_of`. `None` when `only` names no
/// requirement of the track.
pub fn explain(
    partner: &Partner,
    rules: &RuleSet,
    as_of: NaiveDate,
    only: Option<&str>,
) -> Option<Explanation> {
    let day = Day::new(partner, rules, as_of);
    let track = partner.info.track;
    let requirements: Vec<RequirementExplanation> = rules
        .requirements_of(track)
        .filter(|requirement| only.is_none_or(|id| requirement.id == id))
        .map(|requirement| {
            let rule = requirement.kind.rule();
            let mut recorder = Recorder::default();
            let counted = day.count(requirement, &mut recorder);
            let sides: Vec<(Tier, &[Quantity])> = rules
                .program
                .tiers(track)
                .iter()
                .filter_map(|&tier| Some((tier, requirement.thresholds(track, tier)?)))
                .collect();
            rule.annotate(&counted, &sides, &mut recorder.counted);
            let notes = if rule.looks_back() {
                day.look_back_notes(requirement)
            } else {
                Vec::new()
            };
            RequirementExplanation {
                id: requirement.id.clone(),
                title: requirement.title.clone(),
                time_bound: requirement.time_bound,
                values: rule
                    .tier_independent_values(&counted)
                    .into_iter()
                    .zip(requirement.kind.measures())
                    .map(|(value, spec)| NamedValue {
                        name: spec.name,
                        value,
                    })
                    .collect(),
                notes,
                counted: recorder.counted,
                excluded: recorder.excluded,
                warnings: rule.warnings(
                    &Context {
                        partner,
                        program: &rules.program,
                    },
                    as_of,
                    day.window,
                ),
            }
        })
        .collect();
    if only.is_some() && requirements.is_empty() {
        return None;
    }
    Some(Explanation {
        partner: partner.info.name.clone(),
        as_of,
        window_start: day.window.start,
        requirements,
    })
}

#[cfg(test)]
mod tests;
