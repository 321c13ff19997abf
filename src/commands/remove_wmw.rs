//! `kubectl kubestellar remove wmw NAME...`: delete workload management workspaces.

use crate::commands::Context;
use crate::error::{Error, Result};
use crate::workspace::remove::{Removal, RemoveOptions, check_names, inspect, remove_one};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Names of the workspaces to delete
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Workspace path the named workspaces are in
    #[arg(long, value_name = "PATH", default_value = "root")]
    pub parent: String,
    /// Ask before deleting (on a terminal); without it nothing asks, as with `kubectl delete`
    #[arg(short, long)]
    pub interactive: bool,
    /// Delete even the ESPW, mailbox and inventory workspaces, and ones that provide APIExports
    #[arg(long)]
    pub force: bool,
    /// Wait until each workspace is gone
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub wait: bool,
    /// Bound on waiting for each workspace to be gone
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = crate::duration::parse)]
    pub timeout: Duration,
    /// Which workspaces are mailboxes and inventories depends on the layout.
    #[command(flatten)]
    pub layout: crate::commands::LayoutArgs,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    check_names(&args.parent, &args.names)?;
    if args.interactive && !ctx.ui.interactive {
        return Err(
            Error::usage("--interactive needs a terminal to ask on; nothing was deleted")
                .hint("run it in a terminal, or leave out -i"),
        );
    }
    let layout = ctx.layout(&args.layout)?;
    let kcp = ctx.connect().await?;
    let opts = RemoveOptions {
        parent: args.parent.clone(),
        names: args.names.clone(),
        force: args.force,
        wait: args.wait,
        timeout: args.timeout,
        espw_path: ctx.global.espw_path.clone(),
        layout,
    };
    let found = inspect(&kcp, &opts).await?;
    let refused: Vec<String> = found.iter().filter_map(|(_, _, r)| r.clone()).collect();
    if found.iter().any(|(_, ws, _)| ws.is_none()) {
        let kubeconfig_ws = kcp.kubeconfig_workspace().filter(|w| *w != opts.parent);
        // A workspace removed before (the kubeconfig may still point into it) is no place to
        // send the user to.
        let exists = match kubeconfig_ws {
            Some(w) => !matches!(crate::kcp::presence(&kcp, w).await, crate::kcp::Presence::Missing),
            None => true,
        };
        for (name, ws, _) in &found {
            if ws.is_none() {
                ctx.ui.note(&format!(
                    "workspace \"{name}\" not found in {} ({}); nothing to delete",
                    opts.parent,
                    elsewhere(kubeconfig_ws, &opts.parent, exists)
                ));
            }
        }
    }
    let doomed: Vec<_> = found
        .iter()
        .filter_map(|(_, ws, r)| ws.as_ref().filter(|_| r.is_none()))
        .collect();
    if !doomed.is_empty() && args.interactive {
        let list: Vec<String> = doomed
            .iter()
            .map(|w| format!("{}:{}", opts.parent, w.name()))
            .collect();
        if !ctx.ui.confirm(&format!(
            "Delete workspace(s) {} and everything in them?",
            list.join(", ")
        ))? {
            ctx.ui.note("Nothing was deleted.");
            return refusal_result(&refused);
        }
    }
    let mut failures = Vec::new();
    for ws in doomed {
        let spinner = ctx.ui.spinner(&format!("deleting workspace {}", ws.name()));
        let outcome = remove_one(&kcp, &opts, ws).await;
        spinner.finish();
        match outcome {
            Removal::Deleted => crate::output::print(&format!("workspace \"{}\" deleted\n", ws.name()))?,
            Removal::Deleting => {
                crate::output::print(&format!("workspace \"{}\" is being deleted\n", ws.name()))?
            }
            Removal::Missing => ctx
                .ui
                .note(&format!("workspace \"{}\" was already gone", ws.name())),
            Removal::Failed { error } => failures.push(error),
        }
    }
    if !failures.is_empty() {
        return Err(Error::failed(failures.join("; "))
            .hint("the other workspaces were handled; run it again for these"));
    }
    refusal_result(&refused)
}

/// Where else to look: the workspace the kubeconfig points into (after `kubectl ws
/// root:my-org`), when that is not where this looked and it `exists`.
fn elsewhere(kubeconfig_workspace: Option<&str>, parent: &str, exists: bool) -> String {
    match kubeconfig_workspace.filter(|w| *w != parent) {
        Some(w) if exists => format!("the kubeconfig's server is in {w}: use --parent {w} to look there"),
        Some(w) => format!(
            "the kubeconfig's server is in {w}, which does not exist (any more): `kubectl ws root` points it elsewhere; use --parent to choose another parent workspace"
        ),
        None => "use --parent to choose another parent workspace".into(),
    }
}

fn refusal_result(refused: &[String]) -> Result<()> {
    if refused.is_empty() {
        return Ok(());
    }
    Err(Error::usage(format!("refused to delete: {}", refused.join("; ")))
        .hint("pass --force if you really mean it"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_workspace_names_where_else_to_look() {
        assert_eq!(
            super::elsewhere(Some("root:my-org"), "root", true),
            "the kubeconfig's server is in root:my-org: use --parent root:my-org to look there"
        );
        assert_eq!(
            super::elsewhere(Some("root"), "root", true),
            "use --parent to choose another parent workspace"
        );
        assert_eq!(
            super::elsewhere(None, "root", true),
            "use --parent to choose another parent workspace"
        );
        // Not to the workspace removed before, which the kubeconfig still points into.
        let gone = super::elsewhere(Some("root:wmw1"), "root", false);
        assert!(!gone.contains("--parent root:wmw1"), "{gone}");
    }
}
