//! A changed copy of the rule file changes the answer accordingly, with no
//! code change: other thresholds, another window length, a new
//! certification, a requirement removed from a tier. Each run goes through
//! the real binary with `--rules`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const RULES: &str = include_str!("../../rules/apn-2019.toml");

fn vector(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name)
}

/// A file under the target directory's temporary folder, unique per test.
fn scratch(name: &str, text: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rule-file-changes");
    std::fs::create_dir_all(&directory).unwrap_or_else(|error| panic!("{error}"));
    let path = directory.join(name);
    std::fs::write(&path, text).unwrap_or_else(|error| panic!("{error}"));
    path
}

/// `score --json` of `partner` as of `as_of`, with `rules` if given; the
/// exit status and the document.
fn score(partner: &Path, as_of: &str, rules: Option<&Path>) -> (Option<i32>, Value) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_apn-check"));
    command
        .args(["score", "--json", "--as-of", as_of])
        .arg(partner);
    if let Some(rules) = rules {
        command.arg("--rules").arg(rules);
    }
    let output = command.output().unwrap_or_else(|error| panic!("{error}"));
    let document = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{error}; stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), document)
}

/// A copy of the embedded rules with `from` replaced by `to` (once; `from`
/// must be there).
fn changed_rules(name: &str, from: &str, to: &str) -> PathBuf {
    assert!(RULES.contains(from), "`{from}` is not in the rule file");
    scratch(name, &RULES.replacen(from, to, 1))
}

fn requirement<'a>(card: &'a Value, tier: &str, id: &str) -> Option<&'a Value> {
    card["tiers"]
        .as_array()?
        .iter()
        .find(|t| t["tier"] == tier)?["requirements"]
        .as_array()?
        .iter()
        .find(|r| r["id"] == id)
}

#[test]
fn other_thresholds_change_the_answer() {
    let partner = vector("dedup-and-split.toml");
    let (_, before) = score(&partner, "2019-10-01", None);
    let csat = requirement(&before, "select", "csat-responses");
    assert_eq!(
        csat.map(|r| (&r["status"], &r["measures"][0]["required"])),
        Some((&"met".into(), &5.into()))
    );

    // The consulting select csat threshold is the first `responses = 5`.
    let rules = changed_rules(
        "csat6.toml",
        "select = { responses = 5 }",
        "select = { responses = 6 }",
    );
    let (_, after) = score(&partner, "2019-10-01", Some(&rules));
    let csat = requirement(&after, "select", "csat-responses");
    assert_eq!(
        csat.map(|r| (&r["status"], &r["measures"][0]["required"])),
        Some((&"not_met".into(), &6.into()))
    );
}

#[test]
fn another_window_length_changes_the_answer() {
    let partner = vector("dedup-and-split.toml");
    let (_, before) = score(&partner, "2019-10-01", None);
    assert_eq!(before["window_start"], "2018-10-01");
    let fee = requirement(&before, "select", "program-fee");
    assert_eq!(fee.map(|r| &r["status"]), Some(&"met".into()));

    // With a 6-month window the fee paid on 2019-03-05 falls out, and the
    // last anniversary (2019-03-01) is long past its 90 grace days.
    let rules = changed_rules("window6.toml", "window_months = 12", "window_months = 6");
    let (_, after) = score(&partner, "2019-10-01", Some(&rules));
    assert_eq!(after["window_start"], "2019-04-01");
    let fee = requirement(&after, "select", "program-fee");
    assert_eq!(
        fee.map(|r| (&r["status"], &r["measures"][0]["value"])),
        Some((&"not_met".into(), &0.0.into()))
    );
}

#[test]
fn a_new_certification_is_known_and_counts() {
    let partner = scratch(
        "sap-partner.toml",
        "[partner]\nname = \"SAP Shop\"\ntrack = \"technology\"\ntier = \"registered\"\nrenewal_date = 2020-01-01\n\n[[people]]\nemail = \"a@sap.example\"\n[[people.certifications]]\ncert = \"sap-on-aws-specialty\"\nearned_on = 2019-01-01\n",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .args(["score", "--json", "--as-of", "2019-10-01"])
        .arg(&partner)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        output.status.code(),
        Some(2),
        "the embedded catalog does not know it"
    );
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("certification `sap-on-aws-specialty` is not in the rule file's catalog")
    );

    let rules = changed_rules(
        "sap.toml",
        "[[certifications]]\nid = \"cloud-practitioner\"",
        "[[certifications]]\nid = \"sap-on-aws-specialty\"\nname = \"AWS Certified SAP on AWS - Specialty\"\nlevel = \"specialty\"\n\n[[certifications]]\nid = \"cloud-practitioner\"",
    );
    let (_, card) = score(&partner, "2019-10-01", Some(&rules));
    let technical = requirement(&card, "advanced", "technical-certified");
    let values: Option<Vec<&Value>> = technical.map(|r| {
        r["measures"]
            .as_array()
            .map(|m| m.iter().map(|m| &m["value"]).collect())
            .unwrap_or_default()
    });
    assert_eq!(values, Some(vec![&1.into(), &1.into()]));
}

#[test]
fn a_requirement_removed_from_a_tier_changes_the_verdict() {
    // dedup-and-split fails select only on accredited-professionals.
    let partner = vector("dedup-and-split.toml");
    let (status, before) = score(&partner, "2019-10-01", None);
    assert_eq!(
        (status, &before["compliant"], &before["eligible_tier"]),
        (Some(1), &false.into(), &"registered".into())
    );

    let rules = changed_rules(
        "no-accreditation-at-select.toml",
        "select = { individuals = 4, technical = 2, business = 2 }\n",
        "",
    );
    let (status, after) = score(&partner, "2019-10-01", Some(&rules));
    assert!(requirement(&after, "select", "accredited-professionals").is_none());
    assert!(requirement(&after, "advanced", "accredited-professionals").is_some());
    assert_eq!(
        (status, &after["compliant"], &after["eligible_tier"]),
        (Some(0), &true.into(), &"select".into())
    );
}
