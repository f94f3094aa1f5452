//! Importing ACE opportunities from AWS Partner Central's API into a
//! partner file: the JSON of `list-opportunities`, `get-opportunity` and
//! `get-aws-opportunity-summary` is read ([`responses`]), merged by
//! catalog and `Id` and mapped to apn-check's fields ([`mapping`]), set
//! against the file's own opportunities (what a person wrote by hand
//! stays), and written into the file's text keeping the rest of it
//! ([`edit`]). The result is loaded again before it is returned, so an
//! import never writes a file that does not load.
//!
//! The rules, with their reasons, are in `docs/opportunity-import.md`.

pub mod edit;
mod mapping;
pub mod responses;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::Serialize;

use crate::error::LoadError;
use crate::partner::{Format, LaunchedOnSource, Origin, Partner, Stage};
use crate::program::Program;
pub use edit::{FieldChange, Fields, Value};
use mapping::Found;
pub use responses::{Problem, RESPONSE_FILE_LIMIT, Source};

/// How to map what the API leaves open.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Which field a launched opportunity's launch day is estimated from.
    pub launched_on: LaunchedOnSource,
    /// The USD value of one EUR, when given.
    pub eur_usd: Option<Rate>,
    /// Whether Sandbox records are imported (they are test data).
    pub sandbox: bool,
}

/// An exchange rate held exactly: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    mantissa: i128,
    scale: u32,
}

impl Rate {
    /// `cents` of the other currency in USD cents, rounded half up.
    fn convert(self, cents: i128) -> i128 {
        let divisor = 10_i128.pow(self.scale);
        (cents * self.mantissa + divisor / 2) / divisor
    }
}

impl std::str::FromStr for Rate {
    type Err = String;

    /// A decimal such as `1.08`: more than 0, below 1,000, at most 9 decimals.
    fn from_str(text: &str) -> Result<Rate, String> {
        let wrong = || {
            format!(
                "`{}` is not a rate; expected the USD value of one EUR as a decimal such as `1.08`",
                crate::error::shorten(text, crate::error::QUOTE_LIMIT)
            )
        };
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) {
            return Err(wrong());
        }
        if whole.trim_start_matches('0').len() > 3 || fraction.len() > 9 {
            return Err(format!(
                "`{}` is out of range; expected a rate above 0 and below 1000, with at most 9 decimals",
                crate::error::shorten(text, crate::error::QUOTE_LIMIT)
            ));
        }
        let mantissa: i128 = format!("{whole}{fraction}").parse().map_err(|_| wrong())?;
        if mantissa == 0 {
            return Err(format!("`{text}` is zero; expected a rate above 0"));
        }
        Ok(Rate {
            mantissa,
            // At most 9 decimals, checked above.
            scale: fraction.len() as u32,
        })
    }
}

/// An opportunity the import leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Its id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// Something imported with a doubt, said once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The opportunity it is about, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What, and what to do about it.
    pub message: String,
}

/// What the import does to one opportunity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// New in the file.
    Added(Fields),
    /// In the file, with these fields changing.
    Updated(Vec<FieldChange>),
    /// In the file as the import has it.
    Unchanged,
}

/// One imported opportunity and what happens to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its id.
    pub id: String,
    /// Added, updated or unchanged.
    pub action: Action,
}

/// The import's result: what changes, and the file's new text.
#[derive(Debug, Clone)]
pub struct Report {
    /// Each imported opportunity, in the order first met in the inputs.
    pub changes: Vec<Change>,
    /// Ids in the file that the import does not have (kept as they are).
    pub kept: Vec<String>,
    /// Opportunities left out.
    pub skipped: Vec<Skipped>,
    /// Doubts, each said once.
    pub warnings: Vec<Warning>,
    /// Launch days in the resulting file that are estimates, by source.
    pub estimated: Vec<(LaunchedOnSource, usize)>,
    /// The partner file's text after the import (the same text when
    /// nothing changes).
    pub text: String,
}

