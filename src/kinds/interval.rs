//! Intervals of as-of dates, the currency the kinds count in: a record
//! counts on the as-of dates of an interval; the unions and intersections
//! of a person's (customer's, designation's) intervals say when they count.

use chrono::NaiveDate;

/// The as-of dates on which a record counts: `from` up to, not including,
/// `until` (`None`: for ever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// The first date.
    pub from: NaiveDate,
    /// The first date after it (`None`: for ever).
    pub until: Option<NaiveDate>,
}

impl Interval {
    /// Whether no date is in it.
    pub fn is_empty(&self) -> bool {
        self.until.is_some_and(|until| until <= self.from)
    }
}

/// The later of two interval ends, `None` being for ever.
pub fn later_end(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    Some(a?.max(b?))
}

/// The earlier of two interval ends, `None` being for ever.
pub fn earlier_end(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The union of `intervals` as disjoint intervals in date order.
pub fn union(mut intervals: Vec<Interval>) -> Vec<Interval> {
    merge(&mut intervals);
    intervals
}

/// Replaces `intervals` by their union, disjoint and in date order, in place.
pub fn merge(intervals: &mut Vec<Interval>) {
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
pub fn intersect_into(a: &[Interval], b: &[Interval], common: &mut Vec<Interval>) {
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

impl Interval {
    /// Every as-of date.
    pub const ALWAYS: Interval = Interval {
        from: NaiveDate::MIN,
        until: None,
    };

    /// Whether `date` is in it.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|until| date < until)
    }
}

/// The dates of `a` that are not in `b` (both disjoint, in date order), into
/// `rest` (cleared first).
pub fn difference_into(a: &[Interval], b: &[Interval], rest: &mut Vec<Interval>) {
    rest.clear();
    for &interval in a {
        let mut from = Some(interval.from);
        for cut in b {
            let Some(start) = from else { break };
            if cut.until.is_some_and(|until| until <= start) {
                continue;
            }
            if interval.until.is_some_and(|until| until <= cut.from) {
                break;
            }
            let piece = Interval {
                from: start,
                until: Some(cut.from),
            };
            if !piece.is_empty() {
                rest.push(piece);
            }
            from = match (cut.until, interval.until) {
                (None, _) => None,
                (Some(after), Some(until)) if after >= until => None,
                (Some(after), _) => Some(after.max(start)),
            };
        }
        if let Some(start) = from {
            let piece = Interval {
                from: start,
                until: interval.until,
            };
            if !piece.is_empty() {
                rest.push(piece);
            }
        }
    }
}

/// Whether some interval of `intervals` (disjoint, in date order) holds `date`.
pub fn any_contains(intervals: &[Interval], date: NaiveDate) -> bool {
    let after = intervals.partition_point(|interval| interval.from <= date);
    after > 0 && intervals[after - 1].contains(date)
}
