//! Workspace management: `init espw` ([`espw`]) and `remove wmw` ([`remove`]), and waiting
//! for a workspace to reach a state (one watch on it, not a poll).

pub(crate) mod compute;
pub(crate) mod espw;
pub(crate) mod remove;

use crate::error::{Error, Result};
use crate::kcp::Address;
use crate::kcp::Kcp;
use crate::kcp::types::Workspace;
use kube::runtime::wait::{Condition, await_condition};
use serde::Serialize;
use tokio::time::Instant;

/// What a set-up made of one object (`init espw`, `prep-for-syncer`): its own report row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Made {
    Created,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Item {
    pub kind: &'static str,
    pub name: String,
    pub change: Made,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

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

/// The workspace `parent:name`: there (waited for until Ready), or created and waited for;
/// `true` when it was (or, in a dry run, would be) created. A dry run neither creates it nor
/// waits for one that is not there.
pub(crate) async fn ensure_workspace(
    kcp: &Kcp,
    parent: &str,
    name: &str,
    deadline: Instant,
    dry_run: bool,
) -> Result<bool> {
    let scope = kcp.cluster(parent);
    let rel = Workspace::object(name);
    let existing: Option<Workspace> = scope.get(&rel).await.map_err(|e| {
        e.to_error(
            &format!("failed to read workspace {name} in {parent}"),
            &scope.url(),
        )
    })?;
    let created = match &existing {
        Some(ws) if ws.deleting() => {
            return Err(
                Error::failed(format!("workspace {parent}:{name} is being deleted"))
                    .hint("wait until it is gone, then run the command again"),
            );
        }
        Some(_) => false,
        None if dry_run => return Ok(true),
        None => {
            match scope
                .create::<Workspace>(&Workspace::collection(), &Workspace::new(name))
                .await
            {
                Ok(_) => {}
                // Made meanwhile by someone else: use it.
                Err(e) if e.is_already_exists() => {}
                Err(e) => {
                    return Err(e.to_error(
                        &format!("failed to create workspace {name} in {parent}"),
                        &scope.url(),
                    ));
                }
            }
            true
        }
    };
    if !existing.as_ref().is_some_and(|w| w.ready()) {
        wait_for(
            kcp,
            parent,
            name,
            deadline,
            "become Ready",
            |w: Option<&Workspace>| w.is_some_and(|w| w.ready()),
        )
        .await?;
    }
    Ok(created)
}
