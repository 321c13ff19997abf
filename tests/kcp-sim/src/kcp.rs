//! kcp's own behaviour: admission of workspaces, bindings and schemas; the workspace
//! lifecycle (Scheduling → Initializing → Ready, and deletion behind a finalizer); the
//! APIExport, APIExportEndpointSlice and APIBinding controllers; and the export's view.

use crate::api::delete_generic;
use crate::model::{ResourceDef, new_cluster_id, new_uid, now_rfc3339};
use crate::select::LabelSelector;
use crate::status::{ApiError, ApiResult};
use crate::store::{Cluster, Key, Phase, State};
use crate::{Role, Sim, User};
use serde_json::{Value, json};
use std::sync::Arc;

pub const WORKSPACES: &str = "tenancy.kcp.io/workspaces";
pub const APIEXPORTS: &str = "apis.kcp.io/apiexports";
pub const APIBINDINGS: &str = "apis.kcp.io/apibindings";
pub const SCHEMAS: &str = "apis.kcp.io/apiresourceschemas";
pub const SLICES: &str = "apis.kcp.io/apiexportendpointslices";
pub const LOGICALCLUSTERS: &str = "core.kcp.io/logicalclusters";
pub const NAMESPACES: &str = "/namespaces";

const PHASE_LABEL: &str = "tenancy.kcp.io/phase";
const FINALIZER: &str = "core.kcp.io/logicalcluster";
pub const EXPORT_LABEL: &str = "internal.apis.kcp.io/export";

fn key(cluster: &str, name: &str) -> Key {
    (cluster.to_string(), String::new(), name.to_string())
}

fn condition(type_: &str, status: bool, reason: Option<&str>, message: Option<&str>) -> Value {
    let mut c = json!({"type": type_, "status": if status {"True"} else {"False"}, "lastTransitionTime": now_rfc3339()});
    if let Some(r) = reason {
        c["reason"] = json!(r);
        c["severity"] = json!("Error");
    }
    if let Some(m) = message {
        c["message"] = json!(m);
    }
    c
}

