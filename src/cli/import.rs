//! `apn-check import opportunities`: Partner Central's JSON into a partner
//! file, written in place (a temporary file, then renamed), or with
//! `--dry-run` only said.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use super::commands::{load_rules, write_out};
use super::destination::{Existing, write_file};
use super::{CliError, ColorChoice, Environment};
use crate::ace::{self, ImportError, Options, Problem, Rate, Source, Target};
use crate::outcome::Outcome;
use crate::partner::{Format, LaunchedOnSource};
use crate::report::opportunity_import::{self, Written};

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What to import.
    #[command(subcommand)]
    pub command: ImportCommand,
}

/// The `import` subcommands.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Write ACE opportunities from AWS Partner Central's API into a partner file.
    ///
    /// Reads the JSON of `aws partnercentral-selling list-opportunities`,
    /// `get-opportunity` and `get-aws-opportunity-summary` (or boto3 / SDK
    /// dumps of the same), merges it by opportunity `Id` and updates the
    /// partner file's `opportunities` in place, keeping everything else.
    ///
    /// Exit status: 0 when imported (or, with --dry-run, when it could be),
    /// 2 when an input or the partner file is wrong; nothing is written then.
    Opportunities(OpportunitiesArgs),
}

/// Which field a launch day is estimated from (the API records none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LaunchedOnArg {
    /// `LifeCycle.TargetCloseDate`: the planned launch.
    TargetClose,
    /// The day of `LastModifiedDate`: at best an upper bound.
    LastModified,
}

impl From<LaunchedOnArg> for LaunchedOnSource {
    fn from(arg: LaunchedOnArg) -> LaunchedOnSource {
        match arg {
            LaunchedOnArg::TargetClose => LaunchedOnSource::TargetCloseDate,
            LaunchedOnArg::LastModified => LaunchedOnSource::LastModified,
        }
    }
}

