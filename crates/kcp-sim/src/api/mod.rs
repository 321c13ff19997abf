//! Routing and the REST verbs: where a request goes (a logical cluster, the wildcard, an
//! export's view), who may do it, and get/list/watch/create/update/patch/delete as the
//! apiserver answers them.

use crate::http::{Body, full};
use crate::model::{ResourceDef, name_suffix, new_uid, now_rfc3339};
use crate::select::{FieldSelector, LabelSelector};
use crate::status::{ApiError, ApiResult};
use crate::store::{EventKind, Key, State};
use crate::{Role, Sim, User, discovery, kcp, patch, schema, table};
use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Method, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

mod internal;
mod listwatch;
mod watchlist;
mod writes;

use internal::admin;
pub(crate) use internal::{
    bootstrap, create_internal, delete_internal, get_internal, list_internal, put_raw_internal,
};
use listwatch::*;
use watchlist::*;
use writes::*;
pub(crate) use writes::{Strictness, create, delete, delete_generic, update};

// ---------------------------------------------------------------------------------------
// Where a request goes

/// The part of the URL before the API path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scope {
    /// No `/clusters/` prefix.
    Base,
    /// `/clusters/<path, ID or *>`
    Cluster(String),
    /// `[/shards/<n>]/services/apiexport/<export cluster ID>/<export>/clusters/<ID or *>`
    View {
        shard: usize,
        export_cluster: String,
        export_name: String,
        consumer: String,
    },
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

pub(crate) fn parse_scope(path: &str) -> (Scope, Vec<String>) {
    let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(decode).collect();
    let mut s: &[String] = &segments;
    let mut shard = 0;
    if s.len() >= 2 && s[0] == "shards" {
        shard = s[1].parse().unwrap_or(usize::MAX);
        s = &s[2..];
    }
    if s.len() >= 6 && s[0] == "services" && s[1] == "apiexport" && s[4] == "clusters" {
        let scope = Scope::View {
            shard,
            export_cluster: s[2].clone(),
            export_name: s[3].clone(),
            consumer: s[5].clone(),
        };
        return (scope, s[6..].to_vec());
    }
    if s.len() >= 2 && s[0] == "clusters" && shard == 0 {
        return (Scope::Cluster(s[1].clone()), s[2..].to_vec());
    }
    (Scope::Base, s.to_vec())
}

/// A resource request below `api/v1` or `apis/<group>/<version>`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResPath {
    pub group: String,
    pub version: String,
    /// `synctargets`, or `synctargets:<identity>` on the wildcard.
    pub plural: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub sub: Option<String>,
}

pub(crate) fn parse_resource(rest: &[String]) -> Option<ResPath> {
    let (group, version, p) = match rest {
        [a, v, p @ ..] if a == "api" && !p.is_empty() => (String::new(), v.clone(), p),
        [a, g, v, p @ ..] if a == "apis" && !p.is_empty() => (g.clone(), v.clone(), p),
        _ => return None,
    };
    let (namespace, p) =
        if p.len() >= 3 && p[0] == "namespaces" && !matches!(p[2].as_str(), "status" | "finalize") {
            (Some(p[1].clone()), &p[2..])
        } else {
            (None, p)
        };
    if p.len() > 3 {
        return None;
    }
    Some(ResPath {
        group,
        version,
        plural: p[0].clone(),
        namespace,
        name: p.get(1).cloned(),
        sub: p.get(2).cloned(),
    })
}

fn verb_of(method: &Method, res: &ResPath, query: &HashMap<String, String>) -> &'static str {
    match (method, res.name.is_some()) {
        (&Method::GET, true) => "get",
        (&Method::GET, false) if is_true(query.get("watch")) => "watch",
        (&Method::GET, false) => "list",
        (&Method::POST, _) => "create",
        (&Method::PUT, _) => "update",
        (&Method::PATCH, _) => "patch",
        (&Method::DELETE, true) => "delete",
        (&Method::DELETE, false) => "deletecollection",
        _ => "other",
    }
}

fn is_true(v: Option<&String>) -> bool {
    matches!(v.map(String::as_str), Some("true" | "1"))
}

fn parse_query(q: Option<&str>) -> HashMap<String, String> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let plus = |s: &str| s.replace('+', " ");
            (decode(&plus(k)), decode(&plus(v)))
        })
        .collect()
}

