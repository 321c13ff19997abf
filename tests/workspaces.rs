//! `init espw` and `remove wmw`, end to end, with the real kubectl doing what a tutorial does.

mod common;

use common::{Env, Run, WAIT, mailbox, wait_for};
use serde_json::json;
use std::io::Write;
use std::process::Stdio;

fn workspace(name: &str) -> serde_json::Value {
    json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": name}})
}

#[test]
fn init_espw_sets_up_the_edge_api_once_and_the_tutorial_flow_works_on_it() {
    let env = Env::new();
    let first = env.plugin(&["init", "espw"]).ok();
    assert_eq!(
        first.stdout.matches("created").count(),
        9,
        "workspace, 7 schemas, export:\n{}",
        first.stdout
    );
    let again = env.plugin(&["init", "espw"]).ok();
    assert_eq!(again.stdout.matches("unchanged").count(), 9, "{}", again.stdout);
    assert!(again.stdout.contains("nothing to change"), "{}", again.stdout);

    // An IMW binds the export and holds a SyncTarget, all with kubectl.
    env.kubectl_create("root", &workspace("imw1")).ok();
    env.kubectl(&[
        "wait",
        "--for=jsonpath={.status.phase}=Ready",
        "workspace/imw1",
        "--timeout=20s",
    ])
    .ok();
    env.kubectl_create(
        "root:imw1",
        &json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-espw"},
        "spec": {"reference": {"export": {"path": "root:espw", "name": "edge.kubestellar.io"}}}}),
    )
    .ok();
    env.kubectl_in(
        "root:imw1",
        &[
            "wait",
            "--for=jsonpath={.status.phase}=Bound",
            "apibinding/bind-espw",
            "--timeout=20s",
        ],
    )
    .ok();
    env.kubectl_create("root:imw1", &json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": "guilder"}, "spec": {}}))
        .ok();
    let view = env
        .kubectl_in(
            "root:espw",
            &[
                "get",
                "apiexport",
                "edge.kubestellar.io",
                "-o",
                "jsonpath={.status.virtualWorkspaces[0].url}",
            ],
        )
        .ok();
    let listed = env
        .kubectl(&[
            "--server",
            &format!("{}/clusters/*", view.stdout),
            "get",
            "synctargets",
            "-o",
            "name",
        ])
        .ok();
    assert_eq!(listed.stdout.trim(), "synctarget.edge.kubestellar.io/guilder");
    let st = env
        .kcp()
        .get(
            "root:imw1",
            "edge.kubestellar.io/v2alpha1",
            "synctargets",
            "guilder",
        )
        .unwrap();
    assert_eq!(
        st["spec"]["supportedAPIExports"],
        json!([{"export": "kubernetes"}]),
        "the generated schema's defaults apply"
    );

    env.plugin(&["mailbox", "sync"]).ok();
    let mb = mailbox(
        st["metadata"]["annotations"]["kcp.io/cluster"].as_str().unwrap(),
        st["metadata"]["uid"].as_str().unwrap(),
    );
    assert!(env.bound(&mb), "mailbox sync made {mb} on top of init espw");
}

