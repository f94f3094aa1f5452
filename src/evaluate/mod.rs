//! Evaluation: a partner's data, a rule set and an as-of date in, a
//! scorecard out. Pure: no I/O, no clock. Each requirement kind is counted
//! by one function of `count`; thresholds come from the rule set and are
//! applied here, tier by tier.

mod count;
mod timeline;

use chrono::{Days, NaiveDate};

use crate::calendar::{Window, first_anniversary_on_or_after, latest_anniversary_on_or_before};
use crate::explain::Tally;
use crate::money::Cents;
use crate::partner::Partner;
use crate::rules::{Kind, Quantity, Requirement, RuleSet};
use crate::scorecard::{
    Gap, Measure, NextTier, RequirementResult, Scorecard, Shortfall, Status, TierResult,
};
use crate::tiers::{Tier, Track};

/// Scores `partner` against `rules` as of `as_of`.
pub fn score(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> Scorecard {
    let day = Day::new(partner, rules, as_of);
    let requirements = applicable(partner, rules);
    let counted: Vec<Counted> = requirements
        .iter()
        .map(|requirement| day.count(requirement, &mut Tally))
        .collect();
    day.scorecard(&requirements, &counted, &|tier, limit| {
        day.sustained_days(tier, limit, &requirements, &counted)
    })
}

/// The scorecard of each of `dates` (ascending), each as [`score`] would
/// give it, computed together: the records are counted on all the dates in
/// one sweep, and the sustained-attainment look-backs share their days.
pub fn score_on_dates(partner: &Partner, rules: &RuleSet, dates: &[NaiveDate]) -> Vec<Scorecard> {
    let requirements = applicable(partner, rules);
    let counts = timeline::count_on_dates(partner, rules, &requirements, dates);
    let streaks = Streaks::new(partner, rules, &requirements, dates);
    dates
        .iter()
        .zip(&counts)
        .map(|(&date, counted)| {
            let day = Day::new(partner, rules, date);
            day.scorecard(&requirements, counted, &|tier, limit| {
                streaks.days_ending_on(tier, date, limit)
            })
        })
        .collect()
}

/// The requirements of the partner's track, in rule-file order.
fn applicable<'r>(partner: &Partner, rules: &'r RuleSet) -> Vec<&'r Requirement> {
    let track = partner.info.track;
    rules
        .requirements
        .iter()
        .filter(|requirement| {
            rules
                .tiers(track)
                .iter()
                .any(|&tier| requirement.applies_to(track, tier))
        })
        .collect()
}

/// The requirements the look-back checks for `tier` each day: all of the
/// tier's but sustained attainment and those asked of applicants only.
fn looked_back(requirement: &Requirement, track: Track, tier: Tier) -> bool {
    requirement.kind != Kind::SustainedAttainment
        && !requirement.applicants_only
        && requirement.applies_to(track, tier)
}

/// For `history`: which days each tier's looked-back requirements were all
/// met on, over every day some date's look-back reaches.
struct Streaks {
    /// Per tier with sustained attainment (and not exempt): the days, in
    /// order, and whether the requirements were met on each.
    tiers: Vec<(Tier, Vec<(NaiveDate, bool)>)>,
}

impl Streaks {
    fn new(
        partner: &Partner,
        rules: &RuleSet,
        requirements: &[&Requirement],
        dates: &[NaiveDate],
    ) -> Streaks {
        let track = partner.info.track;
        let mut tiers = Vec::new();
        for requirement in requirements
            .iter()
            .filter(|requirement| requirement.kind == Kind::SustainedAttainment)
        {
            for &tier in rules.tiers(track) {
                let Some(thresholds) = requirement.thresholds(track, tier) else {
                    continue;
                };
                if requirement.applicants_only && partner.info.tier >= tier {
                    continue;
                }
                // Every day of every date's look-back, each once, in order.
                let mut days: Vec<NaiveDate> = Vec::new();
                for &date in dates {
                    let limit = sustained_limit(date, thresholds);
                    let first = (1..=limit)
                        .map_while(|back| date.checked_sub_days(Days::new(back - 1)))
                        .last()
                        .unwrap_or(date);
                    let start = match days.last() {
                        Some(&last) if last >= first => last.succ_opt().unwrap_or(last),
                        _ => first,
                    };
                    days.extend(start.iter_days().take_while(|&day| day <= date));
                }
                let others: Vec<&Requirement> = requirements
                    .iter()
                    .copied()
                    .filter(|requirement| looked_back(requirement, track, tier))
                    .collect();
                let counts = timeline::count_on_dates(partner, rules, &others, &days);
                let met = days
                    .iter()
                    .zip(&counts)
                    .map(|(&day, counted)| {
                        let failing = Day::new(partner, rules, day).failing(tier, &others, counted);
                        (day, failing.is_empty())
                    })
                    .collect();
                tiers.push((tier, met));
            }
        }
        Streaks { tiers }
    }

    /// Consecutive days ending on `date`, at most `limit`, on which the
    /// tier's looked-back requirements were all met.
    fn days_ending_on(&self, tier: Tier, date: NaiveDate, limit: u64) -> u64 {
        let Some((_, met)) = self.tiers.iter().find(|(each, _)| *each == tier) else {
            return 0;
        };
        let Ok(index) = met.binary_search_by_key(&date, |&(day, _)| day) else {
            return 0;
        };
        // The days up to `date` were listed consecutively, `limit` of them.
        met[..=index]
            .iter()
            .rev()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .take_while(|(_, met)| *met)
            .count() as u64
    }
}

