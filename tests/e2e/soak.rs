//! Soak: `mailbox watch` runs while a driver churns SyncTargets across several IMWs, deletes
//! mailboxes behind its back and plants decoys, and kcp-sim injects 5% 5xx/429, drops
//! watches, compacts history and goes unreachable for a while. When the faults stop, the
//! controller must converge: one bound mailbox per SyncTarget, none for deleted ones, decoys
//! untouched, the process alive and exiting 0 on SIGTERM.
//!
//! About 40 s by default; `KUBESTELLAR_SOAK_SECONDS=600 cargo test --test e2e -- soak::
//! --nocapture` for a long run.

use crate::common;

use crate::common::{Env, WAIT, mailbox, wait_for};
use kcp_sim::Faults;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A small deterministic generator (the soak must be reproducible from its seed).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const IMWS: [&str; 3] = ["imw1", "imw2", "imw3"];

#[derive(Default, Debug)]
struct Did {
    created: u32,
    deleted: u32,
    mailboxes_deleted: u32,
    decoys: u32,
    faults: Vec<String>,
}

#[test]
// One long scenario; its summary goes to stdout, for the soak's log.
#[allow(clippy::too_many_lines, clippy::print_stdout)]
fn mailbox_watch_survives_churn_and_faults_and_converges() {
    let seconds: u64 = std::env::var("KUBESTELLAR_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let seed: u64 = std::env::var("KUBESTELLAR_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let env = Env::sim_only("fault injection and request counts are kcp-sim's");
    env.edge_api();
    for imw in IMWS {
        env.imw(imw);
    }
    let mut rng = Rng(seed);
    // name → (imw, mailbox) of every live SyncTarget; decoys by name → UID.
    let mut live: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut decoys: BTreeMap<String, String> = BTreeMap::new();
    let mut did = Did::default();
    let mut next = 0u32;
    let mut create =
        |env: &Env, rng: &mut Rng, live: &mut BTreeMap<String, (String, String)>, did: &mut Did| {
            let imw = IMWS[rng.below(IMWS.len())];
            let name = format!("edge-{next}");
            next += 1;
            let (c, u) = env.sync_target(imw, &name);
            live.insert(name, (imw.to_string(), mailbox(&c, &u)));
            did.created += 1;
        };
    for _ in 0..30 {
        create(&env, &mut rng, &mut live, &mut did);
    }
    let mut c = env.start_watch(&["--resync-period", "3s", "--concurrency", "8"]);
    c.wait_log("caches synced", WAIT).expect("the controller starts");

    let started = Instant::now();
    let mut phase = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        // Faults on a schedule, by elapsed share of the run.
        let share = started.elapsed().as_secs_f64() / seconds as f64;
        let due = (share * 8.0) as usize;
        while phase < due.min(7) {
            phase += 1;
            let what = match phase {
                1 => {
                    env.sim().set_faults(Faults {
                        error_rate: 0.05,
                        ..Faults::default()
                    });
                    "5% 500/503/429 from now on"
                }
                2 | 5 => {
                    env.sim().drop_watches();
                    "all watches dropped"
                }
                3 | 6 => {
                    env.sim().compact();
                    env.sim().drop_watches();
                    "history compacted and watches dropped (resume gets 410)"
                }
                4 => {
                    env.sim().refuse_connections(Duration::from_secs(3));
                    "unreachable for 3 s"
                }
                _ => {
                    env.sim().set_faults(Faults {
                        error_rate: 0.05,
                        expired_as_status: true,
                        ..Faults::default()
                    });
                    "410 as an HTTP status from now on"
                }
            };
            did.faults
                .push(format!("{:>5.1}s {what}", started.elapsed().as_secs_f64()));
        }
        match rng.below(10) {
            0..=4 => create(&env, &mut rng, &mut live, &mut did),
            5..=6 if !live.is_empty() => {
                let name = live.keys().nth(rng.below(live.len())).unwrap().clone();
                let (imw, _) = live.remove(&name).unwrap();
                env.delete_sync_target(&imw, &name);
                did.deleted += 1;
            }
            7 if !live.is_empty() => {
                let (_, mb) = live.values().nth(rng.below(live.len())).unwrap().clone();
                if env
                    .kcp()
                    .delete("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
                    .is_ok()
                {
                    did.mailboxes_deleted += 1;
                }
            }
            8 => {
                // Looks like a mailbox: the exact form without the annotation, or -mb- with a word.
                let name = if rng.below(2) == 0 {
                    format!(
                        "decoy{:011x}-mb-{:08x}-0000-4000-8000-{:012x}",
                        rng.next() % (1 << 40),
                        rng.next() as u32,
                        rng.next() % (1 << 48)
                    )
                } else {
                    format!("notes{}-mb-decoy", did.decoys)
                };
                let ws = env.kcp().create("root", json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name}})).unwrap();
                decoys.insert(name, ws["metadata"]["uid"].as_str().unwrap().to_string());
                did.decoys += 1;
            }
            _ => {}
        }
        // The driver's pace (about 20 operations a second): load, not synchronisation.
        std::thread::sleep(Duration::from_millis(50));
    }
    env.sim().set_faults(Faults::default());
    let faults_stopped = Instant::now();

    let mut want: Vec<String> = live
        .values()
        .map(|(_, m)| m.clone())
        .chain(decoys.keys().cloned())
        .collect();
    want.sort();
    let converged = wait_for(env.kcp(), Duration::from_secs(90), |s| {
        common::mailbox_like(s, "root") == want
            && live.values().all(|(_, m)| {
                s.get(
                    &format!("root:{m}"),
                    "apis.kcp.io/v1alpha1",
                    "apibindings",
                    "bind-edge",
                )
                .is_some()
            })
    });
    let to_converge = faults_stopped.elapsed();
    let retries = c
        .metric("kubestellar_mailbox_reconciles_total{result=\"retry\"}")
        .unwrap_or(0.0);
    let request_retries = c.metric("kubestellar_request_retries_total").unwrap_or(0.0);
    let restarts: f64 = ["synctargets", "apibindings", "workspaces"]
        .iter()
        .filter_map(|w| {
            c.metric(&format!(
                "kubestellar_mailbox_watch_restarts_total{{watch=\"{w}\"}}"
            ))
        })
        .sum();
    println!(
        "soak: {seconds}s, seed {seed:#x}: {} SyncTargets created, {} deleted, {} mailboxes deleted behind the controller's back, {} decoys",
        did.created, did.deleted, did.mailboxes_deleted, did.decoys
    );
    println!("soak: faults:\n  {}", did.faults.join("\n  "));
    println!(
        "soak: {request_retries} requests retried, {retries} reconciles retried, {restarts} watch failures, {} requests served; converged {:.1}s after the faults stopped; {} SyncTargets at the end",
        env.sim().requests().total,
        to_converge.as_secs_f64(),
        live.len()
    );
    assert!(
        converged,
        "did not converge: have {:?}\nwant {want:?}\n{}",
        env.mailbox_names(),
        c.log()
    );
    for (name, uid) in &decoys {
        let ws = env
            .kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", name)
            .expect("a decoy was deleted");
        assert_eq!(
            ws["metadata"]["uid"].as_str(),
            Some(uid.as_str()),
            "decoy {name} was replaced"
        );
    }
    assert!(c.alive(), "the controller died:\n{}", c.log());
    c.signal("TERM");
    assert_eq!(c.wait_exit(WAIT), Some(0), "{}", c.log());
}
