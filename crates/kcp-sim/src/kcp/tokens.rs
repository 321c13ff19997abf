//! kcp v0.11's service-account token controller: Kubernetes' `TokensController`
//! (k8s.io/kubernetes `pkg/controller/serviceaccount/tokens_controller.go`, 1.24), which kcp
//! starts with `AutoGenerate: true` (`pkg/server/controllers.go`,
//! `installKubeServiceAccountTokenController`). So, unlike Kubernetes 1.24, every
//! ServiceAccount gets a token Secret `<name>-token-<5 random>` referenced from its `secrets`,
//! and a Secret of type `kubernetes.io/service-account-token` naming a ServiceAccount gets
//! `data.token`, `data.ca.crt` and `data.namespace`. A token Secret whose ServiceAccount is gone
//! (or another one of that name, by UID) is deleted, and so are a deleted ServiceAccount's.
//!
//! The tokens are JWT-shaped with kube's legacy claims but carry no real signature, and
//! kcp-sim does not accept them as credentials.

use super::*;
use crate::builtin::{SA_NAME_ANNOTATION, SA_TOKEN_TYPE, SA_UID_ANNOTATION};
use crate::model::name_suffix;
use base64::Engine;

const SERVICE_ACCOUNTS: &str = "/serviceaccounts";
const SECRETS: &str = "/secrets";

/// React to a write of a ServiceAccount or a Secret, as the controller does (a moment later).
pub(super) fn after_write_namespaced(
    sim: &Arc<Sim>,
    def: &ResourceDef,
    cluster: &str,
    ns: Option<&str>,
    name: &str,
) {
    let store_key = def.store_key();
    if store_key != SERVICE_ACCOUNTS && store_key != SECRETS {
        return;
    }
    let (sim2, cluster, ns, name) = (
        sim.clone(),
        cluster.to_string(),
        ns.unwrap_or_default().to_string(),
        name.to_string(),
    );
    sim.runtime.spawn(async move {
        let mut state = sim2.state();
        if store_key == SERVICE_ACCOUNTS {
            sync_service_account(&sim2, &mut state, &cluster, &ns, &name);
        } else {
            sync_secret(&sim2, &mut state, &cluster, &ns, &name);
        }
    });
}

fn nkey(cluster: &str, ns: &str, name: &str) -> Key {
    (cluster.to_string(), ns.to_string(), name.to_string())
}

fn sync_service_account(sim: &Sim, state: &mut State, cluster: &str, ns: &str, name: &str) {
    let Some(sa) = state.get(SERVICE_ACCOUNTS, &nkey(cluster, ns, name)).cloned() else {
        delete_tokens_of(state, cluster, ns, name);
        return;
    };
    if sa["metadata"].get("deletionTimestamp").is_some() {
        return;
    }
    let uid = sa["metadata"]["uid"].as_str().unwrap_or_default().to_string();
    // Already referencing a token Secret of its own: nothing to do.
    let has_token = sa["secrets"].as_array().into_iter().flatten().any(|r| {
        r["name"].as_str().is_some_and(|s| {
            state.get(SECRETS, &nkey(cluster, ns, s)).is_some_and(|secret| {
                secret["type"] == SA_TOKEN_TYPE
                    && secret["metadata"]["annotations"][SA_NAME_ANNOTATION] == name
                    && secret["metadata"]["annotations"][SA_UID_ANNOTATION] == uid.as_str()
            })
        })
    });
    if has_token {
        return;
    }
    let secret_name = format!("{name}-token-{}", name_suffix());
    let data = token_data(sim, ns, name, &uid, &secret_name);
    let secret = json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {
            "name": secret_name, "namespace": ns, "uid": new_uid(), "creationTimestamp": now_rfc3339(),
            "annotations": {SA_NAME_ANNOTATION: name, SA_UID_ANNOTATION: uid, "kcp.io/cluster": cluster},
        },
        "type": SA_TOKEN_TYPE,
        "data": data,
    });
    state.put(SECRETS, nkey(cluster, ns, &secret_name), secret);
    let mut sa = (*sa).clone();
    let mut refs = sa["secrets"].as_array().cloned().unwrap_or_default();
    refs.push(json!({"name": secret_name}));
    sa["secrets"] = json!(refs);
    state.put(SERVICE_ACCOUNTS, nkey(cluster, ns, name), sa);
}

