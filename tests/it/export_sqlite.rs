//! `apn-check export sqlite` run as a user would, and the queries of
//! `docs/sqlite.md` run on its database, each checked against the JSON
//! outputs of the same data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use apn_check::export::schema::TABLES;
use rusqlite::Connection;
use serde_json::Value;

use crate::common::run;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn docs() -> String {
    std::fs::read_to_string(root().join("docs/sqlite.md")).unwrap_or_else(|error| panic!("{error}"))
}

/// The documented query marked `-- query: NAME`.
fn query(name: &str) -> String {
    let docs = docs();
    let marker = format!("-- query: {name}\n");
    let start = docs
        .find(&marker)
        .unwrap_or_else(|| panic!("docs/sqlite.md has no query {name}"));
    let rest = &docs[start + marker.len()..];
    rest[..rest.find("```").unwrap_or(rest.len())].to_owned()
}

/// The inputs: the examples, a compliant and a lapsed partner, and a file
/// that cannot be scored.
const INPUTS: [&str; 4] = [
    "examples",
    "tests/cmd/gate/compliant.toml",
    "tests/cmd/gate/lapsed.toml",
    "tests/cmd/gate/broken.json",
];

fn export(directory: &Path) -> PathBuf {
    let out = directory.join("portfolio.db");
    let out_text = out.display().to_string();
    let mut args = vec!["export", "sqlite", &out_text, "--as-of", "2019-11-01"];
    args.extend(INPUTS);
    let output = run(&root(), &args);
    // One input cannot be scored: exit 2, and it is recorded.
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 input that could not be scored"));
    out
}

fn json(args: &[&str]) -> Value {
    let output = run(&root(), args);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{args:?}: {error}"))
}

