//! An export's view: where it is served ([`export_state`], or for one partition's shards a
//! slice the user names, [`slice_state`]), why it cannot be used yet ([`export_unusable`],
//! [`view_unusable`]), and waiting until it can ([`wait_for_view`]). `mailbox` reads the
//! inventory through it; `init espw` waits for its own export's.

use super::presence::{Presence, presence};
use super::resource::Address;
use super::types::{ApiExport, ApiExportEndpointSlice};
use super::{Kcp, ListQuery, Listed, Scope};
use crate::error::{Error, Result};
use std::time::Duration;
use tokio::time::Instant;

/// An APIExport: the workspace that holds it, and its name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExportRef<'a> {
    pub path: &'a str,
    pub name: &'a str,
}

impl ExportRef<'_> {
    /// `APIExport <name> in <path>`, for messages.
    pub(crate) fn label(&self) -> String {
        format!("APIExport {} in {}", self.name, self.path)
    }
}

/// An APIExportEndpointSlice: the workspace that holds it, and its name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SliceRef<'a> {
    pub path: &'a str,
    pub name: &'a str,
}

impl SliceRef<'_> {
    /// `APIExportEndpointSlice <name> in <path>`, for messages.
    pub(crate) fn label(&self) -> String {
        format!("APIExportEndpointSlice {} in {}", self.name, self.path)
    }
}

/// Where the view URLs come from: the export itself (its status, or on kcp v0.28 and later
/// the slice kcp makes), or a slice of it the user names (`--endpoint-slice`): then only
/// the shards its partition selects.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ViewSource<'a> {
    Export(ExportRef<'a>),
    Slice {
        slice: SliceRef<'a>,
        /// The export the slice must be of.
        export: ExportRef<'a>,
    },
}

impl<'a> From<ExportRef<'a>> for ViewSource<'a> {
    fn from(export: ExportRef<'a>) -> Self {
        ViewSource::Export(export)
    }
}

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

