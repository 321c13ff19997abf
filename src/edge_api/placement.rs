//! EdgePlacement (what goes where) and SinglePlacementSlice (where it resolved to).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::schema_util::atomic_label_selectors;

/// Which Locations get which workload objects, and what comes back up.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "edge.kubestellar.io",
    version = "v2alpha1",
    kind = "EdgePlacement",
    doc = "Binds workload objects in a workload management workspace to the Locations they go to.",
    shortname = "epl",
    status = "EdgePlacementStatus"
)]
#[serde(rename_all = "camelCase")]
pub struct EdgePlacementSpec {
    /// A Location is selected if any of these selectors matches its labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "atomic_label_selectors")]
    pub location_selectors: Option<Vec<LabelSelector>>,
    /// An object is downsynced if it passes any of these tests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub downsync: Option<Vec<DownsyncObjectTest>>,
    /// Asks for exactly one Location and for its reported state to be copied back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub want_singleton_reported_state: Option<bool>,
    /// An edge object is upsynced if it is in any of these sets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upsync: Option<Vec<UpsyncSet>>,
}

/// Criteria an object must all meet to be downsynced; an empty list matches anything.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DownsyncObjectTest {
    /// API group of the object; null matches every group. Always sent, as in KubeStellar.
    #[schemars(required)]
    pub api_group: Option<String>,
    /// Lowercase plural resource names, or `*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    /// Namespace names, or `*` (the only way to match cluster-scoped objects).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Vec<String>>,
    /// Selectors on the labels of the object's Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "atomic_label_selectors")]
    pub namespace_selectors: Option<Vec<LabelSelector>>,
    /// Object names, or `*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_names: Option<Vec<String>>,
    /// Selectors on the object's own labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "atomic_label_selectors")]
    pub label_selectors: Option<Vec<LabelSelector>>,
}

/// Objects of one API group in the edge cluster, chosen by resource, namespace and name.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpsyncSet {
    /// API group; empty for the core group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_group: Option<String>,
    /// Lowercase plural resource names, or `*`.
    pub resources: Vec<String>,
    /// Namespace names, or `*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Vec<String>>,
    /// Object names, or `*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<String>>,
}

/// Progress of resolving the placement.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EdgePlacementStatus {
    /// Generation of the spec this status describes; zero before the first report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_generation: Option<i32>,
    /// Number of Locations the selectors match.
    pub matching_location_count: i32,
}

/// The resolved destinations of one EdgePlacement, spread over slices to keep each small.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "edge.kubestellar.io",
    version = "v2alpha1",
    kind = "SinglePlacementSlice",
    doc = "Some of the Locations (and their SyncTargets) that an EdgePlacement resolved to.",
    shortname = "sps",
    no_spec
)]
pub struct SinglePlacementSliceSpec {
    /// Destinations held by this slice.
    pub destinations: Vec<SinglePlacement>,
}

/// One Location chosen for an EdgePlacement, and the SyncTarget used there.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SinglePlacement {
    /// Logical cluster holding both the Location and the SyncTarget.
    pub cluster: String,
    /// Name of the Location.
    pub location_name: String,
    /// Name of the SyncTarget.
    pub sync_target_name: String,
    /// UID of the SyncTarget.
    #[serde(rename = "syncTargetUID")]
    pub sync_target_uid: String,
}
