//! The command line: global flags, and one subcommand per module under `commands/`.

use crate::commands::{
    completion, init_espw, mailbox_list, mailbox_sync, mailbox_watch, remove_wmw, version,
};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

/// Keep KubeStellar's mailbox workspaces on kcp in step with the SyncTarget inventory, and set
/// up and tear down the workspaces around them.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-kubestellar",
    bin_name = "kubectl kubestellar",
    version,
    propagate_version = true
)]
#[command(
    after_help = "Exit codes: 0 done, 1 failed (an API error, or some mailboxes not reconciled), 2 bad usage or input, 130 interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes; help lists them under their own heading, after the command's own.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Global Options")]
pub struct GlobalArgs {
    /// Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context to use [default: its current-context]
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Path of the edge service provider workspace
    #[arg(long, global = true, value_name = "PATH", default_value = "root:espw")]
    pub espw_path: String,
    /// More detail on stderr: -v the plugin's decisions, -vv every request too, -vvv libraries' debug output
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Errors only on stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Timeout of each API request, as kubectl's (e.g. 30s; 0 for none)
    #[arg(long, global = true, value_name = "DURATION", value_parser = duration)]
    pub request_timeout: Option<Duration>,
    /// Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)
    #[arg(long, global = true, value_name = "GENERATION", value_enum)]
    pub kcp_generation: Option<crate::kcp::Generation>,
}

pub fn duration(s: &str) -> Result<Duration, String> {
    crate::duration::parse(s)
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Mailbox workspaces: one per SyncTarget
    #[command(subcommand)]
    Mailbox(MailboxCommand),
    /// Set up KubeStellar's workspaces
    #[command(subcommand)]
    Init(InitCommand),
    /// Delete KubeStellar's workspaces
    #[command(subcommand)]
    Remove(RemoveCommand),
    /// Print a shell completion script
    Completion(completion::Args),
    /// Print the plugin's version
    Version(version::Args),
}

#[derive(Subcommand, Debug)]
pub enum MailboxCommand {
    /// Make the mailbox workspaces match the SyncTargets, once
    Sync(mailbox_sync::Args),
    /// Show each SyncTarget's mailbox and its state
    List(mailbox_list::Args),
    /// Keep the mailbox workspaces in step with the SyncTargets, until interrupted
    Watch(mailbox_watch::Args),
}

#[derive(Subcommand, Debug)]
pub enum InitCommand {
    /// Ensure the edge service provider workspace and its edge.kubestellar.io API
    Espw(init_espw::Args),
}

#[derive(Subcommand, Debug)]
pub enum RemoveCommand {
    /// Delete workload management workspaces
    Wmw(remove_wmw::Args),
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
