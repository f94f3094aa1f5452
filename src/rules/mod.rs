//! The rule set: the program's tracks, tiers, certification catalog and
//! requirements with their thresholds, read from a declarative TOML rule
//! file (the 2019 program is embedded) and checked once when loaded.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::calendar::deserialize_date;
use crate::error::{Location, RulesError, list, toml_error_parts};
pub use crate::kinds::{Kind, MeasureSpec, Quantity, Unit};
use crate::money::Cents;
use crate::program::{
    Certification, Program, ReviewGrace, normalize_competency, normalize_credit_type,
    normalize_name,
};
use crate::tiers::{Tier, Track};

/// The text of the embedded 2019 rule file.
pub const EMBEDDED_RULES: &str = include_str!("../../rules/apn-2019.toml");

/// The name the embedded rule file goes by in messages.
pub const EMBEDDED_RULES_NAME: &str = "rules/apn-2019.toml (embedded)";

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

/// A loaded, checked rule set: the program's facts and its requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The program's facts: tracks, catalog, window, dates and names.
    pub program: Program,
    /// The requirements, in display order.
    pub requirements: Vec<Requirement>,
}

impl AsRef<Program> for RuleSet {
    fn as_ref(&self) -> &Program {
        &self.program
    }
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
    fee_grace_days: Spanned<u32>,
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

impl RuleSet {
    /// The embedded 2019 rule set.
    pub fn embedded() -> Result<RuleSet, RulesError> {
        RuleSet::parse(EMBEDDED_RULES, EMBEDDED_RULES_NAME)
    }

    /// Loads a rule file.
    pub fn load(path: &Path) -> Result<RuleSet, RulesError> {
        let name = path.display().to_string();
        let text = crate::files::read_small_text(path, crate::files::RULE_FILE_LIMIT).map_err(
            |source| RulesError::Read {
                path: name.clone(),
                source,
            },
        )?;
        RuleSet::parse(&text, &name)
    }

    /// Parses and checks rule-file text; `name` names it in errors.
    pub fn parse(text: &str, name: &str) -> Result<RuleSet, RulesError> {
        let raw: RawRules = crate::deserialize::from_toml(text).map_err(|source| {
            let (location, message) = toml_error_parts(text, &source, 0);
            let excerpt = source
                .span()
                .map(|span| Box::new(crate::error::Excerpt::at(text, span)));
            RulesError::Toml {
                path: name.to_owned(),
                location,
                message,
                source: Box::new(source),
                excerpt,
            }
        })?;
        let invalid = |span: std::ops::Range<usize>, message: String| RulesError::Invalid {
            path: name.to_owned(),
            location: Location::of_offset(text, span.start),
            message,
            excerpt: Box::new(crate::error::Excerpt::at(text, span)),
        };

        let months = *raw.program.window_months.get_ref();
        if !(1..=MAX_WINDOW_MONTHS).contains(&months) {
            return Err(invalid(
                raw.program.window_months.span(),
                format!(
                    "`window_months` is {months}; expected a window of 1 to {MAX_WINDOW_MONTHS} months"
                ),
            ));
        }
        let grace = *raw.program.fee_grace_days.get_ref();
        if grace > MAX_FEE_GRACE_DAYS {
            return Err(invalid(
                raw.program.fee_grace_days.span(),
                format!("`fee_grace_days` is {grace}; expected at most {MAX_FEE_GRACE_DAYS} days"),
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

        // Ids and names seen so far, as compared: each check is a lookup.
        let mut certifications: Vec<Certification> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for certification in raw.certifications {
            let span = certification.span();
            let certification = certification.into_inner();
            let keys = [
                format!("id {}", certification.id.to_ascii_lowercase()),
                format!("name {}", normalize_name(&certification.name)),
            ];
            if let Some(&known) = keys.iter().find_map(|key| seen.get(key)) {
                return Err(invalid(
                    span,
                    format!(
                        "certification `{}` repeats the id or name of `{}`; each must be unique",
                        certification.id, certifications[known].id
                    ),
                ));
            }
            for key in keys {
                seen.insert(key, certifications.len());
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

        let program = Program {
            name: raw.program.name,
            window_months: raw.program.window_months.into_inner(),
            fee_grace_days: raw.program.fee_grace_days.into_inner(),
            legacy_credit_until: raw.program.legacy_credit_until,
            non_reducing_credit_types: raw
                .program
                .non_reducing_credit_types
                .iter()
                .map(|credit| normalize_credit_type(credit))
                .collect(),
            non_reducing_credit_names: raw.program.non_reducing_credit_types,
            key_competencies: raw
                .program
                .key_competencies
                .iter()
                .map(|name| normalize_competency(name))
                .collect(),
            key_competency_names: raw.program.key_competencies,
            review_grace: raw.review_grace,
            tracks,
            catalog_keys: catalog_keys(&certifications),
            certifications,
        };
        Ok(RuleSet {
            program,
            requirements,
        })
    }

    /// The requirements that apply to some tier of `track`, in order.
    pub fn requirements_of(&self, track: Track) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(move |requirement| {
            self.program
                .tiers(track)
                .iter()
                .any(|&tier| requirement.applies_to(track, tier))
        })
    }
}

/// The longest window a rule file may set, in months (ten years): beyond
/// it no record of a real partner matters, and dates run out of calendar.
pub const MAX_WINDOW_MONTHS: u32 = 120;

/// The longest fee grace a rule file may set, in days (ten years).
pub const MAX_FEE_GRACE_DAYS: u32 = 3660;

/// The largest count a threshold may ask for (people, opportunities,
/// responses): far above any program's, and low enough that planning
/// to meet it stays quick.
pub const MAX_COUNT_THRESHOLD: u64 = 100_000;

/// The lookup keys of the catalog: each entry's id (lowercase), name
/// (normalised) and short name (the name without "AWS Certified "); a key
/// two entries share finds the first.
fn catalog_keys(certifications: &[Certification]) -> HashMap<String, usize> {
    let mut keys = HashMap::with_capacity(certifications.len() * 3);
    for (index, certification) in certifications.iter().enumerate() {
        let name = normalize_name(&certification.name);
        let short = name.strip_prefix("aws certified ").map(str::to_owned);
        for key in [Some(certification.id.to_lowercase()), Some(name), short]
            .into_iter()
            .flatten()
        {
            keys.entry(key).or_insert(index);
        }
    }
    keys
}

fn threshold_quantity(spec: &MeasureSpec, value: &toml::Value) -> Result<Quantity, String> {
    match (spec.unit, value) {
        (Unit::Count, toml::Value::Integer(number)) => match u64::try_from(*number) {
            Ok(count) if count <= MAX_COUNT_THRESHOLD => Ok(Quantity::Count(count)),
            Ok(_) => Err(format!(
                "`{number}` is above the largest count a rule may ask for; expected at most {MAX_COUNT_THRESHOLD}"
            )),
            Err(_) => Err(format!(
                "`{number}` is negative; expected a whole number of 0 or more"
            )),
        },
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

#[cfg(test)]
mod tests;
