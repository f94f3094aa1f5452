//! Unit tests of loading partner files: defaults, located errors, checks.

use super::*;
use crate::error::LoadError;
use crate::rules::RuleSet;

fn rules() -> RuleSet {
    RuleSet::embedded().unwrap_or_else(|error| panic!("{error}"))
}

const MINIMAL: &str = "[partner]\nname = \"P\"\ntrack = \"consulting\"\ntier = \"select\"\nrenewal_date = 2020-01-01\n";

fn error_of(text: &str, format: Format) -> String {
    match Partner::parse(text, format, "p", &rules()) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn minimal_file_loads_with_defaults() {
    let partner = Partner::parse(MINIMAL, Format::Toml, "p", &rules());
    let partner = partner.unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(partner.info.tier, Tier::Select);
    assert!(partner.people.is_empty() && partner.business_plan.is_none());
}

#[test]
fn bad_records_are_refused_with_a_located_message() {
    let cases = [
        (
            "[[people]]\nemail = \"a@x\"\nnmae = \"A\"\n",
            "`p` line 9, column 1: unknown field `nmae`",
        ),
        (
            "[[opportunities]]\nid = \"O-1\"\nstage = \"launched\"\norigin = \"partner\"\n",
            "launched but has no `launched_on`",
        ),
        (
            "[[opportunities]]\nid = \"O-1\"\nstage = \"committed\"\nlaunched_on = 2019-01-01\norigin = \"partner\"\n",
            "its stage is not `launched`",
        ),
        (
            "[[opportunities]]\nid = \"O-1\"\nstage = \"won\"\norigin = \"partner\"\n",
            "unknown value `won`; expected one of `prospect`",
        ),
        (
            "[[fee_payments]]\npaid_on = 2019-01-01\namount_usd = -5.0\n",
            "amount `-5` is negative",
        ),
        (
            "[[fee_payments]]\npaid_on = 2019-02-30\namount_usd = 5.0\n",
            "`p` line 8, column 11: invalid date",
        ),
        (
            "[[validations]]\nprogram = \"competency\"\nachieved_on = 2019-01-01\n",
            "competency validation needs a `name`",
        ),
    ];
    for (extra, expected) in cases {
        let message = error_of(&format!("{MINIMAL}\n{extra}"), Format::Toml);
        assert!(
            message.contains(expected),
            "{message}\nshould contain {expected}"
        );
    }
}

/// The check that fails and the line of the record that breaks it.
fn problem_of(text: &str) -> (crate::error::PartnerProblem, Option<usize>) {
    match Partner::parse(text, Format::Toml, "p", &rules()) {
        Err(LoadError::Invalid {
            problem, excerpt, ..
        }) => (problem, excerpt.map(|excerpt| excerpt.location.line)),
        Err(other) => panic!("not a check's error: {other}"),
        Ok(_) => panic!("accepted:\n{text}"),
    }
}

#[test]
fn semantic_errors_name_the_record() {
    use crate::error::PartnerProblem;
    // MINIMAL is five lines and a blank line; the extra records start on 7.
    let opportunity =
        "[[opportunities]]\nid = \"O-7\"\nstage = \"prospect\"\norigin = \"partner\"\n";
    let cases = [
        (
            format!("{opportunity}{opportunity}"),
            PartnerProblem::OpportunityTwice { id: "O-7".into() },
            11,
        ),
        (
            "[[people]]\nemail = \"A@x\"\n[[people]]\nemail = \"a@X \"\n".to_owned(),
            PartnerProblem::PersonTwice {
                email: "a@x".into(),
            },
            9,
        ),
        (
            "[[people]]\nemail = \"a@x\"\n[[people]]\nemail = \"b@x\"\ntc_email = \"A@x\"\n".to_owned(),
            PartnerProblem::EmailShared {
                address: "a@x".into(),
                first: "a@x".into(),
                second: "b@x".into(),
            },
            9,
        ),
        (
            "[[people]]\nemail = \"a@x\"\n[[people.certifications]]\ncert = \"solutions-architect-pro\"\nearned_on = 2019-01-01\n".to_owned(),
            PartnerProblem::UnknownCertification {
                person: "a@x".into(),
                certification: "solutions-architect-pro".into(),
                closest: rules()
                    .program
                    .closest_certifications("solutions-architect-pro")
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            },
            9,
        ),
        (
            "[[opportunities]]\nid = \"O-8\"\nstage = \"launched\"\norigin = \"partner\"\n".to_owned(),
            PartnerProblem::LaunchedWithoutDate { id: "O-8".into() },
            7,
        ),
        (
            "[[validations]]\nprogram = \"competency\"\nachieved_on = 2019-01-01\n".to_owned(),
            PartnerProblem::UnnamedValidation {
                program: "a competency",
                example: "Migration",
            },
            7,
        ),
    ];
    for (extra, expected, line) in cases {
        let (problem, at) = problem_of(&format!("{MINIMAL}\n{extra}"));
        assert_eq!(problem, expected);
        assert_eq!(at, Some(line), "{problem}");
    }
    let message = error_of(
        &format!(
            "{MINIMAL}\n[[people]]\nemail = \"a@x\"\n[[people.certifications]]\ncert = \"solutions-architect-pro\"\nearned_on = 2019-01-01\n"
        ),
        Format::Toml,
    );
    assert!(
        message.contains("certification `solutions-architect-pro` is not in the rule file's catalog; closest: `solutions-architect-professional`"),
        "{message}"
    );
    let premier = MINIMAL
        .replace("consulting", "technology")
        .replace("select", "premier");
    let (problem, at) = problem_of(&premier);
    assert!(
        matches!(&problem, PartnerProblem::NoSuchTier { tier: Tier::Premier, track: Track::Technology, expected, .. } if !expected.contains(&"premier".to_owned())),
        "{problem:?}"
    );
    assert_eq!(at, Some(4));
    assert!(
        problem
            .to_string()
            .contains("track `technology` has no tier `premier`"),
        "{problem}"
    );
}

#[test]
fn json_errors_carry_line_and_column() {
    let text = "{\n  \"partner\": {\"name\": \"P\", \"track\": \"consulting\", \"tier\": \"select\",\n  \"renewal_date\": \"2020-01-01\", \"colour\": 1}\n}";
    let message = error_of(text, Format::Json);
    assert!(message.starts_with("`p` line 3, column "), "{message}");
    assert!(message.contains("unknown field `colour`"), "{message}");
}

#[test]
fn json_top_level_must_be_an_object() {
    for (text, expected) in [
        ("[1]", "the top level is an array"),
        ("", "line 1, column 1: there is no JSON here"),
    ] {
        let message = error_of(text, Format::Json);
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = format!("\u{feff}{}", MINIMAL.replace('\n', "\r\n"));
    assert!(Partner::parse(&text, Format::Toml, "p", &rules()).is_ok());
}

#[test]
fn money_totals_must_fit() {
    let line = "[[fee_payments]]\npaid_on = 2019-01-01\namount_usd = 999999999999.0\n";
    let text = format!("{MINIMAL}\n{}", line.repeat(100_000));
    let message = error_of(&text, Format::Toml);
    assert!(message.contains("add up to more than"), "{message}");
}

#[test]
fn lines_of_tables() {
    let toml = "[partner]\nname = \"people and opportunities\"\n\n[[people]]\nemail = \"a@b\"\n[[ opportunities ]]\nid = \"x\"\nreferences = []\n";
    let json = "{\"partner\": {\"name\": \"people\"},\n  \"people\": [],\n \"opportunities\" : [{\"id\": \"references\"}]}\n";
    let minified = "{\"partner\":{\"name\":\"x\"},\"people\":[]}";
    let cases = [
        (toml, Format::Toml, "partner", Some(1)),
        (toml, Format::Toml, "people", Some(4)),
        (toml, Format::Toml, "opportunities", Some(6)),
        (toml, Format::Toml, "references", Some(8)),
        (toml, Format::Toml, "csat_responses", None),
        (json, Format::Json, "partner", Some(1)),
        (json, Format::Json, "people", Some(2)),
        (json, Format::Json, "opportunities", Some(3)),
        (json, Format::Json, "references", None),
        (minified, Format::Json, "people", Some(1)),
    ];
    for (text, format, key, expected) in cases {
        assert_eq!(
            line_of_table(text, format, key),
            expected,
            "{key} in {text:?}"
        );
    }
}

/// The line an error names: "`p` line N, ...".
fn line_of(message: &str) -> Option<usize> {
    message
        .strip_prefix("`p` line ")?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[test]
fn a_later_bad_record_is_located_at_itself() {
    // (good record, bad record, what the message says), of one list.
    let cases = [
        (
            "[[opportunities]]\nid = \"O-{n}\"\nstage = \"launched\"\nlaunched_on = 2019-01-01\norigin = \"partner\"\n",
            "[[opportunities]]\nid = \"O-bad\"\nstage = \"launched\"\norigin = \"partner\"\n",
            "opportunity `O-bad` is launched but has no `launched_on`",
        ),
        (
            "[[opportunities]]\nid = \"O-{n}\"\nstage = \"prospect\"\norigin = \"partner\"\n",
            "[[opportunities]]\nid = \"O-bad\"\nstage = \"prospect\"\nlaunched_on = 2019-01-01\norigin = \"partner\"\n",
            "its stage is not `launched`",
        ),
        (
            "[[references]]\ncustomer = \"C{n}\"\nvia = \"legacy\"\nsubmitted_on = 2019-01-01\n",
            "[[references]]\ncustomer = \"Bad\"\nvia = \"ace\"\nsubmitted_on = 2019-01-01\n",
            "reference for `Bad` is via `ace` but names no `opportunity`",
        ),
        (
            "[[validations]]\nprogram = \"competency\"\nname = \"C{n}\"\nachieved_on = 2019-01-01\n",
            "[[validations]]\nprogram = \"competency\"\nachieved_on = 2019-01-01\n",
            "competency validation needs a `name`",
        ),
    ];
    for (good, bad, expected) in cases {
        let goods: String = (0..3)
            .map(|n| good.replace("{n}", &n.to_string()))
            .collect();
        let text = format!("{MINIMAL}\n{goods}{bad}");
        let bad_line = text.lines().count() - bad.lines().count() + 1;
        let message = error_of(&text, Format::Toml);
        assert!(message.contains(expected), "{message}");
        assert_eq!(line_of(&message), Some(bad_line), "{message}\n{text}");

        // The same records in JSON, one per line: the bad one is the last.
        let parsed: toml::Table = toml::from_str(&text).unwrap_or_else(|error| panic!("{error}"));
        let (list, records) = parsed
            .iter()
            .find(|(key, _)| *key != "partner")
            .unwrap_or_else(|| panic!("no list"));
        let lines: Vec<String> = records
            .as_array()
            .unwrap_or_else(|| panic!("not a list"))
            .iter()
            .map(|record| serde_json::to_string(record).unwrap_or_default())
            .collect();
        let json = format!(
            "{{\n\"partner\": {{\"name\": \"P\", \"track\": \"consulting\", \"tier\": \"select\", \"renewal_date\": \"2020-01-01\"}},\n\"{list}\": [\n{}\n]\n}}",
            lines.join(",\n")
        );
        let message = error_of(&json, Format::Json);
        assert!(message.contains(expected), "{message}");
        assert_eq!(
            line_of(&message),
            Some(3 + lines.len()),
            "{message}\n{json}"
        );

        // The same records as an inline TOML list, one table per line.
        let tables: Vec<String> = records
            .as_array()
            .unwrap_or_else(|| panic!("not a list"))
            .iter()
            .map(toml::Value::to_string)
            .collect();
        let inline = format!("{list} = [\n{}\n]\n{MINIMAL}", tables.join(",\n"));
        let message = error_of(&inline, Format::Toml);
        assert!(message.contains(expected), "{message}");
        assert_eq!(
            line_of(&message),
            Some(1 + tables.len()),
            "{message}\n{inline}"
        );
    }
}

/// A TOML file read record by record (a person's certifications and
/// accreditations apart from it) is the partner `toml` reads whole; so is
/// the same file with its lists written inline at the root
/// (`people = [{...}]`), read table by table (every TOML example and vector
/// that loads).
#[test]
fn inline_lists_read_as_their_records() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for folder in [
        "examples",
        "examples/partner-central",
        "tests/vectors",
        "tests/vectors/generated",
    ] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap_or_else(|error| panic!("{error}"))
        {
            let path = entry.unwrap_or_else(|error| panic!("{error}")).path();
            if path
                .extension()
                .is_some_and(|extension| extension == "toml")
            {
                paths.push(path);
            }
        }
    }
    let mut checked = 0;
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{error}"));
        let Ok(expected) = Partner::parse(&text, Format::Toml, "p", &rules()) else {
            continue;
        };
        assert_eq!(
            Partner::parse_toml_whole(&text, &rules()).as_ref(),
            Some(&expected),
            "{}: read whole",
            path.display()
        );
        let mut table: toml::Table =
            toml::from_str(&text).unwrap_or_else(|error| panic!("{error}"));
        let mut inline = String::new();
        for list in super::toml_pieces::LISTS {
            let Some(toml::Value::Array(records)) = table.remove(list) else {
                continue;
            };
            inline.push_str(&format!("{list} = [ # {} records\n", records.len()));
            for record in &records {
                inline.push_str(&format!("  {record},\n"));
            }
            inline.push_str("]\n");
        }
        let inline = format!(
            "{inline}{}",
            toml::to_string(&table).unwrap_or_else(|error| panic!("{error}"))
        );
        let pieces = super::toml_pieces::Pieces::split(&inline)
            .unwrap_or_else(|| panic!("not cut:\n{inline}"));
        assert!(
            pieces
                .records
                .iter()
                .all(|piece| piece.form == super::toml_pieces::Form::Inline)
        );
        let found = Partner::parse(&inline, Format::Toml, "p", &rules())
            .unwrap_or_else(|error| panic!("{}: {error}\n{inline}", path.display()));
        assert_eq!(found, expected, "{}:\n{inline}", path.display());
        assert!(
            pieces.records.iter().any(|piece| !piece.parts().is_empty())
                || found
                    .people
                    .iter()
                    .all(|person| person.certifications.is_empty()),
            "{}: a person's certifications are cut out of it",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} files");
}
