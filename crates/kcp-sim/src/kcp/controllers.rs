//! kcp's controllers: workspaces through their phases, exports, bindings and endpoint slices.

use super::*;

// ---------------------------------------------------------------------------------------
// Controllers

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Write {
    Created,
    Updated,
    Deleted,
}

/// React to a write as kcp's controllers would, after their configured delays.
pub(crate) fn after_write(sim: &Arc<Sim>, def: &ResourceDef, cluster: &str, name: &str, write: Write) {
    if write != Write::Created || sim.state().deleting.contains_key(cluster) {
        progress_deletions_in(sim, cluster);
    }
    let (sim, cluster, name) = (sim.clone(), cluster.to_string(), name.to_string());
    let rt = sim.runtime.clone();
    match (def.store_key().as_str(), write) {
        (WORKSPACES, Write::Created) => {
            rt.spawn(async move { workspace_lifecycle(sim, cluster, name).await });
        }
        (APIEXPORTS, Write::Created | Write::Updated) => {
            rt.spawn(async move {
                tokio::time::sleep(sim.config.export_delay).await;
                reconcile_export(&sim, &cluster, &name);
            });
        }
        (APIEXPORTS, Write::Deleted) => {
            reconcile_dependents(&sim, &cluster, &name);
        }
        (SLICES, Write::Created | Write::Updated) => {
            rt.spawn(async move {
                tokio::time::sleep(sim.config.export_delay).await;
                reconcile_slice(&sim, &cluster, &name);
            });
        }
        // kcp's slice controller follows the Partitions its slices name, and every Shard.
        (PARTITIONS, _) => {
            let slices = slices_of_partition(&sim.state(), &cluster, &name);
            for slice in slices {
                reconcile_slice(&sim, &cluster, &slice);
            }
        }
        (SHARDS, _) if cluster == "root" => {
            let slices: Vec<Key> = sim
                .state()
                .list(SLICES, None, None)
                .map(|(k, _)| k.clone())
                .collect();
            for k in slices {
                reconcile_slice(&sim, &k.0, &k.2);
            }
        }
        (APIBINDINGS, Write::Created) => {
            if crate::newest::enabled(&sim) {
                refresh_slices(&sim);
            }
            rt.spawn(async move {
                tokio::time::sleep(sim.config.binding_delay).await;
                reconcile_binding(&sim, &cluster, &name);
            });
        }
        (CRDS, Write::Created | Write::Updated) => {
            rt.spawn(async move {
                tokio::time::sleep(sim.config.binding_delay).await;
                super::crds::establish(&sim, &cluster, &name);
            });
        }
        (CRDS, Write::Deleted) => super::crds::forget(&sim, &cluster, &name),
        (APIBINDINGS, Write::Deleted) => {
            let mut state = sim.state();
            if state.get(APIBINDINGS, &key(&cluster, &name)).is_none()
                && let Some(b) = state.bound.get_mut(&cluster)
            {
                b.retain(|(binding, _)| binding != &name);
            }
            drop(state);
            if crate::newest::enabled(&sim) {
                refresh_slices(&sim);
            }
        }
        _ => {}
    }
}

pub(super) async fn workspace_lifecycle(sim: Arc<Sim>, parent: String, name: String) {
    tokio::time::sleep(sim.config.schedule_delay).await;
    let Some(uid) = schedule_workspace(&sim, &parent, &name) else {
        return;
    };
    tokio::time::sleep(sim.config.initialize_delay).await;
    let exports = {
        let state = sim.state();
        let ty = state.get(WORKSPACES, &key(&parent, &name)).map(|ws| {
            format!(
                "{}:{}",
                ws["spec"]["type"]["path"].as_str().unwrap_or("root"),
                ws["spec"]["type"]["name"].as_str().unwrap_or("universal")
            )
        });
        ty.map(|t| default_bindings(&sim, &state, &t)).unwrap_or_default()
    };
    if !exports.is_empty() && !bind_defaults(&sim, &parent, &name, &uid, &exports).await {
        return;
    }
    initialize_workspace(&sim, &parent, &name, &uid);
    tokio::time::sleep(sim.config.namespace_delay).await;
    late_default_namespace(&sim, &parent, &name, &uid);
}

