//! The 2023q1 PoC layout end to end, SyncTarget version detection, and the Go controller's
//! flags (accepted where they map, refused with a replacement where they cannot).

use crate::common;

use crate::common::{Env, KcpServer, WAIT, mailbox, wait_for};
use serde_json::{Value, json};

/// kcp's TMC SyncTarget API, as an APIResourceSchema made from kcp v0.11's CRD.
fn workload_schema() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/kcp-v0.11/workload.kcp.io_synctargets.yaml");
    let crd: Value = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let spec = &crd["spec"];
    let versions: Vec<Value> = spec["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            json!({"name": v["name"], "served": v["served"], "storage": v["storage"], "schema": v["schema"]["openAPIV3Schema"],
                   "subresources": v["subresources"], "additionalPrinterColumns": v["additionalPrinterColumns"]})
        })
        .collect();
    json!({
        "apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIResourceSchema",
        "metadata": {"name": "v230116-832a4a55d.synctargets.workload.kcp.io"},
        "spec": {"group": spec["group"], "names": spec["names"], "scope": spec["scope"], "versions": versions},
    })
}

fn export(name: &str, schemas: &[String]) -> Value {
    json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": name}, "spec": {"latestResourceSchemas": schemas}})
}

fn wait_export(env: &Env, path: &str, name: &str) {
    assert!(wait_for(env.kcp(), WAIT, |s| common::export_ready(s, path, name)));
}

/// The PoC's world: TMC's `workload.kcp.io` export in root, an ESPW exporting `edge.kcp.io`,
/// and `imw-1` bound to `workload.kcp.io`, as the 2023q1 example scenario set it up. None on
/// a real kcp v0.28 or later: TMC, and with it `workload.kcp.io`, is gone since v0.20.
fn poc() -> Option<Env> {
    let env = Env::new();
    if env.is_real() && env.newest() {
        common::skip(
            "the PoC layout needs TMC's workload.kcp.io, which real kcp has only up to v0.11 (kcp-sim serves it on any generation)",
        );
        return None;
    }
    // kcp v0.11 (and kcp-sim, with its default APIBindings) has TMC's export in root already;
    // without them kcp-sim gets kcp's own schema.
    let has_tmc = env
        .kcp()
        .get("root", "apis.kcp.io/v1alpha1", "apiexports", "workload.kcp.io")
        .is_some();
    if !has_tmc {
        env.kcp().create("root", workload_schema()).unwrap();
        env.kcp()
            .create(
                "root",
                export(
                    "workload.kcp.io",
                    &["v230116-832a4a55d.synctargets.workload.kcp.io".into()],
                ),
            )
            .unwrap();
    }
    env.kcp().create_workspace("root", "espw").unwrap();
    let mut names = Vec::new();
    for s in kubectl_kubestellar::edge_api::resource_schemas() {
        names.push(s["metadata"]["name"].as_str().unwrap().to_string());
        env.kcp().create("root:espw", s).unwrap();
    }
    env.kcp()
        .create("root:espw", export("edge.kcp.io", &names))
        .unwrap();
    wait_export(&env, "root", "workload.kcp.io");
    wait_export(&env, "root:espw", "edge.kcp.io");
    env.kcp().create_workspace("root", "imw-1").unwrap();
    // In kcp every universal workspace binds workload.kcp.io by default.
    if !has_tmc {
        env.kcp()
            .create("root:imw-1", json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-kube"},
                "spec": {"reference": {"export": {"path": "root", "name": "workload.kcp.io"}}}}))
            .unwrap();
    }
    assert!(wait_for(env.kcp(), WAIT, |s| {
        s.list("root:imw-1", "apis.kcp.io/v1alpha1", "apibindings")
            .iter()
            .any(|b| {
                b["spec"]["reference"]["export"]["name"] == "workload.kcp.io"
                    && b["status"]["phase"] == "Bound"
            })
    }));
    Some(env)
}

fn workload_sync_target(name: &str) -> Value {
    json!({"apiVersion": "workload.kcp.io/v1alpha1", "kind": "SyncTarget", "metadata": {"name": name}, "spec": {"unschedulable": false}})
}

