//! The `--json` format: the scorecard as one JSON document, in the
//! contract's shape.

use crate::scorecard::Scorecard;

/// The scorecard as pretty-printed JSON, ending in a newline.
pub fn render(scorecard: &Scorecard) -> String {
    // The scorecard serializes to strings, integers, finite numbers, booleans,
    // nulls, lists and string-keyed maps only, which JSON always holds.
    let mut text =
        serde_json::to_string_pretty(scorecard).expect("a scorecard is always valid JSON");
    text.push('\n');
    text
}
