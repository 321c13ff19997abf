//! When two APIResourceSchemas define the same API: the same group, names and scope, and
//! versions that serve, store, validate and default objects alike.
//!
//! What is ignored, and why: descriptions (schema and printer column) are free text that
//! changes nothing a server does, and ours come from Rust doc comments, KubeStellar's from Go
//! ones, so they never match; key order (JSON objects compare as maps); the order of
//! `required` (a set). Everything else a schema may say is compared, and a keyword this module
//! does not know counts as a difference, so an unknown change is never taken for none. kcp
//! v0.28 and later default `spec.nameValidation` to `DNS1123Subdomain` in a stored schema:
//! leaving it out and giving it that value are the same.
//!
//! `init espw` uses this to keep an export whose schemas (KubeStellar's own, say) already match
//! the generated ones; tests/e2e/edge_api.rs uses it to hold the generator to KubeStellar's files.

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Schema keywords that must be equal at every level.
const KEYWORDS: [&str; 16] = [
    "type",
    "required",
    "enum",
    "default",
    "format",
    "pattern",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "anyOf",
    "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
];
/// Keywords holding subschemas, walked into instead.
const NESTED: [&str; 3] = ["properties", "items", "additionalProperties"];
/// Spec fields compared as a whole, or walked into below.
const SPEC_FIELDS: [&str; 6] = [
    "group",
    "names",
    "scope",
    "versions",
    "conversion",
    "nameValidation",
];
const NAMES_FIELDS: [&str; 6] = [
    "kind",
    "listKind",
    "plural",
    "singular",
    "shortNames",
    "categories",
];
const VERSION_FIELDS: [&str; 7] = [
    "name",
    "served",
    "storage",
    "deprecated",
    "deprecationWarning",
    "subresources",
    "additionalPrinterColumns",
];
const COLUMN_FIELDS: [&str; 5] = ["name", "type", "jsonPath", "priority", "format"];

/// Every difference that matters between two APIResourceSchemas, one line each, naming the
/// place (`<label> schema .spec.field`, `[]` for items and `{}` for map values). Empty when the
/// two are equivalent.
pub fn schema_differences(label: &str, ours: &Value, theirs: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let mut same = |what: &str, x: &Value, y: &Value| {
        if x != y {
            diffs.push(format!("{label} {what}: ours {x}, theirs {y}"));
        }
    };
    same("apiVersion", &ours["apiVersion"], &theirs["apiVersion"]);
    same("kind", &ours["kind"], &theirs["kind"]);
    let (a, b) = (
        &super::without_server_defaults(&ours["spec"]),
        &super::without_server_defaults(&theirs["spec"]),
    );
    for field in ["group", "scope", "nameValidation"] {
        same(field, &a[field], &b[field]);
    }
    // No conversion and conversion `None` mean the same.
    let conversion = |s: &Value| match &s["conversion"] {
        Value::Null => json!({ "strategy": "None" }),
        c => c.clone(),
    };
    same("conversion", &conversion(a), &conversion(b));
    for field in NAMES_FIELDS {
        same(&format!("names.{field}"), &a["names"][field], &b["names"][field]);
    }
    let versions = |s: &Value| s["versions"].as_array().cloned().unwrap_or_default();
    let (va, vb) = (versions(a), versions(b));
    same("number of versions", &json!(va.len()), &json!(vb.len()));
    for (i, (va, vb)) in va.iter().zip(&vb).enumerate() {
        for field in VERSION_FIELDS {
            let (x, y) = if field == "additionalPrinterColumns" {
                (columns(va), columns(vb))
            } else {
                (va[field].clone(), vb[field].clone())
            };
            same(&format!("versions[{i}].{field}"), &x, &y);
        }
    }
    for (side, spec) in [("ours", a), ("theirs", b)] {
        unknown(label, side, spec, &SPEC_FIELDS, &mut diffs);
        unknown(
            &format!("{label} names"),
            side,
            &spec["names"],
            &NAMES_FIELDS,
            &mut diffs,
        );
        for version in versions(spec) {
            let known: Vec<&str> = VERSION_FIELDS.iter().copied().chain(["schema"]).collect();
            unknown(&format!("{label} version"), side, &version, &known, &mut diffs);
        }
    }
    for (va, vb) in va.iter().zip(&vb) {
        compare_schema(
            &format!("{label} schema "),
            &va["schema"],
            &vb["schema"],
            &mut diffs,
        );
    }
    diffs
}

/// Reports a field outside `known`: it would otherwise slip through unchecked.
fn unknown(label: &str, side: &str, object: &Value, known: &[&str], diffs: &mut Vec<String>) {
    for key in object.as_object().into_iter().flat_map(Map::keys) {
        if !known.contains(&key.as_str()) {
            diffs.push(format!("{label}: {side} has unchecked field {key}"));
        }
    }
}

/// Printer columns without their free-text descriptions.
fn columns(version: &Value) -> Value {
    let columns = version["additionalPrinterColumns"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let keep = |c: &Value| {
        COLUMN_FIELDS
            .iter()
            .filter_map(|f| Some((f.to_string(), c.get(*f)?.clone())))
            .collect()
    };
    Value::Array(columns.iter().map(|c| Value::Object(keep(c))).collect())
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_owned(), Value::to_string)
}

/// `required` is a set; its order carries no meaning.
fn normalized(keyword: &str, value: Option<&Value>) -> Option<Value> {
    match (keyword, value) {
        ("required", Some(Value::Array(items))) => {
            let mut items = items.clone();
            items.sort_by_key(Value::to_string);
            Some(Value::Array(items))
        }
        (_, value) => value.cloned(),
    }
}

/// Records every difference between two OpenAPI schemas at `path`, walking both trees.
fn compare_schema(path: &str, ours: &Value, theirs: &Value, diffs: &mut Vec<String>) {
    for keyword in KEYWORDS {
        let (a, b) = (
            normalized(keyword, ours.get(keyword)),
            normalized(keyword, theirs.get(keyword)),
        );
        if a != b {
            diffs.push(format!(
                "{path} {keyword}: ours {}, theirs {}",
                show(a.as_ref()),
                show(b.as_ref())
            ));
        }
    }
    for (side, schema) in [("ours", ours), ("theirs", theirs)] {
        for key in schema.as_object().into_iter().flat_map(Map::keys) {
            let key = key.as_str();
            let known = KEYWORDS.contains(&key) || NESTED.contains(&key) || key == "description";
            if !known {
                diffs.push(format!("{path}: {side} has unchecked keyword {key}"));
            }
        }
    }

    let empty = Map::new();
    let props = |s: &Value| {
        s.get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .clone()
    };
    let (our_props, their_props) = (props(ours), props(theirs));
    let names: BTreeSet<&String> = our_props.keys().chain(their_props.keys()).collect();
    for name in names {
        let child = format!("{path}.{name}");
        match (our_props.get(name), their_props.get(name)) {
            (Some(a), Some(b)) => compare_schema(&child, a, b, diffs),
            (Some(_), None) => diffs.push(format!("{child}: ours only")),
            (None, _) => diffs.push(format!("{child}: theirs only")),
        }
    }
    for (keyword, suffix) in [("items", "[]"), ("additionalProperties", "{}")] {
        let child = format!("{path}{suffix}");
        match (ours.get(keyword), theirs.get(keyword)) {
            (Some(a), Some(b)) => compare_schema(&child, a, b, diffs),
            (None, None) => {}
            (a, b) => diffs.push(format!("{child}: ours {}, theirs {}", show(a), show(b))),
        }
    }
}
