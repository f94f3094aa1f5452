//! The competency catalog and its commands: the embedded catalog loads and
//! each file holds the ids its header says; a page and a spreadsheet
//! written in the real layout import with every requirement, category and
//! block, and an import round-trips into a catalog `list` shows; `path`'s
//! JSON agrees with the catalog's own sets.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use apn_check::competency::Catalog;
use apn_check::competency::import;
use serde_json::Value;

use crate::common::run;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap_or_else(|error| panic!("{error}"));
    directory
}

#[test]
fn the_embedded_catalog_loads_and_each_file_has_the_ids_its_header_says() {
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    assert!(catalog.checklists.len() >= 10);
    for folder in ["blocks", "checklists"] {
        let directory = repository().join("rules/competencies").join(folder);
        for entry in std::fs::read_dir(&directory).unwrap_or_else(|error| panic!("{error}")) {
            let path = entry.unwrap_or_else(|error| panic!("{error}")).path();
            let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{error}"));
            let said: usize = text
                .lines()
                .find_map(|line| line.strip_prefix("# ids in this file: "))
                .unwrap_or_else(|| panic!("{} has no `# ids in this file:` line", path.display()))
                .trim()
                .parse()
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let table: toml::Table =
                toml::from_str(&text).unwrap_or_else(|error| panic!("{error}"));
            let listed = table
                .get("requirements")
                .and_then(|value| value.as_array())
                .map_or(0, Vec::len);
            assert_eq!(listed, said, "{}", path.display());
            // And the loaded catalog holds exactly those, under the file's id.
            let id = table
                .get(&folder[..folder.len() - 1])
                .and_then(|header| header.get("id"))
                .and_then(|id| id.as_str())
                .unwrap_or_else(|| panic!("{} has no id", path.display()));
            let loaded = catalog
                .requirements
                .iter()
                .filter(|requirement| requirement.scope == id)
                .count();
            assert_eq!(loaded, said, "{id}");
        }
    }
    // The ids the research notes count for the checklists with known ids.
    let total = |id: &str| {
        let index = catalog
            .checklist_index(id)
            .unwrap_or_else(|| panic!("{id}"));
        catalog.checklists[index].all.len()
    };
    assert_eq!(total("aws-waf"), 14);
    assert_eq!(total("amazon-ecs"), 34);
    assert_eq!(total("generative-ai"), 52);
    assert_eq!(total("generative-ai-software"), 78);
    assert_eq!(total("msp"), 61);
    assert_eq!(total("ftr-partner-hosted"), 44);
    assert_eq!(total("ftr-customer-deployed"), 51);
}

#[test]
fn a_saved_page_imports_with_every_requirement_and_its_block() {
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    let page = repository().join("tests/fixtures/competency/example-service-delivery.html");
    let imported = import::read(&page, &catalog).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(imported.id, "example-service");
    assert_eq!(imported.release, "2026-02");
    assert_eq!(
        imported.valid_from,
        chrono::NaiveDate::from_ymd_opt(2026, 2, 26)
    );
    assert_eq!(
        imported.usable_until,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
    );
    assert_eq!(
        imported.blocks,
        vec!["common-customer-reference".to_owned()]
    );
    let own: Vec<(&str, &str)> = imported
        .requirements
        .iter()
        .map(|(id, category)| (id.as_str(), category.as_str()))
        .collect();
    assert_eq!(
        own,
        vec![
            ("EXS-001", "Example Service Expertise"),
            ("EXS-002", "Example Service Expertise"),
            ("EXS-003", "Example Service Expertise"),
        ]
    );
    assert_eq!(imported.problems.len(), 1, "{:?}", imported.problems);
    assert!(imported.problems[0].contains("EXS-04"));
}

#[test]
fn a_page_missing_one_block_requirement_keeps_them_as_its_own_and_says_so() {
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    let page = repository().join("tests/fixtures/competency/example-service-delivery.html");
    let text = std::fs::read_to_string(page).unwrap_or_else(|error| panic!("{error}"));
    let text = text.replace("<h4>COST-001 - Costs are estimated</h4>", "");
    let imported =
        import::read_html(&text, &catalog, "cut.html").unwrap_or_else(|error| panic!("{error}"));
    assert!(imported.blocks.is_empty());
    assert_eq!(imported.requirements.len(), 3 + 10);
    assert!(
        imported.problems.iter().any(|problem| problem
            .contains("10 of the 11 requirements of block `common-customer-reference`")),
        "{:?}",
        imported.problems
    );
}

