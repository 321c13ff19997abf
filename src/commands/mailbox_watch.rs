//! `kubectl kubestellar mailbox watch`: the reconcile loop as a foreground controller.

use crate::commands::Context;
use crate::error::{Error, Result};
use crate::mailbox::driver::Pace;
use crate::mailbox::watch::{WatchOptions, run as watch};
use crate::runtime::leader::LeaseOptions;
use crate::runtime::metrics::Metrics;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch as channel;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Mailboxes reconciled at once (never two workers on one mailbox)
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=512))]
    pub concurrency: u16,
    #[command(flatten)]
    pub layout: crate::commands::LayoutArgs,
    #[command(flatten)]
    pub slice: crate::commands::SliceArgs,
    /// Where to serve /metrics, /healthz and /readyz; 0 turns it off
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:10203",
        alias = "server-bind-address"
    )]
    pub metrics_bind_address: String,
    /// A full pass over every mailbox, as a safety net; 0 turns it off
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = crate::duration::parse)]
    pub resync_period: Duration,
    /// Run as one of several replicas: only the holder of a Lease in the ESPW acts
    #[arg(long)]
    pub leader_elect: bool,
    /// How long a leader's lease lasts without renewal
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = crate::duration::parse)]
    pub leader_elect_lease_duration: Duration,
    /// How long a leader keeps trying to renew before it stops acting
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = crate::duration::parse)]
    pub leader_elect_renew_deadline: Duration,
    /// How often to try to take or renew the lease
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = crate::duration::parse)]
    pub leader_elect_retry_period: Duration,
    /// Name of the Lease (in the ESPW's `default` namespace) [default:
    /// kubestellar-mailbox-controller; with --endpoint-slice, kubestellar-mailbox-<slice name>,
    /// so that each partition's controllers elect their own leader]
    #[arg(long, value_name = "NAME")]
    pub leader_elect_id: Option<String>,
    /// Log format on stderr
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: crate::logging::LogFormat,
}

/// The Lease's name: as given, else one per partition (the slice's), else the one controller's.
fn lease_name(given: Option<&str>, layout: &crate::mailbox::layout::Layout) -> String {
    match (given, &layout.endpoint_slice) {
        (Some(name), _) => name.to_string(),
        (None, Some(slice)) => format!("kubestellar-mailbox-{}", slice.name),
        (None, None) => "kubestellar-mailbox-controller".into(),
    }
}

fn identity() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "kubectl-kubestellar".into());
    format!("{host}_{}", std::process::id())
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    let layout = ctx.sliced_layout(&args.layout, &args.slice)?;
    if args.leader_elect && args.leader_elect_renew_deadline >= args.leader_elect_lease_duration {
        return Err(Error::usage(
            "--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration",
        ));
    }
    let metrics_addr: Option<std::net::SocketAddr> = match args.metrics_bind_address.as_str() {
        "0" | "" => None,
        // The Go controller's form, `:10203`, means every interface.
        a => Some(
            if a.starts_with(':') {
                format!("0.0.0.0{a}")
            } else {
                a.to_string()
            }
            .parse()
            .map_err(|_| {
                Error::usage(format!(
                    "--metrics-bind-address {a:?} is not an address like 127.0.0.1:10203 (0 turns it off)"
                ))
            })?,
        ),
    };
    let kcp = ctx.connect().await?;
    let metrics = Arc::new(Metrics::default());
    if let Some(addr) = metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            Error::failed(format!("cannot serve metrics on {addr}: {e}"))
                .hint("pass another --metrics-bind-address, or 0 to turn it off")
        })?;
        tracing::info!(
            "serving /metrics, /healthz and /readyz on http://{}",
            listener.local_addr().map(|a| a.to_string()).unwrap_or_default()
        );
        tokio::spawn(crate::runtime::metrics::serve(listener, metrics.clone()));
    }
    let leader = args.leader_elect.then(|| LeaseOptions {
        workspace: ctx.global.espw_path.clone(),
        namespace: "default".into(),
        name: lease_name(args.leader_elect_id.as_deref(), &layout),
        identity: identity(),
        lease_duration: args.leader_elect_lease_duration,
        renew_deadline: args.leader_elect_renew_deadline,
        retry_period: args.leader_elect_retry_period,
    });
    let opts = WatchOptions {
        layout,
        pace: Pace {
            concurrency: args.concurrency as usize,
            resync_period: args.resync_period,
            drain_timeout: Duration::from_secs(10),
        },
        leader,
    };
    // First signal: stop taking work and finish what is in flight. Second: leave now.
    let (stop_tx, stop_rx) = channel::channel(false);
    let mut interrupts = crate::runtime::signals::Interrupts::new();
    let signals = async move {
        interrupts.next().await;
        tracing::info!("shutting down: finishing in-flight work (interrupt again to stop at once)");
        let _ = stop_tx.send(true);
        interrupts.next().await;
    };
    tokio::select! {
        done = watch(&kcp, &opts, metrics, stop_rx) => done?,
        () = signals => return Err(Error::interrupted()),
    }
    tracing::info!("stopped");
    Ok(())
}
