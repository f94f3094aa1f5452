//! The program: the facts of a rule file that are not requirements (the
//! tracks and their tiers, the certification catalog, the window, the fee's
//! grace, the credit types and competencies named by the guide), with the
//! name normalisation they are compared by. The partner model is checked
//! against it at load; the requirement kinds read it when they count.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::deserialize_date;
use crate::tiers::{Tier, Track};

/// The level of a certification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Cloud Practitioner: counts only for foundational certification.
    Foundational,
    /// Associate: a technical certification.
    Associate,
    /// Professional: a technical certification, ranking with specialty.
    Professional,
    /// Specialty: a technical certification, ranking with professional.
    Specialty,
}

impl Level {
    /// The name as rule files write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Foundational => "foundational",
            Level::Associate => "associate",
            Level::Professional => "professional",
            Level::Specialty => "specialty",
        }
    }
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

/// The program's facts, loaded and checked with the rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// The program's name.
    pub name: String,
    /// The length of the rolling window in months.
    pub window_months: u32,
    /// Days after the renewal anniversary in which an unpaid fee is in grace.
    pub fee_grace_days: u32,
    /// The last as-of date on which legacy account submissions give credit.
    pub legacy_credit_until: NaiveDate,
    /// Credit types that do not reduce direct revenue, as
    /// [`normalize_credit_type`] gives them.
    pub non_reducing_credit_types: std::collections::BTreeSet<String>,
    /// The same credit types as the rule file names them, for messages.
    pub non_reducing_credit_names: Vec<String>,
    /// Competencies that count toward `msp_or_devops` besides MSP, as
    /// [`normalize_competency`] gives them.
    pub key_competencies: std::collections::BTreeSet<String>,
    /// The same competencies as the rule file names them, for messages.
    pub key_competency_names: Vec<String>,
    /// The 2019 review-date grace, if any.
    pub review_grace: Option<ReviewGrace>,
    /// Each track's tiers, lowest first.
    pub(crate) tracks: BTreeMap<Track, Vec<Tier>>,
    /// The certification catalog.
    pub certifications: Vec<Certification>,
    /// Each catalog entry's id (lowercase), name (normalised) and short name
    /// (the name without "AWS Certified "), each to the first entry that has
    /// it, for lookups in constant time.
    pub(crate) catalog_keys: std::collections::HashMap<String, usize>,
}

impl AsRef<Program> for Program {
    fn as_ref(&self) -> &Program {
        self
    }
}

impl Program {
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

    /// The tiers a partner of `track` may hold, `registered` first, for
    /// messages: "`registered`, `select`, `advanced`".
    pub fn tier_list(&self, track: Track) -> String {
        list(self.tier_names(track).iter().map(String::as_str))
    }

    /// The tiers a partner of `track` may hold, `registered` first.
    pub fn tier_names(&self, track: Track) -> Vec<String> {
        std::iter::once(Tier::Registered)
            .chain(self.tiers(track).iter().copied())
            .map(|tier| tier.as_str().to_owned())
            .collect()
    }

    /// Whether `tier` exists for `track` (`registered` always does).
    pub fn has_tier(&self, track: Track, tier: Tier) -> bool {
        tier == Tier::Registered || self.tiers(track).contains(&tier)
    }

    /// The catalog index of a certification named by id, display name or
    /// short name (`Cloud Practitioner` for "AWS Certified Cloud
    /// Practitioner"), case-insensitively.
    pub fn find_certification(&self, text: &str) -> Option<usize> {
        // Most files write ids already normalised: no new string for those.
        let wanted = if is_normalized(text) {
            std::borrow::Cow::Borrowed(text)
        } else {
            std::borrow::Cow::Owned(normalize_name(text))
        };
        self.catalog_keys.get(wanted.as_ref()).copied()
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

/// Whether `normalize_name(text)` is `text` itself: ASCII without capitals,
/// single spaces between words and none around them.
pub(crate) fn is_normalized(text: &str) -> bool {
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

use crate::error::list;

/// A credit type as compared (contract 5.3): lowercase, only the letters
/// a-z and digits 0-9 kept, then one trailing `credit` or `discount`
/// dropped when something is left. `MAP Credit`, `map` and `MAP` are one
/// type; `Reseller/SPP Discount` is `reseller-spp-discount`.
pub fn normalize_credit_type(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    for suffix in ["credit", "discount"] {
        if let Some(rest) = kept.strip_suffix(suffix)
            && !rest.is_empty()
        {
            return rest.to_owned();
        }
    }
    kept
}

/// A competency's name as compared (contract 5.4): as [`normalize_name`],
/// then a leading `aws ` and a trailing ` competency` removed. `Migration`,
/// `Migration Competency` and `AWS Migration Competency` are one designation.
pub fn normalize_competency(text: &str) -> String {
    let name = normalize_name(text);
    let name = name.strip_prefix("aws ").unwrap_or(&name);
    let name = name.strip_suffix(" competency").unwrap_or(name);
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_types_compare_by_their_letters() {
        let map = normalize_credit_type("map");
        for spelling in ["MAP Credit", "map", "MAP", "Map-Credit", " m.a.p credit "] {
            assert_eq!(normalize_credit_type(spelling), map, "{spelling:?}");
        }
        let guide = [
            ("Reseller/SPP Discount", "reseller-spp-discount"),
            ("EAP Credit", "eap"),
            ("PMP Credit", "pmp"),
            ("LSE Credit", "lse"),
            ("ReThink Discount", "rethink"),
        ];
        for (named, short) in guide {
            assert_eq!(normalize_credit_type(named), normalize_credit_type(short));
        }
        // Only one trailing word goes, and never the whole type.
        assert_eq!(normalize_credit_type("credit"), "credit");
        assert_eq!(normalize_credit_type("Discount Credit"), "discount");
        assert_ne!(normalize_credit_type("MAP Promo"), map);
        assert_ne!(normalize_credit_type("Promotional Credit"), map);
    }

    #[test]
    fn competencies_compare_by_their_name() {
        for spelling in [
            "DevOps",
            "DevOps Competency",
            "AWS DevOps Competency",
            "  aws   devops  COMPETENCY ",
        ] {
            assert_eq!(normalize_competency(spelling), "devops", "{spelling:?}");
        }
        assert_eq!(normalize_competency("AWS Competency"), "competency");
        assert_ne!(normalize_competency("DevOps Consulting"), "devops");
    }
}
