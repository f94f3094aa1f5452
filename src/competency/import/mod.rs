//! `competencies import`: a saved checklist page (HTML) or self-assessment
//! spreadsheet (`.xlsx`) read into a checklist file, following the layout
//! in the research notes' `structure.md`. Both readers give the header's
//! name, checklist type and validity text, and the requirements with their
//! categories; one shared step recognises the catalog's blocks, and says
//! what could not be read. Requirement titles are AWS's text and are not
//! copied: a checklist file gets ids and categories only.

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::catalog::{Catalog, CatalogPath, DesignationProgram, end_of_month};
use super::id;
use crate::program::normalize_competency;

mod html;
mod xlsx;

/// The largest page or spreadsheet read.
const MAX_IMPORT_SIZE: u64 = 64 << 20;

/// Why a page or spreadsheet could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot import `{file}`: {message}")]
pub struct ImportError {
    /// The file.
    pub file: String,
    /// What is wrong and what would be right.
    pub message: String,
}

/// What a reader found, before blocks are recognised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Found {
    /// The designation's name (the page's first heading).
    name: Option<String>,
    /// The checklist type (`Service Delivery Validation Checklist`).
    kind: Option<String>,
    /// Every text that may carry validity and release dates.
    header_texts: Vec<String>,
    /// The page's own address, when it says.
    url: Option<String>,
    /// Requirements in order: id and category.
    requirements: Vec<(String, String)>,
    /// What could not be read.
    problems: Vec<String>,
}

/// A checklist read from a page or spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The file it came from.
    pub file: String,
    /// The designation's id.
    pub id: String,
    /// The designation's name.
    pub name: String,
    /// Its program.
    pub program: DesignationProgram,
    /// Its path.
    pub path: CatalogPath,
    /// The release, `YYYY-MM`, or `unknown`.
    pub release: String,
    /// The release day, when the page says.
    pub valid_from: Option<NaiveDate>,
    /// The last day it may be used, when the page says.
    pub usable_until: Option<NaiveDate>,
    /// Where it is published, when known.
    pub url: Option<String>,
    /// Recognised blocks of the catalog.
    pub blocks: Vec<String>,
    /// Its own requirements: id and category.
    pub requirements: Vec<(String, String)>,
    /// Customer case studies the program usually asks for.
    pub case_studies: u32,
    /// What could not be read, or was read with a guess.
    pub problems: Vec<String>,
}

/// Reads a page (`.html`, `.htm`) or spreadsheet (`.xlsx`), recognising the
/// blocks of `catalog`.
pub fn read(file: &Path, catalog: &Catalog) -> Result<Imported, ImportError> {
    let name = file.display().to_string();
    let error = |message: String| ImportError {
        file: name.clone(),
        message,
    };
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    crate::files::check_regular(file)
        .map_err(|source| error(crate::error::describe_io(&source)))?;
    let size = std::fs::metadata(file)
        .map_err(|source| error(crate::error::describe_io(&source)))?
        .len();
    if size > MAX_IMPORT_SIZE {
        return Err(error(format!(
            "it is {}, above the {} a checklist page or spreadsheet could be",
            crate::error::size_words(size),
            crate::error::size_words(MAX_IMPORT_SIZE)
        )));
    }
    let found = match extension.as_str() {
        "html" | "htm" => {
            let text = crate::files::read_small_text(file, MAX_IMPORT_SIZE)
                .map_err(|source| error(crate::error::describe_io(&source)))?;
            check_depth(&text).map_err(error)?;
            html::read(&text)
        }
        "xlsx" | "xlsm" => xlsx::read(file).map_err(error)?,
        _ => {
            return Err(error(
                "unknown file type; expected a saved checklist page (`.html`) or a self-assessment spreadsheet (`.xlsx`)".to_owned(),
            ));
        }
    };
    finish(found, catalog, name.clone()).map_err(error)
}

