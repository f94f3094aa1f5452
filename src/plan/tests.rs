//! Unit tests of the plan on small hand-made partners.

use super::knowledge::accreditation_exams;
use super::*;
use crate::evaluate::score;
use crate::kinds::KnowledgeNeeds;
use crate::partner::Format;

fn date(text: &str) -> NaiveDate {
    crate::calendar::parse_date(text).unwrap_or_else(|error| panic!("{error}"))
}

fn rules() -> RuleSet {
    RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"))
}

fn partner(track: &str, records: &str) -> Partner {
    let text = format!(
        "[partner]\nname = \"P\"\ntrack = \"{track}\"\ntier = \"registered\"\nrenewal_date = 2020-03-01\n\n{records}"
    );
    Partner::parse(&text, Format::Toml, "p.toml", &rules())
        .unwrap_or_else(|error| panic!("{error}"))
}

fn person(email: &str, extra: &str, credentials: &[(&str, &str)]) -> String {
    let mut text = format!("[[people]]\nemail = \"{email}\"\n{extra}");
    for (table, value) in credentials {
        match *table {
            "accreditation" => {
                text += &format!(
                    "[[people.accreditations]]\nkind = \"{value}\"\nearned_on = 2018-01-01\n"
                )
            }
            _ => {
                text += &format!(
                    "[[people.certifications]]\ncert = \"{value}\"\nearned_on = 2018-01-01\n"
                )
            }
        }
    }
    text
}

fn knowledge(partner: &Partner, tier: Tier) -> KnowledgePlan {
    plan(
        partner,
        &rules(),
        date("2019-10-01"),
        tier,
        date("2019-12-01"),
    )
    .knowledge
}

#[test]
fn four_technical_only_people_need_two_business_exams_and_no_one_new() {
    let records: String = (0..4)
        .map(|i| {
            person(
                &format!("t{i}@p"),
                "",
                &[
                    ("accreditation", "technical"),
                    ("cert", "cloud-practitioner"),
                    ("cert", "developer-associate"),
                ],
            )
        })
        .collect();
    let result = knowledge(&partner("consulting", &records), Tier::Select);
    assert_eq!((result.new_people, result.exams), (0, 2));
    let business: Vec<&str> = result
        .actions
        .iter()
        .filter(|action| action.text.contains("Business Professional"))
        .filter_map(|action| action.person.as_deref())
        .collect();
    assert_eq!(business, ["t0@p", "t1@p"]);
}

#[test]
fn an_associate_holder_upgrades_to_fill_a_professional_slot() {
    // Technology advanced: 4 technical certified, 2 of them professional.
    let records = [
        person("a@p", "", &[("cert", "solutions-architect-professional")]),
        person("b@p", "", &[("cert", "developer-associate")]),
        person("c@p", "", &[("cert", "sysops-administrator-associate")]),
        person("d@p", "", &[("cert", "solutions-architect-associate")]),
    ]
    .concat();
    let result = knowledge(&partner("technology", &records), Tier::Advanced);
    assert_eq!((result.new_people, result.exams), (0, 1));
    assert_eq!(result.actions[0].person.as_deref(), Some("b@p"));
    assert!(
        result.actions[0]
            .text
            .contains("a professional or specialty certification")
    );
}

