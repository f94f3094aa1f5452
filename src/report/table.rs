//! The table format for people: one row per requirement, one column per
//! tier, then the verdict, the eligible tier, the review date and the gap
//! to the next tier as a short list. Colour only when asked for.

use crate::escape::shown;
use std::fmt::Write as _;
use std::io;

use chrono::Days;
use comfy_table::{Attribute, Cell, Color, Table};

use crate::batch::{FileResult, Report, Verdict};
use crate::kinds::Warning;
use crate::report::Run;
use crate::report::style;
use crate::rules::Quantity;
use crate::scorecard::{Gap, RequirementResult, Scorecard, Status};
use crate::tiers::Tier;

/// How to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options<'a> {
    /// Colour the marks (ANSI escapes).
    pub color: bool,
    /// The gate: the tier the verdict is about (the current one, or
    /// `--require`), and whether the partner passes it.
    pub gate: &'a Verdict,
    /// What looks wrong in the data.
    pub warnings: &'a [Warning],
    /// The width to fit, when known.
    pub width: Option<u16>,
}

/// The table format of a run: one partner's scorecard (and its forecast),
/// a summary of several, or with `-q` one verdict line per partner. One
/// file that could not be scored writes nothing: its error is on stderr.
pub fn write_run(run: &Run<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    if run.quiet {
        return crate::report::summary::write_quiet(run.results, out);
    }
    if !run.single {
        return crate::report::summary::write(run, out);
    }
    match run.results.first() {
        Some(FileResult::Scored(scored)) if !run.could_not_run => {
            let options = Options {
                color: run.color,
                gate: &scored.gate,
                warnings: &scored.warnings,
                width: run.width,
            };
            write(scored.report.scorecard(), &options, out)?;
            if let Report::Forecast(forecast) = &scored.report {
                crate::report::forecast::write(forecast, out)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The scorecard as a table with its verdict, ending in a newline.
pub fn write(scorecard: &Scorecard, options: &Options, out: &mut dyn io::Write) -> io::Result<()> {
    let first_day = scorecard
        .window_start
        .checked_add_days(Days::new(1))
        .unwrap_or(scorecard.window_start);
    writeln!(
        out,
        "{} ({} partner, current tier: {})\nas of {}; time-bound requirements (*) count {} to {}\n",
        shown(&scorecard.partner),
        scorecard.track,
        scorecard.current_tier,
        scorecard.as_of,
        first_day,
        scorecard.as_of
    )?;
    out.write_all((scorecard_table(scorecard, options).to_string()).as_bytes())?;
    out.write_all(b"\n")?;
    if scorecard
        .tiers
        .iter()
        .any(|tier| tier.requirements.iter().any(|r| r.alternative.is_some()))
    {
        out.write_all(
            "alternatives (†): a tier needs only one requirement of each group met\n".as_bytes(),
        )?;
    }
    let rows = scorecard.requirement_rows();
    if scorecard.tiers.iter().any(|tier| {
        rows.iter()
            .any(|row| !tier.requirements.iter().any(|r| r.id == row.id))
    }) {
        out.write_all("—: not required at this tier\n".as_bytes())?;
    }
    out.write_all(b"\n")?;
    verdict(scorecard, options, out)
}

fn scorecard_table(scorecard: &Scorecard, options: &Options) -> Table {
    let mut table = crate::report::grid(options.width, options.color);
    let mut header = vec![Cell::new("requirement")];
    for tier in &scorecard.tiers {
        let mut name = tier.tier.to_string();
        if tier.tier == scorecard.current_tier {
            name.push_str(" (current)");
        }
        let verdict = if tier.met {
            "✓ tier met"
        } else {
            "✗ tier not met"
        };
        header.push(paint(
            Cell::new(format!("{name}\n{verdict}")),
            if tier.met {
                Status::Met
            } else {
                Status::NotMet
            },
            options,
        ));
    }
    table.set_header(header);

    let rows = scorecard.requirement_rows();

    for row in rows {
        let mut label = shown(&row.title).to_string();
        if row.time_bound {
            label.push_str(" *");
        }
        if row.alternative.is_some() {
            label.push_str(" †");
        }
        let _ = write!(label, "\n{}", shown(&row.id));
        let mut cells = vec![Cell::new(label)];
        for tier in &scorecard.tiers {
            cells.push(match tier.requirements.iter().find(|r| r.id == row.id) {
                Some(result) => paint(Cell::new(cell_text(result)), result.status, options),
                None => Cell::new("—"),
            });
        }
        table.add_row(cells);
    }
    table
}

fn paint(cell: Cell, status: Status, options: &Options) -> Cell {
    if !options.color {
        return cell;
    }
    match status {
        Status::Met => cell.fg(Color::Green),
        Status::NotMet => cell.fg(Color::Red),
        Status::Grace => cell.fg(Color::Yellow),
        Status::Exempt => cell.add_attribute(Attribute::Dim),
    }
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Met => "✓ met",
        Status::NotMet => "✗ not met",
        Status::Grace => "! grace",
        Status::Exempt => "– exempt",
    }
}

fn quantity(value: Quantity) -> String {
    match value {
        Quantity::Count(count) => count.to_string(),
        Quantity::Money(cents) => cents.to_string(),
    }
}

fn cell_text(result: &RequirementResult) -> String {
    let mut text = mark(result.status).to_owned();
    let single = result.measures.len() == 1;
    for measure in &result.measures {
        text.push('\n');
        if !single {
            let _ = write!(text, "{} ", measure.spec.short);
        }
        let _ = write!(
            text,
            "{} / {}",
            quantity(measure.value),
            quantity(measure.required)
        );
    }
    if let Some(until) = result.grace_until {
        let _ = write!(text, "\ndue by {until}");
    }
    text
}

/// "+3 professional or specialty certified individuals", "+$4,250.00 launched MRR".
fn gap_phrase(gap: &Gap) -> String {
    gap.measures
        .iter()
        .map(|measure| {
            let words = if measure.shortfall == Quantity::Count(1) {
                measure.spec.one
            } else {
                measure.spec.many
            };
            format!("+{} {words}", quantity(measure.shortfall))
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// One line per gap, the members of an alternative group on one line.
fn gap_list(out: &mut dyn io::Write, gaps: &[Gap]) -> io::Result<()> {
    let mut groups_done: Vec<&str> = Vec::new();
    for gap in gaps {
        match gap.alternative.as_deref() {
            None => {
                writeln!(out, "  - {}", gap_phrase(gap))?;
            }
            Some(group) if !groups_done.contains(&group) => {
                groups_done.push(group);
                let options: Vec<String> = gaps
                    .iter()
                    .filter(|other| other.alternative.as_deref() == Some(group))
                    .map(gap_phrase)
                    .collect();
                writeln!(
                    out,
                    "  - {}, either {}",
                    shown(group),
                    shown(options.join(", or "))
                )?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn verdict(scorecard: &Scorecard, options: &Options, out: &mut dyn io::Write) -> io::Result<()> {
    let gate = options.gate.tier;
    let gated = scorecard.tier(gate);
    let met = scorecard.meets(gate);
    let word = if gate == scorecard.current_tier {
        "compliant with"
    } else {
        "meets"
    };
    let verdict = match (met, gated) {
        (true, _) if gate == Tier::Registered => {
            "registered: no tier requirements to meet".to_owned()
        }
        (true, _) => format!("{word} {gate}"),
        (false, Some(tier)) => {
            let failing: Vec<&str> = tier.unmet().map(|r| r.id.as_str()).collect();
            let negative = if gate == scorecard.current_tier {
                "NOT compliant with"
            } else {
                "does NOT meet"
            };
            format!("{negative} {gate} (not met: {})", shown(failing.join(", ")))
        }
        (false, None) => format!("does NOT meet {gate}"),
    };
    let style = if met { style::MET } else { style::NOT_MET };
    let verdict = style::paint(style, &verdict, options.color);
    writeln!(out, "verdict:       {verdict}")?;
    let passed = if options.gate.passed {
        format!("passed ({})", options.gate.tier)
    } else {
        format!(
            "FAILED at {} ({})",
            options.gate.tier,
            shown(options.gate.why())
        )
    };
    writeln!(out, "gate:          {passed}")?;
    if let Some(tier) = gated {
        for requirement in tier
            .requirements
            .iter()
            .filter(|r| r.status == Status::Grace)
        {
            let until = requirement
                .grace_until
                .map(|day| format!(" by {day}"))
                .unwrap_or_default();
            writeln!(out, "payment due:   {}{until}", shown(&requirement.id))?;
        }
    }
    for warning in options.warnings {
        let line = warning
            .line
            .map(|line| format!(" (line {line})"))
            .unwrap_or_default();
        writeln!(out, "warning:       {}{line}", shown(&warning.message))?;
    }
    writeln!(out, "eligible tier: {}", scorecard.eligible_tier)?;
    writeln!(out, "review date:   {}", scorecard.review_date)?;
    if !scorecard.current_gaps.is_empty() {
        writeln!(out, "to keep {}:", scorecard.current_tier)?;
        gap_list(out, &scorecard.current_gaps)?;
    }
    match &scorecard.next_tier {
        None => {
            writeln!(
                out,
                "next tier:     none ({} is the top tier of the track)",
                scorecard.current_tier
            )?;
        }
        Some(next) if next.gaps.is_empty() => {
            writeln!(out, "next tier:     {} — every requirement met", next.tier)?;
        }
        Some(next) => {
            writeln!(out, "next tier:     {} — to reach it:", next.tier)?;
            gap_list(out, &next.gaps)?;
        }
    }
    Ok(())
}
