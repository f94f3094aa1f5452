//! The commands: each loads what it needs, runs the library, renders, and
//! says how the run ended.

use std::io::{self, Write};

use clap::ValueEnum;

use super::destination::{Existing, write_file, write_file_with};
use super::{
    CliError, Environment, ExplainArgs, HistoryArgs, InitArgs, OnePartner, Outcome, OutputFormat,
    PlanArgs, RulesArgs, ScoreArgs, ValidateArgs, ValidateFormat,
};
use crate::batch::{FileResult, GateOptions, Job, Settings, Source, collect_inputs, score_all};
use crate::error::list;
use crate::error::{InputError, LoadError, PartnerProblem, RulesError};
use crate::escape::{shown, terminal_output};
use crate::evaluate::score;
use crate::explain::explain;
use crate::history::history;
use crate::partner::{Format, Partner, read_limited, read_text};
use crate::plan::{default_target, plan};
use crate::report;
use crate::rules::RuleSet;
use crate::starter::starter_for;
use crate::tiers::{Tier, Track};

/// Loads the rule file named on the command line, or the embedded one.
pub fn load_rules(path: Option<&std::path::Path>) -> Result<RuleSet, RulesError> {
    match path {
        Some(path) => RuleSet::load(path),
        None => RuleSet::embedded(),
    }
}

/// Reads standard input once, for the first `-`; later ones get the same text.
fn read_stdin(cache: &mut Option<String>, limit: u64) -> Result<String, LoadError> {
    if let Some(text) = cache {
        return Ok(text.clone());
    }
    let text = read_limited(io::stdin(), "-", limit)?;
    *cache = Some(text.clone());
    Ok(text)
}

pub(super) fn report_error(err: &mut dyn Write, error: &InputError, styled: bool) {
    // Nothing more can be done if standard error itself is gone.
    let text = report::diagnostic::render(error, styled);
    let _ = err.write_all(terminal_output(&text).as_bytes());
}

pub(super) fn score_command(
    args: &ScoreArgs,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let rules = load_rules(args.rules.as_deref())?;
    let settings = Settings {
        rules: &rules,
        as_of: args.as_of.unwrap_or(environment.today),
        gate: GateOptions {
            require: args.require.map(Tier::from),
            fail_on_grace: args.fail_on_grace,
            deny_warnings: args.deny_warnings,
        },
        forecast: args.forecast,
        max_file_size: args.inputs.max_file_size,
        // The HTML page draws each partner's history from its records.
        keep_partner: args.format == OutputFormat::Html
            || args
                .report
                .iter()
                .any(|report| report.format == OutputFormat::Html),
    };
    let format = if args.json {
        OutputFormat::Json
    } else {
        args.format
    };
    let color = environment.color(args.color);
    let inputs = collect_inputs(
        &args.inputs.files,
        args.inputs.stdin_format.map(Format::from),
    );
    let single =
        args.inputs.files.len() == 1 && inputs.len() == 1 && !args.inputs.files[0].is_dir();
    if args.quiet && format != OutputFormat::Table {
        return Err(CliError::Usage(format!(
            "`-q` prints table verdicts; it means nothing with `--format {}`: drop one of them",
            format
                .to_possible_value()
                .map_or("?".to_owned(), |value| value.get_name().to_owned())
        )));
    }
    if args.forecast
        && (!single || args.quiet || !matches!(format, OutputFormat::Table | OutputFormat::Json))
    {
        return Err(CliError::Usage(
            "`--forecast` forecasts one partner in the table or JSON; use it with one file, without `-q` and with `--format table` or `json`".to_owned(),
        ));
    }
    for (index, report) in args.report.iter().enumerate() {
        if args.report[..index]
            .iter()
            .any(|earlier| earlier.path == report.path)
        {
            return Err(CliError::Usage(format!(
                "`--report` names `{}` twice; expected one file per report",
                report.path.display()
            )));
        }
    }
    let work = jobs_of(inputs, args.inputs.max_file_size);
    let jobs = threads(args.jobs, work.len());
    let ndjson = format == OutputFormat::Ndjson;
    // Lines stream to standard output; to a file (`-o`), they are written
    // with the rest.
    let streamed = ndjson && args.output.is_none();
    let prepare = |result: &FileResult| streamed.then(|| report::json::ndjson_line(result));
    // Streamed lines need no result kept once written, unless a report
    // file needs them.
    let keep = !ndjson || !args.report.is_empty() || args.output.is_some();
    let progress = super::progress::Progress::new(environment, work.len(), "scoring");
    let run = score_all(work, &settings, jobs, keep, prepare, |result, line| {
        if let Some(FileResult::Failed { error, .. }) = result {
            progress.suspend(|| report_error(err, error, environment.error_color(args.color)));
        }
        progress.advance();
        if let Some(line) = line {
            progress.suspend(|| write_out(out, &line))?;
        }
        Ok::<(), CliError>(())
    });
    progress.finish();
    let run = run?;
    let outcome = Outcome::from(run.summary);
    let results = run.results;
    let run = report::Run {
        results: &results,
        rules: &rules,
        single,
        could_not_run: outcome == Outcome::CouldNotRun,
        quiet: args.quiet,
        detail: args.detail,
        width: environment.width,
        color,
    };
    // Each report file first: standard output may be a pipe that closes.
    for report in &args.report {
        let file_run = report::Run {
            width: None,
            color: false,
            ..run
        };
        write_file_with(&report.path, Existing::Replace, |out| {
            report.format.into_report().write(&file_run, out)
        })?;
    }
    if let Some(path) = &args.output {
        write_file_with(path, Existing::Replace, |out| {
            format.into_report().write(&run, out)
        })?;
    } else if format == OutputFormat::Ndjson {
        // Streamed as each file finished.
    } else {
        format
            .into_report()
            .write(&run, out)
            .and_then(|()| out.flush())
            .map_err(CliError::Output)?;
    }
    Ok(outcome)
}

