//! Renderers of a scorecard: one module per output format, each turning the
//! same [`Scorecard`](crate::scorecard::Scorecard) into text.

pub mod competencies;
pub mod diagnostic;
pub mod explain;
pub mod forecast;
pub mod github;
pub mod history;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod opportunity_import;
pub mod picture;
pub mod plan;
pub mod rules;
pub mod sarif;
pub mod summary;
pub mod table;

/// A table in the house style: condensed UTF-8 lines, coloured only when
/// asked, and when the width is known (a terminal, or `COLUMNS`), its
/// columns wrapped to fit it; without one (a pipe) each row on its lines
/// as wide as it is.
pub fn grid(width: Option<u16>, color: bool) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    if let Some(width) = width {
        table
            .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
            .set_width(width);
    }
    table
}
