//! From a kubeconfig to a [`Kcp`] handle: which file, which context, and the server's base
//! URL (the context's server with any `/clusters/...` suffix dropped). The kubeconfig is
//! only ever read.

use crate::error::{Error, Result};
use crate::kcp::Kcp;
use kube::config::{KubeConfigOptions, Kubeconfig};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// `--kubeconfig`; otherwise `$KUBECONFIG` (a list), otherwise `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub request_timeout: Option<Duration>,
    /// `--kcp-generation`: which kcp to expect, instead of asking the server.
    pub generation: Option<crate::kcp::Generation>,
}

const KUBECONFIG_HINT: &str = "pass --kubeconfig, or set KUBECONFIG to the admin kubeconfig kcp wrote (e.g. export KUBECONFIG=.kcp/admin.kubeconfig)";

fn read_one(path: &Path) -> Result<Kubeconfig> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::usage(format!(
            "cannot read the kubeconfig {}: {}",
            path.display(),
            io_reason(&e)
        ))
        .hint(KUBECONFIG_HINT)
    })?;
    if text.trim().is_empty() {
        return Err(
            Error::usage(format!("the kubeconfig {} is empty", path.display())).hint(KUBECONFIG_HINT),
        );
    }
    Kubeconfig::from_yaml(&text).map_err(|e| {
        Error::usage(format!(
            "the kubeconfig {} is not a valid kubeconfig",
            path.display()
        ))
        .hint("check its YAML, or point --kubeconfig at another file")
        .cause(e)
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The kubeconfig as kubectl would load it, and where it came from (for messages).
pub(crate) fn load_kubeconfig(explicit: Option<&Path>) -> Result<(Kubeconfig, String)> {
    if let Some(p) = explicit {
        return Ok((read_one(p)?, p.display().to_string()));
    }
    if let Some(list) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        let paths: Vec<PathBuf> = std::env::split_paths(&list)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        let existing: Vec<&PathBuf> = paths.iter().filter(|p| p.exists()).collect();
        if existing.is_empty() {
            let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            return Err(
                Error::usage(format!("no kubeconfig found at KUBECONFIG={}", shown.join(":")))
                    .hint(KUBECONFIG_HINT),
            );
        }
        let mut merged: Option<Kubeconfig> = None;
        for p in &existing {
            let next = read_one(p)?;
            merged = Some(match merged {
                None => next,
                Some(m) => m
                    .merge(next)
                    .map_err(|e| Error::usage("cannot merge the kubeconfigs in KUBECONFIG").cause(e))?,
            });
        }
        let shown: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
        return Ok((merged.expect("at least one file"), shown.join(":")));
    }
    let home = dirs::home_dir().ok_or_else(|| {
        Error::usage("no kubeconfig: no --kubeconfig, no KUBECONFIG and no home directory")
            .hint(KUBECONFIG_HINT)
    })?;
    let path = home.join(".kube").join("config");
    if !path.exists() {
        return Err(Error::usage(format!(
            "no kubeconfig: no --kubeconfig, no KUBECONFIG, and {} does not exist",
            path.display()
        ))
        .hint(KUBECONFIG_HINT));
    }
    Ok((read_one(&path)?, path.display().to_string()))
}

/// `https://h:6443/clusters/root` → `https://h:6443`; a path before `/clusters/` stays.
pub(crate) fn base_url(server: &str) -> String {
    let server = server.trim_end_matches('/');
    let scheme_end = server.find("://").map(|i| i + 3).unwrap_or(0);
    match server[scheme_end..].find("/clusters/") {
        Some(i) => server[..scheme_end + i].to_string(),
        None => server.trim_end_matches("/clusters").to_string(),
    }
}

pub async fn connect(opts: &ConnectOptions) -> Result<Kcp> {
    let (kubeconfig, source) = load_kubeconfig(opts.kubeconfig.as_deref())?;
    let context = match (&opts.context, &kubeconfig.current_context) {
        (Some(c), _) => c.clone(),
        (None, Some(c)) if !c.is_empty() => c.clone(),
        _ => {
            return Err(
                Error::usage(format!("the kubeconfig {source} has no current-context")).hint(format!(
                    "pass --context with one of: {}",
                    context_names(&kubeconfig)
                )),
            );
        }
    };
    if !kubeconfig.contexts.iter().any(|c| c.name == context) {
        return Err(
            Error::usage(format!("context {context:?} is not in the kubeconfig {source}"))
                .hint(format!("use one of: {}", context_names(&kubeconfig))),
        );
    }
    let options = KubeConfigOptions {
        context: Some(context.clone()),
        cluster: None,
        user: None,
    };
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| {
            Error::usage(format!(
                "cannot use context {context:?} of the kubeconfig {source}"
            ))
            .hint("check its cluster, user and certificate entries")
            .cause(e)
        })?;
    let server = config.cluster_url.to_string();
    let base = base_url(&server);
    let (origin, base_path) = split_origin(&base).ok_or_else(|| {
        Error::usage(format!(
            "the server URL {base} of context {context:?} is not an http(s) URL"
        ))
    })?;
    config.cluster_url = origin
        .parse()
        .map_err(|e| Error::usage(format!("the server URL {base} is invalid")).cause(e))?;
    // Our own requests get `--request-timeout`; watches must not, so the client has none.
    config.read_timeout = None;
    Kcp::new(
        config,
        origin,
        base_path,
        opts.request_timeout,
        context,
        workspace_of(&server),
        opts.generation,
    )
}

