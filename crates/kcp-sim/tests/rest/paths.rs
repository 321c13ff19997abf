//! Logical-cluster paths.

use super::*;

// -----------------------------------------------------------------------------------------
// Logical-cluster paths

/// kcp v0.28 and later answer a workspace path that does not resolve with 404, naming the
/// whole path (a real v0.32.3: `workspaces.tenancy.kcp.io "root:nope:deeper" not found`); an
/// unknown logical cluster ID is still 403.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_v0_32_a_path_that_does_not_resolve_is_a_missing_workspace() {
    let Some(sim) = sim_only(
        "kcp-sim's --kcp-version 0.32 (what a real kcp v0.32.3 answered; the real tier runs v0.11)",
        SimConfig {
            kcp_version: kcp_sim::KcpVersion::V0_32,
            ..fast()
        },
    ) else {
        return;
    };
    ready_workspace(&sim, "root", "a");
    let admin = client(&sim, "root").await;
    for p in ["root:nope", "root:a:nope", "root:nope:deeper"] {
        let answer = get(&admin, &at(p, "api/v1/namespaces")).await;
        answer.fails(404, "NotFound");
        assert_eq!(
            answer.body["message"],
            format!("workspaces.tenancy.kcp.io \"{p}\" not found")
        );
        assert_eq!(answer.body["details"]["name"], p);
    }
    for p in ["nope", "0123456789abcdef"] {
        get(&admin, &at(p, "api/v1/namespaces"))
            .await
            .fails(403, "Forbidden");
    }
    get(&admin, &at("root:a", "api/v1/namespaces")).await.ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paths_ids_and_the_wildcard() {
    let server = Server::start(fast());
    let home = server.home();
    let (a_path, b_path) = (server.under("a"), server.under("a:b"));
    let home_id = match &server {
        Server::Sim(_) => "root".to_string(),
        Server::Real { .. } => {
            let (parent, name) = home.rsplit_once(':').unwrap();
            server
                .get(parent, "tenancy.kcp.io/v1alpha1", "workspaces", name)
                .unwrap()["spec"]["cluster"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let a = ready_workspace(&server, home, "a");
    let b = ready_workspace(&server, &a_path, "b");
    let admin = client(&server, "root").await;
    let masters = client(&server, "system:admin").await;

    // <home>:a:b through the tree, by ID, and by an ID followed by names.
    let lc = "apis/core.kcp.io/v1alpha1/logicalclusters/cluster";
    for p in [b_path.as_str(), b.as_str(), &format!("{a}:b")] {
        let got = get(&admin, &at(p, lc)).await.ok(200);
        assert_eq!(cluster_of(&got), b, "{p}");
        assert_eq!(got["metadata"]["annotations"]["kcp.io/path"], json!(b_path));
    }
    // Objects carry the logical cluster's name, never the path.
    let ws = get(&admin, &at(&a_path, &format!("{WORKSPACES}/b")))
        .await
        .ok(200);
    assert_eq!(cluster_of(&ws), a);
    assert_eq!(
        cluster_of(&get(&admin, &at(home, &format!("{WORKSPACES}/a"))).await.ok(200)),
        home_id
    );
    let ns = get(&admin, &at(&b_path, "api/v1/namespaces/default"))
        .await
        .ok(200);
    assert_eq!(cluster_of(&ns), b);

    // The kubeconfig's root context addresses /clusters/root itself (on kcp-sim the test's
    // home; on real kcp root holds it, beside kcp's `compute` and the other tests' homes).
    let root_ctx = context_client(&server, "root").await;
    let list = get(&root_ctx, WORKSPACES).await.ok(200);
    if server.is_real() {
        let top = home.trim_start_matches("root:").to_string();
        assert!(item_names(&list).contains(&top), "{list}");
    } else {
        assert_eq!(item_names(&list), ["a"]);
    }

    // Unknown paths are forbidden (kcp does not say which workspaces exist); bad ones are 400.
    let a_nope = format!("{a_path}:nope");
    for p in ["root:nope", &a_nope, "nope", "0123456789abcdef"] {
        get(&admin, &at(p, "api/v1/namespaces"))
            .await
            .fails(403, "Forbidden");
    }
    for p in ["Root", "root::a", "root:a_b", "root:-a"] {
        get(&admin, &at(p, "api/v1/namespaces"))
            .await
            .fails(400, "BadRequest");
    }

    // The wildcard: list and watch only, and only for system:masters; not workspaces (404,
    // kcp's plain "404 page not found"). Across the server: on real kcp, this test's own
    // logical clusters among others.
    get(&masters, &at("*", &format!("{WORKSPACES}/a")))
        .await
        .fails(405, "MethodNotAllowed");
    post(&masters, &at("*", WORKSPACES), workspace("x"))
        .await
        .fails(405, "MethodNotAllowed");
    get(&admin, &at("*", WORKSPACES)).await.fails(403, "Forbidden");
    assert_eq!(get(&masters, &at("*", WORKSPACES)).await.status, 404);
    let lcs = "apis/core.kcp.io/v1alpha1/logicalclusters";
    let all = get(&masters, &at("*", lcs)).await.ok(200);
    let mut seen: Vec<(String, String)> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| [a.as_str(), &b].contains(&cluster_of(i)))
        .map(|i| {
            (
                cluster_of(i).to_string(),
                i["metadata"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    seen.sort();
    let mut want = vec![
        (a.clone(), "cluster".to_string()),
        (b.clone(), "cluster".to_string()),
    ];
    want.sort();
    assert_eq!(seen, want);

    let path = format!("{}?watch=true&resourceVersion={}", at("*", lcs), rv(&all));
    let mut watch = Watch::open(&masters, &path).await.expect("a wildcard watch");
    post(&admin, &at(&b_path, WORKSPACES), workspace("c"))
        .await
        .ok(201);
    let c_path = format!("{b_path}:c");
    let added = watch
        .until(|e| {
            e["type"] == "ADDED" && e["object"]["metadata"]["annotations"]["kcp.io/path"] == c_path.as_str()
        })
        .await;
    assert_eq!(added["object"]["metadata"]["name"], "cluster");
}
