//! `apn-check import opportunities` run as a user would: into a copy of
//! the example partner, then scored; imported again (nothing changes);
//! bad input (exit 2, the file and line, nothing written); standard input.

use std::path::{Path, PathBuf};

use crate::common::run;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/ace")
        .join(name)
        .display()
        .to_string()
}

/// A temporary folder holding a copy of the example partner file.
fn copy_of_example() -> (tempfile::TempDir, PathBuf) {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let partner = directory.path().join("partner.toml");
    std::fs::copy(
        root().join("examples/partner-central/partner.toml"),
        &partner,
    )
    .unwrap_or_else(|error| panic!("{error}"));
    (directory, partner)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{error}"))
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn import(directory: &Path, extra: &[&str]) -> std::process::Output {
    let (list, get, summaries) = (
        fixture("list-opportunities.json"),
        fixture("get-opportunity.jsonl"),
        fixture("aws-opportunity-summaries.json"),
    );
    let mut args = vec![
        "import",
        "opportunities",
        &list,
        &get,
        &summaries,
        "--into",
        "partner.toml",
    ];
    args.extend_from_slice(extra);
    run(directory, &args)
}

#[test]
fn imported_opportunities_score_and_a_second_import_changes_nothing() {
    let (directory, partner) = copy_of_example();
    let score = |directory: &Path| {
        run(
            directory,
            &["score", "partner.toml", "--as-of", "2026-03-31", "--json"],
        )
    };
    let before = score(directory.path());
    assert_eq!(before.status.code(), Some(1), "{}", stderr(&before));

    #[cfg(unix)]
    std::fs::set_permissions(
        &partner,
        std::os::unix::fs::PermissionsExt::from_mode(0o640),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let first = import(directory.path(), &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stdout(&first).contains("9 added"), "{}", stdout(&first));
    let once = read(&partner);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&partner).map(|metadata| metadata.permissions().mode());
        assert_eq!(
            mode.ok().map(|mode| mode & 0o777),
            Some(0o640),
            "permissions kept"
        );
    }
    // The two launches the partner lacked (O1006 aws-referred, O1008
    // partner) count; the Marketplace one (O1010) does not.
    let after = score(directory.path());
    assert_eq!(after.status.code(), Some(0), "{}", stdout(&after));
    let json: serde_json::Value =
        serde_json::from_slice(&after.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(json["compliant"], serde_json::json!(true), "{json:#}");
    assert_eq!(json["current_gaps"], serde_json::json!([]), "{json:#}");
    let validate = run(directory.path(), &["validate", "partner.toml"]);
    assert_eq!(validate.status.code(), Some(0), "{}", stderr(&validate));
    let explain = run(
        directory.path(),
        &[
            "explain",
            "partner.toml",
            "--as-of",
            "2026-03-31",
            "--requirement",
            "launched-opportunities",
        ],
    );
    let explained = stdout(&explain);
    assert!(
        explained.contains("`O1006` launched 2026-02-27 (estimated from TargetCloseDate)"),
        "{explained}"
    );
    assert!(
        explained.contains("`O1010`") && explained.contains("marketplace"),
        "{explained}"
    );

    let second = import(directory.path(), &["--json"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let report: serde_json::Value =
        serde_json::from_slice(&second.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        report["counts"]["unchanged"],
        serde_json::json!(9),
        "{report:#}"
    );
    assert_eq!(report["written"], serde_json::json!(false));
    assert_eq!(read(&partner), once);
}

#[test]
fn a_dry_run_writes_nothing_and_says_what_would_change() {
    let (directory, partner) = copy_of_example();
    let original = read(&partner);
    let output = import(directory.path(), &["--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("import into partner.toml (dry run: nothing written)"));
    assert_eq!(read(&partner), original);
    let leftovers = std::fs::read_dir(directory.path())
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 1, "no temporary file is left");
}

#[test]
fn bad_input_exits_2_with_its_line_and_writes_nothing() {
    let (directory, partner) = copy_of_example();
    let original = read(&partner);
    let list = read(Path::new(&fixture("list-opportunities.json")));
    let cases = [
        (
            "not-json.json",
            "{\"OpportunitySummaries\": [\n  {\"Id\": \"O1\",,\n",
            "not JSON",
        ),
        (
            "shape.json",
            "{\"Opportunities\": []}\n",
            "not a Partner Central response",
        ),
        (
            "stage.json",
            &*list.replacen("\"Stage\": \"Qualified\"", "\"Stage\": \"Closed Won\"", 1),
            "unknown `LifeCycle.Stage` `Closed Won`",
        ),
    ];
    for (name, text, message) in cases {
        std::fs::write(directory.path().join(name), text).unwrap_or_else(|error| panic!("{error}"));
        let output = run(
            directory.path(),
            &["import", "opportunities", name, "--into", "partner.toml"],
        );
        assert_eq!(output.status.code(), Some(2), "{name}");
        let said = stderr(&output);
        assert!(said.contains(message), "{name}: {said}");
        assert!(
            said.contains(&format!("--> {name}:")) || said.contains(&format!("{name}:")),
            "{said}"
        );
        assert!(said.contains("nothing was written"), "{said}");
        assert_eq!(read(&partner), original, "{name}");
    }
    // The stage's line is shown with a caret.
    let output = run(
        directory.path(),
        &[
            "import",
            "opportunities",
            "stage.json",
            "--into",
            "partner.toml",
        ],
    );
    let line = list
        .lines()
        .position(|line| line.contains("\"Qualified\""))
        .map_or(0, |index| index + 1);
    assert!(
        stderr(&output).contains(&format!("stage.json:{line}:")),
        "{}",
        stderr(&output)
    );
}

#[test]
fn standard_input_is_read_for_a_dash() {
    use std::io::Write;
    let (directory, partner) = copy_of_example();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .current_dir(directory.path())
        .args(["import", "opportunities", "-", "--into", "partner.toml"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{error}"));
    let list = read(Path::new(&fixture("list-opportunities.json")));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(list.as_bytes())
            .unwrap_or_else(|error| panic!("{error}"));
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(read(&partner).contains("id = \"O1008\""));
}