#[test]
fn an_import_round_trips_into_a_catalog_that_list_shows() {
    let directory = scratch("competency-import");
    let page = repository().join("tests/fixtures/competency/example-service-delivery.html");
    let page = page.to_string_lossy();
    let written = run(
        &directory,
        &["competencies", "import", &page, "--out", "catalog"],
    );
    assert_eq!(
        written.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let said = String::from_utf8_lossy(&written.stdout);
    assert!(said.contains("made the catalog"), "{said}");
    let listed = run(
        &directory,
        &[
            "competencies",
            "list",
            "--catalog",
            "catalog",
            "--json",
            "--as-of",
            "2026-11-23",
        ],
    );
    assert_eq!(
        listed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let list: Value =
        serde_json::from_slice(&listed.stdout).unwrap_or_else(|error| panic!("{error}"));
    let entries = list.as_array().unwrap_or_else(|| panic!("a list"));
    let example = entries
        .iter()
        .find(|entry| entry["id"] == "example-service")
        .unwrap_or_else(|| panic!("the imported checklist is listed"));
    assert_eq!(example["requirements"], 14);
    assert_eq!(
        example["blocks"],
        serde_json::json!(["common-customer-reference"])
    );
    assert_eq!(example["prefixes"]["EXS"], 3);
    assert_eq!(example["stale"], false);
    // The embedded checklists came along.
    assert!(entries.iter().any(|entry| entry["id"] == "aws-waf"));
    // Importing again replaces the file with the same text.
    let file = directory.join("catalog/checklists/example-service.toml");
    let first = std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{error}"));
    let again = run(
        &directory,
        &["competencies", "import", &page, "--out", "catalog"],
    );
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stdout).contains("replaced"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{error}")),
        first
    );
}

/// A self-assessment spreadsheet in the layout of `structure.md`, with
/// invented requirements: an introduction sheet, a practice sheet with
/// category rows and one unreadable row, and the common customer example
/// sheet carrying the whole common block.
fn write_spreadsheet(path: &Path) {
    use rust_xlsxwriter::Workbook;
    let mut workbook = Workbook::new();
    let intro = workbook
        .add_worksheet()
        .set_name("Introduction")
        .expect("the test spreadsheet");
    intro
        .write(
            0,
            0,
            "AWS Example Competency Service Offering Validation Checklist",
        )
        .expect("the test spreadsheet");
    intro
        .write(2, 0, "Validity Period: August 2025-February 2026")
        .expect("the test spreadsheet");
    intro
        .write(3, 0, "This checklist was released on August 29th, 2025. AWS Partners may continue to use this version until May 2026.")
        .expect("the test spreadsheet");
    let practice = workbook
        .add_worksheet()
        .set_name("Example Practice Reqs")
        .expect("the test spreadsheet");
    let rows: &[&[&str]] = &[
        &["Example Practice Requirements"],
        &[],
        &["ID", "Requirement Description", "Met?", "Partner Response"],
        &["Practice Basics"],
        &[
            "EXP-001",
            "Invented: the practice exists.\nMore text.",
            "",
            "",
        ],
        &["EXP-002", "Invented: the practice is staffed.", "", ""],
        &["Use Case Fit"],
        &["EXUC-001", "Invented: the use case fits.", "", ""],
        &["EXUC 2", "Invented: a row whose id is broken.", "", ""],
    ];
    for (row, cells) in rows.iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            practice
                .write(row as u32, column as u16, *cell)
                .expect("the test spreadsheet");
        }
    }
    let common = workbook
        .add_worksheet()
        .set_name("Common Cust Example Reqs")
        .expect("the test spreadsheet");
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    let block = catalog
        .blocks
        .iter()
        .find(|block| block.id == "common-customer-reference")
        .unwrap_or_else(|| panic!("the common block"));
    common
        .write(0, 0, "Common Customer Example Requirements")
        .expect("the test spreadsheet");
    common.write(2, 0, "ID").expect("the test spreadsheet");
    common
        .write(2, 1, "Requirement Description")
        .expect("the test spreadsheet");
    let mut row = 3;
    let mut category = String::new();
    for &identity in &block.requirements {
        let requirement = &catalog.requirements[identity];
        if requirement.category != category {
            category = requirement.category.clone();
            common
                .write(row, 0, category.as_str())
                .expect("the test spreadsheet");
            row += 1;
        }
        common
            .write(row, 0, requirement.id.as_str())
            .expect("the test spreadsheet");
        common
            .write(row, 1, "Invented description.")
            .expect("the test spreadsheet");
        row += 1;
    }
    workbook.save(path).expect("the test spreadsheet");
}

