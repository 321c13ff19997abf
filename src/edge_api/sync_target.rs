//! SyncTarget: one edge cluster, as kcp's TMC modelled it and KubeStellar kept it.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::schema_util::{CLUSTER_PATH_PATTERN, GROUP_PATTERN, RESOURCE_PATTERN, quantity_map};

/// What the edge cluster is asked to offer.
// Each `printcolumn(...)` repeats keys such as `type_`, which clippy takes for duplicates.
#[allow(clippy::duplicated_attributes)]
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[kube(
    group = "edge.kubestellar.io",
    version = "v2alpha1",
    kind = "SyncTarget",
    doc = "An edge cluster that workloads can be synced to.",
    status = "SyncTargetStatus",
    printcolumn(
        name = "Location",
        type_ = "string",
        json_path = ".metadata.name",
        priority = 1
    ),
    printcolumn(
        name = "Ready",
        type_ = "string",
        json_path = r#".status.conditions[?(@.type=="Ready")].status"#,
        priority = 2
    ),
    printcolumn(
        name = "Synced API resources",
        type_ = "string",
        json_path = ".status.syncedResources",
        priority = 3
    ),
    printcolumn(
        name = "Key",
        type_ = "string",
        json_path = r".metadata.labels['internal\.workload\.kcp\.dev/key']",
        priority = 4
    ),
    printcolumn(name = "Age", type_ = "date", json_path = ".metadata.creationTimestamp")
)]
#[serde(rename_all = "camelCase")]
pub struct SyncTargetSpec {
    /// When true, no new workloads are placed on this cluster.
    #[serde(default)]
    pub unschedulable: bool,
    /// After this time, workloads are taken off this cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evict_after: Option<Time>,
    /// APIExports whose resources this cluster must be able to serve.
    #[serde(default = "default_supported_api_exports", rename = "supportedAPIExports")]
    pub supported_api_exports: Vec<ApiExportReference>,
    /// Labels naming the cells this cluster belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cells: Option<BTreeMap<String, String>>,
}

/// kcp TMC's convention: with no list given, the workspace's `kubernetes` export applies.
fn default_supported_api_exports() -> Vec<ApiExportReference> {
    vec![ApiExportReference {
        export: "kubernetes".into(),
        path: None,
    }]
}

/// Names an APIExport, optionally in another workspace.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
pub struct ApiExportReference {
    /// Name of the APIExport.
    pub export: String,
    /// Logical-cluster path of the export's workspace; empty means this workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = CLUSTER_PATH_PATTERN))]
    pub path: Option<String>,
}

/// What the syncer and kcp report about the cluster.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncTargetStatus {
    /// Resources available for scheduling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "quantity_map")]
    pub allocatable: Option<BTreeMap<String, Quantity>>,
    /// Total resources of the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "quantity_map")]
    pub capacity: Option<BTreeMap<String, Quantity>>,
    /// Observations such as SyncerReady and HeartbeatHealthy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<Condition>>,
    /// Resources the syncer can sync, with their compatibility.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synced_resources: Option<Vec<ResourceToSync>>,
    /// When the syncer last reported in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_syncer_heartbeat_time: Option<Time>,
    /// URLs of the syncer's virtual workspaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_workspaces: Option<Vec<VirtualWorkspace>>,
}

/// A kcp condition (it has `severity`, unlike the Kubernetes one).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// Condition type, e.g. `Ready`.
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// How bad a `False` status is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// When the status last changed.
    pub last_transition_time: Time,
    /// Machine-readable cause of the last change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One resource the syncer may sync.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResourceToSync {
    /// API group; empty for the core group.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = GROUP_PATTERN))]
    pub group: Option<String>,
    /// Lowercase plural resource name.
    #[schemars(regex(pattern = RESOURCE_PATTERN))]
    pub resource: String,
    /// Versions to sync, most preferred first.
    #[schemars(length(min = 1))]
    pub versions: Vec<String>,
    /// Identity of the APIExport serving the resource; empty for core types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_hash: Option<String>,
    /// Whether the edge cluster can serve the resource's schema.
    #[serde(default)]
    pub state: ResourceCompatibleState,
}

/// Compatibility of a resource with the edge cluster.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum ResourceCompatibleState {
    #[default]
    Pending,
    Accepted,
    Incompatible,
}

/// Where the syncer for this cluster connects.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
pub struct VirtualWorkspace {
    /// URL of the syncer virtual workspace.
    #[serde(rename = "syncerURL")]
    #[schemars(length(min = 1))]
    pub syncer_url: String,
    /// URL of the upsyncer virtual workspace.
    #[serde(rename = "upsyncerURL")]
    #[schemars(length(min = 1))]
    pub upsyncer_url: String,
}
