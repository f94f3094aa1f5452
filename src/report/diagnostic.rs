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
    let report = [Level::ERROR.primary_title(&title).element(
        Snippet::source(&excerpt.text)
            .line_start(excerpt.location.line)
            .path(path)
            .annotation(AnnotationKind::Primary.span(excerpt.span.clone())),
    )];
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut text = renderer.render(&report);
    text.push('\n');
    text
}
