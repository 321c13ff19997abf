//! `kubectl kubestellar ensure location [--imw PATH] NAME KEY=VALUE...`: KubeStellar v0.14's
//! inventory entry for an edge cluster (a SyncTarget and a Location).

use crate::commands::Context;
use crate::error::Result;
use crate::kubestellar::location::{LocationOptions, ensure_location, parse_args};
use crate::kubestellar::resolve_path;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The name of the SyncTarget and Location, then their labels as KEY=VALUE
    #[arg(value_name = "NAME KEY=VALUE", num_args = 1.., required = true)]
    pub args: Vec<String>,
    /// The inventory workspace [default: the workspace the kubeconfig points into]
    #[arg(long, value_name = "PATH", default_value = ".", hide_default_value = true)]
    pub imw: String,
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
    crate::commands::print_done(&done)
}
