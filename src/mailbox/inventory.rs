//! Reads: where the export publishes its view, the SyncTargets and `bind-edge` bindings seen
//! through it, and the candidate workspaces in the mailbox parent. Lists only: nothing here
//! costs a request per object.

use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::types::{
    APIEXPORTENDPOINTSLICES, ApiExport, ApiExportEndpointSlice, LOGICALCLUSTER, MetaOnly, PATH_ANNOTATION,
    WORKSPACES, Workspace, WorkspaceSummary,
};
use crate::kcp::{ApiErr, Kcp, ListQuery, Listed};
use crate::mailbox::layout::Layout;
use crate::mailbox::observed::Observed;
use futures::StreamExt;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExportState {
    /// The workspace that should hold the export does not exist.
    NoWorkspace,
    /// That workspace exists but is not Ready yet.
    WorkspaceNotReady,
    Missing,
    NotReady(String),
    /// The view URLs; none when nothing binds the export yet (kcp v0.28 and later).
    Ready(Vec<String>),
}

impl ExportState {
    /// The view URLs of a Ready export (none otherwise).
    pub(crate) fn into_urls(self) -> Vec<String> {
        match self {
            ExportState::Ready(urls) => urls,
            _ => Vec::new(),
        }
    }
}

fn export_label(layout: &Layout) -> String {
    format!(
        "APIExport {} in {}",
        layout.inventory_export_name, layout.inventory_export_path
    )
}

