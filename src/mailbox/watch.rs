//! `mailbox watch`, the operation: the reconcile step of `sync`, driven by watches on the
//! SyncTargets and the bindings (through every view URL) and on the mailbox parent's
//! workspaces, with a work queue, per-name backoff, a periodic full resync, and optional
//! leader election. It acts only once every watch has listed completely.

use crate::error::Result;
use crate::kcp::types::{ApiBinding, ApiExportEndpointSlice, MetaOnly, WorkspaceSummary};
use crate::kcp::{ExportState, IfAbsent, Kcp, export_state, wait_for_view};
use crate::mailbox::inventory::{binding_views, detect_version, nothing_bound_note, nothing_bound_yet};
use crate::mailbox::layout::Layout;
use crate::mailbox::leader::{Elector, LeaseOptions};
use crate::mailbox::observed::Observed;
use crate::mailbox::plan::Policy;
use crate::mailbox::queue::WorkQueue;
use crate::mailbox::reconcile::{Did, Reconciler, Step};
use crate::mailbox::watches::{Change, config, controller_backoff, forward};
use crate::metrics::Metrics;
use kube::api::DynamicObject;
use kube::core::PartialObjectMeta;
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub(crate) struct WatchOptions {
    pub layout: Layout,
    pub concurrency: usize,
    /// A full pass over every name, as a safety net (zero: never).
    pub resync_period: Duration,
    pub leader: Option<LeaseOptions>,
    /// How long in-flight steps may take to finish at shutdown.
    pub drain_timeout: Duration,
}

/// Changes from the watches, objects already in the compact form kept.
enum Event {
    SyncTargets(String, Change<MetaOnly>),
    Bindings(String, Change<MetaOnly>),
    Workspaces(Change<WorkspaceSummary>),
    /// The export's endpoint slice changed (kcp v0.28+: shards appear and go with bindings).
    Endpoints,
}

