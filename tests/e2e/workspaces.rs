//! `init espw` and `remove wmw`, end to end, with the real kubectl doing what a tutorial does.

use crate::common;

use crate::common::{Env, Run, WAIT, mailbox, wait_for};
use serde_json::{Value, json};
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
    // kcp v0.28 and later publish no view before something binds the export: init espw
    // does not wait for one.
    let ready = if env.newest() {
        "root:espw is set up; the edge.kubestellar.io API is ready, and its view appears when the first workspace binds it."
    } else {
        "root:espw is set up; the edge.kubestellar.io export is ready."
    };
    assert!(first.stdout.contains(ready), "{}", first.stdout);
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
    let view = env.edge_view_url();
    let listed = env
        .kubectl(&[
            "--server",
            &format!("{view}/clusters/*"),
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

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/edge-api-v0.14");
const EXPORTS: &str = "apis.kcp.io/v1alpha1";

/// `root:espw` as KubeStellar v0.14's `kubectl apply -f config/exports` leaves it: its 7
/// schemas (`edit` may change them first) and its export, which is then ready.
fn kubestellar_espw(env: &Env, edit: impl FnOnce(&mut Vec<Value>)) {
    env.kcp().create_workspace("root", "espw").unwrap();
    let mut files: Vec<_> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut objects: Vec<Value> = files
        .iter()
        .map(|f| serde_saphyr::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
        .collect();
    edit(&mut objects);
    // Schemas before the export, as apply's alphabetical order of these files has it.
    objects.sort_by_key(|o| o["kind"] != "APIResourceSchema");
    for mut object in objects {
        let applied = serde_json::to_string(&object).unwrap();
        object["metadata"]["annotations"] =
            json!({"kubectl.kubernetes.io/last-applied-configuration": applied});
        env.kcp().create("root:espw", object).unwrap();
    }
    let ready = wait_for(env.kcp(), WAIT, common::edge_export_ready);
    assert!(ready, "KubeStellar's export did not become ready");
}

fn schema_names(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = env
        .kcp()
        .list("root:espw", EXPORTS, "apiresourceschemas")
        .iter()
        .map(|s| s["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

fn export(env: &Env) -> Value {
    env.kcp()
        .get("root:espw", EXPORTS, "apiexports", "edge.kubestellar.io")
        .unwrap()
}

fn listed(export: &Value) -> Vec<String> {
    let mut names: Vec<String> =
        serde_json::from_value(export["spec"]["latestResourceSchemas"].clone()).unwrap();
    names.sort();
    names
}

/// The row of `init espw`'s table for this kind and resource (or name).
fn row<'a>(stdout: &'a str, kind: &str, name_part: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(&format!("{kind} ")) && l.contains(name_part))
        .unwrap_or_else(|| panic!("no {kind} row for {name_part}:\n{stdout}"))
}

#[test]
fn init_espw_keeps_kubestellars_own_equivalent_api_untouched() {
    let env = Env::new();
    kubestellar_espw(&env, |_| {});
    env.kubectl_create("root:espw", &json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "mine", "namespace": "default"}, "data": {"k": "v"}}))
        .ok();
    env.imw("imw1");
    env.sync_target("imw1", "before");
    let (schemas_before, export_before) = (schema_names(&env), export(&env));
    assert_eq!(schemas_before.len(), 7);

    for args in [&["init", "espw", "--dry-run"][..], &["init", "espw"]] {
        let out = env.plugin(args).ok();
        let rows: Vec<&str> = out.stdout.lines().skip(1).take_while(|l| !l.is_empty()).collect();
        assert_eq!(rows.len(), 9, "{}", out.stdout);
        assert!(
            rows.iter().all(|r| r.ends_with("unchanged")),
            "{args:?}:\n{}",
            out.stdout
        );
        // The fixture made only KubeStellar's ESPW, not what its init adds to root:compute:
        // that is what changes (on a server that has a root:compute).
        if env
            .kcp()
            .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "compute")
            .is_some()
        {
            assert!(
                out.stdout
                    .contains("root:compute holds KubeStellar's Kubernetes API exports"),
                "{}",
                out.stdout
            );
        } else {
            assert!(out.stdout.contains("nothing to change"), "{}", out.stdout);
        }
        // The rows name KubeStellar's schemas, the ones the export serves.
        assert!(
            row(&out.stdout, "APIResourceSchema", ".synctargets.").contains("v231020-4e62eaf7"),
            "{}",
            out.stdout
        );
    }
    assert_eq!(schema_names(&env), schemas_before, "no new schema objects");
    let export_after = export(&env);
    assert_eq!(
        export_after["metadata"]["resourceVersion"], export_before["metadata"]["resourceVersion"],
        "the export was not written"
    );
    assert_eq!(listed(&export_after), listed(&export_before));

    // The IMW bound before still serves SyncTargets; the rest of the ESPW is left alone.
    env.sync_target("imw1", "after");
    assert!(
        env.kcp()
            .get(
                "root:imw1",
                "edge.kubestellar.io/v2alpha1",
                "synctargets",
                "after"
            )
            .is_some()
    );
    let data = env
        .kubectl_in(
            "root:espw",
            &[
                "get",
                "configmap",
                "mine",
                "-n",
                "default",
                "-o",
                "jsonpath={.data.k}",
            ],
        )
        .ok();
    assert_eq!(data.stdout, "v");
}

