//! Reads: where the export publishes its view, the SyncTargets and `bind-edge` bindings seen
//! through it, and the candidate workspaces in the mailbox parent. Lists only: nothing here
//! costs a request per object.

use crate::error::{Error, Result};
use crate::kcp::types::{
    APIEXPORTENDPOINTSLICES, APIEXPORTS, ApiExport, ApiExportEndpointSlice, LOGICALCLUSTER, MetaOnly,
    PATH_ANNOTATION, WORKSPACES, Workspace, WorkspaceSummary,
};
use crate::kcp::{ApiErr, Kcp, ListQuery, Listed};
use crate::mailbox::layout::Layout;
use futures::StreamExt;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq)]
pub enum ExportState {
    /// The workspace that should hold the export does not exist.
    NoWorkspace,
    /// That workspace exists but is not Ready yet.
    WorkspaceNotReady,
    Missing,
    NotReady(String),
    Ready(Vec<String>),
}

fn export_label(layout: &Layout) -> String {
    format!(
        "APIExport {} in {}",
        layout.inventory_export_name, layout.inventory_export_path
    )
}

/// Where the export's view is served: `status.virtualWorkspaces` (kcp ≤ v0.27), else the
/// `APIExportEndpointSlice`s for it in the same workspace (newer kcp). Every URL is used:
/// there is one per shard.
pub async fn export_state(kcp: &Kcp, layout: &Layout) -> Result<ExportState> {
    let espw = kcp.cluster(&layout.inventory_export_path);
    tracing::debug!(
        "reading the {} to find where its view is served",
        export_label(layout)
    );
    let what = format!("failed to read the {}", export_label(layout));
    let export: Option<ApiExport> = match espw
        .get(&format!("{APIEXPORTS}/{}", layout.inventory_export_name))
        .await
    {
        Ok(e) => e,
        // kcp answers 403 for a workspace that does not exist or is not Ready: find out which.
        Err(e) if e.is_forbidden() => match presence(kcp, &layout.inventory_export_path).await {
            Presence::Missing => return Ok(ExportState::NoWorkspace),
            Presence::NotReady => return Ok(ExportState::WorkspaceNotReady),
            Presence::Ready | Presence::Unknown => return Err(read_error(e, &what, &espw.url(), layout)),
        },
        Err(e) => return Err(read_error(e, &what, &espw.url(), layout)),
    };
    let Some(export) = export else {
        // Users kcp lets in while the workspace initializes, and system:masters (which skips
        // authorization: a missing workspace reads as empty), get 404 here too: say which.
        return Ok(match presence(kcp, &layout.inventory_export_path).await {
            Presence::Missing => ExportState::NoWorkspace,
            Presence::NotReady => ExportState::WorkspaceNotReady,
            Presence::Ready | Presence::Unknown => ExportState::Missing,
        });
    };
    let mut urls = export.view_urls();
    if urls.is_empty() {
        let slices: Listed<ApiExportEndpointSlice> = espw
            .list(APIEXPORTENDPOINTSLICES, &ListQuery::default())
            .await
            .map_err(|e| e.to_error("failed to list APIExportEndpointSlices", &espw.url()))?;
        let own_path = layout.inventory_export_path.as_str();
        urls = slices
            .items
            .iter()
            .filter(|s| s.spec.export.name == layout.inventory_export_name)
            .filter(|s| {
                s.spec
                    .export
                    .path
                    .as_deref()
                    .is_none_or(|p| p.is_empty() || p == own_path)
            })
            .flat_map(|s| s.status.endpoints.iter().map(|e| e.url.clone()))
            .filter(|u| !u.is_empty())
            .collect();
    }
    urls.sort();
    urls.dedup();
    if urls.is_empty() {
        let why = match export.condition("VirtualWorkspaceURLsReady") {
            Some(c) if c.status != "True" => c
                .message
                .clone()
                .or(c.reason.clone())
                .unwrap_or_else(|| "its view URLs are not ready".into()),
            _ => {
                "it publishes no view URL yet (neither in its status nor in an APIExportEndpointSlice)".into()
            }
        };
        return Ok(ExportState::NotReady(why));
    }
    Ok(ExportState::Ready(urls))
}

