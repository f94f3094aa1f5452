//! History: the scorecard's verdict at each date of a series, each the
//! verdict `score --as-of` that date gives, all computed in one sweep over
//! the records.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use crate::evaluate::score_on_dates;
use crate::partner::Partner;
use crate::rules::RuleSet;
use crate::tiers::Tier;

/// How far apart the dates of a series are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Every day.
    Day,
    /// Every seven days.
    Week,
    /// The same day of every month (clamped to the month's end).
    Month,
}

/// Whether one tier is met on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TierMet {
    /// The tier.
    pub tier: Tier,
    /// Whether it is met.
    pub met: bool,
}

/// The verdict on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryPoint {
    /// The as-of date.
    pub date: NaiveDate,
    /// The highest tier met.
    pub eligible_tier: Tier,
    /// Whether the current tier is met.
    pub compliant: bool,
    /// Every tier of the track, lowest first.
    pub tiers: Vec<TierMet>,
}

/// The most dates a series may have: ten years of days. Each date is a
/// whole scorecard; a longer series steps by week or month.
pub const MAX_DATES: usize = 3660;

/// The dates from `from` to `to` (both included when on a step), `every`
/// apart, as they come.
pub fn each_date(from: NaiveDate, to: NaiveDate, every: Step) -> impl Iterator<Item = NaiveDate> {
    (0_u32..)
        .map(move |index| match every {
            Step::Day => from.checked_add_days(Days::new(u64::from(index))),
            Step::Week => from.checked_add_days(Days::new(7 * u64::from(index))),
            // From `from` each time, so that Jan 31 gives Feb 29 then Mar 31.
            Step::Month => from.checked_add_months(Months::new(index)),
        })
        .map_while(move |date| date.filter(|date| *date <= to))
}

/// The dates from `from` to `to` (both included when on a step), `every` apart.
pub fn dates(from: NaiveDate, to: NaiveDate, every: Step) -> Vec<NaiveDate> {
    each_date(from, to, every).collect()
}

/// Whether the series has more than [`MAX_DATES`] dates (found without
/// listing more than that).
pub fn too_long(from: NaiveDate, to: NaiveDate, every: Step) -> bool {
    each_date(from, to, every).nth(MAX_DATES).is_some()
}

/// The verdict at each date of the series.
pub fn history(
    partner: &Partner,
    rules: &RuleSet,
    from: NaiveDate,
    to: NaiveDate,
    every: Step,
) -> Vec<HistoryPoint> {
    let dates = dates(from, to, every);
    score_on_dates(partner, rules, &dates)
        .into_iter()
        .map(|card| HistoryPoint {
            date: card.as_of,
            eligible_tier: card.eligible_tier,
            compliant: card.compliant,
            tiers: card
                .tiers
                .iter()
                .map(|tier| TierMet {
                    tier: tier.tier,
                    met: tier.met,
                })
                .collect(),
        })
        .collect()
}

/// Each requirement's margin over a series, for the history picture.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginSeries {
    /// The partner's name.
    pub partner: String,
    /// The tier whose requirements are drawn: the partner's current tier.
    pub tier: Tier,
    /// The dates.
    pub dates: Vec<NaiveDate>,
    /// The eligible tier on each date.
    pub eligible: Vec<Tier>,
    /// The review dates the series reaches.
    pub review_dates: Vec<NaiveDate>,
    /// Each requirement of the tier with a threshold: on each date, its
    /// weakest measure's value ÷ required (`None` when exempt).
    pub requirements: Vec<(String, Vec<Option<f64>>)>,
}

/// A quantity as a number, for a ratio.
fn amount(quantity: crate::kinds::Quantity) -> f64 {
    match quantity {
        crate::kinds::Quantity::Count(count) => count as f64,
        crate::kinds::Quantity::Money(cents) => cents.0 as f64,
    }
}

