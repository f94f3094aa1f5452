//! The partner data model and its loading: a partner file in TOML or JSON,
//! read with strict types, then checked once (unique people and
//! opportunities, known certifications, a tier the track has, sums that
//! fit) so that evaluation never re-checks.

use std::path::Path;

use chrono::NaiveDate;
use compact_str::CompactString;
use serde::Deserialize;

use crate::calendar::{deserialize_date, deserialize_optional_date};
use crate::error::PartnerProblem;
use crate::money::{Cents, deserialize_usd};
use crate::program::Level;
use crate::tiers::{Tier, Track};

mod load;

pub use load::{DEFAULT_MAX_FILE_SIZE, partner_schema, read_limited, read_text};
mod index;
mod spans;
mod toml_pieces;

use index::OpportunityIndex;

/// The format of a partner file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format a file name's extension says, if any.
    pub fn of_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The `[partner]` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "the [partner] table")]
pub struct PartnerInfo {
    /// The partner's name.
    pub name: String,
    /// Consulting or technology.
    pub track: Track,
    /// The current tier.
    pub tier: Tier,
    /// The membership renewal date.
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub renewal_date: NaiveDate,
    /// Domains on file, as written.
    #[serde(default)]
    pub domains: Vec<String>,
}

/// An APN program fee payment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a fee payment with `paid_on` and `amount_usd`"
)]
pub struct FeePayment {
    /// The day it was paid.
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub paid_on: NaiveDate,
    /// The amount.
    #[serde(deserialize_with = "deserialize_usd")]
    #[schemars(schema_with = "crate::money::usd_schema")]
    pub amount_usd: Cents,
}

/// A person registered (or not) to the Partner Central account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The name, if given.
    pub name: Option<String>,
    /// The email identifying the person, lowercase.
    pub email: String,
    /// The secondary training & certification email, lowercase.
    pub tc_email: Option<String>,
    /// Whether the person is registered to the account.
    pub registered: bool,
    /// Certifications, resolved against the catalog.
    pub certifications: Vec<HeldCertification>,
    /// Accreditations.
    pub accreditations: Vec<Accreditation>,
}

impl Person {
    /// Whether an exam taken under `account_email` is linked to the person:
    /// no email given, or the person's email or tc_email (already lowercase).
    pub fn is_linked(&self, account_email: Option<&str>) -> bool {
        account_email
            .is_none_or(|email| email == self.email || self.tc_email.as_deref() == Some(email))
    }
}

/// A certification a person holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCertification {
    /// The index of the certification in the rule set's catalog.
    pub catalog_index: usize,
    /// Its level (from the catalog).
    pub level: Level,
    /// Earned on.
    pub earned_on: NaiveDate,
    /// Expires on, if it expires.
    pub expires_on: Option<NaiveDate>,
    /// The email the exam was taken under, lowercase.
    pub account_email: Option<String>,
}

/// The two AWS accreditations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AccreditationKind {
    /// AWS Technical Professional.
    Technical,
    /// AWS Business Professional.
    Business,
}

/// An accreditation a person holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "an accreditation with `kind` and `earned_on`"
)]
pub struct Accreditation {
    /// Technical or business.
    pub kind: AccreditationKind,
    /// Earned on.
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub earned_on: NaiveDate,
    /// Expires on, if it expires.
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub expires_on: Option<NaiveDate>,
    /// The email it was taken under (lowercased at load).
    pub account_email: Option<String>,
}

/// The ACE stage of an opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Prospect.
    Prospect,
    /// Qualified.
    Qualified,
    /// Technical validation.
    TechnicalValidation,
    /// Business validation.
    BusinessValidation,
    /// Committed.
    Committed,
    /// Launched: the only stage that counts.
    Launched,
    /// Closed lost.
    ClosedLost,
}

/// Where an opportunity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Submitted by the partner.
    Partner,
    /// Referred by AWS.
    AwsReferred,
    /// The partner was tagged by AWS sales.
    Tagged,
    /// A Marketplace transaction: not an opportunity.
    Marketplace,
}

