//! WatchList (`sendInitialEvents`), as client-go v0.35+ informers ask for it, per kcp
//! generation: kcp v0.11 (Kubernetes 1.24) refuses the request's `resourceVersionMatch` (422),
//! so client-go falls back to list and watch; kcp v0.32 (Kubernetes 1.36, WatchList on) streams
//! the initial events and a BOOKMARK annotated `k8s.io/initial-events-end`.

use super::*;

/// The request a client-go v0.36 reflector makes first.
const WATCH_LIST: &str =
    "watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kcp_v0_11_refuses_watch_list_so_client_go_lists() {
    let server = Server::start(fast());
    let admin = client(&server, "root").await;
    let cms = at(server.home(), "api/v1/namespaces/default/configmaps");
    wait_for(&server, "the default namespace", |s| {
        s.get(server.home(), "v1", "namespaces", "default").is_some()
    });
    post(&admin, &cms, configmap("one", json!({}))).await.ok(201);

    // Kubernetes 1.24's ValidateListOptions: resourceVersionMatch on a watch is forbidden, and
    // without a resourceVersion too; sendInitialEvents is a parameter it does not know.
    let refused = Watch::open(&admin, &format!("{cms}?{WATCH_LIST}"))
        .await
        .err()
        .expect("422");
    refused.fails(422, "Invalid");
    assert_eq!(
        refused.message(),
        "ListOptions.meta.k8s.io \"\" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch, resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided]"
    );
    // sendInitialEvents alone is ignored: the watch of old, ADDED for what exists.
    let mut ignored = Watch::open(&admin, &format!("{cms}?watch=true&sendInitialEvents=true"))
        .await
        .expect("a watch");
    // kcp's root CA publisher may have put kube-root-ca.crt in the namespace meanwhile.
    let mut first = ignored.next().await.expect("an event");
    if names(std::slice::from_ref(&first))[0].1 == "kube-root-ca.crt" {
        first = ignored.next().await.expect("another event");
    }
    assert_eq!(names(&[first]), [("ADDED".to_string(), "one".to_string())]);
}

fn v0_32() -> Option<kcp_sim::SimServer> {
    sim_only(
        "kcp-sim's --kcp-version 0.32 (Kubernetes 1.36's WatchList; the real tier runs v0.11)",
        SimConfig {
            kcp_version: kcp_sim::KcpVersion::V0_32,
            bookmark_interval: Duration::from_secs(3600),
            ..fast()
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kcp_v0_32_streams_initial_events_then_the_end_bookmark() {
    let Some(sim) = v0_32() else {
        return;
    };
    let admin = client(&sim, "root").await;
    let cms = at("root", "api/v1/namespaces/default/configmaps");
    wait_for(&sim, "the default namespace", |s| {
        s.get("root", "v1", "namespaces", "default").is_some()
    });
    for name in ["one", "two"] {
        post(&admin, &cms, configmap(name, json!({}))).await.ok(201);
    }
    let current = rv(&get(&admin, &cms).await.ok(200));

    let mut w = Watch::open(&admin, &format!("{cms}?{WATCH_LIST}"))
        .await
        .expect("a watch list");
    let mut initial = Vec::new();
    let end = loop {
        let e = w.next().await.expect("an event");
        if e["type"] == "BOOKMARK" {
            break e;
        }
        initial.push(e);
    };
    assert_eq!(
        names(&initial),
        [
            ("ADDED".to_string(), "one".to_string()),
            ("ADDED".to_string(), "two".to_string())
        ]
    );
    assert_eq!(end["object"]["kind"], "ConfigMap");
    assert_eq!(
        end["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"],
        "true"
    );
    assert_eq!(
        end["object"]["metadata"]["resourceVersion"],
        current.as_str(),
        "{end}"
    );
    // Then the watch goes on.
    post(&admin, &cms, configmap("three", json!({}))).await.ok(201);
    let later = w.until(|e| e["type"] != "BOOKMARK").await;
    assert_eq!(names(&[later]), [("ADDED".to_string(), "three".to_string())]);

    // Through an export's view too (kcp forwards the options to the shard): the view's own
    // APIBindings, across consumers (root binds kcp's tenancy.kcp.io).
    wait_object(&sim, "root", AV, "apiexports", "tenancy.kcp.io", |e| {
        e["status"]["identityHash"].is_string()
    });
    wait_bound(&sim, "root", "tenancy.kcp.io");
    let view = "/services/apiexport/root/tenancy.kcp.io/clusters/*";
    let mut w = Watch::open(&admin, &format!("{view}/{APIS}/apibindings?{WATCH_LIST}"))
        .await
        .expect("a watch list through the view");
    let e = w.next().await.expect("an event");
    assert_eq!(e["type"], "ADDED", "{e}");
    let end = w.until(|e| e["type"] == "BOOKMARK").await;
    assert_eq!(
        end["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"],
        "true"
    );

    // sendInitialEvents=false: only what changes from now on.
    let mut w = Watch::open(
        &admin,
        &format!("{cms}?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan"),
    )
    .await
    .expect("a watch from now");
    post(&admin, &cms, configmap("four", json!({}))).await.ok(201);
    let e = w.next().await.expect("an event");
    assert_eq!(names(&[e]), [("ADDED".to_string(), "four".to_string())]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kcp_v0_32_checks_watch_list_options_as_kubernetes_1_36() {
    let Some(sim) = v0_32() else {
        return;
    };
    let admin = client(&sim, "root").await;
    let cms = at("root", "api/v1/configmaps");
    let refused = Watch::open(&admin, &format!("{cms}?watch=true&sendInitialEvents=true"))
        .await
        .err()
        .expect("422");
    refused.fails(422, "Invalid");
    assert_eq!(
        refused.message(),
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
    );
    let refused = Watch::open(
        &admin,
        &format!("{cms}?watch=true&resourceVersionMatch=NotOlderThan"),
    )
    .await
    .err()
    .expect("422");
    assert_eq!(
        refused.message(),
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
    );
    let list = get(&admin, &format!("{cms}?sendInitialEvents=true")).await;
    list.fails(422, "Invalid");
    assert_eq!(
        list.message(),
        "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"
    );
}
