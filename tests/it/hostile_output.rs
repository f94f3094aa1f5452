//! Data that attacks its reader: partner, product and customer names and
//! file names holding every C0 control, DEL, a C1 control, bidi overrides,
//! U+FFFF, terminal escapes (window title, screen clear), a `\r` or `\n`
//! that would forge a row, `<!--`, backticks and markup. Every output is
//! read back: human text has no character that acts on a terminal and no
//! line the data started; Markdown by a CommonMark parser (no HTML, one row
//! per partner, each cell reading as the data); JUnit by an XML parser;
//! SARIF's URIs by a URL parser; GitHub commands line by line.

use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The injections, one per partner of the portfolio.
fn injections() -> Vec<String> {
    let controls: String = (0_u32..0x20)
        .chain([0x7f, 0x9b, 0x202e, 0x2066, 0x2028, 0xfffe, 0xffff])
        .filter_map(char::from_u32)
        .collect();
    [
        format!("all {controls} end"),
        "Title \u{1b}]0;pwned\u{7} clear \u{1b}[2J\u{1b}[H".to_owned(),
        "Ok\r| ✅ | FORGED | `x` | technology | select | select | select |  |".to_owned(),
        "Ok\nFORGED line".to_owned(),
        "Hide <!-- everything".to_owned(),
        "Ticks a`b``c ]]></testsuite> *b* _i_ [l](http://e.com) <b>&amp; | pipe".to_owned(),
        "# 1. heading".to_owned(),
    ]
    .into()
}

/// `text` as a TOML basic string, every non-printing character as `\uXXXX`.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || (c as u32) >= 0x80 && !c.is_alphanumeric() => {
                out.push_str(&format!("\\U{:08X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A file name from `text`: `/` and NUL are the only bytes a name cannot
/// hold; it is kept short.
fn file_name(index: usize, text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter(|&c| c != '/' && c != '\0')
        .take(60)
        .collect();
    format!("{index} {cleaned}.toml")
}

/// A directory of partners (the lapsed technology partner of `tests/cmd`,
/// renamed) whose names and file names are the injections.
fn portfolio(tag: &str) -> (PathBuf, Vec<(String, String)>) {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/gate/lapsed.toml"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{tag}"));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap_or_else(|error| panic!("{error}"));
    let mut partners = Vec::new();
    for (index, text) in injections().iter().enumerate() {
        let quoted = toml_string(text);
        let partner = base
            .replacen("name = \"Lapsed Software\"", &format!("name = {quoted}"), 1)
            .replacen("name = \"Lapsed Agent\"", &format!("name = {quoted}"), 1)
            .replace("customer = \"Acme Corp\"", &format!("customer = {quoted}"));
        assert_ne!(partner, base);
        let name = file_name(index, text);
        std::fs::write(directory.join(&name), partner).unwrap_or_else(|error| panic!("{error}"));
        partners.push((name, text.clone()));
    }
    (directory, partners)
}

fn apn_check(directory: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_apn-check"))
        .current_dir(directory)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|error| panic!("cannot run apn-check: {error}"));
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// What acts on a terminal or on the order of text around it.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}')
}

/// The output holds no hidden character but line breaks (and, when
/// coloured, colour escapes), and no line the data started.
fn assert_safe_for_a_terminal(what: &str, text: &str, coloured: bool) {
    let mut rest = text;
    while let Some(index) = rest.find(|c: char| c != '\n' && hidden(c)) {
        let from = &rest[index..];
        let colour = from
            .strip_prefix("\u{1b}[")
            .map(|after| after.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';'))
            .filter(|after| after.starts_with('m'));
        match colour {
            Some(after) if coloured => rest = &after[1..],
            _ => panic!(
                "{what}: a hidden character at {:?}\n{text}",
                &from[..from.len().min(20)]
            ),
        }
    }
    for line in text.lines() {
        assert!(
            !line.starts_with("FORGED") && !line.starts_with("| ✅ | FORGED"),
            "{what}: the data started a line: {line:?}\n{text}"
        );
    }
}

#[test]
fn people_see_the_data_escaped_in_every_human_output() {
    let (directory, partners) = portfolio("human");
    let first = partners[0].0.as_str();
    let runs: Vec<Vec<&str>> = vec![
        vec!["score", first, "--as-of", "2019-11-01"],
        vec!["score", first, "--as-of", "2019-11-01", "--forecast"],
        vec!["score", ".", "--as-of", "2019-11-01"],
        vec!["score", ".", "--as-of", "2019-11-01", "--detail"],
        vec!["score", ".", "--as-of", "2019-11-01", "-q"],
        vec!["explain", first, "--as-of", "2019-11-01"],
        vec!["plan", first, "--as-of", "2019-11-01"],
        vec![
            "history",
            first,
            "--from",
            "2019-01-01",
            "--to",
            "2019-12-31",
        ],
        vec!["validate", "."],
    ];
    for args in &runs {
        for colour in ["never", "always"] {
            let mut args = args.clone();
            if matches!(args[0], "score" | "explain") {
                args.extend(["--color", colour]);
            }
            let (code, out, err) = apn_check(&directory, &args);
            assert!(matches!(code, Some(0 | 1)), "{args:?}: {code:?} {err}");
            assert!(!out.is_empty(), "{args:?}");
            assert_safe_for_a_terminal(&format!("{args:?}"), &out, colour == "always");
            assert_safe_for_a_terminal(&format!("{args:?} stderr"), &err, colour == "always");
        }
    }
    // The names are there, escaped: a line break as `\n`, an escape as `\u{1b}`.
    let (_, out, _) = apn_check(&directory, &["score", ".", "--as-of", "2019-11-01", "-q"]);
    assert!(out.contains("Ok\\nFORGED line"), "{out}");
    assert!(out.contains("Title \\u{1b}]0;pwned\\u{7}"), "{out}");
}

