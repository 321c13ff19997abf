//! `kubestellar-bench`: run the benchmarks and print the report (markdown) on stdout.
//!
//! ```shell
//! cargo build --release -p kubectl-kubestellar -p kubestellar-bench
//! cargo run --release -p kubestellar-bench -- [--sizes 100,1000,10000] [--latency 1ms] [--concurrency 16] [--quick]
//! KUBESTELLAR_REAL_KCP=$(scripts/real-kcp.sh | tail -n1) cargo run --release -p kubestellar-bench -- [--kcp-port 27443]
//! ```

use clap::Parser;
use kubestellar_bench::peer::PeerPlan;
use kubestellar_bench::{Options, RealKcpTarget, progress};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    about = "Benchmark kubectl-kubestellar against kcp-sim (or a real kcp), and the kubectl loop it replaces"
)]
struct Args {
    /// Measure against a real kcp started from this directory's `kcp` (what
    /// scripts/real-kcp.sh prints) instead of kcp-sim; defaults change to --sizes 100
    /// --steady 30 --rate 0.2 --burst 0 --no-baseline
    #[arg(long, env = "KUBESTELLAR_REAL_KCP", value_name = "DIR")]
    real_kcp: Option<PathBuf>,
    /// With --real-kcp: kcp's API port (embedded etcd takes the next two) [default: free ports]
    #[arg(long, value_name = "PORT", requires = "real_kcp")]
    kcp_port: Option<u16>,
    /// Tiny sizes and a short watch phase: what CI runs (well under a minute)
    #[arg(long)]
    quick: bool,
    /// Inventory sizes for `mailbox sync` from nothing (the largest also gets the rest)
    #[arg(long, value_delimiter = ',', value_name = "N,...")]
    sizes: Option<Vec<usize>>,
    /// Sizes for bench/baseline.sh, the kubectl loop
    #[arg(long, value_delimiter = ',', value_name = "N,...")]
    baseline_sizes: Option<Vec<usize>>,
    /// Skip the kubectl loop
    #[arg(long)]
    no_baseline: bool,
    /// Skip the `mailbox watch` phase
    #[arg(long)]
    no_watch: bool,
    /// Latency kcp-sim adds to every request
    #[arg(long, value_parser = duration)]
    latency: Option<Duration>,
    /// --concurrency for `mailbox sync` and `mailbox watch`
    #[arg(long)]
    concurrency: Option<usize>,
    /// Inventory workspaces to spread the SyncTargets over
    #[arg(long)]
    imws: Option<usize>,
    /// SyncTargets created at a steady rate in the watch phase
    #[arg(long)]
    steady: Option<usize>,
    /// ...at this many per second
    #[arg(long, value_parser = positive)]
    rate: Option<f64>,
    /// SyncTargets created at once in the watch phase
    #[arg(long)]
    burst: Option<usize>,
    /// Window over which the idle controller's requests are counted
    #[arg(long, value_parser = duration)]
    idle: Option<Duration>,
    /// The plugin binary [default: kubectl-kubestellar next to this binary]
    #[arg(long)]
    plugin: Option<PathBuf>,
    /// kubectl, for the baseline
    #[arg(long, default_value = "kubectl")]
    kubectl: PathBuf,
    /// Also run KubeStellar's Go mailbox-controller from this directory (what
    /// scripts/go-mailbox-controller.sh prints) beside `mailbox sync` and `mailbox watch`
    #[arg(long, env = "KUBESTELLAR_GO_PEER", value_name = "DIR")]
    go_peer: Option<PathBuf>,
    /// Sizes for the peer phase
    #[arg(long, value_delimiter = ',', value_name = "N,...", default_value = "100,1000")]
    peer_sizes: Vec<usize>,
    /// Rounds of the peer phase (each contender once per round, interleaved)
    #[arg(long, default_value_t = 3)]
    peer_rounds: usize,
    /// kcp-sim latencies for the peer phase, each size at each [default: --latency]
    #[arg(long, value_delimiter = ',', value_parser = duration, value_name = "D,...")]
    peer_latencies: Option<Vec<Duration>>,
    /// Window over which a converged controller's requests are counted in the peer phase
    /// (first round; 0s: skip)
    #[arg(long, value_parser = duration, default_value = "60s")]
    peer_idle: Duration,
    /// SyncTargets created at --peer-rate once a controller has converged (first round; 0: skip)
    #[arg(long, default_value_t = 30)]
    peer_steady: usize,
    /// ...per second
    #[arg(long, value_parser = positive, default_value_t = 1.0)]
    peer_rate: f64,
    /// Stop a peer-phase contender not done within this
    #[arg(long, value_parser = duration, default_value = "20m")]
    peer_limit: Duration,
    /// Run only the peer phase
    #[arg(long, requires = "go_peer")]
    peer_only: bool,
    /// Also write the report to this file
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}

