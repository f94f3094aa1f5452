//! The competency commands' words: `list`, `show`, `overlap` and `path` as
//! tables for people (data escaped for the terminal) and as the JSON shapes
//! of the competency contract, section 5.

use std::collections::BTreeMap;
use std::io;

use chrono::NaiveDate;
use serde::Serialize;

use crate::competency::answer::PathAnswer;
use crate::competency::catalog::{Catalog, Checklist};
use crate::competency::id;
use crate::competency::path::Overlap;
use crate::escape::shown;
use crate::report::json::write_value;

/// Data as shown in a terminal (controls escaped), as a string.
fn esc(data: &str) -> String {
    shown(data).to_string()
}

/// Each prefix of `R(X)` with its count, sorted by prefix.
fn prefixes(catalog: &Catalog, checklist: &Checklist) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for &identity in &checklist.all {
        *counts
            .entry(id::prefix(&catalog.requirements[identity].id).to_owned())
            .or_insert(0) += 1;
    }
    counts
}

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    name: &'a str,
    program: &'static str,
    path: &'static str,
    release: &'a str,
    requirements: usize,
    prefixes: BTreeMap<String, usize>,
    blocks: Vec<&'a str>,
    requires: Vec<&'a str>,
    usable_until: Option<NaiveDate>,
    stale: bool,
}

fn list_entries(catalog: &Catalog, as_of: NaiveDate) -> Vec<ListEntry<'_>> {
    (0..catalog.checklists.len())
        .map(|index| list_entry(catalog, index, as_of))
        .collect()
}

/// One designation as `list` shows it.
fn list_entry(catalog: &Catalog, index: usize, as_of: NaiveDate) -> ListEntry<'_> {
    let checklist = &catalog.checklists[index];
    ListEntry {
        id: &checklist.id,
        name: &checklist.name,
        program: checklist.program.as_str(),
        path: checklist.path.as_str(),
        release: &checklist.release,
        requirements: checklist.all.len(),
        prefixes: prefixes(catalog, checklist),
        blocks: checklist
            .blocks
            .iter()
            .map(|&b| catalog.blocks[b].id.as_str())
            .collect(),
        requires: checklist
            .requires
            .iter()
            .map(|&r| catalog.checklists[r].id.as_str())
            .collect(),
        usable_until: checklist.usable_until,
        stale: checklist.is_stale(as_of),
    }
}

/// `competencies list --json`.
pub fn list_json(catalog: &Catalog, as_of: NaiveDate, out: &mut dyn io::Write) -> io::Result<()> {
    write_value(&list_entries(catalog, as_of), out)
}

/// `competencies list`: one row per designation.
pub fn list_table(
    catalog: &Catalog,
    as_of: NaiveDate,
    width: Option<u16>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mut table = super::grid(width, false);
    table.set_header([
        "designation",
        "program",
        "path",
        "release",
        "reqs",
        "prefixes (largest first)",
        "blocks / requires",
    ]);
    let entries = list_entries(catalog, as_of);
    for entry in &entries {
        let mut by_size: Vec<(&String, &usize)> = entry.prefixes.iter().collect();
        by_size.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let mut prefixes: Vec<String> = by_size
            .iter()
            .take(4)
            .map(|(prefix, count)| format!("{} {count}", esc(prefix)))
            .collect();
        if by_size.len() > 4 {
            prefixes.push(format!("+{} more", by_size.len() - 4));
        }
        let release = match (entry.stale, entry.usable_until) {
            (true, Some(until)) => format!("{} (stale: usable until {until})", esc(entry.release)),
            _ => esc(entry.release),
        };
        let links: Vec<String> = entry
            .blocks
            .iter()
            .map(|block| esc(block))
            .chain(
                entry
                    .requires
                    .iter()
                    .map(|required| format!("needs {}", esc(required))),
            )
            .collect();
        table.add_row([
            esc(entry.id),
            entry.program.to_owned(),
            entry.path.to_owned(),
            release,
            entry.requirements.to_string(),
            prefixes.join(", "),
            links.join(", "),
        ]);
    }
    let stale = entries.iter().filter(|entry| entry.stale).count();
    writeln!(out, "{table}")?;
    writeln!(
        out,
        "{} designations, {} blocks, {} distinct requirements.",
        catalog.checklists.len(),
        catalog.blocks.len(),
        catalog.requirements.len()
    )?;
    if stale > 0 {
        writeln!(
            out,
            "{stale} checklists are past their `usable_until` on {as_of}: AWS has released newer ones; refresh them with `apn-check competencies import` (see the README)."
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct RequirementEntry<'a> {
    scope: &'a str,
    id: &'a str,
    category: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
}

fn requirement_entry(catalog: &Catalog, identity: usize) -> RequirementEntry<'_> {
    let requirement = &catalog.requirements[identity];
    RequirementEntry {
        scope: &requirement.scope,
        id: &requirement.id,
        category: &requirement.category,
        label: requirement.label.as_deref(),
    }
}

/// The identities of a checklist in the order it shows them: its own, then
/// each block's, each in file order.
fn shown_order(catalog: &Catalog, checklist: &Checklist) -> Vec<usize> {
    checklist
        .own
        .iter()
        .copied()
        .chain(
            checklist
                .blocks
                .iter()
                .flat_map(|&b| catalog.blocks[b].requirements.iter().copied()),
        )
        .collect()
}

#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    entry: ListEntry<'a>,
    url: Option<&'a str>,
    valid_from: Option<NaiveDate>,
    case_studies: u32,
    requirement_list: Vec<RequirementEntry<'a>>,
}