#[test]
fn errors_show_file_names_and_lines_escaped() {
    let (directory, partners) = portfolio("errors");
    for (name, _) in &partners {
        let path = directory.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{error}"));
        // A control character in a bare value: the caret line shows it.
        std::fs::write(&path, text.replacen("track = ", "track = \u{1b}[2J", 1))
            .unwrap_or_else(|error| panic!("{error}"));
    }
    for args in [vec!["score", "."], vec!["validate", "."]] {
        let (code, out, err) = apn_check(&directory, &args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert_safe_for_a_terminal(&format!("{args:?}"), &out, false);
        assert_safe_for_a_terminal(&format!("{args:?} stderr"), &err, false);
        assert_eq!(
            err.matches("error: ").count(),
            partners.len(),
            "one error per file: {err}"
        );
    }
    // A file that cannot be read names itself escaped.
    let missing = "gone \u{1b}[2J\u{7}.toml";
    let (code, _, err) = apn_check(&directory, &["score", missing]);
    assert_eq!(code, Some(2));
    assert_safe_for_a_terminal("missing file", &err, false);
    assert!(err.contains("gone \\u{1b}[2J\\u{7}.toml"), "{err}");
}

/// What a Markdown reader sees of `text` as the report writes it.
fn as_read(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if hidden(c) || c == '\u{61c}' || c == '\u{200e}' || c == '\u{200f}' => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

#[test]
fn markdown_reads_back_as_the_data_says() {
    let (directory, partners) = portfolio("markdown");
    let (code, markdown, err) = apn_check(
        &directory,
        &[
            "score",
            ".",
            "--as-of",
            "2019-11-01",
            "--format",
            "markdown",
            "--detail",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut tables = 0;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell: Option<String> = None;
    let mut headings = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(&markdown, options) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                panic!("the data made HTML: {html:?}\n{markdown}")
            }
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::TableRow) if tables == 1 => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(text), Some(row)) = (cell.take(), rows.last_mut())
                    && tables == 1
                {
                    row.push(text);
                }
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(cell) = cell.as_mut() {
                    cell.push_str(&text);
                }
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                panic!("the data made markup\n{markdown}")
            }
            _ => {}
        }
    }
    assert_eq!(
        tables,
        1 + partners.len(),
        "a summary and a table per partner"
    );
    assert_eq!(
        rows.len(),
        partners.len(),
        "one row per partner\n{markdown}"
    );
    let mut expected: Vec<(String, String)> = partners
        .iter()
        .map(|(file, name)| (as_read(name), as_read(file)))
        .collect();
    let mut found: Vec<(String, String)> = rows
        .iter()
        .map(|row| {
            let file = row[2].trim();
            (
                row[1].trim().to_owned(),
                file.trim_start_matches("./").to_owned(),
            )
        })
        .collect();
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "{markdown}");
    assert_eq!(headings.len(), 1 + partners.len(), "{headings:?}");
}

#[test]
fn junit_sarif_and_github_read_back_whatever_the_names() {
    let (directory, partners) = portfolio("machine");
    let as_of = ["--as-of", "2019-11-01"];
    let run = |format: &str| {
        let mut args = vec!["score", ".", "--format", format];
        args.extend(as_of);
        let (code, out, err) = apn_check(&directory, &args);
        assert_eq!(code, Some(1), "{format}: {err}");
        out
    };

    let junit = run("junit");
    let mut reader = quick_xml::Reader::from_str(&junit);
    let mut suites = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(element))
                if element.name().into_inner() == "testsuite" =>
            {
                suites += 1;
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("not XML: {error}\n{junit}"),
        }
    }
    assert_eq!(suites, partners.len());

    let sarif: serde_json::Value =
        serde_json::from_str(&run("sarif")).unwrap_or_else(|error| panic!("{error}"));
    crate::common::assert_valid_sarif(&sarif);
    let base = url::Url::parse("file:///work/").unwrap_or_else(|error| panic!("{error}"));
    let mut uris = Vec::new();
    for result in sarif["runs"][0]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results"))
    {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_else(|| panic!("a uri in {result}"));
        let joined = base
            .join(uri)
            .unwrap_or_else(|error| panic!("`{uri}` is not a URI reference: {error}"));
        assert_eq!(
            joined.path(),
            format!("/work/{}", uri.trim_start_matches("./")),
            "a URL parser changed `{uri}`"
        );
        let decoded = percent_encoding::percent_decode_str(uri)
            .decode_utf8()
            .unwrap_or_else(|error| panic!("{error}"));
        uris.push(decoded.trim_start_matches("./").to_owned());
    }
    for (file, _) in &partners {
        assert!(uris.contains(file), "`{file}` in {uris:?}");
    }

    let github = run("github");
    for line in github.lines() {
        assert!(line.starts_with("::"), "a line the data started: {line:?}");
        assert!(!line.chars().any(hidden), "{line:?}");
    }
    assert_eq!(
        github
            .lines()
            .filter(|line| line.starts_with("::error"))
            .count(),
        partners.len(),
        "{github}"
    );
}
