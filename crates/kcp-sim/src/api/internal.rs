//! The same API in process, for tests' set-up, and the /kcp-sim admin endpoints.

use super::*;

// ---------------------------------------------------------------------------------------
// In-process API for tests' set-up and the admin endpoints

pub(super) fn admin_user() -> User {
    User {
        name: "kcp-admin".into(),
        role: Role::Admin,
    }
}

pub(super) fn internal_def(
    sim: &Sim,
    cluster: &str,
    api_version: &str,
    plural: &str,
) -> Option<Arc<ResourceDef>> {
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

pub(super) fn resolve_id(sim: &Sim, path: &str) -> ApiResult<String> {
    sim.state()
        .resolve(path)
        .map(|c| c.id.clone())
        .ok_or_else(|| ApiError::forbidden(format!("logical cluster {path} not found")))
}

pub(crate) fn create_internal(sim: &Arc<Sim>, path: &str, object: Value) -> ApiResult<Value> {
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

pub(crate) fn get_internal(
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

pub(crate) fn list_internal(sim: &Sim, path: &str, api_version: &str, plural: &str) -> Vec<Value> {
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
pub(crate) fn put_raw_internal(
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

pub(crate) fn delete_internal(
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

pub(crate) fn bootstrap(sim: &Arc<Sim>) {
    kcp::bootstrap(sim);
}

/// `/kcp-sim/...`: faults, counters and the restart, for tests and benchmarks driving the binary.
pub(super) fn admin(
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
        // The request log without bodies: what a test of the binary shows a client sent.
        (Method::GET, "log") => {
            let log = sim.log.lock().unwrap_or_else(|p| p.into_inner());
            let items: Vec<Value> = log
                .iter()
                .map(|r| json!({"method": r.method, "path": r.path, "query": r.query, "user": r.user, "userAgent": r.user_agent}))
                .collect();
            respond(200, &json!({"items": items}))
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
            let floors = sim.state().compact();
            respond(200, &json!({"floor": floors[0], "floors": floors}))
        }
        (Method::POST, "refuse") => {
            let secs: f64 = query.get("seconds").and_then(|s| s.parse().ok()).unwrap_or(3.0);
            crate::http::refuse(sim, Duration::from_secs_f64(secs));
            respond(200, &json!({}))
        }
        (Method::GET, "stats") => {
            let state = sim.state();
            let rvs: Vec<u64> = (0..state.shard_count()).map(|s| state.rv(s)).collect();
            respond(
                200,
                &json!({"objects": state.object_count(), "clusters": state.clusters.len(), "resourceVersion": rvs[0], "resourceVersions": rvs}),
            )
        }
        _ => error_response(&ApiError::new(
            404,
            "NotFound",
            format!("kcp-sim admin API has no {} /kcp-sim/{rest}", parts.method),
        )),
    }
}
