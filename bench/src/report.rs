//! The report, as markdown: the same text goes to stdout and, with `--out`, to a file, so
//! BENCHMARKS.md can quote a run verbatim.

use crate::process::Peak;
use crate::stats::Summary;
use crate::watch::{Reaction, WatchReport};
use crate::{Options, Report};
use kubectl_kubestellar::PAGE_SIZE;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

/// Goals from the issue: within 1.5x of the request floor, under 100 MiB at the largest N.
const FLOOR_GOAL: f64 = 1.5;
const RSS_GOAL_KIB: u64 = 100 * 1024;

pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    machine(&mut out, r);
    oneshots(&mut out, r);
    scale(&mut out, r);
    if let Some(w) = &r.watch {
        watch(&mut out, w, &r.options);
    }
    baseline(&mut out, r);
    peer(&mut out, r);
    if !r.syncs.is_empty() {
        goals(&mut out, r);
    }
    if !r.problems.is_empty() {
        let _ = writeln!(out, "### Problems\n\n```");
        for p in &r.problems {
            let _ = writeln!(out, "{p}");
        }
        let _ = writeln!(out, "```\n");
    }
    out
}

fn machine(out: &mut String, r: &Report) {
    let m = &r.machine;
    let o = &r.options;
    let _ = writeln!(out, "### Run\n");
    let _ = writeln!(out, "- Command: `{}`", m.command);
    let _ = writeln!(out, "- Date: {} to {}", m.started, m.finished);
    let _ = writeln!(
        out,
        "- Machine: {} cores ({}), {:.1} GiB memory, Linux {}; load average {} at the start, {} at the end",
        m.cores,
        m.cpu,
        m.memory_kib as f64 / 1024.0 / 1024.0,
        m.kernel,
        m.load_start,
        m.load_end
    );
    match (&o.real_kcp, &m.kcp) {
        (Some(t), kcp) => {
            let _ = writeln!(
                out,
                "- Real kcp ({}, `{}`), started by the harness on 127.0.0.1 with a root directory of its own, one per inventory; {} inventory workspaces; requests are not counted (real kcp has no counters)",
                kcp.as_deref().unwrap_or("version unknown"),
                t.bin_dir.join("kcp").display(),
                o.imws
            );
        }
        (None, _) => {
            let _ = writeln!(
                out,
                "- kcp-sim in-process: {} latency per request, workspace readiness {} (schedule + initialize), HTTPS; {} inventory workspaces",
                dur(o.latency),
                dur(r
                    .watch
                    .as_ref()
                    .and_then(|w| w.readiness)
                    .unwrap_or(Duration::from_millis(60))),
                o.imws
            );
        }
    }
    let _ = writeln!(
        out,
        "- Plugin: `{}` ({}), `--concurrency {}`; kubectl {}\n",
        o.plugin.display(),
        m.plugin,
        o.concurrency,
        m.kubectl
    );
}

