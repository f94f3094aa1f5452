//! Unit tests of outstanding work (shared blocks once, one id in two scopes
//! twice, `requires` expanded, evidence removing work), steps, and the
//! least-work search against trying every choice.

use chrono::NaiveDate;
use fixedbitset::FixedBitSet;
use proptest::prelude::*;

use super::*;
use crate::competency::standing::Standing;

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a test date")
}

const SHARED: &str = r#"
[block]
id = "shared"
name = "Shared"
[[requirements]]
id = "ACCT-001"
category = "Accounts"
[[requirements]]
id = "ACCT-002"
category = "Accounts"
"#;

fn checklist(id: &str, own: &[&str], blocks: &[&str], requires: &[&str]) -> String {
    let quoted = |items: &[&str]| {
        items
            .iter()
            .map(|item| format!("\"{item}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "[checklist]\nid = \"{id}\"\nname = \"{id}\"\nprogram = \"competency\"\npath = \"consulting\"\nrelease = \"2025-08\"\nblocks = [{}]\nrequires = [{}]\n",
        quoted(blocks),
        quoted(requires)
    );
    for requirement in own {
        text.push_str(&format!(
            "[[requirements]]\nid = \"{requirement}\"\ncategory = \"Own\"\n"
        ));
    }
    text
}

fn catalog(checklists: &[(&str, String)]) -> Catalog {
    let files: Vec<(&str, &str)> = checklists
        .iter()
        .map(|(name, text)| (*name, text.as_str()))
        .collect();
    Catalog::from_texts(&[("shared.toml", SHARED)], &files).expect("the test catalog loads")
}

fn nothing_held(catalog: &Catalog) -> Standing {
    Standing {
        as_of: day("2026-01-01"),
        held: Vec::new(),
        met: catalog.empty_set(),
        older_release: Vec::new(),
    }
}

#[test]
fn a_shared_block_is_counted_once_across_two_designations() {
    let catalog = catalog(&[
        ("a.toml", checklist("a", &["A-001"], &["shared"], &[])),
        (
            "b.toml",
            checklist("b", &["B-001", "B-002"], &["shared"], &[]),
        ),
    ]);
    let standing = nothing_held(&catalog);
    let (a, b) = (
        catalog.checklist_index("a").expect("a"),
        catalog.checklist_index("b").expect("b"),
    );
    let mut both = outstanding(&catalog, &standing, a);
    both.union_with(&outstanding(&catalog, &standing, b));
    // 2 shared + 1 + 2 own: the block's two requirements once.
    assert_eq!(both.count_ones(..), 5);
    let overlap = overlap(&catalog, &[a, b]);
    assert_eq!(overlap.common.len(), 2);
    assert_eq!(
        overlap.pairs,
        vec![Pair {
            a,
            b,
            shared: 2,
            union: 5
        }]
    );
}

#[test]
fn one_id_in_two_scopes_is_two_requirements() {
    // `SEC-001` of `a` and of `b` are different requirements.
    let catalog = catalog(&[
        ("a.toml", checklist("a", &["SEC-001"], &[], &[])),
        ("b.toml", checklist("b", &["SEC-001"], &[], &[])),
    ]);
    let standing = nothing_held(&catalog);
    let mut both = outstanding(&catalog, &standing, 0);
    both.union_with(&outstanding(&catalog, &standing, 1));
    assert_eq!(both.count_ones(..), 2);
    assert!(overlap(&catalog, &[0, 1]).common.is_empty());
}

#[test]
fn requires_adds_the_work_of_what_is_not_held() {
    let catalog = catalog(&[
        (
            "ftr.toml",
            checklist("ftr", &["FTR-001", "FTR-002"], &["shared"], &[]),
        ),
        ("app.toml", checklist("app", &["APP-001"], &[], &["ftr"])),
        ("top.toml", checklist("top", &["TOP-001"], &[], &["app"])),
    ]);
    let mut standing = nothing_held(&catalog);
    let top = catalog.checklist_index("top").expect("top");
    // top, app, ftr and its block: 1 + 1 + 2 + 2.
    assert_eq!(outstanding(&catalog, &standing, top).count_ones(..), 6);
    // Holding app ends the chain there.
    standing.held = vec![catalog.checklist_index("app").expect("app")];
    assert_eq!(outstanding(&catalog, &standing, top).count_ones(..), 1);
    // Holding ftr only removes ftr's work.
    standing.held = vec![catalog.checklist_index("ftr").expect("ftr")];
    assert_eq!(outstanding(&catalog, &standing, top).count_ones(..), 2);
}

#[test]
fn evidence_removes_work() {
    let catalog = catalog(&[("a.toml", checklist("a", &["A-001"], &["shared"], &[]))]);
    let mut standing = nothing_held(&catalog);
    assert_eq!(outstanding(&catalog, &standing, 0).count_ones(..), 3);
    standing.met.insert(
        catalog
            .identity("shared", "ACCT-001")
            .expect("shared ACCT-001"),
    );
    let left = outstanding(&catalog, &standing, 0);
    assert_eq!(left.count_ones(..), 2);
    assert!(!left.contains(catalog.identity("shared", "ACCT-001").expect("identity")));
}

#[test]
fn steps_take_shared_work_first() {
    let set = |ones: &[usize]| {
        let mut set = FixedBitSet::with_capacity(8);
        set.extend(ones.iter().copied());
        set
    };
    // a: 4 alone; b: 3 of which 2 are c's; c: 2.
    let sets = [set(&[0, 1, 2, 3]), set(&[4, 5, 6]), set(&[5, 6])];
    let steps = steps(&[10, 11, 12], &sets);
    let order: Vec<usize> = steps.iter().map(|step| step.designation).collect();
    assert_eq!(order, vec![12, 11, 10]);
    assert_eq!(steps[1].new_requirements, 1);
    assert_eq!(steps[1].already_done, 2);
    assert_eq!(steps[2].cumulative, 7);
}

/// Every choice of `size` candidates with the must ones and enough keys:
/// the least cost, the first sorted list of positions among those.
fn brute_force(search: &Search) -> Option<(Vec<usize>, usize)> {
    let count = search.sets.len();
    let mut best: Option<(usize, Vec<usize>)> = None;
    for mask in 0_u32..(1 << count) {
        if mask.count_ones() as usize != search.size {
            continue;
        }
        let chosen: Vec<usize> = (0..count).filter(|i| mask & (1 << i) != 0).collect();
        if !search.must.iter().all(|must| chosen.contains(must)) {
            continue;
        }
        if chosen.iter().filter(|&&i| search.is_key[i]).count() < search.need_keys {
            continue;
        }
        let mut union = FixedBitSet::with_capacity(search.sets[0].len());
        for &i in &chosen {
            union.union_with(&search.sets[i]);
        }
        let cost = union.count_ones(..);
        let better = match &best {
            None => true,
            Some((best_cost, best_chosen)) => {
                cost < *best_cost || (cost == *best_cost && chosen < *best_chosen)
            }
        };
        if better {
            best = Some((cost, chosen));
        }
    }
    best.map(|(cost, chosen)| (chosen, cost))
}

fn searches() -> impl Strategy<Value = Search> {
    (1_usize..=9, 1_usize..=24).prop_flat_map(|(count, universe)| {
        (
            proptest::collection::vec(proptest::collection::vec(0..universe, 0..8), count),
            proptest::collection::vec(any::<bool>(), count),
            proptest::collection::vec(0..count, 0..3),
            0..=count,
            0_usize..3,
        )
            .prop_map(move |(members, is_key, must, size, need_keys)| {
                let sets = members
                    .iter()
                    .map(|ones| {
                        let mut set = FixedBitSet::with_capacity(universe);
                        set.extend(ones.iter().copied());
                        set
                    })
                    .collect();
                let mut must = must;
                must.sort_unstable();
                must.dedup();
                Search {
                    sets,
                    is_key,
                    must,
                    size,
                    need_keys,
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn least_work_agrees_with_trying_every_choice(search in searches()) {
        let found = least_work(&search, SEARCH_BUDGET).expect("small searches fit the budget");
        let expected = brute_force(&search);
        prop_assert_eq!(found.map(|found| (found.chosen, found.cost)), expected);
    }
}

#[test]
fn a_search_past_its_budget_says_so() {
    // 60 candidates of 6 requirements each drawn from 40, choose 15:
    // overlapping sets the bounds cannot settle within 1,000 words of work.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let sets: Vec<FixedBitSet> = (0..60)
        .map(|_| {
            let mut set = FixedBitSet::with_capacity(40);
            for _ in 0..6 {
                set.insert((next() % 40) as usize);
            }
            set
        })
        .collect();
    let search = Search {
        is_key: vec![false; sets.len()],
        sets,
        must: Vec::new(),
        size: 15,
        need_keys: 0,
    };
    let Err(TooMuchWork { explored }) = least_work(&search, 1_000) else {
        panic!("expected the search to stop at its budget");
    };
    // It stopped early: a thousand words of work are a few nodes.
    assert!((1..1_000).contains(&explored), "{explored}");
}
