//! What the apiserver's own strategies do for the built-in kinds beyond their schema: a
//! Secret's `stringData` folded into `data` and its default type, and the validation of
//! Secrets and RBAC bindings that clients meet (k8s.io/kubernetes `pkg/apis/core/validation`,
//! `pkg/apis/rbac/validation`, as in Kubernetes 1.24, kcp v0.11's base).

use crate::model::ResourceDef;
use crate::status::{ApiError, ApiResult};
use base64::Engine;
use serde_json::{Value, json};

pub(crate) const SA_TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
pub(crate) const SA_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
pub(crate) const SA_UID_ANNOTATION: &str = "kubernetes.io/service-account.uid";

/// Normalise and validate `obj` (and against `old` on an update).
pub(crate) fn check(def: &ResourceDef, obj: &mut Value, old: Option<&Value>, name: &str) -> ApiResult<()> {
    let errors = match (def.group.as_str(), def.kind.as_str()) {
        ("", "Secret") => secret(obj, old)?,
        ("rbac.authorization.k8s.io", "ClusterRoleBinding" | "RoleBinding") => binding(obj, old)?,
        ("rbac.authorization.k8s.io", "ClusterRole" | "Role") => rules(obj),
        _ => vec![],
    };
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(&def.kind, &def.group, name, &errors))
    }
}

type Errors = Vec<(String, String)>;

fn secret(obj: &mut Value, old: Option<&Value>) -> ApiResult<Errors> {
    // `data` is []byte in Go: each value must be base64 (a decoding error is a 400).
    if let Some(data) = obj["data"].as_object() {
        for (k, v) in data {
            let ok = v
                .as_str()
                .is_some_and(|s| base64::engine::general_purpose::STANDARD.decode(s).is_ok());
            if !ok {
                return Err(ApiError::bad_request(format!(
                    "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data[{k:?}]"
                )));
            }
        }
    }
    // stringData is write-only: merged over data, never stored.
    if let Some(Value::Object(string_data)) = obj.as_object_mut().and_then(|o| o.remove("stringData")) {
        for (k, v) in string_data {
            let encoded = base64::engine::general_purpose::STANDARD.encode(v.as_str().unwrap_or_default());
            obj["data"][k] = json!(encoded);
        }
    }
    if obj["type"].as_str().is_none_or(str::is_empty) {
        obj["type"] = json!("Opaque");
    }
    let mut errors = Errors::new();
    if let Some(old) = old
        && old["type"] != obj["type"]
    {
        errors.push((
            "type".into(),
            format!("Invalid value: {}: field is immutable", obj["type"]),
        ));
    }
    if obj["type"] == SA_TOKEN_TYPE
        && obj["metadata"]["annotations"][SA_NAME_ANNOTATION]
            .as_str()
            .is_none_or(str::is_empty)
    {
        errors.push((
            format!("metadata.annotations[{SA_NAME_ANNOTATION}]"),
            "Required value".into(),
        ));
    }
    Ok(errors)
}

fn binding(obj: &Value, old: Option<&Value>) -> ApiResult<Errors> {
    let mut errors = Errors::new();
    let role_ref = &obj["roleRef"];
    let kind = role_ref["kind"].as_str().unwrap_or_default();
    if !matches!(kind, "Role" | "ClusterRole") {
        // RBAC's storage resolves the role (to check for escalation) before validation runs;
        // kcp v0.11 answers an unknown kind with a 500 and no reason.
        return Err(ApiError::new(
            500,
            "",
            format!("unsupported role reference kind: {kind:?}"),
        ));
    }
    if role_ref["name"].as_str().is_none_or(str::is_empty) {
        errors.push(("roleRef.name".into(), "Required value".into()));
    }
    if let Some(old) = old
        && old["roleRef"] != obj["roleRef"]
    {
        errors.push((
            "roleRef".into(),
            format!("Invalid value: {}: cannot change roleRef", obj["roleRef"]),
        ));
    }
    for (i, s) in obj["subjects"].as_array().into_iter().flatten().enumerate() {
        if s["name"].as_str().is_none_or(str::is_empty) {
            errors.push((format!("subjects[{i}].name"), "Required value".into()));
        }
    }
    Ok(errors)
}

fn rules(obj: &Value) -> Errors {
    let mut errors = Errors::new();
    for (i, r) in obj["rules"].as_array().into_iter().flatten().enumerate() {
        if r["verbs"].as_array().is_none_or(Vec::is_empty) {
            errors.push((
                format!("rules[{i}].verbs"),
                "Required value: verbs must contain at least one value".into(),
            ));
        }
    }
    errors
}
