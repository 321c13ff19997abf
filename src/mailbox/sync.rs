//! `mailbox sync`, the operation: read the inventory once, then step every mailbox until it
//! settles, waiting (bounded) for new workspaces to become Ready and for deleted ones to go.
//! One watch on the mailbox parent tells when to step again; nothing polls.

use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::types::WorkspaceSummary;
use crate::kcp::{IfAbsent, Kcp, wait_for_view};
use crate::mailbox::inventory::{list_workspaces, lookup_paths, read_inventory};
use crate::mailbox::layout::Layout;
use crate::mailbox::plan::{Policy, Status};
use crate::mailbox::queue::WorkQueue;
use crate::mailbox::reconcile::{Did, Reconciler, Step};
use crate::mailbox::watches::{Change, config, forward, one_shot_backoff};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// How the operation tells the user what goes on (progress on a terminal, notes on stderr).

#[derive(Debug, Clone)]
pub(crate) struct SyncOptions {
    pub layout: Layout,
    pub dry_run: bool,
    pub prune: bool,
    pub concurrency: usize,
    /// Bound on waiting: for the export, for new mailboxes to become Ready, for deleted ones to go.
    pub timeout: Duration,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct SyncTargetId {
    /// Its inventory workspace's path, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// That workspace's logical cluster ID.
    pub cluster: String,
    pub name: String,
}

impl SyncTargetId {
    /// `root:imw1/florin`, or the cluster ID in place of a path not known.
    pub(crate) fn label(&self) -> String {
        match self.path.as_deref().unwrap_or(&self.cluster) {
            "" => self.name.clone(),
            place => format!("{place}/{}", self.name),
        }
    }
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
    pub mailbox: String,
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

#[derive(Default)]
struct Record {
    actions: Vec<Did>,
    status: Option<Status>,
    error: Option<String>,
    note: Option<String>,
    done: bool,
}

/// Attempts at a transient failure before a mailbox is reported failed.
const ATTEMPTS: u32 = 4;

#[allow(clippy::too_many_lines)] // over the house limit: to split into read, wait-for-list and report
pub(crate) async fn sync(kcp: &Kcp, opts: &SyncOptions, feedback: &dyn Feedback) -> Result<SyncReport> {
    let deadline = Instant::now() + opts.timeout;
    let layout = &opts.layout;
    let urls = wait_for_view(
        kcp,
        layout.inventory_export(),
        Some(deadline),
        IfAbsent::Fail,
        |m| feedback.note(m),
    )
    .await?;
    if urls.is_empty() {
        feedback.note(&crate::mailbox::inventory::nothing_bound_note(layout));
    }
    // The parent's workspaces: a watch (list, then changes) unless this is a dry run.
    let (tx, mut rx) = mpsc::channel::<Change<WorkspaceSummary>>(1024);
    let parent = kcp.cluster(&layout.mailbox_parent);
    let watch_task = if opts.dry_run {
        let items = list_workspaces(kcp, &layout.mailbox_parent).await.map_err(|e| {
            e.to_error(
                &format!("failed to list the workspaces in {}", layout.mailbox_parent),
                &parent.url(),
            )
        })?;
        let _ = tx.send(Change::Synced(items)).await;
        None
    } else {
        tracing::debug!(
            "watching the workspaces in {}: the mailboxes, and when new ones are Ready to bind",
            layout.mailbox_parent
        );
        let api: kube::Api<WorkspaceSummary> = kube::Api::all(kcp.watch_client(&parent)?);
        Some(tokio::spawn(forward(
            kube::runtime::watcher(api, config()),
            one_shot_backoff(),
            |w| w,
            tx,
        )))
    };
    let stop_watch = StopOnDrop(watch_task);

    // The inventory and the bindings, from every view URL at once, while the workspace list
    // comes in.
    let read = read_inventory(kcp, layout, &urls, feedback).await;
    if read.failures.len() == urls.len()
        && let Some(e) = read.failures.first()
    {
        // Nothing could be read: say why, as the one error.
        return Err(e.clone().context("nothing was changed"));
    }
    let errors: Vec<String> = read
        .failures
        .iter()
        .map(|e| format!("{}; no mailbox was deleted", e.message))
        .collect();
    let observed = Arc::new(Mutex::new(read.observed));

    // Wait for the parent's list.
    loop {
        let change = tokio::time::timeout_at(deadline, rx.recv()).await.map_err(|_| {
            Error::failed(format!(
                "timed out listing the workspaces in {}",
                layout.mailbox_parent
            ))
            .hint("retry, or raise --timeout")
        })?;
        match change {
            Some(Change::Synced(items)) => {
                observed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .set_workspaces(&items);
                break;
            }
            Some(Change::Error { error, .. }) if !error.is_retryable() => {
                return Err(error.to_error(
                    &format!("failed to list the workspaces in {}", layout.mailbox_parent),
                    &parent.url(),
                ));
            }
            Some(Change::Error { error, .. }) => {
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

    // Paths for the report and the logs: the parent's children came with its list; the
    // other inventory workspaces cost one read each.
    let unresolved = observed.lock().unwrap_or_else(|p| p.into_inner()).unresolved();
    for (cluster, path) in lookup_paths(kcp, unresolved).await {
        observed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .set_path(&cluster, path);
    }

    let reconciler = Arc::new(Reconciler {
        kcp: kcp.clone(),
        layout: layout.clone(),
        policy: Policy { prune: opts.prune },
        dry_run: opts.dry_run,
        observed: observed.clone(),
    });
    let names = observed.lock().unwrap_or_else(|p| p.into_inner()).names();
    let records = drive(
        &reconciler,
        &names,
        opts.concurrency.max(1),
        deadline,
        &mut rx,
        feedback,
    )
    .await;
    drop(stop_watch);
    Ok(report(&reconciler, records, errors, opts.dry_run))
}

struct StopOnDrop(Option<tokio::task::JoinHandle<()>>);
impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            t.abort();
        }
    }
}

/// Step every name until all settle or fail, or the deadline passes.
#[allow(clippy::too_many_lines)] // over the house limit: the worker loop is to move to the queue
async fn drive(
    reconciler: &Arc<Reconciler>,
    names: &std::collections::BTreeSet<String>,
    concurrency: usize,
    deadline: Instant,
    rx: &mut mpsc::Receiver<Change<WorkspaceSummary>>,
    feedback: &dyn Feedback,
) -> BTreeMap<String, Record> {
    let queue = WorkQueue::new(Duration::from_millis(200), Duration::from_secs(5));
    let records: Arc<Mutex<BTreeMap<String, Record>>> = Arc::new(Mutex::new(BTreeMap::new()));
    let waiting: Arc<Mutex<HashSet<String>>> = Arc::default();
    // How many names are done, kept as they finish (counting the map per event is O(N)).
    let finished = Arc::new(std::sync::atomic::AtomicU64::new(0));
    for n in names {
        queue.add(n);
    }
    let total = names.len() as u64;
    let mut watch_ended = false;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (queue, reconciler, records, waiting, finished) = (
                queue.clone(),
                reconciler.clone(),
                records.clone(),
                waiting.clone(),
                finished.clone(),
            );
            tokio::spawn(async move {
                while let Some(name) = queue.next().await {
                    let step = reconciler.step(&name).await;
                    let mut recs = records.lock().unwrap_or_else(|p| p.into_inner());
                    let rec = recs.entry(name.clone()).or_default();
                    let was_done = rec.done;
                    let mut wait = false;
                    match step {
                        Step::Settled { status, did, note } => {
                            rec.actions.extend(did);
                            (rec.status, rec.note, rec.error, rec.done) = (Some(status), note, None, true);
                        }
                        Step::Planned { status, would, note } => {
                            rec.actions.extend(would);
                            (rec.status, rec.note, rec.error, rec.done) = (Some(status), note, None, true);
                        }
                        Step::Waiting { status, did, note } => {
                            rec.actions.extend(did);
                            (rec.status, rec.note) = (Some(status), note);
                            wait = true;
                        }
                        Step::Retry { error, did } => {
                            rec.actions.extend(did);
                            if queue.failures(&name) + 1 >= ATTEMPTS {
                                (rec.error, rec.done) = (
                                    Some(error.render(false).trim_start_matches("error: ").to_string()),
                                    true,
                                );
                            } else {
                                let delay = queue.backoff(&name);
                                queue.add_after(&name, delay);
                            }
                        }
                        Step::Failed { status, error } => {
                            (rec.status, rec.error, rec.done) = (
                                Some(status),
                                Some(error.render(false).trim_start_matches("error: ").to_string()),
                                true,
                            );
                        }
                    }
                    if rec.done && !was_done {
                        finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    drop(recs);
                    let mut w = waiting.lock().unwrap_or_else(|p| p.into_inner());
                    if wait {
                        w.insert(name.clone())
                    } else {
                        w.remove(&name)
                    };
                    drop(w);
                    queue.done(&name);
                }
            })
        })
        .collect();

