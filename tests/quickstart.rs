//! The README's quick start, run exactly as written (with the test build's binaries).

mod common;

use common::TempDir;
use std::process::Command;

#[test]
fn the_quick_start_syncs_and_lists_the_sample_inventory() {
    let home = TempDir::new("quickstart");
    let bin = common::bin_dir(&home);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/quickstart.sh");
    let out = Command::new(&script)
        .env("KUBESTELLAR_BIN_DIR", &bin)
        .env("HOME", home.path())
        .env_remove("KUBECONFIG")
        .current_dir(home.path())
        .output()
        .expect("run the quick start");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "quick start failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("root:espw is set up; the edge.kubestellar.io export is ready."),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 created, 3 bound, 0 deleted, 0 unchanged, 0 failed."),
        "{stdout}"
    );
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with("root:imw")).collect();
    assert_eq!(rows.len(), 3, "{stdout}");
    assert!(
        rows.iter().all(|r| r.split_whitespace().nth(4) == Some("ok")),
        "{rows:?}"
    );
}
