//! The syncer's identity in the mailbox workspace, as KubeStellar v0.14's `syncer-gen` makes
//! it: an EdgeSyncConfig named after the SyncTarget (the owner of the rest), a ServiceAccount,
//! a ClusterRole allowing everything in the workspace and a ClusterRoleBinding of the two,
//! all named `kubestellar-syncer-<SyncTarget>-<8 base36 characters>`; and the token kcp's
//! token controller puts in the ServiceAccount's token Secret.

use crate::edge_api::EdgeSyncConfig;
use crate::error::{Error, Result};
use crate::kcp::{Address, Scope};
use crate::workspace::{Item, Made};
use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use serde_json::{Value, json};

pub(crate) const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
pub(crate) const SA_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";

/// `kubestellar-syncer-<name>-<first 8 of lowercase base36(sha224(uid))>`, syncer-gen's
/// `getKubeStellarSyncerID`. syncer-gen hashes a fresh random UUID on every run (so each run
/// makes a new identity); the plugin hashes the SyncTarget's UID, so a second run finds the
/// first one's objects.
pub(crate) fn syncer_id(sync_target: &str, uid: &str) -> String {
    use sha2::{Digest, Sha224};
    let hash = base36(&Sha224::digest(uid.as_bytes()));
    format!("kubestellar-syncer-{sync_target}-{}", &hash[..8.min(hash.len())])
}

/// Big-endian bytes as a base36 number (github.com/martinlindhe/base36's `EncodeBytes`, lowercased:
/// one '0' per leading zero byte).
fn base36(bytes: &[u8]) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut n: Vec<u8> = bytes.to_vec();
    let mut out = Vec::new();
    while n.iter().any(|b| *b != 0) {
        let mut rem = 0u32;
        for b in n.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 36) as u8;
            rem = cur % 36;
        }
        out.push(DIGITS[rem as usize]);
    }
    out.extend(bytes.iter().take_while(|b| **b == 0).map(|_| b'0'));
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// What the objects point back to: the EdgeSyncConfig.
pub(crate) fn owner_reference(config: &Value) -> Value {
    json!({
        "apiVersion": config["apiVersion"], "kind": config["kind"],
        "name": config["metadata"]["name"], "uid": config["metadata"]["uid"],
    })
}

fn failed(what: &str, scope: &Scope) -> impl FnOnce(crate::kcp::ApiErr) -> Error {
    let (what, place) = (what.to_string(), scope.url());
    move |e| e.to_error(&what, &place)
}

/// The EdgeSyncConfig named after the SyncTarget, read or made (`spec: {}`).
pub(crate) async fn ensure_edge_sync_config(mb: &Scope, sync_target: &str) -> Result<(Value, Made)> {
    let rel = EdgeSyncConfig::object(sync_target);
    let what = format!("failed to make EdgeSyncConfig {sync_target}");
    if let Some(c) = mb.get::<Value>(&rel).await.map_err(failed(&what, mb))? {
        return Ok((c, Made::Unchanged));
    }
    let body = EdgeSyncConfig::manifest(json!({"metadata": {"name": sync_target}, "spec": {}}));
    match mb.create::<Value>(&EdgeSyncConfig::collection(), &body).await {
        Ok(c) => Ok((c, Made::Created)),
        // Made meanwhile (or by a create that timed out after it was made): read it.
        Err(e) if e.is_already_exists() => {
            let c = mb.get::<Value>(&rel).await.map_err(failed(&what, mb))?;
            c.map(|c| (c, Made::Unchanged))
                .ok_or_else(|| Error::failed(format!("{what}: it exists and then does not")))
        }
        Err(e) => Err(failed(&what, mb)(e)),
    }
}

/// The ServiceAccount, owned by the EdgeSyncConfig (an owner added to any it has).
pub(crate) async fn ensure_service_account(
    mb: &Scope,
    ns: &str,
    id: &str,
    owner: &Value,
) -> Result<(Value, Item)> {
    let coll = ServiceAccount::collection_in(ns);
    let body = ServiceAccount::manifest(json!({"metadata": {"name": id, "ownerReferences": [owner]}}));
    let (sa, change) = ensure(mb, &coll, id, &body, "ServiceAccount", |old| {
        (!has_owner(old, owner)).then(|| json!({"metadata": {"ownerReferences": merged_owners(old, owner)}}))
    })
    .await?;
    Ok((sa, item("ServiceAccount", &format!("{ns}/{id}"), change)))
}

