//! The CI formats checked as data, not only as snapshots: the JUnit output
//! parses back as XML with the expected suites, cases, failures and errors;
//! the SARIF output (of `score` and `validate`) matches the OASIS SARIF 2.1.0
//! schema; `validate` refuses every
//! bad input of the test suite.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

fn cmd_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .current_dir(cmd_dir())
        .args(args)
        .env_remove("COLUMNS")
        .output()
        .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"))
}

/// The fixed set: one compliant partner, one not, one broken file.
fn gate(format: &str) -> String {
    let output = run(&["score", "gate", "--as-of", "2019-11-01", "--format", format]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a broken input makes the run exit 2"
    );
    String::from_utf8(output.stdout).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn junit_parses_back_as_xml() {
    let xml = gate("junit");
    let mut reader = Reader::from_str(&xml);
    let mut suites = Vec::new();
    let (mut cases, mut failures, mut errors) = (0, 0, 0);
    let mut first = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) | Ok(Event::Empty(element)) => {
                let name = element.name().into_inner().to_owned();
                first.get_or_insert_with(|| name.clone());
                match name.as_str() {
                    "testsuite" => {
                        let attribute = |key: &str| {
                            element.try_get_attribute(key).ok().flatten().and_then(|a| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .ok()
                                    .map(|v| v.into_owned())
                            })
                        };
                        suites.push((attribute("name"), attribute("file"), attribute("failures")));
                    }
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    "error" => errors += 1,
                    _ => {}
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("JUnit output is not XML: {error}\n{xml}"),
        }
    }
    assert_eq!(
        first.as_deref(),
        Some("testsuites"),
        "testsuites is the root"
    );
    let files: Vec<Option<String>> = suites.iter().map(|suite| suite.1.clone()).collect();
    assert_eq!(
        files,
        [
            Some("gate/broken.json".to_owned()),
            Some("gate/compliant.toml".to_owned()),
            Some("gate/lapsed.toml".to_owned())
        ]
    );
    assert_eq!(
        suites[2].2.as_deref(),
        Some("1"),
        "the lapsed partner fails one requirement"
    );
    assert_eq!((failures, errors), (1, 1));
    assert!(
        cases >= 15,
        "a case per requirement of each gated tier, got {cases}"
    );
}

#[test]
fn sarif_has_the_2_1_0_structure() {
    let sarif: Value =
        serde_json::from_str(&gate("sarif")).unwrap_or_else(|error| panic!("{error}"));
    crate::common::assert_valid_sarif(&sarif);
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("a b");
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert_eq!(
        crate::common::sarif_errors(&broken).len(),
        2,
        "the schema check sees a bad URI and a bad level"
    );
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        sarif["$schema"]
            .as_str()
            .is_some_and(|schema| schema.contains("sarif-2.1.0"))
    );
    let runs = sarif["runs"]
        .as_array()
        .unwrap_or_else(|| panic!("runs is a list"));
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "apn-check");
    let rules = driver["rules"]
        .as_array()
        .unwrap_or_else(|| panic!("rules is a list"));
    let ids: Vec<&str> = rules
        .iter()
        .filter_map(|rule| rule["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"csat-responses")
            && ids.contains(&"program-fee")
            && ids.contains(&"input-error")
    );
    for rule in rules {
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|text| !text.is_empty()),
            "{rule}"
        );
        assert!(rule["help"]["text"].as_str().is_some(), "{rule}");
    }
    let results = runs[0]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results is a list"));
    let rule_ids: Vec<&str> = results
        .iter()
        .filter_map(|result| result["ruleId"].as_str())
        .collect();
    assert_eq!(rule_ids, ["input-error", "program-fee"]);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(
            rules.get(index).map(|rule| &rule["id"]),
            Some(&result["ruleId"]),
            "ruleIndex points at its rule"
        );
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|text| !text.is_empty())
        );
        let location = &result["locations"][0]["physicalLocation"];
        assert!(
            location["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|uri| uri.starts_with("gate/"))
        );
        assert!(
            location["region"]["startLine"]
                .as_u64()
                .is_some_and(|line| line >= 1)
        );
    }
    // The duplicate opportunity is on line 5 of gate/broken.json; the fee's
    // table on line 10 of gate/lapsed.toml.
    let lines: Vec<u64> = results
        .iter()
        .filter_map(|result| {
            result["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64()
        })
        .collect();
    assert_eq!(lines, [5, 10]);
}

#[test]
fn validate_refuses_every_bad_input() {
    let mut bad: Vec<PathBuf> = std::fs::read_dir(cmd_dir().join("bad"))
        .unwrap_or_else(|error| panic!("{error}"))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            !path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("rules-"))
        })
        .collect();
    bad.sort();
    assert!(bad.len() >= 15, "found only {} bad inputs", bad.len());
    for path in bad {
        let relative = format!(
            "bad/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        let output = run(&["validate", "-q", &relative]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{relative}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "{relative}: nothing on stdout with -q"
        );
        assert!(
            stderr.starts_with(&format!("error: `{relative}`")),
            "{relative}: {stderr}"
        );
    }
    let good = run(&["validate", "-q", "gate/compliant.toml", "gate/lapsed.toml"]);
    assert_eq!(good.status.code(), Some(0));
}

