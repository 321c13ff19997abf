//! ServiceAccounts, Secrets, RBAC and service-account tokens in every workspace, as kcp v0.11
//! serves them (KubeStellar's syncer-gen makes its syncer's identity with them), and the
//! protobuf bodies kubectl sends for built-in kinds.

use super::*;
use base64::Engine;

const SERVICE_ACCOUNTS: &str = "api/v1/namespaces/default/serviceaccounts";
const SECRETS: &str = "api/v1/namespaces/default/secrets";
const RBAC: &str = "apis/rbac.authorization.k8s.io/v1";

fn decode(b64: &Value) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.as_str().unwrap_or_else(|| panic!("base64 data, got {b64}")))
        .expect("base64");
    String::from_utf8(bytes).expect("UTF-8")
}

/// Wait until the namespaced object `name` (in any namespace) satisfies `check`; return it.
#[track_caller]
fn wait_named(server: &Server, ws: &str, plural: &str, name: &str, check: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    wait_for(server, &format!("{plural}/{name} in {ws}"), |s| {
        match s
            .list(ws, "v1", plural)
            .into_iter()
            .find(|o| o["metadata"]["name"] == name)
        {
            Some(o) => {
                let done = check(&o);
                last = o;
                done
            }
            None => false,
        }
    });
    last
}

