//! `prep-for-syncer`, end to end, and KubeStellar's own `syncer-gen` as its oracle: on the same
//! server, syncer-gen makes one SyncTarget's syncer identity in its mailbox (as KubeStellar's
//! `prep-for-syncer` script runs it, from a kubeconfig pointed into the mailbox) and the plugin
//! another's; the objects they leave and the YAML they write must be the same, field by field,
//! but for UIDs, resourceVersions, timestamps, tokens and generated names.
//!
//! syncer-gen is built from KubeStellar's source by `scripts/go-mailbox-controller.sh`, which
//! prints the directory holding it: set `KUBESTELLAR_GO_PEER` to it (`.ci/run` does). Unset,
//! the oracle test says so and does nothing.

use crate::common::{Env, TempDir, WAIT, skip, wait_for};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;

const GO_PEER: &str = "KUBESTELLAR_GO_PEER";
const IMAGE: &str = "quay.io/kubestellar/syncer:release-0.14";

/// An ESPW, an IMW with SyncTargets `names`, and their mailboxes (by `mailbox sync`); returns
/// each SyncTarget's mailbox path.
fn mailboxes_for(env: &Env, names: &[&str]) -> Vec<String> {
    env.edge_api();
    env.imw("imw1");
    let mut paths = Vec::new();
    for name in names {
        let (cluster, uid) = env.sync_target("imw1", name);
        paths.push(format!("root:{}", crate::common::mailbox(&cluster, &uid)));
    }
    env.plugin(&["mailbox", "sync"]).ok();
    for path in &paths {
        let (parent, name) = path.rsplit_once(':').expect("a child path");
        let ready = wait_for(env.kcp(), WAIT, |s| {
            s.get(parent, "tenancy.kcp.io/v1alpha1", "workspaces", name)
                .is_some_and(|w| w["status"]["phase"] == "Ready")
                && s.get(path, "apis.kcp.io/v1alpha1", "apibindings", "bind-edge")
                    .is_some_and(|b| b["status"]["phase"] == "Bound")
        });
        assert!(ready, "mailbox {path} with a Bound bind-edge");
    }
    paths
}

/// The syncer's objects in a mailbox, as kubectl reads them: the EdgeSyncConfig, and what is
/// named after the syncer (ServiceAccount, ClusterRole, binding, token Secrets).
fn syncer_objects(env: &Env, mailbox: &str, sync_target: &str, syncer_id: &str) -> Vec<Value> {
    let list = env
        .kubectl_in(
            mailbox,
            &[
                "get",
                "edgesyncconfigs.edge.kubestellar.io,serviceaccounts,secrets,clusterroles,clusterrolebindings",
                "-n",
                "default",
                "-o",
                "json",
            ],
        )
        .ok()
        .json();
    let mut items: Vec<Value> = list["items"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|o| {
            let name = o["metadata"]["name"].as_str().unwrap_or_default();
            (o["kind"] == "EdgeSyncConfig" && name == sync_target) || name.starts_with(syncer_id)
        })
        .cloned()
        .collect();
    items.sort_by_key(|o| (o["kind"].to_string(), o["metadata"]["name"].to_string()));
    items
}

/// The syncer ID the objects are named after: the ServiceAccount's name in the YAML.
fn syncer_id_of(manifest: &[Value]) -> String {
    manifest
        .iter()
        .find(|d| d["kind"] == "ServiceAccount")
        .and_then(|d| d["metadata"]["name"].as_str())
        .expect("the YAML has the syncer's ServiceAccount")
        .to_string()
}

fn parse_documents(text: &str) -> Vec<Value> {
    text.split("\n---")
        .map(|d| d.trim_start_matches("---"))
        .filter(|d| !d.trim().is_empty())
        .map(|d| serde_saphyr::from_str::<Value>(d).unwrap_or_else(|e| panic!("a YAML document ({e}): {d}")))
        .collect()
}

/// What is the same for every syncer: names, UIDs, tokens, times and generated suffixes
/// replaced by placeholders.
fn normalized(value: &Value, sync_target: &str, syncer_id: &str) -> Value {
    let text = value.to_string().replace(syncer_id, "<ID>");
    let mut v: Value = serde_json::from_str(&text).expect("JSON");
    scrub(&mut v, sync_target);
    v
}

