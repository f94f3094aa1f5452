//! What the kinds that count people share: when a person's credential
//! counts, and the person's key.

use chrono::NaiveDate;

use super::When;
use super::interval::Interval;
use super::ledger::Reason;
use crate::partner::Person;

/// When a person's credential (earned on `from`, expiring on `expires_on`,
/// the exam taken under `account_email`) counts: while it is active, if
/// the person is registered and the email is linked to them.
pub(super) fn credential<'e>(
    person: &Person,
    from: NaiveDate,
    expires_on: Option<NaiveDate>,
    account_email: Option<&str>,
) -> When<'e> {
    if !person.registered {
        When::Never(Reason::PersonNotRegistered)
    } else if !person.is_linked(account_email) {
        When::Never(Reason::UnlinkedEmail(
            account_email.unwrap_or_default().to_owned(),
        ))
    } else {
        When::Active { from, expires_on }
    }
}

/// The as-of dates a credential that counts is active on.
pub(super) fn active(when: &When) -> Option<Interval> {
    match *when {
        When::Active { from, expires_on } => Some(Interval {
            from,
            until: expires_on,
        }),
        _ => None,
    }
}

/// Whether a credential earned on `from`, expiring on `expires_on`, is active
/// on `date` (what [`When::Active`] counts on).
pub(crate) fn active_on(from: NaiveDate, expires_on: Option<NaiveDate>, date: NaiveDate) -> bool {
    Interval {
        from,
        until: expires_on,
    }
    .contains(date)
}

/// A person's key: their place in the file.
pub(super) fn key(index: usize) -> u64 {
    index as u64
}