fn rows(connection: &Connection, sql: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut statement = connection
        .prepare(sql)
        .unwrap_or_else(|error| panic!("{error}\n{sql}"));
    let columns = statement.column_count();
    let found = statement
        .query_map([], |row| {
            (0..columns)
                .map(|index| row.get::<_, rusqlite::types::Value>(index))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap_or_else(|error| panic!("{error}"))
        .collect::<Result<Vec<_>, _>>();
    found.unwrap_or_else(|error| panic!("{error}"))
}

fn text(value: &rusqlite::types::Value) -> String {
    match value {
        rusqlite::types::Value::Text(text) => text.clone(),
        other => panic!("not text: {other:?}"),
    }
}

fn int(value: &rusqlite::types::Value) -> i64 {
    match value {
        rusqlite::types::Value::Integer(number) => *number,
        other => panic!("not an integer: {other:?}"),
    }
}

#[test]
fn the_documented_queries_agree_with_the_json_outputs() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let database = export(directory.path());
    let connection = Connection::open(&database).unwrap_or_else(|error| panic!("{error}"));

    // SQLite finds the file sound: every page, row, index entry and NOT
    // NULL column.
    let integrity = rows(&connection, "PRAGMA integrity_check");
    assert_eq!(text(&integrity[0][0]), "ok", "{integrity:?}");

    // Every documented query runs.
    for name in [
        "requirements-per-prefix",
        "shared-requirements",
        "failing-csat",
        "launched-in-window",
        "next-tier-gaps",
    ] {
        rows(&connection, &query(name));
    }

    // Requirements per prefix = `competencies list --json`'s prefixes.
    let mut from_sql: BTreeMap<(String, String), i64> = BTreeMap::new();
    for row in rows(&connection, &query("requirements-per-prefix")) {
        from_sql.insert((text(&row[0]), text(&row[1])), int(&row[2]));
    }
    let list = json(&["competencies", "list", "--json"]);
    let mut from_json = BTreeMap::new();
    let designations = list.as_array().cloned().unwrap_or_default();
    for designation in &designations {
        let id = designation["id"].as_str().unwrap_or_default().to_owned();
        for (prefix, count) in designation["prefixes"]
            .as_object()
            .cloned()
            .unwrap_or_default()
        {
            from_json.insert((id.clone(), prefix), count.as_i64().unwrap_or(-1));
        }
    }
    assert!(from_json.len() > 20);
    assert_eq!(from_sql, from_json);

    // Shared requirements = `competencies overlap --json`'s pairs.
    let ids: Vec<&str> = designations
        .iter()
        .filter_map(|designation| designation["id"].as_str())
        .collect();
    let mut args = vec!["competencies", "overlap", "--json"];
    args.extend(ids.iter().copied());
    let overlap = json(&args);
    let mut from_json = BTreeMap::new();
    for pair in overlap["pairs"].as_array().cloned().unwrap_or_default() {
        let (a, b) = (
            pair["a"].as_str().unwrap_or_default().to_owned(),
            pair["b"].as_str().unwrap_or_default().to_owned(),
        );
        let shared = pair["shared"].as_i64().unwrap_or(-1);
        if shared > 0 {
            from_json.insert(if a < b { (a, b) } else { (b, a) }, shared);
        }
    }
    let from_sql: BTreeMap<(String, String), i64> =
        rows(&connection, &query("shared-requirements"))
            .iter()
            .map(|row| ((text(&row[0]), text(&row[1])), int(&row[2])))
            .collect();
    assert!(!from_json.is_empty());
    assert_eq!(from_sql, from_json);

    // Partners failing csat-responses = the score's JSON scorecards.
    let mut args = vec!["score", "--format", "ndjson", "--as-of", "2019-11-01"];
    args.extend(INPUTS);
    let output = run(&root(), &args);
    let mut failing = BTreeSet::new();
    let mut scored = 0;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let scorecard: Value = serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}"));
        let Some(tiers) = scorecard["tiers"].as_array() else {
            continue;
        };
        scored += 1;
        let current = scorecard["current_tier"].clone();
        for tier in tiers.iter().filter(|tier| tier["tier"] == current) {
            for requirement in tier["requirements"].as_array().cloned().unwrap_or_default() {
                if requirement["id"] == "csat-responses" && requirement["status"] == "not_met" {
                    failing.insert(scorecard["file"].as_str().unwrap_or_default().to_owned());
                }
            }
        }
    }
    let from_sql: BTreeSet<String> = rows(&connection, &query("failing-csat"))
        .iter()
        .map(|row| text(&row[0]))
        .collect();
    assert!(
        !failing.is_empty(),
        "the inputs have a partner failing csat-responses"
    );
    assert_eq!(from_sql, failing);
    let partners = rows(&connection, "SELECT COUNT(*) FROM partners");
    assert_eq!(int(&partners[0][0]), scored);
    let errors = rows(&connection, "SELECT file FROM input_errors");
    assert_eq!(errors.len(), 1);
    assert!(text(&errors[0][0]).ends_with("broken.json"));
    let version = rows(
        &connection,
        "SELECT value FROM meta WHERE key = 'schema_version'",
    );
    assert_eq!(
        text(&version[0][0]),
        apn_check::export::schema::SCHEMA_VERSION.to_string()
    );
}

#[test]
fn the_schema_is_documented_as_created() {
    let docs = docs();
    for table in TABLES {
        assert!(
            docs.contains(&table.create()),
            "docs/sqlite.md lacks the schema of `{}`",
            table.name
        );
        assert!(
            docs.contains(&format!("`{}`", table.name)),
            "docs/sqlite.md does not describe `{}`",
            table.name
        );
    }
}

#[test]
fn an_existing_database_is_replaced_only_with_force() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let out = directory.path().join("a.db");
    std::fs::write(&out, "not a database").unwrap_or_else(|error| panic!("{error}"));
    let out_text = out.display().to_string();
    let refused = run(&root(), &["export", "sqlite", &out_text]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read(&out).unwrap_or_default(), b"not a database");
    let forced = run(&root(), &["export", "sqlite", &out_text, "--force"]);
    assert_eq!(
        forced.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    let connection = Connection::open(&out).unwrap_or_else(|error| panic!("{error}"));
    let designations = rows(&connection, "SELECT COUNT(*) FROM designations");
    assert!(int(&designations[0][0]) >= 10);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(directory.path())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(names, ["a.db"]);
}
