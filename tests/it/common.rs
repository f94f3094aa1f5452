//! The test vectors of `tests/vectors` (a copy of the product's amended
//! vectors, checked against their source by `.ci/run`), shared by the
//! integration tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The vectors' folder.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// The vectors' folders: the hand-written ones, the generated ones and the
/// amendment's targeted ones.
pub fn vector_dirs() -> [PathBuf; 3] {
    [
        vectors_dir(),
        vectors_dir().join("generated"),
        vectors_dir().join("amendment-2026-11-23"),
    ]
}
/// The as-of dates of `generated/as-of.tsv`, by file name.
pub fn generated_as_of() -> BTreeMap<String, String> {
    let path = vectors_dir().join("generated/as-of.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (file, date) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("bad line in as-of.tsv: {line:?}"));
            (file.trim().to_owned(), date.trim().to_owned())
        })
        .collect()
}

/// Every vector: (partner file, expected file, as-of date).
pub fn vectors() -> Vec<(PathBuf, PathBuf, String)> {
    let mut found = Vec::new();
    let as_of = generated_as_of();
    for directory in vector_dirs() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&directory)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", directory.display()))
            .map(|entry| entry.map(|entry| entry.path()).unwrap_or_default())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let Some(stem) = name
                .strip_suffix(".toml")
                .or_else(|| name.strip_suffix(".json"))
            else {
                continue;
            };
            if name.ends_with(".expected.json") {
                continue;
            }
            let expected = directory.join(format!("{stem}.expected.json"));
            assert!(expected.exists(), "{} has no expected file", path.display());
            let expected_as_of = read_json(&expected)["as_of"].as_str().map(str::to_owned);
            let date = match as_of.get(&name) {
                Some(date) => {
                    assert_eq!(
                        Some(date),
                        expected_as_of.as_ref(),
                        "as-of.tsv and {stem}.expected.json disagree"
                    );
                    date.clone()
                }
                None => expected_as_of.unwrap_or_else(|| panic!("no as-of date for {name}")),
            };
            found.push((path, expected, date));
        }
    }
    found
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Runs the real `apn-check` in `directory`.
pub fn run(directory: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .current_dir(directory)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"))
}

/// Checks a SARIF document against the OASIS SARIF 2.1.0 JSON schema
/// (`tests/fixtures/sarif`), formats (`uri`, `uri-reference`) included;
/// panics with every violation found.
pub fn assert_valid_sarif(sarif: &Value) {
    let errors = sarif_errors(sarif);
    assert!(errors.is_empty(), "not SARIF 2.1.0: {errors:#?}\n{sarif:#}");
}

/// Every way `sarif` breaks the OASIS SARIF 2.1.0 JSON schema.
pub fn sarif_errors(sarif: &Value) -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    // The schema's two `language` patterns have a lone `]`, which ECMAScript
    // (Annex B) reads as a literal and the Rust meta-schema check refuses as
    // a regex; `\\]` is the same literal written strictly.
    let lone = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(text.matches(lone).count(), 2, "the schema changed");
    let text = text.replace(lone, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}"));
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|error| panic!("not a schema: {error}"));
    validator
        .iter_errors(sarif)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}
