//! Workspace management: `init espw` ([`espw`]) and `remove wmw` ([`remove`]), and waiting
//! for a workspace to reach a state (one watch on it, not a poll).

pub(crate) mod espw;
pub(crate) mod remove;

use crate::error::{Error, Result};
use crate::kcp::Kcp;
use crate::kcp::types::Workspace;
use kube::runtime::wait::{Condition, await_condition};
use tokio::time::Instant;

/// Wait until the workspace `name` in `parent` satisfies `cond` (given `None` when it does not
/// exist), or the deadline passes. Transient watch errors are retried until then.
pub(crate) async fn wait_for(
    kcp: &Kcp,
    parent: &str,
    name: &str,
    deadline: Instant,
    what: &str,
    cond: impl Condition<Workspace> + Clone,
) -> Result<()> {
    let scope = kcp.cluster(parent);
    let api: kube::Api<Workspace> = kube::Api::all(kcp.watch_client(&scope)?);
    loop {
        match tokio::time::timeout_at(deadline, await_condition(api.clone(), name, cond.clone())).await {
            Ok(Ok(_)) => return Ok(()),
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "watch on workspace {name} failed; watching again");
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
            Err(_) => {
                return Err(Error::failed(format!(
                    "timed out waiting for workspace {parent}:{name} to {what}"
                ))
                .hint("raise --timeout, or look at it with `kubectl get workspace -o yaml`"));
            }
        }
    }
}
