//! KubeStellar v0.14's kcp-side commands as the plugin's: `ensure location`, `remove
//! location`, `ensure wmw`, `prep-for-cluster`, run through the real kubectl as a tutorial does.

use crate::common::{Env, WAIT, wait_for};
use serde_json::json;

const EDGE: &str = "edge.kubestellar.io/v2alpha1";

fn labels(v: &serde_json::Value) -> serde_json::Value {
    v["metadata"]["labels"].clone()
}

#[test]
fn ensure_location_makes_the_scripts_pair_idempotently_and_remove_location_undoes_it() {
    let env = Env::new();
    env.edge_api();
    env.kcp().create_workspace("root", "imw1").expect("imw");
    let first = env
        .plugin(&[
            "ensure",
            "location",
            "--imw",
            "root:imw1",
            "guilder",
            "loc-name=guilder",
            "env=prod",
        ])
        .ok();
    assert_eq!(
        first.stdout,
        "apibinding.apis.kcp.io/edge.kubestellar.io created\nsynctarget.edge.kubestellar.io/guilder created\nlocation.edge.kubestellar.io/guilder created\n"
    );
    let st = env
        .kcp()
        .get("root:imw1", EDGE, "synctargets", "guilder")
        .expect("SyncTarget");
    assert_eq!(
        labels(&st),
        json!({"id": "guilder", "loc-name": "guilder", "env": "prod"})
    );
    let loc = env
        .kcp()
        .get("root:imw1", EDGE, "locations", "guilder")
        .expect("Location");
    assert_eq!(labels(&loc), json!({"loc-name": "guilder", "env": "prod"}));
    assert_eq!(
        loc["spec"],
        json!({"resource": {"group": "edge.kubestellar.io", "version": "v2alpha1", "resource": "synctargets"},
               "instanceSelector": {"matchLabels": {"id": "guilder"}}})
    );
    let binding = env
        .kcp()
        .get(
            "root:imw1",
            "apis.kcp.io/v1alpha1",
            "apibindings",
            "edge.kubestellar.io",
        )
        .expect("binding");
    assert_eq!(
        binding["spec"]["reference"]["export"],
        json!({"path": "root:espw", "name": "edge.kubestellar.io"})
    );

    again_then_remove(&env);
}

/// `ensure location` again, then `remove location` twice.
fn again_then_remove(env: &Env) {
    // Again, with one label changed and a `default` Location to delete (as the script does).
    env.kcp()
        .create("root:imw1", json!({"apiVersion": EDGE, "kind": "Location", "metadata": {"name": "default"},
            "spec": {"resource": {"group": "edge.kubestellar.io", "version": "v2alpha1", "resource": "synctargets"}}}))
        .expect("default location");
    let again = env
        .plugin(&[
            "ensure",
            "location",
            "guilder",
            "--imw",
            "root:imw1",
            "loc-name=guilder",
            "env=test",
            "-X",
        ])
        .ok();
    assert_eq!(
        again.stdout,
        "apibinding.apis.kcp.io/edge.kubestellar.io unchanged\nsynctarget.edge.kubestellar.io/guilder labeled\nlocation.edge.kubestellar.io/guilder labeled\nlocation.edge.kubestellar.io \"default\" deleted\n"
    );
    // -X is the request trace.
    assert!(
        again.stderr.contains("POST ") || again.stderr.contains("PATCH "),
        "{}",
        again.stderr
    );
    assert!(env.kcp().get("root:imw1", EDGE, "locations", "default").is_none());
    let st = env
        .kcp()
        .get("root:imw1", EDGE, "synctargets", "guilder")
        .unwrap();
    assert_eq!(labels(&st)["env"], "test");
    let third = env
        .plugin(&[
            "ensure",
            "location",
            "--imw",
            "root:imw1",
            "guilder",
            "loc-name=guilder",
            "env=test",
        ])
        .ok();
    assert_eq!(third.stdout.matches("unchanged").count(), 3, "{}", third.stdout);

    let removed = env
        .plugin(&["remove", "location", "--imw", "root:imw1", "guilder"])
        .ok();
    assert_eq!(
        removed.stdout,
        "synctarget.edge.kubestellar.io \"guilder\" deleted\nlocation.edge.kubestellar.io \"guilder\" deleted\n"
    );
    let gone = wait_for(env.kcp(), WAIT, |s| {
        s.get("root:imw1", EDGE, "synctargets", "guilder").is_none()
    });
    assert!(gone);
    let twice = env
        .plugin(&["remove", "location", "--imw", "root:imw1", "guilder"])
        .ok();
    assert_eq!(twice.stdout, "");
}

