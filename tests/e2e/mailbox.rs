//! `mailbox sync` and `mailbox list`, end to end: kcp-sim, the real kubectl, the plugin as a
//! kubectl plugin.

use crate::common::{Env, WAIT, mailbox, wait_for};
use serde_json::{Value, json};

fn sync_target(name: &str) -> Value {
    json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": name}, "spec": {"cells": {"foo": "bar"}}})
}

/// (cluster, name, uid) of every SyncTarget in an IMW, read with kubectl as a script would.
fn sync_targets(env: &Env, imw: &str) -> Vec<(String, String, String)> {
    let list = env
        .kubectl_in(
            &format!("root:{imw}"),
            &["get", "synctargets.edge.kubestellar.io", "-o", "json"],
        )
        .ok()
        .json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| {
            let m = &st["metadata"];
            (
                m["annotations"]["kcp.io/cluster"].as_str().unwrap().into(),
                m["name"].as_str().unwrap().into(),
                m["uid"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, step by step, as a user lives it
fn sync_makes_one_bound_mailbox_per_sync_target_then_repairs_what_was_deleted() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    env.imw("imw2");
    // As a tutorial does: SyncTargets with kubectl, including the same name in two IMWs.
    for (imw, name) in [("imw1", "guilder"), ("imw1", "edge1"), ("imw2", "edge1")] {
        env.kubectl_create(&format!("root:{imw}"), &sync_target(name))
            .ok();
    }

    let out = env.plugin(&["mailbox", "sync"]).ok();
    assert!(
        out.stdout
            .contains("3 created, 3 bound, 0 deleted, 0 unchanged, 0 failed."),
        "{}",
        out.stdout
    );

    let workspaces = env.kubectl(&["get", "workspaces", "-o", "json"]).ok().json();
    let items = workspaces["items"].as_array().unwrap();
    let mut expected = Vec::new();
    for imw in ["imw1", "imw2"] {
        for (cluster, name, uid) in sync_targets(&env, imw) {
            let mb = mailbox(&cluster, &uid);
            let ws = items
                .iter()
                .find(|w| w["metadata"]["name"] == mb.as_str())
                .unwrap_or_else(|| panic!("no mailbox {mb} for {imw}/{name}"));
            assert_eq!(
                ws["metadata"]["annotations"]["edge.kubestellar.io/sync-target-name"],
                name.as_str()
            );
            assert_eq!(ws["status"]["phase"], "Ready");
            let binding = env
                .kubectl_in(
                    &format!("root:{mb}"),
                    &["get", "apibinding", "bind-edge", "-o", "json"],
                )
                .ok()
                .json();
            assert_eq!(
                binding["spec"]["reference"]["export"],
                json!({"path": "root:espw", "name": "edge.kubestellar.io"})
            );
            expected.push(mb);
        }
    }
    expected.sort();
    assert_eq!(
        env.mailbox_names(),
        expected,
        "exactly one mailbox per SyncTarget, nothing else"
    );

    // The tutorials' jq lookup by annotation finds guilder's mailbox; so does `list -o name`.
    let guilder = items
        .iter()
        .find(|w| w["metadata"]["annotations"]["edge.kubestellar.io/sync-target-name"] == "guilder")
        .map(|w| w["metadata"]["name"].as_str().unwrap().to_string())
        .unwrap();
    let named = env
        .plugin(&["mailbox", "list", "-o", "name", "--sync-target", "guilder"])
        .ok();
    assert_eq!(named.stdout, format!("{guilder}\n"));
    // A name that matches nothing is an error in every format, as `kubectl get` says.
    for format in ["table", "wide", "name", "json", "yaml"] {
        let none = env
            .plugin(&["mailbox", "list", "-o", format, "--sync-target", "nosuch"])
            .code(1);
        assert!(
            none.one_error_line()
                .starts_with("error: no SyncTarget named \"nosuch\""),
            "-o {format}: {}",
            none.stderr
        );
        assert_eq!(none.stdout, "", "-o {format}");
    }

    // A second run changes nothing, and says so.
    let again = env.plugin(&["mailbox", "sync"]).ok();
    assert!(
        again
            .stdout
            .contains("No changes: 3 mailbox(es) already in step."),
        "{}",
        again.stdout
    );

    // Delete a mailbox behind the tool's back: sync waits until it is gone and makes it again.
    let old_uid = env
        .kcp()
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &guilder)
        .unwrap()["metadata"]["uid"]
        .clone();
    env.kubectl(&["delete", "workspace", &guilder, "--wait=false"])
        .ok();
    let repaired = env.plugin(&["mailbox", "sync"]).ok();
    assert!(
        repaired.stdout.contains("1 created, 1 bound"),
        "{}",
        repaired.stdout
    );
    let new = env
        .kcp()
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &guilder)
        .expect("re-created");
    assert_ne!(
        new["metadata"]["uid"], old_uid,
        "a new workspace, not the old one"
    );
    assert!(new["metadata"].get("deletionTimestamp").is_none());
    assert!(env.bound(&guilder));

    // Delete a SyncTarget: its mailbox is deleted (and only that one).
    env.kubectl_in(
        "root:imw2",
        &["delete", "synctargets.edge.kubestellar.io", "edge1"],
    )
    .ok();
    let pruned = env.plugin(&["mailbox", "sync"]).ok();
    assert!(
        pruned
            .stdout
            .contains("0 created, 0 bound, 1 deleted, 2 unchanged, 0 failed."),
        "{}",
        pruned.stdout
    );
    let gone = wait_for(env.kcp(), WAIT, |s| {
        s.list("root", "tenancy.kcp.io/v1alpha1", "workspaces")
            .iter()
            .filter(|w| w["metadata"]["name"].as_str().unwrap().contains("-mb-"))
            .count()
            == 2
    });
    assert!(gone, "the orphan mailbox was not deleted");
}

#[test]
fn dry_run_prints_the_plan_a_real_run_then_carries_out() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "wanted");
    let (cluster, uid) = env.sync_target("imw1", "going");
    let (c, u) = env.sync_target("imw1", "unbound");
    env.plugin(&["mailbox", "sync"]).ok();
    env.delete_sync_target("imw1", "going");
    env.kcp()
        .delete(
            &format!("root:{}", mailbox(&c, &u)),
            "apis.kcp.io/v1alpha1",
            "apibindings",
            "bind-edge",
        )
        .unwrap();
    // kcp keeps a deleted binding until its finalizer is done: a moment on v0.11, seconds on
    // v0.32.3 (where a run that meets it still there reports it and makes it again next time).
    let unbound = format!("root:{}", mailbox(&c, &u));
    assert!(wait_for(env.kcp(), WAIT, |s| {
        s.get(&unbound, "apis.kcp.io/v1alpha1", "apibindings", "bind-edge")
            .is_none()
    }));
    env.sync_target("imw1", "new");
    let before = env.workspaces("root");

    let out = env.plugin(&["mailbox", "sync", "--dry-run"]).ok();
    assert!(
        out.stdout
            .lines()
            .any(|l| l.contains("root:imw1/new") && l.contains("would create,bind")),
        "a mailbox it creates, it binds: {}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!("{}   ", mailbox(&cluster, &uid)))
            && out.stdout.contains("would delete"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Dry run: would create 1, bind 2, delete 1; 1 unchanged. Nothing was changed."),
        "{}",
        out.stdout
    );
    assert_eq!(before, env.workspaces("root"), "a dry run changed the workspaces");

    // The plan is what the run does.
    let plan = env
        .plugin(&["mailbox", "sync", "--dry-run", "-o", "json"])
        .ok()
        .json();
    let done = env.plugin(&["mailbox", "sync", "-o", "json"]).ok().json();
    assert_eq!(plan["summary"], done["summary"], "plan {plan:#}\nrun {done:#}");
    let actions = |report: &Value| -> Vec<(String, Value)> {
        let mut a: Vec<(String, Value)> = report["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["mailbox"].as_str().unwrap().to_string(), m["actions"].clone()))
            .collect();
        a.sort_by(|x, y| x.0.cmp(&y.0));
        a
    };
    assert_eq!(actions(&plan), actions(&done));
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, every state in turn
fn list_shows_every_state_and_answers_scripts() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "guilder");
    env.plugin(&["mailbox", "sync"]).ok();
    let (cluster, uid) = env.sync_target("imw1", "later");
    // A workspace that only looks like a mailbox: reported, never the tool's.
    env.kcp().create_workspace("root", "team-mb-notes").unwrap();

    let out = env.plugin(&["mailbox", "list", "-o", "json"]).ok();
    let keys: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  \"")?.split('"').next())
        .collect();
    assert_eq!(
        keys,
        ["apiVersion", "kind", "metadata", "items"],
        "a kubectl List's shape"
    );
    let json = out.json();
    assert_eq!(json["apiVersion"], "kubestellar.io/v1alpha1");
    assert_eq!(json["kind"], "MailboxList");
    let items = json["items"].as_array().unwrap();
    let by_status = |s: &str| items.iter().filter(|r| r["status"] == s).count();
    assert_eq!(
        (by_status("ok"), by_status("missing"), by_status("unowned")),
        (1, 1, 1),
        "{json:#}"
    );
    let missing = items.iter().find(|r| r["status"] == "missing").unwrap();
    assert_eq!(missing["mailbox"], mailbox(&cluster, &uid).as_str());
    assert_eq!(missing["syncTarget"]["path"], "root:imw1");
    assert_eq!(missing["syncTarget"]["cluster"], cluster.as_str());
    assert_eq!(missing["syncTarget"]["name"], "later");
    let ok = items.iter().find(|r| r["status"] == "ok").unwrap();
    let mb = ok["mailbox"].as_str().unwrap();
    assert_eq!(
        ok["mailboxCluster"],
        env.kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", mb)
            .unwrap()["spec"]["cluster"]
    );
    // kcp v0.11 addresses the mailbox's logical cluster by ID, v0.28 and later by path.
    let addressed_as = if env.newest() {
        format!("/clusters/root:{mb}")
    } else {
        format!("/clusters/{}", ok["mailboxCluster"].as_str().unwrap())
    };
    assert!(
        ok["mailboxURL"].as_str().unwrap().ends_with(&addressed_as),
        "{json:#}"
    );

    let table = env.plugin(&["mailbox", "list"]).ok();
    let header: Vec<&str> = table.stdout.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["SYNCTARGET", "MAILBOX", "PHASE", "BINDING", "STATUS", "AGE"]
    );
    assert!(table.stdout.contains("root:imw1/guilder"), "{}", table.stdout);

    let wide = env.plugin(&["mailbox", "list", "-o", "wide"]).ok();
    let header: Vec<&str> = wide.stdout.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header[6..],
        [
            "SYNCTARGET-CLUSTER",
            "SYNCTARGET-UID",
            "MAILBOX-CLUSTER",
            "MAILBOX-URL"
        ],
        "whose cluster and UID each is"
    );
    let later: Vec<&str> = wide
        .stdout
        .lines()
        .find(|l| l.starts_with("root:imw1/later"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(later[6..8], [cluster.as_str(), uid.as_str()], "{}", wide.stdout);
    let bare = env
        .plugin(&["mailbox", "list", "-o", "wide", "--no-headers"])
        .ok();
    assert!(!bare.stdout.contains("SYNCTARGET"));

    let problems = env.plugin(&["mailbox", "list", "--problems", "-o", "name"]).ok();
    assert_eq!(
        problems.stdout.lines().collect::<Vec<_>>(),
        vec![mailbox(&cluster, &uid).as_str(), "team-mb-notes"]
    );

    let yaml = env.plugin(&["mailbox", "list", "-o", "yaml"]).ok();
    assert!(
        yaml.stdout
            .starts_with("apiVersion: kubestellar.io/v1alpha1\nkind: MailboxList\nmetadata: {}\nitems:\n"),
        "{}",
        yaml.stdout
    );
    let report = env.plugin(&["mailbox", "sync", "-o", "yaml", "--dry-run"]).ok();
    assert!(
        report.stdout.starts_with(
            "apiVersion: kubestellar.io/v1alpha1\nkind: MailboxSyncReport\nmetadata: {}\nitems:\n"
        ),
        "{}",
        report.stdout
    );
    assert!(report.stdout.contains("\nsummary:\n"), "{}", report.stdout);
}

#[test]
fn a_wrong_bind_edge_is_reported_not_replaced() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    env.kcp().create_workspace("root", "other").unwrap();
    env.kcp()
        .create("root:other", json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": "other.example.io"}}))
        .unwrap();
    let (cluster, uid) = env.sync_target("imw1", "guilder");
    let mb = mailbox(&cluster, &uid);
    env.kcp()
        .create("root", json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": mb, "annotations": {"edge.kubestellar.io/sync-target-name": "guilder"}}}))
        .unwrap();
    assert!(wait_for(env.kcp(), WAIT, |s| {
        s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
            .is_some_and(|w| w["status"]["phase"] == "Ready")
    }));
    env.kcp()
        .create(&format!("root:{mb}"), json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-edge"},
            "spec": {"reference": {"export": {"path": "root:other", "name": "other.example.io"}}}}))
        .unwrap();

    let out = env.plugin(&["mailbox", "sync"]).code(1);
    assert!(
        out.stdout
            .contains("binds root:other:other.example.io, not root:espw:edge.kubestellar.io"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("1 mailbox(es) could not be reconciled"),
        "{}",
        out.stderr
    );
    let binding = env
        .kcp()
        .get(
            &format!("root:{mb}"),
            "apis.kcp.io/v1alpha1",
            "apibindings",
            "bind-edge",
        )
        .unwrap();
    assert_eq!(
        binding["spec"]["reference"]["export"]["name"], "other.example.io",
        "left as it was"
    );
}

#[test]
fn before_any_inventory_binds_the_export_sync_and_list_see_nothing_to_do() {
    // kcp v0.11's view answers 404 for SyncTargets until a workspace binds the export, and
    // `"items": null` for its empty list of bindings: that is an empty inventory, not an error.
    let env = Env::new();
    env.edge_api();
    let sync = env.plugin(&["mailbox", "sync"]).ok();
    assert!(sync.stdout.contains("No changes"), "{}", sync.stdout);
    let list = env.plugin(&["mailbox", "list", "-o", "json"]).ok();
    assert_eq!(list.json()["items"], json!([]), "{}", list.stdout);
}

/// `-v` shows what the plugin decides and why, `-vv` each request too; the libraries' own
/// debug output (rustls, tower, hyper) only from `-vvv`.
#[test]
fn verbosity_shows_the_plugin_s_decisions_not_library_noise() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "guilder");

    let v = env.plugin(&["mailbox", "sync", "--dry-run", "-v"]).ok();
    assert!(
        v.stderr.contains("decided: create the workspace")
            && v.stderr.contains("sync_target=root:imw1/guilder")
            && v.stderr
                .contains("listing the SyncTargets through the export's view"),
        "{}",
        v.stderr
    );
    assert!(
        !v.stderr.contains("GET https://"),
        "requests only from -vv:\n{}",
        v.stderr
    );

    let vv = env.plugin(&["mailbox", "sync", "-vv"]).ok();
    for want in [
        "decided: create the workspace",
        "decided: create bind-edge",
        "GET https://",
        "POST https://",
        "/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces?fieldManager=kubectl-kubestellar: ok in",
    ] {
        assert!(vv.stderr.contains(want), "-vv lacks {want:?}:\n{}", vv.stderr);
    }
    for noise in ["rustls", "tower", "hyper", "kube_client"] {
        assert!(!vv.stderr.contains(noise), "-vv shows {noise}:\n{}", vv.stderr);
    }

    let vvv = env.plugin(&["mailbox", "list", "-vvv"]).ok();
    assert!(
        vvv.stderr
            .lines()
            .any(|l| l.contains("DEBUG") && !l.contains("kubectl_kubestellar")),
        "-vvv adds the libraries' debug output:\n{}",
        vvv.stderr
    );
}

