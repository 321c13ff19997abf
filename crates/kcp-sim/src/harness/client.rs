//! Helpers shared by the integration tests: a simulator with short delays, kube clients built
//! from the kubeconfig it renders, raw requests that keep the status code, watch streams read
//! event by event, and waits with bounded timeouts (never sleeps).
//!
//! The REST tests run against kcp-sim, or against a real kcp when `KUBESTELLAR_REAL_KCP` names
//! the directory of its binaries (see [`Server`]): one `kcp start` per test binary, shared by
//! its tests, each test working in a workspace of its own.

use crate::{SimConfig, SimServer};
use http_body_util::BodyExt;
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::{Value, json};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The real-kcp harness (`RealKcp`: `kcp start` on 127.0.0.1 with free ports, waiting for a
/// whole `admin.kubeconfig`), the crate's own.
pub use crate::harness as kcp;
pub use kcp::KcpServer;

pub const WORKSPACES: &str = "apis/tenancy.kcp.io/v1alpha1/workspaces";
pub const APIS: &str = "apis/apis.kcp.io/v1alpha1";
/// Generous bound for waits: the simulator's delays are milliseconds.
pub const WAIT: Duration = Duration::from_secs(10);
/// The bound on real kcp, whose controllers take seconds (a deleted workspace holding a
/// finalizer went some 20 s after its release on kcp v0.11.0).
pub const REAL_WAIT: Duration = Duration::from_secs(90);

/// The bound for waits against the server the tests run on.
pub fn patience() -> Duration {
    if real_kcp() { REAL_WAIT } else { WAIT }
}

/// Whether the tests run against a real kcp (`KUBESTELLAR_REAL_KCP` is set).
pub fn real_kcp() -> bool {
    kcp::real_kcp_bin_dir().is_some()
}

/// A simulator whose controllers act within milliseconds.
pub fn fast() -> SimConfig {
    SimConfig {
        schedule_delay: Duration::from_millis(5),
        initialize_delay: Duration::from_millis(5),
        delete_delay: Duration::from_millis(50),
        export_delay: Duration::from_millis(5),
        binding_delay: Duration::from_millis(5),
        // Tests of kcp-sim's own workings count root's workspaces.
        root_compute: false,
        ..SimConfig::default()
    }
}

pub fn start(config: SimConfig) -> SimServer {
    SimServer::start(config).expect("the simulator starts")
}

/// For a test that configures or inspects kcp-sim itself (faults, the admin API, request
/// counters, shards, its controllers' timing): the simulator, or `None` (after printing why)
/// when the tests run against a real kcp.
pub fn sim_only(why: &str, config: SimConfig) -> Option<SimServer> {
    if real_kcp() {
        println!("sim-only, skipped on real kcp: {why}");
        return None;
    }
    Some(start(config))
}

/// What the tests need of a server, kcp-sim or a real kcp: the top-level suite's [`KcpServer`] (reads,
/// writes and bounded waits as the admin) and the admin kubeconfig (contexts `root`, `base`,
/// `system:admin`; kcp-sim's has `user`). The helpers below take a `SimServer` or a [`Server`].
pub trait Target: KcpServer + Sync {
    fn kubeconfig(&self) -> Kubeconfig;
}

impl Target for SimServer {
    fn kubeconfig(&self) -> Kubeconfig {
        Kubeconfig::from_yaml(&SimServer::kubeconfig(self)).expect("the rendered kubeconfig parses")
    }
}

/// The server a test that runs on both talks to: its own kcp-sim, or the test binary's shared
/// real kcp. `home()` is the workspace the test works in: `root` on kcp-sim (the whole server
/// is the test's), a fresh organization workspace of the test's own on real kcp.
pub enum Server {
    Sim(SimServer),
    Real {
        kcp: &'static kcp::RealKcp,
        home: String,
    },
}

impl Server {
    /// kcp-sim with `config` (only its timing may matter: a real kcp ignores it), or the real
    /// kcp with a fresh home workspace named after the test.
    pub fn start(config: SimConfig) -> Server {
        let Some(bin_dir) = kcp::real_kcp_bin_dir() else {
            return Server::Sim(start(config));
        };
        let kcp = shared_real_kcp(&bin_dir);
        let name = unique_name();
        tokio::task::block_in_place(|| kcp::KcpServer::create_workspace(kcp, "root", &name))
            .unwrap_or_else(|e| panic!("the test's workspace root:{name}: {e}"));
        Server::Real {
            kcp,
            home: format!("root:{name}"),
        }
    }

    pub fn is_real(&self) -> bool {
        matches!(self, Server::Real { .. })
    }

    fn kcp(&self) -> &dyn KcpServer {
        match self {
            Server::Sim(sim) => sim,
            Server::Real { kcp, .. } => *kcp,
        }
    }

    /// The workspace this test works in.
    pub fn home(&self) -> &str {
        match self {
            Server::Sim(_) => "root",
            Server::Real { home, .. } => home,
        }
    }

    /// `<home>:<rest>`
    pub fn under(&self, rest: &str) -> String {
        format!("{}:{rest}", self.home())
    }

    /// For a part of a test that configures or inspects kcp-sim itself: the simulator, or
    /// `None` (after printing why) on real kcp.
    pub fn sim_part(&self, why: &str) -> Option<&SimServer> {
        match self {
            Server::Sim(sim) => Some(sim),
            Server::Real { .. } => {
                println!("sim-only part, skipped on real kcp: {why}");
                None
            }
        }
    }

    /// Marks a step whose answer differs on real kcp, saying what kcp does instead: true on
    /// real kcp (after printing the difference), for the caller to check kcp's answer.
    pub fn differs_on_real(&self, what_kcp_does: &str) -> bool {
        if self.is_real() {
            println!("differs on real kcp: {what_kcp_does}");
        }
        self.is_real()
    }
}

impl Target for Server {
    fn kubeconfig(&self) -> Kubeconfig {
        match self {
            Server::Sim(sim) => Target::kubeconfig(sim),
            // Read from the file: it names kcp's CA by a path relative to it.
            Server::Real { kcp, .. } => {
                Kubeconfig::read_from(kcp.stable_kubeconfig()).expect("kcp's kubeconfig parses")
            }
        }
    }
}

/// Either server's [`KcpServer`]; the real one's calls block on its own runtime, so off the test's
/// async workers.
impl KcpServer for Server {
    fn url(&self) -> &str {
        self.kcp().url()
    }
    fn create(&self, path: &str, object: Value) -> Result<Value, String> {
        tokio::task::block_in_place(|| self.kcp().create(path, object))
    }
    fn get(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Option<Value> {
        tokio::task::block_in_place(|| self.kcp().get(path, api_version, plural, name))
    }
    fn list(&self, path: &str, api_version: &str, plural: &str) -> Vec<Value> {
        tokio::task::block_in_place(|| self.kcp().list(path, api_version, plural))
    }
    fn delete(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Result<(), String> {
        tokio::task::block_in_place(|| self.kcp().delete(path, api_version, plural, name))
    }
    fn wait_until(&self, timeout: Duration, check: &mut dyn FnMut(&dyn KcpServer) -> bool) -> bool {
        self.kcp().wait_until(timeout, check)
    }
}

/// Check an answer for an API the server does not serve: 404, a `NotFound` Status on kcp-sim.
#[track_caller]
pub fn not_served(server: &Server, reply: &Reply) {
    if server.differs_on_real(
        "an API kcp does not serve is a plain-text 404 (\"404 page not found\"), not a Status",
    ) {
        assert_eq!(reply.status, 404, "{}", reply.body);
    } else {
        reply.fails(404, "NotFound");
    }
}

/// Poll `GET path` (bounded by `patience()`) while `pending(status)`; the last answer. For
/// what real kcp's controllers do a moment later, where kcp-sim's act at once.
pub async fn poll_get(client: &kube::Client, path: &str, pending: impl Fn(u16) -> bool) -> Reply {
    let deadline = tokio::time::Instant::now() + patience();
    loop {
        let reply = get(client, path).await;
        if !pending(reply.status) || tokio::time::Instant::now() >= deadline {
            return reply;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `GET path` once it is no longer 200 (a deleted object, a deleted logical cluster).
pub async fn gone(client: &kube::Client, path: &str) -> Reply {
    poll_get(client, path, |status| status == 200).await
}

/// `GET path` once it is no longer 404 (a resource served once its APIBinding is Bound).
pub async fn served(client: &kube::Client, path: &str) -> Reply {
    poll_get(client, path, |status| status == 404).await
}

/// A DNS label naming this test's home workspace: the test's name (libtest names its thread
/// after it) and a counter.
fn unique_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("test");
    let test = test.rsplit("::").next().unwrap_or(test);
    let name: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(50)
        .collect();
    format!("{}-{}", name.trim_matches('-'), N.fetch_add(1, Ordering::Relaxed))
}

/// The test binary's real kcp, started by the first test that needs it. Statics are never
/// dropped, so a watchdog process stops it (and removes its directory, keeping its log as
/// `<temp dir>/kcp-sim-rest-real-<pid>.log`) once the test binary has exited.
fn shared_real_kcp(bin_dir: &std::path::Path) -> &'static kcp::RealKcp {
    static REAL: OnceLock<kcp::RealKcp> = OnceLock::new();
    tokio::task::block_in_place(|| {
        REAL.get_or_init(|| {
            let root = std::env::temp_dir().join(format!("kcp-sim-rest-real-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            let started = Instant::now();
            let real = kcp::RealKcp::start(bin_dir, &root);
            println!(
                "real kcp ready in {:?} at {}",
                started.elapsed(),
                kcp::KcpServer::url(&real)
            );
            let script = format!(
                "while kill -0 {me} 2>/dev/null; do sleep 1; done; kill {kcp} 2>/dev/null; \
                 for _ in $(seq 30); do kill -0 {kcp} 2>/dev/null || break; sleep 1; done; \
                 kill -9 {kcp} 2>/dev/null; mv '{root}/kcp.log' '{root}.log'; rm -rf '{root}'",
                me = std::process::id(),
                kcp = real.pid().expect("kcp runs"),
                root = root.display()
            );
            #[expect(clippy::zombie_processes, reason = "it outlives the test binary, by design")]
            let _watchdog = std::process::Command::new("sh")
                .args(["-c", &script])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("the watchdog that stops kcp after the tests");
            real
        })
    })
}

/// A client for a kubeconfig context (`root`, `base`, `system:admin`, `user`), talking to the
/// context's own server URL, over the real TLS path with the generated CA. No retries, so
/// tests see every status code.
pub async fn context_client(server: &impl Target, context: &str) -> kube::Client {
    let kubeconfig = server.kubeconfig();
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
pub async fn client(server: &impl Target, context: &str) -> kube::Client {
    client_at(server, context, server.url()).await
}

/// A client for a context, addressing another server URL (a view URL, say).
pub async fn client_at(server: &impl Target, context: &str, url: &str) -> kube::Client {
    let kubeconfig = server.kubeconfig();
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
pub async fn anonymous_client(server: &impl Target) -> kube::Client {
    client_with_token(server, None).await
}

/// A client at the base URL with this bearer token, or none at all.
pub async fn client_with_token(server: &impl Target, token: Option<&str>) -> kube::Client {
    let kubeconfig = server.kubeconfig();
    let options = KubeConfigOptions {
        context: Some("base".into()),
        ..Default::default()
    };
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .expect("a kube config");
    config.auth_info = kube::config::AuthInfo {
        token: token.map(|t| t.to_string().into()),
        ..Default::default()
    };
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
    let limit = patience();
    let response = tokio::time::timeout(limit, client.send(request(method, path, content_type, body)))
        .await
        .unwrap_or_else(|_| panic!("{method} {path}: no answer within {limit:?}"))?;
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

/// Block (off the async workers) until `check` holds over the server, or fail.
#[track_caller]
pub fn wait_for(server: &impl Target, what: &str, mut check: impl FnMut(&dyn KcpServer) -> bool) {
    let limit = patience();
    let ok = tokio::task::block_in_place(|| server.wait_until(limit, &mut check));
    assert!(ok, "timed out after {limit:?} waiting for {what}");
}

/// Create a workspace through the library and wait until it is Ready; returns its logical
/// cluster ID.
pub fn ready_workspace(server: &impl Target, parent: &str, name: &str) -> String {
    let ws = tokio::task::block_in_place(|| server.create_workspace(parent, name))
        .unwrap_or_else(|e| panic!("workspace {parent}:{name}: {e}"));
    ws["spec"]["cluster"]
        .as_str()
        .expect("a Ready workspace has spec.cluster")
        .to_string()
}

/// Read an object through the library and wait until `check` holds for it.
#[track_caller]
pub fn wait_object(
    server: &impl Target,
    path: &str,
    api_version: &str,
    plural: &str,
    name: &str,
    mut check: impl FnMut(&Value) -> bool,
) -> Value {
    let mut last = Value::Null;
    let ok = tokio::task::block_in_place(|| {
        server.wait_until(
            patience(),
            &mut |s| match s.get(path, api_version, plural, name) {
                Some(o) => {
                    let done = check(&o);
                    last = o;
                    done
                }
                None => false,
            },
        )
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
        let limit = patience();
        let response =
            tokio::time::timeout(limit, client.send(request("GET", path, "application/json", None)))
                .await
                .unwrap_or_else(|_| panic!("watch {path}: no answer within {limit:?}"))
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
    /// within `patience()`.
    pub async fn next(&mut self) -> Option<Value> {
        let limit = patience();
        self.next_within(limit)
            .await
            .unwrap_or_else(|| panic!("no watch event within {limit:?}"))
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

    /// Expect the stream to end (within `patience()`), ignoring bookmarks.
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