fn scrub(v: &mut Value, sync_target: &str) {
    match v {
        Value::Object(m) => {
            for key in [
                "uid",
                "resourceVersion",
                "creationTimestamp",
                "generation",
                "managedFields",
                "token",
            ] {
                if m.contains_key(key) {
                    m.insert(key.into(), json!("<scrubbed>"));
                }
            }
            if let Some(a) = m.get_mut("annotations").and_then(Value::as_object_mut) {
                a.remove("kcp.io/cluster");
                if a.contains_key("kubernetes.io/service-account.uid") {
                    a.insert("kubernetes.io/service-account.uid".into(), json!("<scrubbed>"));
                }
            }
            // The token controller's Secret: `<ID>-token-<5 random>`.
            let generated = regex::Regex::new(r"^<ID>-token-[a-z0-9]{5}$").expect("literal regex");
            if m.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| generated.is_match(n))
            {
                m.insert("name".into(), json!("<ID>-token-<random>"));
            }
            for (_, x) in m.iter_mut() {
                scrub(x, sync_target);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| scrub(x, sync_target)),
        Value::String(s) => {
            if s == sync_target {
                *s = "<ST>".into();
            } else if s.starts_with("--sync-target-uid=") {
                *s = "--sync-target-uid=<UID>".into();
            } else if let Some(rest) = s.strip_prefix("--sync-target-name=") {
                if rest == sync_target {
                    *s = "--sync-target-name=<ST>".into();
                }
            } else if s.contains("kind: Config") {
                // The syncer's kubeconfig, a YAML text: compared as data.
                let mut config: Value = serde_saphyr::from_str(s).expect("the syncer's kubeconfig parses");
                scrub(&mut config, sync_target);
                *s = config.to_string();
            }
        }
        _ => {}
    }
}

