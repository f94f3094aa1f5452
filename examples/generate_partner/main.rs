//! Writes synthetic partner files for benchmarks: one large partner, or a
//! portfolio of typical ones. Deterministic: the same arguments give the same
//! bytes. Not part of apn-check's interface.
//!
//! ```console
//! $ cargo run --release --example generate_partner -- large --scale 1 large.json
//! $ cargo run --release --example generate_partner -- portfolio --count 10000 portfolio/
//! ```

// A program reports its failures on standard error.
#![allow(clippy::print_stderr)]

use std::fs::File;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod synthetic;

use synthetic::{Format, Rng, Shape, Standing, write_partner};

/// Writes synthetic partner files for benchmarks.
#[derive(Debug, Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// One large partner file; its format follows the extension of OUT.
    Large {
        /// 1.0 is issue 5's file: 1,000,000 opportunities, 100,000 people,
        /// 200,000 CSAT responses, 100,000 revenue lines, 50,000 references.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The seed of the random data.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// An advanced partner (scoring runs the premier look-back) or a
        /// premier one (exempt from it).
        #[arg(long, value_enum, default_value_t = Tier::Advanced)]
        tier: Tier,
        /// The file to write (`.toml` or `.json`).
        out: PathBuf,
    },
    /// A directory of typical partner files (about 30 people and 60
    /// opportunities each), of every track and tier.
    Portfolio {
        /// How many files.
        #[arg(long, default_value_t = 10_000)]
        count: u64,
        /// The seed of the random data.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// The format of the files.
        #[arg(long, value_enum, default_value_t = FileFormat::Json)]
        format: FileFormat,
        /// The directory to write them to (created if missing).
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Tier {
    Advanced,
    Premier,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FileFormat {
    Toml,
    Json,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("generate_partner: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Large {
            scale,
            seed,
            tier,
            out,
        } => {
            let format = match out.extension().and_then(|extension| extension.to_str()) {
                Some("toml") => Format::Toml,
                Some("json") => Format::Json,
                _ => {
                    return Err(format!(
                        "`{}`: expected a .toml or .json file",
                        out.display()
                    ));
                }
            };
            let standing = match tier {
                Tier::Advanced => Standing::ADVANCED_CONSULTING,
                Tier::Premier => Standing::PREMIER_CONSULTING,
            };
            let file =
                File::create(&out).map_err(|error| format!("`{}`: {error}", out.display()))?;
            write_partner(file, format, Shape::large(scale), standing, seed)
                .map_err(|error| format!("`{}`: {error}", out.display()))
        }
        Command::Portfolio {
            count,
            seed,
            format,
            out,
        } => {
            std::fs::create_dir_all(&out)
                .map_err(|error| format!("`{}`: {error}", out.display()))?;
            let (format, extension) = match format {
                FileFormat::Toml => (Format::Toml, "toml"),
                FileFormat::Json => (Format::Json, "json"),
            };
            let mut rng = Rng::new(seed);
            for index in 0..count {
                let path = out.join(format!("partner-{index:05}.{extension}"));
                let shape = Shape::typical(&mut rng);
                let standing = Standing::any(&mut rng);
                let file = File::create(&path)
                    .map_err(|error| format!("`{}`: {error}", path.display()))?;
                write_partner(file, format, shape, standing, rng.next_u64())
                    .map_err(|error| format!("`{}`: {error}", path.display()))?;
            }
            Ok(())
        }
    }
}
