//! The rule set: the program's tracks, tiers, certification catalog and
//! requirements with their thresholds, read from a declarative TOML rule
//! file (the 2019 program is embedded) and checked once when loaded.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::calendar::deserialize_date;
use crate::error::{Location, RulesError, toml_error_parts};
use crate::money::Cents;
use crate::tiers::{Tier, Track};

/// The text of the embedded 2019 rule file.
pub const EMBEDDED_RULES: &str = include_str!("../../rules/apn-2019.toml");

/// The name the embedded rule file goes by in messages.
pub const EMBEDDED_RULES_NAME: &str = "rules/apn-2019.toml (embedded)";

/// The level of a certification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Cloud Practitioner: counts for foundational-certified only.
    Foundational,
    /// Associate: counts for technical-certified.
    Associate,
    /// Professional: counts for technical-certified, ranks with specialty.
    Professional,
    /// Specialty: counts for technical-certified, ranks with professional.
    Specialty,
}

/// An entry of the certification catalog.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a certification with `id`, `name` and `level`"
)]
pub struct Certification {
    /// The id partner files use, such as `security-specialty`.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The level.
    pub level: Level,
}

/// Whether a quantity is a count or money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A whole number.
    Count,
    /// USD in cents.
    Money,
}

/// A measured value or a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quantity {
    /// A whole number.
    Count(u64),
    /// An amount of USD.
    Money(Cents),
}

/// What a kind measures: a measure's name, unit and the words for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureSpec {
    /// The name in the output contract.
    pub name: &'static str,
    /// Count or money.
    pub unit: Unit,
    /// Words for one ("launched opportunity"), for the table's gap list.
    pub one: &'static str,
    /// Words for several ("launched opportunities").
    pub many: &'static str,
}

// Macros, not functions: struct literals of constants are promoted to
// `'static`, so the tables below need no named constants.
macro_rules! count {
    ($name:expr, $one:expr, $many:expr) => {
        MeasureSpec {
            name: $name,
            unit: Unit::Count,
            one: $one,
            many: $many,
        }
    };
}

macro_rules! money {
    ($name:expr, $one:expr, $many:expr) => {
        MeasureSpec {
            name: $name,
            unit: Unit::Money,
            one: $one,
            many: $many,
        }
    };
}

/// What a requirement counts. The meaning of each kind lives in
/// `evaluate`; its numbers live in the rule file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Fee payments in the window, with a grace period after renewal.
    ProgramFee,
    /// Persons with technical and business accreditations.
    AccreditedProfessionals,
    /// Persons with a foundational certification.
    FoundationalCertified,
    /// Persons with an associate, professional or specialty certification.
    TechnicalCertified,
    /// Launched ACE opportunities and legacy credits, with their MRR.
    LaunchedOpportunities,
    /// Billed revenue of accounts on the partner's domains.
    DirectRevenue,
    /// Products listed as generally available.
    ProductListing,
    /// A business plan sign-off.
    BusinessPlan,
    /// Active technical baseline review validations.
    TechnicalBaselineReview,
    /// Distinct competency, MSP and Well-Architected designations.
    ProgramValidations,
    /// Days on which the tier's other requirements were all met.
    SustainedAttainment,
    /// Approved executive business reviews.
    ExecutiveBusinessReview,
    /// Distinct publicly referenceable customers.
    PublicReferences,
    /// Validated customer satisfaction responses.
    CsatResponses,
}

