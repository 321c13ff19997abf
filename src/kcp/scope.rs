//! Requests under one URL prefix (a logical cluster, or an export's view), with retries of
//! what is safe to retry, and errors classified so that callers can decide and explain.

use crate::error::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::fmt;
use std::time::Duration;

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrKind {
    /// The server answered with a Status (see `code` and `reason`).
    Status,
    /// Nothing listens there.
    Refused,
    /// The TLS handshake failed (usually an untrusted certificate).
    Tls,
    /// No answer within the request timeout.
    Timeout,
    /// Another transport failure (DNS, reset, ...).
    Transport,
    /// The answer was not what the API promises.
    Decode,
}

#[derive(Debug, Clone)]
pub struct ApiErr {
    pub kind: ErrKind,
    pub code: u16,
    pub reason: String,
    pub message: String,
}

impl ApiErr {
    fn status(code: u16, reason: &str, message: &str) -> ApiErr {
        ApiErr {
            kind: ErrKind::Status,
            code,
            reason: reason.into(),
            message: message.into(),
        }
    }

    pub fn decode(message: &str) -> ApiErr {
        ApiErr {
            kind: ErrKind::Decode,
            code: 0,
            reason: String::new(),
            message: message.into(),
        }
    }

    /// The object is not there (in a workspace that is).
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrKind::Status && self.code == 404 && !self.is_missing_path()
    }
    /// A real kcp v0.32.3 answers a request under a workspace path that does not resolve
    /// (`/clusters/root:nope/...`) with 404 `workspaces.tenancy.kcp.io "root:nope" not found`,
    /// naming the whole path, where v0.11 answered 403: the workspace is missing, not the
    /// object. A workspace's own name has no `:`, so the Status cannot be about one.
    fn is_missing_path(&self) -> bool {
        self.kind == ErrKind::Status
            && self.code == 404
            && self
                .message
                .strip_prefix("workspaces.tenancy.kcp.io \"")
                .and_then(|m| m.strip_suffix("\" not found"))
                .is_some_and(|path| path.contains(':'))
    }
    pub fn is_already_exists(&self) -> bool {
        self.kind == ErrKind::Status && self.code == 409 && self.reason == "AlreadyExists"
    }
    pub fn is_conflict(&self) -> bool {
        self.kind == ErrKind::Status && self.code == 409 && self.reason != "AlreadyExists"
    }
    /// 403 to a user who may not, or for a workspace that is not there (kcp answers alike;
    /// v0.32.3 answers a path that does not resolve with a 404 of its own, taken as the same);
    /// not to a request without credentials, which is a kubeconfig problem.
    pub fn is_forbidden(&self) -> bool {
        (self.kind == ErrKind::Status && self.code == 403 && !self.is_anonymous()) || self.is_missing_path()
    }
    /// kcp takes a request without credentials as `system:anonymous`, and lets it do nothing.
    fn is_anonymous(&self) -> bool {
        self.kind == ErrKind::Status && self.code == 403 && self.message.contains("\"system:anonymous\"")
    }
    pub fn is_gone(&self) -> bool {
        self.kind == ErrKind::Status && self.code == 410
    }
    /// The request surely did nothing: refused before it was sent, or throttled.
    fn surely_not_done(&self) -> bool {
        self.kind == ErrKind::Refused || (self.kind == ErrKind::Status && self.code == 429)
    }

    /// Worth another try: throttling, server trouble, or a connection that did not happen.
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            ErrKind::Status => matches!(self.code, 429 | 500 | 502 | 503 | 504),
            ErrKind::Refused | ErrKind::Timeout | ErrKind::Transport => true,
            ErrKind::Tls | ErrKind::Decode => false,
        }
    }

    /// What `-v` shows under the message: the server's answer as it came, or the transport's.
    fn detail(&self) -> String {
        match self.kind {
            ErrKind::Status => format!("HTTP {} {}: {}", self.code, self.reason, self.message),
            ErrKind::Refused => "connection refused".into(),
            ErrKind::Tls => format!("TLS: {}", self.message),
            ErrKind::Timeout => "no answer within the request timeout".into(),
            ErrKind::Transport => format!("transport: {}", self.message),
            ErrKind::Decode => format!("undecodable answer: {}", self.message),
        }
    }

    /// A user error: "<what> through <where>: <cause>", with a hint for the cause.
    pub fn to_error(&self, what: &str, place: &str) -> Error {
        let e = Error::failed(format!("{what} through {place}: {self}")).cause(self.detail());
        match (self.kind, self.code) {
            (ErrKind::Refused, _) => e.hint("is the kcp server running, and is the kubeconfig's server URL right?"),
            (ErrKind::Tls, _) => {
                e.hint("the server's certificate is not trusted by the kubeconfig's certificate-authority; check the kubeconfig's cluster entry")
            }
            (ErrKind::Timeout, _) => e.hint("the server did not answer in time; retry, or raise --request-timeout"),
            (ErrKind::Status, 401) => e.hint("the kubeconfig's credentials were rejected; refresh the token or pick another --context"),
            (ErrKind::Status, 403) if self.is_anonymous() => {
                e.hint("the kubeconfig sent no credentials (kcp calls the caller system:anonymous); give its user a token or pick another --context")
            }
            (ErrKind::Status, 403) => match forbidden_sentence(self, place) {
                Some(s) => Error::failed(format!("{what}: {s}"))
                    .cause(self.detail())
                    .hint(format!("{} lists the permissions each command needs", super::denied::DOC)),
                None => e.hint("the user may not do this there, or the workspace does not exist"),
            },
            (ErrKind::Status, 404) if self.is_missing_path() => e.hint("no workspace has that path; check it"),
            (ErrKind::Status, 429 | 500 | 502 | 503 | 504) => e.hint("the server is in trouble; retry later"),
            _ => e,
        }
    }
}

