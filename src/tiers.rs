//! The closed sets of the program: partner tracks and tiers.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A partner track.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(
    rename_all = "lowercase",
    expecting = "a track: `consulting` or `technology`"
)]
pub enum Track {
    /// APN Consulting Partners.
    Consulting,
    /// APN Technology Partners.
    Technology,
}

/// A partner tier, lowest first; `registered` is the level below the first tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Registered with APN Partner Central; no requirements.
    Registered,
    /// The first tier (formerly `standard`).
    #[serde(alias = "standard")]
    Select,
    /// The second tier.
    Advanced,
    /// The top consulting tier.
    Premier,
}

impl schemars::JsonSchema for Tier {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Tier".into()
    }

    /// The tier names, with `standard`, the old name of `select`, which
    /// files may still use.
    fn json_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": ["registered", "select", "advanced", "premier", "standard"],
            "description": "A partner tier; `standard` is the old name of `select`."
        })
    }
}

impl Track {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Track::Consulting => "consulting",
            Track::Technology => "technology",
        }
    }
}

impl Tier {
    /// The name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Registered => "registered",
            Tier::Select => "select",
            Tier::Advanced => "advanced",
            Tier::Premier => "premier",
        }
    }
}

impl fmt::Display for Track {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_is_the_old_name_of_select() {
        #[derive(Deserialize)]
        struct Holder {
            tier: Tier,
        }
        let cases = [
            ("tier = \"standard\"", Some(Tier::Select)),
            ("tier = \"select\"", Some(Tier::Select)),
            ("tier = \"premier\"", Some(Tier::Premier)),
            ("tier = \"Premier\"", None),
            ("tier = \"gold\"", None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                toml::from_str::<Holder>(text).ok().map(|h| h.tier),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn tiers_are_ordered_lowest_first() {
        assert!(Tier::Registered < Tier::Select);
        assert!(Tier::Select < Tier::Advanced);
        assert!(Tier::Advanced < Tier::Premier);
    }
}
