//! kcp-sim driven by a Rust client (kube over the real TLS path), asserting exact status codes
//! and Status reasons.

mod common;

use common::*;
use kcp_sim::{Faults, SimConfig};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

fn rv(object: &Value) -> String {
    object["metadata"]["resourceVersion"]
        .as_str()
        .expect("a resourceVersion")
        .to_string()
}

fn item_names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn condition<'a>(object: &'a Value, type_: &str) -> &'a Value {
    object["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == type_))
        .unwrap_or(&Value::Null)
}

// -----------------------------------------------------------------------------------------
// Workspaces

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_lifecycle_and_admission() {
    let sim = start(fast());
    let admin = client(&sim, "root").await;
    let in_root = at("root", WORKSPACES);

    let created = post(&admin, &in_root, workspace("life")).await.ok(201);
    assert_eq!(created["status"]["phase"], "Scheduling");
    assert_eq!(
        created["metadata"]["labels"]["tenancy.kcp.io/phase"],
        "Scheduling"
    );
    assert!(
        created["spec"]["cluster"].as_str().unwrap_or("").is_empty(),
        "{created}"
    );
    assert!(
        created["spec"]["URL"].as_str().unwrap_or("").is_empty(),
        "{created}"
    );
    assert_eq!(
        created["spec"]["type"],
        json!({"name": "organization", "path": "root"})
    );
    assert_eq!(cluster_of(&created), "root");

    // Follow it from its creation: Scheduling → Initializing → Ready, the label in step.
    let path = format!(
        "{in_root}?watch=true&resourceVersion={}&fieldSelector=metadata.name%3Dlife",
        rv(&created)
    );
    let mut watch = Watch::open(&admin, &path).await.expect("a watch");
    let mut phases = Vec::new();
    let ready = loop {
        let event = watch.next().await.expect("the watch stays open");
        assert_eq!(event["type"], "MODIFIED", "{event}");
        let ws = event["object"].clone();
        let phase = ws["status"]["phase"].as_str().unwrap_or_default().to_string();
        assert_eq!(
            ws["metadata"]["labels"]["tenancy.kcp.io/phase"],
            json!(phase),
            "the label mirrors the phase"
        );
        if phases.last() != Some(&phase) {
            phases.push(phase.clone());
        }
        if phase == "Ready" {
            break ws;
        }
    };
    assert_eq!(phases, ["Initializing", "Ready"]);
    let id = ready["spec"]["cluster"]
        .as_str()
        .expect("spec.cluster once scheduled")
        .to_string();
    assert_eq!(id.len(), 16, "{id}");
    assert!(
        id.chars().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()),
        "{id} is base36"
    );
    assert_eq!(
        ready["spec"]["URL"],
        json!(format!("{}/clusters/{id}", sim.url()))
    );
    assert!(
        ready["metadata"]["finalizers"]
            .as_array()
            .unwrap()
            .contains(&json!("core.kcp.io/logicalcluster"))
    );
    assert_eq!(condition(&ready, "WorkspaceScheduled")["status"], "True");
    assert_eq!(condition(&ready, "WorkspaceInitialized")["status"], "True");

    // Its LogicalCluster, by path and by ID.
    for p in ["root:life", id.as_str()] {
        let lc = get(
            &admin,
            &at(p, "apis/core.kcp.io/v1alpha1/logicalclusters/cluster"),
        )
        .await
        .ok(200);
        assert_eq!(cluster_of(&lc), id);
        assert_eq!(lc["metadata"]["annotations"]["kcp.io/path"], "root:life");
        assert_eq!(lc["status"]["phase"], "Ready");
    }

    // Below an organization the default type is universal; team is allowed, organization not.
    let kid = post(&admin, &at("root:life", WORKSPACES), workspace("kid"))
        .await
        .ok(201);
    assert_eq!(kid["spec"]["type"], json!({"name": "universal", "path": "root"}));
    assert_eq!(cluster_of(&kid), id);
    let mut team = workspace("team");
    team["spec"] = json!({"type": {"name": "team"}});
    let team = post(&admin, &at("root:life", WORKSPACES), team).await.ok(201);
    assert_eq!(team["spec"]["type"], json!({"name": "team", "path": "root"}));
    let mut org = workspace("org");
    org["spec"] = json!({"type": {"name": "organization", "path": "root"}});
    post(&admin, &at("root:life", WORKSPACES), org)
        .await
        .fails(403, "Forbidden");
    let mut unknown = workspace("unknown");
    unknown["spec"] = json!({"type": {"name": "nosuchtype"}});
    post(&admin, &in_root, unknown).await.fails(403, "Forbidden");

    // Names: lowercase DNS labels of at most 63 characters, no dots.
    for bad in ["Upper", "dotted.name", "-dash", "dash-", &"a".repeat(64)] {
        let reply = post(&admin, &in_root, workspace(bad)).await;
        reply.fails(422, "Invalid");
        assert!(reply.message().contains("metadata.name"), "{}", reply.body);
    }
    post(&admin, &in_root, workspace(&"a".repeat(63))).await.ok(201);

    // spec.type is immutable.
    let life = at("root", &format!("{WORKSPACES}/life"));
    let reply = patch(
        &admin,
        &life,
        "application/merge-patch+json",
        json!({"spec": {"type": {"name": "team"}}}),
    )
    .await;
    reply.fails(422, "Invalid");
    assert!(reply.message().contains("immutable"), "{}", reply.body);
    // Only system:masters may set spec.cluster or spec.URL.
    let mut sneaky = workspace("sneaky");
    sneaky["spec"] = json!({"cluster": "abcdefghijklmnop"});
    post(&admin, &in_root, sneaky).await.fails(403, "Forbidden");
    let url = json!({"spec": {"URL": "https://elsewhere/clusters/x"}});
    patch(&admin, &life, "application/merge-patch+json", url)
        .await
        .fails(403, "Forbidden");
    // ... while labels are the user's to change.
    let labelled = patch(
        &admin,
        &life,
        "application/merge-patch+json",
        json!({"metadata": {"labels": {"a": "b"}}}),
    )
    .await
    .ok(200);
    assert_eq!(labelled["metadata"]["labels"]["a"], "b");
    assert_eq!(labelled["metadata"]["labels"]["tenancy.kcp.io/phase"], "Ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_deletion_removes_the_logical_cluster_and_its_content() {
    let sim = start(SimConfig {
        delete_delay: Duration::from_millis(500),
        ..fast()
    });
    let doomed = ready_workspace(&sim, "root", "doomed");
    let kid = ready_workspace(&sim, "root:doomed", "kid");
    let admin = client(&sim, "root").await;
    let masters = client(&sim, "system:admin").await;
    for p in ["root:doomed", "root:doomed:kid"] {
        post(
            &admin,
            &at(p, "api/v1/namespaces/default/configmaps"),
            configmap("content", json!({})),
        )
        .await
        .ok(201);
    }

    let url = at("root", &format!("{WORKSPACES}/doomed"));
    let deleting = delete(&admin, &url).await.ok(200);
    assert!(
        deleting["metadata"]["deletionTimestamp"].is_string(),
        "{deleting}"
    );
    assert!(
        deleting["metadata"]["finalizers"]
            .as_array()
            .unwrap()
            .contains(&json!("core.kcp.io/logicalcluster"))
    );
    assert_eq!(deleting["metadata"]["labels"]["tenancy.kcp.io/phase"], "Deleting");
    assert_eq!(
        deleting["status"]["phase"], "Ready",
        "v0.11 has no Terminating phase"
    );
    let still = get(&admin, &url).await.ok(200);
    assert!(still["metadata"]["deletionTimestamp"].is_string());
    // A second DELETE is answered with the object as it is.
    assert!(delete(&admin, &url).await.ok(200)["metadata"]["deletionTimestamp"].is_string());

    let path = format!(
        "{}?watch=true&resourceVersion={}&fieldSelector=metadata.name%3Ddoomed",
        at("root", WORKSPACES),
        rv(&deleting)
    );
    let mut watch = Watch::open(&admin, &path).await.expect("a watch");
    watch.until(|e| e["type"] == "DELETED").await;
    get(&admin, &url).await.fails(404, "NotFound");

    // The logical clusters are gone, by path and by ID.
    for p in ["root:doomed", doomed.as_str(), "root:doomed:kid", kid.as_str()] {
        get(&admin, &at(p, "api/v1/namespaces/default/configmaps"))
            .await
            .fails(403, "Forbidden");
    }
    // ... and so is everything that was stored in them.
    for resource in [
        "api/v1/configmaps",
        "api/v1/namespaces",
        WORKSPACES,
        "apis/core.kcp.io/v1alpha1/logicalclusters",
    ] {
        let all = get(&masters, &at("*", resource)).await.ok(200);
        for item in all["items"].as_array().unwrap() {
            assert!(
                ![doomed.as_str(), kid.as_str()].contains(&cluster_of(item)),
                "{resource}: {item} survived"
            );
            assert_ne!(item["metadata"]["name"], "kid", "{resource}: {item} survived");
        }
    }
}

