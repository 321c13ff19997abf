//! kcp's own APIs in root and the default APIBindings a new workspace gets, with
//! `SimConfig::default_api_bindings`. kcp v0.11: root exports `tenancy.kcp.io`,
//! `scheduling.kcp.io`, `workload.kcp.io`, `apiresource.kcp.io`, `topology.kcp.io` and
//! `shards.core.kcp.io` and binds them all (each binding named after its export); a new
//! workspace of type `root:universal` (or `organization` or `team`, which extend it) binds
//! the first five, each as `<export>-<5 random characters>`, and stays `Initializing` until
//! they are Bound: first the `root:universal` initializer goes, then `system:apibindings`
//! once every default binding is Bound. kcp v0.28 (`--kcp-version 0.32`): the same with
//! `tenancy.kcp.io` and `topology.kcp.io` only. As seen on real kcp v0.11.0 and v0.28.0.
//!
//! The schemas have kcp's names, groups, kinds and scopes, but accept any content (kcp-sim
//! does not run TMC, scheduling or topology). `workspaces.tenancy.kcp.io` stays served by
//! kcp-sim itself in every workspace (the binding adds nothing to discovery).

use super::*;

/// One APIResourceSchema of kcp's: (name prefix, group, plural, singular, kind).
type Schema = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// An export of root's: its name, whether root binds it, its schemas.
type Export = (&'static str, bool, &'static [Schema]);

/// root's exports of kcp's own APIs, with the schema names kcp v0.11.0 gives them.
const V0_11_EXPORTS: &[Export] = &[
    (
        "apiresource.kcp.io",
        true,
        &[
            (
                "v220628-546034da",
                "apiresource.kcp.io",
                "apiresourceimports",
                "apiresourceimport",
                "APIResourceImport",
            ),
            (
                "v220628-546034da",
                "apiresource.kcp.io",
                "negotiatedapiresources",
                "negotiatedapiresource",
                "NegotiatedAPIResource",
            ),
        ],
    ),
    (
        "scheduling.kcp.io",
        true,
        &[
            (
                "v221006-eaaf199d",
                "scheduling.kcp.io",
                "locations",
                "location",
                "Location",
            ),
            (
                "v221212-cf67ac73a",
                "scheduling.kcp.io",
                "placements",
                "placement",
                "Placement",
            ),
        ],
    ),
    (
        "shards.core.kcp.io",
        true,
        &[("v230116-943e458f6", "core.kcp.io", "shards", "shard", "Shard")],
    ),
    (
        "tenancy.kcp.io",
        true,
        &[
            (
                "v221219-c92ed8152",
                "tenancy.kcp.io",
                "clusterworkspaces",
                "clusterworkspace",
                "ClusterWorkspace",
            ),
            (
                "v230110-89146c99",
                "tenancy.kcp.io",
                "workspacetypes",
                "workspacetype",
                "WorkspaceType",
            ),
            (
                "v230116-832a4a55d",
                "tenancy.kcp.io",
                "workspaces",
                "workspace",
                "Workspace",
            ),
        ],
    ),
    (
        "topology.kcp.io",
        true,
        &[
            (
                "v221115-9b370eb8",
                "topology.kcp.io",
                "partitions",
                "partition",
                "Partition",
            ),
            (
                "v230202-eee1a845",
                "topology.kcp.io",
                "partitionsets",
                "partitionset",
                "PartitionSet",
            ),
        ],
    ),
    (
        "workload.kcp.io",
        true,
        &[(
            "v230109-773b219c",
            "workload.kcp.io",
            "synctargets",
            "synctarget",
            "SyncTarget",
        )],
    ),
];

/// `root:universal`'s `spec.defaultAPIBindings` in kcp v0.11.0 (all in root), in its order.
const V0_11_DEFAULTS: &[&str] = &[
    "tenancy.kcp.io",
    "scheduling.kcp.io",
    "workload.kcp.io",
    "apiresource.kcp.io",
    "topology.kcp.io",
];

/// The same in kcp v0.28.0 (for `--kcp-version 0.32`): no TMC; `cache.kcp.io`, which root
/// does not bind.
const V0_28_EXPORTS: &[Export] = &[
    (
        "cache.kcp.io",
        false,
        &[
            (
                "v250604-36e6abf17",
                "cache.kcp.io",
                "cachedresourceendpointslices",
                "cachedresourceendpointslice",
                "CachedResourceEndpointSlice",
            ),
            (
                "v250523-2b8c1d3c5",
                "cache.kcp.io",
                "cachedresources",
                "cachedresource",
                "CachedResource",
            ),
        ],
    ),
    (
        "shards.core.kcp.io",
        true,
        &[("v240903-d6797056a", "core.kcp.io", "shards", "shard", "Shard")],
    ),
    (
        "tenancy.kcp.io",
        true,
        &[
            (
                "v250421-25d98218b",
                "tenancy.kcp.io",
                "workspaces",
                "workspace",
                "Workspace",
            ),
            (
                "v250603-d4d365c8e",
                "tenancy.kcp.io",
                "workspacetypes",
                "workspacetype",
                "WorkspaceType",
            ),
        ],
    ),
    (
        "topology.kcp.io",
        true,
        &[
            (
                "v240903-d6797056a",
                "topology.kcp.io",
                "partitions",
                "partition",
                "Partition",
            ),
            (
                "v240903-d6797056a",
                "topology.kcp.io",
                "partitionsets",
                "partitionset",
                "PartitionSet",
            ),
        ],
    ),
];

