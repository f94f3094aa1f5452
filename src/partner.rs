//! The partner data model and its loading: a partner file in TOML or JSON,
//! read with strict types, then checked once (unique people and
//! opportunities, known certifications, a tier the track has, sums that
//! fit) so that evaluation never re-checks.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::{deserialize_date, deserialize_optional_date};
use crate::error::{LoadError, Location, tidy_parser_message, toml_error_parts};
use crate::money::{Cents, deserialize_usd};
use crate::rules::{Level, RuleSet, list};
use crate::tiers::{Tier, Track};

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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
    pub renewal_date: NaiveDate,
    /// Domains on file, as written.
    #[serde(default)]
    pub domains: Vec<String>,
}

/// An APN program fee payment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a fee payment with `paid_on` and `amount_usd`"
)]
pub struct FeePayment {
    /// The day it was paid.
    #[serde(deserialize_with = "deserialize_date")]
    pub paid_on: NaiveDate,
    /// The amount.
    #[serde(deserialize_with = "deserialize_usd")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccreditationKind {
    /// AWS Technical Professional.
    Technical,
    /// AWS Business Professional.
    Business,
}

/// An accreditation a person holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an accreditation with `kind` and `earned_on`"
)]
pub struct Accreditation {
    /// Technical or business.
    pub kind: AccreditationKind,
    /// Earned on.
    #[serde(deserialize_with = "deserialize_date")]
    pub earned_on: NaiveDate,
    /// Expires on, if it expires.
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    pub expires_on: Option<NaiveDate>,
    /// The email it was taken under (lowercased at load).
    pub account_email: Option<String>,
}

/// The ACE stage of an opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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

/// An ACE opportunity. `launched_on` is present exactly when the stage is launched.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawOpportunity")]
pub struct Opportunity {
    /// The unique id.
    pub id: String,
    /// The customer.
    pub customer: Option<String>,
    /// The stage.
    pub stage: Stage,
    /// The launch day (only for launched opportunities).
    pub launched_on: Option<NaiveDate>,
    /// Estimated monthly recurring revenue.
    pub mrr_usd: Cents,
    /// Where it came from.
    pub origin: Origin,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "an opportunity table")]
struct RawOpportunity {
    id: String,
    customer: Option<String>,
    stage: Stage,
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    launched_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "deserialize_usd")]
    mrr_usd: Cents,
    origin: Origin,
}

impl TryFrom<RawOpportunity> for Opportunity {
    type Error = String;

    fn try_from(raw: RawOpportunity) -> Result<Self, String> {
        match (raw.stage, raw.launched_on) {
            (Stage::Launched, None) => {
                return Err(format!(
                    "opportunity `{}` is launched but has no `launched_on`; add the launch date",
                    raw.id
                ));
            }
            (stage, Some(_)) if stage != Stage::Launched => {
                return Err(format!(
                    "opportunity `{}` has `launched_on` but its stage is not `launched`; remove the date or set `stage = \"launched\"`",
                    raw.id
                ));
            }
            _ => {}
        }
        Ok(Opportunity {
            id: raw.id,
            customer: raw.customer,
            stage: raw.stage,
            launched_on: raw.launched_on,
            mrr_usd: raw.mrr_usd,
            origin: raw.origin,
        })
    }
}

/// An AWS account ID once sent through the legacy Revenue tool.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a legacy submission with `account_id` and `submitted_on`"
)]
pub struct LegacySubmission {
    /// The AWS account ID.
    pub account_id: String,
    /// Submitted on.
    #[serde(deserialize_with = "deserialize_date")]
    pub submitted_on: NaiveDate,
}

/// What a revenue line is (informational).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
    pub amount_usd: Cents,
}

