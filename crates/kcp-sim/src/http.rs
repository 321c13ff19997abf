//! The socket: accept loop (with TLS), per-connection tasks that can be cut, and the
//! "restart" fault that closes the listener and refuses connections for a while.

use crate::{Faults, RequestCounts, Sim, SimConfig, Tokens, api, model, store, tls};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

pub(crate) type Body = BoxBody<Bytes, Infallible>;

pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

pub(crate) struct Listening {
    pub sim: Arc<Sim>,
    pub url: String,
    pub ca_pem: Option<String>,
    listener: TcpListener,
    addr: SocketAddr,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
}

pub(crate) fn random_token() -> String {
    use rand::Rng;
    let bytes: [u8; 24] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn bind_reusable(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = socket2::Socket::new(socket2::Domain::for_address(addr), socket2::Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    TcpListener::from_std(socket.into())
}

impl Listening {
    pub(crate) async fn bind(config: SimConfig) -> std::io::Result<Listening> {
        let listener = bind_reusable(config.listen)?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        let (acceptor, ca_pem) = if config.tls {
            let generated = tls::generate(Some(addr.ip().to_string())).map_err(std::io::Error::other)?;
            (
                Some(tokio_rustls::TlsAcceptor::from(generated.server_config)),
                Some(generated.ca_pem),
            )
        } else {
            (None, None)
        };
        let scheme = if config.tls { "https" } else { "http" };
        let url = format!("{scheme}://{host}:{}", addr.port());
        let sim = Arc::new(Sim {
            state: Mutex::new(store::State::new(
                store::HistoryLimits {
                    min: config.history_min,
                    max: config.history_limit,
                    fresh: config.history_fresh,
                },
                config.shards,
            )),
            builtins: {
                let mut defs = model::builtin_resources();
                if config.kcp_version == crate::KcpVersion::V0_32 {
                    // First, so that discovery prefers it.
                    let v1 = defs
                        .iter()
                        .find(|d| d.plural == "apiexports")
                        .expect("the APIExport CRD is built in")
                        .clone();
                    defs.insert(0, Arc::new(crate::newest::apiexport_v1alpha2(&v1)));
                    let v1 = defs
                        .iter()
                        .find(|d| d.plural == "apibindings")
                        .expect("the APIBinding CRD is built in")
                        .clone();
                    defs.insert(0, Arc::new(crate::v1alpha2::apibinding_v1alpha2(&v1)));
                }
                defs
            },
            faults: Mutex::new(Faults::default()),
            counters: Mutex::new(RequestCounts::default()),
            log: Mutex::new(Vec::new()),
            tokens: Tokens {
                admin: random_token(),
                masters: random_token(),
                user: random_token(),
                extra: Mutex::new(Default::default()),
            },
            ca_pem: ca_pem.clone(),
            base_url: OnceLock::new(),
            runtime: tokio::runtime::Handle::current(),
            watch_epoch: tokio::sync::watch::channel(0).0,
            conn_epoch: tokio::sync::watch::channel(0).0,
            refusing: Mutex::new(None),
            refuse_now: tokio::sync::Notify::new(),
            config,
        });
        let _ = sim.base_url.set(url.clone());
        api::bootstrap(&sim);
        Ok(Listening {
            sim,
            url,
            ca_pem,
            listener,
            addr,
            acceptor,
        })
    }

    pub(crate) async fn serve(self, shutdown: impl std::future::Future<Output = ()>) {
        let Listening {
            sim,
            listener,
            addr,
            acceptor,
            ..
        } = self;
        let mut listener = Some(listener);
        tokio::pin!(shutdown);
        while let Some(l) = listener.as_ref() {
            tokio::select! {
                // A pending refusal wins over a pending connection, so nothing is accepted
                // once `refuse` has returned and the accept loop has run again.
                biased;
                _ = &mut shutdown => break,
                _ = sim.refuse_now.notified() => {
                    listener = None; // closed: new connections are refused
                    let until = *sim.refusing.lock().unwrap_or_else(|p| p.into_inner());
                    if let Some(until) = until {
                        tokio::select! {
                            _ = tokio::time::sleep_until(until) => {}
                            _ = &mut shutdown => break,
                        }
                    }
                    *sim.refusing.lock().unwrap_or_else(|p| p.into_inner()) = None;
                    // Rebinding can race the kernel's cleanup of the old socket: retry briefly.
                    for attempt in 0..50 {
                        match bind_reusable(addr) {
                            Ok(l) => { listener = Some(l); break; }
                            Err(_) if attempt < 49 => tokio::time::sleep(Duration::from_millis(20)).await,
                            #[allow(clippy::print_stderr)] // the server's own log: it has no other
                            Err(e) => eprintln!("kcp-sim: cannot listen on {addr} again: {e}"),
                        }
                    }
                }
                accepted = l.accept() => {
                    if let Ok((stream, _)) = accepted {
                        tokio::spawn(connection(sim.clone(), stream, acceptor.clone()));
                    }
                }
            }
        }
        sim.conn_epoch.send_modify(|e| *e += 1);
        sim.watch_epoch.send_modify(|e| *e += 1);
    }
}

/// Refuse connections for `for_`: close the listener and cut every open connection.
pub(crate) fn refuse(sim: &Arc<Sim>, for_: Duration) {
    *sim.refusing.lock().unwrap_or_else(|p| p.into_inner()) = Some(tokio::time::Instant::now() + for_);
    sim.conn_epoch.send_modify(|e| *e += 1);
    sim.watch_epoch.send_modify(|e| *e += 1);
    sim.refuse_now.notify_one();
}

async fn connection(sim: Arc<Sim>, stream: TcpStream, acceptor: Option<tokio_rustls::TlsAcceptor>) {
    let _ = stream.set_nodelay(true);
    let mut cut = sim.conn_epoch.subscribe();
    cut.mark_unchanged();
    let tls = acceptor.is_some();
    let service = service_fn(move |req| {
        let sim = sim.clone();
        async move { Ok::<_, Infallible>(api::handle(sim, req, tls).await) }
    });
    let serve = async move {
        match acceptor {
            Some(acceptor) => {
                if let Ok(stream) = acceptor.accept(stream).await {
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                }
            }
            None => {
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            }
        }
    };
    tokio::select! {
        _ = serve => {}
        _ = cut.changed() => {}
    }
}
