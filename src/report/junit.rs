//! JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): a test suite
//! per partner, a test case per requirement of the gated tier, a failure
//! with the measured value and the threshold; inputs that could not be
//! scored are errors.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::batch::{FileResult, Summary};
use crate::rules::Quantity;
use crate::scorecard::{RequirementResult, Status};

/// A quantity as shown: a count, or dollars.
pub fn quantity(value: Quantity) -> String {
    match value {
        Quantity::Count(count) => count.to_string(),
        Quantity::Money(cents) => cents.to_string(),
    }
}

/// "responses 12 / 20, ..." for a requirement's measures.
pub fn measures_text(requirement: &RequirementResult) -> String {
    requirement
        .measures
        .iter()
        .map(|measure| {
            format!(
                "{} {} / {}",
                measure.name,
                quantity(measure.value),
                quantity(measure.required)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A test suite: a partner's gated requirements, or an input that could
/// not be scored.
struct Suite<'a> {
    result: &'a FileResult,
    /// The requirements of the gated tier (none for an input error).
    requirements: Vec<&'a RequirementResult>,
    tests: usize,
    failures: usize,
}

impl<'a> Suite<'a> {
    fn of(result: &'a FileResult) -> Suite<'a> {
        match result {
            FileResult::Scored(scored) => {
                let gate = &scored.gate;
                let requirements: Vec<&RequirementResult> = scored
                    .report
                    .scorecard()
                    .tier(gate.tier)
                    .map(|tier| tier.requirements.iter().collect())
                    .unwrap_or_default();
                let failures = requirements
                    .iter()
                    .filter(|r| gate.failing.contains(&r.id))
                    .count();
                Suite {
                    result,
                    tests: requirements.len().max(1),
                    requirements,
                    failures,
                }
            }
            FileResult::Failed { .. } => Suite {
                result,
                requirements: Vec::new(),
                tests: 1,
                failures: 0,
            },
        }
    }
}

/// Text for an attribute or character data: characters XML 1.0 does not
/// allow written as `\u{..}`; the writer escapes markup.
fn legal(text: &str) -> std::borrow::Cow<'_, str> {
    crate::escape::xml_legal(text)
}

/// The JUnit document, written with `quick_xml`'s writer, which escapes
/// every attribute and text: well-formed whatever the data says.
pub fn write(results: &[FileResult], out: &mut dyn io::Write) -> io::Result<()> {
    let summary = Summary::of(results);
    let suites: Vec<Suite> = results.iter().map(Suite::of).collect();
    let (tests, failures) = suites.iter().fold((0, 0), |(tests, failures), suite| {
        (tests + suite.tests, failures + suite.failures)
    });
    let mut writer = Writer::new_with_indent(out, b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("testsuites")
        .with_attributes([
            ("name", "apn-check"),
            ("tests", tests.to_string().as_str()),
            ("failures", failures.to_string().as_str()),
            ("errors", summary.errors.to_string().as_str()),
        ])
        .write_inner_content(|writer| {
            suites
                .iter()
                .try_for_each(|suite| write_suite(writer, suite))
        })?;
    writer.get_mut().write_all(b"\n")
}

fn write_suite<W: io::Write>(writer: &mut Writer<W>, suite: &Suite<'_>) -> io::Result<()> {
    match suite.result {
        FileResult::Scored(scored) => {
            let card = scored.report.scorecard();
            let gate = &scored.gate;
            let name = format!("{} ({})", card.partner, gate.tier);
            let classname = legal(&scored.file);
            writer
                .create_element("testsuite")
                .with_attributes([
                    ("name", legal(&name).as_ref()),
                    ("tests", suite.tests.to_string().as_str()),
                    ("failures", suite.failures.to_string().as_str()),
                    ("errors", "0"),
                    ("file", classname.as_ref()),
                ])
                .write_inner_content(|writer| {
                    if suite.requirements.is_empty() {
                        writer
                            .create_element("testcase")
                            .with_attributes([
                                ("name", gate.tier.as_str()),
                                ("classname", classname.as_ref()),
                            ])
                            .write_empty()?;
                    }
                    for requirement in &suite.requirements {
                        let case = writer.create_element("testcase").with_attributes([
                            ("name", legal(&requirement.id).as_ref()),
                            ("classname", classname.as_ref()),
                        ]);
                        let measures = measures_text(requirement);
                        if gate.failing.contains(&requirement.id) {
                            let kind = if requirement.status == Status::Grace {
                                "grace"
                            } else {
                                "not_met"
                            };
                            case.write_inner_content(|writer| {
                                writer
                                    .create_element("failure")
                                    .with_attributes([
                                        ("message", legal(&measures).as_ref()),
                                        ("type", kind),
                                    ])
                                    .write_text_content(BytesText::new(&legal(&format!(
                                        "{}: {measures}",
                                        requirement.title
                                    ))))?;
                                Ok(())
                            })?;
                        } else if let Some(until) = requirement.grace_until {
                            case.write_inner_content(|writer| {
                                writer.create_element("system-out").write_text_content(
                                    BytesText::new(&format!("payment due by {until}")),
                                )?;
                                Ok(())
                            })?;
                        } else {
                            case.write_empty()?;
                        }
                    }
                    Ok(())
                })?;
        }
        FileResult::Failed { file, error } => {
            let file = legal(file);
            let message = error.message();
            let message = legal(&message);
            writer
                .create_element("testsuite")
                .with_attributes([
                    ("name", file.as_ref()),
                    ("tests", "1"),
                    ("failures", "0"),
                    ("errors", "1"),
                    ("file", file.as_ref()),
                ])
                .write_inner_content(|writer| {
                    writer
                        .create_element("testcase")
                        .with_attributes([("name", "load"), ("classname", file.as_ref())])
                        .write_inner_content(|writer| {
                            writer
                                .create_element("error")
                                .with_attributes([("message", message.as_ref()), ("type", "input")])
                                .write_text_content(BytesText::new(&message))?;
                            Ok(())
                        })?;
                    Ok(())
                })?;
        }
    }
    Ok(())
}