/// Billed revenue of an AWS account the partner owns.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a revenue line")]
pub struct RevenueLine {
    /// The AWS account ID.
    pub account_id: String,
    /// The account's domain, as written.
    pub domain: String,
    /// Bill date (or purchase date of an out-of-cycle purchase).
    #[serde(deserialize_with = "deserialize_date")]
    pub billed_on: NaiveDate,
    /// The billed amount.
    #[serde(deserialize_with = "deserialize_usd")]
    pub amount_usd: Cents,
    /// What it is.
    #[serde(default)]
    pub kind: RevenueKind,
    /// Promotional credits.
    #[serde(default)]
    pub credits: Vec<Credit>,
}

/// A product of the partner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a product with `name` and `ga`")]
pub struct Product {
    /// The name.
    pub name: String,
    /// Listed as generally available on AWS.
    #[serde(default)]
    pub ga: bool,
}

/// The partner business plan.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "the [business_plan] table")]
pub struct BusinessPlan {
    /// The last sign-off by the APN Partner Manager.
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    pub signed_off_on: Option<NaiveDate>,
}

/// A program that validates the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
}

/// A program validation. A competency always has a name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawValidation")]
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a validation table")]
struct RawValidation {
    program: Program,
    name: Option<String>,
    #[serde(deserialize_with = "deserialize_date")]
    achieved_on: NaiveDate,
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    expires_on: Option<NaiveDate>,
}

impl TryFrom<RawValidation> for Validation {
    type Error = &'static str;

    fn try_from(raw: RawValidation) -> Result<Self, &'static str> {
        let named = raw
            .name
            .as_deref()
            .is_some_and(|name| !name.trim().is_empty());
        if raw.program == Program::Competency && !named {
            return Err("a competency validation needs a `name`, such as `name = \"DevOps\"`");
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an executive business review with `completed_on`"
)]
pub struct ExecutiveBusinessReview {
    /// Completed on.
    #[serde(deserialize_with = "deserialize_date")]
    pub completed_on: NaiveDate,
    /// Approved.
    #[serde(default)]
    pub approved: bool,
}

/// How a public reference was submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawReference")]
pub struct Reference {
    /// The customer.
    pub customer: String,
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
}

const fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a reference table")]
struct RawReference {
    customer: String,
    #[serde(default)]
    public: bool,
    via: Via,
    opportunity: Option<String>,
    url: Option<String>,
    #[serde(default = "yes")]
    approved: bool,
    #[serde(deserialize_with = "deserialize_date")]
    submitted_on: NaiveDate,
}

impl TryFrom<RawReference> for Reference {
    type Error = String;

    fn try_from(raw: RawReference) -> Result<Self, String> {
        if raw.via == Via::Ace && raw.opportunity.is_none() {
            return Err(format!(
                "reference for `{}` is via `ace` but names no `opportunity`; add the id of its launched opportunity",
                raw.customer
            ));
        }
        Ok(Reference {
            customer: raw.customer,
            public: raw.public,
            via: raw.via,
            opportunity: raw.opportunity,
            url: raw.url,
            approved: raw.approved,
            submitted_on: raw.submitted_on,
        })
    }
}

