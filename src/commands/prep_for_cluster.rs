//! `kubectl kubestellar prep-for-cluster [--imw PATH] NAME KEY=VALUE...`: KubeStellar v0.14's
//! `ensure location` then `prep-for-syncer`, with the flags of both.

use crate::commands::Context;
use crate::error::{Error, Result};
use crate::kubestellar::location::{LocationOptions, ensure_location, parse_args};
use crate::kubestellar::resolve_path;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The name of the SyncTarget and Location, then their labels as KEY=VALUE
    #[arg(value_name = "NAME KEY=VALUE", num_args = 1.., required = true)]
    pub args: Vec<String>,
    /// The inventory workspace [default: the workspace the kubeconfig points into]
    #[arg(long, value_name = "PATH", default_value = ".", hide_default_value = true)]
    pub imw: String,
    /// The syncer's container image [default: KubeStellar v0.14's]
    #[arg(long, value_name = "REF")]
    pub syncer_image: Option<String>,
    /// Where to write the syncer's YAML for the edge cluster [default: NAME-syncer.yaml]
    #[arg(short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Less output (KubeStellar's -s)
    #[arg(short = 's', long)]
    pub silent: bool,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    let (name, labels) = parse_args(&args.args)?;
    crate::commands::check_path("--espw-path", &ctx.global.espw_path)?;
    let kcp = ctx.connect().await?;
    let opts = LocationOptions {
        imw: resolve_path("--imw", &args.imw, kcp.kubeconfig_workspace())?,
        espw: ctx.global.espw_path.clone(),
        name,
        labels,
    };
    let done = ensure_location(&kcp, &opts).await?;
    if !args.silent {
        crate::commands::print_done(&done)?;
    }
    // The syncer's half: its identity in the mailbox and its YAML, as `prep-for-syncer`.
    Err(Error::failed(format!(
        "the SyncTarget and Location {} are made in {}, but this build of the plugin cannot prepare the syncer (prep-for-syncer is not part of it)",
        opts.name, opts.imw
    ))
    .hint("run KubeStellar v0.14's kubectl-kubestellar-prep_for_syncer for that half, or a plugin build that has prep-for-syncer"))
}
