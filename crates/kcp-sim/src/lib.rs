//! kcp-sim: a simulator of the kcp v0.11 HTTP API.
//!
//! It speaks real Kubernetes REST on a real socket (HTTPS with its own CA, or plain HTTP):
//! workspaces with kcp's lifecycle, logical-cluster paths, APIExports, APIBindings and the
//! export's view, list/watch with a resourceVersion counter per shard, optionally kcp's
//! default APIBindings, and faults on demand. Start it in-process with [`SimServer::start`],
//! or as the `kcp-sim` binary.

mod api;
mod builtin;
mod discovery;
/// How a test starts and talks to the server it runs against: kcp-sim, or a real `kcp start`.
#[cfg(feature = "harness")]
pub mod harness;
mod http;
mod kcp;
mod kubeconfig;
mod model;
mod newest;
mod patch;
mod proto;
mod protobuf;
mod schema;
mod select;
mod status;
mod store;
mod table;
mod tls;
mod v1alpha2;

pub use status::ApiError;

use serde_json::Value;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// How the simulator behaves. Delays are kcp's controllers' latencies, shortened.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub listen: SocketAddr,
    /// Serve HTTPS with a generated CA (the default), or plain HTTP.
    pub tls: bool,
    /// Scheduling → Initializing (the logical cluster gets its ID and URL).
    pub schedule_delay: Duration,
    /// Initializing → Ready.
    pub initialize_delay: Duration,
    /// Ready → the `default` namespace exists.
    pub namespace_delay: Duration,
    /// How long a deleted workspace stays with `deletionTimestamp` before it is gone.
    pub delete_delay: Duration,
    /// Until an APIExport reports its identity and view URLs.
    pub export_delay: Duration,
    /// Until an APIBinding is Bound.
    pub binding_delay: Duration,
    /// Shards: each serves the export's view for the logical clusters it holds, at its own URL.
    /// Each has a `core.kcp.io/v1alpha1` Shard object in root (`root`, `shard-1`, ...),
    /// labelled `name: <its name>`, which Partitions select.
    pub shards: usize,
    /// The `region` label of each shard's Shard object, in shard order (none where missing or
    /// empty): what Partitions and a Workspace's `spec.location.selector` can select.
    pub shard_regions: Vec<String>,
    /// Publish view URLs in `APIExport.status.virtualWorkspaces` (kcp v0.11). When false, only
    /// `APIExportEndpointSlice`s carry them, as in kcp v0.28 and later.
    pub legacy_view_urls: bool,
    /// Which kcp to behave as: v0.11 (the default), or v0.32 (v0.28 and later: APIExport
    /// v1alpha2, no `status.virtualWorkspaces`, a slice kcp makes that lists a shard only once
    /// something there binds the export; `legacy_view_urls` is then ignored).
    pub kcp_version: KcpVersion,
    /// Interval of BOOKMARK events on watches that allow them.
    pub bookmark_interval: Duration,
    /// A resource's watch cache (kcp's, as the apiserver's): it keeps at least
    /// `history_min` events and all younger than `history_fresh`, up to `history_limit`. A
    /// watch from an older resourceVersion gets 410 Expired.
    pub history_limit: usize,
    pub history_min: usize,
    pub history_fresh: Duration,
    /// How long a list at a resourceVersion the server has not reached waits for it before
    /// answering 504 "Too large resource version" (the apiserver's 3 s).
    pub future_rv_wait: Duration,
    /// Latency added to every request (besides the fault controls).
    pub latency: Duration,
    /// kcp v0.11's default APIBindings: root exports (and binds) kcp's own APIs, and a new
    /// workspace binds `root:universal`'s five defaults, staying `Initializing` until they
    /// are Bound. Off by default: the exports would collide with tests that make their own
    /// `root:workload.kcp.io` (see the README).
    pub default_api_bindings: bool,
    /// With `default_api_bindings` (kcp v0.11 only): kcp's `root:compute` workspace and its
    /// `kubernetes` export (deployments, services, ingresses, pods), as kcp v0.11's
    /// `root-compute-workspace` battery makes them at start.
    pub root_compute: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            listen: "127.0.0.1:0".parse().expect("literal address"),
            tls: true,
            schedule_delay: Duration::from_millis(30),
            initialize_delay: Duration::from_millis(30),
            namespace_delay: Duration::from_millis(10),
            delete_delay: Duration::from_millis(300),
            export_delay: Duration::from_millis(50),
            binding_delay: Duration::from_millis(30),
            shards: 1,
            shard_regions: Vec::new(),
            legacy_view_urls: true,
            kcp_version: KcpVersion::V0_11,
            bookmark_interval: Duration::from_secs(5),
            history_limit: 100 * 1024,
            history_min: 100,
            history_fresh: Duration::from_secs(75),
            future_rv_wait: Duration::from_secs(3),
            latency: Duration::ZERO,
            default_api_bindings: true,
            root_compute: true,
        }
    }
}

