//! kcp's topology, as far as a client of APIExports meets it: a `core.kcp.io/v1alpha1` Shard
//! object in root for each shard; `topology.kcp.io/v1alpha1` Partitions, whose `spec.selector`
//! selects shards by their labels; what an APIExportEndpointSlice's `spec.partition` lets
//! into its `status.endpoints` (kcp v0.11's `apiexportendpointslice` reconciler); and the
//! shard a Workspace with `spec.location.selector` is scheduled to (its `scheduling`
//! reconciler).

use super::*;

pub(crate) const SHARDS: &str = "core.kcp.io/shards";
pub(crate) const PARTITIONS: &str = "topology.kcp.io/partitions";

/// The Shard object's name of a simulated shard: kcp's root shard is `root`.
pub(crate) fn shard_name(shard: usize) -> String {
    if shard == 0 {
        "root".into()
    } else {
        format!("shard-{shard}")
    }
}

/// The simulated shard a Shard object in root stands for (a Shard made by hand: none).
fn shard_index(sim: &Sim, name: &str) -> Option<usize> {
    (0..sim.config.shards).find(|s| shard_name(*s) == name)
}

/// One Shard object in root per shard, labelled `name` (and `region`, when configured), with
/// the URLs its logical clusters and its export views are served at.
pub(super) fn bootstrap_shards(sim: &Arc<Sim>) {
    let mut state = sim.state();
    for shard in 0..sim.config.shards {
        let name = shard_name(shard);
        let url = if shard == 0 {
            sim.base_url().to_string()
        } else {
            format!("{}/shards/{shard}", sim.base_url())
        };
        let mut labels = json!({ "name": name });
        if let Some(region) = sim.config.shard_regions.get(shard).filter(|r| !r.is_empty()) {
            labels["region"] = json!(region);
        }
        let object = json!({
            "apiVersion": "core.kcp.io/v1alpha1", "kind": "Shard",
            "metadata": {
                "name": name, "uid": new_uid(), "creationTimestamp": now_rfc3339(), "generation": 1,
                "labels": labels, "annotations": {"kcp.io/cluster": "root"},
            },
            "spec": {"baseURL": url, "externalURL": sim.base_url(), "virtualWorkspaceURL": url},
        });
        state.put(SHARDS, key("root", &name), object);
    }
}

/// What a slice's partition selects: `Ok(None)` selects no shard (a Partition without a
/// selector, as apimachinery reads a nil selector), `Ok(Some(everything))` without a partition;
/// `Err((reason, message))` for the `PartitionValid` condition, and whether the endpoints go
/// (kcp drops them only for a missing Partition; an invalid selector keeps what was there).
pub(super) fn partition_selector(
    state: &State,
    slice_cluster: &str,
    slice: &Value,
) -> Result<Option<LabelSelector>, (String, bool)> {
    let partition = slice["spec"]["partition"].as_str().unwrap_or_default();
    if partition.is_empty() {
        return Ok(Some(LabelSelector::default()));
    }
    let Some(p) = state.get(PARTITIONS, &key(slice_cluster, partition)) else {
        return Err((format!("partition.topology.kcp.io {partition:?} not found"), true));
    };
    LabelSelector::from_object(&p["spec"]["selector"]).map_err(|e| (e, false))
}

/// The view URL of the export on each shard `selector` selects (none for `None`), sorted, as
/// kcp builds them: the Shard's `spec.virtualWorkspaceURL`, then
/// `/services/apiexport/<export cluster>/<export>`.
pub(super) fn selected_endpoints(
    state: &State,
    selector: Option<&LabelSelector>,
    export_cluster: &str,
    export_name: &str,
) -> Vec<String> {
    let Some(selector) = selector else {
        return Vec::new();
    };
    let urls: std::collections::BTreeSet<String> = state
        .list(SHARDS, Some("root"), None)
        .map(|(_, s)| s)
        .filter(|s| selector.matches(s))
        .filter_map(|s| s["spec"]["virtualWorkspaceURL"].as_str())
        .filter(|u| !u.is_empty())
        .map(|u| {
            format!(
                "{}/services/apiexport/{export_cluster}/{export_name}",
                u.trim_end_matches('/')
            )
        })
        .collect();
    urls.into_iter().collect()
}

/// The slices in `cluster` whose partition is `partition`: what a Partition's change moves.
pub(super) fn slices_of_partition(state: &State, cluster: &str, partition: &str) -> Vec<String> {
    state
        .list(SLICES, Some(cluster), None)
        .filter(|(_, s)| s["spec"]["partition"] == partition)
        .map(|(k, _)| k.2.clone())
        .collect()
}

/// Where a Workspace goes, as kcp's scheduler chooses: `Ok(None)` without
/// `spec.location.selector` (kcp-sim's hash of the new cluster's ID then decides), a shard
/// chosen at random among those whose Shard object the selector matches, or why none can be.
pub(super) fn choose_shard(sim: &Sim, state: &State, ws: &Value) -> Result<Option<usize>, String> {
    let selector = &ws["spec"]["location"]["selector"];
    if selector.is_null() {
        return Ok(None);
    }
    let selector = LabelSelector::from_object(selector)
        .map_err(|e| format!("spec.location.selector is invalid: {e}"))?
        .unwrap_or_default();
    let candidates: Vec<usize> = state
        .list(SHARDS, Some("root"), None)
        .filter(|(_, s)| selector.matches(s))
        .filter_map(|(k, _)| shard_index(sim, &k.2))
        .collect();
    if candidates.is_empty() {
        return Err("No available shards to schedule the workspace".into());
    }
    Ok(Some(candidates[rand::random_range(0..candidates.len())]))
}

/// A new logical cluster ID on `shard` (kcp-sim places a logical cluster by its ID's hash).
pub(super) fn cluster_id_on(sim: &Sim, shard: Option<usize>) -> String {
    let Some(shard) = shard else {
        return new_cluster_id();
    };
    loop {
        let id = new_cluster_id();
        if crate::store::shard_of(sim.config.shards, &id) == shard {
            return id;
        }
    }
}

/// The `region` label of the Shard object of the shard holding `cluster`, which kcp copies
/// onto a Workspace it schedules there.
pub(super) fn region_of(sim: &Sim, state: &State, cluster: &str) -> Option<String> {
    let name = shard_name(crate::store::shard_of(sim.config.shards, cluster));
    state.get(SHARDS, &key("root", &name))?["metadata"]["labels"]["region"]
        .as_str()
        .map(String::from)
}
