//! `Reconciler::step`'s branches against kcp-sim, in process: each scenario reads the world
//! through the same path `sync` uses, changes it behind the reconciler's back (or makes the
//! server fail), and checks what one step makes of it.

use super::*;
use crate::feedback::Feedback;
use crate::kcp::{ConnectOptions, IfAbsent, wait_for_view};
use crate::mailbox::inventory::{list_workspaces, read_inventory};
use crate::mailbox::naming::mailbox_name;
use kcp_sim::{Faults, SimConfig, SimServer};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

struct Quiet;
impl Feedback for Quiet {
    fn note(&self, _: &str) {}
    fn progress(&self, _: u64, _: u64) {}
}

/// kcp-sim with the edge API in `root:espw` and an inventory workspace `root:imw1` bound to it.
struct World {
    sim: SimServer,
    kubeconfig: std::path::PathBuf,
}

impl World {
    fn new() -> World {
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
    fn sync_target(&self, name: &str) -> String {
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

    fn workspace(&self, name: &str) -> Option<Value> {
        self.sim
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", name)
    }

    async fn connect(&self, context: &str) -> crate::kcp::Kcp {
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
    async fn reconciler(&self) -> Reconciler {
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
        read.observed.set_workspaces(&workspaces);
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

fn created_workspace(name: &str) -> Value {
    json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name,
        "annotations": {"edge.kubestellar.io/sync-target-name": "x"}}})
}

#[tokio::test]
async fn a_workspace_made_by_someone_else_meanwhile_is_waited_for_not_counted() {
    let w = World::new();
    let mb = w.sync_target("florin");
    let r = w.reconciler().await;
    w.sim.create("root", created_workspace(&mb)).expect("the race");
    match r.step(&mb).await {
        Step::Waiting { did: None, .. } => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_refused_create_fails_the_mailbox_with_the_reason() {
    let w = World::new();
    let mb = w.sync_target("florin");
    let mut r = w.reconciler().await;
    r.kcp = w.connect("user").await; // kcp-sim's read-only user
    match r.step(&mb).await {
        Step::Failed {
            status: Status::Missing,
            error,
        } => assert!(
            error
                .message
                .starts_with(&format!("failed to create mailbox {mb} through ")),
            "{}",
            error.message
        ),
        other => panic!("{other:?}"),
    }
    assert!(w.workspace(&mb).is_none());
}

#[tokio::test]
async fn a_server_in_trouble_is_retried_later_not_failed() {
    let w = World::new();
    let mb = w.sync_target("florin");
    let r = w.reconciler().await;
    w.sim.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let step = r.step(&mb).await;
    w.sim.set_faults(Faults::default());
    match step {
        Step::Retry { did: None, .. } => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_bind_edge_made_meanwhile_to_another_export_is_a_conflict() {
    let w = World::new();
    let mb = w.sync_target("florin");
    let mut other = crate::edge_api::api_export(&[]);
    other["metadata"]["name"] = json!("other.example.io");
    w.sim.create("root:espw", other).expect("another export");
    let r = w.reconciler().await;
    assert!(matches!(
        r.step(&mb).await,
        Step::Waiting {
            did: Some(Did::Created),
            ..
        }
    ));
    assert!(w.sim.wait_for(WAIT, |s| {
        s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
            .is_some_and(|ws| ws["status"]["phase"] == "Ready")
    }));
    // The reconciler learns it is Ready as sync's watch would tell it; then, before it binds,
    // someone binds something else there.
    let workspaces = list_workspaces(&r.kcp, "root").await.expect("workspaces");
    r.observed().set_workspaces(&workspaces);
    w.sim
        .create(&format!("root:{mb}"), json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-edge"},
            "spec": {"reference": {"export": {"path": "root:espw", "name": "other.example.io"}}}}))
        .expect("the other binding");
    match r.step(&mb).await {
        Step::Failed {
            status: Status::Conflict,
            error,
        } => assert!(
            error.message.contains("binds root:espw:other.example.io"),
            "{}",
            error.message
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_orphan_made_again_meanwhile_is_not_deleted_and_one_already_gone_is_not_counted() {
    let w = World::new();
    let mb = w.sync_target("florin");
    let gone = w.sync_target("guilder");
    for name in [&mb, &gone] {
        w.sim.create("root", created_workspace(name)).expect("mailbox");
    }
    w.sim
        .delete(
            "root:imw1",
            "edge.kubestellar.io/v2alpha1",
            "synctargets",
            "florin",
        )
        .expect("SyncTarget gone");
    w.sim
        .delete(
            "root:imw1",
            "edge.kubestellar.io/v2alpha1",
            "synctargets",
            "guilder",
        )
        .expect("SyncTarget gone");
    let r = w.reconciler().await;

    // florin's orphan is replaced (a new UID) before the step deletes by the old one.
    let old_uid = w.workspace(&mb).expect("orphan")["metadata"]["uid"].clone();
    w.sim
        .delete("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
        .expect("delete");
    assert!(w.sim.wait_for(WAIT, |s| {
        s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
            .is_none()
    }));
    w.sim.create("root", created_workspace(&mb)).expect("made again");
    match r.step(&mb).await {
        Step::Retry { did: None, .. } => {}
        other => panic!("{other:?}"),
    }
    let now = w.workspace(&mb).expect("the new one is kept");
    assert_ne!(now["metadata"]["uid"], old_uid);

    // guilder's orphan is deleted by someone else first: nothing for this run to count.
    w.sim
        .delete("root", "tenancy.kcp.io/v1alpha1", "workspaces", &gone)
        .expect("delete");
    assert!(w.sim.wait_for(WAIT, |s| {
        s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &gone)
            .is_none()
    }));
    match r.step(&gone).await {
        Step::Settled { did: None, .. } => {}
        other => panic!("{other:?}"),
    }
}