#[test]
fn a_spreadsheet_imports_with_its_categories_and_block() {
    let directory = scratch("competency-xlsx");
    let path = directory.join("self-assessment.xlsx");
    write_spreadsheet(&path);
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    let imported = import::read(&path, &catalog).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(imported.id, "example");
    assert_eq!(imported.name, "AWS Example Competency");
    assert_eq!(imported.program.as_str(), "competency");
    assert_eq!(imported.path.as_str(), "consulting");
    assert_eq!(imported.release, "2025-08");
    assert_eq!(
        imported.usable_until,
        chrono::NaiveDate::from_ymd_opt(2026, 5, 31)
    );
    assert_eq!(
        imported.blocks,
        vec!["common-customer-reference".to_owned()]
    );
    let own: Vec<(&str, &str)> = imported
        .requirements
        .iter()
        .map(|(id, category)| (id.as_str(), category.as_str()))
        .collect();
    assert_eq!(
        own,
        vec![
            ("EXP-001", "Practice Basics"),
            ("EXP-002", "Practice Basics"),
            ("EXUC-001", "Use Case Fit"),
        ]
    );
    assert_eq!(imported.problems.len(), 1, "{:?}", imported.problems);
    assert!(imported.problems[0].contains("row 9") && imported.problems[0].contains("EXUC 2"));
    // The file it writes loads in a catalog with the embedded blocks.
    let text = imported.to_toml();
    let blocks: Vec<(String, String)> = repository()
        .join("rules/competencies/blocks")
        .read_dir()
        .unwrap_or_else(|error| panic!("{error}"))
        .map(|entry| {
            let path = entry.unwrap_or_else(|error| panic!("{error}")).path();
            let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{error}"));
            (path.display().to_string(), text)
        })
        .collect();
    let blocks: Vec<(&str, &str)> = blocks
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let loaded = Catalog::from_texts(&blocks, &[("example.toml", &text)])
        .unwrap_or_else(|error| panic!("{error}\n{text}"));
    assert_eq!(loaded.checklists[0].all.len(), 3 + 11);
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_an_error() {
    let directory = scratch("competency-not-xlsx");
    let path = directory.join("broken.xlsx");
    std::fs::write(&path, "not a zip file").unwrap_or_else(|error| panic!("{error}"));
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    let error = import::read(&path, &catalog).expect_err("an error");
    assert!(error.message.contains("not a spreadsheet"), "{error}");
}

#[test]
fn path_json_agrees_with_the_catalog_sets() {
    let example = repository().join("examples/consulting-advanced-toward-premier.toml");
    let example = example.to_string_lossy();
    let output = run(
        &repository(),
        &[
            "competencies",
            "path",
            &example,
            "--want",
            "2",
            "--as-of",
            "2026-11-23",
            "--json",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("{error}"));
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    // The evidence of the example file, as identities.
    let text = std::fs::read_to_string(
        repository().join("examples/consulting-advanced-toward-premier.toml"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|error| panic!("{error}"));
    let met: BTreeSet<usize> = table["requirement_evidence"]
        .as_array()
        .unwrap_or_else(|| panic!("evidence"))
        .iter()
        .filter_map(|shown| {
            catalog.identity(shown["scope"].as_str()?, shown["requirement"].as_str()?)
        })
        .collect();
    let work = |id: &str| -> BTreeSet<usize> {
        let index = catalog
            .checklist_index(id)
            .unwrap_or_else(|| panic!("{id}"));
        catalog.checklists[index]
            .all
            .iter()
            .copied()
            .filter(|identity| !met.contains(identity))
            .collect()
    };
    let chosen: Vec<&str> = answer["chosen"]
        .as_array()
        .unwrap_or_else(|| panic!("chosen"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let union: BTreeSet<usize> = chosen.iter().flat_map(|id| work(id)).collect();
    assert_eq!(answer["outstanding"], union.len());
    let own: usize = chosen.iter().map(|id| work(id).len()).sum();
    assert_eq!(answer["saved"], own - union.len());
    assert_eq!(
        answer["outstanding_requirements"].as_array().map(Vec::len),
        Some(union.len())
    );
    // No other pair of the consulting candidates does less.
    let candidates = ["amazon-ecs", "generative-ai", "msp", "security"];
    for a in candidates {
        for b in candidates {
            if a < b {
                let pair: BTreeSet<usize> = work(a).union(&work(b)).copied().collect();
                assert!(pair.len() >= union.len(), "{a} + {b}: {}", pair.len());
            }
        }
    }
}

#[test]
fn a_spreadsheet_that_would_expand_without_bound_is_refused_unread() {
    use std::io::Write as _;
    let directory = scratch("competency-zip-bomb");
    let path = directory.join("bomb.xlsx");
    let mut bytes = std::io::Cursor::new(Vec::new());
    {
        let mut archive = zip::ZipWriter::new(&mut bytes);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        archive
            .start_file("xl/worksheets/sheet1.xml", options)
            .unwrap_or_else(|error| panic!("{error}"));
        archive
            .write_all(b"x")
            .unwrap_or_else(|error| panic!("{error}"));
        archive.finish().unwrap_or_else(|error| panic!("{error}"));
    }
    // The entry's stated size, in its local and central headers, becomes
    // 3 GB: what a small archive of highly compressed data declares.
    let mut bytes = bytes.into_inner();
    let stated = 3_000_000_000_u32.to_le_bytes();
    for (signature, offset) in [(0x0403_4b50_u32, 22), (0x0201_4b50_u32, 24)] {
        let at = bytes
            .windows(4)
            .position(|window| window == signature.to_le_bytes())
            .unwrap_or_else(|| panic!("a zip header"));
        bytes[at + offset..at + offset + 4].copy_from_slice(&stated);
    }
    std::fs::write(&path, &bytes).unwrap_or_else(|error| panic!("{error}"));
    let catalog = Catalog::embedded().unwrap_or_else(|error| panic!("{error}"));
    let error = import::read(&path, &catalog).expect_err("refused");
    assert!(error.message.contains("would expand to 2.8 GiB"), "{error}");
}