impl Kind {
    /// The kind's name as written in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ProgramFee => "program-fee",
            Kind::AccreditedProfessionals => "accredited-professionals",
            Kind::FoundationalCertified => "foundational-certified",
            Kind::TechnicalCertified => "technical-certified",
            Kind::LaunchedOpportunities => "launched-opportunities",
            Kind::DirectRevenue => "direct-revenue",
            Kind::ProductListing => "product-listing",
            Kind::BusinessPlan => "business-plan",
            Kind::TechnicalBaselineReview => "technical-baseline-review",
            Kind::ProgramValidations => "program-validations",
            Kind::SustainedAttainment => "sustained-attainment",
            Kind::ExecutiveBusinessReview => "executive-business-review",
            Kind::PublicReferences => "public-references",
            Kind::CsatResponses => "csat-responses",
        }
    }

    /// The measures the kind reports, in output order.
    pub fn measures(self) -> &'static [MeasureSpec] {
        match self {
            Kind::ProgramFee => &[money!("paid_usd", "program fee", "program fee")],
            Kind::AccreditedProfessionals => &[
                count!(
                    "individuals",
                    "accredited individual",
                    "accredited individuals"
                ),
                count!(
                    "technical",
                    "technical accredited individual",
                    "technical accredited individuals"
                ),
                count!(
                    "business",
                    "business accredited individual",
                    "business accredited individuals"
                ),
            ],
            Kind::FoundationalCertified => &[count!(
                "individuals",
                "foundational certified individual",
                "foundational certified individuals"
            )],
            Kind::TechnicalCertified => &[
                count!(
                    "individuals",
                    "technical certified individual",
                    "technical certified individuals"
                ),
                count!(
                    "professional_or_specialty",
                    "professional or specialty certified individual",
                    "professional or specialty certified individuals"
                ),
            ],
            Kind::LaunchedOpportunities => &[
                count!("count", "launched opportunity", "launched opportunities"),
                money!("mrr_usd", "launched MRR", "launched MRR"),
            ],
            Kind::DirectRevenue => &[money!("usd", "direct revenue", "direct revenue")],
            Kind::ProductListing => &[count!(
                "products",
                "GA product listing",
                "GA product listings"
            )],
            Kind::BusinessPlan => &[count!(
                "signed_off",
                "business plan sign-off",
                "business plan sign-off"
            )],
            Kind::TechnicalBaselineReview => &[count!(
                "reviews",
                "technical baseline review",
                "technical baseline reviews"
            )],
            Kind::ProgramValidations => &[
                count!("validations", "program validation", "program validations"),
                count!(
                    "msp_or_devops",
                    "MSP or DevOps Competency validation",
                    "MSP or DevOps Competency validations"
                ),
            ],
            Kind::SustainedAttainment => &[count!(
                "days",
                "day of sustained attainment",
                "days of sustained attainment"
            )],
            Kind::ExecutiveBusinessReview => &[count!(
                "reviews",
                "approved executive business review",
                "approved executive business reviews"
            )],
            Kind::PublicReferences => &[count!(
                "customers",
                "publicly referenceable customer",
                "publicly referenceable customers"
            )],
            Kind::CsatResponses => &[count!("responses", "CSAT response", "CSAT responses")],
        }
    }

    /// The threshold keys a rule file gives for the kind: its measures, except
    /// for sustained attainment, whose threshold is a number of months.
    pub fn threshold_keys(self) -> &'static [MeasureSpec] {
        match self {
            Kind::SustainedAttainment => &[count!("months", "month", "months")],
            other => other.measures(),
        }
    }

    /// Whether the kind counts dated records, and so can be time-bound.
    pub fn can_be_time_bound(self) -> bool {
        matches!(
            self,
            Kind::ProgramFee
                | Kind::LaunchedOpportunities
                | Kind::DirectRevenue
                | Kind::BusinessPlan
                | Kind::PublicReferences
                | Kind::CsatResponses
        )
    }
}

/// One requirement of the program.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// The id of the output contract, such as `csat-responses`.
    pub id: String,
    /// What it counts.
    pub kind: Kind,
    /// A short title.
    pub title: String,
    /// One sentence on how to meet it.
    pub help: String,
    /// Only records in the rolling window count.
    pub time_bound: bool,
    /// The alternative group per track: a tier needs one member of the group met.
    alternatives: BTreeMap<Track, String>,
    /// Exempt for partners whose current tier is the tier or above.
    pub applicants_only: bool,
    thresholds: BTreeMap<(Track, Tier), Vec<Quantity>>,
}

impl Requirement {
    /// The thresholds for a track and tier, in the order of
    /// [`Kind::threshold_keys`]; `None` when it does not apply there.
    pub fn thresholds(&self, track: Track, tier: Tier) -> Option<&[Quantity]> {
        self.thresholds.get(&(track, tier)).map(Vec::as_slice)
    }

    /// The alternative group the requirement belongs to on `track`, if any:
    /// a tier needs one member of the group met, not all.
    pub fn alternative(&self, track: Track) -> Option<&str> {
        self.alternatives.get(&track).map(String::as_str)
    }

    /// Every track and tier the requirement applies to, with its thresholds.
    pub fn all_thresholds(&self) -> impl Iterator<Item = (Track, Tier, &[Quantity])> {
        self.thresholds
            .iter()
            .map(|((track, tier), values)| (*track, *tier, values.as_slice()))
    }

