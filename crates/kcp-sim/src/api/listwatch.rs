//! Lists (pages, selectors, resourceVersion rules) and watches (filters, bounded history, bookmarks).

use super::*;

// ---------------------------------------------------------------------------------------
// list and watch

pub(super) fn selectors(req: &Request, target: &Target) -> ApiResult<(LabelSelector, FieldSelector)> {
    let mut labels = LabelSelector::parse(req.query.get("labelSelector").map(String::as_str).unwrap_or(""))
        .map_err(ApiError::bad_request)?;
    if let Some(only) = &target.only {
        labels = labels.and(only.clone());
    }
    let fields = FieldSelector::parse(req.query.get("fieldSelector").map(String::as_str).unwrap_or(""))
        .map_err(ApiError::bad_request)?;
    Ok((labels, fields))
}

pub(super) fn in_place(sim: &Sim, place: &Where, key: &Key) -> bool {
    match place {
        Where::One(id) => &key.0 == id,
        Where::All { shard, clusters } => {
            shard.is_none_or(|s| shard_of(sim, &key.0) == s)
                && clusters.as_ref().is_none_or(|c| c.contains(&key.0))
        }
    }
}

/// The apiserver's checks of a list's `resourceVersion` and `resourceVersionMatch` (422).
pub(super) fn list_options(req: &Request) -> ApiResult<()> {
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

/// A list at a resourceVersion the server (the shard serving it) has not reached waits for
/// it a while, then is 504 "Too large resource version", as from the apiserver's watch cache.
pub(super) async fn await_resource_version(sim: &Arc<Sim>, shard: usize, req: &Request) -> ApiResult<()> {
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
        let current = sim.state().rv(shard);
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
                    format!("Timeout: Too large resource version: {want}, current: {current}"),
                )
                .with_details(json!({"retryAfterSeconds": 1, "causes": [
                    {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}]}))
            });
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct ContinueToken {
    rv: u64,
    cluster: String,
    namespace: String,
    name: String,
    /// Items the earlier pages returned, and how many the first page counted in all: the
    /// remaining count of a later page is their difference, not a scan of the rest (which
    /// made a paged list of N objects cost N²/page).
    #[serde(default)]
    returned: u64,
    #[serde(default)]
    total: Option<u64>,
}

#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
pub(super) fn list(
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
    let shard = target_shard(sim, &target.place);
    let state = sim.state();
    if let Some(t) = &after
        && t.rv + 1 < state.floor(shard)
    {
        return Err(ApiError::expired(
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        ));
    }
    let list_rv = after.as_ref().map(|t| t.rv).unwrap_or(state.rv(shard));
    let cluster = match &target.place {
        Where::One(id) => Some(id.as_str()),
        Where::All { .. } => None,
    };
    let (returned, known_total) = after.as_ref().map_or((0, None), |t| (t.returned, t.total));
    let start: Option<Key> = after.map(|t| (t.cluster, t.namespace, t.name));
    let mut items: Vec<Arc<Value>> = Vec::new();
    let mut next: Option<Key> = None;
    let mut remaining = 0u64;
    // The apiserver counts what is left only for an unfiltered list (kcp v0.11.0 too): a
    // filtered page stops at the first item past it.
    let filtered = ["labelSelector", "fieldSelector"]
        .iter()
        .any(|k| req.query.get(*k).is_some_and(|v| !v.is_empty()));
    for (key, obj) in state.list_after(&def.store_key(), cluster, ns, start.as_ref()) {
        if !in_place(sim, &target.place, key) {
            continue;
        }
        if !labels.matches(obj) || !fields.matches(obj) {
            continue;
        }
        if limit > 0 && items.len() == limit {
            remaining += 1;
            // A filtered page stops at the first item past it; a later page of an unfiltered
            // list knows its total from the first.
            if filtered || known_total.is_some() {
                break;
            }
            continue;
        }
        items.push(obj.clone());
        next = Some(key.clone());
    }
    let mut meta = json!({"resourceVersion": list_rv.to_string()});
    if remaining > 0
        && let Some((c, n, m)) = next
    {
        let returned = returned + items.len() as u64;
        // The first page counted what is left; a later one takes it from the total (at
        // least the one item seen past the page: objects made since are not counted, as
        // the apiserver's count is an estimate too).
        let total = known_total.unwrap_or(returned + remaining);
        remaining = total.saturating_sub(returned).max(1);
        let token = ContinueToken {
            rv: list_rv,
            cluster: c,
            namespace: n,
            name: m,
            returned,
            total: Some(total),
        };
        meta["continue"] = json!(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&token).unwrap_or_default())
        );
        if !filtered {
            meta["remainingItemCount"] = json!(remaining);
        }
    }
    drop(state);
    if form == Form::Table {
        return Ok(respond(
            200,
            &table::table(def, items.iter().map(|o| o.as_ref()), meta),
        ));
    }
    // Serialized straight from the stored objects: a 10,000-item list is not copied (a copy,
    // then a second one into a `Value`, made kcp-sim's metadata lists five times dearer).
    #[derive(serde::Serialize)]
    struct List<'a, T> {
        kind: &'a str,
        #[serde(rename = "apiVersion")]
        api_version: &'a str,
        metadata: Value,
        items: Option<Vec<T>>,
    }
    #[derive(serde::Serialize)]
    struct Partial<'a> {
        kind: &'static str,
        #[serde(rename = "apiVersion")]
        api_version: &'static str,
        metadata: &'a Value,
    }
    // kcp's export views answer an empty list with `"items": null`.
    let null_items = items.is_empty() && target.null_when_empty;
    let body = if form == Form::Metadata {
        serde_json::to_vec(&List {
            kind: "PartialObjectMetadataList",
            api_version: "meta.k8s.io/v1",
            metadata: meta,
            items: (!null_items).then(|| {
                items
                    .iter()
                    .map(|o| Partial {
                        kind: "PartialObjectMetadata",
                        api_version: "meta.k8s.io/v1",
                        metadata: &o["metadata"],
                    })
                    .collect()
            }),
        })
    } else {
        // APIExports written in another version are converted (kcp v0.28+ serves two).
        let converted: Vec<std::borrow::Cow<Value>> =
            items.iter().map(|o| crate::newest::as_served(def, o)).collect();
        serde_json::to_vec(&List {
            kind: &def.list_kind,
            api_version: &def.api_version(),
            metadata: meta,
            items: (!null_items).then(|| converted.iter().map(|o| o.as_ref()).collect::<Vec<_>>()),
        })
    };
    Ok(respond_bytes(200, body.unwrap_or_default()))
}

