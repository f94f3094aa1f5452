//! Unit tests of evaluation, one table per requirement kind, over small
//! partner files written inline.

use chrono::NaiveDate;

use super::*;
use crate::partner::Format;
use crate::scorecard::Measure;

fn date(text: &str) -> NaiveDate {
    crate::calendar::parse_date(text).unwrap_or_else(|error| panic!("{error}"))
}

fn rules() -> RuleSet {
    RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"))
}

/// A partner file: the `[partner]` table for `track`/`tier` plus `records`.
fn partner(track: &str, tier: &str, renewal: &str, records: &str) -> Partner {
    let text = format!(
        "[partner]\nname = \"Test\"\ntrack = \"{track}\"\ntier = \"{tier}\"\nrenewal_date = {renewal}\ndomains = [\"test.example\"]\n\n{records}"
    );
    Partner::parse(&text, Format::Toml, "test.toml", &rules())
        .unwrap_or_else(|error| panic!("{error}\n{text}"))
}

fn consulting(records: &str) -> Partner {
    partner("consulting", "select", "2020-03-01", records)
}

/// The requirement `id` of `tier` in a scorecard.
fn requirement<'a>(card: &'a Scorecard, tier: Tier, id: &str) -> &'a RequirementResult {
    card.tier(tier)
        .and_then(|tier| tier.requirements.iter().find(|r| r.id == id))
        .unwrap_or_else(|| panic!("no {id} at {tier}"))
}

fn counts(measures: &[Measure]) -> Vec<u64> {
    measures
        .iter()
        .map(|measure| match measure.value {
            Quantity::Count(count) => count,
            Quantity::Money(cents) => cents.0 as u64,
        })
        .collect()
}

fn measured(partner: &Partner, as_of: &str, tier: Tier, id: &str) -> (Vec<u64>, Status) {
    let card = score(partner, &rules(), date(as_of));
    let result = requirement(&card, tier, id);
    (counts(&result.measures), result.status)
}

fn person(email: &str, credentials: &str) -> String {
    format!("[[people]]\nemail = \"{email}\"\n{credentials}\n")
}

fn cert(id: &str, earned: &str) -> String {
    format!("[[people.certifications]]\ncert = \"{id}\"\nearned_on = {earned}\n")
}

fn accreditation(kind: &str) -> String {
    format!("[[people.accreditations]]\nkind = \"{kind}\"\nearned_on = 2018-01-01\n")
}

#[test]
fn accredited_split_assigns_dual_holders_once() {
    // (technical only, business only, both, tier) -> (individuals, technical, business, status)
    let cases = [
        (3, 0, 1, Tier::Select, [4, 3, 1], Status::NotMet),
        (0, 0, 4, Tier::Select, [4, 2, 2], Status::Met),
        (1, 1, 2, Tier::Select, [4, 2, 2], Status::Met),
        (2, 2, 0, Tier::Select, [4, 2, 2], Status::Met),
        (0, 0, 3, Tier::Select, [3, 2, 1], Status::NotMet),
        (6, 0, 2, Tier::Advanced, [8, 6, 2], Status::NotMet),
        (2, 2, 4, Tier::Advanced, [8, 4, 4], Status::Met),
        (0, 0, 8, Tier::Advanced, [8, 4, 4], Status::Met),
    ];
    for (technical_only, business_only, both, tier, expected, status) in cases {
        let mut records = String::new();
        for index in 0..technical_only {
            records += &person(&format!("t{index}@x"), &accreditation("technical"));
        }
        for index in 0..business_only {
            records += &person(&format!("b{index}@x"), &accreditation("business"));
        }
        for index in 0..both {
            let both = accreditation("technical") + &accreditation("business");
            records += &person(&format!("d{index}@x"), &both);
        }
        let got = measured(
            &consulting(&records),
            "2019-10-01",
            tier,
            "accredited-professionals",
        );
        assert_eq!(
            got,
            (expected.to_vec(), status),
            "{technical_only}/{business_only}/{both} at {tier}"
        );
    }
}

