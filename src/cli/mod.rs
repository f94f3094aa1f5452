//! The command line: arguments (clap derive, doc comments as help) and
//! running a command into an [`Outcome`]. Output goes to the writers it is
//! given, so that the binary stays thin and runs are testable; the
//! commands themselves are in `commands`.

use std::io::{self, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use thiserror::Error;

use crate::calendar::parse_date;
use crate::error::{LoadError, RulesError, describe_io};
use crate::history::Step;
use crate::outcome::Outcome;
use crate::partner::Format;
use crate::tiers::{Tier, Track};

mod commands;
mod competencies;
mod destination;
mod export;
mod import;
mod progress;

pub use commands::load_rules;
use commands::{
    explain_command, history_command, init_command, plan_command, rules_command, score_command,
    validate_command, write_out,
};

/// Scores an AWS Partner Network partner against the APN tier requirements.
///
/// Reads a partner data file (TOML or JSON), evaluates it against the 2019
/// tier rules (embedded, or `--rules FILE`) with rolling 12-month windows,
/// and prints a per-requirement scorecard and the gap to the next tier.
#[derive(Debug, Parser)]
#[command(name = "apn-check", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score a partner file: every tier's requirements, the verdict, the gap to the next tier.
    ///
    /// Exit status: 0 when the partner meets its current tier (or the tier
    /// named by --require), 1 when it does not, 2 when it could not be scored.
    Score(ScoreArgs),
    /// Check partner files without scoring them (for pre-commit hooks); exit 0 or 2.
    Validate(ValidateArgs),
    /// Explain every number: each record considered, whether it counted, and why not.
    Explain(ExplainArgs),
    /// The verdict at each date of a series: when tiers were gained and lost.
    History(HistoryArgs),
    /// The least work to meet a tier by a date: free fixes, people, exams, tasks.
    Plan(PlanArgs),
    /// Print the rule set (requirements × tiers, thresholds); checks a custom rule file.
    Rules(RulesArgs),
    /// The AWS competency and specialization programs: the checklists' requirements, what designations share, the least work to the next ones.
    Competencies(CompetenciesArgs),
    /// Write apn-check's data elsewhere: the catalog and partners into a SQLite database.
    Export(export::ExportArgs),
    /// Bring data from elsewhere into a partner file: ACE opportunities from AWS Partner Central's API.
    Import(import::ImportArgs),
    /// Print the JSON Schema of the partner file, for editors.
    Schema,
    /// Write a starter partner file, TOML or JSON by its name, dated around today (never over an existing file).
    Init(InitArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand with `--out`.
    Man(ManArgs),
}

/// Arguments of `competencies`.
#[derive(Debug, Args)]
pub struct CompetenciesArgs {
    /// What to do with the catalog.
    #[command(subcommand)]
    pub command: CompetenciesCommand,
}

/// The `competencies` subcommands.
#[derive(Debug, Subcommand)]
pub enum CompetenciesCommand {
    /// Each designation: its requirements by id prefix, blocks, what it needs first, release, staleness.
    List(CatalogListArgs),
    /// One designation's requirements, by scope and category.
    Show(CatalogShowArgs),
    /// The requirements designations share (by scope and id), and each pair's shared and union counts.
    Overlap(OverlapArgs),
    /// The designations a partner should pursue next: the least outstanding work, exactly.
    ///
    /// Exit status: 0 with an answer, 1 when no choice meets the request, 2
    /// when the input, catalog or command line is wrong.
    Path(PathArgs),
    /// Turn a saved checklist page (.html) or self-assessment spreadsheet (.xlsx) into a checklist file.
    Import(ImportArgs),
    /// Draw each checklist's requirements by id prefix as stacked bars (SVG): shared blocks in cool colours, its own in warm.
    Chart(ChartArgs),
    /// Draw the designations and the requirements they share (SVG, or DOT for Graphviz).
    Graph(GraphArgs),
}

/// A catalog path, for `competencies chart --path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathArg {
    /// Services (consulting partners).
    Consulting,
    /// Software (technology partners).
    Software,
}

