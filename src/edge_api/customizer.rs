//! Customizer: edits applied to an object on its way to each destination.

use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The edits; objects opt in with an annotation naming the Customizer.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "edge.kubestellar.io",
    version = "v2alpha1",
    kind = "Customizer",
    doc = "Per-destination edits to the workload objects that refer to it.",
    namespaced,
    no_spec
)]
pub struct CustomizerSpec {
    /// Edits to make, at most one per path.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["path"]))]
    pub replacements: Option<Vec<Replacement>>,
}

/// Put `value` where `path` points in the object's JSON.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, JsonSchema)]
pub struct Replacement {
    /// JSON Path of the part to replace or add.
    pub path: String,
    /// The new value, as JSON text.
    pub value: String,
}
