//! The YAML for the edge cluster (the workload execution cluster) that installs a SyncTarget's
//! syncer: the objects KubeStellar v0.14's `syncer-gen` renders from its template
//! `kubestellar-syncer.yaml`, built here as data: a namespace named after the syncer, its
//! ServiceAccount and token Secret, a ClusterRole and binding, the Secret holding the
//! kubeconfig into the mailbox workspace, and the Deployment.

use crate::kcp::Address;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use serde_json::{Value, json};

/// What differs between syncers.
pub(crate) struct SyncerInput<'a> {
    /// `kubestellar-syncer-<SyncTarget>-<hash>`: the namespace and every object's name.
    pub syncer_id: &'a str,
    /// The server's scheme, host and port, without a path (syncer-gen's `ServerURL`: the
    /// syncer builds cluster-aware clients from it).
    pub server_url: &'a str,
    /// The kubeconfig's certificate authority, PEM, base64 (empty when it has none).
    pub ca_data: &'a str,
    pub token: &'a str,
    /// The namespace of the syncer's ServiceAccount in the mailbox workspace.
    pub kcp_namespace: &'a str,
    pub sync_target: &'a str,
    pub sync_target_uid: &'a str,
    pub image: &'a str,
}

const REPLICAS: u32 = 1;
const QPS: u32 = 20;
const BURST: u32 = 30;
const CONFIG_KEY: &str = "kubeconfig";

/// The manifest: YAML documents, each after a `---` line.
pub(crate) fn render(input: &SyncerInput<'_>) -> String {
    documents(input)
        .iter()
        .map(|d| format!("---\n{}", serde_saphyr::to_string(d).unwrap_or_default()))
        .collect()
}

/// The objects, in syncer-gen's order.
pub(crate) fn documents(input: &SyncerInput<'_>) -> Vec<Value> {
    let id = input.syncer_id;
    let all = json!(["*"]);
    vec![
        Namespace::manifest(json!({"metadata": {"name": id}})),
        ServiceAccount::manifest(json!({"metadata": {"name": id, "namespace": id}})),
        Secret::manifest(json!({
            "metadata": {"name": format!("{id}-token"), "namespace": id,
                         "annotations": {"kubernetes.io/service-account.name": id}},
            "type": "kubernetes.io/service-account-token"})),
        ClusterRole::manifest(json!({
        "metadata": {"name": id},
        "rules": [
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles", "clusterrolebindings"], "verbs": all},
            {"apiGroups": all, "resources": all, "verbs": all},
        ]})),
        ClusterRoleBinding::manifest(json!({
            "metadata": {"name": id},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": id},
            "subjects": [{"kind": "ServiceAccount", "name": id, "namespace": id}]})),
        Secret::manifest(json!({
            "metadata": {"name": id, "namespace": id},
            "stringData": {CONFIG_KEY: upstream_kubeconfig(input)}})),
        deployment(input),
    ]
}

/// The kubeconfig the syncer reaches the mailbox workspace with.
fn upstream_kubeconfig(input: &SyncerInput<'_>) -> String {
    let mut cluster = json!({"server": input.server_url});
    if !input.ca_data.is_empty() {
        cluster["certificate-authority-data"] = json!(input.ca_data);
    }
    let config = json!({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "default-cluster", "cluster": cluster}],
        "contexts": [{"name": "default-context", "context": {
            "cluster": "default-cluster", "namespace": input.kcp_namespace, "user": "default-user"}}],
        "current-context": "default-context",
        "users": [{"name": "default-user", "user": {"token": input.token}}],
    });
    serde_saphyr::to_string(&config).unwrap_or_default()
}

fn deployment(input: &SyncerInput<'_>) -> Value {
    let id = input.syncer_id;
    Deployment::manifest(json!({
        "metadata": {"name": id, "namespace": id},
        "spec": {
            "replicas": REPLICAS,
            "strategy": {"type": "Recreate"},
            "selector": {"matchLabels": {"app": id}},
            "template": {
                "metadata": {"labels": {"app": id}},
                "spec": {
                    "containers": [{
                        "name": "kubestellar-syncer",
                        "command": ["/ko-app/syncer"],
                        "args": [
                            format!("--from-kubeconfig=/kubestellar/{CONFIG_KEY}"),
                            format!("--sync-target-name={}", input.sync_target),
                            format!("--sync-target-uid={}", input.sync_target_uid),
                            format!("--qps={QPS}"),
                            format!("--burst={BURST}"),
                            "--v=3",
                        ],
                        "env": [{"name": "NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
                        "image": input.image,
                        "imagePullPolicy": "IfNotPresent",
                        "terminationMessagePolicy": "FallbackToLogsOnError",
                        "volumeMounts": [{"name": "kubestellar-config", "mountPath": "/kubestellar/", "readOnly": true}],
                    }],
                    "serviceAccountName": id,
                    "volumes": [{"name": "kubestellar-config", "secret": {"secretName": id, "optional": false}}],
                },
            },
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SyncerInput<'static> {
        SyncerInput {
            syncer_id: "kubestellar-syncer-st1-abcd1234",
            server_url: "https://127.0.0.1:6443",
            ca_data: "Q0E=",
            token: "tok",
            kcp_namespace: "default",
            sync_target: "st1",
            sync_target_uid: "u-1",
            image: "quay.io/kubestellar/syncer:release-0.14",
        }
    }

    #[test]
    fn the_manifest_is_seven_documents_that_parse_back() {
        let text = render(&input());
        let docs: Vec<&str> = text.split("---\n").filter(|d| !d.is_empty()).collect();
        assert_eq!(docs.len(), 7);
        let parsed: Vec<Value> = docs.iter().map(|d| serde_saphyr::from_str(d).unwrap()).collect();
        assert_eq!(parsed, documents(&input()));
        let kinds: Vec<&str> = parsed.iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "Namespace",
                "ServiceAccount",
                "Secret",
                "ClusterRole",
                "ClusterRoleBinding",
                "Secret",
                "Deployment"
            ]
        );
        let kubeconfig: Value =
            serde_saphyr::from_str(parsed[5]["stringData"]["kubeconfig"].as_str().unwrap()).unwrap();
        assert_eq!(kubeconfig["users"][0]["user"]["token"], "tok");
        assert_eq!(
            kubeconfig["clusters"][0]["cluster"]["certificate-authority-data"],
            "Q0E="
        );
        assert_eq!(
            parsed[6]["spec"]["template"]["spec"]["containers"][0]["args"][2],
            "--sync-target-uid=u-1"
        );
    }
}