/// `competencies show ID --json`.
pub fn show_json(
    catalog: &Catalog,
    index: usize,
    as_of: NaiveDate,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let checklist = &catalog.checklists[index];
    let entry = list_entry(catalog, index, as_of);
    write_value(
        &ShowJson {
            entry,
            url: checklist.url.as_deref(),
            valid_from: checklist.valid_from,
            case_studies: checklist.case_studies,
            requirement_list: shown_order(catalog, checklist)
                .into_iter()
                .map(|identity| requirement_entry(catalog, identity))
                .collect(),
        },
        out,
    )
}

/// `competencies show ID`: the header, then the requirements by scope and
/// category.
pub fn show_text(
    catalog: &Catalog,
    index: usize,
    as_of: NaiveDate,
    width: Option<u16>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let checklist = &catalog.checklists[index];
    writeln!(
        out,
        "{} ({}): {}, {} path, release {}",
        esc(&checklist.name),
        esc(&checklist.id),
        checklist.program.as_str(),
        checklist.path.as_str(),
        esc(&checklist.release)
    )?;
    if let Some(url) = &checklist.url {
        writeln!(out, "published at {}", esc(url))?;
    }
    match (checklist.valid_from, checklist.usable_until) {
        (Some(from), Some(until)) => {
            writeln!(out, "valid from {from}, usable until {until}")?;
        }
        (None, Some(until)) => {
            writeln!(out, "usable until {until}")?;
        }
        (Some(from), None) => {
            writeln!(out, "valid from {from}")?;
        }
        (None, None) => {}
    }
    if checklist.is_stale(as_of) {
        writeln!(
            out,
            "stale on {as_of}: past its usable_until; AWS has released a newer checklist"
        )?;
    }
    if !checklist.requires.is_empty() {
        let names: Vec<String> = checklist
            .requires
            .iter()
            .map(|&r| esc(&catalog.checklists[r].id))
            .collect();
        writeln!(out, "needs first: {}", names.join(", "))?;
    }
    if checklist.case_studies > 0 {
        writeln!(out, "customer case studies: {}", checklist.case_studies)?;
    }
    writeln!(
        out,
        "{} requirements: {} of its own, {} from blocks\n",
        checklist.all.len(),
        checklist.own.len(),
        checklist.all.len() - checklist.own.len()
    )?;
    out.write_all(
        (requirements_table(catalog, &shown_order(catalog, checklist), width)).as_bytes(),
    )?;
    Ok(())
}

/// A table of requirements grouped by scope and category: one row per
/// category, its ids (with labels) in one cell.
fn requirements_table(catalog: &Catalog, identities: &[usize], width: Option<u16>) -> String {
    let mut table = super::grid(width, false);
    table.set_header(["scope", "category", "n", "requirements"]);
    let mut groups: Vec<(&str, &str, Vec<String>)> = Vec::new();
    for &identity in identities {
        let requirement = &catalog.requirements[identity];
        let item = match &requirement.label {
            Some(label) => format!("{} {}", esc(&requirement.id), esc(label)),
            None => esc(&requirement.id),
        };
        match groups.iter_mut().find(|(scope, category, _)| {
            *scope == requirement.scope && *category == requirement.category
        }) {
            Some(group) => group.2.push(item),
            None => groups.push((&requirement.scope, &requirement.category, vec![item])),
        }
    }
    for (scope, category, items) in &groups {
        table.add_row([
            esc(scope),
            esc(category),
            items.len().to_string(),
            items.join("; "),
        ]);
    }
    format!("{table}\n")
}

