//! The one loop around the reconcile step, for `mailbox sync` and `mailbox watch`: it folds
//! what the watches tell into [`Observed`], queues the mailbox names that changed, runs the
//! workers that step them, and says what a [`Step`] means. Run [`Driver::once`] (every name
//! until it settles or fails, within a deadline; a transient failure is tried a few times)
//! or [`Driver::forever`] (retried with backoff, counted in metrics, with a periodic resync).

use crate::kcp::{ApiErr, ExportState, view_state};
use crate::mailbox::inventory::{lookup_paths, nothing_bound_yet, view_forbidden};
use crate::mailbox::layout::Layout;
use crate::mailbox::naming::Name;
use crate::mailbox::observed::{Observed, ViewBinding};
use crate::mailbox::plan::{Status, SyncTargetId, WorkspaceRef};
use crate::mailbox::reconcile::{Did, Reconciler, Step};
use crate::runtime::metrics::Metrics;
use crate::runtime::queue::WorkQueue;
use crate::runtime::watches::Change;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// What the watches tell, objects already in the compact form kept.
pub(crate) enum Event {
    /// Through one view URL.
    SyncTargets(String, Change<SyncTargetId>),
    /// Through one view URL of the export `bind-edge` binds (`None`: another binding).
    Bindings(String, Change<Option<ViewBinding>>),
    /// The mailbox parent's.
    Workspaces(Change<WorkspaceRef>),
    /// The export's endpoint slice changed (kcp v0.28+: shards appear and go with bindings).
    Endpoints,
}

/// Why a run that goes on forever stopped.
pub(crate) enum Ending {
    Stopped,
    LostLease,
    Restart(String),
}

/// Attempts at a transient failure before `once` reports a mailbox failed.
const ATTEMPTS: u32 = 4;

/// What one run of `once` found for a mailbox.
#[derive(Default)]
pub(crate) struct Record {
    pub actions: Vec<Did>,
    pub status: Option<Status>,
    pub error: Option<String>,
    pub note: Option<String>,
    done: bool,
}

/// What a step means, and to whom it is told.
enum Mode {
    /// Every name until it settles or fails; what each came to, for the report.
    Once(Tally),
    /// Retried forever with backoff; counted.
    Forever(Arc<Metrics>, Pace),
}

/// How a controller paces itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pace {
    /// Mailboxes stepped at once.
    pub concurrency: usize,
    /// A full pass over every name, as a safety net (zero: never).
    pub resync_period: Duration,
    /// How long in-flight steps may take to finish at shutdown.
    pub drain_timeout: Duration,
}

pub(crate) struct Driver {
    reconciler: Arc<Reconciler>,
    queue: Arc<WorkQueue>,
    mode: Arc<Mode>,
    synced: Synced,
}

/// Which watches have listed completely. `forever` acts only once all have (bindings: or are
/// known not to be served, so that a cold start does not read each mailbox's binding).
#[derive(Default)]
struct Synced {
    sync_targets: BTreeSet<String>,
    bindings: BTreeSet<String>,
    workspaces: bool,
}

impl Synced {
    fn all(&self, urls: &[String], binding_urls: &[String]) -> bool {
        self.workspaces && self.sync_targets.len() == urls.len() && self.bindings.len() == binding_urls.len()
    }
}

impl Driver {
    /// For `mailbox sync`: a failed name is retried within seconds, a few times.
    pub(crate) fn once(reconciler: Arc<Reconciler>) -> Driver {
        Driver::new(reconciler, Duration::from_secs(5), Mode::Once(Tally::default()))
    }

    /// For `mailbox watch`: backoff up to five minutes, counted in `metrics`.
    pub(crate) fn forever(reconciler: Arc<Reconciler>, metrics: Arc<Metrics>, pace: Pace) -> Driver {
        Driver::new(reconciler, Duration::from_secs(300), Mode::Forever(metrics, pace))
    }

    fn new(reconciler: Arc<Reconciler>, max_delay: Duration, mode: Mode) -> Driver {
        Driver {
            reconciler,
            queue: WorkQueue::new(Duration::from_millis(200), max_delay),
            mode: Arc::new(mode),
            synced: Synced::default(),
        }
    }

