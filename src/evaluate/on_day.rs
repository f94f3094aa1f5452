//! Counting on one day: each entry a kind lays out either holds the as-of
//! date (it counts, once per key) or not, and the ledger hears which and
//! why. Scoring passes a ledger that records nothing; `explain` one that
//! keeps everything, so the two cannot disagree.

use chrono::NaiveDate;

use super::{Counters, Day};
use crate::calendar::Window;
use crate::kinds::interval::any_contains;
use crate::kinds::ledger::{CountedEntry, Ledger, Reason};
use crate::kinds::{Context, Entry, Shown, Sink, When};
use crate::rules::Requirement;

/// Why an entry does not hold the as-of date.
enum Why {
    /// It never counts.
    Never(Reason),
    /// The date is before its interval.
    Before,
    /// The date is after the credential expired.
    Expired(NaiveDate),
    /// The window has left its date behind.
    Window,
    /// Its own end came.
    Ended(Reason),
}

/// The sink of one day.
struct OnDay<'l, L: Ledger> {
    as_of: NaiveDate,
    window: Window,
    time_bound: bool,
    counters: Counters,
    /// The keys that counted already.
    seen: foldhash::HashSet<u64>,
    ledger: &'l mut L,
}

impl<L: Ledger> OnDay<'_, L> {
    /// Whether the entry holds the as-of date, before its key is looked at.
    fn standing(&self, when: When, end: Option<crate::kinds::End>) -> Result<(), Why> {
        let as_of = self.as_of;
        match when {
            When::Never(reason) => return Err(Why::Never(reason)),
            When::Always => {}
            When::During(intervals) => {
                if !any_contains(intervals, as_of) {
                    return Err(Why::Before);
                }
            }
            When::Dated(date) => {
                if date > as_of {
                    return Err(Why::Before);
                }
                if self.time_bound && !self.window.contains(date) {
                    return Err(Why::Window);
                }
            }
            When::Active { from, expires_on } => {
                if from > as_of {
                    return Err(Why::Before);
                }
                if let Some(expires) = expires_on.filter(|&expires| expires <= as_of) {
                    return Err(Why::Expired(expires));
                }
            }
        }
        match end {
            Some(end) if end.on.is_some_and(|on| on <= as_of) => Err(Why::Ended(end.reason)),
            _ => Ok(()),
        }
    }
}

/// The reason for `why` on `as_of`, whose window starts (excluded) on
/// `window_start`; `before` is the entry's reason when it is too early.
fn reason(why: Why, before: Reason, window_start: NaiveDate, as_of: NaiveDate) -> Reason {
    match why {
        Why::Never(reason) | Why::Ended(reason) => reason,
        Why::Before => before,
        Why::Expired(day) => Reason::Expired(day),
        Why::Window => Reason::OutsideWindow {
            start: window_start,
            end: as_of,
        },
    }
}

impl<L: Ledger> Sink for OnDay<'_, L> {
    fn entry(&mut self, entry: Entry<'_>) {
        let Entry {
            when,
            end,
            counter,
            amounts,
            record,
            note,
            once,
            counts_usd,
            shown,
        } = entry;
        // What an entry dated after the as-of date is excluded for.
        let before = match when {
            When::Active { from, .. } => Reason::NotActiveYet(from),
            _ => Reason::AfterAsOf,
        };
        if let Err(why) = self.standing(when, end) {
            if matches!(shown, Shown::Always | Shown::WhenExcluded) {
                let (window_start, as_of) = (self.window.start, self.as_of);
                self.ledger
                    .excluded(record, move || reason(why, before, window_start, as_of));
            }
            return;
        }
        let as_of = self.as_of;
        if let Some(once) = once
            && !self.seen.insert(once.key)
        {
            if matches!(
                shown,
                Shown::Always | Shown::WhenExcluded | Shown::WhenRepeated
            ) {
                self.ledger.excluded(record, || (once.reason)(as_of));
            }
            return;
        }
        let counters = self.counters.get_mut(counter..).unwrap_or_default();
        for (sum, amount) in counters.iter_mut().zip(amounts) {
            // Counters add with wrapping: every value read is a sum of
            // records that the loader checked fits.
            *sum = sum.wrapping_add(*amount);
        }
        if matches!(shown, Shown::Always | Shown::WhenCounted) {
            self.ledger.counted(|| CountedEntry {
                record: record(),
                note: note.map(|note| note(as_of)),
                counts_usd,
                counter,
            });
        }
    }
}

impl Day<'_> {
    /// Counts what a requirement's kind counts on this day, reporting every
    /// record considered to `ledger`.
    pub(crate) fn count<L: Ledger>(&self, requirement: &Requirement, ledger: &mut L) -> Counters {
        let rule = requirement.kind.rule();
        let mut sink = OnDay {
            as_of: self.as_of,
            window: self.window,
            time_bound: requirement.time_bound,
            counters: vec![0; rule.counters()],
            seen: foldhash::HashSet::default(),
            ledger,
        };
        let context = Context {
            partner: self.partner,
            program: &self.rules.program,
        };
        rule.lay_out(&context, &mut sink);
        sink.counters
    }
}