/// A "Rate this Partner" response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a CSAT response table")]
pub struct CsatResponse {
    /// The customer.
    pub customer: String,
    /// Who answered.
    pub respondent: Option<String>,
    /// Submitted on.
    #[serde(deserialize_with = "deserialize_date")]
    pub submitted_on: NaiveDate,
    /// The respondent confirmed their email.
    #[serde(default)]
    pub email_confirmed: bool,
    /// The respondent is an AWS customer.
    #[serde(default)]
    pub aws_customer: bool,
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
        }
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a partner file")]
struct RawPartnerFile {
    /// JSON has no comments: a top-level `_comment` string is accepted and ignored.
    #[serde(default, rename = "_comment")]
    _comment: Option<String>,
    partner: PartnerInfo,
    #[serde(default)]
    fee_payments: Vec<FeePayment>,
    #[serde(default)]
    people: Vec<RawPerson>,
    #[serde(default)]
    opportunities: Vec<Opportunity>,
    #[serde(default)]
    legacy_account_submissions: Vec<LegacySubmission>,
    #[serde(default)]
    revenue: Vec<RevenueLine>,
    #[serde(default)]
    products: Vec<Product>,
    business_plan: Option<BusinessPlan>,
    #[serde(default)]
    validations: Vec<Validation>,
    #[serde(default)]
    executive_business_reviews: Vec<ExecutiveBusinessReview>,
    #[serde(default)]
    references: Vec<Reference>,
    #[serde(default)]
    csat_responses: Vec<CsatResponse>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a person table")]
struct RawPerson {
    name: Option<String>,
    email: String,
    tc_email: Option<String>,
    #[serde(default = "yes")]
    registered: bool,
    #[serde(default)]
    certifications: Vec<RawCertification>,
    #[serde(default)]
    accreditations: Vec<Accreditation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a certification table")]
struct RawCertification {
    cert: String,
    #[serde(deserialize_with = "deserialize_date")]
    earned_on: NaiveDate,
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    expires_on: Option<NaiveDate>,
    account_email: Option<String>,
}

/// Normalises an email for comparison: trimmed, lowercase.
fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Normalises a domain for comparison: trimmed, lowercase, no trailing dot.
pub fn normalize_domain(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_lowercase()
}

impl Partner {
    /// Reads and checks a partner file; the extension says TOML or JSON.
    pub fn load(path: &Path, rules: &RuleSet) -> Result<Partner, LoadError> {
        let name = path.display().to_string();
        let format =
            Format::of_path(path).ok_or_else(|| LoadError::UnknownFormat { path: name.clone() })?;
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: name.clone(),
            source,
        })?;
        Partner::parse(&text, format, &name, rules)
    }

