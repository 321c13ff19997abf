//! Requests made, against the minimum the design needs: lists to learn what exists, one
//! watch on the mailbox parent, and one create per missing object. Never a read per object.

use crate::common;

use crate::common::{Env, wait_for};

const N: usize = 40;

#[test]
fn sync_from_nothing_and_a_no_op_sync_make_the_minimum_requests() {
    let env = Env::sim_only("request counts are kcp-sim's");
    env.edge_api();
    env.imw("imw1");
    env.imw("imw2");
    for i in 0..N {
        env.sync_target(if i % 2 == 0 { "imw1" } else { "imw2" }, &format!("edge-{i}"));
    }

    env.sim().reset_requests();
    env.plugin(&["mailbox", "sync"]).ok();
    let r = env.sim().requests();
    // kcp v0.28+: the view URLs are in the endpoint slice named after the export.
    let slice = u64::from(env.newest());
    let counts = [
        // Which kcp this is: one read of apis.kcp.io's discovery.
        ("discovery", "", 1),
        ("get", "apiexports", 1),
        ("get", "apiexportendpointslices", slice),
        ("list", "synctargets", 1),
        ("list", "apibindings", 1),
        ("list", "workspaces", 1),
        ("watch", "workspaces", 1),
        ("create", "workspaces", N as u64),
        ("create", "apibindings", N as u64),
    ];
    for (verb, resource, want) in counts {
        assert_eq!(
            r.count(verb, Some(resource)),
            want,
            "{verb} {resource}: {:?}",
            r.by_key
        );
    }
    let ours = r.total - r.count("health", None);
    assert_eq!(
        ours,
        6 + slice + 2 * N as u64,
        "nothing beyond the minimum: {:?}",
        r.by_key
    );

    env.sim().reset_requests();
    let out = env.plugin(&["mailbox", "sync"]).ok();
    assert!(
        out.stdout
            .contains(&format!("No changes: {N} mailbox(es) already in step.")),
        "{}",
        out.stdout
    );
    let r = env.sim().requests();
    let writes: u64 = ["create", "update", "patch", "delete"]
        .iter()
        .map(|v| r.count(v, None))
        .sum();
    assert_eq!(writes, 0, "a no-op sync writes nothing: {:?}", r.by_key);
    // Its watch on the parent starts only after the parent's list, and a no-op sync may be
    // done before that: at most one.
    assert!(r.count("watch", None) <= 1, "{:?}", r.by_key);
    assert_eq!(
        r.total - r.count("health", None) - r.count("watch", None),
        5 + slice,
        "a no-op sync is five reads whatever N is (six on kcp v0.28+): {:?}",
        r.by_key
    );

    env.sim().reset_requests();
    let list = env.plugin(&["mailbox", "list"]).ok();
    assert!(list.stdout.contains("root:imw2/edge-1 "), "{}", list.stdout);
    let r = env.sim().requests();
    // The reads of sync, minus the watch: the IMWs' paths come with the parent's listing.
    assert_eq!(r.count("get", Some("logicalclusters")), 0, "{:?}", r.by_key);
    assert_eq!(r.total - r.count("health", None), 5 + slice, "{:?}", r.by_key);
}

/// An inventory workspace that is not a child of the mailbox parent: its path is looked up
/// once (from its LogicalCluster), however many SyncTargets it holds, and shown in place of
/// its ID; the ID stays in JSON and `-o wide`.
#[test]
fn a_nested_inventory_workspace_costs_one_path_lookup() {
    let env = Env::sim_only("request counts are kcp-sim's");
    env.edge_api();
    env.kcp().create_workspace("root", "my-org").unwrap();
    let ws = env.kcp().create_workspace("root:my-org", "imw3").unwrap();
    let cluster = ws["spec"]["cluster"].as_str().unwrap().to_string();
    env.kcp()
        .create(
            "root:my-org:imw3",
            serde_json::json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-espw"},
                   "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}),
        )
        .unwrap();
    assert!(wait_for(env.kcp(), common::WAIT, |s| {
        s.get(
            "root:my-org:imw3",
            "apis.kcp.io/v1alpha1",
            "apibindings",
            "bind-espw",
        )
        .is_some_and(|b| b["status"]["phase"] == "Bound")
    }));
    for i in 0..5 {
        env.kcp()
            .create(
                "root:my-org:imw3",
                serde_json::json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": format!("edge-{i}")}}),
            )
            .unwrap();
    }

    env.sim().reset_requests();
    let out = env.plugin(&["mailbox", "sync"]).ok();
    let r = env.sim().requests();
    assert_eq!(r.count("get", Some("logicalclusters")), 1, "{:?}", r.by_key);
    let slice = u64::from(env.newest());
    assert_eq!(
        r.total - r.count("health", None),
        7 + slice + 2 * 5,
        "{:?}",
        r.by_key
    );
    assert_eq!(
        out.stdout.matches("root:my-org:imw3/edge-").count(),
        5,
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(&format!("{cluster}/")), "{}", out.stdout);

    let json = env.plugin(&["mailbox", "sync", "-o", "json", "-v"]).ok().json();
    let st = &json["items"][0]["syncTarget"];
    assert_eq!(
        (st["path"].as_str(), st["cluster"].as_str()),
        (Some("root:my-org:imw3"), Some(cluster.as_str())),
        "{json:#}"
    );
    let wide = env.plugin(&["mailbox", "list", "-o", "wide"]).ok();
    let header: Vec<&str> = wide.stdout.lines().next().unwrap().split_whitespace().collect();
    let col = header.iter().position(|h| *h == "SYNCTARGET-CLUSTER").unwrap();
    let first: Vec<&str> = wide.stdout.lines().nth(1).unwrap().split_whitespace().collect();
    assert!(first[0].starts_with("root:my-org:imw3/"), "{}", wide.stdout);
    assert_eq!(first[col], cluster, "{}", wide.stdout);
}