/// The payload of a JWT, parsed.
fn jwt_claims(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT: {token}");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[1])
        .expect("base64url");
    serde_json::from_slice(&payload).expect("JSON claims")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_accounts_get_token_secrets_as_kcp_v0_11() {
    let server = Server::start(fast());
    let ws = server.under("ids");
    ready_workspace(&server, server.home(), "ids");
    wait_object(&server, &ws, "v1", "namespaces", "default", |_| true);
    let admin = client(&server, "root").await;

    let sa = post(
        &admin,
        &at(&ws, SERVICE_ACCOUNTS),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "syncer"}}),
    )
    .await
    .ok(201);
    let sa_uid = sa["metadata"]["uid"].as_str().expect("a uid").to_string();
    // kcp v0.11 runs Kubernetes' token controller with AutoGenerate: a token Secret per
    // ServiceAccount, referenced from its `secrets` (Kubernetes 1.24 itself stopped that).
    let sa = wait_named(&server, &ws, "serviceaccounts", "syncer", |o| {
        o["secrets"].as_array().is_some_and(|s| !s.is_empty())
    });
    let token_name = sa["secrets"][0]["name"].as_str().expect("a name").to_string();
    assert!(token_name.starts_with("syncer-token-"), "{token_name}");
    assert_eq!(token_name.len(), "syncer-token-".len() + 5, "{token_name}");
    let secret = get(&admin, &at(&ws, &format!("{SECRETS}/{token_name}")))
        .await
        .ok(200);
    assert_eq!(secret["type"], "kubernetes.io/service-account-token");
    let annotations = &secret["metadata"]["annotations"];
    assert_eq!(annotations["kubernetes.io/service-account.name"], "syncer");
    assert_eq!(annotations["kubernetes.io/service-account.uid"], sa_uid.as_str());
    assert_eq!(decode(&secret["data"]["namespace"]), "default");
    assert!(decode(&secret["data"]["ca.crt"]).contains("BEGIN CERTIFICATE"));
    let claims = jwt_claims(&decode(&secret["data"]["token"]));
    assert_eq!(claims["iss"], "kubernetes/serviceaccount");
    assert_eq!(claims["sub"], "system:serviceaccount:default:syncer");
    assert_eq!(
        claims["kubernetes.io/serviceaccount/secret.name"],
        token_name.as_str()
    );
    assert_eq!(
        claims["kubernetes.io/serviceaccount/service-account.uid"],
        sa_uid.as_str()
    );

    // A token Secret made by hand for the ServiceAccount (what syncer-gen does where no token
    // is referenced) is filled in, and not added to the ServiceAccount's `secrets`.
    let mine = post(
        &admin,
        &at(&ws, SECRETS),
        json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
               "metadata": {"name": "syncer-token", "annotations": {"kubernetes.io/service-account.name": "syncer"}}}),
    )
    .await
    .ok(201);
    assert!(
        mine["data"]["token"].is_null(),
        "the controller fills it, later: {mine}"
    );
    let mine = wait_named(&server, &ws, "secrets", "syncer-token", |o| {
        o["data"]["token"].is_string() && o["data"]["ca.crt"].is_string()
    });
    assert_eq!(decode(&mine["data"]["namespace"]), "default");
    assert_eq!(
        mine["metadata"]["annotations"]["kubernetes.io/service-account.uid"],
        sa_uid.as_str()
    );
    assert_eq!(
        jwt_claims(&decode(&mine["data"]["token"]))["kubernetes.io/serviceaccount/secret.name"],
        "syncer-token"
    );
    let sa = get(&admin, &at(&ws, &format!("{SERVICE_ACCOUNTS}/syncer")))
        .await
        .ok(200);
    assert_eq!(sa["secrets"], json!([{"name": token_name}]));

    // A token Secret must name its ServiceAccount; its type cannot change.
    let reply = post(
        &admin,
        &at(&ws, SECRETS),
        json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token", "metadata": {"name": "anon"}}),
    )
    .await;
    reply.fails(422, "Invalid");
    assert!(
        reply.message().contains("kubernetes.io/service-account.name"),
        "{}",
        reply.message()
    );
    let plain = post(
        &admin,
        &at(&ws, SECRETS),
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "plain"}, "stringData": {"k": "v"}}),
    )
    .await
    .ok(201);
    // stringData is folded into data; the type defaults to Opaque.
    assert_eq!(plain["type"], "Opaque");
    assert_eq!(decode(&plain["data"]["k"]), "v");
    assert!(plain.get("stringData").is_none(), "{plain}");
    let mut retyped = plain.clone();
    retyped["type"] = json!("kubernetes.io/tls");
    put(&admin, &at(&ws, &format!("{SECRETS}/plain")), retyped)
        .await
        .fails(422, "Invalid");

    // A deleted ServiceAccount's token Secrets go with it.
    delete(&admin, &at(&ws, &format!("{SERVICE_ACCOUNTS}/syncer")))
        .await
        .ok(200);
    let tokens_left = |s: &dyn KcpServer| {
        s.list(&ws, "v1", "secrets")
            .iter()
            .filter(|o| o["metadata"]["annotations"]["kubernetes.io/service-account.name"] == "syncer")
            .count()
    };
    wait_for(&server, "the ServiceAccount's token Secrets to be deleted", |s| {
        tokens_left(s) == 0
    });
    get(&admin, &at(&ws, &format!("{SECRETS}/plain"))).await.ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rbac_objects_in_every_workspace() {
    let server = Server::start(fast());
    let ws = server.under("rbac");
    ready_workspace(&server, server.home(), "rbac");
    wait_object(&server, &ws, "v1", "namespaces", "default", |_| true);
    let admin = client(&server, "root").await;
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": "syncer"},
        "rules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
                  {"verbs": ["access"], "nonResourceURLs": ["/"]}]});
    let made = post(&admin, &at(&ws, &format!("{RBAC}/clusterroles")), role.clone())
        .await
        .ok(201);
    assert_eq!(made["rules"], role["rules"]);
    // RBAC names are path segments, not DNS names: kcp's own are `system:...` and
    // `compute:apiexport:kubernetes:bind` (KubeStellar's root:compute has such roles).
    let mut colons = role.clone();
    colons["metadata"]["name"] = json!("compute:apiexport:widgets:bind");
    post(&admin, &at(&ws, &format!("{RBAC}/clusterroles")), colons)
        .await
        .ok(201);
    let mut slash = role.clone();
    slash["metadata"]["name"] = json!("a/b");
    post(&admin, &at(&ws, &format!("{RBAC}/clusterroles")), slash)
        .await
        .fails(422, "Invalid");
    let binding = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "syncer"},
        "subjects": [{"kind": "ServiceAccount", "name": "syncer", "namespace": "default"}],
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "syncer"}});
    let crbs = at(&ws, &format!("{RBAC}/clusterrolebindings"));
    let made = post(&admin, &crbs, binding.clone()).await.ok(201);
    assert_eq!(made["subjects"], binding["subjects"]);
    assert_eq!(made["roleRef"], binding["roleRef"]);
    // kcp labels RBAC that grants on its own APIs for its cache server, a moment later (a new
    // resourceVersion: an update with the created one would be a 409).
    let ws_ref = ws.as_str();
    let replicated = |kind: &'static str| {
        move |s: &dyn KcpServer| {
            s.list(ws_ref, "rbac.authorization.k8s.io/v1", kind)
                .iter()
                .any(|o| {
                    o["metadata"]["name"] == "syncer"
                        && o["metadata"]["annotations"]["internal.kcp.io/replicate"]
                            == "apis.kcp.io,tenancy.kcp.io"
                })
        }
    };
    wait_for(
        &server,
        "the ClusterRole's replicate annotation",
        replicated("clusterroles"),
    );
    wait_for(
        &server,
        "the ClusterRoleBinding's replicate annotation",
        replicated("clusterrolebindings"),
    );
    let made = get(&admin, &format!("{crbs}/syncer")).await.ok(200);
    // roleRef is immutable (a binding is deleted and made again to change it, as syncer-gen does).
    let mut changed = made.clone();
    changed["roleRef"]["name"] = json!("other");
    let reply = put(&admin, &format!("{crbs}/syncer"), changed).await;
    reply.fails(422, "Invalid");
    assert!(
        reply.message().contains("cannot change roleRef"),
        "{}",
        reply.message()
    );
    let mut no_ref = binding.clone();
    no_ref["metadata"]["name"] = json!("no-ref");
    no_ref.as_object_mut().expect("an object").remove("roleRef");
    // (kcp resolves the role before validating: a 500 without a reason)
    let reply = post(&admin, &crbs, no_ref).await;
    reply.fails(500, "");
    assert_eq!(reply.message(), "unsupported role reference kind: \"\"");
    let mut no_verbs = role.clone();
    no_verbs["metadata"]["name"] = json!("no-verbs");
    no_verbs["rules"] = json!([{"apiGroups": [""], "resources": ["configmaps"]}]);
    post(&admin, &at(&ws, &format!("{RBAC}/clusterroles")), no_verbs)
        .await
        .fails(422, "Invalid");

    // Namespaced Roles and RoleBindings.
    let ns_rbac = format!("{RBAC}/namespaces/default");
    post(
        &admin,
        &at(&ws, &format!("{ns_rbac}/roles")),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
               "rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"]}]}),
    )
    .await
    .ok(201);
    post(
        &admin,
        &at(&ws, &format!("{ns_rbac}/rolebindings")),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "reader"},
               "subjects": [{"kind": "User", "name": "someone", "apiGroup": "rbac.authorization.k8s.io"}],
               "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}}),
    )
    .await
    .ok(201);
    let listed = get(&admin, &at(&ws, &format!("{ns_rbac}/rolebindings")))
        .await
        .ok(200);
    assert!(item_names(&listed).contains(&"reader".to_string()));
    let listed = get(&admin, &crbs).await.ok(200);
    assert!(item_names(&listed).contains(&"syncer".to_string()));
}