/// The work of a run over many inputs: standard input is read once, here,
/// before the work is shared out.
pub(super) fn jobs_of(
    inputs: Vec<Result<crate::batch::Input, InputError>>,
    max_file_size: u64,
) -> Vec<Job> {
    let mut stdin_cache = None;
    inputs
        .into_iter()
        .map(|input| {
            let input = input?;
            let text = match input.source {
                Source::Stdin(_) => Some(read_stdin(&mut stdin_cache, max_file_size)?),
                Source::File(_) => None,
            };
            Ok((input, text))
        })
        .collect()
}

/// The threads for `work` inputs: as asked (else one per core), but no more
/// than the inputs or a few per core, which only cost.
pub(super) fn threads(asked: Option<u64>, work: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let asked = asked.map_or(cores, |jobs| usize::try_from(jobs).unwrap_or(usize::MAX));
    asked.min(4 * cores).min(work).max(1)
}

pub(super) fn validate_command(
    args: &ValidateArgs,
    environment: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    if args.quiet && args.format != ValidateFormat::Text {
        return Err(CliError::Usage(
            "`-q` quiets the text format; with `--format json`, `sarif` or `github` only errors are listed anyway: drop one of them".to_owned(),
        ));
    }
    let rules = load_rules(args.rules.as_deref())?;
    let catalog = super::competencies::load_catalog(&args.catalog)?;
    let styled = environment.error_color(args.color);
    let mut stdin_cache = None;
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for input in collect_inputs(
        &args.inputs.files,
        args.inputs.stdin_format.map(Format::from),
    ) {
        let mut name = None;
        let checked = input.and_then(|input| {
            name = Some(input.name.clone());
            let text = match &input.source {
                Source::Stdin(_) => read_stdin(&mut stdin_cache, args.inputs.max_file_size)?,
                Source::File(path) => read_text(path, &input.name, args.inputs.max_file_size)?,
            };
            let format = match &input.source {
                Source::Stdin(format) => *format,
                Source::File(path) => {
                    Format::of_path(path).ok_or_else(|| LoadError::UnknownFormat {
                        path: input.name.clone(),
                    })?
                }
            };
            let partner = Partner::parse(&text, format, &input.name, &rules)?;
            crate::competency::standing::identities_of(&catalog, &partner.requirement_evidence)
                .map_err(|error| LoadError::Invalid {
                    path: input.name.clone(),
                    problem: PartnerProblem::UnknownEvidence(error.message),
                    excerpt: crate::partner::record_excerpt(
                        &text,
                        format,
                        "requirement_evidence",
                        error.index,
                    )
                    .map(Box::new),
                })?;
            Ok(input.name)
        });
        match checked {
            Ok(name) => {
                if args.format == ValidateFormat::Text && !args.quiet {
                    write_human(out, &format!("ok: {}\n", shown(&name)))?;
                }
                files.push(ValidatedFile {
                    file: name,
                    valid: true,
                    error: None,
                });
            }
            Err(error) => {
                report_error(err, &error, styled);
                let file = name.unwrap_or_else(|| error.subject());
                files.push(ValidatedFile {
                    file: file.clone(),
                    valid: false,
                    error: Some(report::json::ErrorEntry::of(&file, &error)),
                });
                failed.push(FileResult::Failed { file, error });
            }
        }
    }
    let invalid = failed.len();
    let valid = files.len() - invalid;
    match args.format {
        ValidateFormat::Text if args.quiet => {}
        ValidateFormat::Text => {
            write_human(out, &format!("{valid} valid, {invalid} invalid\n"))?;
        }
        ValidateFormat::Json => write_out(
            out,
            &report::json::to_text(&Validation {
                files,
                valid,
                invalid,
            }),
        )?,
        ValidateFormat::Sarif => report::sarif::write(&failed, &rules, out)
            .and_then(|()| out.flush())
            .map_err(CliError::Output)?,
        ValidateFormat::Github => report::github::write(&failed, out)
            .and_then(|()| out.flush())
            .map_err(CliError::Output)?,
    }
    Ok(if invalid == 0 {
        Outcome::Compliant
    } else {
        Outcome::CouldNotRun
    })
}

