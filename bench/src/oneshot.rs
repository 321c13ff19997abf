//! The one-shot commands: `mailbox sync` from nothing, a no-op `mailbox sync`, and
//! `mailbox list`, each the real binary in its own process, counted by the simulator (real
//! kcp counts nothing: its CPU time is read instead).

use crate::inventory::Inventory;
use crate::process::{self, Finished, Peak, tail};
use crate::{Options, Report, progress};
use kubectl_kubestellar::PAGE_SIZE;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct OneShot {
    pub what: &'static str,
    pub n: usize,
    pub code: i32,
    pub wall: Duration,
    pub peak: Peak,
    /// The plugin's CPU time.
    pub cpu: Duration,
    /// The server's CPU time meanwhile: the harness's (the in-process simulator serving the
    /// plugin), or real kcp's.
    pub server_cpu: Duration,
    /// By verb, without `health`; None on real kcp.
    pub requests: Option<BTreeMap<String, u64>>,
    /// The fewest requests the design needs, every list counted as one request (6 + 2N for a
    /// sync from nothing: one of them the discovery read that tells which kcp it is).
    pub minimum: Option<u64>,
    /// The same, with each list over the plugin's page size counted as its pages.
    pub paged_minimum: Option<u64>,
    /// Mailboxes present, and holding `bind-edge`, afterwards.
    pub made: usize,
    pub bound: usize,
    pub stderr_tail: String,
}

impl OneShot {
    pub fn total(&self) -> u64 {
        self.requests.iter().flat_map(|r| r.values()).sum()
    }

    /// The request-bound floor: every request costs `latency`, `concurrency` at a time.
    pub fn floor(&self, latency: Duration, concurrency: usize) -> Duration {
        latency.mul_f64(self.total() as f64 / concurrency.max(1) as f64)
    }
}

/// What each command held at one size, and how long the sync from nothing took: the
/// slope per SyncTarget comes from two of these.
#[derive(Debug, Clone)]
pub struct ScalePoint {
    pub n: usize,
    pub sync_wall: Duration,
    pub sync_peak: Peak,
    pub noop_peak: Option<Peak>,
    pub list_peak: Option<Peak>,
    /// `mailbox watch`'s VmRSS once every mailbox was looked at.
    pub watch_kib: Option<u64>,
    /// The harness's own VmRSS after the sync: kcp-sim holding N SyncTargets, N mailboxes
    /// and their bindings (None on real kcp, which runs apart).
    pub sim_kib: Option<u64>,
}