fn named<'a>(items: &'a [Value], name: &str) -> Option<&'a Value> {
    items.iter().find(|i| i["metadata"]["name"] == name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_is_deleted_only_once_its_content_is() {
    let sim = start(fast());
    ready_workspace(&sim, "root", "held");
    ready_workspace(&sim, "root:held", "kid");
    let admin = client(&sim, "root").await;
    let cms = at("root:held", "api/v1/namespaces/default/configmaps");
    let mut held = configmap("held", json!({}));
    held["metadata"]["finalizers"] = json!(["example.com/hold"]);
    post(&admin, &cms, held).await.ok(201);
    post(&admin, &cms, configmap("loose", json!({}))).await.ok(201);

    let url = at("root", &format!("{WORKSPACES}/held"));
    delete(&admin, &url).await.ok(200);
    // The deletion controller's pass: what has no finalizer goes (the child workspace too,
    // its own content having none); what has one is marked and waited for.
    wait_for(&sim, "the first pass over the content", |s| {
        let cms = s.list("root:held", "v1", "configmaps");
        named(&cms, "held").is_some_and(|c| c["metadata"]["deletionTimestamp"].is_string())
            && named(&cms, "loose").is_none()
            && s.get("root:held", "tenancy.kcp.io/v1alpha1", "workspaces", "kid")
                .is_none()
    });
    // Meanwhile the workspace is served, deleting, and its content reachable.
    let ws = get(&admin, &url).await.ok(200);
    assert!(ws["metadata"]["deletionTimestamp"].is_string(), "{ws}");
    assert_eq!(ws["metadata"]["labels"]["tenancy.kcp.io/phase"], "Deleting");
    let cm = get(&admin, &format!("{cms}/held")).await.ok(200);
    assert!(cm["metadata"]["deletionTimestamp"].is_string(), "{cm}");
    // Its name is taken until it is gone.
    let again = post(&admin, &at("root", WORKSPACES), workspace("held")).await;
    again.fails(409, "AlreadyExists");
    assert!(
        again.message().starts_with("object is being deleted: "),
        "{}",
        again.body
    );

    // Released: the workspace goes, and the name is free again.
    let path = format!(
        "{}?watch=true&resourceVersion={}&fieldSelector=metadata.name%3Dheld",
        at("root", WORKSPACES),
        rv(&ws)
    );
    let mut watch = Watch::open(&admin, &path).await.expect("a watch");
    let release = json!({"metadata": {"finalizers": null}});
    patch(
        &admin,
        &format!("{cms}/held"),
        "application/merge-patch+json",
        release,
    )
    .await
    .ok(200);
    watch.until(|e| e["type"] == "DELETED").await;
    get(&admin, &cms).await.fails(403, "Forbidden");
    post(&admin, &at("root", WORKSPACES), workspace("held"))
        .await
        .ok(201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_binding_first_deletes_what_it_bound() {
    let sim = start(fast());
    ready_workspace(&sim, "root", "provider");
    ready_workspace(&sim, "root", "consumer");
    let admin = client(&sim, "root").await;
    for (resource, body) in [
        ("apiresourceschemas", widget_schema("v1.widgets.test.io")),
        ("apiexports", export("test.io", &["v1.widgets.test.io"])),
    ] {
        post(&admin, &at("root:provider", &format!("{APIS}/{resource}")), body)
            .await
            .ok(201);
    }
    wait_object(&sim, "root:provider", AV, "apiexports", "test.io", |e| {
        e["status"]["identityHash"].is_string()
    });
    let bindings = at("root:consumer", &format!("{APIS}/apibindings"));
    // kcp v0.11 looks up an export only outside the binding's own workspace and root: a
    // missing one there is a binding that stays unbound; a reference without an export is 422.
    let local = json!({"apiVersion": AV, "kind": "APIBinding", "metadata": {"name": "local"},
                       "spec": {"reference": {"export": {"name": "nowhere.io"}}}});
    let unbound = post(&admin, &bindings, local).await.ok(201);
    assert_eq!(
        unbound["metadata"]["finalizers"],
        json!(["apis.kcp.io/apibinding-finalizer"])
    );
    let invalid = wait_object(&sim, "root:consumer", AV, "apibindings", "local", |b| {
        condition(b, "APIExportValid")["status"] == "False"
    });
    assert_ne!(invalid["status"]["phase"], "Bound");
    let no_export = json!({"apiVersion": AV, "kind": "APIBinding", "metadata": {"name": "empty"},
                           "spec": {"reference": {}}});
    post(&admin, &bindings, no_export).await.fails(422, "Invalid");

    post(&admin, &bindings, binding("test", "root:provider", "test.io"))
        .await
        .ok(201);
    wait_bound(&sim, "root:consumer", "test");
    let widgets = at("root:consumer", "apis/test.io/v1/widgets");
    let mut held = widget("held", json!({"size": 1}));
    held["metadata"]["finalizers"] = json!(["example.com/hold"]);
    post(&admin, &widgets, held).await.ok(201);
    post(&admin, &widgets, widget("loose", json!({"size": 2})))
        .await
        .ok(201);

    let deleting = delete(&admin, &format!("{bindings}/test")).await.ok(200);
    assert!(
        deleting["metadata"]["deletionTimestamp"].is_string(),
        "{deleting}"
    );
    wait_for(&sim, "the binding's objects deleted or marked", |s| {
        let ws = s.list("root:consumer", "test.io/v1", "widgets");
        named(&ws, "held").is_some_and(|w| w["metadata"]["deletionTimestamp"].is_string())
            && named(&ws, "loose").is_none()
    });
    // It stays, and so does what it serves, until its objects are gone.
    let still = get(&admin, &format!("{bindings}/test")).await.ok(200);
    assert!(still["metadata"]["deletionTimestamp"].is_string(), "{still}");
    get(&admin, &format!("{widgets}/held")).await.ok(200);
    let release = json!({"metadata": {"finalizers": null}});
    patch(
        &admin,
        &format!("{widgets}/held"),
        "application/merge-patch+json",
        release,
    )
    .await
    .ok(200);
    get(&admin, &format!("{bindings}/test"))
        .await
        .fails(404, "NotFound");
    get(&admin, &widgets).await.fails(404, "NotFound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_deleted_while_scheduling_goes_at_once() {
    let sim = start(SimConfig {
        schedule_delay: Duration::from_secs(3600),
        ..fast()
    });
    let admin = client(&sim, "root").await;
    post(&admin, &at("root", WORKSPACES), workspace("early"))
        .await
        .ok(201);
    let url = at("root", &format!("{WORKSPACES}/early"));
    delete(&admin, &url).await.ok(200);
    get(&admin, &url).await.fails(404, "NotFound");
    // Not scheduled, so not in the path index.
    get(&admin, &at("root:early", "api/v1/namespaces"))
        .await
        .fails(403, "Forbidden");
}

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

// -----------------------------------------------------------------------------------------
// APIResourceSchemas, APIExports, APIBindings and the export's view

/// A cluster-scoped `widgets.test.io/v1` with a status subresource, a required field and a
/// default, to exercise validation of bound resources.
fn widget_schema(name: &str) -> Value {
    json!({
        "apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIResourceSchema",
        "metadata": {"name": name},
        "spec": {
            "group": "test.io",
            "names": {"kind": "Widget", "listKind": "WidgetList", "plural": "widgets", "singular": "widget"},
            "scope": "Cluster",
            "versions": [{
                "name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
                "schema": {
                    "type": "object",
                    "required": ["spec"],
                    "properties": {
                        "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
                        "spec": {"type": "object", "required": ["size"], "properties": {
                            "size": {"type": "integer"},
                            "color": {"type": "string", "default": "blue"},
                        }},
                        "status": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
                    },
                },
            }],
        },
    })
}

fn widget(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "test.io/v1", "kind": "Widget", "metadata": {"name": name}, "spec": spec})
}

fn export(name: &str, schemas: &[&str]) -> Value {
    json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": name},
           "spec": {"latestResourceSchemas": schemas}})
}

fn binding(name: &str, path: &str, export: &str) -> Value {
    json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": name},
           "spec": {"reference": {"export": {"path": path, "name": export}}}})
}

fn slice(name: &str, path: &str, export: &str) -> Value {
    json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExportEndpointSlice", "metadata": {"name": name},
           "spec": {"export": {"path": path, "name": export}}})
}

/// The path part of a URL on the simulator.
fn path_of<'a>(sim: &kcp_sim::SimServer, url: &'a str) -> &'a str {
    url.strip_prefix(sim.url())
        .unwrap_or_else(|| panic!("{url} is not on {}", sim.url()))
}

const AV: &str = "apis.kcp.io/v1alpha1";

