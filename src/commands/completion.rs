//! `kubectl kubestellar completion SHELL`: the scripts kept under `completions/`.

use crate::error::Result;
use clap::CommandFactory;
use clap_complete::Shell;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// bash, zsh, fish, powershell or elvish
    pub shell: Shell,
}

/// The completion script for a shell, as `completion` prints it.
pub fn script(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::commands::Cli::command(),
        "kubectl-kubestellar",
        &mut buf,
    );
    String::from_utf8(buf).unwrap_or_default()
}

pub(crate) fn run(args: &Args) -> Result<()> {
    crate::output::print(&script(args.shell))?;
    Ok(())
}
