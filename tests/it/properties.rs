//! Properties of scoring on generated partner data: the order of records
//! never changes the result; TOML and JSON forms agree; a duplicate
//! certification or a second reference for a counted customer changes no
//! count; adding a record never lowers a measure and removing one never
//! raises one; a record dated after the as-of date changes nothing;
//! explain's counted entries agree with score's measures; the eligible tier
//! is met and no tier above it is; scoring many dates at once (`history`)
//! gives each date's own scorecard; sustained attainment is the run of
//! days, each scored on its own, on which premier's other requirements hold.

use apn_check::evaluate::{score, score_on_dates};
use apn_check::explain::explain;
use apn_check::partner::{Format, Partner};
use apn_check::rules::{EMBEDDED_RULES, Kind, Quantity, RuleSet};
use apn_check::scorecard::Scorecard;
use apn_check::tiers::Tier;
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::{Value, json};

const CERTS: [&str; 6] = [
    "cloud-practitioner",
    "developer-associate",
    "solutions-architect-associate",
    "solutions-architect-professional",
    "security-specialty",
    "big-data-specialty",
];

fn day(offset: u32) -> String {
    // 2017-07-01 plus up to ~4 years.
    let start = NaiveDate::from_ymd_opt(2017, 7, 1).unwrap_or(NaiveDate::MIN);
    start
        .checked_add_days(chrono::Days::new(u64::from(offset)))
        .unwrap_or(start)
        .to_string()
}

fn date() -> impl Strategy<Value = String> {
    (0_u32..1400).prop_map(day)
}

fn money() -> impl Strategy<Value = f64> {
    (0_u32..300_000).prop_map(|cents| f64::from(cents) / 100.0)
}

fn person(index: usize) -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.9),
        prop::collection::vec((0..CERTS.len(), date(), prop::option::of(date()), prop::bool::weighted(0.1)), 0..4),
        prop::collection::vec((prop::bool::ANY, date()), 0..3),
    )
        .prop_map(move |(registered, certs, accreditations)| {
            let email = format!("p{index}@gen.example");
            json!({
                "email": email,
                "registered": registered,
                "certifications": certs.into_iter().map(|(cert, earned, expires, foreign)| {
                    let mut value = json!({"cert": CERTS[cert], "earned_on": earned});
                    if let Some(expires) = expires { value["expires_on"] = json!(expires); }
                    if foreign { value["account_email"] = json!("someone@else.example"); }
                    value
                }).collect::<Vec<_>>(),
                "accreditations": accreditations.into_iter().map(|(technical, earned)| {
                    json!({"kind": if technical { "technical" } else { "business" }, "earned_on": earned})
                }).collect::<Vec<_>>(),
            })
        })
}

