//! kubectl-kubestellar: keeps KubeStellar's mailbox workspaces on kcp in step with the
//! SyncTarget inventory, and sets up and tears down the workspaces around them.
//!
//! `main` calls [`run`]; `commands` parse intent and call the operations in `mailbox` (and
//! the workspace operations), which talk to kcp through `kcp` and know nothing of clap.

pub mod cli;
pub mod commands;
pub mod compat;
pub mod duration;
pub mod edge_api;
pub mod error;
pub mod kcp;
pub mod logging;
pub mod mailbox;
pub mod metrics;
pub mod output;
pub mod signals;
pub mod ui;
pub mod workspace;

use clap::Parser;
use std::ffi::OsString;

/// Parse the arguments, run the command, and return the exit code (the one place that
/// decides it).
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    let args = match compat::translate(args.into_iter().map(Into::into).collect()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{}", e.render(false));
            return e.exit_code();
        }
    };
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => 2,
            };
        }
    };
    let ui = ui::Ui::detect(cli.global.quiet, cli.global.verbose);
    let (controller, format) = match &cli.command {
        cli::Command::Mailbox(cli::MailboxCommand::Watch(w)) => (true, w.log_format),
        _ => (false, logging::LogFormat::Text),
    };
    logging::init(&cli.global, controller, format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let verbose = cli.global.verbose > 0;
    match runtime.block_on(commands::dispatch(cli, ui)) {
        Ok(()) => 0,
        Err(e) => {
            if e.kind != error::Kind::Interrupted || verbose {
                eprintln!("{}", e.render(verbose));
            }
            e.exit_code()
        }
    }
}
