//! The JSON format: any result as one pretty-printed JSON document.

use serde::Serialize;

/// A result as pretty-printed JSON, ending in a newline.
pub fn to_text<T: Serialize>(value: &T) -> String {
    // The result types serialize to strings, integers, finite numbers,
    // booleans, nulls, lists and string-keyed maps only, which JSON always holds.
    let mut text = serde_json::to_string_pretty(value).expect("a result is always valid JSON");
    text.push('\n');
    text
}
