//! The Kubernetes API exports of `root:compute` that `ensure wmw --with-kube true` binds.
//! kcp v0.11 makes `root:compute` with its `kubernetes` export (deployments, services,
//! ingresses, pods: its `root-compute-workspace` battery); KubeStellar's `kubestellar init`
//! adds fifteen exports of other Kubernetes APIs there, from its `config/kube/exports`, and
//! RBAC that lets every user bind them. `init espw` adds the same objects, from the copy in
//! `data/kubestellar-v0.14.0` (Apache-2.0, see its README), so that KubeStellar's `ensure
//! wmw` and the plugin's both work after either tool's init.

use crate::error::{Error, Result};
use crate::kcp::Address;
use crate::kcp::types::{ApiExport, ApiResourceSchema};
use crate::kcp::{Kcp, Presence, Scope, presence};
use crate::workspace::{Item, Made};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use serde_json::{Value, json};

/// The workspace kcp v0.11 keeps its `kubernetes` export in.
pub(crate) const COMPUTE: &str = "root:compute";

/// The exports `ensure wmw --with-kube true` binds, in the script's order: kcp's
/// `kubernetes`, then KubeStellar's.
pub(crate) const WMW_EXPORTS: [&str; 16] = [
    "kubernetes",
    "apiregistration.k8s.io",
    "apps",
    "autoscaling",
    "batch",
    "core.k8s.io",
    "cluster-core.k8s.io",
    "discovery.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "networking.k8s.io",
    "cluster-networking.k8s.io",
    "node.k8s.io",
    "policy",
    "scheduling.k8s.io",
    "storage.k8s.io",
    "cluster-storage.k8s.io",
];

/// KubeStellar's `config/kube/exports`, namespaced then cluster-scoped, each directory in
/// name order (the script's `apiresourceschema-*.yaml`, then `apiexport-*.yaml`).
const FILES: &[&str] = &[
    include_str!("../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiexport-apps.yaml"),
    include_str!("../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiexport-autoscaling.yaml"),
    include_str!("../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiexport-batch.yaml"),
    include_str!("../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiexport-core.k8s.io.yaml"),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiexport-discovery.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiexport-networking.k8s.io.yaml"
    ),
    include_str!("../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiexport-policy.yaml"),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiexport-storage.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-cronjobs.batch.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-csistoragecapacities.storage.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-daemonsets.apps.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-endpoints.core.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-endpointslices.discovery.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-horizontalpodautoscalers.autoscaling.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-jobs.batch.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-networkpolicies.networking.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-persistentvolumeclaims.core.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-poddisruptionbudgets.policy.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-podtemplates.core.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-replicasets.apps.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-replicationcontrollers.core.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/namespaced/apiresourceschema-statefulsets.apps.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiexport-apiregistration.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiexport-core.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiexport-flowcontrol.apiserver.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiexport-networking.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiexport-node.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiexport-scheduling.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiexport-storage.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-apiservices.apiregistration.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-csidrivers.storage.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-csinodes.storage.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-flowschemas.flowcontrol.apiserver.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-ingressclasses.networking.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-persistentvolumes.core.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-priorityclasses.scheduling.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-prioritylevelconfigurations.flowcontrol.apiserver.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-runtimeclasses.node.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-storageclasses.storage.k8s.io.yaml"
    ),
    include_str!(
        "../../data/kubestellar-v0.14.0/config/kube/exports/cluster-scoped/apiresourceschema-volumeattachments.storage.k8s.io.yaml"
    ),
];

/// Every object of the files, as JSON: (schemas, exports).
pub(crate) fn objects() -> (Vec<Value>, Vec<Value>) {
    let mut schemas = Vec::new();
    let mut exports = Vec::new();
    for text in FILES {
        let mut v: Value = serde_saphyr::from_str(text).expect("the shipped YAML parses");
        // What `kubectl create -f` drops before it sends them.
        if let Some(m) = v.as_object_mut() {
            m.remove("status");
        }
        if let Some(m) = v["metadata"].as_object_mut() {
            m.remove("creationTimestamp");
        }
        match v["kind"].as_str() {
            Some("APIResourceSchema") => schemas.push(v),
            _ => exports.push(v),
        }
    }
    (schemas, exports)
}