/// What kubectl v1.32 sends for `kubectl create configmap x --from-literal=a=b` (captured):
/// protobuf, as for every built-in kind.
const CREATE_CONFIGMAP: &[u8] = b"k8s\x00\n\x0f\n\x02v1\x12\tConfigMap\x12\x1b\n\x11\n\x01x\x12\x00\x1a\x00\"\x00*\x002\x008\x00B\x00\x12\x06\n\x01a\x12\x01b\x1a\x00\"\x00";

async fn post_bytes(client: &kube::Client, path: &str, content_type: &str, body: &[u8]) -> (u16, Value) {
    let request = http::Request::builder()
        .method("POST")
        .uri(path)
        .header("Content-Type", content_type)
        .header("Accept", "application/json")
        .body(kube::client::Body::from(body.to_vec()))
        .expect("a request");
    let response = client.send(request).await.expect("an answer");
    let status = response.status().as_u16();
    let is_json = response
        .headers()
        .get("Content-Type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let bytes = response.into_body().collect_bytes().await.expect("a body");
    let body = if is_json {
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_in_kinds_take_protobuf_bodies() {
    let server = Server::start(fast());
    let home = server.home();
    let admin = client(&server, "root").await;
    let cms = at(home, "api/v1/namespaces/default/configmaps");
    let (status, body) = post_bytes(
        &admin,
        &cms,
        "application/vnd.kubernetes.protobuf",
        CREATE_CONFIGMAP,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let made = get(&admin, &format!("{cms}/x")).await.ok(200);
    assert_eq!(made["data"], json!({"a": "b"}));
    // A body in no format the apiserver reads: 415, naming what a create takes (it named the
    // patch types, which sent kubectl users the wrong way).
    let (status, body) = post_bytes(&admin, &cms, "text/plain", b"x").await;
    assert_eq!(status, 415, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"),
        "{message}"
    );
}
