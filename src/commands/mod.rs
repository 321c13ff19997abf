//! The command line: global flags, and one subcommand per module here; each parses its flags
//! into options and calls the operation.

pub(crate) mod completion;
pub(crate) mod ensure_location;
pub(crate) mod ensure_wmw;
pub(crate) mod init_espw;
pub(crate) mod mailbox_list;
pub(crate) mod mailbox_sync;
pub(crate) mod mailbox_watch;
pub(crate) mod prep_for_cluster;
pub(crate) mod prep_for_syncer;
pub(crate) mod remove_location;
pub(crate) mod remove_wmw;
pub(crate) mod version;

use crate::error::{Error, Result};
use crate::kcp::{ConnectOptions, Kcp, paths};
use crate::mailbox::layout::Layout;
use crate::ui::Ui;
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
    #[arg(long, global = true, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub request_timeout: Option<Duration>,
    /// Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)
    #[arg(long, global = true, value_name = "GENERATION", value_enum)]
    pub kcp_generation: Option<crate::kcp::Generation>,
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
    /// Make sure a KubeStellar object exists and is set up (KubeStellar v0.14's `ensure`)
    #[command(subcommand)]
    Ensure(EnsureCommand),
    /// Delete KubeStellar's workspaces and inventory entries
    #[command(subcommand)]
    Remove(RemoveCommand),
    /// Make a SyncTarget's syncer identity in its mailbox, and write the YAML that installs the syncer in the edge cluster
    PrepForSyncer(prep_for_syncer::Args),
    /// Ensure location, then prepare the syncer (KubeStellar v0.14's `prep-for-cluster`)
    PrepForCluster(prep_for_cluster::Args),
    /// Print a shell completion script
    Completion(completion::Args),
    /// Print the plugin's version
    Version(version::Args),
}

/// The plugin's top-level command names, as kubectl looks them up.
pub(crate) fn names() -> Vec<String> {
    use clap::CommandFactory;
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

impl Command {
    /// How it logs: `mailbox watch` is the one controller.
    pub(crate) fn log_style(&self) -> crate::logging::Style {
        match self {
            Command::Mailbox(MailboxCommand::Watch(w)) => crate::logging::Style::Controller(w.log_format),
            _ => crate::logging::Style::OneShot,
        }
    }
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

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum RemoveCommand {
    /// Delete workload management workspaces
    Wmw(remove_wmw::Args),
    /// Delete an edge cluster's SyncTarget and Location
    Location(remove_location::Args),
}

#[derive(Subcommand, Debug)]
pub enum EnsureCommand {
    /// An edge cluster's SyncTarget and Location in an inventory workspace, with labels
    Location(ensure_location::Args),
    /// A workload management workspace in root, with its API bindings
    Wmw(ensure_wmw::Args),
}

/// What every command gets: the global flags and the terminal.
pub(crate) struct Context {
    pub global: GlobalArgs,
    pub ui: Ui,
}

impl Context {
    pub(crate) async fn connect(&self) -> Result<Kcp> {
        let timeout = self.global.request_timeout.filter(|t| !t.is_zero());
        let opts = ConnectOptions {
            kubeconfig: self.global.kubeconfig.clone(),
            context: self.global.context.clone(),
            request_timeout: timeout,
            generation: self.global.kcp_generation,
        };
        if let Some(g) = self.global.kcp_generation {
            tracing::debug!("kcp generation: {g} (from --kcp-generation)");
        }
        crate::kcp::connect(&opts).await
    }

    /// The layout from `--layout` and the flags that override it.
    pub(crate) fn layout(&self, args: &LayoutArgs) -> Result<Layout> {
        check_path("--espw-path", &self.global.espw_path)?;
        let mut l = match args.layout {
            Preset::V014 => Layout::v0_14(&self.global.espw_path),
            Preset::Poc2023q1 => Layout::poc2023q1(&self.global.espw_path),
        };
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(v) = value {
                *field = v.clone();
            }
        };
        set(&mut l.mailbox_parent, &args.mailbox_parent);
        set(&mut l.inventory_export_path, &args.inventory_export_path);
        set(&mut l.inventory_export_name, &args.inventory_export_name);
        set(&mut l.sync_target_group, &args.sync_target_group);
        set(&mut l.sync_target_version, &args.sync_target_version);
        set(&mut l.binding_export_path, &args.binding_export_path);
        set(&mut l.binding_export_name, &args.binding_export_name);
        set(&mut l.annotation_key, &args.sync_target_name_annotation);
        l.detect_version = args.sync_target_version.is_none();
        check_path("--mailbox-parent", &l.mailbox_parent)?;
        check_path("--inventory-export-path", &l.inventory_export_path)?;
        check_path("--binding-export-path", &l.binding_export_path)?;
        check_dns("--inventory-export-name", &l.inventory_export_name)?;
        check_dns("--binding-export-name", &l.binding_export_name)?;
        check_dns("--sync-target-group", &l.sync_target_group)?;
        let version = regex::Regex::new(r"^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$").expect("literal regex");
        if !version.is_match(&l.sync_target_version) {
            return Err(Error::usage(format!(
                "--sync-target-version {:?} is not an API version like v2alpha1",
                l.sync_target_version
            )));
        }
        let key = regex::Regex::new(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
            .expect("literal regex");
        if !key.is_match(&l.annotation_key) {
            return Err(Error::usage(format!(
                "--sync-target-name-annotation {:?} is not an annotation key like edge.kubestellar.io/sync-target-name",
                l.annotation_key
            )));
        }
        Ok(l)
    }
}

/// KubeStellar's kcp-era mailbox layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// KubeStellar v0.8 to v0.14: edge.kubestellar.io/v2alpha1 SyncTargets, mailboxes in root
    #[value(name = "v0.14")]
    V014,
    /// The 2023q1 PoC: workload.kcp.io SyncTargets, mailboxes in the ESPW, binding edge.kcp.io
    #[value(name = "poc2023q1")]
    Poc2023q1,
}

/// Where the mailbox commands look and write: a preset, and flags to change any part of it.
#[derive(clap::Args, Debug, Clone)]
pub struct LayoutArgs {
    /// KubeStellar layout preset; the flags below override parts of it
    #[arg(long, value_enum, default_value = "v0.14")]
    pub layout: Preset,
    /// Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]
    #[arg(long, value_name = "PATH")]
    pub mailbox_parent: Option<String>,
    /// Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]
    #[arg(long, value_name = "PATH", help_heading = "Layout")]
    pub inventory_export_path: Option<String>,
    /// Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]
    #[arg(long, value_name = "NAME", help_heading = "Layout")]
    pub inventory_export_name: Option<String>,
    /// API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]
    #[arg(long, value_name = "GROUP", help_heading = "Layout")]
    pub sync_target_group: Option<String>,
    /// API version of SyncTargets [default: the preset's, or what the view serves]
    #[arg(long, value_name = "VERSION", help_heading = "Layout")]
    pub sync_target_version: Option<String>,
    /// Workspace of the export each mailbox's bind-edge binds [default: the ESPW]
    #[arg(long, value_name = "PATH", help_heading = "Layout")]
    pub binding_export_path: Option<String>,
    /// Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]
    #[arg(long, value_name = "NAME", help_heading = "Layout")]
    pub binding_export_name: Option<String>,
    /// Annotation naming a mailbox's SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]
    #[arg(long, value_name = "KEY", help_heading = "Layout")]
    pub sync_target_name_annotation: Option<String>,
}

/// `--endpoint-slice`, for the mailbox commands that read the inventory: one partition's shards.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SliceArgs {
    /// Read only the shards this APIExportEndpointSlice of the inventory export lists (its
    /// Partition's), and delete only mailboxes of inventory workspaces seen there: one
    /// controller per partition [PATH:NAME, or NAME in the export's workspace]
    #[arg(long, value_name = "PATH:NAME")]
    pub endpoint_slice: Option<String>,
}

