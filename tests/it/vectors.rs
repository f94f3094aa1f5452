//! Runs `apn-check score --json` on every vector of `tests/vectors`
//! (hand-written, generated and the amendment's) and compares every field
//! the vectors list: eligible_tier, compliant, review_date, window_start,
//! each tier's `met`, each requirement's status, time_bound, alternative and
//! measures, the next tier's gaps with their shortfalls, and `current_gaps`.

use std::process::Command;

use crate::common::{read_json, vectors};
use serde_json::Value;

/// Compares `actual` against `expected` at `place`, recording differences.
struct Comparison<'a> {
    vector: &'a str,
    differences: Vec<String>,
}

impl Comparison<'_> {
    fn differ(&mut self, place: &str, expected: &Value, actual: &Value) {
        self.differences.push(format!(
            "{}: {place}: expected {expected}, got {actual}",
            self.vector
        ));
    }

    fn field(&mut self, place: &str, expected: &Value, actual: &Value, key: &str) {
        let (expected, actual) = (&expected[key], &actual[key]);
        let same = match (expected.as_f64(), actual.as_f64()) {
            // Money to the cent; counts exactly.
            (Some(e), Some(a)) => (e - a).abs() < 0.005,
            _ => expected == actual,
        };
        if !same {
            self.differ(&format!("{place}.{key}"), expected, actual);
        }
    }

    /// Compares two lists element by element, matched by `key`.
    fn list(
        &mut self,
        place: &str,
        expected: &Value,
        actual: &Value,
        key: &str,
        each: impl Fn(&mut Self, &str, &Value, &Value),
    ) {
        let empty = Vec::new();
        let expected = expected.as_array().unwrap_or(&empty);
        let actual = actual.as_array().unwrap_or(&empty);
        let keys = |list: &Vec<Value>| {
            list.iter()
                .map(|item| item[key].clone())
                .collect::<Vec<_>>()
        };
        if keys(expected) != keys(actual) {
            self.differ(
                &format!("{place} ({key}s)"),
                &Value::from(keys(expected)),
                &Value::from(keys(actual)),
            );
            return;
        }
        for (e, a) in expected.iter().zip(actual) {
            let name = e[key].as_str().unwrap_or_default();
            each(self, &format!("{place}[{name}]"), e, a);
        }
    }
}

impl Comparison<'_> {
    /// Compares the `measures` of two records, matched by name, on `keys`.
    fn measures(&mut self, place: &str, expected: &Value, actual: &Value, keys: &[&str]) {
        self.list(
            &format!("{place}.measures"),
            &expected["measures"],
            &actual["measures"],
            "name",
            |c, place, e, a| {
                for key in keys {
                    c.field(place, e, a, key);
                }
            },
        );
    }
}

fn compare(vector: &str, expected: &Value, actual: &Value) -> Vec<String> {
    let mut comparison = Comparison {
        vector,
        differences: Vec::new(),
    };
    for key in [
        "partner",
        "track",
        "current_tier",
        "as_of",
        "eligible_tier",
        "compliant",
        "review_date",
        "window_start",
    ] {
        comparison.field("", expected, actual, key);
    }
    comparison.list(
        "tiers",
        &expected["tiers"],
        &actual["tiers"],
        "tier",
        |c, place, e, a| {
            c.field(place, e, a, "met");
            c.list(
                &format!("{place}.requirements"),
                &e["requirements"],
                &a["requirements"],
                "id",
                |c, place, e, a| {
                    for key in ["status", "time_bound", "alternative"] {
                        c.field(place, e, a, key);
                    }
                    c.measures(place, e, a, &["value", "required"]);
                },
            );
        },
    );
    let gaps = |c: &mut Comparison, place: &str, expected: &Value, actual: &Value| {
        c.list(place, expected, actual, "id", |c, place, e, a| {
            c.measures(place, e, a, &["value", "required", "shortfall"]);
        });
    };
    if expected["current_gaps"].is_array() != actual["current_gaps"].is_array() {
        comparison.differ(
            "current_gaps",
            &expected["current_gaps"],
            &actual["current_gaps"],
        );
    }
    gaps(
        &mut comparison,
        "current_gaps",
        &expected["current_gaps"],
        &actual["current_gaps"],
    );
    let (expected_next, actual_next) = (&expected["next_tier"], &actual["next_tier"]);
    if expected_next.is_null() || actual_next.is_null() {
        if expected_next.is_null() != actual_next.is_null() {
            comparison.differ("next_tier", expected_next, actual_next);
        }
    } else {
        comparison.field("next_tier", expected_next, actual_next, "tier");
        gaps(
            &mut comparison,
            "next_tier.gaps",
            &expected_next["gaps"],
            &actual_next["gaps"],
        );
    }
    comparison.differences
}

#[test]
fn every_vector_agrees() {
    let vectors = vectors();
    assert!(
        vectors.len() >= 71,
        "expected the 3 hand-written, 60 generated and 8 amendment vectors, found {}",
        vectors.len()
    );
    let mut differences = Vec::new();
    for (partner, expected, as_of) in &vectors {
        let output = Command::new(env!("CARGO_BIN_EXE_apn-check"))
            .args(["score", "--json", "--as-of", as_of])
            .arg(partner)
            .output()
            .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"));
        let name = partner
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let Ok(actual) = serde_json::from_slice::<Value>(&output.stdout) else {
            differences.push(format!("{name}: no JSON on stdout; stderr: {stderr}"));
            continue;
        };
        let expected = read_json(expected);
        let status = output.status.code();
        let compliant = expected["compliant"].as_bool();
        let wanted_status = compliant.map(|compliant| if compliant { 0 } else { 1 });
        if status != wanted_status {
            differences.push(format!(
                "{name}: exit status {status:?}, expected {wanted_status:?}"
            ));
        }
        differences.extend(compare(name, &expected, &actual));
    }
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
