//! The `apn-check` binary: parses arguments, runs the library, exits with
//! the outcome's status (0 compliant, 1 gate failed, 2 could not run).

use std::process::ExitCode;

use apn_check::cli::{Cli, Environment, run};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = run(
        &cli,
        &Environment::detect(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    outcome.into()
}
