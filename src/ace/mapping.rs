//! From Partner Central's records to apn-check's opportunity fields: the
//! responses of all files merged by catalog and `Id`, then each field
//! mapped by the rules in `docs/opportunity-import.md`. What cannot be
//! mapped is that record's problem, at its line; what is mapped with a
//! doubt is a warning naming the opportunity.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::value::RawValue;

use super::responses::{ApiAwsSummary, ApiOpportunity, Kind, Problem, Responses, Source};
use super::{Options, Rate, Skipped, Warning};
use crate::money::{Cents, MAX_AMOUNT};
use crate::partner::{LaunchedOnSource, Origin, Stage};

/// One opportunity as Partner Central has it, mapped.
#[derive(Debug, Clone)]
pub(super) struct Imported {
    /// `Id`.
    pub id: String,
    /// `Customer.Account.CompanyName`, when not empty.
    pub customer: Option<String>,
    /// `LifeCycle.Stage`.
    pub stage: Stage,
    /// For a launched opportunity, the launch day estimated from the
    /// chosen source, or the problem that it is missing (raised only if the
    /// file has no hand-written date to keep).
    pub estimate: Option<Result<NaiveDate, Problem>>,
    /// The summed AWS monthly spend.
    pub mrr: Cents,
    /// The origin, when the inputs say it.
    pub origin: Found,
    /// Whether a `get-opportunity` response was given (so Marketplace links
    /// are known).
    pub full: bool,
}

/// What the inputs say of an opportunity's origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Found {
    /// Linked to an AWS Marketplace offer (or offer set): this one.
    Marketplace(String),
    /// `get-aws-opportunity-summary`'s `Origin`.
    Summary(Origin),
    /// No summary was given.
    Unknown,
}

/// The records of one catalog and id, as given.
struct Merged<'a> {
    catalog: Catalog,
    id: String,
    listed: Option<Record<'a>>,
    full: Option<Record<'a>>,
    summary: Option<(usize, ApiAwsSummary<'a>)>,
}

/// An opportunity record with the file it came from and its last change.
struct Record<'a> {
    source: usize,
    last_modified: Option<DateTime<FixedOffset>>,
    api: ApiOpportunity<'a>,
    /// The `Id` value, where record-wide problems are shown.
    at: &'a RawValue,
}

/// The two catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Catalog {
    Aws,
    Sandbox,
}

/// What the files say, mapped: the opportunities in the order first met,
/// those skipped, and the warnings.
pub(super) struct Mapped {
    pub opportunities: Vec<Imported>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
}

