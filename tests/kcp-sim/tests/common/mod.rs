//! Helpers shared by the integration tests: a simulator with short delays, kube clients built
//! from the kubeconfig it renders, raw requests that keep the status code, watch streams read
//! event by event, and waits with bounded timeouts (never sleeps).

#![allow(dead_code)]

use http_body_util::BodyExt;
use kcp_sim::{SimConfig, SimServer};
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::{Value, json};
use std::time::Duration;

pub const WORKSPACES: &str = "apis/tenancy.kcp.io/v1alpha1/workspaces";
pub const APIS: &str = "apis/apis.kcp.io/v1alpha1";
/// Generous bound for waits: the simulator's delays are milliseconds.
pub const WAIT: Duration = Duration::from_secs(10);

/// A simulator whose controllers act within milliseconds.
pub fn fast() -> SimConfig {
    SimConfig {
        schedule_delay: Duration::from_millis(5),
        initialize_delay: Duration::from_millis(5),
        delete_delay: Duration::from_millis(50),
        export_delay: Duration::from_millis(5),
        binding_delay: Duration::from_millis(5),
        ..SimConfig::default()
    }
}

pub fn start(config: SimConfig) -> SimServer {
    SimServer::start(config).expect("the simulator starts")
}

/// A client for a kubeconfig context (`root`, `base`, `system:admin`, `user`), talking to the
/// context's own server URL, over the real TLS path with the generated CA. No retries, so
/// tests see every status code.
pub async fn context_client(sim: &SimServer, context: &str) -> kube::Client {
    let kubeconfig = Kubeconfig::from_yaml(&sim.kubeconfig()).expect("the rendered kubeconfig parses");
    let options = KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .expect("a kube config");
    config.default_retry = false;
    kube::Client::try_from(config).expect("a kube client")
}

/// A client for a context, addressing the server's base URL (paths carry `/clusters/...` or
/// `/services/...`).
pub async fn client(sim: &SimServer, context: &str) -> kube::Client {
    client_at(sim, context, sim.url()).await
}

/// A client for a context, addressing another server URL (a view URL, say).
pub async fn client_at(sim: &SimServer, context: &str, url: &str) -> kube::Client {
    let kubeconfig = Kubeconfig::from_yaml(&sim.kubeconfig()).expect("the rendered kubeconfig parses");
    let options = KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .expect("a kube config");
    config.cluster_url = url.parse().expect("a URL");
    config.default_retry = false;
    kube::Client::try_from(config).expect("a kube client")
}

/// A client that sends no credentials at all.
pub async fn anonymous_client(sim: &SimServer) -> kube::Client {
    let kubeconfig = Kubeconfig::from_yaml(&sim.kubeconfig()).expect("the rendered kubeconfig parses");
    let options = KubeConfigOptions {
        context: Some("base".into()),
        ..Default::default()
    };
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .expect("a kube config");
    config.auth_info = Default::default();
    config.default_retry = false;
    kube::Client::try_from(config).expect("a kube client")
}

/// An HTTP answer: status, headers and the JSON body (`Null` when it is not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The Status `reason`, for error answers.
    pub fn reason(&self) -> &str {
        self.body["reason"].as_str().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }

    /// The body, after checking the status code.
    #[track_caller]
    pub fn ok(self, status: u16) -> Value {
        assert_eq!(self.status, status, "unexpected answer: {}", self.body);
        self.body
    }

    /// Check an error answer: code and Status reason.
    #[track_caller]
    pub fn fails(&self, status: u16, reason: &str) {
        assert_eq!(
            (self.status, self.reason()),
            (status, reason),
            "unexpected answer: {}",
            self.body
        );
        assert_eq!(
            self.body["kind"], "Status",
            "errors are Status objects: {}",
            self.body
        );
        assert_eq!(
            self.body["code"],
            json!(status),
            "the Status code matches the HTTP code"
        );
    }
}

fn request(
    method: &str,
    path: &str,
    content_type: &str,
    body: Option<&Value>,
) -> http::Request<kube::client::Body> {
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let bytes = body
        .map(|b| serde_json::to_vec(b).expect("JSON"))
        .unwrap_or_default();
    http::Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", content_type)
        .header("Accept", "application/json")
        .body(kube::client::Body::from(bytes))
        .expect("a request")
}

/// Send a request and keep whatever comes back. Panics only if there is no HTTP answer.
pub async fn call(
    client: &kube::Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: Option<&Value>,
) -> Reply {
    try_call(client, method, path, content_type, body)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

pub async fn try_call(
    client: &kube::Client,
    method: &str,
    path: &str,
    content_type: &str,
    body: Option<&Value>,
) -> Result<Reply, kube::Error> {
    let response = tokio::time::timeout(WAIT, client.send(request(method, path, content_type, body)))
        .await
        .unwrap_or_else(|_| panic!("{method} {path}: no answer within {WAIT:?}"))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect_bytes().await?;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Reply {
        status,
        headers,
        body,
    })
}

pub async fn get(client: &kube::Client, path: &str) -> Reply {
    call(client, "GET", path, "application/json", None).await
}

pub async fn post(client: &kube::Client, path: &str, body: Value) -> Reply {
    call(client, "POST", path, "application/json", Some(&body)).await
}