fn partner_file() -> impl Strategy<Value = Value> {
    let people = (0_usize..8).prop_flat_map(|count| (0..count).map(person).collect::<Vec<_>>());
    let opportunities = prop::collection::vec((0_u8..5, date(), money(), 0_u8..4), 0..12);
    let customers = prop::collection::vec(
        (
            0_u8..6,
            date(),
            0_u8..3,
            prop::bool::weighted(0.8),
            0_u8..12,
        ),
        0..8,
    );
    let responses = prop::collection::vec(
        (
            0_u8..4,
            date(),
            prop::bool::weighted(0.9),
            prop::bool::weighted(0.9),
        ),
        0..12,
    );
    let revenue = prop::collection::vec(
        (
            date(),
            money(),
            prop::bool::ANY,
            prop::option::of((prop::bool::ANY, money())),
        ),
        0..5,
    );
    let validations =
        prop::collection::vec((0_u8..4, 0_u8..3, date(), prop::option::of(date())), 0..5);
    (
        (prop::bool::ANY, 0_u8..4, date(), prop::collection::vec((date(), money()), 0..3)),
        people,
        opportunities,
        customers,
        responses,
        (revenue, validations, prop::option::of(date()), prop::collection::vec((date(), prop::bool::ANY), 0..2)),
        prop::collection::vec(date(), 0..3),
    )
        .prop_map(|((consulting, tier, renewal, fees), people, opportunities, references, responses, (revenue, validations, plan, reviews), legacy)| {
            let tiers = if consulting { ["registered", "select", "advanced", "premier"] } else { ["registered", "select", "advanced", "advanced"] };
            let stages = ["prospect", "committed", "launched", "launched", "closed-lost"];
            let origins = ["partner", "aws-referred", "tagged", "marketplace"];
            let vias = ["ace", "reference-tool", "legacy"];
            let programs = ["competency", "msp", "well-architected", "technical-baseline-review"];
            let names = ["DevOps", "Migration", "Storage"];
            json!({
                "partner": {
                    "name": "Generated",
                    "track": if consulting { "consulting" } else { "technology" },
                    "tier": tiers[usize::from(tier)],
                    "renewal_date": renewal,
                    "domains": ["gen.example"],
                },
                "fee_payments": fees.into_iter().map(|(paid, amount)| json!({"paid_on": paid, "amount_usd": amount})).collect::<Vec<_>>(),
                "people": people,
                "opportunities": opportunities.iter().enumerate().map(|(index, (stage, launched, mrr, origin))| {
                    let stage = stages[usize::from(*stage)];
                    let mut value = json!({"id": format!("O-{index}"), "stage": stage, "mrr_usd": mrr, "origin": origins[usize::from(*origin)]});
                    if stage == "launched" { value["launched_on"] = json!(launched); }
                    value
                }).collect::<Vec<_>>(),
                "legacy_account_submissions": legacy.into_iter().enumerate().map(|(index, on)| json!({"account_id": format!("{index:012}"), "submitted_on": on})).collect::<Vec<_>>(),
                "revenue": revenue.into_iter().map(|(billed, amount, own, credit)| {
                    let mut value = json!({"account_id": "1", "domain": if own { "GEN.example." } else { "other.example" }, "billed_on": billed, "amount_usd": amount});
                    if let Some((exempt, credit_amount)) = credit {
                        value["credits"] = json!([{"type": if exempt { "MAP" } else { "promo" }, "amount_usd": credit_amount}]);
                    }
                    value
                }).collect::<Vec<_>>(),
                "products": [{"name": "P", "ga": true}],
                "business_plan": plan.map_or_else(|| json!({}), |plan| json!({"signed_off_on": plan})),
                "validations": validations.into_iter().map(|(program, name, achieved, expires)| {
                    let mut value = json!({"program": programs[usize::from(program)], "name": names[usize::from(name)], "achieved_on": achieved});
                    if let Some(expires) = expires { value["expires_on"] = json!(expires); }
                    value
                }).collect::<Vec<_>>(),
                "executive_business_reviews": reviews.into_iter().map(|(on, approved)| json!({"completed_on": on, "approved": approved})).collect::<Vec<_>>(),
                "references": references.into_iter().map(|(customer, on, via, public, opportunity)| {
                    let via = vias[usize::from(via)];
                    let mut value = json!({"customer": format!("C{customer}"), "public": public, "via": via, "submitted_on": on});
                    if via == "ace" { value["opportunity"] = json!(format!("O-{opportunity}")); }
                    if via == "reference-tool" { value["url"] = json!("https://gen.example/story"); }
                    value
                }).collect::<Vec<_>>(),
                "csat_responses": responses.into_iter().map(|(customer, on, confirmed, aws)| json!({"customer": format!("C{customer}"), "submitted_on": on, "email_confirmed": confirmed, "aws_customer": aws})).collect::<Vec<_>>(),
            })
        })
}

fn rules() -> RuleSet {
    RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"))
}

fn load(value: &Value, format: Format) -> Partner {
    let text = match format {
        Format::Json => serde_json::to_string_pretty(value).unwrap_or_default(),
        Format::Toml => toml::to_string(value).unwrap_or_else(|error| panic!("{error}")),
    };
    Partner::parse(&text, format, "generated", &rules())
        .unwrap_or_else(|error| panic!("{error}\n{text}"))
}

fn card_of(value: &Value, as_of: NaiveDate) -> Scorecard {
    score(&load(value, Format::Json), &rules(), as_of)
}

/// Every measure of every requirement of every tier, in order.
fn measures(card: &Scorecard) -> Vec<(String, &'static str, Quantity)> {
    card.tiers
        .iter()
        .flat_map(|tier| {
            tier.requirements.iter().flat_map(move |requirement| {
                requirement.measures.iter().map(move |measure| {
                    (
                        format!("{}/{}", tier.tier, requirement.id),
                        measure.name,
                        measure.value,
                    )
                })
            })
        })
        .collect()
}

