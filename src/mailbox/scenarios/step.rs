//! `Reconciler::step`'s branches against kcp-sim, in process: each scenario reads the world
//! through the same path `sync` uses, changes it behind the reconciler's back (or makes the
//! server fail), and checks what one step makes of it.

use super::{WAIT, World, created_workspace};
use crate::mailbox::inventory::list_workspaces;
use crate::mailbox::plan::Status;
use crate::mailbox::reconcile::{Did, Step};
use kcp_sim::Faults;
use serde_json::json;

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
        } => assert_eq!(
            error.message,
            format!("failed to create mailbox {mb}: the user \"user\" may not create workspaces in root")
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
    let refs = workspaces
        .iter()
        .map(|w| crate::mailbox::observed::workspace_ref(w, &r.layout.annotation_key))
        .collect();
    r.observed().set_workspaces(refs);
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
