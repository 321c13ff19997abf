//! kcp v0.28 and later (kcp-sim's 0.32 generation): the export's view URLs come from the
//! endpoint slice kcp makes, empty until something binds the export. The ESPW is set up as
//! `init espw` sets it up, in process.

use super::{Quiet, WAIT, World, sync_options, watch_options};
use crate::feedback::Feedback;
use crate::mailbox::layout::Layout;
use crate::mailbox::list::{ListOptions, list};
use crate::mailbox::plan::Status;
use crate::mailbox::sync::sync;
use crate::mailbox::watch::run;
use crate::runtime::metrics::Metrics;
use crate::workspace::espw::{InitOptions, init_espw};
use kcp_sim::{KcpVersion, SimConfig};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a command says on stderr, kept.
#[derive(Default)]
struct Notes(Mutex<Vec<String>>);
impl Feedback for Notes {
    fn note(&self, m: &str) {
        self.0.lock().unwrap().push(m.to_string());
    }
    fn progress(&self, _: u64, _: u64) {}
}

async fn newest(shards: usize) -> World {
    let w = World::start(SimConfig {
        kcp_version: KcpVersion::V0_32,
        shards,
        ..SimConfig::default()
    });
    let kcp = w.connect("root").await;
    let opts = InitOptions {
        espw_path: "root:espw".into(),
        dry_run: false,
        timeout: WAIT,
    };
    let report = init_espw(&kcp, &opts, &Quiet).await.expect("init espw");
    assert!(report.view_urls.is_empty(), "no view before anything binds");
    w
}

/// The endpoint slice's URLs, as the server has them.
fn slice_urls(w: &World) -> usize {
    w.sim
        .get(
            "root:espw",
            "apis.kcp.io/v1alpha1",
            "apiexportendpointslices",
            "edge.kubestellar.io",
        )
        .and_then(|s| s["status"]["endpoints"].as_array().map(Vec::len))
        .unwrap_or(0)
}

/// An empty endpoint slice means nothing binds the export yet, never a complete read of no
/// SyncTargets: an owned mailbox is not deleted for it, and `list` says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_newest_kcp_an_empty_slice_deletes_nothing() {
    let w = newest(1).await;
    let owned = "abcdefghijklmnop-mb-0b7e9f6e-5f6c-4c6a-9a52-2f1f3c0f3d11";
    w.sim
        .create(
            "root",
            json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace",
                   "metadata": {"name": owned, "annotations": {"edge.kubestellar.io/sync-target-name": "gone"}}}),
        )
        .expect("an owned mailbox");
    let kcp = w.connect("root").await;
    let notes = Notes::default();
    let report = sync(&kcp, &sync_options(), &notes).await.expect("sync");
    assert_eq!(report.summary.deleted, 0, "{:?}", report.summary);
    let said = notes.0.lock().unwrap().join("\n");
    assert!(said.contains("has no view yet: nothing binds it"), "{said}");
    assert!(w.workspace(owned).is_some(), "the mailbox is still there");

    let opts = ListOptions {
        layout: Layout::v0_14("root:espw"),
        sync_target: None,
        problems: false,
        resolve_paths: true,
    };
    let rows = list(&kcp, &opts, &Quiet).await.expect("list");
    assert_eq!(rows.len(), 1);
    assert_eq!((&*rows[0].mailbox, rows[0].status), (owned, Status::Orphan));
    let note = rows[0].note.as_deref().unwrap_or_default();
    assert!(note.contains("not deleted"), "{note}");
}

/// `watch` started before anything binds the export follows the slice as shards get their
/// first binding: mailboxes are made and bound for inventories on both shards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_newest_kcp_watch_follows_the_endpoint_slice_as_shards_appear() {
    let w = Arc::new(newest(2).await);
    let kcp = w.connect("root").await;
    let metrics = Arc::new(Metrics::default());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let opts = watch_options(4, Duration::ZERO);
    let controller = run(&kcp, &opts, metrics.clone(), stopped);
    let scenario = async {
        assert_eq!(slice_urls(&w), 0, "nothing binds the export yet");
        // Inventory workspaces until both shards hold one (clusters are spread by their IDs).
        for i in 1..=12 {
            let imw = format!("imw{i}");
            w.imw("root", &imw);
            let mb = w.sync_target_in(&format!("root:{imw}"), "edge");
            assert!(
                w.until(move |w| w.bound(&mb)).await,
                "no bound mailbox for {imw}/edge"
            );
            if slice_urls(&w) == 2 {
                break;
            }
        }
        let _ = stop.send(true);
    };
    let (stopped, ()) = tokio::join!(controller, scenario);
    stopped.expect("a clean stop");
    assert_eq!(slice_urls(&w), 2, "the IMWs did not span both shards");
}