/// Whether a workspace is there to be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Ready,
    /// It exists but does not serve its content yet.
    NotReady,
    Missing,
    /// It could not be told (e.g. a permission problem, which is then reported, not waited on).
    Unknown,
}

/// Whether the workspace at `path` exists and serves its content: one GET of its Workspace
/// in the parent (and up the tree while kcp answers 403 for a parent that does not exist).
pub fn presence<'a>(kcp: &'a Kcp, path: &'a str) -> futures::future::BoxFuture<'a, Presence> {
    Box::pin(async move {
        let Some((parent, name)) = crate::kcp::paths::split_parent(path) else {
            return Presence::Unknown;
        };
        match kcp
            .cluster(parent)
            .get::<Workspace>(&format!("{WORKSPACES}/{name}"))
            .await
        {
            Ok(Some(ws)) if ws.ready() => Presence::Ready,
            Ok(Some(_)) => Presence::NotReady,
            Ok(None) => Presence::Missing,
            // The parent is not readable either: if it does not exist, neither does this.
            Err(e) if e.is_forbidden() => match presence(kcp, parent).await {
                Presence::Missing | Presence::NotReady => Presence::Missing,
                _ => Presence::Unknown,
            },
            Err(_) => Presence::Unknown,
        }
    })
}

/// The error for an export whose workspace does not exist.
pub fn no_workspace_error(layout: &Layout) -> Error {
    Error::failed(format!(
        "the workspace {} does not exist",
        layout.inventory_export_path
    ))
    .hint("create it with `kubectl kubestellar init espw`, or pass --espw-path if the ESPW is elsewhere")
}

/// What `wait_for_view` does while the export's workspace does not exist at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfAbsent {
    /// A one-shot command: nothing will create it meanwhile, so say so at once.
    Fail,
    /// A controller: it may be created later (`init espw` after the controller starts).
    Wait,
}

fn read_error(e: ApiErr, what: &str, place: &str, layout: &Layout) -> Error {
    if e.is_forbidden() {
        return Error::failed(format!(
            "{what}: the user may not read it in {}",
            layout.inventory_export_path
        ))
        .hint("use a context whose user may read the ESPW (kcp's admin.kubeconfig context root)")
        .cause(e);
    }
    e.to_error(what, place)
}

