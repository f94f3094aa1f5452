//! Evaluation: a partner's data, a rule set and an as-of date in, a
//! scorecard out. Pure: no I/O, no clock. Each requirement kind is counted
//! by one function of `count`; thresholds come from the rule set and are
//! applied here, tier by tier.

mod count;

use chrono::{Days, NaiveDate};

use crate::calendar::{Window, first_anniversary_on_or_after, latest_anniversary_on_or_before};
use crate::explain::Tally;
use crate::money::Cents;
use crate::partner::Partner;
use crate::rules::{Kind, Quantity, Requirement, RuleSet};
use crate::scorecard::{
    Gap, Measure, NextTier, RequirementResult, Scorecard, Shortfall, Status, TierResult,
};
use crate::tiers::Tier;

/// Scores `partner` against `rules` as of `as_of`.
pub fn score(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> Scorecard {
    let day = Day::new(partner, rules, as_of);
    let track = partner.info.track;
    let current = partner.info.tier;
    let tiers = day.evaluate_tiers(rules.tiers(track));
    let eligible_tier = tiers
        .iter()
        .filter(|result| result.met)
        .map(|result| result.tier)
        .max()
        .unwrap_or(Tier::Registered);
    let compliant = current == Tier::Registered
        || tiers
            .iter()
            .any(|result| result.tier == current && result.met);
    let next_tier = rules
        .tiers(track)
        .iter()
        .find(|&&tier| tier > current)
        .and_then(|&tier| tiers.iter().find(|result| result.tier == tier))
        .map(next_tier_gaps);
    Scorecard {
        partner: partner.info.name.clone(),
        track,
        current_tier: current,
        as_of,
        window_start: day.window.start,
        review_date: review_date(partner, rules, as_of),
        eligible_tier,
        compliant,
        tiers,
        next_tier,
        rules: rules.name.clone(),
    }
}

/// The first renewal anniversary on or after `as_of`, moved by the rule
/// set's review grace when it falls inside it.
pub fn review_date(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> NaiveDate {
    let review = first_anniversary_on_or_after(partner.info.renewal_date, as_of);
    match rules.review_grace {
        Some(grace) if (grace.from..=grace.to).contains(&review) => grace.review_on,
        _ => review,
    }
}

fn next_tier_gaps(tier: &TierResult) -> NextTier {
    let gaps = tier
        .unmet()
        .map(|requirement| Gap {
            id: requirement.id.clone(),
            alternative: requirement.alternative.clone(),
            measures: requirement
                .measures
                .iter()
                .filter_map(|measure| {
                    measure.shortfall().map(|shortfall| Shortfall {
                        name: measure.name,
                        value: measure.value,
                        required: measure.required,
                        shortfall,
                        spec: measure.spec,
                    })
                })
                .collect(),
        })
        .collect();
    NextTier {
        tier: tier.tier,
        gaps,
    }
}

/// Whether every requirement counts as met and every alternative group has
/// a member that does.
fn all_met(requirements: &[RequirementResult]) -> bool {
    requirements
        .iter()
        .all(|requirement| match &requirement.alternative {
            None => requirement.status.counts_as_met(),
            Some(group) => requirements.iter().any(|member| {
                member.alternative.as_ref() == Some(group) && member.status.counts_as_met()
            }),
        })
}

/// One evaluation day: the partner, the rules, the as-of date and its window.
pub(crate) struct Day<'a> {
    pub(crate) partner: &'a Partner,
    pub(crate) rules: &'a RuleSet,
    pub(crate) as_of: NaiveDate,
    pub(crate) window: Window,
}

/// How many of `both` people holding both accreditations fill the technical
/// side: as few as the technical minimum still needs; the rest go to business.
pub(crate) fn dual_holders_to_technical(
    technical_only: u64,
    both: u64,
    technical_minimum: u64,
) -> u64 {
    both.min(technical_minimum.saturating_sub(technical_only))
}

/// What a requirement kind counted, before a tier's thresholds apply.
pub(crate) enum Counted {
    Fee(Cents),
    Accredited {
        technical_only: u64,
        business_only: u64,
        both: u64,
    },
    Technical {
        individuals: u64,
        professional_or_specialty: u64,
    },
    Launched {
        count: u64,
        mrr: Cents,
    },
    Validations {
        designations: u64,
        msp_or_devops: u64,
    },
    /// One count (or amount) against one threshold.
    Single(Quantity),
    /// Sustained attainment: counted per tier by looking back day by day.
    LookBack,
}

impl Counted {
    /// The values that do not depend on a tier's thresholds, in the kind's
    /// measure order (a prefix of it).
    pub(crate) fn tier_independent_values(&self) -> Vec<Quantity> {
        let count = Quantity::Count;
        match *self {
            Counted::Fee(paid) => vec![Quantity::Money(paid)],
            Counted::Accredited {
                technical_only,
                business_only,
                both,
            } => {
                vec![count(technical_only + business_only + both)]
            }
            Counted::Technical {
                individuals,
                professional_or_specialty,
            } => {
                vec![count(individuals), count(professional_or_specialty)]
            }
            Counted::Launched {
                count: launched,
                mrr,
            } => vec![count(launched), Quantity::Money(mrr)],
            Counted::Validations {
                designations,
                msp_or_devops,
            } => {
                vec![count(designations), count(msp_or_devops)]
            }
            Counted::Single(value) => vec![value],
            Counted::LookBack => Vec::new(),
        }
    }
}

impl<'a> Day<'a> {
    pub(crate) fn new(partner: &'a Partner, rules: &'a RuleSet, as_of: NaiveDate) -> Self {
        Day {
            partner,
            rules,
            as_of,
            window: Window::ending_on(as_of, rules.window_months),
        }
    }

    /// Evaluates `tiers`, counting each requirement once for all of them
    /// (counts do not depend on the tier; thresholds do).
    fn evaluate_tiers(&self, tiers: &[Tier]) -> Vec<TierResult> {
        let track = self.partner.info.track;
        let counted: Vec<Option<Counted>> = self
            .rules
            .requirements
            .iter()
            .map(|requirement| {
                tiers
                    .iter()
                    .any(|&tier| requirement.applies_to(track, tier))
                    .then(|| self.count(requirement, &mut Tally))
            })
            .collect();
        tiers
            .iter()
            .map(|&tier| {
                let requirements: Vec<RequirementResult> = self
                    .rules
                    .requirements
                    .iter()
                    .zip(&counted)
                    .filter_map(|(requirement, counted)| {
                        let thresholds = requirement.thresholds(track, tier)?;
                        Some(self.judge(requirement, tier, thresholds, counted.as_ref()?))
                    })
                    .collect();
                TierResult {
                    tier,
                    met: all_met(&requirements),
                    requirements,
                }
            })
            .collect()
    }

    /// Evaluates the requirements of `tier` that `include` selects.
    fn judge_tier(
        &self,
        tier: Tier,
        include: impl Fn(&Requirement) -> bool,
    ) -> Vec<RequirementResult> {
        let track = self.partner.info.track;
        self.rules
            .requirements
            .iter()
            .filter(|requirement| include(requirement))
            .filter_map(|requirement| {
                let thresholds = requirement.thresholds(track, tier)?;
                let counted = self.count(requirement, &mut Tally);
                Some(self.judge(requirement, tier, thresholds, &counted))
            })
            .collect()
    }

    /// Evaluates one requirement for one tier.
    fn judge(
        &self,
        requirement: &Requirement,
        tier: Tier,
        thresholds: &[Quantity],
        counted: &Counted,
    ) -> RequirementResult {
        let exempt = requirement.applicants_only && self.partner.info.tier >= tier;
        let values = self.values(counted, tier, thresholds, exempt);
        let measures: Vec<Measure> = requirement
            .kind
            .measures()
            .iter()
            .zip(values)
            .map(|(spec, (value, required))| Measure {
                name: spec.name,
                value,
                required,
                spec,
            })
            .collect();
        let reached = measures.iter().all(|measure| measure.shortfall().is_none());
        let mut grace_until = None;
        let status = if exempt {
            Status::Exempt
        } else if reached {
            Status::Met
        } else if requirement.kind == Kind::ProgramFee {
            grace_until = self.fee_grace_until();
            if grace_until.is_some() {
                Status::Grace
            } else {
                Status::NotMet
            }
        } else {
            Status::NotMet
        };
        RequirementResult {
            id: requirement.id.clone(),
            title: requirement.title.clone(),
            status,
            time_bound: requirement.time_bound,
            alternative: requirement
                .alternative(self.partner.info.track)
                .map(str::to_owned),
            measures,
            grace_until,
        }
    }

    /// The last day of the fee's grace period, if the as-of date is in it.
    fn fee_grace_until(&self) -> Option<NaiveDate> {
        let anniversary =
            latest_anniversary_on_or_before(self.partner.info.renewal_date, self.as_of);
        let grace_days = u64::from(self.rules.fee_grace_days);
        let last = anniversary.checked_add_days(Days::new(grace_days.checked_sub(1)?))?;
        (self.as_of <= last).then_some(last)
    }

    /// Each measure's value and threshold, in the kind's measure order.
    fn values(
        &self,
        counted: &Counted,
        tier: Tier,
        thresholds: &[Quantity],
        exempt: bool,
    ) -> Vec<(Quantity, Quantity)> {
        let count = Quantity::Count;
        let threshold = |index: usize| thresholds.get(index).copied().unwrap_or(Quantity::Count(0));
        match *counted {
            Counted::Fee(paid) => vec![(Quantity::Money(paid), threshold(0))],
            Counted::Accredited {
                technical_only,
                business_only,
                both,
            } => {
                let technical_minimum = match threshold(1) {
                    Quantity::Count(minimum) => minimum,
                    Quantity::Money(_) => 0,
                };
                let to_technical =
                    dual_holders_to_technical(technical_only, both, technical_minimum);
                vec![
                    (count(technical_only + business_only + both), threshold(0)),
                    (count(technical_only + to_technical), threshold(1)),
                    (count(business_only + both - to_technical), threshold(2)),
                ]
            }
            Counted::Technical {
                individuals,
                professional_or_specialty,
            } => vec![
                (count(individuals), threshold(0)),
                (count(professional_or_specialty), threshold(1)),
            ],
            Counted::Launched {
                count: launched,
                mrr,
            } => vec![
                (count(launched), threshold(0)),
                (Quantity::Money(mrr), threshold(1)),
            ],
            Counted::Validations {
                designations,
                msp_or_devops,
            } => vec![
                (count(designations), threshold(0)),
                (count(msp_or_devops), threshold(1)),
            ],
            Counted::Single(value) => vec![(value, threshold(0))],
            Counted::LookBack => {
                let months = match threshold(0) {
                    Quantity::Count(months) => u32::try_from(months).unwrap_or(u32::MAX),
                    Quantity::Money(_) => 0,
                };
                let required =
                    u64::try_from(Window::ending_on(self.as_of, months).days()).unwrap_or(0);
                let days = if exempt {
                    0
                } else {
                    self.sustained_days(tier, required)
                };
                vec![(count(days), count(required))]
            }
        }
    }

    /// Consecutive days ending on the as-of date, at most `limit`, on which
    /// the tier's other requirements were all met, each as of that day.
    fn sustained_days(&self, tier: Tier, limit: u64) -> u64 {
        self.look_back(tier, limit).0
    }

    /// The sustained days, and the first day looking back on which the
    /// tier's other requirements were not all met, with those not met.
    fn look_back(&self, tier: Tier, limit: u64) -> (u64, Option<(NaiveDate, Vec<String>)>) {
        let mut days = 0;
        while days < limit {
            let Some(day) = self.as_of.checked_sub_days(Days::new(days)) else {
                break;
            };
            let that_day = Day::new(self.partner, self.rules, day);
            let requirements = that_day.judge_tier(tier, |requirement| {
                requirement.kind != Kind::SustainedAttainment && !requirement.applicants_only
            });
            if !all_met(&requirements) {
                let failing = requirements
                    .iter()
                    .filter(|requirement| !requirement.status.counts_as_met())
                    .map(|requirement| requirement.id.clone())
                    .collect();
                return (days, Some((day, failing)));
            }
            days += 1;
        }
        (days, None)
    }

    /// Sustained attainment in words, for each tier with the requirement.
    pub(crate) fn look_back_notes(&self, requirement: &Requirement) -> Vec<String> {
        let track = self.partner.info.track;
        let mut notes = Vec::new();
        for &tier in self.rules.tiers(track) {
            let Some(thresholds) = requirement.thresholds(track, tier) else {
                continue;
            };
            if requirement.applicants_only && self.partner.info.tier >= tier {
                notes.push(format!("exempt: the partner is already at {tier} or above"));
                continue;
            }
            let months = match thresholds.first() {
                Some(Quantity::Count(months)) => u32::try_from(*months).unwrap_or(u32::MAX),
                _ => 0,
            };
            let required = u64::try_from(Window::ending_on(self.as_of, months).days()).unwrap_or(0);
            let (days, failure) = self.look_back(tier, required);
            let mut note = format!(
                "the other {tier} requirements were met on each of the last {days} of {required} days"
            );
            if let Some((day, failing)) = failure {
                note.push_str(&format!("; not on {day} ({})", failing.join(", ")));
            }
            notes.push(note);
        }
        notes
    }
}

#[cfg(test)]
mod tests;
