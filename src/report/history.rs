//! The history table: the verdict on the first date, on each date where it
//! changed, and on the last date, with the changes in words.

use crate::escape::shown;
use comfy_table::Cell;
use std::io;

use crate::history::{HistoryPoint, Step, changes};

/// The history as text, ending in a newline.
pub fn write(
    points: &[HistoryPoint],
    every: Step,
    width: Option<u16>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return out.write_all(b"no dates in the series\n");
    };
    let step = match every {
        Step::Day => "day",
        Step::Week => "week",
        Step::Month => "month",
    };
    write!(
        out,
        "{} dates from {} to {}, every {step}; shown: the first, each change, the last\n\n",
        points.len(),
        first.date,
        last.date
    )?;
    let mut table = crate::report::grid(width, false);
    let mut header = vec![
        Cell::new("date"),
        Cell::new("eligible tier"),
        Cell::new("compliant"),
    ];
    header.extend(first.tiers.iter().map(|tier| Cell::new(tier.tier)));
    header.push(Cell::new("changes"));
    table.set_header(header);
    let mark = |met: bool| if met { "✓" } else { "✗" };
    let mut previous: Option<&HistoryPoint> = None;
    for (index, point) in points.iter().enumerate() {
        let changed = previous
            .map(|before| changes(before, point))
            .unwrap_or_default();
        let is_last = index + 1 == points.len();
        if previous.is_some() && changed.is_empty() && !is_last {
            previous = Some(point);
            continue;
        }
        let mut row = vec![
            Cell::new(point.date),
            Cell::new(point.eligible_tier),
            Cell::new(mark(point.compliant)),
        ];
        row.extend(point.tiers.iter().map(|tier| Cell::new(mark(tier.met))));
        row.push(Cell::new(shown(changed.join(", "))));
        table.add_row(row);
        previous = Some(point);
    }
    out.write_all((table.to_string()).as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}