/// `validate --format json`: each file in order, then the counts.
#[derive(serde::Serialize)]
struct Validation {
    files: Vec<ValidatedFile>,
    valid: usize,
    invalid: usize,
}

/// One file `validate` read.
#[derive(serde::Serialize)]
struct ValidatedFile {
    file: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<report::json::ErrorEntry>,
}

/// Writes a command's result: as JSON with `json`, else in words for
/// people through [`TerminalWriter`](crate::escape::TerminalWriter); a
/// write error is the run's output error.
pub(super) fn write_result<T: serde::Serialize>(
    out: &mut dyn Write,
    json: bool,
    value: &T,
    words: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    write_words(out, json, |out| {
        if json {
            report::json::write_value(value, out)
        } else {
            words(out)
        }
    })
}

/// Writes what `write` writes: as it is for a machine format (`json`),
/// else through [`TerminalWriter`](crate::escape::TerminalWriter); a write
/// error is the run's output error.
pub(super) fn write_words(
    out: &mut dyn Write,
    json: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    let written = if json {
        write(out)
    } else {
        let mut people = crate::escape::TerminalWriter::new(out);
        write(&mut people).and_then(|()| people.finish())
    };
    written.and_then(|()| out.flush()).map_err(CliError::Output)
}

/// Writes text for people: whatever a renderer let through, nothing in it
/// acts on the terminal (see [`terminal_output`]).
pub(super) fn write_human(out: &mut dyn Write, text: &str) -> Result<(), CliError> {
    write_out(out, &terminal_output(text))
}

pub(super) fn write_out(out: &mut dyn Write, text: &str) -> Result<(), CliError> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(CliError::Output)
}

impl OnePartner {
    /// The rule set and the partner file.
    fn load(&self) -> Result<(RuleSet, Partner), CliError> {
        let rules = load_rules(self.rules.as_deref())?;
        let partner = Partner::load_with_limit(&self.file, &rules, self.max_file_size)?;
        Ok((rules, partner))
    }
}

pub(super) fn explain_command(
    args: &ExplainArgs,
    environment: &Environment,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let (rules, partner) = args.partner.load()?;
    let as_of = args.as_of.unwrap_or(environment.today);
    let track = partner.info.track;
    let explanation =
        explain(&partner, &rules, as_of, args.requirement.as_deref()).ok_or_else(|| {
            let ids = rules
                .requirements_of(track)
                .map(|requirement| requirement.id.as_str());
            CliError::UnknownRequirement {
                id: args.requirement.clone().unwrap_or_default(),
                track,
                expected: list(ids),
            }
        })?;
    let color = environment.color(args.color);
    write_result(out, args.json, &explanation, |out| {
        report::explain::write(&explanation, color, out)
    })?;
    Ok(Outcome::Compliant)
}

