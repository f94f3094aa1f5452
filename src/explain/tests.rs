//! Unit tests of explanations: each exclusion reason, notes and sides.

use super::*;
use crate::money::Cents;
use crate::partner::Format;

fn date(text: &str) -> NaiveDate {
    crate::calendar::parse_date(text).unwrap_or_else(|error| panic!("{error}"))
}

fn explained(track: &str, records: &str, as_of: &str, id: &str) -> RequirementExplanation {
    let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
    let text = format!(
        "[partner]\nname = \"T\"\ntrack = \"{track}\"\ntier = \"select\"\nrenewal_date = 2020-03-01\ndomains = [\"t.example\"]\n\n{records}"
    );
    let partner = Partner::parse(&text, Format::Toml, "t.toml", &rules)
        .unwrap_or_else(|error| panic!("{error}"));
    let explanation = explain(&partner, &rules, date(as_of), Some(id));
    let mut requirements = explanation.map(|e| e.requirements).unwrap_or_default();
    requirements.pop().unwrap_or_else(|| panic!("no {id}"))
}

/// Each exclusion reason, from a record that triggers it.
#[test]
fn every_exclusion_reason() {
    let person =
        |extra: &str, credential: &str| format!("[[people]]\nemail = \"a@t\"\n{extra}{credential}");
    let cert = |id: &str, earned: &str, extra: &str| {
        format!("[[people.certifications]]\ncert = \"{id}\"\nearned_on = {earned}\n{extra}")
    };
    let opportunity = |stage: &str, launched: &str, origin: &str| {
        format!(
            "[[opportunities]]\nid = \"O-1\"\nstage = \"{stage}\"\n{launched}origin = \"{origin}\"\n"
        )
    };
    let reference = |extra: &str| {
        format!("[[references]]\ncustomer = \"C\"\nsubmitted_on = 2019-06-01\n{extra}\n")
    };
    let csat = |confirmed: bool, aws: bool| {
        format!(
            "[[csat_responses]]\ncustomer = \"C\"\nsubmitted_on = 2019-06-01\nemail_confirmed = {confirmed}\naws_customer = {aws}\n"
        )
    };
    let launched = opportunity("launched", "launched_on = 2019-05-01\n", "partner");
    let public = |via: &str| reference(&format!("public = true\n{via}"));
    // (track, records, requirement, as of, expected code, expected reason)
    let cases: Vec<(&str, String, &str, &str, &str, &str)> = vec![
        ("consulting", "[[fee_payments]]\npaid_on = 2019-10-02\namount_usd = 2500\n".into(), "program-fee", "2019-10-01", "after-as-of", "dated after the as-of date"),
        ("consulting", "[[fee_payments]]\npaid_on = 2018-10-01\namount_usd = 2500\n".into(), "program-fee", "2019-10-01", "outside-window", "outside the window (2018-10-01 excluded, through 2019-10-01)"),
        ("consulting", person("", &cert("cloud-practitioner", "2017-01-01", "expires_on = 2019-01-03\n")), "foundational-certified", "2019-10-01", "expired", "expired 2019-01-03"),
        ("consulting", person("", &cert("cloud-practitioner", "2019-12-01", "")), "foundational-certified", "2019-10-01", "not-active-yet", "not active yet (from 2019-12-01)"),
        ("consulting", person("registered = false\n", &cert("cloud-practitioner", "2019-01-01", "")), "foundational-certified", "2019-10-01", "person-not-registered", "person not registered"),
        ("consulting", person("", &cert("cloud-practitioner", "2019-01-01", "account_email = \"x@mail\"\n")), "foundational-certified", "2019-10-01", "unlinked-email", "exam taken under `x@mail`, an email not linked to the person"),
        ("consulting", person("", &cert("cloud-practitioner", "2019-01-01", "")), "technical-certified", "2019-10-01", "foundational-not-technical", "foundational certification does not count as technical"),
        ("consulting", person("", &(cert("developer-associate", "2019-01-01", "") + &cert("security-specialty", "2019-01-01", ""))), "technical-certified", "2019-10-01", "counted-once", "counted once already (the person counts at specialty level)"),
        ("consulting", opportunity("launched", "launched_on = 2019-05-01\n", "marketplace"), "launched-opportunities", "2019-10-01", "marketplace", "marketplace transaction"),
        ("consulting", opportunity("committed", "", "partner"), "launched-opportunities", "2019-10-01", "not-launched", "not launched (stage `committed`)"),
        ("consulting", "[[legacy_account_submissions]]\naccount_id = \"1\"\nsubmitted_on = 2019-06-01\n".into(), "launched-opportunities", "2020-04-01", "legacy-credit-ended", "legacy credit ended 2020-03-31"),
        ("technology", "[[revenue]]\naccount_id = \"1\"\ndomain = \"x.example\"\nbilled_on = 2019-06-01\namount_usd = 10\n".into(), "direct-revenue", "2019-10-01", "domain-not-on-file", "domain `x.example` not on file"),
        ("technology", "[[products]]\nname = \"P\"\n".into(), "product-listing", "2019-10-01", "not-ga", "not listed as generally available"),
        ("consulting", "[business_plan]\n".into(), "business-plan", "2019-10-01", "no-sign-off", "no sign-off date"),
        ("technology", "[[validations]]\nprogram = \"technical-baseline-review\"\nachieved_on = 2018-01-01\nexpires_on = 2019-06-30\n".into(), "technical-baseline-review", "2019-10-01", "expired", "expired 2019-06-30"),
        ("consulting", "[[validations]]\nprogram = \"msp\"\nachieved_on = 2018-01-01\n[[validations]]\nprogram = \"msp\"\nachieved_on = 2018-02-01\n".into(), "program-validations", "2019-10-01", "designation-already-counted", "designation already counted"),
        ("consulting", "[[executive_business_reviews]]\ncompleted_on = 2019-07-01\n".into(), "executive-business-review", "2019-10-01", "not-approved", "not approved"),
        ("consulting", reference("via = \"legacy\""), "public-references", "2019-10-01", "not-public", "reference not public"),
        ("consulting", public("via = \"ace\"\nopportunity = \"O-9\""), "public-references", "2019-10-01", "opportunity-unknown", "reference's opportunity `O-9` is not in the file"),
        ("consulting", opportunity("committed", "", "partner") + &public("via = \"ace\"\nopportunity = \"O-1\""), "public-references", "2019-10-01", "opportunity-not-launched", "reference's opportunity `O-1` is not launched"),
        ("consulting", opportunity("launched", "launched_on = 2019-05-01\n", "marketplace") + &public("via = \"ace\"\nopportunity = \"O-1\""), "public-references", "2019-10-01", "opportunity-marketplace", "its opportunity `O-1` is a marketplace transaction"),
        ("consulting", opportunity("launched", "launched_on = 2019-06-02\n", "partner") + &public("via = \"ace\"\nopportunity = \"O-1\""), "public-references", "2019-10-01", "opportunity-launched-after", "its opportunity `O-1` was launched after the reference, on 2019-06-02"),
        ("consulting", "[[fee_payments]]\npaid_on = 2020-02-29\namount_usd = 2500\n".into(), "program-fee", "2020-03-02", "earlier-membership-year", "paid for an earlier membership year (a new one began 2020-03-01)"),
        ("consulting", "[[legacy_account_submissions]]\naccount_id = \"1\"\nsubmitted_on = 2019-06-01\n[[legacy_account_submissions]]\naccount_id = \"1\"\nsubmitted_on = 2019-05-01\n".into(), "launched-opportunities", "2019-10-01", "account-submitted-before", "account submitted before, on 2019-05-01"),
        ("consulting", public("via = \"reference-tool\"\nurl = \"www.c.example\""), "public-references", "2019-10-01", "no-http-url", "reference-tool entry without an http(s) URL"),
        ("consulting", public("via = \"reference-tool\"\nurl = \"https://c.example\"\napproved = false"), "public-references", "2019-10-01", "pending-approval", "reference-tool entry pending approval"),
        ("consulting", launched.clone() + &public("via = \"ace\"\nopportunity = \"O-1\"") + &public("via = \"legacy\""), "public-references", "2019-10-01", "customer-already-counted", "customer already counted"),
        ("consulting", csat(false, true), "csat-responses", "2019-10-01", "not-email-confirmed", "CSAT response not email-confirmed"),
        ("consulting", csat(true, false), "csat-responses", "2019-10-01", "not-aws-customer", "respondent not an AWS customer"),
    ];
    for (track, records, id, as_of, code, reason) in cases {
        let explanation = explained(track, &records, as_of, id);
        let found: Vec<(&str, String)> = explanation
            .excluded
            .iter()
            .map(|entry| (entry.code, entry.reason.to_string()))
            .collect();
        assert!(
            found.contains(&(code, reason.to_owned())),
            "{id}: expected {code}: {reason}; got {found:?}\n{records}"
        );
        let something_counts = [
            "customer-already-counted",
            "counted-once",
            "designation-already-counted",
            "account-submitted-before",
        ]
        .contains(&code);
        assert_eq!(
            explanation.counted.is_empty(),
            !something_counts,
            "{id}: {records}"
        );
    }
}