fn as_of() -> impl Strategy<Value = NaiveDate> {
    (400_u32..1300).prop_map(|offset| day(offset).parse().unwrap_or(NaiveDate::MIN))
}

/// The embedded rules with every premier threshold but the months of
/// sustained attainment lowered to 1, so that generated partners meet
/// premier on some days and the look-back has days to count.
fn reachable_premier_rules() -> RuleSet {
    let text: String = EMBEDDED_RULES
        .lines()
        .map(|line| {
            let Some(fields) = line.strip_prefix("premier = { ") else {
                return format!("{line}\n");
            };
            let lowered: Vec<String> = fields
                .trim_end_matches(" }")
                .split(", ")
                .map(|field| match field.split_once(" = ") {
                    Some((key, _)) if key != "months" => format!("{key} = 1"),
                    _ => field.to_owned(),
                })
                .collect();
            format!("premier = {{ {} }}\n", lowered.join(", "))
        })
        .collect();
    RuleSet::parse(&text, "reachable-premier.toml").unwrap_or_else(|error| panic!("{error}"))
}

/// Adds one record of each kind premier needs, the `index`th dated
/// `ages[index]` days before `as_of`, so that premier (with
/// [`reachable_premier_rules`]) is often met and the run of days met ends
/// where the youngest of them starts.
fn add_premier_anchors(file: &mut Value, as_of: NaiveDate, ages: &[u64]) {
    let before = |index: usize| {
        as_of
            .checked_sub_days(chrono::Days::new(ages[index]))
            .unwrap_or(as_of)
            .to_string()
    };
    let anchors = [
        (
            "fee_payments",
            json!({"paid_on": before(0), "amount_usd": 2500}),
        ),
        (
            "people",
            json!({"email": "anchor@gen.example", "certifications": [
            {"cert": "cloud-practitioner", "earned_on": before(1)},
            {"cert": "security-specialty", "earned_on": before(1)}],
            "accreditations": [{"kind": "technical", "earned_on": before(2)}, {"kind": "business", "earned_on": before(2)}]}),
        ),
        (
            "opportunities",
            json!({"id": "O-anchor", "stage": "launched", "launched_on": before(3), "mrr_usd": 100, "origin": "partner"}),
        ),
        (
            "validations",
            json!({"program": "msp", "achieved_on": before(4)}),
        ),
        (
            "references",
            json!({"customer": "Anchor", "public": true, "via": "legacy", "submitted_on": before(5)}),
        ),
        (
            "csat_responses",
            json!({"customer": "Anchor", "submitted_on": before(6), "email_confirmed": true, "aws_customer": true}),
        ),
    ];
    for (list, record) in anchors {
        if let Some(items) = file[list].as_array_mut() {
            items.push(record);
        }
    }
    file["business_plan"] = json!({"signed_off_on": before(7)});
}