#[test]
fn technical_certified_counts_each_person_once_at_the_highest_level() {
    let associate = cert("developer-associate", "2018-01-01");
    let professional = cert("solutions-architect-professional", "2018-01-01");
    let specialty = cert("security-specialty", "2018-01-01");
    let foundational = cert("cloud-practitioner", "2018-01-01");
    let expired_professional = "[[people.certifications]]\ncert = \"devops-engineer-professional\"\nearned_on = 2016-01-01\nexpires_on = 2019-01-01\n";
    let future_professional = cert("devops-engineer-professional", "2019-12-01");
    let cases = [
        // (credentials of one person, extra fields, individuals, professional_or_specialty)
        (
            format!("{associate}{professional}{specialty}{foundational}"),
            "",
            [1, 1],
        ),
        (associate.clone(), "", [1, 0]),
        (foundational.clone(), "", [0, 0]),
        (format!("{associate}{expired_professional}"), "", [1, 0]),
        (format!("{associate}{future_professional}"), "", [1, 0]),
        (specialty.clone(), "registered = false\n", [0, 0]),
    ];
    for (credentials, extra, expected) in cases {
        let records = format!("[[people]]\nemail = \"a@x\"\n{extra}{credentials}");
        let (got, _) = measured(
            &consulting(&records),
            "2019-10-01",
            Tier::Select,
            "technical-certified",
        );
        assert_eq!(got, expected.to_vec(), "{credentials}");
    }
}

#[test]
fn exams_count_only_under_a_linked_email() {
    let cases = [
        (None, true),
        (Some("A@X"), true),
        (Some("home@mail"), true),
        (Some("other@mail"), false),
    ];
    for (account_email, counts_) in cases {
        let link = account_email
            .map(|email| format!("account_email = \"{email}\"\n"))
            .unwrap_or_default();
        let records = format!(
            "[[people]]\nemail = \"a@x\"\ntc_email = \"Home@Mail\"\n[[people.certifications]]\ncert = \"cloud-practitioner\"\nearned_on = 2018-01-01\n{link}"
        );
        let (got, _) = measured(
            &consulting(&records),
            "2019-10-01",
            Tier::Select,
            "foundational-certified",
        );
        assert_eq!(got, vec![u64::from(counts_)], "{account_email:?}");
    }
}

#[test]
fn program_fee_grace_runs_ninety_days_from_the_anniversary() {
    // (renewal, paid on, as of) -> (status, grace until)
    let cases = [
        (
            "2018-09-01",
            Some("2019-09-05"),
            "2019-11-15",
            Status::Met,
            None,
        ),
        (
            "2018-09-01",
            Some("2018-09-10"),
            "2019-11-15",
            Status::Grace,
            Some("2019-11-29"),
        ),
        (
            "2018-09-01",
            Some("2018-09-10"),
            "2019-11-29",
            Status::Grace,
            Some("2019-11-29"),
        ),
        (
            "2018-09-01",
            Some("2018-09-10"),
            "2019-11-30",
            Status::NotMet,
            None,
        ),
        (
            "2018-09-01",
            None,
            "2019-09-01",
            Status::Grace,
            Some("2019-11-29"),
        ),
        (
            "2019-05-20",
            Some("2019-02-28"),
            "2020-02-29",
            Status::NotMet,
            None,
        ),
        (
            "2016-02-29",
            None,
            "2019-03-01",
            Status::Grace,
            Some("2019-05-28"),
        ),
    ];
    for (renewal, paid, as_of, status, until) in cases {
        let records = paid
            .map(|paid| format!("[[fee_payments]]\npaid_on = {paid}\namount_usd = 2500\n"))
            .unwrap_or_default();
        let card = score(
            &partner("technology", "select", renewal, &records),
            &rules(),
            date(as_of),
        );
        let fee = requirement(&card, Tier::Select, "program-fee");
        assert_eq!(
            (fee.status, fee.grace_until),
            (status, until.map(date)),
            "{renewal} {paid:?} {as_of}"
        );
    }
}