impl Report {
    /// Whether the file's text changes.
    pub fn changes_file(&self) -> bool {
        self.changes
            .iter()
            .any(|change| change.action != Action::Unchanged)
    }
}

/// Why an import could not be done.
#[derive(Debug)]
pub enum ImportError {
    /// The inputs have problems (each at its place).
    Inputs(Vec<Problem>),
    /// The partner file does not load.
    Partner(Box<LoadError>),
}

/// The partner file to import into.
pub struct Target<'a> {
    /// Its name in messages.
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
    /// TOML or JSON.
    pub format: Format,
}

/// An offer ARN is shown whole up to this many characters (they run to
/// about 90).
const OFFER_LIMIT: usize = 200;

/// At most this many ids are named in one warning.
const IDS_NAMED: usize = 10;

/// `O1, O2 and 3 more`.
fn named_ids(ids: &[String]) -> String {
    let shown: Vec<String> = ids
        .iter()
        .take(IDS_NAMED)
        .map(|id| format!("`{}`", crate::error::shorten(id, crate::error::QUOTE_LIMIT)))
        .collect();
    match ids.len().saturating_sub(IDS_NAMED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Imports the opportunities of `inputs` into `target`.
pub fn import(
    inputs: &[Source<'_>],
    target: &Target<'_>,
    program: &impl AsRef<Program>,
    options: &Options,
) -> Result<Report, ImportError> {
    let mut problems = Vec::new();
    let mut read = Vec::new();
    for source in inputs {
        match responses::read(source) {
            Ok(responses) => read.push(responses),
            Err(mut found) => {
                problems.append(&mut found);
                read.push(responses::Responses::default());
            }
        }
    }
    let mapped = mapping::map(inputs, read, options);
    let mapped = match mapped {
        Ok(mapped) if problems.is_empty() => mapped,
        Ok(_) => return Err(ImportError::Inputs(problems)),
        Err(mut found) => {
            problems.append(&mut found);
            return Err(ImportError::Inputs(problems));
        }
    };
    let partner = Partner::parse(target.text, target.format, target.name, program)
        .map_err(|error| ImportError::Partner(Box::new(error)))?;
    let position: HashMap<&str, usize> = partner
        .opportunities
        .iter()
        .enumerate()
        .map(|(index, opportunity)| (opportunity.id.as_str(), index))
        .collect();
    let mut warnings = mapped.warnings;
    let mut no_summary = Vec::new();
    let mut no_full = Vec::new();
    let mut planned: Vec<(Option<usize>, Fields)> = Vec::new();
    for imported in &mapped.opportunities {
        let existing = position
            .get(imported.id.as_str())
            .map(|&index| (index, &partner.opportunities[index]));
        let before = existing.map(|(_, opportunity)| opportunity);
        let (launched_on, launched_on_source) = match (imported.stage, &imported.estimate) {
            (Stage::Launched, _)
                if before.is_some_and(|opportunity| {
                    opportunity.launched_on.is_some() && opportunity.launched_on_source.is_none()
                }) =>
            {
                (before.and_then(|opportunity| opportunity.launched_on), None)
            }
            (Stage::Launched, Some(Ok(day))) => (Some(*day), Some(options.launched_on)),
            (Stage::Launched, Some(Err(problem))) => {
                problems.push(problem.clone());
                continue;
            }
            _ => (None, None),
        };
        if !imported.full && imported.stage == Stage::Launched {
            no_full.push(imported.id.clone());
        }
        let file_origin = before.map(|opportunity| opportunity.origin);
        let origin = match &imported.origin {
            Found::Marketplace(offer) => {
                warnings.push(Warning {
                    id: Some(imported.id.clone()),
                    message: format!(
                        "`{}` is linked to the AWS Marketplace offer `{}`: imported with origin `marketplace`, which does not count as a launched opportunity (FAQ 30)",
                        imported.id,
                        crate::error::shorten(offer, OFFER_LIMIT)
                    ),
                });
                Origin::Marketplace
            }
            // Without `get-opportunity` a Marketplace link cannot be seen:
            // one the file records stays.
            Found::Summary(_) if !imported.full && file_origin == Some(Origin::Marketplace) => {
                Origin::Marketplace
            }
            Found::Summary(origin) => *origin,
            Found::Unknown => {
                no_summary.push(imported.id.clone());
                file_origin.unwrap_or(Origin::Partner)
            }
        };
        let fields = Fields {
            id: imported.id.clone(),
            customer: imported.customer.clone().or_else(|| {
                before
                    .and_then(|opportunity| opportunity.customer.as_ref().map(ToString::to_string))
            }),
            stage: imported.stage,
            launched_on,
            launched_on_source,
            mrr_usd: imported.mrr,
            origin,
        };
        planned.push((existing.map(|(index, _)| index), fields));
    }
    if !problems.is_empty() {
        return Err(ImportError::Inputs(problems));
    }
    if !no_summary.is_empty() {
        warnings.push(Warning {
            id: None,
            message: format!(
                "no `get-aws-opportunity-summary` output for {}: origin kept from the file, or `partner` for a new opportunity; add `aws partnercentral-selling get-aws-opportunity-summary` output to read each one's `Origin`",
                named_ids(&no_summary)
            ),
        });
    }
    if !no_full.is_empty() {
        warnings.push(Warning {
            id: None,
            message: format!(
                "no `get-opportunity` output for launched {}: an AWS Marketplace link cannot be seen in `list-opportunities`; add `aws partnercentral-selling get-opportunity` output for each",
                named_ids(&no_full)
            ),
        });
    }
    let mut changes = Vec::new();
    let mut differences = Vec::new();
    for (index, fields) in &planned {
        let action = match index {
            None => Action::Added(fields.clone()),
            Some(index) => {
                let found = edit::differences(&Fields::of(&partner.opportunities[*index]), fields);
                if found.is_empty() {
                    Action::Unchanged
                } else {
                    differences.push((*index, fields, found.clone()));
                    Action::Updated(found)
                }
            }
        };
        changes.push(Change {
            id: fields.id.clone(),
            action,
        });
    }
    let imported_ids: std::collections::HashSet<&str> = planned
        .iter()
        .map(|(_, fields)| fields.id.as_str())
        .collect();
    let kept = partner
        .opportunities
        .iter()
        .filter(|opportunity| !imported_ids.contains(opportunity.id.as_str()))
        .map(|opportunity| opportunity.id.to_string())
        .collect();
    let edits = edit::Edits {
        updated: differences
            .iter()
            .map(|(index, fields, found)| (*index, *fields, found.as_slice()))
            .collect(),
        added: planned
            .iter()
            .filter(|(index, _)| index.is_none())
            .map(|(_, fields)| fields)
            .collect(),
    };
    let text = if edits.updated.is_empty() && edits.added.is_empty() {
        target.text.to_owned()
    } else {
        // A byte-order mark is kept, and edited around.
        let (mark, body) = match target.text.strip_prefix('\u{feff}') {
            Some(body) => ("\u{feff}", body),
            None => ("", target.text),
        };
        let edited = match target.format {
            Format::Toml => edit::toml(body, &edits),
            Format::Json => edit::json(body, &edits),
        }
        .map(|text| format!("{mark}{text}"));
        edited.map_err(|message| {
            ImportError::Inputs(vec![Problem {
                file: target.name.to_owned(),
                message,
                excerpt: None,
            }])
        })?
    };
    let result = Partner::parse(&text, target.format, target.name, program)
        .map_err(|error| ImportError::Partner(Box::new(error)))?;
    let mut estimated = Vec::new();
    for source in [
        LaunchedOnSource::TargetCloseDate,
        LaunchedOnSource::LastModified,
    ] {
        let count = result
            .opportunities
            .iter()
            .filter(|opportunity| opportunity.launched_on_source == Some(source))
            .count();
        if count > 0 {
            estimated.push((source, count));
        }
    }
    Ok(Report {
        changes,
        kept,
        skipped: mapped.skipped,
        warnings,
        estimated,
        text,
    })
}