    loop {
        let changed = queue.changed();
        feedback.progress(finished.load(std::sync::atomic::Ordering::Relaxed), total);
        let waiting_now = waiting.lock().unwrap_or_else(|p| p.into_inner()).len();
        if queue.idle() && waiting_now == 0 {
            break;
        }
        tokio::select! {
            _ = changed => {}
            change = rx.recv() => {
                let touched: Vec<String> = {
                    let mut o = reconciler.observed();
                    match change {
                        Some(Change::Synced(items)) => o.set_workspaces(&items).into_iter().collect(),
                        Some(Change::Applied(ws)) => o.apply_workspace(&ws).into_iter().collect(),
                        Some(Change::Deleted(ws)) => o.delete_workspace(ws.name()).into_iter().collect(),
                        Some(Change::Error { error, .. }) => {
                            tracing::debug!(%error, "watch on the mailbox parent failed; it resumes");
                            vec![]
                        }
                        // Without the watch nothing would wake the waiting: stop, and say so.
                        None => {
                            watch_ended = true;
                            break;
                        }
                    }
                };
                // Step again anything not settled yet; a name being stepped right now is
                // queued again by the queue itself, so no change slips between step and wait.
                let recs = records.lock().unwrap_or_else(|p| p.into_inner());
                for n in touched.iter().filter(|n| names.contains(*n) && !recs.get(*n).is_some_and(|r| r.done)) {
                    queue.add(n);
                }
            }
            _ = tokio::time::sleep_until(deadline) => break,
        }
    }
    queue.close();
    for w in workers {
        w.abort();
    }
    let mut recs = std::mem::take(&mut *records.lock().unwrap_or_else(|p| p.into_inner()));
    let parent = &reconciler.layout.mailbox_parent;
    for name in waiting.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        let r = recs.entry(name.clone()).or_default();
        let error = match r.status {
            _ if watch_ended => format!(
                "mailbox {name}: the watch on its parent workspace ended while waiting for it; run sync again"
            ),
            // kcp deletes a workspace only once its content is gone: an object with a
            // finalizer in it holds the deletion for as long as the finalizer stays.
            Some(Status::Terminating) => format!(
                "mailbox {name} is still being deleted, so it could not be created again; objects with finalizers in {parent}:{name} may hold it, so look there, then run sync again"
            ),
            _ => format!(
                "mailbox {name}: timed out waiting for the workspace to become Ready, so bind-edge could be created; raise --timeout or check the workspace"
            ),
        };
        (r.error, r.done) = (Some(error), true);
    }
    recs
}

