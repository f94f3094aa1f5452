//! The `explain` table format: per requirement, every record considered,
//! marked counted (✓) or excluded (✗) with the reason.

use crate::escape::shown;
use std::io;

use crate::explain::{Explanation, Record};
use crate::report::style;
use crate::rules::Quantity;

/// The explanation as text, ending in a newline.
pub fn write(explanation: &Explanation, color: bool, out: &mut dyn io::Write) -> io::Result<()> {
    let paint = |style, text: &str| style::paint(style, text, color);
    writeln!(
        out,
        "{}: why each number is what it is, as of {} (window: after {} through {})",
        shown(&explanation.partner),
        explanation.as_of,
        explanation.window_start,
        explanation.as_of
    )?;
    for requirement in &explanation.requirements {
        let bound = if requirement.time_bound {
            ", time-bound"
        } else {
            ""
        };
        writeln!(
            out,
            "\n{} ({}{bound})",
            shown(&requirement.id),
            shown(&requirement.title)
        )?;
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
            writeln!(out, "  counted: {}", values.join(", "))?;
        }
        for note in &requirement.notes {
            writeln!(out, "  {}", shown(note))?;
        }
        for entry in &requirement.counted {
            write!(out, "  {} {}", paint(style::MET, "✓"), shown(&entry.record))?;
            let mut details = Vec::new();
            if let (Record::RevenueLine { .. }, Some(counts)) = (&entry.record, entry.counts_usd) {
                details.push(format!("counts {counts}"));
            }
            details.extend(entry.note.clone());
            if !details.is_empty() {
                write!(out, " — {}", shown(details.join("; ")))?;
            }
            out.write_all(b"\n")?;
        }
        for entry in &requirement.excluded {
            writeln!(
                out,
                "  {} {}: {}",
                paint(style::NOT_MET, "✗"),
                shown(&entry.record),
                shown(&entry.reason)
            )?;
        }
        for warning in &requirement.warnings {
            writeln!(out, "  ! warning: {}", shown(&warning.message))?;
        }
        if requirement.counted.is_empty()
            && requirement.excluded.is_empty()
            && requirement.notes.is_empty()
        {
            writeln!(out, "  no records")?;
        }
    }
    Ok(())
}
