//! Writes: validation as strict as kcp's, create, update, patch and delete.

use super::*;

// ---------------------------------------------------------------------------------------
// writes

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Strictness {
    Strict,
    Warn,
    Ignore,
}

impl Strictness {
    pub(super) fn from_query(q: &HashMap<String, String>) -> ApiResult<Strictness> {
        match q.get("fieldValidation").map(String::as_str) {
            None | Some("Warn") => Ok(Strictness::Warn),
            Some("Strict") => Ok(Strictness::Strict),
            Some("Ignore") => Ok(Strictness::Ignore),
            Some(other) => Err(ApiError::bad_request(format!(
                "fieldValidation must be one of Ignore, Warn, Strict; got {other:?}"
            ))),
        }
    }
}

pub(super) fn name_errors(def: &ResourceDef, name: &str) -> Vec<(String, String)> {
    // DNS-1123 subdomain, the default for custom resources; stricter schemas add their own.
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
            .expect("literal regex")
    });
    let mut errs = Vec::new();
    if def.group == "rbac.authorization.k8s.io" {
        // RBAC names are path segments (Kubernetes' ValidateRBACName), so that `system:...`
        // and kcp's `compute:apiexport:...:bind` are names.
        if matches!(name, "." | "..") || name.contains(['/', '%']) {
            errs.push((
                "metadata.name".to_string(),
                format!("Invalid value: {name:?}: may not be '.' or '..', or contain '/' or '%'"),
            ));
        }
        return errs;
    }
    if name.len() > 253 || !re.is_match(name) {
        errs.push((
            "metadata.name".to_string(),
            format!("Invalid value: {name:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        ));
    }
    errs
}

/// Defaulting, pruning and validation shared by create and update.
pub(super) fn check(
    def: &ResourceDef,
    obj: &mut Value,
    old: Option<&Value>,
    strict: Strictness,
    name: &str,
) -> ApiResult<Vec<String>> {
    let mut warnings = Vec::new();
    metadata_errors(def, obj, name)?;
    if let Some(schema) = &def.schema {
        schema::apply_defaults(obj, schema);
        let mut unknown = Vec::new();
        schema::prune_object(obj, schema, &mut unknown);
        if !unknown.is_empty() {
            match strict {
                Strictness::Strict => {
                    return Err(ApiError::bad_request(format!(
                        "{} in version \"{}\" cannot be handled as a {}: {}",
                        def.kind,
                        def.version,
                        def.kind,
                        schema::unknown_fields_message(&unknown)
                    )));
                }
                Strictness::Warn => warnings.extend(unknown.iter().map(|u| format!("unknown field \"{u}\""))),
                Strictness::Ignore => {}
            }
        }
        let mut errors = Vec::new();
        schema::validate_object(obj, schema, old, &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::invalid(&def.kind, &def.group, name, &errors));
        }
    }
    crate::builtin::check(def, obj, old, name)?;
    Ok(warnings)
}

/// ObjectMeta validation: label keys and values, annotation keys (all types, as the apiserver).
pub(super) fn metadata_errors(def: &ResourceDef, obj: &Value, name: &str) -> ApiResult<()> {
    let mut errors = Vec::new();
    for (field, is_labels) in [("labels", true), ("annotations", false)] {
        let Some(map) = obj["metadata"][field].as_object() else {
            continue;
        };
        for (k, v) in map {
            let Some(v) = v.as_str() else {
                return Err(ApiError::bad_request(format!(
                    "{} in version \"{}\" cannot be handled as a {}: json: cannot unmarshal {v} into Go struct field ObjectMeta.metadata.{field} of type string",
                    def.kind, def.version, def.kind
                )));
            };
            if let Some(e) = crate::select::label_key_error(k) {
                errors.push((format!("metadata.{field}"), format!("Invalid value: {k:?}: {e}")));
            }
            if is_labels && let Some(e) = crate::select::label_value_error(v) {
                errors.push((format!("metadata.{field}"), format!("Invalid value: {v:?}: {e}")));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(&def.kind, &def.group, name, &errors))
    }
}

pub(super) fn check_kind(def: &ResourceDef, obj: &Value) -> ApiResult<()> {
    let kind = obj["kind"].as_str().unwrap_or("");
    let api_version = obj["apiVersion"].as_str().unwrap_or("");
    if kind.is_empty() {
        return Err(ApiError::bad_request(
            "Object 'Kind' is missing in the request body",
        ));
    }
    // As kcp v0.11.0 answers: a wrong apiVersion is 400; a wrong kind is 422 for a custom
    // resource (the CRD's validation), 400 for a built-in (no conversion).
    if api_version != def.api_version() {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({api_version}) does not match the expected API version ({})",
            def.api_version()
        )));
    }
    if kind != def.kind {
        if crate::proto::supports(&def.api_version(), &def.kind) {
            return Err(ApiError::bad_request(format!(
                "{kind} in version \"{}\" cannot be handled as a {}: unknown conversion",
                def.version, def.kind
            )));
        }
        let name = obj["metadata"]["name"].as_str().unwrap_or_default();
        return Err(ApiError::invalid(
            kind,
            &def.group,
            name,
            &[(
                "kind".into(),
                format!("Invalid value: {kind:?}: must be {}", def.kind),
            )],
        ));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
pub(crate) fn create(
    sim: &Arc<Sim>,
    user: &User,
    def: &Arc<ResourceDef>,
    cluster: &str,
    ns: Option<&str>,
    mut obj: Value,
    strict: Strictness,
    dry_run: bool,
) -> ApiResult<(Value, Vec<String>)> {
    check_kind(def, &obj)?;
    if !obj["metadata"].is_object() {
        obj["metadata"] = json!({});
    }
    let meta_ns = obj["metadata"]["namespace"].as_str().map(String::from);
    match (def.namespaced, ns, meta_ns.as_deref()) {
        (true, Some(n), Some(m)) if n != m => {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        (true, Some(n), _) => obj["metadata"]["namespace"] = json!(n),
        (true, None, _) => return Err(not_served()),
        (false, _, _) => {
            if let Some(m) = obj["metadata"].as_object_mut() {
                m.remove("namespace");
            }
        }
    }
    if obj["metadata"]["resourceVersion"]
        .as_str()
        .is_some_and(|rv| !rv.is_empty())
    {
        return Err(ApiError::bad_request(
            "resourceVersion should not be set on objects to be created",
        ));
    }
    let name = match (
        obj["metadata"]["name"].as_str(),
        obj["metadata"]["generateName"].as_str(),
    ) {
        (Some(n), _) if !n.is_empty() => n.to_string(),
        (_, Some(prefix)) if !prefix.is_empty() => format!("{prefix}{}", name_suffix()),
        _ => {
            return Err(ApiError::invalid(
                &def.kind,
                &def.group,
                "",
                &[(
                    "metadata.name".into(),
                    "Required value: name or generateName is required".into(),
                )],
            ));
        }
    };
    obj["metadata"]["name"] = json!(name);
    let errs = name_errors(def, &name);
    if !errs.is_empty() {
        return Err(ApiError::invalid(&def.kind, &def.group, &name, &errs));
    }
    if def.status_subresource
        && let Some(m) = obj.as_object_mut()
    {
        m.remove("status");
    }
    let meta = obj["metadata"].as_object_mut().expect("metadata is an object");
    for k in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "managedFields",
        "selfLink",
    ] {
        meta.remove(k);
    }
    kcp::admit_before_validation(def, &mut obj)?;
    let warnings = check(def, &mut obj, None, strict, &name)?;
    let mut state = sim.state();
    let key: Key = (
        cluster.to_string(),
        ns.unwrap_or_default().to_string(),
        name.clone(),
    );
    if let Some(existing) = state.get(&def.store_key(), &key) {
        let mut e = ApiError::already_exists(&def.group_resource(), &name);
        // As the generic registry says it when the one there is going.
        if existing["metadata"].get("deletionTimestamp").is_some() {
            e.message = format!("object is being deleted: {}", e.message);
        }
        return Err(e);
    }
    if let Some(n) = ns
        && def.kind != "Namespace"
        && state
            .get(
                "/namespaces",
                &(cluster.to_string(), String::new(), n.to_string()),
            )
            .is_none()
    {
        return Err(ApiError::not_found("namespaces", n));
    }
    kcp::admit_create(sim, &state, user, def, cluster, &mut obj)?;
    let meta = obj["metadata"].as_object_mut().expect("metadata is an object");
    meta.insert("uid".into(), json!(new_uid()));
    meta.insert("creationTimestamp".into(), json!(now_rfc3339()));
    meta.insert("generation".into(), json!(1));
    let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
    if !annotations.is_object() {
        *annotations = json!({});
    }
    annotations["kcp.io/cluster"] = json!(cluster);
    if dry_run {
        return Ok((obj, warnings));
    }
    let stored = state.put(&def.store_key(), key, obj);
    drop(state);
    kcp::after_write(sim, def, cluster, &name, kcp::Write::Created);
    kcp::after_builtin_write(sim, def, cluster, ns, &name);
    Ok(((*stored).clone(), warnings))
}

pub(super) fn strip_kcp_annotation(v: &mut Value) {
    if let Some(a) = v["metadata"]["annotations"].as_object_mut() {
        a.remove("kcp.io/cluster");
    }
}

#[allow(clippy::too_many_arguments)]
#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
pub(crate) fn update(
    sim: &Arc<Sim>,
    user: &User,
    def: &Arc<ResourceDef>,
    cluster: &str,
    ns: Option<&str>,
    name: &str,
    body: Value,
    status_only: bool,
    strict: Strictness,
    dry_run: bool,
    require_rv: bool,
) -> ApiResult<(Value, Vec<String>)> {
    check_kind(def, &body)?;
    if body["metadata"]["name"].as_str().is_some_and(|n| n != name) {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({}) does not match the name on the URL ({name})",
            body["metadata"]["name"].as_str().unwrap_or_default()
        )));
    }
    let mut state = sim.state();
    let (key, old) = stored(&state, def, cluster, ns, name)?;
    // A UID in the body is a precondition, as the generic registry's update makes it.
    precondition(
        def,
        name,
        &old,
        "uid",
        body["metadata"]["uid"].as_str().filter(|u| !u.is_empty()),
    )?;
    let body_rv = body["metadata"]["resourceVersion"].as_str().unwrap_or("");
    if body_rv.is_empty() && require_rv {
        return Err(ApiError::invalid(
            &def.kind,
            &def.group,
            name,
            &[(
                "metadata.resourceVersion".into(),
                "Invalid value: 0x0: must be specified for an update".into(),
            )],
        ));
    }
    if !body_rv.is_empty() && Some(body_rv) != old["metadata"]["resourceVersion"].as_str() {
        return Err(ApiError::conflict(
            &def.group_resource(),
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        ));
    }
    let mut new = if status_only {
        let mut n = (*old).clone();
        n["status"] = body.get("status").cloned().unwrap_or(Value::Null);
        n
    } else {
        let mut n = body;
        if def.status_subresource {
            match old.get("status") {
                Some(s) => n["status"] = s.clone(),
                None => {
                    if let Some(m) = n.as_object_mut() {
                        m.remove("status");
                    }
                }
            }
        }
        n
    };
    if !new["metadata"].is_object() {
        new["metadata"] = json!({});
    }
    // What the server owns in metadata stays as it was.
    for k in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "namespace",
        "name",
    ] {
        match old["metadata"].get(k) {
            Some(v) => new["metadata"][k] = v.clone(),
            None => {
                if let Some(m) = new["metadata"].as_object_mut() {
                    m.remove(k);
                }
            }
        }
    }
    let mut old_cmp = (*old).clone();
    strip_kcp_annotation(&mut old_cmp);
    strip_kcp_annotation(&mut new);
    // A deleting object takes no new finalizers.
    if old["metadata"].get("deletionTimestamp").is_some() {
        let old_f: Vec<Value> = old["metadata"]["finalizers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if let Some(new_f) = new["metadata"]["finalizers"].as_array()
            && new_f.iter().any(|f| !old_f.contains(f))
        {
            return Err(ApiError::forbidden(format!(
                "{} \"{name}\" is forbidden: no new finalizers can be added if the object is being deleted",
                def.group_resource()
            )));
        }
    }
    let warnings = check(def, &mut new, Some(&old_cmp), strict, name)?;
    kcp::admit_update(sim, &state, user, def, cluster, &old, &mut new)?;
    let spec_changed = old.get("spec") != new.get("spec");
    let generation =
        old["metadata"]["generation"].as_i64().unwrap_or(1) + i64::from(spec_changed && !status_only);
    new["metadata"]["generation"] = json!(generation);
    new["metadata"]["annotations"]["kcp.io/cluster"] = json!(cluster);
    new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
    if new == *old {
        return Ok(((*old).clone(), warnings)); // no-op updates do not bump the resourceVersion
    }
    if dry_run {
        return Ok((new, warnings));
    }
    let deleting = new["metadata"].get("deletionTimestamp").is_some();
    let no_finalizers = new["metadata"]["finalizers"]
        .as_array()
        .is_none_or(|f| f.is_empty());
    let result = if deleting && no_finalizers {
        state.put(&def.store_key(), key.clone(), new);
        state.remove(&def.store_key(), &key).expect("just stored")
    } else {
        state.put(&def.store_key(), key, new)
    };
    drop(state);
    kcp::after_write(
        sim,
        def,
        cluster,
        name,
        if deleting && no_finalizers {
            kcp::Write::Deleted
        } else {
            kcp::Write::Updated
        },
    );
    kcp::after_builtin_write(sim, def, cluster, ns, name);
    Ok(((*result).clone(), warnings))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn patch_object(
    sim: &Arc<Sim>,
    user: &User,
    def: &Arc<ResourceDef>,
    cluster: &str,
    ns: Option<&str>,
    name: &str,
    status_only: bool,
    req: &Request,
    strict: Strictness,
) -> ApiResult<(u16, Value, Vec<String>)> {
    let ct = req
        .content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let patch_body = parse_body(req)?;
    // An unconditional patch is applied to whatever is stored when it is written: if a
    // controller wrote meanwhile, read again and patch that (the apiserver's GuaranteedUpdate
    // does the same), rather than answer the client a 409 it did not ask for.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match patch_once(
            sim,
            user,
            def,
            cluster,
            ns,
            name,
            status_only,
            req,
            strict,
            &ct,
            &patch_body,
        ) {
            Err(e) if e.code == 409 && e.reason == "Conflict" && attempts < 5 && !names_rv(&patch_body) => {}
            other => return other,
        }
    }
}

