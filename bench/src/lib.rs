//! Benchmarks of `kubectl-kubestellar` against kcp-sim, run in-process, with the real plugin
//! binary as a separate process (as users run it), and of the kubectl loop it replaces. With
//! [`Options::real_kcp`] the same measurements run against a real `kcp start` instead (what
//! needs kcp-sim's request counters is then not reported).
//!
//! [`run`] measures, in one go: at each size `mailbox sync` from nothing, a no-op sync,
//! `mailbox list` and `mailbox watch` to steady state (their memory, for the slope per
//! SyncTarget); at the largest the whole watch phase (start-up, idle requests, reaction latency
//! at a steady rate and in a burst, RSS); and `bench/baseline.sh` at the baseline sizes. The
//! [`report`] module renders it as markdown. Every phase records what went wrong in
//! [`Report::problems`] and the run goes on, so one failure does not hide the other figures.

pub mod baseline;
pub mod cpu;
pub mod inventory;
/// How the tests start and talk to a real kcp: kcp-sim's harness.
pub use kcp_sim::harness as kcp;
pub mod machine;
pub mod observe;
pub mod observe_real;
pub mod oneshot;
pub mod peer;
pub mod process;
pub mod report;
pub mod stats;
pub mod tmp;
pub mod watch;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// What to measure, and with what.
#[derive(Debug, Clone)]
pub struct Options {
    /// Inventory sizes for `mailbox sync` from nothing; the largest also gets the no-op sync,
    /// `mailbox list` and the `mailbox watch` phase.
    pub sizes: Vec<usize>,
    /// Sizes for the kubectl loop (`bench/baseline.sh`).
    pub baseline_sizes: Vec<usize>,
    /// Latency kcp-sim adds to every request.
    pub latency: Duration,
    /// `--concurrency` given to `mailbox sync` and `mailbox watch`.
    pub concurrency: usize,
    /// Inventory workspaces the SyncTargets are spread over.
    pub imws: usize,
    pub plugin: PathBuf,
    pub kubectl: PathBuf,
    /// None: skip the `mailbox watch` phase.
    pub watch: Option<WatchPlan>,
    /// Some: measure against a real kcp instead of kcp-sim.
    pub real_kcp: Option<RealKcpTarget>,
    /// Some: also run KubeStellar's Go mailbox-controller beside the plugin.
    pub peer: Option<peer::PeerPlan>,
}

/// A real kcp for the harness to start (one per inventory, on 127.0.0.1 only).
#[derive(Debug, Clone)]
pub struct RealKcpTarget {
    /// The directory holding `kcp` (what `scripts/real-kcp.sh` prints).
    pub bin_dir: PathBuf,
    /// The API server's port; embedded etcd gets the next two. None: free ports.
    pub port: Option<u16>,
}

/// The `mailbox watch` phase.
#[derive(Debug, Clone)]
pub struct WatchPlan {
    /// SyncTargets created at a steady rate...
    pub steady: usize,
    /// ...of this many per second.
    pub rate: f64,
    /// SyncTargets created at once.
    pub burst: usize,
    /// Window over which idle requests are counted.
    pub idle: Duration,
}

impl Options {
    /// The full run, as in BENCHMARKS.md.
    pub fn full(plugin: PathBuf) -> Options {
        Options {
            sizes: vec![100, 1_000, 10_000],
            baseline_sizes: vec![100, 1_000],
            latency: Duration::from_millis(1),
            concurrency: 16,
            imws: 10,
            plugin,
            kubectl: PathBuf::from("kubectl"),
            watch: Some(WatchPlan {
                steady: 500,
                rate: 50.0,
                burst: 1_000,
                idle: Duration::from_secs(20),
            }),
            real_kcp: None,
            peer: None,
        }
    }

    /// Against a real kcp: one size (each mailbox costs kcp one to two CPU-seconds), a watch
    /// phase at a rate it sustained on 2 shared cores (0.5/s did not: BENCHMARKS.md), no
    /// kubectl loop (it measures kubectl, not the server).
    pub fn real(plugin: PathBuf, target: RealKcpTarget) -> Options {
        Options {
            sizes: vec![100],
            baseline_sizes: Vec::new(),
            watch: Some(WatchPlan {
                steady: 30,
                rate: 0.2,
                burst: 0,
                idle: Duration::ZERO,
            }),
            real_kcp: Some(target),
            ..Options::full(plugin)
        }
    }

