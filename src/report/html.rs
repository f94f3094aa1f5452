//! One self-contained HTML page for a portfolio: the summary, then each
//! partner's scorecard, its history picture (the year to the as-of date,
//! week by week, inline SVG) and its gaps. No script, stylesheet, font or
//! image is fetched; the page prints one partner per page.

use std::fmt::Write as _;
use std::io;

use chrono::Months;

use crate::batch::{FileResult, Scored, Summary};
use crate::escape::xml as text;
use crate::history::{Step, margins};
use crate::report::junit::measures_text;
use crate::rules::RuleSet;
use crate::scorecard::Status;

const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#222;background:#fff;margin:2rem;max-width:1150px}\
table{border-collapse:collapse;margin:0.5rem 0 1rem}th,td{border:1px solid #ccc;padding:0.25rem 0.5rem;text-align:left;vertical-align:top}\
th{background:#f2f2f2}.met{color:#1a7f37}.not_met{color:#b42318;font-weight:600}.grace{color:#9a6700}.exempt{color:#555}\
section{margin-top:2rem;border-top:2px solid #ddd}svg{max-width:100%;height:auto}\
@media print{body{margin:0}section{break-before:page}svg{break-inside:avoid}}";

fn status(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Met => ("met", "✓ met"),
        Status::NotMet => ("not_met", "✗ not met"),
        Status::Grace => ("grace", "grace"),
        Status::Exempt => ("exempt", "exempt"),
    }
}

/// The page.
pub fn write(results: &[FileResult], rules: &RuleSet, out: &mut dyn io::Write) -> io::Result<()> {
    let summary = Summary::of(results);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>apn-check report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>APN tier report</h1>\n<p>{} partners: {} pass the gate, {} fail it, {} could not be scored.</p>\n",
        summary.files, summary.passed, summary.failed, summary.errors
    )?;
    let scored: Vec<&Scored> = results
        .iter()
        .filter_map(|result| match result {
            FileResult::Scored(scored) => Some(scored.as_ref()),
            FileResult::Failed { .. } => None,
        })
        .collect();
    if !scored.is_empty() {
        out.write_all("<table class=\"summary\">\n<tr><th>partner</th><th>file</th><th>track</th><th>as of</th><th>current tier</th><th>eligible tier</th><th>gate</th><th>failing</th></tr>\n".as_bytes())?;
        for (number, scored) in scored.iter().enumerate() {
            let card = scored.report.scorecard();
            let gate = &scored.gate;
            writeln!(
                out,
                "<tr><td><a href=\"#partner-{number}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{} {}</td><td>{}</td></tr>",
                text(&card.partner),
                text(&scored.file),
                card.track,
                card.as_of,
                card.current_tier,
                card.eligible_tier,
                if gate.passed { "met" } else { "not_met" },
                if gate.passed {
                    "✓ passes"
                } else {
                    "✗ fails"
                },
                gate.tier,
                text(&gate.failing.join(", "))
            )?;
        }
        out.write_all("</table>\n".as_bytes())?;
    }
    let errors: Vec<String> = results
        .iter()
        .filter_map(|result| match result {
            FileResult::Failed { error, .. } => Some(text(&error.message())),
            FileResult::Scored(_) => None,
        })
        .collect();
    if !errors.is_empty() {
        out.write_all("<h2>Could not be scored</h2>\n<ul>\n".as_bytes())?;
        for error in errors {
            writeln!(out, "<li>{error}</li>")?;
        }
        out.write_all("</ul>\n".as_bytes())?;
    }
    for (number, scored) in scored.iter().enumerate() {
        partner(out, number, scored, rules)?;
    }
    out.write_all("</body>\n</html>\n".as_bytes())
}

fn partner(
    out: &mut dyn io::Write,
    number: usize,
    scored: &Scored,
    rules: &RuleSet,
) -> io::Result<()> {
    let card = scored.report.scorecard();
    write!(
        out,
        "<section id=\"partner-{number}\">\n<h2>{}</h2>\n<p>{} · {} partner, current tier {} · as of {} (time-bound requirements count from {}) · review {} · eligible tier {}</p>\n",
        text(&card.partner),
        text(&scored.file),
        card.track,
        card.current_tier,
        card.as_of,
        card.window_start,
        card.review_date,
        card.eligible_tier
    )?;
    out.write_all("<table>\n<tr><th>requirement</th>".as_bytes())?;
    for tier in &card.tiers {
        write!(
            out,
            "<th>{}{}</th>",
            tier.tier,
            if tier.met { " ✓" } else { " ✗" }
        )?;
    }
    out.write_all("</tr>\n".as_bytes())?;
    for row in card.requirement_rows() {
        write!(
            out,
            "<tr><td>{}<br><small>{}</small></td>",
            text(&row.title),
            text(&row.id)
        )?;
        for tier in &card.tiers {
            match tier
                .requirements
                .iter()
                .find(|requirement| requirement.id == row.id)
            {
                Some(requirement) => {
                    let (class, words) = status(requirement.status);
                    write!(
                        out,
                        "<td class=\"{class}\">{words}<br><small>{}</small></td>",
                        text(&measures_text(requirement))
                    )?;
                }
                None => out.write_all("<td>—</td>".as_bytes())?,
            }
        }
        out.write_all("</tr>\n".as_bytes())?;
    }
    out.write_all("</table>\n".as_bytes())?;
    if let Some(partner) = scored.partner.as_deref() {
        let from = card
            .as_of
            .checked_sub_months(Months::new(12))
            .unwrap_or(card.as_of);
        let series = margins(partner, rules, from, card.as_of, Step::Week);
        out.write_all((crate::report::picture::history_svg(&series)).as_bytes())?;
    }
    let gaps = card
        .next_tier
        .iter()
        .flat_map(|next| next.gaps.iter().map(move |gap| (next.tier, gap)))
        .chain(card.current_gaps.iter().map(|gap| (card.current_tier, gap)));
    let mut listed = String::new();
    for (tier, gap) in gaps {
        let measures: Vec<String> = gap
            .measures
            .iter()
            .map(|shortfall| {
                format!(
                    "{} short by {}",
                    shortfall.name,
                    crate::report::junit::quantity(shortfall.shortfall)
                )
            })
            .collect();
        let _ = writeln!(
            listed,
            "<li>{tier}: {}: {}</li>",
            text(&gap.id),
            text(&measures.join(", "))
        );
    }
    if !listed.is_empty() {
        write!(out, "<h3>Gaps</h3>\n<ul>\n{listed}</ul>\n")?;
    }
    out.write_all("</section>\n".as_bytes())
}
