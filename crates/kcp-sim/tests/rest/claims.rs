//! Custom WorkspaceTypes with default APIBindings, and an export's permission claims served
//! through its view, as kcp v0.32's `workspacetypeexists` admission, `apibinder` initializer,
//! apiexport virtual workspace and its binding authorizer do (kcp multicluster-provider's
//! `examples/apiexport` set-up, by REST).

use super::*;

const TYPES: &str = "apis/tenancy.kcp.io/v1alpha1/workspacetypes";

fn claiming_export() -> Value {
    json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": "claims.test"},
           "spec": {"latestResourceSchemas": [], "permissionClaims": [
               {"group": "", "resource": "configmaps", "all": true},
               {"group": "", "resource": "events", "all": true}]}})
}

fn workspace_type(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "WorkspaceType", "metadata": {"name": name}, "spec": spec})
}

fn typed_workspace(name: &str, type_name: &str) -> Value {
    json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name},
           "spec": {"type": {"name": type_name, "path": "root"}}})
}

fn v0_32() -> Option<kcp_sim::SimServer> {
    sim_only(
        "kcp-sim's --kcp-version 0.32 (WorkspaceTypes and claims as kcp v0.32.3's source has them)",
        SimConfig {
            kcp_version: kcp_sim::KcpVersion::V0_32,
            ..fast()
        },
    )
}