impl From<PathArg> for crate::competency::CatalogPath {
    fn from(path: PathArg) -> Self {
        match path {
            PathArg::Consulting => crate::competency::CatalogPath::Consulting,
            PathArg::Software => crate::competency::CatalogPath::Software,
        }
    }
}

/// Arguments of `competencies chart`.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Only the checklists of this path.
    #[arg(long, value_enum, value_name = "PATH")]
    pub path: Option<PathArg>,
    /// Write the SVG to this file instead of standard output.
    #[arg(short, long, value_name = "FILE.svg")]
    pub out: Option<PathBuf>,
    /// The catalog to draw.
    #[command(flatten)]
    pub catalog: CatalogArg,
}

/// A picture format of `competencies graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// An SVG drawn by apn-check.
    Svg,
    /// Graphviz DOT, to lay out with `dot` or `neato`.
    Dot,
}

/// Arguments of `competencies graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Write to this file (`.svg` or `.dot`, which also sets the format) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The format when it is not the file's extension [default: svg].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<GraphFormat>,
    /// The catalog to draw.
    #[command(flatten)]
    pub catalog: CatalogArg,
}

/// The catalog to read.
#[derive(Debug, Args)]
pub struct CatalogArg {
    /// A catalog directory (`blocks/*.toml`, `checklists/*.toml`) instead of the embedded one.
    #[arg(long, value_name = "DIR")]
    pub catalog: Option<PathBuf>,
}

/// Arguments of `competencies list`: the catalog, the day, the format.
#[derive(Debug, Args)]
pub struct CatalogListArgs {
    /// The catalog.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// The day staleness is judged on [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `competencies show`.
#[derive(Debug, Args)]
pub struct CatalogShowArgs {
    /// The designation's id, such as `aws-waf`.
    pub id: String,
    /// The catalog, the day and the format, as for `list`.
    #[command(flatten)]
    pub view: CatalogListArgs,
}

/// Arguments of `competencies overlap`.
#[derive(Debug, Args)]
pub struct OverlapArgs {
    /// Two or more designation ids.
    #[arg(required = true, num_args = 2.., value_name = "ID")]
    pub ids: Vec<String>,
    /// The catalog.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Print JSON instead of the tables.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `competencies path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// The partner file and how to read it.
    #[command(flatten)]
    pub partner: OnePartner,
    /// The catalog.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// The day held validations and evidence stand on [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// How many designations to choose [default: 1].
    #[arg(long, value_name = "K", conflicts_with = "premier", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub want: Option<u32>,
    /// Only these designations are candidates (ids, comma-separated).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub among: Option<Vec<String>>,
    /// These designations must be chosen (ids, comma-separated).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub must: Vec<String>,
    /// Choose what premier's program-validations requirement (2019 rules) still needs.
    #[arg(long)]
    pub premier: bool,
    /// Print JSON instead of the tables.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `competencies import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A saved checklist page (`.html`) or self-assessment spreadsheet (`.xlsx`).
    pub file: PathBuf,
    /// A catalog directory to write the checklist into (made from the
    /// current catalog when it has none); without it, the file is printed.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The catalog whose blocks are recognised (and copied into a new `--out`).
    #[command(flatten)]
    pub catalog: CatalogArg,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `apn-check.1` and one `apn-check-COMMAND.1` per subcommand into
    /// this directory instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// A tier, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TierArg {
    /// Registered with APN Partner Central; no requirements.
    Registered,
    /// The first tier (formerly `standard`).
    #[value(alias = "standard")]
    Select,
    /// The second tier.
    Advanced,
    /// The top consulting tier.
    Premier,
}

impl From<TierArg> for Tier {
    fn from(tier: TierArg) -> Tier {
        match tier {
            TierArg::Registered => Tier::Registered,
            TierArg::Select => Tier::Select,
            TierArg::Advanced => Tier::Advanced,
            TierArg::Premier => Tier::Premier,
        }
    }
}

/// A track, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackArg {
    /// APN Consulting Partners.
    Consulting,
    /// APN Technology Partners.
    Technology,
}

