//! Logical-cluster paths.

use super::*;

// -----------------------------------------------------------------------------------------
// Logical-cluster paths

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paths_ids_and_the_wildcard() {
    let sim = start(fast());
    let a = ready_workspace(&sim, "root", "a");
    let b = ready_workspace(&sim, "root:a", "b");
    let admin = client(&sim, "root").await;
    let masters = client(&sim, "system:admin").await;

    // root:a:b through the tree, by ID, and by an ID followed by names.
    let lc = "apis/core.kcp.io/v1alpha1/logicalclusters/cluster";
    for p in ["root:a:b", b.as_str(), &format!("{a}:b")] {
        let got = get(&admin, &at(p, lc)).await.ok(200);
        assert_eq!(cluster_of(&got), b, "{p}");
        assert_eq!(got["metadata"]["annotations"]["kcp.io/path"], "root:a:b");
    }
    // Objects carry the logical cluster's name, never the path.
    let ws = get(&admin, &at("root:a", &format!("{WORKSPACES}/b")))
        .await
        .ok(200);
    assert_eq!(cluster_of(&ws), a);
    assert_eq!(
        cluster_of(&get(&admin, &at("root", &format!("{WORKSPACES}/a"))).await.ok(200)),
        "root"
    );
    let ns = get(&admin, &at("root:a:b", "api/v1/namespaces/default"))
        .await
        .ok(200);
    assert_eq!(cluster_of(&ns), b);

    // The kubeconfig's root context addresses /clusters/root itself.
    let root_ctx = context_client(&sim, "root").await;
    let list = get(&root_ctx, WORKSPACES).await.ok(200);
    assert_eq!(item_names(&list), ["a"]);

    // Unknown paths are forbidden (kcp does not say which workspaces exist); bad ones are 400.
    for p in ["root:nope", "root:a:nope", "nope", "0123456789abcdef"] {
        get(&admin, &at(p, "api/v1/namespaces"))
            .await
            .fails(403, "Forbidden");
    }
    for p in ["Root", "root::a", "root:a_b", "root:-a"] {
        get(&admin, &at(p, "api/v1/namespaces"))
            .await
            .fails(400, "BadRequest");
    }

    // The wildcard: list and watch only, and only for system:masters.
    get(&masters, &at("*", &format!("{WORKSPACES}/a")))
        .await
        .fails(405, "MethodNotAllowed");
    post(&masters, &at("*", WORKSPACES), workspace("x"))
        .await
        .fails(405, "MethodNotAllowed");
    get(&admin, &at("*", WORKSPACES)).await.fails(403, "Forbidden");
    let all = get(&masters, &at("*", WORKSPACES)).await.ok(200);
    let mut seen: Vec<(String, String)> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                cluster_of(i).to_string(),
                i["metadata"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    seen.sort();
    let mut want = vec![
        ("root".to_string(), "a".to_string()),
        (a.clone(), "b".to_string()),
    ];
    want.sort();
    assert_eq!(seen, want);

    let path = format!("{}?watch=true&resourceVersion={}", at("*", WORKSPACES), rv(&all));
    let mut watch = Watch::open(&masters, &path).await.expect("a wildcard watch");
    post(&admin, &at("root:a:b", WORKSPACES), workspace("c"))
        .await
        .ok(201);
    let added = watch.until(|e| e["type"] == "ADDED").await;
    assert_eq!(added["object"]["metadata"]["name"], "c");
    assert_eq!(cluster_of(&added["object"]), b);
}