impl Context {
    /// The layout, with `--endpoint-slice` when given.
    pub(crate) fn sliced_layout(&self, args: &LayoutArgs, slice: &SliceArgs) -> Result<Layout> {
        let mut layout = self.layout(args)?;
        if let Some(value) = &slice.endpoint_slice {
            let (path, name) = match value.rsplit_once(':') {
                Some((path, name)) => (path.to_string(), name),
                None => (layout.inventory_export_path.clone(), value.as_str()),
            };
            if name.is_empty() {
                return Err(Error::usage(format!(
                    "--endpoint-slice {value:?} names no slice: use PATH:NAME, e.g. root:espw:east"
                )));
            }
            check_path("--endpoint-slice", &path)?;
            check_dns("--endpoint-slice", name)?;
            layout.endpoint_slice = Some(crate::mailbox::layout::EndpointSlice {
                path,
                name: name.to_string(),
            });
        }
        Ok(layout)
    }
}

fn check_dns(flag: &str, value: &str) -> Result<()> {
    let re = regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        .expect("literal regex");
    if re.is_match(value) && value.len() <= 253 {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "{flag} {value:?} is not a valid name: use lowercase DNS labels joined by '.'"
        )))
    }
}

pub(crate) fn check_path(flag: &str, value: &str) -> Result<()> {
    paths::check_path(value).map_err(|e| Error::usage(format!("{flag}: {e}")))
}

pub(crate) async fn dispatch(cli: Cli, ui: Ui) -> Result<()> {
    let ctx = Context {
        global: cli.global,
        ui,
    };
    match cli.command {
        Command::Mailbox(MailboxCommand::Sync(a)) => interruptible(mailbox_sync::run(&a, &ctx)).await,
        Command::Mailbox(MailboxCommand::List(a)) => interruptible(mailbox_list::run(&a, &ctx)).await,
        // The controller handles its own signals: it finishes in-flight work first.
        Command::Mailbox(MailboxCommand::Watch(a)) => mailbox_watch::run(&a, &ctx).await,
        Command::Init(InitCommand::Espw(a)) => interruptible(init_espw::run(&a, &ctx)).await,
        Command::Remove(RemoveCommand::Wmw(a)) => interruptible(remove_wmw::run(&a, &ctx)).await,
        Command::PrepForSyncer(a) => interruptible(prep_for_syncer::run(&a, &ctx)).await,
        Command::Remove(RemoveCommand::Location(a)) => interruptible(remove_location::run(&a, &ctx)).await,
        Command::Ensure(EnsureCommand::Location(a)) => interruptible(ensure_location::run(&a, &ctx)).await,
        Command::Ensure(EnsureCommand::Wmw(a)) => interruptible(ensure_wmw::run(&a, &ctx)).await,
        Command::PrepForCluster(a) => interruptible(prep_for_cluster::run(&a, &ctx)).await,
        Command::Completion(a) => completion::run(&a),
        Command::Version(a) => version::run(&a),
    }
}

/// What a KubeStellar-style command did, one kubectl-like line per object.
pub(crate) fn print_done(done: &[crate::kubestellar::Done]) -> Result<()> {
    let text: String = done.iter().map(|d| format!("{}\n", d.line())).collect();
    crate::output::print(&text)
}

/// Run until done or until SIGINT/SIGTERM (then exit 130).
async fn interruptible(work: impl std::future::Future<Output = Result<()>>) -> Result<()> {
    tokio::select! {
        r = work => r,
        _ = crate::runtime::signals::interrupted() => Err(Error::interrupted()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
