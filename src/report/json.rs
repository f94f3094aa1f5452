//! The JSON formats: any result as one pretty-printed document, and the
//! entries of a run over several files (`json`) or one per line (`ndjson`).

use std::io;

use serde::Serialize;

use crate::batch::{FileResult, Scored, Summary};

/// A result as pretty-printed JSON, ending in a newline.
pub fn to_text<T: Serialize>(value: &T) -> String {
    // The result types serialize to strings, integers, finite numbers,
    // booleans, nulls, lists and string-keyed maps only, which JSON always holds.
    let mut text = serde_json::to_string_pretty(value).expect("a result is always valid JSON");
    text.push('\n');
    text
}

/// A result as pretty-printed JSON, ending in a newline, written to `out`.
pub fn write_value<T: Serialize>(value: &T, out: &mut dyn io::Write) -> io::Result<()> {
    // The result types always serialize (see `to_text`): an error here is
    // the writer's.
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The JSON format of a run: one file's scorecard (nothing when it could
/// not be scored: its error is on stderr), or the document of several.
pub fn write_run(run: &crate::report::Run<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    if !run.single {
        return write_document(run.results, out);
    }
    match run.results.first() {
        Some(FileResult::Scored(scored)) if !run.could_not_run => write_value(scored, out),
        _ => Ok(()),
    }
}

/// One line of `ndjson`, written to `out`.
pub fn write_line(result: &FileResult, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(ndjson_line(result).as_bytes())
}

/// An input that could not be scored, for the machine formats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorEntry {
    /// The input's name.
    pub file: String,
    /// The error, one line.
    pub message: String,
    /// The line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// One entry of a run: a scored partner or an error, told apart by `type`.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Entry<'a> {
    /// A scored partner: `file`, `gate`, then the scorecard's fields.
    Scorecard(&'a Scored),
    /// An input that could not be scored.
    Error(ErrorEntry),
}

impl ErrorEntry {
    /// The entry of `file`'s error.
    pub fn of(file: &str, error: &crate::error::InputError) -> ErrorEntry {
        ErrorEntry {
            file: file.to_owned(),
            message: error.message(),
            line: error.location().map(|location| location.line),
            column: error.location().map(|location| location.column),
        }
    }
}

impl<'a> Entry<'a> {
    /// The entry of one result.
    pub fn of(result: &'a FileResult) -> Entry<'a> {
        match result {
            FileResult::Scored(scored) => Entry::Scorecard(scored),
            FileResult::Failed { file, error } => Entry::Error(ErrorEntry::of(file, error)),
        }
    }
}

/// One line of `ndjson`: the entry as compact JSON, ending in a newline.
pub fn ndjson_line(result: &FileResult) -> String {
    // As in `to_text`: entries are always valid JSON.
    let mut line =
        serde_json::to_string(&Entry::of(result)).expect("an entry is always valid JSON");
    line.push('\n');
    line
}

#[derive(Serialize)]
struct Document<'a> {
    partners: Vec<&'a Scored>,
    errors: Vec<ErrorEntry>,
    summary: Summary,
}

/// The document of a run over several inputs:
/// `{"partners": [...], "errors": [...], "summary": {...}}`.
pub fn write_document(results: &[FileResult], out: &mut dyn io::Write) -> io::Result<()> {
    let mut partners = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match Entry::of(result) {
            Entry::Scorecard(scored) => partners.push(scored),
            Entry::Error(error) => errors.push(error),
        }
    }
    write_value(
        &Document {
            partners,
            errors,
            summary: Summary::of(results),
        },
        out,
    )
}