impl From<TrackArg> for Track {
    fn from(track: TrackArg) -> Track {
        match track {
            TrackArg::Consulting => Track::Consulting,
            TrackArg::Technology => Track::Technology,
        }
    }
}

/// How far apart the dates of a series are, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StepArg {
    /// Every day.
    Day,
    /// Every seven days.
    Week,
    /// The same day of every month (clamped to the month's end).
    Month,
}

impl From<StepArg> for Step {
    fn from(step: StepArg) -> Step {
        match step {
            StepArg::Day => Step::Day,
            StepArg::Week => Step::Week,
            StepArg::Month => Step::Month,
        }
    }
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule file to show (and check) instead of the embedded 2019 rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Only this track.
    #[arg(long, value_enum, value_name = "TRACK")]
    pub track: Option<TrackArg>,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The partner's track.
    #[arg(long, value_enum, value_name = "TRACK", default_value_t = TrackArg::Consulting)]
    pub track: TrackArg,
    /// Where to write it (`-`: standard output).
    #[arg(value_name = "PATH", default_value = "partner.toml")]
    pub path: PathBuf,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The partner file and how to read it.
    #[command(flatten)]
    pub partner: OnePartner,
    /// The day the data stands on [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// The tier to meet [default: the current tier if not met today, else the next one].
    #[arg(long, value_enum, value_name = "TIER")]
    pub tier: Option<TierArg>,
    /// The date to meet it on [default: the review date].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub by: Option<NaiveDate>,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The partner file and how to read it.
    #[command(flatten)]
    pub partner: OnePartner,
    /// The first date of the series.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub from: NaiveDate,
    /// The last date of the series.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub to: NaiveDate,
    /// How far apart the dates are.
    #[arg(long, value_enum, value_name = "STEP", default_value_t = StepArg::Day)]
    pub every: StepArg,
    /// Print one JSON array instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Also draw the history (SVG) into this file: each requirement's margin, the eligible tier, the review date.
    #[arg(short, long, value_name = "FILE.svg")]
    pub out: Option<PathBuf>,
}

/// The one partner file of `explain`, `history` and `plan`, and the rules.
#[derive(Debug, Args)]
pub struct OnePartner {
    /// The partner file, `.toml` or `.json`.
    pub file: PathBuf,
    /// A rule file to use instead of the embedded 2019 rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// The largest partner file to read (bytes, or with KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    pub max_file_size: u64,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The partner file and how to read it.
    #[command(flatten)]
    pub partner: OnePartner,
    /// The day to explain for [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// Only this requirement (an id such as `csat-responses`).
    #[arg(long, value_name = "ID")]
    pub requirement: Option<String>,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
    /// When to colour the text.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Arguments of `score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The partner files to read.
    #[command(flatten)]
    pub inputs: PartnerInputs,
    /// The day to score for [default: today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_cli_date)]
    pub as_of: Option<NaiveDate>,
    /// A rule file to use instead of the embedded 2019 rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// The output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write the report (`--format`) to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the run in FORMAT to PATH (repeatable), such as
    /// `--report sarif=out.sarif --report junit=out.xml`.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_report)]
    pub report: Vec<ReportArg>,
    /// Gate on this tier instead of each partner's current one.
    #[arg(long, value_enum, value_name = "TIER")]
    pub require: Option<TierArg>,
    /// Fail the gate when a requirement of the gated tier is only in grace.
    #[arg(long)]
    pub fail_on_grace: bool,
    /// Fail the gate when the data has a warning (legal but likely wrong).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also forecast the review date: the standing then with today's data,
    /// what is at risk, what ages out or expires.
    #[arg(long)]
    pub forecast: bool,
    /// With several partners, add each partner's scorecard to the summary (table, markdown).
    #[arg(long)]
    pub detail: bool,
    /// Print only the verdicts and the errors (table format).
    #[arg(short, long, conflicts_with = "json")]
    pub quiet: bool,
    /// Score this many files at once [default: the number of cores; at most
    /// four times the cores, and no more than the files].
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<u64>,
    /// When to colour the table.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The partner files a multi-file command reads.
#[derive(Debug, Args)]
pub struct PartnerInputs {
    /// Partner files (`.toml`, `.json`) or directories, searched recursively; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The format of standard input (`-`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub stdin_format: Option<InputFormat>,
    /// The largest partner file to read (bytes, or with KiB, MiB, GiB).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    pub max_file_size: u64,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The partner files to read.
    #[command(flatten)]
    pub inputs: PartnerInputs,
    /// A rule file to use instead of the embedded 2019 rules (its catalog names the certifications).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// The competency catalog `requirement_evidence` is checked against.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Print nothing when every file is valid (text format).
    #[arg(short, long)]
    pub quiet: bool,
    /// The output format: a line per file for people, or the errors for a
    /// tool (JSON, SARIF code scanning, GitHub annotations).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
    /// When to colour the error messages.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// What `validate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// `ok: FILE` per valid file and the counts; errors on standard error.
    Text,
    /// One JSON document: each file, valid or with its error, and the counts.
    Json,
    /// SARIF 2.1.0: a result per invalid file, located at the problem.
    Sarif,
    /// GitHub Actions workflow commands: an `::error` per invalid file.
    Github,
}

/// The format of a partner file read from standard input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl From<InputFormat> for Format {
    fn from(format: InputFormat) -> Format {
        match format {
            InputFormat::Toml => Format::Toml,
            InputFormat::Json => Format::Json,
        }
    }
}