#[test]
fn init_espw_updates_an_old_export_and_leaves_the_rest_of_the_espw_alone() {
    let env = Env::new();
    env.kcp().create_workspace("root", "espw").unwrap();
    // KubeStellar v0.14's own export and schemas, as its init applied them.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edge-api-v0.14");
    env.kubectl_in("root:espw", &["create", "-f", dir.to_str().unwrap()])
        .ok();
    env.kubectl_create("root:espw", &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "mine", "namespace": "default"}, "data": {"k": "v"}}))
        .ok();

    let out = env.plugin(&["init", "espw"]).ok();
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("APIExport") && l.ends_with("updated")),
        "{}",
        out.stdout
    );
    let export = env
        .kcp()
        .get(
            "root:espw",
            "apis.kcp.io/v1alpha1",
            "apiexports",
            "edge.kubestellar.io",
        )
        .unwrap();
    let listed: Vec<&str> = export["spec"]["latestResourceSchemas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let generated: Vec<String> = kubectl_kubestellar::edge_api::resource_schemas()
        .iter()
        .map(|s| s["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed.len(), 7);
    assert!(generated.iter().all(|g| listed.contains(&g.as_str())));
    let schemas = env
        .kcp()
        .list("root:espw", "apis.kcp.io/v1alpha1", "apiresourceschemas");
    assert_eq!(
        schemas.len(),
        14,
        "KubeStellar's schemas are left alone beside the new ones"
    );
    assert!(
        env.kcp().get("root:espw", "v1", "configmaps", "mine").is_none(),
        "namespaced: not found by this helper"
    );
    assert_eq!(
        env.kubectl_in(
            "root:espw",
            &[
                "get",
                "configmap",
                "mine",
                "-n",
                "default",
                "-o",
                "jsonpath={.data.k}"
            ]
        )
        .ok()
        .stdout,
        "v"
    );
}

#[test]
fn init_espw_refuses_a_schema_that_squats_on_its_name() {
    let env = Env::new();
    env.kcp().create_workspace("root", "espw").unwrap();
    let mut squatter = kubectl_kubestellar::edge_api::resource_schemas().remove(0);
    squatter["spec"]["names"]["shortNames"] = json!(["sq"]);
    let name = squatter["metadata"]["name"].as_str().unwrap().to_string();
    env.kcp().create("root:espw", squatter).unwrap();
    let out = env.plugin(&["init", "espw"]).code(1);
    let line = out.one_error_line();
    assert!(
        line.contains(&format!(
            "APIResourceSchema {name} in root:espw exists with a different definition"
        )),
        "{line}"
    );
    assert!(
        env.kcp()
            .get(
                "root:espw",
                "apis.kcp.io/v1alpha1",
                "apiexports",
                "edge.kubestellar.io"
            )
            .is_none(),
        "stopped before the export"
    );
}

#[test]
fn remove_wmw_deletes_waits_and_reports_what_it_will_not_do() {
    let env = Env::new();
    let kubeconfig_before = std::fs::read_to_string(&env.kubeconfig).unwrap();
    env.edge_api();
    env.imw("imw1");
    let (c, u) = env.sync_target("imw1", "guilder");
    env.plugin(&["mailbox", "sync"]).ok();
    for w in ["wmw1", "wmw2", "wmw3"] {
        env.kcp().create_workspace("root", w).unwrap();
    }

    let out = env.plugin(&["remove", "wmw", "wmw1", "nope"]).ok();
    assert_eq!(out.stdout, "workspace \"wmw1\" deleted\n");
    assert!(
        out.stderr
            .contains("workspace \"nope\" not found in root; nothing to delete"),
        "{}",
        out.stderr
    );
    assert!(
        env.kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "wmw1")
            .is_none(),
        "gone once the command returns"
    );

    for (target, why) in [
        ("espw", "is the edge service provider workspace"),
        (mailbox(&c, &u).as_str(), "is a mailbox workspace"),
        ("imw1", "holds 1 SyncTarget(s)"),
    ] {
        let out = env.plugin(&["remove", "wmw", target]).code(2);
        assert!(out.one_error_line().contains(why), "{target}: {}", out.stderr);
        assert!(
            env.kcp()
                .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", target)
                .is_some(),
            "{target} was deleted"
        );
    }

    let deletes = || (!env.is_real()).then(|| env.sim().requests().count("delete", None));
    let deletes_before = deletes();
    let bad = env.plugin(&["remove", "wmw", "wmw2", "Not_A_Name"]).code(2);
    assert!(
        bad.one_error_line()
            .contains("\"Not_A_Name\" is not a valid workspace name")
    );
    assert_eq!(
        deletes(),
        deletes_before,
        "invalid names are refused before any request"
    );
    assert!(
        env.kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "wmw2")
            .is_some_and(|w| w["metadata"].get("deletionTimestamp").is_none()),
        "wmw2, named before the invalid name, was not deleted"
    );

    let nowait = env.plugin(&["remove", "wmw", "wmw2", "--wait=false"]).ok();
    assert_eq!(nowait.stdout, "workspace \"wmw2\" is being deleted\n");
    let forced = env.plugin(&["remove", "wmw", "imw1", "wmw3", "--force"]).ok();
    assert!(
        forced.stdout.contains("workspace \"imw1\" deleted")
            && forced.stdout.contains("workspace \"wmw3\" deleted"),
        "{}",
        forced.stdout
    );
    assert!(wait_for(env.kcp(), WAIT, |s| {
        s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "wmw2")
            .is_none()
    }));
    // The kubeconfig is read, never written.
    let kc = std::fs::read_to_string(&env.kubeconfig).unwrap();
    assert_eq!(kc, kubeconfig_before);
}

/// Run the plugin in a pseudo-terminal (util-linux `script`), typing `keys`.
fn in_terminal(env: &Env, command: &str, keys: &str) -> Run {
    let mut child = env
        .command("script")
        .args(["-qec", command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run script");
    child.stdin.take().unwrap().write_all(keys.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    }
}

#[test]
fn on_a_terminal_remove_wmw_asks_first() {
    let env = Env::new();
    env.kcp().create_workspace("root", "wmw1").unwrap();
    let no = in_terminal(&env, "kubectl kubestellar remove wmw wmw1", "n\n");
    assert!(
        no.stdout
            .contains("Delete workspace(s) root:wmw1 and everything in them?"),
        "{}",
        no.stdout
    );
    assert!(no.stdout.contains("Nothing was deleted."), "{}", no.stdout);
    assert_eq!(no.code, 0);
    assert!(
        env.kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "wmw1")
            .is_some()
    );
    let yes = in_terminal(&env, "kubectl kubestellar remove wmw wmw1", "y\n");
    assert!(
        yes.stdout.contains("workspace \"wmw1\" deleted"),
        "{}",
        yes.stdout
    );
    assert!(
        env.kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "wmw1")
            .is_none()
    );
}