/// Lists whose records may be reordered freely.
const LISTS: [&str; 9] = [
    "fee_payments",
    "people",
    "opportunities",
    "legacy_account_submissions",
    "revenue",
    "validations",
    "executive_business_reviews",
    "references",
    "csat_responses",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn order_of_records_never_changes_the_result(file in partner_file(), as_of in as_of(), seed in any::<u64>()) {
        let before = serde_json::to_value(card_of(&file, as_of)).unwrap_or_default();
        let mut shuffled = file.clone();
        let mut state = seed | 1;
        for list in LISTS {
            if let Some(items) = shuffled[list].as_array_mut() {
                for index in (1..items.len()).rev() {
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                    items.swap(index, (state % (index as u64 + 1)) as usize);
                }
            }
        }
        let after = serde_json::to_value(card_of(&shuffled, as_of)).unwrap_or_default();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn toml_and_json_forms_agree(file in partner_file(), as_of in as_of()) {
        let rules = rules();
        let from_json = score(&load(&file, Format::Json), &rules, as_of);
        let from_toml = score(&load(&file, Format::Toml), &rules, as_of);
        prop_assert_eq!(from_json, from_toml);
    }

    #[test]
    fn duplicates_change_no_count(file in partner_file(), as_of in as_of()) {
        let before = measures(&card_of(&file, as_of));
        let mut doubled = file.clone();
        if let Some(people) = doubled["people"].as_array_mut() {
            for person in people {
                if let Some(certifications) = person["certifications"].as_array_mut() {
                    let copies: Vec<Value> = certifications.clone();
                    certifications.extend(copies);
                }
            }
        }
        if let Some(references) = doubled["references"].as_array_mut() {
            let copies: Vec<Value> = references.iter().map(|reference| {
                let mut copy = reference.clone();
                copy["customer"] = json!(format!(" {} ", copy["customer"].as_str().unwrap_or_default().to_uppercase()));
                copy
            }).collect();
            references.extend(copies);
        }
        prop_assert_eq!(before, measures(&card_of(&doubled, as_of)));
    }

    #[test]
    fn adding_never_lowers_and_removing_never_raises(file in partner_file(), as_of in as_of(), pick in any::<usize>()) {
        let base = measures(&card_of(&file, as_of));
        // Remove one record of a non-empty list.
        let lists: Vec<&str> = LISTS.iter().copied().filter(|list| file[*list].as_array().is_some_and(|items| !items.is_empty())).collect();
        if let Some(list) = lists.get(pick % lists.len().max(1)) {
            let mut fewer = file.clone();
            if let Some(items) = fewer[*list].as_array_mut() {
                let index = pick % items.len();
                items.remove(index);
            }
            // Removing an opportunity may orphan its ace reference; that too may only lower.
            let smaller = measures(&card_of(&fewer, as_of));
            for ((place, name, after), (_, _, before)) in smaller.iter().zip(&base) {
                prop_assert!(after <= before, "removing from {} raised {} {}", list, place, name);
            }
        }
        // Add a response that counts and a launched opportunity.
        let mut more = file.clone();
        let on = as_of.to_string();
        if let Some(responses) = more["csat_responses"].as_array_mut() {
            responses.push(json!({"customer": "New", "submitted_on": on, "email_confirmed": true, "aws_customer": true}));
        }
        if let Some(opportunities) = more["opportunities"].as_array_mut() {
            opportunities.push(json!({"id": "O-new", "stage": "launched", "launched_on": on, "mrr_usd": 10.0, "origin": "partner"}));
        }
        let larger = measures(&card_of(&more, as_of));
        for ((place, name, after), (_, _, before)) in larger.iter().zip(&base) {
            prop_assert!(after >= before, "adding lowered {} {}", place, name);
        }
    }

    #[test]
    fn records_after_the_as_of_date_change_nothing(file in partner_file(), as_of in as_of()) {
        let before = card_of(&file, as_of);
        let later = as_of.succ_opt().unwrap_or(as_of).to_string();
        let mut future = file.clone();
        if let Some(people) = future["people"].as_array_mut() {
            people.push(json!({"email": "future@gen.example", "certifications": [{"cert": "security-specialty", "earned_on": later}], "accreditations": [{"kind": "technical", "earned_on": later}]}));
        }
        for (list, record) in [
            ("fee_payments", json!({"paid_on": later, "amount_usd": 2500})),
            ("opportunities", json!({"id": "O-future", "stage": "launched", "launched_on": later, "mrr_usd": 9999, "origin": "partner"})),
            ("csat_responses", json!({"customer": "F", "submitted_on": later, "email_confirmed": true, "aws_customer": true})),
            ("references", json!({"customer": "F", "public": true, "via": "legacy", "submitted_on": later})),
            ("executive_business_reviews", json!({"completed_on": later, "approved": true})),
            ("validations", json!({"program": "msp", "achieved_on": later})),
            ("revenue", json!({"account_id": "9", "domain": "gen.example", "billed_on": later, "amount_usd": 99999})),
            ("legacy_account_submissions", json!({"account_id": "9", "submitted_on": later})),
        ] {
            if let Some(items) = future[list].as_array_mut() { items.push(record); }
        }
        prop_assert_eq!(before, card_of(&future, as_of));
    }

    #[test]
    fn explain_agrees_and_the_eligible_tier_is_consistent(file in partner_file(), as_of in as_of()) {
        let rules = rules();
        let partner = load(&file, Format::Json);
        let card = score(&partner, &rules, as_of);
        let explanation = explain(&partner, &rules, as_of, None).unwrap_or_else(|| panic!("no explanation"));
        for explained in &explanation.requirements {
            let first = card.tiers.iter().flat_map(|tier| &tier.requirements).find(|r| r.id == explained.id);
            let Some(first) = first else { continue };
            let counted = Quantity::Count(explained.counted.len() as u64);
            let countable = ["csat-responses", "public-references", "launched-opportunities", "foundational-certified", "technical-certified", "accredited-professionals", "product-listing", "executive-business-review", "program-validations", "technical-baseline-review", "business-plan"];
            if countable.contains(&explained.id.as_str()) {
                prop_assert_eq!(first.measures[0].value, counted, "{}", explained.id);
            }
        }
        if let Some(eligible) = card.tier(card.eligible_tier) {
            prop_assert!(eligible.met);
        }
        for tier in &card.tiers {
            prop_assert!(!tier.met || tier.tier <= card.eligible_tier);
        }
    }

    #[test]
    fn scoring_many_dates_gives_each_date_its_scorecard(file in partner_file(), start in 400_u32..1300, step in 1_u64..40, count in 1_usize..16, ages in prop::collection::vec(0_u64..300, 8)) {
        let rules = reachable_premier_rules();
        let first: NaiveDate = day(start).parse().unwrap_or(NaiveDate::MIN);
        let mut file = file;
        add_premier_anchors(&mut file, first, &ages);
        let partner = Partner::parse(&file.to_string(), Format::Json, "generated", &rules)
            .unwrap_or_else(|error| panic!("{error}"));
        let dates: Vec<NaiveDate> = (0..count as u64)
            .filter_map(|index| first.checked_add_days(chrono::Days::new(index * step)))
            .collect();
        let together = score_on_dates(&partner, &rules, &dates);
        prop_assert_eq!(together.len(), dates.len());
        for (card, &date) in together.iter().zip(&dates) {
            prop_assert_eq!(card, &score(&partner, &rules, date), "on {}", date);
        }
        // In any order, repeats included: one scorecard per date, in order.
        let mut shuffled: Vec<NaiveDate> = dates.iter().rev().copied().collect();
        shuffled.extend(dates.first());
        let cards = score_on_dates(&partner, &rules, &shuffled);
        let as_of: Vec<NaiveDate> = cards.iter().map(|card| card.as_of).collect();
        prop_assert_eq!(&as_of, &shuffled);
        for card in &cards {
            let same = together.iter().find(|each| each.as_of == card.as_of);
            prop_assert_eq!(Some(card), same);
        }
    }

    #[test]
    fn sustained_attainment_is_the_run_of_days_met(file in partner_file(), as_of in as_of(), ages in prop::collection::vec(0_u64..300, 8)) {
        let rules = reachable_premier_rules();
        let mut file = file;
        file["partner"]["track"] = json!("consulting");
        file["partner"]["tier"] = json!("advanced");
        add_premier_anchors(&mut file, as_of, &ages);
        let partner = Partner::parse(&file.to_string(), Format::Json, "generated", &rules)
            .unwrap_or_else(|error| panic!("{error}"));
        let looked_back: Vec<&str> = rules
            .requirements
            .iter()
            .filter(|requirement| requirement.kind != Kind::SustainedAttainment && !requirement.applicants_only)
            .map(|requirement| requirement.id.as_str())
            .collect();
        let card = score(&partner, &rules, as_of);
        let sustained = card
            .tier(Tier::Premier)
            .and_then(|tier| tier.requirements.iter().find(|r| r.id == "sustained-attainment"))
            .unwrap_or_else(|| panic!("no sustained attainment"));
        let (Quantity::Count(days), Quantity::Count(limit)) = (sustained.measures[0].value, sustained.measures[0].required) else {
            panic!("sustained attainment counts days");
        };
        let mut expected = 0;
        while expected < limit {
            let Some(day) = as_of.checked_sub_days(chrono::Days::new(expected)) else { break };
            let that_day = score(&partner, &rules, day);
            let met = that_day
                .tier(Tier::Premier)
                .is_some_and(|tier| tier.requirements.iter()
                    .filter(|r| looked_back.contains(&r.id.as_str()))
                    .all(|r| r.status.counts_as_met()));
            if !met { break; }
            expected += 1;
        }
        prop_assert_eq!(days, expected);
    }
}
