//! Deletion as kcp's controllers do it: a workspace after its content, a binding after what it bound.

use super::*;

// ---------------------------------------------------------------------------------------
// Deletion

pub(crate) fn delete(
    sim: &Arc<Sim>,
    state: &mut State,
    def: &ResourceDef,
    cluster: &str,
    key: &Key,
    old: &Arc<Value>,
) -> Value {
    match def.store_key().as_str() {
        WORKSPACES => delete_workspace(sim, state, key, old),
        NAMESPACES => {
            let removed = state
                .remove(NAMESPACES, key)
                .map(|o| (*o).clone())
                .unwrap_or_default();
            let ns = key.2.clone();
            let doomed: Vec<(String, Key)> = collect_namespace_content(state, cluster, &ns);
            for (store_key, k) in doomed {
                state.remove(&store_key, &k);
            }
            removed
        }
        _ => delete_generic(state, def, key, old),
    }
}

pub(super) fn collect_namespace_content(state: &State, cluster: &str, ns: &str) -> Vec<(String, Key)> {
    [
        "/configmaps",
        "coordination.k8s.io/leases",
        "/events",
        "events.k8s.io/events",
    ]
    .iter()
    .flat_map(|sk| {
        state
            .list(sk, Some(cluster), Some(ns))
            .map(|(k, _)| (sk.to_string(), k.clone()))
            .collect::<Vec<_>>()
    })
    .collect()
}

