//! The `explain` table format: per requirement, every record considered,
//! marked counted (✓) or excluded (✗) with the reason.

use crate::escape::shown;
use std::fmt::Write as _;

use crate::explain::{Explanation, Record};
use crate::rules::Quantity;

const GREEN: &str = "\u{1b}[32m";
const RED: &str = "\u{1b}[31m";
const RESET: &str = "\u{1b}[0m";

/// The explanation as text, ending in a newline.
pub fn render(explanation: &Explanation, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        text,
        "{}: why each number is what it is, as of {} (window: after {} through {})",
        shown(&explanation.partner),
        explanation.as_of,
        explanation.window_start,
        explanation.as_of
    );
    for requirement in &explanation.requirements {
        let bound = if requirement.time_bound {
            ", time-bound"
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "\n{} ({}{bound})",
            shown(&requirement.id),
            shown(&requirement.title)
        );
        if !requirement.values.is_empty() {
            let values: Vec<String> = requirement
                .values
                .iter()
                .map(|value| {
                    let shown = match value.value {
                        Quantity::Count(count) => count.to_string(),
                        Quantity::Money(cents) => cents.to_string(),
                    };
                    format!("{} {shown}", crate::escape::shown(&value.name))
                })
                .collect();
            let _ = writeln!(text, "  counted: {}", values.join(", "));
        }
        for note in &requirement.notes {
            let _ = writeln!(text, "  {}", shown(note));
        }
        for entry in &requirement.counted {
            let _ = write!(text, "  {} {}", paint(GREEN, "✓"), shown(&entry.record));
            let mut details = Vec::new();
            if let (Record::RevenueLine { .. }, Some(counts)) = (&entry.record, entry.counts_usd) {
                details.push(format!("counts {counts}"));
            }
            details.extend(entry.note.clone());
            if !details.is_empty() {
                let _ = write!(text, " — {}", shown(details.join("; ")));
            }
            text.push('\n');
        }
        for entry in &requirement.excluded {
            let _ = writeln!(
                text,
                "  {} {}: {}",
                paint(RED, "✗"),
                shown(&entry.record),
                shown(&entry.reason)
            );
        }
        for warning in &requirement.warnings {
            let _ = writeln!(text, "  ! warning: {}", shown(&warning.message));
        }
        if requirement.counted.is_empty()
            && requirement.excluded.is_empty()
            && requirement.notes.is_empty()
        {
            let _ = writeln!(text, "  no records");
        }
    }
    text
}
