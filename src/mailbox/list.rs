//! `mailbox list`, the operation: the same reads and the same decision as `sync`, turned into
//! one row per SyncTarget and per mailbox-like workspace, with no change made.

use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::types::{Workspace, WorkspaceSummary};
use crate::kcp::{Address, Kcp, ListQuery, view_state, view_unusable};
use crate::mailbox::inventory::{InventoryRead, lookup_paths, read_inventory};
use crate::mailbox::layout::Layout;
use crate::mailbox::naming::Name;
use crate::mailbox::observed::{Observed, workspace_ref};
use crate::mailbox::plan::{Binding, Policy, Status, SyncTargetId, decide};
use compact_str::CompactString;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub(crate) struct ListOptions {
    pub layout: Layout,
    /// Only the rows of SyncTargets with this name.
    pub sync_target: Option<String>,
    /// Only rows that are not `ok`.
    pub problems: bool,
    /// Look up the paths of inventory workspaces that are not children of the mailbox parent
    /// (one request each).
    pub resolve_paths: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Row {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_target: Option<SyncTargetId>,
    /// The mailbox workspace name ("" when the SyncTarget cannot have one).
    pub mailbox: Name,
    /// The workspace's phase ("" when it does not exist).
    pub phase: CompactString,
    /// `bound`, `absent`, `wrong` or `unknown` ("" without a Ready workspace).
    pub binding: &'static str,
    pub status: Status,
    /// The mailbox workspace's logical cluster ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailbox_cluster: Option<CompactString>,
    /// The mailbox workspace's URL.
    #[serde(rename = "mailboxURL", skip_serializing_if = "Option::is_none")]
    pub mailbox_url: Option<String>,
    /// When the mailbox workspace was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<CompactString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a row shows of a parent's workspace beyond what the decision reads.
#[derive(Default)]
struct Shown {
    url: Option<String>,
    created: Option<CompactString>,
}

pub(crate) async fn list(kcp: &Kcp, opts: &ListOptions, feedback: &dyn Feedback) -> Result<Vec<Row>> {
    let (observed, shown) = read(kcp, opts, feedback).await?;
    let mut rows = rows(&observed, shown, &opts.layout);
    if let Some(want) = &opts.sync_target {
        keep_sync_target(&mut rows, want, &observed)?;
    }
    drop(observed);
    if opts.problems {
        // Another partition's mailboxes are no problem of this one's.
        rows.retain(|r| !matches!(r.status, Status::Ok | Status::Elsewhere));
    }
    // Unstable: no two rows have the same key, and a stable sort would copy them all.
    rows.sort_unstable_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    Ok(rows)
}

/// The same reads as `sync`, and the mailbox parent's workspaces; any view that fails fails
/// the list (a table is only worth showing whole).
async fn read(
    kcp: &Kcp,
    opts: &ListOptions,
    feedback: &dyn Feedback,
) -> Result<(Observed, HashMap<Name, Shown>)> {
    let layout = &opts.layout;
    let state = view_state(kcp, layout.view_source()).await?;
    if let Some(e) = view_unusable(&state, layout.view_source()) {
        return Err(e);
    }
    let urls = state.into_urls();
    if urls.is_empty() {
        feedback.note(&crate::mailbox::inventory::nothing_to_read_note(kcp, layout).await);
    }
    let parent = kcp.cluster(&layout.mailbox_parent);
    // Each workspace kept as the decision and the row need it, page by page (not 100,000
    // whole summaries).
    let keep = |w: WorkspaceSummary| {
        let shown = Shown {
            url: w.spec.url.clone(),
            created: w
                .metadata
                .creation_timestamp
                .as_ref()
                .map(|t| t.0.to_string().into()),
        };
        Some((workspace_ref(&w, &layout.annotation_key), shown))
    };
    tracing::debug!("listing the workspaces in {}", layout.mailbox_parent);
    let (collection, query) = (Workspace::collection(), ListQuery::default());
    let (read, workspaces) = tokio::join!(
        read_inventory(kcp, layout, &urls, feedback),
        parent.list_map(&collection, &query, keep),
    );
    let workspaces = workspaces.map_err(|e| {
        e.to_error(
            &format!("failed to list the workspaces in {}", layout.mailbox_parent),
            &parent.url(),
        )
    })?;
    let InventoryRead {
        mut observed,
        failures,
    } = read;
    if let Some(e) = failures.into_iter().next() {
        return Err(e);
    }
    let (refs, shown): (Vec<_>, Vec<_>) = workspaces
        .items
        .into_iter()
        .map(|(r, s)| {
            let name = r.name.clone();
            (r, (name, s))
        })
        .unzip();
    observed.set_workspaces(refs);
    // Keyed by the name's one allocation that what is observed keeps.
    let shown: HashMap<Name, Shown> = shown
        .into_iter()
        .map(|(n, s)| (observed.workspace(&n).map_or(n, |w| w.name.clone()), s))
        .collect();
    if opts.resolve_paths {
        for (cluster, path) in lookup_paths(kcp, observed.unresolved()).await {
            observed.set_path(&cluster, path);
        }
    }
    Ok((observed, shown))
}

/// One row per mailbox name (what `sync` would decide for it), and one per SyncTarget that
/// cannot have a mailbox; unsorted.
fn rows(observed: &Observed, mut shown: HashMap<Name, Shown>, layout: &Layout) -> Vec<Row> {
    let names = observed.names();
    let mut rows = Vec::with_capacity(names.len());
    for name in names {
        let snap = observed.snapshot(&name);
        let d = decide(
            &snap.observation(),
            Policy::new(true, layout),
            &layout.annotation_key,
        );
        let ws = snap.workspace.as_ref();
        let Shown { url, created } = shown.remove(&*name).unwrap_or_default();
        let sync_target = snap.sync_target.clone().map(|st| observed.with_path(st));
        let binding = match (snap.workspace.as_ref().is_some_and(|w| w.ready()), snap.binding) {
            (false, _) => "",
            (true, Binding::Correct) => "bound",
            (true, Binding::Absent) => "absent",
            (true, Binding::Wrong) => "wrong",
            (true, Binding::Unknown) => "unknown",
        };
        rows.push(Row {
            sync_target,
            mailbox: name.clone(),
            phase: ws
                .map(|w| {
                    if w.deleting {
                        "Deleting".into()
                    } else {
                        w.phase.clone()
                    }
                })
                .unwrap_or_default(),
            binding,
            status: d.status,
            mailbox_cluster: ws.and_then(|w| w.cluster.clone().filter(|c| !c.is_empty())),
            mailbox_url: url,
            created,
            note: d.note,
        });
    }
    for bad in observed.invalid_sync_targets() {
        let st = bad.sync_target;
        rows.push(Row {
            sync_target: Some(observed.with_path(st)),
            mailbox: Name::from(""),
            phase: CompactString::default(),
            binding: "",
            status: Status::Invalid,
            mailbox_cluster: None,
            mailbox_url: None,
            created: None,
            note: Some(bad.reason),
        });
    }
    rows
}

/// Only the rows of the SyncTarget named `want` (a mailbox without one by the name its
/// workspace's annotation gives); an error when there are none.
fn keep_sync_target(rows: &mut Vec<Row>, want: &str, observed: &Observed) -> Result<()> {
    rows.retain(|r| {
        let st_name = r.sync_target.as_ref().map(|s| s.name.as_str()).or_else(|| {
            observed
                .workspace(&r.mailbox)
                .and_then(|w| w.sync_target_name.as_deref())
        });
        st_name == Some(want)
    });
    // As `kubectl get` does for a name that is not there: an error, not an empty answer.
    if rows.is_empty() {
        return Err(Error::failed(format!("no SyncTarget named {want:?}"))
            .hint("`kubectl kubestellar mailbox list` shows every SyncTarget and its mailbox"));
    }
    Ok(())
}

fn sort_key(r: &Row) -> (bool, &str, &str, &str) {
    match &r.sync_target {
        Some(st) => (
            false,
            st.path.as_deref().unwrap_or(&st.cluster),
            &st.name,
            &r.mailbox,
        ),
        None => (true, "", "", &r.mailbox),
    }
}