/// Where the export's view is served: `status.virtualWorkspaces` (kcp ≤ v0.27), else the
/// `APIExportEndpointSlice`s for it in the same workspace (newer kcp). Every URL is used:
/// there is one per shard. On kcp v0.28 and later ([`Generation::V0_32`]) the slice kcp makes,
/// named after the export, lists a shard only once something there binds the export: an
/// empty slice is `Ready` with no URL, "nothing bound yet" (never a complete read of nothing).
pub(crate) async fn export_state(kcp: &Kcp, export: ExportRef<'_>) -> Result<ExportState> {
    let generation = kcp.generation().await;
    let espw = kcp.cluster(export.path);
    tracing::debug!("reading the {} to find where its view is served", export.label());
    let what = format!("failed to read the {}", export.label());
    let found: Option<ApiExport> = match espw
        .get(&format!("{}/{}", generation.apiexports(), export.name))
        .await
    {
        Ok(e) => e,
        // kcp answers 403 for a workspace that does not exist or is not Ready: find out which.
        Err(e) if e.is_forbidden() => match presence(kcp, export.path).await {
            Presence::Missing => return Ok(ExportState::NoWorkspace),
            Presence::NotReady => return Ok(ExportState::WorkspaceNotReady),
            Presence::Ready | Presence::Unknown => {
                return Err(super::denied::forbidden(&espw, &e, &what, export.path).await);
            }
        },
        Err(e) => return Err(e.to_error(&what, &espw.url())),
    };
    let Some(api_export) = found else {
        // Users kcp lets in while the workspace initializes, and system:masters (which skips
        // authorization: a missing workspace reads as empty), get 404 here too: say which.
        return Ok(match presence(kcp, export.path).await {
            Presence::Missing => ExportState::NoWorkspace,
            Presence::NotReady => ExportState::WorkspaceNotReady,
            Presence::Ready | Presence::Unknown => ExportState::Missing,
        });
    };
    let mut urls = api_export.view_urls();
    if urls.is_empty() && generation.slice_urls() {
        // The slice kcp makes, named after the export.
        let named: Option<ApiExportEndpointSlice> = espw
            .get(&ApiExportEndpointSlice::object(export.name))
            .await
            .map_err(|e| e.to_error("failed to read the APIExportEndpointSlice", &espw.url()))?;
        let slices = match named {
            Some(s) => vec![s],
            // Made by hand (the export opted out of kcp's): any slice of the export.
            None => own_slices(&espw, export).await?,
        };
        if slices.is_empty() {
            return Ok(ExportState::NotReady(format!(
                "kcp has not made its APIExportEndpointSlice {} yet",
                export.name
            )));
        }
        let mut urls: Vec<String> = slices.iter().flat_map(|s| s.urls()).collect();
        urls.sort();
        urls.dedup();
        if urls.is_empty() {
            tracing::debug!(
                "the {}'s endpoint slice lists no URL: nothing binds it yet",
                export.label()
            );
        }
        return Ok(ExportState::Ready(urls));
    }
    if urls.is_empty() {
        urls = own_slices(&espw, export)
            .await?
            .iter()
            .flat_map(|s| s.urls())
            .collect();
    }
    urls.sort();
    urls.dedup();
    if urls.is_empty() {
        let why = match api_export.condition("VirtualWorkspaceURLsReady") {
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

/// Where the source's view is served ([`export_state`], or [`slice_state`]).
pub(crate) async fn view_state(kcp: &Kcp, source: ViewSource<'_>) -> Result<ExportState> {
    match source {
        ViewSource::Export(export) => export_state(kcp, export).await,
        ViewSource::Slice { slice, export } => slice_state(kcp, slice, export).await,
    }
}

/// A named slice's endpoints: the view URLs of the shards its partition selects (none: nothing
/// to read, and nothing deleted on its account). It must be a slice of `export`, the export
/// whose view lists the SyncTargets: anything else is an error, not a wait.
pub(crate) async fn slice_state(
    kcp: &Kcp,
    slice: SliceRef<'_>,
    export: ExportRef<'_>,
) -> Result<ExportState> {
    let ws = kcp.cluster(slice.path);
    tracing::debug!(
        "reading the {} to find the view URLs of its partition's shards",
        slice.label()
    );
    let what = format!("failed to read the {}", slice.label());
    let found: Option<ApiExportEndpointSlice> =
        match ws.get(&ApiExportEndpointSlice::object(slice.name)).await {
            Ok(s) => s,
            Err(e) if e.is_forbidden() => match presence(kcp, slice.path).await {
                Presence::Missing => return Ok(ExportState::NoWorkspace),
                Presence::NotReady => return Ok(ExportState::WorkspaceNotReady),
                Presence::Ready | Presence::Unknown => return Err(e.to_error(&what, &ws.url())),
            },
            Err(e) => return Err(e.to_error(&what, &ws.url())),
        };
    let Some(found) = found else {
        return Ok(match presence(kcp, slice.path).await {
            Presence::Missing => ExportState::NoWorkspace,
            Presence::NotReady => ExportState::WorkspaceNotReady,
            Presence::Ready | Presence::Unknown => ExportState::Missing,
        });
    };
    let of_path = found
        .spec
        .export
        .path
        .as_deref()
        .filter(|p| !p.is_empty())
        .unwrap_or(slice.path);
    if found.spec.export.name != export.name || of_path != export.path {
        return Err(Error::usage(format!(
            "the {} is a slice of the APIExport {} in {of_path}, not of the {} whose view lists the SyncTargets",
            slice.label(),
            found.spec.export.name,
            export.label()
        ))
        .hint("pass --endpoint-slice a slice of that export, or the --layout (or --inventory-export-path and --inventory-export-name) the slice is for"));
    }
    let failing = ["APIExportValid", "PartitionValid", "EndpointURLsReady"]
        .into_iter()
        .filter_map(|t| found.condition(t))
        .find(|c| c.status == "False");
    if let Some(c) = failing {
        let why = c.message.clone().filter(|m| !m.is_empty()).or(c.reason.clone());
        return Ok(ExportState::NotReady(format!(
            "{} is False{}",
            c.type_,
            why.map(|w| format!(" ({w})")).unwrap_or_default()
        )));
    }
    if found.condition("APIExportValid").is_none() && found.condition("EndpointURLsReady").is_none() {
        return Ok(ExportState::NotReady(
            "kcp has not filled in its endpoints yet".into(),
        ));
    }
    let urls = found.urls();
    if urls.is_empty() {
        tracing::debug!(
            "the {} lists no URL: its partition selects no shard (or, on kcp v0.28 and later, nothing there binds the export)",
            slice.label()
        );
    }
    Ok(ExportState::Ready(urls))
}

/// The APIExportEndpointSlices in the export's workspace that are for the export.
async fn own_slices(espw: &Scope, export: ExportRef<'_>) -> Result<Vec<ApiExportEndpointSlice>> {
    let slices: Listed<ApiExportEndpointSlice> = espw
        .list(&ApiExportEndpointSlice::collection(), &ListQuery::default())
        .await
        .map_err(|e| e.to_error("failed to list APIExportEndpointSlices", &espw.url()))?;
    let own_path = export.path;
    Ok(slices
        .items
        .into_iter()
        .filter(|s| s.spec.export.name == export.name)
        .filter(|s| {
            s.spec
                .export
                .path
                .as_deref()
                .is_none_or(|p| p.is_empty() || p == own_path)
        })
        .collect())
}

/// The error for an export whose workspace does not exist.
fn no_workspace_error(export: ExportRef<'_>) -> Error {
    Error::failed(format!("the workspace {} does not exist", export.path))
        .hint("create it with `kubectl kubestellar init espw`, or pass --espw-path if the ESPW is elsewhere")
}

/// Why the export's view cannot be used yet, as the error to give up with (`None`: it can).
/// The one place that words these states, for `list` (at once) and `wait_for_view` (at its
/// deadline, and in the note of why it waits).
pub(crate) fn export_unusable(state: &ExportState, export: ExportRef<'_>) -> Option<Error> {
    Some(match state {
        ExportState::Ready(_) => return None,
        ExportState::NoWorkspace => no_workspace_error(export),
        ExportState::WorkspaceNotReady => Error::failed(format!(
            "the workspace {} is not Ready yet",
            export.path
        ))
        .hint("kcp is still initializing it: try again in a moment, or look at its phase with `kubectl get workspace` in its parent"),
        ExportState::Missing => Error::failed(format!(
            "the APIExport {} does not exist in {}",
            export.name, export.path
        ))
        .hint("create it with `kubectl kubestellar init espw`, or pass --espw-path if the ESPW is elsewhere"),
        ExportState::NotReady(why) => Error::failed(format!("the {} is not ready: {why}", export.label()))
            .hint("check the export with `kubectl get apiexport -o yaml` in the ESPW"),
    })
}

/// Why the source's view cannot be used yet ([`export_unusable`] for an export's).
pub(crate) fn view_unusable(state: &ExportState, source: ViewSource<'_>) -> Option<Error> {
    let slice = match source {
        ViewSource::Export(export) => return export_unusable(state, export),
        ViewSource::Slice { slice, .. } => slice,
    };
    let hint = "make it and its Partition as docs/commands.md#many-controllers-partitions shows, or check --endpoint-slice";
    Some(match state {
        ExportState::Ready(_) => return None,
        ExportState::NoWorkspace => {
            Error::failed(format!("the workspace {} does not exist", slice.path)).hint(hint)
        }
        ExportState::WorkspaceNotReady => Error::failed(format!(
            "the workspace {} is not Ready yet",
            slice.path
        ))
        .hint("kcp is still initializing it: try again in a moment"),
        ExportState::Missing => Error::failed(format!(
            "the APIExportEndpointSlice {} does not exist in {}",
            slice.name, slice.path
        ))
        .hint(hint),
        ExportState::NotReady(why) => Error::failed(format!("the {} is not ready: {why}", slice.label()))
            .hint("look at its conditions with `kubectl get apiexportendpointslice -o yaml` in its workspace (a missing Partition is the usual reason)"),
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

/// Wait (bounded) until the export's view is ready; `on_wait` is told once why it waits, when
/// the wait is more than a moment; `deadline` `None` waits as long as it takes (a controller).
/// A workspace that does not exist is waited for only if
/// `if_absent` says so; one that exists but is not Ready, or an export not ready yet, always is.
pub(crate) async fn wait_for_view(
    kcp: &Kcp,
    source: ViewSource<'_>,
    deadline: Option<Instant>,
    if_absent: IfAbsent,
    mut on_wait: impl FnMut(&str),
) -> Result<Vec<String>> {
    let started = Instant::now();
    let mut said = false;
    loop {
        let state = view_state(kcp, source).await?;
        let Some(unusable) = view_unusable(&state, source) else {
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