/// Reads a page's text (for tests and callers holding the text).
pub fn read_html(text: &str, catalog: &Catalog, file: &str) -> Result<Imported, ImportError> {
    let error = |message| ImportError {
        file: file.to_owned(),
        message,
    };
    check_depth(text).map_err(error)?;
    finish(html::read(text), catalog, file.to_owned()).map_err(error)
}

/// Refuses a page nested deeper than [`html::MAX_DEPTH`] before parsing it.
fn check_depth(text: &str) -> Result<(), String> {
    let depth = html::nesting_depth(text, html::MAX_DEPTH);
    if depth > html::MAX_DEPTH {
        return Err(format!(
            "its elements nest more than {} deep; a checklist page nests a few dozen: is it the saved page?",
            html::MAX_DEPTH
        ));
    }
    Ok(())
}

/// A requirement heading: an id (the legacy `ID:` form too), a separator
/// (hyphen, en or em dash, colon; spaces optional), the title.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    // The pattern is a constant checked by the tests: it compiles.
    Regex::new(
        r"^\s*(?:ID:\s*)?([A-Z][A-Z0-9]*-\d{1,5}(?:-[A-Z]+)*|USE-CASE(?:-[A-Z]+)?)(?:\s*[-–—:]\s*|\s+|$)(.*)$",
    )
    .expect("a valid pattern")
});

/// What looks like the start of a requirement heading, valid or not.
static ID_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:ID:\s*)?[A-Z][A-Z0-9]{1,}[ -–]?\d{2,}").expect("a valid pattern")
});

/// The id of a requirement heading, if the text is one: `Ok(id)`, or
/// `Err(text)` for a heading that looks like one but whose id is not valid.
fn heading_id(text: &str) -> Option<Result<String, String>> {
    let text = text.trim();
    if let Some(captures) = HEADING.captures(text) {
        let id = captures.get(1).map_or("", |m| m.as_str());
        if id::is_valid(id) {
            return Some(Ok(id.to_owned()));
        }
        return Some(Err(text.to_owned()));
    }
    ID_LIKE.is_match(text).then(|| Err(text.to_owned()))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(name: &str) -> Option<u32> {
    let name = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|month| *month == name || (name.len() >= 3 && month.starts_with(&name)))
        .map(|index| index as u32 + 1)
}

static VALIDITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"Validity Period:\s*([A-Za-z]+)\s+(\d{4})").expect("a valid pattern")
});
static VERSION_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z]+)\s+(\d{4})\s*[-–]\s*\S+").expect("a valid pattern")
});
static RELEASED_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"released on\s+([A-Za-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
        .expect("a valid pattern")
});
static USABLE_UNTIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:use|using) this version[^.]*?until\s+([A-Za-z]+)\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})",
    )
    .expect("a valid pattern")
});

/// The release (`YYYY-MM`), release day and last usable day the header
/// texts state.
fn dates(texts: &[String]) -> (Option<String>, Option<NaiveDate>, Option<NaiveDate>) {
    let mut release = None;
    let mut valid_from = None;
    let mut usable_until = None;
    for text in texts {
        let year_month = |name: &str, year: &str| -> Option<(i32, u32)> {
            Some((year.parse().ok()?, month(name)?))
        };
        if release.is_none() {
            let captures = VALIDITY
                .captures(text)
                .or_else(|| VERSION_LINE.captures(text));
            if let Some(captures) = captures
                && let Some((year, month)) = year_month(&captures[1], &captures[2])
            {
                release = Some(format!("{year:04}-{month:02}"));
            }
        }
        if valid_from.is_none()
            && let Some(captures) = RELEASED_ON.captures(text)
            && let Some((year, month)) = year_month(&captures[1], &captures[3])
        {
            valid_from = captures[2]
                .parse()
                .ok()
                .and_then(|day| NaiveDate::from_ymd_opt(year, month, day));
        }
        if usable_until.is_none()
            && let Some(captures) = USABLE_UNTIL.captures(text)
            && let Some((year, month)) = year_month(&captures[1], &captures[3])
        {
            usable_until = match captures.get(2) {
                Some(day) => day
                    .as_str()
                    .parse()
                    .ok()
                    .and_then(|day| NaiveDate::from_ymd_opt(year, month, day)),
                None => NaiveDate::from_ymd_opt(year, month, 1).map(end_of_month),
            };
        }
    }
    (release, valid_from, usable_until)
}