/// What `score` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people (one partner: its scorecard; several: a summary).
    Table,
    /// One JSON document (one file: the scorecard; several: partners, errors, summary).
    Json,
    /// One JSON object per line, per partner or error, as each file finishes.
    Ndjson,
    /// JUnit XML for CI test reports.
    Junit,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Markdown for a pull-request comment or job summary.
    Markdown,
    /// One self-contained HTML page: the summary, each partner's scorecard, history picture and gaps.
    Html,
}

impl OutputFormat {
    /// The report format this names.
    pub fn into_report(self) -> crate::report::Format {
        use crate::report::Format;
        match self {
            OutputFormat::Table => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Ndjson => Format::Ndjson,
            OutputFormat::Junit => Format::Junit,
            OutputFormat::Sarif => Format::Sarif,
            OutputFormat::Github => Format::Github,
            OutputFormat::Markdown => Format::Markdown,
            OutputFormat::Html => Format::Html,
        }
    }
}

/// Reads a date of the command line: as in partner files, and no later than
/// 9998-12-31, so that a review date a year on still fits the calendar.
fn parse_cli_date(text: &str) -> Result<NaiveDate, String> {
    let date = parse_date(text)?;
    let last = NaiveDate::from_ymd_opt(9998, 12, 31).unwrap_or(NaiveDate::MAX);
    if date > last {
        return Err(format!(
            "`{text}` is too late; expected a date up to {last}, so that its review date fits the calendar"
        ));
    }
    Ok(date)
}

/// A report file asked for with `--report FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportArg {
    /// Its format.
    pub format: OutputFormat,
    /// Where to write it.
    pub path: PathBuf,
}

