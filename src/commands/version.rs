//! `kubectl kubestellar version`: what this binary is and what it was built from.

use crate::error::Result;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub(crate) fn text() -> String {
    format!(
        "kubectl-kubestellar {} (commit {}, built with rustc {})\n",
        env!("CARGO_PKG_VERSION"),
        option_env!("KUBESTELLAR_GIT_COMMIT").unwrap_or("unknown"),
        option_env!("KUBESTELLAR_RUSTC_VERSION").unwrap_or("unknown")
    )
}

/// The version, and any KubeStellar executables on PATH that kubectl runs instead of this
/// plugin (so a user can tell which one answers).
pub(crate) fn run(_: &Args) -> Result<()> {
    let shadows = crate::kubestellar::shadows::current(&crate::commands::names());
    crate::output::print(&format!(
        "{}{}",
        text(),
        crate::kubestellar::shadows::warning(&shadows)
    ))
}