#[test]
fn ensure_location_refuses_what_the_script_refuses_before_any_request() {
    let env = Env::new();
    for args in [
        &["ensure", "location", "--imw", "root:imw1", "default", "a=b"][..],
        &["ensure", "location", "--imw", "root:imw1", "florin"],
        &["ensure", "location", "--imw", "root:imw1", "florin", "id=x"],
        &["ensure", "location", "--imw", "root:imw1", "florin", "a"],
        &["ensure", "location", "--imw", "root:Bad", "florin", "a=b"],
    ] {
        let run = env.plugin(args).code(2);
        run.one_error_line();
    }
}

#[test]
fn ensure_wmw_binds_the_edge_and_kube_exports_that_init_espw_provides() {
    let env = Env::new();
    env.plugin(&["init", "espw"]).ok();
    if env.newest() {
        // kcp v0.28 and later have no root:compute (TMC's, gone since v0.20), so init espw has
        // nowhere to add the Kubernetes API exports: `--with-kube true` says so before making
        // anything, and `false` binds the edge export alone.
        let refused = env.plugin(&["ensure", "wmw", "wmw-c"]).code(1);
        let line = refused.one_error_line();
        assert!(
            line.contains("root:compute lacks the Kubernetes API export(s) kubernetes, "),
            "{line}"
        );
        assert!(
            refused.stderr.contains("comes with kcp v0.11's root:compute"),
            "{}",
            refused.stderr
        );
        let made = env
            .plugin(&["ensure", "wmw", "wmw-c", "--with-kube", "false"])
            .ok();
        assert_eq!(
            made.stdout,
            "workspace.tenancy.kcp.io/wmw-c created\napibinding.apis.kcp.io/bind-espw created\n"
        );
        return;
    }
    let first = env.plugin(&["ensure", "wmw", "wmw-c"]).ok();
    assert!(
        first.stdout.starts_with(
            "workspace.tenancy.kcp.io/wmw-c created\napibinding.apis.kcp.io/bind-espw created\n"
        ),
        "{}",
        first.stdout
    );
    assert_eq!(first.stdout.matches("created").count(), 18, "{}", first.stdout);
    let bound = wait_for(env.kcp(), WAIT, |s| {
        let b = s.list("root:wmw-c", "apis.kcp.io/v1alpha1", "apibindings");
        b.iter()
            .filter(|b| {
                b["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("bind-"))
            })
            .count()
            == 17
            && b.iter().all(|b| b["status"]["phase"] == "Bound")
    });
    assert!(bound, "the bindings did not all become Bound");
    let kube = env
        .kcp()
        .get("root:wmw-c", "apis.kcp.io/v1alpha1", "apibindings", "bind-apps")
        .unwrap();
    assert_eq!(
        kube["spec"]["reference"]["export"],
        json!({"path": "root:compute", "name": "apps"})
    );
    // A workload through the bound Kubernetes API, as example1 stage 2 creates one.
    env.kubectl_create(
        "root:wmw-c",
        &json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "commonstuff", "namespace": "default"},
                "spec": {"selector": {"matchLabels": {"app": "c"}}, "template": {"metadata": {"labels": {"app": "c"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}),
    )
    .ok();
    env.kubectl_create(
        "root:wmw-c",
        &json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs", "namespace": "default"},
                "spec": {"selector": {"matchLabels": {"app": "c"}}, "template": {"metadata": {"labels": {"app": "c"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}),
    )
    .ok();

    let again = env.plugin(&["ensure", "wmw", "wmw-c"]).ok();
    assert_eq!(again.stdout.matches("unchanged").count(), 18, "{}", again.stdout);
    let without = env
        .plugin(&["ensure", "wmw", "wmw-c", "--with-kube", "false"])
        .ok();
    assert_eq!(
        without.stdout.matches("deleted").count(),
        16,
        "{}",
        without.stdout
    );
    assert!(
        without
            .stdout
            .contains("apibinding.apis.kcp.io \"bind-kubernetes\" deleted")
    );
    env.plugin(&["ensure", "wmw", "wmw-c", "--with-kube", "maybe"])
        .code(2);
}

#[test]
fn ensure_wmw_refuses_before_making_a_workspace_when_an_export_is_missing() {
    let env = Env::new();
    // The edge API but not init espw: root:compute lacks KubeStellar's exports.
    env.edge_api();
    let run = env.plugin(&["ensure", "wmw", "wmw-x"]).code(1);
    let line = run.one_error_line();
    assert!(
        line.contains("nothing was made") && line.contains("--with-kube false"),
        "{line}"
    );
    assert!(
        env.kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "wmw-x")
            .is_none()
    );
    // Without the kube APIs it needs only the edge export.
    env.plugin(&["ensure", "wmw", "wmw-x", "--with-kube", "false"])
        .ok();
}

/// `prep-for-cluster` is `ensure location` then `prep-for-syncer`: without a mailbox it makes
/// the pair and then says, within its timeout, what it waited for; once `mailbox sync` has
/// made the mailbox, a second run keeps the pair and writes the syncer's YAML.
#[test]
fn prep_for_cluster_makes_the_location_then_the_syncer_once_the_mailbox_exists() {
    let env = Env::new();
    env.edge_api();
    env.kcp().create_workspace("root", "imw1").expect("imw");
    let args = [
        "prep-for-cluster",
        "--imw",
        "root:imw1",
        "--espw",
        "root:espw",
        "florin",
        "env=prod",
        "-o",
        "florin-syncer.yaml",
        "--timeout",
        "2s",
    ];
    let run = env.plugin(&args).code(1);
    assert!(
        run.stdout
            .contains("synctarget.edge.kubestellar.io/florin created"),
        "{}",
        run.stdout
    );
    let error = run.stderr.lines().last().unwrap_or_default();
    assert!(
        error.starts_with("error: timed out waiting for workspace") && error.contains("mailbox"),
        "{}",
        run.stderr
    );
    assert!(env.kcp().get("root:imw1", EDGE, "locations", "florin").is_some());
    assert!(!env.dir.path().join("florin-syncer.yaml").exists());

    env.plugin(&["mailbox", "sync"]).ok();
    let mut args = args.to_vec();
    let last = args.len() - 1;
    args[last] = "60s";
    let run = env.plugin(&args).ok();
    assert!(run.stdout.contains("unchanged"), "{}", run.stdout);
    let yaml = std::fs::read_to_string(env.dir.path().join("florin-syncer.yaml")).expect("the YAML");
    assert!(yaml.contains("kind: Deployment"), "{yaml}");
}

#[test]
fn remove_wmw_refuses_a_workspace_that_provides_exports_unless_forced() {
    let env = Env::new();
    env.edge_api();
    env.kcp().create_workspace("root", "exporter").expect("workspace");
    env.kcp()
        .create(
            "root:exporter",
            json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": "widgets"}, "spec": {}}),
        )
        .expect("export");
    let run = env.plugin(&["remove", "wmw", "exporter"]).code(2);
    let line = run.one_error_line();
    assert!(
        line.contains("root:exporter provides 1 APIExport(s)") && line.contains("--force"),
        "{line}"
    );
    assert!(
        env.kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "exporter")
            .is_some()
    );
    // kcp's root:compute, where there is one, likewise.
    if env
        .kcp()
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "compute")
        .is_some()
    {
        env.plugin(&["remove", "wmw", "compute"]).code(2);
    }
    env.plugin(&["remove", "wmw", "exporter", "--force"]).ok();
}

#[test]
fn after_removing_the_workspace_the_kubeconfig_points_into_the_hint_does_not_send_the_user_there() {
    let env = Env::new();
    env.kcp().create_workspace("root", "wmw1").expect("workspace");
    // As after `kubectl ws root:wmw1`.
    let server = format!("{}/clusters/root:wmw1", env.url());
    env.kubectl(&["config", "set-cluster", "root", "--server", &server])
        .ok();
    let removed = env.plugin(&["remove", "wmw", "wmw1"]).ok();
    assert_eq!(removed.stdout, "workspace \"wmw1\" deleted\n");
    let again = env.plugin(&["remove", "wmw", "wmw1"]).ok();
    assert!(again.stderr.contains("not found in root"), "{}", again.stderr);
    assert!(!again.stderr.contains("--parent root:wmw1"), "{}", again.stderr);
    assert!(again.stderr.contains("does not exist"), "{}", again.stderr);
}

/// `2>&1 | head -1`: the reader goes away after one line, and the command's logs and notes
/// meet a closed stderr (and its output a closed stdout). It ends quietly, never in a panic.
#[test]
fn a_closed_stderr_ends_the_command_cleanly() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    for i in 0..5 {
        env.sync_target("imw1", &format!("st{i}"));
    }
    for cmd in [
        "kubectl kubestellar mailbox list -vv",
        "kubectl kubestellar mailbox sync -vv",
        "kubectl kubestellar ensure location --imw root:imw1 florin env=prod -X",
    ] {
        let script = format!("{cmd} 2>&1 | head -1 >/dev/null; echo \"exit ${{PIPESTATUS[0]}}\"");
        let run = crate::common::Run::from(env.command("bash").args(["-c", &script]).output().expect("bash"));
        assert_eq!(run.stdout.trim(), "exit 0", "{cmd}:\n{}", run.stderr);
    }
    // Only stderr closed: the command still does its work and says what it did on stdout.
    let run = crate::common::Run::from(
        env.command("bash")
            .args([
                "-c",
                "kubectl kubestellar mailbox list -vv 2>&-; echo \"exit $?\"",
            ])
            .output()
            .expect("bash"),
    );
    assert!(run.stdout.trim_end().ends_with("exit 0"), "{}", run.stdout);
    assert!(run.stdout.contains("-mb-"), "{}", run.stdout);
}
