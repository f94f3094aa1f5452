//! Reading Partner Central's JSON: the outputs of `list-opportunities`,
//! `get-opportunity` and `get-aws-opportunity-summary` (AWS CLI, boto3 or
//! Go SDK dumps), one or many values per file, recognised by their shape.
//!
//! Members are read leniently (the service adds members every few months,
//! so unknown ones are ignored), but every value the import uses keeps its
//! place in the file, so a wrong value is reported at its line.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::Excerpt;

/// The largest response file read: a full `list-opportunities` of 10,000
/// opportunities is about 20 MiB.
pub const RESPONSE_FILE_LIMIT: u64 = 256 << 20;

/// A problem in one input file, at a place in it when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as named on the command line (`-` is standard input).
    pub file: String,
    /// One lowercase line saying what is wrong and what would be right.
    pub message: String,
    /// The line with the problem.
    pub excerpt: Option<Box<Excerpt>>,
}

/// One input file's text and name.
pub struct Source<'a> {
    /// The name shown in messages.
    pub name: &'a str,
    /// The whole text.
    pub text: &'a str,
}

impl Source<'_> {
    /// A problem at `raw`, a value read from this source's text.
    pub(super) fn problem_at(&self, raw: &RawValue, message: String) -> Problem {
        let start = self.offset_of(raw);
        let end = start + raw.get().len();
        self.problem_in(start..end, message)
    }

    /// A problem at a byte range of this source's text.
    pub(super) fn problem_in(&self, span: std::ops::Range<usize>, message: String) -> Problem {
        Problem {
            file: self.name.to_owned(),
            message,
            excerpt: Some(Box::new(Excerpt::at(self.text, span))),
        }
    }

    /// Where `raw` starts in the text. Every value is borrowed from the text
    /// (serde_json's `RawValue` is a slice of its input), so its address
    /// lies within the text's.
    fn offset_of(&self, raw: &RawValue) -> usize {
        (raw.get().as_ptr() as usize)
            .saturating_sub(self.text.as_ptr() as usize)
            .min(self.text.len())
    }

    /// A serde_json error met while reading `within` (a value of this text,
    /// or the whole text), at its place in the file.
    fn parse_problem(&self, within: &str, error: &serde_json::Error, what: &str) -> Problem {
        let base = (within.as_ptr() as usize)
            .saturating_sub(self.text.as_ptr() as usize)
            .min(self.text.len());
        let span = crate::error::json_error_span(within, error);
        let start = (base + span.start).min(self.text.len());
        let end = (base + span.end).min(self.text.len()).max(start);
        let detail = crate::error::json_message(error, within);
        self.problem_in(start..end, format!("{what}: {detail}"))
    }
}

/// The members of an opportunity the import reads, as in both
/// `OpportunitySummary` (list) and `GetOpportunityResponse` (get).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApiOpportunity<'a> {
    #[serde(borrow, default)]
    pub catalog: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub last_modified_date: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub life_cycle: Option<ApiLifeCycle<'a>>,
    #[serde(borrow, default)]
    pub customer: Option<ApiCustomer<'a>>,
    #[serde(borrow, default)]
    pub project: Option<ApiProject<'a>>,
    #[serde(borrow, default)]
    pub related_entity_identifiers: Option<ApiRelated<'a>>,
}

/// `LifeCycle` (list and get).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApiLifeCycle<'a> {
    #[serde(borrow, default)]
    pub stage: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub target_close_date: Option<&'a RawValue>,
}

/// `Customer`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApiCustomer<'a> {
    #[serde(borrow, default)]
    pub account: Option<ApiAccount<'a>>,
}

/// `Customer.Account`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApiAccount<'a> {
    #[serde(borrow, default)]
    pub company_name: Option<&'a RawValue>,
}

/// `Project`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApiProject<'a> {
    #[serde(borrow, default)]
    pub expected_customer_spend: Option<Vec<ApiSpend<'a>>>,
}

/// One `Project.ExpectedCustomerSpend` entry.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApiSpend<'a> {
    #[serde(borrow, default)]
    pub amount: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub currency_code: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub frequency: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub target_company: Option<&'a RawValue>,
}

/// `RelatedEntityIdentifiers` (get only): the Marketplace links.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApiRelated<'a> {
    #[serde(borrow, default)]
    pub aws_marketplace_offers: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    pub aws_marketplace_offer_sets: Option<Vec<&'a RawValue>>,
}

/// The members of a `GetAwsOpportunitySummaryResponse` the import reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ApiAwsSummary<'a> {
    #[serde(borrow, default)]
    pub catalog: Option<&'a RawValue>,
    #[serde(borrow)]
    pub related_opportunity_id: &'a RawValue,
    #[serde(borrow, default)]
    pub origin: Option<&'a RawValue>,
}

