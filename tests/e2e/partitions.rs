//! Many controllers, one per partition (`mailbox watch --endpoint-slice`), each with a standby
//! (`--leader-elect`): every mailbox repaired once, by its own partition's leader, and none
//! touched by the other partition's. kcp-sim only: four shards, and its request log, which
//! names each controller's user.

use crate::common::{Controller, Env, KcpServer, WAIT, mailbox, sim_config, wait_for};
use kcp_sim::{LoggedRequest, SimConfig};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

const WORKSPACES: &str = "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces";

/// Two Partitions of four shards in the ESPW, by region, and a slice of the edge export for
/// each, as the README shows it with kubectl.
fn partitions(env: &Env) {
    for (name, region) in [("east", "east"), ("west", "west")] {
        let partition = json!({"apiVersion": "topology.kcp.io/v1alpha1", "kind": "Partition", "metadata": {"name": name},
                               "spec": {"selector": {"matchLabels": {"region": region}}}});
        env.kubectl_create("root:espw", &partition).ok();
        let slice = json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExportEndpointSlice", "metadata": {"name": name},
                           "spec": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}, "partition": name}});
        env.kubectl_create("root:espw", &slice).ok();
    }
    // kcp v0.28 and later list a shard only once something there binds the export.
    if !env.newest() {
        slices_list(env, 2);
    }
}

/// Wait until each slice lists `n` shards.
fn slices_list(env: &Env, n: usize) {
    let filled = wait_for(env.kcp(), WAIT, |s| {
        ["east", "west"].iter().all(|name| {
            s.get(
                "root:espw",
                "apis.kcp.io/v1alpha1",
                "apiexportendpointslices",
                name,
            )
            .is_some_and(|sl| sl["status"]["endpoints"].as_array().is_some_and(|e| e.len() == n))
        })
    });
    assert!(filled, "each slice lists {n} shards");
}

/// An inventory workspace on a shard of `region` (kcp's `spec.location.selector`), bound to
/// the edge export; its logical cluster.
fn imw_in(env: &Env, name: &str, region: &str) -> String {
    let ws = json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name},
                    "spec": {"location": {"selector": {"matchLabels": {"region": region}}}}});
    env.kcp().create("root", ws).expect("imw");
    let ready = wait_for(env.kcp(), WAIT, |s| {
        s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", name)
            .is_some_and(|w| w["status"]["phase"] == "Ready")
    });
    assert!(ready, "{name} did not become Ready");
    let path = format!("root:{name}");
    env.kcp()
        .create(
            &path,
            json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-espw"},
                   "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}),
        )
        .expect("binding");
    let bound = wait_for(env.kcp(), WAIT, |s| {
        s.get(&path, "apis.kcp.io/v1alpha1", "apibindings", "bind-espw")
            .is_some_and(|b| b["status"]["phase"] == "Bound")
    });
    assert!(bound, "{name}'s binding did not become Bound");
    let ws = env
        .kcp()
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", name)
        .expect("the imw");
    ws["spec"]["cluster"].as_str().expect("a cluster").to_string()
}

/// Every name there, and Ready and bound, not being deleted.
fn all_bound(s: &dyn KcpServer, names: &BTreeSet<String>) -> bool {
    names.iter().all(|mb| {
        s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", mb)
            .is_some_and(|w| {
                w["metadata"].get("deletionTimestamp").is_none() && w["status"]["phase"] == "Ready"
            })
            && s.get(
                &format!("root:{mb}"),
                "apis.kcp.io/v1alpha1",
                "apibindings",
                "bind-edge",
            )
            .is_some()
    })
}

/// The controller of a partition (`east` or `west`), as a user of its own.
fn controller(env: &Env, user: &str, slice: &str) -> Controller {
    let slice = format!("root:espw:{slice}");
    env.start_watch_as(
        user,
        &[
            "--endpoint-slice",
            &slice,
            "--leader-elect",
            "--leader-elect-lease-duration",
            "2s",
            "--leader-elect-renew-deadline",
            "1500ms",
            "--leader-elect-retry-period",
            "200ms",
        ],
    )
}

/// The mailbox a workspace write is about: a create's body names it, a delete's path ends
/// with it.
fn written_mailbox(r: &LoggedRequest) -> Option<String> {
    match r.method.as_str() {
        "POST" if r.path == WORKSPACES => r.body.as_ref()?["metadata"]["name"].as_str().map(String::from),
        "DELETE" | "PUT" | "PATCH" => r.path.strip_prefix(&format!("{WORKSPACES}/")).map(String::from),
        _ => None,
    }
}