/// A logical cluster path or name as kcp validates them.
pub(crate) fn valid_cluster_path(p: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re =
        RE.get_or_init(|| regex::Regex::new(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$").expect("literal regex"));
    !p.is_empty() && p.split(':').all(|s| re.is_match(s))
}

/// Which shard holds a logical cluster (root is on shard 0).
pub(crate) fn shard_of(sim: &Sim, cluster: &str) -> usize {
    crate::store::shard_of(sim.config.shards, cluster)
}

/// The shard whose resourceVersions a request reads: the one holding its logical cluster,
/// the view's, or for `/clusters/*` the first (root's).
fn target_shard(sim: &Sim, place: &Where) -> usize {
    match place {
        Where::One(id) => shard_of(sim, id),
        Where::All { shard, .. } => shard.unwrap_or(0),
    }
}

// ---------------------------------------------------------------------------------------
// Responses

#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    Json,
    Table,
    Metadata,
}

fn negotiate(accept: Option<&str>) -> Result<Form, ApiError> {
    let Some(accept) = accept else {
        return Ok(Form::Json);
    };
    for media in accept.split(',') {
        let media = media.trim();
        let mut params = media.split(';').map(str::trim);
        let mime = params.next().unwrap_or("");
        if !matches!(mime, "application/json" | "*/*" | "application/*" | "") {
            continue;
        }
        let as_ = params.find_map(|p| p.strip_prefix("as=")).unwrap_or("");
        match as_ {
            "" => return Ok(Form::Json),
            "Table" => return Ok(Form::Table),
            "PartialObjectMetadata" | "PartialObjectMetadataList" => return Ok(Form::Metadata),
            _ => continue,
        }
    }
    Err(ApiError::new(
        406,
        "NotAcceptable",
        format!("only the following media types are accepted: application/json; got {accept}"),
    ))
}

pub(crate) fn respond(code: u16, value: &Value) -> Response<Body> {
    respond_bytes(code, serde_json::to_vec(value).unwrap_or_default())
}

fn respond_bytes(code: u16, body: Vec<u8>) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("Content-Type", "application/json")
        .body(full(body))
        .expect("static response parts")
}

pub(crate) fn error_response(e: &ApiError) -> Response<Body> {
    let mut r = respond(e.code, &e.to_status());
    if let Some(secs) = e.retry_after {
        r.headers_mut().insert("Retry-After", secs.into());
    }
    r
}

fn with_warnings(mut r: Response<Body>, warnings: &[String]) -> Response<Body> {
    for w in warnings {
        if let Ok(v) = format!("299 - \"{}\"", w.replace('"', "\\\"")).parse() {
            r.headers_mut().append("Warning", v);
        }
    }
    r
}

fn partial(object: &Value) -> Value {
    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"]})
}

