//! One way to address a kind: from its `kube::Resource` definition, the one place its group,
//! version, kind and plural are spelled. `Workspace::collection()` is the path a `Scope` takes,
//! `kube::Api<Workspace>` what a watcher takes, and both read the same definition.

use kube::Resource;
use serde_json::Value;

/// Paths (relative to a `Scope`: a logical cluster or an export's view) and manifests of a
/// kind whose `kube::Resource` needs no runtime type information.
pub(crate) trait Address: Resource<DynamicType = ()> {
    /// `apis/<group>/<version>/<plural>`, or `api/v1/<plural>` for the core group.
    fn collection() -> String {
        Self::url_path(&(), None).trim_start_matches('/').to_string()
    }

    /// One object of a cluster-scoped kind.
    fn object(name: &str) -> String {
        format!("{}/{name}", Self::collection())
    }

    /// The collection of a namespaced kind in `namespace`.
    fn collection_in(namespace: &str) -> String {
        Self::url_path(&(), Some(namespace))
            .trim_start_matches('/')
            .to_string()
    }

    /// One object of a namespaced kind.
    fn object_in(namespace: &str, name: &str) -> String {
        format!("{}/{name}", Self::collection_in(namespace))
    }

    /// The collection in another version the server may serve (kcp v0.28's APIExports are
    /// `v1alpha2`): the same group and plural.
    fn collection_at(version: &str) -> String {
        format!("apis/{}/{version}/{}", Self::group(&()), Self::plural(&()))
    }

    /// A manifest of this kind: `rest`'s fields with this kind's `apiVersion` and `kind`.
    fn manifest(mut rest: Value) -> Value {
        if let Value::Object(m) = &mut rest {
            m.insert("apiVersion".into(), Self::api_version(&()).into());
            m.insert("kind".into(), Self::kind(&()).into());
        }
        rest
    }
}

impl<K: Resource<DynamicType = ()>> Address for K {}

/// The path of a kind known only at run time (the SyncTarget's group and version come from
/// the layout), from kube's dynamic resource definition.
pub(crate) fn dynamic_collection(resource: &kube::core::ApiResource) -> String {
    kube::core::DynamicObject::url_path(resource, None)
        .trim_start_matches('/')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kcp::types::{ApiBinding, ApiExport, Workspace};
    use k8s_openapi::api::coordination::v1::Lease;
    use k8s_openapi::api::core::v1::ServiceAccount;
    use serde_json::json;

    #[test]
    fn paths_come_from_the_kinds_definitions() {
        assert_eq!(Workspace::collection(), "apis/tenancy.kcp.io/v1alpha1/workspaces");
        assert_eq!(
            ApiBinding::object("bind-edge"),
            "apis/apis.kcp.io/v1alpha1/apibindings/bind-edge"
        );
        assert_eq!(
            ApiExport::collection_at("v1alpha2"),
            "apis/apis.kcp.io/v1alpha2/apiexports"
        );
        assert_eq!(
            ServiceAccount::collection_in("kcp-edge"),
            "api/v1/namespaces/kcp-edge/serviceaccounts"
        );
        assert_eq!(
            Lease::object_in("default", "l"),
            "apis/coordination.k8s.io/v1/namespaces/default/leases/l"
        );
    }

    #[test]
    fn a_manifest_names_its_kind() {
        assert_eq!(
            ServiceAccount::manifest(json!({"metadata": {"name": "s"}})),
            json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "s"}})
        );
    }
}