#[test]
fn review_date_is_the_next_anniversary_with_the_2019_grace() {
    let cases = [
        // A 2019 anniversary in the grace: 2019-12-13, also once the
        // anniversary has passed (contract 5.1).
        ("2018-09-01", "2019-11-15", "2019-12-13"),
        ("2017-06-01", "2019-06-01", "2019-12-13"),
        ("2017-06-01", "2019-09-01", "2019-12-13"),
        ("2017-06-01", "2019-12-12", "2019-12-13"),
        ("2017-06-01", "2019-12-13", "2019-12-13"),
        ("2017-06-01", "2019-12-14", "2020-06-01"),
        ("2019-12-13", "2019-12-14", "2020-12-13"),
        ("2018-04-01", "2019-04-02", "2019-12-13"),
        // An anniversary outside the grace keeps its own date.
        ("2018-12-14", "2019-09-01", "2019-12-14"),
        ("2018-03-31", "2019-09-01", "2020-03-31"),
        ("2018-05-20", "2019-02-01", "2019-12-13"),
        ("2018-04-01", "2019-03-15", "2019-12-13"),
        ("2018-12-13", "2019-12-13", "2019-12-13"),
        ("2018-12-15", "2019-10-01", "2019-12-15"),
        ("2018-03-31", "2019-03-01", "2019-03-31"),
        ("2016-02-29", "2021-01-10", "2021-02-28"),
    ];
    for (renewal, as_of, review) in cases {
        let partner = partner("consulting", "select", renewal, "");
        assert_eq!(
            review_date(&partner, &rules(), date(as_of)),
            date(review),
            "{renewal} {as_of}"
        );
    }
}

fn opportunity(id: &str, launched: &str, mrr: u32, origin: &str) -> String {
    format!(
        "[[opportunities]]\nid = \"{id}\"\nstage = \"launched\"\nlaunched_on = {launched}\nmrr_usd = {mrr}\norigin = \"{origin}\"\n"
    )
}

#[test]
fn launched_opportunities_window_marketplace_and_legacy_credits() {
    let records = [
        opportunity("edge", "2019-02-28", 1000, "partner"),
        opportunity("in", "2019-03-01", 700, "aws-referred"),
        opportunity("today", "2020-02-29", 800, "tagged"),
        opportunity("future", "2020-03-01", 5000, "partner"),
        opportunity("market", "2019-09-01", 5000, "marketplace"),
        "[[opportunities]]\nid = \"open\"\nstage = \"committed\"\nmrr_usd = 9000\norigin = \"partner\"\n".to_owned(),
        "[[legacy_account_submissions]]\naccount_id = \"1\"\nsubmitted_on = 2019-04-01\n".to_owned(),
        "[[legacy_account_submissions]]\naccount_id = \"2\"\nsubmitted_on = 2019-01-01\n".to_owned(),
        "[[legacy_account_submissions]]\naccount_id = \"3\"\nsubmitted_on = 2019-06-01\n".to_owned(),
    ]
    .concat();
    let partner = consulting(&records);
    let cases = [
        ("2020-02-29", [4, 150_000]),
        ("2020-03-01", [4, 580_000]),
        ("2020-03-31", [4, 580_000]),
        // Legacy credits end after 2020-03-31, though 2019-06-01 is in the window.
        ("2020-04-01", [2, 580_000]),
    ];
    for (as_of, expected) in cases {
        let (got, _) = measured(&partner, as_of, Tier::Select, "launched-opportunities");
        assert_eq!(got, expected.to_vec(), "{as_of}");
    }
}

#[test]
fn direct_revenue_counts_own_domains_after_reducing_credits() {
    let line = |domain: &str, amount: u32, credits: &str| {
        format!(
            "[[revenue]]\naccount_id = \"1\"\ndomain = \"{domain}\"\nbilled_on = 2019-06-01\namount_usd = {amount}\ncredits = [{credits}]\n"
        )
    };
    let cases = [
        (line("test.example", 1000, ""), 100_000),
        (line("TEST.example.", 1000, ""), 100_000),
        (line("other.example", 1000, ""), 0),
        (
            line("test.example", 1000, "{ type = \"MAP\", amount_usd = 300 }"),
            100_000,
        ),
        (
            line(
                "test.example",
                1000,
                "{ type = \"promotional\", amount_usd = 300 }",
            ),
            70_000,
        ),
        (
            line(
                "test.example",
                100,
                "{ type = \"research\", amount_usd = 400 }",
            ),
            0,
        ),
    ];
    for (records, cents) in cases {
        let partner = partner("technology", "select", "2020-03-01", &records);
        let (got, _) = measured(&partner, "2019-10-01", Tier::Select, "direct-revenue");
        assert_eq!(got, vec![cents], "{records}");
    }
}

