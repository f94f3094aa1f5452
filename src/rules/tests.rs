//! Unit tests of the rule set: loading, refusals with their line, lookups.

use super::*;
use crate::program::{Level, is_normalized};

#[test]
fn names_normalise_as_the_whole_text_lowercased() {
    let cases = [
        ("DevOps", "devops"),
        ("  Data   and\tAnalytics ", "data and analytics"),
        ("", ""),
        ("   ", ""),
        ("ΟΔΥΣΣΕΥΣ Σ ΑΣ", "οδυσσευς σ ας"),
        ("Ünïcode  ÉTÉ", "ünïcode été"),
        ("security-specialty", "security-specialty"),
        ("big data", "big data"),
        ("big\u{a0}data", "big data"),
        ("café", "café"),
    ];
    for (text, expected) in cases {
        let whole = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        assert_eq!(normalize_name(text), expected, "{text:?}");
        assert_eq!(normalize_name(text), whole, "{text:?}");
        // The shortcut is taken only where normalising changes nothing.
        assert!(
            !is_normalized(text) || normalize_name(text) == text,
            "{text:?}"
        );
    }
    let shortcut: Vec<bool> = [
        "security-specialty",
        "big data",
        "Big data",
        "big  data",
        " big",
        "café",
        "",
    ]
    .iter()
    .map(|text| is_normalized(text))
    .collect();
    assert_eq!(shortcut, [true, true, false, false, false, false, true]);
}

fn embedded() -> RuleSet {
    RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn embedded_rules_load() {
    let rules = embedded();
    assert_eq!(rules.program.certifications.len(), 13);
    for specialty in ["database-specialty", "data-analytics-specialty"] {
        let found = rules.program.find_certification(specialty);
        assert_eq!(
            found.map(|index| rules.program.certifications[index].level),
            Some(Level::Specialty),
            "{specialty}"
        );
    }
    assert_eq!(
        rules.program.tiers(Track::Consulting),
        [Tier::Select, Tier::Advanced, Tier::Premier]
    );
    assert_eq!(
        rules.program.tiers(Track::Technology),
        [Tier::Select, Tier::Advanced]
    );
    assert_eq!(rules.requirements.len(), 14);
    let csat = rules.requirements.iter().find(|r| r.id == "csat-responses");
    assert_eq!(
        csat.and_then(|r| r.thresholds(Track::Consulting, Tier::Premier)),
        Some(&[Quantity::Count(30)][..])
    );
}

#[test]
fn certifications_found_by_id_or_name() {
    let rules = embedded();
    let cases = [
        ("security-specialty", Some("security-specialty")),
        ("SECURITY-SPECIALTY", Some("security-specialty")),
        (
            "AWS Certified  Security - Specialty",
            Some("security-specialty"),
        ),
        ("Cloud Practitioner", Some("cloud-practitioner")),
        (
            "solutions architect - associate",
            Some("solutions-architect-associate"),
        ),
        ("Security - Specialty", Some("security-specialty")),
        ("security", None),
    ];
    for (text, expected) in cases {
        let found = rules
            .program
            .find_certification(text)
            .map(|index| rules.program.certifications[index].id.as_str());
        assert_eq!(found, expected, "{text}");
    }
    assert_eq!(
        rules
            .program
            .closest_certifications("solutions-architect-pro")
            .first(),
        Some(&"solutions-architect-professional")
    );
}

/// Each broken rule file is refused with the place and the reason.
#[test]
fn bad_rule_files_are_refused_with_their_place() {
    let cases: [(&str, &str, &str); 7] = [
        (
            "kind = \"program-fee\"",
            "kind = \"program-fees\"",
            "unknown value `program-fees`",
        ),
        (
            "[requirements.thresholds.technology]\nselect = { paid_usd = 2500 }",
            "[requirements.thresholds.technology]\nselect = { paid_usd = 2500 }\npremier = { paid_usd = 2500 }",
            "track `technology` has no tier `premier`",
        ),
        (
            "[requirements.thresholds.technology]\nselect = { paid_usd = 2500 }",
            "[requirements.thresholds.marketing]\nselect = { paid_usd = 2500 }",
            "unknown value `marketing`",
        ),
        (
            "select = { responses = 5 }",
            "select = { responses = 5, score = 4 }",
            "kind `csat-responses` has no measure `score`",
        ),
        (
            "select = { individuals = 4, technical = 2, business = 2 }",
            "select = { individuals = 4, technical = 2 }",
            "missing threshold `business`",
        ),
        (
            "select = { count = 3, mrr_usd = 1500 }",
            "select = { count = 3.5, mrr_usd = 1500 }",
            "`3.5` is not a whole number",
        ),
        (
            "id = \"product-listing\"\nkind = \"product-listing\"\ntitle = \"Product listed as GA on AWS\"\nhelp = \"At least one product listed as Generally Available on AWS.\"\ntime_bound = false",
            "id = \"product-listing\"\nkind = \"product-listing\"\ntitle = \"Product listed as GA on AWS\"\nhelp = \"At least one product listed as Generally Available on AWS.\"\ntime_bound = true",
            "cannot be time-bound",
        ),
    ];
    for (from, to, expected) in cases {
        assert!(
            EMBEDDED_RULES.contains(from),
            "fixture `{from}` not in the rule file"
        );
        let text = EMBEDDED_RULES.replacen(from, to, 1);
        let error = RuleSet::parse(&text, "changed.toml")
            .err()
            .map(|e| e.to_string());
        let message = error.unwrap_or_else(|| panic!("`{to}` was accepted"));
        assert!(message.contains(expected), "{message}");
        assert!(
            message.starts_with("rule file `changed.toml` line "),
            "{message}"
        );
    }
}

#[test]
fn error_names_the_line_of_the_bad_threshold() {
    let text = EMBEDDED_RULES.replacen(
        "select = { responses = 5 }",
        "select = { responses = 5, score = 4 }",
        1,
    );
    let line = text
        .lines()
        .position(|line| line.contains("score = 4"))
        .map(|index| index + 1);
    let message = RuleSet::parse(&text, "r.toml").err().map(|e| e.to_string());
    let expected = line.map(|line| format!("line {line},"));
    assert!(
        message
            .as_deref()
            .zip(expected.as_deref())
            .is_some_and(|(m, e)| m.contains(e)),
        "{message:?} should name {expected:?}"
    );
}
