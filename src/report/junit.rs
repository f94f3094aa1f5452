//! JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): a test suite
//! per partner, a test case per requirement of the gated tier, a failure
//! with the measured value and the threshold; inputs that could not be
//! scored are errors.

use std::fmt::Write as _;

use crate::batch::{FileResult, Summary};
use crate::rules::Quantity;
use crate::scorecard::{RequirementResult, Status};

fn escape(text: impl AsRef<str>) -> String {
    crate::escape::xml(text.as_ref())
}

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

/// The JUnit document.
pub fn render(results: &[FileResult]) -> String {
    let summary = Summary::of(results);
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for result in results {
        match result {
            FileResult::Scored(scored) => {
                let card = scored.report.scorecard();
                let gate = &scored.gate;
                let requirements: Vec<&RequirementResult> = card
                    .tier(gate.tier)
                    .map(|tier| tier.requirements.iter().collect())
                    .unwrap_or_default();
                let failed = requirements
                    .iter()
                    .filter(|r| gate.failing.contains(&r.id))
                    .count();
                let cases = requirements.len().max(1);
                tests += cases;
                failures += failed;
                // Writing to a String cannot fail.
                let _ = writeln!(
                    suites,
                    "  <testsuite name=\"{}\" tests=\"{cases}\" failures=\"{failed}\" errors=\"0\" file=\"{}\">",
                    escape(format!("{} ({})", card.partner, gate.tier)),
                    escape(&scored.file)
                );
                let classname = escape(&scored.file);
                if requirements.is_empty() {
                    let _ = writeln!(
                        suites,
                        "    <testcase name=\"{}\" classname=\"{classname}\"/>",
                        gate.tier
                    );
                }
                for requirement in requirements {
                    let name = escape(&requirement.id);
                    let measures = measures_text(requirement);
                    if gate.failing.contains(&requirement.id) {
                        let kind = if requirement.status == Status::Grace {
                            "grace"
                        } else {
                            "not_met"
                        };
                        let _ = writeln!(
                            suites,
                            "    <testcase name=\"{name}\" classname=\"{classname}\">\n      <failure message=\"{}\" type=\"{kind}\">{}: {}</failure>\n    </testcase>",
                            escape(&measures),
                            escape(&requirement.title),
                            escape(&measures)
                        );
                    } else {
                        let grace = requirement
                            .grace_until
                            .map(|until| {
                                format!(
                                    "\n      <system-out>payment due by {until}</system-out>\n    "
                                )
                            })
                            .unwrap_or_default();
                        let _ = writeln!(
                            suites,
                            "    <testcase name=\"{name}\" classname=\"{classname}\">{grace}</testcase>"
                        );
                    }
                }
                suites.push_str("  </testsuite>\n");
            }
            FileResult::Failed { file, error } => {
                tests += 1;
                let file = escape(file);
                let message = escape(error.message());
                let _ = writeln!(
                    suites,
                    "  <testsuite name=\"{file}\" tests=\"1\" failures=\"0\" errors=\"1\" file=\"{file}\">\n    <testcase name=\"load\" classname=\"{file}\">\n      <error message=\"{message}\" type=\"input\">{message}</error>\n    </testcase>\n  </testsuite>"
                );
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"apn-check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\">\n{suites}</testsuites>\n",
        summary.errors
    )
}