fn render(def: &ResourceDef, form: Form, object: &Value) -> Value {
    match form {
        Form::Json => crate::newest::as_served(def, object).into_owned(),
        Form::Metadata => partial(object),
        Form::Table => table::table(
            def,
            std::iter::once(object),
            json!({"resourceVersion": object["metadata"]["resourceVersion"]}),
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Entry point

#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
pub(crate) async fn handle(sim: Arc<Sim>, req: hyper::Request<Incoming>, tls: bool) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query = parse_query(parts.uri.query());
    if let Some(rest) = path.strip_prefix("/kcp-sim/") {
        let bytes = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        return admin(&sim, &parts, rest, &bytes, tls);
    }
    let (scope, rest) = parse_scope(&path);
    let res = parse_resource(&rest);
    let cluster_label = match &scope {
        Scope::Base => String::new(),
        Scope::Cluster(c) => c.clone(),
        Scope::View { consumer, .. } => format!("view:{consumer}"),
    };
    let (verb, resource) = match &res {
        Some(r) => {
            let plural = r.plural.split(':').next().unwrap_or_default().to_string();
            let resource = match &r.sub {
                Some(s) => format!("{plural}/{s}"),
                None => plural,
            };
            (verb_of(&parts.method, r, &query).to_string(), resource)
        }
        None => {
            let first = rest.first().map(String::as_str).unwrap_or("");
            let verb = match first {
                "api" | "apis" => "discovery",
                "openapi" => "openapi",
                "version" | "healthz" | "livez" | "readyz" => "health",
                _ => "other",
            };
            (verb.to_string(), String::new())
        }
    };
    let token = parts
        .headers
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let user = sim.user_for(token.as_deref(), tls);
    let user_agent = parts.headers.get("User-Agent").and_then(|h| h.to_str().ok());
    let logged = sim.log(
        parts.method.as_str(),
        &path,
        parts.uri.query(),
        user.as_ref(),
        user_agent,
    );
    sim.count(crate::RequestKey {
        verb: verb.clone(),
        resource,
        cluster: cluster_label,
    });

    // Health and version answer anyone, as the apiserver's public-info paths do.
    if res.is_none() && parts.method == Method::GET {
        match rest.first().map(String::as_str) {
            Some("healthz" | "livez" | "readyz") if rest.len() == 1 => {
                return Response::builder()
                    .status(200)
                    .header("Content-Type", "text/plain")
                    .body(full("ok"))
                    .expect("static");
            }
            _ => {}
        }
    }

    let faults = sim.faults.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let latency = sim.config.latency + Duration::from_millis(faults.latency_ms);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if faults.error_rate > 0.0 && rand::random::<f64>() < faults.error_rate {
        let e = match rand::random::<u8>() % 3 {
            0 => ApiError::internal("kcp-sim: injected fault"),
            1 => ApiError {
                retry_after: Some(1),
                ..ApiError::new(503, "ServiceUnavailable", "kcp-sim: injected fault")
            },
            _ => ApiError {
                retry_after: Some(1),
                ..ApiError::new(
                    429,
                    "TooManyRequests",
                    "kcp-sim: injected fault (too many requests)",
                )
            },
        };
        return error_response(&e);
    }

    let Some(user) = user else {
        // No credentials make a request system:anonymous's, whom kcp lets do nothing (403,
        // /version included); a token kcp does not know is 401.
        if token.is_none() {
            return error_response(&anonymous_forbidden(&verb, res.as_ref(), &path));
        }
        return error_response(&ApiError::unauthorized());
    };
    if res.is_none() && parts.method == Method::GET && rest.len() == 1 && rest[0] == "version" {
        return respond(200, &discovery::version());
    }
    let bytes = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return error_response(&ApiError::bad_request("could not read the request body")),
    };
    sim.log_body(logged, &bytes);
    let request = Request {
        query,
        accept: parts
            .headers
            .get("Accept")
            .and_then(|h| h.to_str().ok())
            .map(String::from),
        content_type: parts
            .headers
            .get("Content-Type")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_string(),
        body: bytes,
        verb,
    };
    match route(&sim, &user, scope, &rest, res, &request).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

pub(crate) struct Request {
    pub query: HashMap<String, String>,
    pub accept: Option<String>,
    pub content_type: String,
    pub body: Bytes,
    pub verb: String,
}

/// Where objects are read and written.
#[derive(Debug, Clone)]
pub(crate) enum Where {
    One(String),
    /// Every logical cluster (on `shard`: a view's, or with several shards the base URL's
    /// wildcard), optionally only objects matching `only`.
    All {
        shard: Option<usize>,
        /// Only these logical clusters (a permission claim's accepting consumers).
        clusters: Option<Arc<std::collections::BTreeSet<String>>>,
    },
}

pub(crate) struct Target {
    pub def: Arc<ResourceDef>,
    pub place: Where,
    /// A label requirement the caller cannot see past (the view's APIBindings).
    pub only: Option<LabelSelector>,
    pub read_only: bool,
    /// kcp's export views answer an empty list with `"items": null`.
    pub null_when_empty: bool,
}

fn anonymous_forbidden(verb: &str, res: Option<&ResPath>, path: &str) -> ApiError {
    let anonymous = User {
        name: "system:anonymous".into(),
        role: Role::ReadOnly,
    };
    match res {
        Some(_) => forbidden(&anonymous, verb, res, "access denied"),
        None => ApiError::forbidden(format!(
            "forbidden: User \"system:anonymous\" cannot get path \"{path}\": access denied"
        )),
    }
}

fn forbidden(user: &User, verb: &str, res: Option<&ResPath>, why: &str) -> ApiError {
    let (resource, group) = res
        .map(|r| (r.plural.as_str(), r.group.as_str()))
        .unwrap_or(("", ""));
    let gr = if group.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}.{group}")
    };
    ApiError::forbidden(format!(
        "{gr} is forbidden: User \"{}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" at the cluster scope: {why}",
        user.name
    ))
}

