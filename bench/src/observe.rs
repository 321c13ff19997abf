//! When each mailbox appears, becomes Ready and gets `bind-edge`, seen from inside the
//! simulator without polling: `SimServer::wait_for` wakes on every change, and each wake looks
//! only at the mailboxes not yet complete. A time is the first moment the state was seen, so it
//! is an upper bound on when it happened; the longest single check bounds that error and is
//! reported as the resolution.

use kcp_sim::SimServer;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TENANCY: &str = "tenancy.kcp.io/v1alpha1";
const APIS: &str = "apis.kcp.io/v1alpha1";

/// A SyncTarget just created, and the mailbox it should get.
pub struct Track {
    pub mailbox: String,
    /// Taken just before the create call, so the controller cannot have seen it earlier.
    pub created: Instant,
}

/// The moments one mailbox went through.
#[derive(Debug, Clone)]
pub struct Times {
    pub sync_target: Instant,
    pub workspace: Option<Instant>,
    pub ready: Option<Instant>,
    /// `bind-edge` created.
    pub bound: Option<Instant>,
    /// `bind-edge` Bound: observed on real kcp only (kcp-sim binds at once).
    pub bound_phase: Option<Instant>,
}

#[derive(Debug, Clone)]
pub struct Observed {
    pub times: Vec<Times>,
    /// Every expected mailbox was seen bound before the deadline.
    pub complete: bool,
    /// The longest check: the bound on how late a time may be.
    pub resolution: Duration,
    /// The median check: how late a time typically is.
    pub typical: Duration,
    /// CPU time the observer used: taken from the same CPUs as the simulator and the
    /// controller, so it is reported next to the figures it may have slowed.
    pub cpu: Duration,
}

impl Observed {
    /// Nothing observed (the observer could not start).
    pub fn empty() -> Observed {
        Observed {
            times: Vec::new(),
            complete: false,
            resolution: Duration::ZERO,
            typical: Duration::ZERO,
            cpu: Duration::ZERO,
        }
    }
}

struct Entry {
    mailbox: String,
    times: Times,
}

/// Watch for `expected` mailboxes, announced on `tracks` as their SyncTargets are created,
/// until all are bound or `timeout` passes.
pub fn observe(
    sim: &SimServer,
    expected: usize,
    tracks: mpsc::Receiver<Track>,
    timeout: Duration,
) -> Observed {
    let mut entries: Vec<Entry> = Vec::with_capacity(expected);
    let mut pending: Vec<usize> = Vec::new();
    let mut checks: Vec<Duration> = Vec::new();
    let complete = sim.wait_for(timeout, |s| {
        // A track may arrive after the change that announced it; then the next change (the
        // controller's own create, at the latest) wakes us again, soon enough to time it.
        while let Ok(t) = tracks.try_recv() {
            pending.push(entries.len());
            entries.push(Entry {
                mailbox: t.mailbox,
                times: Times {
                    sync_target: t.created,
                    workspace: None,
                    ready: None,
                    bound: None,
                    bound_phase: None,
                },
            });
        }
        let start = Instant::now();
        pending.retain(|&i| !advance(s, &mut entries[i]));
        checks.push(start.elapsed());
        entries.len() == expected && pending.is_empty()
    });
    Observed {
        times: entries.into_iter().map(|e| e.times).collect(),
        complete,
        resolution: checks.iter().copied().max().unwrap_or_default(),
        typical: crate::stats::summarize(checks).map_or(Duration::ZERO, |s| s.p50),
        cpu: crate::cpu::this_thread(),
    }
}

/// Record what is newly visible for one mailbox; true once it is bound (nothing left to see).
fn advance(sim: &SimServer, e: &mut Entry) -> bool {
    let t = &mut e.times;
    if t.ready.is_none() {
        let Some(ws) = sim.get("root", TENANCY, "workspaces", &e.mailbox) else {
            return false;
        };
        let now = Instant::now();
        t.workspace.get_or_insert(now);
        if ws["status"]["phase"] != "Ready" {
            return false;
        }
        t.ready = Some(now);
    }
    let path = format!("root:{}", e.mailbox);
    if sim.get(&path, APIS, "apibindings", "bind-edge").is_none() {
        return false;
    }
    t.bound = Some(Instant::now());
    true
}
