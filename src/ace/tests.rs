//! Unit tests of the opportunity import: each mapping rule from a fixture
//! in the API's documented shapes (`tests/fixtures/ace`), the merge, what a
//! hand-written file keeps, the edit of TOML and JSON files, and bad input
//! at its line.

use chrono::NaiveDate;

use super::*;
use crate::money::Cents;
use crate::rules::RuleSet;

const LIST: &str = include_str!("../../tests/fixtures/ace/list-opportunities.json");
const GET: &str = include_str!("../../tests/fixtures/ace/get-opportunity.jsonl");
const SUMMARIES: &str = include_str!("../../tests/fixtures/ace/aws-opportunity-summaries.json");

const PARTNER: &str = "# Head comment, kept.\n[partner]\nname = \"T\" # the name\ntrack = \"consulting\"\ntier = \"select\"\nrenewal_date = 2026-09-01\ndomains = [\"t.example\"]\n\n# Opportunities typed by hand.\n[[opportunities]]\nid = \"H-1\" # hand-written\nstage = \"launched\"\nlaunched_on = 2026-01-05\nmrr_usd = 10.00\norigin = \"tagged\"\n\n# The references, after the opportunities.\n[[references]]\ncustomer = \"C\"\nsubmitted_on = 2026-02-01\nvia = \"reference-tool\"\nurl = \"https://example.com/c\"\n";

const JSON_PARTNER: &str = "{\n  \"partner\": {\"name\": \"T\", \"track\": \"consulting\", \"tier\": \"select\", \"renewal_date\": \"2026-09-01\"},\n  \"opportunities\": [\n    {\"id\": \"O1005\", \"stage\": \"prospect\", \"origin\": \"partner\"},\n    {\"id\": \"H-1\",   \"stage\": \"prospect\", \"origin\": \"partner\"}\n  ],\n  \"references\": []\n}\n";

fn rules() -> RuleSet {
    RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"))
}

fn options() -> Options {
    Options {
        launched_on: LaunchedOnSource::TargetCloseDate,
        eur_usd: None,
        sandbox: false,
    }
}

fn day(text: &str) -> NaiveDate {
    crate::calendar::parse_date(text).unwrap_or_else(|error| panic!("{error}"))
}

fn run(inputs: &[(&str, &str)], partner: &str, format: Format, options: &Options) -> Report {
    try_run(inputs, partner, format, options).unwrap_or_else(|error| panic!("{error:?}"))
}

fn try_run(
    inputs: &[(&str, &str)],
    partner: &str,
    format: Format,
    options: &Options,
) -> Result<Report, ImportError> {
    let sources: Vec<Source> = inputs
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    let name = match format {
        Format::Toml => "p.toml",
        Format::Json => "p.json",
    };
    let target = Target {
        name,
        text: partner,
        format,
    };
    import(&sources, &target, &rules(), options)
}

fn all() -> Vec<(&'static str, &'static str)> {
    vec![
        ("list.json", LIST),
        ("get.jsonl", GET),
        ("summaries.json", SUMMARIES),
    ]
}

/// The opportunities of a file's text, loaded.
fn loaded(text: &str, format: Format) -> Vec<crate::partner::Opportunity> {
    Partner::parse(text, format, "p", &rules())
        .unwrap_or_else(|error| panic!("{error}\n{text}"))
        .opportunities
}

