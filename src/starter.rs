//! The starter partner file that `apn-check init` writes: commented TOML,
//! or the same data as JSON; its dates are moved to lie around the day it
//! is written, so that scoring it at once counts its records.

use chrono::{Datelike, Months, NaiveDate};

use crate::partner::Format;
use crate::tiers::Track;

/// The day the template's dates are written around.
const TEMPLATE_DAY: (i32, u32, u32) = (2019, 11, 1);

const HEADER: &str = r#"# A partner file for apn-check. Score it by hand or in CI:
#
#   apn-check score THIS_FILE
#   apn-check explain THIS_FILE
#
# Dates are YYYY-MM-DD, money is USD. Unknown fields are errors, so a typo
# is caught. Every list may be left out; uncomment and repeat the tables you
# need. The format: docs/partner-file.md; the JSON Schema: apn-check schema.

[partner]
name = "Example Partner"
"#;

const CONSULTING: &str = r#"track = "consulting"                # consulting | technology
tier = "select"                     # registered | select | advanced | premier
renewal_date = 2020-03-01           # the membership renewal date
domains = ["example.com"]

# The $2,500 annual program fee.
[[fee_payments]]
paid_on = 2019-03-01
amount_usd = 2500.00

# Everyone registered to the Partner Central account. A person counts once
# under each knowledge requirement; exams taken under another email count
# when that email is the person's tc_email.
[[people]]
name = "Ana Ruiz"
email = "ana@example.com"
# tc_email = "ana.personal@mail.example"
# registered = false               # unregistered people count for nothing

  [[people.certifications]]
  cert = "solutions-architect-associate"   # a catalog id: apn-check rules
  earned_on = 2019-01-15
  expires_on = 2022-01-15

  [[people.accreditations]]
  kind = "technical"                # technical | business
  earned_on = 2019-01-10

# ACE opportunities. Only launched ones count, Marketplace transactions never.
[[opportunities]]
id = "O-1"
customer = "Acme Corp"
stage = "launched"                  # prospect | qualified | technical-validation | business-validation | committed | launched | closed-lost
launched_on = 2019-06-01            # only on launched opportunities
mrr_usd = 750.00
origin = "partner"                  # partner | aws-referred | tagged | marketplace

# [business_plan]
# signed_off_on = 2019-05-01        # by the APN Partner Manager

# [[validations]]
# program = "competency"            # competency | msp | well-architected | technical-baseline-review | service-delivery | service-ready | ftr
# name = "Migration"
# achieved_on = 2019-02-01

# [[executive_business_reviews]]
# completed_on = 2019-10-15
# approved = true
"#;

const TECHNOLOGY: &str = r#"track = "technology"                # consulting | technology
tier = "select"                     # registered | select | advanced
renewal_date = 2020-03-01           # the membership renewal date
domains = ["example.com"]           # the accounts on these domains give direct revenue

# The $2,500 annual program fee.
[[fee_payments]]
paid_on = 2019-03-01
amount_usd = 2500.00

# Everyone registered to the Partner Central account.
[[people]]
name = "Ana Ruiz"
email = "ana@example.com"

  [[people.certifications]]
  cert = "developer-associate"      # a catalog id: apn-check rules
  earned_on = 2019-01-15

[[products]]
name = "Example Product"
ga = true                           # listed as Generally Available on AWS

# Direct revenue (an alternative to launched opportunities): billed revenue
# of the AWS accounts you own. MAP, EAP and other listed credits do not
# reduce it; other credit types do.
[[revenue]]
account_id = "123456789012"
domain = "example.com"
billed_on = 2019-05-31
amount_usd = 4200.00
kind = "usage"                      # usage | reserved-instance | other
credits = [{ type = "MAP", amount_usd = 300.00 }]

# [[opportunities]]
# id = "T-1"
# customer = "Acme Corp"
# stage = "launched"
# launched_on = 2019-06-01
# mrr_usd = 750.00
# origin = "partner"

# [business_plan]
# signed_off_on = 2019-05-01

# [[validations]]
# program = "technical-baseline-review"
# achieved_on = 2019-02-01
"#;

const CUSTOMER_SUCCESS: &str = r#"
# Public references: via ace (on a launched opportunity), reference-tool
# (needs an http(s) url, counts once approved) or legacy.
[[references]]
customer = "Acme Corp"
public = true
via = "legacy"
submitted_on = 2019-06-15

# "Rate this Partner" responses: count when email-confirmed and from an AWS customer.
[[csat_responses]]
customer = "Acme Corp"
submitted_on = 2019-06-20
email_confirmed = true
aws_customer = true

# Competency checklist requirements already shown met, for
# `apn-check competencies path` (`apn-check competencies show aws-waf` lists
# a checklist's requirements and the block each belongs to).
# [[requirement_evidence]]
# scope = "common-customer-reference"   # a block id, or a designation id for its own requirements
# requirement = "ACCT-001"
# met_on = 2019-06-01
# evidence = "https://wiki.example.com/acct-001"
"#;