fn sync_secret(sim: &Sim, state: &mut State, cluster: &str, ns: &str, name: &str) {
    let k = nkey(cluster, ns, name);
    let Some(secret) = state.get(SECRETS, &k).cloned() else {
        return;
    };
    if secret["type"] != SA_TOKEN_TYPE || secret["metadata"].get("deletionTimestamp").is_some() {
        return;
    }
    let annotations = &secret["metadata"]["annotations"];
    let sa_name = annotations[SA_NAME_ANNOTATION].as_str().unwrap_or_default();
    let sa = state.get(SERVICE_ACCOUNTS, &nkey(cluster, ns, sa_name)).cloned();
    let sa_uid = sa
        .as_ref()
        .and_then(|s| s["metadata"]["uid"].as_str())
        .unwrap_or_default();
    let uid_matches = annotations[SA_UID_ANNOTATION]
        .as_str()
        .is_none_or(|u| u == sa_uid);
    if sa.is_none() || !uid_matches {
        state.remove(SECRETS, &k);
        return;
    }
    let missing = |f: &str| secret["data"][f].as_str().is_none_or(str::is_empty);
    let needs_data = missing("token") || missing("namespace") || (sim.ca_pem.is_some() && missing("ca.crt"));
    if !needs_data && annotations[SA_UID_ANNOTATION] == sa_uid {
        return;
    }
    let mut secret = (*secret).clone();
    let fresh = token_data(sim, ns, sa_name, sa_uid, name);
    for (field, value) in fresh.as_object().into_iter().flatten() {
        if secret["data"]
            .get(field)
            .is_none_or(|v| v.as_str().is_none_or(str::is_empty))
        {
            secret["data"][field] = value.clone();
        }
    }
    secret["metadata"]["annotations"][SA_UID_ANNOTATION] = json!(sa_uid);
    state.put(SECRETS, k, secret);
}

/// A deleted ServiceAccount's token Secrets go with it.
fn delete_tokens_of(state: &mut State, cluster: &str, ns: &str, sa: &str) {
    let doomed: Vec<Key> = state
        .list(SECRETS, Some(cluster), Some(ns))
        .filter(|(_, s)| s["type"] == SA_TOKEN_TYPE && s["metadata"]["annotations"][SA_NAME_ANNOTATION] == sa)
        .map(|(k, _)| k.clone())
        .collect();
    for k in doomed {
        state.remove(SECRETS, &k);
    }
}

/// `data` of a token Secret, base64 as stored: the token, the CA kcp serves with (none over
/// plain HTTP), the namespace.
fn token_data(sim: &Sim, ns: &str, sa: &str, uid: &str, secret: &str) -> Value {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut data = json!({"token": b64(&legacy_token(ns, sa, uid, secret)), "namespace": b64(ns)});
    if let Some(ca) = &sim.ca_pem {
        data["ca.crt"] = json!(b64(ca));
    }
    data
}

/// A JWT with the claims of kube's legacy service-account tokens
/// (`serviceaccount.LegacyClaims`), signed by nothing.
fn legacy_token(ns: &str, sa: &str, uid: &str, secret: &str) -> String {
    use rand::Rng;
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    let header = json!({"alg": "RS256", "kid": "kcp-sim"});
    let claims = json!({
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": ns,
        "kubernetes.io/serviceaccount/secret.name": secret,
        "kubernetes.io/serviceaccount/service-account.name": sa,
        "kubernetes.io/serviceaccount/service-account.uid": uid,
        "sub": format!("system:serviceaccount:{ns}:{sa}"),
    });
    let signature: [u8; 32] = rand::rng().random();
    format!(
        "{}.{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes()),
        b64(&signature)
    )
}