/// The margins of the partner's current tier's requirements at each date.
pub fn margins(
    partner: &Partner,
    rules: &RuleSet,
    from: NaiveDate,
    to: NaiveDate,
    every: Step,
) -> MarginSeries {
    let dates = dates(from, to, every);
    let cards = score_on_dates(partner, rules, &dates);
    let tier = partner.info.tier;
    let mut requirements: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for (index, card) in cards.iter().enumerate() {
        let Some(result) = card.tier(tier) else {
            continue;
        };
        for requirement in &result.requirements {
            let margin = (requirement.status != crate::scorecard::Status::Exempt)
                .then(|| {
                    requirement
                        .measures
                        .iter()
                        .filter(|measure| amount(measure.required) > 0.0)
                        .map(|measure| amount(measure.value) / amount(measure.required))
                        .reduce(f64::min)
                })
                .flatten();
            let slot = match requirements
                .iter()
                .position(|(id, _)| *id == requirement.id)
            {
                Some(slot) => slot,
                None => {
                    requirements.push((requirement.id.clone(), vec![None; cards.len()]));
                    requirements.len() - 1
                }
            };
            requirements[slot].1[index] = margin;
        }
    }
    requirements.retain(|(_, values)| values.iter().any(Option::is_some));
    let mut review_dates: Vec<NaiveDate> = cards
        .iter()
        .map(|card| card.review_date)
        .filter(|review| *review >= from && *review <= to)
        .collect();
    review_dates.sort_unstable();
    review_dates.dedup();
    MarginSeries {
        partner: partner.info.name.clone(),
        tier,
        eligible: cards.iter().map(|card| card.eligible_tier).collect(),
        dates,
        review_dates,
        requirements,
    }
}

/// What changed between two consecutive points, in words.
pub fn changes(before: &HistoryPoint, after: &HistoryPoint) -> Vec<String> {
    let mut changes = Vec::new();
    for (old, new) in before.tiers.iter().zip(&after.tiers) {
        if old.met != new.met {
            let word = if new.met { "gained" } else { "lost" };
            changes.push(format!("{} {word}", new.tier));
        }
    }
    if before.compliant != after.compliant {
        changes.push(
            if after.compliant {
                "compliant"
            } else {
                "no longer compliant"
            }
            .to_owned(),
        );
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::score;

    fn date(text: &str) -> NaiveDate {
        crate::calendar::parse_date(text).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn series_of_dates() {
        let cases = [
            (
                "2019-01-30",
                "2019-02-02",
                Step::Day,
                vec!["2019-01-30", "2019-01-31", "2019-02-01", "2019-02-02"],
            ),
            (
                "2019-01-01",
                "2019-01-20",
                Step::Week,
                vec!["2019-01-01", "2019-01-08", "2019-01-15"],
            ),
            (
                "2020-01-31",
                "2020-04-30",
                Step::Month,
                vec!["2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30"],
            ),
            ("2019-05-01", "2019-04-01", Step::Day, vec![]),
        ];
        for (from, to, every, expected) in cases {
            let expected: Vec<NaiveDate> = expected.into_iter().map(date).collect();
            assert_eq!(
                dates(date(from), date(to), every),
                expected,
                "{from}..{to} {every:?}"
            );
        }
    }

    #[test]
    fn each_point_is_the_score_of_its_date() {
        let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
        let mut text = String::from(
            "[partner]\nname = \"H\"\ntrack = \"technology\"\ntier = \"select\"\nrenewal_date = 2019-12-01\ndomains = [\"h.example\"]\n\n[[fee_payments]]\npaid_on = 2019-03-01\namount_usd = 2500\n[[people]]\nemail = \"a@h\"\n[[people.certifications]]\ncert = \"developer-associate\"\nearned_on = 2018-01-01\n[[products]]\nname = \"P\"\nga = true\n[[revenue]]\naccount_id = \"1\"\ndomain = \"h.example\"\nbilled_on = 2019-03-01\namount_usd = 20000\n[[references]]\ncustomer = \"C\"\npublic = true\nvia = \"legacy\"\nsubmitted_on = 2019-03-01\n",
        );
        for day in 10..15 {
            text += &format!(
                "[[csat_responses]]\ncustomer = \"C\"\nsubmitted_on = 2019-04-{day}\nemail_confirmed = true\naws_customer = true\n"
            );
        }
        let partner = Partner::parse(&text, crate::partner::Format::Toml, "h.toml", &rules)
            .unwrap_or_else(|error| panic!("{error}"));
        let points = history(
            &partner,
            &rules,
            date("2019-04-12"),
            date("2019-04-16"),
            Step::Day,
        );
        let compliant: Vec<bool> = points.iter().map(|point| point.compliant).collect();
        assert_eq!(compliant, [false, false, true, true, true]);
        for point in &points {
            let card = score(&partner, &rules, point.date);
            assert_eq!(
                (point.eligible_tier, point.compliant),
                (card.eligible_tier, card.compliant)
            );
        }
        assert_eq!(
            changes(&points[1], &points[2]),
            ["select gained", "compliant"]
        );
    }
}
