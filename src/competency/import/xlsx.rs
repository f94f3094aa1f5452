//! A self-assessment spreadsheet: the first sheet's A1 names the
//! designation and the checklist type (`AWS Generative AI Competency Service
//! Offering Validation Checklist`), and its cells may carry the validity;
//! each other sheet has a header row starting `ID`, then requirement rows
//! (an id in column A) and category rows (text in column A only). A
//! sheet's requirements before its first category row take the sheet's
//! title (its A1) as their category.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use super::{Found, heading_id};

/// The checklist types, as a first sheet's title ends.
const TYPES: [&str; 7] = [
    "Service Offering Validation Checklist",
    "Partner Offering Validation Checklist",
    "Service Delivery Validation Checklist",
    "Service Ready Validation Checklist",
    "Partner Hosted Validation Checklist",
    "Customer-Deployed Validation Checklist",
    "Partner Program Validation Checklist",
];

/// The most rows read from one sheet.
const MAX_ROWS: usize = 100_000;

/// The most a spreadsheet may hold once uncompressed: an `.xlsx` is a zip
/// archive, and a small one can expand without bound.
const MAX_UNCOMPRESSED: u64 = 512 << 20;

/// Refuses an archive whose entries would expand past [`MAX_UNCOMPRESSED`],
/// reading only its directory.
fn check_expansion(file: &Path) -> Result<(), String> {
    let opened = std::fs::File::open(file).map_err(|error| error.to_string())?;
    let mut archive = zip::ZipArchive::new(opened).map_err(|error| {
        format!("it is not a spreadsheet apn-check can read ({error}); save it as `.xlsx`")
    })?;
    // The sizes the archive's directory states, entry by entry (nothing is
    // decompressed).
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|error| format!("its entry {index} cannot be read ({error})"))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNCOMPRESSED {
        return Err(format!(
            "it would expand to {} when read, above the {} a self-assessment spreadsheet could be",
            crate::error::size_words(total),
            crate::error::size_words(MAX_UNCOMPRESSED)
        ));
    }
    Ok(())
}

/// Reads a spreadsheet.
pub(super) fn read(file: &Path) -> Result<Found, String> {
    check_expansion(file)?;
    let mut workbook = open_workbook_auto(file).map_err(|error| {
        format!("it is not a spreadsheet apn-check can read ({error}); save it as `.xlsx`")
    })?;
    let mut found = Found::default();
    let names = workbook.sheet_names();
    for (position, sheet) in names.iter().enumerate() {
        let range = workbook.worksheet_range(sheet).map_err(|error| {
            format!(
                "sheet `{sheet}` cannot be read ({error}); open and save the file again as `.xlsx`"
            )
        })?;
        let rows: Vec<Vec<String>> = range
            .rows()
            .take(MAX_ROWS + 1)
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        if rows.len() > MAX_ROWS {
            found.problems.push(format!(
                "sheet `{sheet}` has more than {MAX_ROWS} rows; the rest is not read"
            ));
        }
        let first = |row: &Vec<String>| {
            row.first()
                .map(|cell| cell.trim().to_owned())
                .unwrap_or_default()
        };
        if position == 0 {
            let title = rows.first().map(first).unwrap_or_default();
            let kind = TYPES
                .iter()
                .find(|kind| title.to_lowercase().ends_with(&kind.to_lowercase()));
            match kind {
                Some(kind) => {
                    let name = title[..title.len() - kind.len()].trim();
                    found.name = Some(name.trim_end_matches(['-', '–', ':']).trim().to_owned());
                    found.kind = Some((*kind).to_owned());
                }
                None => found.name = Some(title.clone()),
            }
            found.header_texts.extend(
                rows.iter()
                    .flatten()
                    .filter(|cell| !cell.trim().is_empty())
                    .cloned(),
            );
            if kind.is_some() && !rows.iter().any(|row| first(row).eq_ignore_ascii_case("id")) {
                continue;
            }
        }
        let Some(header) = rows
            .iter()
            .position(|row| first(row).eq_ignore_ascii_case("id"))
        else {
            found.problems.push(format!(
                "sheet `{sheet}` has no header row starting `ID`; it is not read"
            ));
            continue;
        };
        let title = rows
            .first()
            .map(first)
            .filter(|title| !title.is_empty() && header > 0)
            .unwrap_or_else(|| sheet.clone());
        let mut category = title;
        for (offset, row) in rows[header + 1..].iter().enumerate() {
            let cell = first(row);
            if cell.is_empty() {
                continue;
            }
            let rest_empty = row.iter().skip(1).all(|other| other.trim().is_empty());
            match heading_id(&cell) {
                Some(Ok(id)) => found.requirements.push((id, category.clone())),
                Some(Err(text)) => found.problems.push(format!(
                    "sheet `{sheet}` row {}: `{}` looks like a requirement id but is not one (expected such as `ACCT-001`)",
                    header + offset + 2,
                    crate::error::shorten(&text, crate::error::QUOTE_LIMIT)
                )),
                None if rest_empty => category = cell,
                None => found.problems.push(format!(
                    "sheet `{sheet}` row {}: `{}` in column A is neither a requirement id nor a category row; it is not read",
                    header + offset + 2,
                    crate::error::shorten(&cell, crate::error::QUOTE_LIMIT)
                )),
            }
        }
    }
    Ok(found)
}

/// A cell as text (numbers as written, no trailing `.0`).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        other => other.to_string(),
    }
}
