//! Markdown for a pull-request comment or a job summary: a headline, a row
//! per partner, the inputs that could not be scored, and with `--detail`
//! each partner's requirements.

use std::io;

use crate::batch::{FileResult, Summary};
use crate::report::junit::measures_text;
use crate::scorecard::Status;

use crate::escape::{markdown as cell, markdown_code as code};

/// The Markdown summary.
pub fn write(results: &[FileResult], detail: bool, out: &mut dyn io::Write) -> io::Result<()> {
    let summary = Summary::of(results);
    writeln!(
        out,
        "## apn-check: {} passed, {} failed, {} could not be scored\n",
        summary.passed, summary.failed, summary.errors
    )?;
    let scored: Vec<_> = results
        .iter()
        .filter_map(|result| match result {
            FileResult::Scored(scored) => Some(scored),
            FileResult::Failed { .. } => None,
        })
        .collect();
    if !scored.is_empty() {
        out.write_all("| | partner | file | track | current tier | eligible tier | gate | failing |\n|---|---|---|---|---|---|---|---|\n".as_bytes())?;
        for scored in &scored {
            let card = scored.report.scorecard();
            let gate = &scored.gate;
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                if gate.passed { "✅" } else { "❌" },
                cell(&card.partner),
                code(&scored.file),
                card.track,
                card.current_tier,
                card.eligible_tier,
                gate.tier,
                cell(&gate.failing.join(", "))
            )?;
        }
    }
    let errors: Vec<String> = results
        .iter()
        .filter_map(|result| match result {
            FileResult::Failed { error, .. } => Some(cell(&error.message())),
            FileResult::Scored(_) => None,
        })
        .collect();
    if !errors.is_empty() {
        out.write_all("\n### Could not be scored\n\n".as_bytes())?;
        for error in errors {
            writeln!(out, "- {error}")?;
        }
    }
    if detail {
        for scored in scored {
            let card = scored.report.scorecard();
            writeln!(
                out,
                "\n### {} ({})\n",
                cell(&card.partner),
                code(&scored.file)
            )?;
            let tiers: Vec<String> = card
                .tiers
                .iter()
                .map(|tier| tier.tier.to_string())
                .collect();
            writeln!(out, "| requirement | {} |", tiers.join(" | "))?;
            writeln!(out, "|---|{}", "---|".repeat(tiers.len()))?;
            let ids: Vec<&str> = card
                .requirement_rows()
                .iter()
                .map(|row| row.id.as_str())
                .collect();
            for id in ids {
                let cells: Vec<String> = card
                    .tiers
                    .iter()
                    .map(|tier| match tier.requirements.iter().find(|r| r.id == id) {
                        None => "—".to_owned(),
                        Some(requirement) => {
                            let mark = match requirement.status {
                                Status::Met => "✅",
                                Status::NotMet => "❌",
                                Status::Grace => "⚠️ payment due",
                                Status::Exempt => "➖ exempt",
                            };
                            format!("{mark} {}", measures_text(requirement))
                        }
                    })
                    .collect();
                writeln!(out, "| {} | {} |", code(id), cells.join(" | "))?;
            }
        }
    }
    Ok(())
}