fn find<'a>(
    opportunities: &'a [crate::partner::Opportunity],
    id: &str,
) -> &'a crate::partner::Opportunity {
    opportunities
        .iter()
        .find(|opportunity| opportunity.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn each_field_is_mapped_as_documented() {
    let report = run(&all(), PARTNER, Format::Toml, &options());
    let opportunities = loaded(&report.text, Format::Toml);
    let stages = [
        ("O1001", Stage::Prospect),
        ("O1002", Stage::Qualified),
        ("O1003", Stage::TechnicalValidation),
        ("O1004", Stage::BusinessValidation),
        ("O1005", Stage::Committed),
        ("O1006", Stage::Launched),
        ("O1007", Stage::ClosedLost),
        ("O1008", Stage::Launched),
        ("O1010", Stage::Launched),
    ];
    for (id, stage) in stages {
        assert_eq!(find(&opportunities, id).stage, stage, "{id}");
    }
    // Sandbox is skipped, and said so.
    assert!(
        opportunities
            .iter()
            .all(|opportunity| opportunity.id != "O1009")
    );
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].id, "O1009");
    // The hand-written opportunity is kept, as it was.
    assert_eq!(report.kept, vec!["H-1".to_owned()]);
    assert_eq!(find(&opportunities, "H-1").origin, Origin::Tagged);

    // Customer from `Customer.Account.CompanyName`.
    assert_eq!(
        find(&opportunities, "O1005").customer.as_deref(),
        Some("Committed Example Co")
    );
    // MRR: monthly AWS entries summed as decimals; the partner's own TCV
    // (`Self`, `None`) left out; an empty amount adds nothing, with a
    // warning; EUR without a rate leaves 0, with a warning.
    assert_eq!(find(&opportunities, "O1005").mrr_usd, Cents(135_049));
    assert_eq!(find(&opportunities, "O1003").mrr_usd, Cents(300_000));
    assert_eq!(find(&opportunities, "O1002").mrr_usd, Cents::ZERO);
    assert_eq!(find(&opportunities, "O1004").mrr_usd, Cents::ZERO);
    let warned = |id: &str, words: &str| {
        report
            .warnings
            .iter()
            .any(|warning| warning.id.as_deref() == Some(id) && warning.message.contains(words))
    };
    assert!(warned("O1002", "no amount"), "{:#?}", report.warnings);
    assert!(
        warned("O1004", "`EUR` with no rate"),
        "{:#?}",
        report.warnings
    );
    // Origins: the summary's, Marketplace links first, `partner` without a
    // summary (with a warning naming the ids).
    assert_eq!(find(&opportunities, "O1006").origin, Origin::AwsReferred);
    assert_eq!(find(&opportunities, "O1008").origin, Origin::Partner);
    assert_eq!(find(&opportunities, "O1010").origin, Origin::Marketplace);
    assert!(
        warned("O1010", "offer-example0001"),
        "{:#?}",
        report.warnings
    );
    assert_eq!(find(&opportunities, "O1001").origin, Origin::Partner);
    assert!(report.warnings.iter().any(|warning| warning.id.is_none()
        && warning.message.contains("get-aws-opportunity-summary")
        && warning.message.contains("`O1001`")));
    // A list with a `NextToken` is said to be incomplete.
    assert!(
        report
            .warnings
            .iter()
            .any(|warning| warning.message.contains("list.json")
                && warning.message.contains("NextToken"))
    );
    // Launch days from `TargetCloseDate`, marked as estimates; only launched
    // opportunities have one.
    let launched = find(&opportunities, "O1006");
    assert_eq!(launched.launched_on, Some(day("2026-02-27")));
    assert_eq!(
        launched.launched_on_source,
        Some(LaunchedOnSource::TargetCloseDate)
    );
    assert_eq!(find(&opportunities, "O1005").launched_on, None);
    assert_eq!(
        report.estimated,
        vec![(LaunchedOnSource::TargetCloseDate, 3)]
    );
    // O1008's target close (2026-03-15) is before its last change; O1006's
    // list record (last change 2026-03-03) is replaced by its newer
    // get-opportunity record; neither is warned about as late.
    assert!(!warned("O1008", "after its last change"));
}

#[test]
fn eur_is_converted_at_the_rate_given_rounded_once() {
    let rate: Rate = "1.0835".parse().unwrap_or_else(|error| panic!("{error}"));
    let options = Options {
        eur_usd: Some(rate),
        ..options()
    };
    let report = run(&all(), PARTNER, Format::Toml, &options);
    let opportunities = loaded(&report.text, Format::Toml);
    // 8400.50 EUR × 1.0835 = 9101.94175 USD → 9101.94.
    assert_eq!(find(&opportunities, "O1004").mrr_usd, Cents(910_194));
    assert!(
        report
            .warnings
            .iter()
            .all(|warning| warning.id.as_deref() != Some("O1004"))
    );
}

#[test]
fn rates_are_exact_decimals() {
    let cases = [
        ("1.08", Some(10_800)),
        ("1", Some(10_000)),
        ("0.5", Some(5_000)),
        ("0.000000001", Some(0)),
        ("0", None),
        ("-1", None),
        ("1e3", None),
        ("1000", None),
        ("1.0000000001", None),
        ("", None),
    ];
    for (text, converted) in cases {
        let rate = text.parse::<Rate>().ok();
        assert_eq!(rate.map(|rate| rate.convert(10_000)), converted, "{text}");
    }
    // Half a cent rounds up.
    let rate: Rate = "1.5".parse().unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(rate.convert(1), 2);
}

#[test]
fn every_timestamp_spelling_gives_the_same_day() {
    let options = Options {
        launched_on: LaunchedOnSource::LastModified,
        ..options()
    };
    let report = run(&all(), PARTNER, Format::Toml, &options);
    let opportunities = loaded(&report.text, Format::Toml);
    // Wire `…Z` (get-opportunity), CLI v2 `+00:00` and boto3's spaced form.
    assert_eq!(
        find(&opportunities, "O1006").launched_on,
        Some(day("2026-03-05"))
    );
    assert_eq!(
        find(&opportunities, "O1008").launched_on,
        Some(day("2026-04-01"))
    );
    assert_eq!(
        find(&opportunities, "O1010").launched_on,
        Some(day("2026-01-20"))
    );
    assert_eq!(
        find(&opportunities, "O1008").launched_on_source,
        Some(LaunchedOnSource::LastModified)
    );
}

