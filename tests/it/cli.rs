//! Runs of the real binary, compared with snapshots: `tests/cmd/*.toml`
//! holds each command line and its exit status, with the expected output in
//! `.stdout` / `.stderr` files beside it. `TRYCMD=overwrite cargo test --test it
//! cli` rewrites the snapshots after a deliberate change.

#[test]
fn cli_runs_match_their_snapshots() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "")
        .env("CLICOLOR_FORCE", "")
        .env("COLUMNS", "")
        .case("tests/cmd/*.toml");
}

/// `--color auto` (the default) follows the colour variables even when
/// standard output is a pipe: `CLICOLOR_FORCE` colours it, `NO_COLOR`
/// wins over it, and without either a pipe is plain.
#[test]
fn auto_colour_follows_the_colour_variables() {
    let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd");
    let stdout = |variables: &[(&str, &str)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_apn-check"));
        command
            .current_dir(&directory)
            .args(["score", "data/lapsed.toml", "--as-of", "2019-11-01"])
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE");
        for (name, value) in variables {
            command.env(name, value);
        }
        let output = command
            .output()
            .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"));
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let escape = '\u{1b}';
    assert!(!stdout(&[]).contains(escape), "a pipe is plain");
    assert!(stdout(&[("CLICOLOR_FORCE", "1")]).contains(escape));
    assert!(!stdout(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains(escape));
}