#[test]
fn prep_for_syncer_makes_the_syncer_identity_once_and_the_edge_yaml() {
    let env = Env::new();
    let mailboxes = mailboxes_for(&env, &["st1"]);
    let mb = &mailboxes[0];
    let out = env
        .plugin(&[
            "prep-for-syncer",
            "st1",
            "--imw",
            "root:imw1",
            "-o",
            "st1-syncer.yaml",
            "--timeout",
            "60s",
        ])
        .ok();
    assert!(out.stdout.contains("created"), "{}", out.stdout);
    let text = std::fs::read_to_string(env.dir.path().join("st1-syncer.yaml")).expect("the YAML was written");
    let docs = parse_documents(&text);
    let kinds: Vec<&str> = docs
        .iter()
        .map(|d| d["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        kinds,
        [
            "Namespace",
            "ServiceAccount",
            "Secret",
            "ClusterRole",
            "ClusterRoleBinding",
            "Secret",
            "Deployment"
        ]
    );
    let id = syncer_id_of(&docs);
    assert!(
        id.starts_with("kubestellar-syncer-st1-") && id.len() == "kubestellar-syncer-st1-".len() + 8,
        "{id}"
    );
    settled(&env, mb, &id);
    let objects = syncer_objects(&env, mb, "st1", &id);
    let kinds: Vec<&str> = objects
        .iter()
        .map(|o| o["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        kinds,
        [
            "ClusterRole",
            "ClusterRoleBinding",
            "EdgeSyncConfig",
            "Secret",
            "ServiceAccount"
        ],
        "{objects:#?}"
    );
    // The token in the YAML is the one kcp put in the ServiceAccount's token Secret.
    let secret = objects
        .iter()
        .find(|o| o["kind"] == "Secret")
        .expect("a token Secret");
    let token =
        String::from_utf8(base64_decode(secret["data"]["token"].as_str().expect("a token"))).expect("UTF-8");
    let config: Value = serde_saphyr::from_str(
        docs[5]["stringData"]["kubeconfig"]
            .as_str()
            .expect("a kubeconfig"),
    )
    .expect("YAML");
    assert_eq!(config["users"][0]["user"]["token"], token.as_str());
    assert_eq!(config["clusters"][0]["cluster"]["server"], env.url());

    // Again: nothing changes (syncer-gen would make a second identity).
    let again = env
        .plugin(&["prep-for-syncer", "st1", "--imw", "root:imw1", "-o", "-", "-s"])
        .ok();
    assert_eq!(parse_documents(&again.stdout), docs, "the same YAML");
    assert_eq!(
        syncer_objects(&env, mb, "st1", &id),
        objects,
        "nothing was written"
    );

    // Bad input: one sentence, exit 2.
    let bad = env
        .plugin(&["prep-for-syncer", "nosuch", "--imw", "root:imw1", "-o", "-"])
        .code(2);
    assert!(
        bad.one_error_line()
            .contains("no SyncTarget \"nosuch\" in root:imw1"),
        "{bad:?}"
    );
}

/// Wait for kcp's label controllers, which annotate the syncer's ClusterRole and binding (they
/// grant on kcp's own APIs) a moment after they are made: a new resourceVersion each.
fn settled(env: &Env, mailbox: &str, syncer_id: &str) {
    for plural in ["clusterroles", "clusterrolebindings"] {
        let labelled = wait_for(env.kcp(), WAIT, |s| {
            s.get(mailbox, "rbac.authorization.k8s.io/v1", plural, syncer_id)
                .is_some_and(|o| o["metadata"]["annotations"]["internal.kcp.io/replicate"].is_string())
        });
        assert!(labelled, "kcp labels the syncer's {plural}");
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("base64")
}

/// syncer-gen, or None after saying why the test skips.
fn syncer_gen() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os(GO_PEER).filter(|v| !v.is_empty()) else {
        skip(&format!(
            "{GO_PEER} is unset: run scripts/go-mailbox-controller.sh and set it to the directory it prints"
        ));
        return None;
    };
    let bin = PathBuf::from(dir).join("kubectl-kubestellar-syncer_gen");
    assert!(
        bin.is_file(),
        "{GO_PEER} has no kubectl-kubestellar-syncer_gen: {}",
        bin.display()
    );
    Some(bin)
}

#[test]
fn the_plugin_makes_what_syncer_gen_makes() {
    let Some(syncer_gen) = syncer_gen() else { return };
    let env = Env::new();
    let mailboxes = mailboxes_for(&env, &["st-go", "st-rs"]);

    // syncer-gen as KubeStellar's prep-for-syncer script runs it: in the mailbox (`kubectl ws`).
    let dir = TempDir::new("syncer-gen");
    let kubeconfig = dir.path().join("mailbox.kubeconfig");
    std::fs::copy(&env.kubeconfig, &kubeconfig).expect("copy the kubeconfig");
    let server = format!("{}/clusters/{}", env.url(), mailboxes[0]);
    let context = env
        .command("kubectl")
        .env("KUBECONFIG", &kubeconfig)
        .args([
            "config",
            "view",
            "--minify",
            "-o",
            "jsonpath={.contexts[0].context.cluster}",
        ])
        .output()
        .expect("kubectl config view");
    let cluster = String::from_utf8_lossy(&context.stdout).to_string();
    let set = env
        .command("kubectl")
        .env("KUBECONFIG", &kubeconfig)
        .args(["config", "set-cluster", &cluster, &format!("--server={server}")])
        .output()
        .expect("kubectl config set-cluster");
    assert!(set.status.success(), "{set:?}");
    let go_yaml = dir.path().join("st-go-syncer.yaml");
    let ran = Command::new(&syncer_gen)
        .env("KUBECONFIG", &kubeconfig)
        .env("HOME", dir.path())
        .args(["st-go", "--syncer-image", IMAGE, "-o"])
        .arg(&go_yaml)
        .output()
        .expect("run syncer-gen");
    assert!(
        ran.status.success(),
        "syncer-gen failed: {}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let go_docs = parse_documents(&std::fs::read_to_string(&go_yaml).expect("syncer-gen's YAML"));

    let ours = env
        .plugin(&["prep-for-syncer", "st-rs", "--imw", "root:imw1", "-o", "-", "-s"])
        .ok();
    let rs_docs = parse_documents(&ours.stdout);

    let (go_id, rs_id) = (syncer_id_of(&go_docs), syncer_id_of(&rs_docs));
    // The same YAML for the edge cluster.
    assert_eq!(go_docs.len(), rs_docs.len());
    for (go, rs) in go_docs.iter().zip(&rs_docs) {
        assert_eq!(
            normalized(rs, "st-rs", &rs_id),
            normalized(go, "st-go", &go_id),
            "a YAML document differs from syncer-gen's"
        );
    }
    // The same objects in the mailbox.
    settled(&env, &mailboxes[0], &go_id);
    settled(&env, &mailboxes[1], &rs_id);
    let go_objects = syncer_objects(&env, &mailboxes[0], "st-go", &go_id);
    let rs_objects = syncer_objects(&env, &mailboxes[1], "st-rs", &rs_id);
    let kinds =
        |objects: &[Value]| -> Vec<String> { objects.iter().map(|o| o["kind"].to_string()).collect() };
    assert_eq!(
        kinds(&go_objects),
        [
            "\"ClusterRole\"",
            "\"ClusterRoleBinding\"",
            "\"EdgeSyncConfig\"",
            "\"Secret\"",
            "\"ServiceAccount\""
        ],
        "what syncer-gen leaves in the mailbox"
    );
    assert_eq!(kinds(&rs_objects), kinds(&go_objects));
    for (go, rs) in go_objects.iter().zip(&rs_objects) {
        assert_eq!(
            normalized(rs, "st-rs", &rs_id),
            normalized(go, "st-go", &go_id),
            "a mailbox object differs from syncer-gen's"
        );
    }
}

#[test]
fn prep_for_syncer_says_what_is_missing() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "lonely");
    let bad = env
        .plugin(&["prep-for-syncer", "Not_A_Name", "--imw", "root:imw1"])
        .code(2);
    assert!(
        bad.one_error_line()
            .contains("\"Not_A_Name\" is not a SyncTarget name"),
        "{bad:?}"
    );
    let bad = env
        .plugin(&[
            "prep-for-syncer",
            "lonely",
            "--imw",
            "root:imw1",
            "--espw",
            "root:imw1",
        ])
        .code(2);
    assert!(
        bad.one_error_line()
            .contains("root:imw1 does not look like the edge service provider workspace"),
        "{bad:?}"
    );
    // No mailbox controller ran: the wait is bounded, and says what to start.
    let waited = env
        .plugin(&[
            "prep-for-syncer",
            "lonely",
            "--imw",
            "root:imw1",
            "--timeout",
            "1s",
        ])
        .code(1);
    // (after the note saying what it waits for)
    let last = waited.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: timed out waiting for workspace root:"),
        "{waited:?}"
    );
    assert!(last.contains("kubectl kubestellar mailbox watch"), "{waited:?}");
    assert!(
        !env.dir.path().join("lonely-syncer.yaml").exists(),
        "no YAML without a syncer identity"
    );
}
