//! Schema pieces shared by several kinds: Kubernetes name patterns and the schemas that
//! k8s-openapi's types do not spell the way controller-gen does.
//!
//! An `Option` field using one of these `schema_with` functions also needs `#[serde(default)]`:
//! schemars cannot see the `Option` behind the function and would mark the field required.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// An API group name (a DNS subdomain) or empty for the core group.
pub(super) const GROUP_PATTERN: &str =
    r"^(|[a-z0-9]([-a-z0-9]*[a-z0-9](\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?)$";
/// A lowercase resource or version name.
pub(super) const RESOURCE_PATTERN: &str = r"^[a-z][-a-z0-9]*[a-z0-9]$";
/// A kcp logical-cluster path such as `root:org:ws`.
pub(super) const CLUSTER_PATH_PATTERN: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// A resource quantity such as `1500m` or `2Gi`.
const QUANTITY_PATTERN: &str = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

/// `map[ResourceName]Quantity`: k8s-openapi's Quantity schema lacks the pattern.
/// (The `anyOf` of int-or-string is added when the schema is finished, see `generate`.)
pub(super) fn quantity_map(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "additionalProperties": { "x-kubernetes-int-or-string": true, "pattern": QUANTITY_PATTERN },
    })
}

/// A label selector replaced as a whole by server-side apply, as Kubernetes declares it.
pub(super) fn atomic_label_selector(generator: &mut SchemaGenerator) -> Schema {
    let mut schema = LabelSelector::json_schema(generator);
    schema.insert("x-kubernetes-map-type".into(), "atomic".into());
    schema
}

/// A list of [`atomic_label_selector`]s.
pub(super) fn atomic_label_selectors(generator: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": atomic_label_selector(generator) })
}
