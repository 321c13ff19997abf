//! kubectl-kubestellar: keeps KubeStellar's mailbox workspaces on kcp in step with the
//! SyncTarget inventory, and sets up and tears down the workspaces around them.
//!
//! `main` calls [`run`]; `commands` parse intent and call the operations in `mailbox` (and
//! the workspace operations), which talk to kcp through `kcp` and know nothing of clap.

mod commands;
mod compat;
mod complete;
mod duration;
pub mod edge_api;
mod error;
mod feedback;
mod kcp;
mod kubestellar;
mod logging;
mod mailbox;
mod output;
mod runtime;
mod syncer;
mod ui;
mod workspace;

// What the second binary, the tests and the bench use; everything else is the crate's own.
pub use commands::Cli;
pub use commands::completion::script as completion_script;
pub use complete::{BUDGET as COMPLETION_BUDGET, run as complete};
pub use duration::parse as parse_duration;
pub use kcp::{ConnectOptions, Generation, PAGE_SIZE, connect};

use clap::Parser;
use std::ffi::OsString;

/// Parse the arguments, run the command, and return the exit code (the one place that
/// decides it).
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    let args = match compat::translate(args.into_iter().map(Into::into).collect()) {
        Ok(a) => a,
        Err(e) => {
            ui::say(&e.render(false));
            return e.exit_code();
        }
    };
    let cli = match commands::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind::{
                DisplayHelp, DisplayHelpOnMissingArgumentOrSubcommand, DisplayVersion,
            };
            if matches!(
                e.kind(),
                DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                if e.kind() != DisplayVersion {
                    // Help: which of the commands shown kubectl would not run here.
                    let shadows = kubestellar::shadows::current(&crate::commands::names());
                    let _ = output::print(&kubestellar::shadows::warning(&shadows));
                }
                return if e.kind() == DisplayHelpOnMissingArgumentOrSubcommand {
                    2
                } else {
                    0
                };
            }
            ui::say(&one_line(&e.render().to_string()));
            return 2;
        }
    };
    let ui = ui::Ui::detect(cli.global.quiet, cli.global.verbose);
    logging::init(cli.global.quiet, cli.global.verbose, cli.command.log_style());
    limit_malloc_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            ui::say(&format!("error: cannot start the async runtime: {e}"));
            return 1;
        }
    };
    let verbose = cli.global.verbose > 0;
    match runtime.block_on(commands::dispatch(cli, ui)) {
        Ok(()) => 0,
        Err(e) if e.kind == error::Kind::ClosedPipe => e.exit_code(),
        Err(e) => {
            ui::say(&e.render(verbose));
            e.exit_code()
        }
    }
}

/// glibc's malloc gives every thread that allocates an arena of its own (up to 8 per core),
/// and memory freed in one is not reused by another: with the runtime's workers parsing list
/// pages, that spread is a third of what a run holds per SyncTarget. One arena holds the
/// least at no cost in CPU here (measured in BENCHMARKS.md, "Memory per SyncTarget"); an
/// environment's own `MALLOC_ARENA_MAX` still wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets a malloc tunable; it is called before any other thread
        // exists.
        #[allow(unsafe_code)]
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}

/// clap's usage error as one line: its message, then its tip (or where help is).
fn one_line(text: &str) -> String {
    let first = text
        .lines()
        .next()
        .unwrap_or("error: invalid arguments")
        .trim_end();
    let command: Vec<&str> = text
        .lines()
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(|u| {
            u.split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<']))
                .collect()
        })
        .unwrap_or_default();
    let help = if command.is_empty() {
        "see --help".to_string()
    } else {
        format!("see '{} --help'", command.join(" "))
    };
    let tip = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("tip: ").map(String::from))
        .unwrap_or(help);
    format!("{first}; {tip}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn usage_errors_are_one_line() {
        let text = "error: unexpected argument '--frob' found\n\n  tip: to pass '--frob' as a value, use '-- --frob'\n\nUsage: x\n";
        assert_eq!(
            super::one_line(text),
            "error: unexpected argument '--frob' found; to pass '--frob' as a value, use '-- --frob'"
        );
        let text = "error: invalid value '0' for '--concurrency <N>'\n\nUsage: kubectl kubestellar mailbox sync [OPTIONS]\n";
        assert_eq!(
            super::one_line(text),
            "error: invalid value '0' for '--concurrency <N>'; see 'kubectl kubestellar mailbox sync --help'"
        );
    }
}