/// What kcp's 403 says the user may not do, where the request went: a workspace (`/clusters/<path>`)
/// or an export's view, whose content kcp guards with `apiexports/content` in the export's
/// workspace.
fn forbidden_sentence(e: &ApiErr, place: &str) -> Option<String> {
    let d = super::denied::Denied::parse(&e.message)?;
    if let Some(view) = place.split("/services/apiexport/").nth(1) {
        let export = view.split('/').nth(1).unwrap_or(view);
        return Some(format!(
            "the user \"{}\" may not {} {} through the view of APIExport {export} (that takes {} on apiexports/content {export} in the export's workspace)",
            d.user, d.verb, d.resource, d.verb
        ));
    }
    let workspace = place
        .split("/clusters/")
        .nth(1)
        .map_or(place, |p| p.split('/').next().unwrap_or(p));
    super::denied::sentence(e, workspace)
}

impl std::error::Error for ApiErr {}

impl fmt::Display for ApiErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrKind::Status if self.message.is_empty() => write!(f, "{} {}", self.code, self.reason),
            ErrKind::Status => write!(f, "{} ({})", self.message, self.code),
            ErrKind::Refused => write!(f, "connection refused"),
            ErrKind::Tls => write!(f, "TLS handshake failed: {}", self.message),
            ErrKind::Timeout => write!(f, "request timed out"),
            ErrKind::Transport => write!(f, "{}", self.message),
            ErrKind::Decode => write!(f, "unexpected answer: {}", self.message),
        }
    }
}

impl From<kube::Error> for ApiErr {
    fn from(e: kube::Error) -> ApiErr {
        ApiErr::of(&e)
    }
}

impl ApiErr {
    /// What a kube error means here: the server's Status, or a transport failure.
    pub fn of(e: &kube::Error) -> ApiErr {
        match e {
            kube::Error::Api(s) => ApiErr::status(s.code, &s.reason, &s.message),
            kube::Error::SerdeError(e) => ApiErr::decode(&e.to_string()),
            other => transport(other),
        }
    }
}

/// A failure below HTTP, classified by what its source chain holds (an I/O error's kind, a
/// TLS error), and told by its deepest cause.
fn transport(e: &(dyn std::error::Error + 'static)) -> ApiErr {
    let mut kind = ErrKind::Transport;
    let mut message = e.to_string();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(cause) = next {
        message = cause.to_string();
        next = cause.source();
        if cause.is::<rustls::Error>() {
            kind = ErrKind::Tls;
        } else if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => kind = ErrKind::Refused,
                std::io::ErrorKind::TimedOut => kind = ErrKind::Timeout,
                _ => {}
            }
            // An I/O error's `source` skips the error it wraps (a TLS error, say): look at it.
            if let Some(inner) = io.get_ref() {
                next = Some(inner);
            }
        }
    }
    ApiErr {
        kind,
        code: 0,
        reason: String::new(),
        message,
    }
}

