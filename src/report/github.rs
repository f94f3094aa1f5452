//! GitHub Actions workflow commands: an annotation per failing requirement
//! (`::error`), per requirement in grace (`::warning`) and per input that
//! cannot be scored, and a notice per partner that passes.

use std::io;

use crate::batch::FileResult;
use crate::report::junit::measures_text;

/// Escapes a workflow command's message: `%`, `\r` and `\n` as the runner
/// decodes them, any other hidden character (which the log viewer would
/// act on) as `\u{..}`.
fn data(text: &str) -> String {
    let text = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::escape::terminal(&text).into_owned()
}

/// Escapes a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow commands, one per line.
pub fn write(results: &[FileResult], out: &mut dyn io::Write) -> io::Result<()> {
    for result in results {
        match result {
            FileResult::Scored(scored) => {
                let card = scored.report.scorecard();
                let gate = &scored.gate;
                let file = property(&scored.file);
                let Some(tier) = card.tier(gate.tier) else {
                    writeln!(
                        out,
                        "::notice file={file}::{}",
                        data(&format!("{}: meets {}", card.partner, gate.tier))
                    )?;
                    continue;
                };
                for requirement in &tier.requirements {
                    let line = scored
                        .lines
                        .iter()
                        .find(|(id, _)| *id == requirement.id)
                        .map_or(1, |(_, line)| *line);
                    let failing = gate.failing.contains(&requirement.id);
                    let in_grace = gate.in_grace.contains(&requirement.id);
                    let command = match (failing, in_grace) {
                        (true, _) => "error",
                        (false, true) => "warning",
                        (false, false) => continue,
                    };
                    let message = match requirement.grace_until {
                        Some(until) if in_grace => format!(
                            "{}: {} payment due by {until} ({})",
                            card.partner,
                            requirement.id,
                            measures_text(requirement)
                        ),
                        _ => format!(
                            "{}: {} not met for {} ({})",
                            card.partner,
                            requirement.id,
                            gate.tier,
                            measures_text(requirement)
                        ),
                    };
                    writeln!(
                        out,
                        "::{command} file={file},line={line},title={}::{}",
                        property(&format!("apn-check {}", requirement.id)),
                        data(&message)
                    )?;
                }
                if gate.passed {
                    writeln!(
                        out,
                        "::notice file={file}::{}",
                        data(&format!("{}: meets {}", card.partner, gate.tier))
                    )?;
                }
            }
            FileResult::Failed { file, error } => {
                let place = error
                    .location()
                    .map(|p| format!(",line={},col={}", p.line, p.column))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "::error file={}{place},title={}::{}",
                    property(file),
                    property("apn-check input error"),
                    data(&error.message())
                )?;
            }
        }
    }
    Ok(())
}
