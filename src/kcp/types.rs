//! The kcp objects the tool reads and writes. Typed where the tool looks inside; every type
//! keeps the fields it does not know (`other`), so that what is read and written back loses
//! nothing.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The annotation kcp puts on every object it returns: the logical cluster it lives in.
pub(crate) const CLUSTER_ANNOTATION: &str = "kcp.io/cluster";
/// On a LogicalCluster: its canonical path.
pub(crate) const PATH_ANNOTATION: &str = "kcp.io/path";

/// A kind's one definition (`crate::kcp::resource::Address` makes its paths from it).
macro_rules! kcp_resource {
    ($t:ty, $group:expr, $version:expr, $kind:literal, $plural:literal) => {
        impl kube::Resource for $t {
            type DynamicType = ();
            type Scope = kube::core::ClusterResourceScope;
            fn kind(_: &()) -> std::borrow::Cow<'_, str> {
                $kind.into()
            }
            fn group(_: &()) -> std::borrow::Cow<'_, str> {
                $group.into()
            }
            fn version(_: &()) -> std::borrow::Cow<'_, str> {
                $version.into()
            }
            fn plural(_: &()) -> std::borrow::Cow<'_, str> {
                $plural.into()
            }
            fn meta(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn meta_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
        }
    };
}

/// A kind the tool writes and reads as JSON: its definition, for its paths and manifests.
macro_rules! kcp_kind {
    ($(#[$doc:meta])* $t:ident, $group:expr, $version:expr, $kind:literal, $plural:literal) => {
        $(#[$doc])*
        #[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
        pub(crate) struct $t {
            #[serde(default)]
            pub metadata: ObjectMeta,
            #[serde(flatten)]
            pub other: Map<String, Value>,
        }
        kcp_resource!($t, $group, $version, $kind, $plural);
    };
}

kcp_kind!(
    /// The schema of an exported resource.
    ApiResourceSchema, "apis.kcp.io", "v1alpha1", "APIResourceSchema", "apiresourceschemas"
);
kcp_kind!(
    /// A logical cluster's own object (always named `cluster`): its path annotation.
    LogicalCluster, "core.kcp.io", "v1alpha1", "LogicalCluster", "logicalclusters"
);
kcp_kind!(
    /// A set of shards, by a label selector over their Shard objects
    /// (`spec.selector`): what an APIExportEndpointSlice's `spec.partition` names.
    Partition, "topology.kcp.io", "v1alpha1", "Partition", "partitions"
);
kcp_kind!(
    /// A kcp shard, in root: Partitions select them by their labels.
    Shard, "core.kcp.io", "v1alpha1", "Shard", "shards"
);
/// The accessors shared by `Workspace` and `WorkspaceSummary` (both have `metadata`,
/// `spec.cluster` and an optional `status.phase`).
macro_rules! workspace_accessors {
    () => {
        pub(crate) fn name(&self) -> &str {
            self.metadata.name.as_deref().unwrap_or_default()
        }

        pub(crate) fn phase(&self) -> &str {
            self.status
                .as_ref()
                .and_then(|s| s.phase.as_deref())
                .unwrap_or("")
        }

        /// The logical cluster ID, once kcp has assigned one.
        pub(crate) fn cluster(&self) -> Option<&str> {
            self.spec.cluster.as_deref().filter(|c| !c.is_empty())
        }

        pub(crate) fn deleting(&self) -> bool {
            self.metadata.deletion_timestamp.is_some()
        }

        /// kcp serves a workspace's content once it is Ready and has a logical cluster.
        #[allow(dead_code)] // one of the two types does not need it
        pub(crate) fn ready(&self) -> bool {
            self.phase() == "Ready" && self.cluster().is_some()
        }

        pub(crate) fn annotation(&self, key: &str) -> Option<&str> {
            self.metadata
                .annotations
                .as_ref()?
                .get(key)
                .map(String::as_str)
        }
    };
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct Workspace {
    #[serde(rename = "apiVersion", default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: WorkspaceSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<WorkspaceStatus>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct WorkspaceSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct WorkspaceStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

kcp_resource!(Workspace, "tenancy.kcp.io", "v1alpha1", "Workspace", "workspaces");

impl Workspace {
    pub(crate) fn new(name: &str) -> Workspace {
        Workspace {
            api_version: <Workspace as kube::Resource>::api_version(&()).into(),
            kind: <Workspace as kube::Resource>::kind(&()).into(),
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    workspace_accessors!();
}

/// A Workspace as read in bulk (a mailbox parent may hold tens of thousands): what the tool
/// looks at, and nothing else. Reads only; `Workspace` is the type written back.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct WorkspaceSummary {
    #[serde(default, deserialize_with = "lean_meta")]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: SummarySpec,
    #[serde(default)]
    pub status: Option<SummaryStatus>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct SummarySpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct SummaryStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

kcp_resource!(
    WorkspaceSummary,
    "tenancy.kcp.io",
    "v1alpha1",
    "Workspace",
    "workspaces"
);

impl WorkspaceSummary {
    workspace_accessors!();
}

impl From<&Workspace> for WorkspaceSummary {
    fn from(w: &Workspace) -> WorkspaceSummary {
        WorkspaceSummary {
            metadata: lean(w.metadata.clone()),
            spec: SummarySpec {
                cluster: w.spec.cluster.clone(),
                url: w.spec.url.clone(),
            },
            status: w.status.as_ref().map(|s| SummaryStatus {
                phase: s.phase.clone(),
            }),
        }
    }
}

/// Metadata without `managedFields`, which kcp returns on every object and the tool never
/// reads: for objects kept by the thousand.
pub(crate) fn lean(mut meta: ObjectMeta) -> ObjectMeta {
    meta.managed_fields = None;
    meta
}

/// Deserialize metadata, dropping `managedFields` as it is read.
pub(crate) fn lean_meta<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ObjectMeta, D::Error> {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use std::collections::BTreeMap;
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase", default)]
    struct Lean {
        name: Option<String>,
        namespace: Option<String>,
        uid: Option<String>,
        resource_version: Option<String>,
        labels: Option<BTreeMap<String, String>>,
        annotations: Option<BTreeMap<String, String>>,
        creation_timestamp: Option<Time>,
        deletion_timestamp: Option<Time>,
    }
    let l = Lean::deserialize(d)?;
    Ok(ObjectMeta {
        name: l.name,
        namespace: l.namespace,
        uid: l.uid,
        resource_version: l.resource_version,
        labels: l.labels,
        annotations: l.annotations,
        creation_timestamp: l.creation_timestamp,
        deletion_timestamp: l.deletion_timestamp,
        ..Default::default()
    })
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ExportReference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default)]
    pub name: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiBinding {
    #[serde(rename = "apiVersion", default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: ApiBindingSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiBindingSpec {
    #[serde(default)]
    pub reference: BindingReference,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct BindingReference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<ExportReference>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

kcp_resource!(ApiBinding, "apis.kcp.io", "v1alpha1", "APIBinding", "apibindings");

impl ApiBinding {
    pub(crate) fn new(name: &str, export_path: &str, export_name: &str) -> ApiBinding {
        ApiBinding {
            api_version: <ApiBinding as kube::Resource>::api_version(&()).into(),
            kind: <ApiBinding as kube::Resource>::kind(&()).into(),
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: ApiBindingSpec {
                reference: BindingReference {
                    export: Some(ExportReference {
                        path: Some(export_path.into()),
                        name: export_name.into(),
                    }),
                    other: Map::new(),
                },
                other: Map::new(),
            },
            ..Default::default()
        }
    }

    pub(crate) fn export(&self) -> Option<&ExportReference> {
        self.spec.reference.export.as_ref()
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct Condition {
    #[serde(rename = "type", default)]
    pub type_: String,
    #[serde(default)]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct Url {
    #[serde(default)]
    pub url: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiExport {
    #[serde(rename = "apiVersion", default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: ApiExportSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ApiExportStatus>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiExportSpec {
    #[serde(
        rename = "latestResourceSchemas",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub latest_resource_schemas: Vec<String>,
    /// `apis.kcp.io/v1alpha2` (kcp v0.28 and later): the resources, each naming its schema.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ExportedResource>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// An entry of a v1alpha2 APIExport's `spec.resources`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ExportedResource {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub schema: String,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiExportStatus {
    #[serde(rename = "identityHash", default, skip_serializing_if = "Option::is_none")]
    pub identity_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[serde(rename = "virtualWorkspaces", default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_workspaces: Vec<Url>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ApiExport {
    /// The APIResourceSchemas it exports, whichever version it was read in.
    pub(crate) fn schema_names(&self) -> Vec<String> {
        if self.spec.resources.is_empty() {
            self.spec.latest_resource_schemas.clone()
        } else {
            self.spec.resources.iter().map(|r| r.schema.clone()).collect()
        }
    }

    pub(crate) fn condition(&self, type_: &str) -> Option<&Condition> {
        self.status.as_ref()?.conditions.iter().find(|c| c.type_ == type_)
    }

    /// The view URLs, if the export publishes them and says they are ready.
    pub(crate) fn view_urls(&self) -> Vec<String> {
        let ready = self
            .condition("VirtualWorkspaceURLsReady")
            .is_some_and(|c| c.status == "True");
        if !ready {
            return vec![];
        }
        self.status
            .iter()
            .flat_map(|s| s.virtual_workspaces.iter().map(|u| u.url.clone()))
            .filter(|u| !u.is_empty())
            .collect()
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiExportEndpointSlice {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: EndpointSliceSpec,
    #[serde(default)]
    pub status: EndpointSliceStatus,
}

kcp_resource!(
    ApiExportEndpointSlice,
    "apis.kcp.io",
    "v1alpha1",
    "APIExportEndpointSlice",
    "apiexportendpointslices"
);

kcp_resource!(ApiExport, "apis.kcp.io", "v1alpha1", "APIExport", "apiexports");

impl ApiExportEndpointSlice {
    pub(crate) fn condition(&self, type_: &str) -> Option<&Condition> {
        self.status.conditions.iter().find(|c| c.type_ == type_)
    }

    /// Its view URLs, in order, without duplicates.
    pub(crate) fn urls(&self) -> Vec<String> {
        let mut urls: Vec<String> = self
            .status
            .endpoints
            .iter()
            .map(|e| e.url.clone())
            .filter(|u| !u.is_empty())
            .collect();
        urls.sort();
        urls.dedup();
        urls
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct EndpointSliceSpec {
    #[serde(default)]
    pub export: ExportReference,
    /// A `topology.kcp.io` Partition in the slice's workspace: only the shards it selects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct EndpointSliceStatus {
    // kcp v0.28+ leaves the field out while nothing binds the export.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub endpoints: Vec<Url>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    Ok(Option::<Vec<Url>>::deserialize(d)?.unwrap_or_default())
}

/// Only an object's metadata: what a `PartialObjectMetadataList` carries, and all the tool
/// needs of a SyncTarget or a LogicalCluster.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub(crate) struct MetaOnly {
    #[serde(default, deserialize_with = "lean_meta")]
    pub metadata: ObjectMeta,
}

impl MetaOnly {
    pub(crate) fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata.annotations.as_ref()?.get(key).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let raw = json!({
            "apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace",
            "metadata": {"name": "w", "labels": {"a": "b"}},
            "spec": {"type": {"name": "universal", "path": "root"}, "cluster": "abc", "URL": "https://x/clusters/abc", "location": {"selector": {}}},
            "status": {"phase": "Ready", "initializers": [], "conditions": [{"type": "X", "status": "True"}]},
            "futureField": 1,
        });
        let ws: Workspace = serde_json::from_value(raw.clone()).unwrap();
        assert!(ws.ready());
        assert_eq!(ws.cluster(), Some("abc"));
        assert_eq!(serde_json::to_value(&ws).unwrap(), raw);
    }

    #[test]
    fn export_urls_need_the_ready_condition() {
        let mut e: ApiExport = serde_json::from_value(json!({
            "status": {"virtualWorkspaces": [{"url": "https://a"}, {"url": "https://b"}], "conditions": [{"type": "VirtualWorkspaceURLsReady", "status": "False"}]}
        }))
        .unwrap();
        assert!(e.view_urls().is_empty());
        e.status.as_mut().unwrap().conditions[0].status = "True".into();
        assert_eq!(
            e.view_urls(),
            vec!["https://a".to_string(), "https://b".to_string()]
        );
    }
}
