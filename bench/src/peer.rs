//! The peer phase: KubeStellar v0.14's Go mailbox-controller (the directory
//! `scripts/go-mailbox-controller.sh` prints) beside `mailbox sync` and `mailbox watch`. Each run
//! gets a fresh kcp-sim with the same inventory; the contenders take turns within each round,
//! so a drift in the machine's load falls on all of them. Measured: the time from the process's
//! start to the N-th `bind-edge` (every mailbox present and bound), its CPU time and peak RSS,
//! and the requests it sent, by verb. In each size's first round the controllers (not the
//! one-shot `sync`) then stay up: their requests over an idle window, and their reaction to
//! SyncTargets created at a steady rate (SyncTarget → `bind-edge`), timed by the watch phase's
//! observer. On real kcp (`--real-kcp`) each run gets a fresh `kcp start` and requests are not
//! counted (kcp has no counters).

use crate::inventory::Inventory;
use crate::process::{self, Controller, Peak};
use crate::watch::{self, Reaction};
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
    /// kcp-sim's latency per request, each size measured at each (ignored on real kcp).
    pub latencies: Vec<Duration>,
    /// Rounds per size: each contender once per round.
    pub rounds: usize,
    /// A contender not done within this is stopped and reported with what it had bound.
    pub limit: Duration,
    /// The window over which a converged controller's requests are counted (first round;
    /// zero: not measured).
    pub idle: Duration,
    /// SyncTargets created at `rate` per second once a controller has converged (first round;
    /// zero: not measured). The Go controller's client allows 5 requests a second and a
    /// mailbox costs it 3, so a rate above about 1.6/s measures its backlog, not its reaction.
    pub steady: usize,
    pub rate: f64,
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
    /// kcp-sim's latency per request; None on real kcp.
    pub latency: Option<Duration>,
    /// From start to the N-th bind-edge; None when it was stopped at the limit first.
    pub wall: Option<Duration>,
    pub bound: usize,
    /// Mailbox workspaces present (bound or not) when it stopped.
    pub made: usize,
    pub cpu: Duration,
    pub peak: Peak,
    /// By verb, without `health`.
    pub requests: BTreeMap<String, u64>,
    /// Requests over the idle window after converging, by verb (controllers, first round,
    /// kcp-sim only).
    pub idle_requests: Option<BTreeMap<String, u64>>,
    /// The reaction to SyncTargets created at a steady rate (controllers, first round).
    pub steady: Option<Reaction>,
}

impl PeerRun {
    /// Mailbox workspaces made per second from the process's start: what a run stopped at
    /// the limit extrapolates from. (Made, not bound: the Go controller's FIFO queue makes
    /// every workspace before it binds any, so its bound count stays 0 for most of a long
    /// run; the time to make them all is a lower bound on the time to bind them all.)
    pub fn rate(&self, limit: Duration) -> f64 {
        self.made as f64 / self.wall.unwrap_or(limit).as_secs_f64().max(1e-9)
    }
}

/// Every size, every round, every contender; failures go to the report's problems.
pub fn measure(options: &Options, plan: &PeerPlan, report: &mut Report) {
    // Real kcp has no latency knob: one pass.
    let latencies: Vec<Option<Duration>> = if options.real_kcp.is_some() {
        vec![None]
    } else {
        plan.latencies.iter().copied().map(Some).collect()
    };
    for &latency in &latencies {
        for &n in &plan.sizes {
            for round in 1..=plan.rounds {
                for who in Contender::ALL {
                    one(
                        options,
                        plan,
                        Run {
                            who,
                            n,
                            latency,
                            round,
                        },
                        report,
                    );
                }
            }
        }
    }
}

/// One contender's turn in one round.
#[derive(Debug, Clone, Copy)]
struct Run {
    who: Contender,
    n: usize,
    latency: Option<Duration>,
    round: usize,
}

fn one(options: &Options, plan: &PeerPlan, run: Run, report: &mut Report) {
    let Run {
        who,
        n,
        latency,
        round,
    } = run;
    let at = latency.map_or("real kcp".into(), |l| format!("{l:?}"));
    progress(&format!(
        "peer N={n} at {at}, round {round}/{}: {}",
        plan.rounds,
        who.label()
    ));
    match run_one(options, plan, run) {
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

fn run_one(options: &Options, plan: &PeerPlan, run: Run) -> Result<PeerRun, String> {
    let Run {
        who,
        n,
        latency,
        round,
    } = run;
    let mut inv = Inventory::start(
        latency.unwrap_or(options.latency),
        options.imws,
        options.real_kcp.as_ref(),
    )?;
    inv.add(n)?;
    inv.reset_requests();
    let mut idle_requests = None;
    let mut steady = None;
    let (wall, (made, bound), cpu, peak, requests) = if who == Contender::Sync {
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
        let (made, bound) = inv.made(&inv.sync_targets);
        (
            Some(done.wall),
            (made, bound),
            done.cpu,
            done.peak,
            inv.requests(),
        )
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
        let (wall, made_bound) = wait_bound(&inv, &c, plan.limit);
        // Taken now: the idle window and the steady phase count their own.
        let requests = inv.requests();
        if wall.is_some() && round == 1 {
            if !plan.idle.is_zero() && inv.sim().is_some() {
                progress(&format!("  counting its requests over {:?} idle", plan.idle));
                inv.reset_requests();
                // The measurement window itself: nothing is awaited here.
                std::thread::sleep(plan.idle);
                idle_requests = inv.requests();
            }
            if plan.steady > 0 {
                progress(&format!("  {} SyncTargets at {}/s", plan.steady, plan.rate));
                let mut next = n;
                steady = Some(watch::react(&inv, &mut next, plan.steady, Some(plan.rate)));
            }
        }
        let reaped = c.stop(Duration::from_secs(20)).ok_or("it did not exit")?;
        (wall, made_bound, reaped.cpu, reaped.peak, requests)
    };
    let mut requests = requests.unwrap_or_default();
    requests.remove("health");
    Ok(PeerRun {
        who,
        n,
        latency,
        wall,
        bound,
        made,
        cpu,
        peak,
        requests,
        idle_requests,
        steady,
    })
}

/// Poll (every 25 ms, in-process reads that kcp-sim does not count; every 500 ms on real kcp,
/// where each poll is a request per mailbox) until every mailbox is present and bound, or the
/// limit; the time since the process started, and how many are made and bound.
fn wait_bound(inv: &Inventory, c: &Controller, limit: Duration) -> (Option<Duration>, (usize, usize)) {
    let n = inv.sync_targets.len();
    let deadline = c.started() + limit;
    let every = Duration::from_millis(if inv.real().is_some() { 500 } else { 25 });
    loop {
        // On real kcp a binding is made long before kcp binds it: count it once Bound.
        let (made, bound) = if inv.real().is_some() {
            inv.made_and_bound_phase(&inv.sync_targets)
        } else {
            inv.made(&inv.sync_targets)
        };
        if bound == n {
            return (Some(c.started().elapsed()), (made, bound));
        }
        if Instant::now() >= deadline {
            return (None, (made, bound));
        }
        std::thread::sleep(every);
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