#[test]
fn experience_is_met_by_either_alternative() {
    let revenue = "[[revenue]]\naccount_id = \"1\"\ndomain = \"test.example\"\nbilled_on = 2019-06-01\namount_usd = 15000\n";
    let launches = [
        opportunity("a", "2019-06-01", 500, "partner"),
        opportunity("b", "2019-06-02", 500, "partner"),
        opportunity("c", "2019-06-03", 500, "partner"),
    ]
    .concat();
    let cases = [("", true), (revenue, false), (launches.as_str(), false)];
    for (records, in_gaps) in cases {
        let partner = partner("technology", "registered", "2020-03-01", records);
        let card = score(&partner, &rules(), date("2019-10-01"));
        let gaps: Vec<&str> = card
            .next_tier
            .iter()
            .flat_map(|next| next.gaps.iter().map(|gap| gap.id.as_str()))
            .collect();
        assert_eq!(
            gaps.contains(&"launched-opportunities"),
            in_gaps,
            "{records}"
        );
        assert_eq!(gaps.contains(&"direct-revenue"), in_gaps, "{records}");
    }
}

#[test]
fn single_count_kinds() {
    let validation = |program: &str, name: &str, expires: &str| {
        format!(
            "[[validations]]\nprogram = \"{program}\"\nname = \"{name}\"\nachieved_on = 2018-01-01\nexpires_on = {expires}\n"
        )
    };
    let reference = |customer: &str, extra: &str| {
        format!(
            "[[references]]\ncustomer = \"{customer}\"\npublic = true\nsubmitted_on = 2019-06-01\n{extra}\n"
        )
    };
    let csat = |confirmed: bool, aws: bool, on: &str| {
        format!(
            "[[csat_responses]]\ncustomer = \"C\"\nsubmitted_on = {on}\nemail_confirmed = {confirmed}\naws_customer = {aws}\n"
        )
    };
    // (track, tier, records, requirement, expected measures)
    let cases: Vec<(&str, Tier, String, &str, Vec<u64>)> = vec![
        ("technology", Tier::Select, "[[products]]\nname = \"A\"\nga = true\n[[products]]\nname = \"B\"\n".into(), "product-listing", vec![1]),
        ("consulting", Tier::Advanced, "[business_plan]\nsigned_off_on = 2019-01-01\n".into(), "business-plan", vec![1]),
        ("consulting", Tier::Advanced, "[business_plan]\nsigned_off_on = 2018-10-01\n".into(), "business-plan", vec![0]),
        ("consulting", Tier::Advanced, "[business_plan]\n".into(), "business-plan", vec![0]),
        ("technology", Tier::Advanced, validation("technical-baseline-review", "R", "2020-01-01"), "technical-baseline-review", vec![1]),
        ("technology", Tier::Advanced, validation("technical-baseline-review", "R", "2019-10-01"), "technical-baseline-review", vec![0]),
        (
            "consulting",
            Tier::Premier,
            [
                validation("competency", " devops ", "2021-01-01"),
                validation("competency", "DevOps", "2021-01-01"),
                validation("competency", "Migration", "2021-01-01"),
                validation("well-architected", "WA", "2021-01-01"),
                validation("competency", "Storage", "2019-01-01"),
            ]
            .concat(),
            "program-validations",
            vec![3, 1],
        ),
        (
            "consulting",
            Tier::Premier,
            [validation("msp", "MSP", "2021-01-01"), validation("msp", "MSP again", "2021-01-01")].concat(),
            "program-validations",
            vec![1, 1],
        ),
        (
            "consulting",
            Tier::Premier,
            "[[executive_business_reviews]]\ncompleted_on = 2019-07-01\napproved = true\n[[executive_business_reviews]]\ncompleted_on = 2019-08-01\n[[executive_business_reviews]]\ncompleted_on = 2019-12-01\napproved = true\n".into(),
            "executive-business-review",
            vec![1],
        ),
        (
            "consulting",
            Tier::Select,
            [
                opportunity("O-1", "2019-05-01", 1, "partner"),
                reference("Acme", "via = \"ace\"\nopportunity = \"O-1\""),
                reference(" ACME ", "via = \"legacy\""),
                reference("Birch", "via = \"ace\"\nopportunity = \"O-404\""),
                reference("Cedar", "via = \"reference-tool\"\nurl = \"https://c.example\""),
                reference("Dune", "via = \"reference-tool\"\nurl = \"ftp://d.example\""),
                reference("Elm", "via = \"reference-tool\"\nurl = \"https://e.example\"\napproved = false"),
                reference("Fir", "via = \"legacy\"\npublic = false"),
            ]
            .concat()
            .replace("public = true\nsubmitted_on = 2019-06-01\nvia = \"legacy\"\npublic = false", "submitted_on = 2019-06-01\nvia = \"legacy\""),
            "public-references",
            vec![2],
        ),
        (
            "consulting",
            Tier::Select,
            [csat(true, true, "2019-06-01"), csat(true, true, "2019-06-02"), csat(false, true, "2019-06-03"), csat(true, false, "2019-06-04"), csat(true, true, "2018-06-04")].concat(),
            "csat-responses",
            vec![2],
        ),
    ];
    for (track, tier, records, id, expected) in cases {
        let partner = partner(track, "registered", "2020-03-01", &records);
        let (got, _) = measured(&partner, "2019-10-01", tier, id);
        assert_eq!(got, expected, "{id}:\n{records}");
    }
}