/// Whether a patch names a resourceVersion (a precondition the client asked for).
fn names_rv(patch: &Value) -> bool {
    !patch["metadata"]["resourceVersion"].is_null()
}

#[allow(clippy::too_many_arguments)]
fn patch_once(
    sim: &Arc<Sim>,
    user: &User,
    def: &Arc<ResourceDef>,
    cluster: &str,
    ns: Option<&str>,
    name: &str,
    status_only: bool,
    req: &Request,
    strict: Strictness,
    ct: &str,
    patch_body: &Value,
) -> ApiResult<(u16, Value, Vec<String>)> {
    let existing = {
        let state = sim.state();
        state
            .get(
                &def.store_key(),
                &(
                    cluster.to_string(),
                    ns.unwrap_or_default().to_string(),
                    name.to_string(),
                ),
            )
            .cloned()
    };
    let patch_body = patch_body.clone();
    let mut doc = match (existing, ct) {
        (Some(o), _) => crate::newest::as_served(def, &o).into_owned(),
        (None, "application/apply-patch+yaml") => {
            if !req.query.contains_key("fieldManager") {
                return Err(no_field_manager());
            }
            let mut obj = patch_body;
            obj["metadata"]["name"] = json!(name);
            let (o, w) = create(sim, user, def, cluster, ns, obj, strict, dry_run(req))?;
            return Ok((201, o, w));
        }
        (None, _) => return Err(ApiError::not_found(&def.group_resource(), name)),
    };
    let rv_before = doc["metadata"]["resourceVersion"].clone();
    match ct {
        "application/merge-patch+json" => patch::merge_patch(&mut doc, &patch_body),
        "application/json-patch+json" => patch::json_patch(&mut doc, &patch_body).map_err(|e| {
            ApiError::new(
                422,
                "Invalid",
                format!("the server rejected our request due to an error in our request: {e}"),
            )
        })?,
        "application/apply-patch+yaml" => {
            if !req.query.contains_key("fieldManager") {
                return Err(no_field_manager());
            }
            patch::apply_merge(&mut doc, &patch_body)
        }
        // Built-in kinds take a strategic merge patch (kubectl apply sends one for them). The
        // lists of the kinds served here with a merge key (ownerReferences, a ServiceAccount's
        // secrets) are rarely patched; kcp-sim merges it as a merge patch (lists replaced).
        "application/strategic-merge-patch+json" if crate::proto::supports(&def.api_version(), &def.kind) => {
            patch::merge_patch(&mut doc, &patch_body)
        }
        // Custom resources have no strategic merge patch, and kcp's types are all CRDs.
        other => {
            let accepted = if crate::proto::supports(&def.api_version(), &def.kind) {
                "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"
            } else {
                "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
            };
            return Err(ApiError::unsupported_media_type(other, accepted));
        }
    }
    // A patch that names a resourceVersion is a precondition; otherwise it is unconditional.
    let named_rv = doc["metadata"]["resourceVersion"] != rv_before;
    if !named_rv {
        doc["metadata"]["resourceVersion"] = rv_before;
    }
    let (o, w) = update(
        sim,
        user,
        def,
        cluster,
        ns,
        name,
        doc,
        status_only,
        strict,
        dry_run(req),
        false,
    )?;
    Ok((200, o, w))
}