/// The program and path a checklist type names.
fn program_of(kind: &str, name: &str) -> Option<(DesignationProgram, CatalogPath)> {
    let both = format!("{kind} {name}").to_lowercase();
    let found = if both.contains("foundational technical review")
        || both.contains("partner hosted validation")
        || both.contains("customer-deployed validation")
    {
        (DesignationProgram::Ftr, CatalogPath::Software)
    } else if both.contains("managed service provider") || both.contains("msp partner program") {
        (DesignationProgram::Msp, CatalogPath::Consulting)
    } else if both.contains("service delivery") {
        (DesignationProgram::ServiceDelivery, CatalogPath::Consulting)
    } else if both.contains("service ready") {
        (DesignationProgram::ServiceReady, CatalogPath::Software)
    } else if both.contains("partner offering") {
        (DesignationProgram::Competency, CatalogPath::Software)
    } else if both.contains("service offering") {
        (DesignationProgram::Competency, CatalogPath::Consulting)
    } else {
        return None;
    };
    Some(found)
}

/// The designation id the catalog would give: competencies by their
/// normalised name (`-software` on the software path), FTRs as `ftr-…`,
/// MSP as `msp`, specializations by their name.
fn designation_id(name: &str, program: DesignationProgram, path: CatalogPath) -> String {
    match program {
        DesignationProgram::Msp => "msp".to_owned(),
        DesignationProgram::Ftr => {
            let lower = name.to_lowercase();
            let rest = lower.replace("foundational technical review", "");
            format!("ftr-{}", id::slug_of(&rest))
        }
        DesignationProgram::Competency => {
            let slug = id::slug_of(&normalize_competency(name));
            match path {
                CatalogPath::Consulting => slug,
                CatalogPath::Software => format!("{slug}-software"),
            }
        }
        DesignationProgram::ServiceDelivery | DesignationProgram::ServiceReady => id::slug_of(name),
    }
}

/// Categories as compared: lowercase, single spaces.
fn category_key(category: &str) -> String {
    crate::program::normalize_name(category)
}