/// The kcp release whose behaviour is simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KcpVersion {
    /// kcp v0.11.0, KubeStellar v0.14's.
    #[default]
    V0_11,
    /// kcp v0.32.3, the newest (what changed since v0.28 for an APIExport's client).
    V0_32,
}

impl std::str::FromStr for KcpVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim_start_matches('v') {
            "0.11" | "0.11.0" => Ok(KcpVersion::V0_11),
            "0.32" | "0.32.3" => Ok(KcpVersion::V0_32),
            _ => Err(format!("{s:?} is not a simulated kcp version: use 0.11 or 0.32")),
        }
    }
}

impl SimConfig {
    /// Delays of the order real kcp v0.11 shows on a small machine (seconds, not
    /// milliseconds): for demos and for checking that a client copes with them.
    pub fn kcp_like() -> SimConfig {
        SimConfig {
            schedule_delay: Duration::from_millis(500),
            initialize_delay: Duration::from_secs(3),
            namespace_delay: Duration::from_secs(2),
            delete_delay: Duration::from_secs(3),
            export_delay: Duration::from_secs(1),
            binding_delay: Duration::from_secs(1),
            ..SimConfig::default()
        }
    }
}

/// Faults switched at run time (library API or `PUT /kcp-sim/faults`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    /// Share of API requests (0.0–1.0) answered 500, 503 or 429 (with Retry-After) instead.
    pub error_rate: f64,
    /// Latency added to every request, in milliseconds.
    pub latency_ms: u64,
    /// Answer a compacted watch with HTTP 410 instead of a 200 stream holding an ERROR event.
    pub expired_as_status: bool,
}

/// Who a bearer token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `kcp-admin` (group `system:kcp:admin`): admin in every workspace.
    Admin,
    /// `shard-admin` (group `system:masters`): bypasses authorization, may use `*`.
    Masters,
    /// `user`: may read, and nothing else.
    ReadOnly,
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub name: String,
    pub role: Role,
}

/// Requests counted by verb, resource and logical cluster (as addressed).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct RequestKey {
    pub verb: String,
    pub resource: String,
    pub cluster: String,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RequestCounts {
    pub total: u64,
    pub by_key: BTreeMap<String, u64>,
    #[serde(skip)]
    pub keys: BTreeMap<RequestKey, u64>,
}

impl RequestCounts {
    /// Requests with this verb (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
    /// `discovery`, ...), optionally only for one resource.
    pub fn count(&self, verb: &str, resource: Option<&str>) -> u64 {
        self.keys
            .iter()
            .filter(|(k, _)| k.verb == verb && resource.is_none_or(|r| k.resource == r))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn by_verb(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for (k, n) in &self.keys {
            *out.entry(k.verb.clone()).or_default() += n;
        }
        out
    }
}

/// One request as it came, in order: what a test compares with the exact sequence a
/// command should send.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LoggedRequest {
    pub method: String,
    /// As addressed, e.g. `/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces`.
    pub path: String,
    /// The raw query string (empty when none).
    pub query: String,
    /// The body, when it was JSON.
    pub body: Option<Value>,
    /// Whose token it carried (`kcp-admin`, `shard-admin`, `user`, or a name given to
    /// [`SimServer::add_user`]); `None` without a token kcp-sim knows.
    pub user: Option<String>,
    /// The `User-Agent` header, when sent.
    pub user_agent: Option<String>,
}

/// Requests kept in the log; beyond, they are only counted (a soak test must not grow without end).
const LOG_LIMIT: usize = 50_000;

pub(crate) struct Tokens {
    pub admin: String,
    pub masters: String,
    pub user: String,
    /// Users added at run time ([`SimServer::add_user`]): token → (name, role).
    pub extra: Mutex<BTreeMap<String, (String, Role)>>,
}

/// The simulator's shared state.
pub(crate) struct Sim {
    pub state: Mutex<store::State>,
    pub config: SimConfig,
    pub builtins: Vec<Arc<model::ResourceDef>>,
    pub faults: Mutex<Faults>,
    pub counters: Mutex<RequestCounts>,
    pub log: Mutex<Vec<LoggedRequest>>,
    pub tokens: Tokens,
    /// The CA kcp-sim serves with (none over plain HTTP): service-account tokens' `ca.crt`.
    pub ca_pem: Option<String>,
    pub base_url: OnceLock<String>,
    pub runtime: tokio::runtime::Handle,
    /// Bumped to end every open watch.
    pub watch_epoch: tokio::sync::watch::Sender<u64>,
    /// Bumped to cut every open connection.
    pub conn_epoch: tokio::sync::watch::Sender<u64>,
    /// While set, the listener is closed: connections are refused.
    pub refusing: Mutex<Option<tokio::time::Instant>>,
    pub refuse_now: tokio::sync::Notify,
}

