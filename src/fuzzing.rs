//! Entry points for the fuzz targets (`fuzz/`) and for the test that
//! replays their corpus: arbitrary bytes in, and every path a partner file
//! or a rule file takes run on them. A panic is a finding; so is a broken
//! invariant, which these functions check with `assert!`.

use chrono::NaiveDate;

use crate::batch::{Input, Source, score_input};
use crate::evaluate::score;
use crate::explain::explain;
use crate::forecast::forecast;
use crate::history::{Step, history};
use crate::partner::{Format, Partner};
use crate::plan::{default_target, plan};
use crate::report;
use crate::rules::{Quantity, RuleSet};

/// An as-of date from 2017 to 2021 chosen by the input, so that windows,
/// expiries and grace periods all get exercised.
fn as_of_for(data: &[u8]) -> NaiveDate {
    let seed = data.iter().fold(0_u32, |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(u32::from(*byte))
    });
    let days = u64::from(seed % (5 * 366));
    let start = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap_or(NaiveDate::MIN);
    start
        .checked_add_days(chrono::Days::new(days))
        .unwrap_or(start)
}

/// A partner file's bytes in `format`: it loads or is refused with an error;
/// when it loads, everything that reads a partner runs and agrees.
pub fn partner_file(data: &[u8], format: Format) {
    // The embedded rule file is part of the program: it always loads.
    let rules = RuleSet::embedded().expect("the embedded rules load");
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(partner) = Partner::parse(text, format, "fuzz", &rules) else {
        return;
    };
    let as_of = as_of_for(data);
    exercise(&partner, &rules, as_of, text, format);
}

fn exercise(partner: &Partner, rules: &RuleSet, as_of: NaiveDate, text: &str, format: Format) {
    let card = score(partner, rules, as_of);
    if let Some(eligible) = card.tier(card.eligible_tier) {
        assert!(eligible.met, "the eligible tier is met");
    }
    assert!(
        card.tiers
            .iter()
            .filter(|tier| tier.met)
            .all(|tier| tier.tier <= card.eligible_tier),
        "no tier above the eligible one is met"
    );
    let explanation =
        explain(partner, rules, as_of, None).expect("every requirement of the track explains");
    for explained in &explanation.requirements {
        let Some(requirement) = rules.requirements.iter().find(|r| r.id == explained.id) else {
            continue;
        };
        let counted = Quantity::Count(explained.counted.len() as u64);
        let Some(name) = requirement.kind.rule().counted_entries_measure() else {
            continue;
        };
        let scored = card
            .tiers
            .iter()
            .flat_map(|tier| &tier.requirements)
            .find(|result| result.id == explained.id)
            .and_then(|result| result.measures.iter().find(|m| m.name == name))
            .map(|measure| measure.value);
        assert!(
            scored.is_none_or(|value| value == counted),
            "explain counts what score counts"
        );
    }
    let ahead = forecast(partner, rules, as_of);
    let target = default_target(&card, rules);
    let by = ahead.forecast.as_of;
    let _ = plan(partner, rules, as_of, target, by);
    let to = as_of
        .checked_add_days(chrono::Days::new(2))
        .unwrap_or(as_of);
    assert_eq!(history(partner, rules, as_of, to, Step::Day).len(), 3);

    // Every renderer, on the file as a run over one input.
    let settings = crate::batch::Settings {
        rules,
        as_of,
        gate: crate::batch::GateOptions {
            require: None,
            fail_on_grace: true,
            deny_warnings: true,
        },
        forecast: true,
        max_file_size: crate::partner::DEFAULT_MAX_FILE_SIZE,
        keep_partner: false,
    };
    let input = Input {
        name: "fuzz".to_owned(),
        source: Source::Stdin(format),
    };
    let results = vec![score_input(&input, Some(text), &settings)];
    // Every format of a run, for one file and as a summary, into a sink.
    for format in [
        report::Format::Table,
        report::Format::Json,
        report::Format::Ndjson,
        report::Format::Junit,
        report::Format::Sarif,
        report::Format::Github,
        report::Format::Markdown,
        report::Format::Html,
    ] {
        for single in [true, false] {
            let run = report::Run {
                results: &results,
                rules,
                single,
                could_not_run: false,
                quiet: false,
                detail: true,
                width: Some(60),
                color: false,
            };
            let _ = format.write(&run, &mut std::io::sink());
        }
    }
    let _ = report::explain::write(&explanation, false, &mut std::io::sink());
}

/// A rule file's bytes: it loads or is refused; when it loads, the
/// embedded examples' shape of partner scores against it.
pub fn rule_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = RuleSet::parse(text, "fuzz") else {
        return;
    };
    let _ = report::rules::write(&rules, "fuzz", None, Some(60), &mut std::io::sink());
    for track in rules.program.tracks() {
        let starter = crate::starter::starter(track);
        if let Ok(partner) = Partner::parse(&starter, Format::Toml, "starter", &rules) {
            let as_of = as_of_for(data);
            exercise(&partner, &rules, as_of, &starter, Format::Toml);
        }
    }
}

/// Any bytes: the first picks TOML or JSON, the rest is the file.
pub fn any_input(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let format = if first % 2 == 0 {
        Format::Toml
    } else {
        Format::Json
    };
    partner_file(rest, format);
}
