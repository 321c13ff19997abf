//! The syncer's token: from the token Secret kcp's token controller makes for the
//! ServiceAccount (kcp v0.11 auto-generates one per ServiceAccount and lists it in the
//! ServiceAccount's `secrets`, which syncer-gen waits 3 s for). Where none comes, syncer-gen
//! asks for a TokenRequest and stores it in a Secret `<ServiceAccount>-token`; the plugin makes
//! that Secret as a token Secret of the ServiceAccount and lets the token controller fill it.

use super::identity::{SA_NAME_ANNOTATION, TOKEN_TYPE, item};
use super::poll_until;
use crate::error::{Error, Result};
use crate::kcp::{Address, Scope};
use crate::workspace::{Item, Made};
use base64::Engine;
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::time::Instant;

/// syncer-gen's wait for the ServiceAccount's token reference.
const REFERENCE_WAIT: Duration = Duration::from_secs(3);

/// The token, and the Secret made for it if one was.
pub(crate) async fn syncer_token(
    mb: &Scope,
    ns: &str,
    sa_name: &str,
    owner: &Value,
    deadline: Instant,
) -> Result<(String, Option<Item>)> {
    let own = format!("{sa_name}-token");
    // A token referenced by the ServiceAccount, or the Secret an earlier run made.
    let found = |wait: Instant| {
        let own = own.clone();
        async move {
            poll_until(wait, || async {
                let sa = mb.get::<Value>(&ServiceAccount::object_in(ns, sa_name)).await?;
                let mut names: Vec<String> = sa
                    .iter()
                    .flat_map(|s| s["secrets"].as_array().cloned().unwrap_or_default())
                    .filter_map(|r| r["name"].as_str().map(String::from))
                    .collect();
                names.push(own.clone());
                for name in names {
                    if let Some(s) = mb.get::<Value>(&Secret::object_in(ns, &name)).await?
                        && let Some(t) = token_of(&s, sa_name)
                    {
                        return Ok(Some(t));
                    }
                }
                Ok(None)
            })
            .await
        }
    };
    let what = format!("failed to read the token of ServiceAccount {ns}/{sa_name}");
    let quick = (Instant::now() + REFERENCE_WAIT).min(deadline);
    if let Some(t) = found(quick).await.map_err(|e| e.to_error(&what, &mb.url()))? {
        return Ok((t, None));
    }
    let body = Secret::manifest(json!({"type": TOKEN_TYPE,
        "metadata": {"name": own, "annotations": {SA_NAME_ANNOTATION: sa_name}, "ownerReferences": [owner]}}));
    let change = match mb.create::<Value>(&Secret::collection_in(ns), &body).await {
        Ok(_) => Made::Created,
        Err(e) if e.is_already_exists() => Made::Unchanged,
        Err(e) => return Err(e.to_error(&format!("failed to make Secret {ns}/{own}"), &mb.url())),
    };
    match found(deadline).await.map_err(|e| e.to_error(&what, &mb.url()))? {
        Some(t) => Ok((t, Some(item("Secret", &format!("{ns}/{own}"), change)))),
        None => Err(Error::failed(format!(
            "no token for ServiceAccount {ns}/{sa_name} in {}: kcp's token controller filled neither a Secret of its own nor {own}",
            mb.url()
        ))
        .hint("raise --timeout; kcp fills service-account tokens in a moment")),
    }
}

/// The decoded `data.token` of a token Secret of the ServiceAccount.
fn token_of(secret: &Value, sa_name: &str) -> Option<String> {
    if secret["type"] != TOKEN_TYPE || secret["metadata"]["annotations"][SA_NAME_ANNOTATION] != sa_name {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(secret["data"]["token"].as_str()?)
        .ok()?;
    String::from_utf8(bytes).ok().filter(|t| !t.is_empty())
}