#[test]
#[allow(clippy::too_many_lines)] // one story: set-up, the failover, what the log shows
fn two_partitions_repair_only_their_own_mailboxes_and_a_standby_takes_over() {
    let started = Instant::now();
    let env = Env::with(SimConfig {
        shards: 4,
        shard_regions: ["east", "east", "west", "west"].map(String::from).to_vec(),
        ..sim_config()
    });
    env.edge_api();
    partitions(&env);
    // Two inventory workspaces on each partition's shards, two SyncTargets in each.
    let mut side: BTreeMap<String, &str> = BTreeMap::new(); // inventory cluster → partition
    let mut wanted = BTreeSet::new();
    for (imw, region) in [
        ("imw-e1", "east"),
        ("imw-e2", "east"),
        ("imw-w1", "west"),
        ("imw-w2", "west"),
    ] {
        let cluster = imw_in(&env, imw, region);
        let shard = env.sim().shard_of(&cluster);
        assert!(
            if region == "east" { shard < 2 } else { shard >= 2 },
            "{imw} is on shard {shard}"
        );
        side.insert(cluster, region);
        for st in ["a", "b"] {
            let (c, u) = env.sync_target(imw, st);
            wanted.insert(mailbox(&c, &u));
        }
    }
    if env.newest() {
        // The IMWs bind the export on at least one shard of each partition.
        let bound = wait_for(env.kcp(), WAIT, |s| {
            ["east", "west"].iter().all(|name| {
                s.get(
                    "root:espw",
                    "apis.kcp.io/v1alpha1",
                    "apiexportendpointslices",
                    name,
                )
                .is_some_and(|sl| {
                    sl["status"]["endpoints"]
                        .as_array()
                        .is_some_and(|e| !e.is_empty())
                })
            })
        });
        assert!(bound, "each slice lists a shard where an IMW binds the export");
    }
    let partition_of = |mb: &str| -> &str {
        side.iter()
            .find(|(c, _)| mb.starts_with(&format!("{c}-mb-")))
            .map_or("?", |(_, p)| p)
    };

    // Per partition, a leader and a standby.
    let mut east_a = controller(&env, "east-a", "east");
    east_a.wait_log("became the leader", WAIT).expect("east-a leads");
    let east_b = controller(&env, "east-b", "east");
    east_b
        .wait_log("waiting for the lease", WAIT)
        .expect("east-b stands by");
    let west_a = controller(&env, "west-a", "west");
    west_a.wait_log("became the leader", WAIT).expect("west-a leads");
    let west_b = controller(&env, "west-b", "west");
    west_b
        .wait_log("waiting for the lease", WAIT)
        .expect("west-b stands by");
    assert!(
        wait_for(env.kcp(), WAIT, |s| all_bound(s, &wanted)),
        "every mailbox made and bound"
    );
    let leases: BTreeSet<String> = env
        .kcp()
        .list("root:espw", "coordination.k8s.io/v1", "leases")
        .iter()
        .map(|l| l["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        leases,
        ["kubestellar-mailbox-east", "kubestellar-mailbox-west"]
            .map(String::from)
            .into(),
        "one Lease per partition, named after its slice"
    );

    // The east leader dies without a word; meanwhile a mailbox on each side is deleted behind
    // the controllers' backs, a SyncTarget added on each side, and one deleted in the east.
    let mark = env.sim().request_log().len();
    east_a.signal("KILL");
    east_a.wait_exit(WAIT);
    // imw-e1/b's mailbox becomes an orphan below: the mailbox deleted here is another one.
    let st = env
        .kcp()
        .get("root:imw-e1", "edge.kubestellar.io/v2alpha1", "synctargets", "b")
        .expect("imw-e1/b");
    let orphan = mailbox(
        st["metadata"]["annotations"]["kcp.io/cluster"].as_str().unwrap(),
        st["metadata"]["uid"].as_str().unwrap(),
    );
    let east_mb = wanted
        .iter()
        .find(|m| partition_of(m) == "east" && **m != orphan)
        .cloned()
        .unwrap();
    let west_mb = wanted
        .iter()
        .find(|m| partition_of(m) == "west")
        .cloned()
        .unwrap();
    for mb in [&east_mb, &west_mb] {
        env.kcp()
            .delete("root", "tenancy.kcp.io/v1alpha1", "workspaces", mb)
            .expect("delete a mailbox");
    }
    let (c, u) = env.sync_target("imw-e2", "c");
    let new_east = mailbox(&c, &u);
    let (c, u) = env.sync_target("imw-w2", "c");
    let new_west = mailbox(&c, &u);
    wanted.extend([new_east.clone(), new_west.clone()]);
    env.delete_sync_target("imw-e1", "b");
    wanted.remove(&orphan);

    east_b
        .wait_log("became the leader", Duration::from_secs(15))
        .expect("the east standby took over");
    let converged = wait_for(env.kcp(), WAIT, |s| {
        all_bound(s, &wanted)
            && s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &orphan)
                .is_none()
    });
    assert!(converged, "every mailbox repaired, the orphan gone");

    // What the log shows: each repair made once, by its own partition's leader of the time;
    // no write by one partition's controllers to the other's mailboxes, ever; and none by a
    // standby while it stood by.
    let log = env.sim().request_log();
    let user = |r: &LoggedRequest| r.user.clone().unwrap_or_default();
    let creates_after: Vec<(String, String)> = log[mark..]
        .iter()
        .filter(|r| r.method == "POST" && r.path == WORKSPACES)
        .filter_map(|r| Some((written_mailbox(r)?, user(r))))
        .collect();
    for (mb, by) in [
        (&east_mb, "east-b"),
        (&new_east, "east-b"),
        (&west_mb, "west-a"),
        (&new_west, "west-a"),
    ] {
        let made: Vec<&String> = creates_after
            .iter()
            .filter(|(m, _)| m == mb)
            .map(|(_, u)| u)
            .collect();
        assert_eq!(made, [by], "{mb} created exactly once, by {by}");
    }
    assert_eq!(creates_after.len(), 4, "nothing else created: {creates_after:?}");
    let deletes: Vec<(String, String)> = log
        .iter()
        .filter(|r| r.method == "DELETE")
        .filter_map(|r| Some((written_mailbox(r)?, user(r))))
        .collect();
    assert_eq!(
        deletes,
        [(orphan.clone(), "east-b".to_string())],
        "only the orphan deleted, once"
    );
    let mut writers = BTreeSet::new();
    for (i, r) in log.iter().enumerate() {
        let by = user(r);
        let Some(mb) = written_mailbox(r) else { continue };
        let own = by.split('-').next().unwrap_or_default();
        assert_eq!(partition_of(&mb), own, "{by} wrote {} {mb}", r.method);
        assert!(by != "east-b" || i >= mark, "east-b wrote {mb} while it stood by");
        assert_ne!(by, "west-b", "west-b stood by throughout and wrote {mb}");
        writers.insert(by);
    }
    assert_eq!(
        writers,
        ["east-a", "east-b", "west-a"].map(String::from).into(),
        "each leader of the time wrote"
    );

    // `mailbox list` for one partition: its own mailboxes, and the other's as elsewhere.
    let list = env.plugin(&[
        "mailbox",
        "list",
        "--endpoint-slice",
        "root:espw:east",
        "-o",
        "json",
    ]);
    let rows: Value = serde_json::from_str(&list.ok().stdout).expect("JSON");
    let statuses: BTreeMap<String, String> = rows["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["mailbox"].as_str().unwrap_or_default().to_string(),
                r["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    for mb in &wanted {
        let want = if partition_of(mb) == "east" {
            "ok"
        } else {
            "elsewhere"
        };
        assert_eq!(
            statuses.get(mb).map(String::as_str),
            Some(want),
            "{mb}: {statuses:?}"
        );
    }
    drop((east_b, west_a, west_b));
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "{:?}",
        started.elapsed()
    );
}