    /// Parses and checks partner-file text; `name` names it in errors.
    pub fn parse(
        text: &str,
        format: Format,
        name: &str,
        rules: &RuleSet,
    ) -> Result<Partner, LoadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if format == Format::Json && text.trim_start().starts_with('[') {
            return Err(LoadError::Invalid {
                path: name.to_owned(),
                message: "the top level is an array; a partner file is one JSON object with a `partner` table".to_owned(),
            });
        }
        let raw: RawPartnerFile = match format {
            Format::Toml => toml::from_str(text).map_err(|source| {
                let (location, message) = toml_error_parts(text, &source);
                LoadError::Toml {
                    path: name.to_owned(),
                    location,
                    message,
                    source: Box::new(source),
                }
            })?,
            Format::Json => serde_json::from_str(text).map_err(|source| {
                let location = Location {
                    line: source.line(),
                    column: source.column().max(1),
                };
                let message = json_message(&source);
                LoadError::Json {
                    path: name.to_owned(),
                    location,
                    message,
                    source,
                }
            })?,
        };
        let invalid = |message: String| LoadError::Invalid {
            path: name.to_owned(),
            message,
        };
        Partner::check(raw, rules).map_err(invalid)
    }

    fn check(raw: RawPartnerFile, rules: &RuleSet) -> Result<Partner, String> {
        let mut info = raw.partner;
        if !rules.has_tier(info.track, info.tier) {
            let tiers = std::iter::once(Tier::Registered)
                .chain(rules.tiers(info.track).iter().copied())
                .map(Tier::as_str);
            return Err(format!(
                "partner `{}`: track `{}` has no tier `{}`; expected one of {}",
                info.name,
                info.track,
                info.tier,
                list(tiers)
            ));
        }
        info.domains = info
            .domains
            .iter()
            .map(|domain| normalize_domain(domain))
            .collect();

        let mut emails = HashSet::new();
        let mut people = Vec::with_capacity(raw.people.len());
        for (index, person) in raw.people.into_iter().enumerate() {
            let email = normalize_email(&person.email);
            if email.is_empty() {
                return Err(format!(
                    "person {} of `people` has an empty `email`; every person needs the email that identifies them",
                    index + 1
                ));
            }
            if !emails.insert(email.clone()) {
                return Err(format!(
                    "person `{email}` is listed twice (emails are compared case-insensitively); merge the two entries"
                ));
            }
            let mut certifications = Vec::with_capacity(person.certifications.len());
            for certification in person.certifications {
                let catalog_index = rules.find_certification(&certification.cert).ok_or_else(|| {
                    format!(
                        "person `{email}`: certification `{}` is not in the rule file's catalog; closest: {}",
                        certification.cert,
                        list(rules.closest_certifications(&certification.cert).into_iter())
                    )
                })?;
                certifications.push(HeldCertification {
                    catalog_index,
                    level: rules.certifications[catalog_index].level,
                    earned_on: certification.earned_on,
                    expires_on: certification.expires_on,
                    account_email: certification.account_email.as_deref().map(normalize_email),
                });
            }
            let accreditations = person
                .accreditations
                .into_iter()
                .map(|accreditation| Accreditation {
                    account_email: accreditation.account_email.as_deref().map(normalize_email),
                    ..accreditation
                })
                .collect();
            people.push(Person {
                name: person.name,
                email,
                tc_email: person.tc_email.as_deref().map(normalize_email),
                registered: person.registered,
                certifications,
                accreditations,
            });
        }

        let mut ids = HashSet::new();
        for opportunity in &raw.opportunities {
            if !ids.insert(opportunity.id.as_str()) {
                return Err(format!(
                    "opportunity `{}` is listed twice; opportunity ids must be unique",
                    opportunity.id
                ));
            }
        }

        check_total(
            "fee_payments",
            raw.fee_payments.iter().map(|fee| fee.amount_usd),
        )?;
        check_total("opportunities", raw.opportunities.iter().map(|o| o.mrr_usd))?;
        check_total("revenue", raw.revenue.iter().map(|line| line.amount_usd))?;
        for line in &raw.revenue {
            check_total(
                &format!(
                    "credits of revenue line `{}` {}",
                    line.account_id, line.billed_on
                ),
                line.credits.iter().map(|credit| credit.amount_usd),
            )?;
        }

        Ok(Partner {
            info,
            fee_payments: raw.fee_payments,
            people,
            opportunities: raw.opportunities,
            legacy_account_submissions: raw.legacy_account_submissions,
            revenue: raw.revenue,
            products: raw.products,
            business_plan: raw.business_plan,
            validations: raw.validations,
            executive_business_reviews: raw.executive_business_reviews,
            references: raw.references,
            csat_responses: raw.csat_responses,
        })
    }
}

impl Partner {
    /// The data as it stood on `day`: every record dated after it removed
    /// (credentials earned, opportunities launched, payments made, ... later).
    pub fn known_on(&self, day: NaiveDate) -> Partner {
        let on_or_before = |date: NaiveDate| date <= day;
        Partner {
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
        }
    }
}

/// Checks that a list's amounts add up to a sum that fits, so that every
/// sum evaluation takes over a subset of it fits too.
fn check_total(what: &str, mut amounts: impl Iterator<Item = Cents>) -> Result<(), String> {
    amounts
        .try_fold(Cents::ZERO, Cents::checked_add)
        .map(|_| ())
        .ok_or_else(|| format!("the amounts of {what} add up to more than apn-check can hold"))
}