impl Sim {
    pub(crate) fn state(&self) -> MutexGuard<'_, store::State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn base_url(&self) -> &str {
        self.base_url.get().map(String::as_str).unwrap_or("")
    }

    pub(crate) fn user_for(&self, token: Option<&str>, tls: bool) -> Option<User> {
        match token {
            Some(t) if t == self.tokens.admin => Some(User {
                name: "kcp-admin".into(),
                role: Role::Admin,
            }),
            Some(t) if t == self.tokens.masters => Some(User {
                name: "shard-admin".into(),
                role: Role::Masters,
            }),
            Some(t) if t == self.tokens.user => Some(User {
                name: "user".into(),
                role: Role::ReadOnly,
            }),
            // kubectl sends no credentials over plain HTTP; there, anonymous is the admin.
            None if !tls => Some(User {
                name: "kcp-admin".into(),
                role: Role::Admin,
            }),
            Some(t) => {
                let extra = self.tokens.extra.lock().unwrap_or_else(|p| p.into_inner());
                extra.get(t).map(|(name, role)| User {
                    name: name.clone(),
                    role: *role,
                })
            }
            None => None,
        }
    }

    /// Log a request (its body comes later, with [`Sim::log_body`]); returns its place.
    fn log(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        user: Option<&User>,
        user_agent: Option<&str>,
    ) -> Option<usize> {
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        (log.len() < LOG_LIMIT).then(|| {
            log.push(LoggedRequest {
                method: method.to_string(),
                path: path.to_string(),
                query: query.unwrap_or_default().to_string(),
                body: None,
                user: user.map(|u| u.name.clone()),
                user_agent: user_agent.map(String::from),
            });
            log.len() - 1
        })
    }

    fn log_body(&self, at: Option<usize>, body: &[u8]) {
        let Some(at) = at.filter(|_| !body.is_empty()) else {
            return;
        };
        if let Some(entry) = self.log.lock().unwrap_or_else(|p| p.into_inner()).get_mut(at) {
            entry.body = serde_json::from_slice(body).ok();
        }
    }

    fn count(&self, key: RequestKey) {
        let mut c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        c.total += 1;
        *c.by_key
            .entry(format!("{} {} {}", key.verb, key.resource, key.cluster))
            .or_default() += 1;
        *c.keys.entry(key).or_default() += 1;
    }
}