#[derive(Serialize)]
struct OverlapJson<'a> {
    designations: Vec<&'a str>,
    common: Vec<RequirementEntry<'a>>,
    pairs: Vec<PairJson<'a>>,
}

#[derive(Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    shared: usize,
    union: usize,
}

/// `competencies overlap --json`.
pub fn overlap_json(
    catalog: &Catalog,
    overlap: &Overlap,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    write_value(
        &OverlapJson {
            designations: overlap
                .designations
                .iter()
                .map(|&d| catalog.checklists[d].id.as_str())
                .collect(),
            common: overlap
                .common
                .iter()
                .map(|&identity| requirement_entry(catalog, identity))
                .collect(),
            pairs: overlap
                .pairs
                .iter()
                .map(|pair| PairJson {
                    a: &catalog.checklists[pair.a].id,
                    b: &catalog.checklists[pair.b].id,
                    shared: pair.shared,
                    union: pair.union,
                })
                .collect(),
        },
        out,
    )
}

/// `competencies overlap`: what all share, by scope and category, then
/// every pair.
pub fn overlap_text(
    catalog: &Catalog,
    overlap: &Overlap,
    width: Option<u16>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let names: Vec<String> = overlap
        .designations
        .iter()
        .map(|&d| esc(&catalog.checklists[d].id))
        .collect();
    writeln!(
        out,
        "{} requirements are common to {}:\n",
        overlap.common.len(),
        names.join(", ")
    )?;
    if !overlap.common.is_empty() {
        out.write_all((requirements_table(catalog, &overlap.common, width)).as_bytes())?;
    }
    let mut table = super::grid(width, false);
    table.set_header(["a", "b", "a's", "b's", "shared", "union", "shared of union"]);
    for pair in &overlap.pairs {
        let (a, b) = (&catalog.checklists[pair.a], &catalog.checklists[pair.b]);
        table.add_row([
            esc(&a.id),
            esc(&b.id),
            a.all.len().to_string(),
            b.all.len().to_string(),
            pair.shared.to_string(),
            pair.union.to_string(),
            format!(
                "{}%",
                (pair.shared * 100).checked_div(pair.union).unwrap_or(0)
            ),
        ]);
    }
    writeln!(out, "\n{table}")?;
    Ok(())
}

#[derive(Serialize)]
struct PathJson<'a> {
    partner: &'a str,
    as_of: NaiveDate,
    path: &'static str,
    held: Vec<&'a str>,
    chosen: Vec<&'a str>,
    outstanding: usize,
    saved: usize,
    case_studies: u32,
    steps: Vec<StepJson<'a>>,
    stale: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    premier: Option<PremierJson>,
    outstanding_requirements: Vec<RequirementEntry<'a>>,
}

#[derive(Serialize)]
struct StepJson<'a> {
    designation: &'a str,
    new_requirements: usize,
    already_done: usize,
    cumulative: usize,
}

#[derive(Serialize)]
struct PremierJson {
    validations: u64,
    validations_required: u64,
    msp_or_devops: u64,
    msp_or_devops_required: u64,
}

/// `competencies path --json`.
pub fn path_json(
    catalog: &Catalog,
    answer: &PathAnswer,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let id = |index: &usize| catalog.checklists[*index].id.as_str();
    write_value(
        &PathJson {
            partner: &answer.partner,
            as_of: answer.as_of,
            path: answer.path.as_str(),
            held: answer.held.iter().map(id).collect(),
            chosen: answer.chosen.iter().map(id).collect(),
            outstanding: answer.outstanding.count_ones(..),
            saved: answer.saved,
            case_studies: answer.case_studies,
            steps: answer
                .steps
                .iter()
                .map(|step| StepJson {
                    designation: id(&step.designation),
                    new_requirements: step.new_requirements,
                    already_done: step.already_done,
                    cumulative: step.cumulative,
                })
                .collect(),
            stale: answer.stale.iter().map(id).collect(),
            premier: answer.premier.map(|need| PremierJson {
                validations: need.validations,
                validations_required: need.validations_required,
                msp_or_devops: need.keys,
                msp_or_devops_required: need.keys_required,
            }),
            outstanding_requirements: answer
                .outstanding
                .ones()
                .map(|identity| requirement_entry(catalog, identity))
                .collect(),
        },
        out,
    )
}