#[test]
fn init_espw_replaces_a_kubestellar_schema_that_really_differs_and_bindings_follow() {
    let env = Env::new();
    // KubeStellar's SyncTarget schema without `spec.unschedulable`: a real difference.
    kubestellar_espw(&env, |objects| {
        let st = objects
            .iter_mut()
            .find(|o| o["spec"]["names"]["plural"] == "synctargets")
            .unwrap();
        let spec = st
            .pointer_mut("/spec/versions/0/schema/properties/spec/properties")
            .and_then(Value::as_object_mut)
            .unwrap();
        assert!(spec.remove("unschedulable").is_some());
    });
    env.imw("imw1");
    let (schemas_before, export_before) = (schema_names(&env), export(&env));
    let ours = kubectl_kubestellar::edge_api::resource_schemas()
        .into_iter()
        .map(|s| s["metadata"]["name"].as_str().unwrap().to_string())
        .find(|n| n.ends_with(".synctargets.edge.kubestellar.io"))
        .unwrap();

    let dry = env.plugin(&["init", "espw", "--dry-run"]).ok();
    assert!(
        row(&dry.stdout, "APIResourceSchema", &ours).ends_with("would create"),
        "{}",
        dry.stdout
    );
    assert!(
        row(&dry.stdout, "APIExport", "edge.kubestellar.io").ends_with("would update"),
        "{}",
        dry.stdout
    );
    assert_eq!(
        dry.stdout.matches("unchanged").count(),
        7,
        "the workspace and 6 equivalent schemas:\n{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains(
            "replaces v231020-4e62eaf7.synctargets.edge.kubestellar.io: synctargets.edge.kubestellar.io schema .spec.unschedulable: ours only"
        ),
        "the reason is shown first:\n{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("Dry run: nothing was changed."),
        "{}",
        dry.stdout
    );
    assert_eq!(schema_names(&env), schemas_before);
    assert_eq!(
        export(&env)["metadata"]["resourceVersion"],
        export_before["metadata"]["resourceVersion"]
    );

    let run = env.plugin(&["init", "espw"]).ok();
    assert!(
        row(&run.stdout, "APIResourceSchema", &ours).ends_with("created"),
        "{}",
        run.stdout
    );
    assert!(
        row(&run.stdout, "APIExport", "edge.kubestellar.io").ends_with("updated"),
        "{}",
        run.stdout
    );
    let mut wanted: Vec<String> = listed(&export_before)
        .into_iter()
        .filter(|n| !n.ends_with(".synctargets.edge.kubestellar.io"))
        .chain([ours.clone()])
        .collect();
    wanted.sort();
    assert_eq!(listed(&export(&env)), wanted, "only the SyncTarget schema moves");
    assert_eq!(
        schema_names(&env).len(),
        8,
        "KubeStellar's schemas are left alone"
    );

    // The IMW's binding follows the export and serves SyncTargets with the new field.
    let moved = wait_for(env.kcp(), WAIT, |s| {
        s.get("root:imw1", EXPORTS, "apibindings", "bind-espw")
            .is_some_and(|b| b["status"]["boundResources"].to_string().contains(&ours))
    });
    assert!(moved, "the binding did not move to {ours}");
    // kcp serves the new schema a moment after the binding's status names it (its bound CRD
    // must be established first), so create until a SyncTarget keeps the new field.
    let served = wait_for(env.kcp(), WAIT, |s| {
        let _ = s.delete(
            "root:imw1",
            "edge.kubestellar.io/v2alpha1",
            "synctargets",
            "cordoned",
        );
        s.create(
            "root:imw1",
            json!({"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget", "metadata": {"name": "cordoned"}, "spec": {"unschedulable": true}}),
        )
        .is_ok_and(|st| st["spec"]["unschedulable"] == json!(true))
    });
    assert!(
        served,
        "SyncTargets in root:imw1 are not served with the new schema"
    );

    let again = env.plugin(&["init", "espw"]).ok();
    assert!(again.stdout.contains("nothing to change"), "{}", again.stdout);
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
            .contains("workspace \"nope\" not found in root (use --parent to choose another parent workspace); nothing to delete"),
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
fn remove_wmw_asks_only_with_interactive() {
    let env = Env::new();
    for w in ["wmw1", "wmw2"] {
        env.kcp().create_workspace("root", w).unwrap();
    }
    let gone = |w: &str| {
        env.kcp()
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
    env.kcp().create_workspace("root", "wmw3").unwrap();
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
    env.kcp().create_workspace("root", "my-org").unwrap();
    env.kcp().create_workspace("root:my-org", "wmw1").unwrap();
    // As after KubeStellar's `kubectl ws root:my-org`: the context's server is in my-org.
    let kubeconfig = env.dir.path().join("in-my-org.kubeconfig");
    let root = format!("{}/clusters/root\n", env.url());
    let text = std::fs::read_to_string(&env.kubeconfig).unwrap();
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
