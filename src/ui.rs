//! What goes to stderr: notes, progress bars and spinners (on a terminal only), and prompts.

use crate::error::{Error, Result};
use crate::feedback::Feedback;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// One line on stderr. A closed stderr (`2>&1 | head -1`) loses it, quietly: `eprintln!` would
/// panic there (exit 101), and what the command does must not depend on who reads its notes.
pub(crate) fn say(line: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}").and_then(|_| err.flush());
}

#[derive(Debug, Clone)]
pub(crate) struct Ui {
    pub quiet: bool,
    pub verbose: u8,
    /// stderr is a terminal and colour/animation is welcome.
    pub fancy: bool,
    /// A person can answer a prompt.
    pub interactive: bool,
}

impl Ui {
    pub(crate) fn detect(quiet: bool, verbose: u8) -> Ui {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let stderr_tty = std::io::stderr().is_terminal();
        Ui {
            quiet,
            verbose,
            fancy: stderr_tty && !no_color && !quiet,
            interactive: stderr_tty && std::io::stdin().is_terminal(),
        }
    }

    pub(crate) fn note(&self, message: &str) {
        if !self.quiet {
            say(message);
        }
    }

    /// Progress on `what`: a spinner until the total is known, then a bar (never an empty
    /// `0/0` bar); invisible unless stderr is a terminal.
    pub(crate) fn progress(&self, what: &str) -> Progress {
        self.animated(what, true)
    }

    /// A spinner while waiting for `what`; invisible unless stderr is a terminal.
    pub(crate) fn spinner(&self, what: &str) -> Progress {
        self.animated(what, false)
    }

    /// A spinner, labelled and ticking, only when stderr is a terminal.
    fn animated(&self, what: &str, counts: bool) -> Progress {
        let bar = self.fancy.then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.set_message(what.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            counts,
            ui: self.clone(),
        }
    }

    /// Ask yes/no on the terminal.
    pub(crate) fn confirm(&self, question: &str) -> Result<bool> {
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
            .map_err(|e| Error::failed("could not read the answer from the terminal").cause(e))
    }
}

/// Notes without progress, for commands that have nothing to count.
impl Feedback for Ui {
    fn note(&self, message: &str) {
        Ui::note(self, message);
    }
    fn progress(&self, _: u64, _: u64) {}
}

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    /// Becomes a bar once a total is known.
    counts: bool,
    ui: Ui,
}

impl Progress {
    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Feedback for Progress {
    fn note(&self, message: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| self.ui.note(message)),
            None => self.ui.note(message),
        }
    }

    fn progress(&self, done: u64, total: u64) {
        let Some(b) = self.bar.as_ref().filter(|_| self.counts && total > 0) else {
            return;
        };
        if b.length() != Some(total) {
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})")
                    .expect("static template")
                    .progress_chars("=> "),
            );
            b.set_length(total);
        }
        b.set_position(done);
    }
}
