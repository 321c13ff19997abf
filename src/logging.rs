//! Logs on stderr: actions at the default level for the controller, warnings only for the
//! one-shot commands (their report says what they did); `-v`/`-vv` add detail, `-q` leaves
//! errors only, and `RUST_LOG` overrides all of it.

use crate::cli::GlobalArgs;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

pub fn init(global: &GlobalArgs, controller: bool, format: LogFormat) {
    let ours = match (global.quiet, global.verbose, controller) {
        (true, _, _) => "error",
        (false, 0, true) => "info",
        (false, 0, false) => "warn",
        (false, 1, _) => "debug",
        (false, _, _) => "trace",
    };
    // kube-client logs each failed connection at ERROR; our messages say it once, better.
    let others = match global.verbose {
        0 => "warn,kube_client=off,kube_runtime=off",
        1 => "warn",
        _ => "debug",
    };
    let others = if global.quiet {
        "error,kube_client=off,kube_runtime=off"
    } else {
        others
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{others},kubectl_kubestellar={ours}")));
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .with_target(global.verbose >= 2);
    let _ = match (format, controller) {
        (LogFormat::Json, _) => builder.json().with_current_span(false).try_init(),
        (LogFormat::Text, true) => builder.try_init(),
        (LogFormat::Text, false) => builder.without_time().try_init(),
    };
}
