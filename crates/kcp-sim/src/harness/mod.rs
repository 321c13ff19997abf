//! The server a test runs against: kcp-sim (the default) or a real `kcp start` (when
//! `KUBESTELLAR_REAL_KCP` names a directory holding kcp's binaries, as
//! `scripts/real-kcp.sh` prints). Tests set up and inspect state through the `KcpServer` trait,
//! which both serve; the plugin and kubectl always talk over the socket.

/// Clients, raw requests, watches and bounded waits for tests of the HTTP API, against
/// kcp-sim or a real kcp ([`client::Server`]).
#[allow(clippy::print_stdout)] // a test says on stdout why it skips, as cargo shows it
pub mod client;

use crate::SimServer;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable that selects real kcp: the directory of `kcp`, `kubectl-kcp`
/// and `kubectl-ws` (just `kcp` for v0.28, whose plugins the proxy does not serve).
pub const REAL_KCP: &str = "KUBESTELLAR_REAL_KCP";

pub fn real_kcp_bin_dir() -> Option<PathBuf> {
    std::env::var_os(REAL_KCP)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Whether the real kcp's directory also holds its kubectl plugins (`kubectl ws`, `kubectl
/// kcp`), which the v0.28 wrapper cannot build.
pub fn real_kcp_has_plugins() -> bool {
    real_kcp_bin_dir().is_some_and(|d| d.join("kubectl-ws").exists() && d.join("kubectl-kcp").exists())
}

/// Set-up and inspection, as the admin, on either server.
pub trait KcpServer {
    /// Base URL, no path.
    fn url(&self) -> &str;
    fn create(&self, path: &str, object: Value) -> Result<Value, String>;
    fn get(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Option<Value>;
    fn list(&self, path: &str, api_version: &str, plural: &str) -> Vec<Value>;
    fn delete(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Result<(), String>;
    /// Wait (bounded) until `check` holds.
    fn wait_until(&self, timeout: Duration, check: &mut dyn FnMut(&dyn KcpServer) -> bool) -> bool;

    /// Create a workspace in `parent` and wait until it is Ready and has its `default`
    /// namespace; the Workspace as read when Ready.
    fn create_workspace(&self, parent: &str, name: &str) -> Result<Value, String> {
        self.create(
            parent,
            json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name}}),
        )?;
        let mut ready = None;
        let ok = self.wait_until(Duration::from_secs(60), &mut |s| {
            ready = s
                .get(parent, "tenancy.kcp.io/v1alpha1", "workspaces", name)
                .filter(|w| w["status"]["phase"] == "Ready");
            ready.is_some()
        });
        let Some(w) = ready.filter(|_| ok) else {
            return Err(format!("workspace {parent}:{name} did not become Ready"));
        };
        // kcp makes its `default` namespace a moment after Ready; kcp's e2e tests wait for it.
        let path = format!("{parent}:{name}");
        let namespace = self.wait_until(Duration::from_secs(60), &mut |s| {
            s.get(&path, "v1", "namespaces", "default").is_some()
        });
        if !namespace {
            return Err(format!("workspace {path} got no default namespace"));
        }
        Ok(w)
    }
}

/// `wait_for` with a closure, for both servers.
pub fn wait_for(
    kcp: &dyn KcpServer,
    timeout: Duration,
    mut check: impl FnMut(&dyn KcpServer) -> bool,
) -> bool {
    kcp.wait_until(timeout, &mut check)
}

