//! `init espw` and `remove wmw`, end to end, with the real kubectl doing what a tutorial does.

mod common;

use common::{Env, Run, WAIT, mailbox};
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
        .sim
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
    env.sim.create_workspace("root", "espw").unwrap();
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
        .sim
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
        .sim
        .list("root:espw", "apis.kcp.io/v1alpha1", "apiresourceschemas");
    assert_eq!(
        schemas.len(),
        14,
        "KubeStellar's schemas are left alone beside the new ones"
    );
    assert!(
        env.sim.get("root:espw", "v1", "configmaps", "mine").is_none(),
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
    env.sim.create_workspace("root", "espw").unwrap();
    let mut squatter = kubectl_kubestellar::edge_api::resource_schemas().remove(0);
    squatter["spec"]["names"]["shortNames"] = json!(["sq"]);
    let name = squatter["metadata"]["name"].as_str().unwrap().to_string();
    env.sim.create("root:espw", squatter).unwrap();
    let out = env.plugin(&["init", "espw"]).code(1);
    let line = out.one_error_line();
    assert!(
        line.contains(&format!(
            "APIResourceSchema {name} in root:espw exists with a different definition"
        )),
        "{line}"
    );
    assert!(
        env.sim
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
    env.edge_api();
    env.imw("imw1");
    let (c, u) = env.sync_target("imw1", "guilder");
    env.plugin(&["mailbox", "sync"]).ok();
    for w in ["wmw1", "wmw2", "wmw3"] {
        env.sim.create_workspace("root", w).unwrap();
    }

    let out = env.plugin(&["remove", "wmw", "wmw1", "nope"]).ok();
    assert_eq!(out.stdout, "workspace \"wmw1\" deleted\n");
    assert!(
        out.stderr
            .contains("workspace \"nope\" not found in root (use --parent to choose another parent workspace); nothing to delete"),
        "{}",
        out.stderr
    );
    assert!(
        env.sim
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
            env.sim
                .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", target)
                .is_some(),
            "{target} was deleted"
        );
    }

    env.sim.reset_requests();
    let bad = env.plugin(&["remove", "wmw", "wmw2", "Not_A_Name"]).code(2);
    assert!(
        bad.one_error_line()
            .contains("\"Not_A_Name\" is not a valid workspace name")
    );
    assert_eq!(
        env.sim.requests().count("delete", None),
        0,
        "invalid names are refused before any request"
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
    assert!(env.sim.wait_for(WAIT, |s| {
        s.get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "wmw2")
            .is_none()
    }));
    // The kubeconfig is read, never written.
    let kc = std::fs::read_to_string(&env.kubeconfig).unwrap();
    assert_eq!(kc, env.sim.kubeconfig());
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
fn remove_wmw_asks_only_with_interactive() {
    let env = Env::new();
    for w in ["wmw1", "wmw2"] {
        env.sim.create_workspace("root", w).unwrap();
    }
    let gone = |w: &str| {
        env.sim
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", w)
            .is_none()
    };

    // On a terminal, as kubectl delete: no question, so a pasted next line stays a command.
    let pasted = in_terminal(
        &env,
        "kubectl kubestellar remove wmw wmw1; read -r next; echo \"next: $next\"",
        "echo still here\n",
    );
    assert!(
        pasted.stdout.contains("workspace \"wmw1\" deleted")
            && pasted.stdout.contains("next: echo still here"),
        "{}",
        pasted.stdout
    );
    assert!(gone("wmw1"));

    let no = in_terminal(&env, "kubectl kubestellar remove wmw -i wmw2", "n\n");
    assert!(
        no.stdout
            .contains("Delete workspace(s) root:wmw2 and everything in them?"),
        "{}",
        no.stdout
    );
    assert!(no.stdout.contains("Nothing was deleted."), "{}", no.stdout);
    assert_eq!(no.code, 0);
    assert!(!gone("wmw2"));
    let yes = in_terminal(&env, "kubectl kubestellar remove wmw --interactive wmw2", "y\n");
    assert!(
        yes.stdout.contains("workspace \"wmw2\" deleted"),
        "{}",
        yes.stdout
    );
    assert!(gone("wmw2"));

    // Asked to ask, with no terminal to ask on: nothing is deleted.
    env.sim.create_workspace("root", "wmw3").unwrap();
    let piped = env.plugin(&["remove", "wmw", "-i", "wmw3"]).code(2);
    assert!(
        piped.one_error_line().contains("--interactive needs a terminal"),
        "{}",
        piped.stderr
    );
    assert!(!gone("wmw3"));
}

#[test]
fn remove_wmw_says_where_it_looked_and_where_else_to_look() {
    let env = Env::new();
    env.sim.create_workspace("root", "my-org").unwrap();
    env.sim.create_workspace("root:my-org", "wmw1").unwrap();
    // As after KubeStellar's `kubectl ws root:my-org`: the context's server is in my-org.
    let kubeconfig = env.dir.path().join("in-my-org.kubeconfig");
    let root = format!("{}/clusters/root\n", env.url());
    let text = env.sim.kubeconfig();
    assert!(text.contains(&root));
    std::fs::write(
        &kubeconfig,
        text.replace(&root, &format!("{}/clusters/root:my-org\n", env.url())),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let o = env
            .command("kubectl")
            .env("KUBECONFIG", &kubeconfig)
            .arg("kubestellar")
            .args(args)
            .output()
            .unwrap();
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into(),
            stderr: String::from_utf8_lossy(&o.stderr).into(),
        }
    };
    let missed = run(&["remove", "wmw", "wmw1"]).ok();
    assert_eq!(
        missed.stderr.trim(),
        "workspace \"wmw1\" not found in root (the kubeconfig's server is in root:my-org: use --parent root:my-org to look there); nothing to delete"
    );
    let found = run(&["remove", "wmw", "--parent", "root:my-org", "wmw1"]).ok();
    assert_eq!(found.stdout, "workspace \"wmw1\" deleted\n");

    // A parent that does not exist: kcp's 403, said as what it means.
    let nope = env
        .plugin(&["remove", "wmw", "--parent", "root:nope", "wmw1"])
        .code(2);
    assert_eq!(
        nope.one_error_line(),
        "error: the parent workspace root:nope does not exist (or is not Ready); nothing was deleted; pass --parent with the path of an existing workspace, e.g. --parent root"
    );
}
