//! The table format for several partners: one summary row per partner,
//! then the counts; `--detail` adds each partner's scorecard.

use crate::escape::shown;
use comfy_table::{Cell, Color};
use std::io;

use crate::batch::{FileResult, Summary};
use crate::report::{Run, table};

/// The summary table, ending in a newline. Errors are not in it: they go to
/// standard error, one per input.
pub fn write(run: &Run<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let Run {
        results,
        color,
        detail,
        width,
        ..
    } = *run;
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
    if grid.row_count() > 0 {
        out.write_all((grid.to_string()).as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.write_all((counts_line(&Summary::of(results))).as_bytes())?;
    if detail {
        for result in results {
            if let FileResult::Scored(scored) = result {
                out.write_all((format!("\n── {} ──\n", shown(&scored.file))).as_bytes())?;
                let options = table::Options {
                    color,
                    gate: &scored.gate,
                    warnings: &scored.warnings,
                    width,
                };
                table::write(scored.report.scorecard(), &options, out)?;
            }
        }
    }
    Ok(())
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
pub fn write_quiet(results: &[FileResult], out: &mut dyn io::Write) -> io::Result<()> {
    for result in results {
        if let FileResult::Scored(scored) = result {
            let card = scored.report.scorecard();
            let gate = &scored.gate;
            let verdict = if gate.passed {
                format!("meets {}", gate.tier)
            } else {
                format!("does NOT meet {} ({})", gate.tier, shown(gate.why()))
            };
            out.write_all(
                (format!(
                    "{}: {}: {verdict}\n",
                    shown(&scored.file),
                    shown(&card.partner)
                ))
                .as_bytes(),
            )?;
        }
    }
    Ok(())
}
