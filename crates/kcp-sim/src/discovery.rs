//! Discovery (legacy `/api`, `/apis`) and the OpenAPI v3 documents kubectl reads before it
//! writes, per logical cluster and per view.

use crate::Sim;
use crate::api::{Request, respond};
use crate::http::Body;
use crate::kcp::View;
use crate::model::ResourceDef;
use crate::status::{ApiError, ApiResult};
use hyper::Response;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

pub(crate) fn version() -> Value {
    json!({
        "major": "1", "minor": "26",
        "gitVersion": "v1.26.3+kcp-v0.11.0", "gitCommit": "771cfc8a", "gitTreeState": "clean",
        "buildDate": "2023-02-22T00:00:00Z", "goVersion": "go1.19.5", "compiler": "gc", "platform": "linux/amd64",
    })
}

fn not_found() -> ApiError {
    ApiError::new(
        404,
        "NotFound",
        "the server could not find the requested resource",
    )
}

fn served_in(sim: &Sim, cluster: Option<&str>) -> Vec<(Arc<ResourceDef>, bool)> {
    let mut defs: Vec<(Arc<ResourceDef>, bool)> = sim.builtins.iter().map(|d| (d.clone(), false)).collect();
    if let Some(c) = cluster {
        let state = sim.state();
        defs.extend(
            state
                .bound
                .get(c)
                .into_iter()
                .flatten()
                // What kcp-sim serves itself (Workspaces, bound from root's tenancy.kcp.io
                // with default APIBindings) is listed once.
                .filter(|(_, d)| {
                    !sim.builtins
                        .iter()
                        .any(|b| b.group == d.group && b.version == d.version && b.plural == d.plural)
                })
                .map(|(_, d)| (d.clone(), false)),
        );
    }
    defs
}

pub(crate) fn serve(
    sim: &Sim,
    cluster: Option<&str>,
    rest: &[String],
    req: &Request,
) -> ApiResult<Response<Body>> {
    documents(&served_in(sim, cluster), rest, req)
}

pub(crate) fn serve_view(view: &View, rest: &[String], req: &Request) -> ApiResult<Response<Body>> {
    let mut defs: Vec<(Arc<ResourceDef>, bool)> = view.defs.iter().map(|d| (d.clone(), false)).collect();
    defs.extend(view.claimed.iter().map(|(d, _)| (d.clone(), false)));
    defs.extend(view.bindings_v2.iter().map(|d| (d.clone(), true)));
    defs.push((view.bindings.clone(), true));
    documents(&defs, rest, req)
}

/// `(definition, read-only)` pairs → the discovery and OpenAPI answers.
fn documents(
    defs: &[(Arc<ResourceDef>, bool)],
    rest: &[String],
    _req: &Request,
) -> ApiResult<Response<Body>> {
    let parts: Vec<&str> = rest.iter().map(String::as_str).collect();
    let groups = group_versions(defs);
    let body = match parts.as_slice() {
        ["api"] => json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}),
        ["api", "v1"] => resource_list("v1", defs.iter().filter(|(d, _)| d.group.is_empty())),
        ["apis"] => {
            let list: Vec<Value> = groups
                .iter()
                .filter(|(g, _)| !g.is_empty())
                .map(|(g, vs)| group(g, vs))
                .collect();
            json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": list})
        }
        ["apis", g] => groups.get(*g).map(|vs| group(g, vs)).ok_or_else(not_found)?,
        ["apis", g, v] => {
            if !groups.get(*g).is_some_and(|vs| vs.iter().any(|x| x == v)) {
                return Err(not_found());
            }
            resource_list(
                &format!("{g}/{v}"),
                defs.iter().filter(|(d, _)| d.group == *g && d.version == *v),
            )
        }
        ["openapi", "v3"] => {
            let mut paths = serde_json::Map::new();
            for (g, versions) in &groups {
                for v in versions {
                    let p = if g.is_empty() {
                        format!("api/{v}")
                    } else {
                        format!("apis/{g}/{v}")
                    };
                    paths.insert(
                        p.clone(),
                        json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash={}", hash_of(&p))}),
                    );
                }
            }
            json!({"paths": paths})
        }
        ["openapi", "v3", "api", v] => {
            openapi(defs.iter().filter(|(d, _)| d.group.is_empty() && d.version == *v))
        }
        ["openapi", "v3", "apis", g, v] => {
            if !groups.get(*g).is_some_and(|vs| vs.iter().any(|x| x == v)) {
                return Err(not_found());
            }
            openapi(defs.iter().filter(|(d, _)| d.group == *g && d.version == *v))
        }
        _ => return Err(not_found()),
    };
    Ok(respond(200, &body))
}

