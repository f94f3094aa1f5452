//! The helper commands run for real: `init` writes a starter that validates
//! and never overwrites a file, `completions` and `man` print their scripts.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::run;

#[test]
fn init_writes_a_valid_starter_and_never_overwrites() {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("init");
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap_or_else(|error| panic!("{error}"));
    for (track, file) in [
        ("consulting", "consulting.toml"),
        ("technology", "technology.toml"),
        ("consulting", "consulting.json"),
        ("technology", "technology.json"),
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
        // The command it suggests scores the file as it stands today.
        let said = String::from_utf8_lossy(&written.stdout).into_owned();
        assert!(
            said.ends_with(&format!("next: apn-check score {file}\n")),
            "{said}"
        );
        let scored = run(&directory, &["score", "-q", file]);
        assert!(
            matches!(scored.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&scored.stderr)
        );
        let before = std::fs::read_to_string(directory.join(file)).unwrap_or_default();
        if file.ends_with(".json") {
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&before);
            assert!(parsed.is_ok(), "JSON in a .json file: {before}");
        }
        let again = run(&directory, &["init", "--track", track, file]);
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
        assert_eq!(
            std::fs::read_to_string(directory.join(file)).unwrap_or_default(),
            before,
            "untouched"
        );
    }
    // A name that says neither format, and a folder that is not there:
    // refused, and nothing is left behind.
    for path in ["partner.yaml", "missing/partner.toml"] {
        let refused = run(&directory, &["init", path]);
        assert_eq!(refused.status.code(), Some(2), "{path}");
        assert!(!directory.join(path).exists(), "{path}");
    }
    let left: Vec<_> = std::fs::read_dir(&directory)
        .unwrap_or_else(|error| panic!("{error}"))
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
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
    assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
    // One page per subcommand, each with its options and exit status.
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("man-pages");
    let _ = std::fs::remove_dir_all(&directory);
    let written = run(here, &["man", "--out", &directory.to_string_lossy()]);
    assert_eq!(written.status.code(), Some(0));
    for (name, option) in [
        ("apn-check", "score"),
        ("apn-check-score", "fail\\-on\\-grace"),
        ("apn-check-validate", "format"),
        ("apn-check-history", "every"),
        ("apn-check-init", "track"),
    ] {
        let page = std::fs::read_to_string(directory.join(format!("{name}.1")))
            .unwrap_or_else(|error| panic!("{name}.1: {error}"));
        assert!(page.contains(option), "{name}: {option}\n{page}");
        assert!(page.contains(".SH \"EXIT STATUS\""), "{name}");
    }
    let score = std::fs::read_to_string(directory.join("apn-check-score.1")).unwrap_or_default();
    assert!(score.contains("a partner fails the gate"), "{score}");
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

/// Runs apn-check in `directory`, killing it if it has not finished within
/// a minute (a hang is the failure these tests look for, not a slow run).
#[cfg(unix)]
fn run_bounded(directory: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .current_dir(directory)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"));
    for _ in 0..600 {
        if child.try_wait().ok().flatten().is_some() {
            return child
                .wait_with_output()
                .unwrap_or_else(|error| panic!("{error}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("apn-check {args:?} hung");
}

/// A directory with one good partner file, made fresh for a test.
#[cfg(unix)]
fn directory_with_a_partner(name: &str) -> std::path::PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap_or_else(|error| panic!("{error}"));
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/gate/compliant.toml");
    std::fs::copy(good, directory.join("good.toml")).unwrap_or_else(|error| panic!("{error}"));
    directory
}

/// A named pipe called like a partner file (or given as `--rules`) is that
/// path's error; it does not block the run, and the other files are scored.
#[cfg(unix)]
#[test]
fn a_fifo_is_an_error_of_its_own_not_a_hang() {
    let directory = directory_with_a_partner("fifo");
    let made = Command::new("mkfifo")
        .arg(directory.join("pipe.toml"))
        .status()
        .unwrap_or_else(|error| panic!("mkfifo: {error}"));
    assert!(made.success());
    let output = run_bounded(&directory, &["score", ".", "--as-of", "2019-11-01", "-q"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.contains("good.toml"), "{stdout}");
    assert!(
        stderr.contains("pipe.toml") && stderr.contains("named pipe"),
        "{stderr}"
    );
    let rules = run_bounded(
        &directory,
        &[
            "score",
            "good.toml",
            "--rules",
            "pipe.toml",
            "--as-of",
            "2019-11-01",
        ],
    );
    assert_eq!(rules.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&rules.stderr).contains("named pipe"));
}

/// A link loop inside a scanned directory is not followed: each file is
/// scored once, and the run ends.
#[cfg(unix)]
#[test]
fn a_link_loop_is_not_followed() {
    let directory = directory_with_a_partner("link-loop");
    std::fs::create_dir_all(directory.join("sub")).unwrap_or_else(|error| panic!("{error}"));
    std::os::unix::fs::symlink(&directory, directory.join("sub/up"))
        .unwrap_or_else(|error| panic!("{error}"));
    std::os::unix::fs::symlink(directory.join("sub"), directory.join("sub/self"))
        .unwrap_or_else(|error| panic!("{error}"));
    let output = run_bounded(&directory, &["score", ".", "--as-of", "2019-11-01", "-q"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout.matches("good.toml").count(), 1, "{stdout}");
}

/// A directory whose path is longer than the system allows (PATH_MAX) is
/// that path's error, not skipped in silence; the other files are scored.
#[cfg(unix)]
#[test]
fn a_path_too_long_is_an_error_of_its_own() {
    let directory = directory_with_a_partner("long-path");
    // Made one level at a time: no single call sees the whole path.
    let made = Command::new("sh")
        .current_dir(&directory)
        .args([
            "-c",
            "n=$(printf 'd%.0s' $(seq 200)); for i in $(seq 25); do mkdir \"$n\" && cd -P \"$n\" || exit 1; done; cat \"$0\" > deep.toml",
        ])
        .arg(directory.join("good.toml"))
        .status()
        .unwrap_or_else(|error| panic!("sh: {error}"));
    assert!(made.success());
    let output = run_bounded(&directory, &["score", ".", "--as-of", "2019-11-01", "-q"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert_eq!(stdout.matches("good.toml").count(), 1, "{stdout}");
    assert!(stderr.contains("too long"), "{stderr}");
    assert!(stderr.len() < 4096, "{stderr}");
    let _ = Command::new("rm").arg("-rf").arg(&directory).status();
}
