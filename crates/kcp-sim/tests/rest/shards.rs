//! resourceVersions per shard: each kcp shard has its own etcd, so its own counter. A
//! resourceVersion read on one shard means nothing on another: there it may be too new (a list
//! waits, then 504; a watch silently skips until the shard gets there) or too old (410
//! Expired, by that shard's own watch window).

use super::*;

/// A workspace on each shard besides root's: `(path, logical cluster ID)` for shard 0 (root)
/// and for shard 1 (the first workspace made there).
fn one_on_each_shard(sim: &kcp_sim::SimServer) -> [(String, String); 2] {
    for i in 0..40 {
        let id = ready_workspace(sim, "root", &format!("w{i}"));
        if sim.shard_of(&id) == 1 {
            return [
                ("root".to_string(), "root".to_string()),
                (format!("root:w{i}"), id),
            ];
        }
    }
    panic!("40 workspaces and none on the second shard");
}

async fn list_rv(client: &kube::Client, path: &str) -> u64 {
    rv(&get(client, path).await.ok(200)).parse().expect("a number")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_one_shard_every_logical_cluster_shares_one_counter() {
    // kcp v0.11 standalone: one etcd, one revision for everything (checked on a real kcp: a
    // configmap in root:o1:u1 came right after the RV of o1's Workspace in root).
    let sim = start(fast());
    ready_workspace(&sim, "root", "a");
    let admin = client(&sim, "root").await;
    let in_root = post(&admin, &at("root", CONFIGMAPS), configmap("x", json!({})))
        .await
        .ok(201);
    let in_a = post(&admin, &at("root:a", CONFIGMAPS), configmap("y", json!({})))
        .await
        .ok(201);
    let (r, a): (u64, u64) = (rv(&in_root).parse().unwrap(), rv(&in_a).parse().unwrap());
    assert_eq!(a, r + 1, "one sequence across logical clusters");
    assert_eq!(list_rv(&admin, &at("root", CONFIGMAPS)).await, a);
    assert_eq!(sim.resource_version(0), a);
    assert_eq!(sim.shard_of("anything"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_shard_counts_its_own_resource_versions() {
    let sim = start(SimConfig {
        shards: 2,
        future_rv_wait: Duration::from_millis(300),
        // A small watch window, so that a busy shard's moves past a quiet shard's RVs.
        history_min: 5,
        history_fresh: Duration::ZERO,
        ..fast()
    });
    let [(a, _), (b, b_id)] = one_on_each_shard(&sim);
    let admin = client(&sim, "root").await;
    let (cms_a, cms_b) = (at(&a, CONFIGMAPS), at(&b, CONFIGMAPS));
    let rv_b = list_rv(&admin, &cms_b).await;
    assert_eq!(rv_b, sim.resource_version(1));

    // Writes on shard A move A's counter only.
    let mut last_a = 0;
    for i in 0..20 {
        let cm = post(&admin, &cms_a, configmap(&format!("a{i}"), json!({})))
            .await
            .ok(201);
        let now: u64 = rv(&cm).parse().unwrap();
        assert!(last_a == 0 || now == last_a + 1, "{last_a} then {now}");
        last_a = now;
    }
    assert_eq!(list_rv(&admin, &cms_a).await, last_a);
    assert_eq!(list_rv(&admin, &cms_b).await, rv_b, "shard B did not move");
    let first_b = post(&admin, &cms_b, configmap("b0", json!({}))).await.ok(201);
    assert_eq!(
        rv(&first_b),
        (rv_b + 1).to_string(),
        "B's own next resourceVersion"
    );

    // B's resourceVersion from before A's churn is still in B's window...
    let mut own = Watch::open(&admin, &format!("{cms_b}?watch=true&resourceVersion={rv_b}"))
        .await
        .expect("a watch");
    let replayed = own.next().await.expect("open");
    assert_eq!(
        (
            replayed["type"].clone(),
            replayed["object"]["metadata"]["name"].clone()
        ),
        (json!("ADDED"), json!("b0"))
    );
    // ... but on A it is older than A's window: 410 Expired.
    let mut old = Watch::open(&admin, &format!("{cms_a}?watch=true&resourceVersion={rv_b}"))
        .await
        .expect("a 200 stream");
    let error = old.next().await.expect("an ERROR event");
    assert_eq!(
        (error["type"].clone(), error["object"]["code"].clone()),
        (json!("ERROR"), json!(410))
    );

    let rv_b = rv_b + 1;
    assert!(last_a > rv_b + 5, "A is ahead: {last_a} vs {rv_b}");
    // A's resourceVersion is from B's future: a list at it waits, then is 504...
    let too_new = get(&admin, &format!("{cms_b}?resourceVersion={last_a}")).await;
    too_new.fails(504, "Timeout");
    assert_eq!(
        too_new.message(),
        format!("Timeout: Too large resource version: {last_a}, current: {rv_b}")
    );
    // ... and a watch from it is a 200 stream that skips B's events until B passes it (as
    // kcp v0.11's watch cache: checked on a real kcp, a watch 6 ahead missed 6 creations).
    let mut skipping = Watch::open(&admin, &format!("{cms_b}?watch=true&resourceVersion={last_a}"))
        .await
        .expect("a 200 stream");
    let mut made = Vec::new();
    while made.last().is_none_or(|r| *r <= last_a) {
        let cm = post(
            &admin,
            &cms_b,
            configmap(&format!("b{}", made.len() + 1), json!({})),
        )
        .await
        .ok(201);
        made.push(rv(&cm).parse::<u64>().unwrap());
    }
    let first = skipping.next().await.expect("open");
    assert_eq!(
        rv(&first["object"]).parse::<u64>().unwrap(),
        last_a + 1,
        "only what comes after the foreign resourceVersion: {first}"
    );
    assert_eq!(
        first["object"]["metadata"]["annotations"]["kcp.io/cluster"],
        json!(b_id)
    );

    // The base URL's wildcard is the root shard's, at its resourceVersion.
    let masters = client(&sim, "system:admin").await;
    let all = get(&masters, "/clusters/*/api/v1/configmaps").await.ok(200);
    let clusters: BTreeSet<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| cluster_of(c).to_string())
        .collect();
    assert!(
        clusters.contains("root") && !clusters.contains(&b_id),
        "{clusters:?}"
    );
    assert_eq!(rv(&all), sim.resource_version(0).to_string());

    // The admin API reports and compacts every shard.
    let stats = get(&admin, "/kcp-sim/stats").await.ok(200);
    assert_eq!(
        stats["resourceVersions"],
        json!([sim.resource_version(0), sim.resource_version(1)])
    );
    let floors = post(&admin, "/kcp-sim/compact", json!({})).await.ok(200);
    assert_eq!(
        floors["floors"],
        json!([sim.resource_version(0) + 1, sim.resource_version(1) + 1])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_shard_s_view_serves_its_own_resource_versions() {
    let sim = start(SimConfig {
        shards: 2,
        future_rv_wait: Duration::from_millis(300),
        ..fast()
    });
    let [(a, _), (b, _)] = one_on_each_shard(&sim);
    ready_workspace(&sim, "root", "provider");
    let admin = client(&sim, "root").await;
    let urls = widget_export_views(&sim, &admin).await;
    for path in [&a, &b] {
        post(
            &admin,
            &at(path, &format!("{APIS}/apibindings")),
            binding("test", "root:provider", "test.io"),
        )
        .await
        .ok(201);
        wait_bound(&sim, path, "test");
    }
    let widgets = |s: usize| format!("{}/clusters/*/apis/test.io/v1/widgets", path_of(&sim, &urls[s]));
    for i in 0..10 {
        post(
            &admin,
            &at(&a, "apis/test.io/v1/widgets"),
            widget(&format!("a{i}"), json!({"size": 1})),
        )
        .await
        .ok(201);
    }
    post(
        &admin,
        &at(&b, "apis/test.io/v1/widgets"),
        widget("b0", json!({"size": 1})),
    )
    .await
    .ok(201);
    let view_a = list_rv(&admin, &widgets(0)).await;
    let view_b = list_rv(&admin, &widgets(1)).await;
    assert_eq!(
        (view_a, view_b),
        (sim.resource_version(0), sim.resource_version(1))
    );
    assert!(view_a > view_b, "{view_a} vs {view_b}");

    // What a client that mixed them up would meet: shard A's RV on B's view.
    get(&admin, &format!("{}?resourceVersion={view_a}", widgets(1)))
        .await
        .fails(504, "Timeout");
    let mut mixed = Watch::open(
        &admin,
        &format!("{}?watch=true&resourceVersion={view_a}", widgets(1)),
    )
    .await
    .expect("a 200 stream");
    // Its own RV works: the next change on B comes through.
    let mut right = Watch::open(
        &admin,
        &format!("{}?watch=true&resourceVersion={view_b}", widgets(1)),
    )
    .await
    .expect("a watch");
    post(
        &admin,
        &at(&b, "apis/test.io/v1/widgets"),
        widget("b1", json!({"size": 1})),
    )
    .await
    .ok(201);
    let seen = right.next().await.expect("open");
    assert_eq!(
        (seen["type"].clone(), seen["object"]["metadata"]["name"].clone()),
        (json!("ADDED"), json!("b1"))
    );
    assert!(
        mixed.next_within(Duration::from_millis(300)).await.is_none(),
        "a watch from another shard's later RV misses B's change"
    );
}
