//! Many partner files at once: collecting the inputs (files, directories
//! walked for `.toml` and `.json` files, `-` for standard input), then
//! loading, scoring and gating each on its own, so that one bad file never
//! hides the rest.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::error::{InputError, LoadError};
use crate::evaluate::score;
use crate::forecast::{Forecast, forecast};
use crate::kinds::Warning;
use crate::outcome::Outcome;
use crate::partner::{Format, Partner};
use crate::rules::RuleSet;
use crate::scorecard::{Scorecard, Status};
use crate::tiers::Tier;

/// Where a partner file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// Standard input, in the given format.
    Stdin(Format),
}

/// One partner file to score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name in reports (the path as given, or `-`).
    pub name: String,
    /// Where it comes from.
    pub source: Source,
}

/// Expands the command line's paths: a directory gives every `.toml` and
/// `.json` file below it (sorted, hidden entries skipped), `-` standard
/// input. A directory without partner files is an error of its own.
pub fn collect_inputs(
    paths: &[PathBuf],
    stdin_format: Option<Format>,
) -> Vec<Result<Input, InputError>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(match stdin_format {
                Some(format) => Ok(Input {
                    name: "-".to_owned(),
                    source: Source::Stdin(format),
                }),
                None => Err(InputError::StdinFormat),
            });
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found);
            if found.is_empty() {
                inputs.push(Err(InputError::EmptyDirectory {
                    path: path.display().to_string(),
                }));
            }
            found.sort_by(|a, b| match (a, b) {
                (Ok(a), Ok(b)) => a.cmp(b),
                (Ok(_), Err(_)) => std::cmp::Ordering::Less,
                (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
                (Err(_), Err(_)) => std::cmp::Ordering::Equal,
            });
            inputs.extend(found.into_iter().map(|file| {
                file.map(|file| Input {
                    name: file.display().to_string(),
                    source: Source::File(file),
                })
            }));
        } else {
            inputs.push(Ok(Input {
                name: path.display().to_string(),
                source: Source::File(path.clone()),
            }));
        }
    }
    inputs
}

/// Every partner file below `directory` into `found` (with `walkdir`), and
/// each entry that could not be listed as its own error, the walk going on
/// past it. Links are not followed: a link to a directory is skipped (a link
/// loop cannot run away), a link to a file named like a partner file is
/// kept, and reading it says what it is. Hidden entries are skipped.
fn walk(directory: &Path, found: &mut Vec<Result<PathBuf, InputError>>) {
    let hidden = |entry: &walkdir::DirEntry| {
        entry.depth() > 0
            && entry
                .file_name()
                .to_str()
                .is_some_and(|name| name.starts_with('.'))
    };
    let entries = walkdir::WalkDir::new(directory)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !hidden(entry));
    for entry in entries {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_dir() && Format::of_path(entry.path()).is_some() {
                    found.push(Ok(entry.into_path()));
                }
            }
            Err(error) => {
                let path = error.path().unwrap_or(directory).display().to_string();
                let source = match error.into_io_error() {
                    Some(source) => source,
                    // Only a link loop has no system error, and links are
                    // not followed; kept as an error all the same.
                    None => std::io::Error::other("a link loop"),
                };
                found.push(Err(InputError::List { path, source }));
            }
        }
    }
}

/// How each partner is gated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateOptions {
    /// The tier to meet; `None`: each partner's current tier.
    pub require: Option<Tier>,
    /// A requirement in grace fails the gate.
    pub fail_on_grace: bool,
    /// A warning fails the gate.
    pub deny_warnings: bool,
}

/// One partner's gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The tier gated on.
    pub tier: Tier,
    /// Whether the partner passes.
    pub passed: bool,
    /// The requirements that fail the gate.
    pub failing: Vec<String>,
    /// The requirements of the tier in grace (payment due).
    pub in_grace: Vec<String>,
    /// The codes of the warnings that fail the gate (with `--deny-warnings`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub denied_warnings: Vec<&'static str>,
}

impl Verdict {
    /// Why the gate failed: "not met: a, b; warnings: c", or "not met" when
    /// the tier is not met without a single requirement to name.
    pub fn why(&self) -> String {
        let mut reasons = Vec::new();
        if !self.failing.is_empty() {
            reasons.push(format!("not met: {}", self.failing.join(", ")));
        }
        if !self.denied_warnings.is_empty() {
            reasons.push(format!("warnings: {}", self.denied_warnings.join(", ")));
        }
        if reasons.is_empty() {
            reasons.push("not met".to_owned());
        }
        reasons.join("; ")
    }
}