/// The top level of any of the three outputs, to tell which it is.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Shape<'a> {
    #[serde(borrow, default)]
    opportunity_summaries: Option<&'a RawValue>,
    #[serde(borrow, default)]
    next_token: Option<&'a RawValue>,
    #[serde(borrow, default)]
    related_opportunity_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
}

/// Which output a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// An `OpportunitySummary` of `list-opportunities`.
    Listed,
    /// A `get-opportunity` response: the whole record.
    Full,
}

/// What one file holds, each value with its place.
#[derive(Debug, Default)]
pub(super) struct Responses<'a> {
    /// Opportunities, in the order read, with the output they came from.
    pub opportunities: Vec<(Kind, ApiOpportunity<'a>)>,
    /// `get-aws-opportunity-summary` responses, in the order read.
    pub summaries: Vec<ApiAwsSummary<'a>>,
    /// The `NextToken`s of incomplete lists.
    pub next_tokens: Vec<&'a RawValue>,
}

/// Reads one file: one JSON value, an array of values, or values one after
/// another (JSON Lines), each a response of one of the three outputs.
pub(super) fn read<'a>(source: &Source<'a>) -> Result<Responses<'a>, Vec<Problem>> {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(source.text);
    let mut responses = Responses::default();
    let mut problems = Vec::new();
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
    let mut any = false;
    loop {
        match values.next() {
            None => break,
            Some(Ok(value)) => {
                any = true;
                if let Err(problem) = read_value(source, value, &mut responses, true) {
                    problems.push(problem);
                }
            }
            Some(Err(error)) => {
                problems.push(source.parse_problem(text, &error, "not JSON"));
                break;
            }
        }
    }
    if !any && problems.is_empty() {
        problems.push(Problem {
            file: source.name.to_owned(),
            message: "the file holds no JSON; expected the output of `aws partnercentral-selling list-opportunities`, `get-opportunity` or `get-aws-opportunity-summary`".to_owned(),
            excerpt: None,
        });
    }
    if problems.is_empty() {
        Ok(responses)
    } else {
        Err(problems)
    }
}

const EXPECTED_SHAPES: &str = "expected the output of `list-opportunities` (with `OpportunitySummaries`), `get-opportunity` (with `Id`) or `get-aws-opportunity-summary` (with `RelatedOpportunityId`)";

/// Reads one top-level value (or, when `top`, an array of them).
fn read_value<'a>(
    source: &Source<'a>,
    value: &'a RawValue,
    responses: &mut Responses<'a>,
    top: bool,
) -> Result<(), Problem> {
    let text = value.get();
    match text.as_bytes().first() {
        Some(b'[') if top => {
            let items: Vec<&'a RawValue> = serde_json::from_str(text)
                .map_err(|error| source.parse_problem(text, &error, "not JSON"))?;
            for item in items {
                read_value(source, item, responses, false)?;
            }
            Ok(())
        }
        Some(b'{') => {
            let shape: Shape<'a> = serde_json::from_str(text)
                .map_err(|error| source.parse_problem(text, &error, "unreadable response"))?;
            if let Some(list) = shape.opportunity_summaries {
                let items: Vec<&'a RawValue> = serde_json::from_str(list.get()).map_err(|_| {
                    source.problem_at(
                        list,
                        "`OpportunitySummaries` is not a list; expected an array of opportunity summaries".to_owned(),
                    )
                })?;
                for item in items {
                    responses
                        .opportunities
                        .push((Kind::Listed, opportunity(source, item)?));
                }
                if let Some(token) = shape.next_token.filter(|token| token.get() != "null") {
                    responses.next_tokens.push(token);
                }
                Ok(())
            } else if shape.id.is_some() {
                responses
                    .opportunities
                    .push((Kind::Full, opportunity(source, value)?));
                Ok(())
            } else if shape.related_opportunity_id.is_some() {
                let summary: ApiAwsSummary<'a> =
                    crate::deserialize::from_json(text).map_err(|error| {
                        source.parse_problem(
                            text,
                            &error,
                            "unreadable `get-aws-opportunity-summary` output",
                        )
                    })?;
                responses.summaries.push(summary);
                Ok(())
            } else {
                Err(source.problem_at(
                    value,
                    format!(
                        "this JSON object is not a Partner Central response; {EXPECTED_SHAPES}"
                    ),
                ))
            }
        }
        _ => Err(source.problem_at(
            value,
            format!("this JSON value is not a Partner Central response; {EXPECTED_SHAPES}"),
        )),
    }
}

/// Reads an opportunity's members (each value kept raw, with its place).
fn opportunity<'a>(
    source: &Source<'a>,
    value: &'a RawValue,
) -> Result<ApiOpportunity<'a>, Problem> {
    let text = value.get();
    if !text.starts_with('{') {
        return Err(source.problem_at(
            value,
            "an opportunity is a JSON object; expected `{\"Id\": \"O…\", …}`".to_owned(),
        ));
    }
    crate::deserialize::from_json(text)
        .map_err(|error| source.parse_problem(text, &error, "unreadable opportunity"))
}
