//! `mailbox sync`, the operation: read the inventory once, then step every mailbox until it
//! settles, waiting (bounded) for new workspaces to become Ready and for deleted ones to go.
//! One watch on the mailbox parent tells when to step again; nothing polls.

use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::types::WorkspaceSummary;
use crate::kcp::{ApiErr, IfAbsent, Kcp, wait_for_view};
use crate::mailbox::inventory::{list_workspaces, lookup_paths, read_inventory};
use crate::mailbox::layout::Layout;
use crate::mailbox::observed::Observed;
use crate::mailbox::plan::{Policy, Status};
use crate::mailbox::queue::WorkQueue;
use crate::mailbox::reconcile::{Did, Reconciler, Step};
use crate::mailbox::watches::{Change, config, forward, one_shot_backoff};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
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
    let (mut parent, feed) = follow_parent(kcp, layout, opts.dry_run).await?;
    // The inventory and the bindings, from every view URL at once, while the workspace list
    // comes in.
    let (mut observed, errors) = read(kcp, layout, &urls, feedback).await?;
    observed.set_workspaces(&wait_for_list(kcp, layout, deadline, &mut parent).await?);
    // Paths for the report and the logs: the parent's children came with its list; the
    // other inventory workspaces cost one read each.
    for (cluster, path) in lookup_paths(kcp, observed.unresolved()).await {
        observed.set_path(&cluster, path);
    }

    let names = observed.names();
    let reconciler = Arc::new(Reconciler {
        kcp: kcp.clone(),
        layout: layout.clone(),
        policy: Policy { prune: opts.prune },
        dry_run: opts.dry_run,
        observed: Arc::new(Mutex::new(observed)),
    });
    let records = drive(
        &reconciler,
        &names,
        opts.concurrency.max(1),
        deadline,
        &mut parent,
        feedback,
    )
    .await;
    drop(feed);
    Ok(report(&reconciler, records, errors, opts.dry_run))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The parent's workspaces as changes: a watch (list, then changes) unless this is a dry run,