fn duration(s: &str) -> Result<Duration, String> {
    kubectl_kubestellar::parse_duration(s)
}

fn positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if r > 0.0 && r.is_finite() => Ok(r),
        _ => Err(format!("{s:?} is not a positive number")),
    }
}

/// The release plugin sits next to the release bench binary: cargo builds both into one dir.
fn default_plugin() -> PathBuf {
    std::env::current_exe()
        .map(|p| p.with_file_name("kubectl-kubestellar"))
        .unwrap_or_else(|_| PathBuf::from("kubectl-kubestellar"))
}

fn options(args: Args) -> Options {
    // Absolute: the commands run in each inventory's own directory.
    let plugin = args.plugin.unwrap_or_else(default_plugin);
    let plugin = std::path::absolute(&plugin).unwrap_or(plugin);
    let real = args.real_kcp.filter(|d| !d.as_os_str().is_empty());
    let mut o = match (real, args.quick) {
        (Some(bin_dir), quick) => {
            let target = RealKcpTarget {
                bin_dir,
                port: args.kcp_port,
            };
            let mut o = Options::real(plugin, target);
            if quick {
                o.sizes = vec![10];
                if let Some(w) = &mut o.watch {
                    w.steady = 5;
                    w.rate = 1.0;
                }
            }
            o
        }
        (None, true) => Options::quick(plugin),
        (None, false) => Options::full(plugin),
    };
    o.kubectl = args.kubectl;
    if let Some(v) = args.sizes {
        o.sizes = v;
    }
    if let Some(v) = args.baseline_sizes {
        o.baseline_sizes = v;
    }
    if args.no_baseline {
        o.baseline_sizes.clear();
    }
    o.latency = args.latency.unwrap_or(o.latency);
    o.concurrency = args.concurrency.unwrap_or(o.concurrency);
    o.imws = args.imws.unwrap_or(o.imws).max(1);
    if args.no_watch {
        o.watch = None;
    }
    let latency = o.latency;
    o.peer = args
        .go_peer
        .filter(|d| !d.as_os_str().is_empty())
        .map(|go_dir| PeerPlan {
            go_dir,
            sizes: if args.quick { vec![10] } else { args.peer_sizes },
            latencies: args.peer_latencies.unwrap_or_else(|| vec![latency]),
            rounds: if args.quick { 1 } else { args.peer_rounds.max(1) },
            limit: args.peer_limit,
            idle: if args.quick {
                Duration::from_secs(2)
            } else {
                args.peer_idle
            },
            steady: if args.quick { 3 } else { args.peer_steady },
            rate: if args.quick { 5.0 } else { args.peer_rate },
        });
    if args.peer_only {
        o.sizes.clear();
        o.baseline_sizes.clear();
        o.watch = None;
    }
    if let Some(w) = &mut o.watch {
        w.steady = args.steady.unwrap_or(w.steady);
        w.rate = args.rate.unwrap_or(w.rate);
        w.burst = args.burst.unwrap_or(w.burst);
        w.idle = args.idle.unwrap_or(w.idle);
    }
    o
}

#[allow(clippy::print_stdout, clippy::print_stderr)] // the report on stdout, its one error line
fn main() {
    let args = Args::parse();
    let out = args.out.clone();
    let options = options(args);
    let report = match kubestellar_bench::run(&options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let text = kubestellar_bench::report::markdown(&report);
    print!("{text}");
    if let Some(path) = out {
        if let Err(e) = std::fs::write(&path, &text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
        progress(&format!("report written to {}", path.display()));
    }
    if !report.problems.is_empty() {
        std::process::exit(1);
    }
}
