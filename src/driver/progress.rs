//! Progress of a long build on the terminal: the stage, then a bar over the pages.
//! Hidden when stderr is not a terminal or with `--quiet`, so logs and CI output stay
//! clean.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress line on stderr; does nothing when hidden.
pub(crate) struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A progress line, drawn only when `shown`.
    pub(crate) fn new(shown: bool) -> Progress {
        let bar = if shown {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress { bar }
    }

    /// Shows `stage` (e.g. `loading`) with a spinner.
    pub(crate) fn stage(&self, stage: &'static str) {
        self.bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        self.bar.set_message(stage);
    }

    /// Switches to a bar over `total` items of `stage`.
    pub(crate) fn count(&self, stage: &'static str, total: usize) {
        self.bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {human_pos}/{human_len} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        self.bar.set_message(stage);
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
    }

    /// One more item done.
    pub(crate) fn inc(&self) {
        self.bar.inc(1);
    }

    /// Removes the line, before the summary is printed.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