/// Merges and maps every file's responses.
pub(super) fn map(
    sources: &[Source<'_>],
    responses: Vec<Responses<'_>>,
    options: &Options,
) -> Result<Mapped, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut merged: Vec<Merged> = Vec::new();
    let mut position: std::collections::HashMap<(Catalog, String), usize> =
        std::collections::HashMap::new();
    let mut summaries = Vec::new();
    for (index, file) in responses.into_iter().enumerate() {
        let source = &sources[index];
        if !file.next_tokens.is_empty() {
            warnings.push(Warning {
                id: None,
                message: format!(
                    "`{}` is one page of a longer list (it has a `NextToken`): the opportunities on later pages are missing; run `list-opportunities` without `--max-items` or `--no-paginate`",
                    source.name
                ),
            });
        }
        for (kind, api) in file.opportunities {
            let key = match key_of(source, &api) {
                Ok(key) => key,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let last_modified = match api.last_modified_date.map(|raw| timestamp(source, raw)) {
                Some(Err(problem)) => {
                    problems.push(problem);
                    continue;
                }
                Some(Ok(time)) => Some(time),
                None => None,
            };
            let Some(at) = api.id else { continue };
            let record = Record {
                source: index,
                last_modified,
                api,
                at,
            };
            let slot = *position.entry(key.clone()).or_insert_with(|| {
                merged.push(Merged {
                    catalog: key.0,
                    id: key.1.clone(),
                    listed: None,
                    full: None,
                    summary: None,
                });
                merged.len() - 1
            });
            let entry = &mut merged[slot];
            let place = match kind {
                Kind::Listed => &mut entry.listed,
                Kind::Full => &mut entry.full,
            };
            // Of two records of the same output, the later change wins;
            // among equals, the one given last.
            if place
                .as_ref()
                .is_none_or(|held| held.last_modified <= record.last_modified)
            {
                *place = Some(record);
            }
        }
        for summary in file.summaries {
            summaries.push((index, summary));
        }
    }
    for (index, summary) in summaries {
        let source = &sources[index];
        let catalog = match summary.catalog.map(|raw| catalog_of(source, raw)) {
            Some(Err(problem)) => {
                problems.push(problem);
                continue;
            }
            Some(Ok(catalog)) => catalog,
            None => Catalog::Aws,
        };
        let id = match text(
            source,
            summary.related_opportunity_id,
            "`RelatedOpportunityId`",
        ) {
            Ok(id) => id,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        match position.get(&(catalog, id.clone())) {
            Some(&slot) => merged[slot].summary = Some((index, summary)),
            None => warnings.push(Warning {
                id: Some(id.clone()),
                message: format!(
                    "`{}` has a `get-aws-opportunity-summary` for `{id}`, but no input lists that opportunity; add its `list-opportunities` or `get-opportunity` output",
                    source.name
                ),
            }),
        }
    }
    let mut opportunities = Vec::new();
    let mut skipped = Vec::new();
    let mut ids = std::collections::HashMap::new();
    for entry in merged {
        if entry.catalog == Catalog::Sandbox && !options.sandbox {
            skipped.push(Skipped {
                id: entry.id.clone(),
                reason: "in the Sandbox catalog (test data); import it with `--sandbox`".to_owned(),
            });
            continue;
        }
        if ids.insert(entry.id.clone(), entry.catalog).is_some() {
            let record = entry.full.as_ref().or(entry.listed.as_ref());
            if let Some(record) = record {
                problems.push(sources[record.source].problem_at(
                    record.at,
                    format!(
                        "`{}` is in both the AWS and the Sandbox catalog; a partner file has one opportunity per id: import without `--sandbox`",
                        entry.id
                    ),
                ));
            }
            continue;
        }
        match imported(sources, entry, options, &mut warnings) {
            Ok(opportunity) => opportunities.push(opportunity),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(Mapped {
            opportunities,
            skipped,
            warnings,
        })
    } else {
        Err(problems)
    }
}

/// The catalog and id of a record, or why they cannot be read.
fn key_of(source: &Source<'_>, api: &ApiOpportunity<'_>) -> Result<(Catalog, String), Problem> {
    let catalog = match api.catalog {
        Some(raw) => catalog_of(source, raw)?,
        None => Catalog::Aws,
    };
    let Some(raw) = api.id else {
        return Err(Problem {
            file: source.name.to_owned(),
            message: "an opportunity has no `Id`; expected `\"Id\": \"O…\"`".to_owned(),
            excerpt: None,
        });
    };
    let id = text(source, raw, "`Id`")?;
    if id.trim().is_empty() {
        return Err(source.problem_at(raw, "`Id` is empty; expected `O` and digits".to_owned()));
    }
    Ok((catalog, id))
}

fn catalog_of(source: &Source<'_>, raw: &RawValue) -> Result<Catalog, Problem> {
    match text(source, raw, "`Catalog`")?.as_str() {
        "AWS" => Ok(Catalog::Aws),
        "Sandbox" => Ok(Catalog::Sandbox),
        other => Err(source.problem_at(
            raw,
            format!(
                "unknown `Catalog` `{}`; expected `AWS` or `Sandbox`",
                crate::error::shorten(other, crate::error::QUOTE_LIMIT)
            ),
        )),
    }
}

/// A JSON string value, or the problem that it is not one.
fn text(source: &Source<'_>, raw: &RawValue, what: &str) -> Result<String, Problem> {
    serde_json::from_str::<String>(raw.get()).map_err(|_| {
        source.problem_at(
            raw,
            format!("{what} is not a string; expected text in quotes"),
        )
    })
}

/// A timestamp in any of the spellings the CLI and SDKs write:
/// `2026-03-03T10:15:42.117Z`, `2026-03-03T10:15:42.117000+00:00` and
/// `2025-11-10 20:52:42.827000+00:00`.
fn timestamp(source: &Source<'_>, raw: &RawValue) -> Result<DateTime<FixedOffset>, Problem> {
    let written = text(source, raw, "`LastModifiedDate`")?;
    DateTime::parse_from_rfc3339(&written).map_err(|_| {
        source.problem_at(
            raw,
            format!(
                "`LastModifiedDate` `{}` is not a timestamp; expected ISO 8601 such as `2026-03-03T10:15:42.117Z`",
                crate::error::shorten(&written, crate::error::QUOTE_LIMIT)
            ),
        )
    })
}

/// Partner Central's stages, as the service model spells them.
const STAGES: [(&str, Stage); 7] = [
    ("Prospect", Stage::Prospect),
    ("Qualified", Stage::Qualified),
    ("Technical Validation", Stage::TechnicalValidation),
    ("Business Validation", Stage::BusinessValidation),
    ("Committed", Stage::Committed),
    ("Launched", Stage::Launched),
    ("Closed Lost", Stage::ClosedLost),
];

/// Partner Central's origins (`get-aws-opportunity-summary`).
const ORIGINS: [(&str, Origin); 2] = [
    ("AWS Referral", Origin::AwsReferred),
    ("Partner Referral", Origin::Partner),
];

fn one_of<T: Copy>(
    source: &Source<'_>,
    raw: &RawValue,
    what: &str,
    table: &[(&str, T)],
) -> Result<T, Problem> {
    let written = text(source, raw, what)?;
    table
        .iter()
        .find(|(name, _)| *name == written)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let expected: Vec<String> = table.iter().map(|(name, _)| format!("`{name}`")).collect();
            source.problem_at(
                raw,
                format!(
                    "unknown {what} `{}`; expected one of {}",
                    crate::error::shorten(&written, crate::error::QUOTE_LIMIT),
                    expected.join(", ")
                ),
            )
        })
}

/// Maps one merged opportunity.
fn imported(
    sources: &[Source<'_>],
    entry: Merged<'_>,
    options: &Options,
    warnings: &mut Vec<Warning>,
) -> Result<Imported, Vec<Problem>> {
    let full = entry.full.is_some();
    // `Merged` is made when a record is met, so it has at least one.
    let Some(record) = entry.full.or(entry.listed) else {
        return Err(Vec::new());
    };
    let source = &sources[record.source];
    let api = &record.api;
    let id = entry.id;
    let mut problems = Vec::new();
    let stage = match api.life_cycle.as_ref().and_then(|life| life.stage) {
        Some(raw) => match one_of(source, raw, "`LifeCycle.Stage`", &STAGES) {
            Ok(stage) => Some(stage),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
        None => {
            problems.push(source.problem_at(
                record.at,
                format!("opportunity `{id}` has no `LifeCycle.Stage`; expected one of its seven stages, such as `Launched`"),
            ));
            None
        }
    };
    let customer = match api
        .customer
        .as_ref()
        .and_then(|customer| customer.account.as_ref())
        .and_then(|account| account.company_name)
    {
        Some(raw) => match text(source, raw, "`Customer.Account.CompanyName`") {
            Ok(name) => Some(name).filter(|name| !name.trim().is_empty()),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
        None => None,
    };
    let estimate = if stage == Some(Stage::Launched) {
        match launch_estimate(source, &record, &id, options.launched_on, warnings) {
            Ok(estimate) => Some(estimate),
            Err(problem) => {
                problems.push(problem);
                None
            }
        }
    } else {
        None
    };
    let mrr = match monthly_spend(source, api, record.at, &id, options.eur_usd, warnings) {
        Ok(mrr) => mrr,
        Err(problem) => {
            problems.push(problem);
            Cents::ZERO
        }
    };
    let marketplace = api.related_entity_identifiers.as_ref().and_then(|related| {
        related
            .aws_marketplace_offers
            .iter()
            .chain(related.aws_marketplace_offer_sets.iter())
            .flatten()
            .next()
            .map(|offer| {
                serde_json::from_str::<String>(offer.get())
                    .unwrap_or_else(|_| offer.get().to_owned())
            })
    });
    let origin = match (marketplace, &entry.summary) {
        (Some(offer), _) => Found::Marketplace(offer),
        (None, Some((index, summary))) => match summary.origin {
            Some(raw) => match one_of(&sources[*index], raw, "`Origin`", &ORIGINS) {
                Ok(origin) => Found::Summary(origin),
                Err(problem) => {
                    problems.push(problem);
                    Found::Unknown
                }
            },
            None => Found::Unknown,
        },
        (None, None) => Found::Unknown,
    };
    match (stage, problems.is_empty()) {
        (Some(stage), true) => Ok(Imported {
            id,
            customer,
            stage,
            estimate,
            mrr,
            origin,
            full,
        }),
        _ => Err(problems),
    }
}

/// The launch day estimated from `source_field`, the problem that the
/// record lacks it, or a problem in the value.
fn launch_estimate(
    source: &Source<'_>,
    record: &Record<'_>,
    id: &str,
    from: LaunchedOnSource,
    warnings: &mut Vec<Warning>,
) -> Result<Result<NaiveDate, Problem>, Problem> {
    let last_modified = record.last_modified.map(|time| time.to_utc().date_naive());
    match from {
        LaunchedOnSource::LastModified => Ok(last_modified.ok_or_else(|| {
            source.problem_at(
                record.at,
                format!("opportunity `{id}` is launched but has no `LastModifiedDate` to estimate its launch from; import with `--launched-on target-close`, or write `launched_on` in the file by hand"),
            )
        })),
        LaunchedOnSource::TargetCloseDate => {
            let Some(raw) = record
                .api
                .life_cycle
                .as_ref()
                .and_then(|life| life.target_close_date)
            else {
                return Ok(Err(source.problem_at(
                    record.at,
                    format!("opportunity `{id}` is launched but has no `LifeCycle.TargetCloseDate` to estimate its launch from; import with `--launched-on last-modified`, or write `launched_on` in the file by hand"),
                )));
            };
            let written = text(source, raw, "`TargetCloseDate`")?;
            let day = NaiveDate::parse_from_str(&written, "%Y-%m-%d").map_err(|_| {
                source.problem_at(
                    raw,
                    format!(
                        "`TargetCloseDate` `{}` is not a date; expected YYYY-MM-DD",
                        crate::error::shorten(&written, crate::error::QUOTE_LIMIT)
                    ),
                )
            })?;
            if let Some(changed) = last_modified.filter(|changed| *changed < day) {
                warnings.push(Warning {
                    id: Some(id.to_owned()),
                    message: format!(
                        "`{id}` is launched, but its `TargetCloseDate` {day} is after its last change on {changed}: the estimated launch may be late; correct `launched_on` and delete its `launched_on_source`"
                    ),
                });
            }
            Ok(Ok(day))
        }
    }
}

/// The sum of the `Monthly` spend entries whose `TargetCompany` is `AWS`:
/// USD as is, EUR at `--eur-usd` (rounded once, on the sum), none at all
/// when a currency has no rate.
fn monthly_spend(
    source: &Source<'_>,
    api: &ApiOpportunity<'_>,
    at: &RawValue,
    id: &str,
    eur_usd: Option<Rate>,
    warnings: &mut Vec<Warning>,
) -> Result<Cents, Problem> {
    let entries = api
        .project
        .as_ref()
        .and_then(|project| project.expected_customer_spend.as_deref())
        .unwrap_or_default();
    let mut usd: i128 = 0;
    let mut eur: i128 = 0;
    let mut unconverted = Vec::new();
    for entry in entries {
        let is = |raw: Option<&RawValue>, expected: &str| {
            raw.and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
                .is_some_and(|value| value == expected)
        };
        if !is(entry.frequency, "Monthly") || !is(entry.target_company, "AWS") {
            continue;
        }
        let cents = match entry.amount {
            None => None,
            Some(raw) => amount(source, raw)?,
        };
        let Some(cents) = cents else {
            warnings.push(Warning {
                id: Some(id.to_owned()),
                message: format!("`{id}` has a monthly AWS spend entry with no amount; it adds nothing to `mrr_usd`"),
            });
            continue;
        };
        let currency = match entry.currency_code {
            Some(raw) => text(source, raw, "`CurrencyCode`")?,
            None => String::new(),
        };
        match currency.as_str() {
            "USD" => usd += cents,
            "EUR" => eur += cents,
            other => unconverted.push(if other.is_empty() {
                "no currency".to_owned()
            } else {
                format!("`{}`", crate::error::shorten(other, 8))
            }),
        }
    }
    if eur > 0 {
        match eur_usd {
            Some(rate) => usd += rate.convert(eur),
            None => unconverted.push("`EUR`".to_owned()),
        }
    }
    if !unconverted.is_empty() {
        unconverted.dedup();
        warnings.push(Warning {
            id: Some(id.to_owned()),
            message: format!(
                "`{id}` has monthly AWS spend in {} with no rate to USD; its `mrr_usd` is left at 0: give `--eur-usd RATE` for EUR",
                unconverted.join(", ")
            ),
        });
        return Ok(Cents::ZERO);
    }
    i64::try_from(usd)
        .ok()
        .filter(|cents| *cents <= MAX_AMOUNT.0)
        .map(Cents)
        .ok_or_else(|| {
            source.problem_at(
                at,
                format!("opportunity `{id}` has a monthly AWS spend above {MAX_AMOUNT}; expected a real estimate"),
            )
        })
}

/// An `Amount` in cents, read as a decimal (at most two decimals, as the
/// service's pattern has it); `None` for the empty string.
fn amount(source: &Source<'_>, raw: &RawValue) -> Result<Option<i128>, Problem> {
    let written = text(source, raw, "`Amount`")?;
    if written.is_empty() {
        return Ok(None);
    }
    let wrong = || {
        source.problem_at(
            raw,
            format!(
                "`Amount` `{}` is not an amount; expected a decimal with at most two decimals, such as `12500.50`",
                crate::error::shorten(&written, crate::error::QUOTE_LIMIT)
            ),
        )
    };
    let (whole, fraction) = written.split_once('.').unwrap_or((&written, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return Err(wrong());
    }
    let whole = whole.trim_start_matches('0');
    // A trillion dollars is 13 digits; anything longer is refused before
    // it could overflow.
    if whole.len() > 13 {
        return Err(source.problem_at(
            raw,
            format!("`Amount` is above {MAX_AMOUNT}; expected a real estimate"),
        ));
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| wrong())?
    };
    let fraction: i128 = format!("{fraction:0<2}").parse().map_err(|_| wrong())?;
    let cents = whole * 100 + fraction;
    if cents > i128::from(MAX_AMOUNT.0) {
        return Err(source.problem_at(
            raw,
            format!("`Amount` is above {MAX_AMOUNT}; expected a real estimate"),
        ));
    }
    Ok(Some(cents))
}
