//! Errors for people: the one-line message, then, when the file's line is
//! known, that line with a caret under the problem (annotate-snippets,
//! the renderer of rustc and cargo).

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use crate::error::{Excerpt, InputError};
use crate::escape::{is_hidden, shown, terminal};

/// The error, and the offending line when known, ending in a newline.
pub fn render(error: &InputError, styled: bool) -> String {
    let excerpt = match error {
        InputError::Load(load) => load.excerpt().map(|excerpt| (load.path(), excerpt)),
        _ => None,
    };
    render_at(&error.message(), excerpt, styled)
}

/// A message, and when known the file's line with a caret under the
/// problem, ending in a newline: the one way every located error is shown.
pub fn render_at(message: &str, excerpt: Option<(&str, &Excerpt)>, styled: bool) -> String {
    let title = terminal(message).into_owned();
    let Some((path, excerpt)) = excerpt else {
        return format!("error: {title}\n");
    };
    let excerpt = visible(excerpt);
    // The snippet is rendered without its path: the origin line is written
    // here from the true location, which a windowed excerpt of a very long
    // line would otherwise misstate.
    let report = [Level::ERROR.primary_title(&title).element(
        Snippet::source(&excerpt.text)
            .line_start(excerpt.location.line)
            .annotation(AnnotationKind::Primary.span(excerpt.span.clone())),
    )];
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(&report);
    let gutter = " ".repeat(excerpt.location.line.to_string().len());
    let origin = format!(
        "{gutter}--> {}:{}:{}",
        shown(path),
        excerpt.location.line,
        excerpt.location.column
    );
    let mut text = String::with_capacity(rendered.len() + origin.len() + 2);
    let mut lines = rendered.lines();
    if let Some(first) = lines.next() {
        text.push_str(first);
        text.push('\n');
    }
    text.push_str(&origin);
    text.push('\n');
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// The excerpt with each hidden character of the line shown as a visible
/// one of the same width (a control as its Control Pictures symbol, such as
/// `␛`; any other as `�`), the caret's span moved to match; a tab stays.
fn visible(excerpt: &Excerpt) -> Excerpt {
    if !excerpt.text.chars().any(|c| c != '\t' && is_hidden(c)) {
        return excerpt.clone();
    }
    let mut text = String::with_capacity(excerpt.text.len() + 8);
    let (mut start, mut end) = (excerpt.span.start, excerpt.span.end);
    for (index, c) in excerpt.text.char_indices() {
        if index == excerpt.span.start {
            start = text.len();
        }
        if index == excerpt.span.end {
            end = text.len();
        }
        let shown = match c {
            '\t' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if is_hidden(c) => '\u{fffd}',
            c => c,
        };
        text.push(shown);
    }
    if excerpt.span.end >= excerpt.text.len() {
        end = text.len();
    }
    if excerpt.span.start >= excerpt.text.len() {
        start = text.len();
    }
    Excerpt {
        location: excerpt.location,
        text,
        span: start..end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_shows_controls_as_pictures_under_the_same_caret() {
        let excerpt = Excerpt {
            location: crate::error::Location { line: 1, column: 1 },
            text: "name = \"\u{1b}[2J\"".to_owned(),
            span: 7..13,
        };
        let shown = visible(&excerpt);
        assert_eq!(shown.text, "name = \"␛[2J\"");
        assert_eq!(&shown.text[shown.span.clone()], "\"␛[2J\"");
    }
}
