//! The end-to-end harness: a kcp-sim per test, a fresh HOME and kubeconfig, the real
//! `kubectl` (which finds the plugin on PATH, as a user's does), and helpers to set up the
//! inventory a tutorial would.

pub(crate) use kcp_sim::harness as kcp;

pub(crate) use kcp::{KcpServer, RealKcp, wait_for};
use kcp_sim::{KcpVersion, SimConfig, SimServer};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// A directory removed when dropped.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "ks-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a command did.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub(crate) fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn code(self, want: i32) -> Run {
        assert_eq!(
            self.code, want,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The one `error:` line on stderr.
    #[track_caller]
    pub(crate) fn one_error_line(&self) -> &str {
        let lines: Vec<&str> = self.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "want one line on stderr, got:\n{}", self.stderr);
        assert!(lines[0].starts_with("error: "), "not an error line: {}", lines[0]);
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        lines[0]
    }
}

/// Whether the edge export in `root:espw` is ready: view URLs in its status (kcp v0.11), or
/// (v0.28 and later, which publish a view only once something binds the export) an identity
/// and the endpoint slice kcp makes.
pub(crate) fn edge_export_ready(s: &dyn KcpServer) -> bool {
    export_ready(s, "root:espw", "edge.kubestellar.io")
}

/// The same for any export.
pub(crate) fn export_ready(s: &dyn KcpServer, path: &str, name: &str) -> bool {
    s.get(path, "apis.kcp.io/v1alpha1", "apiexports", name)
        .is_some_and(|e| {
            e["status"]["virtualWorkspaces"]
                .as_array()
                .is_some_and(|v| !v.is_empty())
                || (e["status"]["identityHash"].is_string()
                    && s.get(path, "apis.kcp.io/v1alpha1", "apiexportendpointslices", name)
                        .is_some())
        })
}

/// The environment variable that makes kcp-sim behave as another kcp release: `0.32` (kcp
/// v0.28 and later: APIExport v1alpha2, view URLs only once something binds the export), or
/// `0.11` (the default).
pub(crate) const SIM_KCP_VERSION: &str = "KUBESTELLAR_SIM_KCP_VERSION";

/// kcp-sim's default configuration, as the kcp release `KUBESTELLAR_SIM_KCP_VERSION` names.
pub(crate) fn sim_config() -> SimConfig {
    let kcp_version = match std::env::var(SIM_KCP_VERSION) {
        Ok(v) if !v.is_empty() => v.parse().unwrap_or_else(|e| panic!("{SIM_KCP_VERSION}: {e}")),
        _ => KcpVersion::V0_11,
    };
    SimConfig {
        kcp_version,
        ..SimConfig::default()
    }
}

/// The server a test talks to: kcp-sim unless `KUBESTELLAR_REAL_KCP` names real kcp's
/// binaries.
enum Backend {
    Sim(SimServer),
    Real(Box<RealKcp>),
}

pub(crate) struct Env {
    backend: Backend,
    /// The kcp release the server behaves as (real kcp: v0.11, or v0.32 for v0.28 and later,
    /// as its discovery says).
    pub(crate) kcp_version: KcpVersion,
    pub(crate) dir: TempDir,
    pub(crate) kubeconfig: PathBuf,
}

pub(crate) fn plugin_bin() -> &'static str {
    env!("CARGO_BIN_EXE_kubectl-kubestellar")
}

/// What kubectl runs to complete `kubectl kubestellar <TAB>`.
pub(crate) fn completer_bin() -> &'static str {
    env!("CARGO_BIN_EXE_kubectl_complete-kubestellar")
}

/// Link the binaries `cargo install` installs into `bin`.
fn link_installed(bin: &Path) {
    std::os::unix::fs::symlink(plugin_bin(), bin.join("kubectl-kubestellar")).expect("link the plugin");
    std::os::unix::fs::symlink(completer_bin(), bin.join("kubectl_complete-kubestellar"))
        .expect("link the completer");
}

impl Env {
    /// A fresh server of the selected kind (kcp-sim, or real kcp), with nothing set up.
    pub(crate) fn new() -> Env {
        match kcp::real_kcp_bin_dir() {
            Some(bin) => {
                let dir = TempDir::new("e2e");
                let root = dir.path().join(".kcp");
                let real = RealKcp::start(&bin, &root);
                // A copy: tests that use `kubectl ws` rewrite it.
                let kubeconfig = dir.path().join("admin.kubeconfig");
                std::fs::copy(real.kubeconfig(), &kubeconfig).expect("copy kcp's admin.kubeconfig");
                let version = real.kcp_version();
                let mut env = Env::around(Backend::Real(Box::new(real)), dir, kubeconfig);
                env.kcp_version = version;
                env
            }
            None => Env::with(sim_config()),
        }
    }

