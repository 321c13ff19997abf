//! `kcp-sim`: serve the simulated kcp API until SIGINT/SIGTERM.

use clap::Parser;
use kcp_sim::{Faults, SimConfig};
use std::path::PathBuf;
use std::time::Duration;

/// A simulator of the kcp v0.11 API, for testing and demonstrating kubectl-kubestellar.
#[derive(Parser, Debug)]
#[command(name = "kcp-sim", version)]
struct Args {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:6443")]
    listen: std::net::SocketAddr,
    /// Where to write the admin kubeconfig (contexts root, base, system:admin, user).
    #[arg(long, default_value = ".kcp/admin.kubeconfig")]
    kubeconfig: PathBuf,
    /// Serve plain HTTP instead of HTTPS.
    #[arg(long)]
    plain_http: bool,
    /// kcp-like controller delays (seconds: see SimConfig::kcp_like) instead of the fast
    /// defaults; the delay flags below still override each one.
    #[arg(long)]
    kcp_timing: bool,
    /// Workspace Scheduling → Initializing delay [default: 30ms].
    #[arg(long, value_parser = duration)]
    schedule_delay: Option<Duration>,
    /// Workspace Initializing → Ready delay [default: 30ms].
    #[arg(long, value_parser = duration)]
    initialize_delay: Option<Duration>,
    /// Workspace Ready → its `default` namespace exists [default: 10ms].
    #[arg(long, value_parser = duration)]
    namespace_delay: Option<Duration>,
    /// A deleted workspace → its content's deletion starts [default: 300ms].
    #[arg(long, value_parser = duration)]
    delete_delay: Option<Duration>,
    /// Until an APIExport reports its identity and view URLs [default: 50ms].
    #[arg(long, value_parser = duration)]
    export_delay: Option<Duration>,
    /// Until an APIBinding is Bound [default: 30ms].
    #[arg(long, value_parser = duration)]
    binding_delay: Option<Duration>,
    /// How long a resource's watch history keeps events beyond its last 100 [default: 75s].
    #[arg(long, value_parser = duration)]
    watch_window: Option<Duration>,
    /// Number of shards (each serves the export's view for its logical clusters).
    #[arg(long, default_value_t = 1)]
    shards: usize,
    /// The `region` label of each shard's Shard object, in shard order (e.g. `east,east,west`),
    /// for Partitions to select.
    #[arg(long, value_delimiter = ',', value_name = "REGION,...")]
    shard_regions: Vec<String>,
    /// Publish view URLs only in APIExportEndpointSlices, as kcp v0.28 and later.
    #[arg(long)]
    no_legacy_view_urls: bool,
    /// The kcp release to behave as: 0.11 (v0.11.0) or 0.32 (v0.32.3: APIExport v1alpha2, view
    /// URLs only in the endpoint slice kcp makes, once something binds the export).
    #[arg(long, default_value = "0.11")]
    kcp_version: kcp_sim::KcpVersion,
    /// Without kcp v0.11's default APIBindings (by default root exports kcp's own APIs:
    /// tenancy, scheduling, workload, apiresource, topology, shards; and every new workspace
    /// binds five of them, staying Initializing until they are Bound).
    #[arg(long)]
    no_default_apibindings: bool,
    /// Leave out kcp v0.11's root:compute workspace and its `kubernetes` export (made at start,
    /// with the default APIBindings).
    #[arg(long)]
    no_root_compute: bool,
    /// Latency added to every request.
    #[arg(long, default_value = "0s", value_parser = duration)]
    latency: Duration,
    /// Share of requests (0.0–1.0) answered 500/503/429.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
}

fn duration(s: &str) -> Result<Duration, String> {
    let (number, unit) = s.split_at(
        s.find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(s.len()),
    );
    let n: f64 = number
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 300ms, 2s or 1m"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" | "" => n,
        "m" => n * 60.0,
        _ => return Err(format!("{s:?} is not a duration like 300ms, 2s or 1m")),
    };
    Ok(Duration::from_secs_f64(secs))
}

#[tokio::main]
#[allow(clippy::print_stdout)] // its first lines are its interface: the URL, the kubeconfig
async fn main() {
    let args = Args::parse();
    let base = if args.kcp_timing {
        SimConfig::kcp_like()
    } else {
        SimConfig::default()
    };
    let config = SimConfig {
        listen: args.listen,
        tls: !args.plain_http,
        schedule_delay: args.schedule_delay.unwrap_or(base.schedule_delay),
        initialize_delay: args.initialize_delay.unwrap_or(base.initialize_delay),
        namespace_delay: args.namespace_delay.unwrap_or(base.namespace_delay),
        delete_delay: args.delete_delay.unwrap_or(base.delete_delay),
        export_delay: args.export_delay.unwrap_or(base.export_delay),
        binding_delay: args.binding_delay.unwrap_or(base.binding_delay),
        history_fresh: args.watch_window.unwrap_or(base.history_fresh),
        shards: args.shards.max(1),
        shard_regions: args.shard_regions,
        legacy_view_urls: !args.no_legacy_view_urls,
        kcp_version: args.kcp_version,
        latency: args.latency,
        default_api_bindings: !args.no_default_apibindings,
        root_compute: !args.no_root_compute,
        ..base
    };
    let kubeconfig_path = args.kubeconfig.clone();
    let error_rate = args.error_rate;
    let shutdown = async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("signal handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    };
    let result = kcp_sim::serve(
        config,
        |url, kubeconfig, faults| {
            if let Some(dir) = kubeconfig_path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", dir.display())));
            }
            std::fs::write(&kubeconfig_path, kubeconfig).unwrap_or_else(|e| {
                fail(&format!(
                    "cannot write the kubeconfig {}: {e}",
                    kubeconfig_path.display()
                ))
            });
            faults(Faults {
                error_rate,
                ..Faults::default()
            });
            println!("kcp-sim listening on {url}");
            println!("kubeconfig written to {}", kubeconfig_path.display());
        },
        shutdown,
    )
    .await;
    if let Err(e) = result {
        fail(&format!("cannot listen on {}: {e}", args.listen));
    }
}

#[allow(clippy::print_stderr)] // the binary's one error line
fn fail(message: &str) -> ! {
    eprintln!("kcp-sim: {message}");
    std::process::exit(1)
}