/// kcp's namespace controller makes `default` a moment after the workspace is Ready (kcp's
/// own e2e tests wait for it).
pub(super) fn late_default_namespace(sim: &Arc<Sim>, parent: &str, name: &str, uid: &Value) {
    let mut state = sim.state();
    let Some(ws) = live_workspace(&state, parent, name, uid) else {
        return;
    };
    let Some(id) = ws["spec"]["cluster"].as_str().map(String::from) else {
        return;
    };
    if state.get(NAMESPACES, &key(&id, "default")).is_none() {
        default_namespace(&mut state, &id);
    }
}

/// The workspace a lifecycle step is about, if it is still that one (its UID) and not being
/// deleted.
pub(super) fn live_workspace(state: &State, parent: &str, name: &str, uid: &Value) -> Option<Arc<Value>> {
    state
        .get(WORKSPACES, &key(parent, name))
        .filter(|ws| &ws["metadata"]["uid"] == uid && !is_deleting(ws))
        .cloned()
}

/// Scheduling: the logical cluster gets its ID and URL; the phase becomes Initializing.
pub(super) fn schedule_workspace(sim: &Arc<Sim>, parent: &str, name: &str) -> Option<Value> {
    let mut state = sim.state();
    let k = key(parent, name);
    let mut ws = (**state.get(WORKSPACES, &k)?).clone();
    if ws["metadata"].get("deletionTimestamp").is_some() {
        return None;
    }
    let parent_path = state.clusters.get(parent)?.path.clone();
    let shard = match choose_shard(sim, &state, &ws) {
        Ok(shard) => shard,
        Err(why) => {
            push_condition(
                &mut ws,
                condition("WorkspaceScheduled", false, Some("Unschedulable"), Some(&why)),
            );
            state.put(WORKSPACES, k, ws);
            return None;
        }
    };
    let id = cluster_id_on(sim, shard);
    if let Some(region) = region_of(sim, &state, &id) {
        ws["metadata"]["labels"]["region"] = json!(region);
    }
    let path = format!("{parent_path}:{name}");
    let type_ = format!(
        "{}:{}",
        ws["spec"]["type"]["path"].as_str().unwrap_or("root"),
        ws["spec"]["type"]["name"].as_str().unwrap_or("universal")
    );
    // kcp v0.11 addresses the logical cluster by its ID; v0.28 and later by its path.
    let url = if crate::newest::enabled(sim) {
        format!("{}/clusters/{path}", sim.base_url())
    } else {
        format!("{}/clusters/{id}", sim.base_url())
    };
    ws["metadata"]["annotations"]["internal.tenancy.kcp.io/cluster"] = json!(id);
    ws["metadata"]["annotations"]["internal.tenancy.kcp.io/shard"] = json!("amber");
    let mut finalizers = ws["metadata"]["finalizers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !finalizers.contains(&json!(FINALIZER)) {
        finalizers.push(json!(FINALIZER));
    }
    ws["metadata"]["finalizers"] = Value::Array(finalizers);
    ws["spec"]["cluster"] = json!(id);
    ws["spec"]["URL"] = json!(url);
    ws["status"]["phase"] = json!("Initializing");
    ws["status"]["initializers"] = json!(["root:universal", "system:apibindings"]);
    push_condition(&mut ws, condition("WorkspaceScheduled", true, None, None));
    ws["metadata"]["labels"][PHASE_LABEL] = json!("Initializing");
    let uid = ws["metadata"]["uid"].clone();
    let owner = json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "resource": "workspaces", "name": name, "cluster": parent, "uid": uid});
    state.put(WORKSPACES, k, ws);
    state.clusters.insert(
        id.clone(),
        Cluster {
            id: id.clone(),
            path: path.clone(),
            phase: Phase::Initializing,
            parent: Some((parent.into(), name.into())),
            type_: type_.clone(),
        },
    );
    state
        .children
        .insert((parent.to_string(), name.to_string()), id.clone());
    logical_cluster(&mut state, &id, &path, &type_, Some(owner), "Initializing", &url);
    Some(uid)
}

