//! The real `kubectl` against the built `kcp-sim` binary: what a person following the docs
//! would type. Each test runs its own simulator process, with `HOME` and `KUBECONFIG` in a
//! fresh directory so kubectl's discovery cache starts empty.

// A scenario reads top to bottom; a test says on stdout why it skips.
#![allow(clippy::too_many_lines, clippy::print_stdout)]

mod multicluster_provider;

use kcp_sim::harness::client as common;

use common::TempDir;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Bound for one kubectl command (they take well under a second here).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

fn kubectl_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KUBECTL") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("kubectl"))
        .find(|p| p.is_file())
}

/// `kcp-sim` running as a child process, and kubectl pointed at it.
struct Sim {
    child: Child,
    kubectl: PathBuf,
    /// `https://127.0.0.1:PORT`
    url: String,
    dir: TempDir,
}

/// The outcome of one kubectl command.
#[derive(Debug)]
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    #[track_caller]
    fn ok(self) -> String {
        assert_eq!(self.code, Some(0), "kubectl failed: {self:?}");
        self.stdout
    }

    #[track_caller]
    fn fails(self) -> String {
        assert_ne!(self.code, Some(0), "kubectl should have failed: {self:?}");
        self.stderr
    }
}

impl Sim {
    /// Start the binary.
    fn start(tag: &str) -> Sim {
        // These tests count root's workspaces: without kcp's root:compute.
        Sim::start_with(tag, &["--no-root-compute"])
    }

    /// Start the binary with more flags.
    fn start_with(tag: &str, flags: &[&str]) -> Sim {
        // No silent skip: a test that cannot run must not pass. (.ci/run installs kubectl.)
        let kubectl = kubectl_binary().expect("kubectl is needed: put it on PATH, or set KUBECTL to it");
        let dir = TempDir::new(tag);
        let kubeconfig = dir.path().join("admin.kubeconfig");
        let mut child = Command::new(env!("CARGO_BIN_EXE_kcp-sim"))
            .args(["--listen", "127.0.0.1:0", "--kubeconfig"])
            .arg(&kubeconfig)
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kcp-sim starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let first = rx.recv_timeout(COMMAND_TIMEOUT).expect("kcp-sim prints its URL");
        let url = first
            .strip_prefix("kcp-sim listening on ")
            .unwrap_or_else(|| panic!("first line: {first}"));
        assert!(
            kubeconfig.is_file(),
            "the kubeconfig is written before the URL is printed"
        );
        Sim {
            child,
            kubectl,
            url: url.to_string(),
            dir,
        }
    }

    fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("admin.kubeconfig")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.kubectl);
        cmd.args(args)
            .env("HOME", self.dir.path())
            .env("KUBECONFIG", self.kubeconfig())
            .env_remove("KUBECACHEDIR")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Run kubectl to completion (bounded).
    fn kubectl(&self, args: &[&str]) -> Ran {
        let child = self.command(args).spawn().expect("kubectl runs");
        let pid = child.id();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        match rx.recv_timeout(COMMAND_TIMEOUT) {
            Ok(out) => {
                let out = out.expect("kubectl output");
                Ran {
                    code: out.status.code(),
                    stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                    stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                }
            }
            Err(_) => {
                // End the kubectl this test started, by its process ID.
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                panic!("kubectl {args:?} did not finish within {COMMAND_TIMEOUT:?}");
            }
        }
    }

    /// kubectl against a workspace path (`--server <base>/clusters/<path>`).
    fn kubectl_in(&self, path: &str, args: &[&str]) -> Ran {
        let server = format!("--server={}/clusters/{path}", self.url);
        let mut all = vec![server.as_str()];
        all.extend_from_slice(args);
        self.kubectl(&all)
    }

    /// Write a manifest into the test directory and return its path.
    fn manifest(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write a manifest");
        path.display().to_string()
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.kubectl(args).ok();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("kubectl {args:?} printed no JSON ({e}): {out}"))
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // The simulator this test started, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

const ESPW: &str = "apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata:\n  name: espw\n";