fn context_names(k: &Kubeconfig) -> String {
    let names: Vec<&str> = k.contexts.iter().map(|c| c.name.as_str()).collect();
    if names.is_empty() {
        "(the kubeconfig has no contexts)".into()
    } else {
        names.join(", ")
    }
}

/// The workspace a server URL points into: `https://h/clusters/root:my-org` → `root:my-org`
/// (what `kubectl ws` leaves in the kubeconfig).
pub(crate) fn workspace_of(server: &str) -> Option<String> {
    let rest = server.split_once("/clusters/")?.1;
    let path = rest.split('/').next().unwrap_or_default();
    (!path.is_empty()).then(|| path.to_string())
}

/// `https://h:1/a/b` → (`https://h:1`, `/a/b`).
pub(crate) fn split_origin(url: &str) -> Option<(String, String)> {
    let scheme_end = url.find("://")? + 3;
    let scheme = &url[..scheme_end - 3];
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let rest = &url[scheme_end..];
    let path_start = rest.find('/').unwrap_or(rest.len());
    if path_start == 0 {
        return None;
    }
    Some((
        url[..scheme_end + path_start].to_string(),
        rest[path_start..].trim_end_matches('/').to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_drops_the_cluster_suffix_only() {
        assert_eq!(base_url("https://h:6443/clusters/root"), "https://h:6443");
        assert_eq!(base_url("https://h:6443/clusters/root:espw/"), "https://h:6443");
        assert_eq!(base_url("https://h:6443"), "https://h:6443");
        assert_eq!(base_url("https://h/proxy/clusters/root"), "https://h/proxy");
    }

    #[test]
    fn the_workspace_a_server_points_into() {
        assert_eq!(
            workspace_of("https://h:6443/clusters/root:my-org"),
            Some("root:my-org".into())
        );
        assert_eq!(workspace_of("https://h:6443/clusters/root/"), Some("root".into()));
        assert_eq!(workspace_of("https://h:6443"), None);
    }

    #[test]
    fn origins_split_from_paths() {
        assert_eq!(
            split_origin("https://h:1/services/apiexport/x/y"),
            Some(("https://h:1".into(), "/services/apiexport/x/y".into()))
        );
        assert_eq!(split_origin("http://h"), Some(("http://h".into(), String::new())));
        assert_eq!(split_origin("ftp://h/x"), None);
    }
}
