//! WorkspaceTypes: kcp's own (`root:universal`, `root:organization`, `root:team`, not stored
//! as objects here) and those users create (`tenancy.kcp.io/v1alpha1` WorkspaceTypes, served
//! in a workspace through its binding to root's `tenancy.kcp.io`, as every kcp workspace
//! binds it; with `--no-default-apibindings` there is none, so no custom type can be made).
//!
//! As kcp's `workspacetypeexists` admission and `apibinder` initializer (v0.11.0 and v0.32.3
//! alike here): a workspace's type must exist (403 "WorkspaceType <path>:<name> does not
//! exist") and allow the parent's type (`spec.limitAllowedParents`); a new workspace binds the
//! `spec.defaultAPIBindings` of its type and of every type it extends (`spec.extend.with`),
//! each binding accepting all of its export's permission claims, and stays `Initializing`
//! until they are Bound (an export not there yet is waited for, as kcp retries).

use super::*;

/// kcp's own types, whose defaults are `root:universal`'s.
const BUILTIN: &[&str] = &["root:universal", "root:organization", "root:team"];

pub(crate) fn is_builtin(full: &str) -> bool {
    BUILTIN.contains(&full)
}

/// A user's WorkspaceType, `<path>:<name>`, if it exists.
pub(crate) fn find(state: &State, full: &str) -> Option<Arc<Value>> {
    let (path, name) = full.rsplit_once(':')?;
    let id = state.resolve(path)?.id.clone();
    let def = state
        .bound
        .get(&id)?
        .iter()
        .map(|(_, d)| d)
        .find(|d| d.group == "tenancy.kcp.io" && d.plural == "workspacetypes")?;
    state.get(&def.store_key(), &key(&id, name)).cloned()
}

fn reference(r: &Value, own_path: &str) -> String {
    let path = r["path"].as_str().filter(|p| !p.is_empty()).unwrap_or(own_path);
    format!("{path}:{}", r["name"].as_str().unwrap_or_default())
}

/// Why a user's type refuses this parent type, if it does.
pub(crate) fn refuses_parent(ty: &Value, full: &str, parent_type: &str) -> Option<String> {
    let own_path = full.rsplit_once(':').map_or("root", |(p, _)| p);
    let allowed: Vec<String> = ty["spec"]["limitAllowedParents"]["types"]
        .as_array()?
        .iter()
        .map(|r| reference(r, own_path))
        .collect();
    (!allowed.contains(&parent_type.to_string())).then(|| {
        format!("workspace type {full} only allows {allowed:?} parent workspaces, but parent type is {parent_type}")
    })
}

/// The exports (`(path, name)`) a new workspace of this type binds, its own type's and the
/// extended types' together, each once.
pub(crate) fn default_bindings(sim: &Sim, state: &State, full: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    collect(sim, state, full, &mut seen, &mut out);
    out
}

fn collect(sim: &Sim, state: &State, full: &str, seen: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    if seen.iter().any(|s| s == full) {
        return;
    }
    seen.push(full.to_string());
    fn add(out: &mut Vec<(String, String)>, path: &str, export: &str) {
        let entry = (path.to_string(), export.to_string());
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    if is_builtin(full) {
        if sim.config.default_api_bindings {
            for export in root_default_exports(sim) {
                add(out, "root", export);
            }
        }
        return;
    }
    let Some(ty) = find(state, full) else {
        return;
    };
    let own_path = full.rsplit_once(':').map_or("root", |(p, _)| p);
    for base in ty["spec"]["extend"]["with"].as_array().into_iter().flatten() {
        collect(sim, state, &reference(base, own_path), seen, out);
    }
    for b in ty["spec"]["defaultAPIBindings"].as_array().into_iter().flatten() {
        let path = b["path"].as_str().filter(|p| !p.is_empty()).unwrap_or(own_path);
        if let Some(export) = b["export"].as_str() {
            add(out, path, export);
        }
    }
}