/// kcp deletes a workspace only once its content is gone: an object with a finalizer holds a
/// deleted mailbox. sync says so within its timeout, list calls it terminating, and once the
/// object is released the next sync makes the mailbox again.
#[test]
fn a_wanted_mailbox_held_in_deletion_is_reported_then_made_again() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "guilder");
    env.plugin(&["mailbox", "sync"]).ok();
    let mb = env.mailbox_names().pop().expect("a mailbox");
    let inside = format!("root:{mb}");
    env.kubectl_create(
        &inside,
        &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "hold"}}),
    )
    .ok();
    env.kubectl_create(
        &inside,
        &json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "hold", "namespace": "hold", "finalizers": ["example.com/hold"]}}),
    )
    .ok();
    env.kcp()
        .delete("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
        .expect("delete the mailbox");
    let held = wait_for(env.kcp(), WAIT, |k| {
        k.list(&inside, "v1", "configmaps")
            .iter()
            .any(|c| c["metadata"]["name"] == "hold" && c["metadata"]["deletionTimestamp"].is_string())
    });
    assert!(held, "kcp did not start deleting the mailbox's content");

    let sync = env.plugin(&["mailbox", "sync", "--timeout", "5s"]).code(1);
    assert!(
        sync.stdout
            .contains(&format!("mailbox {mb} is still being deleted")),
        "{}",
        sync.stdout
    );
    let list = env.plugin(&["mailbox", "list", "-o", "json"]).ok().json();
    let row = &list["items"][0];
    assert_eq!(
        (row["mailbox"].as_str(), row["status"].as_str()),
        (Some(mb.as_str()), Some("terminating")),
        "{list:#}"
    );

    env.kubectl_in(
        &inside,
        &[
            "patch",
            "configmap",
            "hold",
            "-n",
            "hold",
            "--type=merge",
            "-p",
            r#"{"metadata":{"finalizers":null}}"#,
        ],
    )
    .ok();
    // Real kcp's deletion controllers notice on their own requeue, which backs off with the
    // deletion's age (kcp's e2e tests allow 30 s): a longer bound than other waits.
    let released = std::time::Instant::now();
    let gone = wait_for(env.kcp(), std::time::Duration::from_secs(180), |k| {
        k.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", &mb)
            .is_none()
    });
    assert!(gone, "the released mailbox was not deleted");
    #[allow(clippy::print_stderr)] // a figure for the note, shown with --nocapture
    {
        eprintln!("the released mailbox was gone after {:?}", released.elapsed());
    }
    let again = env.plugin(&["mailbox", "sync"]).ok();
    assert!(again.stdout.contains("1 created, 1 bound"), "{}", again.stdout);
    assert!(env.bound(&mb));
}

