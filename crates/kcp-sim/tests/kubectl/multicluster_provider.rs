//! kcp's multicluster-provider v0.8.0 `examples/apiexport`, built unchanged from the peers
//! archive by `scripts/multicluster-provider.sh` (`.ci/run` sets
//! `KUBESTELLAR_MULTICLUSTER_PROVIDER` to the directory it prints), against `kcp-sim
//! --kcp-version 0.32` set up as the example's README says: its own `bundle.yaml` applied with
//! kubectl in root, then the example run with client-go's defaults (WatchList on). It must
//! engage every consumer workspace and reconcile a ConfigMap created, changed and deleted in
//! one of them; the example's log and kcp-sim's request log show it.

use super::*;
use std::collections::BTreeSet;
use std::sync::mpsc::Receiver;
use std::time::Instant;

/// Bound for the example to react (it reconciles within milliseconds here).
const REACT: Duration = Duration::from_secs(60);

static METRICS_PORT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The example running, its log lines arriving on a channel and kept.
struct Example {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Example {
    fn start(sim: &Sim, binary: &Path) -> Example {
        let mut child = Command::new(binary)
            .arg("--endpointslice=examples-apiexport-multicluster")
            .env("HOME", sim.dir.path())
            .env("KUBECONFIG", sim.kubeconfig())
            // client-go's defaults: nothing switches WatchList off.
            .env_remove("KUBE_FEATURE_WatchListClient")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example starts");
        let (tx, lines) = mpsc::channel();
        let out: Vec<Box<dyn std::io::Read + Send>> = vec![
            Box::new(child.stdout.take().expect("piped stdout")),
            Box::new(child.stderr.take().expect("piped stderr")),
        ];
        for stream in out {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Example {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Wait (bounded) until `n` log lines satisfy `check`, counting from the start of the log.
    fn wait_count(&mut self, what: &str, n: usize, check: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + REACT;
        while self.seen.iter().filter(|l| check(l)).count() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!(
                    "the example did not log {what} within {REACT:?}; its log:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    fn wait_for(&mut self, what: &str, check: impl Fn(&str) -> bool) {
        self.wait_count(what, 1, check);
    }

    /// The reconciles logged so far: `(cluster, name, uid)`.
    fn reconciles(&self) -> Vec<(String, String, String)> {
        self.seen.iter().filter_map(|l| reconcile(l)).collect()
    }
}

impl Drop for Example {
    fn drop(&mut self) {
        // The example this test started, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `(cluster, name, uid)` of a "Reconciling ConfigMap" line (zap's development encoding: the
/// message, then the fields as JSON).
fn reconcile(line: &str) -> Option<(String, String, String)> {
    let rest = &line[line.find("Reconciling ConfigMap")?..];
    let fields: Value = serde_json::from_str(&rest[rest.find('{')?..]).ok()?;
    let text = |k: &str| fields[k].as_str().unwrap_or_default().to_string();
    Some((text("cluster"), text("name"), text("uuid")))
}

fn configmap(name: &str, value: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: default\ndata:\n  k: {value}\n"
    )
}

/// The kcp generation the example meets.
#[derive(Clone, Copy, PartialEq)]
enum Generation {
    /// Kubernetes 1.24: WatchList refused (422), so client-go lists and watches; kcp makes no
    /// endpoint slice for an export, so the test makes the one the example reads.
    V0_11,
    /// Kubernetes 1.36: WatchList served; kcp makes the slice.
    V0_32,
}

#[test]
fn multicluster_provider_example_on_kcp_v0_32() {
    run_example(Generation::V0_32);
}

#[test]
fn multicluster_provider_example_on_kcp_v0_11_falls_back_to_list_and_watch() {
    run_example(Generation::V0_11);
}

fn run_example(generation: Generation) {
    let Some(dir) = std::env::var_os("KUBESTELLAR_MULTICLUSTER_PROVIDER") else {
        println!(
            "skipped: KUBESTELLAR_MULTICLUSTER_PROVIDER is not set (scripts/multicluster-provider.sh builds the example and prints the directory; .ci/run sets it)"
        );
        return;
    };
    let bin = PathBuf::from(dir);
    let example_bin = bin.join("apiexport");
    let manifests = bin.join("../multicluster-provider-v0.8.0/examples/apiexport/manifests");
    assert!(example_bin.is_file(), "no {}", example_bin.display());
    // The example serves metrics on :8080 (controller-runtime's default; it has no flag for
    // it): the two generations' runs take turns.
    let _port = METRICS_PORT.lock().unwrap_or_else(|p| p.into_inner());
    assert!(
        std::net::TcpListener::bind("0.0.0.0:8080").is_ok(),
        "the example needs port 8080 free (its metrics server)"
    );
    let sim = match generation {
        Generation::V0_32 => Sim::start_with("mcp", &["--kcp-version", "0.32"]),
        Generation::V0_11 => Sim::start_with("mcp", &[]),
    };

    // The README: apply the bundle in root.
    let bundle = manifests.join("bundle.yaml").display().to_string();
    let applied = sim.kubectl(&["apply", "-f", &bundle]).ok();
    assert_eq!(
        applied.lines().collect::<Vec<_>>(),
        [
            "apiexport.apis.kcp.io/examples-apiexport-multicluster created",
            "workspacetype.tenancy.kcp.io/examples-apiexport-multicluster created",
            "workspace.tenancy.kcp.io/example1 created",
            "workspace.tenancy.kcp.io/example2 created",
            "workspace.tenancy.kcp.io/example3 created",
        ]
    );
    if generation == Generation::V0_11 {
        let slice = sim.manifest(
            "slice.yaml",
            "apiVersion: apis.kcp.io/v1alpha1\nkind: APIExportEndpointSlice\nmetadata:\n  name: examples-apiexport-multicluster\nspec:\n  export:\n    name: examples-apiexport-multicluster\n    path: root\n",
        );
        sim.kubectl(&["apply", "-f", &slice]).ok();
    }
    let consumers = ["example1", "example2", "example3"];
    let mut ids = Vec::new();
    for ws in consumers {
        sim.kubectl(&[
            "wait",
            "--for=jsonpath={.status.phase}=Ready",
            &format!("workspace/{ws}"),
            "--timeout=60s",
        ])
        .ok();
        ids.push(
            sim.kubectl(&["get", "ws", ws, "-o", "jsonpath={.spec.cluster}"])
                .ok(),
        );
        sim.kubectl_in(
            &format!("root:{ws}"),
            &["wait", "--for=create", "namespace/default", "--timeout=60s"],
        )
        .ok();
    }
    sim.kubectl(&["--context", "base", "delete", "--raw", "/kcp-sim/requests"])
        .ok();

    let mut example = Example::start(&sim, &example_bin);
    // Engaged: a ConfigMap made in each consumer is reconciled there, by cluster.
    for (ws, id) in consumers.iter().zip(&ids) {
        let file = sim.manifest(&format!("{ws}.yaml"), &configmap(&format!("made-in-{ws}"), "one"));
        sim.kubectl_in(&format!("root:{ws}"), &["apply", "--server-side", "-f", &file])
            .ok();
        example.wait_for(&format!("the reconcile of made-in-{ws} in {id}"), |l| {
            reconcile(l).is_some_and(|(c, n, _)| &c == id && n == format!("made-in-{ws}"))
        });
    }
    let endpoints = example
        .seen
        .iter()
        .filter(|l| l.contains("new endpoint object"))
        .count();
    assert_eq!(
        endpoints,
        consumers.len(),
        "one APIBinding per consumer: {:#?}",
        example.seen
    );

    // Created, changed, deleted in one consumer (server-side apply: kcp-sim refuses
    // client-side apply's strategic merge patch, see the README).
    let one = "root:example1";
    let file = sim.manifest("cm.yaml", &configmap("watched", "one"));
    sim.kubectl_in(one, &["apply", "--server-side", "-f", &file]).ok();
    let uid = sim
        .kubectl_in(
            one,
            &[
                "get",
                "cm",
                "watched",
                "-n",
                "default",
                "-o",
                "jsonpath={.metadata.uid}",
            ],
        )
        .ok();
    let watched = |l: &str| reconcile(l).is_some_and(|(c, n, u)| c == ids[0] && n == "watched" && u == uid);
    example.wait_count("the created ConfigMap's reconcile", 1, watched);
    sim.manifest("cm.yaml", &configmap("watched", "two"));
    sim.kubectl_in(one, &["apply", "--server-side", "-f", &file]).ok();
    example.wait_count("the changed ConfigMap's reconcile", 2, watched);
    sim.kubectl_in(one, &["delete", "cm", "watched", "-n", "default"])
        .ok();
    // The deleted one's reconcile finds it gone and logs nothing: a ConfigMap made after the
    // deletion is reconciled, and the deleted one was not reconciled again, with no error.
    let file = sim.manifest("after.yaml", &configmap("after-delete", "one"));
    sim.kubectl_in(one, &["apply", "--server-side", "-f", &file]).ok();
    example.wait_for("the reconcile after the deletion", |l| {
        reconcile(l).is_some_and(|(_, n, _)| n == "after-delete")
    });
    let count = example
        .reconciles()
        .iter()
        .filter(|(_, n, u)| n == "watched" && u == &uid)
        .count();
    assert_eq!(count, 2, "created and changed, not after its deletion");
    assert!(
        !example.seen.iter().any(|l| l.contains("Reconciler error")),
        "{:#?}",
        example.seen
    );

    // kcp-sim's request log: the informers used WatchList through the view's wildcard (no
    // list; on v0.11, refused, then list and watch), and the reconciles wrote events.k8s.io
    // Events into each consumer through the view.
    let raw = sim
        .kubectl(&["--context", "base", "get", "--raw", "/kcp-sim/log"])
        .ok();
    let log: Value = serde_json::from_str(&raw).expect("the request log");
    let requests: Vec<(String, String, String)> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| {
            let t = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            // client-go escapes the wildcard cluster as %2A.
            (t("method"), t("path").replace("%2A", "*"), t("query"))
        })
        .collect();
    let view = "/services/apiexport/root/examples-apiexport-multicluster/clusters/";
    for resource in ["api/v1/configmaps", "apis/apis.kcp.io/v1alpha1/apibindings"] {
        let path = format!("{view}*/{resource}");
        let watch_lists = requests
            .iter()
            .filter(|(m, p, q)| m == "GET" && p == &path && q.contains("sendInitialEvents=true"))
            .count();
        assert!(watch_lists >= 1, "a WatchList of {path}: {requests:#?}");
        let lists = requests
            .iter()
            .filter(|(m, p, q)| m == "GET" && p == &path && !q.contains("watch=true"))
            .count();
        match generation {
            Generation::V0_32 => assert_eq!(lists, 0, "no list of {path}: {requests:#?}"),
            Generation::V0_11 => assert!(lists >= 1, "a list of {path}: {requests:#?}"),
        }
    }
    let evented: BTreeSet<&str> = requests
        .iter()
        .filter(|(m, p, _)| m == "POST" && p.ends_with("/apis/events.k8s.io/v1/namespaces/default/events"))
        .filter_map(|(_, p, _)| p.strip_prefix(view)?.split('/').next())
        .collect();
    assert_eq!(
        evented,
        ids.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        "an Event sent per consumer"
    );
    // kcp v0.11's view serves a claim of core events in core/v1 only: there the recorder's
    // events.k8s.io Events are 404 (it logs that and goes on).
    let stored = sim
        .kubectl_in(
            one,
            &["get", "events.v1.events.k8s.io", "-n", "default", "-o", "name"],
        )
        .ok();
    match generation {
        Generation::V0_32 => {
            // Written as protobuf, as controller-runtime writes built-in types.
            assert!(stored.contains("event.events.k8s.io/"), "{stored}");
            let rejected = example
                .seen
                .iter()
                .filter(|l| l.contains("rejected event"))
                .count();
            assert_eq!(rejected, 0, "{:#?}", example.seen);
        }
        Generation::V0_11 => assert_eq!(stored, "", "no Event stored on v0.11"),
    }
}