    pub(crate) fn observed(&self) -> std::sync::MutexGuard<'_, Observed> {
        self.reconciler.observed()
    }

    fn spawn_workers(&self, concurrency: usize) -> Vec<JoinHandle<()>> {
        let (reconciler, mode) = (self.reconciler.clone(), self.mode.clone());
        self.queue.spawn_workers(concurrency.max(1), move |queue, name| {
            let (reconciler, mode) = (reconciler.clone(), mode.clone());
            async move {
                let step = reconciler.step(&name).await;
                mode.take(&queue, &name, step);
            }
        })
    }

    /// Fold one event into what is observed; the mailbox names it touches.
    fn fold(&mut self, event: Event) -> BTreeSet<Name> {
        let mut o = self.reconciler.observed();
        let synced = &mut self.synced;
        let failed = match event {
            Event::SyncTargets(url, change) => match change {
                Change::Synced(items) => {
                    synced.sync_targets.insert(url.clone());
                    return o.set_sync_targets(&url, items);
                }
                Change::Applied(st) => return o.apply_sync_target(&url, st),
                Change::Deleted(st) => return o.delete_sync_target(&url, &st).into_iter().collect(),
                Change::Error { error, .. } => Failure::SyncTargets(url, error),
            },
            Event::Bindings(url, change) => match change {
                Change::Synced(items) => {
                    synced.bindings.insert(url.clone());
                    let items: Vec<ViewBinding> = items.into_iter().flatten().collect();
                    return o.set_bindings(&url, Some(&items));
                }
                Change::Applied(b) => {
                    return b.map(|b| o.binding_event(&url, &b, true)).unwrap_or_default();
                }
                Change::Deleted(b) => {
                    return b.map(|b| o.binding_event(&url, &b, false)).unwrap_or_default();
                }
                Change::Error {
                    error,
                    synced: listed,
                } => {
                    if !listed {
                        // Unknown until listed: each mailbox's binding is read directly meanwhile.
                        synced.bindings.insert(url.clone());
                    }
                    Failure::Bindings(url, error, listed)
                }
            },
            Event::Workspaces(change) => match change {
                Change::Synced(items) => {
                    synced.workspaces = true;
                    return o.set_workspaces(items);
                }
                Change::Applied(ws) => return o.apply_workspace(ws).into_iter().collect(),
                Change::Deleted(ws) => return o.delete_workspace(&ws.name).into_iter().collect(),
                Change::Error { error, .. } => Failure::Workspaces(error),
            },
            Event::Endpoints => return BTreeSet::new(),
        };
        drop(o);
        self.mode.watch_failed(failed, &self.reconciler.layout);
        BTreeSet::new()
    }

    // --- once --------------------------------------------------------------------------

    /// Step every name until all settle or fail, or the deadline passes, following the
    /// parent's changes (`events`) to step again the names they touch. What each came to.
    pub(crate) async fn run_once(
        mut self,
        names: &BTreeSet<Name>,
        concurrency: usize,
        deadline: Instant,
        events: &mut mpsc::Receiver<Event>,
        on_progress: impl Fn(u64, u64),
    ) -> BTreeMap<Name, Record> {
        let mode = self.mode.clone();
        let Mode::Once(tally) = &*mode else {
            unreachable!("run_once runs a driver made by once")
        };
        for n in names {
            self.queue.add(n);
        }
        let workers = self.spawn_workers(concurrency);
        let watch_ended = self
            .until_settled(tally, names, deadline, events, on_progress)
            .await;
        self.queue.close();
        for w in workers {
            w.abort();
        }
        tally.finish(&self.reconciler.layout.mailbox_parent, watch_ended)
    }

    /// True if the watch ended first.
    async fn until_settled(
        &mut self,
        tally: &Tally,
        names: &BTreeSet<Name>,
        deadline: Instant,
        events: &mut mpsc::Receiver<Event>,
        on_progress: impl Fn(u64, u64),
    ) -> bool {
        let total = names.len() as u64;
        loop {
            let queue = self.queue.clone();
            let changed = queue.changed();
            on_progress(tally.finished.load(Ordering::Relaxed), total);
            if queue.idle() && lock(&tally.waiting).is_empty() {
                return false;
            }
            tokio::select! {
                _ = changed => {}
                event = events.recv() => {
                    // Without the watch nothing would wake the waiting: stop, and say so.
                    let Some(event) = event else { return true };
                    // Step again anything not settled yet; a name being stepped right now is
                    // queued again by the queue itself, so no change slips between step and wait.
                    for n in self.fold(event).iter().filter(|n| names.contains(*n) && !tally.is_done(n)) {
                        queue.add(n);
                    }
                }
                _ = tokio::time::sleep_until(deadline) => return false,
            }
        }
    }

    // --- forever -----------------------------------------------------------------------

    /// Act on every change until `stop` or `lost` turns true, or the export's view URLs
    /// change; then let in-flight steps finish (bounded by the pace's drain timeout).
    pub(crate) async fn run_forever(
        mut self,
        events: &mut mpsc::Receiver<Event>,
        urls: &[String],
        binding_urls: &[String],
        stop: &mut watch::Receiver<bool>,
        lost: &mut watch::Receiver<bool>,
    ) -> Ending {
        let mode = self.mode.clone();
        let Mode::Forever(metrics, pace) = &*mode else {
            unreachable!("run_forever runs a driver made by forever")
        };
        // Empty until every cache has listed: then the controller acts.
        let mut workers = Vec::new();
        let mut resync = tokio::time::interval(if pace.resync_period.is_zero() {
            Duration::from_secs(u64::MAX / 4)
        } else {
            pace.resync_period
        });
        resync.tick().await;
        let ending = loop {
            tokio::select! {
                event = events.recv() => {
                    let Some(event) = event else { break Ending::Restart("the watches ended".into()) };
                    if let Event::Endpoints = event {
                        match self.view_moved(urls).await {
                            Some(ending) => break ending,
                            None => continue,
                        }
                    }
                    let event = self.settle_unbound(event).await;
                    let touched = self.fold(event);
                    if !workers.is_empty() {
                        self.resolve_paths(&touched).await;
                    }
                    for n in &touched {
                        self.queue.add(n);
                    }
                    let count = self.observed().sync_target_count();
                    metrics.sync_targets.store(count as u64, Ordering::Relaxed);
                    if workers.is_empty() && self.synced.all(urls, binding_urls) {
                        workers = self.start(metrics, pace.concurrency).await;
                    }
                    metrics.queue_depth.store(self.queue.depth() as u64, Ordering::Relaxed);
                }
                _ = resync.tick(), if !workers.is_empty() => {
                    if let Some(ending) = self.resync_all(urls, metrics).await {
                        break ending;
                    }
                }
                _ = stop.wait_for(|s| *s) => break Ending::Stopped,
                _ = lost.wait_for(|l| *l) => break Ending::LostLease,
            }
        };
        self.drain(workers, pace.drain_timeout).await;
        metrics.synced.store(0, Ordering::Relaxed);
        ending
    }

    /// Every cache has listed: look up the paths the parent's listing did not give, queue
    /// every name, and start the workers.
    async fn start(&self, metrics: &Metrics, concurrency: usize) -> Vec<JoinHandle<()>> {
        let unresolved = self.observed().unresolved();
        self.look_up(unresolved).await;
        metrics.synced.store(1, Ordering::Relaxed);
        let names = self.observed().names();
        tracing::info!(mailboxes = names.len(), "caches synced: reconciling");
        metrics.mailboxes.store(names.len() as u64, Ordering::Relaxed);
        for n in &names {
            self.queue.add(n);
        }
        self.spawn_workers(concurrency)
    }

    /// The paths of inventory workspaces new to the names touched, for the logs: one read
    /// each, once, here rather than in a step.
    async fn resolve_paths(&self, touched: &BTreeSet<Name>) {
        let clusters: BTreeSet<String> = {
            let o = self.observed();
            touched
                .iter()
                .filter_map(|n| o.sync_target(n))
                .map(|st| st.cluster.to_string())
                .filter(|c| o.needs_lookup(c))
                .collect()
        };
        self.look_up(clusters).await;
    }

    async fn look_up(&self, clusters: BTreeSet<String>) {
        if clusters.is_empty() {
            return;
        }
        for (cluster, path) in lookup_paths(&self.reconciler.kcp, clusters).await {
            self.observed().set_path(&cluster, path);
        }
    }

    /// The export's endpoint slice changed: the reason to start over if its view URLs did too
    /// (or it is not ready any more).
    async fn view_moved(&self, urls: &[String]) -> Option<Ending> {
        let r = &self.reconciler;
        match view_state(&r.kcp, r.layout.view_source()).await {
            Ok(ExportState::Ready(now)) if now == urls => None,
            Ok(ExportState::Ready(now)) => Some(Ending::Restart(format!(
                "the export's view URLs changed to {now:?}"
            ))),
            Ok(other) => Some(Ending::Restart(format!(
                "the export's view is not ready any more ({other:?})"
            ))),
            Err(e) => {
                tracing::warn!("{}; looking again at the next change", e.message);
                None
            }
        }
    }

    /// The safety net: look at everything again, and at the export's URLs (the reason to
    /// start over if they changed).
    async fn resync_all(&self, urls: &[String], metrics: &Metrics) -> Option<Ending> {
        let r = &self.reconciler;
        if let Ok(ExportState::Ready(now)) = view_state(&r.kcp, r.layout.view_source()).await
            && now != urls
        {
            return Some(Ending::Restart(format!(
                "the export's view URLs changed to {now:?}"
            )));
        }
        let names = {
            let mut o = self.observed();
            o.forget_confirmations();
            o.names()
        };
        tracing::debug!(mailboxes = names.len(), "periodic resync");
        metrics.mailboxes.store(names.len() as u64, Ordering::Relaxed);
        for n in &names {
            self.queue.add(n);
        }
        None
    }

    /// kcp v0.11's view answers 404 for SyncTargets while nothing binds the export: when the
    /// view lists no bindings either, that is a complete list of nothing (one request per
    /// failed attempt, which the watcher spaces out).
    async fn settle_unbound(&self, event: Event) -> Event {
        match event {
            Event::SyncTargets(url, Change::Error { error, synced }) if error.is_not_found() => {
                match nothing_bound_yet(&self.reconciler.kcp, &url, error).await {
                    Ok(nothing) => Event::SyncTargets(url, Change::Synced(nothing)),
                    Err(error) => Event::SyncTargets(url, Change::Error { error, synced }),
                }
            }
            other => other,
        }
    }

    /// Stop taking work; let in-flight steps finish (bounded).
    async fn drain(&self, mut workers: Vec<JoinHandle<()>>, timeout: Duration) {
        self.queue.close();
        let drain = futures::future::join_all(workers.iter_mut());
        if tokio::time::timeout(timeout, drain).await.is_err() {
            tracing::warn!("in-flight work did not finish within {timeout:?}; stopping anyway");
            for w in &workers {
                w.abort();
            }
        }
    }
}