/// A precondition on a metadata field (`uid`, `resourceVersion`), answered as the generic
/// registry answers a mismatch.
pub(super) fn precondition(
    def: &ResourceDef,
    name: &str,
    old: &Value,
    field: &str,
    want: Option<&str>,
) -> ApiResult<()> {
    let have = old["metadata"][field].as_str();
    match want {
        Some(w) if Some(w) != have => {
            let label = if field == "uid" { "UID" } else { "ResourceVersion" };
            Err(ApiError::conflict(
                &def.group_resource(),
                name,
                &format!(
                    "Precondition failed: {label} in precondition: {w}, {label} in object meta: {}",
                    have.unwrap_or("")
                ),
            ))
        }
        _ => Ok(()),
    }
}

pub(crate) fn delete(
    sim: &Arc<Sim>,
    def: &Arc<ResourceDef>,
    cluster: &str,
    ns: Option<&str>,
    name: &str,
    preconditions: &Value,
    dry_run: bool,
) -> ApiResult<Value> {
    let mut state = sim.state();
    let (key, old) = stored(&state, def, cluster, ns, name)?;
    precondition(def, name, &old, "uid", preconditions["uid"].as_str())?;
    precondition(
        def,
        name,
        &old,
        "resourceVersion",
        preconditions["resourceVersion"].as_str(),
    )?;
    if dry_run {
        return Ok((*old).clone());
    }
    let result = kcp::delete(sim, &mut state, def, cluster, &key, &old);
    drop(state);
    kcp::after_write(sim, def, cluster, name, kcp::Write::Deleted);
    kcp::after_builtin_write(sim, def, cluster, ns, name);
    Ok(result)
}