fn oneshots(out: &mut String, r: &Report) {
    if r.syncs.is_empty() {
        return;
    }
    let o = &r.options;
    let cores = r.machine.cores.max(1) as u32;
    let _ = writeln!(out, "### One-shot commands\n");
    if o.real_kcp.is_some() {
        let _ = writeln!(
            out,
            "kcp CPU: kcp's user + system time (/proc/PID/stat) while the command ran. \
             CPU floor = (plugin CPU + kcp CPU) / {cores} cores: this machine cannot run it faster.\n"
        );
        let _ = writeln!(
            out,
            "| Command | N | Wall | Plugin CPU | kcp CPU | CPU floor | Peak RSS | Mailboxes made / bound |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
        for s in r.syncs.iter().chain([&r.noop, &r.list].into_iter().flatten()) {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} / {} |",
                s.what,
                thousands(s.n as u64),
                dur(s.wall),
                dur(s.cpu),
                dur(s.server_cpu),
                dur((s.cpu + s.server_cpu) / cores),
                peak(s.peak),
                thousands(s.made as u64),
                thousands(s.bound as u64),
            );
        }
        let _ = writeln!(out);
        return;
    }
    let _ = writeln!(
        out,
        "Requests exclude `health`. Minimum: what the design needs, every list as one request / \
         with lists over {PAGE_SIZE} items as their pages. Request floor = requests × {} / {} (concurrency). \
         CPU floor = (plugin CPU + simulator CPU) / {cores} cores: this machine cannot run it faster.\n",
        dur(o.latency),
        o.concurrency
    );
    let _ = writeln!(
        out,
        "| Command | N | Wall | Requests | Minimum | Request floor | Wall / floor | Plugin CPU | Sim CPU | CPU floor | Peak RSS | Mailboxes made / bound |"
    );
    let _ = writeln!(out, "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let rows = r
        .syncs
        .iter()
        .map(|s| (s, true))
        .chain([&r.noop, &r.list].into_iter().flatten().map(|s| (s, false)));
    for (s, from_nothing) in rows {
        // The request floor is the issue's measure for a sync from nothing; the other commands
        // are a handful of mostly sequential requests, for which it means nothing.
        let (floor, ratio) = if from_nothing {
            let f = s.floor(o.latency, o.concurrency);
            (dur(f), format!("{:.2}x", ratio(s.wall, f)))
        } else {
            ("—".into(), "—".into())
        };
        let minimum = match (s.minimum, s.paged_minimum) {
            (Some(m), Some(p)) if m != p => format!("{} / {}", thousands(m), thousands(p)),
            (Some(m), _) => thousands(m),
            _ => "—".into(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} ({}) | {minimum} | {floor} | {ratio} | {} | {} | {} | {} | {} / {} |",
            s.what,
            thousands(s.n as u64),
            dur(s.wall),
            thousands(s.total()),
            s.requests.as_ref().map_or("—".into(), verbs),
            dur(s.cpu),
            dur(s.server_cpu),
            dur((s.cpu + s.server_cpu) / cores),
            peak(s.peak),
            thousands(s.made as u64),
            thousands(s.bound as u64),
        );
    }
    let _ = writeln!(out);
}

fn watch(out: &mut String, w: &WatchReport, o: &Options) {
    let _ = writeln!(
        out,
        "### `mailbox watch --concurrency {}` over {} SyncTargets already in step\n",
        o.concurrency,
        thousands(w.inventory as u64)
    );
    let opt = |d: Option<Duration>| d.map_or("—".into(), dur);
    let kib = |k: Option<u64>| k.map_or("—".into(), mib);
    let _ = writeln!(
        out,
        "- Start-up: caches synced after {}, every mailbox looked at after {}",
        opt(w.to_synced),
        opt(w.to_settled)
    );
    let _ = writeln!(
        out,
        "- Resident memory (VmRSS): {} at steady state with {} SyncTargets, {} after the phases below; peak (VmHWM at exit) {}",
        kib(w.rss_steady_kib),
        thousands(w.inventory as u64),
        kib(w.rss_after_kib),
        w.peak.map_or("—".into(), peak)
    );
    match &w.idle_requests {
        Some(idle) => {
            let total = idle.values().sum::<u64>();
            let _ = writeln!(
                out,
                "- Idle: {} requests in {} ({:.1} per minute){}; the watches opened before the window stay open and are not counted",
                total,
                dur(w.idle),
                total as f64 * 60.0 / w.idle.as_secs_f64().max(1e-9),
                if idle.is_empty() {
                    String::new()
                } else {
                    format!(": {}", verbs(idle))
                }
            );
        }
        None => {
            let _ = writeln!(out, "- Idle: requests not counted (only kcp-sim counts them)");
        }
    }
    let _ = writeln!(
        out,
        "- Controller CPU over its whole life: {}; exit on SIGTERM: {}\n",
        opt(w.cpu),
        w.exit_code.map_or("—".into(), |c| c.to_string())
    );
    match w.readiness {
        Some(readiness) => {
            let _ = writeln!(
                out,
                "Latencies p50 / p99 (max). \"Readiness\" is the simulator's workspace readiness ({} configured), excluded from the controller's figures.\n",
                dur(readiness)
            );
            let _ = writeln!(
                out,
                "| Load | SyncTarget created → mailbox created | Readiness (sim) | Ready → `bind-edge` created | End to end | All bound after | Requests | Observer lag, median (max) | Observer CPU |"
            );
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|---:|---:|");
        }
        None => {
            let _ = writeln!(
                out,
                "Latencies p50 / p99 (max), each as the observer's watches (the mailbox parent's workspaces, the export view's APIBindings) delivered it. \
                 \"Readiness\" (workspace created → Ready) and \"Binding\" (`bind-edge` created → Bound) are kcp's part; \
                 the other two columns are the controller's. End to end: SyncTarget created → `bind-edge` Bound.\n"
            );
            let _ = writeln!(
                out,
                "| Load | SyncTarget created → mailbox created | Readiness (kcp) | Ready → `bind-edge` created | Binding (kcp) | End to end | All Bound after | Observer lag, median (max) | Observer CPU |"
            );
            let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        }
    }
    for r in [&w.steady, &w.burst].into_iter().flatten() {
        reaction(out, r, None, w.readiness.is_none());
    }
    if let Some(r) = &w.after_410 {
        reaction(
            out,
            r,
            Some("1 after every watch got 410 Expired (re-lists included)"),
            w.readiness.is_none(),
        );
    }
    let _ = writeln!(out);
}