/// Judges a scorecard, with the data's warnings, against the gate.
pub fn verdict(
    scorecard: &Scorecard,
    warnings: &[Warning],
    tier: Tier,
    options: GateOptions,
) -> Verdict {
    let gated = scorecard.tier(tier);
    let in_grace: Vec<String> = gated
        .map(|result| {
            result
                .requirements
                .iter()
                .filter(|requirement| requirement.status == Status::Grace)
                .map(|requirement| requirement.id.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut failing: Vec<String> = gated
        .map(|result| {
            result
                .unmet()
                .map(|requirement| requirement.id.clone())
                .collect()
        })
        .unwrap_or_default();
    if options.fail_on_grace {
        failing.extend(in_grace.iter().cloned());
    }
    let mut denied_warnings: Vec<&'static str> = Vec::new();
    if options.deny_warnings {
        for warning in warnings {
            if !denied_warnings.contains(&warning.code) {
                denied_warnings.push(warning.code);
            }
        }
    }
    Verdict {
        tier,
        passed: scorecard.meets(tier) && failing.is_empty() && denied_warnings.is_empty(),
        failing,
        in_grace,
        denied_warnings,
    }
}

/// The scorecard, with the forecast when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// The scorecard.
    Scorecard(Scorecard),
    /// The scorecard with the forecast.
    Forecast(Box<Forecast>),
}

impl Report {
    /// Today's scorecard.
    pub fn scorecard(&self) -> &Scorecard {
        match self {
            Report::Scorecard(scorecard) => scorecard,
            Report::Forecast(forecast) => &forecast.today,
        }
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Report::Scorecard(scorecard) => scorecard.serialize(serializer),
            Report::Forecast(forecast) => forecast.serialize(serializer),
        }
    }
}

/// A partner file scored and gated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scored {
    /// The file's name.
    pub file: String,
    /// The gate.
    pub gate: Verdict,
    /// The scorecard (with the forecast when asked for).
    #[serde(flatten)]
    pub report: Report,
    /// What looks wrong in the data (as of the scorecard's date).
    pub warnings: Vec<Warning>,
    /// For each failing requirement, the line of the file's table it counts
    /// (for annotations); the `[partner]` table when the file has none.
    #[serde(skip)]
    pub lines: Vec<(String, usize)>,
    /// The partner as loaded, when [`Settings::keep_partner`] asks for it.
    #[serde(skip)]
    pub partner: Option<Box<Partner>>,
}

/// What became of one input.
#[derive(Debug)]
pub enum FileResult {
    /// Scored and gated.
    Scored(Box<Scored>),
    /// Could not be scored.
    Failed {
        /// The input's name.
        file: String,
        /// Why.
        error: InputError,
    },
}

/// The counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Inputs in all.
    pub files: usize,
    /// Partners that pass the gate.
    pub passed: usize,
    /// Partners that fail it.
    pub failed: usize,
    /// Inputs that could not be scored.
    pub errors: usize,
}

impl Summary {
    /// Counts the results.
    pub fn of(results: &[FileResult]) -> Summary {
        let mut summary = Summary {
            files: results.len(),
            ..Summary::default()
        };
        for result in results {
            match result {
                FileResult::Scored(scored) if scored.gate.passed => summary.passed += 1,
                FileResult::Scored(_) => summary.failed += 1,
                FileResult::Failed { .. } => summary.errors += 1,
            }
        }
        summary
    }

    /// The counts of two runs together.
    pub fn plus(self, other: Summary) -> Summary {
        Summary {
            files: self.files + other.files,
            passed: self.passed + other.passed,
            failed: self.failed + other.failed,
            errors: self.errors + other.errors,
        }
    }
}

impl From<Summary> for Outcome {
    /// Could not run if any input could not be scored (or there was none),
    /// else the gate failed if any partner fails it, else compliant.
    fn from(summary: Summary) -> Outcome {
        if summary.errors > 0 || summary.files == 0 {
            Outcome::CouldNotRun
        } else if summary.failed > 0 {
            Outcome::GateFailed
        } else {
            Outcome::Compliant
        }
    }
}

