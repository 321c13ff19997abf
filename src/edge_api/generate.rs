//! APIResourceSchemas and the APIExport, generated from the kinds' Rust definitions.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResourceExt;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{
    Customizer, EXPORT_NAME, EdgePlacement, EdgeSyncConfig, Location, SinglePlacementSlice, SyncTarget,
    SyncerConfig,
};
use crate::kcp::Address;
use crate::kcp::types::{ApiExport, ApiResourceSchema};

/// Every kind's CRD as kube derives it, with whether kcp serves its status subresource:
/// kube ties that to having a status, but KubeStellar enabled it only for two kinds.
fn kinds() -> [(CustomResourceDefinition, bool); 7] {
    [
        (Customizer::crd(), false),
        (EdgePlacement::crd(), false),
        (EdgeSyncConfig::crd(), false),
        (Location::crd(), true),
        (SinglePlacementSlice::crd(), false),
        (SyncerConfig::crd(), false),
        (SyncTarget::crd(), true),
    ]
}

/// One APIResourceSchema per kind, named `<prefix>.<plural>.<group>` (see [`schema_name_prefix`]).
pub fn resource_schemas() -> Vec<Value> {
    kinds()
        .into_iter()
        .map(|(crd, status)| resource_schema(crd, status))
        .collect()
}

/// The APIExport offering the given schemas (sorted, so the object does not depend on order).
pub fn api_export(schema_names: &[String]) -> Value {
    let mut names = schema_names.to_vec();
    names.sort();
    names.dedup();
    ApiExport::manifest(json!({
        "metadata": { "name": EXPORT_NAME },
        "spec": { "latestResourceSchemas": names },
    }))
}

/// The same export as `apis.kcp.io/v1alpha2` (kcp v0.28 and later), whose `spec.resources`
/// name each resource, its group and its schema, stored as CRDs. The resource and group come
/// from the schema's name, `<prefix>.<plural>.<group>`, as kcp requires it.
pub fn api_export_v1alpha2(schema_names: &[String]) -> Value {
    let mut export = ApiExport::manifest(json!({
        "metadata": { "name": EXPORT_NAME },
        "spec": { "resources": exported_resources(schema_names) },
    }));
    export["apiVersion"] = json!(format!("{}/v1alpha2", <ApiExport as kube::Resource>::group(&())));
    export
}

/// `spec.resources` of a v1alpha2 APIExport offering these schemas, sorted by schema name.
pub fn exported_resources(schema_names: &[String]) -> Vec<Value> {
    let mut names = schema_names.to_vec();
    names.sort();
    names.dedup();
    names
        .iter()
        .map(|n| {
            let (_, resource) = n.split_once('.').unwrap_or_default();
            let (plural, group) = resource.split_once('.').unwrap_or((resource, ""));
            json!({"name": plural, "group": group, "schema": n, "storage": {"crd": {}}})
        })
        .collect()
}

/// What kcp v0.28 and later default in a stored APIResourceSchema's spec, left out: so that a
/// schema read back compares equal to the one written.
pub fn without_server_defaults(spec: &Value) -> Value {
    let mut spec = spec.clone();
    if let Some(m) = spec.as_object_mut()
        && m.get("nameValidation").and_then(Value::as_str) == Some("DNS1123Subdomain")
    {
        m.remove("nameValidation");
    }
    spec
}

/// The name prefix of an APIResourceSchema with this `spec`: `v` and 10 hex digits of the
/// SHA-256 of its canonical JSON. kcp schemas are immutable, so a changed definition must
/// get a new name, and hashing the content does that without a date or commit to hand.
pub fn schema_name_prefix(spec: &Value) -> String {
    let canonical = serde_json::to_vec(&canonical(spec)).expect("a JSON value serializes");
    let digest = Sha256::digest(canonical);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("v{}", &hex[..10])
}

fn resource_schema(crd: CustomResourceDefinition, status_subresource: bool) -> Value {
    let spec = crd.spec;
    let version = spec
        .versions
        .into_iter()
        .next()
        .expect("the derive makes one version");
    let schema = version
        .schema
        .and_then(|s| s.open_api_v3_schema)
        .expect("the derive makes a schema");
    let mut names = spec.names;
    names.list_kind = Some(format!("{}List", names.kind));
    let mut version_json = json!({
        "name": version.name,
        "served": version.served,
        "storage": version.storage,
        "schema": structural(raw(&schema)),
        "subresources": if status_subresource { json!({ "status": {} }) } else { json!({}) },
    });
    if let Some(columns) = version.additional_printer_columns {
        version_json["additionalPrinterColumns"] = raw(&columns);
    }
    let name_suffix = format!("{}.{}", names.plural, spec.group);
    let spec = canonical(&json!({
        "group": spec.group,
        "names": raw(&names),
        "scope": spec.scope,
        "versions": [version_json],
    }));
    let name = format!("{}.{name_suffix}", schema_name_prefix(&spec));
    ApiResourceSchema::manifest(json!({
        "metadata": { "name": name },
        "spec": spec,
    }))
}

/// Turns kube's CRD schema into the one controller-gen wrote for the Go types.
fn structural(mut schema: Value) -> Value {
    strip_nullable_spell_int_or_string(&mut schema);
    let root = schema.as_object_mut().expect("the root schema is an object");
    root.remove("title");
    // kube's root struct always has a `spec`; the Go types mark it `omitempty`.
    if let Some(Value::Array(required)) = root.get_mut("required") {
        required.retain(|r| r != "spec");
        if required.is_empty() {
            root.remove("required");
        }
    }
    // kube leaves these to the apiserver; controller-gen lists them, and so does kcp's copy.
    let properties = root["properties"]
        .as_object_mut()
        .expect("the root schema has properties");
    properties.insert(
        "apiVersion".into(),
        json!({ "type": "string", "description": "Group and version of the object's schema." }),
    );
    properties.insert(
        "kind".into(),
        json!({ "type": "string", "description": "Kind of the object." }),
    );
    properties.insert("metadata".into(), json!({ "type": "object" }));
    schema
}

/// Optional fields are not `nullable` in the Go schemas (an absent field is simply omitted),
/// and kube's enum rewriting empties the `anyOf` that controller-gen gives every int-or-string.
fn strip_nullable_spell_int_or_string(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else { return };
    map.remove("nullable");
    if map.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
        map.insert(
            "anyOf".into(),
            json!([{ "type": "integer" }, { "type": "string" }]),
        );
    }
    // Only into subschemas: a property or a default value may well be called `nullable`.
    for (key, sub) in map.iter_mut() {
        match key.as_str() {
            "properties" => sub
                .as_object_mut()
                .into_iter()
                .flat_map(|p| p.values_mut())
                .for_each(strip_nullable_spell_int_or_string),
            "items" | "additionalProperties" => strip_nullable_spell_int_or_string(sub),
            "anyOf" | "allOf" | "oneOf" => sub
                .as_array_mut()
                .into_iter()
                .flatten()
                .for_each(strip_nullable_spell_int_or_string),
            _ => {}
        }
    }
}

fn raw<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("k8s-openapi types serialize")
}

/// The value with every object's keys sorted, whatever serde_json's map order is.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), canonical(v)))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}
