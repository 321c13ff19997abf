//! The controller's metrics, rendered in Prometheus' text format by hand: a few counters, a
//! few gauges and one histogram do not need a metrics library.

use crate::kcp::stats::{REQUEST_LATENCY, REQUEST_RETRIES};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub(crate) struct Metrics {
    pub reconciles_settled: AtomicU64,
    pub reconciles_waiting: AtomicU64,
    pub reconciles_retry: AtomicU64,
    pub reconciles_failed: AtomicU64,
    pub created: AtomicU64,
    pub bound: AtomicU64,
    pub deleted: AtomicU64,
    pub queue_depth: AtomicU64,
    pub watch_restarts_synctargets: AtomicU64,
    pub watch_restarts_bindings: AtomicU64,
    pub watch_restarts_workspaces: AtomicU64,
    pub sync_targets: AtomicU64,
    pub mailboxes: AtomicU64,
    pub synced: AtomicU64,
    pub leader: AtomicU64,
}

fn line(out: &mut String, name: &str, kind: &str, help: &str, samples: &[(&str, u64)]) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    for (labels, v) in samples {
        let _ = writeln!(out, "{name}{labels} {v}");
    }
}

impl Metrics {
    pub(crate) fn render(&self) -> String {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut out = String::new();
        line(
            &mut out,
            "kubestellar_mailbox_reconciles_total",
            "counter",
            "Reconcile steps, by result.",
            &[
                ("{result=\"settled\"}", g(&self.reconciles_settled)),
                ("{result=\"waiting\"}", g(&self.reconciles_waiting)),
                ("{result=\"retry\"}", g(&self.reconciles_retry)),
                ("{result=\"failed\"}", g(&self.reconciles_failed)),
            ],
        );
        line(
            &mut out,
            "kubestellar_mailbox_actions_total",
            "counter",
            "Changes made, by kind.",
            &[
                ("{action=\"created\"}", g(&self.created)),
                ("{action=\"bound\"}", g(&self.bound)),
                ("{action=\"deleted\"}", g(&self.deleted)),
            ],
        );
        line(
            &mut out,
            "kubestellar_mailbox_queue_depth",
            "gauge",
            "Mailbox names waiting for a worker.",
            &[("", g(&self.queue_depth))],
        );
        line(
            &mut out,
            "kubestellar_mailbox_watch_restarts_total",
            "counter",
            "Watches that failed and were resumed or re-listed.",
            &[
                ("{watch=\"synctargets\"}", g(&self.watch_restarts_synctargets)),
                ("{watch=\"apibindings\"}", g(&self.watch_restarts_bindings)),
                ("{watch=\"workspaces\"}", g(&self.watch_restarts_workspaces)),
            ],
        );
        line(
            &mut out,
            "kubestellar_mailbox_sync_targets",
            "gauge",
            "SyncTargets known.",
            &[("", g(&self.sync_targets))],
        );
        line(
            &mut out,
            "kubestellar_mailbox_names",
            "gauge",
            "Mailbox names under management (wanted or existing), as of the last full pass.",
            &[("", g(&self.mailboxes))],
        );
        line(
            &mut out,
            "kubestellar_mailbox_caches_synced",
            "gauge",
            "1 once every watch has listed completely.",
            &[("", g(&self.synced))],
        );
        line(
            &mut out,
            "kubestellar_mailbox_leader",
            "gauge",
            "1 while this process is the one that acts.",
            &[("", g(&self.leader))],
        );
        line(
            &mut out,
            "kubestellar_request_retries_total",
            "counter",
            "API requests tried again after a transient failure.",
            &[("", REQUEST_RETRIES.load(Ordering::Relaxed))],
        );
        REQUEST_LATENCY.render(
            "kubestellar_request_duration_seconds",
            "Latency of API requests.",
            &mut out,
        );
        out
    }
}

const MAX_CONNECTIONS: usize = 16;
const CONNECTION_LIFETIME: std::time::Duration = std::time::Duration::from_secs(30);

/// Serve `/metrics`, `/healthz` and `/readyz` (ready once the caches are synced) on `listener`.
pub(crate) async fn serve(listener: tokio::net::TcpListener, metrics: std::sync::Arc<Metrics>) {
    use http_body_util::Full;
    use hyper::{Response, StatusCode, body::Bytes, service::service_fn};
    // A scraper needs a connection or two: bound them, and bound each one's life, so that a
    // misbehaving client cannot make the controller spawn without end.
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, say: pause rather than spin on the error.
                tracing::debug!(error = %e, "metrics: accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                continue;
            }
        };
        let metrics = metrics.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let metrics = metrics.clone();
                async move {
                    let (code, body) = match req.uri().path() {
                        "/metrics" => (StatusCode::OK, metrics.render()),
                        "/healthz" | "/livez" => (StatusCode::OK, "ok\n".to_string()),
                        "/readyz" if metrics.synced.load(Ordering::Relaxed) == 1 => {
                            (StatusCode::OK, "ok\n".to_string())
                        }
                        "/readyz" => (
                            StatusCode::SERVICE_UNAVAILABLE,
                            "caches not synced yet\n".to_string(),
                        ),
                        _ => (
                            StatusCode::NOT_FOUND,
                            "not found: try /metrics, /healthz or /readyz\n".to_string(),
                        ),
                    };
                    let content_type = if req.uri().path() == "/metrics" {
                        "text/plain; version=0.0.4"
                    } else {
                        "text/plain"
                    };
                    Ok::<_, std::convert::Infallible>(
                        Response::builder()
                            .status(code)
                            .header("Content-Type", content_type)
                            .body(Full::new(Bytes::from(body)))
                            .expect("static parts"),
                    )
                }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, conn).await;
        });
    }
}
