//! SyncerConfig and EdgeSyncConfig: instructions to a syncer, per mailbox workspace.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::placement::UpsyncSet;

/// What one syncer downsyncs and upsyncs (one per edge cluster and mailbox workspace).
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "edge.kubestellar.io",
    version = "v2alpha1",
    kind = "SyncerConfig",
    doc = "The objects one syncer moves between its mailbox workspace and its edge cluster.",
    shortname = "escfg",
    status = "SyncerStatus"
)]
#[serde(rename_all = "camelCase")]
pub struct SyncerConfigSpec {
    /// Namespaced objects to downsync, by namespace and resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace_scope: Option<NamespaceScopeDownsyncs>,
    /// Namespaced objects to downsync, by name; matched in addition to `namespaceScope`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaced_objects: Option<Vec<NamespaceScopeDownsyncObjects>>,
    /// Cluster-scoped objects to downsync, by resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_scope: Option<Vec<ClusterScopeDownsyncResource>>,
    /// Edge objects to upsync.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upsync: Option<Vec<UpsyncSet>>,
}

/// All objects of the listed resources in the listed namespaces.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct NamespaceScopeDownsyncs {
    /// Namespaces whose contents are downsynced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Vec<String>>,
    /// Namespaced resources to downsync.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<NamespaceScopeDownsyncResource>>,
}

/// A namespaced resource and the version to sync it at.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceScopeDownsyncResource {
    /// API group; empty for the core group.
    pub group: String,
    /// Lowercase plural resource name.
    pub resource: String,
    /// Version (without group) used upstream and downstream.
    pub api_version: String,
}

/// Named objects of one namespaced resource.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceScopeDownsyncObjects {
    /// API group; empty for the core group.
    pub group: String,
    /// Lowercase plural resource name.
    pub resource: String,
    /// Version (without group) used upstream and downstream.
    pub api_version: String,
    /// The objects, grouped by namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objects_by_namespace: Option<Vec<NamespaceAndNames>>,
}

/// Some objects in one namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct NamespaceAndNames {
    /// The namespace.
    pub namespace: String,
    /// Names of the objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<String>>,
}

/// Named objects of one cluster-scoped resource.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClusterScopeDownsyncResource {
    /// API group; empty for the core group.
    pub group: String,
    /// Lowercase plural resource name.
    pub resource: String,
    /// Version (without group) used upstream and downstream.
    pub api_version: String,
    /// Names of the objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objects: Option<Vec<String>>,
}

/// Liveness of the syncer, shared by SyncerConfig and EdgeSyncConfig.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncerStatus {
    /// When the syncer last reported in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_syncer_heartbeat_time: Option<Time>,
}

/// The older, object-by-object syncer configuration.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "edge.kubestellar.io",
    version = "v2alpha1",
    kind = "EdgeSyncConfig",
    doc = "Objects a syncer moves, listed one by one (superseded by SyncerConfig).",
    shortname = "esc",
    status = "SyncerStatus"
)]
#[serde(rename_all = "camelCase")]
pub struct EdgeSyncConfigSpec {
    /// Objects to downsync.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub down_synced_resources: Option<Vec<EdgeSyncResource>>,
    /// Objects to upsync.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub up_synced_resources: Option<Vec<EdgeSyncResource>>,
    /// Objects that differ in identity between upstream and downstream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversions: Option<Vec<EdgeSyncConversion>>,
}

/// One object, by kind and name.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct EdgeSyncResource {
    /// API group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// API version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Namespace, for a namespaced object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The same object as seen upstream and downstream.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct EdgeSyncConversion {
    /// The object in the mailbox workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upstream: Option<EdgeSyncResource>,
    /// The object in the edge cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub downstream: Option<EdgeSyncResource>,
}