#[test]
fn get_create_apply_wait_and_delete_workspaces() {
    let sim = Sim::start("kubectl-ws");

    let none = sim.kubectl(&["get", "ws"]);
    assert_eq!((none.code, none.stdout.as_str()), (Some(0), ""), "{none:?}");
    assert!(none.stderr.contains("No resources found"), "{none:?}");

    let espw = sim.manifest("espw.yaml", ESPW);
    assert_eq!(
        sim.kubectl(&["create", "-f", &espw]).ok().trim(),
        "workspace.tenancy.kcp.io/espw created"
    );
    let waited = sim
        .kubectl(&[
            "wait",
            "--for=jsonpath={.status.phase}=Ready",
            "workspace/espw",
            "--timeout=30s",
        ])
        .ok();
    assert_eq!(waited.trim(), "workspace.tenancy.kcp.io/espw condition met");

    // The Table: NAME TYPE REGION PHASE URL AGE (REGION is empty here).
    let table = sim.kubectl(&["get", "ws"]).ok();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["NAME", "TYPE", "REGION", "PHASE", "URL", "AGE"]
    );
    let cells: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(cells.len(), 5, "{table}");
    assert_eq!(cells[..3], ["espw", "organization", "Ready"]);
    let object = sim.json(&["get", "ws", "espw", "-o", "json"]);
    assert_eq!(object["kind"], "Workspace");
    assert_eq!(object["metadata"]["annotations"]["kcp.io/cluster"], "root");
    let id = object["spec"]["cluster"].as_str().expect("spec.cluster");
    assert_eq!(cells[3], format!("{}/clusters/{id}", sim.url));
    assert_eq!(object["spec"]["URL"], cells[3]);
    assert!(
        cells[4].ends_with('s') || cells[4].ends_with('m'),
        "AGE is pre-formatted: {}",
        cells[4]
    );
    let list = sim.json(&["get", "ws", "-o", "json"]);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let path = sim.kubectl(&[
        "get",
        "ws",
        "espw",
        "-o",
        "jsonpath={.spec.type.name}:{.metadata.labels.tenancy\\.kcp\\.io/phase}",
    ]);
    assert_eq!(path.ok(), "organization:Ready");

    // Client-side apply: created, configured, unchanged.
    let wmw1 = "apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata:\n  name: wmw1\n";
    let file = sim.manifest("wmw1.yaml", wmw1);
    assert_eq!(
        sim.kubectl(&["apply", "-f", &file]).ok().trim(),
        "workspace.tenancy.kcp.io/wmw1 created"
    );
    sim.manifest("wmw1.yaml", &format!("{wmw1}  labels:\n    env: prod\n"));
    assert_eq!(
        sim.kubectl(&["apply", "-f", &file]).ok().trim(),
        "workspace.tenancy.kcp.io/wmw1 configured"
    );
    assert_eq!(
        sim.kubectl(&["apply", "-f", &file]).ok().trim(),
        "workspace.tenancy.kcp.io/wmw1 unchanged"
    );
    let labels = sim
        .kubectl(&["get", "ws", "wmw1", "-o", "jsonpath={.metadata.labels.env}"])
        .ok();
    assert_eq!(labels, "prod");

    // Server-side apply creates, then updates.
    let ssa = "apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata:\n  name: ssa\n  labels:\n    v: one\n";
    let file = sim.manifest("ssa.yaml", ssa);
    assert_eq!(
        sim.kubectl(&["apply", "--server-side", "-f", &file]).ok().trim(),
        "workspace.tenancy.kcp.io/ssa serverside-applied"
    );
    sim.manifest("ssa.yaml", &ssa.replace("one", "two"));
    assert_eq!(
        sim.kubectl(&["apply", "--server-side", "-f", &file]).ok().trim(),
        "workspace.tenancy.kcp.io/ssa serverside-applied"
    );
    assert_eq!(
        sim.kubectl(&["get", "ws", "ssa", "-o", "jsonpath={.metadata.labels.v}"])
            .ok(),
        "two"
    );
    // Strict server-side validation reaches kubectl's user.
    let typo = sim.manifest(
        "typo.yaml",
        "apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata:\n  name: typo\nspec:\n  tyep: {}\n",
    );
    let err = sim.kubectl(&["create", "-f", &typo]).fails();
    assert!(err.contains("unknown field \"spec.tyep\""), "{err}");
    // A duplicate create is AlreadyExists.
    assert!(
        sim.kubectl(&["create", "-f", &espw])
            .fails()
            .contains("AlreadyExists")
    );

    // Delete waits until the finalizer is gone: right after it returns, the workspace is gone.
    let deleted = sim.kubectl(&["delete", "workspace", "espw"]).ok();
    assert_eq!(deleted.trim(), "workspace.tenancy.kcp.io \"espw\" deleted");
    let gone = sim.kubectl(&["get", "ws", "espw"]).fails();
    assert!(gone.contains("NotFound"), "{gone}");
    let missing = sim.kubectl(&["delete", "workspace", "espw"]).fails();
    assert!(missing.contains("NotFound"), "{missing}");
    // Into a path that does not exist: forbidden.
    assert!(
        sim.kubectl_in("root:espw", &["get", "ns"])
            .fails()
            .contains("Forbidden")
    );
}