/// An ACE opportunity. `launched_on` is present exactly when the stage is
/// launched.
// Read from the file as it is, so that a large list is not copied;
// `Opportunity::check` is its check at load.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an opportunity table")]
#[schemars(rename = "RawOpportunity")]
pub struct Opportunity {
    /// The unique id.
    #[schemars(with = "String")]
    pub id: CompactString,
    /// The customer.
    #[schemars(with = "Option<String>")]
    pub customer: Option<CompactString>,
    /// The stage.
    pub stage: Stage,
    /// The launch day, YYYY-MM-DD (only for launched opportunities).
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub launched_on: Option<NaiveDate>,
    /// Estimated monthly recurring revenue, in USD, such as 2500.00.
    #[serde(default, deserialize_with = "deserialize_usd")]
    #[schemars(schema_with = "crate::money::usd_schema")]
    pub mrr_usd: Cents,
    /// Where it came from.
    pub origin: Origin,
    /// Set by `import opportunities` on the launch dates it estimated;
    /// delete it after correcting `launched_on` by hand.
    #[serde(default)]
    pub launched_on_source: Option<LaunchedOnSource>,
}

/// What an estimated launch date was read from, since Partner Central
/// records no launch date (written by `import opportunities`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LaunchedOnSource {
    /// The opportunity's `LifeCycle.TargetCloseDate`: the planned launch.
    TargetCloseDate,
    /// The day of the opportunity's `LastModifiedDate`: at best an upper bound.
    LastModified,
}

impl LaunchedOnSource {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchedOnSource::TargetCloseDate => "target-close-date",
            LaunchedOnSource::LastModified => "last-modified",
        }
    }

    /// The Partner Central field it is read from.
    pub fn field(self) -> &'static str {
        match self {
            LaunchedOnSource::TargetCloseDate => "TargetCloseDate",
            LaunchedOnSource::LastModified => "LastModifiedDate",
        }
    }
}

impl Opportunity {
    /// Checks an opportunity as read: a launch day exactly when launched.
    fn check(&self) -> Result<(), PartnerProblem> {
        match (self.stage, self.launched_on) {
            (Stage::Launched, None) => {
                return Err(PartnerProblem::LaunchedWithoutDate {
                    id: self.id.to_string(),
                });
            }
            (stage, Some(_)) if stage != Stage::Launched => {
                return Err(PartnerProblem::DateWithoutLaunch {
                    id: self.id.to_string(),
                });
            }
            _ => {}
        }
        if self.launched_on.is_none() && self.launched_on_source.is_some() {
            return Err(PartnerProblem::SourceWithoutDate {
                id: self.id.to_string(),
            });
        }
        Ok(())
    }
}

/// An AWS account ID once sent through the legacy Revenue tool.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a legacy submission with `account_id` and `submitted_on`"
)]
pub struct LegacySubmission {
    /// The AWS account ID.
    pub account_id: String,
    /// Submitted on.
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub submitted_on: NaiveDate,
}

/// What a revenue line is (informational).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RevenueKind {
    /// Usage.
    #[default]
    Usage,
    /// An out-of-cycle Reserved Instance purchase.
    ReservedInstance,
    /// Anything else.
    Other,
}

/// A promotional credit applied to a revenue line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a credit with `type` and `amount_usd`"
)]
pub struct Credit {
    /// The credit type, free text (compared case-insensitively).
    #[serde(rename = "type")]
    pub credit_type: String,
    /// The amount.
    #[serde(deserialize_with = "deserialize_usd")]
    #[schemars(schema_with = "crate::money::usd_schema")]
    pub amount_usd: Cents,
}

