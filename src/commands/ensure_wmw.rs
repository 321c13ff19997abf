//! `kubectl kubestellar ensure wmw [--with-kube BOOL] NAME`: KubeStellar v0.14's workload
//! management workspace, `root:NAME`, with its bindings.

use crate::commands::Context;
use crate::error::Result;
use crate::kubestellar::wmw::{WmwOptions, ensure_wmw};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The workspace's name (it is made in root)
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Bind root:compute's Kubernetes API exports too (false deletes those bindings)
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub with_kube: bool,
    /// Bound on waiting for a new workspace to be Ready
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = crate::duration::parse)]
    pub timeout: Duration,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    crate::commands::check_path("--espw-path", &ctx.global.espw_path)?;
    let kcp = ctx.connect().await?;
    let opts = WmwOptions {
        name: args.name.clone(),
        espw: ctx.global.espw_path.clone(),
        with_kube: args.with_kube,
        timeout: args.timeout,
    };
    let spinner = ctx.ui.spinner(&format!("ensuring workspace root:{}", args.name));
    let done = ensure_wmw(&kcp, &opts).await;
    spinner.finish();
    crate::commands::print_done(&done?)
}