fn reaction(out: &mut String, r: &Reaction, label: Option<&str>, real: bool) {
    let load = match (label, r.rate) {
        (Some(l), _) => l.to_string(),
        (None, Some(rate)) => format!("{} at {rate}/s", r.count),
        (None, None) => format!("burst of {}", r.count),
    };
    let bound = if r.complete {
        dur(r.wall)
    } else {
        format!("{} of {} bound", r.bound, r.count)
    };
    let lag = format!("{} (≤ {})", dur(r.typical), dur(r.resolution));
    if real {
        let _ = writeln!(
            out,
            "| {load} | {} | {} | {} | {} | {} | {bound} | {lag} | {} |",
            pct(r.to_workspace),
            pct(r.to_ready),
            pct(r.ready_to_bound),
            pct(r.to_bound_phase),
            pct(r.end_to_end_bound),
            dur(r.observer_cpu)
        );
        return;
    }
    let requests = r.requests.clone().unwrap_or_default();
    let _ = writeln!(
        out,
        "| {load} | {} | {} | {} | {} | {bound} | {} ({}) | {lag} | {} |",
        pct(r.to_workspace),
        pct(r.to_ready),
        pct(r.ready_to_bound),
        pct(r.end_to_end),
        thousands(requests.values().sum()),
        verbs(&requests),
        dur(r.observer_cpu)
    );
}

fn baseline(out: &mut String, r: &Report) {
    if r.baselines.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### The alternative today: `bench/baseline.sh` (a bash loop over kubectl)\n"
    );
    let _ = writeln!(
        out,
        "| Method | N | Wall | Per mailbox | CPU | Requests | kubectl processes | Mailboxes made / bound | `mailbox sync` is |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|---:|---:|---:|");
    for b in &r.baselines {
        let sync = r.syncs.iter().find(|s| s.n == b.n);
        let _ = writeln!(
            out,
            "| `baseline.sh` | {} | {} | {} | {} | {} ({}) | {} | {} / {} | {} |",
            thousands(b.n as u64),
            dur(b.wall),
            dur(b.wall / b.n.max(1) as u32),
            dur(b.cpu),
            thousands(b.total()),
            verbs(&b.requests),
            b.kubectl_calls.map_or("—".into(), thousands),
            thousands(b.made as u64),
            thousands(b.bound as u64),
            sync.map_or("not measured at this N".into(), |s| format!(
                "{:.0}x faster",
                ratio(b.wall, s.wall)
            )),
        );
        if let Some(s) = sync {
            let _ = writeln!(
                out,
                "| `mailbox sync` | {} | {} | {} | {} | {} ({}) | 0 | {} / {} | |",
                thousands(s.n as u64),
                dur(s.wall),
                dur(s.wall / s.n.max(1) as u32),
                dur(s.cpu),
                thousands(s.total()),
                s.requests.as_ref().map_or("—".into(), verbs),
                thousands(s.made as u64),
                thousands(s.bound as u64),
            );
        }
    }
    let _ = writeln!(out);
}