/// What scoring needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// The rule set.
    pub rules: &'a RuleSet,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The gate.
    pub gate: GateOptions,
    /// Also forecast the review date.
    pub forecast: bool,
    /// The largest partner file to read, in bytes.
    pub max_file_size: u64,
    /// Keep each loaded partner in its result (for an export of the
    /// records); a plain score drops it once scored.
    pub keep_partner: bool,
}

/// Loads, scores and gates one input; `text` is its content when it was
/// read already (standard input).
pub fn score_input(input: &Input, stdin_text: Option<&str>, settings: &Settings) -> FileResult {
    let failed = |error: InputError| FileResult::Failed {
        file: input.name.clone(),
        error,
    };
    let (text, format) = match (&input.source, stdin_text) {
        (Source::Stdin(format), Some(text)) => (text.to_owned(), *format),
        (Source::Stdin(format), None) => (String::new(), *format),
        (Source::File(path), _) => {
            let Some(format) = Format::of_path(path) else {
                return failed(
                    LoadError::UnknownFormat {
                        path: input.name.clone(),
                    }
                    .into(),
                );
            };
            match crate::partner::read_text(path, &input.name, settings.max_file_size) {
                Ok(text) => (text, format),
                Err(error) => return failed(error.into()),
            }
        }
    };
    let rules = settings.rules;
    let partner = match Partner::parse(&text, format, &input.name, rules) {
        Ok(partner) => partner,
        Err(error) => return failed(error.into()),
    };
    let track = partner.info.track;
    let tier = settings.gate.require.unwrap_or(partner.info.tier);
    if !rules.program.has_tier(track, tier) {
        return failed(InputError::GateTier {
            path: input.name.clone(),
            track,
            tier,
            expected: rules.program.tier_list(track),
        });
    }
    let mut warnings = crate::evaluate::warnings(&partner, rules, settings.as_of);
    let records: Vec<(&'static str, usize)> = warnings.iter().map(|w| w.record).collect();
    // Finding the warnings' lines reads the text again; it is done beside
    // the scoring, on another core when there is one.
    let (report, lines) = rayon::join(
        || {
            if settings.forecast {
                Report::Forecast(Box::new(forecast(&partner, rules, settings.as_of)))
            } else {
                Report::Scorecard(score(&partner, rules, settings.as_of))
            }
        },
        || crate::partner::lines_of_records(&text, format, &records),
    );
    for (warning, line) in warnings.iter_mut().zip(lines) {
        warning.line = line;
    }
    let gate = verdict(report.scorecard(), &warnings, tier, settings.gate);
    let lines = gate
        .failing
        .iter()
        .map(|id| {
            let table = rules
                .requirements
                .iter()
                .find(|requirement| requirement.id == *id)
                .map_or("partner", |requirement| requirement.kind.rule().table());
            let line = crate::partner::line_of_table(&text, format, table)
                .or_else(|| crate::partner::line_of_table(&text, format, "partner"))
                .unwrap_or(1);
            (id.clone(), line)
        })
        .collect();
    FileResult::Scored(Box::new(Scored {
        file: input.name.clone(),
        gate,
        report,
        warnings,
        lines,
        partner: settings.keep_partner.then(|| Box::new(partner)),
    }))
}

/// One input ready to score: the input and, for standard input, its text
/// (read once, before the work is shared out), or why it cannot be scored.
pub type Job = Result<(Input, Option<String>), InputError>;

/// How many inputs the pool scores between two writes of their results.
const PARALLEL_BATCH: usize = 256;

/// What a run of [`score_all`] gives: the results, in input order, when
/// they were kept, and the counts of all of them.
#[derive(Debug)]
pub struct Run {
    /// Every result when kept, else only those that could not be scored.
    pub results: Vec<FileResult>,
    /// The counts of every result.
    pub summary: Summary,
}

/// Scores the jobs on `jobs` threads (at least one). `prepare` runs on the
/// worker with each result (to render it, say); `finished` gets, in input
/// order, the result (unless it was scored and `keep` is false: a streamed
/// run drops each scorecard on its worker once prepared) and what `prepare`
/// made of it, as soon as its batch of inputs is done (each input on its own
/// thread), so output streams without reordering. The first error
/// `finished` returns stops further calls and is returned.
pub fn score_all<T: Send, E>(
    work: Vec<Job>,
    settings: &Settings,
    jobs: usize,
    keep: bool,
    prepare: impl Fn(&FileResult) -> T + Sync,
    mut finished: impl FnMut(Option<&FileResult>, T) -> Result<(), E>,
) -> Result<Run, E> {
    /// One job done: its counted outcome, its result if kept, its preparation.
    type Done<T> = (Summary, Option<FileResult>, T);
    let count = work.len();
    let mut first_error = None;
    let mut run = Run {
        results: Vec::new(),
        summary: Summary::default(),
    };
    // Called in input order, on this thread.
    let mut deliver = |(counted, result, prepared): Done<T>| {
        if first_error.is_none()
            && let Err(error) = finished(result.as_ref(), prepared)
        {
            first_error = Some(error);
        }
        run.summary = run.summary.plus(counted);
        run.results.extend(result);
    };
    // Scoring, `prepare` (rendering, say) and dropping what is not kept run
    // on the worker threads.
    let work_on = |job: Job| {
        let result = match job {
            Ok((input, text)) => score_input(&input, text.as_deref(), settings),
            Err(error) => FileResult::Failed {
                file: error.subject(),
                error,
            },
        };
        let prepared = prepare(&result);
        let counted = Summary::of(std::slice::from_ref(&result));
        let kept = match result {
            FileResult::Scored(_) if !keep => None,
            result => Some(result),
        };
        (counted, kept, prepared)
    };
    // A pool only for several inputs on several threads: one file starts no threads.
    let pool = (jobs > 1 && count > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .ok()
        })
        .flatten();
    match pool {
        // The pool works through the inputs a batch at a time, each batch's
        // results collected in order; this thread writes them out between
        // batches. (A result sent back one by one woke this thread for each
        // file, a cost that showed on small files.)
        //
        // The next batch is scored while this thread writes the last one
        // out (a channel of one batch bounds what is held), so writing a
        // large output overlaps scoring rather than following it.
        Some(pool) => {
            use rayon::iter::{IntoParallelIterator, ParallelIterator};
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Done<T>>>(1);
            std::thread::scope(|scope| {
                let work_on = &work_on;
                let pool = &pool;
                scope.spawn(move || {
                    let mut work = work.into_iter();
                    loop {
                        let batch: Vec<Job> = work.by_ref().take(PARALLEL_BATCH).collect();
                        if batch.is_empty() {
                            break;
                        }
                        // `collect` keeps the batch's order.
                        let done: Vec<Done<T>> =
                            pool.install(|| batch.into_par_iter().map(work_on).collect());
                        // The receiver is gone once delivery stopped.
                        if sender.send(done).is_err() {
                            break;
                        }
                    }
                });
                for done in receiver.iter() {
                    done.into_iter().for_each(&mut deliver);
                }
            });
        }
        // One thread: score in order on this one.
        None => {
            for job in work {
                deliver(work_on(job));
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(run),
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    /// Lists the walk's findings below `root`, files and errors apart, as
    /// paths relative to `root`.
    fn walked(root: &Path) -> (Vec<String>, Vec<String>) {
        let mut found = Vec::new();
        walk(root, &mut found);
        let relative = |path: &Path| {
            path.strip_prefix(root)
                .unwrap_or(path)
                .display()
                .to_string()
        };
        let files = found
            .iter()
            .filter_map(|entry| entry.as_ref().ok())
            .map(|path| relative(path))
            .collect();
        let errors = found
            .iter()
            .filter_map(|entry| entry.as_ref().err())
            .map(InputError::message)
            .collect();
        (files, errors)
    }

    /// The walk finds partner files at any depth, in name order, and skips
    /// hidden entries and other files; links are not followed, so a link
    /// loop ends and a linked directory is not walked twice.
    #[cfg(unix)]
    #[test]
    fn the_walk_finds_partner_files_and_follows_no_link() {
        let root = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let root = root.path();
        let write = |name: &str| {
            let path = root.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|error| panic!("{error}"));
            }
            std::fs::write(path, "").unwrap_or_else(|error| panic!("{error}"));
        };
        for name in [
            "b.toml",
            "a.json",
            "notes.txt",
            ".hidden.toml",
            ".git/config.toml",
            "team/deep/c.toml",
        ] {
            write(name);
        }
        let link = |target: &str, name: &str| {
            std::os::unix::fs::symlink(root.join(target), root.join(name))
                .unwrap_or_else(|error| panic!("{error}"));
        };
        link("team", "team-again");
        link("", "team/loop");
        link("b.toml", "linked.toml");
        let (files, errors) = walked(root);
        assert_eq!(
            files,
            ["a.json", "b.toml", "linked.toml", "team/deep/c.toml"]
        );
        assert!(errors.is_empty(), "{errors:?}");
    }

    /// A directory that cannot be listed is an error of its own, and every
    /// file found elsewhere is still kept (the walk goes on past it). Only
    /// meaningful where permissions bind: as root every directory can be
    /// listed, and the test says so and checks nothing.
    #[cfg(unix)]
    #[test]
    #[allow(clippy::print_stderr, reason = "the test says why it checked nothing")]
    fn an_unlistable_directory_is_reported_and_the_rest_is_kept() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let root = root.path();
        let locked = root.join("locked");
        std::fs::create_dir_all(&locked).unwrap_or_else(|error| panic!("{error}"));
        std::fs::write(locked.join("hidden-by-permissions.toml"), "")
            .unwrap_or_else(|error| panic!("{error}"));
        std::fs::write(root.join("z.toml"), "").unwrap_or_else(|error| panic!("{error}"));
        let set_mode = |mode| {
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(mode))
                .unwrap_or_else(|error| panic!("{error}"));
        };
        set_mode(0o000);
        let listable = std::fs::read_dir(&locked).is_ok();
        let (files, errors) = walked(root);
        set_mode(0o755);
        if listable {
            eprintln!("running with permission to list any directory: nothing to check");
            return;
        }
        assert_eq!(files, ["z.toml"]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("locked"), "{errors:?}");
    }

    fn name(result: &FileResult) -> String {
        match result {
            FileResult::Scored(scored) => scored.file.clone(),
            FileResult::Failed { file, .. } => file.clone(),
        }
    }

    #[test]
    fn parallel_scoring_keeps_the_input_order() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let paths = [
            root.join("examples"),
            root.join("tests/cmd/gate"),
            root.join("tests/bad-inputs/partner"),
        ];
        let expected: Vec<String> = collect_inputs(&paths, None)
            .iter()
            .map(|input| {
                input
                    .as_ref()
                    .map(|input| input.name.clone())
                    .unwrap_or_default()
            })
            .collect();
        assert!(expected.len() > 60);
        let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
        let settings = Settings {
            rules: &rules,
            as_of: crate::calendar::parse_date("2019-11-01")
                .unwrap_or_else(|error| panic!("{error}")),
            gate: GateOptions {
                require: None,
                fail_on_grace: false,
                deny_warnings: false,
            },
            forecast: false,
            max_file_size: crate::partner::DEFAULT_MAX_FILE_SIZE,
            keep_partner: false,
        };
        let work = || -> Vec<Job> {
            collect_inputs(&paths, None)
                .into_iter()
                .map(|input| input.map(|input| (input, None)))
                .collect()
        };
        for jobs in [1, 2, 4] {
            let mut streamed = Vec::new();
            let run = score_all(work(), &settings, jobs, true, name, |result, prepared| {
                assert_eq!(
                    Some(&prepared),
                    result.map(name).as_ref(),
                    "prepared with its own result"
                );
                streamed.push(prepared);
                Ok::<(), ()>(())
            })
            .unwrap_or_else(|()| panic!("no error is returned"));
            let returned: Vec<String> = run.results.iter().map(name).collect();
            assert_eq!(streamed, expected, "{jobs} jobs: streamed order");
            assert_eq!(returned, expected, "{jobs} jobs: returned order");
            assert_eq!(
                run.summary,
                Summary::of(&run.results),
                "{jobs} jobs: counts"
            );

            // Not kept: every result still streams and counts; only the
            // inputs that could not be scored come back.
            let mut streamed = Vec::new();
            let dropped = score_all(work(), &settings, jobs, false, name, |result, prepared| {
                assert!(result.is_none_or(|result| matches!(result, FileResult::Failed { .. })));
                streamed.push(prepared);
                Ok::<(), ()>(())
            })
            .unwrap_or_else(|()| panic!("no error is returned"));
            assert_eq!(streamed, expected, "{jobs} jobs, not kept: streamed order");
            assert_eq!(
                dropped.summary, run.summary,
                "{jobs} jobs, not kept: counts"
            );
            assert_eq!(dropped.results.len(), run.summary.errors);
        }
    }
}
