//! `prep-for-syncer`, the operation: for a SyncTarget, wait (bounded) for its mailbox
//! workspace and the mailbox's `bind-edge`, make the syncer's identity there as KubeStellar
//! v0.14's `syncer-gen` does ([`identity`], [`token`]), and build the YAML that installs the
//! syncer in the edge cluster ([`manifest`]). Idempotent: a second run finds what the first
//! made and changes nothing.

pub(crate) mod identity;
pub(crate) mod manifest;
pub(crate) mod token;

use crate::edge_api::{EdgeSyncConfig, SyncTarget};
use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::Address;
use crate::kcp::types::{ApiBinding, ApiExport, CLUSTER_ANNOTATION, Workspace};
use crate::kcp::{ApiErr, Kcp, Scope, paths};
use crate::workspace::Item;
use base64::Engine;
use k8s_openapi::api::core::v1::Namespace;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use tokio::time::Instant;

/// KubeStellar v0.14's `prep-for-syncer` default.
pub(crate) const DEFAULT_SYNCER_IMAGE: &str = "quay.io/kubestellar/syncer:release-0.14";
/// Where syncer-gen puts the ServiceAccount (its `--kcp-namespace` default).
pub(crate) const KCP_NAMESPACE: &str = "default";
const BIND_EDGE: &str = "bind-edge";

#[derive(Debug, Clone)]
pub(crate) struct PrepOptions {
    /// The SyncTarget's name.
    pub sync_target: String,
    /// The inventory management workspace holding the SyncTarget.
    pub imw: String,
    /// The edge service provider workspace (its `edge.kubestellar.io` export is checked).
    pub espw: String,
    /// Where the mailbox workspaces are (`root` in KubeStellar v0.14).
    pub mailbox_parent: String,
    pub syncer_image: String,
    /// The kubeconfig the connection came from (its certificate authority goes into the
    /// syncer's kubeconfig); `None` for the default lookup.
    pub kubeconfig: Option<PathBuf>,
    /// Bound on all the waiting (mailbox, binding, token).
    pub timeout: Duration,
}

/// What `prep-for-syncer` did, and the YAML for the edge cluster.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// `kubestellar-syncer-<SyncTarget>-<hash>`
    pub syncer_id: String,
    /// The mailbox workspace's path.
    pub mailbox: String,
    pub items: Vec<Item>,
    pub manifest: String,
}

