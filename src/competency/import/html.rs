//! A saved checklist page: the designation in the first `<h1>`, the
//! checklist type in the next heading, the validity and release in the
//! text before the first requirement; each requirement a heading `ID -
//! Title` whose category is the nearest heading above it (an `<h3>`, else
//! an `<h2>`). The page's content is read from its `<article>` when it has
//! one, else from its body.

use scraper::{ElementRef, Html, Selector};

use super::{Found, heading_id};

/// The elements read, in document order.
const READ: &str = "h1, h2, h3, h4, h5, h6, p, div.validity, link[rel=canonical]";

/// The deepest nesting of elements a page may have: checklist pages nest a
/// few dozen deep, and the HTML parser's work grows with the square of the
/// depth (200,000 nested elements took 98 s).
pub(super) const MAX_DEPTH: usize = 1000;

/// Elements that never hold others, or whose end tag may be left out: they
/// do not deepen the nesting as counted here.
const FLAT: [&str; 27] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup",
];

/// How deep the elements of `text` nest, counted from its tags without
/// parsing it (comments, doctypes and the text of scripts and styles
/// skipped), stopping once past `limit`.
pub(super) fn nesting_depth(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut at, mut depth, mut deepest) = (0, 0_usize, 0);
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        at += offset + 1;
        let rest = &bytes[at..];
        if rest.starts_with(b"!--") {
            at += memchr::memmem::find(rest, b"-->").map_or(rest.len(), |end| end + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_end = rest[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(rest.len(), |end| name_start + end);
        if name_end == name_start {
            continue;
        }
        let name = String::from_utf8_lossy(&rest[name_start..name_end]).to_ascii_lowercase();
        if FLAT.contains(&name.as_str()) {
            continue;
        }
        let tag_end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
        if closing {
            depth = depth.saturating_sub(1);
        } else if !rest[..tag_end].ends_with(b"/") {
            depth += 1;
            deepest = deepest.max(depth);
            if deepest > limit {
                return deepest;
            }
            if name == "script" || name == "style" {
                let close = format!("</{name}");
                let skipped = memchr::memmem::find(&rest.to_ascii_lowercase(), close.as_bytes());
                at += skipped.unwrap_or(rest.len());
            }
        }
    }
    deepest
}

/// Reads a page's text.
pub(super) fn read(text: &str) -> Found {
    let document = Html::parse_document(text);
    let mut found = Found::default();
    // Constant selectors, checked by the tests: they parse.
    let article = Selector::parse("article").expect("a valid selector");
    let elements = Selector::parse(READ).expect("a valid selector");
    let canonical = Selector::parse("link[rel=canonical]").expect("a valid selector");
    found.url = document
        .select(&canonical)
        .next()
        .and_then(|link| link.value().attr("href"))
        .filter(|href| href.starts_with("https://"))
        .map(str::to_owned);
    let root = document
        .select(&article)
        .next()
        .unwrap_or_else(|| document.root_element());
    let mut h2: Option<String> = None;
    let mut h3: Option<String> = None;
    let mut in_header = true;
    for element in root.select(&elements) {
        let name = element.value().name();
        if name == "link" {
            continue;
        }
        let text = text_of(element);
        if text.is_empty() {
            continue;
        }
        let is_heading = name.len() == 2 && name.starts_with('h');
        if is_heading && let Some(id) = heading_id(&text) {
            in_header = false;
            match id {
                Ok(id) => {
                    let category = h3.clone().or_else(|| h2.clone()).unwrap_or_default();
                    if category.is_empty() {
                        found.problems.push(format!(
                            "`{id}` has no heading above it to give its category; `Uncategorised` is written"
                        ));
                        found.requirements.push((id, "Uncategorised".to_owned()));
                    } else {
                        found.requirements.push((id, category));
                    }
                }
                Err(heading) => found.problems.push(format!(
                    "heading `{}` looks like a requirement, but its id is not one (expected such as `ACCT-001`)",
                    crate::error::shorten(&heading, crate::error::QUOTE_LIMIT)
                )),
            }
            continue;
        }
        match name {
            "h1" if found.name.is_none() => found.name = Some(text),
            "h2" if found.kind.is_none()
                && found.requirements.is_empty()
                && found.name.is_some() =>
            {
                found.kind = Some(text.clone());
                h2 = Some(text);
                h3 = None;
            }
            "h2" => {
                h2 = Some(text);
                h3 = None;
            }
            "h3" => {
                if in_header {
                    found.header_texts.push(text.clone());
                }
                h3 = Some(text);
            }
            _ => {
                if in_header {
                    found.header_texts.push(text);
                }
            }
        }
    }
    found
}

/// An element's text, its whitespace runs as single spaces.
fn text_of(element: ElementRef) -> String {
    element
        .text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}
