//! The benchmark data generator (`examples/generate_partner`): the same seed
//! gives the same bytes, its files load, and the TOML and JSON forms of one
//! partner are the same data.

use apn_check::partner::{Format, Partner};
use apn_check::rules::RuleSet;

#[path = "../../examples/generate_partner/synthetic.rs"]
mod synthetic;

use synthetic::{Rng, Shape, Standing, write_partner};

fn generate(format: synthetic::Format, shape: Shape, standing: Standing, seed: u64) -> String {
    let mut bytes = Vec::new();
    write_partner(&mut bytes, format, shape, standing, seed)
        .unwrap_or_else(|error| panic!("{error}"));
    String::from_utf8(bytes).unwrap_or_else(|error| panic!("{error}"))
}

fn load(text: &str, format: Format, rules: &RuleSet) -> Partner {
    Partner::parse(text, format, "generated", rules)
        .unwrap_or_else(|error| panic!("{error}\n{text}"))
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let shape = Shape::large(0.001);
    let json = synthetic::Format::Json;
    let first = generate(json, shape, Standing::ADVANCED_CONSULTING, 7);
    assert_eq!(
        first,
        generate(json, shape, Standing::ADVANCED_CONSULTING, 7)
    );
    assert_ne!(
        first,
        generate(json, shape, Standing::ADVANCED_CONSULTING, 8)
    );
}

#[test]
fn large_files_load_with_their_shape_in_both_formats() {
    let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
    let shape = Shape::large(0.002);
    let standing = Standing::ADVANCED_CONSULTING;
    let json = generate(synthetic::Format::Json, shape, standing, 3);
    let toml = generate(synthetic::Format::Toml, shape, standing, 3);
    let from_json = load(&json, Format::Json, &rules);
    assert_eq!(from_json, load(&toml, Format::Toml, &rules));
    assert_eq!(from_json.opportunities.len(), 2_000);
    assert_eq!(from_json.people.len(), 200);
    assert_eq!(from_json.csat_responses.len(), 400);
    assert_eq!(from_json.revenue.len(), 200);
    assert_eq!(from_json.references.len(), 100);
}

#[test]
fn portfolio_files_load() {
    let rules = RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"));
    let mut rng = Rng::new(11);
    for _ in 0..50 {
        let shape = Shape::typical(&mut rng);
        let standing = Standing::any(&mut rng);
        let seed = rng.next_u64();
        let json = generate(synthetic::Format::Json, shape, standing, seed);
        let partner = load(&json, Format::Json, &rules);
        assert_eq!(partner.people.len(), shape.people);
        assert_eq!(partner.opportunities.len(), shape.opportunities);
        assert_eq!(partner.info.tier.to_string(), standing.tier);
    }
}