pub(crate) async fn prep_for_syncer(
    kcp: &Kcp,
    opts: &PrepOptions,
    feedback: &dyn Feedback,
) -> Result<Prepared> {
    check(opts)?;
    let deadline = Instant::now() + opts.timeout;
    let imw = kcp.cluster(&opts.imw);
    let st: Value = imw
        .get(&SyncTarget::object(&opts.sync_target))
        .await
        .map_err(|e| {
            e.to_error(
                &format!("failed to read SyncTarget {}", opts.sync_target),
                &imw.url(),
            )
        })?
        .ok_or_else(|| {
            Error::usage(format!(
                "there is no SyncTarget {:?} in {}",
                opts.sync_target, opts.imw
            ))
            .hint("check the name, and pass --imw with the workspace that holds it")
        })?;
    let espw = kcp.cluster(&opts.espw);
    let export: Option<Value> = espw
        .get(&ApiExport::object(crate::edge_api::EXPORT_NAME))
        .await
        .map_err(|e| e.to_error("failed to read the edge.kubestellar.io APIExport", &espw.url()))?;
    if export.is_none() {
        return Err(Error::usage(format!(
            "{} does not look like the edge service provider workspace: it has no APIExport edge.kubestellar.io",
            opts.espw
        ))
        .hint("pass --espw with the ESPW's path, or set it up with `kubectl kubestellar init espw`"));
    }
    let uid = st["metadata"]["uid"].as_str().unwrap_or_default().to_string();
    let cluster = st["metadata"]["annotations"][CLUSTER_ANNOTATION]
        .as_str()
        .unwrap_or_default();
    let mb_name = crate::mailbox::naming::mailbox_name(cluster, &uid)
        .map_err(|why| Error::failed(format!("SyncTarget {} has no mailbox: {why}", opts.sync_target)))?;
    let mailbox = format!("{}:{mb_name}", opts.mailbox_parent);

    feedback.note(&format!("waiting for the mailbox workspace {mailbox}"));
    crate::workspace::wait_for(
        kcp,
        &opts.mailbox_parent,
        &mb_name,
        deadline,
        "be Ready (is the mailbox controller, `kubectl kubestellar mailbox watch`, running?)",
        |w: Option<&Workspace>| w.is_some_and(|w| w.ready()),
    )
    .await?;
    let mb = kcp.cluster(&mailbox);
    wait_for_mailbox_content(&mb, &mailbox, deadline, feedback).await?;

    let (config, config_change) = identity::ensure_edge_sync_config(&mb, &opts.sync_target).await?;
    let owner = identity::owner_reference(&config);
    let id = identity::syncer_id(&opts.sync_target, &uid);
    let mut items = vec![identity::item("EdgeSyncConfig", &opts.sync_target, config_change)];
    let (_, sa_item) = identity::ensure_service_account(&mb, KCP_NAMESPACE, &id, &owner).await?;
    items.push(sa_item);
    items.push(identity::ensure_cluster_role(&mb, &id, &owner).await?);
    items.push(identity::ensure_cluster_role_binding(&mb, KCP_NAMESPACE, &id, &owner).await?);
    let (token, secret_item) = token::syncer_token(&mb, KCP_NAMESPACE, &id, &owner, deadline).await?;
    items.extend(secret_item);

    let server_url = server_url(&kcp.server())?;
    let ca_data = ca_data(opts.kubeconfig.as_deref(), kcp.context())?;
    let manifest = manifest::render(&manifest::SyncerInput {
        syncer_id: &id,
        server_url: &server_url,
        ca_data: &ca_data,
        token: &token,
        kcp_namespace: KCP_NAMESPACE,
        sync_target: &opts.sync_target,
        sync_target_uid: &uid,
        image: &opts.syncer_image,
    });
    Ok(Prepared {
        syncer_id: id,
        mailbox,
        items,
        manifest,
    })
}

fn check(opts: &PrepOptions) -> Result<()> {
    for (flag, path) in [("--imw", &opts.imw), ("--espw", &opts.espw)] {
        paths::check_path(path).map_err(|e| Error::usage(format!("{flag}: {e}")))?;
    }
    // Its name goes into object names of at most 63 characters with a 28-character frame.
    let dns = regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").expect("literal regex");
    if !dns.is_match(&opts.sync_target) || opts.sync_target.len() > 63 - 28 {
        return Err(Error::usage(format!(
            "{:?} is not a SyncTarget name this can make a syncer for: use a DNS label of at most 35 characters",
            opts.sync_target
        )));
    }
    if opts.syncer_image.is_empty()
        || opts
            .syncer_image
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::usage(format!(
            "--syncer-image {:?} is not an image reference like {DEFAULT_SYNCER_IMAGE}",
            opts.syncer_image
        )));
    }
    Ok(())
}

/// The mailbox's `bind-edge` Bound (the edge API served there) and its `default` namespace,
/// which kcp makes a moment after the workspace is Ready.
async fn wait_for_mailbox_content(
    mb: &Scope,
    mailbox: &str,
    deadline: Instant,
    feedback: &dyn Feedback,
) -> Result<()> {
    let failed = |what: &str| {
        let (what, place) = (what.to_string(), mb.url());
        move |e: ApiErr| e.to_error(&what, &place)
    };
    feedback.note(&format!(
        "waiting for APIBinding {BIND_EDGE} in {mailbox} to be Bound"
    ));
    let bound = poll_until(deadline, || async {
        let b: Option<Value> = mb.get(&ApiBinding::object(BIND_EDGE)).await?;
        let bound = b.is_some_and(|b| b["status"]["phase"] == "Bound");
        // Bound, and the edge API answering (a list of EdgeSyncConfigs).
        Ok((bound && mb.get::<Value>(&EdgeSyncConfig::collection()).await?.is_some()).then_some(()))
    })
    .await
    .map_err(failed("failed to read APIBinding bind-edge"))?;
    if bound.is_none() {
        return Err(Error::failed(format!(
            "timed out waiting for APIBinding {BIND_EDGE} in {mailbox} to be Bound"
        ))
        .hint(
            "is the mailbox controller (`kubectl kubestellar mailbox watch`) running? Or raise --timeout",
        ));
    }
    let ns = poll_until(deadline, || async {
        Ok(mb
            .get::<Value>(&Namespace::object(KCP_NAMESPACE))
            .await?
            .map(|_| ()))
    })
    .await
    .map_err(failed("failed to read the default namespace"))?;
    ns.ok_or_else(|| {
        Error::failed(format!(
            "timed out waiting for namespace {KCP_NAMESPACE} in {mailbox}"
        ))
        .hint("raise --timeout")
    })
}