/// Options of a list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    /// Ask for `PartialObjectMetadataList` (the items' metadata only).
    pub metadata_only: bool,
}

#[derive(serde::Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Page<T> {
    #[serde(default)]
    metadata: PageMeta,
    // kcp's export views answer an empty list with `"items": null`.
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    items: Vec<T>,
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(<Option<Vec<T>> as serde::Deserialize>::deserialize(d)?.unwrap_or_default())
}

#[derive(serde::Deserialize, Default)]
struct PageMeta {
    #[serde(default, rename = "resourceVersion")]
    resource_version: String,
    #[serde(default, rename = "continue")]
    continue_: Option<String>,
}

pub struct Listed<T> {
    pub items: Vec<T>,
    pub resource_version: String,
}

/// The field manager of every write, as a query.
const FIELD_MANAGER_QUERY: &str = "?fieldManager=kubectl-kubestellar";

/// Items per list page: large pages keep a 10,000-object list to a handful of requests.
pub const PAGE_SIZE: usize = 2000;
const ATTEMPTS: u32 = 6;

/// Requests under `origin + prefix`.
#[derive(Clone)]
pub struct Scope {
    pub(crate) client: kube::Client,
    pub(crate) origin: String,
    pub(crate) prefix: String,
    pub(crate) timeout: Option<Duration>,
}

