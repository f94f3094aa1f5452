//! Unit tests of the timeline: interval unions and intersections, and its
//! counts against counting each day on its own.

use super::*;
use crate::kinds::interval::intersect_into;

fn date(text: &str) -> NaiveDate {
    crate::calendar::parse_date(text).unwrap_or_else(|error| panic!("{error}"))
}

fn interval(from: &str, until: Option<&str>) -> Interval {
    Interval {
        from: date(from),
        until: until.map(date),
    }
}

fn intersection(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut common = vec![interval("1999-01-01", None)];
    intersect_into(a, b, &mut common);
    common
}

#[test]
fn unions_and_intersections() {
    // (intervals, their union, another union, the two's intersection)
    type Case = (Vec<Interval>, Vec<Interval>, Vec<Interval>, Vec<Interval>);
    let cases: [Case; 4] = [
        // Overlapping and touching intervals merge; an empty one goes.
        (
            vec![
                interval("2019-03-01", Some("2019-05-01")),
                interval("2019-01-01", Some("2019-03-01")),
                interval("2019-07-01", Some("2019-07-01")),
            ],
            vec![interval("2019-01-01", Some("2019-05-01"))],
            vec![interval("2019-04-01", None)],
            vec![interval("2019-04-01", Some("2019-05-01"))],
        ),
        // For ever swallows what starts later.
        (
            vec![
                interval("2019-01-01", None),
                interval("2019-02-01", Some("2019-03-01")),
            ],
            vec![interval("2019-01-01", None)],
            vec![
                interval("2018-01-01", Some("2019-01-02")),
                interval("2019-06-01", Some("2019-06-02")),
            ],
            vec![
                interval("2019-01-01", Some("2019-01-02")),
                interval("2019-06-01", Some("2019-06-02")),
            ],
        ),
        // Disjoint intervals stay apart; no overlap, no intersection.
        (
            vec![
                interval("2019-05-01", Some("2019-06-01")),
                interval("2019-01-01", Some("2019-02-01")),
            ],
            vec![
                interval("2019-01-01", Some("2019-02-01")),
                interval("2019-05-01", Some("2019-06-01")),
            ],
            vec![interval("2019-02-01", Some("2019-05-01"))],
            vec![],
        ),
        (vec![], vec![], vec![interval("2019-01-01", None)], vec![]),
    ];
    for (intervals, merged, other, common) in cases {
        let union = union(intervals.clone());
        assert_eq!(union, merged, "union of {intervals:?}");
        assert_eq!(
            intersection(&union, &other),
            common,
            "{union:?} and {other:?}"
        );
        assert_eq!(
            intersection(&other, &union),
            common,
            "{other:?} and {union:?}"
        );
    }
}

/// The timeline against [`Day::count`](super::Day::count), every day of a
/// long range, on every example and test vector.
mod agreement {
    use std::path::{Path, PathBuf};

    use chrono::NaiveDate;

    use super::count_on_dates;
    use crate::evaluate::Day;
    use crate::kinds::ledger::Tally;
    use crate::partner::Partner;
    use crate::rules::{Requirement, RuleSet};

    fn partner_files() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for directory in [
            root.join("examples"),
            root.join("tests/vectors"),
            root.join("tests/vectors/generated"),
            root.join("tests/vectors/amendment-2026-11-23"),
        ] {
            let entries = std::fs::read_dir(&directory)
                .unwrap_or_else(|error| panic!("{}: {error}", directory.display()));
            for entry in entries {
                let path = entry.map(|entry| entry.path()).unwrap_or_default();
                let name = path.to_string_lossy();
                let partner_file = name.ends_with(".toml")
                    || (name.ends_with(".json") && !name.ends_with(".expected.json"));
                if partner_file {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
    }

    /// Compares the timeline with counting each day on its own, for every
    /// example and vector, on `days` days from 2017-06-01 (every `step`th).
    fn agree_under(rules: &RuleSet, days: usize, step: usize) {
        let days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2017, 6, 1)
            .unwrap_or(NaiveDate::MIN)
            .iter_days()
            .step_by(step)
            .take(days)
            .collect();
        let files = partner_files();
        assert!(files.len() > 60, "found only {} partner files", files.len());
        for path in files {
            let partner = Partner::load(&path, rules).unwrap_or_else(|error| panic!("{error}"));
            let requirements: Vec<&Requirement> = rules.requirements.iter().collect();
            let counts = count_on_dates(&partner, rules, &requirements, &days);
            assert_eq!(counts.len(), days.len());
            for (&day, counted) in days.iter().zip(&counts) {
                let that_day = Day::new(&partner, rules, day);
                for (requirement, counted) in requirements.iter().zip(counted) {
                    assert_eq!(
                        counted,
                        &that_day.count(requirement, &mut Tally),
                        "{} on {day}: {} (window {} months)",
                        path.display(),
                        requirement.id,
                        rules.program.window_months
                    );
                }
            }
        }
    }

    #[test]
    fn counts_agree_with_counting_each_day() {
        let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
        agree_under(&rules, 365 * 4, 1);
    }

    /// The same under changed rule files: a 1-month window, a 7-month
    /// window, and no time-bound requirement at all.
    #[test]
    fn counts_agree_under_changed_rule_files() {
        let embedded = crate::rules::EMBEDDED_RULES;
        let changed = [
            embedded.replace("window_months = 12", "window_months = 1"),
            embedded.replace("window_months = 12", "window_months = 7"),
            embedded.replace("time_bound = true", "time_bound = false"),
        ];
        for text in &changed {
            assert_ne!(text, embedded, "the change applies");
            let rules = RuleSet::parse(text, "changed").unwrap_or_else(|error| panic!("{error}"));
            // Every third day of four years: the window's edges fall on
            // every day of the month over the span.
            agree_under(&rules, 365 * 4 / 3, 3);
        }
    }
}