fn report(
    reconciler: &Reconciler,
    records: BTreeMap<String, Record>,
    errors: Vec<String>,
    dry_run: bool,
) -> SyncReport {
    let o = reconciler.observed();
    let mut summary = Summary::default();
    let mut mailboxes = Vec::new();
    for (name, r) in records {
        let id = |cluster: &str, name: &str| SyncTargetId {
            path: o.path_of(cluster).map(String::from),
            cluster: cluster.to_string(),
            name: name.to_string(),
        };
        let sync_target = o.sync_target(&name).map(|s| id(&s.cluster, &s.name)).or_else(|| {
            let cluster = crate::mailbox::naming::cluster_of(&name).unwrap_or_default();
            o.workspace(&name)
                .and_then(|w| w.sync_target_name.as_deref())
                .map(|n| id(cluster, n))
        });
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
        // Workspaces that only look like mailboxes are not the tool's business: say nothing.
        if r.status == Some(Status::Unowned) && outcome == Outcome::Unchanged {
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
        let st = &bad.sync_target;
        mailboxes.push(MailboxResult {
            mailbox: String::new(),
            sync_target: Some(SyncTargetId {
                path: o.path_of(&st.cluster).map(String::from),
                cluster: st.cluster.clone(),
                name: st.name.clone(),
            }),
            actions: vec![],
            status: Status::Invalid,
            outcome: Outcome::Failed,
            error: Some(format!(
                "SyncTarget {} cannot have a mailbox: {}",
                o.label(&st.cluster, &st.name),
                bad.reason
            )),
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
