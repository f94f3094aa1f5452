//! Benchmarks of issue 5's targets on generated data, in-process (divan):
//! parsing alone, parsing and scoring, the sustained-attainment look-back,
//! a year of daily history, and a portfolio scored on one and two threads.
//! `bench/targets.sh` measures the same targets on whole-process runs at
//! full size; these are for profiling and comparing changes.
//!
//! `cargo bench --bench scale` (set `APN_BENCH_SCALE`, default 0.02, for
//! the size of the large partner: 1.0 is issue 5's file).

// A benchmark program reports on standard output.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::sync::OnceLock;

use apn_check::batch::{GateOptions, Settings, collect_inputs, score_all};
use apn_check::evaluate::{score, score_on_dates};
use apn_check::partner::{DEFAULT_MAX_FILE_SIZE, Format, Partner};
use apn_check::rules::RuleSet;
use chrono::NaiveDate;

#[path = "../examples/generate_partner/synthetic.rs"]
mod synthetic;

use synthetic::{Rng, Shape, Standing, write_partner};

fn main() {
    divan::main();
    if let Some(dir) = PORTFOLIO.get() {
        // Best effort: a leftover temporary directory is harmless.
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn as_of() -> NaiveDate {
    // A fixed, valid date.
    NaiveDate::from_ymd_opt(2019, 11, 1).unwrap_or(NaiveDate::MIN)
}

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::embedded().unwrap_or_else(|error| panic!("{error}")))
}

fn scale() -> f64 {
    std::env::var("APN_BENCH_SCALE")
        .ok()
        .and_then(|scale| scale.parse().ok())
        .unwrap_or(0.02)
}

/// The large partner's text in `format`: an advanced partner (so scoring
/// looks back 184 days) or a premier one (exempt).
fn large_text(format: Format, standing: Standing) -> String {
    let generated_format = match format {
        Format::Json => synthetic::Format::Json,
        Format::Toml => synthetic::Format::Toml,
    };
    let mut bytes = Vec::new();
    write_partner(
        &mut bytes,
        generated_format,
        Shape::large(scale()),
        standing,
        7,
    )
    .unwrap_or_else(|error| panic!("{error}"));
    String::from_utf8(bytes).unwrap_or_else(|error| panic!("{error}"))
}

fn json_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| large_text(Format::Json, Standing::ADVANCED_CONSULTING))
}

fn toml_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| large_text(Format::Toml, Standing::ADVANCED_CONSULTING))
}

fn parse(text: &str, format: Format) -> Partner {
    Partner::parse(text, format, "large", rules()).unwrap_or_else(|error| panic!("{error}"))
}

fn advanced() -> &'static Partner {
    static PARTNER: OnceLock<Partner> = OnceLock::new();
    PARTNER.get_or_init(|| parse(json_text(), Format::Json))
}

fn premier() -> &'static Partner {
    static PARTNER: OnceLock<Partner> = OnceLock::new();
    PARTNER.get_or_init(|| {
        let text = large_text(Format::Json, Standing::PREMIER_CONSULTING);
        parse(&text, Format::Json)
    })
}

/// Target 5: the embedded rule file, parsed and checked at every start.
#[divan::bench]
fn embedded_rules() -> RuleSet {
    RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"))
}

/// Target 1: parsing alone, the limit the rest is measured against.
#[divan::bench(args = [Format::Json, Format::Toml])]
fn parse_only(bencher: divan::Bencher, format: Format) {
    let text = match format {
        Format::Json => json_text(),
        Format::Toml => toml_text(),
    };
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench(|| parse(divan::black_box(text), format));
}

/// Target 1: parsing and scoring (with the look-back).
#[divan::bench(args = [Format::Json, Format::Toml])]
fn parse_and_score(bencher: divan::Bencher, format: Format) {
    let text = match format {
        Format::Json => json_text(),
        Format::Toml => toml_text(),
    };
    bencher
        .counter(divan::counter::BytesCount::of_str(text))
        .bench(|| score(&parse(divan::black_box(text), format), rules(), as_of()));
}

/// Target 3: one evaluation with no look-back (an existing premier partner).
#[divan::bench]
fn score_exempt() -> apn_check::scorecard::Scorecard {
    score(divan::black_box(premier()), rules(), as_of())
}

/// Target 3: one evaluation with the 184-day look-back (an applicant).
#[divan::bench]
fn score_with_look_back() -> apn_check::scorecard::Scorecard {
    score(divan::black_box(advanced()), rules(), as_of())
}

/// Target 3: `history --every day` over a year.
#[divan::bench]
fn history_year_daily() -> usize {
    let start = NaiveDate::from_ymd_opt(2018, 11, 2).unwrap_or(NaiveDate::MIN);
    let dates: Vec<NaiveDate> = start
        .iter_days()
        .take_while(|day| *day <= as_of())
        .collect();
    score_on_dates(divan::black_box(advanced()), rules(), &dates).len()
}

/// Target 4: a portfolio of typical partner files, on one and two threads.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn portfolio(jobs: usize) -> usize {
    let settings = Settings {
        rules: rules(),
        as_of: as_of(),
        gate: GateOptions {
            require: None,
            fail_on_grace: false,
            deny_warnings: false,
        },
        forecast: false,
        max_file_size: DEFAULT_MAX_FILE_SIZE,
        keep_partner: false,
    };
    let work = collect_inputs(&[portfolio_dir().clone()], None)
        .into_iter()
        .map(|input| input.map(|input| (input, None)))
        .collect();
    let run = score_all(
        work,
        &settings,
        jobs,
        false,
        |_| (),
        |_, ()| Ok::<(), ()>(()),
    );
    run.map_or(0, |run| run.summary.files)
}

/// 500 typical partner files, written once per run to a temporary directory.
static PORTFOLIO: OnceLock<PathBuf> = OnceLock::new();

fn portfolio_dir() -> &'static PathBuf {
    PORTFOLIO.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("apn-check-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{error}"));
        let mut rng = Rng::new(7);
        for index in 0..500 {
            let path = dir.join(format!("partner-{index:03}.json"));
            let file = std::fs::File::create(&path).unwrap_or_else(|error| panic!("{error}"));
            let shape = Shape::typical(&mut rng);
            let standing = Standing::any(&mut rng);
            write_partner(
                file,
                synthetic::Format::Json,
                shape,
                standing,
                rng.next_u64(),
            )
            .unwrap_or_else(|error| panic!("{error}"));
        }
        println!("portfolio: 500 files in {}", dir.display());
        dir
    })
}
