//! Location: a set of SyncTargets that EdgePlacements can select by label.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::schema_util::{GROUP_PATTERN, RESOURCE_PATTERN, atomic_label_selector};

/// Label keys and values, as Kubernetes validates them.
const LABEL_KEY_PATTERN: &str = r"^([a-z0-9]([-a-z0-9]*[a-z0-9](\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?/)?([a-zA-Z0-9][-a-zA-Z0-9_.]{0,61})?[a-zA-Z0-9]$";
const LABEL_VALUE_PATTERN: &str = r"^(|([a-z0-9]([-a-z0-9]*[a-z0-9](\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?/)?([a-zA-Z0-9][-a-zA-Z0-9_.]{0,61})?[a-zA-Z0-9])$";

/// Which instances make up the Location.
// Each `printcolumn(...)` repeats keys such as `type_`, which clippy takes for duplicates.
#[allow(clippy::duplicated_attributes)]
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
#[kube(
    group = "edge.kubestellar.io",
    version = "v2alpha1",
    kind = "Location",
    doc = "A named, labelled set of SyncTargets that placements choose among.",
    status = "LocationStatus",
    printcolumn(
        name = "Resource",
        type_ = "string",
        json_path = ".spec.resource.resource",
        description = "Resource of the instances"
    ),
    printcolumn(
        name = "Available",
        type_ = "string",
        json_path = ".status.availableInstances",
        description = "Instances available"
    ),
    printcolumn(
        name = "Instances",
        type_ = "string",
        json_path = ".status.instances",
        description = "Instances in total"
    ),
    printcolumn(
        name = "Labels",
        type_ = "string",
        json_path = r".metadata.annotations['scheduling\.kcp\.dev/labels']",
        description = "Labels shared by the instances"
    ),
    printcolumn(name = "Age", type_ = "date", json_path = ".metadata.creationTimestamp")
)]
#[serde(rename_all = "camelCase")]
pub struct LocationSpec {
    /// The resource the instances are objects of (always SyncTargets).
    pub resource: GroupVersionResource,
    /// Free text about the Location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Labels a placement may use to pick an instance here.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["key"]))]
    pub available_selector_labels: Option<Vec<AvailableSelectorLabel>>,
    /// Selects the instances that belong to the Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "atomic_label_selector")]
    pub instance_selector: Option<LabelSelector>,
}

/// Group, version and resource of the Location's instances.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
pub struct GroupVersionResource {
    /// API group of the instances.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = GROUP_PATTERN), extend("enum" = ["edge.kubestellar.io"]))]
    pub group: Option<String>,
    /// API version of the instances.
    #[schemars(regex(pattern = RESOURCE_PATTERN), extend("enum" = ["v2alpha1"]))]
    pub version: String,
    /// Resource of the instances.
    #[schemars(regex(pattern = RESOURCE_PATTERN), extend("enum" = ["synctargets"]))]
    pub resource: String,
}

/// A label that can select instances, and the values it may take.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
pub struct AvailableSelectorLabel {
    /// Label key.
    #[schemars(regex(pattern = LABEL_KEY_PATTERN), length(max = 255))]
    pub key: String,
    /// Values the label may take.
    #[schemars(length(min = 1), inner(regex(pattern = LABEL_VALUE_PATTERN), length(max = 63)))]
    #[schemars(extend("x-kubernetes-list-type" = "set"))]
    pub values: Vec<String>,
    /// Free text about the label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// How many instances the Location has.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LocationStatus {
    /// Number of instances.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<i32>,
    /// Number of instances available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_instances: Option<i32>,
}
