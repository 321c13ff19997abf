//! `kubectl kubestellar prep-for-syncer SYNCTARGET`: the syncer's identity in the SyncTarget's
//! mailbox, and the YAML that installs the syncer in the edge cluster (KubeStellar v0.14's
//! syntax: `--imw`, `--espw`, `--syncer-image`, `-o FILE`, `-s`).

use crate::commands::Context;
use crate::error::{Error, Result};
use crate::output::{self, print};
use crate::syncer::{DEFAULT_SYNCER_IMAGE, PrepOptions, Prepared, prep_for_syncer};
use crate::workspace::{Item, Made};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Name of the SyncTarget
    #[arg(value_name = "SYNCTARGET")]
    pub sync_target: String,
    /// Inventory management workspace holding the SyncTarget [default: the kubeconfig's current workspace]
    #[arg(long, value_name = "PATH")]
    pub imw: Option<String>,
    /// Edge service provider workspace [default: --espw-path, root:espw]
    #[arg(long, value_name = "PATH")]
    pub espw: Option<String>,
    /// Container image of the syncer
    #[arg(long, value_name = "IMAGE", default_value = DEFAULT_SYNCER_IMAGE)]
    pub syncer_image: String,
    /// File to write the edge cluster's YAML to; - for stdout [default: SYNCTARGET-syncer.yaml]
    #[arg(short = 'o', value_name = "FILE")]
    pub output: Option<String>,
    /// Print nothing but errors (and the YAML, with -o -)
    #[arg(short = 's', long = "silent")]
    pub silent: bool,
    /// Bound on waiting for the mailbox, its bind-edge and the token
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = crate::duration::parse)]
    pub timeout: Duration,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    let kcp = ctx.connect().await?;
    let imw = match &args.imw {
        Some(p) => p.clone(),
        // KubeStellar's script takes `kubectl ws .`, the kubeconfig's current workspace.
        None => kcp.kubeconfig_workspace().map(String::from).ok_or_else(|| {
            Error::usage("the kubeconfig's server is not a workspace URL, so there is no current workspace to find the SyncTarget in")
                .hint("pass --imw with the inventory management workspace, e.g. --imw root:imw1")
        })?,
    };
    let opts = PrepOptions {
        sync_target: args.sync_target.clone(),
        imw,
        espw: args.espw.clone().unwrap_or_else(|| ctx.global.espw_path.clone()),
        mailbox_parent: "root".into(),
        syncer_image: args.syncer_image.clone(),
        kubeconfig: ctx.global.kubeconfig.clone(),
        timeout: args.timeout,
    };
    let file = args
        .output
        .clone()
        .unwrap_or_else(|| format!("{}-syncer.yaml", args.sync_target));
    let quiet_ui = crate::ui::Ui {
        quiet: true,
        ..ctx.ui.clone()
    };
    let feedback = if args.silent { &quiet_ui } else { &ctx.ui };
    let prepared = prep_for_syncer(&kcp, &opts, feedback).await?;
    write(&prepared, &file, args.silent, ctx)
}

/// Say what was made and write the YAML to `file` (`-`: stdout, and the summary to stderr);
/// `silent`: nothing but the YAML. For `prep-for-cluster` too.
pub(crate) fn write(prepared: &Prepared, file: &str, silent: bool, ctx: &Context) -> Result<()> {
    let cells = |i: &Item| {
        let change = match i.change {
            Made::Created => "created",
            Made::Updated => "updated",
            Made::Unchanged => "unchanged",
        };
        vec![i.kind.to_string(), i.name.clone(), change.to_string()]
    };
    let summary = format!(
        "In {}:\n{}",
        prepared.mailbox,
        output::table(&["KIND", "NAME", "RESULT"], &prepared.items, cells, false)
    );
    if file == "-" {
        if !silent {
            ctx.ui.note(summary.trim_end());
        }
        return print(&prepared.manifest);
    }
    std::fs::write(file, &prepared.manifest).map_err(|e| {
        Error::usage(format!("cannot write the syncer's YAML to {file}"))
            .hint("pass -o with a writable path, or -o - for stdout")
            .cause(e)
    })?;
    if silent {
        return Ok(());
    }
    print(&format!(
        "{summary}\nWrote the edge cluster's YAML for syncer {id} to {file}. Apply it with\n\n  KUBECONFIG=<edge cluster kubeconfig> kubectl apply -f {file}\n",
        id = prepared.syncer_id
    ))
}