pub async fn put(client: &kube::Client, path: &str, body: Value) -> Reply {
    call(client, "PUT", path, "application/json", Some(&body)).await
}

pub async fn patch(client: &kube::Client, path: &str, content_type: &str, body: Value) -> Reply {
    call(client, "PATCH", path, content_type, Some(&body)).await
}

pub async fn delete(client: &kube::Client, path: &str) -> Reply {
    call(client, "DELETE", path, "application/json", None).await
}

/// `/clusters/<path>/<rest>`
pub fn at(cluster: &str, rest: &str) -> String {
    format!("/clusters/{cluster}/{rest}")
}

/// A Workspace manifest.
pub fn workspace(name: &str) -> Value {
    json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name}})
}

pub fn configmap(name: &str, labels: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels}, "data": {"k": "v"}})
}

/// Block (off the async workers) until `check` holds over the simulator, or fail.
#[track_caller]
pub fn wait_for(sim: &SimServer, what: &str, check: impl FnMut(&SimServer) -> bool) {
    let ok = tokio::task::block_in_place(|| sim.wait_for(WAIT, check));
    assert!(ok, "timed out after {WAIT:?} waiting for {what}");
}

/// Create a workspace through the library and wait until it is Ready; returns its logical
/// cluster ID.
pub fn ready_workspace(sim: &SimServer, parent: &str, name: &str) -> String {
    let ws = tokio::task::block_in_place(|| sim.create_workspace(parent, name))
        .unwrap_or_else(|e| panic!("workspace {parent}:{name}: {e:?}"));
    ws["spec"]["cluster"]
        .as_str()
        .expect("a Ready workspace has spec.cluster")
        .to_string()
}

/// Read an object through the library and wait until `check` holds for it.
#[track_caller]
pub fn wait_object(
    sim: &SimServer,
    path: &str,
    api_version: &str,
    plural: &str,
    name: &str,
    mut check: impl FnMut(&Value) -> bool,
) -> Value {
    let mut last = Value::Null;
    let ok = tokio::task::block_in_place(|| {
        sim.wait_for(WAIT, |s| match s.get(path, api_version, plural, name) {
            Some(o) => {
                let done = check(&o);
                last = o;
                done
            }
            None => false,
        })
    });
    assert!(
        ok,
        "timed out waiting for {plural}/{name} in {path}; last seen: {last}"
    );
    last
}

/// A watch response read event by event.
pub struct Watch {
    body: kube::client::Body,
    buf: Vec<u8>,
    ended: bool,
}

impl Watch {
    /// Open a watch (the path carries `watch=true` and the other parameters); a non-200 answer
    /// comes back as the error.
    pub async fn open(client: &kube::Client, path: &str) -> Result<Watch, Reply> {
        let response =
            tokio::time::timeout(WAIT, client.send(request("GET", path, "application/json", None)))
                .await
                .unwrap_or_else(|_| panic!("watch {path}: no answer within {WAIT:?}"))
                .unwrap_or_else(|e| panic!("watch {path}: {e}"));
        let status = response.status().as_u16();
        if status != 200 {
            let headers = response.headers().clone();
            let bytes = response.into_body().collect_bytes().await.unwrap_or_default();
            return Err(Reply {
                status,
                headers,
                body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            });
        }
        Ok(Watch {
            body: response.into_body(),
            buf: Vec::new(),
            ended: false,
        })
    }

    /// The next event, or `None` when the server ends the stream. Panics if nothing comes
    /// within `WAIT`.
    pub async fn next(&mut self) -> Option<Value> {
        self.next_within(WAIT)
            .await
            .unwrap_or_else(|| panic!("no watch event within {WAIT:?}"))
    }

    /// `Some(next())`, or `None` when `limit` passes first.
    pub async fn next_within(&mut self, limit: Duration) -> Option<Option<Value>> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if let Some(i) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=i).collect();
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let event = serde_json::from_slice(&line).expect("each watch line is one JSON event");
                return Some(Some(event));
            }
            if self.ended {
                return Some(None);
            }
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Err(_) => return None,
                Ok(None) | Ok(Some(Err(_))) => self.ended = true,
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        self.buf.extend_from_slice(&data);
                    }
                }
            }
        }
    }

    /// Skip events until one satisfies `check`; panics if the stream ends first.
    pub async fn until(&mut self, mut check: impl FnMut(&Value) -> bool) -> Value {
        loop {
            match self.next().await {
                Some(e) if check(&e) => return e,
                Some(_) => {}
                None => panic!("the watch ended before the expected event"),
            }
        }
    }

    /// Expect the stream to end (within `WAIT`), ignoring bookmarks.
    pub async fn expect_end(&mut self) {
        loop {
            match self.next().await {
                None => return,
                Some(e) if e["type"] == "BOOKMARK" => {}
                Some(e) => panic!("expected the watch to end, got {e}"),
            }
        }
    }
}

/// `[(type, name)]` of events, for compact assertions.
pub fn names(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap_or_default().to_string(),
                e["object"]["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

/// The `kcp.io/cluster` annotation of an object.
pub fn cluster_of(object: &Value) -> &str {
    object["metadata"]["annotations"]["kcp.io/cluster"]
        .as_str()
        .unwrap_or("")
}

/// A fixture file under `tests/fixtures/`, parsed (one YAML document).
pub fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fresh, empty directory under the system temp dir, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kcp-sim-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
