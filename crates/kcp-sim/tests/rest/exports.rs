//! APIResourceSchemas, APIExports, APIBindings, endpoint slices and the export's view.

use super::*;

// -----------------------------------------------------------------------------------------
// APIResourceSchemas, APIExports, APIBindings and the export's view

/// A cluster-scoped `widgets.test.io/v1` with a status subresource, a required field and a
/// default, to exercise validation of bound resources.
pub(super) fn widget_schema(name: &str) -> Value {
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

pub(super) fn widget(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "test.io/v1", "kind": "Widget", "metadata": {"name": name}, "spec": spec})
}

/// `root:provider` exports `test.io`'s widgets; the export's view URLs once it publishes them.
pub(super) async fn widget_export_views(sim: &impl Target, admin: &kube::Client) -> Vec<String> {
    post(
        admin,
        &at("root:provider", &format!("{APIS}/apiresourceschemas")),
        widget_schema("v1.widgets.test.io"),
    )
    .await
    .ok(201);
    post(
        admin,
        &at("root:provider", &format!("{APIS}/apiexports")),
        export("test.io", &["v1.widgets.test.io"]),
    )
    .await
    .ok(201);
    let exported = wait_object(sim, "root:provider", AV, "apiexports", "test.io", |e| {
        e["status"]["virtualWorkspaces"].is_array()
    });
    exported["status"]["virtualWorkspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["url"].as_str().unwrap().to_string())
        .collect()
}

pub(super) fn export(name: &str, schemas: &[&str]) -> Value {
    json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": name},
           "spec": {"latestResourceSchemas": schemas}})
}

pub(super) fn binding(name: &str, path: &str, export: &str) -> Value {
    json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": name},
           "spec": {"reference": {"export": {"path": path, "name": export}}}})
}

pub(super) fn slice(name: &str, path: &str, export: &str) -> Value {
    json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExportEndpointSlice", "metadata": {"name": name},
           "spec": {"export": {"path": path, "name": export}}})
}

/// The path part of a URL on the server.
pub(super) fn path_of<'a>(server: &impl Target, url: &'a str) -> &'a str {
    url.strip_prefix(server.url())
        .unwrap_or_else(|| panic!("{url} is not on {}", server.url()))
}

pub(super) const AV: &str = "apis.kcp.io/v1alpha1";