fn goals(out: &mut String, r: &Report) {
    let o = &r.options;
    let _ = writeln!(out, "### Goals\n");
    let met = |ok: bool| if ok { "met" } else { "**missed**" };
    let cores = r.machine.cores.max(1) as u32;
    if let Some(s) = r.syncs.iter().max_by_key(|s| s.n) {
        let floor = s.floor(o.latency, o.concurrency);
        let x = ratio(s.wall, floor);
        // When the CPUs, not the requests' latency, bound the run, say so beside the verdict.
        let cpu_floor = (s.cpu + s.server_cpu) / cores;
        if s.requests.is_none() {
            let _ = writeln!(
                out,
                "- `mailbox sync` at N={}: the request floor needs kcp-sim's counters; wall / CPU floor = {:.2}x (CPU floor {})",
                thousands(s.n as u64),
                ratio(s.wall, cpu_floor),
                dur(cpu_floor)
            );
        } else {
            let _ = writeln!(
                out,
                "- `mailbox sync` at N={} within {FLOOR_GOAL}x of the request floor: {:.2}x, {} \
             (the CPU floor here is {}, {:.1}x the request floor; wall / CPU floor = {:.2}x)",
                thousands(s.n as u64),
                x,
                met(x <= FLOOR_GOAL),
                dur(cpu_floor),
                ratio(cpu_floor, floor),
                ratio(s.wall, cpu_floor)
            );
        }
        let _ = writeln!(
            out,
            "- Peak RSS of `mailbox sync` at N={} under 100 MiB: {}, {}",
            thousands(s.n as u64),
            peak(s.peak),
            met(matches!(s.peak, Peak::Exact(k) if k < RSS_GOAL_KIB))
        );
    }
    // Not goals the issue set, but the same yardstick says something about them.
    let others = [&r.noop, &r.list]
        .into_iter()
        .flatten()
        .map(|s| (format!("`{}`", s.what), s.n, Some(s.peak)))
        .chain(
            r.watch
                .iter()
                .map(|w| ("`mailbox watch`".to_string(), w.inventory, w.peak)),
        );
    for (what, n, p) in others {
        if let Some(p) = p {
            let _ = writeln!(
                out,
                "- (for comparison) peak RSS of {what} at N={}: {}, {} 100 MiB",
                thousands(n as u64),
                peak(p),
                if p.kib() < RSS_GOAL_KIB { "under" } else { "over" }
            );
        }
    }
    if r.syncs.iter().all(|s| s.requests.is_some()) {
        let exact = r.syncs.iter().all(|s| s.paged_minimum == Some(s.total()));
        let _ = writeln!(
            out,
            "- `mailbox sync` from nothing makes the minimum at every N (6 + 2N, lists counted by page): {}",
            met(exact && !r.syncs.is_empty())
        );
    }
    if let Some((w, idle)) = r
        .watch
        .as_ref()
        .and_then(|w| Some((w, w.idle_requests.as_ref()?)))
    {
        let others: u64 = idle.iter().filter(|(v, _)| *v != "watch").map(|(_, n)| n).sum();
        let _ = writeln!(
            out,
            "- `mailbox watch` idle: no requests but watches: {} other requests in {}, {}",
            others,
            dur(w.idle),
            met(others == 0)
        );
    }
    let _ = writeln!(out);
}

fn pct(s: Option<Summary>) -> String {
    s.map_or("—".into(), |s| {
        format!("{} / {} ({})", dur(s.p50), dur(s.p99), dur(s.max))
    })
}

