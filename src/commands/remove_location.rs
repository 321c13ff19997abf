//! `kubectl kubestellar remove location [--imw PATH] NAME`: delete what `ensure location`
//! made (the SyncTarget and the Location; not the binding).

use crate::commands::Context;
use crate::error::Result;
use crate::kubestellar::location::{check_name, remove_location};
use crate::kubestellar::resolve_path;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The name of the SyncTarget and Location
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The inventory workspace [default: the workspace the kubeconfig points into]
    #[arg(long, value_name = "PATH", default_value = ".", hide_default_value = true)]
    pub imw: String,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    check_name(&args.name)?;
    let kcp = ctx.connect().await?;
    let imw = resolve_path("--imw", &args.imw, kcp.kubeconfig_workspace())?;
    let done = remove_location(&kcp, &imw, &args.name).await?;
    if done.is_empty() {
        ctx.ui.note(&format!(
            "no SyncTarget or Location \"{}\" in {imw}; nothing to delete",
            args.name
        ));
    }
    crate::commands::print_done(&done)
}