fn encode_query(pairs: &[(&str, String)]) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encoding::utf8_percent_encode(v, SET)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Scope {
    /// `https://host/clusters/root:espw`, for messages.
    pub fn url(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Send with retries of what is safe to repeat: any read; a write only when it surely did
    /// nothing. A write that may have happened fails back to the caller, which reads the state
    /// again before it decides (so a create that timed out but was made is seen as made).
    async fn send<T: DeserializeOwned>(
        &self,
        mut make: impl FnMut() -> http::Request<Vec<u8>>,
    ) -> Result<T, ApiErr> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let request = make();
            let (method, path) = (request.method().clone(), request.uri().to_string());
            let read = method == http::Method::GET;
            let started = std::time::Instant::now();
            let call = self.client.request::<T>(request);
            let result = match self.timeout {
                Some(t) => match tokio::time::timeout(t, call).await {
                    Ok(r) => r.map_err(ApiErr::from),
                    Err(_) => Err(ApiErr {
                        kind: ErrKind::Timeout,
                        code: 0,
                        reason: String::new(),
                        message: String::new(),
                    }),
                },
                None => call.await.map_err(ApiErr::from),
            };
            super::stats::REQUEST_LATENCY.observe(started.elapsed());
            match &result {
                Ok(_) => tracing::trace!("{method} {}{path}: ok in {:.1?}", self.origin, started.elapsed()),
                Err(e) => tracing::trace!("{method} {}{path}: {e} in {:.1?}", self.origin, started.elapsed()),
            }
            match result {
                Err(e) if e.is_retryable() && (read || e.surely_not_done()) && attempt < ATTEMPTS => {
                    let backoff =
                        Duration::from_millis(100 * 2u64.pow(attempt - 1)).min(Duration::from_secs(2));
                    tracing::debug!(error = %e, attempt, "retrying in {backoff:?}");
                    super::stats::REQUEST_RETRIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    tokio::time::sleep(backoff).await;
                }
                other => return other,
            }
        }
    }

    fn request(
        &self,
        method: http::Method,
        rel: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
    ) -> http::Request<Vec<u8>> {
        // Every write names the plugin as its field manager, so that the server's
        // managedFields say who wrote what (kcp records `unknown` otherwise).
        let query = if method == http::Method::GET || method == http::Method::DELETE {
            ""
        } else {
            FIELD_MANAGER_QUERY
        };
        let mut b = http::Request::builder().method(method).uri(format!(
            "{}/{}{query}",
            self.prefix,
            rel.trim_start_matches('/')
        ));
        if let Some(ct) = content_type {
            b = b.header(http::header::CONTENT_TYPE, ct);
        }
        b.header(http::header::ACCEPT, "application/json")
            .body(body)
            .expect("request parts are valid")
    }

    /// GET an object; `None` when it does not exist.
    pub async fn get<T: DeserializeOwned>(&self, rel: &str) -> Result<Option<T>, ApiErr> {
        match self
            .send(|| self.request(http::Method::GET, rel, vec![], None))
            .await
        {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every item of a collection, page by page.
    pub async fn list<T: DeserializeOwned>(&self, rel: &str, q: &ListQuery) -> Result<Listed<T>, ApiErr> {
        self.list_map(rel, q, Some).await
    }

    /// Every item of a collection, each turned into the form kept (or dropped) as its page
    /// comes: a list of 100,000 objects holds one page of them whole, not all.
    pub async fn list_map<T: DeserializeOwned, U>(
        &self,
        rel: &str,
        q: &ListQuery,
        mut keep: impl FnMut(T) -> Option<U>,
    ) -> Result<Listed<U>, ApiErr> {
        let mut items = Vec::new();
        let mut continue_: Option<String> = None;
        let mut resource_version = String::new();
        loop {
            let mut pairs = vec![("limit", PAGE_SIZE.to_string())];
            if let Some(l) = &q.label_selector {
                pairs.push(("labelSelector", l.clone()));
            }
            if let Some(f) = &q.field_selector {
                pairs.push(("fieldSelector", f.clone()));
            }
            if let Some(c) = &continue_ {
                pairs.push(("continue", c.clone()));
            }
            let uri = format!(
                "{}/{}?{}",
                self.prefix,
                rel.trim_start_matches('/'),
                encode_query(&pairs)
            );
            let accept = if q.metadata_only {
                "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
            } else {
                "application/json"
            };
            let page: Page<T> = self
                .send(|| {
                    http::Request::get(&uri)
                        .header(http::header::ACCEPT, accept)
                        .body(vec![])
                        .expect("valid request")
                })
                .await?;
            if resource_version.is_empty() {
                resource_version = page.metadata.resource_version;
            }
            items.extend(page.items.into_iter().filter_map(&mut keep));
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(c) => continue_ = Some(c),
                None => {
                    return Ok(Listed {
                        items,
                        resource_version,
                    });
                }
            }
        }
    }

    pub async fn create<T: DeserializeOwned>(&self, rel: &str, body: &impl Serialize) -> Result<T, ApiErr> {
        let bytes = serde_json::to_vec(body).map_err(|e| ApiErr::decode(&e.to_string()))?;
        self.send(|| self.request(http::Method::POST, rel, bytes.clone(), Some("application/json")))
            .await
    }

    pub async fn update<T: DeserializeOwned>(&self, rel: &str, body: &impl Serialize) -> Result<T, ApiErr> {
        let bytes = serde_json::to_vec(body).map_err(|e| ApiErr::decode(&e.to_string()))?;
        self.send(|| self.request(http::Method::PUT, rel, bytes.clone(), Some("application/json")))
            .await
    }

    pub async fn merge_patch<T: DeserializeOwned>(&self, rel: &str, patch: &Value) -> Result<T, ApiErr> {
        let bytes = serde_json::to_vec(patch).unwrap_or_default();
        self.send(|| {
            self.request(
                http::Method::PATCH,
                rel,
                bytes.clone(),
                Some("application/merge-patch+json"),
            )
        })
        .await
    }

    /// DELETE, with a UID precondition when given; `Ok(false)` when it was already gone.
    pub async fn delete(&self, rel: &str, uid: Option<&str>) -> Result<bool, ApiErr> {
        let mut options =
            json!({"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"});
        if let Some(u) = uid {
            options["preconditions"] = json!({"uid": u});
        }
        let bytes = serde_json::to_vec(&options).unwrap_or_default();
        match self
            .send::<Value>(|| {
                self.request(http::Method::DELETE, rel, bytes.clone(), Some("application/json"))
            })
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_errors_are_throttling_server_trouble_and_transport() {
        assert!(ApiErr::status(429, "TooManyRequests", "").is_retryable());
        assert!(ApiErr::status(503, "ServiceUnavailable", "").is_retryable());
        assert!(!ApiErr::status(403, "Forbidden", "").is_retryable());
        let anonymous =
            "workspaces.tenancy.kcp.io is forbidden: User \"system:anonymous\" cannot list resource";
        assert!(!ApiErr::status(403, "Forbidden", anonymous).is_forbidden());
        assert!(ApiErr::status(403, "Forbidden", "User \"kcp-admin\" cannot").is_forbidden());
        assert!(!ApiErr::status(409, "AlreadyExists", "").is_retryable());
        assert!(ApiErr::status(409, "AlreadyExists", "").is_already_exists());
        assert!(ApiErr::status(409, "Conflict", "").is_conflict());
    }

    /// As real kcp v0.32.3 answered under `/clusters/root:nope` (and `root:nope:deeper`, which
    /// it names whole), and for a missing workspace in `root`.
    #[test]
    fn a_path_that_does_not_resolve_is_a_missing_workspace_not_a_missing_object() {
        let path = ApiErr::status(
            404,
            "NotFound",
            "workspaces.tenancy.kcp.io \"root:nope\" not found",
        );
        assert!(path.is_forbidden() && !path.is_not_found());
        let deeper = ApiErr::status(
            404,
            "NotFound",
            "workspaces.tenancy.kcp.io \"root:nope:deeper\" not found",
        );
        assert!(deeper.is_forbidden() && !deeper.is_not_found());
        let hint = path
            .to_error("failed to read", "https://k/clusters/root:nope")
            .hint;
        assert_eq!(hint.as_deref(), Some("no workspace has that path; check it"));
        let workspace = ApiErr::status(404, "NotFound", "workspaces.tenancy.kcp.io \"wmw1\" not found");
        assert!(workspace.is_not_found() && !workspace.is_forbidden());
        let other = ApiErr::status(404, "NotFound", "apibindings.apis.kcp.io \"bind-edge\" not found");
        assert!(other.is_not_found() && !other.is_forbidden());
    }

    #[test]
    fn a_403_names_the_verb_resource_and_workspace_or_the_views_permission() {
        let m = "workspaces.tenancy.kcp.io is forbidden: User \"c\" cannot create resource \"workspaces\" in API group \"tenancy.kcp.io\" at the cluster scope: access denied";
        let e = ApiErr::status(403, "Forbidden", m)
            .to_error("failed to create mailbox x", "https://h/clusters/root");
        assert_eq!(
            e.render(false),
            "error: failed to create mailbox x: the user \"c\" may not create workspaces in root; docs/least-privilege.md lists the permissions each command needs"
        );
        let m = "synctargets.edge.kubestellar.io is forbidden: User \"c\" cannot watch resource \"synctargets\" in API group \"edge.kubestellar.io\" at the cluster scope: access denied";
        let e = ApiErr::status(403, "Forbidden", m)
            .to_error("w", "https://h/services/apiexport/id/edge.kubestellar.io");
        assert!(
            e.message.ends_with("may not watch synctargets through the view of APIExport edge.kubestellar.io (that takes watch on apiexports/content edge.kubestellar.io in the export's workspace)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_write_is_repeated_only_when_it_surely_did_nothing() {
        assert!(ApiErr::status(429, "TooManyRequests", "").surely_not_done());
        assert!(!ApiErr::status(503, "ServiceUnavailable", "").surely_not_done());
        let timeout = ApiErr {
            kind: ErrKind::Timeout,
            code: 0,
            reason: String::new(),
            message: String::new(),
        };
        assert!(timeout.is_retryable() && !timeout.surely_not_done());
    }

    #[test]
    fn transport_errors_are_classified_by_their_source_chain() {
        use std::io::{Error as Io, ErrorKind};
        let refused = Io::new(ErrorKind::ConnectionRefused, "tcp connect error");
        assert_eq!(transport(&refused).kind, ErrKind::Refused);
        let tls = Io::new(
            ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        let e = transport(&tls);
        assert_eq!(e.kind, ErrKind::Tls);
        assert!(e.message.contains("UnknownIssuer"), "{}", e.message);
        assert_eq!(transport(&Io::from(ErrorKind::TimedOut)).kind, ErrKind::Timeout);
        assert_eq!(transport(&Io::other("reset")).kind, ErrKind::Transport);
    }

    #[test]
    fn queries_are_escaped() {
        assert_eq!(
            encode_query(&[("labelSelector", "a=b,c".into())]),
            "labelSelector=a%3Db%2Cc"
        );
    }
}