/// The days sustained attainment asks for as of `as_of`: those of the
/// window of its `months` threshold.
fn sustained_limit(as_of: NaiveDate, thresholds: &[Quantity]) -> u64 {
    let months = match thresholds.first() {
        Some(Quantity::Count(months)) => u32::try_from(*months).unwrap_or(u32::MAX),
        _ => 0,
    };
    u64::try_from(Window::ending_on(as_of, months).days()).unwrap_or(0)
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

    /// The scorecard of this day from the counts of `requirements` (those
    /// of the partner's track); `sustained_days(tier, limit)` gives the
    /// sustained attainment of a tier.
    fn scorecard(
        &self,
        requirements: &[&Requirement],
        counted: &[Counted],
        sustained_days: &dyn Fn(Tier, u64) -> u64,
    ) -> Scorecard {
        let (partner, rules) = (self.partner, self.rules);
        let track = partner.info.track;
        let current = partner.info.tier;
        let tiers: Vec<TierResult> = rules
            .tiers(track)
            .iter()
            .map(|&tier| {
                let results: Vec<RequirementResult> = requirements
                    .iter()
                    .zip(counted)
                    .filter_map(|(requirement, counted)| {
                        let thresholds = requirement.thresholds(track, tier)?;
                        Some(self.judge(requirement, tier, thresholds, counted, sustained_days))
                    })
                    .collect();
                TierResult {
                    tier,
                    met: all_met(&results),
                    requirements: results,
                }
            })
            .collect();
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
            as_of: self.as_of,
            window_start: self.window.start,
            review_date: review_date(partner, rules, self.as_of),
            eligible_tier,
            compliant,
            tiers,
            next_tier,
            rules: rules.name.clone(),
        }
    }

    /// The ids of the requirements of `tier` among `requirements` (none of
    /// them sustained attainment) that are not met with these counts; empty
    /// when all are (an alternative group met by one member).
    fn failing(
        &self,
        tier: Tier,
        requirements: &[&Requirement],
        counted: &[Counted],
    ) -> Vec<String> {
        let track = self.partner.info.track;
        let results: Vec<RequirementResult> = requirements
            .iter()
            .zip(counted)
            .filter_map(|(requirement, counted)| {
                let thresholds = requirement.thresholds(track, tier)?;
                Some(self.judge(requirement, tier, thresholds, counted, &|_, _| 0))
            })
            .collect();
        if all_met(&results) {
            return Vec::new();
        }
        results
            .into_iter()
            .filter(|requirement| !requirement.status.counts_as_met())
            .map(|requirement| requirement.id)
            .collect()
    }

    /// Evaluates one requirement for one tier.
    fn judge(
        &self,
        requirement: &Requirement,
        tier: Tier,
        thresholds: &[Quantity],
        counted: &Counted,
        sustained_days: &dyn Fn(Tier, u64) -> u64,
    ) -> RequirementResult {
        let exempt = requirement.applicants_only && self.partner.info.tier >= tier;
        let values = self.values(counted, tier, thresholds, exempt, sustained_days);
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
        sustained_days: &dyn Fn(Tier, u64) -> u64,
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
                let required = sustained_limit(self.as_of, thresholds);
                let days = if exempt {
                    0
                } else {
                    sustained_days(tier, required)
                };
                vec![(count(days), count(required))]
            }
        }
    }

    /// Consecutive days ending on the as-of date, at most `limit`, on which
    /// the tier's looked-back requirements were all met, each as of that
    /// day; `counted` holds this day's counts of `requirements`.
    fn sustained_days(
        &self,
        tier: Tier,
        limit: u64,
        requirements: &[&Requirement],
        counted: &[Counted],
    ) -> u64 {
        let track = self.partner.info.track;
        let (others, counted): (Vec<&Requirement>, Vec<&Counted>) = requirements
            .iter()
            .zip(counted)
            .filter(|(requirement, _)| looked_back(requirement, track, tier))
            .unzip();
        // Not met today: no need to look further back.
        let counted: Vec<Counted> = counted.into_iter().cloned().collect();
        if limit == 0 || !self.failing(tier, &others, &counted).is_empty() {
            return 0;
        }
        self.look_back(tier, limit).0
    }

    /// The sustained days, and the first day looking back on which the
    /// tier's looked-back requirements were not all met, with those not met.
    fn look_back(&self, tier: Tier, limit: u64) -> (u64, Option<(NaiveDate, Vec<String>)>) {
        let track = self.partner.info.track;
        let others: Vec<&Requirement> = self
            .rules
            .requirements
            .iter()
            .filter(|requirement| looked_back(requirement, track, tier))
            .collect();
        let mut days: Vec<NaiveDate> = (0..limit)
            .map_while(|back| self.as_of.checked_sub_days(Days::new(back)))
            .collect();
        days.reverse();
        let counts = timeline::count_on_dates(self.partner, self.rules, &others, &days);
        let mut sustained = 0;
        for (&day, counted) in days.iter().zip(&counts).rev() {
            let failing = Day::new(self.partner, self.rules, day).failing(tier, &others, counted);
            if !failing.is_empty() {
                return (sustained, Some((day, failing)));
            }
            sustained += 1;
        }
        (sustained, None)
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
            let required = sustained_limit(self.as_of, thresholds);
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