pub(super) fn push_condition(obj: &mut Value, c: Value) {
    let type_ = c["type"].clone();
    let conditions = obj["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut kept: Vec<Value> = conditions.into_iter().filter(|x| x["type"] != type_).collect();
    kept.push(c);
    obj["status"]["conditions"] = Value::Array(kept);
}

pub(super) fn add_finalizer(obj: &mut Value, finalizer: &str) {
    let mut finalizers = obj["metadata"]["finalizers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !finalizers.contains(&json!(finalizer)) {
        finalizers.push(json!(finalizer));
    }
    obj["metadata"]["finalizers"] = Value::Array(finalizers);
}

pub(super) fn has_finalizers(obj: &Value) -> bool {
    obj["metadata"]["finalizers"]
        .as_array()
        .is_some_and(|f| !f.is_empty())
}

pub(super) fn is_deleting(obj: &Value) -> bool {
    obj["metadata"].get("deletionTimestamp").is_some()
}

/// Set `deletionTimestamp` on an object kept by its finalizers (once).
pub(super) fn mark_deleting(state: &mut State, store_key: &str, key: &Key, obj: &Value) {
    if !is_deleting(obj) {
        let mut marked = obj.clone();
        marked["metadata"]["deletionTimestamp"] = json!(now_rfc3339());
        marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
        state.put(store_key, key.clone(), marked);
    }
}

/// DELETE of a Workspace: one still `Scheduling` (no logical cluster) goes at once; otherwise
/// it is marked (label `Deleting`) and kept behind its finalizer while, after the controller's
/// latency, its logical cluster's content is deleted.
pub(super) fn delete_workspace(sim: &Arc<Sim>, state: &mut State, key: &Key, old: &Value) -> Value {
    let assigned = old["spec"]["cluster"].as_str().is_some_and(|c| !c.is_empty());
    if !assigned {
        return state
            .remove(WORKSPACES, key)
            .map(|o| (*o).clone())
            .unwrap_or_default();
    }
    if is_deleting(old) {
        return old.clone();
    }
    let mut marked = old.clone();
    marked["metadata"]["deletionTimestamp"] = json!(now_rfc3339());
    marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
    marked["metadata"]["labels"][PHASE_LABEL] = json!("Deleting");
    push_condition(
        &mut marked,
        condition(
            "WorkspaceContentDeleted",
            false,
            Some("SomeResourcesRemain"),
            Some("Some resources are remaining"),
        ),
    );
    let stored = (*state.put(WORKSPACES, key.clone(), marked)).clone();
    let (sim, parent, name, uid) = (
        sim.clone(),
        key.0.clone(),
        key.2.clone(),
        old["metadata"]["uid"].clone(),
    );
    sim.runtime.clone().spawn(async move {
        tokio::time::sleep(sim.config.delete_delay).await;
        progress_workspace_deletion(&sim, &parent, &name, &uid);
    });
    stored
}

/// kcp's logical-cluster deletion controller, one pass; a finished workspace moves a deleting
/// parent on.
pub(super) fn progress_workspace_deletion(sim: &Arc<Sim>, parent: &str, name: &str, uid: &Value) {
    let mut next = Some((parent.to_string(), name.to_string(), uid.clone()));
    while let Some((p, n, u)) = next {
        let mut state = sim.state();
        next = step_workspace_deletion(sim, &mut state, &p, &n, &u);
    }
    if crate::newest::enabled(sim) {
        // Bindings may have gone with the content: shards may have nothing bound any more.
        refresh_slices(sim);
    }
}

/// One pass over a deleting workspace's logical cluster (as `logicalclusterdeletion` does):
/// objects without finalizers go; objects with finalizers are marked and waited for (child
/// workspaces go through their own deletion, APIBindings first delete what they bound). Once
/// nothing but namespaces and the LogicalCluster is left, the finalizer goes and so does the
/// workspace. Returns the parent's workspace when that is being deleted too.
pub(super) fn step_workspace_deletion(
    sim: &Arc<Sim>,
    state: &mut State,
    parent: &str,
    name: &str,
    uid: &Value,
) -> Option<(String, String, Value)> {
    let k = key(parent, name);
    let ws = state.get(WORKSPACES, &k)?.clone();
    if &ws["metadata"]["uid"] != uid || !is_deleting(&ws) {
        return None;
    }
    let id = ws["spec"]["cluster"].as_str()?.to_string();
    state
        .deleting
        .insert(id.clone(), (parent.to_string(), name.to_string(), uid.clone()));
    let mut left = 0usize;
    for (store_key, k2, obj) in state.cluster_content(&id) {
        match store_key.as_str() {
            LOGICALCLUSTERS | NAMESPACES => {}
            WORKSPACES => {
                delete_workspace(sim, state, &k2, &obj);
                left += usize::from(state.get(WORKSPACES, &k2).is_some());
            }
            APIBINDINGS if has_finalizers(&obj) => {
                mark_deleting(state, &store_key, &k2, &obj);
                left += usize::from(!step_binding_deletion(state, &id, &k2.2));
            }
            _ if has_finalizers(&obj) => {
                mark_deleting(state, &store_key, &k2, &obj);
                left += 1;
            }
            _ => {
                state.remove(&store_key, &k2);
            }
        }
    }
    if left > 0 {
        return None;
    }
    for (store_key, k2, _) in state.cluster_content(&id) {
        state.remove(&store_key, &k2);
    }
    state.forget_cluster(&id);
    state.deleting.remove(&id);
    state.remove(WORKSPACES, &k);
    state.deleting.get(parent).cloned()
}

pub(crate) const BINDING_FINALIZER: &str = "apis.kcp.io/apibinding-finalizer";

/// kcp's APIBinding deletion: a deleting binding deletes the objects it bound (waiting for
/// their finalizers), then drops `apis.kcp.io/apibinding-finalizer`; it is gone once no
/// finalizer is left, and its resources with it. Whether it is gone.
pub(super) fn step_binding_deletion(state: &mut State, cluster: &str, name: &str) -> bool {
    let k = key(cluster, name);
    let Some(binding) = state.get(APIBINDINGS, &k).cloned() else {
        return true;
    };
    if !is_deleting(&binding) {
        return false;
    }
    let mut finalizers: Vec<Value> = binding["metadata"]["finalizers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if finalizers.contains(&json!(BINDING_FINALIZER)) {
        let served: Vec<String> = state
            .bound
            .get(cluster)
            .map(|b| {
                b.iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, d)| d.store_key())
                    .collect()
            })
            .unwrap_or_default();
        let mut left = 0usize;
        for store_key in served {
            let objects: Vec<(Key, Arc<Value>)> = state
                .list(&store_key, Some(cluster), None)
                .map(|(k, o)| (k.clone(), o.clone()))
                .collect();
            for (k2, obj) in objects {
                if has_finalizers(&obj) {
                    mark_deleting(state, &store_key, &k2, &obj);
                    left += 1;
                } else {
                    state.remove(&store_key, &k2);
                }
            }
        }
        if left > 0 {
            return false;
        }
        finalizers.retain(|f| f != BINDING_FINALIZER);
    }
    if !finalizers.is_empty() {
        let mut kept = (*binding).clone();
        kept["metadata"]["finalizers"] = Value::Array(finalizers);
        if kept != *binding {
            state.put(APIBINDINGS, k, kept);
        }
        return false;
    }
    state.remove(APIBINDINGS, &k);
    if let Some(b) = state.bound.get_mut(cluster) {
        b.retain(|(n, _)| n != name);
    }
    true
}

/// After a write in a logical cluster: a deleting binding there, or the deletion of the
/// cluster itself, may now move on (an object it waited for lost its last finalizer).
pub(super) fn progress_deletions_in(sim: &Arc<Sim>, cluster: &str) {
    let owner = {
        let mut state = sim.state();
        let deleting: Vec<String> = state
            .list(APIBINDINGS, Some(cluster), None)
            .filter(|(_, b)| is_deleting(b))
            .map(|(k, _)| k.2.clone())
            .collect();
        for name in deleting {
            step_binding_deletion(&mut state, cluster, &name);
        }
        state.deleting.get(cluster).cloned()
    };
    if let Some((parent, name, uid)) = owner {
        progress_workspace_deletion(sim, &parent, &name, &uid);
    } else if crate::newest::enabled(sim) {
        refresh_slices(sim);
    }
}

/// kcp v0.28+: every endpoint slice follows the bindings (which shards bind its export).
pub(super) fn refresh_slices(sim: &Arc<Sim>) {
    let slices = crate::newest::all_slices(&sim.state());
    for (cluster, name) in slices {
        reconcile_slice(sim, &cluster, &name);
    }
}