/// `base62(sha224("<export cluster>:<export>"))`: the label kcp puts on an APIBinding so the
/// export's view can find the bindings to it.
pub fn export_label_value(export_cluster: &str, export_name: &str) -> String {
    use sha2::{Digest, Sha224};
    let digest = Sha224::digest(format!("{export_cluster}:{export_name}").as_bytes());
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut n: Vec<u8> = digest.to_vec();
    let mut out = Vec::new();
    while n.iter().any(|b| *b != 0) {
        let mut rem = 0u32;
        for b in n.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 62) as u8;
            rem = cur % 62;
        }
        out.push(DIGITS[rem as usize]);
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn identity_hash(cluster: &str, name: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("kcp-sim/{cluster}/{name}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The view URL of an export on a shard.
pub fn view_url(sim: &Sim, shard: usize, export_cluster: &str, export_name: &str) -> String {
    let shard_prefix = if shard == 0 {
        String::new()
    } else {
        format!("/shards/{shard}")
    };
    format!(
        "{}{shard_prefix}/services/apiexport/{export_cluster}/{export_name}",
        sim.base_url()
    )
}

// ---------------------------------------------------------------------------------------
// Bootstrap

pub fn bootstrap(sim: &Arc<Sim>) {
    let mut state = sim.state();
    state.clusters.insert(
        "root".into(),
        Cluster {
            id: "root".into(),
            path: "root".into(),
            phase: Phase::Ready,
            parent: None,
            type_: "root:root".into(),
        },
    );
    let url = format!("{}/clusters/root", sim.base_url());
    logical_cluster(&mut state, "root", "root", "root:root", None, "Ready", &url);
    default_namespace(&mut state, "root");
}

fn logical_cluster(
    state: &mut State,
    id: &str,
    path: &str,
    type_: &str,
    owner: Option<Value>,
    phase: &str,
    url: &str,
) {
    let mut lc = json!({
        "apiVersion": "core.kcp.io/v1alpha1", "kind": "LogicalCluster",
        "metadata": {
            "name": "cluster", "uid": new_uid(), "creationTimestamp": now_rfc3339(), "generation": 1,
            "annotations": {"kcp.io/cluster": id, "kcp.io/path": path, "internal.tenancy.kcp.io/type": type_},
            "finalizers": ["core.kcp.io/logicalcluster-deletion"],
        },
        "spec": {"initializers": []},
        "status": {"phase": phase, "URL": url},
    });
    if let Some(o) = owner {
        lc["spec"]["owner"] = o;
    }
    state.put(LOGICALCLUSTERS, key(id, "cluster"), lc);
}

fn default_namespace(state: &mut State, id: &str) {
    let ns = json!({
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "default", "uid": new_uid(), "creationTimestamp": now_rfc3339(), "annotations": {"kcp.io/cluster": id}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    });
    state.put(NAMESPACES, key(id, "default"), ns);
}

// ---------------------------------------------------------------------------------------
// Admission

fn forbidden_on(def: &ResourceDef, name: &str, why: &str) -> ApiError {
    ApiError::forbidden(format!("{} \"{name}\" is forbidden: {why}", def.group_resource()))
}

pub fn admit_create(
    sim: &Sim,
    state: &State,
    user: &User,
    def: &ResourceDef,
    cluster: &str,
    obj: &mut Value,
) -> ApiResult<()> {
    let name = obj["metadata"]["name"].as_str().unwrap_or_default().to_string();
    match def.store_key().as_str() {
        WORKSPACES => admit_workspace(state, user, def, cluster, &name, obj),
        APIBINDINGS => {
            let export = &obj["spec"]["reference"]["export"];
            let export_name = export["name"].as_str().unwrap_or_default().to_string();
            let export_path = export["path"].as_str().unwrap_or_default().to_string();
            let shown = if export_path.is_empty() {
                export_name.clone()
            } else {
                format!("{export_path}:{export_name}")
            };
            // One message whether the workspace or the export is missing: kcp does not leak
            // which workspaces exist.
            let denied = || {
                forbidden_on(
                    def,
                    &name,
                    &format!("unable to create APIBinding: no permission to bind to export {shown}"),
                )
            };
            let export_cluster = if export_path.is_empty() {
                cluster.to_string()
            } else {
                state
                    .resolve(&export_path)
                    .map(|c| c.id.clone())
                    .ok_or_else(denied)?
            };
            if state
                .get(APIEXPORTS, &key(&export_cluster, &export_name))
                .is_none()
            {
                return Err(denied());
            }
            obj["metadata"]["labels"][EXPORT_LABEL] =
                json!(export_label_value(&export_cluster, &export_name));
            Ok(())
        }
        SCHEMAS => {
            if crate::newest::enabled(sim) {
                crate::newest::default_schema(&mut obj["spec"]);
            }
            let errors = schema_name_errors(&name, &obj["spec"]);
            if errors.is_empty() {
                Ok(())
            } else {
                Err(ApiError::invalid(&def.kind, &def.group, &name, &errors))
            }
        }
        APIEXPORTS => {
            if let Some(c) = state.clusters.get(cluster) {
                obj["metadata"]["annotations"]["kcp.io/path"] = json!(c.path);
            }
            let _ = sim;
            Ok(())
        }
        NAMESPACES => {
            // The namespace strategy: the "kubernetes" finalizer is always there, phase Active.
            let mut finalizers = obj["spec"]["finalizers"].as_array().cloned().unwrap_or_default();
            if !finalizers.contains(&json!("kubernetes")) {
                finalizers.push(json!("kubernetes"));
            }
            obj["spec"]["finalizers"] = Value::Array(finalizers);
            obj["status"] = json!({"phase": "Active"});
            Ok(())
        }
        _ => Ok(()),
    }
}

fn schema_name_errors(name: &str, spec: &Value) -> Vec<(String, String)> {
    let plural = spec["names"]["plural"].as_str().unwrap_or_default();
    if plural.is_empty() {
        return vec![];
    }
    let group = match spec["group"].as_str().unwrap_or_default() {
        "" => "core",
        g => g,
    };
    let suffix = format!(".{plural}.{group}");
    let Some(prefix) = name.strip_suffix(&suffix) else {
        return vec![(
            "metadata.name".into(),
            format!("Invalid value: {name:?}: must end in {suffix}"),
        )];
    };
    let re = regex::Regex::new("^[a-z]([-a-z0-9]*[a-z0-9])?$").expect("literal regex");
    if !re.is_match(prefix) {
        return vec![(
            "metadata.name".into(),
            format!(
                "Invalid value: {name:?}: must match ^[a-z]([-a-z0-9]*[a-z0-9])?$ in front of .{plural}.{group}"
            ),
        )];
    }
    vec![]
}

/// The workspace types of kcp's default `workspace-types` battery and where they may go.
fn admit_workspace(
    state: &State,
    user: &User,
    def: &ResourceDef,
    cluster: &str,
    name: &str,
    obj: &mut Value,
) -> ApiResult<()> {
    let parent_type = state
        .clusters
        .get(cluster)
        .map(|c| c.type_.clone())
        .unwrap_or_default();
    let spec = &obj["spec"];
    if user.role != Role::Masters
        && (spec["cluster"].as_str().is_some_and(|c| !c.is_empty())
            || spec["URL"].as_str().is_some_and(|u| !u.is_empty()))
    {
        return Err(forbidden_on(
            def,
            name,
            "spec.Cluster can only be set by system privileged users",
        ));
    }
    let mut type_name = spec["type"]["name"].as_str().unwrap_or_default().to_string();
    let mut type_path = spec["type"]["path"].as_str().unwrap_or_default().to_string();
    if type_name.is_empty() {
        type_name = if parent_type == "root:root" {
            "organization".into()
        } else {
            "universal".into()
        };
        type_path = "root".into();
    }
    if type_path.is_empty() {
        type_path = "root".into();
    }
    let full = format!("{type_path}:{type_name}");
    let known = ["root:universal", "root:organization", "root:team"];
    if !known.contains(&full.as_str()) {
        return Err(forbidden_on(
            def,
            name,
            &format!("WorkspaceType {full} does not exist"),
        ));
    }
    let allowed_parents: &[&str] = match full.as_str() {
        "root:organization" => &["root:root"],
        "root:team" => &["root:organization", "root:team"],
        _ => &[],
    };
    if !allowed_parents.is_empty() && !allowed_parents.contains(&parent_type.as_str()) {
        return Err(forbidden_on(
            def,
            name,
            &format!(
                "workspace type {full} only allows {allowed_parents:?} parent workspaces, but parent type is {parent_type}"
            ),
        ));
    }
    if parent_type == "root:organization" && full == "root:organization" {
        return Err(forbidden_on(
            def,
            name,
            "workspace type root:organization only allows [root:universal] child workspaces",
        ));
    }
    obj["spec"]["type"] = json!({"name": type_name, "path": type_path});
    obj["status"] = json!({"phase": "Scheduling"});
    obj["metadata"]["labels"][PHASE_LABEL] = json!("Scheduling");
    if user.role != Role::Masters {
        obj["metadata"]["annotations"]["experimental.tenancy.kcp.io/owner"] =
            json!(format!("{{\"username\":\"{}\"}}", user.name));
    }
    Ok(())
}

pub fn admit_update(
    sim: &Sim,
    _state: &State,
    user: &User,
    def: &ResourceDef,
    _cluster: &str,
    old: &Value,
    new: &mut Value,
) -> ApiResult<()> {
    let name = old["metadata"]["name"].as_str().unwrap_or_default();
    if def.store_key() == SCHEMAS && crate::newest::enabled(sim) {
        crate::newest::default_schema(&mut new["spec"]);
    }
    match def.store_key().as_str() {
        WORKSPACES => {
            if user.role != Role::Masters {
                for field in ["cluster", "URL"] {
                    if old["spec"][field] != new["spec"][field] {
                        return Err(forbidden_on(
                            def,
                            name,
                            &format!(
                                "spec.{} can only be set by system privileged users",
                                if field == "cluster" { "Cluster" } else { "URL" }
                            ),
                        ));
                    }
                }
            }
            // The phase label is the system's.
            new["metadata"]["labels"][PHASE_LABEL] = old["metadata"]["labels"][PHASE_LABEL].clone();
            Ok(())
        }
        SCHEMAS if old["spec"] != new["spec"] => Err(ApiError::invalid(
            &def.kind,
            &def.group,
            name,
            &[("spec".into(), "Invalid value: \"object\": is immutable".into())],
        )),
        APIBINDINGS => {
            if old["metadata"]["labels"][EXPORT_LABEL] != new["metadata"]["labels"][EXPORT_LABEL] {
                return Err(forbidden_on(
                    def,
                    name,
                    &format!(
                        "metadata.labels[{EXPORT_LABEL}]: must be set to {}",
                        old["metadata"]["labels"][EXPORT_LABEL]
                    ),
                ));
            }
            let _ = sim;
            Ok(())
        }
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Deletion

pub fn delete(
    sim: &Arc<Sim>,
    state: &mut State,
    def: &ResourceDef,
    cluster: &str,
    key: &Key,
    old: &Arc<Value>,
) -> Value {
    match def.store_key().as_str() {
        WORKSPACES => {
            let assigned = old["spec"]["cluster"].as_str().is_some_and(|c| !c.is_empty());
            if !assigned {
                return state
                    .remove(WORKSPACES, key)
                    .map(|o| (*o).clone())
                    .unwrap_or_default();
            }
            if old["metadata"].get("deletionTimestamp").is_some() {
                return (**old).clone();
            }
            let mut marked = (**old).clone();
            marked["metadata"]["deletionTimestamp"] = json!(now_rfc3339());
            marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
            marked["metadata"]["labels"][PHASE_LABEL] = json!("Deleting");
            push_condition(
                &mut marked,
                condition(
                    "WorkspaceContentDeleted",
                    false,
                    Some("ContentDeletionPending"),
                    Some("content is being deleted"),
                ),
            );
            let stored = (*state.put(WORKSPACES, key.clone(), marked)).clone();
            let (sim, cluster, name, uid) = (
                sim.clone(),
                cluster.to_string(),
                key.2.clone(),
                old["metadata"]["uid"].clone(),
            );
            sim.runtime.clone().spawn(async move {
                tokio::time::sleep(sim.config.delete_delay).await;
                finish_workspace_deletion(&sim, &cluster, &name, &uid);
            });
            stored
        }
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

fn collect_namespace_content(state: &State, cluster: &str, ns: &str) -> Vec<(String, Key)> {
    ["/configmaps", "coordination.k8s.io/leases"]
        .iter()
        .flat_map(|sk| {
            state
                .list(sk, Some(cluster), Some(ns))
                .map(|(k, _)| (sk.to_string(), k.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn push_condition(obj: &mut Value, c: Value) {
    let type_ = c["type"].clone();
    let conditions = obj["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut kept: Vec<Value> = conditions.into_iter().filter(|x| x["type"] != type_).collect();
    kept.push(c);
    obj["status"]["conditions"] = Value::Array(kept);
}

fn finish_workspace_deletion(sim: &Arc<Sim>, parent: &str, name: &str, uid: &Value) {
    let mut state = sim.state();
    let k = key(parent, name);
    let Some(ws) = state.get(WORKSPACES, &k).cloned() else {
        return;
    };
    if &ws["metadata"]["uid"] != uid {
        return;
    }
    if let Some(id) = ws["spec"]["cluster"].as_str() {
        for c in state.subtree(id) {
            state.remove_cluster_content(&c);
            state.forget_cluster(&c);
        }
    }
    state.remove(WORKSPACES, &k);
    drop(state);
    if crate::newest::enabled(sim) {
        // Bindings went with the content: shards may have nothing bound any more.
        refresh_slices(sim);
    }
}

/// kcp v0.28+: every endpoint slice follows the bindings (which shards bind its export).
fn refresh_slices(sim: &Arc<Sim>) {
    let slices = crate::newest::all_slices(&sim.state());
    for (cluster, name) in slices {
        reconcile_slice(sim, &cluster, &name);
    }
}

// ---------------------------------------------------------------------------------------
// Controllers

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Write {
    Created,
    Updated,
    Deleted,
}

/// React to a write as kcp's controllers would, after their configured delays.
pub fn after_write(sim: &Arc<Sim>, def: &ResourceDef, cluster: &str, name: &str, write: Write) {
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
        (APIBINDINGS, Write::Created) => {
            if crate::newest::enabled(&sim) {
                refresh_slices(&sim);
            }
            rt.spawn(async move {
                tokio::time::sleep(sim.config.binding_delay).await;
                reconcile_binding(&sim, &cluster, &name);
            });
        }
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

async fn workspace_lifecycle(sim: Arc<Sim>, parent: String, name: String) {
    tokio::time::sleep(sim.config.schedule_delay).await;
    let Some(uid) = schedule_workspace(&sim, &parent, &name) else {
        return;
    };
    tokio::time::sleep(sim.config.initialize_delay).await;
    initialize_workspace(&sim, &parent, &name, &uid);
}

/// Scheduling: the logical cluster gets its ID and URL; the phase becomes Initializing.
fn schedule_workspace(sim: &Arc<Sim>, parent: &str, name: &str) -> Option<Value> {
    let mut state = sim.state();
    let k = key(parent, name);
    let mut ws = (**state.get(WORKSPACES, &k)?).clone();
    if ws["metadata"].get("deletionTimestamp").is_some() {
        return None;
    }
    let parent_path = state.clusters.get(parent)?.path.clone();
    let id = new_cluster_id();
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

fn initialize_workspace(sim: &Arc<Sim>, parent: &str, name: &str, uid: &Value) {
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
    default_namespace(&mut state, &id);
    ws["status"]["phase"] = json!("Ready");
    ws["status"]["initializers"] = json!([]);
    push_condition(&mut ws, condition("WorkspaceInitialized", true, None, None));
    if ws["metadata"].get("deletionTimestamp").is_none() {
        ws["metadata"]["labels"][PHASE_LABEL] = json!("Ready");
    }
    state.put(WORKSPACES, k, ws);
}

fn reconcile_export(sim: &Arc<Sim>, cluster: &str, name: &str) {
    {
        let mut state = sim.state();
        let k = key(cluster, name);
        let Some(old) = state.get(APIEXPORTS, &k).cloned() else {
            return;
        };
        let mut export = (*old).clone();
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
        if !same_status(&old, &export) {
            state.put(APIEXPORTS, k, export);
        }
    }
    reconcile_dependents(sim, cluster, name);
}

/// Ignoring transition times, has the status changed?
fn same_status(a: &Value, b: &Value) -> bool {
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
fn reconcile_dependents(sim: &Arc<Sim>, cluster: &str, name: &str) {
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

fn reconcile_slice(sim: &Arc<Sim>, cluster: &str, name: &str) {
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
    let ready = export_cluster
        .as_ref()
        .and_then(|c| state.get(APIEXPORTS, &key(c, &export_name)))
        .is_some_and(|e| e["status"]["identityHash"].is_string());
    if ready {
        let c = export_cluster.expect("ready implies found");
        let urls: Vec<Value> = if crate::newest::enabled(sim) {
            crate::newest::bound_endpoints(sim, &state, &c, &export_name)
        } else {
            (0..sim.config.shards)
                .map(|s| json!({"url": view_url(sim, s, &c, &export_name)}))
                .collect()
        };
        slice["status"]["endpoints"] = Value::Array(urls);
        push_condition(&mut slice, condition("APIExportValid", true, None, None));
        push_condition(&mut slice, condition("EndpointURLsReady", true, None, None));
    } else {
        slice["status"]["endpoints"] = json!([]);
        push_condition(
            &mut slice,
            condition(
                "APIExportValid",
                false,
                Some("APIExportNotFound"),
                Some("APIExport not found"),
            ),
        );
    }
    if !same_status(&old, &slice) {
        state.put(SLICES, k, slice);
    }
}

/// The resources an export offers, with its identity, from its latest schemas.
fn export_defs(state: &State, export_cluster: &str, export: &Value) -> Result<Vec<Arc<ResourceDef>>, String> {
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

fn reconcile_binding(sim: &Arc<Sim>, cluster: &str, name: &str) {
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

// ---------------------------------------------------------------------------------------
// The export's view

pub struct View {
    pub defs: Vec<Arc<ResourceDef>>,
    pub bindings: Arc<ResourceDef>,
    pub label: String,
}

pub fn view(sim: &Sim, export_cluster: &str, export_name: &str) -> Option<View> {
    let state = sim.state();
    let export = state.get(APIEXPORTS, &key(export_cluster, export_name))?;
    let defs = export_defs(&state, export_cluster, export).ok()?;
    let bindings = sim
        .builtins
        .iter()
        .find(|d| d.store_key() == APIBINDINGS)?
        .clone();
    Some(View {
        defs,
        bindings,
        label: export_label_value(export_cluster, export_name),
    })
}

impl View {
    /// The definition serving a path in the view, the label the caller is limited to, and
    /// whether it is read-only (the view's APIBindings are).
    pub fn resolve(
        &self,
        res: &crate::api::ResPath,
    ) -> Option<(Arc<ResourceDef>, Option<LabelSelector>, bool)> {
        if res.group == self.bindings.group
            && res.version == self.bindings.version
            && res.plural == self.bindings.plural
        {
            return Some((
                self.bindings.clone(),
                Some(LabelSelector::eq(EXPORT_LABEL, &self.label)),
                true,
            ));
        }
        self.defs
            .iter()
            .find(|d| d.group == res.group && d.version == res.version && d.plural == res.plural)
            .map(|d| (d.clone(), None, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_label_is_base62_of_sha224() {
        let v = export_label_value("root", "someExport");
        assert!(!v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(v, export_label_value("root", "someExport"));
        assert_ne!(v, export_label_value("root", "other"));
    }

    #[test]
    fn schema_names_follow_kcps_rule() {
        let spec = json!({"group": "edge.kubestellar.io", "names": {"plural": "synctargets"}});
        assert!(schema_name_errors("v1.synctargets.edge.kubestellar.io", &spec).is_empty());
        assert!(!schema_name_errors("synctargets.edge.kubestellar.io", &spec).is_empty());
        assert!(!schema_name_errors("V1.synctargets.edge.kubestellar.io", &spec).is_empty());
    }
}