#[test]
fn sandbox_records_come_in_when_asked() {
    let options = Options {
        sandbox: true,
        ..options()
    };
    let report = run(&all(), PARTNER, Format::Toml, &options);
    assert!(report.skipped.is_empty());
    let opportunities = loaded(&report.text, Format::Toml);
    assert_eq!(find(&opportunities, "O1009").stage, Stage::Launched);
}

#[test]
fn a_second_import_changes_nothing() {
    for (partner, format) in [
        (PARTNER.to_owned(), Format::Toml),
        (JSON_PARTNER.to_owned(), Format::Json),
    ] {
        let first = run(&all(), &partner, format, &options());
        assert!(first.changes_file());
        let second = run(&all(), &first.text, format, &options());
        assert!(!second.changes_file(), "{format:?}: {:#?}", second.changes);
        assert_eq!(second.text, first.text);
        assert!(
            second
                .changes
                .iter()
                .all(|change| change.action == Action::Unchanged)
        );
    }
}

#[test]
fn comments_and_other_tables_survive_byte_for_byte() {
    let report = run(&all(), PARTNER, Format::Toml, &options());
    let before_opportunities = PARTNER
        .find("[[opportunities]]")
        .unwrap_or_else(|| panic!("no opportunities"));
    let references = PARTNER
        .find("# The references")
        .unwrap_or_else(|| panic!("no references"));
    // Everything before the list, the hand-written table and everything
    // after the list are as they were.
    assert!(
        report.text.starts_with(&PARTNER[..references]),
        "{}",
        report.text
    );
    assert!(
        report.text.ends_with(&PARTNER[references..]),
        "{}",
        report.text
    );
    assert!(report.text[..before_opportunities].eq(&PARTNER[..before_opportunities]));
}

#[test]
fn an_updated_field_keeps_its_comment_and_a_hand_written_launch_day_stays() {
    let partner = PARTNER.replace(
        "origin = \"tagged\"\n",
        "origin = \"tagged\"\n\n[[opportunities]]\nid = \"O1005\"\nstage = \"prospect\" # was a prospect\nmrr_usd = 1.00\norigin = \"partner\"\n\n[[opportunities]]\nid = \"O1006\"\nstage = \"launched\"\nlaunched_on = 2026-02-01 # confirmed by the customer\norigin = \"aws-referred\"\n\n[[opportunities]]\nid = \"O1008\"\nstage = \"launched\"\nlaunched_on = \"2026-01-01\"\nlaunched_on_source = \"target-close-date\"\norigin = \"partner\"\n",
    );
    let report = run(&all(), &partner, Format::Toml, &options());
    assert!(
        report
            .text
            .contains("stage = \"committed\" # was a prospect\n"),
        "{}",
        report.text
    );
    // O1006's date has no source: written by hand, kept.
    assert!(
        report
            .text
            .contains("launched_on = 2026-02-01 # confirmed by the customer\n")
    );
    let opportunities = loaded(&report.text, Format::Toml);
    assert_eq!(
        find(&opportunities, "O1006").launched_on,
        Some(day("2026-02-01"))
    );
    assert_eq!(find(&opportunities, "O1006").launched_on_source, None);
    // O1008's has one: it is the import's, re-estimated (a string stays a string).
    assert!(
        report.text.contains("launched_on = \"2026-03-15\"\n"),
        "{}",
        report.text
    );
    let change = |id: &str| {
        report
            .changes
            .iter()
            .find(|change| change.id == id)
            .map(|change| change.action.clone())
    };
    let Some(Action::Updated(fields)) = change("O1005") else {
        panic!("O1005 not updated: {:?}", change("O1005"));
    };
    let named: Vec<&str> = fields.iter().map(|field| field.field).collect();
    assert_eq!(named, ["customer", "stage", "mrr_usd"]);
}

#[test]
fn inline_arrays_are_edited_in_place() {
    let partner = "opportunities = [\n  { id = \"O1001\", stage = \"qualified\", origin = \"partner\" }, # by hand\n]\n\n[partner]\nname = \"T\"\ntrack = \"consulting\"\ntier = \"select\"\nrenewal_date = 2026-09-01\n";
    let report = run(&all(), partner, Format::Toml, &options());
    let opportunities = loaded(&report.text, Format::Toml);
    assert_eq!(find(&opportunities, "O1001").stage, Stage::Prospect);
    assert_eq!(opportunities.len(), 9);
    assert!(report.text.ends_with("\n[partner]\nname = \"T\"\ntrack = \"consulting\"\ntier = \"select\"\nrenewal_date = 2026-09-01\n"), "{}", report.text);
    let again = run(&all(), &report.text, Format::Toml, &options());
    assert!(!again.changes_file());
}

