//! The benchmark harness in quick mode, as CI runs it: it completes, every mailbox is made
//! (by the plugin, by the controller and by the kubectl loop), and `mailbox sync` makes
//! exactly the requests the design needs.

use kubestellar_bench::{Options, report, run};
use std::path::PathBuf;
use std::process::Command;

/// The plugin of this build: `kubectl-kubestellar` in the target dir this test runs from
/// (`target/debug/deps/smoke-*` → `target/debug/`). A path dependency's binaries are not built
/// for our tests, so cargo is asked for it; when it is fresh that is a no-op, and it means the
/// test never measures a stale plugin.
fn plugin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test runs from <target>/<profile>/deps");
    let target_dir = profile_dir.parent().expect("<target>/<profile>");
    let mut cargo = Command::new(env!("CARGO"));
    // Without what `cargo test` sets for a test (CARGO_MANIFEST_DIR, CARGO_PKG_*, ...): crates
    // that read those record them, so a nested build with them would make the next
    // `cargo test` rebuild those crates, and the other way round.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if ["CARGO_PKG_", "CARGO_BIN_", "CARGO_MANIFEST_"]
            .iter()
            .any(|p| key.starts_with(p))
            || [
                "CARGO",
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
                "OUT_DIR",
            ]
            .contains(&&*key)
        {
            cargo.env_remove(&*key);
        }
    }
    cargo
        .args([
            "build",
            "-p",
            "kubectl-kubestellar",
            "--bin",
            "kubectl-kubestellar",
        ])
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            cargo.arg("--release");
        }
        Some(other) => {
            cargo.args(["--profile", other]);
        }
    }
    let out = cargo.output().expect("run cargo");
    assert!(
        out.status.success(),
        "cargo build of the plugin failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bin = profile_dir.join("kubectl-kubestellar");
    assert!(bin.is_file(), "no plugin at {}", bin.display());
    bin
}

#[test]
fn quick_run_completes_makes_every_mailbox_with_the_minimum_requests() {
    let options = Options::quick(plugin());
    let r = run(&options).expect("the harness runs");
    let text = report::markdown(&r);
    assert!(r.problems.is_empty(), "problems:\n{}", r.problems.join("\n"));

    assert_eq!(r.syncs.len(), options.sizes.len(), "{text}");
    for s in &r.syncs {
        let n = s.n as u64;
        assert_eq!(s.code, 0, "{}", s.stderr_tail);
        assert_eq!((s.made, s.bound), (s.n, s.n), "every mailbox made and bound");
        assert_eq!(s.total(), 6 + 2 * n, "6 + 2N requests: {:?}", s.requests);
        let requests = s.requests.as_ref().expect("kcp-sim counts requests");
        assert_eq!(requests.get("create"), Some(&(2 * n)), "{requests:?}");
        // Exact where ptrace is allowed; an upper bound (still > 0) where it is not.
        assert!(s.peak.kib() > 0, "peak RSS measured: {:?}", s.peak);
    }
    let noop = r.noop.as_ref().expect("a no-op sync at the largest size");
    // Five reads, and the parent's watch unless the run ended before it opened.
    let watch = noop
        .requests
        .as_ref()
        .and_then(|q| q.get("watch"))
        .copied()
        .unwrap_or(0);
    assert_eq!(
        (noop.code, noop.total() - watch, watch <= 1),
        (0, 5, true),
        "{:?}",
        noop.requests
    );
    let list = r.list.as_ref().expect("a list at the largest size");
    assert_eq!(list.code, 0, "{}", list.stderr_tail);

    let w = r.watch.as_ref().expect("the watch phase");
    let plan = options.watch.as_ref().expect("quick mode watches");
    for (reaction, count) in [(&w.steady, plan.steady), (&w.burst, plan.burst)] {
        let reaction = reaction.as_ref().expect("measured");
        assert!(reaction.complete, "{text}");
        assert_eq!(reaction.bound, count, "every new SyncTarget got a bound mailbox");
        assert!(reaction.end_to_end.is_some_and(|s| s.count == count), "{text}");
    }
    assert_eq!(w.exit_code, Some(0), "the controller stops cleanly on SIGTERM");
    assert!(w.rss_steady_kib.is_some_and(|k| k > 0), "{text}");

    assert_eq!(r.baselines.len(), options.baseline_sizes.len());
    for b in &r.baselines {
        assert_eq!(b.code, 0, "{}", b.stderr_tail);
        assert_eq!(
            (b.made, b.bound),
            (b.n, b.n),
            "the kubectl loop made every mailbox"
        );
    }
    assert!(text.contains("| `mailbox sync from nothing` |"), "{text}");
}
