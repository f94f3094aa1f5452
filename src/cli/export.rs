//! `apn-check export sqlite`: the catalog and the partners given into a new
//! SQLite database, scored on the same threads as `score`, written by one,
//! into a temporary file renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::commands::{jobs_of, load_rules, report_error, threads, write_human};
use super::destination::{Destination, Existing};
use super::{
    CatalogArg, CliError, ColorChoice, Environment, InputFormat, parse_cli_date, parse_jobs,
    parse_size,
};
use crate::batch::{GateOptions, Settings, collect_inputs, score_all};
use crate::export::sqlite::{WriteError, Writer};
use crate::export::{catalog_rows, result_rows};
use crate::outcome::Outcome;
use crate::partner::Format;

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export to.
    #[command(subcommand)]
    pub command: ExportCommand,
}

/// The `export` subcommands.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write the competency catalog and the partners given (records, scorecards, gaps, warnings, competency standing) into a new SQLite database.
    ///
    /// The tables and example queries are in docs/sqlite.md. Exit status: 0
    /// when written; 2 when an input could not be scored (it is written to
    /// `input_errors`, the rest is exported) or nothing could be written.
    Sqlite(SqliteArgs),
}

/// Arguments of `export sqlite`.
#[derive(Debug, Args)]
pub struct SqliteArgs {
    /// The database to write (refused if it exists, unless --force).
    #[arg(value_name = "OUT.db")]
    pub out: PathBuf,
    /// Partner files (`.toml`, `.json`) or directories, searched recursively; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The format of standard input (`-`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub stdin_format: Option<InputFormat>,
    /// The largest partner file to read (bytes, or with KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    pub max_file_size: u64,
    /// The day to score for [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// A rule file to use instead of the embedded 2019 rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// The competency catalog.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Replace OUT.db if it exists.
    #[arg(long)]
    pub force: bool,
    /// Score this many files at once [default: the number of cores].
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<u64>,
    /// When to colour error messages.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Runs `export`.
pub(super) fn run(
    command: &ExportCommand,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    match command {
        ExportCommand::Sqlite(args) => sqlite(args, environment, out, err),
    }
}

fn database_error(path: &Path) -> impl Fn(WriteError) -> CliError + '_ {
    move |error| {
        let path = path.display().to_string();
        let message = error.to_string();
        match error {
            WriteError::Sqlite(_) | WriteError::Io(_) => CliError::Database { path, message },
            WriteError::Row(_) | WriteError::NotBulk(_) | WriteError::Rows(_) => {
                CliError::ExportRow { path, message }
            }
        }
    }
}

fn sqlite(
    args: &SqliteArgs,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let shown_path = args.out.display().to_string();
    if !args.force && std::fs::symlink_metadata(&args.out).is_ok() {
        return Err(CliError::Usage(format!(
            "`{}` exists already; `--force` replaces it",
            crate::escape::shown(&shown_path)
        )));
    }
    let rules = load_rules(args.rules.as_deref())?;
    let catalog = super::competencies::load_catalog(&args.catalog)?;
    let as_of = args.as_of.unwrap_or(environment.today);
    let destination = Destination::of(
        &args.out,
        if args.force {
            Existing::Replace
        } else {
            Existing::Keep
        },
    )?;
    let temporary = destination.temporary(".db")?;
    let failed = database_error(&args.out);
    let meta = [
        (
            "generator",
            format!("apn-check {}", env!("CARGO_PKG_VERSION")),
        ),
        ("as_of", as_of.to_string()),
        ("rules", rules.program.name.clone()),
    ];
    let mut writer =
        Writer::create(temporary.path(), catalog_rows(&catalog, &meta)).map_err(&failed)?;
    let settings = Settings {
        rules: &rules,
        as_of,
        gate: GateOptions {
            require: None,
            fail_on_grace: false,
            deny_warnings: false,
        },
        forecast: false,
        max_file_size: args.max_file_size,
        keep_partner: true,
    };
    let mut summary = crate::batch::Summary::default();
    if !args.files.is_empty() {
        let inputs = collect_inputs(&args.files, args.stdin_format.map(Format::from));
        let work = jobs_of(inputs, args.max_file_size);
        let jobs = threads(args.jobs, work.len());
        let styled = environment.error_color(args.color);
        let prepare = |result: &crate::batch::FileResult| result_rows(result, &rules, &catalog);
        let progress = super::progress::Progress::new(environment, work.len(), "exporting");
        let run = score_all(work, &settings, jobs, false, prepare, |result, rows| {
            if let Some(crate::batch::FileResult::Failed { error, .. }) = result {
                progress.suspend(|| report_error(err, error, styled));
            }
            progress.advance();
            writer.write(rows).map_err(&failed)
        });
        progress.finish();
        summary = run?.summary;
    }
    writer.finish().map_err(&failed)?;
    destination.place(temporary)?;
    let scored = summary.files - summary.errors;
    write_human(
        out,
        &format!(
            "wrote {}: {} designations, {scored} partner{}, {} input{} that could not be scored\n",
            crate::escape::shown(&shown_path),
            catalog.checklists.len(),
            if scored == 1 { "" } else { "s" },
            summary.errors,
            if summary.errors == 1 { "" } else { "s" },
        ),
    )?;
    Ok(if summary.errors > 0 {
        Outcome::CouldNotRun
    } else {
        Outcome::Compliant
    })
}