/// The peer phase: per latency, size and contender, the median over rounds (CPU, requests: the
/// median run's; peak RSS: the largest), each one's ratio to `mailbox watch`'s time, and the
/// first round's idle requests and steady reaction.
fn peer(out: &mut String, r: &Report) {
    use crate::peer::Contender;
    let (Some(plan), false) = (&r.options.peer, r.peer.is_empty()) else {
        return;
    };
    let server = if r.options.real_kcp.is_some() {
        "a fresh real kcp".to_string()
    } else {
        "a fresh kcp-sim (its latency per request in the first column)".to_string()
    };
    let _ = writeln!(
        out,
        "### Peer: KubeStellar v0.14's Go mailbox-controller\n\n\
         Each run: {server} with the same inventory; the contenders take turns within each \
         round. Time: from the process's start to the N-th `bind-edge` (on real kcp: the N-th Bound \
         one), median of the rounds \
         (a run stopped at {} shows its rate and the time that rate extrapolates to). The Go \
         controller is started as KubeStellar's docs start it (current context in `root:espw`, \
         `-v=2`). In the first round each controller then stays up: requests over {} idle, per \
         minute, and the reaction (SyncTarget created → `bind-edge`, on real kcp → Bound; p50 / \
         p99) to {} SyncTargets \
         created at {}/s.\n",
        dur(plan.limit),
        dur(plan.idle),
        plan.steady,
        plan.rate,
    );
    let _ = writeln!(
        out,
        "| Latency | N | Contender | Rounds | Time to all bound | × `mailbox watch` | CPU | Peak RSS | Requests | Idle requests/min | Reaction p50 / p99 |"
    );
    let _ = writeln!(out, "|---|---:|---|---:|---:|---:|---:|---:|---|---:|---:|");
    let mut groups: Vec<(Option<Duration>, usize)> = r.peer.iter().map(|p| (p.latency, p.n)).collect();
    groups.sort_unstable();
    groups.dedup();
    for (latency, n) in groups {
        let runs_of = |who: Contender| {
            let mut runs: Vec<_> = r
                .peer
                .iter()
                .filter(|p| p.latency == latency && p.n == n && p.who == who)
                .collect();
            runs.sort_by_key(|p| p.wall.unwrap_or(Duration::MAX));
            runs
        };
        let watch = runs_of(Contender::Watch)
            .get(runs_of(Contender::Watch).len() / 2)
            .and_then(|p| p.wall);
        for who in Contender::ALL {
            let runs = runs_of(who);
            let Some(m) = runs.get(runs.len() / 2).copied() else {
                continue;
            };
            let max_peak = runs.iter().map(|p| p.peak.kib()).max().unwrap_or(0);
            let time = m.wall.map_or_else(|| stopped(m, plan.limit, n), dur);
            let times = match (m.wall, watch) {
                (Some(a), Some(b)) => format!("{:.1}", ratio(a, b)),
                _ => "-".into(),
            };
            // The first round's figures: the only run that measured them.
            let first = runs
                .iter()
                .find(|p| p.idle_requests.is_some() || p.steady.is_some());
            let idle = first
                .and_then(|p| p.idle_requests.as_ref())
                .map_or("—".into(), |v| per_minute(v, plan.idle));
            // On real kcp, to `bind-edge` Bound: kcp binds long after the binding is made.
            let reaction = first
                .and_then(|p| p.steady.as_ref())
                .and_then(|s| s.end_to_end_bound.or(s.end_to_end))
                .map_or("—".into(), |s| format!("{} / {}", dur(s.p50), dur(s.p99)));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {time} | {times} | {} | {} | {} ({}) | {idle} | {reaction} |",
                latency.map_or("real kcp".into(), dur),
                thousands(n as u64),
                who.label(),
                runs.len(),
                dur(m.cpu),
                mib(max_peak),
                thousands(m.requests.values().sum()),
                verbs(&m.requests),
            );
        }
    }
    let _ = writeln!(out);
}

/// A run stopped at the limit: what it had made and bound, and the time its rate of making
/// extrapolates to (a lower bound on the time to bind them all).
fn stopped(m: &crate::peer::PeerRun, limit: Duration, n: usize) -> String {
    let rate = m.rate(limit);
    format!(
        "stopped at {}: {} made, {} bound; making {rate:.2}/s, all made ≥ {} (extrapolated)",
        dur(limit),
        thousands(m.made as u64),
        thousands(m.bound as u64),
        dur(Duration::from_secs_f64(n as f64 / rate.max(1e-9)))
    )
}

/// Requests counted over `window`, per minute, with their verbs.
fn per_minute(v: &BTreeMap<String, u64>, window: Duration) -> String {
    let per_min = v.values().sum::<u64>() as f64 * 60.0 / window.as_secs_f64().max(1e-9);
    if v.is_empty() {
        "0".into()
    } else {
        format!("{per_min:.1} ({})", verbs(v))
    }
}

