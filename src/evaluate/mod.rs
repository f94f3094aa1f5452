//! Evaluation: a partner's data, a rule set and an as-of date in, a
//! scorecard out. Pure: no I/O, no clock. Each requirement kind lays its
//! records out once ([`crate::kinds`]); `on_day` reads them on one date (for
//! scoring and `explain`), `timeline` on many (for the sustained-attainment
//! look-back and `history`). Thresholds come from the rule set and are
//! applied here, tier by tier.

mod on_day;
mod timeline;

use chrono::{Datelike, Days, NaiveDate};

use crate::calendar::{EARLIEST, Window, anniversary, first_anniversary_on_or_after};
use crate::kinds::ledger::Tally;
use crate::kinds::{Context, Quantity, Warning};
use crate::partner::Partner;
use crate::rules::{Requirement, RuleSet};
use crate::scorecard::{
    Gap, Measure, NextTier, RequirementResult, Scorecard, Shortfall, Status, TierResult, shortfall,
};
use crate::tiers::{Tier, Track};

/// Scores `partner` against `rules` as of `as_of`.
pub fn score(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> Scorecard {
    let day = Day::new(partner, rules, as_of);
    let requirements = applicable(partner, rules);
    let counted: Vec<Counters> = requirements
        .iter()
        .map(|requirement| day.count(requirement, &mut Tally))
        .collect();
    day.scorecard(&requirements, &counted, &|tier, limit| {
        day.sustained_days(tier, limit, &requirements, &counted)
    })
}

/// What looks wrong in the partner's data as of `as_of`: legal records that
/// are likely mistakes, or cases the guide is silent about. No count changes
/// for them; they are said beside the scorecard.
pub fn warnings(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> Vec<Warning> {
    Day::new(partner, rules, as_of).warnings(&applicable(partner, rules))
}

/// The scorecard of each of `dates`, in their order, each as [`score`]
/// would give it, computed together: the records are counted on all the dates in
/// one sweep, and the sustained-attainment look-backs share their days.
pub fn score_on_dates(partner: &Partner, rules: &RuleSet, dates: &[NaiveDate]) -> Vec<Scorecard> {
    let requirements = applicable(partner, rules);
    let mut ascending = dates.to_vec();
    ascending.sort_unstable();
    ascending.dedup();
    // The dates, and every day a date's look-back reaches: counted at once.
    let days = days_to_count(partner, rules, &requirements, &ascending);
    let counts = timeline::count_on_dates(partner, rules, &requirements, &days);
    let streaks = Streaks::new(partner, rules, &requirements, &days, &counts);
    dates
        .iter()
        .filter_map(|&date| {
            // Every date is one of the days.
            let index = days.binary_search(&date).ok()?;
            let day = Day::new(partner, rules, date);
            Some(
                day.scorecard(&requirements, &counts[index], &|tier, limit| {
                    streaks.days_ending_on(tier, date, limit)
                }),
            )
        })
        .collect()
}

/// The days `score_on_dates` counts on, ascending, each once: the dates and,
/// when a tier's sustained attainment is judged, the days it looks back on.
fn days_to_count(
    partner: &Partner,
    rules: &RuleSet,
    requirements: &[&Requirement],
    dates: &[NaiveDate],
) -> Vec<NaiveDate> {
    let judged = sustained_tiers(partner, rules, requirements);
    // The longest look-back of any tier judged, as of `date`.
    let longest = |date: NaiveDate| {
        judged
            .iter()
            .map(|&(_, thresholds)| sustained_limit(date, thresholds))
            .max()
            .unwrap_or(0)
    };
    // The dates are ascending, and each ends its own look-back: the days
    // come out ascending and each once.
    let mut days: Vec<NaiveDate> = Vec::with_capacity(dates.len());
    for &date in dates {
        let back = longest(date).saturating_sub(1);
        let first = date.checked_sub_days(Days::new(back)).unwrap_or(EARLIEST);
        let start = match days.last() {
            Some(&last) if last >= first => match last.succ_opt() {
                Some(next) => next,
                None => continue,
            },
            _ => first,
        };
        days.extend(start.iter_days().take_while(|&day| day <= date));
    }
    days
}

/// The tiers whose sustained attainment is judged (it applies, and the
/// partner is not already at the tier), with its thresholds.
fn sustained_tiers<'r>(
    partner: &Partner,
    rules: &RuleSet,
    requirements: &[&'r Requirement],
) -> Vec<(Tier, &'r [Quantity])> {
    let track = partner.info.track;
    requirements
        .iter()
        .filter(|requirement| requirement.kind.rule().looks_back())
        .flat_map(|&requirement| {
            rules.program.tiers(track).iter().filter_map(move |&tier| {
                let thresholds = requirement.thresholds(track, tier)?;
                let exempt = requirement.applicants_only && partner.info.tier >= tier;
                (!exempt && may_apply_for(partner, rules, tier)).then_some((tier, thresholds))
            })
        })
        .collect()
}

/// Whether the partner's current tier is the one just below `tier`: only
/// such a partner is looked back on for sustained attainment of `tier`
/// ("Advanced tier APN Consulting Partners" must meet the premier criteria
/// for six consecutive months, guide section 11); a partner further below
/// has no days of it.
fn may_apply_for(partner: &Partner, rules: &RuleSet, tier: Tier) -> bool {
    partner.info.tier == tier_below(partner, rules, tier)
}

/// The tier just below `tier` in the partner's track (`registered` below the first).
fn tier_below(partner: &Partner, rules: &RuleSet, tier: Tier) -> Tier {
    let tiers = rules.program.tiers(partner.info.track);
    tiers
        .iter()
        .position(|&each| each == tier)
        .and_then(|at| at.checked_sub(1))
        .map_or(Tier::Registered, |at| tiers[at])
}

/// The requirements of the partner's track, in rule-file order.
fn applicable<'r>(partner: &Partner, rules: &'r RuleSet) -> Vec<&'r Requirement> {
    let track = partner.info.track;
    rules
        .requirements
        .iter()
        .filter(|requirement| {
            rules
                .program
                .tiers(track)
                .iter()
                .any(|&tier| requirement.applies_to(track, tier))
        })
        .collect()
}

