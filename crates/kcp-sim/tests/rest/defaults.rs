//! kcp v0.11's default APIBindings (`SimConfig::default_api_bindings`): root's exports of
//! kcp's own APIs, and a new workspace that binds five of them before it is Ready.

use super::*;

const ROOT_EXPORTS: [&str; 6] = [
    "apiresource.kcp.io",
    "scheduling.kcp.io",
    "shards.core.kcp.io",
    "tenancy.kcp.io",
    "topology.kcp.io",
    "workload.kcp.io",
];

/// What `root:universal`'s `spec.defaultAPIBindings` names, sorted.
const DEFAULTS: [&str; 5] = [
    "apiresource.kcp.io",
    "scheduling.kcp.io",
    "tenancy.kcp.io",
    "topology.kcp.io",
    "workload.kcp.io",
];

/// `(export, Bound)` of each binding in a workspace, checking kcp's names `<export>-xxxxx`.
async fn default_bindings(client: &kube::Client, path: &str) -> Vec<(String, bool)> {
    let list = get(client, &at(path, &format!("{APIS}/apibindings")))
        .await
        .ok(200);
    let mut out: Vec<(String, bool)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let name = b["metadata"]["name"].as_str().unwrap();
            let export = b["spec"]["reference"]["export"]["name"].as_str().unwrap();
            assert_eq!(b["spec"]["reference"]["export"]["path"], "root", "{b}");
            let suffix = name
                .strip_prefix(&format!("{export}-"))
                .unwrap_or_else(|| panic!("{name} is not {export}-<suffix>"));
            assert!(
                suffix.len() == 5
                    && suffix
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                "{name}"
            );
            (
                export.to_string(),
                b["status"]["phase"] == "Bound" && b["status"]["apiExportClusterName"] == "root",
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_workspace_binds_kcp_s_apis_before_it_is_ready() {
    let sim = start(SimConfig {
        default_api_bindings: true,
        ..fast()
    });
    let admin = client(&sim, "root").await;

    // root exports kcp's own APIs and binds them, each binding named after its export.
    let exports = get(&admin, &at("root", &format!("{APIS}/apiexports")))
        .await
        .ok(200);
    assert_eq!(item_names(&exports), ROOT_EXPORTS);
    for export in ROOT_EXPORTS {
        let bound = wait_bound(&sim, "root", export);
        assert_eq!(
            bound["spec"]["reference"]["export"],
            json!({"path": "root", "name": export})
        );
    }
    let schemas = get(&admin, &at("root", &format!("{APIS}/apiresourceschemas")))
        .await
        .ok(200);
    assert!(
        item_names(&schemas).contains(&"v230109-773b219c.synctargets.workload.kcp.io".to_string()),
        "{:?}",
        item_names(&schemas)
    );

    // A new organization goes through both initializers: root:universal first, then
    // system:apibindings once its default bindings are Bound.
    let workspaces = at("root", WORKSPACES);
    let from = rv(&get(&admin, &workspaces).await.ok(200));
    let mut watch = Watch::open(&admin, &format!("{workspaces}?watch=true&resourceVersion={from}"))
        .await
        .expect("a watch");
    post(&admin, &workspaces, workspace("org")).await.ok(201);
    let mut seen: Vec<(String, Value)> = Vec::new();
    loop {
        let e = watch.next().await.expect("open");
        // root:compute, which kcp makes at start, may still be on its way.
        if e["object"]["metadata"]["name"] != "org" {
            continue;
        }
        let (phase, initializers) = (
            e["object"]["status"]["phase"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            e["object"]["status"]["initializers"].clone(),
        );
        if seen.last() != Some(&(phase.clone(), initializers.clone())) {
            seen.push((phase.clone(), initializers));
        }
        if phase == "Ready" {
            break;
        }
    }
    let initializing: Vec<&Value> = seen
        .iter()
        .filter(|(p, _)| p == "Initializing")
        .map(|(_, i)| i)
        .collect();
    assert_eq!(
        initializing,
        [
            &json!(["root:universal", "system:apibindings"]),
            &json!(["system:apibindings"])
        ],
        "{seen:?}"
    );
    assert_eq!(seen.last().unwrap().1, json!([]));
    let expected: Vec<(String, bool)> = DEFAULTS.iter().map(|e| (e.to_string(), true)).collect();
    assert_eq!(
        default_bindings(&admin, "root:org").await,
        expected,
        "Ready once all five are Bound"
    );

    // What a client sees there: TMC's SyncTargets are served; Workspaces are listed once.
    let workload = get(&admin, &at("root:org", "apis/workload.kcp.io/v1alpha1"))
        .await
        .ok(200);
    let resources: Vec<&str> = workload["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(resources.contains(&"synctargets"), "{resources:?}");
    let tenancy = get(&admin, &at("root:org", "apis/tenancy.kcp.io/v1alpha1"))
        .await
        .ok(200);
    let workspaces_listed = tenancy["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "workspaces")
        .count();
    assert_eq!(workspaces_listed, 1);
    get(
        &admin,
        &at("root:org", "apis/workload.kcp.io/v1alpha1/synctargets"),
    )
    .await
    .ok(200);

    // A universal workspace below gets the same five.
    ready_workspace(&sim, "root:org", "u");
    assert_eq!(default_bindings(&admin, "root:org:u").await, expected);

    // Deleting a workspace deletes its default bindings with it.
    delete(&admin, &format!("{}/u", at("root:org", WORKSPACES)))
        .await
        .ok(200);
    wait_for(&sim, "root:org:u to go", |s| {
        s.get("root:org", "tenancy.kcp.io/v1alpha1", "workspaces", "u")
            .is_none()
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_switch_there_are_no_default_bindings() {
    let sim = start(SimConfig {
        default_api_bindings: false,
        ..fast()
    });
    ready_workspace(&sim, "root", "plain");
    let admin = client(&sim, "root").await;
    for path in ["root", "root:plain"] {
        let list = get(&admin, &at(path, &format!("{APIS}/apibindings")))
            .await
            .ok(200);
        assert_eq!(item_names(&list), Vec::<String>::new(), "{path}");
    }
    let exports = get(&admin, &at("root", &format!("{APIS}/apiexports")))
        .await
        .ok(200);
    assert_eq!(item_names(&exports), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_kcp_v0_28_the_defaults_are_tenancy_and_topology() {
    // Checked on a real kcp v0.28.0: no TMC; root exports cache.kcp.io but does not bind it.
    let sim = start(SimConfig {
        default_api_bindings: true,
        kcp_version: kcp_sim::KcpVersion::V0_32,
        ..fast()
    });
    let admin = client(&sim, "root").await;
    let exports = get(&admin, &at("root", "apis/apis.kcp.io/v1alpha2/apiexports"))
        .await
        .ok(200);
    assert_eq!(
        item_names(&exports),
        [
            "cache.kcp.io",
            "shards.core.kcp.io",
            "tenancy.kcp.io",
            "topology.kcp.io"
        ]
    );
    for export in ["shards.core.kcp.io", "tenancy.kcp.io", "topology.kcp.io"] {
        wait_bound(&sim, "root", export);
    }
    ready_workspace(&sim, "root", "org");
    assert_eq!(
        default_bindings(&admin, "root:org").await,
        [
            ("tenancy.kcp.io".to_string(), true),
            ("topology.kcp.io".to_string(), true)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_compute_exports_kubernetes_and_a_binding_serves_deployments() {
    let sim = start(SimConfig {
        default_api_bindings: true,
        root_compute: true,
        ..fast()
    });
    let admin = client(&sim, "root").await;
    // kcp v0.11's root-compute-workspace battery: root:compute with the `kubernetes` export.
    wait_for(&sim, "root:compute's kubernetes export", |s| {
        s.get("root:compute", "apis.kcp.io/v1alpha1", "apiexports", "kubernetes")
            .is_some_and(|e| e["status"]["identityHash"].is_string())
    });
    let export = get(
        &admin,
        &at("root:compute", &format!("{APIS}/apiexports/kubernetes")),
    )
    .await
    .ok(200);
    assert_eq!(
        export["spec"]["latestResourceSchemas"],
        json!([
            "v124.ingresses.networking.k8s.io",
            "v124.services.core",
            "v124.deployments.apps",
            "v124.pods.core"
        ])
    );

    ready_workspace(&sim, "root", "wmw");
    let binding = json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-kubernetes"},
                         "spec": {"reference": {"export": {"path": "root:compute", "name": "kubernetes"}}}});
    post(&admin, &at("root:wmw", &format!("{APIS}/apibindings")), binding)
        .await
        .ok(201);
    wait_bound(&sim, "root:wmw", "bind-kubernetes");
    let apps = get(&admin, &at("root:wmw", "apis/apps/v1")).await.ok(200);
    let deployments = &apps["resources"].as_array().unwrap()[0];
    assert_eq!(deployments["name"], "deployments");
    assert_eq!(deployments["shortNames"], json!(["deploy"]));
    let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "default"},
                            "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}});
    post(
        &admin,
        &at("root:wmw", "apis/apps/v1/namespaces/default/deployments"),
        deployment,
    )
    .await
    .ok(201);
    // Core-group resources of the export are served under /api/v1.
    let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "default"}, "spec": {"ports": [{"port": 80}]}});
    post(
        &admin,
        &at("root:wmw", "api/v1/namespaces/default/services"),
        service,
    )
    .await
    .ok(201);
    get(&admin, &at("root:wmw", "api/v1/namespaces/default/services/s"))
        .await
        .ok(200);
}