fn poc_mailbox(env: &Env, name: &str) -> String {
    let st = env
        .kcp()
        .get("root:imw-1", "workload.kcp.io/v1alpha1", "synctargets", name)
        .unwrap();
    mailbox(
        st["metadata"]["annotations"]["kcp.io/cluster"].as_str().unwrap(),
        st["metadata"]["uid"].as_str().unwrap(),
    )
}

fn poc_bound(s: &dyn KcpServer, mb: &str) -> bool {
    s.get(
        &format!("root:espw:{mb}"),
        "apis.kcp.io/v1alpha1",
        "apibindings",
        "bind-edge",
    )
    .is_some_and(|b| b["spec"]["reference"]["export"] == json!({"path": "root:espw", "name": "edge.kcp.io"}))
}

#[test]
fn the_2023q1_poc_layout_with_sync_list_and_watch() {
    let Some(env) = poc() else { return };
    for st in ["florin", "guilder"] {
        env.kubectl_create("root:imw-1", &workload_sync_target(st)).ok();
    }

    let out = env.plugin(&["mailbox", "sync", "--layout", "poc2023q1"]).ok();
    assert!(out.stdout.contains("2 created, 2 bound"), "{}", out.stdout);
    for st in ["florin", "guilder"] {
        let mb = poc_mailbox(&env, st);
        let ws = env
            .kcp()
            .get("root:espw", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
            .unwrap_or_else(|| panic!("no mailbox {mb} under the ESPW"));
        assert_eq!(ws["metadata"]["annotations"]["edge.kcp.io/sync-target-name"], st);
        assert!(poc_bound(env.kcp(), &mb), "{mb} binds root:espw edge.kcp.io");
    }
    assert!(env.mailbox_names().is_empty(), "nothing in root");

    let listed = env
        .plugin(&["mailbox", "list", "--layout", "poc2023q1", "-v"])
        .ok();
    assert!(
        listed.stderr.contains("\"preset\":\"poc2023q1\""),
        "-v shows the layout: {}",
        listed.stderr
    );
    assert!(
        listed.stderr.contains("\"mailboxParent\":\"root:espw\""),
        "{}",
        listed.stderr
    );
    assert_eq!(
        listed
            .stdout
            .lines()
            .filter(|l| l.starts_with("root:imw-1/"))
            .filter(|l| l.contains(" ok "))
            .count(),
        2,
        "{}",
        listed.stdout
    );

    // remove wmw knows the layout's inventory and mailboxes; the ESPW is refused whatever it is.
    let mb = poc_mailbox(&env, "florin");
    for (parent, name, why) in [
        ("root", "imw-1", "holds 2 SyncTarget(s)"),
        ("root:espw", mb.as_str(), "is a mailbox workspace"),
        ("root", "espw", "is the edge service provider workspace"),
    ] {
        let out = env
            .plugin(&["remove", "wmw", "--layout", "poc2023q1", "--parent", parent, name])
            .code(2);
        assert!(out.stderr.contains(why), "{name}: {}", out.stderr);
    }

    // The leader's Lease goes in the ESPW, as --leader-elect's help says, not in root.
    let mut c = env.start_watch(&["--layout", "poc2023q1", "--leader-elect"]);
    c.wait_log("caches synced", WAIT).unwrap();
    let lease = |path: &str| {
        env.kcp()
            .list(path, "coordination.k8s.io/v1", "leases")
            .into_iter()
            .any(|l| l["metadata"]["name"] == "kubestellar-mailbox-controller")
    };
    assert!(lease("root:espw"), "{}", c.log());
    assert!(!lease("root"));
    env.kubectl_create("root:imw-1", &workload_sync_target("new"))
        .ok();
    let mb = poc_mailbox(&env, "new");
    assert!(
        wait_for(env.kcp(), WAIT, |s| poc_bound(s, &mb)),
        "watch made the new PoC mailbox\n{}",
        c.log()
    );
    env.kubectl_in("root:imw-1", &["delete", "synctargets.workload.kcp.io", "florin"])
        .ok();
    let florin = env
        .kcp()
        .list("root:espw", "tenancy.kcp.io/v1alpha1", "workspaces")
        .into_iter()
        .find(|w| w["metadata"]["annotations"]["edge.kcp.io/sync-target-name"] == "florin")
        .unwrap();
    let name = florin["metadata"]["name"].as_str().unwrap().to_string();
    assert!(
        wait_for(env.kcp(), WAIT, |s| s
            .get("root:espw", "tenancy.kcp.io/v1alpha1", "workspaces", &name)
            .is_none()),
        "orphan PoC mailbox deleted"
    );
    c.signal("TERM");
    assert_eq!(c.wait_exit(WAIT), Some(0));
}

#[test]
fn explicit_flags_override_the_preset() {
    let Some(env) = poc() else { return };
    env.kubectl_create("root:imw-1", &workload_sync_target("guilder"))
        .ok();
    // The PoC's SyncTargets, but mailboxes in root binding root:espw's edge.kcp.io: a mix a
    // migration might want, made of flags alone.
    let out = env
        .plugin(&[
            "mailbox",
            "sync",
            "--layout",
            "poc2023q1",
            "--mailbox-parent",
            "root",
            "--sync-target-name-annotation",
            "example.io/st",
        ])
        .ok();
    assert!(out.stdout.contains("1 created, 1 bound"), "{}", out.stdout);
    let mb = poc_mailbox(&env, "guilder");
    let ws = env
        .kcp()
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
        .expect("in root");
    assert_eq!(ws["metadata"]["annotations"]["example.io/st"], "guilder");
    let bad = env
        .plugin(&["mailbox", "sync", "--sync-target-version", "2"])
        .code(2);
    assert!(
        bad.one_error_line()
            .contains("--sync-target-version \"2\" is not an API version")
    );
}

#[test]
fn the_served_sync_target_version_is_detected_and_announced() {
    let env = Env::new();
    env.kcp().create_workspace("root", "espw").unwrap();
    // An older edge API: SyncTargets served as v1alpha1 only.
    let mut names = Vec::new();
    for mut s in kubectl_kubestellar::edge_api::resource_schemas() {
        if s["spec"]["names"]["plural"] == "synctargets" {
            s["spec"]["versions"][0]["name"] = json!("v1alpha1");
            s["metadata"]["name"] = json!("vold.synctargets.edge.kubestellar.io");
        }
        names.push(s["metadata"]["name"].as_str().unwrap().to_string());
        env.kcp().create("root:espw", s).unwrap();
    }
    env.kcp()
        .create("root:espw", export("edge.kubestellar.io", &names))
        .unwrap();
    wait_export(&env, "root:espw", "edge.kubestellar.io");
    env.imw("imw1");
    env.kcp().create("root:imw1", json!({"apiVersion": "edge.kubestellar.io/v1alpha1", "kind": "SyncTarget", "metadata": {"name": "old"}})).unwrap();

    let out = env.plugin(&["mailbox", "sync"]).ok();
    assert!(out.stderr.contains("detected: the view serves edge.kubestellar.io/v1alpha1 SyncTargets, not edge.kubestellar.io/v2alpha1"), "{}", out.stderr);
    assert!(out.stdout.contains("1 created, 1 bound"), "{}", out.stdout);

    let forced = env
        .plugin(&["mailbox", "sync", "--sync-target-version", "v2alpha1"])
        .code(1);
    assert!(
        forced
            .one_error_line()
            .contains("the view does not serve synctargets.edge.kubestellar.io/v2alpha1"),
        "{}",
        forced.stderr
    );
}

#[test]
fn the_go_controllers_flags_map_or_say_what_to_use() {
    let env = Env::new();
    env.edge_api();
    let refused = env
        .plugin(&["mailbox", "watch", "--root-kubeconfig", "root.kubeconfig"])
        .code(2);
    let line = refused.one_error_line();
    assert!(
        line.contains("--root-kubeconfig is a flag of KubeStellar's Go mailbox controller")
            && line.contains("use --kubeconfig and --context"),
        "{line}"
    );
    let refused = env.plugin(&["mailbox", "watch", "--mbws-context=base"]).code(2);
    assert!(refused.one_error_line().contains("--mbws-context"));
    // `-v=2`, `--espw-path`, `--concurrency` and `--server-bind-address` are taken as they were.
    env.plugin(&["mailbox", "list", "-v=2", "--espw-path", "root:espw"])
        .ok();
    let mut c = env.start_watch(&["--concurrency", "2", "--server-bind-address", "127.0.0.1:0"]);
    c.wait_log("caches synced", WAIT)
        .expect("runs with the old flag names");
    c.signal("TERM");
    assert_eq!(c.wait_exit(WAIT), Some(0));
}