/// Reads `--report FORMAT=PATH`.
fn parse_report(text: &str) -> Result<ReportArg, String> {
    let formats = || {
        OutputFormat::value_variants()
            .iter()
            .filter_map(|format| format.to_possible_value())
            .map(|value| value.get_name().to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((name, path)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` is not FORMAT=PATH; expected such as `sarif=out.sarif` (formats: {})",
            formats()
        ));
    };
    let format = OutputFormat::from_str(name.trim(), true)
        .map_err(|_| format!("`{name}` is not a format; expected one of {}", formats()))?;
    if path.is_empty() {
        return Err(format!(
            "`{text}` names no file; expected such as `{name}=report.out`"
        ));
    }
    Ok(ReportArg {
        format,
        path: PathBuf::from(path),
    })
}

/// Reads `--jobs`: a whole number of 1 or more.
fn parse_jobs(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(jobs) if jobs >= 1 => Ok(jobs),
        _ => Err(format!(
            "`{text}` is not a number of jobs; expected a whole number of 1 or more, such as 2"
        )),
    }
}

/// Reads a size: a number of bytes, or with a unit (`KiB`, `MiB`, `GiB`; `K`,
/// `M`, `G` and `KB`, `MB`, `GB` mean the same binary units).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits_end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(digits_end);
    let number: u64 = number.parse().map_err(|_| {
        format!("`{text}` is not a size; expected bytes or a size such as 512MiB or 2GiB")
    })?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => {
            return Err(format!(
                "`{text}`: unknown unit `{unit}`; expected KiB, MiB, GiB or TiB"
            ));
        }
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal that supports colour, unless `NO_COLOR` is set
    /// (`CLICOLOR_FORCE` forces it).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// What the binary needs to know about where it runs.
#[derive(Debug, Clone, Copy)]
pub struct Environment {
    /// Today's local date, the default as-of date.
    pub today: NaiveDate,
    /// Whether `--color auto` colours standard output: `anstream`'s
    /// detection (a terminal that supports colour, `NO_COLOR`,
    /// `CLICOLOR`, `CLICOLOR_FORCE`).
    pub stdout_color: bool,
    /// The same for standard error.
    pub stderr_color: bool,
    /// Whether long runs show a progress bar: standard error is a terminal,
    /// and not a CI log (`CI` unset) or a dumb terminal.
    pub progress: bool,
    /// The width tables fit: `COLUMNS` when set, else the terminal's when
    /// standard output is one; none for a pipe.
    pub width: Option<u16>,
}

impl Environment {
    /// Reads the clock, the terminal and the colour variables.
    pub fn detect() -> Self {
        use std::io::IsTerminal;
        Environment {
            today: chrono::Local::now().date_naive(),
            stdout_color: anstream::AutoStream::choice(&io::stdout())
                != anstream::ColorChoice::Never,
            stderr_color: anstream::AutoStream::choice(&io::stderr())
                != anstream::ColorChoice::Never,
            progress: io::stderr().is_terminal()
                && !anstyle_query::is_ci()
                && std::env::var_os("TERM").is_none_or(|term| term != "dumb"),
            width: std::env::var("COLUMNS")
                .ok()
                .and_then(|columns| columns.trim().parse::<u16>().ok())
                .filter(|&columns| columns > 0)
                .or_else(|| {
                    terminal_size::terminal_size_of(io::stdout())
                        .map(|(terminal_size::Width(width), _)| width)
                }),
        }
    }

    fn color(&self, choice: ColorChoice) -> bool {
        match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.stdout_color,
        }
    }

    /// Whether the messages on standard error are coloured.
    fn error_color(&self, choice: ColorChoice) -> bool {
        match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.stderr_color,
        }
    }
}

/// Why a command could not run.
#[derive(Debug, Error)]
pub enum CliError {
    /// The rule file could not be loaded.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The partner file could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// `--tier` names a tier the partner's track does not have.
    #[error("`--tier {tier}`: track `{track}` has no tier `{tier}`; expected one of {expected}")]
    TierNotInTrack {
        /// The tier asked for.
        tier: Tier,
        /// The partner's track.
        track: Track,
        /// The tiers it has.
        expected: String,
    },
    /// `--requirement` names no requirement of the partner's track.
    #[error(
        "`--requirement {id}`: no such requirement for a {track} partner; expected one of {expected}"
    )]
    UnknownRequirement {
        /// The id asked for.
        id: String,
        /// The partner's track.
        track: crate::tiers::Track,
        /// The ids there are.
        expected: String,
    },
    /// `--by` is before the as-of date.
    #[error("`--by {by}` is before the as-of date {as_of}; expected a date on or after it")]
    ByInThePast {
        /// The date asked for.
        by: NaiveDate,
        /// The as-of date.
        as_of: NaiveDate,
    },
    /// `--from` is after `--to`.
    #[error("`--from {from}` is after `--to {to}`; expected a series that runs forward")]
    BackwardSeries {
        /// The first date asked for.
        from: NaiveDate,
        /// The last date asked for.
        to: NaiveDate,
    },
    /// A file that is never replaced (`init`, a new catalog file) is there.
    #[error("`{path}` exists already, and this command never replaces a file; name another path")]
    WouldOverwrite {
        /// The file.
        path: String,
    },
    /// A file could not be written.
    #[error("cannot write `{path}`: {}", describe_io(source))]
    Write {
        /// The file.
        path: String,
        /// What the system said.
        source: io::Error,
    },
    /// Flags that mean nothing together, or nothing for this run.
    #[error("{0}")]
    Usage(String),
    /// The database could not be written.
    #[error(
        "cannot write the database `{path}`: {message}; expected a folder with room to write it, and nothing else writing the file"
    )]
    Database {
        /// The file.
        path: String,
        /// What SQLite said.
        message: String,
    },
    /// A row could not be written as SQLite would store it: a value longer
    /// than SQLite reads, more partners than it numbers, or a fault of this
    /// program.
    #[error(
        "cannot export into `{path}`: {message}; SQLite reads values of at most 1,000,000,000 bytes, and anything else not said here is a fault of apn-check to report"
    )]
    ExportRow {
        /// The file.
        path: String,
        /// What does not fit.
        message: String,
    },
    /// Standard output could not be written.
    #[error("cannot write the output: {}", describe_io(.0))]
    Output(io::Error),
    /// The competency catalog could not be loaded.
    #[error(transparent)]
    Catalog(#[from] crate::competency::CatalogError),
    /// A competency path request was wrong or too large.
    #[error(transparent)]
    Path(#[from] crate::competency::answer::PathError),
    /// A checklist page or spreadsheet could not be imported.
    #[error(transparent)]
    Import(#[from] crate::competency::import::ImportError),
}

impl CliError {
    /// The file and line the error is at, when known, to show with a caret.
    fn excerpt(&self) -> Option<(&str, &crate::error::Excerpt)> {
        match self {
            CliError::Load(load) => load.excerpt().map(|excerpt| (load.path(), excerpt)),
            CliError::Rules(rules) => rules.excerpt(),
            CliError::Catalog(catalog) => catalog
                .excerpt
                .as_deref()
                .map(|excerpt| (catalog.file.as_str(), excerpt)),
            _ => None,
        }
    }
}

/// Standard output until its reader closes it; after that, writes are
/// dropped.
struct UntilClosed<'a> {
    out: &'a mut dyn Write,
    closed: bool,
}

impl Write for UntilClosed<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(bytes.len());
        }
        match self.out.write(bytes) {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(bytes.len())
            }
            result => result,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.out.flush() {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            result => result,
        }
    }
}

/// Runs a parsed command line, writing the report to `out` and errors to `err`.
pub fn run(
    cli: &Cli,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    // A reader that goes away (`| head -1`) ends the output, not the run:
    // the outcome is the gate's, as if the output had been read.
    let mut until_closed = UntilClosed { out, closed: false };
    // Renderers write piece by piece; standard output is written in large
    // blocks, each command flushing when its output is complete.
    let mut out = io::BufWriter::with_capacity(1 << 16, &mut until_closed);
    let result = execute(cli, environment, &mut out, err);
    let result = match out.flush() {
        Err(error) if result.is_ok() => Err(CliError::Output(error)),
        _ => result,
    };
    match result {
        Ok(outcome) => outcome,
        Err(error) => {
            let message = crate::error::bounded(&error.to_string());
            let styled = environment.error_color(ColorChoice::Auto);
            let text = crate::report::diagnostic::render_at(&message, error.excerpt(), styled);
            // Nothing more can be done if stderr itself is gone.
            let _ = err.write_all(crate::escape::terminal_output(&text).as_bytes());
            Outcome::CouldNotRun
        }
    }
}

fn execute(
    cli: &Cli,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    match &cli.command {
        Command::Score(args) => score_command(args, environment, out, err),
        Command::Validate(args) => validate_command(args, environment, out, err),
        Command::Explain(args) => explain_command(args, environment, out),
        Command::History(args) => history_command(args, environment, out),
        Command::Plan(args) => plan_command(args, environment, out),
        Command::Rules(args) => rules_command(args, environment, out),
        Command::Competencies(args) => competencies::run(&args.command, environment, out, err),
        Command::Import(args) => import::run(&args.command, environment, out, err),
        Command::Export(args) => export::run(&args.command, environment, out, err),
        Command::Schema => {
            write_out(out, &crate::partner::partner_schema()).map(|()| Outcome::Compliant)
        }
        Command::Init(args) => init_command(args, environment, out),
        Command::Completions(args) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "apn-check", &mut script);
            out.write_all(&script).map_err(CliError::Output)?;
            Ok(Outcome::Compliant)
        }
        Command::Man(args) => man_command(args, out),
    }
}

/// What each exit status means for a command, for its man page.
fn exit_statuses(name: &str) -> &'static [(u8, &'static str)] {
    match name {
        "score" | "apn-check" => &[
            (
                0,
                "every partner passes the gate: its current tier (or the --require tier) is met",
            ),
            (
                1,
                "a partner fails the gate (not met, or in grace with --fail-on-grace, or a warning with --deny-warnings)",
            ),
            (
                2,
                "an input could not be scored, or the command line or rule file is wrong",
            ),
        ],
        "validate" => &[
            (0, "every file is valid"),
            (
                2,
                "a file is not valid, or the command line or rule file is wrong",
            ),
        ],
        _ => &[
            (0, "done"),
            (
                2,
                "the command line, the partner file or the rule file is wrong",
            ),
        ],
    }
}

/// A man page: clap's sections, then the exit status.
fn man_page(command: clap::Command, status_of: &str) -> io::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    page.extend_from_slice(b".SH \"EXIT STATUS\"\n");
    for (code, meaning) in exit_statuses(status_of) {
        page.extend_from_slice(format!(".TP\n{code}\n{meaning}\n").as_bytes());
    }
    Ok(page)
}

fn man_command(args: &ManArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let Some(directory) = &args.out else {
        let page = man_page(root, "apn-check").map_err(CliError::Output)?;
        out.write_all(&page).map_err(CliError::Output)?;
        return Ok(Outcome::Compliant);
    };
    let write_error = |path: &std::path::Path, source: io::Error| CliError::Write {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(directory).map_err(|source| write_error(directory, source))?;
    let mut pages = vec![("apn-check".to_owned(), "apn-check".to_owned(), root.clone())];
    for sub in root.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = sub.get_name().to_owned();
        pages.push((format!("apn-check-{name}"), name, sub.clone()));
    }
    let mut written = String::new();
    for (file, status_of, command) in pages {
        let path = directory.join(format!("{file}.1"));
        let page = man_page(command, &status_of).map_err(CliError::Output)?;
        std::fs::write(&path, page).map_err(|source| write_error(&path, source))?;
        written.push_str(&format!("wrote {}\n", crate::escape::shown(path.display())));
    }
    commands::write_human(out, &written)?;
    Ok(Outcome::Compliant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        let cases = [
            ("512", Some(512)),
            ("1GiB", Some(1 << 30)),
            ("10 MiB", Some(10 << 20)),
            ("2k", Some(2048)),
            ("1.5GiB", None),
            ("GiB", None),
            ("3 parsecs", None),
            ("99999999999999999999", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_size(text).ok(), expected, "{text}");
        }
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        let cases: [&[&str]; 4] = [
            &["apn-check", "score"],
            &["apn-check", "score", "p.toml", "--as-of", "2019-02-30"],
            &["apn-check", "score", "p.toml", "--require", "gold"],
            &["apn-check", "scroe", "p.toml"],
        ];
        for args in cases {
            let error = Cli::try_parse_from(args).err();
            assert_eq!(error.map(|error| error.exit_code()), Some(2), "{args:?}");
        }
    }
}