fn is_read(verb: &str) -> bool {
    matches!(
        verb,
        "get" | "list" | "watch" | "discovery" | "openapi" | "health"
    )
}

#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
async fn route(
    sim: &Arc<Sim>,
    user: &User,
    scope: Scope,
    rest: &[String],
    res: Option<ResPath>,
    req: &Request,
) -> ApiResult<Response<Body>> {
    let verb = req.verb.as_str();
    match scope {
        Scope::Base => match res {
            None => discovery::serve(sim, None, rest, req),
            Some(_) => Err(ApiError::new(
                404,
                "NotFound",
                "the server could not find the requested resource",
            )),
        },
        Scope::Cluster(path) if path == "*" => {
            if res.is_some() && !matches!(verb, "list" | "watch") {
                return Err(ApiError::method_not_allowed(format!(
                    "the server does not allow this method on the requested resource in the `*` logical cluster: {verb}"
                )));
            }
            if user.role != Role::Masters {
                return Err(forbidden(
                    user,
                    verb,
                    res.as_ref(),
                    "access to the * logical cluster is not permitted",
                ));
            }
            let Some(res) = res else {
                return discovery::serve(sim, None, rest, req);
            };
            // kcp v0.11.0 serves no workspaces across logical clusters: 404 page not found.
            if res.group == "tenancy.kcp.io" && res.plural == "workspaces" {
                return Err(not_served());
            }
            let def = wildcard_def(sim, &res).ok_or_else(not_served)?;
            // The base URL is the root shard's (and a front-proxy's): its wildcard covers the
            // logical clusters on that shard only, as a kcp shard's own `/clusters/*` does.
            let shard = (sim.config.shards > 1).then_some(0);
            let target = Target {
                def,
                place: Where::All {
                    shard,
                    clusters: None,
                },
                only: None,
                read_only: true,
                null_when_empty: false,
            };
            serve_resource(sim, user, &target, &res, req).await
        }
        Scope::Cluster(path) => {
            if !valid_cluster_path(&path) {
                return Err(ApiError::bad_request(format!(
                    "invalid cluster: {path:?} does not match the regex"
                )));
            }
            // kcp's workspace content authorizer: a logical cluster that is not there is
            // denied, one Initializing or Ready lets in whom it allows. system:masters skips
            // authorization: it reads a missing logical cluster as an empty one.
            let found = sim.state().resolve(&path).map(|c| c.id.clone());
            let id = match found {
                Some(id) => id,
                None if user.role == Role::Masters && is_read(verb) => path.clone(),
                // kcp v0.28 and later: a path that does not resolve is a missing workspace,
                // named whole (a real v0.32.3 was seen to answer so).
                None if path.contains(':') && crate::newest::enabled(sim) => {
                    return Err(ApiError::not_found("workspaces.tenancy.kcp.io", &path));
                }
                None => return Err(forbidden(user, verb, res.as_ref(), "LogicalCluster not found")),
            };
            if user.role == Role::ReadOnly && !is_read(verb) {
                return Err(forbidden(user, verb, res.as_ref(), "the user may only read"));
            }
            let Some(res) = res else {
                return discovery::serve(sim, Some(&id), rest, req);
            };
            let def = cluster_def(sim, &id, &res).ok_or_else(not_served)?;
            let target = Target {
                def,
                place: Where::One(id),
                only: None,
                read_only: false,
                null_when_empty: false,
            };
            serve_resource(sim, user, &target, &res, req).await
        }
        Scope::View {
            shard,
            export_cluster,
            export_name,
            consumer,
        } => {
            if user.role == Role::ReadOnly {
                return Err(forbidden(
                    user,
                    verb,
                    res.as_ref(),
                    &format!("access to the content of APIExport {export_name} is not permitted"),
                ));
            }
            let view = kcp::view(sim, &export_cluster, &export_name)
                .filter(|_| shard < sim.config.shards)
                .ok_or_else(|| {
                    ApiError::new(
                        404,
                        "NotFound",
                        "the server could not find the requested resource",
                    )
                })?;
            let place = if consumer == "*" {
                // kcp v0.11.0's view has no other route there: 404.
                if res.is_some() && !matches!(verb, "list" | "watch") {
                    return Err(not_served());
                }
                Where::All {
                    shard: Some(shard),
                    clusters: None,
                }
            } else {
                // A path (not an ID) resolves to no virtual workspace, as kcp v0.11.0 says.
                if consumer.contains(':') && valid_cluster_path(&consumer) {
                    return Err(ApiError::forbidden(format!(
                        "forbidden: User \"{}\" cannot {verb} path \"/services/apiexport/{export_cluster}/{export_name}/clusters/{consumer}/...\": Path not resolved to a valid virtual workspace",
                        user.name
                    )));
                }
                if consumer.contains(':') || !valid_cluster_path(&consumer) {
                    return Err(ApiError::new(
                        404,
                        "NotFound",
                        "the server could not find the requested resource",
                    ));
                }
                if shard_of(sim, &consumer) != shard {
                    return Err(forbidden(user, verb, res.as_ref(), "LogicalCluster not found"));
                }
                Where::One(consumer)
            };
            let Some(res) = res else {
                return discovery::serve_view(&view, rest, req);
            };
            let Some((def, only, read_only)) = view.resolve(&res) else {
                let (def, claim) = view.claim(&res).ok_or_else(not_served)?;
                let place = claimed_place(sim, user, &view, &claim, place, verb, &res)?;
                let target = Target {
                    def,
                    place,
                    only: None,
                    read_only: false,
                    null_when_empty: true,
                };
                return serve_resource(sim, user, &target, &res, req).await;
            };
            // kcp v0.11: the wildcard serves an exported resource only once a consumer on
            // this shard has bound it (404 before, as the shard has no such resource yet).
            // (Compared field by field: every view request asks this of every consumer.)
            let binds = |b: &[(String, Arc<ResourceDef>)]| {
                b.iter().any(|(_, d)| {
                    d.identity == def.identity && d.group == def.group && d.plural == def.plural
                })
            };
            if let (Where::All { .. }, Some(_)) = (&place, &def.identity) {
                let served = sim
                    .state()
                    .bound
                    .iter()
                    .any(|(c, b)| shard_of(sim, c) == shard && binds(b));
                if !served {
                    return Err(not_served());
                }
            }
            // The view forwards to the consumer's logical cluster, which serves the export's
            // resources only if it has bound them.
            if let (Where::One(consumer), Some(_)) = (&place, &def.identity) {
                let bound = sim.state().bound.get(consumer).is_some_and(|b| binds(b));
                if !bound {
                    return Err(not_served());
                }
            }
            let target = Target {
                def,
                place,
                only,
                read_only,
                null_when_empty: true,
            };
            serve_resource(sim, user, &target, &res, req).await
        }
    }
}

