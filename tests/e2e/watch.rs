//! `mailbox watch`: the controller, live, against kcp-sim, driven with kubectl as the seed
//! tutorial does, and as two replicas with leader election. (Under faults: src/mailbox/scenarios/faults.rs.)

use crate::common::{Env, KcpServer, WAIT, mailbox, wait_for};
use kcp_sim::Faults;
use serde_json::json;
use std::time::Duration;

fn sync_target(name: &str) -> serde_json::Value {
    json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": name}})
}

fn workspace_uid(env: &Env, name: &str) -> Option<String> {
    env.kcp()
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", name)
        .map(|w| w["metadata"]["uid"].as_str().unwrap().to_string())
}

fn bound(s: &dyn KcpServer, mb: &str) -> bool {
    s.get(
        &format!("root:{mb}"),
        "apis.kcp.io/v1alpha1",
        "apibindings",
        "bind-edge",
    )
    .is_some()
}

#[test]
fn the_seed_tutorial_live() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    let mut c = env.start_watch(&[]);
    c.wait_log("caches synced", WAIT).expect("caches sync");
    assert_eq!(c.http_get("/healthz"), (200, "ok\n".into()));
    assert_eq!(c.http_get("/readyz").0, 200);

    // A new SyncTarget: its mailbox and bind-edge appear.
    env.kubectl_create("root:imw1", &sync_target("guilder")).ok();
    let st = env
        .kcp()
        .get(
            "root:imw1",
            "edge.kubestellar.io/v2alpha1",
            "synctargets",
            "guilder",
        )
        .unwrap();
    let cluster = st["metadata"]["annotations"]["kcp.io/cluster"]
        .as_str()
        .unwrap()
        .to_string();
    let mb = mailbox(&cluster, st["metadata"]["uid"].as_str().unwrap());
    assert!(
        wait_for(env.kcp(), WAIT, |s| bound(s, &mb)),
        "no bound mailbox for guilder"
    );
    let line = c.wait_log("created mailbox workspace", WAIT).unwrap();
    assert!(
        line.contains(&mb) && line.contains("sync_target=root:imw1/guilder"),
        "one line per action, with the mailbox and the SyncTarget as list shows it: {line}"
    );

    // The mailbox deleted behind its back comes back once it is gone.
    let first = workspace_uid(&env, &mb).unwrap();
    env.kubectl(&["delete", "workspace", &mb]).ok();
    assert!(
        wait_for(env.kcp(), WAIT, |s| s
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
            .is_some_and(|w| w["metadata"]["uid"] != first.as_str())
            && bound(s, &mb)),
        "the deleted mailbox was not re-created and bound"
    );

    // bind-edge deleted behind its back comes back too (the view shows the deletion).
    env.kubectl_in(&format!("root:{mb}"), &["delete", "apibinding", "bind-edge"])
        .ok();
    assert!(
        wait_for(env.kcp(), WAIT, |s| bound(s, &mb)),
        "bind-edge was not re-created"
    );

    // The SyncTarget deleted: its mailbox goes.
    env.kubectl_in(
        "root:imw1",
        &["delete", "synctargets.edge.kubestellar.io", "guilder"],
    )
    .ok();
    assert!(
        wait_for(env.kcp(), WAIT, |s| s
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
            .is_none()),
        "the orphan mailbox was not deleted"
    );
    let line = c
        .wait_log("deleted mailbox workspace", WAIT)
        .expect("a log line for the deletion");
    assert!(
        line.contains("sync_target=root:imw1/guilder") && !line.contains(&format!("{cluster}/")),
        "{line}"
    );
    assert_eq!(
        c.metric("kubestellar_mailbox_actions_total{action=\"created\"}"),
        Some(2.0)
    );
    assert!(
        c.metric("kubestellar_mailbox_actions_total{action=\"bound\"}")
            .unwrap()
            >= 3.0
    );
    assert_eq!(
        c.metric("kubestellar_mailbox_actions_total{action=\"deleted\"}"),
        Some(1.0)
    );

    c.signal("TERM");
    assert_eq!(
        c.wait_exit(WAIT),
        Some(0),
        "SIGTERM: finish in flight, exit 0\n{}",
        c.log()
    );
    assert!(c.log().contains("shutting down"));
}

#[test]
fn it_waits_for_a_late_export_and_is_ready_only_once_synced() {
    let env = Env::new();
    let mut c = env.start_watch(&[]);
    assert_eq!(c.http_get("/readyz").0, 503, "not ready before the caches sync");
    c.wait_log("waiting:", WAIT).expect("it says why it waits");
    env.edge_api();
    c.wait_log("caches synced", WAIT)
        .expect("it starts once the export is there");
    assert_eq!(
        c.log().matches("waiting:").count(),
        1,
        "it says so once:\n{}",
        c.log()
    );
    assert_eq!(c.http_get("/readyz").0, 200);
    let (code, metrics) = c.http_get("/metrics");
    assert_eq!(code, 200);
    for family in [
        "kubestellar_mailbox_reconciles_total",
        "kubestellar_mailbox_queue_depth",
        "kubestellar_mailbox_actions_total",
        "kubestellar_mailbox_watch_restarts_total",
        "kubestellar_request_duration_seconds_bucket",
    ] {
        assert!(metrics.contains(family), "/metrics lacks {family}");
    }
    assert_eq!(c.http_get("/nope").0, 404);
    c.signal("INT");
    assert_eq!(c.wait_exit(WAIT), Some(0));
}