/// `validate --format sarif` over every bad input of the suite is one valid
/// SARIF 2.1.0 log with a result per file.
#[test]
fn validate_sarif_matches_the_schema() {
    let mut args = vec![
        "validate".to_owned(),
        "--format".to_owned(),
        "sarif".to_owned(),
    ];
    let mut files: Vec<String> = std::fs::read_dir(cmd_dir().join("bad"))
        .unwrap_or_else(|error| panic!("{error}"))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".toml") || name.ends_with(".json"))
        .map(|name| format!("bad/{name}"))
        .collect();
    files.sort();
    args.extend(files.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run(&args);
    assert_eq!(output.status.code(), Some(2));
    let sarif: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"));
    crate::common::assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert_eq!(results, files.len());
}

/// Whether `c` may appear in an XML 1.0 document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

/// A partner named with every C0 control, U+FFFE, U+FFFF and markup that
/// would close or comment out the document still gives well-formed JUnit:
/// only XML characters, and a reader gets to the end.
#[test]
fn junit_is_well_formed_whatever_the_names() {
    let controls: String = (0_u32..0x20)
        .filter_map(char::from_u32)
        .map(|c| format!("\\u{:04X}", u32::from(c)))
        .collect();
    let name = format!("{controls}\\uFFFE\\uFFFF ]]> <!-- & \\\" </testsuite> \\r end");
    let base = std::fs::read_to_string(cmd_dir().join("gate/lapsed.toml"))
        .unwrap_or_else(|error| panic!("{error}"));
    let text = base.replacen(
        "name = \"Lapsed Software\"",
        &format!("name = \"{name}\""),
        1,
    );
    assert_ne!(text, base, "the name was replaced");
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("junit-names");
    std::fs::create_dir_all(&directory).unwrap_or_else(|error| panic!("{error}"));
    let file = directory.join("odd <name> & \u{1}.toml");
    std::fs::write(&file, text).unwrap_or_else(|error| panic!("{error}"));
    let output = Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .args(["score", "--format", "junit", "--as-of", "2019-11-01"])
        .arg(&file)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let xml = String::from_utf8(output.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert!(xml.contains("<testsuite"), "{xml}");
    let illegal: Vec<char> = xml.chars().filter(|&c| !xml_char(c)).collect();
    assert!(illegal.is_empty(), "characters XML forbids: {illegal:?}");
    let mut reader = Reader::from_str(&xml);
    let mut suites = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) if element.name().into_inner() == "testsuite" => suites += 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("not XML: {error}\n{xml}"),
        }
    }
    assert_eq!(suites, 1, "{xml}");
}

/// `--report FORMAT=PATH` writes each format as `--format` would print it,
/// in the same run as the standard output's own format.
#[test]
fn several_reports_in_one_run() {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports");
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap_or_else(|error| panic!("{error}"));
    let path = |name: &str| directory.join(name).to_string_lossy().into_owned();
    let reports = [
        ("sarif", path("out.sarif")),
        ("junit", path("out.xml")),
        ("json", path("out.json")),
        ("ndjson", path("out.ndjson")),
        ("markdown", path("out.md")),
    ];
    let mut args = vec![
        "score",
        "gate",
        "--as-of",
        "2019-11-01",
        "--format",
        "github",
    ];
    let flags: Vec<String> = reports
        .iter()
        .map(|(format, file)| format!("{format}={file}"))
        .collect();
    for flag in &flags {
        args.extend(["--report", flag.as_str()]);
    }
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "the broken input still decides"
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), gate("github"));
    for (format, file) in &reports {
        let written =
            std::fs::read_to_string(file).unwrap_or_else(|error| panic!("{file}: {error}"));
        if *format == "ndjson" {
            // Streamed in the order files finish: the same lines, any order.
            let mut expected: Vec<String> = gate(format).lines().map(str::to_owned).collect();
            let mut found: Vec<String> = written.lines().map(str::to_owned).collect();
            expected.sort();
            found.sort();
            assert_eq!(found, expected, "{format}");
        } else {
            assert_eq!(written, gate(format), "{format}");
        }
    }
    let twice = run(&[
        "score",
        "gate",
        "--report",
        "json=a.json",
        "--report",
        "sarif=a.json",
    ]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("twice"));
    let unknown = run(&["score", "gate", "--report", "yaml=a.yaml"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("not a format"));
}

/// The widest line of `text`, in characters.
fn widest(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

/// Tables fit the width `COLUMNS` gives (a terminal's is read the same
/// way); piped without it, rows keep their natural width.
#[test]
fn tables_fit_the_terminal() {
    let table_runs: [&[&str]; 4] = [
        &["score", "gate/lapsed.toml", "--as-of", "2019-11-01"],
        &[
            "score",
            "gate/lapsed.toml",
            "gate/compliant.toml",
            "--as-of",
            "2019-11-01",
            "--detail",
        ],
        &["rules"],
        &[
            "history",
            "gate/lapsed.toml",
            "--from",
            "2019-01-01",
            "--to",
            "2019-12-31",
        ],
    ];
    for args in table_runs {
        let natural = run(args);
        let natural = String::from_utf8_lossy(&natural.stdout).into_owned();
        assert!(widest(&natural) > 70, "{args:?} is wide enough to test");
        for columns in [60_usize, 80] {
            let output = Command::new(env!("CARGO_BIN_EXE_apn-check"))
                .current_dir(cmd_dir())
                .args(args)
                .env("COLUMNS", columns.to_string())
                .output()
                .unwrap_or_else(|error| panic!("{error}"));
            let text = String::from_utf8_lossy(&output.stdout);
            let table_lines = text
                .lines()
                .filter(|line| line.starts_with(['┌', '│', '╞', '└']));
            let widest_row = table_lines
                .map(|line| line.chars().count())
                .max()
                .unwrap_or(0);
            assert!(
                widest_row <= columns,
                "{args:?} at {columns} columns: a row of {widest_row}\n{text}"
            );
        }
    }
}
