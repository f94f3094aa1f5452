//! The forecast: the partner on its review date as the data stands today
//! (records dated after the as-of date left out; windows move, credentials
//! and validations expire, the fee's grace runs out), what is at risk, which
//! records age out or expire and when, and what expires soon.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::evaluate::score;
use crate::explain::{Reason, Record, explain};
use crate::partner::Partner;
use crate::rules::RuleSet;
use crate::scorecard::{Scorecard, Status};

/// How far ahead the expiry list looks, in days from the as-of date.
pub const EXPIRY_HORIZON_DAYS: u64 = 90;

/// A record that counts today and will not on the review date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgingOut {
    /// The requirement it counts for.
    pub requirement: String,
    /// The record.
    #[serde(flatten)]
    pub record: Record,
    /// Why it will not count then.
    pub reason: Reason,
    /// The first day it no longer counts, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaves_on: Option<NaiveDate>,
}

/// A credential or validation that expires soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiring {
    /// The record.
    #[serde(flatten)]
    pub record: Record,
    /// The day it expires.
    pub expires_on: NaiveDate,
}

/// Today's scorecard with the forecast for the review date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    /// The scorecard as of today.
    #[serde(flatten)]
    pub today: Scorecard,
    /// The scorecard on the review date, from today's data.
    pub forecast: Scorecard,
    /// The current tier's requirements met (or in grace) today and not met then.
    pub at_risk: Vec<String>,
    /// For the requirements at risk: the records that count today and not then.
    pub aging_out: Vec<AgingOut>,
    /// Certifications, accreditations and validations expiring within
    /// [`EXPIRY_HORIZON_DAYS`] days of the as-of date.
    pub expiring: Vec<Expiring>,
}