/// What `--endpoint-slice` refuses, and a partition that selects no shard: nothing read,
/// nothing deleted, and said why.
#[test]
fn a_wrong_or_empty_slice_reads_nothing_and_deletes_nothing() {
    let env = Env::with(SimConfig {
        shards: 2,
        shard_regions: ["east", "west"].map(String::from).to_vec(),
        ..sim_config()
    });
    env.edge_api();
    env.imw("imw1");
    let (c, u) = env.sync_target("imw1", "one");
    env.plugin(&["mailbox", "sync"]).ok();
    let mb = mailbox(&c, &u);
    assert!(env.bound(&mb));

    // A slice of another export: one sentence, exit 2.
    env.kcp()
        .create("root:espw", json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": "other.io"}, "spec": {}}))
        .expect("another export");
    let other = json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExportEndpointSlice", "metadata": {"name": "other"},
                       "spec": {"export": {"path": "root:espw", "name": "other.io"}}});
    env.kubectl_create("root:espw", &other).ok();
    let run = env
        .plugin(&["mailbox", "sync", "--endpoint-slice", "root:espw:other"])
        .code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: the APIExportEndpointSlice other in root:espw is a slice of the APIExport other.io in root:espw, not of the APIExport edge.kubestellar.io in root:espw whose view lists the SyncTargets"),
        "{}",
        run.stderr
    );
    // No such slice.
    let run = env
        .plugin(&["mailbox", "list", "--endpoint-slice", "nope"])
        .code(1);
    assert!(
        run.stderr
            .starts_with("error: the APIExportEndpointSlice nope does not exist in root:espw"),
        "{}",
        run.stderr
    );

    // A partition that selects no shard: an empty slice. The mailbox, whose SyncTarget this
    // run cannot see, is not deleted.
    let north = json!({"apiVersion": "topology.kcp.io/v1alpha1", "kind": "Partition", "metadata": {"name": "north"},
                       "spec": {"selector": {"matchLabels": {"region": "north"}}}});
    env.kubectl_create("root:espw", &north).ok();
    let slice = json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExportEndpointSlice", "metadata": {"name": "north"},
                       "spec": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}, "partition": "north"}});
    env.kubectl_create("root:espw", &slice).ok();
    let run = env
        .plugin(&[
            "mailbox",
            "sync",
            "--endpoint-slice",
            "root:espw:north",
            "--timeout",
            "10s",
        ])
        .ok();
    assert!(
        run.stderr
            .contains("the APIExportEndpointSlice north in root:espw lists no shard: its Partition north"),
        "{}",
        run.stderr
    );
    assert!(env.bound(&mb), "not deleted");
    let list = env
        .plugin(&["mailbox", "list", "--endpoint-slice", "root:espw:north"])
        .ok();
    assert!(list.stdout.contains("elsewhere"), "{}", list.stdout);
}