    /// Whether the requirement applies to a track and tier.
    pub fn applies_to(&self, track: Track, tier: Tier) -> bool {
        self.thresholds.contains_key(&(track, tier))
    }
}

/// The review-date grace of 2019: review dates in `from..=to` move to `review_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table with `from`, `to` and `review_on`"
)]
pub struct ReviewGrace {
    /// The first review date the grace applies to.
    #[serde(deserialize_with = "deserialize_date")]
    pub from: NaiveDate,
    /// The last review date the grace applies to.
    #[serde(deserialize_with = "deserialize_date")]
    pub to: NaiveDate,
    /// The review date instead.
    #[serde(deserialize_with = "deserialize_date")]
    pub review_on: NaiveDate,
}

/// A loaded, checked rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The program's name.
    pub name: String,
    /// The length of the rolling window in months.
    pub window_months: u32,
    /// Days after the renewal anniversary in which an unpaid fee is in grace.
    pub fee_grace_days: u32,
    /// The last as-of date on which legacy account submissions give credit.
    pub legacy_credit_until: NaiveDate,
    /// Credit types that do not reduce direct revenue, lowercase.
    pub non_reducing_credit_types: Vec<String>,
    /// Competencies that count toward `msp_or_devops`, normalised.
    pub key_competencies: Vec<String>,
    /// The 2019 review-date grace, if any.
    pub review_grace: Option<ReviewGrace>,
    tracks: BTreeMap<Track, Vec<Tier>>,
    /// The certification catalog.
    pub certifications: Vec<Certification>,
    /// Each catalog entry's id (lowercase) and name (normalised), for lookups.
    catalog_keys: Vec<(String, String)>,
    /// The requirements, in display order.
    pub requirements: Vec<Requirement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a rule file")]
struct RawRules {
    program: RawProgram,
    review_grace: Option<ReviewGrace>,
    tracks: BTreeMap<Track, Spanned<Vec<Tier>>>,
    certifications: Vec<Spanned<Certification>>,
    requirements: Vec<RawRequirement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "the [program] table")]
struct RawProgram {
    name: String,
    window_months: Spanned<u32>,
    fee_grace_days: u32,
    #[serde(deserialize_with = "deserialize_date")]
    legacy_credit_until: NaiveDate,
    non_reducing_credit_types: Vec<String>,
    #[serde(default)]
    key_competencies: Vec<String>,
}

type RawThresholds =
    BTreeMap<Track, BTreeMap<Tier, Spanned<BTreeMap<String, Spanned<toml::Value>>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a requirement table")]
struct RawRequirement {
    id: Spanned<String>,
    kind: Kind,
    title: String,
    #[serde(default)]
    help: String,
    time_bound: Spanned<bool>,
    #[serde(default)]
    alternative: BTreeMap<Track, String>,
    #[serde(default)]
    applicants_only: bool,
    #[serde(default)]
    thresholds: RawThresholds,
}

/// Whether `normalize_name(text)` is `text` itself: ASCII without capitals,
/// single spaces between words and none around them.
fn is_normalized(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_none_or(|&byte| byte != b' ')
        && bytes.last().is_none_or(|&byte| byte != b' ')
        && !text.contains("  ")
        && bytes.iter().all(|&byte| {
            byte.is_ascii()
                && !byte.is_ascii_uppercase()
                && (byte == b' ' || !byte.is_ascii_whitespace())
        })
}

/// Normalises a name for comparison: trimmed, lowercase, inner spaces collapsed.
pub fn normalize_name(text: &str) -> String {
    let mut normalized = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !normalized.is_empty() {
            normalized.push(' ');
        }
        if word.is_ascii() {
            normalized.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            // Word by word gives what lowercasing the whole text gives: a
            // word ends at a space or the end either way (Greek final sigma).
            normalized.push_str(&word.to_lowercase());
        }
    }
    normalized
}

impl RuleSet {
    /// The embedded 2019 rule set.
    pub fn embedded() -> Result<RuleSet, RulesError> {
        RuleSet::parse(EMBEDDED_RULES, EMBEDDED_RULES_NAME)
    }