#[test]
fn get_watch_prints_later_events() {
    let sim = Sim::start("kubectl-watch");
    let first = sim.manifest("first.yaml", &ESPW.replace("espw", "first"));
    sim.kubectl(&["create", "-f", &first]).ok();

    let mut watcher = sim
        .command(&["get", "ws", "-o", "json", "-w"])
        .spawn()
        .expect("kubectl get -w runs");
    let stdout = watcher.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for doc in serde_json::Deserializer::from_reader(stdout).into_iter::<Value>() {
            match doc {
                Ok(v) => {
                    if tx.send(v).is_err() {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
    });
    let next = |what: &str| {
        rx.recv_timeout(COMMAND_TIMEOUT)
            .unwrap_or_else(|_| panic!("kubectl printed no {what}"))
    };
    // First the list ...
    let listed = next("list item");
    assert_eq!(listed["metadata"]["name"], "first");
    // ... then what happens later: the new workspace from Scheduling to Ready, and its deletion.
    let watched = sim.manifest("watched.yaml", &ESPW.replace("espw", "watched"));
    sim.kubectl(&["create", "-f", &watched]).ok();
    let mut phases = Vec::new();
    loop {
        let doc = next("event");
        if doc["metadata"]["name"] != "watched" {
            continue;
        }
        let phase = doc["status"]["phase"].as_str().unwrap_or_default().to_string();
        if phases.last() != Some(&phase) {
            phases.push(phase.clone());
        }
        if phase == "Ready" {
            break;
        }
    }
    assert_eq!(phases, ["Scheduling", "Initializing", "Ready"]);
    sim.kubectl(&["delete", "ws", "watched"]).ok();
    let deleting = loop {
        let doc = next("deletion event");
        if doc["metadata"]["name"] == "watched" && doc["metadata"]["deletionTimestamp"].is_string() {
            break doc;
        }
    };
    assert_eq!(deleting["metadata"]["labels"]["tenancy.kcp.io/phase"], "Deleting");
    // The stream stays open (kubectl would exit on its end).
    assert!(
        watcher.try_wait().expect("status").is_none(),
        "kubectl get -w exited"
    );
    // End the kubectl this test started, by its handle.
    let _ = watcher.kill();
    let _ = watcher.wait();
}

/// The KubeStellar quickstart's kcp part, with kubectl alone: an edge service provider
/// workspace exporting the edge API, an inventory workspace binding it, and a SyncTarget seen
/// through the export's view.
#[test]
fn the_docs_tutorial_with_kubectl_alone() {
    let sim = Sim::start("kubectl-tutorial");

    for ws in ["espw", "imw1"] {
        let file = sim.manifest(&format!("{ws}.yaml"), &ESPW.replace("espw", ws));
        sim.kubectl(&["create", "-f", &file]).ok();
        let ready = sim.kubectl(&[
            "wait",
            "--for=jsonpath={.status.phase}=Ready",
            &format!("workspace/{ws}"),
            "--timeout=30s",
        ]);
        assert!(ready.ok().contains("condition met"));
    }
    let table = sim.kubectl(&["get", "ws"]).ok();
    let names: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names, ["espw", "imw1"]);

    // The edge API, exported from espw.
    let applied = sim
        .kubectl_in("root:espw", &["apply", "-f", &fixture("edge-api")])
        .ok();
    assert!(
        applied.contains(
            "apiresourceschema.apis.kcp.io/v231020-4e62eaf7.synctargets.edge.kubestellar.io created"
        ),
        "{applied}"
    );
    assert!(
        applied.contains("apiexport.apis.kcp.io/edge.kubestellar.io created"),
        "{applied}"
    );
    let hash = sim.kubectl_in(
        "root:espw",
        &[
            "wait",
            "--for=jsonpath={.status.conditions[?(@.type==\"VirtualWorkspaceURLsReady\")].status}=True",
            "apiexport/edge.kubestellar.io",
            "--timeout=30s",
        ],
    );
    hash.ok();
    let espw_id = sim
        .kubectl(&["get", "ws", "espw", "-o", "jsonpath={.spec.cluster}"])
        .ok();
    let view = sim
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
    assert_eq!(
        view,
        format!("{}/services/apiexport/{espw_id}/edge.kubestellar.io", sim.url)
    );

    // Bound in imw1; SyncTargets are then served there.
    let bound = sim
        .kubectl_in("root:imw1", &["apply", "-f", &fixture("apibinding-edge.yaml")])
        .ok();
    assert_eq!(bound.trim(), "apibinding.apis.kcp.io/edge.kubestellar.io created");
    sim.kubectl_in(
        "root:imw1",
        &[
            "wait",
            "--for=jsonpath={.status.phase}=Bound",
            "apibinding/edge.kubestellar.io",
            "--timeout=30s",
        ],
    )
    .ok();
    let created = sim
        .kubectl_in("root:imw1", &["apply", "-f", &fixture("synctarget-st1.yaml")])
        .ok();
    assert_eq!(created.trim(), "synctarget.edge.kubestellar.io/st1 created");
    let st = sim
        .kubectl_in("root:imw1", &["get", "synctarget", "st1", "-o", "json"])
        .ok();
    let st: Value = serde_json::from_str(&st).expect("JSON");
    assert_eq!(st["spec"]["unschedulable"], false, "defaulted by the schema");

    // Through the view, across consumers, each SyncTarget says where it lives.
    let all = format!("--server={view}/clusters/*");
    let listed = sim.kubectl(&[&all, "get", "synctargets"]).ok();
    let rows: Vec<Vec<&str>> = listed.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows[0], ["NAME", "AGE"], "{listed}");
    assert_eq!(rows.len(), 2, "{listed}");
    assert_eq!(rows[1][0], "st1");
    let imw1_id = sim
        .kubectl(&["get", "ws", "imw1", "-o", "jsonpath={.spec.cluster}"])
        .ok();
    let json: Value =
        serde_json::from_str(&sim.kubectl(&[&all, "get", "synctargets", "-o", "json"]).ok()).expect("JSON");
    assert_eq!(
        json["items"][0]["metadata"]["annotations"]["kcp.io/cluster"],
        Value::String(imw1_id.clone())
    );
    let bindings = sim
        .kubectl(&[
            &all,
            "get",
            "apibindings",
            "-o",
            "jsonpath={.items[*].metadata.name}",
        ])
        .ok();
    assert_eq!(bindings, "edge.kubestellar.io");

    // Delete it in imw1; the view shows nothing any more.
    let deleted = sim.kubectl_in("root:imw1", &["delete", "synctarget", "st1"]).ok();
    assert_eq!(deleted.trim(), "synctarget.edge.kubestellar.io \"st1\" deleted");
    let empty = sim.kubectl(&[&all, "get", "synctargets"]);
    assert_eq!(empty.code, Some(0));
    assert!(
        empty.stdout.is_empty() && empty.stderr.contains("No resources found"),
        "{empty:?}"
    );
    // The read-only user may not look through the view.
    let denied = sim
        .kubectl(&["--context=user", &all, "get", "synctargets"])
        .fails();
    assert!(denied.contains("Forbidden"), "{denied}");
}