/// Mark for deletion (finalizers pending) or remove, as the generic registry does.
pub(crate) fn delete_generic(state: &mut State, def: &ResourceDef, key: &Key, old: &Arc<Value>) -> Value {
    let has_finalizers = old["metadata"]["finalizers"]
        .as_array()
        .is_some_and(|f| !f.is_empty());
    if has_finalizers {
        if old["metadata"].get("deletionTimestamp").is_some() {
            return (**old).clone();
        }
        let mut marked = (**old).clone();
        marked["metadata"]["deletionTimestamp"] = json!(now_rfc3339());
        marked["metadata"]["deletionGracePeriodSeconds"] = json!(0);
        return (*state.put(&def.store_key(), key.clone(), marked)).clone();
    }
    state
        .remove(&def.store_key(), key)
        .map(|o| (*o).clone())
        .unwrap_or_default()
}

/// An apply patch without `fieldManager`: 422, as kcp v0.11.0's apiserver answers.
fn no_field_manager() -> ApiError {
    ApiError::new(
        422,
        "Invalid",
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
    )
    .with_details(json!({"group": "meta.k8s.io", "kind": "PatchOptions", "causes": [
        {"reason": "FieldValueRequired", "message": "Required value: is required for apply patch", "field": "fieldManager"}]}))
}

/// The object a write replaces or removes, with its key: 404 when there is none.
fn stored(
    state: &crate::store::State,
    def: &ResourceDef,
    cluster: &str,
    ns: Option<&str>,
    name: &str,
) -> ApiResult<(Key, Arc<Value>)> {
    let key: Key = (
        cluster.to_string(),
        ns.unwrap_or_default().to_string(),
        name.to_string(),
    );
    let old = state
        .get(&def.store_key(), &key)
        .cloned()
        .ok_or_else(|| ApiError::not_found(&def.group_resource(), name))?;
    Ok((key, old))
}
