//! `apis.kcp.io/v1alpha2` permission claims (`--kcp-version 0.32`), converted as kcp's sdk
//! v0.32 does (`apis/apis/v1alpha2/types_api{export,binding}_conversion.go`). kcp stores
//! APIExports and APIBindings as v1alpha2; kcp-sim stores what was written and converts on the
//! way out, with the same result:
//!
//! - v1alpha1 → v1alpha2: a claim gets `verbs: ["*"]` (v1alpha1's claims carry no verbs, and
//!   `all` has no v1alpha2 field); a binding's accepted claim gets `selector: {matchAll: true}`.
//!   The v1alpha1 claims are kept in an annotation (`apis.v1alpha2.kcp.io/v1alpha1-...`), for
//!   the way back.
//! - v1alpha2 → v1alpha1: an export's claim loses its verbs (and shows no `all`); a binding's
//!   shows `all` as its selector's `matchAll`. Claims v1alpha1 cannot say (verbs other than
//!   `["*"]`, a selector other than `matchAll`) are kept in an annotation.
//!
//! Go's encoding omits an empty `group` (core) and `identityHash`.

use crate::model::ResourceDef;
use serde_json::{Map, Value, json};

const EXPORT_V1: &str = "apis.v1alpha2.kcp.io/v1alpha1-permission-claims";
const EXPORT_V2: &str = "apis.v1alpha2.kcp.io/permission-claims";
const BINDING_V2: &str = "apis.v1alpha2.kcp.io/acceptable-permission-claims";
const STATUS_V1: &str = "apis.v1alpha2.kcp.io/v1alpha1-status-export-permission-claims";
const STATUS_V2: &str = "apis.v1alpha2.kcp.io/status-export-permission-claims";
const APPLIED_V2: &str = "apis.v1alpha2.kcp.io/status-applied-permission-claims";

/// The `apis.kcp.io/v1alpha2` APIBinding: the same storage as v1alpha1's.
pub(crate) fn apibinding_v1alpha2(v1alpha1: &ResourceDef) -> ResourceDef {
    let mut def = v1alpha1.clone();
    def.version = "v1alpha2".into();
    def.schema = Some(json!({
        "type": "object",
        "properties": {
            "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
            "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
            "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
        },
    }));
    def
}

/// `group`, `resource`, then `identityHash`, as Go writes a claim's identity (empty ones out).
fn identity(claim: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(g) = claim["group"].as_str().filter(|g| !g.is_empty()) {
        out.insert("group".into(), json!(g));
    }
    out.insert("resource".into(), claim["resource"].clone());
    if let Some(h) = claim["identityHash"].as_str().filter(|h| !h.is_empty()) {
        out.insert("identityHash".into(), json!(h));
    }
    out
}

fn wildcard(claim: &Value) -> bool {
    claim["verbs"] == json!(["*"])
}

fn match_all(claim: &Value) -> bool {
    claim["selector"]["matchAll"] == Value::Bool(true)
}

fn claims(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

fn annotate(object: &mut Value, key: &str, kept: &[Value]) {
    if !kept.is_empty() {
        let text = serde_json::to_string(kept).unwrap_or_default();
        object["metadata"]["annotations"][key] = json!(text);
    }
}

fn set(object: &mut Value, pointer: &[&str], list: Vec<Value>) {
    let mut at = &mut *object;
    for p in pointer {
        at = &mut at[*p];
    }
    *at = Value::Array(list);
}

/// An APIExport's claims converted to `version` (`v1alpha1` or `v1alpha2`).
pub(crate) fn convert_export(object: &mut Value, version: &str) {
    let original = claims(&object["spec"]["permissionClaims"]);
    if original.is_empty() {
        return;
    }
    if version == "v1alpha2" {
        annotate(object, EXPORT_V1, &original);
        let converted = original
            .iter()
            .map(|c| {
                let mut m = identity(c);
                m.insert("verbs".into(), json!(["*"]));
                Value::Object(m)
            })
            .collect();
        set(object, &["spec", "permissionClaims"], converted);
    } else {
        let kept: Vec<Value> = original.iter().filter(|c| !wildcard(c)).cloned().collect();
        annotate(object, EXPORT_V2, &kept);
        set(
            object,
            &["spec", "permissionClaims"],
            original.iter().map(|c| Value::Object(identity(c))).collect(),
        );
    }
}

/// An APIBinding's claims (spec and status) converted to `version`.
pub(crate) fn convert_binding(object: &mut Value, version: &str) {
    let spec = claims(&object["spec"]["permissionClaims"]);
    let exported = claims(&object["status"]["exportPermissionClaims"]);
    let applied = claims(&object["status"]["appliedPermissionClaims"]);
    if version == "v1alpha2" {
        let scoped = |c: &Value, state: bool| {
            let mut m = identity(c);
            m.insert("verbs".into(), json!(["*"]));
            m.insert("selector".into(), json!({"matchAll": true}));
            if state {
                m.insert("state".into(), c["state"].clone());
            }
            Value::Object(m)
        };
        let selected: Vec<Value> = spec
            .iter()
            .filter(|c| c.get("resourceSelector").is_some())
            .cloned()
            .collect();
        annotate(object, EXPORT_V1, &selected);
        annotate(object, STATUS_V1, &exported);
        if !spec.is_empty() {
            set(
                object,
                &["spec", "permissionClaims"],
                spec.iter().map(|c| scoped(c, true)).collect(),
            );
        }
        if !exported.is_empty() {
            let verbs = |c: &Value| {
                let mut m = identity(c);
                m.insert("verbs".into(), json!(["*"]));
                Value::Object(m)
            };
            set(
                object,
                &["status", "exportPermissionClaims"],
                exported.iter().map(verbs).collect(),
            );
        }
        if !applied.is_empty() {
            set(
                object,
                &["status", "appliedPermissionClaims"],
                applied.iter().map(|c| scoped(c, false)).collect(),
            );
        }
    } else {
        let back = |c: &Value, state: bool| {
            let mut m = identity(c);
            if match_all(c) {
                m.insert("all".into(), json!(true));
            }
            if state {
                m.insert("state".into(), c["state"].clone());
            }
            Value::Object(m)
        };
        let odd = |list: &[Value]| -> Vec<Value> {
            list.iter()
                .filter(|c| !(wildcard(c) && match_all(c)))
                .cloned()
                .collect()
        };
        annotate(object, BINDING_V2, &odd(&spec));
        annotate(object, APPLIED_V2, &odd(&applied));
        let kept: Vec<Value> = exported.iter().filter(|c| !wildcard(c)).cloned().collect();
        annotate(object, STATUS_V2, &kept);
        if !spec.is_empty() {
            set(
                object,
                &["spec", "permissionClaims"],
                spec.iter().map(|c| back(c, true)).collect(),
            );
        }
        if !exported.is_empty() {
            let plain = exported.iter().map(|c| Value::Object(identity(c))).collect();
            set(object, &["status", "exportPermissionClaims"], plain);
        }
        if !applied.is_empty() {
            set(
                object,
                &["status", "appliedPermissionClaims"],
                applied.iter().map(|c| back(c, false)).collect(),
            );
        }
    }
}