/// Run until `stop` turns true. Returns when in-flight work is done (or the drain times out).
pub(crate) async fn run(
    kcp: &Kcp,
    opts: &WatchOptions,
    metrics: Arc<Metrics>,
    mut stop: watch::Receiver<bool>,
) -> Result<()> {
    let mut elector = opts
        .leader
        .as_ref()
        .map(|lease| Elector::new(kcp.cluster(&lease.workspace), lease.clone()));
    loop {
        if let Some(e) = elector.as_mut() {
            tokio::select! {
                _ = e.acquire(|m| tracing::info!("{m}")) => {}
                _ = stop.wait_for(|s| *s) => return Ok(()),
            }
            tracing::info!("became the leader: acting");
            metrics.leader.store(1, Ordering::Relaxed);
        } else {
            metrics.leader.store(1, Ordering::Relaxed);
        }
        // While leading, run the controller; stop it when leadership is lost or on shutdown.
        let (lost_tx, lost_rx) = watch::channel(false);
        let outcome = {
            let controller = control(kcp, opts, metrics.clone(), stop.clone(), lost_rx);
            let holding = async {
                match elector.as_mut() {
                    Some(e) => {
                        e.hold().await;
                        let _ = lost_tx.send(true);
                        std::future::pending::<()>().await
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                r = controller => r,
                _ = holding => unreachable!("holding never completes"),
            }
        };
        metrics.leader.store(0, Ordering::Relaxed);
        let stopping = *stop.borrow();
        if let Some(e) = elector.as_mut()
            && stopping
        {
            e.release().await;
        }
        match outcome {
            Ok(Ending::Stopped) => return Ok(()),
            Ok(Ending::LostLease) => {
                tracing::warn!("lost the leader lease: stopped acting; campaigning again")
            }
            Ok(Ending::Restart(why)) => tracing::info!("{why}: starting over"),
            Err(e) => return Err(e),
        }
    }
}

enum Ending {
    Stopped,
    LostLease,
    Restart(String),
}

/// The controller proper, for one set of view URLs.
async fn control(
    kcp: &Kcp,
    opts: &WatchOptions,
    metrics: Arc<Metrics>,
    mut stop: watch::Receiver<bool>,
    mut lost: watch::Receiver<bool>,
) -> Result<Ending> {
    // The export may come later: wait for it, saying so once.
    let export = opts.layout.inventory_export();
    let urls = tokio::select! {
        r = wait_for_view(kcp, export, None, IfAbsent::Wait, |m| tracing::info!("{m}")) => r?,
        _ = stop.wait_for(|s| *s) => return Ok(Ending::Stopped),
        _ = lost.wait_for(|l| *l) => return Ok(Ending::LostLease),
    };
    if urls.is_empty() {
        tracing::info!("{}", nothing_bound_note(&opts.layout));
    }
    let layout = &served_layout(kcp, &opts.layout, &urls).await;
    tracing::info!(views = ?urls, parent = %layout.mailbox_parent, layout = %layout.preset, "watching SyncTargets through the export's view");
    let binding_urls = binding_views(kcp, layout, &urls).await;
    let reconciler = Arc::new(Reconciler {
        kcp: kcp.clone(),
        layout: layout.clone(),
        policy: Policy { prune: true },
        dry_run: false,
        observed: Arc::new(Mutex::new(Observed::new(
            &layout.annotation_key,
            &layout.mailbox_parent,
            &urls,
            &binding_urls,
        ))),
    });
    let (tx, mut rx) = mpsc::channel::<Event>(4096);
    let _stop_watches = start_watches(kcp, layout, &urls, &binding_urls, tx).await?;

    let queue = WorkQueue::new(Duration::from_millis(200), Duration::from_secs(300));
    let mut synced = Synced::default();
    // Empty until every cache has listed: then the controller acts.
    let mut workers = Vec::new();
    let mut resync = tokio::time::interval(if opts.resync_period.is_zero() {
        Duration::from_secs(u64::MAX / 4)
    } else {
        opts.resync_period
    });
    resync.tick().await;

    let ending = loop {
        tokio::select! {
            event = rx.recv() => {
                let Some(event) = event else { break Ending::Restart("the watches ended".into()) };
                if let Event::Endpoints = event {
                    match view_moved(kcp, layout, &urls).await {
                        Some(ending) => break ending,
                        None => continue,
                    }
                }
                let event = settle_unbound(kcp, event).await;
                for n in &apply(&reconciler, &metrics, event, &mut synced) {
                    queue.add(n);
                }
                let count = reconciler.observed().sync_target_count();
                metrics.sync_targets.store(count as u64, Ordering::Relaxed);
                if workers.is_empty() && synced.all(&urls, &binding_urls) {
                    workers = start(&queue, &reconciler, &metrics, opts.concurrency.max(1));
                }
                metrics.queue_depth.store(queue.depth() as u64, Ordering::Relaxed);
            }
            _ = resync.tick(), if !workers.is_empty() => {
                if let Some(ending) = resync_all(kcp, &urls, &reconciler, &queue, &metrics).await {
                    break ending;
                }
            }
            _ = stop.wait_for(|s| *s) => break Ending::Stopped,
            _ = lost.wait_for(|l| *l) => break Ending::LostLease,
        }
    };
    drain(&queue, workers, opts.drain_timeout).await;
    metrics.synced.store(0, Ordering::Relaxed);
    Ok(ending)
}

/// The layout, with the SyncTarget version the view serves when that was not given and the
/// layout's is not served.
async fn served_layout(kcp: &Kcp, layout: &Layout, urls: &[String]) -> Layout {
    if layout.detect_version
        && let Some(first) = urls.first()
    {
        match detect_version(kcp, first, layout).await {
            Ok(Some((detected, note))) => {
                tracing::info!("{note}");
                return detected;
            }
            Ok(None) => {}
            Err(e) => {
                tracing::debug!(error = %e, "could not read the view's discovery; keeping the layout's SyncTarget version")
            }
        }
    }
    layout.clone()
}

/// The watches, all sending to `tx`: SyncTargets and bindings through every view URL, the
/// export's endpoint slice (newer kcp), and the mailbox parent's workspaces. They stop when
/// the returned value is dropped.
async fn start_watches(
    kcp: &Kcp,
    layout: &Layout,
    urls: &[String],
    binding_urls: &[String],
    tx: mpsc::Sender<Event>,
) -> Result<AbortOnDrop> {
    let mut tasks = AbortOnDrop(Vec::new());
    let st_resource = layout.sync_target_resource();
    for url in urls {
        let client = kcp.watch_client(&kcp.view(url)?)?;
        // Metadata only: a SyncTarget's status can be large, and only its identity matters here.
        let sts: kube::Api<PartialObjectMeta<DynamicObject>> = kube::Api::all_with(client, &st_resource);
        tasks.0.push(spawn_forward(
            kube::runtime::watcher(sts, config()),
            meta_only,
            tx.clone(),
            {
                let url = url.clone();
                move |c| Event::SyncTargets(url.clone(), c)
            },
        ));
    }
    for url in binding_urls {
        let client = kcp.watch_client(&kcp.view(url)?)?;
        // Metadata only: a name and a logical cluster are all that is read of a binding.
        let bindings: kube::Api<PartialObjectMeta<ApiBinding>> = kube::Api::all(client);
        tasks.0.push(spawn_forward(
            kube::runtime::watcher(bindings, config()),
            meta_only,
            tx.clone(),
            {
                let url = url.clone();
                move |c| Event::Bindings(url.clone(), c)
            },
        ));
    }
    if kcp.generation().await.slice_urls() {
        // Newer kcp lists a shard's view URL only once something there binds the export:
        // follow the slice kcp makes, named after the export, and start over when the URLs
        // it leads to change.
        let espw = kcp.cluster(&layout.inventory_export_path);
        let slices: kube::Api<ApiExportEndpointSlice> = kube::Api::all(kcp.watch_client(&espw)?);
        let by_name = config().fields(&format!("metadata.name={}", layout.inventory_export_name));
        tasks.0.push(spawn_forward(
            kube::runtime::watcher(slices, by_name),
            |s| s,
            tx.clone(),
            |_| Event::Endpoints,
        ));
    }
    let parent: kube::Api<WorkspaceSummary> =
        kube::Api::all(kcp.watch_client(&kcp.cluster(&layout.mailbox_parent))?);
    tasks.0.push(spawn_forward(
        kube::runtime::watcher(parent, config()),
        |w| w,
        tx,
        Event::Workspaces,
    ));
    Ok(tasks)
}

struct AbortOnDrop(Vec<tokio::task::JoinHandle<()>>);
impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        for t in &self.0 {
            t.abort();
        }
    }
}

