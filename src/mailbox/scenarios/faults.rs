//! Under injected server trouble (5xx and 429, dropped watches, compacted history, refused
//! connections) `sync` retries and converges or fails with its list, and `watch` stays up and
//! converges; neither ever deletes what it should not.

use super::{Quiet, World, sync_options, watch_options};
use crate::mailbox::sync::sync;
use crate::mailbox::watch::run;
use crate::runtime::metrics::Metrics;
use kcp_sim::Faults;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Not one of ours: a look-alike name without the annotation, and a name that merely holds `-mb-`.
const UNOWNED: &str = "abcdefghij012345-mb-00000000-0000-4000-8000-000000000000";
const DECOY: &str = "decoy-mb-notes";

fn decoys(w: &World) {
    w.sim.create_workspace("root", DECOY).expect("the decoy");
    w.sim
        .create(
            "root",
            json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": UNOWNED}}),
        )
        .expect("the look-alike");
}

/// What should be left: one mailbox per live SyncTarget, and the decoys.
fn wanted(live: &[(String, String, String)], extra: &[&str]) -> Vec<String> {
    let mut want: Vec<String> = live
        .iter()
        .map(|(_, _, m)| m.clone())
        .chain(extra.iter().map(|s| s.to_string()))
        .collect();
    want.sort();
    want
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_converges_under_5xx_and_429_and_never_deletes_what_it_should_not() {
    let w = Arc::new(World::new());
    w.imw("root", "imw2");
    let mut live: Vec<(String, String, String)> = Vec::new();
    for i in 0..12 {
        let imw = if i % 2 == 0 { "root:imw1" } else { "root:imw2" };
        let name = format!("edge-{i}");
        live.push((imw.into(), name.clone(), w.sync_target_in(imw, &name)));
    }
    let kcp = w.connect("root").await;
    sync(&kcp, &sync_options(), &Quiet).await.expect("sync");
    // Two SyncTargets go, six come; decoys that look like mailboxes but are not ours appear.
    for (imw, name, _) in live.drain(10..) {
        w.sim
            .delete(&imw, "edge.kubestellar.io/v2alpha1", "synctargets", &name)
            .expect("SyncTarget gone");
    }
    for i in 12..18 {
        let name = format!("edge-{i}");
        live.push(("root:imw1".into(), name.clone(), w.sync_target(&name)));
    }
    decoys(&w);
    let keep: BTreeMap<String, String> = w
        .mailbox_like()
        .into_iter()
        .filter(|(n, _)| live.iter().any(|(_, _, m)| m == n))
        .collect();

    w.sim.set_faults(Faults {
        error_rate: 0.3,
        ..Faults::default()
    });
    let mut runs = 0;
    loop {
        runs += 1;
        // Each run connects anew, as each run of the plugin does.
        let kcp = w.connect("root").await;
        let result = sync(&kcp, &sync_options(), &Quiet).await;
        let now = w.mailbox_like();
        for (name, uid) in &keep {
            assert_eq!(
                now.get(name),
                Some(uid),
                "mailbox {name} of a live SyncTarget was deleted or replaced"
            );
        }
        assert!(now.contains_key(UNOWNED), "an unowned look-alike was deleted");
        assert!(w.workspace(DECOY).is_some(), "the decoy was deleted");
        match result {
            Ok(report) if !report.failed() => break,
            Ok(report) => assert!(
                report.summary.failed > 0 || !report.errors.is_empty(),
                "a failed run says what failed"
            ),
            // A read that failed after its retries: nothing was deleted from it (above).
            Err(e) => assert!(!e.message.is_empty()),
        }
        assert!(
            runs < 8,
            "sync did not converge under a 30% error rate in {runs} runs"
        );
    }
    w.sim.set_faults(Faults::default());
    let want = wanted(&live, &[UNOWNED, DECOY]);
    let settled = w
        .until(move |w| w.mailbox_like().into_keys().collect::<Vec<_>>() == want)
        .await;
    assert!(
        settled,
        "after the faults: one mailbox per SyncTarget, orphans gone, decoys kept: {:?}",
        w.mailbox_like()
    );
    for (_, _, m) in &live {
        assert!(w.bound(m), "{m} has no bind-edge");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_under_faults_stays_up_and_converges_without_wrong_deletions() {
    let w = Arc::new(World::new());
    w.imw("root", "imw2");
    let mut live: Vec<(String, String, String)> = Vec::new();
    let add = |w: &World, imw: &str, name: &str, live: &mut Vec<(String, String, String)>| {
        live.push((imw.into(), name.into(), w.sync_target_in(imw, name)));
    };
    for i in 0..6 {
        let imw = if i % 2 == 0 { "root:imw1" } else { "root:imw2" };
        add(&w, imw, &format!("edge-{i}"), &mut live);
    }
    w.sim.create_workspace("root", DECOY).expect("the decoy");
    let kcp = w.connect("root").await;
    let metrics = Arc::new(Metrics::default());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let opts = watch_options(4, Duration::from_secs(2));
    let controller = run(&kcp, &opts, metrics.clone(), stopped);
    let scenario = async {
        let first: Vec<String> = live.iter().map(|(_, _, m)| m.clone()).collect();
        assert!(
            w.until(move |w| first.iter().all(|m| w.bound(m))).await,
            "the first mailboxes"
        );
        // Watches dropped; history compacted (410 on resume); 5xx/429 for a while; the server
        // unreachable for a few seconds. SyncTargets come and go meanwhile, and a mailbox is
        // deleted behind the controller's back.
        w.sim.drop_watches();
        add(&w, "root:imw1", "during-drop", &mut live);
        w.sim.compact();
        w.sim.drop_watches();
        let (imw, name, _) = live.remove(0);
        w.sim
            .delete(&imw, "edge.kubestellar.io/v2alpha1", "synctargets", &name)
            .expect("SyncTarget gone");
        w.sim.set_faults(Faults {
            error_rate: 0.3,
            ..Faults::default()
        });
        add(&w, "root:imw2", "during-errors", &mut live);
        let _ = w
            .sim
            .delete("root", "tenancy.kcp.io/v1alpha1", "workspaces", &live[0].2);
        w.sim.refuse_connections(Duration::from_secs(3));
        add(&w, "root:imw1", "during-outage", &mut live);
        w.sim.set_faults(Faults::default());

        let want = wanted(&live, &[DECOY]);
        let mailboxes: Vec<String> = live.iter().map(|(_, _, m)| m.clone()).collect();
        let converged = w
            .until_within(Duration::from_secs(60), move |w| {
                w.mailbox_like().into_keys().collect::<Vec<_>>() == want
                    && mailboxes.iter().all(|m| w.bound(m))
            })
            .await;
        let _ = stop.send(true);
        converged
    };
    let (stopped, converged) = tokio::join!(controller, scenario);
    assert!(converged, "did not converge: have {:?}", w.mailbox_like());
    stopped.expect("it stays up and stops cleanly");
    assert!(
        metrics.watch_restarts_synctargets.load(Ordering::Relaxed) >= 1,
        "watch failures are counted"
    );
}
