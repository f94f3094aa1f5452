//! The bad-input corpus of `tests/bad-inputs/`: every malformed partner file
//! (`partner/`) and rule file (`rules/`) exits 2 with nothing on stdout, no
//! panic, a message of bounded size, and exactly the error in its `.stderr`
//! snapshot; the files in `accepted/` (a BOM, CRLF line endings, `-0`, the
//! old tier name, a JSON `_comment` or `$schema`) and `rules-accepted/` are scored. Cases
//! too large to keep in the repository (a 10 MB string, a total that would
//! overflow, deep nesting, a file over the size limit) are written at test
//! time into a scratch folder and checked against `generated/`.
//!
//! `APN_CHECK_BLESS=1 cargo test --test it bad_inputs` rewrites the snapshots
//! after a deliberate change; review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The most a single error may print, so that huge input never floods it.
const MAX_STDERR: usize = 4096;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs")
}

fn files(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("{}: {error}", directory.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| !name.ends_with(".stderr"))
        .collect();
    names.sort();
    names
}

/// Runs apn-check in `directory`; returns (exit status, stdout, stderr).
fn run(directory: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .current_dir(directory)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"));
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Checks one refused input against its snapshot; returns a difference, if any.
fn refused(directory: &Path, file: &str, args: &[&str], snapshot: &Path) -> Option<String> {
    let (status, stdout, stderr) = run(directory, args);
    if stderr.contains("panicked") || status == Some(101) {
        return Some(format!("{file}: panicked:\n{stderr}"));
    }
    if status != Some(2) || !stdout.is_empty() {
        return Some(format!(
            "{file}: exit {status:?}, stdout {:?}",
            stdout.chars().take(200).collect::<String>()
        ));
    }
    if stderr.len() > MAX_STDERR || !stderr.starts_with("error: ") {
        return Some(format!(
            "{file}: stderr of {} bytes: {}",
            stderr.len(),
            stderr.chars().take(300).collect::<String>()
        ));
    }
    if std::env::var_os("APN_CHECK_BLESS").is_some() {
        std::fs::write(snapshot, &stderr).unwrap_or_else(|error| panic!("{error}"));
        return None;
    }
    match std::fs::read_to_string(snapshot) {
        Ok(expected) if expected == stderr => None,
        Ok(expected) => Some(format!("{file}: expected\n{expected}got\n{stderr}")),
        Err(_) => Some(format!(
            "{file}: no snapshot {}; got\n{stderr}",
            snapshot.display()
        )),
    }
}

#[test]
fn malformed_partner_files_are_refused_with_their_error() {
    let root = corpus();
    let names = files(&root.join("partner"));
    assert!(
        names.len() >= 40,
        "the corpus holds {} partner files",
        names.len()
    );
    let differences: Vec<String> = names
        .iter()
        .filter_map(|name| {
            let relative = format!("partner/{name}");
            let args = ["score", "--as-of", "2019-11-01", relative.as_str()];
            refused(
                &root,
                &relative,
                &args,
                &root.join(format!("partner/{name}.stderr")),
            )
        })
        .collect();
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}

#[test]
fn malformed_rule_files_are_refused_with_their_error() {
    let root = corpus();
    let names = files(&root.join("rules"));
    assert!(
        names.len() >= 10,
        "the corpus holds {} rule files",
        names.len()
    );
    let differences: Vec<String> = names
        .iter()
        .filter_map(|name| {
            let relative = format!("rules/{name}");
            let args = ["rules", "--rules", relative.as_str()];
            refused(
                &root,
                &relative,
                &args,
                &root.join(format!("rules/{name}.stderr")),
            )
        })
        .collect();
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}

#[test]
fn accepted_oddities_are_scored() {
    let root = corpus();
    for name in files(&root.join("accepted")) {
        let relative = format!("accepted/{name}");
        let (status, stdout, stderr) = run(
            &root,
            &["score", "--json", "--as-of", "2019-11-01", &relative],
        );
        assert!(
            matches!(status, Some(0 | 1)),
            "{relative}: exit {status:?}: {stderr}"
        );
        assert!(stderr.is_empty(), "{relative}: {stderr}");
        assert!(
            stdout.contains("\"partner\": \"Broken Example\""),
            "{relative}"
        );
    }
    for name in files(&root.join("rules-accepted")) {
        let relative = format!("rules-accepted/{name}");
        let (status, _, stderr) = run(&root, &["rules", "--rules", &relative]);
        assert_eq!(status, Some(0), "{relative}: {stderr}");
    }
}

const HEADER: &str = "[partner]\nname = \"Broken Example\"\ntrack = \"consulting\"\ntier = \"select\"\nrenewal_date = 2020-01-01\n";

/// Writes the generated cases into a scratch folder; (file, extra arguments).
fn generated_cases(scratch: &Path) -> Vec<(String, Vec<String>)> {
    let folder = scratch.join("generated");
    std::fs::create_dir_all(&folder).unwrap_or_else(|error| panic!("{error}"));
    let write = |name: &str, text: &str| {
        std::fs::write(folder.join(name), text).unwrap_or_else(|error| panic!("{error}"));
        format!("generated/{name}")
    };
    let mut cases = Vec::new();
    // A 10 MB string where a date belongs: the message and the excerpt stay short.
    let huge = format!(
        "{HEADER}\n[[fee_payments]]\npaid_on = \"{}\"\namount_usd = 2500\n",
        "9".repeat(10 << 20)
    );
    cases.push((write("huge-string.toml", &huge), Vec::new()));
    // Amounts whose total does not fit: an error, not a wrap or an infinity.
    let payment = "[[fee_payments]]\npaid_on = 2019-03-01\namount_usd = 999999999999.99\n";
    let overflow = format!("{HEADER}\n{}", payment.repeat(92_300));
    cases.push((write("money-total-overflow.toml", &overflow), Vec::new()));
    // Nesting deeper than the parsers allow.
    let deep_toml = format!(
        "{HEADER}domains = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    cases.push((write("deep-nesting.toml", &deep_toml), Vec::new()));
    let deep_json = format!(
        "{{\"partner\": {{\"name\": \"Broken Example\", \"track\": \"consulting\", \"tier\": \"select\", \"renewal_date\": \"2020-01-01\"}}, \"_comment\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    cases.push((write("deep-nesting.json", &deep_json), Vec::new()));
    // A file over the size limit fails before it is read.
    let padded = format!("{HEADER}{}", "# padding\n".repeat(300));
    cases.push((
        write("over-size-limit.toml", &padded),
        vec!["--max-file-size".to_owned(), "2KiB".to_owned()],
    ));
    // Rule files: each case scores a good partner file with `--rules`.
    let partner = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/gate/lapsed.toml"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let embedded =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/apn-2019.toml"))
            .unwrap_or_else(|error| panic!("{error}"));
    let rule_case = |name: &str, rules: &str| {
        let rules_file = write(&format!("{name}.rules.toml"), rules);
        (
            write(&format!("{name}.toml"), &partner),
            vec!["--rules".to_owned(), rules_file],
        )
    };
    // 20,000 certifications, the last repeating the first's name: the
    // checks are lookups, so this is refused at once, not in minutes.
    let mut many = embedded.clone();
    many.push_str(&many_certifications(20_000));
    many.push_str(
        "\n[[certifications]]\nid = \"again\"\nname = \"Extra Certification 0\"\nlevel = \"associate\"\n",
    );
    cases.push(rule_case("rules-20000-certifications", &many));
    // A megabyte id, given twice: the message quotes it cut.
    let long_id = "x".repeat(1 << 20);
    let twice = format!(
        "{embedded}\n[[certifications]]\nid = \"{long_id}\"\nname = \"One\"\nlevel = \"associate\"\n\n[[certifications]]\nid = \"{long_id}\"\nname = \"Two\"\nlevel = \"associate\"\n"
    );
    cases.push(rule_case("rules-megabyte-id", &twice));
    // A megabyte credit type on a credit whose amount is wrong.
    let credit = format!(
        "{HEADER}\n[[revenue]]\naccount_id = \"111111111111\"\nbilled_on = 2019-05-31\namount_usd = 100\ncredits = [{{ type = \"{}\", amount_usd = \"$800\" }}]\n",
        "m".repeat(1 << 20)
    );
    cases.push((write("megabyte-credit-type.toml", &credit), Vec::new()));
    cases
}

/// `count` certifications in rule-file form, after the embedded catalog.
pub fn many_certifications(count: usize) -> String {
    (0..count)
        .map(|index| {
            format!(
                "\n[[certifications]]\nid = \"extra-{index}\"\nname = \"Extra Certification {index}\"\nlevel = \"specialty\"\n"
            )
        })
        .collect()
}

#[test]
fn a_rule_file_of_20000_certifications_is_read() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-inputs");
    std::fs::create_dir_all(&scratch).unwrap_or_else(|error| panic!("{error}"));
    let mut rules =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/apn-2019.toml"))
            .unwrap_or_else(|error| panic!("{error}"));
    rules.push_str(&many_certifications(20_000));
    std::fs::write(scratch.join("many.rules.toml"), rules)
        .unwrap_or_else(|error| panic!("{error}"));
    let partner = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/gate/lapsed.toml");
    let partner = partner.to_string_lossy();
    let (status, stdout, stderr) = run(
        &scratch,
        &[
            "score",
            "--rules",
            "many.rules.toml",
            "--as-of",
            "2019-11-01",
            "-q",
            &partner,
        ],
    );
    assert_eq!(status, Some(1), "{stderr}");
    assert!(stdout.contains("does NOT meet select"), "{stdout}");
}

#[test]
fn generated_inputs_are_refused_with_their_error() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-inputs");
    let root = corpus();
    let differences: Vec<String> = generated_cases(&scratch)
        .into_iter()
        .filter_map(|(file, extra)| {
            let mut args = vec![
                "score".to_owned(),
                "--as-of".to_owned(),
                "2019-11-01".to_owned(),
                file.clone(),
            ];
            args.extend(extra);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            refused(&scratch, &file, &args, &root.join(format!("{file}.stderr")))
        })
        .collect();
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}
