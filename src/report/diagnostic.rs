//! Errors for people: the one-line message, then, when the file's line is
//! known, that line with a caret under the problem (annotate-snippets,
//! the renderer of rustc and cargo).

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use crate::error::InputError;

/// The error, and the offending line when known, ending in a newline.
pub fn render(error: &InputError, styled: bool) -> String {
    let title = error.to_string();
    let excerpt = match error {
        InputError::Load(load) => load.excerpt().map(|excerpt| (load.path(), excerpt)),
        _ => None,
    };
    let Some((path, excerpt)) = excerpt else {
        return format!("error: {title}\n");
    };
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
        "{gutter}--> {path}:{}:{}",
        excerpt.location.line, excerpt.location.column
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
