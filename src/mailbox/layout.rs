//! Where things are: the names and places the mailbox commands use. Everything that differs
//! between KubeStellar releases is data here, not a code path.

use crate::kcp::{ExportRef, SliceRef, ViewSource};
use serde::Serialize;

/// The binding every mailbox must hold.
pub(crate) const BINDING_NAME: &str = "bind-edge";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Layout {
    /// Which preset it started from (`v0.14`, `poc2023q1`), for messages.
    pub preset: String,
    /// The export whose view lists the SyncTargets: its workspace path and name.
    pub inventory_export_path: String,
    pub inventory_export_name: String,
    /// The SyncTarget API served through that view.
    pub sync_target_group: String,
    pub sync_target_version: String,
    /// Where mailbox workspaces are created.
    pub mailbox_parent: String,
    /// What each mailbox's `bind-edge` binds.
    pub binding_export_path: String,
    pub binding_export_name: String,
    /// The annotation naming a mailbox's SyncTarget (relied on by tutorials and scripts).
    pub annotation_key: String,
    /// The SyncTarget version was not given explicitly: if the view serves another one,
    /// use that (and say so).
    #[serde(skip)]
    pub detect_version: bool,
    /// `--endpoint-slice`: read only the shards this slice of the inventory export lists (its
    /// partition's), and own only the mailboxes of what is seen there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_slice: Option<EndpointSlice>,
}

/// An APIExportEndpointSlice, by workspace path and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct EndpointSlice {
    pub path: String,
    pub name: String,
}

impl Layout {
    /// KubeStellar v0.14 (kcp v0.11): the default.
    pub(crate) fn v0_14(espw_path: &str) -> Layout {
        Layout {
            preset: "v0.14".into(),
            detect_version: true,
            inventory_export_path: espw_path.into(),
            inventory_export_name: "edge.kubestellar.io".into(),
            sync_target_group: "edge.kubestellar.io".into(),
            sync_target_version: "v2alpha1".into(),
            mailbox_parent: "root".into(),
            binding_export_path: espw_path.into(),
            binding_export_name: "edge.kubestellar.io".into(),
            annotation_key: "edge.kubestellar.io/sync-target-name".into(),
            endpoint_slice: None,
        }
    }

    /// KubeStellar's 2023q1 proof of concept: SyncTargets of kcp's TMC (`workload.kcp.io`)
    /// from the view of the `workload.kcp.io` export in root, mailboxes under the ESPW.
    pub(crate) fn poc2023q1(espw_path: &str) -> Layout {
        Layout {
            preset: "poc2023q1".into(),
            detect_version: true,
            inventory_export_path: "root".into(),
            inventory_export_name: "workload.kcp.io".into(),
            sync_target_group: "workload.kcp.io".into(),
            sync_target_version: "v1alpha1".into(),
            mailbox_parent: espw_path.into(),
            binding_export_path: espw_path.into(),
            binding_export_name: "edge.kcp.io".into(),
            annotation_key: "edge.kcp.io/sync-target-name".into(),
            endpoint_slice: None,
        }
    }

    /// The export whose view lists the SyncTargets.
    pub(crate) fn inventory_export(&self) -> ExportRef<'_> {
        ExportRef {
            path: &self.inventory_export_path,
            name: &self.inventory_export_name,
        }
    }

    /// Where the SyncTargets' view URLs come from: the inventory export, or the slice of it
    /// `--endpoint-slice` names.
    pub(crate) fn view_source(&self) -> ViewSource<'_> {
        match &self.endpoint_slice {
            None => ViewSource::Export(self.inventory_export()),
            Some(s) => ViewSource::Slice {
                slice: SliceRef {
                    path: &s.path,
                    name: &s.name,
                },
                export: self.inventory_export(),
            },
        }
    }

    /// Whether this run sees only one partition's shards.
    pub(crate) fn partitioned(&self) -> bool {
        self.endpoint_slice.is_some()
    }

    /// The export each mailbox's `bind-edge` binds.
    pub(crate) fn binding_export(&self) -> ExportRef<'_> {
        ExportRef {
            path: &self.binding_export_path,
            name: &self.binding_export_name,
        }
    }

    /// `apis/<group>/<version>/synctargets`, relative to a workspace or a view.
    pub(crate) fn sync_targets_path(&self) -> String {
        crate::kcp::resource::dynamic_collection(&self.sync_target_resource())
    }

    /// The SyncTarget resource, for kube-runtime's watchers.
    pub(crate) fn sync_target_resource(&self) -> kube::core::ApiResource {
        kube::core::ApiResource {
            group: self.sync_target_group.clone(),
            version: self.sync_target_version.clone(),
            api_version: format!("{}/{}", self.sync_target_group, self.sync_target_version),
            kind: "SyncTarget".into(),
            plural: "synctargets".into(),
        }
    }
}
