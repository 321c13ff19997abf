//! The one error type the commands return, and how it becomes an exit code and a message.

use std::fmt;
use std::sync::Arc;

/// What kind of failure, which decides the exit code (see the README's exit-code table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// It ran, and something failed (an API error, some mailboxes not reconciled): exit 1.
    Failed,
    /// Bad usage or bad input (an invalid name, an unreadable kubeconfig, a refused target): exit 2.
    Usage,
    /// Interrupted by a signal: exit 130.
    Interrupted,
    /// Whoever read stdout stopped reading (`| head`): nothing more to say, exit 0.
    ClosedPipe,
}

/// An error for the user: one sentence saying what was wanted, an optional hint saying what
/// to try, and the error that caused it, with its own sources (shown with `-v`).
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
    pub source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn failed(message: impl Into<String>) -> Error {
        Error {
            kind: Kind::Failed,
            message: message.into(),
            hint: None,
            source: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error {
            kind: Kind::Usage,
            message: message.into(),
            hint: None,
            source: None,
        }
    }

    pub fn interrupted() -> Error {
        Error {
            kind: Kind::Interrupted,
            message: "interrupted before it finished".into(),
            hint: Some("what was done stays done; run the command again to finish the rest".into()),
            source: None,
        }
    }

    pub fn closed_pipe() -> Error {
        Error {
            kind: Kind::ClosedPipe,
            message: String::new(),
            hint: None,
            source: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }

    /// What caused it: an error (its chain of sources is kept) or a sentence.
    pub fn cause(mut self, cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        self.source = Some(Arc::from(cause.into()));
        self
    }

    /// Put `context` in front of the message: "failed to X: <message>".
    pub fn context(mut self, context: impl fmt::Display) -> Error {
        self.message = format!("{context}: {}", self.message);
        self
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Failed => 1,
            Kind::Usage => 2,
            Kind::Interrupted => 130,
            Kind::ClosedPipe => 0,
        }
    }

    /// The line printed on stderr; with `verbose`, the causes follow on their own lines.
    pub fn render(&self, verbose: bool) -> String {
        let mut out = format!("error: {}", self.message);
        if let Some(h) = &self.hint {
            let sep = if self.message.ends_with('.') { " " } else { "; " };
            out.push_str(sep);
            out.push_str(h);
        }
        let mut cause = self
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(c) = cause.filter(|_| verbose) {
            out.push_str("\n  caused by: ");
            out.push_str(&c.to_string());
            cause = c.source();
        }
        out
    }
}

impl Error {
    /// The message and hint as a report shows them: without the `error: ` a terminal gets.
    pub(crate) fn plain(&self) -> String {
        self.render(false).trim_start_matches("error: ").to_string()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_hint_and_causes_render_as_one_sentence_then_details() {
        let e = Error::failed("failed to list SyncTargets through https://x")
            .hint("check that the server is running")
            .cause("connection refused");
        assert_eq!(
            e.render(false),
            "error: failed to list SyncTargets through https://x; check that the server is running"
        );
        assert!(e.render(true).ends_with("\n  caused by: connection refused"));
        // An error's own sources follow, one line each.
        let io = std::io::Error::other(Error::failed("inner"));
        let chained = Error::failed("outer").cause(io).render(true);
        assert_eq!(chained, "error: outer\n  caused by: error: inner");
        assert_eq!(e.exit_code(), 1);
        assert_eq!(Error::usage("x").exit_code(), 2);
        assert_eq!(Error::interrupted().exit_code(), 130);
    }
}