/// Where a claimed resource is read or written through the view: the consumers accepting the
/// claim (wildcard), or one consumer whose binding allows the verb (403 otherwise, as kcp's
/// binding authorizer).
fn claimed_place(
    sim: &Sim,
    user: &User,
    view: &kcp::View,
    claim: &kcp::Claim,
    place: Where,
    verb: &str,
    res: &ResPath,
) -> ApiResult<Where> {
    let state = sim.state();
    match place {
        Where::All { shard, .. } => Ok(Where::All {
            shard,
            clusters: Some(Arc::new(kcp::accepting_consumers(&state, &view.label, claim))),
        }),
        Where::One(consumer) if kcp::consumer_allows(&state, &consumer, &view.label, claim, verb) => {
            Ok(Where::One(consumer))
        }
        Where::One(_) => Err(forbidden(
            user,
            verb,
            Some(res),
            "failed to find suitable reason to allow access in APIBinding",
        )),
    }
}

fn not_served() -> ApiError {
    ApiError::new(
        404,
        "NotFound",
        "the server could not find the requested resource",
    )
}

fn matches_def(def: &ResourceDef, res: &ResPath) -> bool {
    def.group == res.group && def.version == res.version && def.plural == res.plural
}

pub(crate) fn cluster_def(sim: &Sim, cluster: &str, res: &ResPath) -> Option<Arc<ResourceDef>> {
    if let Some(d) = sim.builtins.iter().find(|d| matches_def(d, res)) {
        return Some(d.clone());
    }
    let state = sim.state();
    state
        .bound
        .get(cluster)?
        .iter()
        .map(|(_, d)| d)
        .find(|d| matches_def(d, res))
        .cloned()
}

