//! What `--kcp-version 0.32` changes: kcp v0.28 and later as an APIExport's client meets them.
//!
//! - APIExports and APIBindings are served as `apis.kcp.io/v1alpha2` (preferred) and
//!   `v1alpha1`; v1alpha2 lists `spec.resources` (`{name, group, schema, storage: {crd: {}}}`)
//!   instead of `spec.latestResourceSchemas`, and claims with `verbs` (`crate::v1alpha2`).
//!   Objects are stored as written and converted on the way out.
//! - An export gets no `status.virtualWorkspaces` and no `VirtualWorkspaceURLsReady`
//!   condition (kcp's alpha feature gate that keeps them is off).
//! - kcp makes an APIExportEndpointSlice named after the export, in its workspace, whose
//!   `status.endpoints` lists a shard's view URL only while something on that shard binds the
//!   export (none at first).
//! - A stored APIResourceSchema gets `spec.nameValidation: DNS1123Subdomain` by default.
//! - A Workspace's `spec.URL` names its logical cluster by path (`<base>/clusters/root:name`),
//!   not by ID, as a real kcp v0.28.0 was seen to do.
//! - A request under a workspace path that does not resolve (`/clusters/root:nope/...`) is
//!   answered 404 `workspaces.tenancy.kcp.io "root:nope" not found` (v0.11: 403), as a real
//!   kcp v0.32.3 was seen to do; a logical cluster ID that is not there is still 403.

use crate::kcp::{APIBINDINGS, EXPORT_LABEL, SLICES, export_label_value, view_url};
use crate::model::{ResourceDef, new_uid, now_rfc3339};
use crate::store::State;
use crate::{KcpVersion, Sim};
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::BTreeSet;

pub(crate) fn enabled(sim: &Sim) -> bool {
    sim.config.kcp_version == KcpVersion::V0_32
}

/// The `apis.kcp.io/v1alpha2` APIExport: the same storage as v1alpha1's.
pub(crate) fn apiexport_v1alpha2(v1alpha1: &ResourceDef) -> ResourceDef {
    let string = json!({"type": "string"});
    let resource = json!({
        "type": "object",
        "required": ["name", "group", "schema", "storage"],
        "properties": {
            "name": string, "group": string, "schema": string,
            "storage": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
        },
    });
    let mut def = v1alpha1.clone();
    def.version = "v1alpha2".into();
    def.schema = Some(json!({
        "type": "object",
        "properties": {
            "apiVersion": string, "kind": string, "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "x-kubernetes-preserve-unknown-fields": true,
                "properties": {"resources": {"type": "array", "items": resource}},
            },
            "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
        },
    }));
    def
}

/// The schemas an export offers, whichever version it was written in.
pub(crate) fn schema_names(export: &Value) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(String::from))
            .collect()
    };
    match export["spec"]["resources"].as_array() {
        Some(resources) => resources
            .iter()
            .filter_map(|r| r["schema"].as_str().map(String::from))
            .collect(),
        None => strings(&export["spec"]["latestResourceSchemas"]),
    }
}

/// An APIExport or APIBinding as `def`'s version shows it (kcp's conversion, for CRD-stored
/// resources; claims: `crate::v1alpha2`).
pub(crate) fn as_served<'a>(def: &ResourceDef, object: &'a Value) -> Cow<'a, Value> {
    let wanted = def.api_version();
    if def.group != "apis.kcp.io"
        || !matches!(def.plural.as_str(), "apiexports" | "apibindings")
        || object["apiVersion"].as_str().is_none_or(|v| v == wanted)
    {
        return Cow::Borrowed(object);
    }
    let mut out = object.clone();
    out["apiVersion"] = json!(wanted);
    if def.plural == "apibindings" {
        crate::v1alpha2::convert_binding(&mut out, &def.version);
        return Cow::Owned(out);
    }
    crate::v1alpha2::convert_export(&mut out, &def.version);
    let names = schema_names(object);
    let spec = out["spec"].as_object_mut();
    if let Some(spec) = spec {
        spec.remove("latestResourceSchemas");
        spec.remove("resources");
        if def.version == "v1alpha2" {
            let resources: Vec<Value> = names
                .iter()
                .map(|n| {
                    let rest = n.split_once('.').map_or("", |(_, r)| r);
                    let (plural, group) = rest.split_once('.').unwrap_or((rest, ""));
                    json!({"name": plural, "group": group, "schema": n, "storage": {"crd": {}}})
                })
                .collect();
            if !resources.is_empty() {
                spec.insert("resources".into(), Value::Array(resources));
            }
        } else if !names.is_empty() {
            spec.insert("latestResourceSchemas".into(), json!(names));
        }
    }
    Cow::Owned(out)
}

/// kcp's default in a schema's spec.
pub(crate) fn default_schema(spec: &mut Value) {
    if spec.is_object() && spec.get("nameValidation").is_none_or(Value::is_null) {
        spec["nameValidation"] = json!("DNS1123Subdomain");
    }
}

/// The slice kcp makes for an export, unless the export opts out or it exists.
pub(crate) fn ensure_slice(state: &mut State, cluster: &str, export: &Value) {
    let name = export["metadata"]["name"].as_str().unwrap_or_default();
    let key = (cluster.to_string(), String::new(), name.to_string());
    if export["metadata"]["annotations"]["apiexports.apis.kcp.io/skip-endpointslice"].is_string()
        || state.get(SLICES, &key).is_some()
    {
        return;
    }
    let path = export["metadata"]["annotations"]["kcp.io/path"].clone();
    let slice = json!({
        "apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExportEndpointSlice",
        "metadata": {
            "name": name, "uid": new_uid(), "creationTimestamp": now_rfc3339(), "generation": 1,
            "annotations": {"kcp.io/cluster": cluster},
            "ownerReferences": [{"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "name": name, "uid": export["metadata"]["uid"]}],
        },
        "spec": {"export": {"name": name, "path": path}},
        "status": {},
    });
    state.put(SLICES, key, slice);
}

/// A view URL for each shard where something binds the export, in shard order.
pub(crate) fn bound_endpoints(
    sim: &Sim,
    state: &State,
    export_cluster: &str,
    export_name: &str,
) -> Vec<Value> {
    let label = export_label_value(export_cluster, export_name);
    let shards: BTreeSet<usize> = state
        .list(APIBINDINGS, None, None)
        .filter(|(_, b)| b["metadata"]["labels"][EXPORT_LABEL] == label.as_str())
        .map(|(k, _)| crate::api::shard_of(sim, &k.0))
        .collect();
    shards
        .into_iter()
        .map(|s| json!({"url": view_url(sim, s, export_cluster, export_name)}))
        .collect()
}

/// Every slice's key, to follow bindings as they come and go.
pub(crate) fn all_slices(state: &State) -> Vec<(String, String)> {
    state
        .list(SLICES, None, None)
        .map(|(k, _)| (k.0.clone(), k.2.clone()))
        .collect()
}
