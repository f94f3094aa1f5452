//! Counting requirements on many as-of dates at once, for the
//! sustained-attainment look-back and `history`.
//!
//! Every record counts over an interval of as-of dates: a credential from
//! the day it is earned until it expires, a dated record from its date until
//! the rolling window leaves it behind. A record adds its amount to a
//! counter where its interval starts and takes it back where it ends; a
//! dated record of a time-bound requirement is added once, at its date, and
//! its counter is read on each date as the sum up to the date minus the sum
//! up to the window's start (prefix sums). Where a record counts once per
//! person, customer or designation, the intervals of that person (customer,
//! designation) are merged first. One pass over the records fills a table
//! of changes by date; one pass over the dates reads every count.
//!
//! The counts agree with [`Day::count`](super::Day::count) on every date: a
//! unit test below compares the two on every day of four years for every
//! example and test vector.

use std::cell::RefCell;

use chrono::{Datelike, NaiveDate};

use super::Counted;
use crate::calendar::{first_day_outside_window, months_before};
use crate::money::Cents;
use crate::partner::{
    AccreditationKind, OpportunityLink, Origin, Partner, Person, Program, Stage, Via,
};
use crate::rules::{Kind, Level, Quantity, Requirement, RuleSet, normalize_name};

/// The as-of dates on which a record counts: `from` up to, not including,
/// `until` (`None`: for ever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    from: NaiveDate,
    until: Option<NaiveDate>,
}

impl Interval {
    fn is_empty(&self) -> bool {
        self.until.is_some_and(|until| until <= self.from)
    }
}

/// The later of two interval ends, `None` being for ever.
fn later_end(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    Some(a?.max(b?))
}