/// A watch that failed (it resumes by itself).
enum Failure {
    SyncTargets(String, ApiErr),
    /// And whether it had listed once.
    Bindings(String, ApiErr, bool),
    Workspaces(ApiErr),
}

impl Mode {
    /// What a step means.
    fn take(&self, queue: &Arc<WorkQueue>, name: &Name, step: Step) {
        match self {
            Mode::Once(tally) => tally.record(queue, name, step),
            Mode::Forever(metrics, _) => count_and_requeue(queue, metrics, name, step),
        }
    }

    /// Say that a watch failed; a controller counts it too.
    fn watch_failed(&self, failure: Failure, layout: &Layout) {
        let Mode::Forever(metrics, _) = self else {
            // `once` watches only the mailbox parent, within its deadline.
            if let Failure::Workspaces(error) = failure {
                tracing::debug!(%error, "watch on the mailbox parent failed; it resumes");
            }
            return;
        };
        match failure {
            // A permission missing: say which, as an error (it resumes once granted).
            Failure::SyncTargets(url, error) if error.is_forbidden() => {
                metrics.watch_restarts_synctargets.fetch_add(1, Ordering::Relaxed);
                let e = view_forbidden(&error, "watching SyncTargets failed", &url, layout);
                tracing::error!("{}; resuming", e.plain());
            }
            Failure::SyncTargets(url, error) => {
                metrics.watch_restarts_synctargets.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%url, %error, "watching SyncTargets failed; resuming");
            }
            Failure::Bindings(url, error, listed) => {
                metrics.watch_restarts_bindings.fetch_add(1, Ordering::Relaxed);
                if error.is_not_found() && !listed {
                    // This view does not serve bindings: each mailbox's is read directly.
                    tracing::debug!(%url, "the view does not serve APIBindings");
                } else if error.is_forbidden() {
                    let e = view_forbidden(&error, "watching bindings failed", &url, layout);
                    tracing::error!("{}; resuming", e.plain());
                } else {
                    tracing::warn!(%url, %error, "watching bindings failed; resuming");
                }
            }
            Failure::Workspaces(error) if error.is_forbidden() => {
                metrics.watch_restarts_workspaces.fetch_add(1, Ordering::Relaxed);
                let parent = format!("/clusters/{}", layout.mailbox_parent);
                let e = error.to_error("watching workspaces failed", &parent);
                tracing::error!("{}; resuming", e.plain());
            }
            Failure::Workspaces(error) => {
                metrics.watch_restarts_workspaces.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%error, "watching workspaces failed; resuming");
            }
        }
    }
}