/// syncer-gen's rules: everything in the workspace, and access to it.
pub(crate) fn cluster_role_rules() -> Value {
    json!([
        {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
        {"verbs": ["access"], "nonResourceURLs": ["/"]},
    ])
}

pub(crate) async fn ensure_cluster_role(mb: &Scope, id: &str, owner: &Value) -> Result<Item> {
    let body = ClusterRole::manifest(
        json!({"metadata": {"name": id, "ownerReferences": [owner]}, "rules": cluster_role_rules()}),
    );
    let (_, change) = ensure(mb, &ClusterRole::collection(), id, &body, "ClusterRole", |old| {
        let same = has_owner(old, owner) && old["rules"] == cluster_role_rules();
        (!same).then(|| json!({"metadata": {"ownerReferences": merged_owners(old, owner)}, "rules": cluster_role_rules()}))
    })
    .await?;
    Ok(item("ClusterRole", id, change))
}

/// The binding of the ServiceAccount to the ClusterRole. syncer-gen deletes and makes it again
/// on every run; here it is left alone when it is already right, and made again only when its
/// roleRef (which cannot change) is wrong.
pub(crate) async fn ensure_cluster_role_binding(
    mb: &Scope,
    ns: &str,
    id: &str,
    owner: &Value,
) -> Result<Item> {
    let subjects = json!([{"kind": "ServiceAccount", "name": id, "namespace": ns}]);
    let role_ref = json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": id});
    let body = ClusterRoleBinding::manifest(
        json!({"metadata": {"name": id, "ownerReferences": [owner]}, "subjects": subjects, "roleRef": role_ref}),
    );
    let rel = ClusterRoleBinding::object(id);
    let what = format!("failed to make ClusterRoleBinding {id}");
    if let Some(old) = mb.get::<Value>(&rel).await.map_err(failed(&what, mb))?
        && old["roleRef"] != role_ref
    {
        let uid = old["metadata"]["uid"].as_str().map(String::from);
        mb.delete(&rel, uid.as_deref()).await.map_err(failed(&what, mb))?;
        mb.create::<Value>(&ClusterRoleBinding::collection(), &body)
            .await
            .map_err(failed(&what, mb))?;
        return Ok(item("ClusterRoleBinding", id, Made::Updated));
    }
    let (_, change) = ensure(
        mb,
        &ClusterRoleBinding::collection(),
        id,
        &body,
        "ClusterRoleBinding",
        |old| {
            let same = has_owner(old, owner) && old["subjects"] == subjects;
            (!same).then(
                || json!({"metadata": {"ownerReferences": merged_owners(old, owner)}, "subjects": subjects}),
            )
        },
    )
    .await?;
    Ok(item("ClusterRoleBinding", id, change))
}

/// Make `body` in `coll` when it is missing; else merge-patch what `fix` says differs.
async fn ensure(
    mb: &Scope,
    coll: &str,
    name: &str,
    body: &Value,
    kind: &str,
    fix: impl Fn(&Value) -> Option<Value>,
) -> Result<(Value, Made)> {
    let rel = format!("{coll}/{name}");
    let what = format!("failed to make {kind} {name}");
    for _ in 0..3 {
        let existing = mb.get::<Value>(&rel).await.map_err(failed(&what, mb))?;
        match existing {
            None => match mb.create::<Value>(coll, body).await {
                Ok(made) => return Ok((made, Made::Created)),
                Err(e) if e.is_already_exists() => continue,
                Err(e) => return Err(failed(&what, mb)(e)),
            },
            Some(old) => match fix(&old) {
                None => return Ok((old, Made::Unchanged)),
                Some(mut patch) => {
                    // Against the version read: a change meanwhile is a conflict, read again.
                    patch["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
                    match mb.merge_patch::<Value>(&rel, &patch).await {
                        Ok(new) => return Ok((new, Made::Updated)),
                        Err(e) if e.is_conflict() || e.is_not_found() => continue,
                        Err(e) => return Err(failed(&what, mb)(e)),
                    }
                }
            },
        }
    }
    Err(Error::failed(format!("{what}: it kept changing while being written")).hint("run the command again"))
}

fn has_owner(object: &Value, owner: &Value) -> bool {
    object["metadata"]["ownerReferences"]
        .as_array()
        .is_some_and(|refs| refs.iter().any(|r| r["uid"] == owner["uid"]))
}

/// syncer-gen's `mergeOwnerReferenceForEdge`: the ones there, then the new one if its UID is not.
fn merged_owners(object: &Value, owner: &Value) -> Value {
    let mut refs = object["metadata"]["ownerReferences"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !has_owner(object, owner) {
        refs.push(owner.clone());
    }
    json!(refs)
}

pub(crate) fn item(kind: &'static str, name: &str, change: Made) -> Item {
    Item {
        kind,
        name: name.to_string(),
        change,
        note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncer_ids_are_syncer_gen_s() {
        // sha224("") = d14a028c...; as a base36 number its first 8 digits are these.
        let id = syncer_id("st1", "");
        assert!(id.starts_with("kubestellar-syncer-st1-"), "{id}");
        assert_eq!(id.len(), "kubestellar-syncer-st1-".len() + 8);
        assert_eq!(id, syncer_id("st1", ""));
        assert_ne!(id, syncer_id("st1", "another"));
        assert_eq!(base36(&[0, 0, 1]), "001");
        assert_eq!(base36(&[1, 0]), "74"); // 256 = 7*36 + 4
        assert_eq!(base36(&[255]), "73"); // 255 = 7*36 + 3
    }

    #[test]
    fn owners_are_merged_by_uid() {
        let owner = json!({"uid": "a", "name": "st"});
        let obj = json!({"metadata": {"ownerReferences": [{"uid": "b"}]}});
        assert_eq!(
            merged_owners(&obj, &owner),
            json!([{"uid": "b"}, {"uid": "a", "name": "st"}])
        );
        let obj = json!({"metadata": {"ownerReferences": [{"uid": "a"}]}});
        assert!(has_owner(&obj, &owner));
        assert_eq!(merged_owners(&obj, &owner), json!([{"uid": "a"}]));
    }
}