/// Memory at each size and the slope per SyncTarget between sizes; the sync's time per
/// SyncTarget, to show no step grows faster than linearly.
fn scale(out: &mut String, r: &Report) {
    let mut points: Vec<&crate::oneshot::ScalePoint> = r.scale.iter().collect();
    points.sort_by_key(|p| p.n);
    if points.len() < 2 {
        return;
    }
    let _ = writeln!(
        out,
        "### Memory per SyncTarget\n\n\
         Peak RSS (VmHWM at exit) of each command, and `mailbox watch`'s VmRSS once it has \
         looked at every mailbox, at each size; kcp-sim's is the harness's own VmRSS after the \
         sync (it holds the SyncTargets, their mailboxes and bindings). A slope is the \
         difference between two sizes over the SyncTargets added.\n"
    );
    let sizes: Vec<String> = points
        .iter()
        .map(|p| format!("N = {}", thousands(p.n as u64)))
        .collect();
    let slopes: Vec<String> = points
        .windows(2)
        .map(|w| format!("slope {}→{}", thousands(w[0].n as u64), thousands(w[1].n as u64)))
        .collect();
    let _ = writeln!(out, "| | {} | {} |", sizes.join(" | "), slopes.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(sizes.len() + slopes.len()));
    type Kib = fn(&crate::oneshot::ScalePoint) -> Option<u64>;
    let rows: [(&str, Kib); 5] = [
        ("`mailbox sync` from nothing", |p| Some(p.sync_peak.kib())),
        ("`mailbox sync`, nothing to do", |p| p.noop_peak.map(Peak::kib)),
        ("`mailbox list`", |p| p.list_peak.map(Peak::kib)),
        ("`mailbox watch`, steady state", |p| p.watch_kib),
        ("kcp-sim (the harness)", |p| p.sim_kib),
    ];
    for (what, of) in rows {
        let values: Vec<Option<u64>> = points.iter().map(|p| of(p)).collect();
        if values.iter().all(Option::is_none) {
            continue;
        }
        let cells: Vec<String> = values.iter().map(|v| v.map_or("—".into(), mib)).collect();
        let slope_cells: Vec<String> = points
            .windows(2)
            .zip(values.windows(2))
            .map(|(p, v)| match (v[0], v[1]) {
                (Some(a), Some(b)) => {
                    let per = (b as f64 - a as f64) / (p[1].n - p[0].n).max(1) as f64;
                    format!("{per:.2} KiB")
                }
                _ => "—".into(),
            })
            .collect();
        let _ = writeln!(
            out,
            "| {what} | {} | {} |",
            cells.join(" | "),
            slope_cells.join(" | ")
        );
    }
    let per_st: Vec<String> = points
        .iter()
        .map(|p| dur(p.sync_wall.div_f64(p.n.max(1) as f64)))
        .collect();
    let _ = writeln!(
        out,
        "| `mailbox sync` from nothing, time per SyncTarget | {} | {} |",
        per_st.join(" | "),
        vec!["—"; slopes.len()].join(" | ")
    );
    let _ = writeln!(out);
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// `850 µs`, `12.3 ms`, `4.56 s`, `312 s`.
pub fn dur(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 0.001 {
        format!("{:.0} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else if s < 100.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.0} s")
    }
}

/// Exact, or an upper bound when the process could not be traced.
fn peak(p: Peak) -> String {
    match p {
        Peak::Exact(k) => mib(k),
        Peak::AtMost(k) => format!("≤ {} (ru_maxrss)", mib(k)),
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `create 2,000, list 3, watch 1`.
fn verbs(v: &BTreeMap<String, u64>) -> String {
    if v.is_empty() {
        return "none".into();
    }
    v.iter()
        .map(|(verb, n)| format!("{verb} {}", thousands(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(dur(Duration::from_micros(850)), "850 µs");
        assert_eq!(dur(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(dur(Duration::from_millis(4_560)), "4.56 s");
        let v: BTreeMap<String, u64> = [("list".into(), 3), ("create".into(), 2000)].into();
        assert_eq!(verbs(&v), "create 2,000, list 3");
    }
}