/// Billed revenue of an AWS account the partner owns.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a revenue line")]
pub struct RevenueLine {
    /// The AWS account ID.
    #[schemars(with = "String")]
    pub account_id: CompactString,
    /// The account's domain, as written.
    #[schemars(with = "String")]
    pub domain: CompactString,
    /// Bill date (or purchase date of an out-of-cycle purchase).
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub billed_on: NaiveDate,
    /// The billed amount.
    #[serde(deserialize_with = "deserialize_usd")]
    #[schemars(schema_with = "crate::money::usd_schema")]
    pub amount_usd: Cents,
    /// What it is.
    #[serde(default)]
    pub kind: RevenueKind,
    /// Promotional credits.
    #[serde(default)]
    pub credits: Vec<Credit>,
    /// Whether `domain` is one of the partner's domains (found at load).
    #[serde(skip)]
    #[schemars(skip)]
    pub domain_on_file: bool,
}

/// A product of the partner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a product with `name` and `ga`")]
pub struct Product {
    /// The name.
    pub name: String,
    /// Listed as generally available on AWS.
    #[serde(default)]
    pub ga: bool,
}

/// The partner business plan.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "the [business_plan] table")]
pub struct BusinessPlan {
    /// The last sign-off by the APN Partner Manager.
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub signed_off_on: Option<NaiveDate>,
}

/// A program that validates the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Program {
    /// An AWS Competency (named).
    Competency,
    /// AWS Managed Service Provider.
    Msp,
    /// AWS Well-Architected Partner Program.
    WellArchitected,
    /// APN Technical Baseline Review.
    TechnicalBaselineReview,
    /// An AWS Service Delivery specialization (named; counts for nothing in
    /// the 2019 tier rules).
    ServiceDelivery,
    /// An AWS Service Ready specialization (named; counts for nothing in the
    /// 2019 tier rules).
    ServiceReady,
    /// A Foundational Technical Review (named; counts for nothing in the 2019
    /// tier rules).
    Ftr,
}

/// A program validation. A competency always has a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    /// The program.
    pub program: Program,
    /// Which competency (or other name).
    pub name: Option<String>,
    /// Achieved on.
    pub achieved_on: NaiveDate,
    /// Expires on, if it expires.
    pub expires_on: Option<NaiveDate>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a validation table")]
struct RawValidation {
    program: Program,
    name: Option<String>,
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    achieved_on: NaiveDate,
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    expires_on: Option<NaiveDate>,
}

impl TryFrom<RawValidation> for Validation {
    type Error = PartnerProblem;

    fn try_from(raw: RawValidation) -> Result<Self, PartnerProblem> {
        let named = raw
            .name
            .as_deref()
            .is_some_and(|name| !name.trim().is_empty());
        if raw.program.is_named() && !named {
            let (program, example) = match raw.program {
                Program::Competency => ("a competency", "Migration"),
                Program::ServiceDelivery => ("a service-delivery", "AWS WAF"),
                Program::ServiceReady => ("a service-ready", "AWS Lambda"),
                _ => ("an ftr", "Partner Hosted Foundational Technical Review"),
            };
            return Err(PartnerProblem::UnnamedValidation { program, example });
        }
        Ok(Validation {
            program: raw.program,
            name: raw.name,
            achieved_on: raw.achieved_on,
            expires_on: raw.expires_on,
        })
    }
}

/// An executive business review.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "an executive business review with `completed_on`"
)]
pub struct ExecutiveBusinessReview {
    /// Completed on.
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub completed_on: NaiveDate,
    /// Approved.
    #[serde(default)]
    pub approved: bool,
}

/// How a public reference was submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// On a launched ACE opportunity.
    Ace,
    /// Through the Public Reference tool (needs a URL and weekly approval).
    ReferenceTool,
    /// Through the legacy References tool.
    Legacy,
}

/// A customer reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The customer.
    pub customer: CompactString,
    /// Publicly referenceable.
    pub public: bool,
    /// How it was submitted.
    pub via: Via,
    /// The opportunity (always present for `via = "ace"`).
    pub opportunity: Option<String>,
    /// The public asset's URL.
    pub url: Option<String>,
    /// Approved (reference-tool entries are approved weekly).
    pub approved: bool,
    /// Submitted on.
    pub submitted_on: NaiveDate,
    /// The customer, normalised for comparison (trimmed, lowercase).
    pub customer_key: CompactString,
    /// For `via = "ace"`: the named opportunity's launch, linked at load.
    pub link: OpportunityLink,
    /// For a linked ACE reference, its opportunity's customer normalised as
    /// `customer_key` is, found once when linked (`None` when the
    /// opportunity names no customer, or for any other reference).
    pub linked_customer_key: Option<CompactString>,
}