pub(super) fn initialize_workspace(sim: &Arc<Sim>, parent: &str, name: &str, uid: &Value) {
    let mut state = sim.state();
    let k = key(parent, name);
    let Some(ws) = state.get(WORKSPACES, &k).cloned() else {
        return;
    };
    if &ws["metadata"]["uid"] != uid {
        return;
    }
    let mut ws = (*ws).clone();
    let Some(id) = ws["spec"]["cluster"].as_str().map(String::from) else {
        return;
    };
    if let Some(c) = state.clusters.get_mut(&id) {
        c.phase = Phase::Ready;
    }
    if let Some(lc) = state.get(LOGICALCLUSTERS, &key(&id, "cluster")).cloned() {
        let mut lc = (*lc).clone();
        lc["status"]["phase"] = json!("Ready");
        state.put(LOGICALCLUSTERS, key(&id, "cluster"), lc);
    }
    ws["status"]["phase"] = json!("Ready");
    ws["status"]["initializers"] = json!([]);
    push_condition(&mut ws, condition("WorkspaceInitialized", true, None, None));
    if ws["metadata"].get("deletionTimestamp").is_none() {
        ws["metadata"]["labels"][PHASE_LABEL] = json!("Ready");
    }
    state.put(WORKSPACES, k, ws);
}

pub(super) fn reconcile_export(sim: &Arc<Sim>, cluster: &str, name: &str) {
    {
        let mut state = sim.state();
        let k = key(cluster, name);
        let Some(old) = state.get(APIEXPORTS, &k).cloned() else {
            return;
        };
        let mut export = (*old).clone();
        identity_secret_ref(&mut state, cluster, name, &mut export);
        export["status"]["identityHash"] = json!(identity_hash(cluster, name));
        push_condition(&mut export, condition("IdentityValid", true, None, None));
        let newest = crate::newest::enabled(sim);
        if newest {
            crate::newest::ensure_slice(&mut state, cluster, &export);
        } else {
            push_condition(
                &mut export,
                condition("VirtualWorkspaceURLsReady", true, None, None),
            );
        }
        if sim.config.legacy_view_urls && !newest {
            let urls: Vec<Value> = (0..sim.config.shards)
                .map(|s| json!({"url": view_url(sim, s, cluster, name)}))
                .collect();
            export["status"]["virtualWorkspaces"] = Value::Array(urls);
        }
        if !same_status(&old, &export) || old["spec"] != export["spec"] {
            state.put(APIEXPORTS, k, export);
        }
    }
    reconcile_dependents(sim, cluster, name);
}

/// kcp v0.11's first reconcile of an export: `spec.identity.secretRef` defaults to the Secret
/// `kcp-system/<export>` (a spec change: the generation moves), in a namespace it creates.
/// kcp-sim serves no Secrets: the namespace is made, the Secret only named.
pub(super) fn identity_secret_ref(state: &mut State, cluster: &str, name: &str, export: &mut Value) {
    if export["spec"]["identity"]["secretRef"].is_object() {
        return;
    }
    if state.get(NAMESPACES, &key(cluster, "kcp-system")).is_none() {
        let ns = json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": "kcp-system", "uid": new_uid(), "creationTimestamp": now_rfc3339(), "annotations": {"kcp.io/cluster": cluster}},
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"},
        });
        state.put(NAMESPACES, key(cluster, "kcp-system"), ns);
    }
    export["spec"]["identity"]["secretRef"] = json!({"namespace": "kcp-system", "name": name});
    let generation = export["metadata"]["generation"].as_i64().unwrap_or(1);
    export["metadata"]["generation"] = json!(generation + 1);
}

/// Ignoring transition times, has the status changed?
pub(super) fn same_status(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut s = v["status"].clone();
        if let Some(cs) = s["conditions"].as_array_mut() {
            for c in cs {
                if let Some(m) = c.as_object_mut() {
                    m.remove("lastTransitionTime");
                }
            }
        }
        s
    };
    strip(a) == strip(b)
}

/// Slices and bindings that refer to an export follow its changes.
pub(super) fn reconcile_dependents(sim: &Arc<Sim>, cluster: &str, name: &str) {
    let (slices, bindings) = {
        let state = sim.state();
        let refers = |obj: &Value, own: &str, ref_: &Value| {
            let path = ref_["path"].as_str().unwrap_or_default();
            let target = if path.is_empty() {
                Some(own.to_string())
            } else {
                state.resolve(path).map(|c| c.id.clone())
            };
            ref_["name"] == name && target.as_deref() == Some(cluster) && obj.is_object()
        };
        let slices: Vec<Key> = state
            .list(SLICES, None, None)
            .filter(|(k, o)| refers(o, &k.0, &o["spec"]["export"]))
            .map(|(k, _)| k.clone())
            .collect();
        let bindings: Vec<Key> = state
            .list(APIBINDINGS, None, None)
            .filter(|(k, o)| refers(o, &k.0, &o["spec"]["reference"]["export"]))
            .map(|(k, _)| k.clone())
            .collect();
        (slices, bindings)
    };
    for k in slices {
        reconcile_slice(sim, &k.0, &k.2);
    }
    for k in bindings {
        reconcile_binding(sim, &k.0, &k.2);
    }
}

