//! `mailbox watch` as a running controller over an inventory already in step: start-up,
//! resident memory, requests while idle, and how fast it reacts to new SyncTargets at a
//! steady rate and in a burst.

use crate::inventory::Inventory;
use crate::observe::{self, Track};
use crate::process::{Controller, Peak, vm_rss_kib};
use crate::stats::{Summary, summarize};
use crate::{Options, WatchPlan, progress, requests_by_verb};
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct WatchReport {
    /// SyncTargets when the controller started.
    pub inventory: usize,
    /// Process start → "caches synced" (every list done).
    pub to_synced: Option<Duration>,
    /// Process start → every mailbox looked at once, queue empty.
    pub to_settled: Option<Duration>,
    pub rss_steady_kib: Option<u64>,
    pub idle: Duration,
    /// Requests made while idle, by verb.
    pub idle_requests: BTreeMap<String, u64>,
    pub steady: Option<Reaction>,
    pub burst: Option<Reaction>,
    /// One SyncTarget created right after every watch was dropped and the history
    /// compacted: the resumes get 410 Expired, so this is the price of the re-lists.
    pub after_410: Option<Reaction>,
    /// After the steady and burst phases (inventory + steady + burst SyncTargets).
    pub rss_after_kib: Option<u64>,
    /// Over the controller's whole life.
    pub peak: Option<Peak>,
    /// The controller's CPU time over its whole life.
    pub cpu: Option<Duration>,
    pub exit_code: Option<i32>,
    /// The simulator's workspace readiness delay (schedule + initialize), excluded from the
    /// reaction figures.
    pub readiness: Duration,
    pub problems: Vec<String>,
}

/// Reaction to a set of new SyncTargets.
#[derive(Debug, Clone)]
pub struct Reaction {
    pub count: usize,
    /// Creations per second; None for a burst (as fast as the loader goes).
    pub rate: Option<f64>,
    /// SyncTarget created → its mailbox workspace created: the controller's part.
    pub to_workspace: Option<Summary>,
    /// Mailbox created → Ready: the simulator's readiness delay, plus how long the sim took.
    pub to_ready: Option<Summary>,
    /// Mailbox Ready → `bind-edge` created: the controller's part.
    pub ready_to_bound: Option<Summary>,
    /// SyncTarget created → `bind-edge` created, everything included.
    pub end_to_end: Option<Summary>,
    pub bound: usize,
    pub complete: bool,
    /// First creation → last `bind-edge`.
    pub wall: Duration,
    /// Requests made while reacting, by verb.
    pub requests: BTreeMap<String, u64>,
    /// How late an observed time may be (the observer's longest check)...
    pub resolution: Duration,
    /// ...and typically is (its median check).
    pub typical: Duration,
    /// CPU time the observer took from the machine meanwhile.
    pub observer_cpu: Duration,
}