/// The exact writes, in order, with their bodies: `sync` makes the workspace (annotated with
/// its SyncTarget) and then its binding, and nothing else, each naming the plugin as its
/// field manager; `remove wmw` deletes with the UID it looked at as a precondition, so a
/// workspace made again meanwhile is safe.
#[test]
fn the_writes_sync_and_remove_send_exactly() {
    let env = Env::sim_only("the request log is kcp-sim's");
    env.edge_api();
    let cluster = env.imw("imw1");
    let (c, u) = env.sync_target("imw1", "florin");
    let mb = common::mailbox(&c, &u);

    env.sim().reset_requests();
    env.plugin(&["mailbox", "sync"]).ok();
    let writes: Vec<(String, String, String, serde_json::Value)> = env
        .sim()
        .request_log()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method, r.path, r.query, r.body.unwrap_or_default()))
        .collect();
    let ws = env
        .kcp()
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
        .expect("the mailbox");
    let mb_cluster = ws["spec"]["cluster"].as_str().unwrap().to_string();
    assert_eq!(
        writes,
        vec![
            (
                "POST".to_string(),
                "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces".to_string(),
                "fieldManager=kubectl-kubestellar".to_string(),
                serde_json::json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace",
                    "metadata": {"name": mb, "annotations": {"edge.kubestellar.io/sync-target-name": "florin"}},
                    "spec": {}}),
            ),
            (
                "POST".to_string(),
                format!("/clusters/{mb_cluster}/apis/apis.kcp.io/v1alpha1/apibindings"),
                "fieldManager=kubectl-kubestellar".to_string(),
                serde_json::json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding",
                    "metadata": {"name": "bind-edge"},
                    "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}),
            ),
        ],
        "(the IMW is {cluster})"
    );

    env.kcp().create_workspace("root", "wmw1").unwrap();
    let uid = env
        .kcp()
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "wmw1")
        .unwrap()["metadata"]["uid"]
        .clone();
    env.sim().reset_requests();
    env.plugin(&["remove", "wmw", "wmw1"]).ok();
    let deletes: Vec<_> = env
        .sim()
        .request_log()
        .into_iter()
        .filter(|r| r.method == "DELETE")
        .collect();
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert_eq!(
        deletes[0].path,
        "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/wmw1"
    );
    assert_eq!(
        deletes[0].body.as_ref().map(|b| &b["preconditions"]["uid"]),
        Some(&uid),
        "{:?}",
        deletes[0]
    );
}

/// After a dropped watch kcp's watch cache may no longer reach back to where it was (410
/// Expired): that costs one re-list of that resource, not a storm of them, and no writes.
#[test]
fn a_410_after_a_dropped_watch_costs_one_relist() {
    let env = Env::sim_only("request counts and history compaction are kcp-sim's");
    env.edge_api();
    env.imw("imw1");
    for i in 0..N {
        env.sync_target("imw1", &format!("edge-{i}"));
    }
    let c = env.start_watch(&[]);
    c.wait_log("caches synced", common::WAIT).unwrap();
    let all_bound = |k: &dyn common::Kcp| {
        let names = common::mailbox_like(k, "root");
        names.len() == N
            && names.iter().all(|m| {
                k.get(
                    &format!("root:{m}"),
                    "apis.kcp.io/v1alpha1",
                    "apibindings",
                    "bind-edge",
                )
                .is_some_and(|b| b["status"]["phase"] == "Bound")
            })
    };
    assert!(wait_for(env.kcp(), common::WAIT, all_bound), "{}", c.log());

    env.sim().reset_requests();
    env.sim().compact();
    env.sim().drop_watches();
    // A change after the drop: once its mailbox is bound, every watch is live again.
    let (cluster, uid) = env.sync_target("imw1", "after-410");
    let mb = common::mailbox(&cluster, &uid);
    let made = wait_for(env.kcp(), common::WAIT, |k| {
        k.get(
            &format!("root:{mb}"),
            "apis.kcp.io/v1alpha1",
            "apibindings",
            "bind-edge",
        )
        .is_some()
    });
    assert!(made, "{}", c.log());
    let r = env.sim().requests();
    for resource in ["synctargets", "workspaces"] {
        assert_eq!(
            r.count("list", Some(resource)),
            1,
            "one re-list of {resource}: {:?}",
            r.by_key
        );
    }
    assert!(r.count("list", None) <= 3, "{:?}", r.by_key);
    let writes: u64 = ["update", "patch", "delete"]
        .iter()
        .map(|v| r.count(v, None))
        .sum();
    assert_eq!(writes, 0, "{:?}", r.by_key);
    assert_eq!(
        r.count("create", None),
        2,
        "only the new mailbox and its binding: {:?}",
        r.by_key
    );
}
