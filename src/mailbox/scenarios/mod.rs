//! Scenarios run in process against kcp-sim: the reconcile step and the driver, through the
//! plugin's normal client path over a real socket, with the world changed (or the server
//! failing) behind their backs. The end-to-end suite (tests/e2e) keeps the command line.

mod driver;
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
        let sim = SimServer::start(SimConfig::default()).expect("kcp-sim starts");
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
        sim.create_workspace("root", "imw1").expect("imw1");
        sim.create("root:imw1", json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-espw"},
            "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}))
            .expect("binding");
        assert!(sim.wait_for(WAIT, |s| {
            s.get("root:imw1", "apis.kcp.io/v1alpha1", "apibindings", "bind-espw")
                .is_some_and(|b| b["status"]["phase"] == "Bound")
        }));
        let kubeconfig = std::env::temp_dir().join(format!(
            "reconcile-{}-{}.kubeconfig",
            std::process::id(),
            sim.url().rsplit(':').next().unwrap_or_default()
        ));
        sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
        World { sim, kubeconfig }
    }

    /// A SyncTarget in imw1; returns its mailbox's name.
    pub(super) fn sync_target(&self, name: &str) -> String {
        let st = self
            .sim
            .create("root:imw1", json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": name}}))
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
        let urls = wait_for_view(
            &kcp,
            layout.inventory_export(),
            Some(deadline),
            IfAbsent::Fail,
            |_| {},
        )
        .await
        .expect("the view");
        let mut read = read_inventory(&kcp, &layout, &urls, &Quiet).await;
        assert!(read.failures.is_empty());
        let workspaces = list_workspaces(&kcp, "root").await.expect("workspaces");
        let refs = read.observed.workspace_refs(&workspaces);
        read.observed.set_workspaces(refs);
        Reconciler {
            kcp,
            layout,
            policy: Policy { prune: true },
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

pub(super) fn created_workspace(name: &str) -> Value {
    json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name,
        "annotations": {"edge.kubestellar.io/sync-target-name": "x"}}})
}