/// A consulting partner meeting every premier requirement but sustained
/// attainment and the EBR, with its 30th CSAT response on `last_csat`.
fn premier_material(tier: &str, last_csat: &str) -> Partner {
    let mut records = String::from(
        "[[fee_payments]]\npaid_on = 2019-03-01\namount_usd = 2500\n[business_plan]\nsigned_off_on = 2019-03-01\n",
    );
    for index in 0..25 {
        let credentials = cert("solutions-architect-professional", "2018-01-01")
            + &cert("cloud-practitioner", "2018-01-01")
            + &accreditation("technical")
            + &accreditation("business");
        records += &person(&format!("p{index}@x"), &credentials);
    }
    for index in 0..50 {
        records += &opportunity(&format!("O-{index}"), "2019-03-01", 1000, "partner");
    }
    for index in 0..6 {
        records += &format!(
            "[[references]]\ncustomer = \"C{index}\"\npublic = true\nvia = \"legacy\"\nsubmitted_on = 2019-03-01\n"
        );
    }
    for index in 0..30 {
        let on = if index == 29 { last_csat } else { "2019-03-01" };
        records += &format!(
            "[[csat_responses]]\ncustomer = \"C\"\nsubmitted_on = {on}\nemail_confirmed = true\naws_customer = true\n"
        );
    }
    for (program, name) in [
        ("msp", "MSP"),
        ("competency", "Migration"),
        ("well-architected", "WA"),
    ] {
        records += &format!(
            "[[validations]]\nprogram = \"{program}\"\nname = \"{name}\"\nachieved_on = 2018-01-01\n"
        );
    }
    partner("consulting", tier, "2020-03-01", &records)
}

#[test]
fn sustained_attainment_counts_consecutive_days_back_from_the_as_of_date() {
    // (last CSAT response, as of) -> (days, required, status)
    let cases = [
        ("2019-09-01", "2019-10-01", 31, 183, Status::NotMet),
        ("2019-10-01", "2019-10-01", 1, 183, Status::NotMet),
        ("2019-10-02", "2019-10-01", 0, 183, Status::NotMet),
        ("2019-03-01", "2019-10-01", 183, 183, Status::Met),
        ("2019-03-01", "2020-02-29", 184, 184, Status::Met),
    ];
    let days_of = |partner: &Partner, as_of: &str| {
        let card = score(partner, &rules(), date(as_of));
        let result = requirement(&card, Tier::Premier, "sustained-attainment");
        let measure = &result.measures[0];
        (measure.value, measure.required, result.status)
    };
    for (last_csat, as_of, days, required, status) in cases {
        let partner = premier_material("advanced", last_csat);
        let expected = (Quantity::Count(days), Quantity::Count(required), status);
        assert_eq!(days_of(&partner, as_of), expected, "{last_csat} {as_of}");
    }
    let existing = premier_material("premier", "2019-09-01");
    let expected = (Quantity::Count(0), Quantity::Count(183), Status::Exempt);
    assert_eq!(days_of(&existing, "2019-10-01"), expected);
    let card = score(&existing, &rules(), date("2019-10-01"));
    assert!(card.compliant && card.eligible_tier == Tier::Premier && card.next_tier.is_none());
}

