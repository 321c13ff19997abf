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

mod admission;
mod claims;
mod controllers;
mod crds;
mod defaults;
mod deletion;
mod replicate;
mod tokens;
mod topology;
mod view;
mod workspacetypes;

pub(crate) use admission::*;
pub(crate) use claims::*;
pub(crate) use controllers::*;
pub(crate) use crds::CRDS;
pub(crate) use defaults::*;
pub(crate) use deletion::*;
pub(crate) use topology::*;
pub(crate) use view::*;
pub(crate) use workspacetypes::*;

pub(crate) const WORKSPACES: &str = "tenancy.kcp.io/workspaces";
pub(crate) const APIEXPORTS: &str = "apis.kcp.io/apiexports";
pub(crate) const APIBINDINGS: &str = "apis.kcp.io/apibindings";
pub(crate) const SCHEMAS: &str = "apis.kcp.io/apiresourceschemas";
pub(crate) const SLICES: &str = "apis.kcp.io/apiexportendpointslices";
pub(crate) const LOGICALCLUSTERS: &str = "core.kcp.io/logicalclusters";
pub(crate) const NAMESPACES: &str = "/namespaces";

const PHASE_LABEL: &str = "tenancy.kcp.io/phase";
const FINALIZER: &str = "core.kcp.io/logicalcluster";
pub(crate) const EXPORT_LABEL: &str = "internal.apis.kcp.io/export";

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
pub(crate) fn export_label_value(export_cluster: &str, export_name: &str) -> String {
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
pub(crate) fn view_url(sim: &Sim, shard: usize, export_cluster: &str, export_name: &str) -> String {
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

/// kcp's controllers of built-in kinds, after any write of one: the service-account token
/// controller and the RBAC label controllers.
pub(crate) fn after_builtin_write(
    sim: &Arc<Sim>,
    def: &ResourceDef,
    cluster: &str,
    ns: Option<&str>,
    name: &str,
) {
    tokens::after_write_namespaced(sim, def, cluster, ns, name);
    replicate::after_rbac_write(sim, def, cluster);
}

// ---------------------------------------------------------------------------------------
// Bootstrap

pub(crate) fn bootstrap(sim: &Arc<Sim>) {
    root_cluster(sim);
    bootstrap_shards(sim);
    if sim.config.default_api_bindings {
        bootstrap_root_apis(sim);
        if sim.config.root_compute {
            bootstrap_root_compute(sim);
        }
    }
}

fn root_cluster(sim: &Arc<Sim>) {
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