/// The earlier of two interval ends, `None` being for ever.
fn earlier_end(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The union of `intervals` as disjoint intervals in date order.
fn union(mut intervals: Vec<Interval>) -> Vec<Interval> {
    merge(&mut intervals);
    intervals
}

/// Replaces `intervals` by their union, disjoint and in date order, in place.
fn merge(intervals: &mut Vec<Interval>) {
    intervals.retain(|interval| !interval.is_empty());
    if intervals.len() < 2 {
        return;
    }
    intervals.sort_unstable_by_key(|interval| interval.from);
    let mut merged: usize = 0;
    for next in 0..intervals.len() {
        let interval = intervals[next];
        match merged.checked_sub(1).map(|last| &mut intervals[last]) {
            Some(last) if last.until.is_none_or(|until| interval.from <= until) => {
                last.until = later_end(last.until, interval.until);
            }
            _ => {
                intervals[merged] = interval;
                merged += 1;
            }
        }
    }
    intervals.truncate(merged);
}

/// The intersection of two unions (disjoint, in date order), into `common`
/// (cleared first).
fn intersect_into(a: &[Interval], b: &[Interval], common: &mut Vec<Interval>) {
    common.clear();
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let overlap = Interval {
            from: x.from.max(y.from),
            until: earlier_end(x.until, y.until),
        };
        if !overlap.is_empty() {
            common.push(overlap);
        }
        // Move past whichever ends first.
        if later_end(x.until, y.until) == y.until {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// The changes to every counter, gathered by the first point that sees
/// them: a change on day D is seen from the first point on or after D. The
/// points are the dates asked for and the start of each one's window. A
/// counter reads, on a date, the sum of the changes up to it; a windowed
/// counter subtracts the sum up to the window's start, so that a dated
/// record counts from its date until the window leaves it behind.
struct Changes {
    /// Ascending, no repeats.
    points: Vec<NaiveDate>,
    /// The day number of the first point.
    first_day: i32,
    /// For each day from the first point to the last, the index of the first
    /// point on or after it: a lookup rather than a search per change.
    point_on_or_after: Vec<usize>,
    counters: usize,
    /// `points.len()` rows of `counters` sums.
    by_point: Vec<i64>,
}

impl Changes {
    /// Whether some point sees `interval`: not empty, started by the last
    /// point and not ended by the first.
    fn sees(&self, interval: &Interval) -> bool {
        let (Some(&first), Some(&last)) = (self.points.first(), self.points.last()) else {
            return false;
        };
        !interval.is_empty()
            && interval.from <= last
            && interval.until.is_none_or(|until| until > first)
    }

    /// Adds `amount` to `counter` on every date of `interval`.
    #[inline]
    fn add(&mut self, counter: usize, interval: Interval, amount: i64) {
        self.add_each(counter, interval, &[amount]);
    }

    /// Adds `amounts[k]` to counter `first_counter + k` on every date of
    /// `interval`.
    #[inline]
    fn add_each(&mut self, first_counter: usize, interval: Interval, amounts: &[i64]) {
        if !self.sees(&interval) {
            return;
        }
        self.change(first_counter, interval.from, amounts, 1);
        if let Some(until) = interval.until {
            self.change(first_counter, until, amounts, -1);
        }
    }

    /// Adds `amounts[k]` to counter `first_counter + k` from `date` on (a
    /// windowed counter drops it again once the window leaves `date`).
    #[inline]
    fn add_from(&mut self, first_counter: usize, date: NaiveDate, amounts: &[i64]) {
        self.change(first_counter, date, amounts, 1);
    }

    #[inline]
    fn change(&mut self, first_counter: usize, date: NaiveDate, amounts: &[i64], sign: i64) {
        let offset = date.num_days_from_ce() - self.first_day;
        let first_seen = match usize::try_from(offset) {
            // On or before the first point.
            Err(_) => 0,
            Ok(offset) => match self.point_on_or_after.get(offset) {
                Some(&point) => point,
                // After the last point: never seen.
                None => return,
            },
        };
        let row = first_seen * self.counters + first_counter;
        if let Some(sums) = self.by_point.get_mut(row..row + amounts.len()) {
            for (sum, amount) in sums.iter_mut().zip(amounts) {
                // Counters add with wrapping: every value read is a sum of
                // records that the loader checked fits, so the result is
                // exact even if a partial sum on the way would not fit.
                *sum = sum.wrapping_add(amount.wrapping_mul(sign));
            }
        }
    }

    /// The points, and each one's running sums: row `p` becomes the sum of
    /// rows `0..=p`.
    fn into_running_sums(mut self) -> (Vec<NaiveDate>, Vec<i64>) {
        let counters = self.counters;
        for point in 1..self.points.len() {
            for counter in 0..counters {
                let before = self.by_point[(point - 1) * counters + counter];
                let sum = &mut self.by_point[point * counters + counter];
                *sum = sum.wrapping_add(before);
            }
        }
        (self.points, self.by_point)
    }
}

/// What to count for one requirement: its counters start at `offset`.
struct Counting<'a> {
    requirement: &'a Requirement,
    offset: usize,
}

impl Counting<'_> {
    /// Whether the requirement's counters are windowed: its records are
    /// added from their date on (`add_from`) and it is time-bound.
    fn windowed(&self) -> bool {
        self.requirement.time_bound
            && matches!(
                self.requirement.kind,
                Kind::ProgramFee
                    | Kind::LaunchedOpportunities
                    | Kind::DirectRevenue
                    | Kind::BusinessPlan
                    | Kind::CsatResponses
            )
    }
}

/// How many counters a kind needs.
fn counters_of(kind: Kind) -> usize {
    match kind {
        // Opportunities, their MRR, legacy submissions.
        Kind::AccreditedProfessionals | Kind::LaunchedOpportunities => 3,
        Kind::TechnicalCertified | Kind::ProgramValidations => 2,
        Kind::SustainedAttainment => 0,
        Kind::ProgramFee
        | Kind::FoundationalCertified
        | Kind::DirectRevenue
        | Kind::ProductListing
        | Kind::BusinessPlan
        | Kind::TechnicalBaselineReview
        | Kind::ExecutiveBusinessReview
        | Kind::PublicReferences
        | Kind::CsatResponses => 1,
    }
}

/// Counts `requirements` on each of `dates` (ascending), as
/// [`Day::count`](super::Day::count) counts them on each date: one list of
/// counts per date, in the order of `requirements`.
pub(crate) fn count_on_dates(
    partner: &Partner,
    rules: &RuleSet,
    requirements: &[&Requirement],
    dates: &[NaiveDate],
) -> Vec<Vec<Counted>> {
    let Some(&first) = dates.first() else {
        return Vec::new();
    };
    let mut offset = 0;
    let countings: Vec<Counting> = requirements
        .iter()
        .map(|&requirement| {
            let counting = Counting {
                requirement,
                offset,
            };
            offset += counters_of(requirement.kind);
            counting
        })
        .collect();
    let window_start = |date: NaiveDate| months_before(date, rules.window_months);
    let mut points: Vec<NaiveDate> = dates
        .iter()
        .flat_map(|&date| [date, window_start(date)])
        .collect();
    points.sort_unstable();
    points.dedup();
    // There are points: each date is one.
    let first_point = points.first().copied().unwrap_or(first);
    let mut point_on_or_after = Vec::new();
    for (index, pair) in points.windows(2).enumerate() {
        let days_between = (pair[1] - pair[0]).num_days();
        point_on_or_after.push(index);
        point_on_or_after.extend((1..days_between).map(|_| index + 1));
    }
    point_on_or_after.push(points.len().saturating_sub(1));
    let mut changes = Changes {
        first_day: first_point.num_days_from_ce(),
        point_on_or_after,
        counters: offset,
        by_point: vec![0; points.len() * offset],
        points,
    };
    let timeline = Timeline {
        partner,
        rules,
        window_ends: RefCell::new(vec![None; WINDOW_END_SLOTS]),
        gone_by_first: window_start(first),
    };
    for counting in &countings {
        timeline.spans(counting, &mut changes);
    }

    let (points, running) = changes.into_running_sums();
    // Every date and its window's start are points.
    let point_of = |date: NaiveDate| points.binary_search(&date).unwrap_or(0);
    let row = |point: usize| {
        running
            .get(point * offset..(point + 1) * offset)
            .unwrap_or(&[])
    };
    let mut values = vec![0_i64; offset];
    dates
        .iter()
        .map(|&date| {
            let (on, before_window) = (row(point_of(date)), row(point_of(window_start(date))));
            values.copy_from_slice(on);
            countings
                .iter()
                .map(|counting| {
                    let counters =
                        counting.offset..counting.offset + counters_of(counting.requirement.kind);
                    if counting.windowed() {
                        for counter in counters.clone() {
                            values[counter] = values[counter].wrapping_sub(before_window[counter]);
                        }
                    }
                    let legacy_credits = date <= rules.legacy_credit_until;
                    counted(counting.requirement.kind, &values[counters], legacy_credits)
                })
                .collect()
        })
        .collect()
}

/// A kind's counters as what it counted; `legacy_credits`: whether legacy
/// Revenue tool submissions still count as launched opportunities.
fn counted(kind: Kind, values: &[i64], legacy_credits: bool) -> Counted {
    // Every counter is a count of records or a sum of amounts that counted,
    // never negative; a missing one (impossible: `counters_of`) reads 0.
    let count = |index: usize| {
        values
            .get(index)
            .map_or(0, |&value| u64::try_from(value).unwrap_or(0))
    };
    let money = |index: usize| Cents(values.get(index).copied().unwrap_or(0));
    match kind {
        Kind::ProgramFee => Counted::Fee(money(0)),
        Kind::AccreditedProfessionals => Counted::Accredited {
            technical_only: count(0),
            business_only: count(1),
            both: count(2),
        },
        Kind::TechnicalCertified => Counted::Technical {
            individuals: count(0),
            professional_or_specialty: count(1),
        },
        Kind::LaunchedOpportunities => Counted::Launched {
            count: count(0) + if legacy_credits { count(2) } else { 0 },
            mrr: money(1),
        },
        Kind::ProgramValidations => Counted::Validations {
            designations: count(0),
            msp_or_devops: count(1),
        },
        Kind::DirectRevenue => Counted::Single(Quantity::Money(money(0))),
        Kind::SustainedAttainment => Counted::LookBack,
        Kind::FoundationalCertified
        | Kind::ProductListing
        | Kind::BusinessPlan
        | Kind::TechnicalBaselineReview
        | Kind::ExecutiveBusinessReview
        | Kind::PublicReferences
        | Kind::CsatResponses => Counted::Single(Quantity::Count(count(0))),
    }
}

/// Replaces `intervals` by the disjoint dates, seen by some point, on which
/// `person` holds one of `credentials` (earned on, expires on, the email
/// of the exam) that counts: a registered person, a linked email, earned
/// and not expired.
fn held_into<'p>(
    intervals: &mut Vec<Interval>,
    person: &Person,
    credentials: impl Iterator<Item = (NaiveDate, Option<NaiveDate>, Option<&'p str>)>,
    changes: &Changes,
) {
    intervals.clear();
    if person.registered {
        intervals.extend(
            credentials
                .filter(|&(_, _, account_email)| person.is_linked(account_email))
                .map(|(earned_on, expires_on, _)| Interval {
                    from: earned_on,
                    until: expires_on,
                })
                .filter(|interval| changes.sees(interval)),
        );
    }
    merge(intervals);
}

/// A record date and the first day outside its window.
type WindowEnd = (NaiveDate, Option<NaiveDate>);

/// How many record dates the window-end cache holds: over eleven years.
const WINDOW_END_SLOTS: usize = 4096;

/// The partner's records as intervals of as-of dates, kind by kind.
struct Timeline<'a> {
    partner: &'a Partner,
    rules: &'a RuleSet,
    /// The first day outside the window of recent record dates, by day
    /// number modulo its length: records share few distinct dates (a few
    /// years' worth), and month arithmetic is not free.
    window_ends: RefCell<Vec<Option<WindowEnd>>>,
    /// Records dated on or before this day are out of the window of the
    /// first date counted (the window's excluded start).
    gone_by_first: NaiveDate,
}

