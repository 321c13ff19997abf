//! `kubectl kubestellar ensure location [--imw PATH] NAME KEY=VALUE...`: KubeStellar v0.14's
//! inventory entry for an edge cluster (a SyncTarget and a Location).

use crate::commands::Context;
use crate::error::Result;
use crate::kcp::Kcp;
use crate::kubestellar::location::{LocationOptions, ensure_location, parse_args};
use crate::kubestellar::resolve_path;

#[derive(clap::Args, Debug)]
// Its own group name: `prep-for-cluster` flattens it into its own `Args`.
#[group(id = "location")]
pub struct Args {
    /// The name of the SyncTarget and Location, then their labels as KEY=VALUE
    #[arg(value_name = "NAME KEY=VALUE", num_args = 1.., required = true)]
    pub args: Vec<String>,
    /// The inventory workspace [default: the workspace the kubeconfig points into]
    #[arg(long, value_name = "PATH", default_value = ".", hide_default_value = true)]
    pub imw: String,
}

impl Args {
    /// The pair to ensure, the IMW resolved against the kubeconfig's workspace.
    pub(crate) fn options(&self, ctx: &Context, kcp: &Kcp) -> Result<LocationOptions> {
        let (name, labels) = parse_args(&self.args)?;
        crate::commands::check_path("--espw-path", &ctx.global.espw_path)?;
        Ok(LocationOptions {
            imw: resolve_path("--imw", &self.imw, kcp.kubeconfig_workspace())?,
            espw: ctx.global.espw_path.clone(),
            name,
            labels,
        })
    }
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    let kcp = ctx.connect().await?;
    let done = ensure_location(&kcp, &args.options(ctx, &kcp)?).await?;
    crate::commands::print_done(&done)
}
