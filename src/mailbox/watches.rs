//! Watches as changes: kube-runtime's watcher (list, then watch; re-list on 410 Expired;
//! backoff on errors) turned into "complete list", "applied", "deleted" and "error" messages
//! on a channel. A complete list replaces what was known, so deletions missed while
//! disconnected are noticed.

use crate::kcp::ApiErr;
use futures::{Stream, StreamExt};
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher;
use tokio::sync::mpsc;

#[derive(Debug)]
pub enum Change<K> {
    /// Everything that exists now (after the first list, and after every re-list).
    Synced(Vec<K>),
    Applied(K),
    Deleted(K),
    /// A failed list or watch; `synced` says whether a complete list was ever received.
    Error {
        error: ApiErr,
        synced: bool,
    },
}

fn api_err(e: &watcher::Error) -> ApiErr {
    match e {
        watcher::Error::InitialListFailed(k)
        | watcher::Error::WatchStartFailed(k)
        | watcher::Error::WatchFailed(k) => ApiErr::from(clone_kube_error(k)),
        watcher::Error::WatchError(status) => ApiErr::from(kube::Error::Api(status.clone())),
        other => ApiErr::decode(&other.to_string()),
    }
}

fn clone_kube_error(e: &kube::Error) -> kube::Error {
    match e {
        kube::Error::Api(s) => kube::Error::Api(s.clone()),
        other => kube::Error::Service(other.to_string().into()),
    }
}

/// Forward a watcher's events as [`Change`]s until the receiver goes away, each object
/// mapped to the form kept (so a re-list of 10,000 objects buffers only that form).
pub async fn forward<K, T, S>(stream: S, map: impl Fn(K) -> T, tx: mpsc::Sender<Change<T>>)
where
    S: Stream<Item = Result<watcher::Event<K>, watcher::Error>> + Send,
{
    let stream = stream.default_backoff();
    futures::pin_mut!(stream);
    let mut buffer: Vec<T> = Vec::new();
    let mut synced = false;
    while let Some(item) = stream.next().await {
        let change = match item {
            Ok(watcher::Event::Init) => {
                buffer.clear();
                continue;
            }
            Ok(watcher::Event::InitApply(k)) => {
                buffer.push(map(k));
                continue;
            }
            Ok(watcher::Event::InitDone) => {
                synced = true;
                Change::Synced(std::mem::take(&mut buffer))
            }
            Ok(watcher::Event::Apply(k)) => Change::Applied(map(k)),
            Ok(watcher::Event::Delete(k)) => Change::Deleted(map(k)),
            Err(e) => Change::Error {
                error: api_err(&e),
                synced,
            },
        };
        if tx.send(change).await.is_err() {
            return;
        }
    }
}

/// A watcher config with the tool's page size.
pub fn config() -> watcher::Config {
    watcher::Config::default().page_size(crate::kcp::PAGE_SIZE as u32)
}
