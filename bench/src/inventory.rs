//! A server holding the edge API and an inventory of SyncTargets, set up the way the
//! end-to-end tests do (tests/e2e/common/mod.rs): kcp-sim in this process (the default), or a
//! real `kcp start` of the harness's own (`Options::real_kcp`), started as the tests start it
//! (kcp-sim's `harness` module). On kcp-sim, loading goes through the simulator's in-process
//! `create`: it is fast, and it is not counted as requests, so the counters hold only what the
//! command under test did. On real kcp it goes through the API as the admin.

use crate::kcp::{KcpServer, RealKcp};
use crate::tmp::TempDir;
use crate::{RealKcpTarget, progress};
use kcp_sim::{SimConfig, SimServer};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

pub const ESPW: &str = "root:espw";
pub const EXPORT: &str = "edge.kubestellar.io";
pub const TENANCY: &str = "tenancy.kcp.io/v1alpha1";
pub const APIS: &str = "apis.kcp.io/v1alpha1";
const EDGE: &str = "edge.kubestellar.io/v2alpha1";
const SET_UP: Duration = Duration::from_secs(60);
/// Real kcp makes a workspace Ready in seconds when idle, much later on a busy machine.
const SET_UP_REAL: Duration = Duration::from_secs(300);

/// One SyncTarget and the mailbox the design gives it.
#[derive(Debug, Clone)]
pub struct SyncTarget {
    pub imw: String,
    pub name: String,
    /// `<kcp.io/cluster>-mb-<uid>`.
    pub mailbox: String,
}

/// The server the plugin runs against.
#[allow(clippy::large_enum_variant)] // one per inventory, never moved around
pub enum Server {
    Sim { sim: SimServer, config: SimConfig },
    Real(Box<RealKcp>),
}

pub struct Inventory {
    pub server: Server,
    pub dir: TempDir,
    pub kubeconfig: PathBuf,
    /// Inventory workspace paths (`root:imw1`, ...).
    pub imws: Vec<String>,
    pub sync_targets: Vec<SyncTarget>,
}

impl Inventory {
    /// A server (kcp-sim with `latency` per request, or a real kcp when `real` says so), the
    /// ESPW with the edge API, and `imws` inventory workspaces bound to it, each Ready and
    /// Bound.
    pub fn start(latency: Duration, imws: usize, real: Option<&RealKcpTarget>) -> Result<Inventory, String> {
        let dir = TempDir::new(if real.is_some() { "kcp" } else { "sim" })
            .map_err(|e| format!("cannot make a temp dir: {e}"))?;
        let kubeconfig = dir.path().join("admin.kubeconfig");
        let server = match real {
            None => {
                let config = SimConfig {
                    latency,
                    // Five default bindings per mailbox are kcp-sim's work, not the plugin's
                    // (which never reads them); left out, the figures stay the plugin's.
                    default_api_bindings: false,
                    ..SimConfig::default()
                };
                let sim =
                    SimServer::start(config.clone()).map_err(|e| format!("cannot start kcp-sim: {e}"))?;
                sim.write_kubeconfig(&kubeconfig)
                    .map_err(|e| format!("cannot write the kubeconfig: {e}"))?;
                Server::Sim { sim, config }
            }
            Some(target) => {
                let root = dir.path().join(".kcp");
                let real = start_real(target, &root)?;
                std::fs::copy(real.kubeconfig(), &kubeconfig)
                    .map_err(|e| format!("cannot copy kcp's admin.kubeconfig: {e}"))?;
                Server::Real(Box::new(real))
            }
        };
        let mut inv = Inventory {
            server,
            dir,
            kubeconfig,
            imws: Vec::new(),
            sync_targets: Vec::new(),
        };
        inv.edge_api()?;
        inv.imws = (1..=imws).map(|i| format!("root:imw{i}")).collect();
        inv.bind_imws()?;
        Ok(inv)
    }

    /// Set-up and inspection as the admin, on either server.
    pub fn kcp(&self) -> &dyn KcpServer {
        match &self.server {
            Server::Sim { sim, .. } => sim,
            Server::Real(real) => real.as_ref(),
        }
    }

    /// The simulator, when that is the server (request counters, change feed).
    pub fn sim(&self) -> Option<&SimServer> {
        match &self.server {
            Server::Sim { sim, .. } => Some(sim),
            Server::Real(_) => None,
        }
    }

    pub fn real(&self) -> Option<&RealKcp> {
        match &self.server {
            Server::Sim { .. } => None,
            Server::Real(real) => Some(real),
        }
    }