impl Timeline<'_> {
    /// The dates on which a record dated `date` is in scope: from its date,
    /// and, for a time-bound requirement, until the window leaves it.
    fn in_scope(&self, requirement: &Requirement, date: NaiveDate) -> Interval {
        if requirement.time_bound && date <= self.gone_by_first {
            // Out of the window of the first date, and so of every later one.
            return Interval {
                from: date,
                until: Some(date),
            };
        }
        Interval {
            from: date,
            until: if requirement.time_bound {
                self.window_end(date)
            } else {
                None
            },
        }
    }

    /// The first day outside the window of a record dated `date`.
    fn window_end(&self, date: NaiveDate) -> Option<NaiveDate> {
        let mut cache = self.window_ends.borrow_mut();
        let slot = usize::try_from(date.num_days_from_ce()).unwrap_or(0) % WINDOW_END_SLOTS;
        match cache.get(slot) {
            Some(Some((cached, end))) if *cached == date => *end,
            _ => {
                let end = first_day_outside_window(date, self.rules.window_months);
                if let Some(entry) = cache.get_mut(slot) {
                    *entry = Some((date, end));
                }
                end
            }
        }
    }

    fn spans(&self, counting: &Counting, changes: &mut Changes) {
        let requirement = counting.requirement;
        let at = counting.offset;
        let partner = self.partner;
        match requirement.kind {
            Kind::ProgramFee => {
                for fee in &partner.fee_payments {
                    changes.add_from(at, fee.paid_on, &[fee.amount_usd.0]);
                }
            }
            Kind::AccreditedProfessionals => {
                // Scratch lists, reused from person to person.
                let (mut technical, mut business, mut both) = (Vec::new(), Vec::new(), Vec::new());
                for person in &partner.people {
                    let of_kind = |kind: AccreditationKind| {
                        person
                            .accreditations
                            .iter()
                            .filter(move |accreditation| accreditation.kind == kind)
                            .map(|accreditation| {
                                (
                                    accreditation.earned_on,
                                    accreditation.expires_on,
                                    accreditation.account_email.as_deref(),
                                )
                            })
                    };
                    let technical_held = of_kind(AccreditationKind::Technical);
                    held_into(&mut technical, person, technical_held, changes);
                    let business_held = of_kind(AccreditationKind::Business);
                    held_into(&mut business, person, business_held, changes);
                    // technical only = technical - both; business only = business - both.
                    for &interval in &technical {
                        changes.add(at, interval, 1);
                    }
                    for &interval in &business {
                        changes.add(at + 1, interval, 1);
                    }
                    intersect_into(&technical, &business, &mut both);
                    for &interval in &both {
                        changes.add_each(at, interval, &[-1, -1, 1]);
                    }
                }
            }
            Kind::FoundationalCertified => {
                self.certified_people(changes, at, |level| level == Level::Foundational);
            }
            Kind::TechnicalCertified => {
                self.certified_people(changes, at, |level| level != Level::Foundational);
                self.certified_people(changes, at + 1, |level| {
                    matches!(level, Level::Professional | Level::Specialty)
                });
            }
            Kind::LaunchedOpportunities => {
                for opportunity in &partner.opportunities {
                    if let (Stage::Launched, Some(launched)) =
                        (opportunity.stage, opportunity.launched_on)
                        && opportunity.origin != Origin::Marketplace
                    {
                        changes.add_from(at, launched, &[1, opportunity.mrr_usd.0]);
                    }
                }
                // Whether they still count is decided on each date.
                for submission in &partner.legacy_account_submissions {
                    changes.add_from(at + 2, submission.submitted_on, &[1]);
                }
            }
            Kind::DirectRevenue => {
                for line in &partner.revenue {
                    if !line.domain_on_file {
                        continue;
                    }
                    let reducing: Cents = line
                        .credits
                        .iter()
                        .filter(|credit| {
                            !self
                                .rules
                                .non_reducing_credit_types
                                .contains(&normalize_name(&credit.credit_type))
                        })
                        .map(|credit| credit.amount_usd)
                        .sum();
                    let value = line.amount_usd.saturating_sub(reducing);
                    changes.add_from(at, line.billed_on, &[value.0]);
                }
            }
            Kind::ProductListing => {
                let listed = partner.products.iter().filter(|product| product.ga).count();
                let always = Interval {
                    from: NaiveDate::MIN,
                    until: None,
                };
                changes.add(at, always, i64::try_from(listed).unwrap_or(i64::MAX));
            }
            Kind::BusinessPlan => {
                let signed = partner
                    .business_plan
                    .as_ref()
                    .and_then(|plan| plan.signed_off_on);
                if let Some(signed) = signed {
                    changes.add_from(at, signed, &[1]);
                }
            }
            Kind::TechnicalBaselineReview => {
                for validation in &partner.validations {
                    if validation.program == Program::TechnicalBaselineReview {
                        let active = Interval {
                            from: validation.achieved_on,
                            until: validation.expires_on,
                        };
                        changes.add(at, active, 1);
                    }
                }
            }
            Kind::ProgramValidations => {
                let mut designations: foldhash::HashMap<(Program, String), Vec<Interval>> =
                    foldhash::HashMap::default();
                for validation in &partner.validations {
                    let name = match validation.program {
                        Program::Competency => {
                            normalize_name(validation.name.as_deref().unwrap_or_default())
                        }
                        Program::Msp | Program::WellArchitected => String::new(),
                        Program::TechnicalBaselineReview => continue,
                    };
                    designations
                        .entry((validation.program, name))
                        .or_default()
                        .push(Interval {
                            from: validation.achieved_on,
                            until: validation.expires_on,
                        });
                }
                for ((program, name), intervals) in designations {
                    let key = match program {
                        Program::Competency => self.rules.key_competencies.contains(&name),
                        Program::Msp => true,
                        Program::WellArchitected | Program::TechnicalBaselineReview => false,
                    };
                    for interval in union(intervals) {
                        changes.add_each(at, interval, &[1, i64::from(key)]);
                    }
                }
            }
            Kind::SustainedAttainment => {}
            Kind::ExecutiveBusinessReview => {
                for review in &partner.executive_business_reviews {
                    if review.approved {
                        let from_then = Interval {
                            from: review.completed_on,
                            until: None,
                        };
                        changes.add(at, from_then, 1);
                    }
                }
            }
            Kind::PublicReferences => {
                let mut customers: foldhash::HashMap<&str, Vec<Interval>> =
                    foldhash::HashMap::with_capacity_and_hasher(
                        partner.references.len(),
                        foldhash::fast::RandomState::default(),
                    );
                for reference in partner.references.iter().filter(|r| r.public) {
                    let counts_from = match (reference.via, reference.link) {
                        (Via::Ace, OpportunityLink::Launched(day)) => Some(day),
                        (Via::Ace, _) => None,
                        (Via::ReferenceTool, _) => {
                            let http = reference.url.as_deref().is_some_and(|url| {
                                url.starts_with("http://") || url.starts_with("https://")
                            });
                            (http && reference.approved).then_some(reference.submitted_on)
                        }
                        (Via::Legacy, _) => Some(reference.submitted_on),
                    };
                    if let Some(counts_from) = counts_from {
                        let in_scope = self.in_scope(requirement, reference.submitted_on);
                        let counts = Interval {
                            from: in_scope.from.max(counts_from),
                            ..in_scope
                        };
                        if changes.sees(&counts) {
                            customers
                                .entry(&reference.customer_key)
                                .or_default()
                                .push(counts);
                        }
                    }
                }
                for intervals in customers.into_values() {
                    for interval in union(intervals) {
                        changes.add(at, interval, 1);
                    }
                }
            }
            Kind::CsatResponses => {
                for response in &partner.csat_responses {
                    if response.email_confirmed && response.aws_customer {
                        changes.add_from(at, response.submitted_on, &[1]);
                    }
                }
            }
        }
    }

    /// Counts on `counter` the people holding a certification of a level
    /// that `level_counts`, once each.
    fn certified_people(
        &self,
        changes: &mut Changes,
        counter: usize,
        level_counts: impl Fn(Level) -> bool,
    ) {
        // A scratch list, reused from person to person.
        let mut held = Vec::new();
        for person in &self.partner.people {
            let certifications = person
                .certifications
                .iter()
                .filter(|certification| level_counts(certification.level))
                .map(|certification| {
                    (
                        certification.earned_on,
                        certification.expires_on,
                        certification.account_email.as_deref(),
                    )
                });
            held_into(&mut held, person, certifications, changes);
            for &interval in &held {
                changes.add(counter, interval, 1);
            }
        }
    }
}

#[cfg(test)]
mod tests;