/// (technical only, business only, both, none) and the tier's needs ->
/// the fewest exams; checked against the lower bound
/// max(individuals short, technical short + business short).
#[test]
fn accreditation_exams_are_minimal() {
    let needs = |n, t, b| KnowledgeNeeds {
        accredited_individuals: n,
        technical_side: t,
        business_side: b,
        ..KnowledgeNeeds::default()
    };
    let cases = [
        ((4, 0, 0, 0), needs(4, 2, 2), 2),
        ((0, 0, 0, 4), needs(4, 2, 2), 4),
        ((3, 0, 1, 0), needs(4, 2, 2), 1),
        ((0, 0, 2, 6), needs(8, 4, 4), 6),
        ((6, 0, 0, 14), needs(20, 10, 10), 14),
        ((10, 0, 0, 10), needs(20, 10, 10), 10),
        ((2, 2, 4, 0), needs(8, 4, 4), 0),
    ];
    for ((a, b, d, n), needs, expected) in cases {
        let choice =
            accreditation_exams(a, b, d, n, &needs).unwrap_or_else(|| panic!("infeasible"));
        let exams = choice[0] + choice[1] + 2 * choice[2] + choice[3] + choice[4];
        assert_eq!(exams, expected, "{a}/{b}/{d}/{n}");
        let short_union = needs
            .accredited_individuals
            .max(needs.technical_side + needs.business_side)
            .saturating_sub(a + b + d);
        let short_sides =
            needs.technical_side.saturating_sub(a + d) + needs.business_side.saturating_sub(b + d);
        assert_eq!(exams, short_union.max(short_sides), "{a}/{b}/{d}/{n}");
    }
}

/// Every choice, searched: the definition `accreditation_exams` must agree
/// with (fewest exams, then most upgrades, then the first in this order).
fn accreditation_exams_by_search(
    a: u64,
    b: u64,
    d: u64,
    n: u64,
    needs: &KnowledgeNeeds,
) -> Option<[u64; 5]> {
    let (t, bn) = (needs.technical_side, needs.business_side);
    let union_needed = needs.accredited_individuals.max(t + bn);
    let limit = union_needed.max(t).max(bn);
    let mut best: Option<([u64; 5], (u64, u64))> = None;
    for none_both in 0..=limit.min(n) {
        for none_technical in 0..=limit.min(n - none_both) {
            for none_business in 0..=limit.min(n - none_both - none_technical) {
                let union = a + b + d + none_technical + none_business + none_both;
                if union < union_needed {
                    continue;
                }
                let upgrade_technical = t.saturating_sub(a + d + none_technical + none_both);
                let upgrade_business = bn.saturating_sub(b + d + none_business + none_both);
                if upgrade_technical > b || upgrade_business > a {
                    continue;
                }
                let exams = none_technical
                    + none_business
                    + 2 * none_both
                    + upgrade_technical
                    + upgrade_business;
                let key = (exams, u64::MAX - (upgrade_technical + upgrade_business));
                if best.is_none_or(|(_, best_key)| key < best_key) {
                    let choice = [
                        none_technical,
                        none_business,
                        none_both,
                        upgrade_technical,
                        upgrade_business,
                    ];
                    best = Some((choice, key));
                }
            }
        }
    }
    best.map(|(choice, _)| choice)
}

#[test]
fn accreditation_exams_agree_with_a_search_of_every_choice() {
    let mut compared = 0;
    for (a, b, d, n) in tuples_below(4) {
        for (individuals, technical, business) in tuples_below(5).map(|(x, y, z, _)| (x, y, z)) {
            let needs = KnowledgeNeeds {
                accredited_individuals: individuals,
                technical_side: technical,
                business_side: business,
                ..KnowledgeNeeds::default()
            };
            assert_eq!(
                accreditation_exams(a, b, d, n, &needs),
                accreditation_exams_by_search(a, b, d, n, &needs),
                "a {a} b {b} d {d} n {n}; needs {individuals}/{technical}/{business}"
            );
            compared += 1;
        }
    }
    assert!(compared > 1000);
}

/// Every (w, x, y, 0) with each of w, x, y below `bound`, and every
/// (w, x, y, z) below it when asked for four.
fn tuples_below(bound: u64) -> impl Iterator<Item = (u64, u64, u64, u64)> {
    (0..bound).flat_map(move |w| {
        (0..bound)
            .flat_map(move |x| (0..bound).flat_map(move |y| (0..bound).map(move |z| (w, x, y, z))))
    })
}