const V0_28_DEFAULTS: &[&str] = &["tenancy.kcp.io", "topology.kcp.io"];

/// root's exports and the universal type's default bindings, for the simulated kcp.
fn root_apis(sim: &Sim) -> (&'static [Export], &'static [&'static str]) {
    if crate::newest::enabled(sim) {
        (V0_28_EXPORTS, V0_28_DEFAULTS)
    } else {
        (V0_11_EXPORTS, V0_11_DEFAULTS)
    }
}

fn schema_object((prefix, group, plural, singular, kind): &Schema) -> Value {
    json!({
        "apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIResourceSchema",
        "metadata": {"name": format!("{prefix}.{plural}.{group}")},
        "spec": {
            "group": group,
            "names": {"kind": kind, "listKind": format!("{kind}List"), "plural": plural, "singular": singular},
            "scope": "Cluster",
            "versions": [{
                "name": "v1alpha1", "served": true, "storage": true, "subresources": {"status": {}},
                "schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
            }],
        },
    })
}

fn builtin(sim: &Sim, store_key: &str) -> Arc<ResourceDef> {
    sim.builtins
        .iter()
        // v1alpha1 (with `--kcp-version 0.32`, APIExports are served as v1alpha2 too).
        .find(|d| d.store_key() == store_key && d.version == "v1alpha1")
        .expect("kcp's APIs are built in")
        .clone()
}

/// `root:universal`'s default exports (all in root), for the simulated kcp.
pub(crate) fn root_default_exports(sim: &Sim) -> &'static [&'static str] {
    root_apis(sim).1
}

fn binding_object(path: &str, export: &str, named: bool) -> Value {
    let mut b = json!({
        "apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {},
        "spec": {"reference": {"export": {"path": path, "name": export}}},
    });
    if named {
        b["metadata"]["name"] = json!(export);
    } else {
        b["metadata"]["generateName"] = json!(format!("{export}-"));
    }
    b
}

/// At start: root's schemas and exports of kcp's own APIs, and root's bindings to them.
pub(crate) fn bootstrap_root_apis(sim: &Arc<Sim>) {
    let admin = User {
        name: "system:kcp".into(),
        role: Role::Masters,
    };
    let (schemas, exports, bindings) = (
        builtin(sim, SCHEMAS),
        builtin(sim, APIEXPORTS),
        builtin(sim, APIBINDINGS),
    );
    let strict = crate::api::Strictness::Strict;
    for (export, root_binds, members) in root_apis(sim).0 {
        let mut names = Vec::new();
        for s in members.iter() {
            let schema = schema_object(s);
            names.push(schema["metadata"]["name"].clone());
            let made = crate::api::create(sim, &admin, &schemas, "root", None, schema, strict, false);
            debug_assert!(made.is_ok(), "{made:?}");
        }
        let object = json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": export},
                            "spec": {"latestResourceSchemas": names}});
        let made = crate::api::create(sim, &admin, &exports, "root", None, object, strict, false);
        debug_assert!(made.is_ok(), "{made:?}");
        if *root_binds {
            let made = crate::api::create(
                sim,
                &admin,
                &bindings,
                "root",
                None,
                binding_object("root", export, true),
                strict,
                false,
            );
            debug_assert!(made.is_ok(), "{made:?}");
        }
    }
}

/// kcp v0.11's `kubernetes` export in `root:compute` (its `root-compute-workspace` battery,
/// config/rootcompute/kube-1.24): deployments, ingresses, services and pods, schemas named
/// `v124.<plural>.<group or core>`. As the other defaults, the schemas accept any content.
const V0_11_KUBERNETES: &[(&str, &str, &str, &str, &str)] = &[
    ("networking.k8s.io", "ingresses", "ingress", "Ingress", "ing"),
    ("", "services", "service", "Service", "svc"),
    ("apps", "deployments", "deployment", "Deployment", "deploy"),
    ("", "pods", "pod", "Pod", "po"),
];

