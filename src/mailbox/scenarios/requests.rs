//! Requests made, against the minimum the design needs: lists to learn what exists, one watch
//! on the mailbox parent, and one create per missing object; never a read per object. Counted
//! by kcp-sim, with `sync`, `list` and `watch` run in process through the normal client.

use super::{Quiet, WAIT, World, sync_options, watch_options};
use crate::kcp::types::Workspace;
use crate::mailbox::layout::Layout;
use crate::mailbox::list::{ListOptions, list};
use crate::mailbox::sync::sync;
use crate::mailbox::watch::run;
use crate::runtime::metrics::Metrics;
use crate::workspace::remove::{Removal, RemoveOptions, remove_one};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

const N: usize = 40;

fn ours(r: &kcp_sim::RequestCounts) -> u64 {
    r.total - r.count("health", None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_from_nothing_and_a_no_op_sync_make_the_minimum_requests() {
    let w = World::new();
    w.imw("root", "imw2");
    for i in 0..N {
        let imw = if i % 2 == 0 { "root:imw1" } else { "root:imw2" };
        w.sync_target_in(imw, &format!("edge-{i}"));
    }

    // Each command connects anew, as each run of the plugin does.
    let kcp = w.connect("root").await;
    w.sim.reset_requests();
    let report = sync(&kcp, &sync_options(), &Quiet).await.expect("sync");
    assert_eq!((report.summary.created, report.summary.bound), (N, N));
    let r = w.sim.requests();
    let counts = [
        // Which kcp this is: one read of apis.kcp.io's discovery.
        ("discovery", "", 1),
        ("get", "apiexports", 1),
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
    assert_eq!(
        ours(&r),
        6 + 2 * N as u64,
        "nothing beyond the minimum: {:?}",
        r.by_key
    );

    let kcp = w.connect("root").await;
    w.sim.reset_requests();
    let report = sync(&kcp, &sync_options(), &Quiet).await.expect("a no-op sync");
    assert_eq!(report.summary.unchanged, N, "{:?}", report.summary);
    let r = w.sim.requests();
    let writes: u64 = ["create", "update", "patch", "delete"]
        .iter()
        .map(|v| r.count(v, None))
        .sum();
    assert_eq!(writes, 0, "a no-op sync writes nothing: {:?}", r.by_key);
    // Its watch on the parent starts only after the parent's list, and a no-op sync may be
    // done before that: at most one.
    assert!(r.count("watch", None) <= 1, "{:?}", r.by_key);
    assert_eq!(
        ours(&r) - r.count("watch", None),
        5,
        "a no-op sync is five reads whatever N is: {:?}",
        r.by_key
    );

    let kcp = w.connect("root").await;
    w.sim.reset_requests();
    let opts = ListOptions {
        layout: Layout::v0_14("root:espw"),
        sync_target: None,
        problems: false,
        resolve_paths: true,
    };
    let rows = list(&kcp, &opts, &Quiet).await.expect("list");
    assert_eq!(rows.len(), N);
    let r = w.sim.requests();
    // The reads of sync, minus the watch: the IMWs' paths come with the parent's listing.
    assert_eq!(r.count("get", Some("logicalclusters")), 0, "{:?}", r.by_key);
    assert_eq!(ours(&r), 5, "{:?}", r.by_key);
}

/// An inventory workspace that is not a child of the mailbox parent: its path is looked up
/// once (from its LogicalCluster), however many SyncTargets it holds, and reported with each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nested_inventory_workspace_costs_one_path_lookup() {
    let w = World::new();
    w.sim.create_workspace("root", "my-org").expect("my-org");
    w.imw("root:my-org", "imw3");
    for i in 0..5 {
        w.sync_target_in("root:my-org:imw3", &format!("edge-{i}"));
    }
    let kcp = w.connect("root").await;
    w.sim.reset_requests();
    let report = sync(&kcp, &sync_options(), &Quiet).await.expect("sync");
    let r = w.sim.requests();
    assert_eq!(r.count("get", Some("logicalclusters")), 1, "{:?}", r.by_key);
    assert_eq!(ours(&r), 7 + 2 * 5, "{:?}", r.by_key);
    let paths: Vec<&str> = report
        .mailboxes
        .iter()
        .filter_map(|m| m.sync_target.as_ref()?.path.as_deref())
        .collect();
    assert_eq!(paths, ["root:my-org:imw3"; 5], "{:?}", report.mailboxes);
}

/// The exact writes, in order, with their bodies: `sync` makes the workspace (annotated with
/// its SyncTarget) and then its binding, and nothing else, each naming the plugin as its
/// field manager; removing a workspace deletes with the UID it looked at as a precondition,
/// so a workspace made again meanwhile is safe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writes_sync_and_remove_send_exactly() {
    let w = World::new();
    let mb = w.sync_target("florin");
    let kcp = w.connect("root").await;
    w.sim.reset_requests();
    sync(&kcp, &sync_options(), &Quiet).await.expect("sync");
    let writes: Vec<(String, String, String, serde_json::Value)> = w
        .sim
        .request_log()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method, r.path, r.query, r.body.unwrap_or_default()))
        .collect();
    let ws = w.workspace(&mb).expect("the mailbox");
    let mb_cluster = ws["spec"]["cluster"].as_str().unwrap_or_default();
    let write = |path: String, body: serde_json::Value| {
        (
            "POST".to_string(),
            path,
            "fieldManager=kubectl-kubestellar".to_string(),
            body,
        )
    };
    assert_eq!(
        writes,
        vec![
            write(
                "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces".into(),
                json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace",
                    "metadata": {"name": mb, "annotations": {"edge.kubestellar.io/sync-target-name": "florin"}},
                    "spec": {}}),
            ),
            write(
                format!("/clusters/{mb_cluster}/apis/apis.kcp.io/v1alpha1/apibindings"),
                json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding",
                    "metadata": {"name": "bind-edge"},
                    "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}),
            ),
        ]
    );

    let made = w.sim.create_workspace("root", "wmw1").expect("wmw1");
    let ws: Workspace = serde_json::from_value(made).expect("a Workspace");
    let opts = RemoveOptions {
        parent: "root".into(),
        names: vec!["wmw1".into()],
        force: false,
        wait: true,
        timeout: WAIT,
        espw_path: "root:espw".into(),
        layout: Layout::v0_14("root:espw"),
    };
    w.sim.reset_requests();
    assert_eq!(remove_one(&kcp, &opts, &ws).await, Removal::Deleted);
    let deletes: Vec<_> = w
        .sim
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
        Some(&json!(ws.metadata.uid)),
        "{:?}",
        deletes[0]
    );
}