/// Where the export's view is served: `status.virtualWorkspaces` (kcp ≤ v0.27), else the
/// `APIExportEndpointSlice`s for it in the same workspace (newer kcp). Every URL is used:
/// there is one per shard. On kcp v0.28 and later ([`Generation::V0_32`]) the slice kcp makes,
/// named after the export, lists a shard only once something there binds the export: an
/// empty slice is `Ready` with no URL, "nothing bound yet" (never a complete read of nothing).
pub(crate) async fn export_state(kcp: &Kcp, layout: &Layout) -> Result<ExportState> {
    let generation = kcp.generation().await;
    let espw = kcp.cluster(&layout.inventory_export_path);
    tracing::debug!(
        "reading the {} to find where its view is served",
        export_label(layout)
    );
    let what = format!("failed to read the {}", export_label(layout));
    let export: Option<ApiExport> = match espw
        .get(&format!(
            "{}/{}",
            generation.apiexports(),
            layout.inventory_export_name
        ))
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
    if urls.is_empty() && generation.slice_urls() {
        // The slice kcp makes, named after the export.
        let named: Option<ApiExportEndpointSlice> = espw
            .get(&format!(
                "{APIEXPORTENDPOINTSLICES}/{}",
                layout.inventory_export_name
            ))
            .await
            .map_err(|e| e.to_error("failed to read the APIExportEndpointSlice", &espw.url()))?;
        let slices = match named {
            Some(s) => vec![s],
            // Made by hand (the export opted out of kcp's): any slice of the export.
            None => own_slices(&espw, layout).await?,
        };
        if slices.is_empty() {
            return Ok(ExportState::NotReady(format!(
                "kcp has not made its APIExportEndpointSlice {} yet",
                layout.inventory_export_name
            )));
        }
        let mut urls: Vec<String> = slices.iter().flat_map(|s| s.urls()).collect();
        urls.sort();
        urls.dedup();
        if urls.is_empty() {
            tracing::debug!(
                "the {}'s endpoint slice lists no URL: nothing binds it yet",
                export_label(layout)
            );
        }
        return Ok(ExportState::Ready(urls));
    }
    if urls.is_empty() {
        urls = own_slices(&espw, layout)
            .await?
            .iter()
            .flat_map(|s| s.urls())
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

/// The APIExportEndpointSlices in the export's workspace that are for the export.
async fn own_slices(espw: &crate::kcp::Scope, layout: &Layout) -> Result<Vec<ApiExportEndpointSlice>> {
    let slices: Listed<ApiExportEndpointSlice> = espw
        .list(APIEXPORTENDPOINTSLICES, &ListQuery::default())
        .await
        .map_err(|e| e.to_error("failed to list APIExportEndpointSlices", &espw.url()))?;
    let own_path = layout.inventory_export_path.as_str();
    Ok(slices
        .items
        .into_iter()
        .filter(|s| s.spec.export.name == layout.inventory_export_name)
        .filter(|s| {
            s.spec
                .export
                .path
                .as_deref()
                .is_none_or(|p| p.is_empty() || p == own_path)
        })
        .collect())
}

/// What is said when the export's view has no URL yet (kcp v0.28+: nothing binds it).
pub(crate) fn nothing_bound_note(layout: &Layout) -> String {
    format!(
        "the {} has no view yet: nothing binds it (kcp v0.28 and later publish a view only once a workspace binds the export), so there are no SyncTargets to read and no mailbox is deleted",
        export_label(layout)
    )
}

/// Whether a workspace is there to be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    Ready,
    /// It exists but does not serve its content yet.
    NotReady,
    Missing,
    /// It could not be told (e.g. a permission problem, which is then reported, not waited on).
    Unknown,
}

/// Whether the workspace at `path` exists and serves its content: one GET of its Workspace
/// in the parent (and up the tree while kcp answers 403 for a parent that does not exist).
pub(crate) fn presence<'a>(kcp: &'a Kcp, path: &'a str) -> futures::future::BoxFuture<'a, Presence> {
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
pub(crate) fn no_workspace_error(layout: &Layout) -> Error {
    Error::failed(format!(
        "the workspace {} does not exist",
        layout.inventory_export_path
    ))
    .hint("create it with `kubectl kubestellar init espw`, or pass --espw-path if the ESPW is elsewhere")
}

/// Why the export's view cannot be used yet, as the error to give up with (`None`: it can).
/// The one place that words these states, for `list` (at once) and `wait_for_view` (at its
/// deadline, and in the note of why it waits).
pub(crate) fn export_unusable(state: &ExportState, layout: &Layout) -> Option<Error> {
    Some(match state {
        ExportState::Ready(_) => return None,
        ExportState::NoWorkspace => no_workspace_error(layout),
        ExportState::WorkspaceNotReady => Error::failed(format!(
            "the workspace {} is not Ready yet",
            layout.inventory_export_path
        ))
        .hint("kcp is still initializing it: try again in a moment, or look at its phase with `kubectl get workspace` in its parent"),
        ExportState::Missing => Error::failed(format!(
            "the APIExport {} does not exist in {}",
            layout.inventory_export_name, layout.inventory_export_path
        ))
        .hint("create it with `kubectl kubestellar init espw`, or pass --espw-path if the ESPW is elsewhere"),
        ExportState::NotReady(why) => Error::failed(format!("the {} is not ready: {why}", export_label(layout)))
            .hint("check the export with `kubectl get apiexport -o yaml` in the ESPW"),
    })
}

/// What `wait_for_view` does while the export's workspace does not exist at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IfAbsent {
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
/// the wait is more than a moment; `deadline` `None` waits as long as it takes (a controller).
/// A workspace that does not exist is waited for only if
/// `if_absent` says so; one that exists but is not Ready, or an export not ready yet, always is.
pub(crate) async fn wait_for_view(
    kcp: &Kcp,
    layout: &Layout,
    deadline: Option<Instant>,
    if_absent: IfAbsent,
    mut on_wait: impl FnMut(&str),
) -> Result<Vec<String>> {
    let started = Instant::now();
    let mut said = false;
    loop {
        let state = export_state(kcp, layout).await?;
        let Some(unusable) = export_unusable(&state, layout) else {
            return Ok(state.into_urls());
        };
        if (state == ExportState::NoWorkspace && if_absent == IfAbsent::Fail)
            || deadline.is_some_and(|d| Instant::now() >= d)
        {
            return Err(match state {
                ExportState::NoWorkspace if if_absent == IfAbsent::Fail => unusable,
                _ => unusable.context("gave up waiting"),
            });
        }
        if !said && started.elapsed() >= Duration::from_secs(2) {
            on_wait(&format!("waiting: {}", unusable.message));
            said = true;
        }
        let pause = Duration::from_millis(500);
        let left = deadline.map_or(pause, |d| d.saturating_duration_since(Instant::now()));
        tokio::time::sleep(left.min(pause)).await;
    }
}

/// The SyncTargets in every workspace bound to the export, as metadata.
pub(crate) async fn list_sync_targets(
    kcp: &Kcp,
    view_url: &str,
    layout: &Layout,
) -> Result<Vec<MetaOnly>, ApiErr> {
    let view = kcp.view(view_url).map_err(|e| ApiErr::decode(&e.message))?;
    tracing::debug!(
        view = view_url,
        "listing the SyncTargets through the export's view"
    );
    let q = ListQuery {
        metadata_only: true,
        ..Default::default()
    };
    Ok(view
        .list::<MetaOnly>(&layout.sync_targets_path(), &q)
        .await?
        .items)
}

/// The SyncTarget version the view serves, when it is not the layout's: the first version of
/// the group (preferred first) whose resources include `synctargets`. `None` when the
/// layout's version serves them, or none does.
pub(crate) async fn served_version(
    kcp: &Kcp,
    view_url: &str,
    layout: &Layout,
) -> Result<Option<String>, ApiErr> {
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
    let view = kcp.view(view_url).map_err(|e| ApiErr::decode(&e.message))?;
    let group = &layout.sync_target_group;
    let serves = |v: String| {
        let view = view.clone();
        async move {
            let list: Option<Resources> = view.get(&format!("apis/{group}/{v}")).await?;
            Ok::<bool, ApiErr>(list.is_some_and(|l| l.resources.iter().any(|r| r.name == "synctargets")))
        }
    };
    if serves(layout.sync_target_version.clone()).await? {
        return Ok(None);
    }
    let Some(found) = view.get::<Group>(&format!("apis/{group}")).await? else {
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

/// The layout with the SyncTarget version the view serves, and a note saying so, when that is
/// not the layout's own (only asked when the version was not given explicitly).
pub(crate) async fn detect_version(
    kcp: &Kcp,
    view_url: &str,
    layout: &Layout,
) -> Result<Option<(Layout, String)>, ApiErr> {
    let Some(v) = served_version(kcp, view_url, layout).await? else {
        return Ok(None);
    };
    let note = format!(
        "detected: the view serves {group}/{v} SyncTargets, not {group}/{old}; using {v} (pass --sync-target-version to choose)",
        group = layout.sync_target_group,
        old = layout.sync_target_version
    );
    let detected = Layout {
        sync_target_version: v,
        ..layout.clone()
    };
    Ok(Some((detected, note)))
}

/// SyncTargets through a view; when the layout's version is not served there and was not
/// given explicitly, the served one is used and `on_detect` is told.
pub(crate) async fn list_sync_targets_detecting(
    kcp: &Kcp,
    view_url: &str,
    layout: &Layout,
    on_detect: impl FnOnce(&str),
) -> Result<Vec<MetaOnly>, ApiErr> {
    match list_sync_targets(kcp, view_url, layout).await {
        Err(e) if e.is_not_found() && layout.detect_version => {
            match detect_version(kcp, view_url, layout).await? {
                Some((detected, note)) => {
                    on_detect(&note);
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

/// The inventory as read once, the same for `sync` and `list`: every view's SyncTargets and
/// APIBindings, all read at once, in an [`Observed`] that knows which views failed.
pub(crate) struct InventoryRead {
    pub observed: Observed,
    /// One error per view whose SyncTargets could not be read (a view that failed is marked
    /// in `observed`, so nothing is judged orphaned on its account).
    pub failures: Vec<Error>,
}

pub(crate) async fn read_inventory(
    kcp: &Kcp,
    layout: &Layout,
    urls: &[String],
    feedback: &dyn Feedback,
) -> InventoryRead {
    let binding_urls = binding_views(kcp, layout, urls).await;
    let (st_reads, binding_reads) = tokio::join!(
        futures::future::join_all(urls.iter().map(|url| async move {
            (
                url,
                list_sync_targets_detecting(kcp, url, layout, |m| feedback.note(m)).await,
            )
        })),
        futures::future::join_all(
            binding_urls
                .iter()
                .map(|url| async move { (url, list_view_bindings(kcp, url).await) })
        ),
    );
    let mut observed = Observed::new(
        &layout.annotation_key,
        &layout.mailbox_parent,
        urls,
        &binding_urls,
    );
    let mut failures = Vec::new();
    for (url, sts) in st_reads {
        match sts {
            Ok(items) => {
                observed.set_sync_targets(url, &items);
            }
            Err(e) => {
                let err = sync_target_read_error(&e, url, layout);
                observed.set_endpoint_failed(url, &err.message);
                failures.push(err);
            }
        }
    }
    for (url, bindings) in binding_reads {
        match bindings {
            Ok(b) => {
                observed.set_bindings(url, b.as_deref());
            }
            Err(e) => {
                tracing::debug!(%url, error = %e, "bindings not listed through the view; each mailbox is checked directly")
            }
        }
    }
    InventoryRead { observed, failures }
}

pub(crate) fn sync_target_read_error(e: &ApiErr, url: &str, layout: &Layout) -> Error {
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
pub(crate) async fn binding_views(kcp: &Kcp, layout: &Layout, inventory_views: &[String]) -> Vec<String> {
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
pub(crate) async fn list_view_bindings(kcp: &Kcp, view_url: &str) -> Result<Option<Vec<MetaOnly>>, ApiErr> {
    let view = kcp.view(view_url).map_err(|e| ApiErr::decode(&e.message))?;
    tracing::debug!(
        view = view_url,
        "listing the bindings through the view, to know which mailboxes hold {}",
        crate::mailbox::layout::BINDING_NAME
    );
    match view
        .list::<MetaOnly>(
            crate::kcp::types::APIBINDINGS,
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

pub(crate) async fn list_workspaces(kcp: &Kcp, parent: &str) -> Result<Vec<WorkspaceSummary>, ApiErr> {
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
pub(crate) async fn lookup_paths(
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