/// Wait (bounded) until the export's view is ready; `on_wait` is told once why it waits, when
/// the wait is more than a moment. A workspace that does not exist is waited for only if
/// `if_absent` says so; one that exists but is not Ready, or an export not ready yet, always is.
pub async fn wait_for_view(
    kcp: &Kcp,
    layout: &Layout,
    deadline: Instant,
    if_absent: IfAbsent,
    mut on_wait: impl FnMut(&str),
) -> Result<Vec<String>> {
    let started = Instant::now();
    let mut said = false;
    loop {
        let (why, state) = match export_state(kcp, layout).await? {
            ExportState::Ready(urls) => return Ok(urls),
            ExportState::NoWorkspace if if_absent == IfAbsent::Fail => {
                return Err(no_workspace_error(layout));
            }
            s @ ExportState::NoWorkspace => (
                format!(
                    "the workspace {} does not exist yet",
                    layout.inventory_export_path
                ),
                s,
            ),
            s @ ExportState::WorkspaceNotReady => (
                format!("the workspace {} is not Ready yet", layout.inventory_export_path),
                s,
            ),
            s @ ExportState::Missing => (format!("the {} does not exist yet", export_label(layout)), s),
            ExportState::NotReady(r) => (
                format!("the {} is not ready: {r}", export_label(layout)),
                ExportState::NotReady(r),
            ),
        };
        if Instant::now() >= deadline {
            let e = Error::failed(format!("gave up waiting: {why}"));
            return Err(match state {
                ExportState::Missing | ExportState::NoWorkspace => e.hint("create it with `kubectl kubestellar init espw`, or pass --espw-path if the ESPW is elsewhere"),
                ExportState::WorkspaceNotReady => e.hint("look at its phase with `kubectl get workspace` in its parent"),
                _ => e.hint("check the export with `kubectl get apiexport -o yaml` in the ESPW"),
            });
        }
        if !said && started.elapsed() >= Duration::from_secs(2) {
            on_wait(&format!("waiting: {why}"));
            said = true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        tokio::time::sleep(left.min(Duration::from_millis(500))).await;
    }
}

/// The SyncTargets in every workspace bound to the export, as metadata.
pub async fn list_sync_targets(kcp: &Kcp, view_url: &str, layout: &Layout) -> Result<Vec<MetaOnly>, ApiErr> {
    let view = kcp.at(view_url).map_err(|e| ApiErr::decode(&e.message))?;
    tracing::debug!(
        view = view_url,
        "listing the SyncTargets through the export's view"
    );
    let q = ListQuery {
        metadata_only: true,
        ..Default::default()
    };
    Ok(view
        .list::<MetaOnly>(&format!("clusters/*/{}", layout.sync_targets_path()), &q)
        .await?
        .items)
}

/// The SyncTarget version the view serves, when it is not the layout's: the first version of
/// the group (preferred first) whose resources include `synctargets`. `None` when the
/// layout's version serves them, or none does.
pub async fn served_version(kcp: &Kcp, view_url: &str, layout: &Layout) -> Result<Option<String>, ApiErr> {
    #[derive(serde::Deserialize, Default)]
    struct Group {
        #[serde(default)]
        versions: Vec<Version>,
        #[serde(rename = "preferredVersion", default)]
        preferred: Version,
    }
    #[derive(serde::Deserialize, Default)]
    struct Version {
        #[serde(default)]
        version: String,
    }
    #[derive(serde::Deserialize)]
    struct Resources {
        #[serde(default)]
        resources: Vec<Resource>,
    }
    #[derive(serde::Deserialize)]
    struct Resource {
        name: String,
    }
    let view = kcp.at(view_url).map_err(|e| ApiErr::decode(&e.message))?;
    let group = &layout.sync_target_group;
    let serves = |v: String| {
        let view = view.clone();
        async move {
            let list: Option<Resources> = view.get(&format!("clusters/*/apis/{group}/{v}")).await?;
            Ok::<bool, ApiErr>(list.is_some_and(|l| l.resources.iter().any(|r| r.name == "synctargets")))
        }
    };
    if serves(layout.sync_target_version.clone()).await? {
        return Ok(None);
    }
    let Some(found) = view.get::<Group>(&format!("clusters/*/apis/{group}")).await? else {
        return Ok(None);
    };
    let candidates =
        std::iter::once(found.preferred.version).chain(found.versions.into_iter().map(|v| v.version));
    for v in candidates.filter(|v| !v.is_empty() && *v != layout.sync_target_version) {
        if serves(v.clone()).await? {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// SyncTargets through a view; when the layout's version is not served there and was not
/// given explicitly, the served one is used and `on_detect` is told.
pub async fn list_sync_targets_detecting(
    kcp: &Kcp,
    view_url: &str,
    layout: &Layout,
    on_detect: impl FnOnce(&str),
) -> Result<Vec<MetaOnly>, ApiErr> {
    match list_sync_targets(kcp, view_url, layout).await {
        Err(e) if e.is_not_found() && layout.detect_version => {
            match served_version(kcp, view_url, layout).await? {
                Some(v) => {
                    on_detect(&format!(
                        "detected: the view serves {group}/{v} SyncTargets, not {group}/{old}; using {v} (pass --sync-target-version to choose)",
                        group = layout.sync_target_group,
                        old = layout.sync_target_version
                    ));
                    let detected = Layout {
                        sync_target_version: v,
                        ..layout.clone()
                    };
                    list_sync_targets(kcp, view_url, &detected).await
                }
                None => nothing_bound_yet(kcp, view_url, e).await,
            }
        }
        Err(e) if e.is_not_found() => nothing_bound_yet(kcp, view_url, e).await,
        other => other,
    }
}

/// kcp v0.11's view answers a wildcard list of an exported resource with 404 while no
/// workspace binds the export. When the view's own list of bindings is empty, that 404 is a
/// complete read of nothing; otherwise it stands.
pub(crate) async fn nothing_bound_yet(
    kcp: &Kcp,
    view_url: &str,
    not_found: ApiErr,
) -> Result<Vec<MetaOnly>, ApiErr> {
    match list_view_bindings(kcp, view_url).await {
        Ok(Some(bindings)) if bindings.is_empty() => Ok(Vec::new()),
        _ => Err(not_found),
    }
}

pub fn sync_target_read_error(e: &ApiErr, url: &str, layout: &Layout) -> Error {
    let err = e.to_error("failed to list SyncTargets", url);
    if e.is_forbidden() {
        return Error::failed(err.message).cause(e).hint(format!(
            "the user may not read the export's view (it needs list and watch on apiexports/content of {} in {}); use a context with kcp's admin user",
            layout.inventory_export_name, layout.inventory_export_path
        ));
    }
    if e.is_not_found() {
        return err.hint(format!(
            "the view does not serve synctargets.{}/{}: check --layout (v0.14 or poc2023q1), --sync-target-group and --sync-target-version",
            layout.sync_target_group, layout.sync_target_version
        ));
    }
    err
}

/// The view URLs of the export `bind-edge` binds: the inventory's own when it is the same
/// export (v0.14), else looked up (one read). Empty when they cannot be had: each mailbox's
/// binding is then read directly.
pub async fn binding_views(kcp: &Kcp, layout: &Layout, inventory_views: &[String]) -> Vec<String> {
    if layout.binding_export_path == layout.inventory_export_path
        && layout.binding_export_name == layout.inventory_export_name
    {
        return inventory_views.to_vec();
    }
    let other = Layout {
        inventory_export_path: layout.binding_export_path.clone(),
        inventory_export_name: layout.binding_export_name.clone(),
        ..layout.clone()
    };
    match export_state(kcp, &other).await {
        Ok(ExportState::Ready(urls)) => urls,
        _ => vec![],
    }
}

/// The bindings to the export, as its view serves them (metadata: a name and a logical
/// cluster are all that is read); `None` if it does not serve them.
pub async fn list_view_bindings(kcp: &Kcp, view_url: &str) -> Result<Option<Vec<MetaOnly>>, ApiErr> {
    let view = kcp.at(view_url).map_err(|e| ApiErr::decode(&e.message))?;
    tracing::debug!(
        view = view_url,
        "listing the bindings through the view, to know which mailboxes hold {}",
        crate::mailbox::layout::BINDING_NAME
    );
    match view
        .list::<MetaOnly>(
            "clusters/*/apis/apis.kcp.io/v1alpha1/apibindings",
            &ListQuery {
                metadata_only: true,
                ..Default::default()
            },
        )
        .await
    {
        Ok(l) => Ok(Some(l.items)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn list_workspaces(kcp: &Kcp, parent: &str) -> Result<Vec<WorkspaceSummary>, ApiErr> {
    tracing::debug!(
        "listing the workspaces in {parent}: the mailboxes, and the paths of inventory workspaces"
    );
    Ok(kcp
        .cluster(parent)
        .list::<WorkspaceSummary>(WORKSPACES, &ListQuery::default())
        .await?
        .items)
}

/// The workspace paths of logical clusters, from the `kcp.io/path` annotation kcp puts on each
/// LogicalCluster: one GET per cluster (the few inventory workspaces, never one per
/// SyncTarget); `None` where it cannot be had (the ID is shown instead).
pub async fn lookup_paths(
    kcp: &Kcp,
    clusters: impl IntoIterator<Item = String>,
) -> Vec<(String, Option<String>)> {
    futures::stream::iter(clusters)
        .map(|c| async move {
            let path = match kcp.cluster(&c).get::<MetaOnly>(LOGICALCLUSTER).await {
                Ok(lc) => lc.and_then(|l| l.annotation(PATH_ANNOTATION).map(String::from)),
                Err(e) => {
                    tracing::debug!(cluster = %c, error = %e, "cannot read the LogicalCluster; showing its ID");
                    None
                }
            };
            tracing::debug!(cluster = %c, path = path.as_deref().unwrap_or("?"), "looked up the path of an inventory workspace");
            (c, path)
        })
        .buffer_unordered(8)
        .collect()
        .await
}
