//! `remove wmw`, the operation: delete workload management workspaces, refusing the ones that
//! are clearly not WMWs (the ESPW, mailboxes, inventory workspaces) unless forced, and wait
//! until each is gone. It addresses workspaces by path: the kubeconfig and the user's current
//! workspace are never touched.

use crate::error::{Error, Result};
use crate::kcp::Address;
use crate::kcp::types::Workspace;
use crate::kcp::{Kcp, ListQuery, Presence, paths, presence};
use crate::mailbox::layout::Layout;
use crate::mailbox::naming::has_mailbox_form;
use serde::Serialize;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub(crate) struct RemoveOptions {
    pub parent: String,
    pub names: Vec<String>,
    pub force: bool,
    pub wait: bool,
    pub timeout: Duration,
    /// Where the ESPW is, and what a mailbox and a SyncTarget look like.
    pub espw_path: String,
    pub layout: Layout,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "lowercase")]
pub(crate) enum Removal {
    Deleted,
    /// Deletion started; not waited for.
    Deleting,
    Missing,
    Failed {
        error: String,
    },
}

/// Refuse invalid names before any request.
pub(crate) fn check_names(parent: &str, names: &[String]) -> Result<()> {
    paths::check_path(parent).map_err(|e| Error::usage(format!("--parent: {e}")))?;
    if names.is_empty() {
        return Err(Error::usage("no workspace name given")
            .hint("name one or more, e.g. kubectl kubestellar remove wmw wmw1"));
    }
    let bad: Vec<String> = names
        .iter()
        .filter_map(|n| paths::check_workspace_name(n).err())
        .collect();
    if !bad.is_empty() {
        return Err(Error::usage(bad.join("; ")).hint("nothing was deleted"));
    }
    Ok(())
}

/// Why `ws` must not be removed as a WMW, if it must not.
pub(crate) async fn refusal(kcp: &Kcp, opts: &RemoveOptions, ws: &Workspace) -> Result<Option<String>> {
    let annotated = ws.annotation(&opts.layout.annotation_key).is_some();
    refusal_of(kcp, opts, ws.name(), annotated, ws.ready()).await
}

/// The same from what a listing shows of a workspace: its name, whether it carries the
/// mailbox annotation, whether it is Ready (only then is its content looked at).
pub(crate) async fn refusal_of(
    kcp: &Kcp,
    opts: &RemoveOptions,
    name: &str,
    annotated: bool,
    ready: bool,
) -> Result<Option<String>> {
    let path = format!("{}:{name}", opts.parent);
    if path == opts.espw_path
        || path == opts.layout.binding_export_path
        || path == opts.layout.inventory_export_path
    {
        return Ok(Some(format!("{path} is the edge service provider workspace")));
    }
    if has_mailbox_form(name) || annotated {
        return Ok(Some(format!(
            "{path} is a mailbox workspace (mailbox sync and mailbox watch manage those)"
        )));
    }
    if !ready {
        return Ok(None);
    }
    let inside = kcp.cluster(&path);
    let meta = ListQuery {
        metadata_only: true,
        ..Default::default()
    };
    // The edge API is not bound there: no SyncTargets (404).
    let sync_targets = count(
        &inside,
        &opts.layout.sync_targets_path(),
        &meta,
        "SyncTargets",
        &path,
    )
    .await?;
    if sync_targets > 0 {
        return Ok(Some(format!(
            "{path} holds {sync_targets} SyncTarget(s): it is an inventory workspace"
        )));
    }
    let exports = count(
        &inside,
        &kcp.generation().await.apiexports(),
        &meta,
        "APIExports",
        &path,
    )
    .await?;
    if exports > 0 {
        return Ok(Some(format!(
            "{path} provides {exports} APIExport(s) that other workspaces may bind (as kcp's root:compute provides the Kubernetes APIs every WMW binds)"
        )));
    }
    Ok(None)
}

/// How many objects a collection holds; none where it is not served.
async fn count(
    inside: &crate::kcp::Scope,
    rel: &str,
    q: &ListQuery,
    what: &str,
    path: &str,
) -> Result<usize> {
    match inside.list::<crate::kcp::types::MetaOnly>(rel, q).await {
        Ok(l) => Ok(l.items.len()),
        Err(e) if e.is_not_found() => Ok(0),
        Err(e) => Err(e.to_error(&format!("failed to look for {what} in {path}"), &inside.url())),
    }
}

/// Look at each workspace: `Ok` with what exists and what is refused.
pub(crate) async fn inspect(
    kcp: &Kcp,
    opts: &RemoveOptions,
) -> Result<Vec<(String, Option<Workspace>, Option<String>)>> {
    let scope = kcp.cluster(&opts.parent);
    let mut out = Vec::new();
    for name in &opts.names {
        let ws: Option<Workspace> = match scope.get(&Workspace::object(name)).await {
            Ok(ws) => ws,
            Err(e) if e.is_forbidden() => return Err(forbidden(kcp, &opts.parent, e).await),
            Err(e) => {
                return Err(e.to_error(
                    &format!("failed to read workspace {name} in {}", opts.parent),
                    &scope.url(),
                ));
            }
        };
        let refused = match (&ws, opts.force) {
            (Some(w), false) => refusal(kcp, opts, w).await?,
            _ => None,
        };
        out.push((name.clone(), ws, refused));
    }
    Ok(out)
}

/// kcp answers 403 both for a parent that does not exist and for a user who may not read it:
/// say which.
async fn forbidden(kcp: &Kcp, parent: &str, e: crate::kcp::ApiErr) -> Error {
    match presence(kcp, parent).await {
        Presence::Missing | Presence::NotReady => Error::usage(format!(
            "the parent workspace {parent} does not exist (or is not Ready); nothing was deleted"
        ))
        .hint("pass --parent with the path of an existing workspace, e.g. --parent root"),
        _ => Error::failed(format!(
            "the user may not read the workspaces in {parent}; nothing was deleted"
        ))
        .hint("use a context whose user may (kcp's admin.kubeconfig context root), or another --parent"),
    }
    .cause(e)
}

/// Delete one workspace (its UID as a precondition) and, unless told not to, wait until gone.
pub(crate) async fn remove_one(kcp: &Kcp, opts: &RemoveOptions, ws: &Workspace) -> Removal {
    let scope = kcp.cluster(&opts.parent);
    let name = ws.name();
    let uid = ws.metadata.uid.clone().unwrap_or_default();
    match scope.delete(&Workspace::object(name), Some(&uid)).await {
        Ok(false) => return Removal::Missing,
        Ok(true) => {}
        Err(e) => {
            return Removal::Failed {
                error: e
                    .to_error(&format!("failed to delete workspace {name}"), &scope.url())
                    .message,
            };
        }
    }
    if !opts.wait {
        return Removal::Deleting;
    }
    let deadline = Instant::now() + opts.timeout;
    let gone = |w: Option<&Workspace>| w.is_none_or(|w| w.metadata.uid.as_deref() != Some(uid.as_str()));
    match super::wait_for(kcp, &opts.parent, name, deadline, "be deleted", gone).await {
        Ok(()) => Removal::Deleted,
        Err(e) => Removal::Failed { error: e.message },
    }
}