#[test]
fn a_large_threshold_is_planned_at_once() {
    let needs = KnowledgeNeeds {
        accredited_individuals: crate::rules::MAX_COUNT_THRESHOLD,
        technical_side: crate::rules::MAX_COUNT_THRESHOLD / 2,
        business_side: crate::rules::MAX_COUNT_THRESHOLD / 2,
        ..KnowledgeNeeds::default()
    };
    let choice = accreditation_exams(0, 0, 0, crate::rules::MAX_COUNT_THRESHOLD, &needs);
    assert_eq!(
        choice,
        Some([
            crate::rules::MAX_COUNT_THRESHOLD / 2,
            crate::rules::MAX_COUNT_THRESHOLD / 2,
            0,
            0,
            0
        ])
    );
}

#[test]
fn new_people_are_what_the_largest_person_count_lacks() {
    // Consulting select with nobody: 4 people; 2 technical + 2 business
    // accreditations, 2 Cloud Practitioner, 2 associate exams.
    let result = knowledge(&partner("consulting", ""), Tier::Select);
    assert_eq!((result.new_people, result.exams), (4, 8));
    assert!(
        result
            .actions
            .iter()
            .all(|action| action.kind == ActionKind::NewPerson)
    );
}

#[test]
fn free_fixes_come_first_and_count() {
    let records = [
        person("a@p", "registered = false\n", &[("cert", "solutions-architect-professional")]),
        format!(
            "{}[[people.certifications]]\ncert = \"developer-associate\"\nearned_on = 2018-01-01\naccount_email = \"b.home@mail\"\n",
            person("b@p", "", &[])
        ),
    ]
    .concat();
    let result = knowledge(&partner("technology", &records), Tier::Select);
    assert_eq!((result.new_people, result.exams), (0, 0));
    let kinds: Vec<ActionKind> = result.actions.iter().map(|action| action.kind).collect();
    assert_eq!(kinds, [ActionKind::Register, ActionKind::LinkEmail]);
    assert!(
        result.actions[1]
            .text
            .contains("tc_email = \"b.home@mail\""),
        "{}",
        result.actions[1].text
    );
}

#[test]
fn a_credential_expiring_before_the_date_needs_a_renewal() {
    let records = "[[people]]\nemail = \"a@p\"\n[[people.certifications]]\ncert = \"developer-associate\"\nearned_on = 2017-01-01\nexpires_on = 2019-11-15\n";
    let result = knowledge(&partner("technology", records), Tier::Select);
    assert_eq!((result.new_people, result.exams), (0, 1));
    assert!(
        result.actions[0]
            .text
            .contains("renew an associate certification (it expires 2019-11-15)"),
        "{}",
        result.actions[0].text
    );
}

#[test]
fn a_partner_meeting_the_tier_has_nothing_to_do() {
    let records = [
        "[[fee_payments]]\npaid_on = 2019-06-01\namount_usd = 2500\n[[products]]\nname = \"X\"\nga = true\n".to_owned(),
        person("a@p", "", &[("cert", "developer-associate")]),
        "[[references]]\ncustomer = \"C\"\npublic = true\nvia = \"legacy\"\nsubmitted_on = 2019-06-01\n".to_owned(),
        (1..=3)
            .map(|id| format!("[[opportunities]]\nid = \"{id}\"\nstage = \"launched\"\nlaunched_on = 2019-06-01\nmrr_usd = 500\norigin = \"partner\"\n"))
            .collect(),
        "[[csat_responses]]\ncustomer = \"C\"\nsubmitted_on = 2019-06-01\nemail_confirmed = true\naws_customer = true\n".repeat(5),
    ]
    .concat();
    let result = plan(
        &partner("technology", &records),
        &rules(),
        date("2019-10-01"),
        Tier::Select,
        date("2019-12-01"),
    );
    assert!(result.already_met);
    assert_eq!(
        (result.knowledge.new_people, result.knowledge.exams),
        (0, 0)
    );
    assert_eq!(result.actions.len(), 1);
    assert!(result.actions[0].text.starts_with("nothing to do"));
}