/// Arguments of `import opportunities`.
#[derive(Debug, Args)]
pub struct OpportunitiesArgs {
    /// JSON outputs of the Partner Central API (`-` reads standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The partner file to update (TOML or JSON, by its extension).
    #[arg(long, value_name = "PARTNER_FILE")]
    pub into: PathBuf,
    /// Say what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// What a launched opportunity's launch day is estimated from.
    #[arg(long, value_enum, value_name = "FIELD", default_value_t = LaunchedOnArg::TargetClose)]
    pub launched_on: LaunchedOnArg,
    /// The USD value of one EUR, to convert EUR spend (without it, EUR spend leaves `mrr_usd` at 0).
    #[arg(long, value_name = "RATE")]
    pub eur_usd: Option<Rate>,
    /// Import Sandbox-catalog records too (test data, skipped by default).
    #[arg(long)]
    pub sandbox: bool,
    /// A rule file to check the partner file against instead of the embedded 2019 rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// When to colour error messages.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The largest partner file edited: the whole document is held as an
/// editable tree, several times the file's size.
const PARTNER_EDIT_LIMIT: u64 = 64 << 20;

/// At most this many input problems are shown; the rest are counted.
const PROBLEMS_SHOWN: usize = 50;

/// Runs `import`.
pub(super) fn run(
    command: &ImportCommand,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    match command {
        ImportCommand::Opportunities(args) => opportunities(args, environment, out, err),
    }
}

fn opportunities(
    args: &OpportunitiesArgs,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let styled = environment.error_color(args.color);
    let rules = load_rules(args.rules.as_deref())?;
    let partner_name = args.into.display().to_string();
    let Some(format) = Format::of_path(&args.into) else {
        return Err(CliError::Usage(format!(
            "`--into {}`: a partner file is named `.toml` or `.json`; name the file to update",
            crate::escape::shown(&partner_name)
        )));
    };
    let partner_text = match read(
        &args.into,
        &partner_name,
        PARTNER_EDIT_LIMIT,
        "a partner file to edit",
    ) {
        Ok(text) => text,
        Err(problem) => return report_problems(err, &[problem], styled),
    };
    let mut stdin_read = false;
    let mut texts = Vec::new();
    let mut problems = Vec::new();
    for file in &args.files {
        let name = file.display().to_string();
        let text = if name == "-" {
            if stdin_read {
                return Err(CliError::Usage(
                    "`-` is named twice; standard input can be read once".to_owned(),
                ));
            }
            stdin_read = true;
            read_stdin()
        } else {
            read(file, &name, ace::RESPONSE_FILE_LIMIT, "a response file")
        };
        match text {
            Ok(text) => texts.push((name, text)),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return report_problems(err, &problems, styled);
    }
    let sources: Vec<Source> = texts
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let options = Options {
        launched_on: args.launched_on.into(),
        eur_usd: args.eur_usd,
        sandbox: args.sandbox,
    };
    let target = Target {
        name: &partner_name,
        text: &partner_text,
        format,
    };
    let report = match ace::import(&sources, &target, &rules, &options) {
        Ok(report) => report,
        Err(ImportError::Inputs(problems)) => return report_problems(err, &problems, styled),
        Err(ImportError::Partner(load)) => return Err(CliError::Load(*load)),
    };
    let written = if args.dry_run {
        Written::DryRun
    } else if report.changes_file() {
        write_file(&args.into, &report.text, Existing::Replace)?;
        Written::Written
    } else {
        Written::Unchanged
    };
    let text = if args.json {
        opportunity_import::json(&report, &partner_name, written)
    } else {
        opportunity_import::text(&report, &partner_name, written)
    };
    write_out(out, &text)?;
    Ok(Outcome::Compliant)
}

/// Shows each problem (file, line and caret) and ends the run: nothing
/// is written.
fn report_problems(
    err: &mut dyn Write,
    problems: &[Problem],
    styled: bool,
) -> Result<Outcome, CliError> {
    let mut text = String::new();
    for problem in problems.iter().take(PROBLEMS_SHOWN) {
        let message = crate::error::bounded(&format!("{}: {}", problem.file, problem.message));
        let excerpt = problem
            .excerpt
            .as_deref()
            .map(|excerpt| (problem.file.as_str(), excerpt));
        text.push_str(&crate::report::diagnostic::render_at(
            &message, excerpt, styled,
        ));
    }
    if problems.len() > PROBLEMS_SHOWN {
        text.push_str(&format!(
            "error: {} more problems not shown\n",
            problems.len() - PROBLEMS_SHOWN
        ));
    }
    text.push_str("error: nothing was written\n");
    // Nothing more can be done if standard error itself is gone.
    let _ = err.write_all(crate::escape::terminal_output(&text).as_bytes());
    Ok(Outcome::CouldNotRun)
}

fn problem(name: &str, message: String) -> Problem {
    Problem {
        file: name.to_owned(),
        message,
        excerpt: None,
    }
}

/// A file's text, at most `limit` bytes, only from a regular file.
fn read(path: &Path, name: &str, limit: u64, what: &str) -> Result<String, Problem> {
    let cannot = |error: io::Error| {
        problem(
            name,
            format!(
                "cannot read it: {}; expected {what} that can be read",
                crate::error::describe_io(&error)
            ),
        )
    };
    crate::files::check_regular(path).map_err(cannot)?;
    let file = std::fs::File::open(path).map_err(cannot)?;
    text_of(file, name, limit, what)
}

fn read_stdin() -> Result<String, Problem> {
    text_of(
        io::stdin(),
        "-",
        ace::RESPONSE_FILE_LIMIT,
        "a response file",
    )
}

fn text_of(reader: impl Read, name: &str, limit: u64, what: &str) -> Result<String, Problem> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| {
            problem(
                name,
                format!("cannot read it: {}", crate::error::describe_io(&error)),
            )
        })?;
    if bytes.len() as u64 > limit {
        return Err(problem(
            name,
            format!(
                "larger than {}, the limit for {what}; split the input",
                crate::error::size_words(limit)
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        problem(
            name,
            format!("not UTF-8 text (at byte {valid}); expected JSON as the AWS CLI writes it"),
        )
    })
}
