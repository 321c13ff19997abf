//! The kcp client layer: one connection from the kubeconfig, and request scopes for any
//! logical cluster (`/clusters/<path or ID>`) or export view URL.

mod connect;
pub mod paths;
mod scope;
pub mod types;

pub use connect::{ConnectOptions, base_url, connect, load_kubeconfig, split_origin, workspace_of};
pub use scope::{ApiErr, ErrKind, ListQuery, Listed, PAGE_SIZE, Scope};

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A connection to a kcp server: the kubeconfig's credentials and TLS settings, one HTTP
/// client per origin (connections are shared), and the base URL every logical cluster is
/// reached from.
#[derive(Clone)]
pub struct Kcp {
    inner: Arc<Inner>,
}

struct Inner {
    config: kube::Config,
    origin: String,
    base_path: String,
    timeout: Option<Duration>,
    context: String,
    /// The workspace the context's server URL points into, if any (`kubectl ws` sets it).
    workspace: Option<String>,
    /// Clients by URL (origin + path) they are rooted at.
    clients: Mutex<HashMap<String, kube::Client>>,
}

impl Kcp {
    pub(crate) fn new(
        config: kube::Config,
        origin: String,
        base_path: String,
        timeout: Option<Duration>,
        context: String,
        workspace: Option<String>,
    ) -> Result<Kcp> {
        let kcp = Kcp {
            inner: Arc::new(Inner {
                config,
                origin,
                base_path,
                timeout,
                context,
                workspace,
                clients: Mutex::new(HashMap::new()),
            }),
        };
        let origin = kcp.inner.origin.clone();
        kcp.client_at(&origin)?;
        Ok(kcp)
    }

    /// The server's base URL, e.g. `https://127.0.0.1:6443`.
    pub fn server(&self) -> String {
        format!("{}{}", self.inner.origin, self.inner.base_path)
    }

    pub fn context(&self) -> &str {
        &self.inner.context
    }

    /// The workspace the kubeconfig's server URL points into (only for messages: every
    /// request names its workspace).
    pub fn kubeconfig_workspace(&self) -> Option<&str> {
        self.inner.workspace.as_deref()
    }

    /// A kube client whose every request is rooted at `url` (origin plus path).
    pub fn client_at(&self, url: &str) -> Result<kube::Client> {
        let mut clients = self.inner.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = clients.get(url) {
            return Ok(c.clone());
        }
        let mut config = self.inner.config.clone();
        config.cluster_url = url
            .parse()
            .map_err(|e| Error::failed(format!("{url} is not a valid URL")).cause(e))?;
        let client = kube::Client::try_from(config).map_err(|e| {
            Error::usage(format!("cannot build a client for {url} from the kubeconfig"))
                .hint("check the context's certificate-authority and client certificate")
                .cause(e)
        })?;
        clients.insert(url.to_string(), client.clone());
        Ok(client)
    }

    /// Requests into a logical cluster, by path (`root:espw`) or ID.
    pub fn cluster(&self, path: &str) -> Scope {
        let client = self
            .client_at(&self.inner.origin)
            .expect("the origin's client was built at connect");
        Scope {
            client,
            origin: self.inner.origin.clone(),
            prefix: format!("{}/clusters/{path}", self.inner.base_path),
            timeout: self.inner.timeout,
        }
    }

    /// Requests under an absolute URL (an export's view, which may be on another shard).
    pub fn at(&self, url: &str) -> Result<Scope> {
        let (origin, prefix) =
            split_origin(url).ok_or_else(|| Error::failed(format!("{url} is not an http(s) URL")))?;
        let client = self.client_at(&origin)?;
        Ok(Scope {
            client,
            origin,
            prefix,
            timeout: self.inner.timeout,
        })
    }

    /// Requests across every workspace an export's view serves: `<view URL>/clusters/*`,
    /// the one place that spells it.
    pub fn view(&self, view_url: &str) -> Result<Scope> {
        self.at(&format!("{}/clusters/*", view_url.trim_end_matches('/')))
    }

    /// A kube client rooted at a scope, for kube-runtime's watchers.
    pub fn watch_client(&self, scope: &Scope) -> Result<kube::Client> {
        self.client_at(&scope.url())
    }
}
