//! `mailbox watch`, the operation: the reconcile step of `sync`, driven by watches on the
//! SyncTargets and the bindings (through every view URL) and on the mailbox parent's
//! workspaces, with a work queue, per-name backoff, a periodic full resync, and optional
//! leader election. It acts only once every watch has listed completely.

use crate::error::Result;
use crate::kcp::types::{ApiBinding, ApiExportEndpointSlice, WorkspaceSummary};
use crate::kcp::{IfAbsent, Kcp, wait_for_view};
use crate::mailbox::driver::{Driver, Ending, Event, Pace};
use crate::mailbox::inventory::{binding_views, detect_version, nothing_to_read_note};
use crate::mailbox::layout::Layout;
use crate::mailbox::observed::{Observed, sync_target_of, view_binding_of, workspace_ref};
use crate::mailbox::plan::Policy;
use crate::mailbox::reconcile::Reconciler;
use crate::runtime::leader::{Elector, LeaseOptions};
use crate::runtime::metrics::Metrics;
use crate::runtime::watches::{Change, config, controller_backoff, forward};
use kube::api::DynamicObject;
use kube::core::PartialObjectMeta;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, watch};

#[derive(Debug, Clone)]
pub(crate) struct WatchOptions {
    pub layout: Layout,
    pub pace: Pace,
    pub leader: Option<LeaseOptions>,
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

/// The controller proper, for one set of view URLs.
async fn control(
    kcp: &Kcp,
    opts: &WatchOptions,
    metrics: Arc<Metrics>,
    mut stop: watch::Receiver<bool>,
    mut lost: watch::Receiver<bool>,
) -> Result<Ending> {
    // The export may come later: wait for it, saying so once.
    let urls = tokio::select! {
        r = wait_for_view(kcp, opts.layout.view_source(), None, IfAbsent::Wait, |m| tracing::info!("{m}")) => r?,
        _ = stop.wait_for(|s| *s) => return Ok(Ending::Stopped),
        _ = lost.wait_for(|l| *l) => return Ok(Ending::LostLease),
    };
    if urls.is_empty() {
        tracing::info!("{}", nothing_to_read_note(kcp, &opts.layout).await);
    }
    let layout = &served_layout(kcp, &opts.layout, &urls).await;
    tracing::info!(views = ?urls, parent = %layout.mailbox_parent, layout = %layout.preset, "watching SyncTargets through the export's view");
    let binding_urls = binding_views(kcp, layout, &urls).await;
    let reconciler = Arc::new(Reconciler {
        kcp: kcp.clone(),
        layout: layout.clone(),
        policy: Policy::new(true, layout),
        dry_run: false,
        observed: Arc::new(Mutex::new(Observed::new(
            &layout.mailbox_parent,
            &urls,
            &binding_urls,
        ))),
    });
    let (tx, mut events) = mpsc::channel::<Event>(4096);
    let _stop_watches = start_watches(kcp, layout, &urls, &binding_urls, tx).await?;
    let ending = Driver::forever(reconciler, metrics, opts.pace)
        .run_forever(&mut events, &urls, &binding_urls, &mut stop, &mut lost)
        .await;
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
        // Metadata only, and only its identity kept: a SyncTarget's status can be large.
        let sts: kube::Api<PartialObjectMeta<DynamicObject>> = kube::Api::all_with(client, &st_resource);
        tasks.0.push(spawn_forward(
            kube::runtime::watcher(sts, config()),
            |p| sync_target_of(&p.metadata),
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
            |p| view_binding_of(&p.metadata),
            tx.clone(),
            {
                let url = url.clone();
                move |c| Event::Bindings(url.clone(), c)
            },
        ));
    }
    let followed = match &layout.endpoint_slice {
        // A partition's slice: its endpoints follow its Partition and the shards.
        Some(s) => Some((s.path.as_str(), s.name.as_str())),
        // Newer kcp lists a shard's view URL only once something there binds the export:
        // follow the slice kcp makes, named after the export.
        None if kcp.generation().await.slice_urls() => Some((
            layout.inventory_export_path.as_str(),
            layout.inventory_export_name.as_str(),
        )),
        None => None,
    };
    if let Some((path, name)) = followed {
        // Start over when the URLs the slice leads to change.
        let place = kcp.cluster(path);
        let slices: kube::Api<ApiExportEndpointSlice> = kube::Api::all(kcp.watch_client(&place)?);
        let by_name = config().fields(&format!("metadata.name={name}"));
        tasks.0.push(spawn_forward(
            kube::runtime::watcher(slices, by_name),
            |s| s,
            tx.clone(),
            |_| Event::Endpoints,
        ));
    }
    let parent: kube::Api<WorkspaceSummary> =
        kube::Api::all(kcp.watch_client(&kcp.cluster(&layout.mailbox_parent))?);
    let key = layout.annotation_key.clone();
    tasks.0.push(spawn_forward(
        kube::runtime::watcher(parent, config()),
        move |w| workspace_ref(&w, &key),
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

/// One watch, its changes sent straight to the driver's channel as events.
fn spawn_forward<K, T, S>(
    stream: S,
    map: impl Fn(K) -> T + Send + 'static,
    tx: mpsc::Sender<Event>,
    wrap: impl Fn(Change<T>) -> Event + Send + 'static,
) -> tokio::task::JoinHandle<()>
where
    K: Send + 'static,
    T: Send + 'static,
    S: futures::Stream<
            Item = std::result::Result<kube::runtime::watcher::Event<K>, kube::runtime::watcher::Error>,
        > + Send
        + 'static,
{
    tokio::spawn(forward(stream, controller_backoff(), map, wrap, tx))
}