fn binding_names(sim: &kcp_sim::SimServer, path: &str) -> Vec<String> {
    let mut names: Vec<String> = KcpServer::list(sim, path, AV, "apibindings")
        .iter()
        .map(|b| b["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

/// root exports `claims.test` (claiming configmaps and events) and has a WorkspaceType whose
/// default binding binds it; `root:c1` is of that type, `root:c2` binds the export by hand
/// without accepting its claims. Returns the IDs of c1 and c2.
async fn claims_set_up(sim: &kcp_sim::SimServer, admin: &kube::Client) -> (String, String) {
    post(
        admin,
        &at("root", &format!("{APIS}/apiexports")),
        claiming_export(),
    )
    .await
    .ok(201);
    let spec = json!({"defaultAPIBindings": [{"export": "claims.test", "path": "root"}],
                      "extend": {"with": [{"name": "universal", "path": "root"}]}});
    post(admin, &at("root", TYPES), workspace_type("claimer", spec))
        .await
        .ok(201);
    post(admin, &at("root", WORKSPACES), typed_workspace("c1", "claimer"))
        .await
        .ok(201);
    let c1 = wait_object(sim, "root", "tenancy.kcp.io/v1alpha1", "workspaces", "c1", |w| {
        w["status"]["phase"] == "Ready"
    });
    let c2 = ready_workspace(sim, "root", "c2");
    post(
        admin,
        &at("root:c2", &format!("{APIS}/apibindings")),
        binding("claims", "root", "claims.test"),
    )
    .await
    .ok(201);
    wait_bound(sim, "root:c2", "claims");
    (c1["spec"]["cluster"].as_str().expect("an ID").to_string(), c2)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_workspace_type_binds_its_defaults_and_those_it_extends() {
    let Some(sim) = v0_32() else {
        return;
    };
    let admin = client(&sim, "root").await;
    wait_bound(&sim, "root", "tenancy.kcp.io");
    let refused = post(&admin, &at("root", WORKSPACES), typed_workspace("x", "nope")).await;
    refused.fails(403, "Forbidden");
    assert!(
        refused
            .message()
            .ends_with("WorkspaceType root:nope does not exist"),
        "{}",
        refused.message()
    );
    let (_, _) = claims_set_up(&sim, &admin).await;
    // The type's own default and universal's (kcp v0.28+: tenancy.kcp.io, topology.kcp.io),
    // all Bound before the workspace was Ready; the claims accepted, as kcp's initializer does.
    let names = binding_names(&sim, "root:c1");
    let prefixes: Vec<&str> = names.iter().map(|n| &n[..n.len() - 6]).collect();
    assert_eq!(
        prefixes,
        ["claims.test", "tenancy.kcp.io", "topology.kcp.io"],
        "{names:?}"
    );
    let claims = KcpServer::get(&sim, "root:c1", AV, "apibindings", &names[0]).expect("the binding");
    assert_eq!(claims["status"]["phase"], "Bound");
    assert_eq!(
        claims["spec"]["permissionClaims"],
        json!([{"resource": "configmaps", "all": true, "state": "Accepted"},
               {"resource": "events", "all": true, "state": "Accepted"}])
    );

    // A type may limit its parents.
    let spec = json!({"limitAllowedParents": {"types": [{"name": "team", "path": "root"}]}});
    post(&admin, &at("root", TYPES), workspace_type("picky", spec))
        .await
        .ok(201);
    let refused = post(&admin, &at("root", WORKSPACES), typed_workspace("p", "picky")).await;
    refused.fails(403, "Forbidden");
    assert!(refused.message().contains("only allows"), "{}", refused.message());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepted_claims_are_served_through_the_view() {
    let Some(sim) = v0_32() else {
        return;
    };
    let admin = client(&sim, "root").await;
    wait_bound(&sim, "root", "tenancy.kcp.io");
    let (c1, c2) = claims_set_up(&sim, &admin).await;
    for path in ["root:c1", "root:c2"] {
        wait_for(&sim, "the default namespace", |s| {
            s.get(path, "v1", "namespaces", "default").is_some()
        });
        let cms = at(path, "api/v1/namespaces/default/configmaps");
        post(&admin, &cms, configmap(&format!("in-{}", &path[5..]), json!({})))
            .await
            .ok(201);
    }
    let view = "/services/apiexport/root/claims.test/clusters";

    // Discovery lists what is claimed (events in both groups) beside the view's APIBindings.
    let core = get(&admin, &format!("{view}/*/api/v1")).await.ok(200);
    let served: BTreeSet<&str> = core["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(served, BTreeSet::from(["configmaps", "events"]), "{core}");
    get(&admin, &format!("{view}/*/apis/events.k8s.io/v1"))
        .await
        .ok(200);

    // Across consumers: only c1's, whose binding accepts the claim.
    let all = get(&admin, &format!("{view}/*/api/v1/configmaps")).await.ok(200);
    assert_eq!(item_names(&all), ["in-c1"], "{all}");
    // A consumer's own: readable and writable when accepted, 403 otherwise (kcp's binding
    // authorizer).
    let c1_cms = format!("{view}/{c1}/api/v1/namespaces/default/configmaps");
    get(&admin, &format!("{c1_cms}/in-c1")).await.ok(200);
    post(&admin, &c1_cms, configmap("made-by-provider", json!({})))
        .await
        .ok(201);
    let denied = get(
        &admin,
        &format!("{view}/{c2}/api/v1/namespaces/default/configmaps/in-c2"),
    )
    .await;
    denied.fails(403, "Forbidden");
    assert!(
        denied
            .message()
            .ends_with("failed to find suitable reason to allow access in APIBinding"),
        "{}",
        denied.message()
    );
    // Events, as controller-runtime's recorder writes them (events.k8s.io/v1).
    let event = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
        "metadata": {"name": "in-c1.1", "namespace": "default"},
        "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "test", "reportingInstance": "test",
        "action": "Reconciled", "reason": "normal", "type": "Normal",
        "regarding": {"kind": "ConfigMap", "namespace": "default", "name": "in-c1"}});
    post(
        &admin,
        &format!("{view}/{c1}/apis/events.k8s.io/v1/namespaces/default/events"),
        event,
    )
    .await
    .ok(201);

    // A watch across consumers sees c1's new ConfigMaps.
    let mut w = Watch::open(&admin, &format!("{view}/*/api/v1/configmaps?watch=true"))
        .await
        .expect("a watch");
    let seen: Vec<Value> = vec![w.next().await.unwrap(), w.next().await.unwrap()];
    assert_eq!(
        names(&seen),
        [
            ("ADDED".to_string(), "in-c1".to_string()),
            ("ADDED".to_string(), "made-by-provider".to_string())
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1alpha2_bindings_and_exports_convert_claims_as_kcp() {
    let Some(sim) = v0_32() else {
        return;
    };
    let admin = client(&sim, "root").await;
    wait_bound(&sim, "root", "tenancy.kcp.io");
    let (c1, _) = claims_set_up(&sim, &admin).await;
    let v2 = "apis/apis.kcp.io/v1alpha2";
    let group = get(&admin, "/clusters/root/apis/apis.kcp.io").await.ok(200);
    assert_eq!(group["preferredVersion"]["version"], "v1alpha2", "{group}");

    // Written as v1alpha1 (`all: true`), read as v1alpha2: verbs ["*"], selector matchAll.
    let bindings = get(&admin, &at("root:c1", &format!("{v2}/apibindings")))
        .await
        .ok(200);
    let claimed = bindings["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["spec"]["reference"]["export"]["name"] == "claims.test")
        .expect("the default binding")
        .clone();
    assert_eq!(claimed["apiVersion"], "apis.kcp.io/v1alpha2");
    assert_eq!(
        claimed["spec"]["permissionClaims"],
        json!([{"resource": "configmaps", "verbs": ["*"], "selector": {"matchAll": true}, "state": "Accepted"},
               {"resource": "events", "verbs": ["*"], "selector": {"matchAll": true}, "state": "Accepted"}])
    );
    let export = get(&admin, &at("root", &format!("{v2}/apiexports/claims.test")))
        .await
        .ok(200);
    assert_eq!(
        export["spec"]["permissionClaims"],
        json!([{"resource": "configmaps", "verbs": ["*"]}, {"resource": "events", "verbs": ["*"]}])
    );
    assert!(
        export["metadata"]["annotations"]["apis.v1alpha2.kcp.io/v1alpha1-permission-claims"].is_string(),
        "kcp keeps the v1alpha1 claims for the way back: {export}"
    );
    // The view serves its APIBindings in both versions.
    let view = format!("/services/apiexport/root/claims.test/clusters/{c1}");
    get(&admin, &format!("{view}/{v2}/apibindings")).await.ok(200);
    get(&admin, &format!("{view}/{APIS}/apibindings")).await.ok(200);

    // Written as v1alpha2 with verbs v1alpha1 cannot say: kept in an annotation.
    let written = json!({"apiVersion": "apis.kcp.io/v1alpha2", "kind": "APIExport", "metadata": {"name": "narrow"},
        "spec": {"permissionClaims": [{"group": "", "resource": "configmaps", "verbs": ["get", "list"]}]}});
    post(&admin, &at("root", &format!("{v2}/apiexports")), written)
        .await
        .ok(201);
    let v1 = get(&admin, &at("root", &format!("{APIS}/apiexports/narrow")))
        .await
        .ok(200);
    assert_eq!(
        v1["spec"]["permissionClaims"],
        json!([{"resource": "configmaps"}]),
        "{v1}"
    );
    let kept: Value = serde_json::from_str(
        v1["metadata"]["annotations"]["apis.v1alpha2.kcp.io/permission-claims"]
            .as_str()
            .expect("the verbs kept"),
    )
    .unwrap();
    assert_eq!(kept[0]["verbs"], json!(["get", "list"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kcp_v0_11_serves_no_v1alpha2_bindings() {
    let server = Server::start(fast());
    let admin = client(&server, "root").await;
    let reply = get(
        &admin,
        &at(server.home(), "apis/apis.kcp.io/v1alpha2/apibindings"),
    )
    .await;
    not_served(&server, &reply);
}