/// A running simulator, on its own thread and runtime; dropping it stops it.
pub struct SimServer {
    sim: Arc<Sim>,
    url: String,
    ca_pem: Option<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SimServer {
    /// Start listening (on `config.listen`, e.g. `127.0.0.1:0`) and serve in the background.
    pub fn start(config: SimConfig) -> std::io::Result<SimServer> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("kcp-sim")
            .build()?;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("kcp-sim".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match http::Listening::bind(config).await {
                        Ok(listening) => {
                            let _ = ready_tx.send(Ok((
                                listening.sim.clone(),
                                listening.url.clone(),
                                listening.ca_pem.clone(),
                            )));
                            listening
                                .serve(async {
                                    let _ = shutdown_rx.await;
                                })
                                .await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let (sim, url, ca_pem) = ready_rx.recv().map_err(std::io::Error::other)??;
        Ok(SimServer {
            sim,
            url,
            ca_pem,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    /// `https://127.0.0.1:PORT` (no path).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The CA that signed the serving certificate, PEM (HTTPS only).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// A kubeconfig shaped like kcp's `.kcp/admin.kubeconfig` (contexts `root`, `base`,
    /// `system:admin`, plus `user` for the read-only user; current context `root`).
    pub fn kubeconfig(&self) -> String {
        kubeconfig::render(&self.url, self.ca_pem.as_deref(), &self.sim.tokens)
    }

    pub fn write_kubeconfig(&self, path: &std::path::Path) -> std::io::Result<()> {
        std::fs::write(path, self.kubeconfig())
    }

    pub fn admin_token(&self) -> &str {
        &self.sim.tokens.admin
    }

    pub fn user_token(&self) -> &str {
        &self.sim.tokens.user
    }

    /// A new user with `role`, named `name` in the request log (as kcp's
    /// `--token-auth-file` adds users): its token. Tests give each client process its own, to
    /// tell their requests apart.
    pub fn add_user(&self, name: &str, role: Role) -> String {
        let token = http::random_token();
        self.sim
            .tokens
            .extra
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(token.clone(), (name.to_string(), role));
        token
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.sim.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    pub fn faults(&self) -> Faults {
        self.sim.faults.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// End every open watch (as an apiserver restart or timeout does).
    pub fn drop_watches(&self) {
        self.sim.watch_epoch.send_modify(|e| *e += 1);
    }

    /// Forget the event history: watches from any older resourceVersion get 410 Expired.
    pub fn compact(&self) {
        let _ = self.sim.state().compact();
    }

    /// Close the listener and every connection for `for_`, then listen again on the same port.
    pub fn refuse_connections(&self, for_: Duration) {
        http::refuse(&self.sim, for_);
    }

    pub fn requests(&self) -> RequestCounts {
        self.sim
            .counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn reset_requests(&self) {
        *self.sim.counters.lock().unwrap_or_else(|p| p.into_inner()) = RequestCounts::default();
        self.sim.log.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Every API request since the start or the last [`SimServer::reset_requests`], in the
    /// order they came (the first 50,000).
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.sim.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Create an object as the admin would over REST (same admission and validation), at a
    /// workspace path. For test set-up; the plugin under test always goes over the socket.
    pub fn create(&self, path: &str, object: Value) -> Result<Value, ApiError> {
        api::create_internal(&self.sim, path, object)
    }

    /// Read an object: `(path, apiVersion, plural, namespace, name)`.
    pub fn get(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Option<Value> {
        api::get_internal(&self.sim, path, api_version, plural, None, name)
    }

    /// Objects of a resource in a workspace.
    pub fn list(&self, path: &str, api_version: &str, plural: &str) -> Vec<Value> {
        api::list_internal(&self.sim, path, api_version, plural)
    }

    /// Store an object exactly as given, bypassing admission and validation (see
    /// `put_raw_internal`): only for tests of what a correct server never sends.
    pub fn put_raw(
        &self,
        path: &str,
        api_version: &str,
        plural: &str,
        object: Value,
    ) -> Result<(), ApiError> {
        api::put_raw_internal(&self.sim, path, api_version, plural, object)
    }

    /// Delete an object as the admin would.
    pub fn delete(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Result<(), ApiError> {
        api::delete_internal(&self.sim, path, api_version, plural, name)
    }

    /// Wait until `check` holds over the simulator's objects, or `timeout` passes. Wakes on
    /// every change, so it never polls on a timer.
    pub fn wait_for(&self, timeout: Duration, mut check: impl FnMut(&SimServer) -> bool) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let seen = self.sim.state().changes;
            if check(self) {
                return true;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            let state = self.sim.state();
            if state.changes == seen {
                let changed = state.changed.clone();
                let _ = changed.wait_timeout(state, left);
            }
        }
    }

    /// Create a workspace (in `parent`, a path) and wait until it is Ready and has its
    /// `default` namespace (which comes a moment later, as kcp's e2e tests wait for).
    pub fn create_workspace(&self, parent: &str, name: &str) -> Result<Value, ApiError> {
        self.create(
            parent,
            serde_json::json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name}}),
        )?;
        let path = format!("{parent}:{name}");
        let ok = self.wait_for(Duration::from_secs(30), |s| {
            s.get(parent, "tenancy.kcp.io/v1alpha1", "workspaces", name)
                .is_some_and(|w| w["status"]["phase"] == "Ready")
                && s.get(&path, "v1", "namespaces", "default").is_some()
        });
        if !ok {
            return Err(ApiError::internal(format!(
                "workspace {parent}:{name} did not become Ready"
            )));
        }
        Ok(self
            .get(parent, "tenancy.kcp.io/v1alpha1", "workspaces", name)
            .unwrap_or_default())
    }

    /// Which shard holds a logical cluster (by its ID; root is on the first). With `shards`
    /// at 1, always 0.
    pub fn shard_of(&self, cluster: &str) -> usize {
        api::shard_of(&self.sim, cluster)
    }

    /// A shard's current resourceVersion: each shard counts its own, as each kcp shard has
    /// its own etcd.
    pub fn resource_version(&self, shard: usize) -> u64 {
        self.sim.state().rv(shard)
    }

    /// Number of stored objects (all kinds, all logical clusters).
    pub fn object_count(&self) -> usize {
        self.sim.state().object_count()
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Run the simulator on the current runtime until `shutdown` completes (the binary's way).
/// `on_ready` gets the URL, the kubeconfig and a way to set faults.
pub async fn serve(
    config: SimConfig,
    on_ready: impl FnOnce(&str, &str, &dyn Fn(Faults)),
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let listening = http::Listening::bind(config).await?;
    let kubeconfig = kubeconfig::render(&listening.url, listening.ca_pem.as_deref(), &listening.sim.tokens);
    let sim = listening.sim.clone();
    let set_faults = move |f: Faults| *sim.faults.lock().unwrap_or_else(|p| p.into_inner()) = f;
    on_ready(&listening.url, &kubeconfig, &set_faults);
    listening.serve(shutdown).await;
    Ok(())
}
