//! Admission: what kcp checks and fills in before an object is stored.

use super::*;

// ---------------------------------------------------------------------------------------
// Admission

pub(super) fn forbidden_on(def: &ResourceDef, name: &str, why: &str) -> ApiError {
    ApiError::forbidden(format!("{} \"{name}\" is forbidden: {why}", def.group_resource()))
}

/// The part of admission that runs before the schema's validation, as kcp's mutating
/// admission does. kcp v0.11's `workspacetypeexists` plugin compares a Workspace's
/// `spec.type` with the zero value and fills in the parent's default child type (client-go
/// sends the zero `WorkspaceTypeReference` as `{name: ""}`; KubeStellar's Go mailbox-controller
/// does), so the pattern on `type.name` never sees the empty name; and it refuses a type it
/// cannot resolve before that pattern is checked (403, not 422: checked on kcp v0.11.0).
pub(crate) fn admit_before_validation(def: &ResourceDef, obj: &mut Value) -> ApiResult<()> {
    if def.store_key() != WORKSPACES {
        return Ok(());
    }
    let zero = |v: &Value| v.is_null() || v == "";
    let type_ = &obj["spec"]["type"];
    if type_.is_object() && zero(&type_["name"]) && zero(&type_["path"]) {
        // Absent is what admit_workspace defaults.
        if let Some(spec) = obj["spec"].as_object_mut() {
            spec.remove("type");
        }
        return Ok(());
    }
    // A name no WorkspaceType can have (their names are DNS labels) resolves to nothing.
    if let Some(type_name) = type_["name"].as_str() {
        let label = regex::Regex::new("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$").expect("literal regex");
        if !label.is_match(type_name) {
            let name = obj["metadata"]["name"].as_str().unwrap_or_default();
            return Err(forbidden_on(
                def,
                name,
                &format!("workspace type {type_name:?} cannot be resolved"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn admit_create(
    sim: &Sim,
    state: &State,
    user: &User,
    def: &ResourceDef,
    cluster: &str,
    obj: &mut Value,
) -> ApiResult<()> {
    let name = obj["metadata"]["name"].as_str().unwrap_or_default().to_string();
    match def.store_key().as_str() {
        WORKSPACES => admit_workspace(state, user, def, cluster, &name, obj),
        APIBINDINGS => {
            let export = &obj["spec"]["reference"]["export"];
            let export_name = export["name"].as_str().unwrap_or_default().to_string();
            let export_path = export["path"].as_str().unwrap_or_default().to_string();
            let shown = if export_path.is_empty() {
                export_name.clone()
            } else {
                format!("{export_path}:{export_name}")
            };
            // One message whether the workspace or the export is missing: kcp does not leak
            // which workspaces exist.
            let denied = || {
                forbidden_on(
                    def,
                    &name,
                    &format!("unable to create APIBinding: no permission to bind to export {shown}"),
                )
            };
            // As kcp v0.11's admission: an export in the binding's own workspace or in root is
            // not looked up (the binding is created, and stays unbound while it is missing);
            // one elsewhere must exist. Then the user needs `bind` on it.
            let export_cluster = match export_path.as_str() {
                "" => cluster.to_string(),
                "root" => "root".to_string(),
                path => {
                    let id = state.resolve(path).map(|c| c.id.clone()).ok_or_else(denied)?;
                    if state.get(APIEXPORTS, &key(&id, &export_name)).is_none() {
                        return Err(denied());
                    }
                    id
                }
            };
            if user.role == Role::ReadOnly {
                return Err(denied());
            }
            obj["metadata"]["labels"][EXPORT_LABEL] =
                json!(export_label_value(&export_cluster, &export_name));
            add_finalizer(obj, BINDING_FINALIZER);
            Ok(())
        }
        SLICES => {
            // As kcp v0.11's admission: an export named with a path must exist (one in the
            // slice's own workspace is not looked up).
            let export = &obj["spec"]["export"];
            let export_name = export["name"].as_str().unwrap_or_default();
            let export_path = export["path"].as_str().unwrap_or_default();
            let found = export_path.is_empty()
                || state
                    .resolve(export_path)
                    .is_some_and(|c| state.get(APIEXPORTS, &key(&c.id, export_name)).is_some());
            if found {
                Ok(())
            } else {
                Err(forbidden_on(
                    def,
                    &name,
                    &format!(
                        "unable to create APIExportEndpointSlice: no permission to bind to export {export_path}:{export_name}"
                    ),
                ))
            }
        }
        SCHEMAS => {
            if crate::newest::enabled(sim) {
                crate::newest::default_schema(&mut obj["spec"]);
            }
            // kcp's admission plugin (403, as kcp v0.11.0 answers), after the generic name
            // validation (422).
            match schema_name_errors(&name, &obj["spec"]).first() {
                None => Ok(()),
                Some((field, message)) => Err(forbidden_on(def, &name, &format!("[{field}: {message}]"))),
            }
        }
        APIEXPORTS => {
            if let Some(c) = state.clusters.get(cluster) {
                obj["metadata"]["annotations"]["kcp.io/path"] = json!(c.path);
            }
            let _ = sim;
            Ok(())
        }
        NAMESPACES => {
            // The namespace strategy: the "kubernetes" finalizer is always there, phase Active.
            let mut finalizers = obj["spec"]["finalizers"].as_array().cloned().unwrap_or_default();
            if !finalizers.contains(&json!("kubernetes")) {
                finalizers.push(json!("kubernetes"));
            }
            obj["spec"]["finalizers"] = Value::Array(finalizers);
            obj["status"] = json!({"phase": "Active"});
            Ok(())
        }
        _ => Ok(()),
    }
}

pub(super) fn schema_name_errors(name: &str, spec: &Value) -> Vec<(String, String)> {
    let plural = spec["names"]["plural"].as_str().unwrap_or_default();
    if plural.is_empty() {
        return vec![];
    }
    let group = match spec["group"].as_str().unwrap_or_default() {
        "" => "core",
        g => g,
    };
    let suffix = format!(".{plural}.{group}");
    let Some(prefix) = name.strip_suffix(&suffix) else {
        return vec![(
            "metadata.name".into(),
            format!("Invalid value: {name:?}: must end in {suffix}"),
        )];
    };
    let re = regex::Regex::new("^[a-z]([-a-z0-9]*[a-z0-9])?$").expect("literal regex");
    if !re.is_match(prefix) {
        return vec![(
            "metadata.name".into(),
            format!(
                "Invalid value: {name:?}: must match ^[a-z]([-a-z0-9]*[a-z0-9])?$ in front of .{plural}.{group}"
            ),
        )];
    }
    vec![]
}

/// The workspace types of kcp's default `workspace-types` battery and where they may go.
pub(super) fn admit_workspace(
    state: &State,
    user: &User,
    def: &ResourceDef,
    cluster: &str,
    name: &str,
    obj: &mut Value,
) -> ApiResult<()> {
    let parent_type = state
        .clusters
        .get(cluster)
        .map(|c| c.type_.clone())
        .unwrap_or_default();
    let spec = &obj["spec"];
    if user.role != Role::Masters
        && (spec["cluster"].as_str().is_some_and(|c| !c.is_empty())
            || spec["URL"].as_str().is_some_and(|u| !u.is_empty()))
    {
        return Err(forbidden_on(
            def,
            name,
            "spec.Cluster can only be set by system privileged users",
        ));
    }
    let mut type_name = spec["type"]["name"].as_str().unwrap_or_default().to_string();
    let mut type_path = spec["type"]["path"].as_str().unwrap_or_default().to_string();
    if type_name.is_empty() {
        type_name = if parent_type == "root:root" {
            "organization".into()
        } else {
            "universal".into()
        };
        type_path = "root".into();
    }
    if type_path.is_empty() {
        type_path = "root".into();
    }
    let full = format!("{type_path}:{type_name}");
    if !is_builtin(&full) {
        let Some(ty) = find(state, &full) else {
            return Err(forbidden_on(
                def,
                name,
                &format!("WorkspaceType {full} does not exist"),
            ));
        };
        if let Some(why) = refuses_parent(&ty, &full, &parent_type) {
            return Err(forbidden_on(def, name, &why));
        }
    }
    let allowed_parents: &[&str] = match full.as_str() {
        "root:organization" => &["root:root"],
        "root:team" => &["root:organization", "root:team"],
        _ => &[],
    };
    if !allowed_parents.is_empty() && !allowed_parents.contains(&parent_type.as_str()) {
        return Err(forbidden_on(
            def,
            name,
            &format!(
                "workspace type {full} only allows {allowed_parents:?} parent workspaces, but parent type is {parent_type}"
            ),
        ));
    }
    if parent_type == "root:organization" && full == "root:organization" {
        return Err(forbidden_on(
            def,
            name,
            "workspace type root:organization only allows [root:universal] child workspaces",
        ));
    }
    obj["spec"]["type"] = json!({"name": type_name, "path": type_path});
    obj["status"] = json!({"phase": "Scheduling"});
    obj["metadata"]["labels"][PHASE_LABEL] = json!("Scheduling");
    if user.role != Role::Masters {
        obj["metadata"]["annotations"]["experimental.tenancy.kcp.io/owner"] =
            json!(format!("{{\"username\":\"{}\"}}", user.name));
    }
    Ok(())
}

pub(crate) fn admit_update(
    sim: &Sim,
    _state: &State,
    user: &User,
    def: &ResourceDef,
    _cluster: &str,
    old: &Value,
    new: &mut Value,
) -> ApiResult<()> {
    let name = old["metadata"]["name"].as_str().unwrap_or_default();
    if def.store_key() == SCHEMAS && crate::newest::enabled(sim) {
        crate::newest::default_schema(&mut new["spec"]);
    }
    match def.store_key().as_str() {
        WORKSPACES => {
            if user.role != Role::Masters {
                for field in ["cluster", "URL"] {
                    if old["spec"][field] != new["spec"][field] {
                        return Err(forbidden_on(
                            def,
                            name,
                            &format!(
                                "spec.{} can only be set by system privileged users",
                                if field == "cluster" { "Cluster" } else { "URL" }
                            ),
                        ));
                    }
                }
            }
            // The phase label is the system's.
            new["metadata"]["labels"][PHASE_LABEL] = old["metadata"]["labels"][PHASE_LABEL].clone();
            Ok(())
        }
        // The namespace status strategy (422, as kcp v0.11.0's apiserver answers).
        NAMESPACES
            if new["status"]["phase"] != "Active" && new["metadata"].get("deletionTimestamp").is_none() =>
        {
            let phase = new["status"]["phase"].clone();
            let message =
                format!("Invalid value: {phase}: may only be 'Active' if `deletionTimestamp` is empty");
            Err(ApiError::new(
                422,
                "Invalid",
                format!("Namespace \"{name}\" is invalid: status.Phase: {message}"),
            )
            .with_details(json!({"name": name, "kind": "Namespace", "causes": [
                {"reason": "FieldValueInvalid", "message": message, "field": "status.Phase"}]})))
        }
        // kcp's admission plugin: 403, as kcp v0.11.0 answers (it prints the whole spec).
        SCHEMAS if old["spec"] != new["spec"] => Err(forbidden_on(
            def,
            name,
            "[spec: Invalid value: \"object\": is immutable]",
        )),
        APIBINDINGS => {
            if old["metadata"]["labels"][EXPORT_LABEL] != new["metadata"]["labels"][EXPORT_LABEL] {
                return Err(forbidden_on(
                    def,
                    name,
                    &format!(
                        "metadata.labels[{EXPORT_LABEL}]: must be set to {}",
                        old["metadata"]["labels"][EXPORT_LABEL]
                    ),
                ));
            }
            let _ = sim;
            Ok(())
        }
        _ => Ok(()),
    }
}
