//! REST semantics: validation, immutability, lists, watches, patches, preconditions.

use super::*;

// -----------------------------------------------------------------------------------------
// REST semantics

pub(super) const CONFIGMAPS: &str = "api/v1/namespaces/default/configmaps";

/// The ConfigMaps the test's `default` namespace holds before the test writes any: none on
/// kcp-sim, kcp's `kube-root-ca.crt` on real kcp.
pub(super) async fn preexisting_configmaps(server: &Server, admin: &kube::Client) -> Vec<String> {
    let home = server.home();
    if server.differs_on_real("every namespace holds kcp's kube-root-ca.crt ConfigMap (kcp-sim makes none)") {
        wait_for(server, "kube-root-ca.crt", |s| {
            s.list(home, "v1", "configmaps")
                .iter()
                .any(|c| c["metadata"]["name"] == "kube-root-ca.crt")
        });
    }
    let names = item_names(&get(admin, &at(home, CONFIGMAPS)).await.ok(200));
    let want: &[&str] = if server.is_real() {
        &["kube-root-ca.crt"]
    } else {
        &[]
    };
    assert_eq!(names, want);
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pagination_and_selectors() {
    let server = Server::start(fast());
    let admin = client(&server, "root").await;
    let cms = at(server.home(), CONFIGMAPS);
    let pre = preexisting_configmaps(&server, &admin).await;
    for i in 0..25 {
        let tier = if i % 5 == 0 { "db" } else { "web" };
        post(
            &admin,
            &cms,
            configmap(&format!("cm-{i:02}"), json!({"tier": tier, "n": i.to_string()})),
        )
        .await
        .ok(201);
    }

    // Pages of 10: 10 + 10 + 5 (+ what was there), each page but the last with a continue
    // token.
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &token {
            None => format!("{cms}?limit=10"),
            Some(t) => format!("{cms}?limit=10&continue={t}"),
        };
        let page = get(&admin, &path).await.ok(200);
        pages += 1;
        assert_eq!(page["kind"], "ConfigMapList");
        assert!(page["metadata"]["resourceVersion"].is_string());
        names.extend(item_names(&page));
        match page["metadata"]["continue"].as_str() {
            Some(t) if !t.is_empty() => {
                let remaining = 25 + pre.len() - names.len();
                assert_eq!(page["metadata"]["remainingItemCount"], json!(remaining));
                token = Some(t.to_string());
            }
            _ => break,
        }
    }
    assert_eq!(pages, 3);
    let mut want: Vec<String> = (0..25).map(|i| format!("cm-{i:02}")).collect();
    want.extend(pre.iter().cloned());
    want.sort();
    assert_eq!(names, want);

    // A continue token from before a compaction has expired.
    let first = get(&admin, &format!("{cms}?limit=10")).await.ok(200);
    let token = first["metadata"]["continue"].as_str().unwrap().to_string();
    post(&admin, &cms, configmap("late", json!({}))).await.ok(201);
    if let Some(sim) = server.sim_part("compacts on demand (SimConfig's admin control)") {
        sim.compact();
        get(&admin, &format!("{cms}?limit=10&continue={token}"))
            .await
            .fails(410, "Expired");
    }
    get(&admin, &format!("{cms}?limit=10&continue=garbage"))
        .await
        .fails(400, "BadRequest");

    // Label selectors.
    let db = get(&admin, &format!("{cms}?labelSelector=tier%3Ddb"))
        .await
        .ok(200);
    assert_eq!(item_names(&db), ["cm-00", "cm-05", "cm-10", "cm-15", "cm-20"]);
    let set = get(
        &admin,
        &format!("{cms}?labelSelector=tier%3Dweb,n%20in%20(1,2,5)"),
    )
    .await
    .ok(200);
    assert_eq!(item_names(&set), ["cm-01", "cm-02"]);
    let none = get(&admin, &format!("{cms}?labelSelector=!tier")).await.ok(200);
    let mut want = pre.clone();
    want.push("late".into());
    want.sort();
    assert_eq!(item_names(&none), want);
    get(&admin, &format!("{cms}?labelSelector=tier%20%3D%3D%3D%20x"))
        .await
        .fails(400, "BadRequest");
    // Selectors and pages together.
    let page = get(&admin, &format!("{cms}?labelSelector=tier%3Ddb&limit=2"))
        .await
        .ok(200);
    assert_eq!(item_names(&page), ["cm-00", "cm-05"]);
    assert!(page["metadata"]["continue"].is_string(), "{page}");
    // (The apiserver counts what remains of unfiltered lists only.)
    assert!(page["metadata"].get("remainingItemCount").is_none(), "{page}");

    // Field selector on metadata.name.
    let one = get(&admin, &format!("{cms}?fieldSelector=metadata.name%3Dcm-07"))
        .await
        .ok(200);
    assert_eq!(item_names(&one), ["cm-07"]);
    let others = get(&admin, &format!("{cms}?fieldSelector=metadata.name!%3Dcm-07"))
        .await
        .ok(200);
    assert_eq!(item_names(&others).len(), 25 + pre.len());
    get(&admin, &format!("{cms}?fieldSelector=data.k%3Dv"))
        .await
        .fails(400, "BadRequest");
    // Across namespaces, and the Table form kubectl asks for.
    let everywhere = get(
        &admin,
        &at(
            server.home(),
            "api/v1/configmaps?fieldSelector=metadata.namespace%3Ddefault",
        ),
    )
    .await
    .ok(200);
    assert_eq!(item_names(&everywhere).len(), 26 + pre.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_resumes_expires_bookmarks_and_times_out() {
    let server = Server::start(SimConfig {
        bookmark_interval: Duration::from_millis(50),
        ..fast()
    });
    let admin = client(&server, "root").await;
    let cms = at(server.home(), CONFIGMAPS);
    let pre = preexisting_configmaps(&server, &admin).await;
    post(&admin, &cms, configmap("before", json!({}))).await.ok(201);
    let start_rv = rv(&get(&admin, &cms).await.ok(200));

    // Changes after a resourceVersion are replayed, in order, to a watch opened later.
    let created = post(&admin, &cms, configmap("x", json!({}))).await.ok(201);
    patch(
        &admin,
        &format!("{cms}/x"),
        "application/merge-patch+json",
        json!({"data": {"k": "w"}}),
    )
    .await
    .ok(200);
    delete(&admin, &format!("{cms}/x")).await.ok(200);
    let mut watch = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={start_rv}"))
        .await
        .expect("a watch");
    let mut events = Vec::new();
    for _ in 0..3 {
        events.push(watch.next().await.expect("open"));
    }
    assert_eq!(
        names(&events),
        [
            ("ADDED".into(), "x".into()),
            ("MODIFIED".into(), "x".into()),
            ("DELETED".into(), "x".into())
        ]
    );
    let rvs: Vec<u64> = events.iter().map(|e| rv(&e["object"]).parse().unwrap()).collect();
    assert!(rvs.windows(2).all(|w| w[0] < w[1]), "{rvs:?}");
    assert!(rvs[0] >= rv(&created).parse().unwrap());
    // ... and then live events.
    post(&admin, &cms, configmap("live", json!({}))).await.ok(201);
    assert_eq!(
        names(&[watch.next().await.expect("open")]),
        [("ADDED".into(), "live".into())]
    );

    // Without a resourceVersion, a watch starts with the current objects.
    let mut fresh = Watch::open(&admin, &format!("{cms}?watch=true"))
        .await
        .expect("a watch");
    let mut initial = Vec::new();
    for _ in 0..2 + pre.len() {
        initial.push(fresh.next().await.expect("open"));
    }
    let mut initial = names(&initial);
    initial.sort();
    let mut want: Vec<(String, String)> = ["before", "live"]
        .into_iter()
        .chain(pre.iter().map(String::as_str))
        .map(|n| ("ADDED".to_string(), n.to_string()))
        .collect();
    want.sort();
    assert_eq!(initial, want);

    // Field selectors apply to watches; leaving the selection is a DELETED.
    let mut picky = Watch::open(
        &admin,
        &format!("{cms}?watch=true&resourceVersion={start_rv}&labelSelector=pick%3Dyes"),
    )
    .await
    .expect("a watch");
    post(&admin, &cms, configmap("picked", json!({"pick": "yes"})))
        .await
        .ok(201);
    patch(
        &admin,
        &format!("{cms}/picked"),
        "application/merge-patch+json",
        json!({"metadata": {"labels": {"pick": "no"}}}),
    )
    .await
    .ok(200);
    let events = [
        picky.next().await.expect("open"),
        picky.next().await.expect("open"),
    ];
    assert_eq!(
        names(&events),
        [
            ("ADDED".into(), "picked".into()),
            ("DELETED".into(), "picked".into())
        ]
    );

    // Bookmarks only when allowed: wait for two bookmarks on one watch, then a change; the
    // other watch's first event is the change.
    let now = rv(&get(&admin, &cms).await.ok(200));
    let mut plain = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={now}"))
        .await
        .expect("a watch");
    let why = "bookmarks every 50 ms (SimConfig::bookmark_interval; kcp's come about once a minute)";
    if server.sim_part(why).is_some() {
        let mut marked = Watch::open(
            &admin,
            &format!("{cms}?watch=true&resourceVersion={now}&allowWatchBookmarks=true"),
        )
        .await
        .expect("a watch");
        for _ in 0..2 {
            let bookmark = marked.next().await.expect("open");
            assert_eq!(bookmark["type"], "BOOKMARK");
            assert_eq!(bookmark["object"]["kind"], "ConfigMap");
            assert!(
                bookmark["object"]["metadata"]["resourceVersion"].is_string(),
                "{bookmark}"
            );
        }
    }
    post(&admin, &cms, configmap("after-bookmarks", json!({})))
        .await
        .ok(201);
    assert_eq!(
        names(&[plain.next().await.expect("open")]),
        [("ADDED".into(), "after-bookmarks".into())]
    );

    // timeoutSeconds ends the watch.
    let mut short = Watch::open(
        &admin,
        &format!("{cms}?watch=true&resourceVersion={now}&timeoutSeconds=1"),
    )
    .await
    .expect("a watch");
    short
        .until(|e| e["object"]["metadata"]["name"] == "after-bookmarks")
        .await;
    short.expect_end().await;

    // After a compaction, an old resourceVersion is Expired: an ERROR event by default...
    let Some(sim) = server.sim_part("compacts on demand and injects faults") else {
        return;
    };
    sim.compact();
    let mut expired = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={start_rv}"))
        .await
        .expect("a 200 stream");
    let error = expired.next().await.expect("an ERROR event");
    assert_eq!(error["type"], "ERROR");
    assert_eq!(
        (error["object"]["code"].clone(), error["object"]["reason"].clone()),
        (json!(410), json!("Expired"))
    );
    expired.expect_end().await;
    // ... or the HTTP status itself when the fault says so.
    sim.set_faults(Faults {
        expired_as_status: true,
        ..Faults::default()
    });
    let reply = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={start_rv}"))
        .await
        .err()
        .expect("no stream");
    reply.fails(410, "Expired");
    // The current resourceVersion is still good.
    let latest = rv(&get(&admin, &cms).await.ok(200));
    Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={latest}"))
        .await
        .expect("a watch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_resource_s_watch_history_is_a_bounded_window() {
    // kcp's watch cache keeps a window per resource (here: the last 5 events, none for
    // their age), not a compaction's worth of history.
    let server = Server::start(SimConfig {
        history_min: 5,
        history_fresh: Duration::ZERO,
        future_rv_wait: Duration::from_millis(200),
        ..fast()
    });
    let admin = client(&server, "root").await;
    let cms = at(server.home(), CONFIGMAPS);
    let start_rv = rv(&post(&admin, &cms, configmap("first", json!({}))).await.ok(201));
    for i in 0..10 {
        post(&admin, &cms, configmap(&format!("cm-{i}"), json!({})))
            .await
            .ok(201);
    }
    let why = "a window of 5 events (SimConfig::history_min; kcp's watch cache keeps 100 or more)";
    if server.sim_part(why).is_some() {
        let mut expired = Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={start_rv}"))
            .await
            .expect("a 200 stream");
        let error = expired.next().await.expect("an ERROR event");
        assert_eq!(
            (
                error["type"].clone(),
                error["object"]["code"].clone(),
                error["object"]["reason"].clone()
            ),
            (json!("ERROR"), json!(410), json!("Expired")),
            "{error}"
        );
        expired.expect_end().await;
    }
    // Another resource's window is its own: namespaces did not change since, so that
    // resourceVersion is still good there.
    let namespaces = at(server.home(), "api/v1/namespaces");
    let mut fine = Watch::open(
        &admin,
        &format!("{namespaces}?watch=true&resourceVersion={start_rv}"),
    )
    .await
    .expect("a watch");
    post(
        &admin,
        &namespaces,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "later"}}),
    )
    .await
    .ok(201);
    let added = fine.next().await.expect("an event");
    assert_eq!(
        (added["type"].clone(), added["object"]["metadata"]["name"].clone()),
        (json!("ADDED"), json!("later")),
        "{added}"
    );

    // resourceVersionMatch needs a resourceVersion.
    let reply = get(&admin, &format!("{cms}?resourceVersionMatch=NotOlderThan")).await;
    reply.fails(422, "Invalid");
    assert!(
        reply
            .message()
            .contains("resourceVersionMatch is forbidden unless resourceVersion is provided"),
        "{}",
        reply.body
    );
    get(
        &admin,
        &format!("{cms}?resourceVersionMatch=Exact&resourceVersion=0"),
    )
    .await
    .fails(422, "Invalid");
    // A list at a resourceVersion not reached yet waits for it, then is 504.
    let now: u64 = rv(&get(&admin, &cms).await.ok(200)).parse().unwrap();
    let reply = get(&admin, &format!("{cms}?resourceVersion={}", now + 1000)).await;
    reply.fails(504, "Timeout");
    assert!(
        reply
            .message()
            .starts_with(&format!("Timeout: Too large resource version: {}", now + 1000)),
        "{}",
        reply.body
    );
    // The next resourceVersion is this test's next write only where nothing else writes.
    let why = "the next resourceVersion is this test's (kcp's is etcd's revision, which every write in the server moves: leases, other tests)";
    if server.sim_part(why).is_none() {
        return;
    }
    let next = rv(&get(&admin, &cms).await.ok(200)).parse::<u64>().unwrap() + 1;
    let at_next = format!("{cms}?resourceVersion={next}");
    let (listed, _) = tokio::join!(
        get(&admin, &at_next),
        post(&admin, &cms, configmap("meanwhile", json!({})))
    );
    let listed = listed.ok(200);
    assert!(item_names(&listed).contains(&"meanwhile".to_string()), "{listed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_as_kcp_does_it() {
    let server = Server::start(SimConfig {
        initialize_delay: Duration::from_secs(3600),
        ..fast()
    });
    let admin = client(&server, "root").await;
    let masters = client(&server, "system:admin").await;
    // A logical cluster that is not there: denied to users, empty to system:masters.
    let nowhere = at("root:nowhere", "api/v1/namespaces/default/configmaps");
    get(&admin, &nowhere).await.fails(403, "Forbidden");
    let empty = get(&masters, &nowhere).await.ok(200);
    assert_eq!(item_names(&empty), Vec::<String>::new());
    get(&masters, &format!("{nowhere}/x"))
        .await
        .fails(404, "NotFound");
    // An Initializing workspace lets in those allowed in.
    let Some(sim) = server.sim_part("holds a workspace in Initializing for an hour") else {
        return;
    };
    post(&admin, &at("root", WORKSPACES), workspace("young"))
        .await
        .ok(201);
    wait_object(
        sim,
        "root",
        "tenancy.kcp.io/v1alpha1",
        "workspaces",
        "young",
        |w| w["status"]["phase"] == "Initializing",
    );
    post(
        &admin,
        &at("root:young", "api/v1/namespaces"),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "early"}}),
    )
    .await
    .ok(201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_namespace_comes_after_ready() {
    let Some(sim) = sim_only(
        "holds back a workspace's default namespace for an hour",
        SimConfig {
            namespace_delay: Duration::from_secs(3600),
            ..fast()
        },
    ) else {
        return;
    };
    let admin = client(&sim, "root").await;
    post(&admin, &at("root", WORKSPACES), workspace("fresh"))
        .await
        .ok(201);
    wait_object(
        &sim,
        "root",
        "tenancy.kcp.io/v1alpha1",
        "workspaces",
        "fresh",
        |w| w["status"]["phase"] == "Ready",
    );
    get(&admin, &at("root:fresh", "api/v1/namespaces/default"))
        .await
        .fails(404, "NotFound");
    post(
        &admin,
        &at("root:fresh", "api/v1/namespaces/default/configmaps"),
        configmap("early", json!({})),
    )
    .await
    .fails(404, "NotFound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_conflicts_patches_and_preconditions() {
    let server = Server::start(fast());
    let home = server.home();
    let admin = client(&server, "root").await;
    let cms = at(home, CONFIGMAPS);

    let first = post(&admin, &cms, configmap("dup", json!({"a": "1"})))
        .await
        .ok(201);
    if !server.is_real() {
        assert_eq!(cluster_of(&first), "root");
    }
    assert!(first["metadata"]["uid"].is_string() && first["metadata"]["creationTimestamp"].is_string());
    post(&admin, &cms, configmap("dup", json!({})))
        .await
        .fails(409, "AlreadyExists");
    post(
        &admin,
        &at(home, "api/v1/namespaces/missing/configmaps"),
        configmap("x", json!({})),
    )
    .await
    .fails(404, "NotFound");
    let mut bad = configmap("Not_Valid", json!({}));
    post(&admin, &cms, bad.clone()).await.fails(422, "Invalid");
    bad["metadata"] = json!({});
    post(&admin, &cms, bad).await.fails(422, "Invalid");
    // Labels and annotation keys are validated as the apiserver does.
    for labels in [
        json!({"ok": "has space"}),
        json!({"-bad": "x"}),
        json!({"a/b/c": "x"}),
        json!({"k": "x".repeat(64)}),
    ] {
        post(&admin, &cms, configmap("labelled", labels))
            .await
            .fails(422, "Invalid");
    }
    post(&admin, &cms, configmap("labelled", json!({"n": 1})))
        .await
        .fails(400, "BadRequest");
    let mut annotated = configmap("annotated", json!({"example.com/ok": "x"}));
    annotated["metadata"]["annotations"] = json!({"not valid": "x"});
    post(&admin, &cms, annotated.clone()).await.fails(422, "Invalid");
    annotated["metadata"]["annotations"] = json!({"example.com/free-text": "any value at all"});
    post(&admin, &cms, annotated).await.ok(201);

    // generateName.
    let mut generated = configmap("", json!({}));
    generated["metadata"] = json!({"generateName": "gen-"});
    let generated = post(&admin, &cms, generated).await.ok(201);
    let name = generated["metadata"]["name"].as_str().unwrap();
    assert!(
        name.starts_with("gen-") && name.len() == "gen-".len() + 5,
        "{name}"
    );
    get(&admin, &format!("{cms}/{name}")).await.ok(200);

    // Optimistic concurrency.
    let url = format!("{cms}/dup");
    let mut v1 = first.clone();
    v1["data"] = json!({"k": "v1"});
    let second = put(&admin, &url, v1.clone()).await.ok(200);
    assert!(rv(&second).parse::<u64>().unwrap() > rv(&first).parse::<u64>().unwrap());
    put(&admin, &url, v1).await.fails(409, "Conflict");
    let mut other_uid = second.clone();
    other_uid["metadata"]["uid"] = json!("00000000-0000-0000-0000-000000000000");
    put(&admin, &url, other_uid).await.fails(409, "Conflict");
    let mut renamed = second.clone();
    renamed["metadata"]["name"] = json!("other");
    put(&admin, &url, renamed).await.fails(400, "BadRequest");
    put(&admin, &format!("{cms}/absent"), configmap("absent", json!({})))
        .await
        .fails(404, "NotFound");

    // Merge patch (null deletes), JSON patch (with test), apply patch.
    let merged = patch(
        &admin,
        &url,
        "application/merge-patch+json",
        json!({"data": {"k": null, "k2": "v2"}}),
    )
    .await
    .ok(200);
    assert_eq!(merged["data"], json!({"k2": "v2"}));
    let ops = json!([
        {"op": "test", "path": "/data/k2", "value": "v2"},
        {"op": "add", "path": "/metadata/labels/patched", "value": "yes"},
        {"op": "replace", "path": "/data/k2", "value": "v3"},
    ]);
    let patched = patch(&admin, &url, "application/json-patch+json", ops)
        .await
        .ok(200);
    assert_eq!(
        (
            patched["data"]["k2"].as_str(),
            patched["metadata"]["labels"]["patched"].as_str()
        ),
        (Some("v3"), Some("yes"))
    );
    let failing = json!([{"op": "test", "path": "/data/k2", "value": "nope"}]);
    patch(&admin, &url, "application/json-patch+json", failing)
        .await
        .fails(422, "Invalid");
    let stale = json!({"metadata": {"resourceVersion": rv(&first)}, "data": {"x": "y"}});
    patch(&admin, &url, "application/merge-patch+json", stale)
        .await
        .fails(409, "Conflict");
    patch(
        &admin,
        &format!("{cms}/absent"),
        "application/merge-patch+json",
        json!({}),
    )
    .await
    .fails(404, "NotFound");
    // A no-op patch does not bump the resourceVersion.
    let same = patch(
        &admin,
        &url,
        "application/merge-patch+json",
        json!({"data": {"k2": "v3"}}),
    )
    .await
    .ok(200);
    assert_eq!(rv(&same), rv(&patched));

    let applied_url = format!("{cms}/applied?fieldManager=test");
    let apply = |data: Value| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"}, "data": data});
    let created = patch(
        &admin,
        &applied_url,
        "application/apply-patch+yaml",
        apply(json!({"a": "1"})),
    )
    .await
    .ok(201);
    assert_eq!(created["data"], json!({"a": "1"}));
    let updated = patch(
        &admin,
        &applied_url,
        "application/apply-patch+yaml",
        apply(json!({"b": "2"})),
    )
    .await
    .ok(200);
    assert_eq!(updated["data"]["b"], "2");
    patch(
        &admin,
        &format!("{cms}/applied"),
        "application/apply-patch+yaml",
        apply(json!({})),
    )
    .await
    .fails(422, "Invalid");
    // Workspaces are custom resources: no strategic merge patch.
    ready_workspace(&server, home, "ws");
    patch(
        &admin,
        &at(home, &format!("{WORKSPACES}/ws")),
        "application/strategic-merge-patch+json",
        json!({}),
    )
    .await
    .fails(415, "UnsupportedMediaType");

    // Delete preconditions.
    let current = get(&admin, &url).await.ok(200);
    let wrong = json!({"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": "00000000-0000-0000-0000-000000000000"}});
    call(&admin, "DELETE", &url, "application/json", Some(&wrong))
        .await
        .fails(409, "Conflict");
    let stale = json!({"preconditions": {"resourceVersion": rv(&first)}});
    call(&admin, "DELETE", &url, "application/json", Some(&stale))
        .await
        .fails(409, "Conflict");
    let right = json!({"preconditions": {"uid": current["metadata"]["uid"]}});
    call(&admin, "DELETE", &url, "application/json", Some(&right))
        .await
        .ok(200);
    get(&admin, &url).await.fails(404, "NotFound");
    delete(&admin, &url).await.fails(404, "NotFound");

    // /status on a built-in: namespaces.
    let nss = at(home, "api/v1/namespaces");
    let ns = post(
        &admin,
        &nss,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "stat"}}),
    )
    .await
    .ok(201);
    assert_eq!(ns["status"]["phase"], "Active");
    let merge = "application/merge-patch+json";
    // Only a deleted namespace may be Terminating (the namespace status strategy).
    let terminating = json!({"status": {"phase": "Terminating"}});
    let reply = patch(&admin, &format!("{nss}/stat/status"), merge, terminating).await;
    reply.fails(422, "Invalid");
    assert!(reply.message().contains("status.Phase"), "{}", reply.body);
    // /status changes the status only, the main resource everything but the status.
    let condition = json!([{"type": "Example", "status": "True", "reason": "Test", "message": "set"}]);
    let both = json!({"status": {"conditions": condition}, "spec": {"finalizers": []}});
    let after = patch(&admin, &format!("{nss}/stat/status"), merge, both)
        .await
        .ok(200);
    // (kcp adds `lastTransitionTime: null`.)
    let set = |ns: &Value| ns["status"]["conditions"][0]["message"] == "set";
    assert!(set(&after), "{after}");
    assert_eq!(after["spec"]["finalizers"], json!(["kubernetes"]), "{after}");
    let both = json!({"status": {"conditions": null}, "metadata": {"labels": {"kept": "yes"}}});
    let after = patch(&admin, &format!("{nss}/stat"), merge, both).await.ok(200);
    assert!(set(&after), "{after}");
    assert_eq!(after["metadata"]["labels"]["kept"], "yes", "{after}");
    // Deleting a namespace takes its content with it.
    post(
        &admin,
        &at(home, "api/v1/namespaces/stat/configmaps"),
        configmap("inside", json!({})),
    )
    .await
    .ok(201);
    delete(&admin, &format!("{nss}/stat")).await.ok(200);
    // (At once on kcp-sim; kcp's namespace controller takes some seconds, the namespace
    // Terminating meanwhile: polled, bounded.)
    let inside = at(home, "api/v1/namespaces/stat/configmaps/inside");
    gone(&admin, &inside).await.fails(404, "NotFound");
}
