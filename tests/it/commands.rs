//! The helper commands run for real: `init` writes a starter that validates
//! and never overwrites a file, `completions` and `man` print their scripts.

use std::path::Path;
use std::process::{Command, Output};

fn run(directory: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .current_dir(directory)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"))
}

#[test]
fn init_writes_a_valid_starter_and_never_overwrites() {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("init");
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap_or_else(|error| panic!("{error}"));
    for (track, file) in [
        ("consulting", "consulting.toml"),
        ("technology", "technology.toml"),
    ] {
        let written = run(&directory, &["init", "--track", track, file]);
        assert_eq!(
            written.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&written.stderr)
        );
        let validated = run(&directory, &["validate", "-q", file]);
        assert_eq!(
            validated.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&validated.stderr)
        );
        let before = std::fs::read_to_string(directory.join(file)).unwrap_or_default();
        let again = run(&directory, &["init", "--track", track, file]);
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
        assert_eq!(
            std::fs::read_to_string(directory.join(file)).unwrap_or_default(),
            before,
            "untouched"
        );
    }
    let printed = run(&directory, &["init", "-"]);
    assert!(String::from_utf8_lossy(&printed.stdout).starts_with("# A partner file for apn-check"));
}

#[test]
fn completions_and_man_page() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(here, &["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(
            script.contains("apn-check") && script.contains("explain"),
            "{shell}"
        );
    }
    let man = run(here, &["man"]);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.contains(".TH apn-check") || page.contains(".TH \"apn-check\""),
        "{page}"
    );
}

/// A reader that closes the pipe early (`| head -1`) does not turn the gate's
/// status into an error: the exit status is the gate's, as if the output
/// had been read.
#[test]
fn a_closed_pipe_keeps_the_gate_status() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd");
    for (args, status) in [
        (&["score", "gate/compliant.toml", "gate/lapsed.toml"][..], 1),
        (&["score", "gate/compliant.toml"][..], 0),
        (&["score", "gate/compliant.toml", "--json"][..], 0),
        (&["score", "gate/lapsed.toml", "--format", "ndjson"][..], 1),
    ] {
        for _ in 0..5 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_apn-check"))
                .current_dir(&fixtures)
                .args(args)
                .args(["--as-of", "2019-11-01"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"));
            // Close the reading end before the output is written.
            drop(child.stdout.take());
            let output = child
                .wait_with_output()
                .unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(
                output.status.code(),
                Some(status),
                "{args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                output.stderr.is_empty(),
                "{args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

/// A huge `--jobs` is bounded by the files and the cores: the run gives the
/// same answer as one job.
#[test]
fn many_jobs_give_the_answer_of_one() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd");
    let with = |jobs: &str| {
        run(
            &fixtures,
            &[
                "score",
                "gate",
                "--as-of",
                "2019-11-01",
                "--format",
                "json",
                "--jobs",
                jobs,
            ],
        )
    };
    let (one, many) = (with("1"), with("100000"));
    assert_eq!(one.status.code(), many.status.code());
    assert_eq!(one.stdout, many.stdout);
    assert!(!one.stdout.is_empty());
}
