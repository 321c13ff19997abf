//! The driver, in process against kcp-sim: `once` as `mailbox sync` runs it, `forever` as
//! `mailbox watch` does, each through real watches over the socket.

use super::{WAIT, World, watch_options};
use crate::mailbox::driver::Driver;
use crate::mailbox::naming::Name;
use crate::mailbox::plan::Status;
use crate::mailbox::reconcile::Did;
use crate::mailbox::sync::follow_parent;
use crate::mailbox::watch::run;
use crate::runtime::metrics::Metrics;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::time::Instant;

fn bound(w: &World, mailbox: &str) -> bool {
    w.bound(mailbox)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_creates_then_binds_each_mailbox_as_the_parent_s_watch_shows_it_ready() {
    let w = World::new();
    let names: BTreeSet<Name> = ["florin", "guilder", "mark"]
        .into_iter()
        .map(|n| Name::from(w.sync_target(n)))
        .collect();
    let r = Arc::new(w.reconciler().await);
    let (mut events, _feed) = follow_parent(&r.kcp, &r.layout, false).await.expect("the watch");
    let records = Driver::once(r.clone())
        .run_once(&names, 2, Instant::now() + WAIT, &mut events, |_, _| {})
        .await;
    assert_eq!(records.keys().cloned().collect::<BTreeSet<_>>(), names);
    for (name, record) in &records {
        assert_eq!(record.actions, [Did::Created, Did::Bound], "{name}");
        assert_eq!(
            (record.status, &record.error),
            (Some(Status::Ok), &None),
            "{name}"
        );
        assert!(bound(&w, name), "{name} is bound on the server");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_in_a_dry_run_plans_and_writes_nothing() {
    let w = World::new();
    let mb = w.sync_target("florin");
    let mut r = w.reconciler().await;
    r.dry_run = true;
    let r = Arc::new(r);
    let (mut events, _feed) = follow_parent(&r.kcp, &r.layout, true).await.expect("the list");
    let records = Driver::once(r.clone())
        .run_once(
            &[Name::from(&*mb)].into(),
            2,
            Instant::now() + WAIT,
            &mut events,
            |_, _| {},
        )
        .await;
    assert_eq!(records[&*mb].actions, [Did::Created, Did::Bound]);
    assert_eq!(records[&*mb].status, Some(Status::Missing));
    assert!(w.workspace(&mb).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forever_makes_and_removes_mailboxes_as_sync_targets_come_and_go_until_stopped() {
    let w = World::new();
    let kcp = w.connect("root").await;
    let metrics = Arc::new(Metrics::default());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let opts = watch_options(2, Duration::ZERO);
    let controller = run(&kcp, &opts, metrics.clone(), stopped);
    let w = Arc::new(w);
    let scenario = async {
        let mb = w.sync_target("florin");
        let until = |check: fn(&World, &str) -> bool| {
            let (w, mb) = (w.clone(), mb.clone());
            tokio::task::spawn_blocking(move || w.sim.wait_for(WAIT, |_| check(&w, &mb)))
        };
        assert!(until(bound).await.unwrap(), "the mailbox is made and bound");
        w.sim
            .delete(
                "root:imw1",
                "edge.kubestellar.io/v2alpha1",
                "synctargets",
                "florin",
            )
            .expect("SyncTarget gone");
        assert!(
            until(|w, mb| w.workspace(mb).is_none()).await.unwrap(),
            "the orphan is deleted"
        );
        stop.send(true).expect("the controller listens");
    };
    let (stopped, ()) = tokio::join!(controller, scenario);
    stopped.expect("a clean stop");
    let count = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
    assert_eq!(
        (
            count(&metrics.created),
            count(&metrics.bound),
            count(&metrics.deleted)
        ),
        (1, 1, 1)
    );
}