/// `competencies path`: the choice and why, its steps, and the work left
/// by category.
pub fn path_text(
    catalog: &Catalog,
    answer: &PathAnswer,
    width: Option<u16>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let name = |index: usize| esc(&catalog.checklists[index].id);
    writeln!(
        out,
        "{} ({} path), as of {}",
        esc(&answer.partner),
        answer.path.as_str(),
        answer.as_of
    )?;
    let held: Vec<String> = answer.held.iter().map(|&h| name(h)).collect();
    writeln!(
        out,
        "holds: {}",
        if held.is_empty() {
            "nothing in the catalog".to_owned()
        } else {
            held.join(", ")
        }
    )?;
    if answer.evidence > 0 {
        writeln!(
            out,
            "shown met (requirement_evidence): {} requirements, removed from the work below",
            answer.evidence
        )?;
    }
    if let Some(need) = answer.premier {
        writeln!(
            out,
            "premier program validations: {} of {} held, {} of {} MSP or key competency",
            need.validations, need.validations_required, need.keys, need.keys_required
        )?;
    }
    if answer.chosen.is_empty() {
        writeln!(
            out,
            "\nnothing to pursue: the held validations already meet premier's program validations."
        )?;
        return Ok(());
    }
    let chosen: Vec<String> = answer.chosen.iter().map(|&c| name(c)).collect();
    let outstanding = answer.outstanding.count_ones(..);
    writeln!(
        out,
        "\npursue {}: {outstanding} requirements outstanding, the least of any choice among {} candidates{}",
        chosen.join(" + "),
        answer.candidates,
        if answer.saved > 0 {
            format!(
                "; shared work saves {} over pursuing them one by one",
                answer.saved
            )
        } else {
            String::new()
        }
    )?;
    let alone: Vec<String> = answer
        .alone
        .iter()
        .take(8)
        .map(|&(index, count)| format!("{} {count}", name(index)))
        .collect();
    writeln!(
        out,
        "each candidate alone: {}{}",
        alone.join(", "),
        if answer.alone.len() > 8 { ", …" } else { "" }
    )?;
    if answer.case_studies > 0 {
        writeln!(
            out,
            "customer case studies: {} (the most any of them asks; one case study may serve several)",
            answer.case_studies
        )?;
    }
    let mut table = super::grid(width, false);
    table.set_header([
        "step",
        "designation",
        "adds",
        "already done by earlier steps",
        "total",
    ]);
    for (number, step) in answer.steps.iter().enumerate() {
        table.add_row([
            (number + 1).to_string(),
            name(step.designation),
            step.new_requirements.to_string(),
            step.already_done.to_string(),
            step.cumulative.to_string(),
        ]);
    }
    writeln!(out, "\n{table}")?;
    if outstanding > 0 {
        writeln!(out, "\noutstanding by category:")?;
        let mut table = super::grid(width, false);
        table.set_header(["scope", "category", "n", "requirements"]);
        for (scope, category, identities) in
            crate::competency::path::by_category(catalog, &answer.outstanding)
        {
            let ids: Vec<String> = identities
                .iter()
                .map(|&identity| esc(&catalog.requirements[identity].id))
                .collect();
            table.add_row([
                esc(&scope),
                esc(&category),
                ids.len().to_string(),
                ids.join(", "),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    for &index in &answer.stale {
        let checklist = &catalog.checklists[index];
        writeln!(
            out,
            "note: `{}` release {} was usable until {}; AWS has released a newer checklist: refresh it with `apn-check competencies import`",
            name(index),
            esc(&checklist.release),
            checklist
                .usable_until
                .map_or_else(String::new, |until| until.to_string())
        )?;
    }
    for older in &answer.older_release {
        let requirement = &catalog.requirements[older.identity];
        let checklist = &catalog.checklists[older.checklist];
        writeln!(
            out,
            "note: {} of {} was shown on {}, before release {} of `{}`: counted, shown against an older release",
            esc(&requirement.id),
            esc(&requirement.scope),
            older.met_on,
            esc(&checklist.release),
            name(older.checklist)
        )?;
    }
    Ok(())
}
