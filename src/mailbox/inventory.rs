//! Reads: the SyncTargets and `bind-edge` bindings seen through the export's view (found with
//! [`crate::kcp::export_state`]), and the candidate workspaces in the mailbox parent. Lists only: nothing here
//! costs a request per object.

use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::Address;
use crate::kcp::types::{
    ApiBinding, ApiExportEndpointSlice, LogicalCluster, MetaOnly, PATH_ANNOTATION, Partition, Shard,
    Workspace, WorkspaceSummary,
};
use crate::kcp::{ApiErr, ExportState, Kcp, ListQuery, export_state};
use crate::mailbox::layout::Layout;
use crate::mailbox::observed::{Observed, ViewBinding, sync_target_of, view_binding_of};
use crate::mailbox::plan::SyncTargetId;
use futures::StreamExt;

/// What is said when the export's view has no URL yet (kcp v0.28+: nothing binds it).
pub(crate) fn nothing_bound_note(layout: &Layout) -> String {
    format!(
        "the {} has no view yet: nothing binds it (kcp v0.28 and later publish a view only once a workspace binds the export), so there are no SyncTargets to read and no mailbox is deleted",
        layout.inventory_export().label()
    )
}

/// What is said when the view has no URL: nothing binds the export yet, or (with
/// `--endpoint-slice`) the slice's partition selects no shard, which it then says in full: the
/// Partition's selector and the shards there are (three reads, only in this case).
pub(crate) async fn nothing_to_read_note(kcp: &Kcp, layout: &Layout) -> String {
    let Some(s) = &layout.endpoint_slice else {
        return nothing_bound_note(layout);
    };
    let place = kcp.cluster(&s.path);
    let slice = place
        .get::<ApiExportEndpointSlice>(&ApiExportEndpointSlice::object(&s.name))
        .await
        .ok()
        .flatten();
    let partition = slice.and_then(|sl| sl.spec.partition).filter(|p| !p.is_empty());
    let why = match partition {
        None => "it names no Partition, and on kcp v0.28 and later a shard is listed only once something there binds the export".to_string(),
        Some(p) => {
            let selector = match place.get::<Partition>(&Partition::object(&p)).await {
                Ok(Some(found)) => found
                    .other
                    .get("spec")
                    .and_then(|spec| spec.get("selector"))
                    .map_or_else(|| "no selector, which selects nothing".into(), |sel| format!("selector {sel}")),
                _ => "not readable".into(),
            };
            let shards = match kcp.cluster("root").list::<Shard>(&Shard::collection(), &ListQuery::default()).await {
                Ok(l) => l
                    .items
                    .iter()
                    .map(|sh| {
                        let labels = sh.metadata.labels.clone().unwrap_or_default();
                        let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                        format!("{} ({})", sh.metadata.name.as_deref().unwrap_or("?"), labels.join(","))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                Err(_) => "not readable".into(),
            };
            format!("its Partition {p} ({selector}) selects none of the shards in root: {shards}")
        }
    };
    format!(
        "the APIExportEndpointSlice {} in {} lists no shard: {why}; there are no SyncTargets to read and no mailbox is deleted",
        s.name, s.path
    )
}

/// The SyncTargets in every workspace bound to the export, as metadata.
pub(crate) async fn list_sync_targets(
    kcp: &Kcp,
    view_url: &str,
    layout: &Layout,
) -> Result<Vec<SyncTargetId>, ApiErr> {
    let view = kcp.view(view_url).map_err(|e| ApiErr::decode(&e.message))?;
    tracing::debug!(
        view = view_url,
        "listing the SyncTargets through the export's view"
    );
    let q = ListQuery {
        metadata_only: true,
        ..Default::default()
    };
    let keep = |m: MetaOnly| Some(sync_target_of(&m.metadata));
    Ok(view.list_map(&layout.sync_targets_path(), &q, keep).await?.items)
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
) -> Result<Vec<SyncTargetId>, ApiErr> {
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
) -> Result<Vec<SyncTargetId>, ApiErr> {
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
    let mut observed = Observed::new(&layout.mailbox_parent, urls, &binding_urls);
    let mut failures = Vec::new();
    for (url, sts) in st_reads {
        match sts {
            Ok(items) => {
                observed.set_sync_targets(url, items);
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
    if e.is_forbidden() {
        return view_forbidden(e, "failed to list SyncTargets", url, layout);
    }
    let err = e.to_error("failed to list SyncTargets", url);
    if e.is_not_found() {
        return err.hint(format!(
            "the view does not serve synctargets.{}/{}: check --layout (v0.14 or poc2023q1), --sync-target-group and --sync-target-version",
            layout.sync_target_group, layout.sync_target_version
        ));
    }
    err
}

/// A 403 through the inventory export's view: kcp guards its content with `apiexports/content`
/// in the export's workspace, which is the permission to name.
pub(crate) fn view_forbidden(e: &ApiErr, what: &str, url: &str, layout: &Layout) -> Error {
    Error::failed(format!(
        "{what} through {url}: {} may not read the export's view",
        crate::kcp::denied::user_of(e)
    ))
    .cause(e.clone())
    .hint(format!(
        "it needs list and watch on apiexports/content {} in {} ({} lists the permissions each command needs)",
        layout.inventory_export_name,
        layout.inventory_export_path,
        crate::kcp::denied::DOC
    ))
}

/// The view URLs of the export `bind-edge` binds: the inventory's own when it is the same
/// export (v0.14) and they are all its shards', else looked up (one read). With
/// `--endpoint-slice` the inventory's are one partition's shards, but mailboxes live on any
/// shard: every shard's view tells their bindings. Empty when they cannot be had: each
/// mailbox's binding is then read directly.
pub(crate) async fn binding_views(kcp: &Kcp, layout: &Layout, inventory_views: &[String]) -> Vec<String> {
    if layout.binding_export_path == layout.inventory_export_path
        && layout.binding_export_name == layout.inventory_export_name
        && !layout.partitioned()
    {
        return inventory_views.to_vec();
    }
    match export_state(kcp, layout.binding_export()).await {
        Ok(ExportState::Ready(urls)) => urls,
        _ => vec![],
    }
}

/// The bindings to the export, as its view serves them (metadata: a name and a logical
/// cluster are all that is read); `None` if it does not serve them.
pub(crate) async fn list_view_bindings(
    kcp: &Kcp,
    view_url: &str,
) -> Result<Option<Vec<ViewBinding>>, ApiErr> {
    let view = kcp.view(view_url).map_err(|e| ApiErr::decode(&e.message))?;
    tracing::debug!(
        view = view_url,
        "listing the bindings through the view, to know which mailboxes hold {}",
        crate::mailbox::layout::BINDING_NAME
    );
    let q = ListQuery {
        metadata_only: true,
        ..Default::default()
    };
    let keep = |b: MetaOnly| view_binding_of(&b.metadata);
    match view.list_map(&ApiBinding::collection(), &q, keep).await {
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
        .list::<WorkspaceSummary>(&Workspace::collection(), &ListQuery::default())
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
            let path = match kcp.cluster(&c).get::<MetaOnly>(&LogicalCluster::object("cluster")).await {
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