/// Sync from nothing at size `n`, then the no-op sync, the list and `mailbox watch` on the same
/// inventory; with `extras` (the largest size) the watch phase is the whole plan, else it only
/// reaches steady state, for its memory.
pub fn measure(options: &Options, n: usize, extras: bool, report: &mut Report) -> Result<(), String> {
    let load = Instant::now();
    let mut inv = Inventory::start(options.latency, options.imws, options.real_kcp.as_ref())?;
    inv.add(n)?;
    progress(&format!(
        "N={n}: inventory loaded in {:.1?}; mailbox sync from nothing",
        load.elapsed()
    ));
    let concurrency = options.concurrency.to_string();
    // Real kcp makes about one mailbox a second per core: the default 2 minutes is too short.
    let timeout = if inv.real().is_some() { "60m" } else { "2m" };
    let sync = run(
        &inv,
        options,
        "mailbox sync from nothing",
        &[
            "mailbox",
            "sync",
            "--concurrency",
            &concurrency,
            "--timeout",
            timeout,
        ],
    )?;
    // What exists when it starts: the ESPW and the IMWs in root, one bind-espw per IMW.
    let imws = options.imws;
    let counted = sync.requests.is_some();
    let sync = OneShot {
        minimum: Some(6 + 2 * n as u64).filter(|_| counted),
        paged_minimum: Some(3 + pages(n) + pages(imws) + pages(1 + imws) + 2 * n as u64).filter(|_| counted),
        ..sync
    };
    check(&sync, n, report);
    let mut point = ScalePoint {
        n,
        sync_wall: sync.wall,
        sync_peak: sync.peak,
        noop_peak: None,
        list_peak: None,
        watch_kib: None,
        sim_kib: inv
            .sim()
            .and_then(|_| crate::process::vm_rss_kib(std::process::id())),
    };
    report.syncs.push(sync);

    progress(&format!("N={n}: no-op mailbox sync"));
    let noop = run(
        &inv,
        options,
        "mailbox sync, nothing to do",
        &["mailbox", "sync", "--concurrency", &concurrency],
    )?;
    // Now also a mailbox per SyncTarget in root, and its bind-edge in the view.
    let noop = OneShot {
        minimum: Some(6).filter(|_| counted),
        paged_minimum: Some(3 + pages(n) + pages(imws + n) + pages(1 + imws + n)).filter(|_| counted),
        ..noop
    };
    check(&noop, n, report);
    point.noop_peak = Some(noop.peak);
    if extras {
        report.noop = Some(noop);
    }

    progress(&format!("N={n}: mailbox list"));
    let list = run(&inv, options, "mailbox list", &["mailbox", "list"])?;
    // The sync's reads without the watch; the IMWs' paths come with root's listing
    // (tests/e2e/efficiency.rs).
    let list = OneShot {
        minimum: Some(5).filter(|_| counted),
        paged_minimum: Some(2 + pages(n) + pages(imws + n) + pages(1 + imws + n)).filter(|_| counted),
        ..list
    };
    check(&list, n, report);
    point.list_peak = Some(list.peak);
    if extras {
        report.list = Some(list);
    }

    if let Some(plan) = &options.watch {
        // Below the largest size only its steady state: start, settle, read its memory.
        let settle = crate::WatchPlan {
            steady: 0,
            burst: 0,
            idle: Duration::ZERO,
            ..plan.clone()
        };
        match crate::watch::measure(options, if extras { plan } else { &settle }, &inv) {
            Ok(w) => {
                report.problems.extend(w.problems.iter().cloned());
                point.watch_kib = w.rss_steady_kib;
                if extras {
                    report.watch = Some(w);
                }
            }
            Err(e) => report.problems.push(format!("mailbox watch: {e}")),
        }
    }
    report.scale.push(point);
    Ok(())
}

/// Run the plugin once, counting its requests (on kcp-sim).
fn run(inv: &Inventory, options: &Options, what: &'static str, args: &[&str]) -> Result<OneShot, String> {
    inv.reset_requests();
    let mut cmd = inv.command(&options.plugin);
    cmd.args(args);
    let server_cpu = inv.server_cpu();
    let Finished {
        code,
        wall,
        peak,
        cpu,
        stderr,
        ..
    } = process::run(cmd).map_err(|e| format!("{what}: cannot run the plugin: {e}"))?;
    let server_cpu = inv.server_cpu().saturating_sub(server_cpu);
    let requests = inv.requests();
    let (made, bound) = inv.made(&inv.sync_targets);
    Ok(OneShot {
        what,
        n: inv.sync_targets.len(),
        code,
        wall,
        peak,
        cpu,
        server_cpu,
        requests,
        minimum: None,
        paged_minimum: None,
        made,
        bound,
        stderr_tail: tail(&stderr, 20),
    })
}

/// A run that failed, left mailboxes missing, or made more requests than the design needs
/// is a problem to report (the figures are still shown).
fn check(r: &OneShot, n: usize, report: &mut Report) {
    if r.code != 0 {
        report.problems.push(format!(
            "{} at N={n} exited {}:\n{}",
            r.what, r.code, r.stderr_tail
        ));
    }
    if r.made != n || r.bound != n {
        report.problems.push(format!(
            "{} at N={n}: {} of {n} mailboxes present, {} bound",
            r.what, r.made, r.bound
        ));
    }
    // A sync's watch on the parent starts only after the parent's list, and a sync with
    // nothing to wait for may be done before that: the watch counts at most once.
    let watches = r
        .requests
        .as_ref()
        .and_then(|q| q.get("watch"))
        .copied()
        .unwrap_or(0);
    let unopened = r.what.starts_with("mailbox sync") && watches == 0;
    if let Some(min) = r
        .paged_minimum
        .filter(|&m| r.total() != m && !(unopened && r.total() + 1 == m))
    {
        report.problems.push(format!(
            "{} at N={n}: {} requests, the design needs {min} (pages of {PAGE_SIZE}): {:?}",
            r.what,
            r.total(),
            r.requests
        ));
    }
}

/// Requests a list of `items` objects takes: one per page, and one for an empty list.
fn pages(items: usize) -> u64 {
    items.div_ceil(PAGE_SIZE).max(1) as u64
}
