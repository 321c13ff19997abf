//! What only a real kcp can show: KubeStellar's own mailbox-controller tutorial followed
//! literally with kcp's `kubectl ws` and `kubectl kcp` (kcp-sim has no such plugins), and a
//! real server paused, killed and restarted under `mailbox watch`. Ignored unless the suite
//! runs against real kcp (`KUBESTELLAR_REAL_KCP`, see the README's real-kcp tier).

use crate::common;

use crate::common::{Env, KcpServer, WAIT, wait_for};
use serde_json::json;
use std::time::Duration;

/// Owned mailboxes in root whose annotation names `sync_target`, as KubeStellar's example1
/// finds them (`.metadata.annotations["edge.kubestellar.io/sync-target-name"]`).
fn mailboxes_for(kcp: &dyn KcpServer, sync_target: &str) -> Vec<String> {
    kcp.list("root", "tenancy.kcp.io/v1alpha1", "workspaces")
        .iter()
        .filter(|w| w["metadata"].get("deletionTimestamp").is_none())
        .filter(|w| w["metadata"]["annotations"]["edge.kubestellar.io/sync-target-name"] == sync_target)
        .filter_map(|w| w["metadata"]["name"].as_str().map(String::from))
        .collect()
}

fn bound(kcp: &dyn KcpServer, mailbox: &str) -> bool {
    kcp.get(
        &format!("root:{mailbox}"),
        "apis.kcp.io/v1alpha1",
        "apibindings",
        "bind-edge",
    )
    .is_some_and(|b| b["status"]["phase"] == "Bound")
}

fn apply(env: &Env, object: serde_json::Value) -> common::Run {
    let file = env.dir.path().join("object.json");
    std::fs::write(&file, object.to_string()).unwrap();
    env.kubectl(&["apply", "-f", file.to_str().unwrap()])
}

#[test]
#[ignore = "needs real kcp: KUBESTELLAR_REAL_KCP (scripts/real-tier.sh)"]
fn kubestellars_mailbox_controller_tutorial_literally() {
    if !common::kcp::real_kcp_has_plugins() {
        common::skip(
            "needs kcp's kubectl-ws and kubectl-kcp beside kcp (kcp v0.11.0's wrapper builds them; v0.28's are in a module the Go module proxy does not serve)",
        );
        return;
    }
    let env = Env::new();
    assert!(env.is_real(), "run with KUBESTELLAR_REAL_KCP set");
    env.plugin(&["init", "espw"]).ok();

    // Where KubeStellar's docs start the Go controller: `kubectl ws root:espw`, then the
    // controller. The plugin works from wherever `kubectl ws` left the current context.
    let entered = env.kubectl(&["ws", "root:espw"]).ok();
    assert!(entered.stdout.contains("root:espw"), "{}", entered.stdout);
    let mut watch = env.start_watch(&[]);

    env.kubectl(&["ws", "root"]).ok();
    let created = env.kubectl(&["ws", "create", "imw1", "--enter"]).ok();
    assert!(created.stdout.contains("imw1"), "{}", created.stdout);
    env.kubectl(&["kcp", "bind", "apiexport", "root:espw:edge.kubestellar.io"])
        .ok();
    let bound_in_imw1 = wait_for(env.kcp(), WAIT, |s| {
        s.list("root:imw1", "apis.kcp.io/v1alpha1", "apibindings")
            .iter()
            .any(|b| {
                b["spec"]["reference"]["export"]["name"] == "edge.kubestellar.io"
                    && b["status"]["phase"] == "Bound"
            })
    });
    assert!(bound_in_imw1, "kubectl kcp bind made no Bound binding in imw1");
    apply(
        &env,
        json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget",
               "metadata": {"name": "stest1"}, "spec": {"cells": {"foo": "bar"}}}),
    )
    .ok();
    let listed = env
        .kubectl(&["get", "synctargets.edge.kubestellar.io", "-o", "name"])
        .ok();
    assert_eq!(listed.stdout.trim(), "synctarget.edge.kubestellar.io/stest1");

    // The controller makes stest1's mailbox and binds it.
    assert!(
        wait_for(env.kcp(), Duration::from_secs(90), |s| {
            mailboxes_for(s, "stest1").first().is_some_and(|mb| bound(s, mb))
        }),
        "no bound mailbox for stest1:\n{}",
        watch.log()
    );
    let mailbox = mailboxes_for(env.kcp(), "stest1").remove(0);

    // `kubectl ws root; kubectl get workspaces` shows it, as the docs do.
    env.kubectl(&["ws", "root"]).ok();
    let workspaces = env.kubectl(&["get", "workspaces"]).ok();
    assert!(workspaces.stdout.contains(&mailbox), "{}", workspaces.stdout);

    // One-shot sync from here agrees with the controller: nothing to do.
    let sync = env.plugin(&["mailbox", "sync"]).ok();
    assert!(sync.stdout.contains("No changes"), "{}", sync.stdout);
    let list = env
        .plugin(&["mailbox", "list", "-o", "name", "--sync-target", "stest1"])
        .ok();
    assert_eq!(list.stdout.trim(), mailbox);

    // `kubectl ws imw1; kubectl delete synctargets.edge.kubestellar.io stest1`: its
    // mailbox goes.
    env.kubectl(&["ws", "imw1"]).ok();
    env.kubectl(&["delete", "synctargets.edge.kubestellar.io", "stest1"])
        .ok();
    assert!(
        wait_for(env.kcp(), Duration::from_secs(90), |s| {
            s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mailbox)
                .is_none()
        }),
        "the mailbox of a deleted SyncTarget stayed:\n{}",
        watch.log()
    );
    watch.signal("TERM");
    assert_eq!(watch.wait_exit(WAIT), Some(0), "{}", watch.log());
    assert!(
        watch.log().contains("created mailbox workspace"),
        "{}",
        watch.log()
    );
    assert!(
        watch.log().contains("deleted mailbox workspace"),
        "{}",
        watch.log()
    );
}

