//! A progress bar for runs over many files (indicatif), on standard error
//! when it is a terminal: never in pipes or CI logs, where it would only be
//! noise.

use indicatif::{ProgressBar, ProgressStyle};

use super::Environment;

/// Runs over fewer files end before a bar would be read.
const SHOWN_FROM: usize = 64;

/// A bar, or nothing.
pub(super) struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar of `total` files doing `what`, when the environment shows one
    /// and the run is long enough to need it.
    pub(super) fn new(environment: &Environment, total: usize, what: &str) -> Progress {
        if !environment.progress || total < SHOWN_FROM {
            return Progress(None);
        }
        let bar = ProgressBar::new(u64::try_from(total).unwrap_or(u64::MAX));
        // The template is a constant known to parse.
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} {bar:30} {pos}/{len} files, {elapsed} (about {eta} left)",
        ) {
            bar.set_style(style);
        }
        bar.set_message(what.to_owned());
        Progress(Some(bar))
    }

    /// One more file done.
    pub(super) fn advance(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Runs `write` (a message on standard error) with the bar hidden.
    pub(super) fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.0 {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    /// Removes the bar.
    pub(super) fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
