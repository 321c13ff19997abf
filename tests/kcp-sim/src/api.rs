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

// ---------------------------------------------------------------------------------------
// Where a request goes

/// The part of the URL before the API path.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
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

pub fn parse_scope(path: &str) -> (Scope, Vec<String>) {
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
pub struct ResPath {
    pub group: String,
    pub version: String,
    /// `synctargets`, or `synctargets:<identity>` on the wildcard.
    pub plural: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub sub: Option<String>,
}

pub fn parse_resource(rest: &[String]) -> Option<ResPath> {
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
pub fn valid_cluster_path(p: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re =
        RE.get_or_init(|| regex::Regex::new(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$").expect("literal regex"));
    !p.is_empty() && p.split(':').all(|s| re.is_match(s))
}

/// Which shard holds a logical cluster (root is on shard 0).
pub fn shard_of(sim: &Sim, cluster: &str) -> usize {
    if sim.config.shards <= 1 || cluster == "root" {
        return 0;
    }
    cluster
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
        % sim.config.shards
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

pub fn respond(code: u16, value: &Value) -> Response<Body> {
    respond_bytes(code, serde_json::to_vec(value).unwrap_or_default())
}

fn respond_bytes(code: u16, body: Vec<u8>) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("Content-Type", "application/json")
        .body(full(body))
        .expect("static response parts")
}

pub fn error_response(e: &ApiError) -> Response<Body> {
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

pub async fn handle(sim: Arc<Sim>, req: hyper::Request<Incoming>, tls: bool) -> Response<Body> {
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
    let logged = sim.log(parts.method.as_str(), &path, parts.uri.query());
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
            Some("version") if rest.len() == 1 => return respond(200, &discovery::version()),
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

    let token = parts
        .headers
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let Some(user) = sim.user_for(token.as_deref(), tls) else {
        return error_response(&ApiError::unauthorized());
    };
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

pub struct Request {
    pub query: HashMap<String, String>,
    pub accept: Option<String>,
    pub content_type: String,
    pub body: Bytes,
    pub verb: String,
}

/// Where objects are read and written.
#[derive(Debug, Clone)]
pub enum Where {
    One(String),
    /// Every logical cluster (on `shard`, for a view), optionally only objects matching `only`.
    All {
        shard: Option<usize>,
    },
}

pub struct Target {
    pub def: Arc<ResourceDef>,
    pub place: Where,
    /// A label requirement the caller cannot see past (the view's APIBindings).
    pub only: Option<LabelSelector>,
    pub read_only: bool,
    /// kcp's export views answer an empty list with `"items": null`.
    pub null_when_empty: bool,
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
            let def = wildcard_def(sim, &res).ok_or_else(not_served)?;
            let target = Target {
                def,
                place: Where::All { shard: None },
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
                if res.is_some() && !matches!(verb, "list" | "watch") {
                    return Err(ApiError::method_not_allowed(format!(
                        "the server does not allow this method on the requested resource: {verb}"
                    )));
                }
                Where::All { shard: Some(shard) }
            } else {
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
            let (def, only, read_only) = view.resolve(&res).ok_or_else(not_served)?;
            // kcp v0.11: the wildcard serves an exported resource only once a consumer on
            // this shard has bound it (404 before, as the shard has no such resource yet).
            if let (Where::All { .. }, Some(_)) = (&place, &def.identity) {
                let consumers: Vec<String> = sim
                    .state()
                    .bound
                    .iter()
                    .filter(|(_, b)| b.iter().any(|(_, d)| d.store_key() == def.store_key()))
                    .map(|(c, _)| c.clone())
                    .collect();
                if !consumers.iter().any(|c| shard_of(sim, c) == shard) {
                    return Err(not_served());
                }
            }
            // The view forwards to the consumer's logical cluster, which serves the export's
            // resources only if it has bound them.
            if let (Where::One(consumer), Some(_)) = (&place, &def.identity) {
                let bound = sim
                    .state()
                    .bound
                    .get(consumer)
                    .is_some_and(|b| b.iter().any(|(_, d)| d.store_key() == def.store_key()));
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

pub fn cluster_def(sim: &Sim, cluster: &str, res: &ResPath) -> Option<Arc<ResourceDef>> {
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
            await_resource_version(sim, req).await?;
            list(sim, target, ns.as_deref(), req, form)
        }
        "watch" => watch(sim, target, ns, req, form),
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

fn parse_body(req: &Request) -> ApiResult<Value> {
    let ct = req.content_type.split(';').next().unwrap_or("").trim();
    let parsed = if ct.contains("yaml") {
        let text =
            std::str::from_utf8(&req.body).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
        serde_saphyr::from_str::<Value>(text).map_err(|e| e.to_string())
    } else if ct.is_empty() || ct.contains("json") {
        serde_json::from_slice::<Value>(&req.body).map_err(|e| e.to_string())
    } else {
        return Err(ApiError::unsupported_media_type(ct));
    };
    parsed.map_err(|e| ApiError::bad_request(format!("the body of the request could not be decoded: {e}")))
}

// ---------------------------------------------------------------------------------------
// list and watch

fn selectors(req: &Request, target: &Target) -> ApiResult<(LabelSelector, FieldSelector)> {
    let mut labels = LabelSelector::parse(req.query.get("labelSelector").map(String::as_str).unwrap_or(""))
        .map_err(ApiError::bad_request)?;
    if let Some(only) = &target.only {
        labels = labels.and(only.clone());
    }
    let fields = FieldSelector::parse(req.query.get("fieldSelector").map(String::as_str).unwrap_or(""))
        .map_err(ApiError::bad_request)?;
    Ok((labels, fields))
}

fn in_place(sim: &Sim, place: &Where, key: &Key) -> bool {
    match place {
        Where::One(id) => &key.0 == id,
        Where::All { shard: None } => true,
        Where::All { shard: Some(s) } => shard_of(sim, &key.0) == *s,
    }
}

/// The apiserver's checks of a list's `resourceVersion` and `resourceVersionMatch` (422).
fn list_options(req: &Request) -> ApiResult<()> {
    let rv = req.query.get("resourceVersion").map(String::as_str).unwrap_or("");
    let Some(rvm) = req.query.get("resourceVersionMatch").filter(|m| !m.is_empty()) else {
        return Ok(());
    };
    let why = if rv.is_empty() {
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"
            .to_string()
    } else if rvm == "Exact" && rv == "0" {
        "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""
            .to_string()
    } else if rvm != "Exact" && rvm != "NotOlderThan" {
        format!(
            "resourceVersionMatch: Unsupported value: {rvm:?}: supported values: \"Exact\", \"NotOlderThan\", \"\""
        )
    } else {
        return Ok(());
    };
    Err(ApiError::new(
        422,
        "Invalid",
        format!("ListOptions.meta.k8s.io \"\" is invalid: {why}"),
    )
    .with_details(json!({"group": "meta.k8s.io", "kind": "ListOptions", "causes": [
        {"reason": "FieldValueForbidden", "message": why, "field": "resourceVersionMatch"}]})))
}

/// A list at a resourceVersion the server has not reached waits for it a while, then is 504
/// "Too large resource version", as from the apiserver's watch cache.
async fn await_resource_version(sim: &Arc<Sim>, req: &Request) -> ApiResult<()> {
    let Some(want) = req
        .query
        .get("resourceVersion")
        .and_then(|rv| rv.parse::<u64>().ok())
    else {
        return Ok(());
    };
    let deadline = tokio::time::Instant::now() + sim.config.future_rv_wait;
    let mut changes = sim.state().subscribe();
    loop {
        let current = sim.state().rv;
        if want <= current {
            return Ok(());
        }
        let woke = tokio::time::timeout_at(deadline, changes.recv()).await;
        if matches!(
            woke,
            Err(_) | Ok(Err(tokio::sync::broadcast::error::RecvError::Closed))
        ) {
            return Err(ApiError {
                retry_after: Some(1),
                ..ApiError::new(
                    504,
                    "Timeout",
                    format!("Too large resource version: {want}, current: {current}"),
                )
                .with_details(json!({"retryAfterSeconds": 1, "causes": [
                    {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}]}))
            });
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ContinueToken {
    rv: u64,
    cluster: String,
    namespace: String,
    name: String,
}

fn list(
    sim: &Arc<Sim>,
    target: &Target,
    ns: Option<&str>,
    req: &Request,
    form: Form,
) -> ApiResult<Response<Body>> {
    use base64::Engine;
    let def = &target.def;
    let (labels, fields) = selectors(req, target)?;
    let limit: usize = match req.query.get("limit").map(|l| l.parse::<i64>()) {
        None => 0,
        Some(Ok(n)) if n >= 0 => n as usize,
        Some(_) => return Err(ApiError::bad_request("limit must be a non-negative integer")),
    };
    let after: Option<ContinueToken> = match req.query.get("continue").filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => {
            let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(c)
                .map_err(|_| ApiError::bad_request("invalid continue token"))?;
            Some(serde_json::from_slice(&raw).map_err(|_| ApiError::bad_request("invalid continue token"))?)
        }
    };
    let state = sim.state();
    if let Some(t) = &after
        && t.rv + 1 < state.floor
    {
        return Err(ApiError::expired(
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        ));
    }
    let list_rv = after.as_ref().map(|t| t.rv).unwrap_or(state.rv);
    let cluster = match &target.place {
        Where::One(id) => Some(id.as_str()),
        Where::All { .. } => None,
    };
    let start: Option<Key> = after.map(|t| (t.cluster, t.namespace, t.name));
    let mut items: Vec<Arc<Value>> = Vec::new();
    let mut next: Option<Key> = None;
    let mut remaining = 0u64;
    for (key, obj) in state.list(&def.store_key(), cluster, ns) {
        if start.as_ref().is_some_and(|s| key <= s) || !in_place(sim, &target.place, key) {
            continue;
        }
        if !labels.matches(obj) || !fields.matches(obj) {
            continue;
        }
        if limit > 0 && items.len() == limit {
            remaining += 1;
            continue;
        }
        items.push(obj.clone());
        next = Some(key.clone());
    }
    let mut meta = json!({"resourceVersion": list_rv.to_string()});
    if remaining > 0
        && let Some((c, n, m)) = next
    {
        let token = ContinueToken {
            rv: list_rv,
            cluster: c,
            namespace: n,
            name: m,
        };
        meta["continue"] = json!(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&token).unwrap_or_default())
        );
        meta["remainingItemCount"] = json!(remaining);
    }
    drop(state);
    let body = match form {
        Form::Table => table::table(def, items.iter().map(|o| o.as_ref()), meta),
        Form::Metadata if items.is_empty() && target.null_when_empty => json!({
            "kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": meta,
            "items": null,
        }),
        Form::Metadata => json!({
            "kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": meta,
            "items": items.iter().map(|o| partial(o)).collect::<Vec<_>>(),
        }),
        Form::Json => {
            // Serialized straight from the stored objects: a 10,000-item list is not copied.
            #[derive(serde::Serialize)]
            struct List<'a> {
                kind: &'a str,
                #[serde(rename = "apiVersion")]
                api_version: String,
                metadata: Value,
                items: Option<Vec<&'a Value>>,
            }
            // APIExports written in another version are converted (kcp v0.28+ serves two).
            let converted: Vec<std::borrow::Cow<Value>> =
                items.iter().map(|o| crate::newest::as_served(def, o)).collect();
            let list = List {
                kind: &def.list_kind,
                api_version: def.api_version(),
                metadata: meta,
                items: (!(items.is_empty() && target.null_when_empty))
                    .then(|| converted.iter().map(|o| o.as_ref()).collect()),
            };
            return Ok(respond_bytes(200, serde_json::to_vec(&list).unwrap_or_default()));
        }
    };
    Ok(respond(200, &body))
}

struct WatchFilter {
    store_key: String,
    place: Where,
    namespace: Option<String>,
    labels: LabelSelector,
    fields: FieldSelector,
}

impl WatchFilter {
    fn selects(&self, obj: &Value) -> bool {
        self.labels.matches(obj) && self.fields.matches(obj)
    }

    /// The event to send for a change, if any (selection changes become ADDED/DELETED).
    fn translate(&self, sim: &Sim, e: &crate::store::Event) -> Option<&'static str> {
        if e.store_key != self.store_key || !in_place(sim, &self.place, &e.key) {
            return None;
        }
        if self.namespace.as_ref().is_some_and(|ns| ns != &e.key.1) {
            return None;
        }
        let now = self.selects(&e.object);
        match e.kind {
            EventKind::Added => now.then_some("ADDED"),
            EventKind::Deleted => e
                .prev
                .as_ref()
                .is_some_and(|p| self.selects(p))
                .then_some("DELETED"),
            EventKind::Modified => {
                let before = e.prev.as_ref().is_some_and(|p| self.selects(p));
                match (before, now) {
                    (true, true) => Some("MODIFIED"),
                    (false, true) => Some("ADDED"),
                    (true, false) => Some("DELETED"),
                    (false, false) => None,
                }
            }
        }
    }
}

fn event_line(def: &ResourceDef, form: Form, type_: &str, object: &Value) -> Bytes {
    let mut line =
        serde_json::to_vec(&json!({"type": type_, "object": render(def, form, object)})).unwrap_or_default();
    line.push(b'\n');
    Bytes::from(line)
}

fn expired_status(rv: u64, floor: u64) -> ApiError {
    ApiError::expired(format!(
        "too old resource version: {rv} ({})",
        floor.saturating_sub(1)
    ))
}

fn watch(
    sim: &Arc<Sim>,
    target: &Target,
    ns: Option<String>,
    req: &Request,
    form: Form,
) -> ApiResult<Response<Body>> {
    let def = target.def.clone();
    let (labels, fields) = selectors(req, target)?;
    let filter = WatchFilter {
        store_key: def.store_key(),
        place: target.place.clone(),
        namespace: ns,
        labels,
        fields,
    };
    let allow_bookmarks = is_true(req.query.get("allowWatchBookmarks"));
    let timeout = req
        .query
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map(Duration::from_secs);
    let from: Option<u64> = match req.query.get("resourceVersion").map(String::as_str) {
        None | Some("") | Some("0") => None,
        Some(rv) => Some(
            rv.parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version {rv:?}")))?,
        ),
    };
    let expired_as_status = sim
        .faults
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .expired_as_status;

    let mut initial: Vec<Bytes> = Vec::new();
    let (mut rx, start_rv) = {
        let state = sim.state();
        let rx = state.subscribe();
        match from {
            None => {
                let cluster = match &filter.place {
                    Where::One(id) => Some(id.as_str()),
                    Where::All { .. } => None,
                };
                for (key, obj) in state.list(&filter.store_key, cluster, filter.namespace.as_deref()) {
                    if in_place(sim, &filter.place, key) && filter.selects(obj) {
                        initial.push(event_line(&def, form, "ADDED", obj));
                    }
                }
            }
            Some(rv) => match state.events_since(&filter.store_key, rv) {
                Ok(events) => {
                    for e in events {
                        if let Some(t) = filter.translate(sim, &e) {
                            initial.push(event_line(&def, form, t, &e.object));
                        }
                    }
                }
                Err(floor) if expired_as_status => return Err(expired_status(rv, floor)),
                Err(floor) => {
                    let mut line = serde_json::to_vec(
                        &json!({"type": "ERROR", "object": expired_status(rv, floor).to_status()}),
                    )
                    .unwrap_or_default();
                    line.push(b'\n');
                    let stream =
                        futures::stream::iter(vec![Ok::<_, Infallible>(Frame::data(Bytes::from(line)))]);
                    return Ok(streaming(StreamBody::new(stream)));
                }
            },
        }
        (rx, state.rv)
    };

    let (tx, body_rx) = tokio::sync::mpsc::channel::<Bytes>(1024);
    let mut stop = sim.watch_epoch.subscribe();
    stop.mark_unchanged();
    let sim = sim.clone();
    let interval = sim.config.bookmark_interval;
    tokio::spawn(async move {
        for line in initial {
            if tx.send(line).await.is_err() {
                return;
            }
        }
        let mut last_rv = start_rv;
        let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        loop {
            let line = tokio::select! {
                ev = rx.recv() => match ev {
                    Ok(e) => {
                        last_rv = last_rv.max(e.rv);
                        match filter.translate(&sim, &e) {
                            Some(t) => event_line(&def, form, t, &e.object),
                            None => continue,
                        }
                    }
                    // Fell too far behind, or the server is stopping: end the watch; the
                    // client resumes from the last resourceVersion it saw.
                    Err(_) => return,
                },
                _ = ticker.tick(), if allow_bookmarks => {
                    let mut line = serde_json::to_vec(&json!({"type": "BOOKMARK", "object": {
                        "kind": def.kind, "apiVersion": def.api_version(),
                        "metadata": {"resourceVersion": last_rv.to_string()},
                    }})).unwrap_or_default();
                    line.push(b'\n');
                    Bytes::from(line)
                }
                _ = async { match deadline { Some(d) => tokio::time::sleep_until(d).await, None => std::future::pending().await } } => return,
                _ = stop.changed() => return,
                _ = tx.closed() => return,
            };
            if tx.send(line).await.is_err() {
                return;
            }
        }
    });
    let stream = futures::stream::unfold(body_rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<_, Infallible>(Frame::data(b)), rx))
    });
    Ok(streaming(StreamBody::new(stream)))
}

fn streaming<S>(body: StreamBody<S>) -> Response<Body>
where
    S: futures::Stream<Item = Result<Frame<Bytes>, Infallible>> + Send + Sync + 'static,
{
    Response::builder()
        .status(200)
        .header("Content-Type", "application/json")
        .header("Transfer-Encoding", "chunked")
        .body(BodyExt::boxed(body))
        .expect("static response parts")
}

// ---------------------------------------------------------------------------------------
// writes

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Strictness {
    Strict,
    Warn,
    Ignore,
}

impl Strictness {
    fn from_query(q: &HashMap<String, String>) -> ApiResult<Strictness> {
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

fn name_errors(def: &ResourceDef, name: &str) -> Vec<(String, String)> {
    // DNS-1123 subdomain, the default for custom resources; stricter schemas add their own.
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
            .expect("literal regex")
    });
    let mut errs = Vec::new();
    if name.len() > 253 || !re.is_match(name) {
        errs.push((
            "metadata.name".to_string(),
            format!("Invalid value: {name:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        ));
    }
    let _ = def;
    errs
}

/// Defaulting, pruning and validation shared by create and update.
fn check(
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
    Ok(warnings)
}

/// ObjectMeta validation: label keys and values, annotation keys (all types, as the apiserver).
fn metadata_errors(def: &ResourceDef, obj: &Value, name: &str) -> ApiResult<()> {
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

fn check_kind(def: &ResourceDef, obj: &Value) -> ApiResult<()> {
    let kind = obj["kind"].as_str().unwrap_or("");
    let api_version = obj["apiVersion"].as_str().unwrap_or("");
    if kind.is_empty() {
        return Err(ApiError::bad_request(
            "Object 'Kind' is missing in the request body",
        ));
    }
    if kind != def.kind || api_version != def.api_version() {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({api_version}) does not match the expected API version ({}) or the kind ({kind}) does not match {}",
            def.api_version(),
            def.kind
        )));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn create(
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
    Ok(((*stored).clone(), warnings))
}

fn strip_kcp_annotation(v: &mut Value) {
    if let Some(a) = v["metadata"]["annotations"].as_object_mut() {
        a.remove("kcp.io/cluster");
    }
}

#[allow(clippy::too_many_arguments)]
pub fn update(
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
    let key: Key = (
        cluster.to_string(),
        ns.unwrap_or_default().to_string(),
        name.to_string(),
    );
    let old = state
        .get(&def.store_key(), &key)
        .cloned()
        .ok_or_else(|| ApiError::not_found(&def.group_resource(), name))?;
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
    Ok(((*result).clone(), warnings))
}

#[allow(clippy::too_many_arguments)]
fn patch_object(
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
    let patch_body = parse_body(req)?;
    let mut doc = match (existing, ct.as_str()) {
        (Some(o), _) => crate::newest::as_served(def, &o).into_owned(),
        (None, "application/apply-patch+yaml") => {
            if !req.query.contains_key("fieldManager") {
                return Err(ApiError::bad_request(
                    "PATCH requests with apply content type require a fieldManager",
                ));
            }
            let mut obj = patch_body;
            obj["metadata"]["name"] = json!(name);
            let (o, w) = create(sim, user, def, cluster, ns, obj, strict, dry_run(req))?;
            return Ok((201, o, w));
        }
        (None, _) => return Err(ApiError::not_found(&def.group_resource(), name)),
    };
    let rv_before = doc["metadata"]["resourceVersion"].clone();
    match ct.as_str() {
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
                return Err(ApiError::bad_request(
                    "PATCH requests with apply content type require a fieldManager",
                ));
            }
            patch::apply_merge(&mut doc, &patch_body)
        }
        // Custom resources have no strategic merge patch, and kcp's types are all CRDs.
        other => return Err(ApiError::unsupported_media_type(other)),
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
fn precondition(
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

pub fn delete(
    sim: &Arc<Sim>,
    def: &Arc<ResourceDef>,
    cluster: &str,
    ns: Option<&str>,
    name: &str,
    preconditions: &Value,
    dry_run: bool,
) -> ApiResult<Value> {
    let mut state = sim.state();
    let key: Key = (
        cluster.to_string(),
        ns.unwrap_or_default().to_string(),
        name.to_string(),
    );
    let old = state
        .get(&def.store_key(), &key)
        .cloned()
        .ok_or_else(|| ApiError::not_found(&def.group_resource(), name))?;
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
    Ok(result)
}

/// Mark for deletion (finalizers pending) or remove, as the generic registry does.
pub fn delete_generic(state: &mut State, def: &ResourceDef, key: &Key, old: &Arc<Value>) -> Value {
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

// ---------------------------------------------------------------------------------------
// In-process API for tests' set-up and the admin endpoints

fn admin_user() -> User {
    User {
        name: "kcp-admin",
        role: Role::Admin,
    }
}

fn internal_def(sim: &Sim, cluster: &str, api_version: &str, plural: &str) -> Option<Arc<ResourceDef>> {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let res = ResPath {
        group: group.into(),
        version: version.into(),
        plural: plural.into(),
        namespace: None,
        name: None,
        sub: None,
    };
    cluster_def(sim, cluster, &res)
}

fn resolve_id(sim: &Sim, path: &str) -> ApiResult<String> {
    sim.state()
        .resolve(path)
        .map(|c| c.id.clone())
        .ok_or_else(|| ApiError::forbidden(format!("logical cluster {path} not found")))
}

pub fn create_internal(sim: &Arc<Sim>, path: &str, object: Value) -> ApiResult<Value> {
    let id = resolve_id(sim, path)?;
    let api_version = object["apiVersion"].as_str().unwrap_or("").to_string();
    let kind = object["kind"].as_str().unwrap_or("").to_string();
    let def = {
        let state = sim.state();
        let bound: Vec<Arc<ResourceDef>> = state
            .bound
            .get(&id)
            .map(|b| b.iter().map(|(_, d)| d.clone()).collect())
            .unwrap_or_default();
        sim.builtins
            .iter()
            .chain(bound.iter())
            .find(|d| d.kind == kind && d.api_version() == api_version)
            .cloned()
    }
    .ok_or_else(not_served)?;
    let ns = object["metadata"]["namespace"].as_str().map(String::from);
    create(
        sim,
        &admin_user(),
        &def,
        &id,
        ns.as_deref(),
        object,
        Strictness::Strict,
        false,
    )
    .map(|(o, _)| o)
}

pub fn get_internal(
    sim: &Sim,
    path: &str,
    api_version: &str,
    plural: &str,
    ns: Option<&str>,
    name: &str,
) -> Option<Value> {
    let id = resolve_id(sim, path).ok()?;
    let def = internal_def(sim, &id, api_version, plural)?;
    let state = sim.state();
    state
        .get(
            &def.store_key(),
            &(id, ns.unwrap_or_default().to_string(), name.to_string()),
        )
        .map(|o| crate::newest::as_served(&def, o).into_owned())
}

pub fn list_internal(sim: &Sim, path: &str, api_version: &str, plural: &str) -> Vec<Value> {
    let Ok(id) = resolve_id(sim, path) else {
        return vec![];
    };
    let Some(def) = internal_def(sim, &id, api_version, plural) else {
        return vec![];
    };
    let state = sim.state();
    state
        .list(&def.store_key(), Some(&id), None)
        .map(|(_, o)| crate::newest::as_served(&def, o).into_owned())
        .collect()
}

/// Store an object exactly as given (metadata included; only the resourceVersion and
/// `kcp.io/cluster` are set), bypassing admission and validation: for tests that need what
/// a correct server never produces, such as a UID that is no UUID.
pub fn put_raw_internal(
    sim: &Arc<Sim>,
    path: &str,
    api_version: &str,
    plural: &str,
    mut object: Value,
) -> ApiResult<()> {
    let id = resolve_id(sim, path)?;
    let def = internal_def(sim, &id, api_version, plural).ok_or_else(not_served)?;
    let name = object["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let ns = object["metadata"]["namespace"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    object["metadata"]["annotations"]["kcp.io/cluster"] = json!(id);
    sim.state().put(&def.store_key(), (id, ns, name), object);
    Ok(())
}

pub fn delete_internal(
    sim: &Arc<Sim>,
    path: &str,
    api_version: &str,
    plural: &str,
    name: &str,
) -> ApiResult<()> {
    let id = resolve_id(sim, path)?;
    let def = internal_def(sim, &id, api_version, plural).ok_or_else(not_served)?;
    delete(sim, &def, &id, None, name, &Value::Null, false).map(|_| ())
}

pub fn bootstrap(sim: &Arc<Sim>) {
    kcp::bootstrap(sim);
}

/// `/kcp-sim/...`: faults, counters and the restart, for tests and benchmarks driving the binary.
fn admin(
    sim: &Arc<Sim>,
    parts: &hyper::http::request::Parts,
    rest: &str,
    body: &[u8],
    tls: bool,
) -> Response<Body> {
    let token = parts
        .headers
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "));
    match sim.user_for(token, tls) {
        Some(u) if u.role != Role::ReadOnly => {}
        Some(_) => return error_response(&ApiError::forbidden("the kcp-sim admin API is for admins")),
        None => return error_response(&ApiError::unauthorized()),
    }
    let query = parse_query(parts.uri.query());
    match (parts.method.clone(), rest) {
        (Method::GET, "requests") => {
            let counts = sim.counters.lock().unwrap_or_else(|p| p.into_inner()).clone();
            respond(
                200,
                &json!({"total": counts.total, "byVerb": counts.by_verb(), "byKey": counts.by_key}),
            )
        }
        (Method::DELETE, "requests") => {
            *sim.counters.lock().unwrap_or_else(|p| p.into_inner()) = Default::default();
            sim.log.lock().unwrap_or_else(|p| p.into_inner()).clear();
            respond(200, &json!({}))
        }
        (Method::GET, "faults") => respond(
            200,
            &serde_json::to_value(sim.faults.lock().unwrap_or_else(|p| p.into_inner()).clone())
                .unwrap_or_default(),
        ),
        (Method::PUT, "faults") => match serde_json::from_slice::<crate::Faults>(body) {
            Ok(f) => {
                *sim.faults.lock().unwrap_or_else(|p| p.into_inner()) = f.clone();
                respond(200, &serde_json::to_value(f).unwrap_or_default())
            }
            Err(e) => error_response(&ApiError::bad_request(format!("faults: {e}"))),
        },
        (Method::POST, "drop-watches") => {
            sim.watch_epoch.send_modify(|e| *e += 1);
            respond(200, &json!({}))
        }
        (Method::POST, "compact") => {
            sim.state().compact();
            respond(200, &json!({"floor": sim.state().floor}))
        }
        (Method::POST, "refuse") => {
            let secs: f64 = query.get("seconds").and_then(|s| s.parse().ok()).unwrap_or(3.0);
            crate::http::refuse(sim, Duration::from_secs_f64(secs));
            respond(200, &json!({}))
        }
        (Method::GET, "stats") => {
            let state = sim.state();
            respond(
                200,
                &json!({"objects": state.object_count(), "clusters": state.clusters.len(), "resourceVersion": state.rv}),
            )
        }
        _ => error_response(&ApiError::new(
            404,
            "NotFound",
            format!("kcp-sim admin API has no {} /kcp-sim/{rest}", parts.method),
        )),
    }
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