#[test]
fn with_leader_election_only_the_leader_acts_and_another_takes_over() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    let flags = [
        "--leader-elect",
        "--leader-elect-lease-duration",
        "2s",
        "--leader-elect-renew-deadline",
        "1500ms",
        "--leader-elect-retry-period",
        "200ms",
    ];
    let mut a = env.start_watch(&flags);
    a.wait_log("became the leader", WAIT)
        .expect("the first one leads");
    let mut b = env.start_watch(&flags);
    b.wait_log("waiting for the lease", WAIT)
        .expect("the second one waits");
    assert_eq!(
        (
            a.metric("kubestellar_mailbox_leader"),
            b.metric("kubestellar_mailbox_leader")
        ),
        (Some(1.0), Some(0.0))
    );

    let (c1, u1) = env.sync_target("imw1", "one");
    let mb1 = mailbox(&c1, &u1);
    assert!(wait_for(env.kcp(), WAIT, |s| bound(s, &mb1)));
    assert!(
        a.log().contains(&mb1) && !b.log().contains("created mailbox"),
        "only the leader acts"
    );

    // The leader dies without a word: the other takes over once the lease expires.
    a.signal("KILL");
    a.wait_exit(WAIT);
    b.wait_log("became the leader", Duration::from_secs(15))
        .expect("the standby took over");
    let (c2, u2) = env.sync_target("imw1", "two");
    let mb2 = mailbox(&c2, &u2);
    assert!(
        wait_for(env.kcp(), WAIT, |s| bound(s, &mb2)),
        "the new leader acts"
    );
    assert_eq!(b.metric("kubestellar_mailbox_leader"), Some(1.0));
    let lease = env.kcp().list("root:espw", "coordination.k8s.io/v1", "leases");
    assert_eq!(lease.len(), 1);
    assert_eq!(lease[0]["spec"]["leaseTransitions"], 1);

    // On SIGTERM the leader hands the lease back.
    b.signal("TERM");
    assert_eq!(b.wait_exit(WAIT), Some(0));
    let lease = env.kcp().list("root:espw", "coordination.k8s.io/v1", "leases");
    assert_eq!(lease[0]["spec"]["holderIdentity"], "", "released on the way out");
}

#[test]
fn a_second_interrupt_stops_at_once_with_130() {
    let env = Env::sim_only("latency is injected by kcp-sim, to hold work in flight");
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "slow");
    // Every request slow, so that the first interrupt finds work in flight and the drain
    // lasts long enough (up to its 10 s) for the second to come, even on a loaded machine.
    env.sim().set_faults(Faults {
        latency_ms: 6000,
        ..Faults::default()
    });
    let mut c = env.start_watch(&[]);
    c.wait_log("caches synced", Duration::from_secs(120))
        .expect("the watch started");
    c.signal("INT");
    c.wait_log("shutting down", WAIT)
        .expect("the first interrupt drains");
    c.signal("INT");
    assert_eq!(c.wait_exit(WAIT), Some(130), "{}", c.log());
    assert!(c.log().contains("error: interrupted"), "{}", c.log());
    env.sim().set_faults(Faults::default());
}

/// kcp makes a new workspace's `default` namespace a moment after it is Ready: a controller
/// started then waits for it to hold its lease there, and says so.
#[test]
fn leader_election_waits_for_the_lease_namespace() {
    let env = Env::with(kcp_sim::SimConfig {
        namespace_delay: Duration::from_secs(3600),
        ..kcp_sim::SimConfig::default()
    });
    env.kcp()
        .create(
            "root",
            json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": "espw"}}),
        )
        .unwrap();
    assert!(wait_for(env.kcp(), WAIT, |k| {
        k.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "espw")
            .is_some_and(|w| w["status"]["phase"] == "Ready")
    }));
    env.edge_api_in_existing_espw();
    assert!(
        env.kcp()
            .get("root:espw", "v1", "namespaces", "default")
            .is_none(),
        "the ESPW has no default namespace yet"
    );
    let mut c = env.start_watch(&["--leader-elect", "--leader-elect-retry-period", "200ms"]);
    c.wait_log("waiting for the namespace default to exist", WAIT)
        .expect("it says what it waits for");
    env.kcp()
        .create(
            "root:espw",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}}),
        )
        .unwrap();
    c.wait_log("became the leader", WAIT)
        .expect("it leads once the namespace exists");
    assert!(
        !c.log().contains("cannot read or take the leader lease"),
        "{}",
        c.log()
    );
    c.signal("TERM");
    assert_eq!(c.wait_exit(WAIT), Some(0), "{}", c.log());
}