pub(super) fn history_command(
    args: &HistoryArgs,
    environment: &Environment,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    if args.from > args.to {
        return Err(CliError::BackwardSeries {
            from: args.from,
            to: args.to,
        });
    }
    if crate::history::too_long(args.from, args.to, args.every.into()) {
        return Err(CliError::Usage(format!(
            "`--from {} --to {}` every {} is more than {} dates; expected a shorter series or a longer step (`--every week`, `--every month`)",
            args.from,
            args.to,
            args.every
                .to_possible_value()
                .map_or("?".to_owned(), |value| value.get_name().to_owned()),
            crate::history::MAX_DATES
        )));
    }
    let (rules, partner) = args.partner.load()?;
    if let Some(path) = &args.out {
        let series =
            crate::history::margins(&partner, &rules, args.from, args.to, args.every.into());
        write_file(
            path,
            &report::picture::history_svg(&series),
            Existing::Replace,
        )?;
    }
    let points = history(&partner, &rules, args.from, args.to, args.every.into());
    write_result(out, args.json, &points, |out| {
        report::history::write(&points, args.every.into(), environment.width, out)
    })?;
    Ok(Outcome::Compliant)
}

pub(super) fn plan_command(
    args: &PlanArgs,
    environment: &Environment,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let (rules, partner) = args.partner.load()?;
    let as_of = args.as_of.unwrap_or(environment.today);
    let today = score(&partner, &rules, as_of);
    let tier = args
        .tier
        .map(Tier::from)
        .unwrap_or_else(|| default_target(&today, &rules));
    let track = partner.info.track;
    if !rules.program.has_tier(track, tier) {
        return Err(CliError::TierNotInTrack {
            tier,
            track,
            expected: rules.program.tier_list(track),
        });
    }
    let by = args.by.unwrap_or(today.review_date);
    if by < as_of {
        return Err(CliError::ByInThePast { by, as_of });
    }
    let mut plan = plan(&partner, &rules, as_of, tier, by);
    if let Ok(catalog) = crate::competency::Catalog::embedded() {
        crate::plan::advise_designations(&mut plan, &catalog, &partner, &rules);
    }
    write_result(out, args.json, &plan, |out| report::plan::write(&plan, out))?;
    Ok(Outcome::Compliant)
}

pub(super) fn rules_command(
    args: &RulesArgs,
    environment: &Environment,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let rules = load_rules(args.rules.as_deref())?;
    let source = args.rules.as_ref().map_or_else(
        || crate::rules::EMBEDDED_RULES_NAME.to_owned(),
        |path| path.display().to_string(),
    );
    write_result(out, false, &(), |out| {
        report::rules::write(
            &rules,
            &source,
            args.track.map(Track::from),
            environment.width,
            out,
        )
    })?;
    Ok(Outcome::Compliant)
}

pub(super) fn init_command(
    args: &InitArgs,
    environment: &Environment,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let track = Track::from(args.track);
    if args.path.as_os_str() == "-" {
        write_out(out, &starter_for(track, Format::Toml, environment.today))?;
        return Ok(Outcome::Compliant);
    }
    let path = args.path.display().to_string();
    let Some(format) = Format::of_path(&args.path) else {
        return Err(CliError::Usage(format!(
            "`{path}`: `init` writes a `.toml` or `.json` partner file; name the file with one of them, such as `partner.toml`"
        )));
    };
    if args.path.exists() {
        return Err(CliError::WouldOverwrite { path });
    }
    write_file(
        &args.path,
        &starter_for(track, format, environment.today),
        Existing::Keep,
    )?;
    write_human(
        out,
        &format!(
            "wrote `{}`, a {track} starter dated around {}; next: apn-check score {}\n",
            shown(&path),
            environment.today,
            shown(&shell_word(&path))
        ),
    )?;
    Ok(Outcome::Compliant)
}

/// `text` as one shell word: as it is when it is plain, else single-quoted.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=+,:@%".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}
