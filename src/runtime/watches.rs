//! Watches as changes: kube-runtime's watcher (list, then watch; re-list on 410 Expired;
//! backoff on errors) turned into "complete list", "applied", "deleted" and "error" messages
//! on a channel. A complete list replaces what was known, so deletions missed while
//! disconnected are noticed.

use crate::kcp::ApiErr;
use futures::{Stream, StreamExt};
use kube::runtime::WatchStreamExt;
use kube::runtime::utils::Backoff;
use kube::runtime::watcher;
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Debug)]
pub(crate) enum Change<K> {
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
        | watcher::Error::WatchFailed(k) => ApiErr::of(k),
        watcher::Error::WatchError(status) => ApiErr::from(kube::Error::Api(status.clone())),
        other => ApiErr::decode(&other.to_string()),
    }
}

/// Forward a watcher's events as [`Change`]s until the receiver goes away, each object
/// mapped to the form kept (so a re-list of 10,000 objects buffers only that form) and each
/// change wrapped as the receiver's event.
pub(crate) async fn forward<K, T, E, S>(
    stream: S,
    backoff: impl Backoff,
    map: impl Fn(K) -> T,
    wrap: impl Fn(Change<T>) -> E,
    tx: mpsc::Sender<E>,
) where
    S: Stream<Item = Result<watcher::Event<K>, watcher::Error>> + Send,
{
    let stream = stream.backoff(backoff);
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
        if tx.send(wrap(change)).await.is_err() {
            return;
        }
    }
}

/// The controller's backoff between failed watch attempts: kube's default (0.8 s doubling to
/// 30 s), right for a process that runs for days.
pub(crate) fn controller_backoff() -> impl Backoff {
    watcher::DefaultBackoff::default()
}

/// A one-shot command's: it waits on its watch within `--timeout`, so a transient error must
/// not silence it for long (200 ms doubling to 2 s).
pub(crate) fn one_shot_backoff() -> impl Backoff {
    Doubling { next: ONE_SHOT_MIN }
}

const ONE_SHOT_MIN: Duration = Duration::from_millis(200);
const ONE_SHOT_MAX: Duration = Duration::from_secs(2);

/// Doubling delays from `ONE_SHOT_MIN`, capped at `ONE_SHOT_MAX`; a success resets them.
struct Doubling {
    next: Duration,
}

impl Iterator for Doubling {
    type Item = Duration;
    fn next(&mut self) -> Option<Duration> {
        let now = self.next;
        self.next = (self.next * 2).min(ONE_SHOT_MAX);
        Some(now)
    }
}

impl Backoff for Doubling {
    fn reset(&mut self) {
        self.next = ONE_SHOT_MIN;
    }
}

/// A watcher config with the tool's page size.
pub(crate) fn config() -> watcher::Config {
    watcher::Config::default().page_size(crate::kcp::PAGE_SIZE as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shot_backoff_doubles_to_two_seconds_and_resets() {
        let mut b = one_shot_backoff();
        let ms: Vec<u128> = (0..6).map(|_| b.next().unwrap().as_millis()).collect();
        assert_eq!(ms, [200, 400, 800, 1600, 2000, 2000]);
        b.reset();
        assert_eq!(b.next(), Some(Duration::from_millis(200)));
    }
}