    /// A real kcp with users of its own in its token file; `None` on kcp-sim (whose users do
    /// not have kcp's RBAC).
    pub(crate) fn real_with_users(users: &[kcp::TokenUser]) -> Option<Env> {
        let bin = kcp::real_kcp_bin_dir()?;
        let dir = TempDir::new("e2e");
        let root = dir.path().join(".kcp");
        let real = RealKcp::start_with_users(&bin, &root, users);
        let kubeconfig = dir.path().join("admin.kubeconfig");
        std::fs::copy(real.kubeconfig(), &kubeconfig).expect("copy kcp's admin.kubeconfig");
        let version = real.kcp_version();
        let mut env = Env::around(Backend::Real(Box::new(real)), dir, kubeconfig);
        env.kcp_version = version;
        Some(env)
    }

    /// kcp-sim behaving as the given kcp release, whatever the suite runs against.
    pub(crate) fn sim_version(version: KcpVersion) -> Env {
        Env::with(SimConfig {
            kcp_version: version,
            ..SimConfig::default()
        })
    }

    /// kcp-sim with a configuration of its own; such tests run only against kcp-sim.
    pub(crate) fn with(config: SimConfig) -> Env {
        let version = config.kcp_version;
        let sim = SimServer::start(config).expect("start kcp-sim");
        let dir = TempDir::new("e2e");
        let kubeconfig = dir.path().join("admin.kubeconfig");
        sim.write_kubeconfig(&kubeconfig).expect("write kubeconfig");
        let mut env = Env::around(Backend::Sim(sim), dir, kubeconfig);
        env.kcp_version = version;
        env
    }

    /// Whether the server behaves as kcp v0.28 or later (kcp-sim `--kcp-version 0.32`).
    pub(crate) fn newest(&self) -> bool {
        self.kcp_version == KcpVersion::V0_32
    }

    /// The first view URL of the edge export, as kubectl reads it: from the export's status
    /// (kcp v0.11), or from the endpoint slice kcp makes (v0.28 and later).
    pub(crate) fn edge_view_url(&self) -> String {
        let (kind, jsonpath) = if self.newest() {
            ("apiexportendpointslice", "jsonpath={.status.endpoints[0].url}")
        } else {
            ("apiexport", "jsonpath={.status.virtualWorkspaces[0].url}")
        };
        let run = self.kubectl_in("root:espw", &["get", kind, "edge.kubestellar.io", "-o", jsonpath]);
        run.ok().stdout
    }

    /// kcp-sim even when the suite runs against real kcp, for a test that needs what only
    /// kcp-sim has; `reason` says what, in one line.
    pub(crate) fn sim_only(reason: &str) -> Env {
        let _ = reason;
        Env::with(sim_config())
    }

