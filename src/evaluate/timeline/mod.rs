//! Counting requirements on many as-of dates at once, for the
//! sustained-attainment look-back and `history`.
//!
//! Every entry a kind lays out counts over intervals of as-of dates (see
//! [`crate::kinds`]): a credential from the day it is earned until it
//! expires, a dated record from its date until the rolling window leaves it
//! behind. An entry adds its amounts to its counters where an interval
//! starts and takes them back where it ends; where entries count once per
//! key (a customer, a designation), the key's intervals are merged first.
//! A dated record of a time-bound requirement with no end of its own and no
//! key (most records) is added once, at its date, to a windowed copy of the
//! counters, read on each date as the sum up to the date minus the sum up to
//! the window's start (prefix sums): one change instead of two and no month
//! arithmetic. One pass over the entries fills a table of changes by date;
//! one pass over the dates reads every count.
//!
//! The counts agree with [`Day::count`](super::Day::count) on every date: a
//! unit test below compares the two on every day of four years for every
//! example and test vector.

use chrono::{Datelike, NaiveDate};

use super::Counters;
use crate::calendar::first_day_outside_window;
use crate::kinds::interval::{Interval, earlier_end, union};
use crate::kinds::{Context, Entry, Sink, When};
use crate::partner::Partner;
use crate::rules::{Requirement, RuleSet};

/// The changes to every counter, gathered by the first point that sees
/// them: a change on day D is seen from the first point on or after D. The
/// points are the dates asked for. A counter reads, on a date, the sum of
/// the changes up to it.
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

/// A record date and the first day outside its window.
type WindowEnd = (NaiveDate, Option<NaiveDate>);

/// How many record dates the window-end cache holds: over eleven years.
const WINDOW_END_SLOTS: usize = 4096;

/// The sink of many dates: one requirement's entries, as changes to its
/// counters (from `first`) and to their windowed copies (from `windowed`).
struct Sweep<'c> {
    changes: &'c mut Changes,
    first: usize,
    windowed: usize,
    time_bound: bool,
    window_months: u32,
    /// Records dated on or before this day are out of the window of the
    /// first date counted (the window's excluded start).
    gone_by_first: NaiveDate,
    /// The first day outside the window of recent record dates, by day
    /// number modulo its length: records share few distinct dates (a few
    /// years' worth), and month arithmetic is not free.
    window_ends: &'c mut Vec<Option<WindowEnd>>,
    /// Per key of entries counted once: the counter, the amounts and the
    /// intervals, merged when every entry is in.
    keyed: foldhash::HashMap<u64, (usize, Vec<i64>, Vec<Interval>)>,
}

impl Sweep<'_> {
    /// The dates on which a record dated `date` counts: from its date, and,
    /// for a time-bound requirement, until the window leaves it.
    fn dated(&mut self, date: NaiveDate) -> Interval {
        if !self.time_bound {
            return Interval {
                from: date,
                until: None,
            };
        }
        if date <= self.gone_by_first {
            // Out of the window of the first date, and so of every later one.
            return Interval {
                from: date,
                until: Some(date),
            };
        }
        let slot = usize::try_from(date.num_days_from_ce()).unwrap_or(0) % WINDOW_END_SLOTS;
        let until = match self.window_ends.get(slot) {
            Some(Some((cached, end))) if *cached == date => *end,
            _ => {
                let end = first_day_outside_window(date, self.window_months);
                if let Some(entry) = self.window_ends.get_mut(slot) {
                    *entry = Some((date, end));
                }
                end
            }
        };
        Interval { from: date, until }
    }

    fn add(&mut self, counter: usize, amounts: &[i64], once: Option<u64>, interval: Interval) {
        if !self.changes.sees(&interval) {
            return;
        }
        match once {
            None => self
                .changes
                .add_each(self.first + counter, interval, amounts),
            Some(key) => self
                .keyed
                .entry(key)
                .or_insert_with(|| (counter, amounts.to_vec(), Vec::new()))
                .2
                .push(interval),
        }
    }

    /// Adds the merged intervals of the keys counted once.
    fn finish(self) {
        for (counter, amounts, intervals) in self.keyed.into_values() {
            for interval in union(intervals) {
                self.changes
                    .add_each(self.first + counter, interval, &amounts);
            }
        }
    }
}