/// serde_json's message without its own " at line L column C" suffix.
fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    tidy_parser_message(text.strip_suffix(&suffix).unwrap_or(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"))
    }

    const MINIMAL: &str = "[partner]\nname = \"P\"\ntrack = \"consulting\"\ntier = \"select\"\nrenewal_date = 2020-01-01\n";

    fn error_of(text: &str, format: Format) -> String {
        match Partner::parse(text, format, "p", &rules()) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn minimal_file_loads_with_defaults() {
        let partner = Partner::parse(MINIMAL, Format::Toml, "p", &rules());
        let partner = partner.unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(partner.info.tier, Tier::Select);
        assert!(partner.people.is_empty() && partner.business_plan.is_none());
    }

    #[test]
    fn bad_records_are_refused_with_a_located_message() {
        let cases = [
            (
                "[[people]]\nemail = \"a@x\"\nnmae = \"A\"\n",
                "`p` line 9, column 1: unknown field `nmae`",
            ),
            (
                "[[opportunities]]\nid = \"O-1\"\nstage = \"launched\"\norigin = \"partner\"\n",
                "launched but has no `launched_on`",
            ),
            (
                "[[opportunities]]\nid = \"O-1\"\nstage = \"committed\"\nlaunched_on = 2019-01-01\norigin = \"partner\"\n",
                "its stage is not `launched`",
            ),
            (
                "[[opportunities]]\nid = \"O-1\"\nstage = \"won\"\norigin = \"partner\"\n",
                "unknown value `won`, expected one of `prospect`",
            ),
            (
                "[[fee_payments]]\npaid_on = 2019-01-01\namount_usd = -5.0\n",
                "amount `-5` is negative",
            ),
            (
                "[[fee_payments]]\npaid_on = 2019-02-30\namount_usd = 5.0\n",
                "`p` line 8, column 11: invalid date",
            ),
            (
                "[[validations]]\nprogram = \"competency\"\nachieved_on = 2019-01-01\n",
                "competency validation needs a `name`",
            ),
        ];
        for (extra, expected) in cases {
            let message = error_of(&format!("{MINIMAL}\n{extra}"), Format::Toml);
            assert!(
                message.contains(expected),
                "{message}\nshould contain {expected}"
            );
        }
    }

    #[test]
    fn semantic_errors_name_the_record() {
        let opportunity =
            "[[opportunities]]\nid = \"O-7\"\nstage = \"prospect\"\norigin = \"partner\"\n";
        let cases = [
            (format!("{opportunity}{opportunity}"), "opportunity `O-7` is listed twice"),
            (
                "[[people]]\nemail = \"A@x\"\n[[people]]\nemail = \"a@X \"\n".to_owned(),
                "person `a@x` is listed twice",
            ),
            (
                "[[people]]\nemail = \"a@x\"\n[[people.certifications]]\ncert = \"solutions-architect-pro\"\nearned_on = 2019-01-01\n".to_owned(),
                "certification `solutions-architect-pro` is not in the rule file's catalog; closest: `solutions-architect-professional`",
            ),
        ];
        for (extra, expected) in cases {
            let message = error_of(&format!("{MINIMAL}\n{extra}"), Format::Toml);
            assert!(
                message.contains(expected),
                "{message}\nshould contain {expected}"
            );
        }
        let premier = MINIMAL
            .replace("consulting", "technology")
            .replace("select", "premier");
        let message = error_of(&premier, Format::Toml);
        assert!(
            message.contains("track `technology` has no tier `premier`"),
            "{message}"
        );
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let text = "{\n  \"partner\": {\"name\": \"P\", \"track\": \"consulting\", \"tier\": \"select\",\n  \"renewal_date\": \"2020-01-01\", \"colour\": 1}\n}";
        let message = error_of(text, Format::Json);
        assert!(message.starts_with("`p` line 3, column "), "{message}");
        assert!(message.contains("unknown field `colour`"), "{message}");
    }

    #[test]
    fn json_top_level_must_be_an_object() {
        for (text, expected) in [
            ("[1]", "the top level is an array"),
            ("", "line 1, column 1: unexpected end of file"),
        ] {
            let message = error_of(text, Format::Json);
            assert!(message.contains(expected), "{message}");
        }
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = format!("\u{feff}{}", MINIMAL.replace('\n', "\r\n"));
        assert!(Partner::parse(&text, Format::Toml, "p", &rules()).is_ok());
    }

    #[test]
    fn money_totals_must_fit() {
        let line = "[[fee_payments]]\npaid_on = 2019-01-01\namount_usd = 999999999999.0\n";
        let text = format!("{MINIMAL}\n{}", line.repeat(100_000));
        let message = error_of(&text, Format::Toml);
        assert!(message.contains("add up to more than"), "{message}");
    }
}