#[test]
fn credits_are_shown_on_the_revenue_line() {
    let records = "[[revenue]]\naccount_id = \"1\"\ndomain = \"t.example\"\nbilled_on = 2019-06-01\namount_usd = 100\ncredits = [{ type = \"MAP\", amount_usd = 10 }, { type = \"promo\", amount_usd = 30 }]\n";
    let explanation = explained("technology", records, "2019-10-01", "direct-revenue");
    let entry = &explanation.counted[0];
    assert_eq!(entry.counts_usd, Some(Cents(7_000)));
    assert_eq!(
        entry.note.as_deref(),
        Some("MAP credit $10.00: exempt; promo credit $30.00: reduced it")
    );
}

#[test]
fn dual_holders_are_assigned_a_side_per_tier() {
    let holder = |email: &str, kinds: &[&str]| {
        let mut text = format!("[[people]]\nemail = \"{email}\"\n");
        for kind in kinds {
            text +=
                &format!("[[people.accreditations]]\nkind = \"{kind}\"\nearned_on = 2018-01-01\n");
        }
        text
    };
    let records = [
        holder("t1@t", &["technical"]),
        holder("t2@t", &["technical"]),
        holder("t3@t", &["technical"]),
        holder("d1@t", &["technical", "business"]),
        holder("d2@t", &["business", "technical"]),
    ]
    .concat();
    let explanation = explained(
        "consulting",
        &records,
        "2019-10-01",
        "accredited-professionals",
    );
    let notes: Vec<&str> = explanation
        .counted
        .iter()
        .filter_map(|entry| entry.note.as_deref())
        .collect();
    assert_eq!(
        notes[3..],
        [
            "both accreditations, counted once: technical side at advanced, premier; business side at select",
            "both accreditations, counted once: technical side at premier; business side at select, advanced",
        ]
    );
}

#[test]
fn unknown_requirement_is_none() {
    let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
    let text = "[partner]\nname = \"T\"\ntrack = \"technology\"\ntier = \"select\"\nrenewal_date = 2020-03-01\n";
    let partner = Partner::parse(text, Format::Toml, "t.toml", &rules)
        .unwrap_or_else(|error| panic!("{error}"));
    // program-validations exists, but not for technology partners.
    assert!(
        explain(
            &partner,
            &rules,
            date("2019-10-01"),
            Some("program-validations")
        )
        .is_none()
    );
    assert!(explain(&partner, &rules, date("2019-10-01"), Some("csat-response")).is_none());
}