impl Sink for Sweep<'_> {
    fn entry(&mut self, entry: Entry<'_>) {
        if entry.amounts.is_empty() {
            return;
        }
        let end = entry.end.as_ref().and_then(|end| end.on);
        let ends = |interval: Interval| Interval {
            until: earlier_end(interval.until, end),
            ..interval
        };
        let once = entry.once.map(|once| once.key);
        if let (When::Dated(date), true, None, None) =
            (&entry.when, self.time_bound, &entry.end, once)
        {
            // Counted from its date until the window leaves it: read as a
            // difference of prefix sums.
            self.changes
                .change(self.windowed + entry.counter, *date, entry.amounts, 1);
            return;
        }
        match entry.when {
            When::Never(_) => {}
            When::Always => self.add(entry.counter, entry.amounts, once, ends(Interval::ALWAYS)),
            When::Dated(date) => {
                let interval = self.dated(date);
                self.add(entry.counter, entry.amounts, once, ends(interval));
            }
            When::Active { from, expires_on } => {
                let interval = Interval {
                    from,
                    until: expires_on,
                };
                self.add(entry.counter, entry.amounts, once, ends(interval));
            }
            When::During(intervals) => {
                for &interval in intervals {
                    self.add(entry.counter, entry.amounts, once, ends(interval));
                }
            }
        }
    }
}

/// Counts `requirements` on each of `dates` (ascending), as
/// [`Day::count`](super::Day::count) counts them on each date: one list of
/// counters per date, in the order of `requirements`.
pub(crate) fn count_on_dates(
    partner: &Partner,
    rules: &RuleSet,
    requirements: &[&Requirement],
    dates: &[NaiveDate],
) -> Vec<Vec<Counters>> {
    let Some(&first) = dates.first() else {
        return Vec::new();
    };
    // Each requirement's counters, then their windowed copies.
    let mut offsets = Vec::with_capacity(requirements.len());
    let mut offset = 0;
    for requirement in requirements {
        offsets.push(offset);
        offset += 2 * requirement.kind.rule().counters();
    }
    let window_months = rules.program.window_months;
    let window_start = |date: NaiveDate| crate::calendar::months_before(date, window_months);
    let mut points: Vec<NaiveDate> = dates
        .iter()
        .flat_map(|&date| [date, window_start(date)])
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut point_on_or_after = Vec::new();
    for (index, pair) in points.windows(2).enumerate() {
        let days_between = (pair[1] - pair[0]).num_days();
        point_on_or_after.push(index);
        point_on_or_after.extend((1..days_between).map(|_| index + 1));
    }
    point_on_or_after.push(points.len().saturating_sub(1));
    // There are points: each date is one.
    let first_point = points.first().copied().unwrap_or(first);
    let mut changes = Changes {
        first_day: first_point.num_days_from_ce(),
        point_on_or_after,
        counters: offset,
        by_point: vec![0; points.len() * offset],
        points,
    };
    let mut window_ends = vec![None; WINDOW_END_SLOTS];
    let context = Context {
        partner,
        program: &rules.program,
    };
    for (requirement, &first_counter) in requirements.iter().zip(&offsets) {
        let mut sweep = Sweep {
            changes: &mut changes,
            first: first_counter,
            windowed: first_counter + requirement.kind.rule().counters(),
            time_bound: requirement.time_bound,
            window_months,
            gone_by_first: window_start(first),
            window_ends: &mut window_ends,
            keyed: foldhash::HashMap::default(),
        };
        requirement.kind.rule().lay_out(&context, &mut sweep);
        sweep.finish();
    }

    let (points, running) = changes.into_running_sums();
    // Every date and its window's start are points.
    let point_of = |date: NaiveDate| points.binary_search(&date).unwrap_or(0);
    let row = |point: usize| {
        running
            .get(point * offset..(point + 1) * offset)
            .unwrap_or(&[])
    };
    dates
        .iter()
        .map(|&date| {
            let (on, before_window) = (row(point_of(date)), row(point_of(window_start(date))));
            requirements
                .iter()
                .zip(&offsets)
                .map(|(requirement, &from)| {
                    let counters = requirement.kind.rule().counters();
                    (0..counters)
                        .map(|counter| {
                            let at =
                                |row: &[i64], index: usize| row.get(index).copied().unwrap_or(0);
                            let windowed = from + counters + counter;
                            // Wrapping: every value read is a sum of records
                            // the loader checked fits.
                            at(on, from + counter)
                                .wrapping_add(at(on, windowed))
                                .wrapping_sub(at(before_window, windowed))
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests;