#[test]
fn eligible_tier_compliance_and_next_tier() {
    let advanced = premier_material("advanced", "2019-09-01");
    let card = score(&advanced, &rules(), date("2019-10-01"));
    assert_eq!(card.eligible_tier, Tier::Advanced);
    assert!(card.compliant);
    let gaps: Vec<&str> = card
        .next_tier
        .iter()
        .flat_map(|n| n.gaps.iter().map(|g| g.id.as_str()))
        .collect();
    assert_eq!(gaps, ["sustained-attainment", "executive-business-review"]);

    let empty = consulting("");
    let card = score(&empty, &rules(), date("2019-10-01"));
    assert_eq!(
        (card.eligible_tier, card.compliant),
        (Tier::Registered, false)
    );
    assert_eq!(card.next_tier.map(|next| next.tier), Some(Tier::Advanced));
}

#[test]
fn the_fee_counts_for_the_membership_year_it_was_paid_in() {
    // Renewal on September 1: the year of 2019 begins 2019-09-01.
    // (paid on, as of) -> (paid, status)
    let cases = [
        // Paid the day before the anniversary: last year's fee, and only
        // until the anniversary.
        ("2019-08-31", "2019-08-31", 250_000, Status::Met),
        ("2019-08-31", "2019-09-01", 0, Status::Grace),
        // Paid on the anniversary: this year's, for the whole year.
        ("2019-09-01", "2019-09-01", 250_000, Status::Met),
        ("2019-09-01", "2020-08-31", 250_000, Status::Met),
        ("2019-09-01", "2020-09-01", 0, Status::Grace),
        // A late payment of last year's fee does not count for this one:
        // day 89 of the year is grace, day 90 is not met.
        ("2019-07-01", "2019-11-29", 0, Status::Grace),
        ("2019-07-01", "2019-11-30", 0, Status::NotMet),
    ];
    for (paid, as_of, cents, status) in cases {
        let records = format!("[[fee_payments]]\npaid_on = {paid}\namount_usd = 2500\n");
        let partner = partner("technology", "select", "2018-09-01", &records);
        let (got, got_status) = measured(&partner, as_of, Tier::Select, "program-fee");
        assert_eq!((got, got_status), (vec![cents], status), "{paid} {as_of}");
    }
}

#[test]
fn credit_types_are_compared_by_their_letters() {
    let line = |credit: &str| {
        format!(
            "[[revenue]]\naccount_id = \"1\"\ndomain = \"test.example\"\nbilled_on = 2019-06-01\namount_usd = 1000\ncredits = [{{ type = \"{credit}\", amount_usd = 300 }}]\n"
        )
    };
    let guide = [
        "MAP Credit",
        "Reseller/SPP Discount",
        "EAP Credit",
        "PMP Credit",
        "LSE Credit",
        "ReThink Discount",
        "map",
        "MAP",
        "reseller-spp-discount",
        "rethink",
    ];
    for credit in guide {
        let partner = partner("technology", "select", "2020-03-01", &line(credit));
        let (got, _) = measured(&partner, "2019-10-01", Tier::Select, "direct-revenue");
        assert_eq!(got, vec![100_000], "{credit} does not reduce revenue");
    }
    for credit in ["MAP Promo", "Promotional Credit", "credit", "SPP"] {
        let partner = partner("technology", "select", "2020-03-01", &line(credit));
        let (got, _) = measured(&partner, "2019-10-01", Tier::Select, "direct-revenue");
        assert_eq!(got, vec![70_000], "{credit} reduces revenue");
    }
}

#[test]
fn competencies_are_one_designation_whatever_their_spelling() {
    let validation = |name: &str, achieved: &str| {
        format!(
            "[[validations]]\nprogram = \"competency\"\nname = \"{name}\"\nachieved_on = {achieved}\n"
        )
    };
    let records = validation("AWS DevOps Competency", "2019-01-01")
        + &validation("DevOps", "2019-02-01")
        + &validation("  devops  competency ", "2019-03-01")
        + &validation("AWS Migration Competency", "2019-01-01");
    let partner = partner("consulting", "advanced", "2020-03-01", &records);
    let (got, _) = measured(&partner, "2019-10-01", Tier::Premier, "program-validations");
    assert_eq!(
        got,
        vec![2, 1],
        "DevOps counts once, and as the key competency"
    );
}

