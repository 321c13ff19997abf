//! `mailbox sync`, the operation: read the inventory once, then step every mailbox until it
//! settles, waiting (bounded) for new workspaces to become Ready and for deleted ones to go.
//! One watch on the mailbox parent tells when to step again; nothing polls.

use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::types::WorkspaceSummary;
use crate::kcp::{ApiErr, IfAbsent, Kcp, wait_for_view};
use crate::mailbox::driver::{Driver, Event, Record};
use crate::mailbox::inventory::{list_workspaces, lookup_paths, read_inventory};
use crate::mailbox::layout::Layout;
use crate::mailbox::naming::Name;
use crate::mailbox::observed::{Observed, workspace_ref};
use crate::mailbox::plan::{Policy, Status, SyncTargetId, WorkspaceRef};
use crate::mailbox::reconcile::{Did, Reconciler};
use crate::runtime::watches::{Change, config, forward, one_shot_backoff};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub(crate) struct SyncOptions {
    pub layout: Layout,
    pub dry_run: bool,
    pub prune: bool,
    pub concurrency: usize,
    /// Bound on waiting: for the export, for new mailboxes to become Ready, for deleted ones to go.
    pub timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

/// What happened to one mailbox.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MailboxResult {
    pub mailbox: Name,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_target: Option<SyncTargetId>,
    /// Changes made (or, in a dry run, planned), in order.
    pub actions: Vec<Did>,
    pub status: Status,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Summary {
    pub created: usize,
    pub bound: usize,
    pub deleted: usize,
    pub unchanged: usize,
    pub failed: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct SyncReport {
    pub dry_run: bool,
    pub summary: Summary,
    pub mailboxes: Vec<MailboxResult>,
    /// Reads that failed (no deletions were made from them).
    pub errors: Vec<String>,
}

impl SyncReport {
    pub(crate) fn failed(&self) -> bool {
        self.summary.failed > 0 || !self.errors.is_empty()
    }
}

pub(crate) async fn sync(kcp: &Kcp, opts: &SyncOptions, feedback: &dyn Feedback) -> Result<SyncReport> {
    let deadline = Instant::now() + opts.timeout;
    let layout = &opts.layout;
    let urls = wait_for_view(kcp, layout.view_source(), Some(deadline), IfAbsent::Fail, |m| {
        feedback.note(m)
    })
    .await?;
    if urls.is_empty() {
        feedback.note(&crate::mailbox::inventory::nothing_to_read_note(kcp, layout).await);
    }
    let (mut parent, feed) = follow_parent(kcp, layout, opts.dry_run).await?;
    // The inventory and the bindings, from every view URL at once, while the workspace list
    // comes in.
    let (mut observed, errors) = read(kcp, layout, &urls, feedback).await?;
    observed.set_workspaces(wait_for_list(kcp, layout, deadline, &mut parent).await?);
    // Paths for the report and the logs: the parent's children came with its list; the
    // other inventory workspaces cost one read each.
    for (cluster, path) in lookup_paths(kcp, observed.unresolved()).await {
        observed.set_path(&cluster, path);
    }

    let names = observed.names();
    observed.expect_mailboxes(names.len());
    let reconciler = Arc::new(Reconciler {
        kcp: kcp.clone(),
        layout: layout.clone(),
        policy: Policy::new(opts.prune, layout),
        dry_run: opts.dry_run,
        observed: Arc::new(Mutex::new(observed)),
    });
    let records = Driver::once(reconciler.clone())
        .run_once(&names, opts.concurrency, deadline, &mut parent, |done, total| {
            feedback.progress(done, total)
        })
        .await;
    drop(feed);
    Ok(report(&reconciler, records, errors, opts.dry_run))
}

/// The parent's workspaces as changes: a watch (list, then changes) unless this is a dry run,
/// which lists them once.
pub(crate) async fn follow_parent(
    kcp: &Kcp,
    layout: &Layout,
    dry_run: bool,
) -> Result<(mpsc::Receiver<Event>, ParentFeed)> {
    let (tx, rx) = mpsc::channel::<Event>(1024);
    if dry_run {
        let items = list_workspaces(kcp, &layout.mailbox_parent)
            .await
            .map_err(|e| parent_list_error(kcp, layout, &e))?;
        let items = items
            .iter()
            .map(|w| workspace_ref(w, &layout.annotation_key))
            .collect();
        let _ = tx.send(Event::Workspaces(Change::Synced(items))).await;
        return Ok((rx, ParentFeed::Listed { _open: tx }));
    }
    tracing::debug!(
        "watching the workspaces in {}: the mailboxes, and when new ones are Ready to bind",
        layout.mailbox_parent
    );
    let parent = kcp.cluster(&layout.mailbox_parent);
    let api: kube::Api<WorkspaceSummary> = kube::Api::all(kcp.watch_client(&parent)?);
    let key = layout.annotation_key.clone();
    let task = tokio::spawn(forward(
        kube::runtime::watcher(api, config()),
        one_shot_backoff(),
        move |w| workspace_ref(&w, &key),
        Event::Workspaces,
        tx,
    ));
    Ok((rx, ParentFeed::Watch(task)))
}

fn parent_list_error(kcp: &Kcp, layout: &Layout, e: &ApiErr) -> Error {
    e.to_error(
        &format!("failed to list the workspaces in {}", layout.mailbox_parent),
        &kcp.cluster(&layout.mailbox_parent).url(),
    )
}

/// What the views tell, and one error per view that could not be read; an error when none
/// could be.
async fn read(
    kcp: &Kcp,
    layout: &Layout,
    urls: &[String],
    feedback: &dyn Feedback,
) -> Result<(Observed, Vec<String>)> {
    let read = read_inventory(kcp, layout, urls, feedback).await;
    if read.failures.len() == urls.len()
        && let Some(e) = read.failures.first()
    {
        // Nothing could be read: say why, as the one error.
        return Err(e.clone().context("nothing was changed"));
    }
    let errors = read
        .failures
        .iter()
        .map(|e| format!("{}; no mailbox was deleted", e.message))
        .collect();
    Ok((read.observed, errors))
}

/// Wait (until the deadline) for the parent's complete list of workspaces.
async fn wait_for_list(
    kcp: &Kcp,
    layout: &Layout,
    deadline: Instant,
    parent: &mut mpsc::Receiver<Event>,
) -> Result<Vec<WorkspaceRef>> {
    loop {
        let change = tokio::time::timeout_at(deadline, parent.recv())
            .await
            .map_err(|_| {
                Error::failed(format!(
                    "timed out listing the workspaces in {}",
                    layout.mailbox_parent
                ))
                .hint("retry, or raise --timeout")
            })?;
        match change {
            Some(Event::Workspaces(Change::Synced(items))) => return Ok(items),
            Some(Event::Workspaces(Change::Error { error, .. })) if !error.is_retryable() => {
                return Err(parent_list_error(kcp, layout, &error));
            }
            Some(Event::Workspaces(Change::Error { error, .. })) => {
                tracing::debug!(%error, "listing the mailbox parent; retrying")
            }
            Some(_) => {}
            None => {
                return Err(Error::failed(format!(
                    "the watch on the workspaces in {} ended",
                    layout.mailbox_parent
                )));
            }
        }
    }
}

/// What feeds the parent's changes; dropped, it stops. A dry run's list keeps its sender:
/// a closed channel would read as the watch ending.
pub(crate) enum ParentFeed {
    Watch(tokio::task::JoinHandle<()>),
    Listed { _open: mpsc::Sender<Event> },
}

impl Drop for ParentFeed {
    fn drop(&mut self) {
        if let ParentFeed::Watch(t) = self {
            t.abort();
        }
    }
}

fn report(
    reconciler: &Reconciler,
    records: BTreeMap<Name, Record>,
    errors: Vec<String>,
    dry_run: bool,
) -> SyncReport {
    let o = reconciler.observed();
    let mut summary = Summary::default();
    // Grown as the records are consumed (made whole at once, it would sit beside them all).
    let mut mailboxes = Vec::new();
    for (name, r) in records {
        let sync_target = o.identify(&name);
        let outcome = match (&r.error, r.actions.is_empty()) {
            (Some(_), _) => Outcome::Failed,
            (None, true) => Outcome::Unchanged,
            (None, false) => Outcome::Changed,
        };
        for a in &r.actions {
            match a {
                Did::Created => summary.created += 1,
                Did::Bound => summary.bound += 1,
                Did::Deleted => summary.deleted += 1,
            }
        }
        match outcome {
            Outcome::Failed => summary.failed += 1,
            Outcome::Unchanged => summary.unchanged += 1,
            Outcome::Changed => {}
        }
        // Workspaces that only look like mailboxes, and another partition's mailboxes, are not
        // this run's business: say nothing.
        if matches!(r.status, Some(Status::Unowned | Status::Elsewhere)) && outcome == Outcome::Unchanged {
            summary.unchanged -= 1;
            continue;
        }
        let status = r.status.unwrap_or(Status::Missing);
        mailboxes.push(MailboxResult {
            mailbox: name,
            sync_target,
            actions: r.actions,
            status,
            outcome,
            error: r.error,
            note: r.note,
        });
    }
    for bad in o.invalid_sync_targets() {
        summary.failed += 1;
        let st = o.with_path(bad.sync_target);
        mailboxes.push(MailboxResult {
            mailbox: Name::from(""),
            error: Some(format!(
                "SyncTarget {} cannot have a mailbox: {}",
                st.label(),
                bad.reason
            )),
            sync_target: Some(st),
            actions: vec![],
            status: Status::Invalid,
            outcome: Outcome::Failed,
            note: None,
        });
    }
    SyncReport {
        dry_run,
        summary,
        mailboxes,
        errors,
    }
}