pub(super) struct WatchFilter {
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

pub(super) fn event_line(def: &ResourceDef, form: Form, type_: &str, object: &Value) -> Bytes {
    let mut line =
        serde_json::to_vec(&json!({"type": type_, "object": render(def, form, object)})).unwrap_or_default();
    line.push(b'\n');
    Bytes::from(line)
}

pub(super) fn expired_status(rv: u64, floor: u64) -> ApiError {
    ApiError::expired(format!(
        "too old resource version: {rv} ({})",
        floor.saturating_sub(1)
    ))
}

#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
pub(super) fn watch(
    sim: &Arc<Sim>,
    target: &Target,
    ns: Option<String>,
    req: &Request,
    form: Form,
    begin: WatchStart,
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
    let expired_as_status = sim
        .faults
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .expired_as_status;

    // Each shard counts its own resourceVersions: a watch reads the one it is served by.
    let shard = target_shard(sim, &filter.place);
    let mut initial: Vec<Bytes> = Vec::new();
    let (mut rx, start_rv) = {
        let state = sim.state();
        let rx = state.subscribe();
        match begin.start {
            Start::Now => {}
            Start::Listed => {
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
            Start::After(rv) => match state.events_since(shard, &filter.store_key, rv) {
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
        if begin.end_bookmark {
            initial.push(end_bookmark(&def, state.rv(shard)));
        }
        (rx, state.rv(shard))
    };
    // A resourceVersion the shard has not reached (e.g. another shard's): as from the
    // apiserver's watch cache, a 200 stream that sends only what comes after it.
    let after = match begin.start {
        Start::After(rv) => rv,
        _ => 0,
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
                // A dropped watch sends nothing more, even if an event is ready as it drops
                // (a client would otherwise resume past a compaction made before the drop).
                biased;
                _ = stop.changed() => return,
                _ = tx.closed() => return,
                ev = rx.recv() => match ev {
                    Ok(e) if e.shard != shard => continue,
                    Ok(e) => {
                        last_rv = last_rv.max(e.rv);
                        if e.rv <= after {
                            continue;
                        }
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
                    if last_rv < after {
                        continue;
                    }
                    let mut line = serde_json::to_vec(&json!({"type": "BOOKMARK", "object": {
                        "kind": def.kind, "apiVersion": def.api_version(),
                        "metadata": {"resourceVersion": last_rv.to_string()},
                    }})).unwrap_or_default();
                    line.push(b'\n');
                    Bytes::from(line)
                }
                _ = async { match deadline { Some(d) => tokio::time::sleep_until(d).await, None => std::future::pending().await } } => return,
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

pub(super) fn streaming<S>(body: StreamBody<S>) -> Response<Body>
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
