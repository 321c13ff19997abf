//! A work queue of mailbox names, as controllers keep them: a name is queued once however
//! often it is added, never handed to two workers at once (added while being worked on, it
//! comes back after), and can be added after a delay with per-name exponential backoff;
//! [`WorkQueue::spawn_workers`] runs the workers that take from it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// A name as the queue holds it: the caller's shared allocation, not a copy per set.
pub(crate) type Key = Arc<str>;

#[derive(Default)]
struct Inner {
    ready: VecDeque<Key>,
    queued: HashSet<Key>,
    active: HashSet<Key>,
    /// Added while active: queue again when done.
    again: HashSet<Key>,
    delayed: usize,
    failures: HashMap<Key, u32>,
    closed: bool,
}

pub(crate) struct WorkQueue {
    inner: Mutex<Inner>,
    /// Wakes workers waiting for an item.
    work: Notify,
    /// Wakes whoever watches the queue drain.
    changed: Notify,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl WorkQueue {
    pub(crate) fn new(base_delay: Duration, max_delay: Duration) -> Arc<WorkQueue> {
        Arc::new(WorkQueue {
            inner: Mutex::default(),
            work: Notify::new(),
            changed: Notify::new(),
            base_delay,
            max_delay,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn add(&self, name: &Key) {
        let mut q = self.lock();
        if q.closed {
            return;
        }
        if q.active.contains(name) {
            q.again.insert(name.clone());
        } else if q.queued.insert(name.clone()) {
            q.ready.push_back(name.clone());
            drop(q);
            self.work.notify_one();
        }
    }

    pub(crate) fn add_after(self: &Arc<Self>, name: &Key, delay: Duration) {
        self.lock().delayed += 1;
        let (q, name) = (self.clone(), name.clone());
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            q.add(&name);
            q.lock().delayed -= 1;
            q.changed.notify_waiters();
        });
    }

    /// The delay before the next retry of `name`: base × 2^failures, capped.
    pub(crate) fn backoff(&self, name: &Key) -> Duration {
        let mut q = self.lock();
        let n = q.failures.entry(name.clone()).or_default();
        *n += 1;
        let factor = 2u32.saturating_pow(n.saturating_sub(1).min(20));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    pub(crate) fn failures(&self, name: &str) -> u32 {
        self.lock().failures.get(name).copied().unwrap_or(0)
    }

    pub(crate) fn forget(&self, name: &str) {
        self.lock().failures.remove(name);
    }

    /// The next name to work on; `None` once closed.
    pub(crate) async fn next(&self) -> Option<Key> {
        loop {
            let notified = self.work.notified();
            {
                let mut q = self.lock();
                if q.closed {
                    return None;
                }
                if let Some(name) = q.ready.pop_front() {
                    q.queued.remove(&name);
                    q.active.insert(name.clone());
                    // Another worker may be waiting for the rest.
                    if !q.ready.is_empty() {
                        self.work.notify_one();
                    }
                    return Some(name);
                }
            }
            notified.await;
        }
    }

    /// `count` workers, each taking the next name and handing it to `work`, and marking it
    /// done once `work` returns (so a name added meanwhile comes back). They end when the
    /// queue is closed.
    pub(crate) fn spawn_workers<F, Fut>(self: &Arc<Self>, count: usize, work: F) -> Vec<JoinHandle<()>>
    where
        F: Fn(Arc<WorkQueue>, Key) -> Fut + Clone + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        (0..count)
            .map(|_| {
                let (queue, work) = (self.clone(), work.clone());
                tokio::spawn(async move {
                    while let Some(name) = queue.next().await {
                        work(queue.clone(), name.clone()).await;
                        queue.done(&name);
                    }
                })
            })
            .collect()
    }

    pub(crate) fn done(&self, name: &str) {
        let mut q = self.lock();
        q.active.remove(name);
        if let Some(name) = q.again.take(name)
            && q.queued.insert(name.clone())
        {
            q.ready.push_back(name);
            self.work.notify_one();
        }
        drop(q);
        self.changed.notify_waiters();
    }

    /// Nothing queued, in progress or scheduled.
    pub(crate) fn idle(&self) -> bool {
        let q = self.lock();
        q.ready.is_empty() && q.active.is_empty() && q.delayed == 0
    }

    pub(crate) fn depth(&self) -> usize {
        self.lock().ready.len()
    }

    /// Resolves at the next `done` or delayed add after this call. (Not an `async fn`: the
    /// waiter must exist from the call on, or a `done` between a look at `idle` and the
    /// first poll would be missed, and the waiting would last until the deadline.)
    pub(crate) fn changed(&self) -> tokio::sync::futures::Notified<'_> {
        self.changed.notified()
    }

    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.work.notify_waiters();
        self.changed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::from(s)
    }

    #[tokio::test]
    async fn a_name_is_queued_once_and_never_worked_on_twice_at_once() {
        let q = WorkQueue::new(Duration::from_millis(1), Duration::from_millis(8));
        q.add(&key("a"));
        q.add(&key("a"));
        q.add(&key("b"));
        assert_eq!(q.depth(), 2);
        let first = q.next().await.unwrap();
        assert_eq!(&*first, "a");
        q.add(&key("a")); // while active: deferred, not handed out again
        assert_eq!(&*q.next().await.unwrap(), "b");
        assert_eq!(q.depth(), 0);
        q.done(&key("a"));
        assert_eq!(&*q.next().await.unwrap(), "a");
        q.done(&key("a"));
        q.done(&key("b"));
        assert!(q.idle());
    }

    #[tokio::test]
    async fn backoff_doubles_and_is_capped() {
        let q = WorkQueue::new(Duration::from_millis(1), Duration::from_millis(8));
        let delays: Vec<u128> = (0..6).map(|_| q.backoff(&key("x")).as_millis()).collect();
        assert_eq!(delays, vec![1, 2, 4, 8, 8, 8]);
        q.forget(&key("x"));
        assert_eq!(q.backoff(&key("x")).as_millis(), 1);
    }

    #[tokio::test]
    async fn a_change_between_the_call_and_the_first_poll_is_not_missed() {
        let q = WorkQueue::new(Duration::from_millis(1), Duration::from_millis(8));
        q.add(&key("a"));
        let name = q.next().await.unwrap();
        let changed = q.changed();
        q.done(&name); // before anything polls `changed`
        assert!(
            tokio::time::timeout(Duration::from_secs(5), changed)
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn delayed_adds_keep_the_queue_busy_until_they_land() {
        let q = WorkQueue::new(Duration::from_millis(1), Duration::from_millis(8));
        q.add_after(&key("x"), Duration::from_millis(5));
        assert!(!q.idle());
        assert_eq!(
            tokio::time::timeout(Duration::from_secs(5), q.next())
                .await
                .unwrap()
                .unwrap()
                .as_ref(),
            "x"
        );
    }
}