/// The requirements the look-back checks for `tier` each day: all of the
/// tier's but sustained attainment and those asked of applicants only.
fn looked_back(requirement: &Requirement, track: Track, tier: Tier) -> bool {
    !requirement.kind.rule().looks_back()
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
    /// `counts` holds the counts of `requirements` on each of `days`.
    fn new(
        partner: &Partner,
        rules: &RuleSet,
        requirements: &[&Requirement],
        days: &[NaiveDate],
        counts: &[Vec<Counters>],
    ) -> Streaks {
        let track = partner.info.track;
        let tiers = sustained_tiers(partner, rules, requirements)
            .into_iter()
            .map(|(tier, _)| {
                let met =
                    days.iter()
                        .zip(counts)
                        .map(|(&day, counted)| {
                            let judged =
                                requirements.iter().copied().zip(counted).filter(
                                    |(requirement, _)| looked_back(requirement, track, tier),
                                );
                            let failing = Day::new(partner, rules, day).failing(tier, judged);
                            (day, failing.is_empty())
                        })
                        .collect();
                (tier, met)
            })
            .collect();
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
        // The `limit` days up to `date` were all listed, one after another.
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

/// The next compliance review: the first renewal anniversary on or after
/// `as_of`, except that while `as_of` is on or before the rule set's review
/// grace's `review_on`, a partner whose anniversary in the grace's year falls
/// in its `from..=to` is reviewed on `review_on` (FAQ 4: "you will have until
/// December 13, 2019", also after the 2019 anniversary has passed).
pub fn review_date(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> NaiveDate {
    let renewal = partner.info.renewal_date;
    match rules.program.review_grace {
        Some(grace)
            if as_of <= grace.review_on
                && (grace.from..=grace.to).contains(&anniversary(renewal, grace.from.year())) =>
        {
            grace.review_on
        }
        _ => first_anniversary_on_or_after(renewal, as_of),
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
    let verdicts: Vec<(Option<&str>, bool)> = requirements
        .iter()
        .map(|requirement| {
            (
                requirement.alternative.as_deref(),
                requirement.status.counts_as_met(),
            )
        })
        .collect();
    all_met_by(&verdicts)
}

/// [`all_met`] over each requirement's alternative group and whether it
/// counts as met.
fn all_met_by(verdicts: &[(Option<&str>, bool)]) -> bool {
    verdicts
        .iter()
        .all(|&(alternative, met)| match alternative {
            None => met,
            Some(group) => verdicts
                .iter()
                .any(|&(other, met)| other == Some(group) && met),
        })
}

/// One evaluation day: the partner, the rules, the as-of date and its window.
pub(crate) struct Day<'a> {
    pub(crate) partner: &'a Partner,
    pub(crate) rules: &'a RuleSet,
    pub(crate) as_of: NaiveDate,
    pub(crate) window: Window,
}

/// What a requirement's kind counted on one day, before a tier's
/// thresholds apply: its counters.
pub(crate) type Counters = Vec<i64>;

impl<'a> Day<'a> {
    pub(crate) fn new(partner: &'a Partner, rules: &'a RuleSet, as_of: NaiveDate) -> Self {
        Day {
            partner,
            rules,
            as_of,
            window: Window::ending_on(as_of, rules.program.window_months),
        }
    }

    /// The scorecard of this day from the counts of `requirements` (those
    /// of the partner's track); `sustained_days(tier, limit)` gives the
    /// sustained attainment of a tier.
    fn scorecard(
        &self,
        requirements: &[&Requirement],
        counted: &[Counters],
        sustained_days: &dyn Fn(Tier, u64) -> u64,
    ) -> Scorecard {
        let (partner, rules) = (self.partner, self.rules);
        let track = partner.info.track;
        let current = partner.info.tier;
        let tiers: Vec<TierResult> = rules
            .program
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
        let current_gaps = match tiers.iter().find(|result| result.tier == current) {
            Some(result) if !compliant => next_tier_gaps(result).gaps,
            _ => Vec::new(),
        };
        let next_tier = rules
            .program
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
            current_gaps,
            next_tier,
            rules: rules.program.name.clone(),
        }
    }

    /// What looks wrong in the records of `requirements`' kinds, each kind
    /// asked once.
    pub(crate) fn warnings(&self, requirements: &[&Requirement]) -> Vec<Warning> {
        let context = Context {
            partner: self.partner,
            program: &self.rules.program,
        };
        let mut asked = Vec::new();
        let mut warnings = Vec::new();
        for requirement in requirements {
            if asked.contains(&requirement.kind) {
                continue;
            }
            asked.push(requirement.kind);
            warnings.extend(
                requirement
                    .kind
                    .rule()
                    .warnings(&context, self.as_of, self.window),
            );
        }
        warnings
    }

    /// The ids of the requirements of `tier` among `requirements` (none of
    /// them sustained attainment) that are not met with these counts; empty
    /// when all are (an alternative group met by one member).
    fn failing<'r>(
        &self,
        tier: Tier,
        judged: impl Iterator<Item = (&'r Requirement, &'r Counters)>,
    ) -> Vec<String> {
        // Judged without building results: this runs for every day looked back.
        let track = self.partner.info.track;
        let verdicts: Vec<(&Requirement, Option<&str>, bool)> = judged
            .filter_map(|(requirement, counted)| {
                let thresholds = requirement.thresholds(track, tier)?;
                let values = self.values(counted, requirement, tier, thresholds, false, &|_, _| 0);
                let reached = values
                    .iter()
                    .all(|&(value, required)| shortfall(value, required).is_none());
                let (status, _) = self.status(requirement, false, reached);
                Some((
                    requirement,
                    requirement.alternative(track),
                    status.counts_as_met(),
                ))
            })
            .collect();
        let by_group: Vec<(Option<&str>, bool)> = verdicts
            .iter()
            .map(|&(_, alternative, met)| (alternative, met))
            .collect();
        if all_met_by(&by_group) {
            return Vec::new();
        }
        verdicts
            .iter()
            .filter(|(_, _, met)| !met)
            .map(|(requirement, _, _)| requirement.id.clone())
            .collect()
    }

    /// Evaluates one requirement for one tier.
    fn judge(
        &self,
        requirement: &Requirement,
        tier: Tier,
        thresholds: &[Quantity],
        counted: &Counters,
        sustained_days: &dyn Fn(Tier, u64) -> u64,
    ) -> RequirementResult {
        let exempt = requirement.applicants_only && self.partner.info.tier >= tier;
        let values = self.values(
            counted,
            requirement,
            tier,
            thresholds,
            exempt,
            sustained_days,
        );
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
        let (status, grace_until) = self.status(requirement, exempt, reached);
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

    /// How a requirement stands, exempt or not and with its measures reached
    /// or not, and the end of its grace when it is in grace.
    fn status(
        &self,
        requirement: &Requirement,
        exempt: bool,
        reached: bool,
    ) -> (Status, Option<NaiveDate>) {
        if exempt {
            (Status::Exempt, None)
        } else if reached {
            (Status::Met, None)
        } else {
            let grace =
                requirement
                    .kind
                    .rule()
                    .grace_until(self.partner, &self.rules.program, self.as_of);
            match grace {
                Some(until) => (Status::Grace, Some(until)),
                None => (Status::NotMet, None),
            }
        }
    }

    /// Each measure's value and threshold, in the kind's measure order.
    fn values(
        &self,
        counted: &Counters,
        requirement: &Requirement,
        tier: Tier,
        thresholds: &[Quantity],
        exempt: bool,
        sustained_days: &dyn Fn(Tier, u64) -> u64,
    ) -> Vec<(Quantity, Quantity)> {
        let rule = requirement.kind.rule();
        if !rule.looks_back() {
            return rule.values(counted, thresholds);
        }
        let required = sustained_limit(self.as_of, thresholds);
        let days = if exempt || !may_apply_for(self.partner, self.rules, tier) {
            0
        } else {
            sustained_days(tier, required)
        };
        vec![(Quantity::Count(days), Quantity::Count(required))]
    }

    /// Consecutive days ending on the as-of date, at most `limit`, on which
    /// the tier's looked-back requirements were all met, each as of that
    /// day; `counted` holds this day's counts of `requirements`.
    fn sustained_days(
        &self,
        tier: Tier,
        limit: u64,
        requirements: &[&Requirement],
        counted: &[Counters],
    ) -> u64 {
        let track = self.partner.info.track;
        let today = requirements
            .iter()
            .copied()
            .zip(counted)
            .filter(|(requirement, _)| looked_back(requirement, track, tier));
        // Not met today: no need to look further back.
        if limit == 0 || !self.failing(tier, today).is_empty() {
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
            let judged = others.iter().copied().zip(counted);
            let failing = Day::new(self.partner, self.rules, day).failing(tier, judged);
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
        for &tier in self.rules.program.tiers(track) {
            let Some(thresholds) = requirement.thresholds(track, tier) else {
                continue;
            };
            if requirement.applicants_only && self.partner.info.tier >= tier {
                notes.push(format!("exempt: the partner is already at {tier} or above"));
                continue;
            }
            if !may_apply_for(self.partner, self.rules, tier) {
                let below = tier_below(self.partner, self.rules, tier);
                notes.push(format!("only an {below} partner can apply for {tier}"));
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