impl KcpServer for SimServer {
    fn url(&self) -> &str {
        SimServer::url(self)
    }
    fn create(&self, path: &str, object: Value) -> Result<Value, String> {
        SimServer::create(self, path, object).map_err(|e| format!("{e:?}"))
    }
    fn get(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Option<Value> {
        SimServer::get(self, path, api_version, plural, name)
    }
    fn list(&self, path: &str, api_version: &str, plural: &str) -> Vec<Value> {
        SimServer::list(self, path, api_version, plural)
    }
    fn delete(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Result<(), String> {
        SimServer::delete(self, path, api_version, plural, name).map_err(|e| format!("{e:?}"))
    }
    fn wait_until(&self, timeout: Duration, check: &mut dyn FnMut(&dyn KcpServer) -> bool) -> bool {
        SimServer::wait_for(self, timeout, |s| check(s))
    }
}

/// A user of kcp's `--token-auth-file`, added before kcp starts: its token, name and groups.
#[derive(Debug, Clone)]
pub struct TokenUser {
    pub name: String,
    pub token: String,
    pub groups: Vec<String>,
}

/// A real `kcp start` of this test's own: its root directory, ports on 127.0.0.1, its log.
pub struct RealKcp {
    child: Option<Child>,
    pub root: PathBuf,
    url: String,
    client: Option<kube::Client>,
    runtime: tokio::runtime::Runtime,
    pub log: PathBuf,
    ports: [u16; 3],
    bin_dir: PathBuf,
    token: String,
    users: Vec<TokenUser>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

impl RealKcp {
    /// Start kcp in `root` (a fresh directory) and wait (bounded) until it is ready.
    pub fn start(bin_dir: &Path, root: &Path) -> RealKcp {
        RealKcp::start_on(bin_dir, root, [free_port(), free_port(), free_port()])
    }

    /// The same, with users of their own in kcp's token file (besides the admin).
    pub fn start_with_users(bin_dir: &Path, root: &Path, users: &[TokenUser]) -> RealKcp {
        RealKcp::start_with(bin_dir, root, [free_port(), free_port(), free_port()], users)
    }

    /// The same on given ports: the API server's, then embedded etcd's client and peer ports.
    pub fn start_on(bin_dir: &Path, root: &Path, ports: [u16; 3]) -> RealKcp {
        RealKcp::start_with(bin_dir, root, ports, &[])
    }

    fn start_with(bin_dir: &Path, root: &Path, ports: [u16; 3], users: &[TokenUser]) -> RealKcp {
        let mut kcp = RealKcp {
            child: None,
            root: root.to_path_buf(),
            url: format!("https://127.0.0.1:{}", ports[0]),
            client: None,
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime"),
            log: root.join("kcp.log"),
            ports,
            bin_dir: bin_dir.to_path_buf(),
            token: format!("kubestellar-tests-{}-{}", std::process::id(), ports[0]),
            users: users.to_vec(),
        };
        kcp.launch();
        kcp
    }

    fn launch(&mut self) {
        std::fs::create_dir_all(&self.root).expect("kcp's root directory");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("kcp log file");
        let [secure, etcd_client, etcd_peer] = self.ports;
        // A static token in kcp's admin group: kcp-admin's own token is new at every start,
        // and shard-admin (system:masters) makes workspaces that never leave Initializing.
        let tokens = self.root.join("tokens.csv");
        let mut lines = format!(
            "{},kubestellar-tests,kubestellar-tests,\"system:kcp:admin\"\n",
            self.token
        );
        for u in &self.users {
            lines.push_str(&format!(
                "{},{},{},\"{}\"\n",
                u.token,
                u.name,
                u.name,
                u.groups.join(",")
            ));
        }
        std::fs::write(&tokens, lines).expect("write the token file");
        // Loopback only: kcp otherwise advertises the machine's own address in the
        // kubeconfig and in every view URL.
        let child = Command::new(self.bin_dir.join("kcp"))
            .arg("start")
            .arg("--root-directory")
            .arg(&self.root)
            .args(["--bind-address", "127.0.0.1", "--external-hostname", "127.0.0.1"])
            .arg(format!("--secure-port={secure}"))
            .arg(format!("--embedded-etcd-client-port={etcd_client}"))
            .arg(format!("--embedded-etcd-peer-port={etcd_peer}"))
            .arg("--embedded-etcd-wal-size-bytes=5000")
            .arg("--token-auth-file")
            .arg(&tokens)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}/kcp: {e}", self.bin_dir.display()));
        self.child = Some(child);
        self.wait_ready();
    }

    /// The kubeconfig kcp writes (its `kcp-admin` token changes at every start).
    pub fn kubeconfig(&self) -> PathBuf {
        self.root.join("admin.kubeconfig")
    }

    /// kcp's kubeconfig with the `kcp-admin` user's token swapped for this test's static one,
    /// which outlives a restart, as a deployed controller's credentials would.
    pub fn stable_kubeconfig(&self) -> PathBuf {
        self.root.join("stable.kubeconfig")
    }

    /// kcp's kubeconfig with `kcp-admin`'s token swapped for `token` (a user's of
    /// [`RealKcp::start_with_users`]), written to `path`.
    pub fn write_kubeconfig_with_token(&self, token: &str, path: &Path) {
        let text = std::fs::read_to_string(self.kubeconfig()).expect("read admin.kubeconfig");
        let swapped = admin_token().replace(&text, format!("${{1}}{token}").as_str());
        std::fs::write(path, swapped.as_ref()).expect("write a user's kubeconfig");
    }

    fn write_stable_kubeconfig(&self) {
        let text = std::fs::read_to_string(self.kubeconfig()).expect("read admin.kubeconfig");
        let re = admin_token();
        assert!(re.is_match(&text), "kcp-admin's token not found in:\n{text}");
        let stable = re.replace(&text, format!("${{1}}{}", self.token).as_str());
        std::fs::write(self.stable_kubeconfig(), stable.as_ref()).expect("write stable.kubeconfig");
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// kcp's own e2e framework allows a minute; 2 cores shared with tests get two.
    fn wait_ready(&mut self) {
        let launched = std::time::SystemTime::now() - Duration::from_secs(1);
        let deadline = Instant::now() + Duration::from_secs(120);
        let kubeconfig = self.kubeconfig();
        // Written anew at every start (after a restart too: the `kcp-admin` token changes), and
        // not atomically: read on only once the last part, the users' tokens, is there (kcp
        // v0.28 was caught mid-write after a restart).
        let written = |p: &Path| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= launched)
                && std::fs::read_to_string(p).is_ok_and(|text| {
                    admin_token()
                        .find(&text)
                        .is_some_and(|m| text[m.end()..].starts_with('\n'))
                })
        };
        while !written(&kubeconfig) {
            self.assert_running();
            assert!(
                Instant::now() < deadline,
                "kcp wrote no kubeconfig:\n{}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let text = std::fs::read_to_string(&kubeconfig).expect("read admin.kubeconfig");
        self.write_stable_kubeconfig();
        let kubeconfig = self.stable_kubeconfig();
        assert!(
            text.contains(&format!("server: {}", self.url)),
            "kcp's kubeconfig does not point at {} (loopback only):\n{text}",
            self.url
        );
        self.client = Some(self.runtime.block_on(async {
            let options = kube::config::KubeConfigOptions {
                context: Some("base".into()),
                ..Default::default()
            };
            let kc = kube::config::Kubeconfig::read_from(&kubeconfig).expect("parse admin.kubeconfig");
            let config = kube::Config::from_custom_kubeconfig(kc, &options)
                .await
                .expect("admin.kubeconfig's base context");
            kube::Client::try_from(config).expect("a client for kcp")
        }));
        loop {
            self.assert_running();
            if self
                .raw("GET", "/readyz", None)
                .is_ok_and(|(code, _)| code == 200)
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "kcp did not become ready:\n{}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn assert_running(&mut self) {
        if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
            panic!("kcp exited ({status}):\n{}", self.log_tail());
        }
    }

    /// One request as the admin: (status, body).
    pub fn raw(&self, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, String), String> {
        let request = http::Request::builder()
            .method(method)
            .uri(path)
            .header("Content-Type", "application/json")
            .body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default())
            .map_err(|e| e.to_string())?;
        let client = self.client.as_ref().ok_or("kcp has no kubeconfig yet")?;
        self.runtime.block_on(async {
            let response =
                tokio::time::timeout(Duration::from_secs(30), client.send(request.map(Into::into)))
                    .await
                    .map_err(|_| "kcp did not answer in 30 s".to_string())?
                    .map_err(|e| e.to_string())?;
            let code = response.status().as_u16();
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .map_err(|e| e.to_string())?
                .to_bytes();
            Ok((code, String::from_utf8_lossy(&bytes).into_owned()))
        })
    }

    /// kcp's process ID, while it runs (the benchmarks read its CPU time from /proc).
    #[allow(
        dead_code,
        reason = "the benchmarks' (bench/src/inventory.rs), not the tests'"
    )]
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The kcp generation this server is, from its discovery as the plugin finds it out:
    /// `apis.kcp.io/v1alpha2` served means v0.28 or later (kcp-sim's `0.32`).
    pub fn kcp_version(&self) -> crate::KcpVersion {
        let (code, body) = self
            .raw("GET", "/clusters/root/apis/apis.kcp.io", None)
            .unwrap_or_else(|e| panic!("kcp's discovery of apis.kcp.io: {e}"));
        assert_eq!(code, 200, "kcp's discovery of apis.kcp.io: {body}");
        let group: Value = serde_json::from_str(&body).expect("a discovery document");
        let v1alpha2 = group["versions"]
            .as_array()
            .is_some_and(|v| v.iter().any(|v| v["version"] == "v1alpha2"));
        if v1alpha2 {
            crate::KcpVersion::V0_32
        } else {
            crate::KcpVersion::V0_11
        }
    }

