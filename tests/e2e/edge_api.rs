//! The generated `edge.kubestellar.io` schemas against KubeStellar v0.14's own, which kcp
//! servers and KubeStellar's controllers already hold (tests/fixtures/edge-api-v0.14).

use std::collections::{BTreeMap, BTreeSet};

use kube::Resource;
use kubectl_kubestellar::edge_api::{self, API_VERSION, EXPORT_NAME, GROUP, VERSION};
use regex::Regex;
use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/edge-api-v0.14");
const PLURALS: [&str; 7] = [
    "customizers",
    "edgeplacements",
    "edgesyncconfigs",
    "locations",
    "singleplacementslices",
    "syncerconfigs",
    "synctargets",
];

fn fixture(file: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{file}")).expect("fixture is readable");
    serde_saphyr::from_str(&text).expect("fixture is YAML")
}

fn reference(plural: &str) -> Value {
    fixture(&format!("apiresourceschema-{plural}.{GROUP}.yaml"))
}

/// The generated schemas by plural.
fn generated() -> BTreeMap<String, Value> {
    edge_api::resource_schemas()
        .into_iter()
        .map(|s| {
            (
                s["spec"]["names"]["plural"].as_str().expect("plural").to_owned(),
                s,
            )
        })
        .collect()
}

#[test]
fn schemas_match_kubestellar_v0_14_field_by_field() {
    let generated = generated();
    assert_eq!(generated.keys().map(String::as_str).collect::<Vec<_>>(), PLURALS);
    let diffs: Vec<String> = PLURALS
        .iter()
        .flat_map(|plural| edge_api::schema_differences(plural, &generated[*plural], &reference(plural)))
        .collect();
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

/// The comparison itself must notice a difference, with a readable path.
#[test]
fn comparison_reports_differences_with_their_path() {
    let theirs = reference("synctargets");
    let mut ours = generated()["synctargets"].clone();
    let state = &mut ours["spec"]["versions"][0]["schema"]["properties"]["status"]["properties"]["syncedResources"]
        ["items"]["properties"]["state"];
    state["default"] = json!("Accepted");
    assert_eq!(
        edge_api::schema_differences("synctargets", &ours, &theirs),
        [r#"synctargets schema .status.syncedResources[].state default: ours "Accepted", theirs "Pending""#]
    );
    // What does not matter: descriptions, key order, the order of `required`.
    let mut reworded = theirs.clone();
    let schema = &mut reworded["spec"]["versions"][0]["schema"];
    schema["description"] = json!("reworded");
    let required = schema
        .pointer_mut("/properties/status/properties/syncedResources/items/required")
        .and_then(Value::as_array_mut)
        .expect("KubeStellar's synced resources have required fields");
    assert!(required.len() > 1);
    required.reverse();
    assert_eq!(
        edge_api::schema_differences("synctargets", &reworded, &theirs),
        Vec::<String>::new()
    );
    // An unknown keyword is a difference, not silence.
    let mut extra = theirs.clone();
    extra["spec"]["versions"][0]["schema"]["properties"]["spec"]["x-new"] = json!(1);
    assert_eq!(
        edge_api::schema_differences("synctargets", &extra, &theirs),
        ["synctargets schema .spec: ours has unchecked keyword x-new"]
    );
}

#[test]
fn schemas_are_structural() {
    fn walk(path: &str, schema: &Value, problems: &mut Vec<String>) {
        let Some(map) = schema.as_object() else { return };
        for bad in [
            "$ref",
            "nullable",
            "oneOf",
            "allOf",
            "title",
            "$schema",
            "definitions",
        ] {
            if map.contains_key(bad) {
                problems.push(format!("{path}: has {bad}"));
            }
        }
        if map.contains_key("properties") && map.get("type") != Some(&json!("object")) {
            problems.push(format!("{path}: properties without type object"));
        }
        let int_or_string = map.get("x-kubernetes-int-or-string") == Some(&json!(true));
        if !map.contains_key("type") && !int_or_string {
            problems.push(format!("{path}: no type"));
        }
        for (name, sub) in map
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            walk(&format!("{path}.{name}"), sub, problems);
        }
        for (keyword, suffix) in [("items", "[]"), ("additionalProperties", "{}")] {
            if let Some(sub) = map.get(keyword) {
                walk(&format!("{path}{suffix}"), sub, problems);
            }
        }
    }
    let mut problems = Vec::new();
    for (plural, s) in generated() {
        let schema = &s["spec"]["versions"][0]["schema"];
        walk(&plural, schema, &mut problems);
        let root = &schema["properties"];
        assert_eq!(root["apiVersion"]["type"], "string", "{plural}");
        assert_eq!(root["kind"]["type"], "string", "{plural}");
        assert_eq!(root["metadata"], json!({ "type": "object" }), "{plural}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn schema_names_follow_kcp_rule_and_hash_the_spec() {
    let prefix_rule = Regex::new(r"^[a-z]([-a-z0-9]*[a-z0-9])?$").unwrap();
    let content_prefix = Regex::new(r"^v[0-9a-f]{10}$").unwrap();
    for (plural, s) in generated() {
        assert_eq!(s["apiVersion"], "apis.kcp.io/v1alpha1");
        assert_eq!(s["kind"], "APIResourceSchema");
        let name = s["metadata"]["name"].as_str().unwrap();
        let prefix = name
            .strip_suffix(&format!(".{plural}.{GROUP}"))
            .unwrap_or_else(|| panic!("{name}"));
        assert!(prefix_rule.is_match(prefix), "{name}");
        assert!(content_prefix.is_match(prefix), "{name}");
        assert_eq!(prefix, edge_api::schema_name_prefix(&s["spec"]), "{name}");
        assert_eq!(s["spec"]["group"], GROUP);
        assert_eq!(s["spec"]["versions"][0]["name"], VERSION);
    }
    // The `#[kube(...)]` attributes need literals; they must agree with the constants.
    assert_eq!(API_VERSION, format!("{GROUP}/{VERSION}"));
    assert_eq!(edge_api::SyncTarget::api_version(&()), API_VERSION);
    assert_eq!(edge_api::Customizer::api_version(&()), API_VERSION);
}

#[test]
fn changing_a_definition_changes_the_name() {
    let spec = generated()["synctargets"]["spec"].clone();
    let prefix = edge_api::schema_name_prefix(&spec);
    assert_eq!(
        prefix,
        edge_api::schema_name_prefix(&spec.clone()),
        "same spec, same name"
    );

    let mut new_field = spec.clone();
    new_field["versions"][0]["schema"]["properties"]["spec"]["properties"]["region"] =
        json!({"type": "string"});
    let mut new_default = spec.clone();
    new_default["versions"][0]["schema"]["properties"]["spec"]["properties"]["unschedulable"]["default"] =
        json!(true);
    let mut no_status = spec.clone();
    no_status["versions"][0]["subresources"] = json!({});
    for changed in [new_field, new_default, no_status] {
        assert_ne!(prefix, edge_api::schema_name_prefix(&changed));
    }
}

#[test]
fn export_lists_exactly_the_seven_schemas() {
    let mut names: Vec<String> = edge_api::resource_schemas()
        .iter()
        .map(|s| s["metadata"]["name"].as_str().unwrap().to_owned())
        .collect();
    names.reverse(); // the export sorts whatever order it is given
    let export = edge_api::api_export(&names);
    names.sort();
    assert_eq!(export["apiVersion"], "apis.kcp.io/v1alpha1");
    assert_eq!(export["kind"], "APIExport");
    assert_eq!(export["metadata"]["name"], EXPORT_NAME);
    assert_eq!(export["spec"]["latestResourceSchemas"], json!(names));

    // The same resources as KubeStellar's export, whatever the prefixes.
    let resources = |list: &Value| -> BTreeSet<String> {
        let list = list.as_array().unwrap().iter().map(|n| n.as_str().unwrap());
        list.map(|n| n.split_once('.').unwrap().1.to_owned()).collect()
    };
    let theirs = fixture(&format!("apiexport-{EXPORT_NAME}.yaml"));
    assert_eq!(theirs["metadata"]["name"], EXPORT_NAME);
    assert_eq!(
        resources(&export["spec"]["latestResourceSchemas"]),
        resources(&theirs["spec"]["latestResourceSchemas"])
    );
    assert_eq!(resources(&export["spec"]["latestResourceSchemas"]).len(), 7);
}

#[test]
fn output_is_deterministic() {
    let text = |v: &Vec<Value>| serde_json::to_string(v).unwrap();
    let first = edge_api::resource_schemas();
    assert_eq!(text(&first), text(&edge_api::resource_schemas()));
    let names: Vec<String> = first
        .iter()
        .map(|s| s["metadata"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        serde_json::to_string(&edge_api::api_export(&names)).unwrap(),
        serde_json::to_string(&edge_api::api_export(&names)).unwrap()
    );
}

/// The serde names are the wire names: objects as KubeStellar writes them round-trip.
#[test]
fn objects_round_trip_in_kubestellar_json() {
    let sync_target = json!({
        "apiVersion": "edge.kubestellar.io/v2alpha1",
        "kind": "SyncTarget",
        "metadata": { "name": "edge1" },
        "spec": { "unschedulable": false, "supportedAPIExports": [{ "export": "kubernetes" }] },
        "status": {
            "syncedResources": [{ "resource": "deployments", "versions": ["v1"], "state": "Accepted" }],
            "virtualWorkspaces": [{ "syncerURL": "https://s", "upsyncerURL": "https://u" }],
        },
    });
    let slice = json!({
        "apiVersion": "edge.kubestellar.io/v2alpha1",
        "kind": "SinglePlacementSlice",
        "metadata": { "name": "p1" },
        "destinations": [{
            "cluster": "abc", "locationName": "loc", "syncTargetName": "edge1", "syncTargetUID": "u-1",
        }],
    });
    let round = |v: &Value, typed: fn(Value) -> Value| assert_eq!(&typed(v.clone()), v);
    round(&sync_target, |v| {
        serde_json::to_value(serde_json::from_value::<edge_api::SyncTarget>(v).unwrap()).unwrap()
    });
    round(&slice, |v| {
        serde_json::to_value(serde_json::from_value::<edge_api::SinglePlacementSlice>(v).unwrap()).unwrap()
    });

    // Omitted fields take the schema's defaults on the Rust side too.
    let bare: edge_api::SyncTargetSpec = serde_json::from_value(json!({})).unwrap();
    assert_eq!(bare.supported_api_exports[0].export, "kubernetes");
    let resource: edge_api::ResourceToSync =
        serde_json::from_value(json!({ "resource": "pods", "versions": ["v1"] })).unwrap();
    assert_eq!(resource.state, edge_api::ResourceCompatibleState::Pending);
}