pub fn measure(options: &Options, plan: &WatchPlan, inv: &Inventory) -> Result<WatchReport, String> {
    let n = inv.sync_targets.len();
    progress(&format!("N={n}: mailbox watch: starting the controller"));
    let mut cmd = inv.command(&options.plugin);
    cmd.args([
        "mailbox",
        "watch",
        "--metrics-bind-address",
        "127.0.0.1:0",
        "--concurrency",
        &options.concurrency.to_string(),
    ]);
    let mut c = Controller::start(cmd, START)?;
    let mut w = WatchReport {
        inventory: n,
        to_synced: None,
        to_settled: None,
        rss_steady_kib: None,
        idle: plan.idle,
        idle_requests: BTreeMap::new(),
        steady: None,
        burst: None,
        after_410: None,
        rss_after_kib: None,
        peak: None,
        cpu: None,
        exit_code: None,
        readiness: inv.readiness_delay(),
        problems: Vec::new(),
    };

    if c.wait_log("caches synced", START).is_none() {
        w.problems.push(format!(
            "mailbox watch: caches did not sync within {START:?}:\n{}",
            crate::oneshot::tail(&c.log(), 20)
        ));
        return Ok(w);
    }
    w.to_synced = Some(c.started().elapsed());
    let settled = c.wait_metrics(START, |c| {
        c.metric("kubestellar_mailbox_queue_depth") == Some(0.0)
            && c.metric("kubestellar_mailbox_reconciles_total{result=\"settled\"}")
                .is_some_and(|s| s >= n as f64)
    });
    if settled {
        w.to_settled = Some(c.started().elapsed());
    } else {
        w.problems.push(format!(
            "mailbox watch: not settled on {n} mailboxes within {START:?}"
        ));
    }
    w.rss_steady_kib = vm_rss_kib(c.pid());

    progress(&format!(
        "N={n}: mailbox watch: counting requests over {:?} idle",
        plan.idle
    ));
    inv.sim.reset_requests();
    // The measurement window itself: nothing is awaited here.
    std::thread::sleep(plan.idle);
    w.idle_requests = requests_by_verb(&inv.sim);

    let mut next = n;
    progress(&format!(
        "N={n}: mailbox watch: {} SyncTargets at {}/s",
        plan.steady, plan.rate
    ));
    w.steady = Some(react(inv, &mut next, plan.steady, Some(plan.rate)));
    progress(&format!("N={n}: mailbox watch: a burst of {}", plan.burst));
    w.burst = Some(react(inv, &mut next, plan.burst, None));
    progress(&format!(
        "N={n}: mailbox watch: watches dropped, history compacted (410 on resume), one SyncTarget"
    ));
    inv.sim.compact();
    inv.sim.drop_watches();
    w.after_410 = Some(react(inv, &mut next, 1, None));
    for (what, r) in [
        ("steady", &w.steady),
        ("burst", &w.burst),
        ("after a 410", &w.after_410),
    ] {
        if let Some(r) = r.as_ref().filter(|r| !r.complete) {
            w.problems.push(format!(
                "mailbox watch, {what}: {} of {} mailboxes bound before the deadline",
                r.bound, r.count
            ));
        }
    }

    w.rss_after_kib = vm_rss_kib(c.pid());
    if let Some(end) = c.stop(Duration::from_secs(30)) {
        w.exit_code = Some(end.code);
        w.peak = Some(end.peak);
        w.cpu = Some(end.cpu);
        if end.code != 0 {
            w.problems.push(format!(
                "mailbox watch exited {} on SIGTERM:\n{}",
                end.code,
                crate::oneshot::tail(&c.log(), 20)
            ));
        }
    } else {
        w.problems
            .push("mailbox watch did not exit on SIGTERM or SIGKILL".into());
    }
    Ok(w)
}

/// Create `count` SyncTargets (paced at `rate` per second, or all at once) while an observer
/// thread times each one's mailbox and `bind-edge`.
fn react(inv: &Inventory, next: &mut usize, count: usize, rate: Option<f64>) -> Reaction {
    inv.sim.reset_requests();
    let deadline =
        Duration::from_secs(120) + rate.map_or(Duration::ZERO, |r| Duration::from_secs_f64(count as f64 / r));
    let (tx, rx) = mpsc::channel();
    let first = *next;
    let observed = std::thread::scope(|s| {
        let observer = s.spawn(|| observe::observe(&inv.sim, count, rx, deadline));
        let start = Instant::now();
        for i in 0..count {
            if let Some(r) = rate {
                // Pacing, not synchronisation: creation i is due at start + i/rate.
                let due = start + Duration::from_secs_f64(i as f64 / r);
                std::thread::sleep(due.saturating_duration_since(Instant::now()));
            }
            let created = Instant::now();
            match inv.create_sync_target(first + i) {
                Ok(st) => {
                    let _ = tx.send(Track {
                        mailbox: st.mailbox,
                        created,
                    });
                }
                Err(e) => progress(&format!("cannot create a SyncTarget: {e}")),
            }
        }
        drop(tx);
        observer.join().expect("the observer thread does not panic")
    });
    *next += count;
    let requests = requests_by_verb(&inv.sim);

    let between = |from: fn(&observe::Times) -> Option<Instant>,
                   to: fn(&observe::Times) -> Option<Instant>| {
        summarize(
            observed
                .times
                .iter()
                .filter_map(|t| Some(to(t)?.saturating_duration_since(from(t)?)))
                .collect(),
        )
    };
    let first_created = observed.times.iter().map(|t| t.sync_target).min();
    let last_bound = observed.times.iter().filter_map(|t| t.bound).max();
    Reaction {
        count,
        rate,
        to_workspace: between(|t| Some(t.sync_target), |t| t.workspace),
        to_ready: between(|t| t.workspace, |t| t.ready),
        ready_to_bound: between(|t| t.ready, |t| t.bound),
        end_to_end: between(|t| Some(t.sync_target), |t| t.bound),
        bound: observed.times.iter().filter(|t| t.bound.is_some()).count(),
        complete: observed.complete,
        wall: match (first_created, last_bound) {
            (Some(a), Some(b)) => b.saturating_duration_since(a),
            _ => Duration::ZERO,
        },
        requests,
        resolution: observed.resolution,
        typical: observed.typical,
        observer_cpu: observed.cpu,
    }
}