    /// What kcp-sim takes to make a new workspace Ready (the part of a mailbox's latency that
    /// belongs to the server, not to the tool); None on real kcp, where it is measured.
    pub fn readiness_delay(&self) -> Option<Duration> {
        match &self.server {
            Server::Sim { config, .. } => Some(config.schedule_delay + config.initialize_delay),
            Server::Real(_) => None,
        }
    }

    /// Zero kcp-sim's request counters (real kcp has none).
    pub fn reset_requests(&self) {
        if let Some(sim) = self.sim() {
            sim.reset_requests();
        }
    }

    /// Requests by verb since the last reset, without `health`; None on real kcp.
    pub fn requests(&self) -> Option<BTreeMap<String, u64>> {
        self.sim().map(crate::requests_by_verb)
    }

    /// The server's CPU time so far: the harness's own on kcp-sim (the simulator runs in it;
    /// nothing else does while a command runs), kcp's from /proc/PID/stat on real kcp.
    pub fn server_cpu(&self) -> Duration {
        match &self.server {
            Server::Sim { .. } => crate::cpu::this_process(),
            Server::Real(real) => real.pid().and_then(crate::cpu::of_pid).unwrap_or_default(),
        }
    }

    /// The ESPW and its export, generated by the plugin's own code as `init espw` makes them.
    fn edge_api(&self) -> Result<(), String> {
        let kcp = self.kcp();
        self.create_workspaces("root", &["espw"])?;
        let mut names = Vec::new();
        for schema in kubectl_kubestellar::edge_api::resource_schemas() {
            names.push(
                schema["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
            kcp.create(ESPW, schema).map_err(|e| format!("schema: {e}"))?;
        }
        kcp.create(ESPW, kubectl_kubestellar::edge_api::api_export(&names))
            .map_err(|e| format!("export: {e}"))?;
        self.view_url().map(|_| ())
    }

    /// The edge export's view URL, once it has one (waited for, bounded).
    pub fn view_url(&self) -> Result<String, String> {
        let mut url = None;
        let ready = crate::kcp::wait_for(self.kcp(), self.set_up(), |s| {
            url = s.get(ESPW, APIS, "apiexports", EXPORT).and_then(|e| {
                e["status"]["virtualWorkspaces"][0]["url"]
                    .as_str()
                    .map(str::to_string)
            });
            url.is_some()
        });
        url.filter(|_| ready)
            .ok_or("the edge export did not become ready".into())
    }

    fn set_up(&self) -> Duration {
        if self.real().is_some() {
            SET_UP_REAL
        } else {
            SET_UP
        }
    }

    /// Workspaces created at once, then waited for (rather than one Ready wait each).
    fn create_workspaces(&self, parent: &str, names: &[&str]) -> Result<(), String> {
        for name in names {
            self.kcp()
                .create(
                    parent,
                    json!({"apiVersion": TENANCY, "kind": "Workspace", "metadata": {"name": name}}),
                )
                .map_err(|e| format!("workspace {parent}:{name}: {e}"))?;
        }
        let ready = crate::kcp::wait_for(self.kcp(), self.set_up(), |s| {
            names.iter().all(|n| {
                s.get(parent, TENANCY, "workspaces", n)
                    .is_some_and(|w| w["status"]["phase"] == "Ready")
            })
        });
        ready.then_some(()).ok_or(format!(
            "the workspaces {names:?} in {parent} did not become Ready"
        ))
    }

    fn bind_imws(&self) -> Result<(), String> {
        let names: Vec<&str> = self.imws.iter().map(|p| p.trim_start_matches("root:")).collect();
        self.create_workspaces("root", &names)?;
        for path in &self.imws {
            self.kcp()
                .create(
                    path,
                    json!({"apiVersion": APIS, "kind": "APIBinding", "metadata": {"name": "bind-espw"},
                           "spec": {"reference": {"export": {"path": ESPW, "name": EXPORT}}}}),
                )
                .map_err(|e| format!("bind-espw in {path}: {e}"))?;
        }
        let bound = crate::kcp::wait_for(self.kcp(), self.set_up(), |s| {
            self.imws.iter().all(|p| {
                s.get(p, APIS, "apibindings", "bind-espw")
                    .is_some_and(|b| b["status"]["phase"] == "Bound")
            })
        });
        if !bound {
            return Err("the inventory bindings did not become Bound".into());
        }
        // Real kcp serves the bound resource a moment after the binding is Bound (its CRD is
        // established then): wait until each IMW lists SyncTargets.
        if let Some(real) = self.real() {
            let served = crate::kcp::wait_for(real, SET_UP, |_| {
                self.imws.iter().all(|p| {
                    real.raw("GET", &format!("/clusters/{p}/apis/{EDGE}/synctargets"), None)
                        .is_ok_and(|(code, _)| code == 200)
                })
            });
            if !served {
                return Err("the inventory workspaces do not serve SyncTargets".into());
            }
        }
        Ok(())
    }

    /// Add `n` SyncTargets, spread round-robin over the IMWs.
    pub fn add(&mut self, n: usize) -> Result<(), String> {
        for _ in 0..n {
            let k = self.sync_targets.len();
            let st = self.create_sync_target(k)?;
            self.sync_targets.push(st);
        }
        Ok(())
    }

    /// Create the `k`th SyncTarget (in IMW `k mod imws`) and say which mailbox it needs.
    pub fn create_sync_target(&self, k: usize) -> Result<SyncTarget, String> {
        let imw = &self.imws[k % self.imws.len()];
        let name = format!("edge-{k}");
        let st = self
            .kcp()
            .create(
                imw,
                json!({"apiVersion": EDGE, "kind": "SyncTarget", "metadata": {"name": name}}),
            )
            .map_err(|e| format!("SyncTarget {imw}/{name}: {e}"))?;
        let meta = &st["metadata"];
        let cluster = meta["annotations"]["kcp.io/cluster"].as_str().unwrap_or_default();
        let uid = meta["uid"].as_str().unwrap_or_default();
        Ok(SyncTarget {
            imw: imw.clone(),
            name,
            mailbox: format!("{cluster}-mb-{uid}"),
        })
    }

    /// How many of these SyncTargets have their mailbox, and how many hold `bind-edge` to
    /// the edge export.
    pub fn made(&self, sts: &[SyncTarget]) -> (usize, usize) {
        self.made_with(sts, |_| true)
    }

    /// As [`Inventory::made`], counting a `bind-edge` only once kcp says it is Bound.
    pub fn made_and_bound_phase(&self, sts: &[SyncTarget]) -> (usize, usize) {
        self.made_with(sts, |b| b["status"]["phase"] == "Bound")
    }

    fn made_with(&self, sts: &[SyncTarget], counts: impl Fn(&serde_json::Value) -> bool) -> (usize, usize) {
        let kcp = self.kcp();
        // One list of root on real kcp rather than a request per mailbox.
        let present: Option<std::collections::BTreeSet<String>> = self.real().map(|_| {
            kcp.list("root", TENANCY, "workspaces")
                .iter()
                .filter_map(|w| w["metadata"]["name"].as_str().map(str::to_string))
                .collect()
        });
        let mut made = 0;
        let mut bound = 0;
        for st in sts {
            let exists = match &present {
                Some(names) => names.contains(&st.mailbox),
                None => kcp.get("root", TENANCY, "workspaces", &st.mailbox).is_some(),
            };
            if !exists {
                continue;
            }
            made += 1;
            let binding = kcp.get(&format!("root:{}", st.mailbox), APIS, "apibindings", "bind-edge");
            if binding.is_some_and(|b| {
                b["spec"]["reference"]["export"] == json!({"path": ESPW, "name": EXPORT}) && counts(&b)
            }) {
                bound += 1;
            }
        }
        (made, bound)
    }

    /// A command with this server's environment: its kubeconfig, a fresh HOME (so kubectl's
    /// caches start empty), no colours, no inherited log filter.
    pub fn command(&self, program: &std::path::Path) -> Command {
        let mut c = Command::new(program);
        c.env("HOME", self.dir.path())
            .env("KUBECONFIG", &self.kubeconfig)
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .current_dir(self.dir.path());
        c
    }

    /// The server's base URL.
    pub fn url(&self) -> String {
        self.kcp().url().to_string()
    }
}

/// A real kcp, as the tests start one; its log is kept in `root` (removed with the run's
/// temporary directory).
fn start_real(target: &RealKcpTarget, root: &std::path::Path) -> Result<RealKcp, String> {
    progress(&format!(
        "starting a real kcp from {} (30-60 s)",
        target.bin_dir.display()
    ));
    // RealKcp panics, as a test's set-up does, when kcp does not come up: a failure here.
    let started = std::panic::catch_unwind(|| match target.port {
        Some(p) => RealKcp::start_on(&target.bin_dir, root, [p, p + 1, p + 2]),
        None => RealKcp::start(&target.bin_dir, root),
    });
    started.map_err(|e| {
        let why = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("cannot start kcp: {why}")
    })
}

/// A JSON value's string at `pointer`, for readers of events.
pub fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}
