//! `mailbox watch` as a running controller over an inventory already in step: start-up,
//! resident memory, requests while idle, and how fast it reacts to new SyncTargets at a
//! steady rate and in a burst. On real kcp the requests are not counted (it has no counters)
//! and the reaction is followed until `bind-edge` is Bound.

use crate::inventory::Inventory;
use crate::observe::{self, Track};
use crate::process::{Controller, Peak, tail, vm_rss_kib};
use crate::stats::{Summary, summarize};
use crate::{Options, WatchPlan, progress};
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
    /// Requests made while idle, by verb; None where not counted (real kcp).
    pub idle_requests: Option<BTreeMap<String, u64>>,
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
    /// reaction figures; None on real kcp, where readiness is measured.
    pub readiness: Option<Duration>,
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
    /// `bind-edge` created → Bound: kcp's part (real kcp only).
    pub to_bound_phase: Option<Summary>,
    /// SyncTarget created → `bind-edge` Bound (real kcp only).
    pub end_to_end_bound: Option<Summary>,
    pub bound: usize,
    pub complete: bool,
    /// First creation → last `bind-edge`.
    pub wall: Duration,
    /// Requests made while reacting, by verb; None on real kcp.
    pub requests: Option<BTreeMap<String, u64>>,
    /// How late an observed time may be (the observer's longest check)...
    pub resolution: Duration,
    /// ...and typically is (its median check).
    pub typical: Duration,
    /// CPU time the observer took from the machine meanwhile.
    pub observer_cpu: Duration,
}

#[allow(clippy::too_many_lines)] // the watch phase's steps in the order they run
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
        idle_requests: None,
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
            tail(&c.log(), 20)
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

    if inv.sim().is_some() && !plan.idle.is_zero() {
        progress(&format!(
            "N={n}: mailbox watch: counting requests over {:?} idle",
            plan.idle
        ));
        inv.reset_requests();
        // The measurement window itself: nothing is awaited here.
        std::thread::sleep(plan.idle);
        w.idle_requests = inv.requests();
    }

    let mut next = n;
    if plan.steady > 0 {
        progress(&format!(
            "N={n}: mailbox watch: {} SyncTargets at {}/s",
            plan.steady, plan.rate
        ));
        w.steady = Some(react(inv, &mut next, plan.steady, Some(plan.rate)));
    }
    if plan.burst > 0 {
        progress(&format!("N={n}: mailbox watch: a burst of {}", plan.burst));
        w.burst = Some(react(inv, &mut next, plan.burst, None));
    }
    // kcp-sim only: history compaction is its admin control.
    if let Some(sim) = inv.sim() {
        progress(&format!(
            "N={n}: mailbox watch: watches dropped, history compacted (410 on resume), one SyncTarget"
        ));
        sim.compact();
        sim.drop_watches();
        w.after_410 = Some(react(inv, &mut next, 1, None));
    }
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
                tail(&c.log(), 20)
            ));
        }
    } else {
        w.problems
            .push("mailbox watch did not exit on SIGTERM or SIGKILL".into());
    }
    Ok(w)
}

/// Where tracks go: kcp-sim's observer drains a std channel on every change; real kcp's
/// observer awaits a tokio one beside its watches.
enum Tracks {
    Sim(mpsc::Sender<Track>),
    Real(tokio::sync::mpsc::UnboundedSender<Track>),
}

impl Tracks {
    fn send(&self, t: Track) {
        let _ = match self {
            Tracks::Sim(tx) => tx.send(t).map_err(|_| ()),
            Tracks::Real(tx) => tx.send(t).map_err(|_| ()),
        };
    }
}

/// Create `count` SyncTargets (paced at `rate` per second, or all at once) while an observer
/// thread times each one's mailbox and `bind-edge`.
pub(crate) fn react(inv: &Inventory, next: &mut usize, count: usize, rate: Option<f64>) -> Reaction {
    inv.reset_requests();
    // Real kcp makes a mailbox Ready in seconds, and far later when busy.
    let slack = Duration::from_secs(if inv.real().is_some() { 900 } else { 120 });
    let deadline = slack + rate.map_or(Duration::ZERO, |r| Duration::from_secs_f64(count as f64 / r));
    let first = *next;
    let observed = std::thread::scope(|s| {
        let (tracks, observer) = match inv.sim() {
            Some(sim) => {
                let (tx, rx) = mpsc::channel();
                let observer = s.spawn(move || observe::observe(sim, count, rx, deadline));
                (Tracks::Sim(tx), observer)
            }
            None => {
                let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
                let (ready_tx, ready) = mpsc::channel();
                let view = match inv.view_url() {
                    Ok(v) => v,
                    Err(e) => {
                        progress(&format!("no view to observe: {e}"));
                        return observe::Observed::empty();
                    }
                };
                let kubeconfig = inv.kubeconfig.clone();
                let observer = s.spawn(move || {
                    crate::observe_real::observe(&kubeconfig, &view, count, rx, ready_tx, deadline)
                });
                match ready.recv_timeout(START) {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => progress(&format!("the observer did not start: {e}")),
                    Err(_) => progress("the observer did not start its watches in time"),
                }
                (Tracks::Real(tx), observer)
            }
        };
        let start = Instant::now();
        for i in 0..count {
            if let Some(r) = rate {
                // Pacing, not synchronisation: creation i is due at start + i/rate.
                let due = start + Duration::from_secs_f64(i as f64 / r);
                std::thread::sleep(due.saturating_duration_since(Instant::now()));
            }
            let created = Instant::now();
            match inv.create_sync_target(first + i) {
                Ok(st) => tracks.send(Track {
                    mailbox: st.mailbox,
                    created,
                }),
                Err(e) => progress(&format!("cannot create a SyncTarget: {e}")),
            }
        }
        drop(tracks);
        observer.join().expect("the observer thread does not panic")
    });
    *next += count;
    let requests = inv.requests();

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
    let last_bound = observed
        .times
        .iter()
        .filter_map(|t| t.bound_phase.or(t.bound))
        .max();
    Reaction {
        count,
        rate,
        to_workspace: between(|t| Some(t.sync_target), |t| t.workspace),
        to_ready: between(|t| t.workspace, |t| t.ready),
        ready_to_bound: between(|t| t.ready, |t| t.bound),
        end_to_end: between(|t| Some(t.sync_target), |t| t.bound),
        to_bound_phase: between(|t| t.bound, |t| t.bound_phase),
        end_to_end_bound: between(|t| Some(t.sync_target), |t| t.bound_phase),
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
