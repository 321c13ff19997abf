//! kcp v0.11's label controllers for its cache server (`pkg/reconciler/cache/labelclusterroles`
//! and `labelclusterrolebindings`, run with the predicates of `pkg/reconciler/apis` and
//! `pkg/reconciler/tenancy`): a moment after a ClusterRole or ClusterRoleBinding is written,
//! kcp annotates it `internal.kcp.io/replicate: <groups>` when it grants `bind` or `content` on
//! APIExports (`apis.kcp.io`) or `use` of WorkspaceTypes (`tenancy.kcp.io`), or binds such a
//! role. That write moves the object's resourceVersion: a client that updates with the
//! version it created gets 409 Conflict (syncer-gen's RBAC, `*` on `*`, is such a role).

use super::*;

const CLUSTER_ROLES: &str = "rbac.authorization.k8s.io/clusterroles";
const CLUSTER_ROLE_BINDINGS: &str = "rbac.authorization.k8s.io/clusterrolebindings";
const ANNOTATION: &str = "internal.kcp.io/replicate";
const APIS: &str = "apis.kcp.io";
const TENANCY: &str = "tenancy.kcp.io";
/// `MaximalPermissionPolicyRBACUserGroupPrefix`
const BINDING_SUBJECT_PREFIX: &str = "apis.kcp.io:binding:";

/// After a write of a ClusterRole or ClusterRoleBinding: label the logical cluster's RBAC.
pub(super) fn after_rbac_write(sim: &Arc<Sim>, def: &ResourceDef, cluster: &str) {
    let store_key = def.store_key();
    if store_key != CLUSTER_ROLES && store_key != CLUSTER_ROLE_BINDINGS {
        return;
    }
    let (sim2, cluster) = (sim.clone(), cluster.to_string());
    sim.runtime
        .spawn(async move { label(&mut sim2.state(), &cluster) });
}

fn label(state: &mut State, cluster: &str) {
    let roles: Vec<(Key, Arc<Value>)> = state
        .list(CLUSTER_ROLES, Some(cluster), None)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let bindings: Vec<(Key, Arc<Value>)> = state
        .list(CLUSTER_ROLE_BINDINGS, Some(cluster), None)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let role_named = |name: &str| roles.iter().find(|(k, _)| k.2 == name).map(|(_, r)| r.clone());
    for (k, role) in &roles {
        let name = role["metadata"]["name"].as_str().unwrap_or_default();
        let bound_for_claims = bindings
            .iter()
            .any(|(_, b)| refers_to(b, name) && has_binding_subject(b));
        let groups = [
            (APIS, has_bind_or_content_rule(role) || bound_for_claims),
            (TENANCY, has_use_rule(role)),
        ];
        set(state, CLUSTER_ROLES, k, role, &groups);
    }
    for (k, binding) in &bindings {
        let role_ref = &binding["roleRef"];
        let role = (role_ref["kind"] == "ClusterRole" && role_ref["apiGroup"] == "rbac.authorization.k8s.io")
            .then(|| role_ref["name"].as_str().unwrap_or_default())
            .map(|name| (name, role_named(name)));
        // kcp looks in the shard's own admin cluster too, where `cluster-admin` (everything) is.
        let (apis, tenancy) = match role {
            Some((_, Some(r))) => (has_bind_or_content_rule(&r), has_use_rule(&r)),
            Some(("cluster-admin", None)) => (true, true),
            _ => (false, false),
        };
        let groups = [(APIS, apis || has_binding_subject(binding)), (TENANCY, tenancy)];
        set(state, CLUSTER_ROLE_BINDINGS, k, binding, &groups);
    }
}

fn refers_to(binding: &Value, role: &str) -> bool {
    binding["roleRef"]["kind"] == "ClusterRole" && binding["roleRef"]["name"] == role
}

fn has_binding_subject(binding: &Value) -> bool {
    binding["subjects"].as_array().into_iter().flatten().any(|s| {
        s["name"]
            .as_str()
            .is_some_and(|n| n.starts_with(BINDING_SUBJECT_PREFIX))
            && matches!(s["kind"].as_str(), Some("User" | "Group"))
            && s["apiGroup"] == "rbac.authorization.k8s.io"
    })
}

fn has(list: &Value, item: &str) -> bool {
    list.as_array().into_iter().flatten().any(|v| v == item)
}

/// `HasBindOrContentRule`
fn has_bind_or_content_rule(role: &Value) -> bool {
    role["rules"].as_array().into_iter().flatten().any(|r| {
        (has(&r["apiGroups"], APIS) || has(&r["apiGroups"], "*"))
            && (((has(&r["resources"], "apiexports") || has(&r["resources"], "*"))
                && (has(&r["verbs"], "bind") || has(&r["verbs"], "*")))
                || has(&r["resources"], "apiexports/content")
                || has(&r["resources"], "*"))
    })
}

/// `HasUseRule`
fn has_use_rule(role: &Value) -> bool {
    role["rules"].as_array().into_iter().flatten().any(|r| {
        (has(&r["apiGroups"], TENANCY) || has(&r["apiGroups"], "*"))
            && (has(&r["resources"], "workspacetypes") || has(&r["resources"], "*"))
            && (has(&r["verbs"], "use") || has(&r["verbs"], "initialize") || has(&r["verbs"], "*"))
    })
}

/// Add or remove each group in the annotation (a sorted, comma-separated set), writing only
/// when it changes.
fn set(state: &mut State, store_key: &str, key: &Key, object: &Value, groups: &[(&str, bool)]) {
    let current = object["metadata"]["annotations"][ANNOTATION]
        .as_str()
        .unwrap_or_default();
    let mut values: std::collections::BTreeSet<String> = current
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    for (group, wanted) in groups {
        if *wanted {
            values.insert((*group).to_string());
        } else {
            values.remove(*group);
        }
    }
    let value = values.into_iter().collect::<Vec<_>>().join(",");
    if value == current {
        return;
    }
    let mut updated = object.clone();
    if !updated["metadata"]["annotations"].is_object() {
        updated["metadata"]["annotations"] = json!({});
    }
    let annotations = updated["metadata"]["annotations"]
        .as_object_mut()
        .expect("annotations are an object");
    if value.is_empty() {
        annotations.remove(ANNOTATION);
    } else {
        annotations.insert(ANNOTATION.into(), json!(value));
    }
    state.put(store_key, key.clone(), updated);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kcp_s_predicates() {
        let all = json!({"rules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]});
        assert!(has_bind_or_content_rule(&all) && has_use_rule(&all));
        let bind = json!({"rules": [{"verbs": ["bind"], "apiGroups": ["apis.kcp.io"], "resources": ["apiexports"]}]});
        assert!(has_bind_or_content_rule(&bind) && !has_use_rule(&bind));
        let cms = json!({"rules": [{"verbs": ["*"], "apiGroups": [""], "resources": ["configmaps"]}]});
        assert!(!has_bind_or_content_rule(&cms) && !has_use_rule(&cms));
        let claims = json!({"subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "apis.kcp.io:binding:x"}]});
        assert!(has_binding_subject(&claims));
    }
}
