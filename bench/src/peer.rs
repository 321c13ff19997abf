//! The peer phase: KubeStellar v0.14's Go mailbox-controller (the directory
//! `scripts/go-mailbox-controller.sh` prints) beside `mailbox sync` and `mailbox watch`. Each run
//! gets a fresh kcp-sim with the same inventory; the contenders take turns within each round,
//! so a drift in the machine's load falls on all of them. Measured: the time from the process's
//! start to the N-th `bind-edge` (every mailbox present and bound), its CPU time and peak RSS,
//! and the requests it sent, by verb.

use crate::inventory::Inventory;
use crate::process::{self, Controller, Peak};
use crate::{Options, Report, progress};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What the peer phase runs.
#[derive(Debug, Clone)]
pub struct PeerPlan {
    /// The directory holding `mailbox-controller`.
    pub go_dir: PathBuf,
    pub sizes: Vec<usize>,
    /// Rounds per size: each contender once per round.
    pub rounds: usize,
    /// A contender not done within this is stopped and reported with what it had bound.
    pub limit: Duration,
}

/// The programs compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Contender {
    /// The Go controller with its defaults (4 workers, client-go's 5 requests/s).
    Go,
    /// The Go controller with `--concurrency 16`.
    Go16,
    /// `mailbox sync` with its defaults.
    Sync,
    /// `mailbox watch` with its defaults.
    Watch,
}

impl Contender {
    pub const ALL: [Contender; 4] = [Contender::Go, Contender::Go16, Contender::Sync, Contender::Watch];

    pub fn label(self) -> &'static str {
        match self {
            Contender::Go => "Go mailbox-controller (defaults)",
            Contender::Go16 => "Go mailbox-controller --concurrency 16",
            Contender::Sync => "mailbox sync (defaults)",
            Contender::Watch => "mailbox watch (defaults)",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PeerRun {
    pub who: Contender,
    pub n: usize,
    /// From start to the N-th bind-edge; None when it was stopped at the limit first.
    pub wall: Option<Duration>,
    pub bound: usize,
    pub cpu: Duration,
    pub peak: Peak,
    /// By verb, without `health`.
    pub requests: BTreeMap<String, u64>,
}

/// Every size, every round, every contender; failures go to the report's problems.
pub fn measure(options: &Options, plan: &PeerPlan, report: &mut Report) {
    for &n in &plan.sizes {
        for round in 1..=plan.rounds {
            for who in Contender::ALL {
                progress(&format!(
                    "peer N={n}, round {round}/{}: {}",
                    plan.rounds,
                    who.label()
                ));
                match run_one(options, plan, who, n) {
                    Ok(r) => {
                        if r.wall.is_none() {
                            report.problems.push(format!(
                                "peer N={n}: {} bound {} of {n} within {:?}",
                                who.label(),
                                r.bound,
                                plan.limit
                            ));
                        }
                        report.peer.push(r);
                    }
                    Err(e) => report.problems.push(format!("peer N={n}, {}: {e}", who.label())),
                }
            }
        }
    }
}

fn run_one(options: &Options, plan: &PeerPlan, who: Contender, n: usize) -> Result<PeerRun, String> {
    let mut inv = Inventory::start(options.latency, options.imws, None)?;
    inv.add(n)?;
    inv.reset_requests();
    let (wall, bound, cpu, peak) = if who == Contender::Sync {
        let mut cmd = inv.command(&options.plugin);
        cmd.args(["mailbox", "sync", "--timeout", "20m"]);
        let done = process::run(cmd).map_err(|e| format!("cannot run the plugin: {e}"))?;
        if done.code != 0 {
            return Err(format!(
                "exited {}:\n{}",
                done.code,
                process::tail(&done.stderr, 20)
            ));
        }
        let (_, bound) = inv.made(&inv.sync_targets);
        (Some(done.wall), bound, done.cpu, done.peak)
    } else {
        let (cmd, ready) = match who {
            Contender::Watch => {
                let mut cmd = inv.command(&options.plugin);
                cmd.args(["mailbox", "watch", "--metrics-bind-address", "127.0.0.1:0"]);
                (cmd, "serving /metrics")
            }
            _ => (
                go_command(&inv, plan, who == Contender::Go16)?,
                "Informers synced",
            ),
        };
        let mut c = Controller::start_until(cmd, ready, Duration::from_secs(120))?;
        let (wall, bound) = wait_bound(&inv, &c, plan.limit);
        let reaped = c.stop(Duration::from_secs(20)).ok_or("it did not exit")?;
        (wall, bound, reaped.cpu, reaped.peak)
    };
    let mut requests = inv.requests().unwrap_or_default();
    requests.remove("health");
    Ok(PeerRun {
        who,
        n,
        wall,
        bound,
        cpu,
        peak,
        requests,
    })
}

/// Poll (every 25 ms, in-process reads that kcp-sim does not count) until every mailbox is
/// present and bound, or the limit; the time since the process started, and how many are bound.
fn wait_bound(inv: &Inventory, c: &Controller, limit: Duration) -> (Option<Duration>, usize) {
    let n = inv.sync_targets.len();
    let deadline = c.started() + limit;
    loop {
        let (_, bound) = inv.made(&inv.sync_targets);
        if bound == n {
            return (Some(c.started().elapsed()), bound);
        }
        if Instant::now() >= deadline {
            return (None, bound);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The Go controller as KubeStellar's docs start it (`kubectl ws root:espw`, then
/// `mailbox-controller -v=2`), its metrics on a free loopback port.
fn go_command(inv: &Inventory, plan: &PeerPlan, sixteen: bool) -> Result<Command, String> {
    let kubeconfig = espw_kubeconfig(inv)?;
    let mut cmd = inv.command(&plan.go_dir.join("mailbox-controller"));
    cmd.env("KUBECONFIG", kubeconfig)
        .args(["-v=2", "--server-bind-address=127.0.0.1:0"]);
    if sixteen {
        cmd.args(["--concurrency", "16"]);
    }
    Ok(cmd)
}

/// The inventory's kubeconfig with a context `espw` (the ESPW's URL, root's credentials) made
/// current: the Go controller reads the ESPW through the current context.
fn espw_kubeconfig(inv: &Inventory) -> Result<PathBuf, String> {
    let out = inv
        .command(Path::new("kubectl"))
        .args(["config", "view", "--raw", "-o", "json"])
        .output()
        .map_err(|e| format!("cannot run kubectl: {e}"))?;
    let mut config: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("kubectl config view gave no JSON: {e}"))?;
    let find = |config: &Value, list: &str| {
        config[list]
            .as_array()
            .and_then(|l| l.iter().find(|c| c["name"] == "root").cloned())
            .ok_or(format!("the kubeconfig has no {list} entry root"))
    };
    let (mut cluster, mut context) = (find(&config, "clusters")?, find(&config, "contexts")?);
    let server = cluster["cluster"]["server"].as_str().unwrap_or_default();
    let base = server
        .strip_suffix("/clusters/root")
        .ok_or("root's server is not .../clusters/root")?;
    cluster["cluster"]["server"] = json!(format!("{base}/clusters/root:espw"));
    cluster["name"] = json!("espw");
    context["name"] = json!("espw");
    context["context"]["cluster"] = json!("espw");
    for (list, entry) in [("clusters", cluster), ("contexts", context)] {
        if let Some(l) = config[list].as_array_mut() {
            l.push(entry);
        }
    }
    config["current-context"] = json!("espw");
    let path = inv.dir.path().join("espw.kubeconfig");
    std::fs::write(&path, config.to_string()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
