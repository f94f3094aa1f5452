//! The commented starter partner file that `apn-check init` writes.

use crate::tiers::Track;

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
# program = "competency"            # competency | msp | well-architected | technical-baseline-review
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
"#;

/// The starter file for a track.
pub fn starter(track: Track) -> String {
    let body = match track {
        Track::Consulting => CONSULTING,
        Track::Technology => TECHNOLOGY,
    };
    format!("{HEADER}{body}{CUSTOMER_SUCCESS}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner::{Format, Partner};
    use crate::rules::RuleSet;

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
