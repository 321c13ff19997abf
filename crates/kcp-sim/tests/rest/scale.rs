//! Scale (what must work, not how fast).

use super::*;

// -----------------------------------------------------------------------------------------
// Scale (what must work, not how fast)

pub(super) fn instant() -> SimConfig {
    SimConfig {
        schedule_delay: Duration::ZERO,
        initialize_delay: Duration::ZERO,
        delete_delay: Duration::ZERO,
        export_delay: Duration::ZERO,
        binding_delay: Duration::ZERO,
        // 20,000 workspaces are what is measured, not kcp's 100,000 default bindings of them.
        default_api_bindings: false,
        ..SimConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_workspaces() {
    const N: usize = 20_000;
    let why = "20,000 workspaces with no controller delay: kcp-sim's capacity (hours on a real kcp)";
    let Some(sim) = sim_only(why, instant()) else {
        return;
    };
    let base = sim.object_count();
    for i in 0..N {
        sim.create("root", workspace(&format!("ws-{i:05}")))
            .unwrap_or_else(|e| panic!("ws-{i}: {e:?}"));
    }
    // Each Ready workspace has its Workspace, LogicalCluster and default Namespace.
    wait_for(&sim, "20,000 workspaces to be Ready", |_| {
        sim.object_count() == base + 3 * N
    });
    let admin = client(&sim, "root").await;
    let mut ready = 0;
    let mut token = String::new();
    loop {
        let page = get(
            &admin,
            &format!("{}?limit=5000&continue={token}", at("root", WORKSPACES)),
        )
        .await
        .ok(200);
        for ws in page["items"].as_array().unwrap() {
            assert_eq!(ws["status"]["phase"], "Ready", "{ws}");
            ready += 1;
        }
        match page["metadata"]["continue"].as_str() {
            Some(t) if !t.is_empty() => token = t.to_string(),
            _ => break,
        }
    }
    assert_eq!(ready, N);
    get(&admin, &at("root:ws-19999", "api/v1/namespaces/default"))
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_synctargets_through_the_view() {
    const CONSUMERS: usize = 10;
    const PER: usize = 1_000;
    let why = "10,000 objects written through kcp-sim's library: kcp-sim's capacity";
    let Some(sim) = sim_only(why, instant()) else {
        return;
    };
    let espw = ready_workspace(&sim, "root", "espw");
    sim.create(
        "root:espw",
        fixture("edge-api/apiresourceschema-synctargets.edge.kubestellar.io.yaml"),
    )
    .unwrap();
    sim.create(
        "root:espw",
        fixture("edge-api/apiexport-edge.kubestellar.io.yaml"),
    )
    .unwrap();
    wait_object(&sim, "root:espw", AV, "apiexports", "edge.kubestellar.io", |e| {
        e["status"]["identityHash"].is_string()
    });
    let mut want = BTreeSet::new();
    for c in 0..CONSUMERS {
        let path = format!("root:imw{c}");
        let id = ready_workspace(&sim, "root", &format!("imw{c}"));
        sim.create(&path, fixture("apibinding-edge.yaml")).unwrap();
        wait_bound(&sim, &path, "edge.kubestellar.io");
        for i in 0..PER {
            let name = format!("st-{i:04}");
            let st = json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": name}, "spec": {}});
            sim.create(&path, st)
                .unwrap_or_else(|e| panic!("{path} {name}: {e:?}"));
            want.insert((id.clone(), name));
        }
    }
    let admin = client(&sim, "root").await;
    let all = format!(
        "/services/apiexport/{espw}/edge.kubestellar.io/clusters/*/apis/edge.kubestellar.io/v2alpha1/synctargets"
    );
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    let mut token = String::new();
    loop {
        let page = get(&admin, &format!("{all}?limit=500&continue={token}"))
            .await
            .ok(200);
        pages += 1;
        for st in page["items"].as_array().unwrap() {
            let key = (
                cluster_of(st).to_string(),
                st["metadata"]["name"].as_str().unwrap().to_string(),
            );
            assert!(seen.insert(key), "{st} listed twice");
        }
        match page["metadata"]["continue"].as_str() {
            Some(t) if !t.is_empty() => token = t.to_string(),
            _ => break,
        }
    }
    assert_eq!(pages, CONSUMERS * PER / 500);
    assert_eq!(seen.len(), CONSUMERS * PER);
    assert_eq!(seen, want);
    // Defaults were applied to every one of them.
    let one = get(&admin, &format!("{all}?limit=1")).await.ok(200);
    assert_eq!(
        one["items"][0]["spec"],
        json!({"supportedAPIExports": [{"export": "kubernetes"}], "unschedulable": false})
    );
}