fn wait_bound(sim: &kcp_sim::SimServer, path: &str, name: &str) -> Value {
    wait_object(sim, path, AV, "apibindings", name, |b| {
        b["status"]["phase"] == "Bound"
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemas_exports_bindings_and_validation() {
    let sim = start(fast());
    let provider = ready_workspace(&sim, "root", "provider");
    ready_workspace(&sim, "root", "consumer");
    ready_workspace(&sim, "root", "other");
    let admin = client(&sim, "root").await;

    // Schema names are <prefix>.<plural>.<group>; schemas are immutable.
    let schemas = at("root:provider", &format!("{APIS}/apiresourceschemas"));
    for bad in [
        "widgets.test.io",
        "v1.gadgets.test.io",
        "V1.widgets.test.io",
        "1x.widgets.test.io",
    ] {
        post(&admin, &schemas, widget_schema(bad))
            .await
            .fails(422, "Invalid");
    }
    post(&admin, &schemas, widget_schema("v1.widgets.test.io"))
        .await
        .ok(201);
    let one = format!("{schemas}/v1.widgets.test.io");
    let change = json!({"spec": {"names": {"shortNames": ["wd"]}}});
    patch(&admin, &one, "application/merge-patch+json", change)
        .await
        .fails(422, "Invalid");
    patch(
        &admin,
        &one,
        "application/merge-patch+json",
        json!({"metadata": {"labels": {"x": "y"}}}),
    )
    .await
    .ok(200);

    // The export gets an identity and its view URL; a slice gets the same URL.
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexports")),
        export("test.io", &["v1.widgets.test.io"]),
    )
    .await
    .ok(201);
    let exported = wait_object(&sim, "root:provider", AV, "apiexports", "test.io", |e| {
        e["status"]["identityHash"].is_string()
            && condition(e, "VirtualWorkspaceURLsReady")["status"] == "True"
    });
    let hash = exported["status"]["identityHash"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    assert!(
        hash.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{hash}"
    );
    assert_eq!(condition(&exported, "IdentityValid")["status"], "True");
    assert_eq!(
        exported["metadata"]["annotations"]["kcp.io/path"],
        "root:provider"
    );
    let view_url = format!("{}/services/apiexport/{provider}/test.io", sim.url());
    assert_eq!(
        exported["status"]["virtualWorkspaces"],
        json!([{"url": view_url}])
    );
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexportendpointslices")),
        slice("test.io", "root:provider", "test.io"),
    )
    .await
    .ok(201);
    let sliced = wait_object(
        &sim,
        "root:provider",
        AV,
        "apiexportendpointslices",
        "test.io",
        |s| s["status"]["endpoints"].as_array().is_some_and(|e| !e.is_empty()),
    );
    assert_eq!(sliced["status"]["endpoints"], json!([{"url": view_url}]));
    assert_eq!(condition(&sliced, "PartitionValid")["status"], "True");
    // The export's first reconcile names its identity Secret (kcp-system/<export>).
    let exported = sim.get("root:provider", AV, "apiexports", "test.io").unwrap();
    assert_eq!(
        exported["spec"]["identity"]["secretRef"],
        json!({"namespace": "kcp-system", "name": "test.io"})
    );
    // A slice of an export elsewhere that does not exist is refused, as a binding is; one in
    // its own workspace is made, and has no endpoints.
    let reply = post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexportendpointslices")),
        slice("orphan", "root:provider", "nope.io"),
    )
    .await;
    reply.fails(403, "Forbidden");
    assert!(
        reply.message().ends_with(
            "unable to create APIExportEndpointSlice: no permission to bind to export root:provider:nope.io"
        ),
        "{}",
        reply.body
    );
    let own = json!({"apiVersion": AV, "kind": "APIExportEndpointSlice", "metadata": {"name": "orphan"},
                     "spec": {"export": {"name": "nope.io"}}});
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexportendpointslices")),
        own,
    )
    .await
    .ok(201);
    let orphan = wait_object(
        &sim,
        "root:provider",
        AV,
        "apiexportendpointslices",
        "orphan",
        |s| condition(s, "APIExportValid")["status"] == "False",
    );
    assert!(orphan["status"].get("endpoints").is_none(), "{orphan}");

    // Binding needs an export that exists (and kcp does not say which part is missing).
    let bindings = at("root:consumer", &format!("{APIS}/apibindings"));
    post(&admin, &bindings, binding("nope", "root:provider", "nope.io"))
        .await
        .fails(403, "Forbidden");
    post(&admin, &bindings, binding("nope", "root:nowhere", "test.io"))
        .await
        .fails(403, "Forbidden");

    // Before the binding, widgets are not served.
    let widgets = at("root:consumer", "apis/test.io/v1/widgets");
    get(&admin, &widgets).await.fails(404, "NotFound");
    let created = post(&admin, &bindings, binding("test", "root:provider", "test.io"))
        .await
        .ok(201);
    assert!(
        created["metadata"]["labels"]["internal.apis.kcp.io/export"].is_string(),
        "{created}"
    );
    let bound = wait_bound(&sim, "root:consumer", "test");
    assert_eq!(bound["status"]["apiExportClusterName"], json!(provider));
    let schema_uid = sim
        .get("root:provider", AV, "apiresourceschemas", "v1.widgets.test.io")
        .unwrap()["metadata"]["uid"]
        .clone();
    assert_eq!(
        bound["status"]["boundResources"],
        json!([{"group": "test.io", "resource": "widgets", "storageVersions": ["v1"],
                "schema": {"name": "v1.widgets.test.io", "UID": schema_uid, "identityHash": hash}}])
    );
    assert_eq!(condition(&bound, "Ready")["status"], "True");
    // The reference cannot change.
    let moved = json!({"spec": {"reference": {"export": {"path": "root:provider", "name": "other"}}}});
    patch(
        &admin,
        &format!("{bindings}/test"),
        "application/merge-patch+json",
        moved,
    )
    .await
    .fails(422, "Invalid");

    // Discovery shows the bound group; the other workspace still does not serve it.
    let groups = get(&admin, &at("root:consumer", "apis")).await.ok(200);
    assert!(
        groups["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == "test.io"),
        "{groups}"
    );
    let resources = get(&admin, &at("root:consumer", "apis/test.io/v1")).await.ok(200);
    let served: Vec<&str> = resources["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(served, ["widgets", "widgets/status"]);
    get(&admin, &at("root:other", "apis/test.io/v1"))
        .await
        .fails(404, "NotFound");
    get(&admin, &at("root:other", "apis/test.io/v1/widgets"))
        .await
        .fails(404, "NotFound");

    // Bound resources are validated against the schema.
    let mut gadget = widget("g", json!({"size": 1}));
    gadget["kind"] = json!("Gadget");
    post(&admin, &widgets, gadget).await.fails(400, "BadRequest");
    let reply = post(&admin, &widgets, widget("w", json!({"color": "red"}))).await;
    reply.fails(422, "Invalid");
    assert!(reply.message().contains("spec.size"), "{}", reply.body);
    let reply = post(
        &admin,
        &widgets,
        json!({"apiVersion": "test.io/v1", "kind": "Widget", "metadata": {"name": "w"}}),
    )
    .await;
    reply.fails(422, "Invalid");
    let reply = post(&admin, &widgets, widget("w", json!({"size": "big"}))).await;
    reply.fails(422, "Invalid");
    assert!(reply.message().contains("spec.size"), "{}", reply.body);
    let strict = format!("{widgets}?fieldValidation=Strict");
    let reply = post(&admin, &strict, widget("w", json!({"size": 1, "shape": "round"}))).await;
    reply.fails(400, "BadRequest");
    assert!(
        reply.message().contains("unknown field \"spec.shape\""),
        "{}",
        reply.body
    );
    // Without Strict the unknown field is dropped with a warning; defaults are applied.
    let reply = post(
        &admin,
        &widgets,
        widget("w", json!({"size": 1, "shape": "round"})),
    )
    .await;
    assert!(
        reply.headers.get("Warning").is_some(),
        "a Warning header for the unknown field"
    );
    let w = reply.ok(201);
    assert_eq!(w["spec"], json!({"size": 1, "color": "blue"}));
    assert_eq!(
        cluster_of(&w),
        sim.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "consumer")
            .unwrap()["spec"]["cluster"]
            .as_str()
            .unwrap()
    );

    // /status changes only status; the main resource ignores status.
    let url = format!("{widgets}/w");
    let mut body = w.clone();
    body["status"] = json!({"ok": true});
    body["spec"]["size"] = json!(2);
    body["metadata"]["labels"] = json!({"ignored": "yes"});
    let after = put(&admin, &format!("{url}/status"), body).await.ok(200);
    assert!(
        after["metadata"].get("labels").is_none(),
        "a custom resource's /status keeps metadata: {after}"
    );
    assert_eq!(
        (after["spec"]["size"].clone(), after["status"]["ok"].clone()),
        (json!(1), json!(true))
    );
    let mut body = after.clone();
    body["status"] = json!({"ok": false});
    body["spec"]["size"] = json!(3);
    let after = put(&admin, &url, body).await.ok(200);
    assert_eq!(
        (after["spec"]["size"].clone(), after["status"]["ok"].clone()),
        (json!(3), json!(true))
    );
    assert_eq!(
        after["metadata"]["generation"],
        json!(2),
        "spec changes bump the generation"
    );
    let wrong_type = json!({"status": {"ok": "yes"}});
    patch(
        &admin,
        &format!("{url}/status"),
        "application/merge-patch+json",
        wrong_type,
    )
    .await
    .fails(422, "Invalid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_view_spans_consumers() {
    let sim = start(fast());
    let provider = ready_workspace(&sim, "root", "provider");
    let c1 = ready_workspace(&sim, "root", "c1");
    let c2 = ready_workspace(&sim, "root", "c2");
    ready_workspace(&sim, "root", "c3");
    let admin = client(&sim, "root").await;
    let user = client(&sim, "user").await;
    for (s, e) in [
        ("v1.widgets.test.io", "test.io"),
        ("v2.widgets.test.io", "second.io"),
    ] {
        post(
            &admin,
            &at("root:provider", &format!("{APIS}/apiresourceschemas")),
            widget_schema(s),
        )
        .await
        .ok(201);
        post(
            &admin,
            &at("root:provider", &format!("{APIS}/apiexports")),
            export(e, &[s]),
        )
        .await
        .ok(201);
    }
    // c1 and c2 bind test.io; c3 binds second.io, which serves the same group/resource under
    // another identity and must not show up in test.io's view.
    for (ws, b, e) in [
        ("root:c1", "test", "test.io"),
        ("root:c2", "test", "test.io"),
        ("root:c3", "second", "second.io"),
    ] {
        post(
            &admin,
            &at(ws, &format!("{APIS}/apibindings")),
            binding(b, "root:provider", e),
        )
        .await
        .ok(201);
        wait_bound(&sim, ws, b);
        for n in ["one", "two"] {
            post(
                &admin,
                &at(ws, "apis/test.io/v1/widgets"),
                widget(n, json!({"size": 1})),
            )
            .await
            .ok(201);
        }
    }
    let view = format!("/services/apiexport/{provider}/test.io");
    let all = format!("{view}/clusters/*/apis/test.io/v1/widgets");

    // Across consumers, each object says where it lives.
    let list = get(&admin, &all).await.ok(200);
    let mut seen: Vec<(String, String)> = list["items"]
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
    let mut want: Vec<(String, String)> = [&c1, &c2]
        .iter()
        .flat_map(|c| ["one", "two"].map(|n| (c.to_string(), n.to_string())))
        .collect();
    want.sort();
    assert_eq!(seen, want);
    // Discovery of the view.
    let groups = get(&admin, &format!("{view}/clusters/*/apis")).await.ok(200);
    let names: BTreeSet<&str> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert_eq!(names, BTreeSet::from(["apis.kcp.io", "test.io"]));

    // Watch across consumers while writing through the view, one consumer at a time.
    let mut watch = Watch::open(&admin, &format!("{all}?watch=true&resourceVersion={}", rv(&list)))
        .await
        .expect("a watch");
    let in_c2 = format!("{view}/clusters/{c2}/apis/test.io/v1/widgets");
    let made = post(&admin, &in_c2, widget("three", json!({"size": 3})))
        .await
        .ok(201);
    assert_eq!(cluster_of(&made), c2);
    let event = watch.next().await.expect("open");
    assert_eq!(
        (event["type"].as_str(), cluster_of(&event["object"])),
        (Some("ADDED"), c2.as_str())
    );
    assert_eq!(event["object"]["metadata"]["name"], "three");
    let got = get(&admin, &format!("{in_c2}/three")).await.ok(200);
    let mut changed = got.clone();
    changed["spec"]["size"] = json!(4);
    put(&admin, &format!("{in_c2}/three"), changed).await.ok(200);
    patch(
        &admin,
        &format!("{in_c2}/three/status"),
        "application/merge-patch+json",
        json!({"status": {"ok": true}}),
    )
    .await
    .ok(200);
    delete(&admin, &format!("{in_c2}/three")).await.ok(200);
    let types: Vec<String> = [watch.next().await, watch.next().await, watch.next().await]
        .into_iter()
        .map(|e| e.expect("open")["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types, ["MODIFIED", "MODIFIED", "DELETED"]);
    // What the view wrote is in the consumer's own workspace.
    get(&admin, &at("root:c2", "apis/test.io/v1/widgets/three"))
        .await
        .fails(404, "NotFound");
    get(&admin, &at("root:c1", "apis/test.io/v1/widgets/one"))
        .await
        .ok(200);
    // Only list and watch across consumers; a consumer is named by ID, not path; a consumer
    // that did not bind this export has nothing here.
    get(&admin, &format!("{all}/one"))
        .await
        .fails(405, "MethodNotAllowed");
    get(
        &admin,
        &format!("{view}/clusters/root:c1/apis/test.io/v1/widgets"),
    )
    .await
    .fails(404, "NotFound");
    let c3 = sim
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "c3")
        .unwrap()["spec"]["cluster"]
        .clone();
    let in_c3 = format!("{view}/clusters/{}/apis/test.io/v1/widgets", c3.as_str().unwrap());
    get(&admin, &in_c3).await.fails(404, "NotFound");
    post(&admin, &in_c3, widget("sneaked", json!({"size": 1})))
        .await
        .fails(404, "NotFound");
    let everywhere = get(&admin, &all).await.ok(200);
    assert!(!item_names(&everywhere).contains(&"sneaked".to_string()));

    // The view's APIBindings: read-only, and only the bindings to this export.
    let vb = format!("{view}/clusters/*/{APIS}/apibindings");
    let listed = get(&admin, &vb).await.ok(200);
    let mut owners: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(cluster_of)
        .collect();
    owners.sort();
    let mut want = vec![c1.as_str(), c2.as_str()];
    want.sort();
    assert_eq!(owners, want);
    let in_c1 = format!("{view}/clusters/{c1}/{APIS}/apibindings");
    get(&admin, &format!("{in_c1}/test")).await.ok(200);
    post(&admin, &in_c1, binding("more", "root:provider", "test.io"))
        .await
        .fails(405, "MethodNotAllowed");
    delete(&admin, &format!("{in_c1}/test"))
        .await
        .fails(405, "MethodNotAllowed");

    // The read-only user may not use the view at all.
    get(&user, &all).await.fails(403, "Forbidden");
    // An unknown export has no view.
    get(
        &admin,
        &format!("/services/apiexport/{provider}/nope.io/clusters/*/apis/test.io/v1/widgets"),
    )
    .await
    .fails(404, "NotFound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_legacy_urls_only_slices_carry_the_view() {
    let sim = start(SimConfig {
        legacy_view_urls: false,
        ..fast()
    });
    let provider = ready_workspace(&sim, "root", "provider");
    let admin = client(&sim, "root").await;
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiresourceschemas")),
        widget_schema("v1.widgets.test.io"),
    )
    .await
    .ok(201);
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexports")),
        export("test.io", &["v1.widgets.test.io"]),
    )
    .await
    .ok(201);
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexportendpointslices")),
        slice("s", "root:provider", "test.io"),
    )
    .await
    .ok(201);
    let sliced = wait_object(&sim, "root:provider", AV, "apiexportendpointslices", "s", |s| {
        s["status"]["endpoints"].as_array().is_some_and(|e| !e.is_empty())
    });
    let url = format!("{}/services/apiexport/{provider}/test.io", sim.url());
    assert_eq!(sliced["status"]["endpoints"], json!([{"url": url}]));
    let exported = get(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexports/test.io")),
    )
    .await
    .ok(200);
    assert!(exported["status"]["identityHash"].is_string(), "{exported}");
    assert!(
        exported["status"].get("virtualWorkspaces").is_none(),
        "{exported}"
    );
    // The URL works; as in kcp v0.11, its wildcard serves the export's resources only once
    // something binds the export.
    let widgets = format!("{}/clusters/*/apis/test.io/v1/widgets", path_of(&sim, &url));
    get(&admin, &widgets).await.ok(404);
    post(
        &admin,
        &at("root", &format!("{APIS}/apibindings")),
        binding("test", "root:provider", "test.io"),
    )
    .await
    .ok(201);
    wait_bound(&sim, "root", "test");
    let empty = get(&admin, &widgets).await.ok(200);
    assert!(
        empty["items"].is_null(),
        "kcp's view lists nothing as null: {empty}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_kcp_v0_32_exports_are_v1alpha2_and_the_slice_follows_bindings() {
    let sim = start(SimConfig {
        kcp_version: kcp_sim::KcpVersion::V0_32,
        ..fast()
    });
    let provider = ready_workspace(&sim, "root", "provider");
    let admin = client(&sim, "root").await;
    let group = get(&admin, "/clusters/root/apis/apis.kcp.io").await.ok(200);
    assert_eq!(group["preferredVersion"]["version"], "v1alpha2", "{group}");
    let schema = post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiresourceschemas")),
        widget_schema("v1.widgets.test.io"),
    )
    .await
    .ok(201);
    assert_eq!(
        schema["spec"]["nameValidation"], "DNS1123Subdomain",
        "kcp's default"
    );
    let v2 = "apis/apis.kcp.io/v1alpha2";
    post(
        &admin,
        &at("root:provider", &format!("{v2}/apiexports")),
        json!({"apiVersion": "apis.kcp.io/v1alpha2", "kind": "APIExport", "metadata": {"name": "test.io"},
               "spec": {"resources": [{"name": "widgets", "group": "test.io", "schema": "v1.widgets.test.io", "storage": {"crd": {}}}]}}),
    )
    .await
    .ok(201);
    // kcp makes the slice, named after the export; it lists no shard while nothing binds.
    let made = wait_object(
        &sim,
        "root:provider",
        AV,
        "apiexportendpointslices",
        "test.io",
        |s| s["status"]["conditions"].is_array(),
    );
    assert_eq!(
        made["spec"]["export"],
        json!({"name": "test.io", "path": "root:provider"})
    );
    assert_eq!(made["status"]["endpoints"], json!([]), "{made}");
    // Either version reads the export; neither has view URLs.
    let as_v1 = get(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexports/test.io")),
    )
    .await
    .ok(200);
    assert_eq!(
        as_v1["spec"]["latestResourceSchemas"],
        json!(["v1.widgets.test.io"]),
        "{as_v1}"
    );
    assert!(as_v1["spec"].get("resources").is_none(), "{as_v1}");
    let as_v2 = get(&admin, &at("root:provider", &format!("{v2}/apiexports/test.io")))
        .await
        .ok(200);
    assert_eq!(as_v2["apiVersion"], "apis.kcp.io/v1alpha2");
    assert_eq!(as_v2["spec"]["resources"][0]["schema"], "v1.widgets.test.io");
    assert!(as_v2["status"]["identityHash"].is_string(), "{as_v2}");
    assert!(as_v2["status"].get("virtualWorkspaces").is_none(), "{as_v2}");
    assert!(
        condition(&as_v2, "VirtualWorkspaceURLsReady").is_null(),
        "{as_v2}"
    );

    // The first binding brings the shard's URL; the last one's deletion takes it away.
    post(
        &admin,
        &at("root", &format!("{APIS}/apibindings")),
        binding("test", "root:provider", "test.io"),
    )
    .await
    .ok(201);
    wait_bound(&sim, "root", "test");
    let url = format!("{}/services/apiexport/{provider}/test.io", sim.url());
    let listed = wait_object(
        &sim,
        "root:provider",
        AV,
        "apiexportendpointslices",
        "test.io",
        |s| s["status"]["endpoints"].as_array().is_some_and(|e| !e.is_empty()),
    );
    assert_eq!(listed["status"]["endpoints"], json!([{"url": url}]));
    let widgets = format!("{}/clusters/*/apis/test.io/v1/widgets", path_of(&sim, &url));
    get(&admin, &widgets).await.ok(200);
    delete(&admin, &at("root", &format!("{APIS}/apibindings/test")))
        .await
        .ok(200);
    let emptied = wait_object(
        &sim,
        "root:provider",
        AV,
        "apiexportendpointslices",
        "test.io",
        |s| s["status"]["endpoints"].as_array().is_some_and(Vec::is_empty),
    );
    assert_eq!(emptied["status"]["endpoints"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_shard_serves_the_view_for_its_own_clusters() {
    let sim = start(SimConfig { shards: 2, ..fast() });
    let provider = ready_workspace(&sim, "root", "provider");
    let admin = client(&sim, "root").await;
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiresourceschemas")),
        widget_schema("v1.widgets.test.io"),
    )
    .await
    .ok(201);
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexports")),
        export("test.io", &["v1.widgets.test.io"]),
    )
    .await
    .ok(201);
    let exported = wait_object(&sim, "root:provider", AV, "apiexports", "test.io", |e| {
        e["status"]["virtualWorkspaces"].is_array()
    });
    let urls: Vec<String> = exported["status"]["virtualWorkspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(urls.len(), 2, "one view URL per shard");
    assert_eq!(
        urls[0],
        format!("{}/services/apiexport/{provider}/test.io", sim.url())
    );
    assert!(
        urls[1].ends_with(&format!("/services/apiexport/{provider}/test.io")),
        "{}",
        urls[1]
    );
    assert_ne!(urls[0], urls[1]);
    post(
        &admin,
        &at("root:provider", &format!("{APIS}/apiexportendpointslices")),
        slice("s", "root:provider", "test.io"),
    )
    .await
    .ok(201);
    let sliced = wait_object(&sim, "root:provider", AV, "apiexportendpointslices", "s", |s| {
        s["status"]["endpoints"].as_array().is_some_and(|e| e.len() == 2)
    });
    let endpoints: Vec<&str> = sliced["status"]["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["url"].as_str().unwrap())
        .collect();
    assert_eq!(endpoints, urls);

    // Root lives on the first shard; add consumers until the second shard holds one too.
    let mut consumers = vec!["root".to_string()];
    let mut per_shard = [Vec::new(), Vec::new()];
    for i in 0.. {
        assert!(i < 40, "40 consumers and none on the second shard");
        let path = if i == 0 {
            "root".to_string()
        } else {
            format!("root:c{i}")
        };
        if i > 0 {
            consumers.push(ready_workspace(&sim, "root", &format!("c{i}")));
        }
        post(
            &admin,
            &at(&path, &format!("{APIS}/apibindings")),
            binding("test", "root:provider", "test.io"),
        )
        .await
        .ok(201);
        wait_bound(&sim, &path, "test");
        post(
            &admin,
            &at(&path, "apis/test.io/v1/widgets"),
            widget("w", json!({"size": 1})),
        )
        .await
        .ok(201);
        for (s, url) in urls.iter().enumerate() {
            let reply = get(
                &admin,
                &format!("{}/clusters/*/apis/test.io/v1/widgets", path_of(&sim, url)),
            )
            .await;
            // As in kcp v0.11, a shard where nothing binds the export does not serve it yet.
            if reply.status == 404 {
                continue;
            }
            let list = reply.ok(200);
            per_shard[s] = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| cluster_of(w).to_string())
                .collect();
        }
        if !per_shard[1].is_empty() {
            break;
        }
    }
    assert!(
        per_shard[0].contains(&"root".to_string()),
        "root is on the first shard: {per_shard:?}"
    );
    let mut together: Vec<String> = per_shard.concat();
    together.sort();
    consumers.sort();
    assert_eq!(
        together, consumers,
        "the shards' views are disjoint and together cover every consumer"
    );
    // A consumer on the other shard is not found through this shard's view.
    let elsewhere = &per_shard[1][0];
    get(
        &admin,
        &format!(
            "{}/clusters/{elsewhere}/apis/test.io/v1/widgets",
            path_of(&sim, &urls[0])
        ),
    )
    .await
    .fails(403, "Forbidden");
    get(
        &admin,
        &format!(
            "{}/clusters/{elsewhere}/apis/test.io/v1/widgets",
            path_of(&sim, &urls[1])
        ),
    )
    .await
    .ok(200);
}

// -----------------------------------------------------------------------------------------
// REST semantics

const CONFIGMAPS: &str = "api/v1/namespaces/default/configmaps";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pagination_and_selectors() {
    let sim = start(fast());
    let admin = client(&sim, "root").await;
    let cms = at("root", CONFIGMAPS);
    for i in 0..25 {
        let tier = if i % 5 == 0 { "db" } else { "web" };
        post(
            &admin,
            &cms,
            configmap(&format!("cm-{i:02}"), json!({"tier": tier, "n": i.to_string()})),
        )
        .await
        .ok(201);
    }

    // Pages of 10: 10 + 10 + 5, each page but the last with a continue token.
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &token {
            None => format!("{cms}?limit=10"),
            Some(t) => format!("{cms}?limit=10&continue={t}"),
        };
        let page = get(&admin, &path).await.ok(200);
        pages += 1;
        assert_eq!(page["kind"], "ConfigMapList");
        assert!(page["metadata"]["resourceVersion"].is_string());
        names.extend(item_names(&page));
        match page["metadata"]["continue"].as_str() {
            Some(t) if !t.is_empty() => {
                assert_eq!(page["metadata"]["remainingItemCount"], json!(25 - names.len()));
                token = Some(t.to_string());
            }
            _ => break,
        }
    }
    assert_eq!(pages, 3);
    let want: Vec<String> = (0..25).map(|i| format!("cm-{i:02}")).collect();
    assert_eq!(names, want);

    // A continue token from before a compaction has expired.
    let first = get(&admin, &format!("{cms}?limit=10")).await.ok(200);
    let token = first["metadata"]["continue"].as_str().unwrap().to_string();
    post(&admin, &cms, configmap("late", json!({}))).await.ok(201);
    sim.compact();
    get(&admin, &format!("{cms}?limit=10&continue={token}"))
        .await
        .fails(410, "Expired");
    get(&admin, &format!("{cms}?limit=10&continue=garbage"))
        .await
        .fails(400, "BadRequest");

    // Label selectors.
    let db = get(&admin, &format!("{cms}?labelSelector=tier%3Ddb"))
        .await
        .ok(200);
    assert_eq!(item_names(&db), ["cm-00", "cm-05", "cm-10", "cm-15", "cm-20"]);
    let set = get(
        &admin,
        &format!("{cms}?labelSelector=tier%3Dweb,n%20in%20(1,2,5)"),
    )
    .await
    .ok(200);
    assert_eq!(item_names(&set), ["cm-01", "cm-02"]);
    let none = get(&admin, &format!("{cms}?labelSelector=!tier")).await.ok(200);
    assert_eq!(item_names(&none), ["late"]);
    get(&admin, &format!("{cms}?labelSelector=tier%20%3D%3D%3D%20x"))
        .await
        .fails(400, "BadRequest");
    // Selectors and pages together.
    let page = get(&admin, &format!("{cms}?labelSelector=tier%3Ddb&limit=2"))
        .await
        .ok(200);
    assert_eq!(item_names(&page), ["cm-00", "cm-05"]);
    assert_eq!(page["metadata"]["remainingItemCount"], json!(3));

    // Field selector on metadata.name.
    let one = get(&admin, &format!("{cms}?fieldSelector=metadata.name%3Dcm-07"))
        .await
        .ok(200);
    assert_eq!(item_names(&one), ["cm-07"]);
    let others = get(&admin, &format!("{cms}?fieldSelector=metadata.name!%3Dcm-07"))
        .await
        .ok(200);
    assert_eq!(item_names(&others).len(), 25);
    get(&admin, &format!("{cms}?fieldSelector=data.k%3Dv"))
        .await
        .fails(400, "BadRequest");
    // Across namespaces, and the Table form kubectl asks for.
    let everywhere = get(
        &admin,
        &at(
            "root",
            "api/v1/configmaps?fieldSelector=metadata.namespace%3Ddefault",
        ),
    )
    .await
    .ok(200);
    assert_eq!(item_names(&everywhere).len(), 26);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_resumes_expires_bookmarks_and_times_out() {
    let sim = start(SimConfig {
        bookmark_interval: Duration::from_millis(50),
        ..fast()
    });
    let admin = client(&sim, "root").await;
    let cms = at("root", CONFIGMAPS);
    post(&admin, &cms, configmap("before", json!({}))).await.ok(201);
    let start_rv = rv(&get(&admin, &cms).await.ok(200));

    // Changes after a resourceVersion are replayed, in order, to a watch opened later.
    let created = post(&admin, &cms, configmap("x", json!({}))).await.ok(201);
    patch(
        &admin,
        &format!("{cms}/x"),
        "application/merge-patch+json",
        json!({"data": {"k": "w"}}),
    )
    .await
    .ok(200);
    delete(&admin, &format!("{cms}/x")).await.ok(200);
    let mut watch = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={start_rv}"))
        .await
        .expect("a watch");
    let mut events = Vec::new();
    for _ in 0..3 {
        events.push(watch.next().await.expect("open"));
    }
    assert_eq!(
        names(&events),
        [
            ("ADDED".into(), "x".into()),
            ("MODIFIED".into(), "x".into()),
            ("DELETED".into(), "x".into())
        ]
    );
    let rvs: Vec<u64> = events.iter().map(|e| rv(&e["object"]).parse().unwrap()).collect();
    assert!(rvs.windows(2).all(|w| w[0] < w[1]), "{rvs:?}");
    assert!(rvs[0] >= rv(&created).parse().unwrap());
    // ... and then live events.
    post(&admin, &cms, configmap("live", json!({}))).await.ok(201);
    assert_eq!(
        names(&[watch.next().await.expect("open")]),
        [("ADDED".into(), "live".into())]
    );

    // Without a resourceVersion, a watch starts with the current objects.
    let mut fresh = Watch::open(&admin, &format!("{cms}?watch=true"))
        .await
        .expect("a watch");
    let initial = [
        fresh.next().await.expect("open"),
        fresh.next().await.expect("open"),
    ];
    assert_eq!(
        names(&initial),
        [("ADDED".into(), "before".into()), ("ADDED".into(), "live".into())]
    );

    // Field selectors apply to watches; leaving the selection is a DELETED.
    let mut picky = Watch::open(
        &admin,
        &format!("{cms}?watch=true&resourceVersion={start_rv}&labelSelector=pick%3Dyes"),
    )
    .await
    .expect("a watch");
    post(&admin, &cms, configmap("picked", json!({"pick": "yes"})))
        .await
        .ok(201);
    patch(
        &admin,
        &format!("{cms}/picked"),
        "application/merge-patch+json",
        json!({"metadata": {"labels": {"pick": "no"}}}),
    )
    .await
    .ok(200);
    let events = [
        picky.next().await.expect("open"),
        picky.next().await.expect("open"),
    ];
    assert_eq!(
        names(&events),
        [
            ("ADDED".into(), "picked".into()),
            ("DELETED".into(), "picked".into())
        ]
    );

    // Bookmarks only when allowed: wait for two bookmarks on one watch, then a change; the
    // other watch's first event is the change.
    let now = rv(&get(&admin, &cms).await.ok(200));
    let mut plain = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={now}"))
        .await
        .expect("a watch");
    let mut marked = Watch::open(
        &admin,
        &format!("{cms}?watch=true&resourceVersion={now}&allowWatchBookmarks=true"),
    )
    .await
    .expect("a watch");
    for _ in 0..2 {
        let bookmark = marked.next().await.expect("open");
        assert_eq!(bookmark["type"], "BOOKMARK");
        assert_eq!(bookmark["object"]["kind"], "ConfigMap");
        assert!(
            bookmark["object"]["metadata"]["resourceVersion"].is_string(),
            "{bookmark}"
        );
    }
    post(&admin, &cms, configmap("after-bookmarks", json!({})))
        .await
        .ok(201);
    assert_eq!(
        names(&[plain.next().await.expect("open")]),
        [("ADDED".into(), "after-bookmarks".into())]
    );

    // timeoutSeconds ends the watch.
    let mut short = Watch::open(
        &admin,
        &format!("{cms}?watch=true&resourceVersion={now}&timeoutSeconds=1"),
    )
    .await
    .expect("a watch");
    short
        .until(|e| e["object"]["metadata"]["name"] == "after-bookmarks")
        .await;
    short.expect_end().await;

    // After a compaction, an old resourceVersion is Expired: an ERROR event by default...
    sim.compact();
    let mut expired = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={start_rv}"))
        .await
        .expect("a 200 stream");
    let error = expired.next().await.expect("an ERROR event");
    assert_eq!(error["type"], "ERROR");
    assert_eq!(
        (error["object"]["code"].clone(), error["object"]["reason"].clone()),
        (json!(410), json!("Expired"))
    );
    expired.expect_end().await;
    // ... or the HTTP status itself when the fault says so.
    sim.set_faults(Faults {
        expired_as_status: true,
        ..Faults::default()
    });
    let reply = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={start_rv}"))
        .await
        .err()
        .expect("no stream");
    reply.fails(410, "Expired");
    // The current resourceVersion is still good.
    let latest = rv(&get(&admin, &cms).await.ok(200));
    Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={latest}"))
        .await
        .expect("a watch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_resource_s_watch_history_is_a_bounded_window() {
    // kcp's watch cache keeps a window per resource (here: the last 5 events, none for
    // their age), not a compaction's worth of history.
    let sim = start(SimConfig {
        history_min: 5,
        history_fresh: Duration::ZERO,
        future_rv_wait: Duration::from_millis(200),
        ..fast()
    });
    let admin = client(&sim, "root").await;
    let cms = at("root", CONFIGMAPS);
    let start_rv = rv(&post(&admin, &cms, configmap("first", json!({}))).await.ok(201));
    for i in 0..10 {
        post(&admin, &cms, configmap(&format!("cm-{i}"), json!({})))
            .await
            .ok(201);
    }
    let mut expired = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={start_rv}"))
        .await
        .expect("a 200 stream");
    let error = expired.next().await.expect("an ERROR event");
    assert_eq!(
        (
            error["type"].clone(),
            error["object"]["code"].clone(),
            error["object"]["reason"].clone()
        ),
        (json!("ERROR"), json!(410), json!("Expired")),
        "{error}"
    );
    expired.expect_end().await;
    // Another resource's window is its own: namespaces did not change since, so that
    // resourceVersion is still good there.
    let namespaces = at("root", "api/v1/namespaces");
    let mut fine = Watch::open(
        &admin,
        &format!("{namespaces}?watch=true&resourceVersion={start_rv}"),
    )
    .await
    .expect("a watch");
    post(
        &admin,
        &namespaces,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "later"}}),
    )
    .await
    .ok(201);
    let added = fine.next().await.expect("an event");
    assert_eq!(
        (added["type"].clone(), added["object"]["metadata"]["name"].clone()),
        (json!("ADDED"), json!("later")),
        "{added}"
    );

    // resourceVersionMatch needs a resourceVersion.
    let reply = get(&admin, &format!("{cms}?resourceVersionMatch=NotOlderThan")).await;
    reply.fails(422, "Invalid");
    assert!(
        reply
            .message()
            .contains("resourceVersionMatch is forbidden unless resourceVersion is provided"),
        "{}",
        reply.body
    );
    get(
        &admin,
        &format!("{cms}?resourceVersionMatch=Exact&resourceVersion=0"),
    )
    .await
    .fails(422, "Invalid");
    // A list at a resourceVersion not reached yet waits for it, then is 504.
    let now: u64 = rv(&get(&admin, &cms).await.ok(200)).parse().unwrap();
    let reply = get(&admin, &format!("{cms}?resourceVersion={}", now + 1000)).await;
    reply.fails(504, "Timeout");
    assert!(
        reply
            .message()
            .starts_with(&format!("Too large resource version: {}", now + 1000)),
        "{}",
        reply.body
    );
    let next = rv(&get(&admin, &cms).await.ok(200)).parse::<u64>().unwrap() + 1;
    let at_next = format!("{cms}?resourceVersion={next}");
    let (listed, _) = tokio::join!(
        get(&admin, &at_next),
        post(&admin, &cms, configmap("meanwhile", json!({})))
    );
    let listed = listed.ok(200);
    assert!(item_names(&listed).contains(&"meanwhile".to_string()), "{listed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_as_kcp_does_it() {
    let sim = start(SimConfig {
        initialize_delay: Duration::from_secs(3600),
        ..fast()
    });
    let admin = client(&sim, "root").await;
    let masters = client(&sim, "system:admin").await;
    // A logical cluster that is not there: denied to users, empty to system:masters.
    let nowhere = at("root:nowhere", "api/v1/namespaces/default/configmaps");
    get(&admin, &nowhere).await.fails(403, "Forbidden");
    let empty = get(&masters, &nowhere).await.ok(200);
    assert_eq!(item_names(&empty), Vec::<String>::new());
    get(&masters, &format!("{nowhere}/x"))
        .await
        .fails(404, "NotFound");
    // An Initializing workspace lets in those allowed in.
    post(&admin, &at("root", WORKSPACES), workspace("young"))
        .await
        .ok(201);
    wait_object(
        &sim,
        "root",
        "tenancy.kcp.io/v1alpha1",
        "workspaces",
        "young",
        |w| w["status"]["phase"] == "Initializing",
    );
    post(
        &admin,
        &at("root:young", "api/v1/namespaces"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "early"}}),
    )
    .await
    .ok(201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_namespace_comes_after_ready() {
    let sim = start(SimConfig {
        namespace_delay: Duration::from_secs(3600),
        ..fast()
    });
    let admin = client(&sim, "root").await;
    post(&admin, &at("root", WORKSPACES), workspace("fresh"))
        .await
        .ok(201);
    wait_object(
        &sim,
        "root",
        "tenancy.kcp.io/v1alpha1",
        "workspaces",
        "fresh",
        |w| w["status"]["phase"] == "Ready",
    );
    get(&admin, &at("root:fresh", "api/v1/namespaces/default"))
        .await
        .fails(404, "NotFound");
    post(
        &admin,
        &at("root:fresh", "api/v1/namespaces/default/configmaps"),
        configmap("early", json!({})),
    )
    .await
    .fails(404, "NotFound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_conflicts_patches_and_preconditions() {
    let sim = start(fast());
    let admin = client(&sim, "root").await;
    let cms = at("root", CONFIGMAPS);

    let first = post(&admin, &cms, configmap("dup", json!({"a": "1"})))
        .await
        .ok(201);
    assert_eq!(cluster_of(&first), "root");
    assert!(first["metadata"]["uid"].is_string() && first["metadata"]["creationTimestamp"].is_string());
    post(&admin, &cms, configmap("dup", json!({})))
        .await
        .fails(409, "AlreadyExists");
    post(
        &admin,
        &at("root", "api/v1/namespaces/missing/configmaps"),
        configmap("x", json!({})),
    )
    .await
    .fails(404, "NotFound");
    let mut bad = configmap("Not_Valid", json!({}));
    post(&admin, &cms, bad.clone()).await.fails(422, "Invalid");
    bad["metadata"] = json!({});
    post(&admin, &cms, bad).await.fails(422, "Invalid");
    // Labels and annotation keys are validated as the apiserver does.
    for labels in [
        json!({"ok": "has space"}),
        json!({"-bad": "x"}),
        json!({"a/b/c": "x"}),
        json!({"k": "x".repeat(64)}),
    ] {
        post(&admin, &cms, configmap("labelled", labels))
            .await
            .fails(422, "Invalid");
    }
    post(&admin, &cms, configmap("labelled", json!({"n": 1})))
        .await
        .fails(400, "BadRequest");
    let mut annotated = configmap("annotated", json!({"example.com/ok": "x"}));
    annotated["metadata"]["annotations"] = json!({"not valid": "x"});
    post(&admin, &cms, annotated.clone()).await.fails(422, "Invalid");
    annotated["metadata"]["annotations"] = json!({"example.com/free-text": "any value at all"});
    post(&admin, &cms, annotated).await.ok(201);

    // generateName.
    let mut generated = configmap("", json!({}));
    generated["metadata"] = json!({"generateName": "gen-"});
    let generated = post(&admin, &cms, generated).await.ok(201);
    let name = generated["metadata"]["name"].as_str().unwrap();
    assert!(
        name.starts_with("gen-") && name.len() == "gen-".len() + 5,
        "{name}"
    );
    get(&admin, &format!("{cms}/{name}")).await.ok(200);

    // Optimistic concurrency.
    let url = format!("{cms}/dup");
    let mut v1 = first.clone();
    v1["data"] = json!({"k": "v1"});
    let second = put(&admin, &url, v1.clone()).await.ok(200);
    assert!(rv(&second).parse::<u64>().unwrap() > rv(&first).parse::<u64>().unwrap());
    put(&admin, &url, v1).await.fails(409, "Conflict");
    let mut other_uid = second.clone();
    other_uid["metadata"]["uid"] = json!("00000000-0000-0000-0000-000000000000");
    put(&admin, &url, other_uid).await.fails(409, "Conflict");
    let mut renamed = second.clone();
    renamed["metadata"]["name"] = json!("other");
    put(&admin, &url, renamed).await.fails(400, "BadRequest");
    put(&admin, &format!("{cms}/absent"), configmap("absent", json!({})))
        .await
        .fails(404, "NotFound");

    // Merge patch (null deletes), JSON patch (with test), apply patch.
    let merged = patch(
        &admin,
        &url,
        "application/merge-patch+json",
        json!({"data": {"k": null, "k2": "v2"}}),
    )
    .await
    .ok(200);
    assert_eq!(merged["data"], json!({"k2": "v2"}));
    let ops = json!([
        {"op": "test", "path": "/data/k2", "value": "v2"},
        {"op": "add", "path": "/metadata/labels/patched", "value": "yes"},
        {"op": "replace", "path": "/data/k2", "value": "v3"},
    ]);
    let patched = patch(&admin, &url, "application/json-patch+json", ops)
        .await
        .ok(200);
    assert_eq!(
        (
            patched["data"]["k2"].as_str(),
            patched["metadata"]["labels"]["patched"].as_str()
        ),
        (Some("v3"), Some("yes"))
    );
    let failing = json!([{"op": "test", "path": "/data/k2", "value": "nope"}]);
    patch(&admin, &url, "application/json-patch+json", failing)
        .await
        .fails(422, "Invalid");
    let stale = json!({"metadata": {"resourceVersion": rv(&first)}, "data": {"x": "y"}});
    patch(&admin, &url, "application/merge-patch+json", stale)
        .await
        .fails(409, "Conflict");
    patch(
        &admin,
        &format!("{cms}/absent"),
        "application/merge-patch+json",
        json!({}),
    )
    .await
    .fails(404, "NotFound");
    // A no-op patch does not bump the resourceVersion.
    let same = patch(
        &admin,
        &url,
        "application/merge-patch+json",
        json!({"data": {"k2": "v3"}}),
    )
    .await
    .ok(200);
    assert_eq!(rv(&same), rv(&patched));

    let applied_url = format!("{cms}/applied?fieldManager=test");
    let apply = |data: Value| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"}, "data": data});
    let created = patch(
        &admin,
        &applied_url,
        "application/apply-patch+yaml",
        apply(json!({"a": "1"})),
    )
    .await
    .ok(201);
    assert_eq!(created["data"], json!({"a": "1"}));
    let updated = patch(
        &admin,
        &applied_url,
        "application/apply-patch+yaml",
        apply(json!({"b": "2"})),
    )
    .await
    .ok(200);
    assert_eq!(updated["data"]["b"], "2");
    patch(
        &admin,
        &format!("{cms}/applied"),
        "application/apply-patch+yaml",
        apply(json!({})),
    )
    .await
    .fails(400, "BadRequest");
    // Workspaces are custom resources: no strategic merge patch.
    ready_workspace(&sim, "root", "ws");
    patch(
        &admin,
        &at("root", &format!("{WORKSPACES}/ws")),
        "application/strategic-merge-patch+json",
        json!({}),
    )
    .await
    .fails(415, "UnsupportedMediaType");

    // Delete preconditions.
    let current = get(&admin, &url).await.ok(200);
    let wrong = json!({"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": "00000000-0000-0000-0000-000000000000"}});
    call(&admin, "DELETE", &url, "application/json", Some(&wrong))
        .await
        .fails(409, "Conflict");
    let stale = json!({"preconditions": {"resourceVersion": rv(&first)}});
    call(&admin, "DELETE", &url, "application/json", Some(&stale))
        .await
        .fails(409, "Conflict");
    let right = json!({"preconditions": {"uid": current["metadata"]["uid"]}});
    call(&admin, "DELETE", &url, "application/json", Some(&right))
        .await
        .ok(200);
    get(&admin, &url).await.fails(404, "NotFound");
    delete(&admin, &url).await.fails(404, "NotFound");

    // /status on a built-in: namespaces.
    let nss = at("root", "api/v1/namespaces");
    let ns = post(
        &admin,
        &nss,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "stat"}}),
    )
    .await
    .ok(201);
    assert_eq!(ns["status"]["phase"], "Active");
    let mut body = ns.clone();
    body["status"]["phase"] = json!("Terminating");
    body["spec"]["finalizers"] = json!([]);
    let after = put(&admin, &format!("{nss}/stat/status"), body).await.ok(200);
    assert_eq!(after["status"]["phase"], "Terminating");
    assert_eq!(after["spec"]["finalizers"], json!(["kubernetes"]), "{after}");
    let mut body = after.clone();
    body["status"]["phase"] = json!("Active");
    body["metadata"]["labels"] = json!({"kept": "yes"});
    let after = put(&admin, &format!("{nss}/stat"), body).await.ok(200);
    assert_eq!(
        (
            after["status"]["phase"].as_str(),
            after["metadata"]["labels"]["kept"].as_str()
        ),
        (Some("Terminating"), Some("yes"))
    );
    // Deleting a namespace takes its content with it.
    post(
        &admin,
        &at("root", "api/v1/namespaces/stat/configmaps"),
        configmap("inside", json!({})),
    )
    .await
    .ok(201);
    delete(&admin, &format!("{nss}/stat")).await.ok(200);
    get(&admin, &at("root", "api/v1/namespaces/stat/configmaps/inside"))
        .await
        .fails(404, "NotFound");
}

