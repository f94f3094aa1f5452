//! SARIF 2.1.0 for code-scanning upload: a rule per requirement id (title
//! and help from the rule file) plus one for inputs that cannot be scored,
//! and a result per failing requirement and per such input, located in the
//! partner file.

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
pub fn render(results: &[FileResult], rules: &RuleSet) -> String {
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
    let mut sarif_results = Vec::new();
    for result in results {
        match result {
            FileResult::Scored(scored) => {
                let card = scored.report.scorecard();
                let Some(tier) = card.tier(scored.gate.tier) else {
                    continue;
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
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "apn-check",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://aws.amazon.com/partners/",
                "rules": sarif_rules
            } },
            "results": sarif_results
        }]
    });
    crate::report::json::to_text(&log)
}