/// Which watches have listed completely. The controller acts only once all have (bindings:
/// or are known not to be served, so that a cold start does not read each mailbox's binding).
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

/// The export's endpoint slice changed: the reason to start over if its view URLs did too
/// (or it is not ready any more).
async fn view_moved(kcp: &Kcp, layout: &Layout, urls: &[String]) -> Option<Ending> {
    match export_state(kcp, layout.inventory_export()).await {
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

/// Every cache has listed: queue every name, and start the workers.
fn start(
    queue: &Arc<WorkQueue>,
    reconciler: &Arc<Reconciler>,
    metrics: &Arc<Metrics>,
    concurrency: usize,
) -> Vec<JoinHandle<()>> {
    metrics.synced.store(1, Ordering::Relaxed);
    let names = reconciler.observed().names();
    tracing::info!(mailboxes = names.len(), "caches synced: reconciling");
    metrics.mailboxes.store(names.len() as u64, Ordering::Relaxed);
    for n in &names {
        queue.add(n);
    }
    let (reconciler, metrics) = (reconciler.clone(), metrics.clone());
    queue.spawn_workers(concurrency, move |queue, name| {
        let (reconciler, metrics) = (reconciler.clone(), metrics.clone());
        async move { step(&queue, &reconciler, &metrics, &name).await }
    })
}

/// The safety net: look at everything again, and at the export's URLs (the reason to start
/// over if they changed).
async fn resync_all(
    kcp: &Kcp,
    urls: &[String],
    reconciler: &Reconciler,
    queue: &WorkQueue,
    metrics: &Metrics,
) -> Option<Ending> {
    if let Ok(ExportState::Ready(now)) = export_state(kcp, reconciler.layout.inventory_export()).await
        && now != urls
    {
        return Some(Ending::Restart(format!(
            "the export's view URLs changed to {now:?}"
        )));
    }
    let names = {
        let mut o = reconciler.observed();
        o.forget_confirmations();
        o.names()
    };
    tracing::debug!(mailboxes = names.len(), "periodic resync");
    metrics.mailboxes.store(names.len() as u64, Ordering::Relaxed);
    for n in &names {
        queue.add(n);
    }
    None
}

/// Stop taking work; let in-flight steps finish (bounded).
async fn drain(queue: &WorkQueue, mut workers: Vec<JoinHandle<()>>, timeout: Duration) {
    queue.close();
    let drain = futures::future::join_all(workers.iter_mut());
    if tokio::time::timeout(timeout, drain).await.is_err() {
        tracing::warn!("in-flight work did not finish within {timeout:?}; stopping anyway");
        for w in &workers {
            w.abort();
        }
    }
}

/// kcp v0.11's view answers 404 for SyncTargets while nothing binds the export: when the
/// view lists no bindings either, that is a complete list of nothing (one request per failed
/// attempt, which the watcher spaces out).
async fn settle_unbound(kcp: &Kcp, event: Event) -> Event {
    match event {
        Event::SyncTargets(url, Change::Error { error, synced }) if error.is_not_found() => {
            match nothing_bound_yet(kcp, &url, error).await {
                Ok(nothing) => Event::SyncTargets(url, Change::Synced(nothing)),
                Err(error) => Event::SyncTargets(url, Change::Error { error, synced }),
            }
        }
        other => other,
    }
}

fn spawn_forward<K, T, S>(
    stream: S,
    map: impl Fn(K) -> T + Send + Sync + 'static,
    tx: mpsc::Sender<Event>,
    wrap: impl Fn(Change<T>) -> Event + Send + Sync + 'static,
) -> tokio::task::JoinHandle<()>
where
    K: Send + 'static,
    T: Send + 'static,
    S: futures::Stream<
            Item = std::result::Result<kube::runtime::watcher::Event<K>, kube::runtime::watcher::Error>,
        > + Send
        + 'static,
{
    let (inner_tx, mut inner_rx) = mpsc::channel::<Change<T>>(1024);
    tokio::spawn(async move {
        let pump = forward(stream, controller_backoff(), map, inner_tx);
        let relay = async {
            while let Some(c) = inner_rx.recv().await {
                if tx.send(wrap(c)).await.is_err() {
                    return;
                }
            }
        };
        tokio::join!(pump, relay);
    })
}

/// What is kept of a metadata-only object: its metadata, without managedFields.
fn meta_only<K>(p: PartialObjectMeta<K>) -> MetaOnly {
    MetaOnly {
        metadata: crate::kcp::types::lean(p.metadata),
    }
}

/// Fold one watch event into what is observed; returns the mailbox names it touches.
fn apply(reconciler: &Reconciler, metrics: &Metrics, event: Event, synced: &mut Synced) -> BTreeSet<String> {
    let mut o = reconciler.observed();
    match event {
        Event::SyncTargets(url, change) => match change {
            Change::Synced(items) => {
                synced.sync_targets.insert(url.clone());
                o.set_sync_targets(&url, &items)
            }
            Change::Applied(p) => o.apply_sync_target(&url, &p.metadata).into_iter().collect(),
            Change::Deleted(p) => o.delete_sync_target(&url, &p.metadata).into_iter().collect(),
            Change::Error { error, .. } => {
                metrics.watch_restarts_synctargets.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%url, %error, "watching SyncTargets failed; resuming");
                BTreeSet::new()
            }
        },
        Event::Bindings(url, change) => match change {
            Change::Synced(items) => {
                synced.bindings.insert(url.clone());
                o.set_bindings(&url, Some(&items))
            }
            Change::Applied(b) => o.binding_event(&url, &b, true).into_iter().collect(),
            Change::Deleted(b) => o.binding_event(&url, &b, false).into_iter().collect(),
            Change::Error {
                error,
                synced: listed,
            } => {
                metrics.watch_restarts_bindings.fetch_add(1, Ordering::Relaxed);
                if !listed {
                    // Unknown until listed: each mailbox's binding is read directly meanwhile.
                    synced.bindings.insert(url.clone());
                }
                if error.is_not_found() && !listed {
                    // This view does not serve bindings: each mailbox's is read directly.
                    tracing::debug!(%url, "the view does not serve APIBindings");
                } else {
                    tracing::warn!(%url, %error, "watching bindings failed; resuming");
                }
                BTreeSet::new()
            }
        },
        Event::Endpoints => BTreeSet::new(),
        Event::Workspaces(change) => match change {
            Change::Synced(items) => {
                synced.workspaces = true;
                o.set_workspaces(&items)
            }
            Change::Applied(ws) => o.apply_workspace(&ws).into_iter().collect(),
            Change::Deleted(ws) => o.delete_workspace(ws.name()).into_iter().collect(),
            Change::Error { error, .. } => {
                metrics.watch_restarts_workspaces.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%error, "watching workspaces failed; resuming");
                BTreeSet::new()
            }
        },
    }
}

/// One step of `name`, counted: settled, retried with backoff, or looked at again later if
/// it failed.
async fn step(queue: &Arc<WorkQueue>, reconciler: &Reconciler, metrics: &Metrics, name: &str) {
    let step = reconciler.step(name).await;
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
            // It needs a person; look again later in case one has fixed it.
            let delay = queue.backoff(name).max(Duration::from_secs(30));
            tracing::error!(mailbox = %name, "{}; looking again in {delay:?}", error.render(false).trim_start_matches("error: "));
            queue.add_after(name, delay);
        }
    }
    metrics.queue_depth.store(queue.depth() as u64, Ordering::Relaxed);
}
