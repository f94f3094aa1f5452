//! SARIF 2.1.0 for code-scanning upload: a rule per requirement id (title
//! and help from the rule file) plus one for inputs that cannot be scored,
//! and a result per failing requirement and per such input, located in the
//! partner file.

use std::io;

use serde::Serialize;
use serde_json::{Value, json};

use crate::batch::FileResult;
use crate::report::junit::measures_text;
use crate::rules::RuleSet;

/// The id of the rule for inputs that cannot be scored.
pub const INPUT_ERROR_RULE: &str = "input-error";

fn location(file: &str, line: usize, column: Option<usize>) -> Value {
    let mut region = json!({ "startLine": line });
    if let Some(column) = column {
        region["startColumn"] = json!(column);
    }
    json!([{
        "physicalLocation": {
            "artifactLocation": { "uri": crate::escape::uri_path(file) },
            "region": region
        }
    }])
}

/// The SARIF log.
pub fn write(results: &[FileResult], rules: &RuleSet, out: &mut dyn io::Write) -> io::Result<()> {
    let mut sarif_rules: Vec<Value> = rules
        .requirements
        .iter()
        .map(|requirement| {
            json!({
                "id": requirement.id,
                "name": requirement.title,
                "shortDescription": { "text": requirement.title },
                "fullDescription": { "text": requirement.help },
                "help": { "text": requirement.help },
                "defaultConfiguration": { "level": "error" }
            })
        })
        .collect();
    sarif_rules.push(json!({
        "id": INPUT_ERROR_RULE,
        "name": "Partner file cannot be scored",
        "shortDescription": { "text": "Partner file cannot be scored" },
        "fullDescription": { "text": "The partner file could not be read or does not follow the partner file format." },
        "help": { "text": "Fix the file as the message says; `apn-check validate FILE` checks it alone." },
        "defaultConfiguration": { "level": "error" }
    }));
    let rule_index = |id: &str| {
        rules
            .requirements
            .iter()
            .position(|requirement| requirement.id == id)
            .unwrap_or(rules.requirements.len())
    };
    // One result's entries: the requirements it fails, or its error.
    let entries = |result: &FileResult| -> Vec<Value> {
        let mut sarif_results = Vec::new();
        match result {
            FileResult::Scored(scored) => {
                let card = scored.report.scorecard();
                let Some(tier) = card.tier(scored.gate.tier) else {
                    return sarif_results;
                };
                for requirement in tier
                    .requirements
                    .iter()
                    .filter(|r| scored.gate.failing.contains(&r.id))
                {
                    let line = scored
                        .lines
                        .iter()
                        .find(|(id, _)| *id == requirement.id)
                        .map_or(1, |(_, line)| *line);
                    sarif_results.push(json!({
                        "ruleId": requirement.id,
                        "ruleIndex": rule_index(&requirement.id),
                        "level": "error",
                        "message": { "text": format!(
                            "{}: {} not met for {} ({})",
                            card.partner, requirement.id, scored.gate.tier, measures_text(requirement)
                        ) },
                        "locations": location(&scored.file, line, None)
                    }));
                }
            }
            FileResult::Failed { file, error } => {
                let place = error.location();
                sarif_results.push(json!({
                    "ruleId": INPUT_ERROR_RULE,
                    "ruleIndex": rules.requirements.len(),
                    "level": "error",
                    "message": { "text": error.message() },
                    "locations": location(file, place.map_or(1, |p| p.line), place.map(|p| p.column))
                }));
            }
        }
        sarif_results
    };
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [SarifRun {
            tool: json!({ "driver": {
                "name": "apn-check",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://aws.amazon.com/partners/",
                "rules": sarif_rules
            } }),
            results: Streamed(|| results.iter().flat_map(&entries)),
        }],
    };
    crate::report::json::write_value(&log, out)
}

/// The SARIF log; its results are serialized as they are made, one input
/// at a time.
#[derive(Serialize)]
struct Log<R: Serialize> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<R>; 1],
}

#[derive(Serialize)]
struct SarifRun<R: Serialize> {
    tool: Value,
    results: R,
}

/// A sequence serialized from the iterator its function makes.
struct Streamed<F>(F);

impl<F, I> Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator<Item = Value>,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}
