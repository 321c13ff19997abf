//! Requests made, against the minimum the design needs: lists to learn what exists, one
//! watch on the mailbox parent, and one create per missing object. Never a read per object.

mod common;

use common::Env;

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
    let counts = [
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
    let ours = r.total - r.count("health", None);
    assert_eq!(
        ours,
        5 + 2 * N as u64,
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
    assert_eq!(
        r.total - r.count("health", None),
        5,
        "a no-op sync is five requests whatever N is: {:?}",
        r.by_key
    );

    env.sim().reset_requests();
    env.plugin(&["mailbox", "list"]).ok();
    let r = env.sim().requests();
    // The reads of sync, minus the watch, plus one path lookup per inventory workspace.
    assert_eq!(r.count("get", Some("logicalclusters")), 2, "{:?}", r.by_key);
    assert_eq!(r.total - r.count("health", None), 6, "{:?}", r.by_key);
}