/// An inventory workspace that is not a child of the mailbox parent is shown by its path in
/// place of its ID; the ID stays in JSON and `-o wide`. (Its one path lookup is counted in
/// src/mailbox/scenarios/requests.rs.)
#[test]
fn a_nested_inventory_workspace_is_shown_by_its_path() {
    let env = Env::new();
    env.edge_api();
    env.kcp().create_workspace("root", "my-org").unwrap();
    let ws = env.kcp().create_workspace("root:my-org", "imw3").unwrap();
    let cluster = ws["spec"]["cluster"].as_str().unwrap().to_string();
    env.kcp()
        .create(
            "root:my-org:imw3",
            serde_json::json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-espw"},
                   "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}),
        )
        .unwrap();
    assert!(wait_for(env.kcp(), WAIT, |s| {
        s.get(
            "root:my-org:imw3",
            "apis.kcp.io/v1alpha1",
            "apibindings",
            "bind-espw",
        )
        .is_some_and(|b| b["status"]["phase"] == "Bound")
    }));
    for i in 0..5 {
        env.kcp()
            .create(
                "root:my-org:imw3",
                serde_json::json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": format!("edge-{i}")}}),
            )
            .unwrap();
    }

    let out = env.plugin(&["mailbox", "sync"]).ok();
    assert_eq!(
        out.stdout.matches("root:my-org:imw3/edge-").count(),
        5,
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(&format!("{cluster}/")), "{}", out.stdout);

    let json = env.plugin(&["mailbox", "sync", "-o", "json", "-v"]).ok().json();
    let st = &json["items"][0]["syncTarget"];
    assert_eq!(
        (st["path"].as_str(), st["cluster"].as_str()),
        (Some("root:my-org:imw3"), Some(cluster.as_str())),
        "{json:#}"
    );
    let wide = env.plugin(&["mailbox", "list", "-o", "wide"]).ok();
    let header: Vec<&str> = wide.stdout.lines().next().unwrap().split_whitespace().collect();
    let col = header.iter().position(|h| *h == "SYNCTARGET-CLUSTER").unwrap();
    let first: Vec<&str> = wide.stdout.lines().nth(1).unwrap().split_whitespace().collect();
    assert!(first[0].starts_with("root:my-org:imw3/"), "{}", wide.stdout);
    assert_eq!(first[col], cluster, "{}", wide.stdout);
}
