//! Unit tests of the importer's pieces: requirement headings in every
//! spelling seen, the three header forms, checklist types and ids.

use super::*;

#[test]
fn headings_with_every_separator_give_their_id() {
    for (text, id) in [
        ("ACCT-001 - Root user", "ACCT-001"),
        ("ACCT-001 – Root user", "ACCT-001"),
        ("ACCT-001—Root user", "ACCT-001"),
        ("ACCT-001-Root user", "ACCT-001"),
        ("ACCT-001 -Root user", "ACCT-001"),
        ("ACCT-001: Root user", "ACCT-001"),
        ("ID:RDS-001 - Engine", "RDS-001"),
        ("S3-001 - Buckets", "S3-001"),
        ("TH360-001 - Thing", "TH360-001"),
        (
            "DOC-002-CUSTOMER-DEPLOY - Diagrams",
            "DOC-002-CUSTOMER-DEPLOY",
        ),
        ("USE-CASE - The use case", "USE-CASE"),
        ("NETCON-008", "NETCON-008"),
    ] {
        assert_eq!(heading_id(text), Some(Ok(id.to_owned())), "{text}");
    }
}

#[test]
fn other_headings_are_not_requirements_and_broken_ids_are_reported() {
    for text in [
        "Introduction",
        "Common Customer Reference Requirements",
        "1.0 APN Program Requirements",
        "Resources",
    ] {
        assert_eq!(heading_id(text), None, "{text}");
    }
    for text in [
        "ACCT-01 - Too short",
        "ACCT-000001 - Too long",
        "ACCT 001 - No hyphen",
    ] {
        assert!(matches!(heading_id(text), Some(Err(_))), "{text}");
    }
}

#[test]
fn the_three_header_forms_give_a_release() {
    let texts = |text: &str| vec![text.to_owned()];
    assert_eq!(
        dates(&texts("Validity Period: February 2025-August 2025"))
            .0
            .as_deref(),
        Some("2025-02")
    );
    assert_eq!(
        dates(&texts("Validity Period: August 2025 – February 2026"))
            .0
            .as_deref(),
        Some("2025-08")
    );
    assert_eq!(
        dates(&texts("January 2024 - 4.0")).0.as_deref(),
        Some("2024-01")
    );
    assert_eq!(
        dates(&texts("March 2022 - 2022_q1_v1")).0.as_deref(),
        Some("2022-03")
    );
    let paragraph = texts(
        "This checklist was released on August 29th, 2025. The next version is expected in February 2026. AWS Partners may continue to use this version of the checklist until May 2026. AWS Partners may submit applications using the previous release (February 2025) until November 27th, 2025.",
    );
    let (_, from, until) = dates(&paragraph);
    assert_eq!(from, NaiveDate::from_ymd_opt(2025, 8, 29));
    assert_eq!(until, NaiveDate::from_ymd_opt(2026, 5, 31));
}

#[test]
fn checklist_types_give_program_path_and_id() {
    let cases = [
        (
            "Service Delivery Validation Checklist",
            "AWS WAF",
            DesignationProgram::ServiceDelivery,
            CatalogPath::Consulting,
            "aws-waf",
        ),
        (
            "Service Offering Validation Checklist",
            "AWS Generative AI Competency",
            DesignationProgram::Competency,
            CatalogPath::Consulting,
            "generative-ai",
        ),
        (
            "Partner Offering Validation Checklist",
            "AWS Security Competency",
            DesignationProgram::Competency,
            CatalogPath::Software,
            "security-software",
        ),
        (
            "Partner Hosted Validation Checklist",
            "Partner Hosted Foundational Technical Review",
            DesignationProgram::Ftr,
            CatalogPath::Software,
            "ftr-partner-hosted",
        ),
        (
            "Service Ready Validation Checklist",
            "AWS Lambda",
            DesignationProgram::ServiceReady,
            CatalogPath::Software,
            "aws-lambda",
        ),
    ];
    for (kind, name, program, path, id) in cases {
        assert_eq!(program_of(kind, name), Some((program, path)), "{kind}");
        assert_eq!(designation_id(name, program, path), id);
    }
    assert_eq!(program_of("Checklist Index", "Foo"), None);
}

#[test]
fn nesting_is_counted_from_the_tags() {
    assert_eq!(
        html::nesting_depth("<html><body><div><h4>A</h4></div></body></html>", 100),
        4
    );
    // Elements without end tags, comments, scripts and self-closed tags do not deepen it.
    let flat = "<ul><li>a<li>b<li>c</ul><p>x<p>y<br><img src=x><!-- <div><div> --><script>if (a<b) {}</script><span/>";
    assert_eq!(html::nesting_depth(flat, 100), 1);
    let deep = "<div>".repeat(5000);
    assert_eq!(html::nesting_depth(&deep, 1000), 1001);
}
