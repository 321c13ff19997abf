//! Leader election on a `coordination.k8s.io/v1` Lease, as client-go does it: take the lease
//! when it is free or expired, renew it while acting, give it up on the way out. Expiry is
//! judged by when this process last saw the lease change, not by the holder's clock.

use crate::kcp::{Address, ApiErr, Scope};
use k8s_openapi::api::coordination::v1::Lease;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub(crate) struct LeaseOptions {
    /// The workspace that holds the Lease: the ESPW, whatever the layout.
    pub workspace: String,
    pub namespace: String,
    pub name: String,
    pub identity: String,
    pub lease_duration: Duration,
    pub renew_deadline: Duration,
    pub retry_period: Duration,
}

pub(crate) struct Elector {
    scope: Scope,
    opts: LeaseOptions,
    /// The lease's resourceVersion when last read, and when this process saw it change.
    observed: Option<(String, Instant)>,
}

fn now_rfc3339() -> String {
    let t = jiff::Timestamp::now();
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

impl Elector {
    pub(crate) fn new(scope: Scope, opts: LeaseOptions) -> Elector {
        Elector {
            scope,
            opts,
            observed: None,
        }
    }

    fn path(&self) -> String {
        Lease::object_in(&self.opts.namespace, &self.opts.name)
    }

    /// Take or renew the lease; `Ok(true)` while this process holds it.
    pub(crate) async fn try_acquire_or_renew(&mut self) -> Result<bool, ApiErr> {
        let now = now_rfc3339();
        let secs = self.opts.lease_duration.as_secs().max(1);
        let current: Option<Value> = self.scope.get(&self.path()).await?;
        let Some(mut lease) = current else {
            let fresh = Lease::manifest(json!({
                "metadata": {"name": self.opts.name, "namespace": self.opts.namespace},
                "spec": {"holderIdentity": self.opts.identity, "leaseDurationSeconds": secs, "acquireTime": now, "renewTime": now, "leaseTransitions": 0},
            }));
            let collection = Lease::collection_in(&self.opts.namespace);
            return match self.scope.create::<Value>(&collection, &fresh).await {
                Ok(_) => Ok(true),
                Err(e) if e.is_already_exists() => Ok(false),
                Err(e) => Err(e),
            };
        };
        let rv = lease["metadata"]["resourceVersion"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if self.observed.as_ref().is_none_or(|(seen, _)| seen != &rv) {
            self.observed = Some((rv, Instant::now()));
        }
        let holder = lease["spec"]["holderIdentity"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let duration = lease["spec"]["leaseDurationSeconds"]
            .as_u64()
            .map(Duration::from_secs)
            .unwrap_or(self.opts.lease_duration);
        let expired = self
            .observed
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() > duration);
        let mine = holder == self.opts.identity;
        if !mine && !holder.is_empty() && !expired {
            return Ok(false);
        }
        let spec = &mut lease["spec"];
        if !mine {
            spec["holderIdentity"] = json!(self.opts.identity);
            spec["acquireTime"] = json!(now);
            spec["leaseTransitions"] = json!(spec["leaseTransitions"].as_u64().unwrap_or(0) + 1);
        }
        spec["leaseDurationSeconds"] = json!(secs);
        spec["renewTime"] = json!(now);
        match self.scope.update::<Value>(&self.path(), &lease).await {
            Ok(updated) => {
                self.observed = Some((
                    updated["metadata"]["resourceVersion"]
                        .as_str()
                        .unwrap_or_default()
                        .into(),
                    Instant::now(),
                ));
                Ok(true)
            }
            Err(e) if e.is_conflict() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// A 403 on the lease, as the permission missing in the ESPW.
    async fn forbidden(&self, e: &ApiErr, what: &str) -> crate::error::Error {
        crate::kcp::denied::forbidden(&self.scope, e, what, &self.opts.workspace).await
    }

    /// Hand the lease back so another process can take over at once.
    pub(crate) async fn release(&mut self) {
        if let Ok(Some(mut lease)) = self.scope.get::<Value>(&self.path()).await
            && lease["spec"]["holderIdentity"] == self.opts.identity.as_str()
        {
            lease["spec"]["holderIdentity"] = json!("");
            lease["spec"]["leaseDurationSeconds"] = json!(1);
            lease["spec"]["renewTime"] = json!(now_rfc3339());
            let _ = self.scope.update::<Value>(&self.path(), &lease).await;
        }
    }

    /// Wait until this process holds the lease (checking every retry period).
    pub(crate) async fn acquire(&mut self, mut on_wait: impl FnMut(&str)) {
        let mut said = false;
        let mut said_namespace = false;
        loop {
            match self.try_acquire_or_renew().await {
                Ok(true) => return,
                Ok(false) if !said => {
                    on_wait(&format!(
                        "waiting for the lease {}/{}: another process holds it",
                        self.opts.namespace, self.opts.name
                    ));
                    said = true;
                }
                Ok(false) => {}
                // kcp makes a new workspace's `default` namespace a moment after it is Ready.
                Err(e) if e.is_not_found() && !said_namespace => {
                    on_wait(&format!(
                        "waiting for the namespace {} to exist, to hold the leader lease in it",
                        self.opts.namespace
                    ));
                    said_namespace = true;
                }
                Err(e) if e.is_not_found() => {}
                Err(e) if e.is_forbidden() => {
                    let e = self.forbidden(&e, "cannot read or take the leader lease").await;
                    tracing::error!("{}; trying again", e.plain());
                }
                Err(e) => tracing::warn!(error = %e, "cannot read or take the leader lease; trying again"),
            }
            tokio::time::sleep(self.opts.retry_period).await;
        }
    }

    /// Renew until the lease cannot be renewed within the renew deadline; then return.
    pub(crate) async fn hold(&mut self) {
        let mut last_ok = Instant::now();
        loop {
            tokio::time::sleep(self.opts.retry_period).await;
            match self.try_acquire_or_renew().await {
                Ok(true) => last_ok = Instant::now(),
                Ok(false) => return,
                Err(e) if e.is_forbidden() => {
                    let e = self.forbidden(&e, "cannot renew the leader lease").await;
                    tracing::error!("{}", e.plain());
                }
                Err(e) => tracing::warn!(error = %e, "cannot renew the leader lease"),
            }
            if last_ok.elapsed() > self.opts.renew_deadline {
                return;
            }
        }
    }
}