/// The starter file for a track, as the template writes it (its dates
/// around 2019-11-01).
pub fn starter(track: Track) -> String {
    let body = match track {
        Track::Consulting => CONSULTING,
        Track::Technology => TECHNOLOGY,
    };
    format!("{HEADER}{body}{CUSTOMER_SUCCESS}")
}

/// The starter file for a track in `format`, every date moved by the whole
/// months from the template's day to `today` (so the records stay as far
/// apart, and as far from the renewal date, as the template has them).
pub fn starter_for(track: Track, format: Format, today: NaiveDate) -> String {
    let months = {
        let (year, month, _) = TEMPLATE_DAY;
        (today.year() - year) * 12 + i32::try_from(today.month()).unwrap_or(1)
            - i32::try_from(month).unwrap_or(1)
    };
    let toml = move_dates(&starter(track), months);
    match format {
        Format::Toml => toml,
        Format::Json => as_json(&toml),
    }
}

/// `text` with every `YYYY-MM-DD` date moved by `months`; a date the
/// calendar cannot move stays.
fn move_dates(text: &str, months: i32) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..index]);
        let from = &rest[index..];
        let candidate = from.get(..10).unwrap_or("");
        let date = NaiveDate::parse_from_str(candidate, "%Y-%m-%d")
            .ok()
            .filter(|_| candidate.len() == 10 && candidate.as_bytes()[4] == b'-');
        match date {
            Some(date) => {
                let moved = if months >= 0 {
                    date.checked_add_months(Months::new(months.unsigned_abs()))
                } else {
                    date.checked_sub_months(Months::new(months.unsigned_abs()))
                };
                out.push_str(&moved.unwrap_or(date).to_string());
                rest = &from[10..];
            }
            None => {
                let digits = from
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(from.len());
                out.push_str(&from[..digits]);
                rest = &from[digits..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The starter's data as JSON: the same keys and values, dates as strings,
/// the header comment as `_comment`.
fn as_json(toml_text: &str) -> String {
    fn convert(value: toml::Value) -> serde_json::Value {
        match value {
            toml::Value::String(text) => serde_json::Value::String(text),
            toml::Value::Integer(number) => serde_json::Value::from(number),
            toml::Value::Float(number) => serde_json::Value::from(number),
            toml::Value::Boolean(flag) => serde_json::Value::Bool(flag),
            toml::Value::Datetime(date) => serde_json::Value::String(date.to_string()),
            toml::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(convert).collect())
            }
            toml::Value::Table(table) => serde_json::Value::Object(
                table
                    .into_iter()
                    .map(|(key, value)| (key, convert(value)))
                    .collect(),
            ),
        }
    }
    // The template is TOML the tests load; a parse failure would be a bug
    // caught by `starter_files_load`, so an empty document stands in.
    let table: toml::Table = toml::from_str(toml_text).unwrap_or_default();
    let mut document = serde_json::Map::new();
    document.insert(
        "_comment".to_owned(),
        serde_json::Value::String(
            "A partner file for apn-check: apn-check score THIS_FILE. Dates are YYYY-MM-DD, money is USD; the format: docs/partner-file.md; the JSON Schema: apn-check schema.".to_owned(),
        ),
    );
    if let serde_json::Value::Object(data) = convert(toml::Value::Table(table)) {
        document.extend(data);
    }
    crate::report::json::to_text(&serde_json::Value::Object(document))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner::{Format, Partner};
    use crate::rules::RuleSet;

    #[test]
    fn starters_for_today_load_in_both_formats_and_score() {
        let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        for track in [Track::Consulting, Track::Technology] {
            for format in [Format::Toml, Format::Json] {
                let text = starter_for(track, format, today);
                let partner = Partner::parse(&text, format, "starter", &rules)
                    .unwrap_or_else(|error| panic!("{track} {format:?}: {error}\n{text}"));
                assert!(partner.info.renewal_date > today, "{track} {format:?}");
                let card = crate::evaluate::score(&partner, &rules, today);
                let counted = card
                    .tiers
                    .iter()
                    .flat_map(|tier| &tier.requirements)
                    .filter(|requirement| requirement.id == "csat-responses")
                    .all(|requirement| {
                        requirement.measures[0].value == crate::rules::Quantity::Count(1)
                    });
                assert!(
                    counted,
                    "{track} {format:?}: the response is in today's window"
                );
            }
        }
        assert_eq!(
            move_dates("a = 2019-03-01, 2019-01-31 x", 1),
            "a = 2019-04-01, 2019-02-28 x"
        );
    }

    #[test]
    fn starter_files_load() {
        let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
        for track in [Track::Consulting, Track::Technology] {
            let partner = Partner::parse(&starter(track), Format::Toml, "starter.toml", &rules)
                .unwrap_or_else(|error| panic!("{track}: {error}"));
            assert_eq!(partner.info.track, track);
            assert_eq!(partner.people.len(), 1);
        }
    }
}