/// After a dropped watch kcp's watch cache may no longer reach back to where it was (410
/// Expired): that costs one re-list of that resource, not a storm of them, and no writes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_410_after_a_dropped_watch_costs_one_relist() {
    let w = Arc::new(World::new());
    let names: Vec<String> = (0..N).map(|i| w.sync_target(&format!("edge-{i}"))).collect();
    let kcp = w.connect("root").await;
    let metrics = Arc::new(Metrics::default());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let opts = watch_options(4, Duration::ZERO);
    let controller = run(&kcp, &opts, metrics.clone(), stopped);
    let scenario = async {
        let all = names.clone();
        assert!(
            w.until(move |w| all.iter().all(|m| w.bound(m))).await,
            "every mailbox is bound"
        );
        w.sim.reset_requests();
        w.sim.compact();
        w.sim.drop_watches();
        // A change after the drop: once its mailbox is bound, every watch is live again.
        let mb = w.sync_target("after-410");
        assert!(w.until(move |w| w.bound(&mb)).await, "the new mailbox is bound");
        let _ = stop.send(true);
    };
    let (stopped, ()) = tokio::join!(controller, scenario);
    stopped.expect("a clean stop");
    let r = w.sim.requests();
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
    // The new mailbox and its binding. Its workspace may be asked for twice: the workspaces'
    // re-list can be a snapshot taken before the create and folded after it, and then the
    // second create is answered AlreadyExists and waited on (as client-go's informers race
    // too); a third would be a storm.
    assert_eq!(r.count("create", Some("apibindings")), 1, "{:?}", r.by_key);
    let creates = r.count("create", Some("workspaces"));
    assert!((1..=2).contains(&creates), "{:?}", r.by_key);
    assert_eq!(metrics.deleted.load(Ordering::Relaxed), 0);
}