    fn around(backend: Backend, dir: TempDir, kubeconfig: PathBuf) -> Env {
        // Only the binaries on PATH: target/debug also holds a `kubectl-kubestellar.d`
        // dep-info file, which kubectl would list as a broken plugin.
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).expect("bin dir");
        link_installed(&bin);
        if let Backend::Real(_) = backend {
            // kubectl-kcp and kubectl-ws, as KubeStellar's docs use them (kcp v0.28's are in
            // a module the Go module proxy does not serve: only the server is built then).
            let real = kcp::real_kcp_bin_dir().expect("real kcp");
            for plugin in ["kubectl-kcp", "kubectl-ws"] {
                if real.join(plugin).exists() {
                    std::os::unix::fs::symlink(real.join(plugin), bin.join(plugin))
                        .expect("link a kcp plugin");
                }
            }
        }
        Env {
            backend,
            kcp_version: KcpVersion::V0_11,
            dir,
            kubeconfig,
        }
    }

    /// Set-up and inspection on whichever server this is.
    pub(crate) fn kcp(&self) -> &dyn KcpServer {
        match &self.backend {
            Backend::Sim(sim) => sim,
            Backend::Real(real) => real.as_ref(),
        }
    }

    /// kcp-sim itself, for what only it has (faults, request counters).
    #[track_caller]
    pub(crate) fn sim(&self) -> &SimServer {
        match &self.backend {
            Backend::Sim(sim) => sim,
            Backend::Real(_) => panic!("this test needs kcp-sim: start it with Env::sim_only"),
        }
    }

    /// The real kcp, when that is the server.
    pub(crate) fn real(&mut self) -> Option<&mut RealKcp> {
        match &mut self.backend {
            Backend::Real(real) => Some(real.as_mut()),
            Backend::Sim(_) => None,
        }
    }

    pub(crate) fn real_ref(&self) -> Option<&RealKcp> {
        match &self.backend {
            Backend::Real(real) => Some(real.as_ref()),
            Backend::Sim(_) => None,
        }
    }

    pub(crate) fn is_real(&self) -> bool {
        matches!(self.backend, Backend::Real(_))
    }

    /// Base URL (no path).
    pub(crate) fn url(&self) -> &str {
        self.kcp().url()
    }

    /// A command with this test's environment: HOME (so kubectl's caches are fresh),
    /// KUBECONFIG, and the plugin first on PATH.
    pub(crate) fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        let path = format!(
            "{}:{}",
            self.dir.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        c.env("HOME", self.dir.path())
            .env("KUBECONFIG", &self.kubeconfig)
            .env("PATH", path)
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        c
    }

    pub(crate) fn kubectl(&self, args: &[&str]) -> Run {
        Run::from(self.command("kubectl").args(args).output().expect("run kubectl"))
    }

    /// `kubectl kubestellar ARGS...`, the way users run the plugin.
    pub(crate) fn plugin(&self, args: &[&str]) -> Run {
        let mut all = vec!["kubestellar"];
        all.extend_from_slice(args);
        self.kubectl(&all)
    }

    /// kubectl against a workspace path, as `--server <base>/clusters/<path>`.
    pub(crate) fn kubectl_in(&self, path: &str, args: &[&str]) -> Run {
        let server = format!("{}/clusters/{path}", self.url());
        let mut all = vec!["--server", server.as_str()];
        all.extend_from_slice(args);
        self.kubectl(&all)
    }

    /// `kubectl create -f -` in a workspace, from JSON.
    pub(crate) fn kubectl_create(&self, path: &str, object: &Value) -> Run {
        self.kubectl_stdin(path, &["create"], object)
    }

    /// `kubectl <verb> [flags] -f -` (create, apply, replace) in a workspace, from JSON.
    pub(crate) fn kubectl_stdin(&self, path: &str, verb_and_flags: &[&str], object: &Value) -> Run {
        let server = format!("{}/clusters/{path}", self.url());
        let mut child = self
            .command("kubectl")
            .args(["--server", &server])
            .args(verb_and_flags)
            .args(["-f", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run kubectl");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(object.to_string().as_bytes())
            .expect("write stdin");
        Run::from(child.wait_with_output().expect("kubectl ends"))
    }

    // --- set-up ------------------------------------------------------------------------

    /// The ESPW with the edge API, as `init espw` makes it (from the same generator).
    pub(crate) fn edge_api(&self) {
        self.kcp().create_workspace("root", "espw").expect("espw");
        self.edge_api_in_existing_espw();
    }

    /// The edge API's schemas and export in an existing `root:espw`.
    pub(crate) fn edge_api_in_existing_espw(&self) {
        let mut names = Vec::new();
        for schema in kubectl_kubestellar::edge_api::resource_schemas() {
            names.push(schema["metadata"]["name"].as_str().unwrap().to_string());
            self.kcp().create("root:espw", schema).expect("schema");
        }
        self.kcp()
            .create("root:espw", kubectl_kubestellar::edge_api::api_export(&names))
            .expect("export");
        let ready = wait_for(self.kcp(), WAIT, edge_export_ready);
        assert!(ready, "the edge export did not become ready");
    }

    /// An inventory workspace bound to the edge export.
    pub(crate) fn imw(&self, name: &str) -> String {
        let ws = self.kcp().create_workspace("root", name).expect("imw");
        self.kcp()
            .create(
                &format!("root:{name}"),
                json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-espw"},
                       "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}),
            )
            .expect("binding");
        let path = format!("root:{name}");
        let bound = wait_for(self.kcp(), WAIT, |s| {
            s.get(&path, "apis.kcp.io/v1alpha1", "apibindings", "bind-espw")
                .is_some_and(|b| b["status"]["phase"] == "Bound")
        });
        assert!(bound, "binding in {name} did not become Bound");
        ws["spec"]["cluster"].as_str().unwrap().to_string()
    }

    /// A SyncTarget, created directly; returns (cluster ID, UID).
    pub(crate) fn sync_target(&self, imw: &str, name: &str) -> (String, String) {
        let st = self
            .kcp()
            .create(&format!("root:{imw}"), json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": name}}))
            .expect("synctarget");
        (
            st["metadata"]["annotations"]["kcp.io/cluster"]
                .as_str()
                .unwrap()
                .into(),
            st["metadata"]["uid"].as_str().unwrap().into(),
        )
    }

    pub(crate) fn delete_sync_target(&self, imw: &str, name: &str) {
        self.kcp()
            .delete(
                &format!("root:{imw}"),
                "edge.kubestellar.io/v2alpha1",
                "synctargets",
                name,
            )
            .expect("delete the SyncTarget");
    }

    pub(crate) fn workspaces(&self, path: &str) -> Vec<Value> {
        self.kcp().list(path, "tenancy.kcp.io/v1alpha1", "workspaces")
    }

    pub(crate) fn mailbox_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .workspaces("root")
            .iter()
            .filter_map(|w| w["metadata"]["name"].as_str())
            .filter(|n| n.contains("-mb-"))
            .map(String::from)
            .collect();
        names.sort();
        names
    }

    /// Does the mailbox's logical cluster hold `bind-edge`?
    pub(crate) fn bound(&self, mailbox: &str) -> bool {
        self.kcp()
            .get(
                &format!("root:{mailbox}"),
                "apis.kcp.io/v1alpha1",
                "apibindings",
                "bind-edge",
            )
            .is_some_and(|b| {
                b["spec"]["reference"]["export"]
                    == json!({"path": "root:espw", "name": "edge.kubestellar.io"})
            })
    }
}

/// Names with `-mb-` of the workspaces in `path` not being deleted, sorted: what a converged
/// controller leaves (mailboxes, and look-alikes it must not touch).
pub(crate) fn mailbox_like(sim: &dyn KcpServer, path: &str) -> Vec<String> {
    let mut names: Vec<String> = sim
        .list(path, "tenancy.kcp.io/v1alpha1", "workspaces")
        .iter()
        .filter(|w| w["metadata"].get("deletionTimestamp").is_none())
        .map(|w| w["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .filter(|n| n.contains("-mb-"))
        .collect();
    names.sort();
    names
}

pub(crate) fn mailbox(cluster: &str, uid: &str) -> String {
    format!("{cluster}-mb-{uid}")
}

/// `command` without the variables `cargo test` sets for a test (`CARGO_MANIFEST_DIR`,
/// `CARGO_PKG_*`, ...): what a person's shell would have. A nested cargo that inherited them
/// would build with another environment than the outer one, so each would rebuild crates
/// after the other (crates that read them, like ring and rustls, record their values).
pub(crate) fn without_cargo_test_env(mut command: Command) -> Command {
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let set_by_cargo_test = ["CARGO_PKG_", "CARGO_BIN_", "CARGO_MANIFEST_"]
            .iter()
            .any(|p| key.starts_with(p))
            || [
                "CARGO",
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
                "OUT_DIR",
            ]
            .contains(&key);
        if set_by_cargo_test {
            command.env_remove(key);
        }
    }
    command
}

/// The `kcp-sim` binary, built once per test process (with the workspace's features, so an
/// earlier `cargo test --workspace` has already built it).
pub(crate) fn kcp_sim_bin() -> &'static Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let out = without_cargo_test_env(Command::new(env!("CARGO")))
            .args(["build", "--workspace", "--bin", "kcp-sim"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run cargo");
        assert!(
            out.status.success(),
            "cargo build --bin kcp-sim failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Path::new(plugin_bin()).with_file_name("kcp-sim")
    })
}

/// A directory holding just the plugin, its completer and kcp-sim, as `cargo install` would
/// leave them.
pub(crate) fn bin_dir(dir: &TempDir) -> PathBuf {
    let bin = dir.path().join("installed");
    if bin.exists() {
        return bin;
    }
    std::fs::create_dir_all(&bin).expect("bin dir");
    link_installed(&bin);
    std::os::unix::fs::symlink(kcp_sim_bin(), bin.join("kcp-sim")).expect("link");
    bin
}

/// A `kubectl kubestellar mailbox watch` process, with its stderr captured.
pub(crate) struct Controller {
    pid: u32,
    exit: std::sync::mpsc::Receiver<i32>,
    exited: Option<i32>,
    log: std::sync::Arc<(std::sync::Mutex<String>, std::sync::Condvar)>,
    pub(crate) metrics: Option<String>,
}

impl Env {
    /// Start the controller (metrics on a free port) and wait until it serves them.
    pub(crate) fn start_watch(&self, extra: &[&str]) -> Controller {
        self.start_watch_with(self.command("kubectl"), extra)
    }

    /// The controller as a user of its own (kcp-sim only): kcp-sim's request log then names
    /// `user` on each of its requests, to tell controllers apart.
    pub(crate) fn start_watch_as(&self, user: &str, extra: &[&str]) -> Controller {
        let sim = self.sim();
        let token = sim.add_user(user, kcp_sim::Role::Admin);
        let kubeconfig = self.dir.path().join(format!("{user}.kubeconfig"));
        std::fs::write(&kubeconfig, sim.kubeconfig().replace(sim.admin_token(), &token))
            .expect("write the controller's kubeconfig");
        let mut command = self.command("kubectl");
        command.env("KUBECONFIG", &kubeconfig);
        self.start_watch_with(command, extra)
    }

    /// The controller with another kubeconfig (a user of its own on real kcp).
    pub(crate) fn start_watch_with_kubeconfig(&self, kubeconfig: &Path, extra: &[&str]) -> Controller {
        let mut command = self.command("kubectl");
        command.env("KUBECONFIG", kubeconfig);
        self.start_watch_with(command, extra)
    }

    fn start_watch_with(&self, mut command: Command, extra: &[&str]) -> Controller {
        let mut args = vec!["kubestellar", "mailbox", "watch"];
        if !extra.contains(&"--server-bind-address") {
            args.extend(["--metrics-bind-address", "127.0.0.1:0"]);
        }
        args.extend_from_slice(extra);
        let mut child = command
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start watch");
        let log: std::sync::Arc<(std::sync::Mutex<String>, std::sync::Condvar)> = Default::default();
        let (sink, stderr) = (log.clone(), child.stderr.take().expect("stderr"));
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                let (text, cv) = &*sink;
                let mut t = text.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
                cv.notify_all();
            }
        });
        let pid = child.id();
        let (exit_tx, exit) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let code = child.wait().map(|s| s.code().unwrap_or(128 + 9)).unwrap_or(-1);
            let _ = exit_tx.send(code);
        });
        let mut c = Controller {
            pid,
            exit,
            exited: None,
            log,
            metrics: None,
        };
        let line = c
            .wait_log("serving /metrics", WAIT)
            .expect("the controller did not start");
        c.metrics = line.split("on http://").nth(1).map(|a| a.trim().to_string());
        c
    }
}