/// kcp v0.11's `root:compute` (a `root:universal` workspace kcp's bootstrap makes) and, once
/// it is Ready, its `kubernetes` export. kcp v0.28 and later have no TMC and no root:compute.
pub(crate) fn bootstrap_root_compute(sim: &Arc<Sim>) {
    if crate::newest::enabled(sim) {
        return;
    }
    let admin = User {
        name: "system:kcp".into(),
        role: Role::Masters,
    };
    let strict = crate::api::Strictness::Strict;
    let ws = json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": "compute"},
                    "spec": {"type": {"name": "universal", "path": "root"}}});
    let made = crate::api::create(
        sim,
        &admin,
        &builtin(sim, WORKSPACES),
        "root",
        None,
        ws,
        strict,
        false,
    );
    debug_assert!(made.is_ok(), "{made:?}");
    let sim = sim.clone();
    sim.runtime.clone().spawn(async move {
        let mut changes = sim.state().subscribe();
        let id = loop {
            {
                let state = sim.state();
                let id = state.children.get(&("root".to_string(), "compute".to_string()));
                if let Some(id) = id.filter(|id| state.clusters.get(*id).is_some_and(|c| c.phase == Phase::Ready)) {
                    break id.clone();
                }
            }
            if let Err(tokio::sync::broadcast::error::RecvError::Closed) = changes.recv().await {
                return;
            }
        };
        let mut names = Vec::new();
        for (group, plural, singular, kind, short) in V0_11_KUBERNETES {
            let name = format!("v124.{plural}.{}", if group.is_empty() { "core" } else { group });
            let schema = json!({
                "apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIResourceSchema",
                "metadata": {"name": name},
                "spec": {
                    "group": group,
                    "names": {"kind": kind, "listKind": format!("{kind}List"), "plural": plural, "singular": singular,
                              "shortNames": [short], "categories": ["all"]},
                    "scope": "Namespaced",
                    "versions": [{
                        "name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
                        "schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                    }],
                },
            });
            let made = crate::api::create(&sim, &admin, &builtin(&sim, SCHEMAS), &id, None, schema, strict, false);
            debug_assert!(made.is_ok(), "{made:?}");
            names.push(name);
        }
        let export = json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport",
                            "metadata": {"name": "kubernetes", "annotations": {"extra.apis.kcp.io/compute.workload.kcp.io": "true"}},
                            "spec": {"latestResourceSchemas": names, "maximalPermissionPolicy": {"local": {}}}});
        let made = crate::api::create(&sim, &admin, &builtin(&sim, APIEXPORTS), &id, None, export, strict, false);
        debug_assert!(made.is_ok(), "{made:?}");
    });
}

/// kcp's initializers of a new workspace, after `initialize_delay`: the `root:universal`
/// one goes; the `system:apibindings` one binds the type's default exports (`(path, name)`),
/// accepting their permission claims, and goes once they are all Bound. An export not there
/// yet is waited for (kcp retries). Returns false when the workspace went away meanwhile.
pub(crate) async fn bind_defaults(
    sim: &Arc<Sim>,
    parent: &str,
    name: &str,
    uid: &Value,
    exports: &[(String, String)],
) -> bool {
    let mut changes = sim.state().subscribe();
    let id = {
        let mut state = sim.state();
        let Some(ws) = live_workspace(&state, parent, name, uid) else {
            return false;
        };
        let Some(id) = ws["spec"]["cluster"].as_str().map(String::from) else {
            return false;
        };
        let mut ws = (*ws).clone();
        ws["status"]["initializers"] = json!(["system:apibindings"]);
        state.put(WORKSPACES, key(parent, name), ws);
        id
    };
    let bindings = builtin(sim, APIBINDINGS);
    let admin = User {
        name: "system:kcp:apibinder-initializer".into(),
        role: Role::Masters,
    };
    let mut made: Vec<Option<String>> = vec![None; exports.len()];
    loop {
        for (i, (path, export)) in exports.iter().enumerate() {
            if made[i].is_some() {
                continue;
            }
            let Some(claims) = accepted_claims(&sim.state(), path, export) else {
                continue;
            };
            let mut object = binding_object(path, export, false);
            if !claims.is_empty() {
                object["spec"]["permissionClaims"] = Value::Array(claims);
            }
            let strict = crate::api::Strictness::Strict;
            if let Ok((b, _)) = crate::api::create(sim, &admin, &bindings, &id, None, object, strict, false) {
                made[i] = Some(b["metadata"]["name"].as_str().unwrap_or_default().to_string());
            }
        }
        // Until every default binding is Bound (kcp waits as long as it takes).
        {
            let state = sim.state();
            if live_workspace(&state, parent, name, uid).is_none() {
                return false;
            }
            let bound = made.iter().all(|n| {
                n.as_ref().is_some_and(|n| {
                    state
                        .get(APIBINDINGS, &key(&id, n))
                        .is_some_and(|b| b["status"]["phase"] == "Bound")
                })
            });
            if bound {
                return true;
            }
        }
        if let Err(tokio::sync::broadcast::error::RecvError::Closed) = changes.recv().await {
            return false;
        }
    }
}

/// The export's permission claims, each accepted (kcp's initializer accepts them all), or
/// None while the export is not there.
fn accepted_claims(state: &State, path: &str, export: &str) -> Option<Vec<Value>> {
    let id = state.resolve(path)?.id.clone();
    let export = state.get(APIEXPORTS, &key(&id, export))?;
    Some(
        export["spec"]["permissionClaims"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                // As kcp's client writes it: no empty group or identityHash.
                let mut a = json!({"resource": c["resource"], "all": true, "state": "Accepted"});
                for field in ["group", "identityHash"] {
                    if let Some(v) = c[field].as_str().filter(|v| !v.is_empty()) {
                        a[field] = json!(v);
                    }
                }
                a
            })
            .collect(),
    )
}
