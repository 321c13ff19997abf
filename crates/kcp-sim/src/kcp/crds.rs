//! CustomResourceDefinitions, which kcp v0.11 serves in every logical cluster
//! (`apiextensions.k8s.io/v1`): a CRD makes its logical cluster serve the resource it defines,
//! once Kubernetes' apiextensions controllers have accepted its names and set `Established`
//! (KubeStellar's example1 creates one in a workload management workspace and waits for that
//! with `kubectl wait --for condition=Established`).
//!
//! Not simulated: conversion, `status.conditions` other than `NamesAccepted` and `Established`,
//! and the cleanup finalizer: a deleted CRD's objects go at once, with it.

use super::*;

pub(crate) const CRDS: &str = "apiextensions.k8s.io/customresourcedefinitions";

/// A CRD's entry among its logical cluster's served resources. No APIBinding is named so (a
/// binding's name has no `/`), so a binding's deletion never takes a CRD's resources along.
fn entry(name: &str) -> String {
    format!("crd/{name}")
}

/// The apiextensions controllers, one pass: serve what the CRD defines, or say why not.
pub(super) fn establish(sim: &Arc<Sim>, cluster: &str, name: &str) {
    let mut state = sim.state();
    let k = key(cluster, name);
    let Some(old) = state.get(CRDS, &k).cloned() else {
        return;
    };
    let spec = &old["spec"];
    let defs: Vec<Arc<ResourceDef>> = spec["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["served"] != Value::Bool(false))
        .filter_map(|v| ResourceDef::from_spec(spec, v))
        .map(Arc::new)
        .collect();
    let served = state.bound.entry(cluster.to_string()).or_default();
    served.retain(|(n, _)| *n != entry(name));
    let taken = |d: &ResourceDef| {
        sim.builtins
            .iter()
            .chain(served.iter().map(|(_, s)| s))
            .any(|s| s.group == d.group && s.plural == d.plural)
    };
    let mut crd = (*old).clone();
    if defs.is_empty() || defs.iter().any(|d| taken(d)) {
        let why = "the resource is already served, or the CRD serves no version";
        push_condition(
            &mut crd,
            condition("NamesAccepted", false, Some("NameConflict"), Some(why)),
        );
        push_condition(
            &mut crd,
            condition("Established", false, Some("NotAccepted"), None),
        );
    } else {
        served.extend(defs.into_iter().map(|d| (entry(name), d)));
        accepted(&mut crd);
    }
    if !same_status(&old, &crd) {
        state.put(CRDS, k, crd);
    }
}

/// The status of an accepted CRD: its names, stored versions, and both conditions True.
fn accepted(crd: &mut Value) {
    let mut names = crd["spec"]["names"].clone();
    if names["listKind"].is_null() {
        names["listKind"] = json!(format!("{}List", names["kind"].as_str().unwrap_or_default()));
    }
    let stored: Vec<Value> = crd["spec"]["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["storage"] == Value::Bool(true))
        .map(|v| v["name"].clone())
        .collect();
    crd["status"]["acceptedNames"] = names;
    crd["status"]["storedVersions"] = Value::Array(stored);
    for (type_, reason, message) in [
        ("NamesAccepted", "NoConflicts", "no conflicts found"),
        (
            "Established",
            "InitialNamesAccepted",
            "the initial names have been accepted",
        ),
    ] {
        let mut c = condition(type_, true, None, Some(message));
        c["reason"] = json!(reason);
        push_condition(crd, c);
    }
}

/// A deleted CRD: its resource is no longer served, and its objects are gone.
pub(super) fn forget(sim: &Arc<Sim>, cluster: &str, name: &str) {
    let mut state = sim.state();
    if state.get(CRDS, &key(cluster, name)).is_some() {
        return;
    }
    let Some(served) = state.bound.get_mut(cluster) else {
        return;
    };
    let (gone, kept): (Vec<_>, Vec<_>) = served.drain(..).partition(|(n, _)| *n == entry(name));
    *served = kept;
    for (_, def) in gone {
        let keys: Vec<Key> = state
            .list(&def.store_key(), Some(cluster), None)
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            state.remove(&def.store_key(), &k);
        }
    }
}
