//! Scenarios run in process against kcp-sim: the reconcile step and the driver, through the
//! plugin's normal client path over a real socket, with the world changed (or the server
//! failing) behind their backs. The end-to-end suite (tests/e2e) keeps the command line.

mod driver;
mod faults;
mod generations;
mod requests;
mod step;

use crate::feedback::Feedback;
use crate::kcp::{ConnectOptions, IfAbsent, wait_for_view};
use crate::mailbox::inventory::{list_workspaces, read_inventory};
use crate::mailbox::layout::Layout;
use crate::mailbox::naming::mailbox_name;
use crate::mailbox::plan::Policy;
use crate::mailbox::reconcile::Reconciler;
use kcp_sim::{SimConfig, SimServer};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(super) const WAIT: Duration = Duration::from_secs(20);

pub(super) struct Quiet;
impl Feedback for Quiet {
    fn note(&self, _: &str) {}
    fn progress(&self, _: u64, _: u64) {}
}

/// kcp-sim with the edge API in `root:espw` and an inventory workspace `root:imw1` bound to it.
pub(super) struct World {
    pub(super) sim: SimServer,
    kubeconfig: std::path::PathBuf,
}

impl World {
    pub(super) fn new() -> World {
        let w = World::start(SimConfig::default());
        let sim = &w.sim;
        sim.create_workspace("root", "espw").expect("espw");
        let mut names = Vec::new();
        for schema in crate::edge_api::resource_schemas() {
            names.push(
                schema["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
            sim.create("root:espw", schema).expect("schema");
        }
        sim.create("root:espw", crate::edge_api::api_export(&names))
            .expect("export");
        imw(sim, "root", "imw1");
        w
    }

    /// kcp-sim as `config` says, with nothing set up.
    pub(super) fn start(config: SimConfig) -> World {
        let sim = SimServer::start(config).expect("kcp-sim starts");
        let kubeconfig = std::env::temp_dir().join(format!(
            "reconcile-{}-{}.kubeconfig",
            std::process::id(),
            sim.url().rsplit(':').next().unwrap_or_default()
        ));
        sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
        World { sim, kubeconfig }
    }

    /// Another inventory workspace `<parent>:<name>`, bound to the edge export.
    pub(super) fn imw(&self, parent: &str, name: &str) {
        imw(&self.sim, parent, name);
    }

    /// A SyncTarget in imw1; returns its mailbox's name.
    pub(super) fn sync_target(&self, name: &str) -> String {
        self.sync_target_in("root:imw1", name)
    }

    /// A SyncTarget in the inventory workspace at `path`; returns its mailbox's name.
    pub(super) fn sync_target_in(&self, path: &str, name: &str) -> String {
        let st = self
            .sim
            .create(path, json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": name}}))
            .expect("SyncTarget");
        let cluster = st["metadata"]["annotations"]["kcp.io/cluster"]
            .as_str()
            .unwrap_or_default();
        let uid = st["metadata"]["uid"].as_str().unwrap_or_default();
        mailbox_name(cluster, uid).expect("a mailbox name")
    }

    pub(super) fn workspace(&self, name: &str) -> Option<Value> {
        self.sim
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", name)
    }

    /// Name → UID of every workspace in root that looks like a mailbox (`-mb-`).
    pub(super) fn mailbox_like(&self) -> std::collections::BTreeMap<String, String> {
        self.sim
            .list("root", "tenancy.kcp.io/v1alpha1", "workspaces")
            .iter()
            .filter_map(|w| {
                let name = w["metadata"]["name"].as_str()?;
                let uid = w["metadata"]["uid"].as_str()?;
                name.contains("-mb-").then(|| (name.to_string(), uid.to_string()))
            })
            .collect()
    }

    /// Wait (bounded by `WAIT`, waking on every change on the server) until `check` holds.
    pub(super) async fn until(self: &Arc<Self>, check: impl Fn(&World) -> bool + Send + 'static) -> bool {
        self.until_within(WAIT, check).await
    }

    pub(super) async fn until_within(
        self: &Arc<Self>,
        within: Duration,
        check: impl Fn(&World) -> bool + Send + 'static,
    ) -> bool {
        let w = self.clone();
        tokio::task::spawn_blocking(move || w.sim.wait_for(within, |_| check(&w)))
            .await
            .unwrap_or(false)
    }

    /// Whether the mailbox exists and holds `bind-edge`.
    pub(super) fn bound(&self, mailbox: &str) -> bool {
        let Some(ws) = self.workspace(mailbox) else {
            return false;
        };
        let cluster = ws["spec"]["cluster"].as_str().unwrap_or_default();
        self.sim
            .get(cluster, "apis.kcp.io/v1alpha1", "apibindings", "bind-edge")
            .is_some()
    }

    pub(super) async fn connect(&self, context: &str) -> crate::kcp::Kcp {
        crate::kcp::connect(&ConnectOptions {
            kubeconfig: Some(self.kubeconfig.clone()),
            context: Some(context.into()),
            request_timeout: Some(Duration::from_secs(5)),
            generation: None,
        })
        .await
        .expect("connect")
    }

    /// A reconciler that has read the world as `sync` does (as kcp's admin).
    pub(super) async fn reconciler(&self) -> Reconciler {
        let kcp = self.connect("root").await;
        let layout = Layout::v0_14("root:espw");
        let deadline = tokio::time::Instant::now() + WAIT;
        let urls = wait_for_view(&kcp, layout.view_source(), Some(deadline), IfAbsent::Fail, |_| {})
            .await
            .expect("the view");
        let mut read = read_inventory(&kcp, &layout, &urls, &Quiet).await;
        assert!(read.failures.is_empty());
        let workspaces = list_workspaces(&kcp, "root").await.expect("workspaces");
        let refs = workspaces
            .iter()
            .map(|w| crate::mailbox::observed::workspace_ref(w, &layout.annotation_key))
            .collect();
        read.observed.set_workspaces(refs);
        Reconciler {
            kcp,
            policy: Policy::new(true, &layout),
            layout,
            dry_run: false,
            observed: Arc::new(Mutex::new(read.observed)),
        }
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.kubeconfig);
    }
}

/// An inventory workspace bound to the edge export, Bound before it returns.
fn imw(sim: &SimServer, parent: &str, name: &str) {
    sim.create_workspace(parent, name).expect("an IMW");
    let path = format!("{parent}:{name}");
    sim.create(
        &path,
        json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-espw"},
        "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}),
    )
    .expect("binding");
    assert!(sim.wait_for(WAIT, |s| {
        s.get(&path, "apis.kcp.io/v1alpha1", "apibindings", "bind-espw")
            .is_some_and(|b| b["status"]["phase"] == "Bound")
    }));
}

/// `mailbox watch`'s options over `root:espw`, without leader election; a resync period of
/// zero turns the periodic resync off.
pub(super) fn watch_options(
    concurrency: usize,
    resync_period: Duration,
) -> crate::mailbox::watch::WatchOptions {
    crate::mailbox::watch::WatchOptions {
        layout: Layout::v0_14("root:espw"),
        pace: crate::mailbox::driver::Pace {
            concurrency,
            resync_period,
            drain_timeout: Duration::from_secs(5),
        },
        leader: None,
    }
}

/// `mailbox sync`'s options with its defaults (`root:espw`, prune, 8 at a time).
pub(super) fn sync_options() -> crate::mailbox::sync::SyncOptions {
    crate::mailbox::sync::SyncOptions {
        layout: Layout::v0_14("root:espw"),
        dry_run: false,
        prune: true,
        concurrency: 8,
        timeout: WAIT,
    }
}

pub(super) fn created_workspace(name: &str) -> Value {
    json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name,
        "annotations": {"edge.kubestellar.io/sync-target-name": "x"}}})
}
