//! KubeStellar v0.14's kcp-side `kubectl kubestellar` commands, as operations: `ensure
//! location` and `remove location` ([`location`]), `ensure wmw` ([`wmw`], binding the Kubernetes
//! API exports `init espw` puts in `root:compute`: [`crate::workspace::compute`]), and the
//! KubeStellar scripts on PATH that would shadow them ([`shadows`]). Each makes the objects
//! KubeStellar's script makes, field by field, idempotently; unlike the scripts, nothing here
//! moves the kubeconfig's current workspace: every request names its workspace.

pub(crate) mod location;
pub(crate) mod shadows;
pub(crate) mod wmw;

use crate::error::{Error, Result};
use crate::kcp::Address;
use crate::kcp::types::ApiBinding;
use crate::kcp::{Kcp, Scope, paths};
use kube::runtime::wait::await_condition;
use serde::Serialize;
use std::time::Duration;
use tokio::time::Instant;

/// What a command did to one object, reported as kubectl reports it
/// (`synctarget.edge.kubestellar.io/florin created`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Done {
    /// `resource.group`, e.g. `synctarget.edge.kubestellar.io`.
    pub resource: &'static str,
    pub name: String,
    pub action: Verb,
}

/// The verb kubectl would print for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Verb {
    Created,
    Labeled,
    Unchanged,
    Deleted,
}

impl Done {
    pub(crate) fn new(resource: &'static str, name: &str, action: Verb) -> Done {
        Done {
            resource,
            name: name.to_string(),
            action,
        }
    }

    /// kubectl's line for it.
    pub(crate) fn line(&self) -> String {
        match self.action {
            Verb::Created => format!("{}/{} created", self.resource, self.name),
            Verb::Labeled => format!("{}/{} labeled", self.resource, self.name),
            Verb::Unchanged => format!("{}/{} unchanged", self.resource, self.name),
            Verb::Deleted => format!("{} \"{}\" deleted", self.resource, self.name),
        }
    }
}

/// A workspace path as KubeStellar's `--imw` takes it: absolute (`root:imw1`), or `.` and
/// relative names resolved against the workspace the kubeconfig points into, as `kubectl ws`
/// resolves them (without moving it).
pub(crate) fn resolve_path(flag: &str, given: &str, kubeconfig_workspace: Option<&str>) -> Result<String> {
    let absolute = given == "root" || given.starts_with("root:");
    let path = match (given, absolute, kubeconfig_workspace) {
        (_, true, _) => given.to_string(),
        (".", false, Some(current)) => current.to_string(),
        (_, false, Some(current)) => format!("{current}:{given}"),
        (_, false, None) => {
            return Err(Error::usage(format!(
                "{flag} {given}: the kubeconfig's server names no workspace to resolve it in"
            ))
            .hint(format!("give {flag} an absolute path, e.g. {flag} root:imw1")));
        }
    };
    paths::check_path(&path).map_err(|e| Error::usage(format!("{flag}: {e}")))?;
    Ok(path)
}

/// Whether `b` binds the export `path`:`name`.
pub(crate) fn binds(b: &ApiBinding, path: &str, name: &str) -> bool {
    b.export()
        .is_some_and(|e| e.name == name && e.path.as_deref() == Some(path))
}

/// The APIBinding `name` to the export `path`:`name` in `scope`, created when missing; `true`
/// when it was created. One of that name binding something else is an error, not replaced.
pub(crate) async fn ensure_binding(
    scope: &Scope,
    binding: &str,
    export_path: &str,
    export_name: &str,
) -> Result<bool> {
    let rel = ApiBinding::object(binding);
    let existing: Option<ApiBinding> = scope
        .get(&rel)
        .await
        .map_err(|e| e.to_error(&format!("failed to read APIBinding {binding}"), &scope.url()))?;
    match existing {
        Some(b) if binds(&b, export_path, export_name) => Ok(false),
        Some(_) => Err(Error::failed(format!(
            "APIBinding {binding} in {} binds another export than {export_path}:{export_name}",
            scope.url()
        ))
        .hint("look at it with `kubectl get apibinding -o yaml`; delete it if it is wrong")),
        None => match scope
            .create::<ApiBinding>(
                &ApiBinding::collection(),
                &ApiBinding::new(binding, export_path, export_name),
            )
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if e.is_already_exists() => Ok(false),
            Err(e) if e.is_forbidden() => Err(e
                .to_error(
                    &format!("failed to bind {export_path}:{export_name} as {binding}"),
                    &scope.url(),
                )
                .hint(format!(
                    "kcp refuses a binding to an export that does not exist: is there an APIExport {export_name} in {export_path}?"
                ))),
            Err(e) => Err(e.to_error(
                &format!("failed to create APIBinding {binding}"),
                &scope.url(),
            )),
        },
    }
}

/// Wait until the APIBinding `binding` in `scope` is Bound (what `kubectl kcp bind` waits for).
pub(crate) async fn wait_bound(kcp: &Kcp, scope: &Scope, binding: &str, timeout: Duration) -> Result<()> {
    let api: kube::Api<ApiBinding> = kube::Api::all(kcp.watch_client(scope)?);
    let bound = |b: Option<&ApiBinding>| {
        b.and_then(|b| b.status.as_ref())
            .is_some_and(|s| s["phase"] == "Bound")
    };
    let deadline = Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, await_condition(api.clone(), binding, bound)).await {
            Ok(Ok(_)) => return Ok(()),
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "watch on APIBinding {binding} failed; watching again");
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            Err(_) => {
                return Err(Error::failed(format!(
                    "timed out waiting for APIBinding {binding} in {} to be Bound",
                    scope.url()
                ))
                .hint("look at its conditions with `kubectl get apibinding -o yaml`"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imw_paths_resolve_as_kubectl_ws_does() {
        assert_eq!(resolve_path("--imw", "root:imw1", None).unwrap(), "root:imw1");
        assert_eq!(
            resolve_path("--imw", ".", Some("root:imw1")).unwrap(),
            "root:imw1"
        );
        assert_eq!(resolve_path("--imw", "imw1", Some("root")).unwrap(), "root:imw1");
        assert!(resolve_path("--imw", ".", None).is_err());
        assert!(resolve_path("--imw", "root:Bad", None).is_err());
    }

    #[test]
    fn reports_read_as_kubectl_prints() {
        let d = Done::new("synctarget.edge.kubestellar.io", "florin", Verb::Created);
        assert_eq!(d.line(), "synctarget.edge.kubestellar.io/florin created");
        let d = Done::new("location.edge.kubestellar.io", "default", Verb::Deleted);
        assert_eq!(d.line(), "location.edge.kubestellar.io \"default\" deleted");
    }
}