/// What a reference's opportunity is, found once when the file is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpportunityLink {
    /// Not a reference via ACE.
    NotAce,
    /// The file has no opportunity with that id.
    Unknown,
    /// The opportunity at this place in the partner's list.
    At(usize),
}

const fn yes() -> bool {
    true
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a reference table")]
struct RawReference {
    #[schemars(with = "String")]
    customer: CompactString,
    #[serde(default)]
    public: bool,
    via: Via,
    opportunity: Option<String>,
    url: Option<String>,
    #[serde(default = "yes")]
    approved: bool,
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    submitted_on: NaiveDate,
}

impl TryFrom<RawReference> for Reference {
    type Error = PartnerProblem;

    fn try_from(raw: RawReference) -> Result<Self, PartnerProblem> {
        if raw.via == Via::Ace && raw.opportunity.is_none() {
            return Err(PartnerProblem::AceReferenceWithoutOpportunity {
                customer: raw.customer.to_string(),
            });
        }
        Ok(Reference {
            customer_key: crate::program::normalize_name(&raw.customer).into(),
            customer: raw.customer,
            public: raw.public,
            via: raw.via,
            opportunity: raw.opportunity,
            url: raw.url,
            approved: raw.approved,
            submitted_on: raw.submitted_on,
            // Linked to the file's opportunities once they are all read.
            link: OpportunityLink::NotAce,
            linked_customer_key: None,
        })
    }
}

/// A "Rate this Partner" response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a CSAT response table")]
pub struct CsatResponse {
    /// The customer.
    #[schemars(with = "String")]
    pub customer: CompactString,
    /// Who answered.
    pub respondent: Option<String>,
    /// Submitted on.
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub submitted_on: NaiveDate,
    /// The respondent confirmed their email.
    #[serde(default)]
    pub email_confirmed: bool,
    /// The respondent is an AWS customer.
    #[serde(default)]
    pub aws_customer: bool,
}

/// A requirement of a competency checklist that the partner has shown it
/// meets (the competency contract, section 3). Checked against a catalog
/// only by the commands that read one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "requirement evidence with `scope`, `requirement` and `met_on`"
)]
pub struct RequirementEvidence {
    /// The block or designation id the requirement belongs to.
    pub scope: String,
    /// The requirement's id, such as `ACCT-001`.
    pub requirement: String,
    /// When it was last shown met.
    #[serde(deserialize_with = "deserialize_date")]
    #[schemars(schema_with = "crate::calendar::date_schema")]
    pub met_on: NaiveDate,
    /// Where the evidence is.
    pub evidence: Option<String>,
}

impl AccreditationKind {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            AccreditationKind::Technical => "technical",
            AccreditationKind::Business => "business",
        }
    }
}

impl Origin {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Partner => "partner",
            Origin::AwsReferred => "aws-referred",
            Origin::Tagged => "tagged",
            Origin::Marketplace => "marketplace",
        }
    }
}

impl Stage {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Prospect => "prospect",
            Stage::Qualified => "qualified",
            Stage::TechnicalValidation => "technical-validation",
            Stage::BusinessValidation => "business-validation",
            Stage::Committed => "committed",
            Stage::Launched => "launched",
            Stage::ClosedLost => "closed-lost",
        }
    }
}

