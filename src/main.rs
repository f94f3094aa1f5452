//! The `apn-check` binary: parses arguments, runs the library, exits with
//! the outcome's status (0 compliant, 1 gate failed, 2 could not run).

use apn_check::cli::{Cli, Environment, run};
use apn_check::outcome::Outcome;
use clap::Parser;

/// mimalloc (its v2 line), with the default `mimalloc` feature: scoring a
/// portfolio of small files allocates many small strings, and it does that
/// faster than the system allocator (measured in `docs/performance.md`).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Outcome {
    let cli = Cli::parse();
    run(
        &cli,
        &Environment::detect(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
}