/// A controller's step: counted; settled, retried with backoff, or looked at again later if
/// it needs a person (one may have fixed it).
fn count_and_requeue(queue: &Arc<WorkQueue>, metrics: &Metrics, name: &Name, step: Step) {
    let count = |did: &Option<Did>| match did {
        Some(Did::Created) => metrics.created.fetch_add(1, Ordering::Relaxed),
        Some(Did::Bound) => metrics.bound.fetch_add(1, Ordering::Relaxed),
        Some(Did::Deleted) => metrics.deleted.fetch_add(1, Ordering::Relaxed),
        None => 0,
    };
    match step {
        Step::Settled { did, .. } => {
            count(&did);
            metrics.reconciles_settled.fetch_add(1, Ordering::Relaxed);
            queue.forget(name);
        }
        // The controller never runs dry; nothing was done.
        Step::Planned { .. } => {
            metrics.reconciles_settled.fetch_add(1, Ordering::Relaxed);
            queue.forget(name);
        }
        Step::Waiting { did, .. } => {
            count(&did);
            metrics.reconciles_waiting.fetch_add(1, Ordering::Relaxed);
            queue.forget(name);
        }
        Step::Retry { error, did } => {
            count(&did);
            metrics.reconciles_retry.fetch_add(1, Ordering::Relaxed);
            let delay = queue.backoff(name);
            tracing::warn!(mailbox = %name, attempt = queue.failures(name), "{}; retrying in {delay:?}", error.message);
            queue.add_after(name, delay);
        }
        Step::Failed { error, .. } => {
            metrics.reconciles_failed.fetch_add(1, Ordering::Relaxed);
            let delay = queue.backoff(name).max(Duration::from_secs(30));
            tracing::error!(mailbox = %name, "{}; looking again in {delay:?}", error.plain());
            queue.add_after(name, delay);
        }
    }
    metrics.queue_depth.store(queue.depth() as u64, Ordering::Relaxed);
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What the workers of `once` found, shared with the loop that waits for them.
#[derive(Default)]
struct Tally {
    records: Mutex<BTreeMap<Name, Record>>,
    /// Names waiting for their workspace to change by itself.
    waiting: Mutex<HashSet<Name>>,
    /// How many names are done, kept as they finish (counting the map per event is O(N)).
    finished: AtomicU64,
}

impl Tally {
    /// Note one step of `name`: its actions, and whether it is done, waits, or is retried.
    fn record(&self, queue: &Arc<WorkQueue>, name: &Name, step: Step) {
        let mut recs = lock(&self.records);
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
                if queue.failures(name) + 1 >= ATTEMPTS {
                    (rec.error, rec.done) = (Some(error.plain()), true);
                } else {
                    let delay = queue.backoff(name);
                    queue.add_after(name, delay);
                }
            }
            Step::Failed { status, error } => {
                (rec.status, rec.error, rec.done) = (Some(status), Some(error.plain()), true);
            }
        }
        if rec.done && !was_done {
            self.finished.fetch_add(1, Ordering::Relaxed);
        }
        drop(recs);
        let mut waiting = lock(&self.waiting);
        if wait {
            waiting.insert(name.clone())
        } else {
            waiting.remove(name)
        };
    }

    fn is_done(&self, name: &str) -> bool {
        lock(&self.records).get(name).is_some_and(|r| r.done)
    }

    /// The records, those still waiting failed with why.
    fn finish(&self, parent: &str, watch_ended: bool) -> BTreeMap<Name, Record> {
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