impl Program {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Program::Competency => "competency",
            Program::Msp => "msp",
            Program::WellArchitected => "well-architected",
            Program::TechnicalBaselineReview => "technical-baseline-review",
            Program::ServiceDelivery => "service-delivery",
            Program::ServiceReady => "service-ready",
            Program::Ftr => "ftr",
        }
    }

    /// Whether the 2019 tier rules count a validation of this program as a
    /// program validation (competency, MSP, Well-Architected).
    pub fn counts_in_tier_rules(self) -> bool {
        match self {
            Program::Competency | Program::Msp | Program::WellArchitected => true,
            Program::TechnicalBaselineReview
            | Program::ServiceDelivery
            | Program::ServiceReady
            | Program::Ftr => false,
        }
    }

    /// Whether a validation of this program is identified by its name (a
    /// competency, a specialization, an FTR), rather than by the program
    /// alone (MSP, Well-Architected, the technical baseline review).
    pub fn is_named(self) -> bool {
        matches!(
            self,
            Program::Competency | Program::ServiceDelivery | Program::ServiceReady | Program::Ftr
        )
    }
}

impl Via {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Ace => "ace",
            Via::ReferenceTool => "reference-tool",
            Via::Legacy => "legacy",
        }
    }
}

/// A loaded, checked partner file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    /// The `[partner]` table; `domains` normalised (lowercase, no trailing dot).
    pub info: PartnerInfo,
    /// Fee payments.
    pub fee_payments: Vec<FeePayment>,
    /// People.
    pub people: Vec<Person>,
    /// Opportunities.
    pub opportunities: Vec<Opportunity>,
    /// Legacy Revenue tool submissions.
    pub legacy_account_submissions: Vec<LegacySubmission>,
    /// Revenue lines.
    pub revenue: Vec<RevenueLine>,
    /// Products.
    pub products: Vec<Product>,
    /// The business plan.
    pub business_plan: Option<BusinessPlan>,
    /// Program validations.
    pub validations: Vec<Validation>,
    /// Executive business reviews.
    pub executive_business_reviews: Vec<ExecutiveBusinessReview>,
    /// Customer references.
    pub references: Vec<Reference>,
    /// CSAT responses.
    pub csat_responses: Vec<CsatResponse>,
    /// Competency requirements shown met.
    pub requirement_evidence: Vec<RequirementEvidence>,
}

/// Normalises an email for comparison: trimmed, lowercase.
fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The line of each record named by its top-level list and its place in
/// it (`("csat_responses", 3)`) in a partner file's text, where it can be
/// found: the text is parsed once, and its lines indexed once.
pub fn lines_of_records(
    text: &str,
    format: Format,
    records: &[(&'static str, usize)],
) -> Vec<Option<usize>> {
    if records.is_empty() {
        return Vec::new();
    }
    let refs: Vec<spans::RecordRef> = records
        .iter()
        .map(|&(list, index)| spans::RecordRef::Item(list, index))
        .collect();
    let starts: Vec<Option<usize>> = spans::spans_of(text, format, &refs)
        .into_iter()
        .map(|span| span.map(|span| span.start))
        .collect();
    // The lines counted once, from one record's start to the next in text
    // order, rather than indexing every line of a large file.
    let mut order: Vec<usize> = (0..starts.len())
        .filter(|&at| starts[at].is_some())
        .collect();
    order.sort_unstable_by_key(|&at| starts[at]);
    let mut lines = vec![None; starts.len()];
    let (mut counted_to, mut line) = (0, 1);
    for at in order {
        let Some(start) = starts[at] else { continue };
        let start = start.min(text.len());
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..start]).count();
        counted_to = start;
        lines[at] = Some(line);
    }
    lines
}

/// The excerpt (line and caret) of the `index`th record of the top-level
/// list `list` in a partner file's text, where it can be found.
pub fn record_excerpt(
    text: &str,
    format: Format,
    list: &'static str,
    index: usize,
) -> Option<crate::error::Excerpt> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    spans::span_of(text, format, spans::RecordRef::Item(list, index))
        .map(|span| crate::error::Excerpt::at(text, span))
}