fn hash_of(p: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(p.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn group_versions(defs: &[(Arc<ResourceDef>, bool)]) -> BTreeMap<String, Vec<String>> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (d, _) in defs {
        let vs = groups.entry(d.group.clone()).or_default();
        if !vs.contains(&d.version) {
            vs.push(d.version.clone());
        }
    }
    groups
}

fn group(name: &str, versions: &[String]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|v| json!({"groupVersion": format!("{name}/{v}"), "version": v}))
        .collect();
    json!({"kind": "APIGroup", "apiVersion": "v1", "name": name, "versions": vs, "preferredVersion": vs[0]})
}

fn resource_list<'a>(group_version: &str, defs: impl Iterator<Item = &'a (Arc<ResourceDef>, bool)>) -> Value {
    let mut resources = Vec::new();
    for (d, read_only) in defs {
        let verbs: Vec<&str> = if *read_only {
            vec!["get", "list", "watch"]
        } else {
            vec!["create", "delete", "get", "list", "patch", "update", "watch"]
        };
        let mut r = json!({
            "name": d.plural, "singularName": d.singular, "namespaced": d.namespaced, "kind": d.kind, "verbs": verbs,
        });
        if !d.short_names.is_empty() {
            r["shortNames"] = json!(d.short_names);
        }
        if !d.categories.is_empty() {
            r["categories"] = json!(d.categories);
        }
        resources.push(r);
        if d.status_subresource && !read_only {
            resources.push(json!({"name": format!("{}/status", d.plural), "singularName": "", "namespaced": d.namespaced, "kind": d.kind, "verbs": ["get", "patch", "update"]}));
        }
    }
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources})
}

fn reversed_group(group: &str) -> String {
    if group.is_empty() {
        return "io.k8s.api.core".into();
    }
    let mut parts: Vec<&str> = group.split('.').collect();
    parts.reverse();
    parts.join(".")
}

/// A document kubectl accepts: a PATCH operation per kind that takes `fieldValidation`, so
/// kubectl leaves validation to the server (which is strict), and each kind's schema.
fn openapi<'a>(defs: impl Iterator<Item = &'a (Arc<ResourceDef>, bool)>) -> Value {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for (d, read_only) in defs {
        let gvk = json!({"group": d.group, "version": d.version, "kind": d.kind});
        let prefix = if d.group.is_empty() {
            format!("/api/{}", d.version)
        } else {
            format!("/apis/{}/{}", d.group, d.version)
        };
        let item = if d.namespaced {
            format!("{prefix}/namespaces/{{namespace}}/{}/{{name}}", d.plural)
        } else {
            format!("{prefix}/{}/{{name}}", d.plural)
        };
        let mut ops = json!({"get": {"x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "get"}});
        if !read_only {
            ops["patch"] = json!({
                "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "patch",
                "parameters": [
                    {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
                    {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
                    {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
                ],
            });
        }
        paths.insert(item, ops);
        let mut schema = d
            .schema
            .clone()
            .unwrap_or_else(|| json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}));
        schema["x-kubernetes-group-version-kind"] = json!([gvk]);
        schemas.insert(
            format!("{}.{}.{}", reversed_group(&d.group), d.version, d.kind),
            schema,
        );
    }
    json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.26.3+kcp-v0.11.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}
