//! `ensure wmw`: a workload management workspace as KubeStellar v0.14's
//! `kubectl-kubestellar-ensure-wmw` makes it: `root:<name>`, its `bind-espw` to the edge
//! export, and (with `--with-kube true`, the default) a `bind-<export>` to each of the
//! Kubernetes API exports of `root:compute`; with `false`, those bindings are deleted. Every
//! export it is to bind is checked first, so a missing one leaves nothing half-made.

use super::{Done, Verb, binds, ensure_binding};
use crate::edge_api;
use crate::error::{Error, Result};
use crate::kcp::Address;
use crate::kcp::types::{ApiBinding, ApiExport};
use crate::kcp::{Kcp, ListQuery, paths};
use crate::workspace::compute::{COMPUTE, WMW_EXPORTS};
use crate::workspace::ensure_workspace;
use std::time::Duration;
use tokio::time::Instant;

/// Where the script puts every WMW.
pub(crate) const PARENT: &str = "root";

#[derive(Debug, Clone)]
pub(crate) struct WmwOptions {
    pub name: String,
    pub espw: String,
    pub with_kube: bool,
    /// Bound on waiting for a new workspace to be Ready.
    pub timeout: Duration,
}

pub(crate) async fn ensure_wmw(kcp: &Kcp, opts: &WmwOptions) -> Result<Vec<Done>> {
    paths::check_workspace_name(&opts.name).map_err(Error::usage)?;
    check_exports(kcp, opts).await?;
    let deadline = Instant::now() + opts.timeout;
    let created = ensure_workspace(kcp, PARENT, &opts.name, deadline, false).await?;
    let path = format!("{PARENT}:{}", opts.name);
    let action = |made: bool| if made { Verb::Created } else { Verb::Unchanged };
    let mut done = vec![Done::new("workspace.tenancy.kcp.io", &opts.name, action(created))];
    let wmw = kcp.cluster(&path);
    let made = ensure_binding(&wmw, "bind-espw", &opts.espw, edge_api::EXPORT_NAME).await?;
    done.push(Done::new("apibinding.apis.kcp.io", "bind-espw", action(made)));
    for export in WMW_EXPORTS {
        let binding = format!("bind-{export}");
        if opts.with_kube {
            let made = ensure_binding(&wmw, &binding, COMPUTE, export).await?;
            done.push(Done::new("apibinding.apis.kcp.io", &binding, action(made)));
            continue;
        }
        let rel = ApiBinding::object(&binding);
        let existing: Option<ApiBinding> = wmw
            .get(&rel)
            .await
            .map_err(|e| e.to_error(&format!("failed to read APIBinding {binding}"), &wmw.url()))?;
        // Only what binds that export is the script's to delete.
        if let Some(b) = existing.filter(|b| binds(b, COMPUTE, export)) {
            let uid = b.metadata.uid.clone();
            if wmw
                .delete(&rel, uid.as_deref())
                .await
                .map_err(|e| e.to_error(&format!("failed to delete APIBinding {binding}"), &wmw.url()))?
            {
                done.push(Done::new("apibinding.apis.kcp.io", &binding, Verb::Deleted));
            }
        }
    }
    Ok(done)
}

/// Refuse before anything is written when an export the WMW is to bind is not there (kcp
/// would refuse the binding, after the workspace was made).
async fn check_exports(kcp: &Kcp, opts: &WmwOptions) -> Result<()> {
    let generation = kcp.generation().await;
    let espw = kcp.cluster(&opts.espw);
    let edge: Option<ApiExport> = espw
        .get(&format!("{}/{}", generation.apiexports(), edge_api::EXPORT_NAME))
        .await
        .or_else(|e| if e.is_forbidden() { Ok(None) } else { Err(e) })
        .map_err(|e| e.to_error("failed to read the edge APIExport", &espw.url()))?;
    if edge.is_none() {
        return Err(Error::failed(format!(
            "there is no APIExport {} in {}: the WMW could not bind it; nothing was made",
            edge_api::EXPORT_NAME,
            opts.espw
        ))
        .hint("run `kubectl kubestellar init espw` first"));
    }
    if !opts.with_kube {
        return Ok(());
    }
    let compute = kcp.cluster(COMPUTE);
    let present: Vec<String> = match compute
        .list::<ApiExport>(&generation.apiexports(), &ListQuery::default())
        .await
    {
        Ok(l) => l.items.iter().filter_map(|e| e.metadata.name.clone()).collect(),
        // kcp answers 403 for a workspace that is not there.
        Err(e) if e.is_forbidden() || e.is_not_found() => vec![],
        Err(e) => return Err(e.to_error("failed to list the APIExports of root:compute", &compute.url())),
    };
    let missing: Vec<&str> = WMW_EXPORTS
        .iter()
        .copied()
        .filter(|e| !present.iter().any(|p| p == e))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::failed(format!(
        "{COMPUTE} lacks the Kubernetes API export(s) {} that --with-kube true binds; nothing was made",
        missing.join(", ")
    ))
    .hint(if missing.contains(&"kubernetes") {
        "the `kubernetes` export comes with kcp v0.11's root:compute (kcp's root-compute-workspace battery); without it, pass --with-kube false"
    } else {
        "run `kubectl kubestellar init espw`, which adds them, or pass --with-kube false"
    }))
}