/// The line where a top-level table or list `key` starts in a partner file
/// (`[key]`, `[[key]]` or `key = ...` in TOML; `"key":` in JSON).
pub fn line_of_table(text: &str, format: Format, key: &str) -> Option<usize> {
    let starts_table = |line: &str| {
        let line = line.trim_start();
        match format {
            Format::Toml => {
                let header = line.trim_start_matches('[').trim_start();
                (line.starts_with('[')
                    && header
                        .strip_prefix(key)
                        .is_some_and(|rest| rest.trim_start().starts_with(']')))
                    || line
                        .strip_prefix(key)
                        .is_some_and(|rest| rest.trim_start().starts_with('='))
            }
            Format::Json => line
                .find(&format!("\"{key}\""))
                .is_some_and(|at| line[at + key.len() + 2..].trim_start().starts_with(':')),
        }
    };
    // Only the lines where `key` occurs can start its table: find those
    // with one fast search rather than testing every line.
    let bytes = text.as_bytes();
    let mut checked_up_to = 0;
    for at in memchr::memmem::find_iter(bytes, key.as_bytes()) {
        if at < checked_up_to {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |newline| newline + 1);
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |offset| at + offset);
        if starts_table(&text[line_start..line_end]) {
            return Some(1 + memchr::memchr_iter(b'\n', &bytes[..line_start]).count());
        }
        checked_up_to = line_end;
    }
    None
}

/// Normalises a domain for comparison: trimmed, lowercase, no trailing dot.
pub fn normalize_domain(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_lowercase()
}

impl Partner {
    /// The data as it stood on `day`: every record dated after it removed
    /// (credentials earned, opportunities launched, payments made, ... later).
    pub fn known_on(&self, day: NaiveDate) -> Partner {
        let on_or_before = |date: NaiveDate| date <= day;
        let mut known = Partner {
            info: self.info.clone(),
            fee_payments: self
                .fee_payments
                .iter()
                .filter(|fee| on_or_before(fee.paid_on))
                .cloned()
                .collect(),
            people: self
                .people
                .iter()
                .map(|person| Person {
                    certifications: person
                        .certifications
                        .iter()
                        .filter(|certification| on_or_before(certification.earned_on))
                        .cloned()
                        .collect(),
                    accreditations: person
                        .accreditations
                        .iter()
                        .filter(|accreditation| on_or_before(accreditation.earned_on))
                        .cloned()
                        .collect(),
                    ..person.clone()
                })
                .collect(),
            opportunities: self
                .opportunities
                .iter()
                .filter(|opportunity| opportunity.launched_on.is_none_or(on_or_before))
                .cloned()
                .collect(),
            legacy_account_submissions: self
                .legacy_account_submissions
                .iter()
                .filter(|submission| on_or_before(submission.submitted_on))
                .cloned()
                .collect(),
            revenue: self
                .revenue
                .iter()
                .filter(|line| on_or_before(line.billed_on))
                .cloned()
                .collect(),
            products: self.products.clone(),
            business_plan: self.business_plan.as_ref().map(|plan| BusinessPlan {
                signed_off_on: plan.signed_off_on.filter(|signed| on_or_before(*signed)),
            }),
            validations: self
                .validations
                .iter()
                .filter(|validation| on_or_before(validation.achieved_on))
                .cloned()
                .collect(),
            executive_business_reviews: self
                .executive_business_reviews
                .iter()
                .filter(|review| on_or_before(review.completed_on))
                .cloned()
                .collect(),
            references: self
                .references
                .iter()
                .filter(|reference| on_or_before(reference.submitted_on))
                .cloned()
                .collect(),
            csat_responses: self
                .csat_responses
                .iter()
                .filter(|response| on_or_before(response.submitted_on))
                .cloned()
                .collect(),
            requirement_evidence: self
                .requirement_evidence
                .iter()
                .filter(|shown| on_or_before(shown.met_on))
                .cloned()
                .collect(),
        };
        // Opportunities launched later are gone: their references re-link.
        // The ids were unique in the whole file, so they are in a part of it.
        if let Ok(index) = OpportunityIndex::new(&known.opportunities) {
            index.link(&mut known.references);
        }
        known
    }
}

#[cfg(test)]
mod tests;