#[test]
fn kubectl_sees_kcp_s_own_apis_bound_by_default() {
    let sim = Sim::start_with("kubectl-defaults", &[]);
    let root = sim.kubectl(&["get", "apibindings", "-o", "name"]).ok();
    assert_eq!(
        root.lines().collect::<Vec<_>>(),
        [
            "apibinding.apis.kcp.io/apiresource.kcp.io",
            "apibinding.apis.kcp.io/scheduling.kcp.io",
            "apibinding.apis.kcp.io/shards.core.kcp.io",
            "apibinding.apis.kcp.io/tenancy.kcp.io",
            "apibinding.apis.kcp.io/topology.kcp.io",
            "apibinding.apis.kcp.io/workload.kcp.io",
        ]
    );
    let file = sim.manifest("imw1.yaml", &ESPW.replace("espw", "imw1"));
    sim.kubectl(&["create", "-f", &file]).ok();
    let ready = sim.kubectl(&[
        "wait",
        "--for=jsonpath={.status.phase}=Ready",
        "workspace/imw1",
        "--timeout=30s",
    ]);
    assert!(ready.ok().contains("condition met"));
    let server = format!("--server={}/clusters/root:imw1", sim.url);
    let bindings = sim.json(&[&server, "get", "apibindings", "-o", "json"]);
    let mut exports: Vec<&str> = bindings["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["spec"]["reference"]["export"]["name"].as_str().unwrap())
        .collect();
    exports.sort();
    assert_eq!(
        exports,
        [
            "apiresource.kcp.io",
            "scheduling.kcp.io",
            "tenancy.kcp.io",
            "topology.kcp.io",
            "workload.kcp.io"
        ]
    );
    let resources = sim
        .kubectl_in(
            "root:imw1",
            &["api-resources", "--api-group", "workload.kcp.io", "-o", "name"],
        )
        .ok();
    assert_eq!(resources.trim(), "synctargets.workload.kcp.io");
}

/// kubectl's imperative creates of built-in kinds send protobuf, as to any Kubernetes
/// apiserver; kcp v0.11 serves ServiceAccounts, Secrets, ConfigMaps and RBAC in every
/// workspace, and fills a ServiceAccount's token Secret.
#[test]
fn kubectl_creates_identity_objects_in_a_workspace() {
    let sim = Sim::start("kubectl-identity");
    let file = sim.manifest("ids.yaml", &ESPW.replace("espw", "ids"));
    sim.kubectl(&["create", "-f", &file]).ok();
    sim.kubectl(&[
        "wait",
        "--for=jsonpath={.status.phase}=Ready",
        "workspace/ids",
        "--timeout=30s",
    ])
    .ok();
    let ids = "root:ids";
    // The default namespace comes a moment after Ready.
    sim.kubectl_in(
        ids,
        &[
            "wait",
            "--for=jsonpath={.status.phase}=Active",
            "namespace/default",
            "--timeout=30s",
        ],
    )
    .ok();
    let made = sim
        .kubectl_in(ids, &["create", "configmap", "cm", "--from-literal=a=b"])
        .ok();
    assert_eq!(made.trim(), "configmap/cm created");
    let data = sim
        .kubectl_in(ids, &["get", "configmap", "cm", "-o", "jsonpath={.data.a}"])
        .ok();
    assert_eq!(data, "b");
    sim.kubectl_in(ids, &["create", "secret", "generic", "s", "--from-literal=k=v"])
        .ok();
    let secret = sim
        .kubectl_in(ids, &["get", "secret", "s", "-o", "jsonpath={.type} {.data.k}"])
        .ok();
    assert_eq!(secret, "Opaque dg==");
    let made = sim.kubectl_in(ids, &["create", "serviceaccount", "syncer"]).ok();
    assert_eq!(made.trim(), "serviceaccount/syncer created");
    sim.kubectl_in(
        ids,
        &[
            "create",
            "clusterrole",
            "syncer",
            "--verb=*",
            "--resource=configmaps",
        ],
    )
    .ok();
    let made = sim
        .kubectl_in(
            ids,
            &[
                "create",
                "clusterrolebinding",
                "syncer",
                "--clusterrole=syncer",
                "--serviceaccount=default:syncer",
            ],
        )
        .ok();
    assert_eq!(
        made.trim(),
        "clusterrolebinding.rbac.authorization.k8s.io/syncer created"
    );
    let subject = sim
        .kubectl_in(
            ids,
            &[
                "get",
                "clusterrolebinding",
                "syncer",
                "-o",
                "jsonpath={.subjects[0].kind}/{.subjects[0].name}",
            ],
        )
        .ok();
    assert_eq!(subject, "ServiceAccount/syncer");
    // The token controller references a token Secret from the ServiceAccount.
    sim.kubectl_in(
        ids,
        &[
            "wait",
            "--for=jsonpath={.secrets[0].name}",
            "serviceaccount/syncer",
            "--timeout=30s",
        ],
    )
    .ok();
    let token_secret = sim
        .kubectl_in(
            ids,
            &[
                "get",
                "serviceaccount",
                "syncer",
                "-o",
                "jsonpath={.secrets[0].name}",
            ],
        )
        .ok();
    assert!(token_secret.starts_with("syncer-token-"), "{token_secret}");
    let token = sim
        .kubectl_in(
            ids,
            &["get", "secret", &token_secret, "-o", "jsonpath={.data.token}"],
        )
        .ok();
    assert!(!token.is_empty());
}