#[test]
fn a_json_file_keeps_its_other_lists_as_written() {
    let report = run(&all(), JSON_PARTNER, Format::Json, &options());
    assert!(report.text.starts_with("{\n  \"partner\": {\"name\": \"T\", \"track\": \"consulting\", \"tier\": \"select\", \"renewal_date\": \"2026-09-01\"},\n  \"opportunities\": [\n    {\n"));
    assert!(
        report
            .text
            .contains("    {\"id\": \"H-1\",   \"stage\": \"prospect\", \"origin\": \"partner\"}")
    );
    assert!(
        report.text.ends_with("\n  ],\n  \"references\": []\n}\n"),
        "{}",
        report.text
    );
    let opportunities = loaded(&report.text, Format::Json);
    assert_eq!(find(&opportunities, "O1005").stage, Stage::Committed);
    assert_eq!(opportunities.len(), 10);
    // A file without the list gets one.
    let bare = "{\"partner\": {\"name\": \"T\", \"track\": \"consulting\", \"tier\": \"select\", \"renewal_date\": \"2026-09-01\"}}";
    let report = run(&all(), bare, Format::Json, &options());
    assert_eq!(loaded(&report.text, Format::Json).len(), 9);
}

/// The problem's file, line and message.
fn problems(inputs: &[(&str, &str)]) -> Vec<(String, Option<usize>, String)> {
    match try_run(inputs, PARTNER, Format::Toml, &options()) {
        Err(ImportError::Inputs(found)) => found
            .into_iter()
            .map(|problem| {
                (
                    problem.file,
                    problem.excerpt.map(|excerpt| excerpt.location.line),
                    problem.message,
                )
            })
            .collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn bad_input_is_reported_at_its_line() {
    let found = problems(&[(
        "a.json",
        "{\n  \"OpportunitySummaries\": [\n    {\"Id\": \"O1\",\n",
    )]);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].0.as_str(), found[0].1),
        ("a.json", Some(4)),
        "{found:?}"
    );
    assert!(found[0].2.starts_with("not JSON"), "{found:?}");

    let found = problems(&[("b.json", "\n\n{\"Opportunities\": []}\n")]);
    assert_eq!(found[0].1, Some(3));
    assert!(
        found[0].2.contains("not a Partner Central response"),
        "{found:?}"
    );

    let stage = LIST.replacen("\"Stage\": \"Committed\"", "\"Stage\": \"Closed Won\"", 1);
    let line = stage
        .lines()
        .position(|line| line.contains("Closed Won"))
        .map(|index| index + 1);
    let found = problems(&[("list.json", &stage)]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, line);
    assert!(
        found[0]
            .2
            .contains("unknown `LifeCycle.Stage` `Closed Won`"),
        "{found:?}"
    );

    let amount = LIST.replacen("\"Amount\": \"250.5\"", "\"Amount\": \"250.555\"", 1);
    let found = problems(&[("list.json", &amount)]);
    assert!(
        found[0].2.contains("`Amount` `250.555` is not an amount"),
        "{found:?}"
    );

    // Every problem is said, not only the first.
    let two = stage.replacen("\"Stage\": \"Prospect\"", "\"Stage\": \"Won\"", 1);
    assert_eq!(problems(&[("list.json", &two)]).len(), 2);
}

#[test]
fn a_launched_opportunity_without_its_date_is_an_error_unless_the_file_has_one() {
    let list = LIST.replacen(
        "\"TargetCloseDate\": \"2026-03-15\"",
        "\"NextSteps\": \"x\"",
        1,
    );
    let inputs = [("list.json", list.as_str())];
    let found = problems(&inputs);
    assert!(
        found[0]
            .2
            .contains("`O1008` is launched but has no `LifeCycle.TargetCloseDate`"),
        "{found:?}"
    );
    let partner = format!(
        "{PARTNER}\n[[opportunities]]\nid = \"O1008\"\nstage = \"launched\"\nlaunched_on = 2026-03-01\norigin = \"partner\"\n"
    );
    let report = run(&inputs, &partner, Format::Toml, &options());
    let opportunities = loaded(&report.text, Format::Toml);
    assert_eq!(
        find(&opportunities, "O1008").launched_on,
        Some(day("2026-03-01"))
    );
}

#[test]
fn a_byte_order_mark_is_kept() {
    for (partner, format) in [(PARTNER, Format::Toml), (JSON_PARTNER, Format::Json)] {
        let marked = format!("\u{feff}{partner}");
        let report = run(&all(), &marked, format, &options());
        assert!(report.text.starts_with('\u{feff}'), "{format:?}");
        assert_eq!(loaded(&report.text, format).len(), 10);
    }
}