/// Ask `f` until it answers `Some` or the deadline passes (then `None`). For conditions kcp's
/// controllers bring about within moments; an API error ends the wait.
pub(crate) async fn poll_until<T, F, Fut>(
    deadline: Instant,
    mut f: F,
) -> std::result::Result<Option<T>, ApiErr>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<Option<T>, ApiErr>>,
{
    const INTERVAL: Duration = Duration::from_millis(250);
    loop {
        if let Some(v) = f().await? {
            return Ok(Some(v));
        }
        if Instant::now() + INTERVAL > deadline {
            return Ok(None);
        }
        tokio::time::sleep(INTERVAL).await;
    }
}

/// syncer-gen's `ServerURL`: the scheme and host of the kubeconfig's server, with an explicit
/// port, without a path.
fn server_url(server: &str) -> Result<String> {
    let (origin, _) = crate::kcp::split_origin(server)
        .ok_or_else(|| Error::usage(format!("the kubeconfig's server {server} is not an http(s) URL")))?;
    let (scheme, host) = origin.split_once("://").unwrap_or(("https", &origin));
    // After an IPv6 literal's `]`, if any.
    let has_port = host.rsplit(']').next().unwrap_or(host).contains(':');
    Ok(if has_port {
        origin.clone()
    } else {
        let port = if scheme == "https" { 443 } else { 80 };
        format!("{scheme}://{host}:{port}")
    })
}

/// The certificate authority of the context's cluster, PEM, base64 (syncer-gen's `CAData`);
/// empty when the kubeconfig names none.
fn ca_data(kubeconfig: Option<&std::path::Path>, context: &str) -> Result<String> {
    let (config, source) = crate::kcp::load_kubeconfig(kubeconfig)?;
    let cluster_name = config
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
        .map(|c| c.cluster.clone())
        .unwrap_or_default();
    let Some(cluster) = config
        .clusters
        .iter()
        .find(|c| c.name == cluster_name)
        .and_then(|c| c.cluster.as_ref())
    else {
        return Ok(String::new());
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    if let Some(data) = cluster
        .certificate_authority_data
        .as_deref()
        .filter(|d| !d.is_empty())
    {
        let pem = b64.decode(data.trim()).map_err(|e| {
            Error::usage(format!(
                "the certificate-authority-data of cluster {cluster_name} in {source} is not base64"
            ))
            .cause(e)
        })?;
        return Ok(b64.encode(pem));
    }
    if let Some(file) = cluster.certificate_authority.as_deref().filter(|f| !f.is_empty()) {
        let pem = std::fs::read(file).map_err(|e| {
            Error::usage(format!(
                "cannot read the certificate authority {file} of cluster {cluster_name}"
            ))
            .cause(e)
        })?;
        return Ok(b64.encode(pem));
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_have_a_port_and_no_path() {
        assert_eq!(
            server_url("https://h:6443/clusters/root").unwrap(),
            "https://h:6443"
        );
        assert_eq!(server_url("https://h").unwrap(), "https://h:443");
        assert_eq!(server_url("http://h/base").unwrap(), "http://h:80");
        assert_eq!(server_url("https://[::1]:6443").unwrap(), "https://[::1]:6443");
        assert_eq!(server_url("https://[::1]").unwrap(), "https://[::1]:443");
        assert!(server_url("ftp://h").is_err());
    }
}