#[test]
fn a_legacy_account_counts_once_from_its_original_submission() {
    let submission = |account: &str, on: &str| {
        format!("[[legacy_account_submissions]]\naccount_id = \"{account}\"\nsubmitted_on = {on}\n")
    };
    // Account 1 first sent on 2018-11-01 and again on 2019-06-01; account 2 once.
    let records = submission("1", "2019-06-01")
        + &submission("1", "2018-11-01")
        + &submission("2", "2019-02-01");
    let partner = consulting(&records);
    let cases = [
        ("2019-10-01", 2),
        // Twelve months from the original submission, not from the second.
        ("2019-11-01", 1),
        ("2020-01-31", 1),
        ("2020-02-01", 0),
    ];
    for (as_of, count) in cases {
        let (got, _) = measured(&partner, as_of, Tier::Select, "launched-opportunities");
        assert_eq!(got, vec![count, 0], "{as_of}");
    }
}

#[test]
fn an_ace_reference_counts_once_its_opportunity_launched_before_it() {
    // (launched on, the reference's customer, the opportunity's) -> customers
    let cases = [
        ("2019-05-31", "Acme", None, 1),
        ("2019-06-01", "Acme", None, 1),
        ("2019-06-02", "Acme", None, 0),
        // Counted as the opportunity's customer: with a legacy reference of
        // that customer, one customer in all.
        ("2019-05-01", "Acme Europe", Some("Beta"), 1),
        ("2019-05-01", "Acme Europe", Some("Acme Europe"), 2),
    ];
    for (launched, customer, opportunity_customer, customers) in cases {
        let named = opportunity_customer
            .map(|name| format!("customer = \"{name}\"\n"))
            .unwrap_or_default();
        let records = format!(
            "[[opportunities]]\nid = \"O-1\"\n{named}stage = \"launched\"\nlaunched_on = {launched}\norigin = \"partner\"\n\
             [[references]]\ncustomer = \"{customer}\"\npublic = true\nvia = \"ace\"\nopportunity = \"O-1\"\nsubmitted_on = 2019-06-01\n"
        );
        let records = if opportunity_customer.is_some() {
            records
                + "[[references]]\ncustomer = \"Beta\"\npublic = true\nvia = \"legacy\"\nsubmitted_on = 2019-06-01\n"
        } else {
            records
        };
        let (got, _) = measured(
            &consulting(&records),
            "2019-10-01",
            Tier::Select,
            "public-references",
        );
        assert_eq!(
            got,
            vec![customers],
            "{launched} {customer} {opportunity_customer:?}"
        );
    }
}

#[test]
fn only_an_advanced_partner_is_looked_back_on_for_premier() {
    let days_at = |tier: &str| {
        let card = score(
            &premier_material(tier, "2019-03-01"),
            &rules(),
            date("2019-10-01"),
        );
        let result = requirement(&card, Tier::Premier, "sustained-attainment");
        (result.measures[0].value, result.status)
    };
    assert_eq!(days_at("advanced"), (Quantity::Count(183), Status::Met));
    assert_eq!(days_at("select"), (Quantity::Count(0), Status::NotMet));
    assert_eq!(days_at("registered"), (Quantity::Count(0), Status::NotMet));
    assert_eq!(days_at("premier"), (Quantity::Count(0), Status::Exempt));
}

#[test]
fn current_gaps_list_what_keeping_the_tier_lacks() {
    let card = score(&consulting(""), &rules(), date("2019-10-01"));
    assert!(!card.compliant);
    let select = card.tier(Tier::Select).map(|tier| tier.unmet().count());
    assert_eq!(Some(card.current_gaps.len()), select);
    assert!(
        card.current_gaps
            .iter()
            .any(|gap| gap.id == "csat-responses")
    );
    let registered = score(
        &partner("consulting", "registered", "2020-03-01", ""),
        &rules(),
        date("2019-10-01"),
    );
    assert!(registered.compliant && registered.current_gaps.is_empty());
}
