//! Renderers: one module per output format. A scoring run's formats share
//! one interface, [`Format::write`]: each writes a [`Run`] to an
//! [`io::Write`](std::io::Write), piece by piece, and a write error ends
//! it, returned once to the caller. The other commands' renderers
//! (`explain`, `plan`, `history`, `rules`, `competencies`) each write their
//! own result the same way.

use std::io;

use crate::batch::FileResult;
use crate::rules::RuleSet;

pub mod competencies;
pub mod diagnostic;
pub mod explain;
pub mod forecast;
pub mod github;
pub mod history;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod opportunity_import;
pub mod picture;
pub mod plan;
pub mod rules;
pub mod sarif;
pub mod summary;
pub mod table;

/// The styles of the words for people (written only when colour is on).
pub mod style {
    use anstyle::{AnsiColor, Style};

    /// What holds: a requirement met, a record counted.
    pub const MET: Style = AnsiColor::Green.on_default();
    /// What does not: a requirement not met, a record excluded.
    pub const NOT_MET: Style = AnsiColor::Red.on_default();

    /// `text` in `style` when `color`, else as it is.
    pub fn paint(style: Style, text: &str, color: bool) -> String {
        if color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

/// A table in the house style: condensed UTF-8 lines, coloured only when
/// asked, and when the width is known (a terminal, or `COLUMNS`), its
/// columns wrapped to fit it; without one (a pipe) each row on its lines
/// as wide as it is.
pub fn grid(width: Option<u16>, color: bool) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    if let Some(width) = width {
        table
            .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
            .set_width(width);
    }
    table
}

/// The formats of a scoring run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: one partner's scorecard, or a summary of several.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line, per partner or error.
    Ndjson,
    /// JUnit XML.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// Markdown.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

/// A scoring run as its reports see it.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// Each input's result, in input order.
    pub results: &'a [FileResult],
    /// The rules the partners were scored against.
    pub rules: &'a RuleSet,
    /// One file named on the command line: its own scorecard, not a summary.
    pub single: bool,
    /// Some input could not be scored.
    pub could_not_run: bool,
    /// One verdict line per partner (`-q`).
    pub quiet: bool,
    /// Each partner's requirements too (`--detail`).
    pub detail: bool,
    /// The width tables fit; none in a report file or a pipe.
    pub width: Option<u16>,
    /// Colour for people.
    pub color: bool,
}

impl Format {
    /// Writes `run` in this format to `out`. Text for people passes
    /// [`crate::escape::TerminalWriter`], so nothing in it acts on a
    /// terminal.
    pub fn write(self, run: &Run<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        match self {
            Format::Table => {
                let mut out = crate::escape::TerminalWriter::new(out);
                table::write_run(run, &mut out)?;
                out.finish()
            }
            Format::Json => json::write_run(run, out),
            Format::Ndjson => run
                .results
                .iter()
                .try_for_each(|result| json::write_line(result, out)),
            Format::Junit => junit::write(run.results, out),
            Format::Sarif => sarif::write(run.results, run.rules, out),
            Format::Github => github::write(run.results, out),
            Format::Markdown => markdown::write(run.results, run.detail, out),
            Format::Html => html::write(run.results, run.rules, out),
        }
    }
}