pub(super) fn reconcile_slice(sim: &Arc<Sim>, cluster: &str, name: &str) {
    let mut state = sim.state();
    let k = key(cluster, name);
    let Some(old) = state.get(SLICES, &k).cloned() else {
        return;
    };
    let mut slice = (*old).clone();
    let export_name = slice["spec"]["export"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let path = slice["spec"]["export"]["path"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let export_cluster = if path.is_empty() {
        Some(cluster.to_string())
    } else {
        state.resolve(&path).map(|c| c.id.clone())
    };
    // kcp v0.11: the URL of every shard the slice's partition selects (all without one) as
    // soon as the export exists (its identity is not waited for, nor whether anything on the
    // shard binds it; kcp v0.28 and later wait for that).
    let found = export_cluster
        .as_ref()
        .and_then(|c| state.get(APIEXPORTS, &key(c, &export_name)))
        .is_some();
    if found {
        let c = export_cluster.expect("found");
        push_condition(&mut slice, condition("APIExportValid", true, None, None));
        match partition_selector(&state, cluster, &slice) {
            Ok(selector) => {
                let selected = selected_endpoints(&state, selector.as_ref(), &c, &export_name);
                let urls: Vec<Value> = if crate::newest::enabled(sim) {
                    crate::newest::bound_endpoints(sim, &state, &c, &export_name)
                        .into_iter()
                        .filter(|u| u["url"].as_str().is_some_and(|u| selected.iter().any(|s| s == u)))
                        .collect()
                } else {
                    selected.into_iter().map(|url| json!({ "url": url })).collect()
                };
                slice["status"]["endpoints"] = Value::Array(urls);
                push_condition(&mut slice, condition("PartitionValid", true, None, None));
                push_condition(&mut slice, condition("EndpointURLsReady", true, None, None));
            }
            Err((why, drop_endpoints)) => {
                // A missing Partition: no endpoints kept; an invalid selector: kcp leaves them.
                if drop_endpoints && let Some(st) = slice["status"].as_object_mut() {
                    st.remove("endpoints");
                }
                push_condition(
                    &mut slice,
                    condition(
                        "PartitionValid",
                        false,
                        Some("PartitionInvalidReference"),
                        Some(&why),
                    ),
                );
                push_condition(
                    &mut slice,
                    condition("EndpointURLsReady", false, Some("ErrorGeneratingURLs"), None),
                );
            }
        }
    } else {
        // No endpoints kept for an export that is not there.
        if let Some(st) = slice["status"].as_object_mut() {
            st.remove("endpoints");
        }
        push_condition(
            &mut slice,
            condition(
                "APIExportValid",
                false,
                Some("APIExportNotFound"),
                Some("APIExport not found"),
            ),
        );
        push_condition(
            &mut slice,
            condition("EndpointURLsReady", false, Some("ErrorGeneratingURLs"), None),
        );
    }
    if !same_status(&old, &slice) {
        state.put(SLICES, k, slice);
    }
}

/// The resources an export offers, with its identity, from its latest schemas.
pub(super) fn export_defs(
    state: &State,
    export_cluster: &str,
    export: &Value,
) -> Result<Vec<Arc<ResourceDef>>, String> {
    let identity = export["status"]["identityHash"]
        .as_str()
        .ok_or("the APIExport has no identity yet")?;
    let mut schemas = Vec::new();
    // The definitions follow from the export and its (immutable) schemas: cached by their
    // resourceVersions, so ten thousand bindings do not rebuild them ten thousand times.
    let mut cache_key = format!(
        "{export_cluster}/{}@{}",
        export["metadata"]["name"], export["metadata"]["resourceVersion"]
    );
    let names = crate::newest::schema_names(export);
    for schema_name in names.iter().map(String::as_str) {
        let schema = state
            .get(SCHEMAS, &key(export_cluster, schema_name))
            .ok_or_else(|| format!("APIResourceSchema {schema_name} not found"))?;
        cache_key.push_str(&format!(",{}", schema["metadata"]["resourceVersion"]));
        schemas.push((schema_name, schema.clone()));
    }
    let mut cache = state.defs_cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(defs) = cache.get(&cache_key) {
        return Ok(defs.clone());
    }
    let mut defs = Vec::new();
    for (schema_name, schema) in schemas {
        for version in schema["spec"]["versions"].as_array().into_iter().flatten() {
            if version["served"] == Value::Bool(false) {
                continue;
            }
            let mut def = ResourceDef::from_spec(&schema["spec"], version)
                .ok_or_else(|| format!("APIResourceSchema {schema_name} is incomplete"))?;
            def.identity = Some(identity.to_string());
            defs.push(Arc::new(def));
        }
    }
    if cache.len() > 1000 {
        cache.clear();
    }
    cache.insert(cache_key, defs.clone());
    Ok(defs)
}

#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
pub(super) fn reconcile_binding(sim: &Arc<Sim>, cluster: &str, name: &str) {
    let mut state = sim.state();
    let k = key(cluster, name);
    let Some(old) = state.get(APIBINDINGS, &k).cloned() else {
        return;
    };
    let mut binding = (*old).clone();
    let export_ref = binding["spec"]["reference"]["export"].clone();
    let export_name = export_ref["name"].as_str().unwrap_or_default().to_string();
    let path = export_ref["path"].as_str().unwrap_or_default().to_string();
    let export_cluster = if path.is_empty() {
        Some(cluster.to_string())
    } else {
        state.resolve(&path).map(|c| c.id.clone())
    };
    let export = export_cluster
        .as_ref()
        .and_then(|c| state.get(APIEXPORTS, &key(c, &export_name)).cloned());
    let outcome = match (&export_cluster, &export) {
        (Some(ec), Some(e)) => export_defs(&state, ec, e),
        _ => Err("APIExport not found".to_string()),
    };
    let defs = match outcome {
        Ok(defs) => defs,
        Err(why) => {
            if binding["status"]["phase"].as_str().unwrap_or("").is_empty() {
                binding["status"]["phase"] = json!("Binding");
            }
            push_condition(
                &mut binding,
                condition("APIExportValid", false, Some("APIExportNotFound"), Some(&why)),
            );
            if !same_status(&old, &binding) {
                state.put(APIBINDINGS, k, binding);
            }
            return;
        }
    };
    let others = state
        .bound
        .get(cluster)
        .map(|b| b.iter().filter(|(n, _)| n != name).cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let conflict = defs.iter().find(|d| {
        others
            .iter()
            .any(|(_, o)| o.group == d.group && o.plural == d.plural && o.identity != d.identity)
    });
    if let Some(c) = conflict {
        binding["status"]["phase"] = json!("Binding");
        push_condition(
            &mut binding,
            condition(
                "InitialBindingCompleted",
                false,
                Some("NamingConflicts"),
                Some(&format!(
                    "{}.{} is already served by another binding",
                    c.plural, c.group
                )),
            ),
        );
        if !same_status(&old, &binding) {
            state.put(APIBINDINGS, k, binding);
        }
        return;
    }
    let mut served = others;
    served.extend(defs.iter().map(|d| (name.to_string(), d.clone())));
    state.bound.insert(cluster.to_string(), served);
    let export_cluster = export_cluster.expect("found above");
    // One entry per schema, naming the APIResourceSchema itself, as kcp's binding controller does.
    let identity = export
        .as_ref()
        .map(|e| e["status"]["identityHash"].clone())
        .unwrap_or_default();
    let bound: Vec<Value> = export
        .as_ref()
        .map(|e| crate::newest::schema_names(e))
        .unwrap_or_default()
        .iter()
        .filter_map(|n| state.get(SCHEMAS, &key(&export_cluster, n)))
        .map(|s| {
            let storage: Vec<&Value> = s["spec"]["versions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|v| v["storage"] == Value::Bool(true))
                .map(|v| &v["name"])
                .collect();
            json!({
                "group": s["spec"]["group"], "resource": s["spec"]["names"]["plural"],
                "schema": {"name": s["metadata"]["name"], "UID": s["metadata"]["uid"], "identityHash": identity},
                "storageVersions": storage,
            })
        })
        .collect();
    binding["status"]["phase"] = json!("Bound");
    binding["status"]["apiExportClusterName"] = json!(export_cluster);
    binding["status"]["boundResources"] = Value::Array(bound);
    for c in [
        "APIExportValid",
        "InitialBindingCompleted",
        "BindingUpToDate",
        "PermissionClaimsValid",
        "PermissionClaimsApplied",
        "Ready",
    ] {
        push_condition(&mut binding, condition(c, true, None, None));
    }
    if !same_status(&old, &binding) {
        state.put(APIBINDINGS, k, binding);
    }
}
