//! The `edge.kubestellar.io` API (v2alpha1): defined once in Rust, schemas generated from it.
//!
//! The types follow KubeStellar v0.14's Go types field for field (JSON names, required fields,
//! defaults), so both sides read each other's objects; one exception: kube's root structs need a
//! `spec`, which the Go types may omit. [`resource_schemas`] and [`api_export`] turn the types
//! into the kcp objects that `init espw` installs; tests/e2e/edge_api.rs holds them to KubeStellar's.

mod customizer;
mod equivalence;
mod generate;
mod location;
mod placement;
mod schema_util;
mod sync_target;
mod syncer_config;

pub use customizer::{Customizer, CustomizerSpec, Replacement};
pub use equivalence::schema_differences;
pub use generate::{
    api_export, api_export_v1alpha2, exported_resources, resource_schemas, schema_name_prefix,
    without_server_defaults,
};
pub use location::{AvailableSelectorLabel, GroupVersionResource, Location, LocationSpec, LocationStatus};
pub use placement::{
    DownsyncObjectTest, EdgePlacement, EdgePlacementSpec, EdgePlacementStatus, SinglePlacement,
    SinglePlacementSlice, SinglePlacementSliceSpec, UpsyncSet,
};
pub use sync_target::{
    ApiExportReference, Condition, ResourceCompatibleState, ResourceToSync, SyncTarget, SyncTargetSpec,
    SyncTargetStatus, VirtualWorkspace,
};
pub use syncer_config::{
    ClusterScopeDownsyncResource, EdgeSyncConfig, EdgeSyncConfigSpec, EdgeSyncConversion, EdgeSyncResource,
    NamespaceAndNames, NamespaceScopeDownsyncObjects, NamespaceScopeDownsyncResource,
    NamespaceScopeDownsyncs, SyncerConfig, SyncerConfigSpec, SyncerStatus,
};

/// API group of the edge API.
pub const GROUP: &str = "edge.kubestellar.io";
/// The one version of the API that KubeStellar v0.14 serves.
pub const VERSION: &str = "v2alpha1";
/// `apiVersion` of the edge objects.
pub const API_VERSION: &str = "edge.kubestellar.io/v2alpha1";
/// Name of the APIExport that offers the API.
pub const EXPORT_NAME: &str = "edge.kubestellar.io";
