//! The result of an evaluation: the scorecard every renderer prints, in
//! the shape of the contract's `score --json`.

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::rules::{MeasureSpec, Quantity};
use crate::tiers::{Tier, Track};

impl Serialize for Quantity {
    /// Counts as integers, money as a number of dollars rounded to the cent.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Quantity::Count(count) => serializer.serialize_u64(*count),
            Quantity::Money(cents) => cents.serialize(serializer),
        }
    }
}

/// How a requirement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every measure reaches its threshold.
    Met,
    /// Some measure falls short.
    NotMet,
    /// Not met, but within the grace period: counts as met, at risk.
    Grace,
    /// Does not apply to this partner (an existing partner of the tier).
    Exempt,
}

impl Status {
    /// Whether the status counts as met for the tier.
    pub fn counts_as_met(self) -> bool {
        self != Status::NotMet
    }
}

/// One measure of a requirement against its threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// The measure's name, as in the contract.
    pub name: &'static str,
    /// The measured value.
    pub value: Quantity,
    /// The tier's threshold.
    pub required: Quantity,
    /// What is measured, in words for people.
    #[serde(skip)]
    pub spec: &'static MeasureSpec,
}

impl Measure {
    /// How much is missing, when the value is below the threshold.
    pub fn shortfall(&self) -> Option<Quantity> {
        shortfall(self.value, self.required)
    }
}

/// How much `value` falls short of `required`, if it does.
pub fn shortfall(value: Quantity, required: Quantity) -> Option<Quantity> {
    match (value, required) {
        (Quantity::Count(value), Quantity::Count(required)) if value < required => {
            Some(Quantity::Count(required - value))
        }
        (Quantity::Money(value), Quantity::Money(required)) if value < required => {
            Some(Quantity::Money(crate::money::Cents(required.0 - value.0)))
        }
        _ => None,
    }
}

/// One requirement of one tier, evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementResult {
    /// The requirement id.
    pub id: String,
    /// Its title, from the rule file.
    pub title: String,
    /// How it stands.
    pub status: Status,
    /// Whether only the window's records count.
    pub time_bound: bool,
    /// The alternative group it belongs to.
    pub alternative: Option<String>,
    /// The measures against the tier's thresholds.
    pub measures: Vec<Measure>,
    /// For a fee in grace: the last day of the grace period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grace_until: Option<NaiveDate>,
}

/// One tier of the track, evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierResult {
    /// The tier.
    pub tier: Tier,
    /// Whether every requirement (and alternative group) counts as met.
    pub met: bool,
    /// Its requirements, in the rule file's order.
    pub requirements: Vec<RequirementResult>,
}

impl TierResult {
    /// Whether some member of the alternative group `group` counts as met.
    pub fn group_met(&self, group: &str) -> bool {
        self.requirements.iter().any(|requirement| {
            requirement.alternative.as_deref() == Some(group) && requirement.status.counts_as_met()
        })
    }

    /// The requirements standing between the partner and the tier: not met,
    /// and not an alternative whose group another member meets.
    pub fn unmet(&self) -> impl Iterator<Item = &RequirementResult> {
        self.requirements.iter().filter(|requirement| {
            !requirement.status.counts_as_met()
                && !requirement
                    .alternative
                    .as_deref()
                    .is_some_and(|group| self.group_met(group))
        })
    }
}

/// A measure below its threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// The measure's name.
    pub name: &'static str,
    /// The measured value.
    pub value: Quantity,
    /// The threshold.
    pub required: Quantity,
    /// `required - value`.
    pub shortfall: Quantity,
    /// What is measured, in words for people.
    #[serde(skip)]
    pub spec: &'static MeasureSpec,
}

/// A requirement of the next tier that is not met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The requirement id.
    pub id: String,
    /// The alternative group, when meeting another member would do instead.
    pub alternative: Option<String>,
    /// The measures below their thresholds.
    pub measures: Vec<Shortfall>,
}

/// The tier above the current one and what stands between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextTier {
    /// The tier.
    pub tier: Tier,
    /// Its requirements that are not met.
    pub gaps: Vec<Gap>,
}

/// A partner's scorecard as of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scorecard {
    /// The partner's name.
    pub partner: String,
    /// The track.
    pub track: Track,
    /// The tier the partner holds.
    pub current_tier: Tier,
    /// The day the scorecard is computed for.
    pub as_of: NaiveDate,
    /// The excluded first day of the rolling window.
    pub window_start: NaiveDate,
    /// The next compliance review.
    pub review_date: NaiveDate,
    /// The highest tier met (`registered` when none is).
    pub eligible_tier: Tier,
    /// Whether the current tier is met.
    pub compliant: bool,
    /// Every tier of the track, lowest first.
    pub tiers: Vec<TierResult>,
    /// What the partner lacks to keep its current tier: empty when it is
    /// compliant (or registered).
    pub current_gaps: Vec<Gap>,
    /// The tier above the current one; null at the top.
    pub next_tier: Option<NextTier>,
    /// The rule set's name.
    pub rules: String,
}

impl Scorecard {
    /// The evaluated tier, if the track has it.
    pub fn tier(&self, tier: Tier) -> Option<&TierResult> {
        self.tiers.iter().find(|result| result.tier == tier)
    }

    /// One row per requirement of any tier, each tier's order kept (the rule
    /// file's): the first result of each id, from the highest tier down.
    pub fn requirement_rows(&self) -> Vec<&RequirementResult> {
        let mut rows: Vec<&RequirementResult> = Vec::new();
        for tier in self.tiers.iter().rev() {
            let mut next = 0;
            for requirement in &tier.requirements {
                match rows.iter().position(|row| row.id == requirement.id) {
                    Some(position) => next = position + 1,
                    None => {
                        rows.insert(next, requirement);
                        next += 1;
                    }
                }
            }
        }
        rows
    }

    /// Whether the partner meets `tier` (`registered` always is).
    pub fn meets(&self, tier: Tier) -> bool {
        tier == Tier::Registered || self.tier(tier).is_some_and(|result| result.met)
    }
}