fn wildcard_def(sim: &Sim, res: &ResPath) -> Option<Arc<ResourceDef>> {
    match res.plural.split_once(':') {
        None => sim.builtins.iter().find(|d| matches_def(d, res)).cloned(),
        Some((plural, identity)) => {
            let state = sim.state();
            state
                .bound
                .values()
                .flatten()
                .map(|(_, d)| d)
                .find(|d| {
                    d.group == res.group
                        && d.version == res.version
                        && d.plural == plural
                        && d.identity.as_deref() == Some(identity)
                })
                .cloned()
        }
    }
}

#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
async fn serve_resource(
    sim: &Arc<Sim>,
    user: &User,
    target: &Target,
    res: &ResPath,
    req: &Request,
) -> ApiResult<Response<Body>> {
    let def = &target.def;
    if def.namespaced != (res.namespace.is_some()) && !(def.namespaced && res.name.is_none()) {
        return Err(not_served());
    }
    if let Some(sub) = &res.sub
        && !(sub == "status" && def.status_subresource)
    {
        return Err(not_served());
    }
    let verb = req.verb.as_str();
    if target.read_only && !matches!(verb, "get" | "list" | "watch") {
        return Err(ApiError::method_not_allowed(format!(
            "the server does not allow this method on the requested resource: {verb}"
        )));
    }
    let form = negotiate(req.accept.as_deref())?;
    let cluster = match &target.place {
        Where::One(id) => Some(id.clone()),
        Where::All { .. } => None,
    };
    let ns = res.namespace.clone();
    match verb {
        "get" => {
            let name = res.name.as_deref().unwrap_or_default();
            let state = sim.state();
            let key: Key = (
                cluster.clone().unwrap_or_default(),
                ns.unwrap_or_default(),
                name.to_string(),
            );
            let obj = state
                .get(&def.store_key(), &key)
                .filter(|o| target.only.as_ref().is_none_or(|s| s.matches(o)))
                .ok_or_else(|| ApiError::not_found(&def.group_resource(), name))?;
            Ok(respond(200, &render(def, form, obj)))
        }
        "list" => {
            list_options(req)?;
            check_list(sim, req)?;
            await_resource_version(sim, target_shard(sim, &target.place), req).await?;
            list(sim, target, ns.as_deref(), req, form)
        }
        "watch" => {
            let begin = watch_start(sim, req)?;
            if begin.waits {
                await_resource_version(sim, target_shard(sim, &target.place), req).await?;
            }
            watch(sim, target, ns, req, form, begin)
        }
        "create" => {
            let strict = Strictness::from_query(&req.query)?;
            let body = parse_body(req)?;
            let cluster = cluster.ok_or_else(not_served)?;
            let (obj, warnings) = create(
                sim,
                user,
                def,
                &cluster,
                ns.as_deref(),
                body,
                strict,
                dry_run(req),
            )?;
            Ok(with_warnings(respond(201, &render(def, form, &obj)), &warnings))
        }
        "update" => {
            let strict = Strictness::from_query(&req.query)?;
            let body = parse_body(req)?;
            let cluster = cluster.ok_or_else(not_served)?;
            let name = res.name.as_deref().unwrap_or_default();
            let is_status = res.sub.is_some();
            let (obj, warnings) = update(
                sim,
                user,
                def,
                &cluster,
                ns.as_deref(),
                name,
                body,
                is_status,
                strict,
                dry_run(req),
                true,
            )?;
            Ok(with_warnings(respond(200, &render(def, form, &obj)), &warnings))
        }
        "patch" => {
            let strict = Strictness::from_query(&req.query)?;
            let cluster = cluster.ok_or_else(not_served)?;
            let name = res.name.as_deref().unwrap_or_default();
            let (code, obj, warnings) = patch_object(
                sim,
                user,
                def,
                &cluster,
                ns.as_deref(),
                name,
                res.sub.is_some(),
                req,
                strict,
            )?;
            Ok(with_warnings(respond(code, &render(def, form, &obj)), &warnings))
        }
        "delete" => {
            let cluster = cluster.ok_or_else(not_served)?;
            let name = res.name.as_deref().unwrap_or_default();
            let options: Value = if req.body.is_empty() {
                json!({})
            } else {
                parse_body(req)?
            };
            let obj = delete(
                sim,
                def,
                &cluster,
                ns.as_deref(),
                name,
                &options["preconditions"],
                dry_run(req),
            )?;
            Ok(respond(200, &render(def, form, &obj)))
        }
        _ => Err(ApiError::method_not_allowed(format!(
            "the server does not allow this method on the requested resource: {verb}"
        ))),
    }
}

