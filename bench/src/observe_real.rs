//! When each mailbox appears, becomes Ready, gets `bind-edge` and sees it Bound, on a real kcp:
//! two watches, as the controller itself holds them (the mailbox parent's workspaces, and the
//! APIBindings the edge export's view serves across logical clusters), timestamped as each
//! event arrives. A time is therefore when the observer learned of a change, an upper bound
//! on when kcp made it; the controller learns of it through the same kind of watch.
//!
//! Events are recorded whatever they are about and joined to the SyncTargets at the end, so an
//! event that arrives before its SyncTarget is announced is not lost. Real kcp has no change
//! feed in-process as kcp-sim has; the watches are the next best thing.

use crate::inventory::{APIS, TENANCY};
use crate::observe::{Observed, Times, Track};
use futures::StreamExt;
use kube::api::{ApiResource, DynamicObject};
use kube::runtime::{WatchStreamExt, watcher};
use kubectl_kubestellar::{ConnectOptions, connect};
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

#[derive(Default)]
struct Seen {
    first: Option<Instant>,
    /// Workspace phase Ready, or binding phase Bound.
    done: Option<Instant>,
}

#[derive(Default)]
struct State {
    /// Workspaces of the mailbox parent, by name.
    workspaces: HashMap<String, Seen>,
    /// A workspace's logical cluster (its `spec.cluster`), which names its bindings' cluster.
    cluster_of: HashMap<String, String>,
    /// `bind-edge` bindings, by logical cluster.
    bindings: HashMap<String, Seen>,
    tracks: Vec<Track>,
}

impl State {
    fn workspace(&mut self, o: &DynamicObject, now: Instant) {
        let Some(name) = o.metadata.name.clone() else {
            return;
        };
        if let Some(cluster) = o.data["spec"]["cluster"].as_str().filter(|c| !c.is_empty()) {
            self.cluster_of.insert(name.clone(), cluster.to_string());
        }
        let seen = self.workspaces.entry(name).or_default();
        seen.first.get_or_insert(now);
        if o.data["status"]["phase"] == "Ready" {
            seen.done.get_or_insert(now);
        }
    }

    fn binding(&mut self, o: &DynamicObject, now: Instant) {
        if o.metadata.name.as_deref() != Some("bind-edge") {
            return;
        }
        let Some(cluster) = o
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("kcp.io/cluster"))
        else {
            return;
        };
        let seen = self.bindings.entry(cluster.clone()).or_default();
        seen.first.get_or_insert(now);
        if o.data["status"]["phase"] == "Bound" {
            seen.done.get_or_insert(now);
        }
    }

    fn times(&self, t: &Track) -> Times {
        let ws = self.workspaces.get(&t.mailbox);
        let binding = self.cluster_of.get(&t.mailbox).and_then(|c| self.bindings.get(c));
        Times {
            sync_target: t.created,
            workspace: ws.and_then(|s| s.first),
            ready: ws.and_then(|s| s.done),
            bound: binding.and_then(|s| s.first),
            bound_phase: binding.and_then(|s| s.done),
        }
    }

    fn complete(&self, expected: usize) -> bool {
        self.tracks.len() == expected && self.tracks.iter().all(|t| self.times(t).bound_phase.is_some())
    }
}

fn resource(api_version: &str, kind: &str, plural: &str) -> ApiResource {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    ApiResource {
        group: group.into(),
        version: version.into(),
        api_version: api_version.into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// Watch until `expected` mailboxes, announced on `tracks` as their SyncTargets are created,
/// hold a Bound `bind-edge`, or `timeout` passes. `ready` is told once both watches have
/// listed what exists (or that they could not start), so that creations start after.
pub fn observe(
    kubeconfig: &Path,
    view_url: &str,
    expected: usize,
    mut tracks: mpsc::UnboundedReceiver<Track>,
    ready: std_mpsc::Sender<Result<(), String>>,
    timeout: Duration,
) -> Observed {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            let _ = ready.send(Err(format!("no tokio runtime: {e}")));
            return Observed::empty();
        }
    };
    let mut state = State::default();
    let mut checks = Vec::new();
    let complete = runtime.block_on(async {
        let options = ConnectOptions {
            kubeconfig: Some(kubeconfig.to_path_buf()),
            ..ConnectOptions::default()
        };
        let streams = async {
            let kcp = connect(&options).await.map_err(|e| e.to_string())?;
            let root = kcp.watch_client(&kcp.cluster("root")).map_err(|e| e.to_string())?;
            let view = kcp
                .watch_client(&kcp.at(&format!("{view_url}/clusters/*")).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
            let workspaces: kube::Api<DynamicObject> =
                kube::Api::all_with(root, &resource(TENANCY, "Workspace", "workspaces"));
            let bindings: kube::Api<DynamicObject> =
                kube::Api::all_with(view, &resource(APIS, "APIBinding", "apibindings"));
            Ok::<_, String>((
                watcher(workspaces, watcher::Config::default()).default_backoff(),
                watcher(bindings, watcher::Config::default()).default_backoff(),
            ))
        };
        let (ws, bs) = match streams.await {
            Ok(s) => s,
            Err(e) => {
                let _ = ready.send(Err(e));
                return false;
            }
        };
        futures::pin_mut!(ws, bs);
        let deadline = tokio::time::Instant::now() + timeout;
        let (mut ws_listed, mut bs_listed, mut announced, mut closed) = (false, false, false, false);
        loop {
            if !announced && ws_listed && bs_listed {
                announced = true;
                let _ = ready.send(Ok(()));
            }
            if closed && state.complete(expected) {
                return true;
            }
            tokio::select! {
                e = ws.next() => {
                    let now = Instant::now();
                    match e {
                        Some(Ok(watcher::Event::Apply(o) | watcher::Event::InitApply(o))) => state.workspace(&o, now),
                        Some(Ok(watcher::Event::InitDone)) => ws_listed = true,
                        Some(_) => {}
                        None => return false,
                    }
                    checks.push(now.elapsed());
                }
                e = bs.next() => {
                    let now = Instant::now();
                    match e {
                        Some(Ok(watcher::Event::Apply(o) | watcher::Event::InitApply(o))) => state.binding(&o, now),
                        Some(Ok(watcher::Event::InitDone)) => bs_listed = true,
                        Some(_) => {}
                        None => return false,
                    }
                    checks.push(now.elapsed());
                }
                t = tracks.recv(), if !closed => match t {
                    Some(t) => state.tracks.push(t),
                    None => closed = true,
                },
                _ = tokio::time::sleep_until(deadline) => {
                    if !announced {
                        let _ = ready.send(Err(format!("the observer's watches did not list within {timeout:?}")));
                    }
                    return false;
                }
            }
        }
    });
    Observed {
        times: state.tracks.iter().map(|t| state.times(t)).collect(),
        complete,
        resolution: checks.iter().copied().max().unwrap_or_default(),
        typical: crate::stats::summarize(checks).map_or(Duration::ZERO, |s| s.p50),
        cpu: crate::cpu::this_thread(),
    }
}