/// which lists them once.
async fn follow_parent(
    kcp: &Kcp,
    layout: &Layout,
    dry_run: bool,
) -> Result<(mpsc::Receiver<Change<WorkspaceSummary>>, ParentFeed)> {
    let (tx, rx) = mpsc::channel::<Change<WorkspaceSummary>>(1024);
    if dry_run {
        let items = list_workspaces(kcp, &layout.mailbox_parent)
            .await
            .map_err(|e| parent_list_error(kcp, layout, &e))?;
        let _ = tx.send(Change::Synced(items)).await;
        return Ok((rx, ParentFeed::Listed { _open: tx }));
    }
    tracing::debug!(
        "watching the workspaces in {}: the mailboxes, and when new ones are Ready to bind",
        layout.mailbox_parent
    );
    let parent = kcp.cluster(&layout.mailbox_parent);
    let api: kube::Api<WorkspaceSummary> = kube::Api::all(kcp.watch_client(&parent)?);
    let task = tokio::spawn(forward(
        kube::runtime::watcher(api, config()),
        one_shot_backoff(),
        |w| w,
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
    parent: &mut mpsc::Receiver<Change<WorkspaceSummary>>,
) -> Result<Vec<WorkspaceSummary>> {
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
            Some(Change::Synced(items)) => return Ok(items),
            Some(Change::Error { error, .. }) if !error.is_retryable() => {
                return Err(parent_list_error(kcp, layout, &error));
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
}

/// What feeds the parent's changes; dropped, it stops. A dry run's list keeps its sender:
/// a closed channel would read as the watch ending.
enum ParentFeed {
    Watch(tokio::task::JoinHandle<()>),
    Listed {
        _open: mpsc::Sender<Change<WorkspaceSummary>>,
    },
}

impl Drop for ParentFeed {
    fn drop(&mut self) {
        if let ParentFeed::Watch(t) = self {
            t.abort();
        }
    }
}

/// What the workers found, shared with the loop that waits for them.
#[derive(Default)]
struct Progress {
    records: Mutex<BTreeMap<String, Record>>,
    /// Names waiting for their workspace to change by itself.
    waiting: Mutex<HashSet<String>>,
    /// How many names are done, kept as they finish (counting the map per event is O(N)).
    finished: AtomicU64,
}

impl Progress {
    /// Note one step of `name`: its actions, and whether it is done, waits, or is retried.
    fn record(&self, queue: &Arc<WorkQueue>, name: &str, step: Step) {
        let mut recs = lock(&self.records);
        let rec = recs.entry(name.to_string()).or_default();
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
                if queue.failures(name) + 1 >= ATTEMPTS {
                    (rec.error, rec.done) = (Some(plain(&error)), true);
                } else {
                    let delay = queue.backoff(name);
                    queue.add_after(name, delay);
                }
            }
            Step::Failed { status, error } => {
                (rec.status, rec.error, rec.done) = (Some(status), Some(plain(&error)), true);
            }
        }
        if rec.done && !was_done {
            self.finished.fetch_add(1, Ordering::Relaxed);
        }
        drop(recs);
        let mut waiting = lock(&self.waiting);
        if wait {
            waiting.insert(name.to_string())
        } else {
            waiting.remove(name)
        };
    }

    fn is_done(&self, name: &str) -> bool {
        lock(&self.records).get(name).is_some_and(|r| r.done)
    }

    /// The records, those still waiting failed with why.
    fn finish(&self, parent: &str, watch_ended: bool) -> BTreeMap<String, Record> {
        let mut recs = std::mem::take(&mut *lock(&self.records));
        for name in lock(&self.waiting).iter() {
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
}

/// An error as the report shows it: its message, without the `error: ` the terminal gets.
fn plain(error: &Error) -> String {
    error.render(false).trim_start_matches("error: ").to_string()
}

/// Step every name until all settle or fail, or the deadline passes.
async fn drive(
    reconciler: &Arc<Reconciler>,
    names: &BTreeSet<String>,
    concurrency: usize,
    deadline: Instant,
    parent: &mut mpsc::Receiver<Change<WorkspaceSummary>>,
    feedback: &dyn Feedback,
) -> BTreeMap<String, Record> {
    let queue = WorkQueue::new(Duration::from_millis(200), Duration::from_secs(5));
    let progress = Arc::new(Progress::default());
    for n in names {
        queue.add(n);
    }
    let workers = queue.spawn_workers(concurrency, {
        let (reconciler, progress) = (reconciler.clone(), progress.clone());
        move |queue, name| {
            let (reconciler, progress) = (reconciler.clone(), progress.clone());
            async move {
                let step = reconciler.step(&name).await;
                progress.record(&queue, &name, step);
            }
        }
    });
    let watch_ended =
        wait_until_settled(&queue, &progress, reconciler, names, deadline, parent, feedback).await;
    queue.close();
    for w in workers {
        w.abort();
    }
    progress.finish(&reconciler.layout.mailbox_parent, watch_ended)
}

/// Follow the parent's changes, stepping again the names they touch, until nothing is queued
/// or waiting, or the deadline passes. True if the watch ended first.
async fn wait_until_settled(
    queue: &WorkQueue,
    progress: &Progress,
    reconciler: &Reconciler,
    names: &BTreeSet<String>,
    deadline: Instant,
    parent: &mut mpsc::Receiver<Change<WorkspaceSummary>>,
    feedback: &dyn Feedback,
) -> bool {
    let total = names.len() as u64;
    loop {
        let changed = queue.changed();
        feedback.progress(progress.finished.load(Ordering::Relaxed), total);
        if queue.idle() && lock(&progress.waiting).is_empty() {
            return false;
        }
        tokio::select! {
            _ = changed => {}
            change = parent.recv() => {
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
                        None => return true,
                    }
                };
                // Step again anything not settled yet; a name being stepped right now is
                // queued again by the queue itself, so no change slips between step and wait.
                for n in touched.iter().filter(|n| names.contains(*n) && !progress.is_done(n)) {
                    queue.add(n);
                }
            }
            _ = tokio::time::sleep_until(deadline) => return false,
        }
    }
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