/// The RBAC `kubestellar init` applies in `root:compute`: every authenticated user may bind
/// the exports and use what they serve.
pub(crate) fn rbac() -> Vec<Value> {
    let resources = [
        "services",
        "pods",
        "ingresses",
        "deployments",
        "cronjobs",
        "csistoragecapacities",
        "daemonsets",
        "endpoints",
        "endpointslices",
        "horizontalpodautoscalers",
        "jobs",
        "networkpolicies",
        "persistentvolumeclaims",
        "poddisruptionbudgets",
        "podtemplates",
        "replicasets",
        "replicationcontrollers",
        "statefulsets",
    ];
    let subresources = [
        "services/status",
        "pods/status",
        "ingresses/status",
        "deployments/status",
        "deployments/scale",
        "cronjobs/status",
        "csistoragecapacities/status",
        "daemonsets/status",
        "endpoints/status",
        "endpointslices/status",
        "horizontalpodautoscalers/status",
        "jobs/status",
        "networkpolicies/status",
        "persistentvolumeclaims/status",
        "poddisruptionbudgets/status",
        "podtemplates/status",
        "replicasets/scale",
        "replicasets/status",
        "replicationcontrollers/scale",
        "replicationcontrollers/status",
        "statefulsets/scale",
        "statefulsets/status",
    ];
    let groups = [
        "",
        "apps",
        "networking.k8s.io",
        "autoscaling",
        "batch",
        "discovery.k8s.io",
        "policy",
        "storage.k8s.io",
    ];
    let subject = json!([{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "apis.kcp.io:binding:system:authenticated"}]);
    let role =
        |name: &str, rules: Value| ClusterRole::manifest(json!({"metadata": {"name": name}, "rules": rules}));
    let binding = |name: &str, role: &str| {
        ClusterRoleBinding::manifest(json!({"metadata": {"name": name},
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
               "subjects": subject}))
    };
    let bind = "compute:apiexport:kubernetes-extended:bind";
    let policy = "compute:apiexport:kubernetes:maximal-permission-policy-extended";
    vec![
        role(
            bind,
            json!([{"apiGroups": ["apis.kcp.io"], "resources": ["apiexports"], "verbs": ["bind"],
                    "resourceNames": ["apps", "autoscaling", "batch", "core.k8s.io", "discovery.k8s.io", "networking.k8s.io", "policy", "storage.k8s.io"]}]),
        ),
        role(
            policy,
            json!([
                {"apiGroups": groups, "resources": resources, "verbs": ["*"]},
                {"apiGroups": groups, "resources": subresources, "verbs": ["get", "list", "watch", "update", "patch"]},
            ]),
        ),
        binding(bind, bind),
        binding(
            "compute:authenticated:apiexport:kubernetes:maximal-permission-policy-extended",
            policy,
        ),
    ]
}

/// Add the exports to `root:compute` where kcp made one; where there is none (kcp v0.28 and
/// later, kcp-sim without its defaults) there is nothing to add them to, and `ensure wmw`
/// says so when it needs them.
pub(crate) async fn ensure_compute_exports(
    kcp: &Kcp,
    dry_run: bool,
    deadline: tokio::time::Instant,
) -> Result<Vec<Item>> {
    match presence(kcp, COMPUTE).await {
        Presence::Ready => {}
        Presence::Missing => {
            tracing::debug!("{COMPUTE} does not exist: no Kubernetes API exports to add");
            return Ok(vec![]);
        }
        // kcp makes it as it starts: wait for it, as KubeStellar's init does.
        Presence::NotReady => {
            let ready = |w: Option<&crate::kcp::types::Workspace>| w.is_some_and(|w| w.ready());
            crate::workspace::wait_for(kcp, "root", "compute", deadline, "become Ready", ready).await?;
        }
        Presence::Unknown => {
            return Err(Error::failed(format!("cannot tell whether {COMPUTE} exists"))
                .hint("check that the context's user may read the workspaces in root"));
        }
    }
    let compute = kcp.cluster(COMPUTE);
    let (schemas, exports) = objects();
    let mut items = Vec::new();
    for s in schemas {
        items.push(ensure_schema(&compute, s, dry_run).await?);
    }
    for e in exports {
        items.push(ensure_export(&compute, e, dry_run).await?);
    }
    for object in rbac() {
        if let Some(item) = ensure_rbac(&compute, object, dry_run).await? {
            items.push(item);
        }
    }
    Ok(items)
}

fn name_of(v: &Value) -> String {
    v["metadata"]["name"].as_str().unwrap_or_default().to_string()
}

fn item(kind: &'static str, name: &str, change: Made) -> Item {
    Item {
        kind,
        name: format!("{COMPUTE}:{name}"),
        change,
        note: None,
    }
}

/// A schema: there and equal, or created. KubeStellar's names are content-addressed, so one
/// of the same name that differs is an error (schemas are immutable).
async fn ensure_schema(compute: &Scope, schema: Value, dry_run: bool) -> Result<Item> {
    let name = name_of(&schema);
    let rel = ApiResourceSchema::object(&name);
    let found: Option<Value> = compute.get(&rel).await.map_err(|e| {
        e.to_error(
            &format!("failed to read APIResourceSchema {name}"),
            &compute.url(),
        )
    })?;
    match found {
        Some(f)
            if crate::edge_api::without_server_defaults(&f["spec"])
                == crate::edge_api::without_server_defaults(&schema["spec"]) =>
        {
            Ok(item("APIResourceSchema", &name, Made::Unchanged))
        }
        Some(_) => Err(Error::failed(format!(
            "APIResourceSchema {name} in {COMPUTE} exists with another definition than KubeStellar v0.14's"
        ))
        .hint("schemas are immutable: delete it (and the export listing it), then run init espw again")),
        None if dry_run => Ok(item("APIResourceSchema", &name, Made::Created)),
        None => match compute
            .create::<Value>(&ApiResourceSchema::collection(), &schema)
            .await
        {
            Ok(_) => Ok(item("APIResourceSchema", &name, Made::Created)),
            Err(e) if e.is_already_exists() => Ok(item("APIResourceSchema", &name, Made::Unchanged)),
            Err(e) => Err(e.to_error(
                &format!("failed to create APIResourceSchema {name}"),
                &compute.url(),
            )),
        },
    }
}