#[test]
fn default_target_tier() {
    let rules = rules();
    let card = |tier: &str, compliant: bool| {
        let mut card = score(&partner("consulting", ""), &rules, date("2019-10-01"));
        card.current_tier = match tier {
            "select" => Tier::Select,
            "premier" => Tier::Premier,
            _ => Tier::Registered,
        };
        card.compliant = compliant;
        card
    };
    assert_eq!(default_target(&card("select", false), &rules), Tier::Select);
    assert_eq!(
        default_target(&card("select", true), &rules),
        Tier::Advanced
    );
    assert_eq!(
        default_target(&card("registered", true), &rules),
        Tier::Select
    );
    assert_eq!(
        default_target(&card("premier", true), &rules),
        Tier::Premier
    );
}

/// A person whose `tc_email` is `old@mail` with a Cloud Practitioner taken
/// under it, and a professional certification taken under `new@mail`.
fn split_person(email: &str) -> String {
    format!(
        "[[people]]\nemail = \"{email}\"\ntc_email = \"old@{email}\"\n\
         [[people.certifications]]\ncert = \"cloud-practitioner\"\nearned_on = 2018-01-01\naccount_email = \"old@{email}\"\n\
         [[people.certifications]]\ncert = \"solutions-architect-professional\"\nearned_on = 2018-01-01\naccount_email = \"new@{email}\"\n"
    )
}

#[test]
fn a_tc_email_is_re_pointed_when_that_leaves_fewer_exams() {
    // Technology select needs one technically certified person and nothing
    // foundational: the professional certification is worth more.
    let result = knowledge(&partner("technology", &split_person("a@p")), Tier::Select);
    assert_eq!((result.new_people, result.exams), (0, 0));
    let link = result
        .actions
        .iter()
        .find(|action| action.kind == ActionKind::LinkEmail)
        .unwrap_or_else(|| panic!("no link in {:?}", result.actions));
    assert!(
        link.text
            .contains("tc_email = \"new@a@p\"` instead of `old@a@p`")
            && link.text.contains("loses a foundational certification"),
        "{}",
        link.text
    );
}

#[test]
fn a_tc_email_stays_when_re_pointing_saves_no_exam() {
    // Consulting select needs two foundational and two technical people:
    // with two such people, keeping `old@` costs two associate exams, and
    // re-pointing costs two Cloud Practitioner exams; a tie keeps it.
    let records = split_person("a@p") + &split_person("b@p");
    let result = knowledge(&partner("consulting", &records), Tier::Select);
    assert!(
        result
            .actions
            .iter()
            .all(|action| action.kind != ActionKind::LinkEmail),
        "{:?}",
        result.actions
    );
}

#[test]
fn re_pointing_is_chosen_per_person_for_the_fewest_exams_in_all() {
    // Consulting select needs 2 foundational and 2 technical people. Four
    // people each hold a foundational certification under `old@` and a
    // professional one under `new@`: the fewest exams re-point exactly two
    // of them (no certification exam), not none or all four (2 exams).
    let records: String = ["a@p", "b@p", "c@p", "d@p"]
        .iter()
        .map(|email| split_person(email))
        .collect();
    let result = knowledge(&partner("consulting", &records), Tier::Select);
    let links = result
        .actions
        .iter()
        .filter(|action| action.kind == ActionKind::LinkEmail)
        .count();
    // Accreditations still need exams: count only the certification part.
    let certification_exams = result
        .actions
        .iter()
        .filter(|action| action.text.contains("certification"))
        .filter(|action| action.kind == ActionKind::Exam || action.kind == ActionKind::NewPerson)
        .count();
    assert_eq!((links, certification_exams), (2, 0), "{:?}", result.actions);
}
