//! Replays the fuzz corpus (`fuzz/corpus/TARGET/`) and the regressions the
//! fuzzers found (`fuzz/regressions/TARGET/`) through the same entry points
//! as the fuzz targets, on stable Rust and without libFuzzer: CI checks in a
//! few seconds that no input the fuzzers kept panics or breaks an invariant.

use std::path::Path;

use apn_check::fuzzing::{any_input, partner_file, rule_file};
use apn_check::partner::Format;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for folder in [
        root.join("corpus").join(target),
        root.join("regressions").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        paths.sort();
        for path in paths.into_iter().filter(|path| path.is_file()) {
            let data =
                std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} panics", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn the_corpus_replays_without_a_finding() {
    let counts = [
        replay("partner_toml", |data| partner_file(data, Format::Toml)),
        replay("partner_json", |data| partner_file(data, Format::Json)),
        replay("rule_file", rule_file),
        replay("any_input", any_input),
    ];
    assert!(
        counts.iter().all(|count| *count > 0),
        "every target has a corpus: {counts:?}"
    );
}
