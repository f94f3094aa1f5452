//! The words of `import opportunities`: one line per opportunity (added,
//! updated with its changing fields, unchanged, skipped, kept), the
//! warnings, and a summary line; or the same as JSON for tools.

use serde_json::json;

use crate::ace::{Action, Report, Value};
use crate::escape::shown;

/// At most this many kept ids are named (`--json` lists them all).
const KEPT_NAMED: usize = 10;

/// How the import ended, for the first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `--dry-run`: nothing was written.
    DryRun,
    /// The file was written.
    Written,
    /// Nothing changed, so nothing was written.
    Unchanged,
}

fn value_text(value: Option<&Value>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |value| shown(value).to_string())
}

fn value_json(value: Option<&Value>) -> serde_json::Value {
    match value {
        None => serde_json::Value::Null,
        Some(Value::Text(text)) => json!(text),
        Some(Value::Date(day)) => json!(day.to_string()),
        Some(Value::Money(cents)) => json!(cents),
    }
}

fn counts(report: &Report) -> [(&'static str, usize); 5] {
    let count = |wanted: fn(&Action) -> bool| {
        report
            .changes
            .iter()
            .filter(|change| wanted(&change.action))
            .count()
    };
    [
        ("added", count(|action| matches!(action, Action::Added(_)))),
        (
            "updated",
            count(|action| matches!(action, Action::Updated(_))),
        ),
        ("unchanged", count(|action| *action == Action::Unchanged)),
        ("skipped", report.skipped.len()),
        ("kept", report.kept.len()),
    ]
}

/// The report for a person.
pub fn text(report: &Report, file: &str, written: Written) -> String {
    let mut lines = Vec::new();
    lines.push(match written {
        Written::DryRun => format!("import into {} (dry run: nothing written)", shown(file)),
        Written::Written => format!("imported into {}", shown(file)),
        Written::Unchanged => format!("imported into {} (no change: not written)", shown(file)),
    });
    for change in &report.changes {
        let id = shown(&change.id);
        match &change.action {
            Action::Added(fields) => {
                let parts: Vec<String> = fields
                    .named()
                    .into_iter()
                    .skip(1)
                    .filter_map(|(field, value)| {
                        Some(format!("{field} {}", value_text(Some(&value?))))
                    })
                    .collect();
                lines.push(format!("  added      {id}: {}", parts.join(", ")));
            }
            Action::Updated(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|change| {
                        format!(
                            "{} {} → {}",
                            change.field,
                            value_text(change.before.as_ref()),
                            value_text(change.after.as_ref())
                        )
                    })
                    .collect();
                lines.push(format!("  updated    {id}: {}", parts.join(", ")));
            }
            Action::Unchanged => lines.push(format!("  unchanged  {id}")),
        }
    }
    for skipped in &report.skipped {
        lines.push(format!(
            "  skipped    {}: {}",
            shown(&skipped.id),
            shown(&skipped.reason)
        ));
    }
    if !report.kept.is_empty() {
        let mut ids: Vec<String> = report
            .kept
            .iter()
            .take(KEPT_NAMED)
            .map(|id| shown(id).to_string())
            .collect();
        if report.kept.len() > KEPT_NAMED {
            ids.push(format!("and {} more", report.kept.len() - KEPT_NAMED));
        }
        lines.push(format!(
            "  kept       {} (in the file, not in the import)",
            ids.join(", ")
        ));
    }
    for warning in &report.warnings {
        lines.push(format!("warning: {}", shown(&warning.message)));
    }
    let summary: Vec<String> = counts(report)
        .iter()
        .map(|(what, count)| format!("{count} {what}"))
        .collect();
    let mut last = summary.join(", ");
    for (source, count) in &report.estimated {
        let days = if *count == 1 {
            "launch day"
        } else {
            "launch days"
        };
        last.push_str(&format!(
            "; {count} {days} estimated from {} (delete `launched_on_source` after correcting one)",
            source.field()
        ));
    }
    lines.push(last);
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The report for tools.
pub fn json(report: &Report, file: &str, written: Written) -> String {
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|change| match &change.action {
            Action::Added(fields) => {
                let mut object = serde_json::Map::new();
                for (field, value) in fields.named() {
                    if value.is_some() {
                        object.insert(field.to_owned(), value_json(value.as_ref()));
                    }
                }
                json!({"id": change.id, "action": "added", "fields": object})
            }
            Action::Updated(fields) => {
                let fields: Vec<serde_json::Value> = fields
                    .iter()
                    .map(|change| {
                        json!({
                            "field": change.field,
                            "before": value_json(change.before.as_ref()),
                            "after": value_json(change.after.as_ref()),
                        })
                    })
                    .collect();
                json!({"id": change.id, "action": "updated", "changes": fields})
            }
            Action::Unchanged => json!({"id": change.id, "action": "unchanged"}),
        })
        .collect();
    let counts: serde_json::Map<String, serde_json::Value> = counts(report)
        .iter()
        .map(|(what, count)| ((*what).to_owned(), json!(count)))
        .collect();
    let estimated: serde_json::Map<String, serde_json::Value> = report
        .estimated
        .iter()
        .map(|(source, count)| (source.as_str().to_owned(), json!(count)))
        .collect();
    let document = json!({
        "file": file,
        "written": written == Written::Written,
        "dry_run": written == Written::DryRun,
        "counts": counts,
        "changes": changes,
        "skipped": report.skipped,
        "kept": report.kept,
        "warnings": report.warnings,
        "estimated_launch_days": estimated,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
