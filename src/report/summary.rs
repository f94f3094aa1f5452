//! The table format for several partners: one summary row per partner,
//! then the counts; `--detail` adds each partner's scorecard.

use crate::escape::shown;
use comfy_table::{Cell, Color};

use crate::batch::{FileResult, Summary};
use crate::report::table;

/// The summary table, ending in a newline. Errors are not in it: they go to
/// standard error, one per input.
pub fn render(results: &[FileResult], color: bool, detail: bool, width: Option<u16>) -> String {
    let mut grid = crate::report::grid(width, color);
    grid.set_header([
        "partner",
        "file",
        "track",
        "current tier",
        "eligible tier",
        "gate",
        "failing requirements",
    ]);
    for result in results {
        let FileResult::Scored(scored) = result else {
            continue;
        };
        let card = scored.report.scorecard();
        let gate = &scored.gate;
        let mark = if gate.passed {
            format!("✓ {}", gate.tier)
        } else {
            format!("✗ {}", gate.tier)
        };
        let mut gate_cell = Cell::new(mark);
        if color {
            gate_cell = gate_cell.fg(if gate.passed {
                Color::Green
            } else {
                Color::Red
            });
        }
        grid.add_row(vec![
            Cell::new(shown(&card.partner)),
            Cell::new(shown(&scored.file)),
            Cell::new(card.track),
            Cell::new(card.current_tier),
            Cell::new(card.eligible_tier),
            gate_cell,
            Cell::new(shown(gate.failing.join(", "))),
        ]);
    }
    let mut text = String::new();
    if grid.row_count() > 0 {
        text.push_str(&grid.to_string());
        text.push('\n');
    }
    text.push_str(&counts_line(&Summary::of(results)));
    if detail {
        for result in results {
            if let FileResult::Scored(scored) = result {
                text.push_str(&format!("\n── {} ──\n", shown(&scored.file)));
                let options = table::Options {
                    color,
                    gate: &scored.gate,
                    warnings: &scored.warnings,
                    width,
                };
                text.push_str(&table::render(scored.report.scorecard(), &options));
            }
        }
    }
    text
}

/// "3 inputs: 1 passes the gate, 1 fails it, 1 could not be scored".
pub fn counts_line(summary: &Summary) -> String {
    let plural = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    format!(
        "{}: {} the gate, {} it, {}\n",
        plural(summary.files, "input", "inputs"),
        plural(summary.passed, "passes", "pass"),
        plural(summary.failed, "fails", "fail"),
        plural(summary.errors, "could not be scored", "could not be scored"),
    )
}

/// One verdict line per partner, for `--quiet`.
pub fn quiet(results: &[FileResult]) -> String {
    let mut text = String::new();
    for result in results {
        if let FileResult::Scored(scored) = result {
            let card = scored.report.scorecard();
            let gate = &scored.gate;
            let verdict = if gate.passed {
                format!("meets {}", gate.tier)
            } else {
                format!("does NOT meet {} ({})", gate.tier, shown(gate.why()))
            };
            text.push_str(&format!(
                "{}: {}: {verdict}\n",
                shown(&scored.file),
                shown(&card.partner)
            ));
        }
    }
    text
}
