//! An export's view: where it is served ([`export_state`]), why it cannot be used yet
//! ([`export_unusable`]), and waiting until it can ([`wait_for_view`]). `mailbox` reads the
//! inventory through it; `init espw` waits for its own export's.

use super::presence::{Presence, presence};
use super::resource::Address;
use super::types::{ApiExport, ApiExportEndpointSlice};
use super::{ApiErr, Kcp, ListQuery, Listed, Scope};
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
            Presence::Ready | Presence::Unknown => return Err(read_error(e, &what, &espw.url(), export)),
        },
        Err(e) => return Err(read_error(e, &what, &espw.url(), export)),
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

/// What `wait_for_view` does while the export's workspace does not exist at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IfAbsent {
    /// A one-shot command: nothing will create it meanwhile, so say so at once.
    Fail,
    /// A controller: it may be created later (`init espw` after the controller starts).
    Wait,
}

fn read_error(e: ApiErr, what: &str, place: &str, export: ExportRef<'_>) -> Error {
    if e.is_forbidden() {
        return Error::failed(format!("{what}: the user may not read it in {}", export.path))
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
    export: ExportRef<'_>,
    deadline: Option<Instant>,
    if_absent: IfAbsent,
    mut on_wait: impl FnMut(&str),
) -> Result<Vec<String>> {
    let started = Instant::now();
    let mut said = false;
    loop {
        let state = export_state(kcp, export).await?;
        let Some(unusable) = export_unusable(&state, export) else {
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
