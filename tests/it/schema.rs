//! `apn-check schema` describes the files the parser accepts: every example,
//! every vector and the gate fixtures validate against it (TOML read as the
//! same structure, dates as strings), and files with an unknown field, a
//! wrong type, a value outside a closed set or negative money do not.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn schema() -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .arg("schema")
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"))
}

/// A TOML value as the JSON it stands for (dates as `YYYY-MM-DD` strings).
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => Value::from(number),
        toml::Value::Float(number) => Value::from(number),
        toml::Value::Boolean(flag) => Value::Bool(flag),
        toml::Value::Datetime(date) => Value::String(date.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

fn read(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    if path
        .extension()
        .is_some_and(|extension| extension == "json")
    {
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    } else {
        let table: toml::Table =
            toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        toml_to_json(toml::Value::Table(table))
    }
}

fn files_in(directory: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("{}: {error}", directory.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "toml" || e == "json"))
        .filter(|path| !path.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    files
}

#[test]
fn valid_partner_files_match_the_schema() {
    let validator = jsonschema::validator_for(&schema())
        .unwrap_or_else(|error| panic!("not a schema: {error}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = files_in(&root.join("examples"));
    files.extend(files_in(&root.join("tests/cmd/data")));
    files.extend(
        crate::common::vectors()
            .into_iter()
            .map(|(path, _, _)| path),
    );
    assert!(files.len() >= 66, "found {} files", files.len());
    for path in files {
        let errors: Vec<String> = validator
            .iter_errors(&read(&path))
            .map(|error| error.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
}

#[test]
fn malformed_partner_files_do_not() {
    let validator = jsonschema::validator_for(&schema())
        .unwrap_or_else(|error| panic!("not a schema: {error}"));
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/bad");
    for name in [
        "unknown-field.toml",
        "wrong-type.json",
        "unknown-stage.toml",
        "negative-money.json",
        "date-format.toml",
    ] {
        assert!(
            !validator.is_valid(&read(&bad.join(name))),
            "{name} should not match the schema"
        );
    }
}