// -----------------------------------------------------------------------------------------
// Authentication, authorization, faults and counters

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_and_roles() {
    let sim = start(fast());
    ready_workspace(&sim, "root", "ws");
    let anonymous = anonymous_client(&sim).await;
    let user = client(&sim, "user").await;
    let admin = client(&sim, "root").await;

    // No token over HTTPS: 401, for the API, discovery and the admin API alike.
    for path in [
        at("root", WORKSPACES),
        at("root", "apis"),
        "/kcp-sim/stats".to_string(),
    ] {
        get(&anonymous, &path).await.fails(401, "Unauthorized");
    }
    // /version and health answer anyone, as kcp's public-info paths do.
    assert_eq!(get(&anonymous, "/version").await.ok(200)["major"], "1");
    call(&anonymous, "GET", "/healthz", "application/json", None)
        .await
        .ok(200);

    // The read-only user reads, and nothing else.
    let list = get(&user, &at("root", WORKSPACES)).await.ok(200);
    assert_eq!(item_names(&list), ["ws"]);
    get(&user, &at("root:ws", "api/v1/namespaces/default"))
        .await
        .ok(200);
    post(&user, &at("root", WORKSPACES), workspace("mine"))
        .await
        .fails(403, "Forbidden");
    delete(&user, &at("root", &format!("{WORKSPACES}/ws")))
        .await
        .fails(403, "Forbidden");
    patch(
        &user,
        &at("root", &format!("{WORKSPACES}/ws")),
        "application/merge-patch+json",
        json!({}),
    )
    .await
    .fails(403, "Forbidden");
    get(&user, &at("*", WORKSPACES)).await.fails(403, "Forbidden");
    get(&user, "/kcp-sim/stats").await.fails(403, "Forbidden");
    get(&admin, &at("root", &format!("{WORKSPACES}/ws")))
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_errors_watch_drops_and_refused_connections() {
    let sim = start(fast());
    let admin = client(&sim, "root").await;
    let list = at("root", WORKSPACES);

    // Every request fails, with each of the three answers in turn (chosen at random).
    sim.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let mut seen = BTreeSet::new();
    for _ in 0..300 {
        let reply = get(&admin, &list).await;
        match reply.status {
            500 => reply.fails(500, "InternalError"),
            503 => reply.fails(503, "ServiceUnavailable"),
            429 => reply.fails(429, "TooManyRequests"),
            other => panic!("unexpected {other}: {}", reply.body),
        }
        if reply.status != 500 {
            assert_eq!(
                reply.headers.get("Retry-After").and_then(|v| v.to_str().ok()),
                Some("1")
            );
        }
        seen.insert(reply.status);
        if seen.len() == 3 {
            break;
        }
    }
    assert_eq!(seen, BTreeSet::from([429, 500, 503]));
    // Watches and discovery fail too.
    assert!(Watch::open(&admin, &format!("{list}?watch=true")).await.is_err());
    assert_ne!(get(&admin, &at("root", "apis")).await.status, 200);
    sim.set_faults(Faults::default());
    get(&admin, &list).await.ok(200);

    // Dropping watches ends open streams; new ones can be opened.
    let mut one = Watch::open(&admin, &format!("{list}?watch=true"))
        .await
        .expect("a watch");
    let mut two = Watch::open(&admin, &format!("{list}?watch=true&allowWatchBookmarks=true"))
        .await
        .expect("a watch");
    sim.drop_watches();
    one.expect_end().await;
    two.expect_end().await;
    let mut three = Watch::open(&admin, &format!("{list}?watch=true"))
        .await
        .expect("a watch");
    post(&admin, &list, workspace("after-drop")).await.ok(201);
    assert_eq!(
        three.next().await.expect("open")["object"]["metadata"]["name"],
        "after-drop"
    );

    // Refused connections: the open watch is cut, connects fail, then all works again.
    sim.refuse_connections(Duration::from_millis(300));
    three.expect_end().await;
    let addr: std::net::SocketAddr = sim.url().trim_start_matches("https://").parse().unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    // Poll (bounded) until the listener is closed ...
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the listener never closed"
        );
        tokio::task::yield_now().await;
    }
    assert!(
        try_call(&admin, "GET", &list, "application/json", None)
            .await
            .is_err(),
        "a request while refusing"
    );
    // ... and until it listens again.
    let mut interval = tokio::time::interval(Duration::from_millis(10));
    let back = loop {
        interval.tick().await;
        if let Ok(reply) = try_call(&admin, "GET", &list, "application/json", None).await {
            break reply;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the simulator never listened again"
        );
    };
    assert_eq!(item_names(&back.ok(200)), ["after-drop"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_counters() {
    let sim = start(fast());
    ready_workspace(&sim, "root", "ws");
    let admin = client(&sim, "root").await;
    sim.reset_requests();
    for _ in 0..3 {
        get(&admin, &at("root", WORKSPACES)).await.ok(200);
    }
    get(&admin, &at("root", &format!("{WORKSPACES}/ws")))
        .await
        .ok(200);
    post(&admin, &at("root:ws", CONFIGMAPS), configmap("c", json!({})))
        .await
        .ok(201);
    patch(
        &admin,
        &at("root:ws", &format!("{CONFIGMAPS}/c")),
        "application/merge-patch+json",
        json!({}),
    )
    .await
    .ok(200);
    get(&admin, &at("root", "apis")).await.ok(200);
    let watch = Watch::open(&admin, &at("root", &format!("{WORKSPACES}?watch=true")))
        .await
        .expect("a watch");
    drop(watch);
    get(&admin, &at("root:nope", WORKSPACES))
        .await
        .fails(403, "Forbidden");

    let counts = sim.requests();
    assert_eq!(counts.total, 9);
    assert_eq!(counts.count("list", Some("workspaces")), 4, "{counts:?}");
    assert_eq!(counts.count("list", None), 4);
    assert_eq!(counts.count("get", Some("workspaces")), 1);
    assert_eq!(counts.count("create", Some("configmaps")), 1);
    assert_eq!(counts.count("patch", Some("configmaps")), 1);
    assert_eq!(counts.count("watch", Some("workspaces")), 1);
    assert_eq!(counts.count("discovery", None), 1);
    let by_verb = counts.by_verb();
    assert_eq!(by_verb.get("list"), Some(&4));
    assert_eq!(counts.by_key.get("list workspaces root"), Some(&3));
    assert_eq!(counts.by_key.get("create configmaps root:ws"), Some(&1));
    sim.reset_requests();
    assert_eq!(sim.requests().total, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api() {
    let sim = start(fast());
    let admin = client(&sim, "root").await;
    let masters = client(&sim, "system:admin").await;
    let cms = at("root", CONFIGMAPS);

    // Faults, as JSON.
    let faults = get(&admin, "/kcp-sim/faults").await.ok(200);
    assert_eq!(
        faults,
        json!({"errorRate": 0.0, "latencyMs": 0, "expiredAsStatus": false})
    );
    let set = json!({"expiredAsStatus": true});
    let faults = call(&admin, "PUT", "/kcp-sim/faults", "application/json", Some(&set))
        .await
        .ok(200);
    assert_eq!(faults["expiredAsStatus"], true);
    assert!(sim.faults().expired_as_status);
    call(
        &admin,
        "PUT",
        "/kcp-sim/faults",
        "application/json",
        Some(&json!({"errorRate": "x"})),
    )
    .await
    .fails(400, "BadRequest");
    // Errors do not reach the admin API, so a test can always switch them off again.
    let all_errors = json!({"errorRate": 1.0});
    call(
        &masters,
        "PUT",
        "/kcp-sim/faults",
        "application/json",
        Some(&all_errors),
    )
    .await
    .ok(200);
    assert_ne!(get(&admin, &cms).await.status, 200);
    call(&admin, "PUT", "/kcp-sim/faults", "application/json", Some(&set))
        .await
        .ok(200);

    // Compaction: old resourceVersions answer 410 (as a status, per the fault above).
    let old = rv(&get(&admin, &cms).await.ok(200));
    post(&admin, &cms, configmap("a", json!({}))).await.ok(201);
    let compacted = call(&admin, "POST", "/kcp-sim/compact", "application/json", None)
        .await
        .ok(200);
    assert!(compacted["floor"].as_u64().unwrap() > old.parse::<u64>().unwrap());
    Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={old}"))
        .await
        .err()
        .unwrap()
        .fails(410, "Expired");

    // Dropping watches.
    let mut watch = Watch::open(&admin, &format!("{cms}?watch=true"))
        .await
        .expect("a watch");
    watch.until(|e| e["object"]["metadata"]["name"] == "a").await;
    call(&admin, "POST", "/kcp-sim/drop-watches", "application/json", None)
        .await
        .ok(200);
    watch.expect_end().await;

    // Stats and counters.
    let stats = get(&admin, "/kcp-sim/stats").await.ok(200);
    assert_eq!(stats["objects"], json!(sim.object_count()));
    assert_eq!(stats["clusters"], 1);
    assert!(stats["resourceVersion"].as_u64().unwrap() >= old.parse::<u64>().unwrap());
    let requests = get(&admin, "/kcp-sim/requests").await.ok(200);
    assert_eq!(requests["total"], json!(sim.requests().total));
    assert!(requests["byVerb"]["list"].as_u64().unwrap() >= 2, "{requests}");
    assert!(
        requests["byKey"]["create configmaps root"].as_u64().unwrap() >= 1,
        "{requests}"
    );
    call(&admin, "DELETE", "/kcp-sim/requests", "application/json", None)
        .await
        .ok(200);
    assert_eq!(get(&admin, "/kcp-sim/requests").await.ok(200)["total"], 0);

    // Refusing connections for a while.
    call(
        &admin,
        "POST",
        "/kcp-sim/refuse?seconds=0.3",
        "application/json",
        None,
    )
    .await
    .ok(200);
    let addr: std::net::SocketAddr = sim.url().trim_start_matches("https://").parse().unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the listener never closed"
        );
        tokio::task::yield_now().await;
    }
    let mut interval = tokio::time::interval(Duration::from_millis(10));
    loop {
        interval.tick().await;
        if try_call(&admin, "GET", "/kcp-sim/stats", "application/json", None)
            .await
            .is_ok_and(|r| r.status == 200)
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the simulator never listened again"
        );
    }

    get(&admin, "/kcp-sim/nothing").await.fails(404, "NotFound");
}

// -----------------------------------------------------------------------------------------
// Scale (what must work, not how fast)

fn instant() -> SimConfig {
    SimConfig {
        schedule_delay: Duration::ZERO,
        initialize_delay: Duration::ZERO,
        delete_delay: Duration::ZERO,
        export_delay: Duration::ZERO,
        binding_delay: Duration::ZERO,
        ..SimConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_workspaces() {
    const N: usize = 20_000;
    let sim = start(instant());
    let base = sim.object_count();
    for i in 0..N {
        sim.create("root", workspace(&format!("ws-{i:05}")))
            .unwrap_or_else(|e| panic!("ws-{i}: {e:?}"));
    }
    // Each Ready workspace has its Workspace, LogicalCluster and default Namespace.
    wait_for(&sim, "20,000 workspaces to be Ready", |s| {
        s.object_count() == base + 3 * N
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
    let sim = start(instant());
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
