//! Runs of the real binary, compared with snapshots: `tests/cmd/*.toml`
//! holds each command line and its exit status, with the expected output in
//! `.stdout` / `.stderr` files beside it. `TRYCMD=overwrite cargo test --test it
//! cli` rewrites the snapshots after a deliberate change.

#[test]
fn cli_runs_match_their_snapshots() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "")
        .env("COLUMNS", "")
        .case("tests/cmd/*.toml");
}