    /// Tiny sizes, for CI: well under a minute.
    pub fn quick(plugin: PathBuf) -> Options {
        Options {
            sizes: vec![10, 20],
            baseline_sizes: vec![10],
            watch: Some(WatchPlan {
                steady: 20,
                rate: 50.0,
                burst: 20,
                idle: Duration::from_secs(2),
            }),
            ..Options::full(plugin)
        }
    }

    pub fn largest(&self) -> usize {
        self.sizes.iter().copied().max().unwrap_or(0)
    }
}

/// Everything measured.
#[derive(Debug, Clone)]
pub struct Report {
    pub machine: machine::Machine,
    pub options: Options,
    /// `mailbox sync` from nothing, one per size.
    pub syncs: Vec<oneshot::OneShot>,
    pub noop: Option<oneshot::OneShot>,
    pub list: Option<oneshot::OneShot>,
    pub watch: Option<watch::WatchReport>,
    pub baselines: Vec<baseline::BaselineRun>,
    /// The peer phase, run by run.
    pub peer: Vec<peer::PeerRun>,
    /// Memory and time at each size, for the slope per SyncTarget.
    pub scale: Vec<oneshot::ScalePoint>,
    /// What failed; empty when every phase ran to completion.
    pub problems: Vec<String>,
}

/// Requests by verb since the last reset, without the `health` verb (kubectl's and the
/// plugin's connection checks are not work the design asks for).
pub fn requests_by_verb(sim: &kcp_sim::SimServer) -> BTreeMap<String, u64> {
    let mut verbs = sim.requests().by_verb();
    verbs.remove("health");
    verbs
}

/// Progress on stderr, so stdout holds only the report.
#[allow(clippy::print_stderr)] // the one place progress is said
pub fn progress(msg: &str) {
    eprintln!("[bench] {msg}");
}

/// Run every phase. Errors inside a phase go to `problems`; only set-up that makes the whole
/// run meaningless (no plugin binary) is an `Err`.
pub fn run(options: &Options) -> Result<Report, String> {
    if !options.plugin.is_file() {
        return Err(format!(
            "no plugin binary at {} (build it with `cargo build --release -p kubectl-kubestellar`, or pass --plugin PATH)",
            options.plugin.display()
        ));
    }
    let mut report = Report {
        machine: machine::Machine::describe(
            &options.kubectl,
            &options.plugin,
            options
                .real_kcp
                .as_ref()
                .map(|t| t.bin_dir.join("kcp"))
                .as_deref(),
        ),
        options: options.clone(),
        syncs: Vec::new(),
        noop: None,
        list: None,
        watch: None,
        baselines: Vec::new(),
        peer: Vec::new(),
        scale: Vec::new(),
        problems: Vec::new(),
    };
    let largest = options.largest();
    let mut extras_done = false;
    for &n in &options.sizes {
        let extras = n == largest && !extras_done;
        extras_done |= extras;
        if let Err(e) = oneshot::measure(options, n, extras, &mut report) {
            report.problems.push(format!("N={n}: {e}"));
        }
    }
    for &n in &options.baseline_sizes {
        progress(&format!("baseline.sh (kubectl loop) at N={n}"));
        match baseline::measure(options, n) {
            Ok(b) => {
                if b.code != 0 || b.made != n || b.bound != n {
                    report.problems.push(format!(
                        "baseline N={n}: exit {}, {} made, {} bound; stderr:\n{}",
                        b.code, b.made, b.bound, b.stderr_tail
                    ));
                }
                report.baselines.push(b);
            }
            Err(e) => report.problems.push(format!("baseline N={n}: {e}")),
        }
    }
    if let Some(plan) = &options.peer {
        peer::measure(options, plan, &mut report);
    }
    report.machine.finish();
    Ok(report)
}