/// What every reader's findings become: the header read, blocks
/// recognised, duplicates and partial blocks reported.
fn finish(found: Found, catalog: &Catalog, file: String) -> Result<Imported, String> {
    let Found {
        name,
        kind,
        header_texts,
        url,
        requirements,
        mut problems,
    } = found;
    let name = name
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .ok_or("no designation name: a checklist page starts with the designation as its first heading (`<h1>`), a spreadsheet with it in cell A1 of its first sheet")?;
    let kind = kind.unwrap_or_default();
    let (program, path) = program_of(&kind, &name).ok_or_else(|| {
        format!(
            "the checklist type `{}` is not one apn-check knows; expected a Service Offering, Partner Offering, Service Delivery, Service Ready, FTR or MSP validation checklist",
            crate::error::shorten(kind.trim(), crate::error::QUOTE_LIMIT)
        )
    })?;
    if requirements.is_empty() {
        return Err(format!(
            "no requirements found: expected headings such as `ACCT-001 - Title`{}",
            if problems.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} headings could not be read: {})",
                    problems.len(),
                    problems.join("; ")
                )
            }
        ));
    }
    let (release, valid_from, usable_until) = dates(&header_texts);
    let release = release.unwrap_or_else(|| {
        problems.push(
            "no validity line (such as `Validity Period: February 2025-August 2025`): `release` is written as `unknown`; correct it by hand".to_owned(),
        );
        "unknown".to_owned()
    });
    // The first of each id; a repeat is reported.
    let mut seen = std::collections::HashSet::new();
    let mut own: Vec<(String, String)> = Vec::with_capacity(requirements.len());
    for (requirement, category) in requirements {
        if seen.insert(requirement.clone()) {
            own.push((requirement, category));
        } else {
            problems.push(format!(
                "`{requirement}` appears twice; the first (under `{}`) is kept",
                own.iter()
                    .find(|(id, _)| *id == requirement)
                    .map_or("", |(_, category)| category.as_str())
            ));
        }
    }
    // Blocks: all of a block's ids under its categories.
    let mut blocks = Vec::new();
    for block in &catalog.blocks {
        let members: Vec<(&str, String)> = block
            .requirements
            .iter()
            .map(|&identity| {
                let requirement = &catalog.requirements[identity];
                (requirement.id.as_str(), category_key(&requirement.category))
            })
            .collect();
        if members.is_empty() {
            continue;
        }
        let present = members
            .iter()
            .filter(|(id, category)| {
                own.iter().any(|(own_id, own_category)| {
                    own_id == id && category_key(own_category) == *category
                })
            })
            .count();
        if present == members.len() {
            own.retain(|(own_id, own_category)| {
                !members
                    .iter()
                    .any(|(id, category)| own_id == id && category_key(own_category) == *category)
            });
            blocks.push(block.id.clone());
        } else if present * 2 > members.len() {
            problems.push(format!(
                "{present} of the {} requirements of block `{}` are here, not all: they are kept as the checklist's own",
                members.len(),
                block.id
            ));
        }
    }
    let id = designation_id(&name, program, path);
    let case_studies = match program {
        DesignationProgram::ServiceDelivery => 2,
        DesignationProgram::Competency | DesignationProgram::Msp => 4,
        DesignationProgram::ServiceReady | DesignationProgram::Ftr => 0,
    };
    Ok(Imported {
        file,
        id,
        name,
        program,
        path,
        release,
        valid_from,
        usable_until,
        url,
        blocks,
        requirements: own,
        case_studies,
        problems,
    })
}

impl Imported {
    /// The checklist file.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let file_name = Path::new(&self.file).file_name().map_or_else(
            || self.file.clone(),
            |name| name.to_string_lossy().into_owned(),
        );
        out.push_str(&format!(
            "# {} ({}), imported by apn-check from {}.\n",
            comment(&self.name),
            self.program.as_str(),
            comment(&file_name)
        ));
        out.push_str(
            "# Ids and categories as the page or spreadsheet has them; titles are not copied.\n",
        );
        out.push_str("# case_studies is what the program usually asks; check the checklist.\n");
        for problem in &self.problems {
            out.push_str(&format!("# not read: {}\n", comment(problem)));
        }
        out.push_str(&format!(
            "# ids in this file: {}\n\n",
            self.requirements.len()
        ));
        use super::catalog::{
            OptionalDate, RawChecklist, RawChecklistFile, RawRequirement, unspanned,
        };
        let file = RawChecklistFile {
            checklist: RawChecklist {
                id: unspanned(self.id.clone()),
                name: unspanned(self.name.clone()),
                program: self.program,
                path: self.path,
                release: unspanned(self.release.clone()),
                valid_from: self.valid_from,
                usable_until: self
                    .usable_until
                    .map(|until| unspanned(OptionalDate(Some(until)))),
                url: self.url.clone(),
                blocks: self.blocks.iter().cloned().map(unspanned).collect(),
                requires: Vec::new(),
                case_studies: self.case_studies,
            },
            requirements: self
                .requirements
                .iter()
                .map(|(id, category)| RawRequirement {
                    id: unspanned(id.clone()),
                    category: unspanned(category.clone()),
                    label: None,
                })
                .collect(),
        };
        // Strings, whole numbers, dates and lists of them always make TOML.
        out.push_str(&toml::to_string(&file).unwrap_or_default());
        out
    }
}

/// Text made safe for a one-line TOML comment.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests;