/// An export: created, or its schema list set to KubeStellar's (as `kubectl apply` does).
async fn ensure_export(compute: &Scope, export: Value, dry_run: bool) -> Result<Item> {
    let name = name_of(&export);
    // v1alpha1 whatever the server prefers: the files are v1alpha1, and kcp v0.28 and later
    // serve it too.
    let rel = ApiExport::object(&name);
    let found: Option<Value> = compute
        .get(&rel)
        .await
        .map_err(|e| e.to_error(&format!("failed to read APIExport {name}"), &compute.url()))?;
    let wanted = &export["spec"]["latestResourceSchemas"];
    match found {
        Some(f) if &f["spec"]["latestResourceSchemas"] == wanted => {
            Ok(item("APIExport", &name, Made::Unchanged))
        }
        Some(_) if dry_run => Ok(item("APIExport", &name, Made::Updated)),
        Some(_) => {
            compute
                .merge_patch::<Value>(&rel, &json!({"spec": {"latestResourceSchemas": wanted}}))
                .await
                .map_err(|e| e.to_error(&format!("failed to update APIExport {name}"), &compute.url()))?;
            Ok(item("APIExport", &name, Made::Updated))
        }
        None if dry_run => Ok(item("APIExport", &name, Made::Created)),
        None => match compute.create::<Value>(&ApiExport::collection(), &export).await {
            Ok(_) => Ok(item("APIExport", &name, Made::Created)),
            Err(e) if e.is_already_exists() => Ok(item("APIExport", &name, Made::Unchanged)),
            Err(e) => Err(e.to_error(&format!("failed to create APIExport {name}"), &compute.url())),
        },
    }
}

/// A ClusterRole or ClusterRoleBinding: created, or its rules (subjects) set to KubeStellar's.
/// `None` where the server serves no RBAC (kcp-sim without it): nothing to grant there.
async fn ensure_rbac(compute: &Scope, object: Value, dry_run: bool) -> Result<Option<Item>> {
    let name = name_of(&object);
    let (kind, collection) = if object["kind"] == "ClusterRole" {
        ("ClusterRole", ClusterRole::collection())
    } else {
        ("ClusterRoleBinding", ClusterRoleBinding::collection())
    };
    let rel = format!("{collection}/{name}");
    let found: Option<Value> = match compute.get(&rel).await {
        Ok(f) => f,
        Err(e) => return Err(e.to_error(&format!("failed to read {kind} {name}"), &compute.url())),
    };
    let fields = ["rules", "roleRef", "subjects"];
    let same = |f: &Value| fields.iter().all(|k| f[*k] == object[*k]);
    match found {
        Some(f) if same(&f) => Ok(Some(item(kind, &name, Made::Unchanged))),
        Some(_) if dry_run => Ok(Some(item(kind, &name, Made::Updated))),
        Some(_) => {
            let patch: serde_json::Map<String, Value> = fields
                .iter()
                .filter(|k| !object[**k].is_null())
                .map(|k| (k.to_string(), object[*k].clone()))
                .collect();
            compute
                .merge_patch::<Value>(&rel, &Value::Object(patch))
                .await
                .map_err(|e| e.to_error(&format!("failed to update {kind} {name}"), &compute.url()))?;
            Ok(Some(item(kind, &name, Made::Updated)))
        }
        None if dry_run => Ok(Some(item(kind, &name, Made::Created))),
        None => match compute.create::<Value>(&collection, &object).await {
            Ok(_) => Ok(Some(item(kind, &name, Made::Created))),
            Err(e) if e.is_already_exists() => Ok(Some(item(kind, &name, Made::Unchanged))),
            Err(e) if e.is_not_found() => {
                tracing::debug!("{COMPUTE} serves no {kind}s: nothing to grant there");
                Ok(None)
            }
            Err(e) => Err(e.to_error(&format!("failed to create {kind} {name}"), &compute.url())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_exports_are_the_ones_ensure_wmw_binds() {
        let (schemas, exports) = objects();
        assert_eq!(schemas.len(), 25);
        let mut names: Vec<String> = exports.iter().map(name_of).collect();
        names.sort();
        let mut wanted: Vec<String> = WMW_EXPORTS[1..].iter().map(|s| s.to_string()).collect();
        wanted.sort();
        assert_eq!(names, wanted);
        // Every schema an export lists is shipped.
        for e in &exports {
            for s in e["spec"]["latestResourceSchemas"].as_array().unwrap() {
                assert!(schemas.iter().any(|x| x["metadata"]["name"] == *s), "{s}");
            }
        }
    }
}