#[test]
#[ignore = "needs real kcp: KUBESTELLAR_REAL_KCP (scripts/real-tier.sh)"]
fn a_real_kcp_paused_then_killed_and_restarted_under_watch() {
    let mut env = Env::new();
    assert!(env.is_real(), "run with KUBESTELLAR_REAL_KCP set");
    env.edge_api();
    env.imw("imw1");
    env.kcp().create_workspace("root", "decoy-mb-notes").unwrap();
    let (c1, u1) = env.sync_target("imw1", "guilder");
    // kcp v0.11 gives kcp-admin (the `root` and `base` contexts) a new token at every start,
    // and what shard-admin (`system:admin`) creates never leaves Initializing: a controller
    // meant to outlive a restart has credentials of its own, as here.
    let stable = env.real().unwrap().stable_kubeconfig();
    let mut watch = env.start_watch(&["--kubeconfig", stable.to_str().unwrap()]);
    let guilder = common::mailbox(&c1, &u1);
    assert!(
        wait_for(env.kcp(), Duration::from_secs(60), |s| bound(s, &guilder)),
        "{}",
        watch.log()
    );

    // Paused: requests hang; the controller must neither die nor decide on a partial read.
    let (c2, u2) = env.sync_target("imw1", "florin");
    env.real().unwrap().signal("STOP");
    std::thread::sleep(Duration::from_secs(5)); // the outage itself, not a wait for a condition
    env.real().unwrap().signal("CONT");
    let florin = common::mailbox(&c2, &u2);
    assert!(
        wait_for(env.kcp(), Duration::from_secs(90), |s| bound(s, &florin)),
        "no mailbox for florin after a pause:\n{}",
        watch.log()
    );

    // Killed and restarted on the same root directory: watches break, lists fail, then
    // it comes back with the same state.
    env.real().unwrap().kill_and_restart();
    let (c3, u3) = env.sync_target("imw1", "edge1");
    let edge1 = common::mailbox(&c3, &u3);
    assert!(
        wait_for(env.kcp(), Duration::from_secs(120), |s| bound(s, &edge1)),
        "no mailbox for edge1 after a restart:\n{}",
        watch.log()
    );
    assert!(watch.alive(), "the controller died:\n{}", watch.log());
    let names = common::mailbox_like(env.kcp(), "root");
    let mut want = vec![guilder, florin, edge1, "decoy-mb-notes".to_string()];
    want.sort();
    assert_eq!(names, want, "nothing lost, nothing extra; the decoy untouched");
    assert!(
        !watch.log().contains("deleted mailbox workspace"),
        "{}",
        watch.log()
    );
}
