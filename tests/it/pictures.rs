//! The pictures as a reader gets them: each SVG is well-formed XML (read
//! to the end by quick-xml) with one bar per checklist, one node per
//! designation, one line per requirement; the DOT names every designation.

use std::path::{Path, PathBuf};

use apn_check::competency::Catalog;

use crate::common::run;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The SVG's elements by name, counted; panics when it is not well-formed.
fn elements(svg: &str) -> std::collections::BTreeMap<String, usize> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut counts = std::collections::BTreeMap::new();
    let mut depth = 0_i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(element)) => {
                depth += 1;
                *counts.entry(element.name().0.to_owned()).or_insert(0) += 1;
            }
            Ok(quick_xml::events::Event::Empty(element)) => {
                *counts.entry(element.name().0.to_owned()).or_insert(0) += 1;
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("not well-formed: {error}\n{svg}"),
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    counts
}

fn stdout(args: &[&str]) -> String {
    let output = run(&root(), args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_chart_has_a_bar_per_checklist_of_its_path() {
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    for (args, path) in [
        (vec!["competencies", "chart"], None),
        (
            vec!["competencies", "chart", "--path", "consulting"],
            Some(apn_check::competency::CatalogPath::Consulting),
        ),
    ] {
        let svg = stdout(&args);
        elements(&svg);
        let checklists = apn_check::report::picture::chart_checklists(&catalog, path);
        // Each bar is named by its checklist's id, in a text of its own.
        for index in &checklists {
            let id = &catalog.checklists[*index].id;
            assert!(svg.contains(&format!("\n{id}\n</text>")), "{id} has no bar");
        }
        // Each bar's segments: its blocks and its own prefixes.
        let segments: usize = checklists
            .iter()
            .map(|index| {
                let checklist = &catalog.checklists[*index];
                let mut prefixes: Vec<&str> = checklist
                    .own
                    .iter()
                    .map(|identity| {
                        apn_check::competency::id::prefix(&catalog.requirements[*identity].id)
                    })
                    .collect();
                prefixes.sort_unstable();
                prefixes.dedup();
                checklist.blocks.len() + prefixes.len()
            })
            .sum();
        let mut blocks: Vec<usize> = checklists
            .iter()
            .flat_map(|index| catalog.checklists[*index].blocks.iter().copied())
            .collect();
        blocks.sort_unstable();
        blocks.dedup();
        // Rectangles: the background, the segments, the legend's swatches.
        assert_eq!(
            elements(&svg)["rect"],
            1 + segments + blocks.len(),
            "{args:?}"
        );
    }
    let software = stdout(&["competencies", "chart", "--path", "software"]);
    assert!(!software.contains("\naws-waf\n</text>"));
}

#[test]
fn the_graph_has_a_node_per_designation_in_svg_and_dot() {
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    let svg = stdout(&["competencies", "graph"]);
    assert_eq!(elements(&svg)["circle"], catalog.checklists.len());
    let dot = stdout(&["competencies", "graph", "--format", "dot"]);
    assert!(dot.starts_with("graph designations {"));
    for checklist in &catalog.checklists {
        assert!(dot.contains(&format!("  \"{}\" [label=", checklist.id)));
    }
    // An edge per pair that shares requirements.
    let all: Vec<usize> = (0..catalog.checklists.len()).collect();
    let sharing = apn_check::competency::path::overlap(&catalog, &all)
        .pairs
        .iter()
        .filter(|pair| pair.shared > 0)
        .count();
    assert_eq!(dot.matches(" -- ").count(), sharing);
    // The extension chooses the format; a disagreeing --format is refused.
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = directory.path().join("g.dot").display().to_string();
    stdout(&["competencies", "graph", "-o", &file]);
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), dot);
    let refused = run(
        &root(),
        &["competencies", "graph", "-o", &file, "--format", "svg"],
    );
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn the_history_picture_has_a_line_per_requirement() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = directory.path().join("h.svg").display().to_string();
    stdout(&[
        "history",
        "examples/consulting-select-near-advanced.toml",
        "--from",
        "2019-01-01",
        "--to",
        "2020-03-31",
        "--every",
        "week",
        "-o",
        &file,
    ]);
    let svg = std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{error}"));
    elements(&svg);
    for id in [
        "program-fee",
        "accredited-professionals",
        "launched-opportunities",
        "csat-responses",
    ] {
        assert!(
            svg.contains(&format!("\n{id}\n</text>")),
            "{id} has no line"
        );
    }
    assert!(svg.contains("review 2019-02-15") && svg.contains("review 2020-02-15"));
}

#[test]
fn names_with_markup_and_controls_stay_well_formed() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let partner = directory.path().join("p.toml");
    std::fs::write(
        &partner,
        "[partner]\nname = \"A <b>&</b> \\u0007 \\uFFFF Co\"\ntrack = \"consulting\"\ntier = \"select\"\nrenewal_date = 2020-02-15\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let file = directory.path().join("h.svg").display().to_string();
    let partner = partner.display().to_string();
    stdout(&[
        "history",
        &partner,
        "--from",
        "2019-01-01",
        "--to",
        "2019-03-01",
        "-o",
        &file,
    ]);
    let svg = std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{error}"));
    elements(&svg);
    assert!(svg.contains("A &lt;b&gt;&amp;&lt;/b&gt;"), "{svg}");
}

#[test]
fn the_html_report_is_one_page_with_nothing_fetched() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = directory.path().join("report.html").display().to_string();
    let output = run(
        &root(),
        &[
            "score",
            "examples",
            "tests/cmd/gate/broken.json",
            "--as-of",
            "2019-11-01",
            "--format",
            "html",
            "-o",
            &file,
        ],
    );
    // One input cannot be scored: exit 2, and the page says so.
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "the report goes to the file");
    let page = std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{error}"));
    assert!(page.starts_with("<!DOCTYPE html>"));
    for external in [
        "src=", "url(", "<script", "<link", "@import", "<img", "<iframe",
    ] {
        assert!(!page.contains(external), "the page refers to `{external}`");
    }
    // Links stay inside the page.
    assert_eq!(
        page.matches("href=\"").count(),
        page.matches("href=\"#").count()
    );
    let partners = std::fs::read_dir(root().join("examples"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| {
                    entry
                        .path()
                        .extension()
                        .is_some_and(|extension| extension == "toml")
                })
                .count()
        })
        .unwrap_or(0)
        + 1; // examples/partner-central/partner.toml
    assert_eq!(page.matches("<section ").count(), partners);
    // Each partner's history picture, well-formed.
    let pictures: Vec<&str> = page.split("<svg ").skip(1).collect();
    assert_eq!(pictures.len(), partners);
    for picture in pictures {
        let end = picture.find("</svg>").unwrap_or(picture.len()) + "</svg>".len();
        elements(&format!("<svg {}", &picture[..end.min(picture.len())]));
    }
    assert!(page.contains("Could not be scored"));
}

#[test]
fn the_readmes_pictures_are_current() {
    for (file, args) in [
        (
            "docs/chart-consulting.svg",
            vec!["competencies", "chart", "--path", "consulting"],
        ),
        ("docs/graph.svg", vec!["competencies", "graph"]),
    ] {
        let kept =
            std::fs::read_to_string(root().join(file)).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            kept,
            stdout(&args),
            "{file} is out of date; run apn-check {}",
            args.join(" ")
        );
    }
}