    /// Freeze kcp (SIGSTOP) or let it go on (SIGCONT).
    pub fn signal(&self, signal: &str) {
        if let Some(c) = &self.child {
            Command::new("kill")
                .args([format!("-{signal}"), c.id().to_string()])
                .status()
                .expect("kill");
        }
    }

    /// Kill kcp (SIGKILL) and start it again on the same root directory and ports.
    pub fn kill_and_restart(&mut self) {
        self.stop(true);
        self.launch();
    }

    fn stop(&mut self, kill: bool) {
        if let Some(mut c) = self.child.take() {
            let signal = if kill { "-KILL" } else { "-TERM" };
            let _ = Command::new("kill").args([signal, &c.id().to_string()]).status();
            let deadline = Instant::now() + Duration::from_secs(30);
            while c.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for RealKcp {
    fn drop(&mut self) {
        self.stop(false);
    }
}

/// `kcp-admin`'s token in kcp's kubeconfig.
fn admin_token() -> regex::Regex {
    regex::Regex::new(r"(- name: kcp-admin\n  user:\n    token: )\S+").unwrap()
}

/// The REST path of a resource collection in a workspace.
fn collection(path: &str, api_version: &str, plural: &str) -> String {
    if api_version.contains('/') {
        format!("/clusters/{path}/apis/{api_version}/{plural}")
    } else {
        format!("/clusters/{path}/api/{api_version}/{plural}")
    }
}

impl KcpServer for RealKcp {
    fn url(&self) -> &str {
        &self.url
    }
    fn create(&self, path: &str, object: Value) -> Result<Value, String> {
        let api_version = object["apiVersion"].as_str().unwrap_or_default().to_string();
        let kind = object["kind"].as_str().unwrap_or_default();
        let plural = plural_of(kind);
        let (code, body) = self.raw("POST", &collection(path, &api_version, &plural), Some(&object))?;
        if code >= 300 {
            return Err(format!("create {kind} in {path}: {code} {body}"));
        }
        serde_json::from_str(&body).map_err(|e| e.to_string())
    }
    fn get(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Option<Value> {
        let (code, body) = self
            .raw(
                "GET",
                &format!("{}/{name}", collection(path, api_version, plural)),
                None,
            )
            .ok()?;
        (code == 200).then(|| serde_json::from_str(&body).ok()).flatten()
    }
    fn list(&self, path: &str, api_version: &str, plural: &str) -> Vec<Value> {
        let Ok((200, body)) = self.raw("GET", &collection(path, api_version, plural), None) else {
            return Vec::new();
        };
        serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|l| l["items"].as_array().cloned())
            .unwrap_or_default()
    }
    fn delete(&self, path: &str, api_version: &str, plural: &str, name: &str) -> Result<(), String> {
        let (code, body) = self.raw(
            "DELETE",
            &format!("{}/{name}", collection(path, api_version, plural)),
            None,
        )?;
        if code >= 300 {
            return Err(format!("delete {plural}/{name} in {path}: {code} {body}"));
        }
        Ok(())
    }
    /// Real kcp has no change feed for tests: poll the condition, bounded.
    fn wait_until(&self, timeout: Duration, check: &mut dyn FnMut(&dyn KcpServer) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if check(self) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The plural of the kinds tests create.
fn plural_of(kind: &str) -> String {
    match kind {
        "APIExportEndpointSlice" => "apiexportendpointslices".into(),
        "CustomResourceDefinition" => "customresourcedefinitions".into(),
        k => format!("{}s", k.to_lowercase()),
    }
}