impl Controller {
    /// Wait (bounded) for a log line containing `needle`; returns it.
    pub(crate) fn wait_log(&self, needle: &str, timeout: Duration) -> Option<String> {
        let deadline = std::time::Instant::now() + timeout;
        let (text, cv) = &*self.log;
        let mut t = text.lock().unwrap();
        loop {
            if let Some(l) = t.lines().find(|l| l.contains(needle)) {
                return Some(l.to_string());
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return None;
            }
            t = cv.wait_timeout(t, left).unwrap().0;
        }
    }

    pub(crate) fn log(&self) -> String {
        self.log.0.lock().unwrap().clone()
    }

    pub(crate) fn signal(&self, signal: &str) {
        if self.exited.is_none() {
            Command::new("kill")
                .args([format!("-{signal}"), self.pid.to_string()])
                .status()
                .expect("kill");
        }
    }

    /// Wait (bounded) for the process to exit; its code, or None if it is still running.
    pub(crate) fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        if self.exited.is_none() {
            self.exited = self.exit.recv_timeout(timeout).ok();
        }
        self.exited
    }

    pub(crate) fn alive(&mut self) -> bool {
        self.wait_exit(Duration::ZERO).is_none()
    }

    /// GET a path on the metrics server: (status code, body).
    pub(crate) fn http_get(&self, path: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let addr = self.metrics.as_ref().expect("metrics address");
        let mut s = std::net::TcpStream::connect(addr).expect("connect to metrics");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let code = raw
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = raw
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (code, body)
    }

    pub(crate) fn metric(&self, name: &str) -> Option<f64> {
        let (_, body) = self.http_get("/metrics");
        body.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next()?.parse().ok())
    }
}

impl Drop for Controller {
    fn drop(&mut self) {
        self.signal("KILL");
        let _ = self.wait_exit(WAIT);
    }
}

/// Say on stderr why a test does nothing on this server (the harness shows it with --nocapture).
#[allow(clippy::print_stderr)]
pub(crate) fn skip(why: &str) {
    eprintln!("skipped: {why}");
}
