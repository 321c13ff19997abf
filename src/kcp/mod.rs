//! The kcp client layer: one connection from the kubeconfig, and request scopes for any
//! logical cluster (`/clusters/<path or ID>`) or export view URL.

mod connect;
pub(crate) mod denied;
pub(crate) mod generation;
pub(crate) mod paths;
mod presence;
pub(crate) mod resource;
mod scope;
pub(crate) mod stats;
pub(crate) mod types;
mod view;

pub use connect::{ConnectOptions, connect};
pub(crate) use connect::{load_kubeconfig, split_origin};
pub use generation::Generation;
pub(crate) use presence::{Presence, presence};
pub(crate) use resource::Address;
pub use scope::PAGE_SIZE;
pub(crate) use scope::{ApiErr, ListQuery, Listed, Scope};
pub(crate) use view::{
    ExportRef, ExportState, IfAbsent, SliceRef, ViewSource, export_state, view_state, view_unusable,
    wait_for_view,
};

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
    /// Which kcp this is: forced by `--kcp-generation`, else found out once.
    generation: tokio::sync::OnceCell<Generation>,
}

impl Kcp {
    pub(crate) fn new(
        config: kube::Config,
        origin: String,
        base_path: String,
        timeout: Option<Duration>,
        context: String,
        workspace: Option<String>,
        generation: Option<Generation>,
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
                generation: tokio::sync::OnceCell::new_with(generation),
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
    /// the one place that spells it (where the view is, and waiting for it: [`view`]).
    pub fn view(&self, view_url: &str) -> Result<Scope> {
        self.at(&format!("{}/clusters/*", view_url.trim_end_matches('/')))
    }

    /// Which kcp this is. Found out once (one discovery read, in the kubeconfig's workspace or
    /// `root`) unless `--kcp-generation` forced it; a failed read is not remembered (the
    /// older generation is assumed for this call, and the request that follows reports the
    /// failure).
    pub async fn generation(&self) -> Generation {
        if let Some(g) = self.inner.generation.get() {
            return *g;
        }
        let cluster = self.kubeconfig_workspace().unwrap_or("root").to_string();
        let found = self
            .inner
            .generation
            .get_or_try_init(|| async {
                let g = generation::detect(self, &cluster).await?;
                tracing::debug!("detected: {g}, from the versions of apis.kcp.io that {cluster} serves (pass --kcp-generation to choose)");
                Ok::<Generation, ApiErr>(g)
            })
            .await;
        match found {
            Ok(g) => *g,
            Err(e) => {
                tracing::debug!(error = %e, "cannot read the discovery of apis.kcp.io; assuming {}", Generation::V0_11);
                Generation::V0_11
            }
        }
    }

    /// A kube client rooted at a scope, for kube-runtime's watchers.
    pub fn watch_client(&self, scope: &Scope) -> Result<kube::Client> {
        self.client_at(&scope.url())
    }
}
