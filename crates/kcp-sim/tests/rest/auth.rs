//! Authentication, authorization, faults and counters.

use super::*;

// -----------------------------------------------------------------------------------------
// Authentication, authorization, faults and counters

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_and_roles() {
    let server = Server::start(fast());
    let home = server.home();
    ready_workspace(&server, home, "ws");
    let anonymous = anonymous_client(&server).await;
    let admin = client(&server, "root").await;

    // No token over HTTPS is system:anonymous, whom kcp lets do nothing: 403 for the API,
    // discovery and /version (a token kcp does not know is 401, below); health answers anyone.
    for path in [at(home, WORKSPACES), at(home, "apis"), "/version".to_string()] {
        let reply = get(&anonymous, &path).await;
        reply.fails(403, "Forbidden");
        assert!(
            reply.message().contains("system:anonymous"),
            "{path}: {}",
            reply.message()
        );
    }
    let stranger = client_with_token(&server, Some("not-a-token-kcp-knows")).await;
    get(&stranger, &at(home, WORKSPACES))
        .await
        .fails(401, "Unauthorized");
    call(&anonymous, "GET", "/healthz", "application/json", None)
        .await
        .ok(200);
    let Some(sim) =
        server.sim_part("kcp-sim's admin API and its read-only `user` (real kcp's kubeconfig has none)")
    else {
        return;
    };
    get(&anonymous, "/kcp-sim/stats").await.fails(401, "Unauthorized");
    let user = client(sim, "user").await;

    // The read-only user reads, and nothing else.
    let list = get(&user, &at("root", WORKSPACES)).await.ok(200);
    assert_eq!(item_names(&list), ["ws"]);
    get(&user, &at("root:ws", "api/v1/namespaces/default"))
        .await
        .ok(200);
    post(&user, &at("root", WORKSPACES), workspace("mine"))
        .await
        .fails(403, "Forbidden");
    delete(&user, &at("root", &format!("{WORKSPACES}/ws")))
        .await
        .fails(403, "Forbidden");
    patch(
        &user,
        &at("root", &format!("{WORKSPACES}/ws")),
        "application/merge-patch+json",
        json!({}),
    )
    .await
    .fails(403, "Forbidden");
    get(&user, &at("*", WORKSPACES)).await.fails(403, "Forbidden");
    get(&user, "/kcp-sim/stats").await.fails(403, "Forbidden");
    get(&admin, &at("root", &format!("{WORKSPACES}/ws")))
        .await
        .ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_errors_watch_drops_and_refused_connections() {
    let Some(sim) = sim_only("injects faults, drops watches, refuses connections", fast()) else {
        return;
    };
    let admin = client(&sim, "root").await;
    let list = at("root", WORKSPACES);

    // Every request fails, with each of the three answers in turn (chosen at random).
    sim.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let mut seen = BTreeSet::new();
    for _ in 0..300 {
        let reply = get(&admin, &list).await;
        match reply.status {
            500 => reply.fails(500, "InternalError"),
            503 => reply.fails(503, "ServiceUnavailable"),
            429 => reply.fails(429, "TooManyRequests"),
            other => panic!("unexpected {other}: {}", reply.body),
        }
        if reply.status != 500 {
            assert_eq!(
                reply.headers.get("Retry-After").and_then(|v| v.to_str().ok()),
                Some("1")
            );
        }
        seen.insert(reply.status);
        if seen.len() == 3 {
            break;
        }
    }
    assert_eq!(seen, BTreeSet::from([429, 500, 503]));
    // Watches and discovery fail too.
    assert!(Watch::open(&admin, &format!("{list}?watch=true")).await.is_err());
    assert_ne!(get(&admin, &at("root", "apis")).await.status, 200);
    sim.set_faults(Faults::default());
    get(&admin, &list).await.ok(200);

    // Dropping watches ends open streams; new ones can be opened.
    let mut one = Watch::open(&admin, &format!("{list}?watch=true"))
        .await
        .expect("a watch");
    let mut two = Watch::open(&admin, &format!("{list}?watch=true&allowWatchBookmarks=true"))
        .await
        .expect("a watch");
    sim.drop_watches();
    one.expect_end().await;
    two.expect_end().await;
    let mut three = Watch::open(&admin, &format!("{list}?watch=true"))
        .await
        .expect("a watch");
    post(&admin, &list, workspace("after-drop")).await.ok(201);
    assert_eq!(
        three.next().await.expect("open")["object"]["metadata"]["name"],
        "after-drop"
    );

    // Refused connections: the open watch is cut, connects fail, then all works again.
    sim.refuse_connections(Duration::from_millis(300));
    three.expect_end().await;
    let addr: std::net::SocketAddr = sim.url().trim_start_matches("https://").parse().unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    // Poll (bounded) until the listener is closed ...
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the listener never closed"
        );
        tokio::task::yield_now().await;
    }
    assert!(
        try_call(&admin, "GET", &list, "application/json", None)
            .await
            .is_err(),
        "a request while refusing"
    );
    // ... and until it listens again.
    let mut interval = tokio::time::interval(Duration::from_millis(10));
    let back = loop {
        interval.tick().await;
        if let Ok(reply) = try_call(&admin, "GET", &list, "application/json", None).await {
            break reply;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the simulator never listened again"
        );
    };
    assert_eq!(item_names(&back.ok(200)), ["after-drop"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_counters() {
    let Some(sim) = sim_only("reads kcp-sim's request counters", fast()) else {
        return;
    };
    ready_workspace(&sim, "root", "ws");
    let admin = client(&sim, "root").await;
    sim.reset_requests();
    for _ in 0..3 {
        get(&admin, &at("root", WORKSPACES)).await.ok(200);
    }
    get(&admin, &at("root", &format!("{WORKSPACES}/ws")))
        .await
        .ok(200);
    post(&admin, &at("root:ws", CONFIGMAPS), configmap("c", json!({})))
        .await
        .ok(201);
    patch(
        &admin,
        &at("root:ws", &format!("{CONFIGMAPS}/c")),
        "application/merge-patch+json",
        json!({}),
    )
    .await
    .ok(200);
    get(&admin, &at("root", "apis")).await.ok(200);
    let watch = Watch::open(&admin, &at("root", &format!("{WORKSPACES}?watch=true")))
        .await
        .expect("a watch");
    drop(watch);
    get(&admin, &at("root:nope", WORKSPACES))
        .await
        .fails(403, "Forbidden");

    let counts = sim.requests();
    assert_eq!(counts.total, 9);
    assert_eq!(counts.count("list", Some("workspaces")), 4, "{counts:?}");
    assert_eq!(counts.count("list", None), 4);
    assert_eq!(counts.count("get", Some("workspaces")), 1);
    assert_eq!(counts.count("create", Some("configmaps")), 1);
    assert_eq!(counts.count("patch", Some("configmaps")), 1);
    assert_eq!(counts.count("watch", Some("workspaces")), 1);
    assert_eq!(counts.count("discovery", None), 1);
    let by_verb = counts.by_verb();
    assert_eq!(by_verb.get("list"), Some(&4));
    assert_eq!(counts.by_key.get("list workspaces root"), Some(&3));
    assert_eq!(counts.by_key.get("create configmaps root:ws"), Some(&1));
    sim.reset_requests();
    assert_eq!(sim.requests().total, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api() {
    let Some(sim) = sim_only("kcp-sim's own admin API (/kcp-sim/)", fast()) else {
        return;
    };
    let admin = client(&sim, "root").await;
    let masters = client(&sim, "system:admin").await;
    let cms = at("root", CONFIGMAPS);

    // Faults, as JSON.
    let faults = get(&admin, "/kcp-sim/faults").await.ok(200);
    assert_eq!(
        faults,
        json!({"errorRate": 0.0, "latencyMs": 0, "expiredAsStatus": false})
    );
    let set = json!({"expiredAsStatus": true});
    let faults = call(&admin, "PUT", "/kcp-sim/faults", "application/json", Some(&set))
        .await
        .ok(200);
    assert_eq!(faults["expiredAsStatus"], true);
    assert!(sim.faults().expired_as_status);
    call(
        &admin,
        "PUT",
        "/kcp-sim/faults",
        "application/json",
        Some(&json!({"errorRate": "x"})),
    )
    .await
    .fails(400, "BadRequest");
    // Errors do not reach the admin API, so a test can always switch them off again.
    let all_errors = json!({"errorRate": 1.0});
    call(
        &masters,
        "PUT",
        "/kcp-sim/faults",
        "application/json",
        Some(&all_errors),
    )
    .await
    .ok(200);
    assert_ne!(get(&admin, &cms).await.status, 200);
    call(&admin, "PUT", "/kcp-sim/faults", "application/json", Some(&set))
        .await
        .ok(200);

    // Compaction: old resourceVersions answer 410 (as a status, per the fault above).
    let old = rv(&get(&admin, &cms).await.ok(200));
    post(&admin, &cms, configmap("a", json!({}))).await.ok(201);
    let compacted = call(&admin, "POST", "/kcp-sim/compact", "application/json", None)
        .await
        .ok(200);
    assert!(compacted["floor"].as_u64().unwrap() > old.parse::<u64>().unwrap());
    Watch::open(&admin, &format!("{cms}?watch=true&resourceVersion={old}"))
        .await
        .err()
        .unwrap()
        .fails(410, "Expired");

    // Dropping watches.
    let mut watch = Watch::open(&admin, &format!("{cms}?watch=true"))
        .await
        .expect("a watch");
    watch.until(|e| e["object"]["metadata"]["name"] == "a").await;
    call(&admin, "POST", "/kcp-sim/drop-watches", "application/json", None)
        .await
        .ok(200);
    watch.expect_end().await;

    // Stats and counters.
    let stats = get(&admin, "/kcp-sim/stats").await.ok(200);
    assert_eq!(stats["objects"], json!(sim.object_count()));
    assert_eq!(stats["clusters"], 1);
    assert!(stats["resourceVersion"].as_u64().unwrap() >= old.parse::<u64>().unwrap());
    let requests = get(&admin, "/kcp-sim/requests").await.ok(200);
    assert_eq!(requests["total"], json!(sim.requests().total));
    assert!(requests["byVerb"]["list"].as_u64().unwrap() >= 2, "{requests}");
    assert!(
        requests["byKey"]["create configmaps root"].as_u64().unwrap() >= 1,
        "{requests}"
    );
    call(&admin, "DELETE", "/kcp-sim/requests", "application/json", None)
        .await
        .ok(200);
    assert_eq!(get(&admin, "/kcp-sim/requests").await.ok(200)["total"], 0);

    // Refusing connections for a while.
    call(
        &admin,
        "POST",
        "/kcp-sim/refuse?seconds=0.3",
        "application/json",
        None,
    )
    .await
    .ok(200);
    let addr: std::net::SocketAddr = sim.url().trim_start_matches("https://").parse().unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the listener never closed"
        );
        tokio::task::yield_now().await;
    }
    let mut interval = tokio::time::interval(Duration::from_millis(10));
    loop {
        interval.tick().await;
        if try_call(&admin, "GET", "/kcp-sim/stats", "application/json", None)
            .await
            .is_ok_and(|r| r.status == 200)
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the simulator never listened again"
        );
    }

    get(&admin, "/kcp-sim/nothing").await.fails(404, "NotFound");
}