fn dry_run(req: &Request) -> bool {
    req.query.get("dryRun").is_some_and(|v| v == "All")
}

const PROTOBUF: &str = "application/vnd.kubernetes.protobuf";
/// What a create or update body may be: the apiserver's list for built-in kinds, and for
/// custom resources (no protobuf).
const BODY_TYPES: &str = "application/json, application/yaml, application/vnd.kubernetes.protobuf";
const BODY_TYPES_CUSTOM: &str = "application/json, application/yaml";

fn parse_body(req: &Request) -> ApiResult<Value> {
    let ct = req.content_type.split(';').next().unwrap_or("").trim();
    let parsed = if ct.contains("yaml") {
        let text =
            std::str::from_utf8(&req.body).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
        serde_saphyr::from_str::<Value>(text).map_err(|e| e.to_string())
    } else if ct.is_empty() || ct.contains("json") {
        serde_json::from_slice::<Value>(&req.body).map_err(|e| e.to_string())
    } else if ct == PROTOBUF {
        // kubectl and controller-runtime send built-in kinds as protobuf; kcp decodes them as
        // any apiserver does. (Events have their own table, with protobuf's timestamps.)
        if let Some(event) = crate::protobuf::decode(&req.body) {
            return Ok(event);
        }
        return crate::proto::decode(&req.body).map_err(|e| match e {
            crate::proto::Error::Malformed(m) => {
                ApiError::bad_request(format!("the body of the request could not be decoded: {m}"))
            }
            crate::proto::Error::NotBuiltIn => ApiError::unsupported_media_type(ct, BODY_TYPES_CUSTOM),
        });
    } else {
        return Err(ApiError::unsupported_media_type(ct, BODY_TYPES));
    };
    parsed.map_err(|e| ApiError::bad_request(format!("the body of the request could not be decoded: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scopes_parse() {
        assert_eq!(
            parse_scope("/clusters/root:espw/apis/x/v1/y").0,
            Scope::Cluster("root:espw".into())
        );
        let (s, rest) = parse_scope("/services/apiexport/abc/edge.kubestellar.io/clusters/*/apis/g/v/r");
        assert_eq!(
            s,
            Scope::View {
                shard: 0,
                export_cluster: "abc".into(),
                export_name: "edge.kubestellar.io".into(),
                consumer: "*".into()
            }
        );
        assert_eq!(rest, segs(&["apis", "g", "v", "r"]));
        let (s, _) = parse_scope("/shards/1/services/apiexport/abc/e/clusters/x/api");
        assert!(matches!(s, Scope::View { shard: 1, .. }));
        assert_eq!(parse_scope("/version").0, Scope::Base);
    }

    #[test]
    fn resource_paths_parse() {
        let r = parse_resource(&segs(&["api", "v1", "namespaces", "default", "configmaps", "x"])).unwrap();
        assert_eq!(
            (r.namespace.as_deref(), r.plural.as_str(), r.name.as_deref()),
            (Some("default"), "configmaps", Some("x"))
        );
        let r = parse_resource(&segs(&["api", "v1", "namespaces", "default", "status"])).unwrap();
        assert_eq!(
            (r.plural.as_str(), r.name.as_deref(), r.sub.as_deref()),
            ("namespaces", Some("default"), Some("status"))
        );
        let r = parse_resource(&segs(&["apis", "tenancy.kcp.io", "v1alpha1", "workspaces"])).unwrap();
        assert_eq!((r.group.as_str(), r.name), ("tenancy.kcp.io", None));
        assert!(parse_resource(&segs(&["apis", "tenancy.kcp.io"])).is_none());
    }

    #[test]
    fn cluster_paths_validate() {
        assert!(valid_cluster_path("root:espw"));
        assert!(valid_cluster_path("abc123"));
        assert!(!valid_cluster_path("root::x"));
        assert!(!valid_cluster_path("Root"));
    }
}