pub(super) fn wait_bound(server: &impl Target, path: &str, name: &str) -> Value {
    wait_object(server, path, AV, "apibindings", name, |b| {
        b["status"]["phase"] == "Bound"
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemas_exports_bindings_and_validation() {
    let server = Server::start(fast());
    let home = server.home();
    let (provider_path, consumer_path) = (server.under("provider"), server.under("consumer"));
    let provider = ready_workspace(&server, home, "provider");
    ready_workspace(&server, home, "consumer");
    ready_workspace(&server, home, "other");
    let admin = client(&server, "root").await;

    // Schema names are <prefix>.<plural>.<group> (kcp's admission: 403) and DNS subdomains
    // (the generic validation: 422); schemas are immutable (admission: 403).
    let schemas = at(&provider_path, &format!("{APIS}/apiresourceschemas"));
    for bad in ["widgets.test.io", "v1.gadgets.test.io", "1x.widgets.test.io"] {
        let reply = post(&admin, &schemas, widget_schema(bad)).await;
        reply.fails(403, "Forbidden");
        assert!(
            reply
                .message()
                .contains("is forbidden: [metadata.name: Invalid value:"),
            "{}",
            reply.body
        );
    }
    post(&admin, &schemas, widget_schema("V1.widgets.test.io"))
        .await
        .fails(422, "Invalid");
    post(&admin, &schemas, widget_schema("v1.widgets.test.io"))
        .await
        .ok(201);
    let one = format!("{schemas}/v1.widgets.test.io");
    let change = json!({"spec": {"names": {"shortNames": ["wd"]}}});
    let reply = patch(&admin, &one, "application/merge-patch+json", change).await;
    reply.fails(403, "Forbidden");
    assert!(reply.message().ends_with(": is immutable]"), "{}", reply.body);
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
        &at(&provider_path, &format!("{APIS}/apiexports")),
        export("test.io", &["v1.widgets.test.io"]),
    )
    .await
    .ok(201);
    let exported = wait_object(&server, &provider_path, AV, "apiexports", "test.io", |e| {
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
        json!(provider_path)
    );
    let view_url = format!("{}/services/apiexport/{provider}/test.io", server.url());
    assert_eq!(
        exported["status"]["virtualWorkspaces"],
        json!([{"url": view_url}])
    );
    post(
        &admin,
        &at(&provider_path, &format!("{APIS}/apiexportendpointslices")),
        slice("test.io", &provider_path, "test.io"),
    )
    .await
    .ok(201);
    let sliced = wait_object(
        &server,
        &provider_path,
        AV,
        "apiexportendpointslices",
        "test.io",
        |s| s["status"]["endpoints"].as_array().is_some_and(|e| !e.is_empty()),
    );
    assert_eq!(sliced["status"]["endpoints"], json!([{"url": view_url}]));
    assert_eq!(condition(&sliced, "PartitionValid")["status"], "True");
    // The export's first reconcile names its identity Secret (kcp-system/<export>).
    let exported = server.get(&provider_path, AV, "apiexports", "test.io").unwrap();
    assert_eq!(
        exported["spec"]["identity"]["secretRef"],
        json!({"namespace": "kcp-system", "name": "test.io"})
    );
    // A slice of an export elsewhere that does not exist is refused, as a binding is; one in
    // its own workspace is made, and has no endpoints.
    let reply = post(
        &admin,
        &at(&provider_path, &format!("{APIS}/apiexportendpointslices")),
        slice("orphan", &provider_path, "nope.io"),
    )
    .await;
    reply.fails(403, "Forbidden");
    assert!(
        reply.message().ends_with(&format!(
            "unable to create APIExportEndpointSlice: no permission to bind to export {provider_path}:nope.io"
        )),
        "{}",
        reply.body
    );
    let own = json!({"apiVersion": AV, "kind": "APIExportEndpointSlice", "metadata": {"name": "orphan"},
                     "spec": {"export": {"name": "nope.io"}}});
    post(
        &admin,
        &at(&provider_path, &format!("{APIS}/apiexportendpointslices")),
        own,
    )
    .await
    .ok(201);
    let orphan = wait_object(
        &server,
        &provider_path,
        AV,
        "apiexportendpointslices",
        "orphan",
        |s| condition(s, "APIExportValid")["status"] == "False",
    );
    assert!(orphan["status"].get("endpoints").is_none(), "{orphan}");

    // Binding needs an export that exists (and kcp does not say which part is missing).
    let bindings = at(&consumer_path, &format!("{APIS}/apibindings"));
    post(&admin, &bindings, binding("nope", &provider_path, "nope.io"))
        .await
        .fails(403, "Forbidden");
    post(&admin, &bindings, binding("nope", "root:nowhere", "test.io"))
        .await
        .fails(403, "Forbidden");

    // Before the binding, widgets are not served.
    let widgets = at(&consumer_path, "apis/test.io/v1/widgets");
    not_served(&server, &get(&admin, &widgets).await);
    let created = post(&admin, &bindings, binding("test", &provider_path, "test.io"))
        .await
        .ok(201);
    assert!(
        created["metadata"]["labels"]["internal.apis.kcp.io/export"].is_string(),
        "{created}"
    );
    let bound = wait_bound(&server, &consumer_path, "test");
    served(&admin, &widgets).await.ok(200);
    assert_eq!(bound["status"]["apiExportClusterName"], json!(provider));
    let schema_uid = server
        .get(&provider_path, AV, "apiresourceschemas", "v1.widgets.test.io")
        .unwrap()["metadata"]["uid"]
        .clone();
    assert_eq!(
        bound["status"]["boundResources"],
        json!([{"group": "test.io", "resource": "widgets", "storageVersions": ["v1"],
                "schema": {"name": "v1.widgets.test.io", "UID": schema_uid, "identityHash": hash}}])
    );
    assert_eq!(condition(&bound, "Ready")["status"], "True");
    // The reference cannot change.
    let moved = json!({"spec": {"reference": {"export": {"path": provider_path, "name": "other"}}}});
    let reply = patch(
        &admin,
        &format!("{bindings}/test"),
        "application/merge-patch+json",
        moved,
    )
    .await;
    if server.differs_on_real("a reference changed to an export that does not exist is 403 \"unable to update APIBinding: no permission to bind to export ...\" (kcp's admission answers before the CRD's immutability rule)") {
        reply.fails(403, "Forbidden");
    } else {
        reply.fails(422, "Invalid");
    }

    // Discovery shows the bound group; the other workspace still does not serve it.
    let groups = get(&admin, &at(&consumer_path, "apis")).await.ok(200);
    assert!(
        groups["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["name"] == "test.io"),
        "{groups}"
    );
    let resources = get(&admin, &at(&consumer_path, "apis/test.io/v1")).await.ok(200);
    let served: Vec<&str> = resources["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(served, ["widgets", "widgets/status"]);
    let other = server.under("other");
    let reply = get(&admin, &at(&other, "apis/test.io/v1")).await;
    if server.differs_on_real("once a workspace serves a group/version, another's discovery of it is 200 with no resources, not 404") {
        assert_eq!(reply.ok(200)["resources"], json!([]));
    } else {
        reply.fails(404, "NotFound");
    }
    not_served(
        &server,
        &get(&admin, &at(&other, "apis/test.io/v1/widgets")).await,
    );

    // Bound resources are validated against the schema.
    let mut gadget = widget("g", json!({"size": 1}));
    gadget["kind"] = json!("Gadget");
    let reply = post(&admin, &widgets, gadget).await;
    reply.fails(422, "Invalid");
    assert!(
        reply
            .message()
            .ends_with("kind: Invalid value: \"Gadget\": must be Widget"),
        "{}",
        reply.body
    );
    let mut other_version = widget("g", json!({"size": 1}));
    other_version["apiVersion"] = json!("test.io/v2");
    post(&admin, &widgets, other_version)
        .await
        .fails(400, "BadRequest");
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
    let ignored = "fieldValidation is ignored (Kubernetes 1.24's alpha gate is off): an unknown field is pruned silently, Strict or not, with no Warning header";
    let reply = if server.differs_on_real(ignored) {
        assert!(reply.headers.get("Warning").is_none(), "{:?}", reply.headers);
        reply
    } else {
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
        reply
    };
    let w = reply.ok(201);
    assert_eq!(w["spec"], json!({"size": 1, "color": "blue"}));
    assert_eq!(
        cluster_of(&w),
        server
            .get(home, "tenancy.kcp.io/v1alpha1", "workspaces", "consumer")
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
    let server = Server::start(fast());
    let home = server.home();
    let provider_path = server.under("provider");
    let provider = ready_workspace(&server, home, "provider");
    let c1 = ready_workspace(&server, home, "c1");
    let c2 = ready_workspace(&server, home, "c2");
    ready_workspace(&server, home, "c3");
    let admin = client(&server, "root").await;
    for (s, e) in [
        ("v1.widgets.test.io", "test.io"),
        ("v2.widgets.test.io", "second.io"),
    ] {
        post(
            &admin,
            &at(&provider_path, &format!("{APIS}/apiresourceschemas")),
            widget_schema(s),
        )
        .await
        .ok(201);
        post(
            &admin,
            &at(&provider_path, &format!("{APIS}/apiexports")),
            export(e, &[s]),
        )
        .await
        .ok(201);
    }
    // c1 and c2 bind test.io; c3 binds second.io, which serves the same group/resource under
    // another identity and must not show up in test.io's view.
    for (ws, b, e) in [
        ("c1", "test", "test.io"),
        ("c2", "test", "test.io"),
        ("c3", "second", "second.io"),
    ] {
        let ws = server.under(ws);
        post(
            &admin,
            &at(&ws, &format!("{APIS}/apibindings")),
            binding(b, &provider_path, e),
        )
        .await
        .ok(201);
        wait_bound(&server, &ws, b);
        for n in ["one", "two"] {
            post(
                &admin,
                &at(&ws, "apis/test.io/v1/widgets"),
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
    get(&admin, &at(&server.under("c2"), "apis/test.io/v1/widgets/three"))
        .await
        .fails(404, "NotFound");
    get(&admin, &at(&server.under("c1"), "apis/test.io/v1/widgets/one"))
        .await
        .ok(200);
    // Only list and watch across consumers (nothing else is routed there: 404); a consumer is
    // named by ID, not path (403); a consumer that did not bind this export has nothing here.
    get(&admin, &format!("{all}/one")).await.fails(404, "NotFound");
    let reply = get(
        &admin,
        &format!("{view}/clusters/{}/apis/test.io/v1/widgets", server.under("c1")),
    )
    .await;
    reply.fails(403, "Forbidden");
    assert!(
        reply
            .message()
            .ends_with("Path not resolved to a valid virtual workspace"),
        "{}",
        reply.body
    );
    let c3 = server
        .get(home, "tenancy.kcp.io/v1alpha1", "workspaces", "c3")
        .unwrap()["spec"]["cluster"]
        .clone();
    let in_c3 = format!("{view}/clusters/{}/apis/test.io/v1/widgets", c3.as_str().unwrap());
    not_served(&server, &get(&admin, &in_c3).await);
    not_served(
        &server,
        &post(&admin, &in_c3, widget("sneaked", json!({"size": 1}))).await,
    );
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
    post(&admin, &in_c1, binding("more", &provider_path, "test.io"))
        .await
        .fails(405, "MethodNotAllowed");
    delete(&admin, &format!("{in_c1}/test"))
        .await
        .fails(405, "MethodNotAllowed");

    // The read-only user may not use the view at all.
    if let Some(sim) = server.sim_part("kcp-sim's read-only `user` (real kcp's kubeconfig has none)") {
        let user = client(sim, "user").await;
        get(&user, &all).await.fails(403, "Forbidden");
    }
    // An unknown export has no view.
    let reply = get(
        &admin,
        &format!("/services/apiexport/{provider}/nope.io/clusters/*/apis/test.io/v1/widgets"),
    )
    .await;
    if server.differs_on_real("the view of an export that does not exist is 500, \"Internal Server Error: ...: API export not found\" (plain text), not 404") {
        assert_eq!(reply.status, 500, "{}", reply.body);
    } else {
        reply.fails(404, "NotFound");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_legacy_urls_only_slices_carry_the_view() {
    let Some(sim) = sim_only(
        "kcp-sim's --no-legacy-view-urls (kcp v0.11 always fills status.virtualWorkspaces)",
        SimConfig {
            legacy_view_urls: false,
            ..fast()
        },
    ) else {
        return;
    };
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
    let Some(sim) = sim_only(
        "kcp-sim's --kcp-version 0.32 (checked against a real v0.28 by the top-level suite)",
        SimConfig {
            kcp_version: kcp_sim::KcpVersion::V0_32,
            ..fast()
        },
    ) else {
        return;
    };
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
    let Some(sim) = sim_only(
        "kcp-sim's --shards 2 (the real kcp is one shard)",
        SimConfig { shards: 2, ..fast() },
    ) else {
        return;
    };
    let provider = ready_workspace(&sim, "root", "provider");
    let admin = client(&sim, "root").await;
    let urls = widget_export_views(&sim, &admin).await;
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