/// Forecasts the partner's standing on its review date.
pub fn forecast(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> Forecast {
    let today = score(partner, rules, as_of);
    let known = partner.known_on(as_of);
    let review_date = today.review_date;
    let then = score(&known, rules, review_date);
    let at_risk: Vec<String> = today
        .tier(today.current_tier)
        .map(|tier| {
            tier.requirements
                .iter()
                .filter(|now| now.status.counts_as_met())
                .filter(|now| {
                    then.tier(today.current_tier)
                        .and_then(|tier| tier.requirements.iter().find(|r| r.id == now.id))
                        .is_some_and(|later| later.status == Status::NotMet)
                })
                .map(|requirement| requirement.id.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut aging_out = Vec::new();
    for id in &at_risk {
        let now = explain(&known, rules, as_of, Some(id));
        let later = explain(&known, rules, review_date, Some(id));
        let (Some(now), Some(later)) = (now, later) else {
            continue;
        };
        let (Some(now), Some(later)) = (now.requirements.first(), later.requirements.first())
        else {
            continue;
        };
        for entry in &now.counted {
            if later
                .counted
                .iter()
                .any(|counted| counted.record == entry.record)
            {
                continue;
            }
            // A person counted today: their credentials that stop counting.
            let person = match &entry.record {
                Record::Person { email } => Some(email.as_str()),
                _ => None,
            };
            for excluded in
                later
                    .excluded
                    .iter()
                    .filter(|excluded| match (&excluded.record, person) {
                        (
                            Record::Certification { email, .. }
                            | Record::Accreditation { email, .. },
                            Some(person),
                        ) => email == person,
                        (record, None) => *record == entry.record,
                        _ => false,
                    })
            {
                aging_out.push(AgingOut {
                    requirement: id.clone(),
                    record: excluded.record.clone(),
                    reason: excluded.reason.clone(),
                    leaves_on: leaves_on(
                        &excluded.record,
                        &excluded.reason,
                        rules.program.window_months,
                    ),
                });
            }
        }
    }
    Forecast {
        expiring: expiring(partner, rules, as_of),
        today,
        forecast: then,
        at_risk,
        aging_out,
    }
}

/// The first day a record stops counting, from why it does not count then.
fn leaves_on(record: &Record, reason: &Reason, window_months: u32) -> Option<NaiveDate> {
    match reason {
        Reason::Expired(day) => Some(*day),
        Reason::OutsideWindow { .. } => {
            crate::calendar::first_day_outside_window(record.date()?, window_months)
        }
        Reason::LegacyCreditEnded(day) => day.checked_add_days(Days::new(1)),
        _ => None,
    }
}

/// Credentials and validations active today that expire within the horizon.
fn expiring(partner: &Partner, rules: &RuleSet, as_of: NaiveDate) -> Vec<Expiring> {
    let horizon = as_of
        .checked_add_days(Days::new(EXPIRY_HORIZON_DAYS))
        .unwrap_or(as_of);
    let soon = |earned: NaiveDate, expires: Option<NaiveDate>| {
        expires.filter(|expires| earned <= as_of && *expires > as_of && *expires <= horizon)
    };
    let mut found = Vec::new();
    for person in &partner.people {
        for certification in &person.certifications {
            if let Some(expires_on) = soon(certification.earned_on, certification.expires_on) {
                found.push(Expiring {
                    record: Record::of_certification(&rules.program, person, certification),
                    expires_on,
                });
            }
        }
        for accreditation in &person.accreditations {
            if let Some(expires_on) = soon(accreditation.earned_on, accreditation.expires_on) {
                found.push(Expiring {
                    record: Record::of_accreditation(person, accreditation),
                    expires_on,
                });
            }
        }
    }
    for validation in &partner.validations {
        if let Some(expires_on) = soon(validation.achieved_on, validation.expires_on) {
            found.push(Expiring {
                record: Record::of_validation(validation),
                expires_on,
            });
        }
    }
    found.sort_by_key(|entry| entry.expires_on);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner::Format;

    fn date(text: &str) -> NaiveDate {
        crate::calendar::parse_date(text).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn first_day_outside_the_window() {
        let cases = [
            ("2019-01-31", "2020-01-31"),
            ("2019-02-28", "2020-02-28"),
            ("2020-02-29", "2021-03-01"),
            ("2019-03-31", "2020-03-31"),
        ];
        for (record, leaves) in cases {
            let leaves = date(leaves);
            assert_eq!(
                crate::calendar::first_day_outside_window(date(record), 12),
                Some(leaves),
                "{record}"
            );
            let window = crate::calendar::Window::ending_on(leaves, 12);
            assert!(
                !window.contains(date(record)),
                "{record} is still in the window of {leaves}"
            );
            let day_before = leaves.pred_opt().unwrap_or(leaves);
            assert!(crate::calendar::Window::ending_on(day_before, 12).contains(date(record)));
        }
    }

    /// Five CSAT responses today; the oldest ages out on 2019-11-20, before
    /// the review date (2019-12-13). A sixth response dated after the as-of
    /// date is not known today and must not rescue the forecast.
    #[test]
    fn a_record_that_ages_out_before_the_review_date_puts_the_requirement_at_risk() {
        let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
        let mut text = String::from(
            "[partner]\nname = \"F\"\ntrack = \"technology\"\ntier = \"select\"\nrenewal_date = 2018-12-01\ndomains = [\"f.example\"]\n\n[[fee_payments]]\npaid_on = 2019-06-01\namount_usd = 2500\n[[people]]\nemail = \"a@f\"\n[[people.certifications]]\ncert = \"developer-associate\"\nearned_on = 2018-01-01\nexpires_on = 2020-01-15\n[[products]]\nname = \"P\"\nga = true\n[[revenue]]\naccount_id = \"1\"\ndomain = \"f.example\"\nbilled_on = 2019-09-01\namount_usd = 20000\n[[references]]\ncustomer = \"C\"\npublic = true\nvia = \"legacy\"\nsubmitted_on = 2019-09-01\n",
        );
        for on in [
            "2018-11-20",
            "2019-03-01",
            "2019-04-01",
            "2019-05-01",
            "2019-06-01",
            "2019-11-02",
        ] {
            text += &format!(
                "[[csat_responses]]\ncustomer = \"C\"\nsubmitted_on = {on}\nemail_confirmed = true\naws_customer = true\n"
            );
        }
        let partner = Partner::parse(&text, Format::Toml, "f.toml", &rules)
            .unwrap_or_else(|error| panic!("{error}"));
        let result = forecast(&partner, &rules, date("2019-11-01"));
        assert!(result.today.compliant);
        assert_eq!(result.forecast.as_of, date("2019-12-13"));
        assert!(!result.forecast.compliant);
        assert_eq!(result.at_risk, ["csat-responses"]);
        let aging: Vec<(&str, Option<NaiveDate>)> = result
            .aging_out
            .iter()
            .map(|entry| (entry.requirement.as_str(), entry.leaves_on))
            .collect();
        assert_eq!(aging, [("csat-responses", Some(date("2019-11-20")))]);
        let expiring: Vec<NaiveDate> = result
            .expiring
            .iter()
            .map(|entry| entry.expires_on)
            .collect();
        assert_eq!(expiring, [date("2020-01-15")]);
    }
}
