//! Logs on stderr: actions at the default level for the controller, warnings only for the
//! one-shot commands (their report says what they did). `-v` adds the plugin's decisions
//! (what it reads and why, what it decides for each mailbox), `-vv` every request it makes;
//! libraries' own debug output (kube, hyper, rustls, tower) only from `-vvv`. `-q` leaves
//! errors only, and `RUST_LOG` overrides all of it.

use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The filter for a verbosity: (the plugin's level, the libraries').
fn levels(quiet: bool, verbose: u8, controller: bool) -> (&'static str, &'static str) {
    // kube-client logs each failed connection at ERROR; our messages say it once, better.
    const QUIET_LIBS: &str = "warn,kube_client=off,kube_runtime=off";
    match (quiet, verbose, controller) {
        (true, _, _) => ("error", "error,kube_client=off,kube_runtime=off"),
        (false, 0, true) => ("info", QUIET_LIBS),
        (false, 0, false) => ("warn", QUIET_LIBS),
        (false, 1, _) => ("debug", "warn"),
        (false, 2, _) => ("trace", "warn"),
        (false, _, _) => ("trace", "debug"),
    }
}

pub(crate) fn filter(quiet: bool, verbose: u8, controller: bool) -> String {
    let (ours, others) = levels(quiet, verbose, controller);
    format!("{others},kubectl_kubestellar={ours}")
}

/// How a command logs: a controller says what it does, with times; a one-shot command only
/// warns (its report says what it did).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    OneShot,
    Controller(LogFormat),
}

pub(crate) fn init(quiet: bool, verbose: u8, style: Style) {
    let (controller, format) = match style {
        Style::OneShot => (false, LogFormat::Text),
        Style::Controller(format) => (true, format),
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(filter(quiet, verbose, controller)));
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Its report of a failed write goes through `eprintln!`, which panics when stderr is
        // closed (`2>&1 | head -1`); a lost log line is no error of the command's.
        .log_internal_errors(false)
        .with_ansi(colour)
        // Targets tell the plugin's lines from the libraries' once those show.
        .with_target(verbose >= 3);
    let _ = match (format, controller) {
        (LogFormat::Json, _) => builder.json().with_current_span(false).try_init(),
        (LogFormat::Text, true) => builder.try_init(),
        (LogFormat::Text, false) => builder.without_time().try_init(),
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn libraries_speak_up_only_from_vvv() {
        assert_eq!(super::filter(false, 1, false), "warn,kubectl_kubestellar=debug");
        assert_eq!(super::filter(false, 2, false), "warn,kubectl_kubestellar=trace");
        assert_eq!(super::filter(false, 3, true), "debug,kubectl_kubestellar=trace");
    }
}