    /// Loads a rule file.
    pub fn load(path: &Path) -> Result<RuleSet, RulesError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Read {
            path: name.clone(),
            source,
        })?;
        RuleSet::parse(&text, &name)
    }

    /// Parses and checks rule-file text; `name` names it in errors.
    pub fn parse(text: &str, name: &str) -> Result<RuleSet, RulesError> {
        let raw: RawRules = toml::from_str(text).map_err(|source| {
            let (location, message) = toml_error_parts(text, &source);
            RulesError::Toml {
                path: name.to_owned(),
                location,
                message,
                source: Box::new(source),
            }
        })?;
        let invalid = |span: std::ops::Range<usize>, message: String| RulesError::Invalid {
            path: name.to_owned(),
            location: Location::of_offset(text, span.start),
            message,
        };

        if *raw.program.window_months.get_ref() == 0 {
            return Err(invalid(
                raw.program.window_months.span(),
                "`window_months` is 0; expected a window of at least one month".to_owned(),
            ));
        }
        let mut tracks = BTreeMap::new();
        for (track, tiers) in raw.tracks {
            let ascending = tiers.get_ref().windows(2).all(|pair| pair[0] < pair[1]);
            if tiers.get_ref().is_empty()
                || tiers.get_ref().contains(&Tier::Registered)
                || !ascending
            {
                return Err(invalid(
                    tiers.span(),
                    format!(
                        "track `{track}` must list its tiers lowest first, without `registered`, such as [\"select\", \"advanced\"]"
                    ),
                ));
            }
            tracks.insert(track, tiers.into_inner());
        }

        let mut certifications: Vec<Certification> = Vec::new();
        for certification in raw.certifications {
            let span = certification.span();
            let certification = certification.into_inner();
            let clash = certifications.iter().find(|known| {
                known.id.eq_ignore_ascii_case(&certification.id)
                    || normalize_name(&known.name) == normalize_name(&certification.name)
            });
            if let Some(known) = clash {
                return Err(invalid(
                    span,
                    format!(
                        "certification `{}` repeats the id or name of `{}`; each must be unique",
                        certification.id, known.id
                    ),
                ));
            }
            certifications.push(certification);
        }

        let mut ids = HashSet::new();
        let mut requirements = Vec::new();
        for raw_requirement in raw.requirements {
            let id = raw_requirement.id.get_ref().clone();
            if !ids.insert(id.clone()) {
                return Err(invalid(
                    raw_requirement.id.span(),
                    format!("requirement `{id}` is defined twice"),
                ));
            }
            let kind = raw_requirement.kind;
            if *raw_requirement.time_bound.get_ref() && !kind.can_be_time_bound() {
                return Err(invalid(
                    raw_requirement.time_bound.span(),
                    format!(
                        "requirement `{id}`: kind `{}` counts no dated records, so it cannot be time-bound; expected `time_bound = false`",
                        kind.as_str()
                    ),
                ));
            }
            let mut thresholds = BTreeMap::new();
            for (track, by_tier) in raw_requirement.thresholds {
                for (tier, values) in by_tier {
                    let span = values.span();
                    let tiers_of_track = tracks.get(&track).map(Vec::as_slice).unwrap_or_default();
                    if !tiers_of_track.contains(&tier) {
                        return Err(invalid(
                            span,
                            format!(
                                "requirement `{id}`: track `{track}` has no tier `{tier}`; its tiers are {}",
                                list(tiers_of_track.iter().map(|tier| tier.as_str()))
                            ),
                        ));
                    }
                    let values = values.into_inner();
                    let keys = kind.threshold_keys();
                    if let Some((unknown, value)) = values
                        .iter()
                        .find(|(key, _)| !keys.iter().any(|spec| spec.name == *key))
                    {
                        return Err(invalid(
                            value.span(),
                            format!(
                                "requirement `{id}`: kind `{}` has no measure `{unknown}`; expected {}",
                                kind.as_str(),
                                list(keys.iter().map(|spec| spec.name))
                            ),
                        ));
                    }
                    let mut quantities = Vec::with_capacity(keys.len());
                    for spec in keys {
                        let value = values.get(spec.name).ok_or_else(|| {
                            invalid(
                                span.clone(),
                                format!(
                                    "requirement `{id}`, {track} {tier}: missing threshold `{}`",
                                    spec.name
                                ),
                            )
                        })?;
                        let quantity =
                            threshold_quantity(spec, value.get_ref()).map_err(|message| {
                                invalid(
                                    value.span(),
                                    format!(
                                        "requirement `{id}`, {track} {tier}, `{}`: {message}",
                                        spec.name
                                    ),
                                )
                            })?;
                        quantities.push(quantity);
                    }
                    thresholds.insert((track, tier), quantities);
                }
            }
            requirements.push(Requirement {
                id,
                kind,
                title: raw_requirement.title,
                help: raw_requirement.help,
                time_bound: raw_requirement.time_bound.into_inner(),
                alternatives: raw_requirement.alternative,
                applicants_only: raw_requirement.applicants_only,
                thresholds,
            });
        }

        Ok(RuleSet {
            name: raw.program.name,
            window_months: raw.program.window_months.into_inner(),
            fee_grace_days: raw.program.fee_grace_days,
            legacy_credit_until: raw.program.legacy_credit_until,
            non_reducing_credit_types: raw
                .program
                .non_reducing_credit_types
                .iter()
                .map(|credit| normalize_name(credit))
                .collect(),
            key_competencies: raw
                .program
                .key_competencies
                .iter()
                .map(|name| normalize_name(name))
                .collect(),
            review_grace: raw.review_grace,
            tracks,
            catalog_keys: certifications
                .iter()
                .map(|certification| {
                    (
                        certification.id.to_lowercase(),
                        normalize_name(&certification.name),
                    )
                })
                .collect(),
            certifications,
            requirements,
        })
    }

    /// The tiers of a track, lowest first (without `registered`); empty when
    /// the rule file does not have the track.
    pub fn tiers(&self, track: Track) -> &[Tier] {
        self.tracks
            .get(&track)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The tracks of the rule set.
    pub fn tracks(&self) -> impl Iterator<Item = Track> + '_ {
        self.tracks.keys().copied()
    }

    /// The requirements that apply to some tier of `track`, in order.
    pub fn requirements_of(&self, track: Track) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(move |requirement| {
            self.tiers(track)
                .iter()
                .any(|&tier| requirement.applies_to(track, tier))
        })
    }

    /// The tiers a partner of `track` may hold, `registered` first, for
    /// messages: "`registered`, `select`, `advanced`".
    pub fn tier_list(&self, track: Track) -> String {
        let tiers = std::iter::once(Tier::Registered).chain(self.tiers(track).iter().copied());
        list(tiers.map(Tier::as_str))
    }

    /// Whether `tier` exists for `track` (`registered` always does).
    pub fn has_tier(&self, track: Track, tier: Tier) -> bool {
        tier == Tier::Registered || self.tiers(track).contains(&tier)
    }

    /// The catalog index of a certification named by id or display name
    /// (case-insensitive).
    pub fn find_certification(&self, text: &str) -> Option<usize> {
        // Most files write ids already normalised: no new string for those.
        let wanted = if is_normalized(text) {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(normalize_name(text))
        };
        self.catalog_keys
            .iter()
            .position(|(id, name)| *id == wanted || *name == wanted)
    }

    /// The ids of the catalog entries closest to `text`, best first (at most three).
    pub fn closest_certifications(&self, text: &str) -> Vec<&str> {
        let wanted = normalize_name(text);
        let mut scored: Vec<(f64, &str)> = self
            .certifications
            .iter()
            .map(|certification| {
                let score = strsim::jaro_winkler(&wanted, &certification.id).max(
                    strsim::jaro_winkler(&wanted, &normalize_name(&certification.name)),
                );
                (score, certification.id.as_str())
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.into_iter().take(3).map(|(_, id)| id).collect()
    }
}

fn threshold_quantity(spec: &MeasureSpec, value: &toml::Value) -> Result<Quantity, String> {
    match (spec.unit, value) {
        (Unit::Count, toml::Value::Integer(number)) => u64::try_from(*number)
            .map(Quantity::Count)
            .map_err(|_| format!("`{number}` is negative; expected a whole number of 0 or more")),
        (Unit::Count, other) => Err(format!(
            "`{other}` is not a whole number; expected one such as 4"
        )),
        (Unit::Money, toml::Value::Integer(number)) => {
            Cents::from_whole_usd(i128::from(*number)).map(Quantity::Money)
        }
        (Unit::Money, toml::Value::Float(number)) => Cents::from_usd(*number).map(Quantity::Money),
        (Unit::Money, other) => Err(format!(
            "`{other}` is not an amount; expected USD such as 2500"
        )),
    }
}

/// `a`, `b` and `c` written as "`a`, `b`, `c`".
pub(crate) fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
