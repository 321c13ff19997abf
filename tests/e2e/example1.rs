//! KubeStellar v0.14's example1 with the plugin alone: its kcp-side steps from the start through
//! stage 2 and its teardown, read from example1's own markdown in the archive in
//! `../shared/peers` (`docs/content/Coding Milestones/PoC2023q1/example1-subs/`), run in order
//! through the real kubectl with the plugin as `kubectl kubestellar`, and `kubectl kubestellar
//! mailbox watch -v=2` in the background where example1 starts `mailbox-controller -v=2 &`.
//! Where example1 needs kind clusters or KubeStellar's other Go controllers (the where-resolver),
//! the test stops at the YAML they would be given, checks it, and applies to kcp what the
//! controller would. The plugin's outputs are compared with what example1 shows.
//!
//! `kubectl ws` is kcp's plugin: where it is (real kcp, or kcp-sim with
//! `KUBESTELLAR_KCP_PLUGINS`) the test runs it; elsewhere it points the kubeconfig's cluster at
//! the workspace, which is what `kubectl ws` does, so kcp-sim runs every other step the same way.

use crate::common::{self, Controller, Env, Run, WAIT, wait_for};
use regex::Regex;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

const SUBS: &str = "kubestellar-v0.14.0/docs/content/Coding Milestones/PoC2023q1/example1-subs";

/// The parts of example1 this test follows, in the order example1.md includes them (pre-kcp only
/// makes the kind clusters).
const PARTS: &[&str] = &[
    "start-kcp",
    "post-kcp",
    "stage-1a",
    "stage-1b",
    "stage-2",
    "teardown",
];

/// Longer than the harness's WAIT: real kcp takes seconds per workspace.
const LONG: Duration = Duration::from_secs(120);

/// A fenced block of example1's markdown.
struct Fence {
    part: &'static str,
    info: String,
    text: String,
}

impl Fence {
    /// Commands a reader runs: ```shell, and the teardown's ```{.bash}.
    fn is_commands(&self) -> bool {
        self.info == "shell" || self.info == "{.bash}"
    }
}

struct Example1 {
    fences: Vec<Fence>,
    texts: BTreeMap<&'static str, String>,
}

impl Example1 {
    fn load() -> Option<Example1> {
        let Some(archive) = crate::ks_scripts::archive() else {
            common::skip(
                "KubeStellar v0.14.0's archive is not in ../shared/peers (or $KUBESTELLAR_V014_ARCHIVE)",
            );
            return None;
        };
        let mut ex = Example1 {
            fences: Vec::new(),
            texts: BTreeMap::new(),
        };
        for part in PARTS {
            let member = format!("{SUBS}/example1-{part}.md");
            let out = std::process::Command::new("tar")
                .arg("-xzOf")
                .arg(&archive)
                .arg(&member)
                .output()
                .expect("run tar");
            assert!(out.status.success(), "{member} is not in {}", archive.display());
            let text = String::from_utf8(out.stdout).expect("example1 is UTF-8");
            ex.fences.extend(fences(part, &text));
            ex.texts.insert(part, text);
        }
        Some(ex)
    }

    /// The index of the one command block of `part` holding `needle`.
    #[track_caller]
    fn index(&self, part: &str, needle: &str) -> usize {
        let found: Vec<usize> = (0..self.fences.len())
            .filter(|i| {
                let f = &self.fences[*i];
                f.part == part && f.is_commands() && f.text.contains(needle)
            })
            .collect();
        assert_eq!(found.len(), 1, "example1-{part}.md: blocks holding {needle:?}");
        found[0]
    }

    #[track_caller]
    fn commands(&self, part: &str, needle: &str) -> &str {
        &self.fences[self.index(part, needle)].text
    }

    /// The command block of `part` that is exactly `text`.
    #[track_caller]
    fn exactly(&self, part: &str, text: &str) -> &str {
        let found = self
            .fences
            .iter()
            .find(|f| f.part == part && f.is_commands() && f.text.trim() == text);
        &found
            .unwrap_or_else(|| panic!("example1-{part}.md has no block {text:?}"))
            .text
    }

    /// The block right after that command block, which must be of the kind `info` names
    /// (`no-copy`: an output example1 shows; `yaml`: objects it says are equivalent).
    #[track_caller]
    fn after(&self, part: &str, needle: &str, info: &str) -> &str {
        let next = &self.fences[self.index(part, needle) + 1];
        assert!(
            next.info.contains(info),
            "example1-{part}.md: after {needle:?} comes a {:?} block",
            next.info
        );
        &next.text
    }
}

fn fences(part: &'static str, text: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
        out.push(Fence {
            part,
            info: info.trim().to_string(),
            text: body.join("\n"),
        });
    }
    out
}

/// `block` less the lines that need what this test does not run (kind, KubeStellar's Go
/// controllers, sleeps): each must be in the block.
#[track_caller]
fn without(block: &str, lines: &[&str]) -> String {
    for l in lines {
        assert!(
            block.lines().any(|b| b.trim() == *l),
            "example1 no longer has {l:?} in:\n{block}"
        );
    }
    let kept: Vec<&str> = block.lines().filter(|b| !lines.contains(&b.trim())).collect();
    kept.join("\n")
}

/// The shell a reader of example1 has: the test's kubeconfig, the plugin on PATH, and kcp's
/// `kubectl ws` where it exists.
struct Session<'a> {
    env: &'a Env,
    kcp_ws: bool,
}

impl<'a> Session<'a> {
    fn new(env: &'a Env) -> Session<'a> {
        let bin = env.dir.path().join("bin");
        if !bin.join("kubectl-ws").exists()
            && let Some(dir) = crate::ks_scripts::kcp_plugins()
        {
            for p in ["kubectl-ws", "kubectl-kcp"] {
                std::os::unix::fs::symlink(dir.join(p), bin.join(p)).expect("link a kcp plugin");
            }
        }
        Session {
            env,
            kcp_ws: bin.join("kubectl-ws").exists(),
        }
    }

    /// `kubectl ws PATH` (an absolute path, as example1 writes them).
    fn ws(&self, path: &str) {
        if self.kcp_ws {
            let run = self.env.kubectl(&["ws", path]).ok();
            assert_eq!(run.stdout.trim(), format!("Current workspace is \"{path}\"."));
            return;
        }
        let cluster = self
            .env
            .kubectl(&["config", "view", "--minify", "-o", "jsonpath={.clusters[0].name}"])
            .ok()
            .stdout;
        let server = format!("{}/clusters/{path}", self.env.url());
        self.env
            .kubectl(&["config", "set-cluster", &cluster, "--server", &server])
            .ok();
    }

    /// The workspace the kubeconfig points into.
    fn current(&self) -> String {
        let server = self
            .env
            .kubectl(&[
                "config",
                "view",
                "--minify",
                "-o",
                "jsonpath={.clusters[0].cluster.server}",
            ])
            .ok()
            .stdout;
        server.rsplit("/clusters/").next().unwrap_or_default().to_string()
    }

    /// Commands in one bash (errexit, pipefail), in the test's directory.
    fn sh(&self, script: &str) -> Run {
        self.sh_with(script, &[])
    }

    fn sh_with(&self, script: &str, vars: &[(&str, &str)]) -> Run {
        let mut c = self.env.command("bash");
        c.args(["-c", &format!("set -euo pipefail\n{script}")]);
        for (k, v) in vars {
            c.env(k, v);
        }
        Run::from(c.output().expect("run bash"))
    }

    /// A block of example1's commands, in order: `kubectl ws PATH` through `ws`, example1's
    /// polling loops (`while COND; do sleep N; done`) as bounded waits for COND to fail, the
    /// rest in bash, which must succeed. Returns what bash printed.
    fn run(&self, block: &str) -> String {
        let mut printed = String::new();
        let mut pending: Vec<&str> = Vec::new();
        let mut lines = block.lines();
        while let Some(line) = lines.next() {
            let ws = line
                .trim()
                .strip_prefix("kubectl ws ")
                .filter(|p| p.starts_with("root"));
            let cond = line
                .trim()
                .strip_prefix("while ")
                .and_then(|l| l.strip_suffix("; do"));
            if ws.is_none() && cond.is_none() {
                pending.push(line);
                continue;
            }
            printed.push_str(&self.flush(&mut pending));
            if let Some(path) = ws {
                self.ws(path);
            } else if let Some(cond) = cond {
                let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "done").collect();
                assert!(body.iter().all(|l| l.trim().starts_with("sleep ")), "{body:?}");
                self.wait_until_false(cond);
            }
        }
        printed.push_str(&self.flush(&mut pending));
        printed
    }

    fn flush(&self, pending: &mut Vec<&str>) -> String {
        let script = pending.join("\n");
        pending.clear();
        if script.trim().is_empty() {
            return String::new();
        }
        self.sh(&script).ok().stdout
    }

    /// Until `cond` (a bash condition of example1's loops) fails, bounded. Without kcp's
    /// plugin, `kubectl ws tree` (the tree under root, where the mailboxes are) is read as
    /// `kubectl get workspaces -o name` (root's children).
    fn wait_until_false(&self, cond: &str) {
        let cond = if self.kcp_ws {
            cond.to_string()
        } else {
            cond.replace("kubectl ws tree", "kubectl get workspaces -o name")
        };
        let mut last = None;
        let done = wait_for(self.env.kcp(), LONG, |_| {
            let run = self.sh(&format!("if {cond}; then exit 1; fi"));
            let ended = run.code == 0;
            last = Some(run);
            ended
        });
        assert!(
            done,
            "example1's loop `while {cond}` did not end within {LONG:?}: {last:?}"
        );
    }
}

/// A workspace name as example1's outputs show it: mailboxes by their shape.
fn anonymous(name: &str) -> String {
    let mailbox =
        Regex::new("^[a-z0-9]{16}-mb-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").unwrap();
    if mailbox.is_match(name) {
        "<mailbox>".into()
    } else {
        name.into()
    }
}

fn is_cluster_id(s: &str) -> bool {
    Regex::new("^[a-z0-9]{16}$").unwrap().is_match(s)
}

/// A table's header and its rows, cells split on whitespace (empty cells vanish).
fn table(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let cells = |l: &str| l.split_whitespace().map(String::from).collect::<Vec<_>>();
    let header = cells(lines.next().expect("a table header"));
    (header, lines.map(cells).collect())
}

/// What `kubectl apply -f` prints for YAML documents it creates, one line each:
/// `<kind>[.<group>]/<name> created`.
fn applied_lines(yaml: &str) -> Vec<String> {
    documents(yaml)
        .iter()
        .map(|d| {
            let kind = d["kind"].as_str().unwrap_or_default().to_lowercase();
            let resource = match d["apiVersion"].as_str().unwrap_or_default().split_once('/') {
                Some((group, _)) => format!("{kind}.{group}"),
                None => kind,
            };
            format!(
                "{resource}/{} created",
                d["metadata"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

fn documents(yaml: &str) -> Vec<Value> {
    raw_documents(yaml)
        .into_iter()
        .map(|d| serde_saphyr::from_str::<Value>(d).unwrap_or_else(|e| panic!("{e}:\n{d}")))
        .collect()
}

fn raw_documents(yaml: &str) -> Vec<&str> {
    yaml.split("\n---").filter(|d| !d.trim().is_empty()).collect()
}

/// The scalar of `key` as written in a YAML document (keys are unique in example1's).
fn as_written(raw: &str, key: &str) -> String {
    let prefix = format!("{key}: ");
    let found = raw.lines().find_map(|l| l.trim().strip_prefix(prefix.as_str()));
    found
        .unwrap_or_else(|| panic!("no {key} in:\n{raw}"))
        .trim()
        .to_string()
}

/// The YAML of a `kubectl apply -f - <<EOF ... EOF` block.
fn heredoc(block: &str) -> String {
    let body: Vec<&str> = block
        .lines()
        .skip_while(|l| !l.ends_with("<<EOF"))
        .skip(1)
        .take_while(|l| *l != "EOF")
        .collect();
    body.join("\n")
}

/// The mailboxes stage 1a found, and the inventory workspace's logical cluster.
struct Mailboxes {
    by_sync_target: BTreeMap<String, String>,
    imw1_cluster: String,
}

#[test]
fn example1_through_stage_2_and_its_teardown_runs_with_the_plugin_alone() {
    let Some(ex) = Example1::load() else {
        return;
    };
    // start-kcp, "Start kcp": the harness starts the server (`kcp start` on real kcp) and
    // gives kubectl its admin kubeconfig, as example1's `export KUBECONFIG=...` does.
    let env = Env::new();
    if env.newest() {
        common::skip("example1 runs on kcp v0.11 (its root:compute, its outputs), not on v0.28 and later");
        return;
    }
    let s = Session::new(&env);
    start_kcp(&ex, &s);
    post_kcp(&ex, &s);
    let mut controller = start_mailbox_controller(&ex, &s);
    let mailboxes = stage_1a(&ex, &s, &controller);
    for sync_target in ["guilder", "florin"] {
        stage_1b(&ex, &s, sync_target, &mailboxes);
    }
    stage_2(&ex, &s, &mailboxes);
    teardown(&ex, &s, &mut controller, &mailboxes);
}

/// start-kcp: "wait until KCP is ready checking availability of ws resource".
fn start_kcp(ex: &Example1, s: &Session) {
    let block = ex.commands("start-kcp", "kcp start -v=3");
    assert!(
        block.contains("while ! kubectl ws tree &> /dev/null; do"),
        "{block}"
    );
    let tree = if s.kcp_ws {
        s.sh("kubectl ws tree")
    } else {
        s.env.kubectl(&["get", "workspaces", "-o", "name"])
    };
    assert!(
        tree.ok().stdout.contains("compute"),
        "kcp v0.11 starts with root:compute"
    );
}

/// post-kcp: `kubestellar init`, then the inventory in root:imw1.
fn post_kcp(ex: &Example1, s: &Session) {
    // "Initialize the KubeStellar platform as bare processes": `kubestellar init` makes the
    // ESPW and augments root:compute, which is the plugin's `init espw`; and (its
    // `--ensure-imw` default) the IMW root:imw1, which example1 then says "was automatically
    // created" and which the plugin leaves to kcp's `kubectl ws create`. Its `--ensure-wmw`
    // default root:wmw1 is left out: example1 never uses it, and its listing of root has none.
    assert!(
        ex.commands("post-kcp", "kubestellar init")
            .lines()
            .any(|l| l == "kubestellar init")
    );
    let init = s.sh("kubectl kubestellar init espw").ok().stdout;
    for line in [
        "root:espw is set up; the edge.kubestellar.io export is ready.",
        "root:compute holds KubeStellar's Kubernetes API exports, which ensure wmw --with-kube binds: 44 objects, 44 made now.",
    ] {
        assert!(init.contains(line), "{init}");
    }
    if s.kcp_ws {
        s.sh("kubectl ws create imw1").ok();
    } else {
        s.env
            .kubectl_create("root", &json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": "imw1"}}))
            .ok();
        s.env
            .kubectl(&[
                "wait",
                "--for=jsonpath={.status.phase}=Ready",
                "workspace/imw1",
                "--timeout=60s",
            ])
            .ok();
    }

    // "Create SyncTarget and Location objects to represent the florin and guilder clusters".
    let needle = "kubectl kubestellar ensure location florin";
    let printed = s.run(ex.commands("post-kcp", needle));
    let expected = "apibinding.apis.kcp.io/edge.kubestellar.io created\n\
        synctarget.edge.kubestellar.io/florin created\n\
        location.edge.kubestellar.io/florin created\n\
        apibinding.apis.kcp.io/edge.kubestellar.io unchanged\n\
        synctarget.edge.kubestellar.io/guilder created\n\
        location.edge.kubestellar.io/guilder created\n\
        decribe the florin location object\n";
    assert!(printed.starts_with(expected), "{printed}");
    let describe = &printed[expected.len()..];
    for line in ["Name:         florin", "Kind:         Location", "Id:  florin"] {
        assert!(describe.contains(line), "{describe}");
    }
    // "Those two script invocations are equivalent to creating the following four objects".
    for raw in raw_documents(ex.after("post-kcp", needle, "yaml")) {
        same_as_shown(s, raw);
    }
}

/// An inventory object as example1's YAML shows it: the same labels and spec.
fn same_as_shown(s: &Session, raw: &str) {
    let shown: Value = serde_saphyr::from_str(raw).unwrap_or_else(|e| panic!("{e}:\n{raw}"));
    let plural = match shown["kind"].as_str() {
        Some("SyncTarget") => "synctargets",
        Some("Location") => "locations",
        other => panic!("example1 shows a {other:?}"),
    };
    let name = shown["metadata"]["name"].as_str().unwrap();
    let got = s
        .env
        .kubectl_in(
            "root:imw1",
            &[
                "get",
                &format!("{plural}.edge.kubestellar.io"),
                name,
                "-o",
                "json",
            ],
        )
        .ok()
        .json();
    // A label is the string written: example1 writes `extended: yes` unquoted, which YAML 1.1
    // (and so the parser here) reads as a boolean.
    let labels: BTreeMap<&str, String> = shown["metadata"]["labels"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str(),
                v.as_str().map_or_else(|| as_written(raw, k), String::from),
            )
        })
        .collect();
    assert_eq!(got["metadata"]["labels"], json!(labels), "{plural}/{name}");
    if shown.get("spec").is_some() {
        assert_eq!(got["spec"], shown["spec"], "{plural}/{name}");
    }
}

/// stage-1a, "The mailbox controller": `kubectl ws root:espw`, then `mailbox-controller -v=2 &`
/// and `sleep 10`. The plugin's controller instead, in the background; the harness waits
/// until it serves its metrics, not ten seconds.
fn start_mailbox_controller(ex: &Example1, s: &Session) -> Controller {
    let block = ex.commands("stage-1a", "mailbox-controller -v=2 &");
    s.run(&without(block, &["mailbox-controller -v=2 &", "sleep 10"]));
    s.env.start_watch(&["-v=2"])
}

/// stage-1a: the mailboxes appear, and the listings of root show them as example1 does.
fn stage_1a(ex: &Example1, s: &Session, controller: &Controller) -> Mailboxes {
    // "wait for the appearance of the mailbox workspaces": until `kubectl ws tree` shows two.
    s.run(ex.commands("stage-1a", "kubectl ws tree | grep"));
    // example1 shows the Go controller's "Created APIBinding" lines, one per mailbox
    // (bindingName="bind-edge"); the plugin's controller logs `created bind-edge`.
    let shown_log = ex.texts["stage-1a"].matches("\"Created APIBinding\"").count();
    assert_eq!(shown_log, 2);
    // example1's loop waits for the mailboxes to appear; its listing shows them Ready, once
    // the controller is done: the test waits (bounded) for that too.
    let done = wait_for(s.env.kcp(), LONG, |k| {
        let mailboxes = common::mailbox_like(k, "root");
        mailboxes.len() == 2 && mailboxes.iter().all(|mb| bound(k, mb))
    });
    assert!(
        done,
        "the mailboxes were not Ready and bound:\n{}",
        controller.log()
    );
    let listing = workspaces_as_shown(ex, s);
    let mailboxes = sync_target_columns_as_shown(ex, s);
    for mailbox in mailboxes.by_sync_target.values() {
        let line = format!("created bind-edge mailbox=\"{mailbox}\"");
        assert!(controller.wait_log(&line, WAIT).is_some(), "{}", controller.log());
        assert!(listing.contains(mailbox), "{listing}");
    }
    // The jq look-ups of one mailbox by SyncTarget name.
    for (sync_target, var) in [("guilder", "GUILDER_WS"), ("florin", "FLORIN_WS")] {
        let needle = format!("{var}=$(");
        let shown = ex.after("stage-1a", &needle, "no-copy");
        let printed = if which("jq") {
            s.run(ex.commands("stage-1a", &needle))
        } else {
            common::skip("no jq on PATH: example1's jq look-up is made with kubectl's listing");
            format!(
                "The {sync_target} mailbox workspace name is {}\n",
                mailboxes.by_sync_target[sync_target]
            )
        };
        let mailbox = &mailboxes.by_sync_target[sync_target];
        assert_eq!(
            printed.trim(),
            shown
                .trim()
                .replace(shown.split_whitespace().last().unwrap(), mailbox)
        );
    }
    mailboxes
}

/// Whether a mailbox is Ready with its `bind-edge` Bound.
fn bound(k: &dyn common::KcpServer, mailbox: &str) -> bool {
    let ready = k
        .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", mailbox)
        .is_some_and(|w| w["status"]["phase"] == "Ready");
    ready
        && k.get(
            &format!("root:{mailbox}"),
            "apis.kcp.io/v1alpha1",
            "apibindings",
            "bind-edge",
        )
        .is_some_and(|b| b["status"]["phase"] == "Bound")
}

fn which(program: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `kubectl ws root; kubectl get Workspaces`: the same workspaces, types and phases as
/// example1's listing, but for the mailboxes' type. example1 shows `universal`, from when
/// mailboxes were children of the ESPW (as its prep-for-syncer output still shows, "root:espw:
/// ...-mb-..."); in root, where KubeStellar v0.14's Go controller and the plugin both make them
/// without a type, kcp v0.11 gives root's default, `organization`.
fn workspaces_as_shown(ex: &Example1, s: &Session) -> String {
    let needle = "kubectl get Workspaces";
    let printed = s.run(ex.commands("stage-1a", needle));
    let shown = ex.after("stage-1a", needle, "no-copy");
    let (shown_header, shown_rows) = table(shown);
    let (header, rows) = table(&printed);
    assert_eq!(header, shown_header, "{printed}");
    let url = Regex::new("^https://[^/]+/clusters/[a-z0-9]{16}$").unwrap();
    // REGION is empty: NAME TYPE PHASE URL AGE, compared by NAME TYPE PHASE.
    let cells = |rows: &[Vec<String>], mailbox_type: Option<&str>| -> Vec<(String, String, String)> {
        let mut out: Vec<_> = rows
            .iter()
            .map(|r| {
                let name = anonymous(&r[0]);
                let type_ = match mailbox_type {
                    Some(t) if name == "<mailbox>" => t.to_string(),
                    _ => r[1].clone(),
                };
                (name, type_, r[2].clone())
            })
            .collect();
        out.sort();
        out
    };
    let shown_mailbox_types: Vec<&str> = shown_rows
        .iter()
        .filter(|r| anonymous(&r[0]) == "<mailbox>")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(shown_mailbox_types, ["universal", "universal"]);
    assert_eq!(
        cells(&rows, None),
        cells(&shown_rows, Some("organization")),
        "{printed}"
    );
    // kcp v0.11 names a logical cluster by its ID in the URL (example1's own listing mixes
    // in URLs by path, from an older kcp).
    assert!(rows.iter().all(|r| url.is_match(&r[3])), "{printed}");
    printed
}

/// The listing with the SyncTarget's name and the logical cluster: the same rows, each
/// mailbox named `<imw1's logical cluster>-mb-<its SyncTarget's UID>`.
fn sync_target_columns_as_shown(ex: &Example1, s: &Session) -> Mailboxes {
    let needle = "custom-columns=NAME:.metadata.name,SYNCTARGET";
    let printed = s.run(ex.commands("stage-1a", needle));
    let (shown_header, shown_rows) = table(ex.after("stage-1a", needle, "no-copy"));
    let (header, rows) = table(&printed);
    assert_eq!(header, shown_header, "{printed}");
    let cells = |rows: &[Vec<String>]| -> Vec<(String, String)> {
        let mut out: Vec<_> = rows
            .iter()
            .map(|r| {
                assert!(is_cluster_id(&r[2]), "{r:?}");
                (anonymous(&r[0]), r[1].clone())
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(cells(&rows), cells(&shown_rows), "{printed}");
    let imw1_cluster = rows.iter().find(|r| r[0] == "imw1").expect("imw1")[2].clone();
    let mut by_sync_target = BTreeMap::new();
    for r in rows.iter().filter(|r| r[1] != "<none>") {
        let uid = sync_target_uid(s, &r[1]);
        assert_eq!(r[0], format!("{imw1_cluster}-mb-{uid}"));
        by_sync_target.insert(r[1].clone(), r[0].clone());
    }
    Mailboxes {
        by_sync_target,
        imw1_cluster,
    }
}

fn sync_target_uid(s: &Session, name: &str) -> String {
    s.env
        .kubectl_in(
            "root:imw1",
            &[
                "get",
                "synctargets.edge.kubestellar.io",
                name,
                "-o",
                "jsonpath={.metadata.uid}",
            ],
        )
        .ok()
        .stdout
}

/// stage-1b, "Connect guilder (florin) edge cluster with its mailbox workspace":
/// `prep-for-syncer`, then `kubectl apply` of its YAML to the kind cluster, which the test
/// stops at: the YAML holds what example1's `kubectl apply` output shows it creating.
fn stage_1b(ex: &Example1, s: &Session, sync_target: &str, mailboxes: &Mailboxes) {
    let needle = format!("kubectl kubestellar prep-for-syncer --imw root:imw1 {sync_target}");
    let printed = s.run(ex.commands("stage-1b", &needle));
    let shown = ex.after("stage-1b", &needle, "no-copy");
    let name = Regex::new(&format!("kubestellar-syncer-{sync_target}-[a-z0-9]{{8}}")).unwrap();
    let shown_syncer = name.find(shown).expect("example1 names the syncer").as_str();
    let syncer = name
        .find(&printed)
        .unwrap_or_else(|| panic!("{printed}"))
        .as_str();
    // example1's script says where it went, what it made and where it wrote the YAML.
    let file = format!("{sync_target}-syncer.yaml");
    assert!(shown.contains(&format!("kubectl apply -f \"{file}\"")), "{shown}");
    let said: Vec<String> = printed
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let mailbox = &mailboxes.by_sync_target[sync_target];
    for line in [
        format!("In root:{mailbox}:"),
        format!("ServiceAccount default/{syncer} created"),
        format!("ClusterRole {syncer} created"),
        format!("ClusterRoleBinding {syncer} created"),
        format!("Wrote the edge cluster's YAML for syncer {syncer} to {file}. Apply it with"),
        format!("KUBECONFIG=<edge cluster kubeconfig> kubectl apply -f {file}"),
    ] {
        assert!(said.contains(&line), "{line:?} not in:\n{printed}");
    }
    // "Next `kubectl apply` that to the guilder cluster": no kind cluster here.
    let apply = format!("--context kind-{sync_target} apply -f {file}");
    let yaml = std::fs::read_to_string(s.env.dir.path().join(&file)).expect("the syncer's YAML");
    let would_print = applied_lines(&yaml);
    let shown_applied: Vec<String> = ex
        .after("stage-1b", &apply, "no-copy")
        .lines()
        .map(|l| l.trim().replace(shown_syncer, syncer))
        .collect();
    assert_eq!(would_print, shown_applied);
    let deployment = documents(&yaml).pop().expect("documents");
    let args = &deployment["spec"]["template"]["spec"]["containers"][0]["args"];
    let uid = sync_target_uid(s, sync_target);
    for arg in [
        format!("--sync-target-name={sync_target}"),
        format!("--sync-target-uid={uid}"),
    ] {
        assert!(args.as_array().unwrap().contains(&json!(arg)), "{args}");
    }
}

/// stage-2: the two workload management workspaces, their workloads and EdgePlacements, and
/// what the where-resolver would make of them.
fn stage_2(ex: &Example1, s: &Session, mailboxes: &Mailboxes) {
    ensure_wmw(ex, s, "wmw-c");
    for needle in ["name: commonstuff", "name: edge-placement-c"] {
        apply(ex, s, needle);
    }
    ensure_wmw(ex, s, "wmw-s");
    apply(ex, s, "kind: CustomResourceDefinition");
    let wait = "kubectl wait --for condition=Established crd crontabs.stable.example.com";
    let established = s.run(ex.commands("stage-2", wait));
    assert_eq!(
        established.trim(),
        "customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met"
    );
    for needle in ["name: specialstuff", "name: edge-placement-s"] {
        apply(ex, s, needle);
    }
    where_resolver(ex, s, mailboxes);
}

/// `kubectl ws root; kubectl kubestellar ensure wmw NAME`. KubeStellar's script leaves the
/// shell in the new workspace, and example1's next block applies the workload there; the plugin
/// never moves the current workspace, so the test enters it with `kubectl ws`, the one step it
/// adds to example1.
fn ensure_wmw(ex: &Example1, s: &Session, name: &str) {
    let needle = format!("kubectl kubestellar ensure wmw {name}");
    let printed = s.run(ex.commands("stage-2", &needle));
    let first =
        format!("workspace.tenancy.kcp.io/{name} created\napibinding.apis.kcp.io/bind-espw created\n");
    assert!(printed.starts_with(&first), "{printed}");
    assert_eq!(printed.matches(" created\n").count(), 18, "{printed}");
    assert_eq!(s.current(), "root", "ensure wmw moved the current workspace");
    let path = format!("root:{name}");
    if name == "wmw-c" {
        bindings_as_shown(ex, s, &needle, &path);
    }
    s.ws(&path);
    // The hidden `sleep 15` after it: until every binding is Bound.
    let bound = wait_for(s.env.kcp(), LONG, |k| {
        let b = k.list(&path, "apis.kcp.io/v1alpha1", "apibindings");
        let ours: Vec<&Value> = b
            .iter()
            .filter(|b| {
                b["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("bind-"))
            })
            .collect();
        ours.len() == 17 && ours.iter().all(|b| b["status"]["phase"] == "Bound")
    });
    assert!(bound, "the bindings in {path} did not all become Bound");
}

/// "This is equivalent to creating that workspace and then entering it and creating the
/// following two `APIBinding` objects": `bind-espw` as shown; example1's `bind-kube` (to
/// root:compute's `kubernetes`) predates v0.14's script, which binds that export as
/// `bind-kubernetes` beside 15 more of root:compute's exports, as the plugin does.
fn bindings_as_shown(ex: &Example1, s: &Session, needle: &str, path: &str) {
    for shown in documents(ex.after("stage-2", needle, "yaml")) {
        let name = match shown["metadata"]["name"].as_str() {
            Some("bind-kube") => "bind-kubernetes",
            Some(other) => other,
            None => panic!("an unnamed binding in example1"),
        };
        let got = s
            .env
            .kubectl_in(path, &["get", "apibindings.apis.kcp.io", name, "-o", "json"])
            .ok()
            .json();
        assert_eq!(got["spec"]["reference"], shown["spec"]["reference"], "{name}");
    }
}

/// One of example1's `kubectl apply -f - <<EOF` blocks, as written: it prints a line per
/// object created.
fn apply(ex: &Example1, s: &Session, needle: &str) {
    let block = ex.commands("stage-2", needle);
    let printed = s.run(block);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines, applied_lines(&heredoc(block)), "{printed}");
}

/// example1's EdgePlacements, each with the workload management workspace it is created in.
const PLACEMENTS: &[(&str, &str)] = &[
    ("edge-placement-c", "root:wmw-c"),
    ("edge-placement-s", "root:wmw-s"),
];

/// stage-2, "Where Resolver": KubeStellar's Go where-resolver is not run. The test resolves each
/// EdgePlacement's `locationSelectors` against the Locations `ensure location` made, as the
/// where-resolver does, finds example1's table, and creates the SinglePlacementSlice the
/// where-resolver would: the edge API of the plugin's `init espw` must keep all of it.
fn where_resolver(ex: &Example1, s: &Session, mailboxes: &Mailboxes) {
    let block = ex.commands("stage-2", "kubestellar-where-resolver &");
    s.run(&without(block, &["kubestellar-where-resolver &", "sleep 10"]));
    let resolved_as_shown = resolutions(&ex.texts["stage-2"]);
    for (placement, path) in PLACEMENTS {
        let locations = resolve(s, path, placement);
        assert_eq!(&locations, &resolved_as_shown[*placement], "{placement}");
        single_placement_slice(s, path, placement, &locations, mailboxes);
    }
    // The waits for them, then the look at one.
    s.run(ex.commands("stage-2", "while ! kubectl get SinglePlacementSlice"));
    s.run(ex.exactly("stage-2", "kubectl ws root:wmw-c"));
    let needle = "kubectl get SinglePlacementSlice -o yaml";
    let printed = s.run(ex.commands("stage-2", needle));
    let shown: Value = serde_saphyr::from_str(ex.after("stage-2", needle, "no-copy")).unwrap();
    let got: Value = serde_saphyr::from_str(&printed).unwrap();
    assert_eq!(slice_shape(&got), slice_shape(&shown), "{printed}");
}

/// example1's table: EdgePlacement → the Locations it resolves to.
fn resolutions(text: &str) -> BTreeMap<String, Vec<String>> {
    text.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(str::trim).collect();
            (cells.len() == 2 && cells[0].starts_with("edge-placement-")).then(|| {
                let locations = cells[1].split(',').map(|c| c.trim().to_string()).collect();
                (cells[0].to_string(), locations)
            })
        })
        .collect()
}

/// The Locations of root:imw1 whose labels one of the EdgePlacement's `locationSelectors`
/// matches (example1's selectors are `matchLabels` only).
fn resolve(s: &Session, path: &str, placement: &str) -> Vec<String> {
    let ep = s
        .env
        .kubectl_in(
            path,
            &[
                "get",
                "edgeplacements.edge.kubestellar.io",
                placement,
                "-o",
                "json",
            ],
        )
        .ok()
        .json();
    let locations = s
        .env
        .kubectl_in(
            "root:imw1",
            &["get", "locations.edge.kubestellar.io", "-o", "json"],
        )
        .ok()
        .json();
    let selects = |labels: &Value| {
        ep["spec"]["locationSelectors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|sel| {
                assert!(sel.get("matchExpressions").is_none(), "{sel}");
                sel["matchLabels"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .all(|(k, v)| labels[k] == *v)
            })
    };
    let mut out: Vec<String> = locations["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| selects(&l["metadata"]["labels"]))
        .map(|l| l["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

/// The where-resolver's SinglePlacementSlice, as example1's output shows one.
fn single_placement_slice(
    s: &Session,
    path: &str,
    placement: &str,
    locations: &[String],
    mailboxes: &Mailboxes,
) {
    let uid = s
        .env
        .kubectl_in(
            path,
            &[
                "get",
                "edgeplacements.edge.kubestellar.io",
                placement,
                "-o",
                "jsonpath={.metadata.uid}",
            ],
        )
        .ok()
        .stdout;
    let destinations: Vec<Value> = locations
        .iter()
        .map(|l| json!({"cluster": mailboxes.imw1_cluster, "locationName": l, "syncTargetName": l, "syncTargetUID": sync_target_uid(s, l)}))
        .collect();
    let slice = json!({
        "apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SinglePlacementSlice",
        "metadata": {"name": placement, "ownerReferences": [{"apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "EdgePlacement", "name": placement, "uid": uid}]},
        "destinations": destinations,
    });
    s.env.kubectl_create(path, &slice).ok();
    let kept = s
        .env
        .kubectl_in(
            path,
            &[
                "get",
                "singleplacementslices.edge.kubestellar.io",
                placement,
                "-o",
                "json",
            ],
        )
        .ok()
        .json();
    assert_eq!(kept["destinations"], slice["destinations"], "{placement}");
    assert_eq!(
        kept["metadata"]["ownerReferences"],
        slice["metadata"]["ownerReferences"]
    );
}

/// A list of SinglePlacementSlices as compared: kinds, names, owners and destinations, with
/// generated IDs by their shape.
fn slice_shape(list: &Value) -> Value {
    let uid = Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").unwrap();
    let items: Vec<Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let destinations: Vec<Value> = i["destinations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    assert!(is_cluster_id(d["cluster"].as_str().unwrap()), "{d}");
                    assert!(uid.is_match(d["syncTargetUID"].as_str().unwrap()), "{d}");
                    json!({"locationName": d["locationName"], "syncTargetName": d["syncTargetName"], "keys": d.as_object().unwrap().keys().collect::<Vec<_>>()})
                })
                .collect();
            let owners: Vec<Value> = i["metadata"]["ownerReferences"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| json!([o["apiVersion"], o["kind"], o["name"]]))
                .collect();
            json!({"apiVersion": i["apiVersion"], "kind": i["kind"], "name": i["metadata"]["name"], "owners": owners, "destinations": destinations})
        })
        .collect();
    json!({"kind": list["kind"], "items": items})
}

/// teardown: example1's commands but kind's, then the controllers stopped (`kubestellar
/// stop`). The mailbox controller is still running when example1 deletes imw1, so it deletes
/// the mailboxes of imw1's SyncTargets itself (as KubeStellar's does); example1's own
/// `kubectl delete workspace $FLORIN_WS` then finds either the mailbox or nothing.
fn teardown(ex: &Example1, s: &Session, controller: &mut Controller, mailboxes: &Mailboxes) {
    let block = without(
        ex.commands("teardown", "kubectl delete workspace imw1"),
        &[
            "kind delete cluster --name florin",
            "kind delete cluster --name guilder",
        ],
    );
    let vars = [
        ("FLORIN_WS", mailboxes.by_sync_target["florin"].as_str()),
        ("GUILDER_WS", mailboxes.by_sync_target["guilder"].as_str()),
    ];
    for line in block.lines() {
        if let Some(path) = line.strip_prefix("kubectl ws ") {
            s.ws(path);
            continue;
        }
        let run = s.sh_with(line, &vars);
        if let Some(var) = line.strip_prefix("kubectl delete workspace $") {
            let mailbox = vars.iter().find(|(k, _)| *k == var).unwrap().1;
            mailbox_deleted(&run, mailbox, controller);
            continue;
        }
        let run = run.ok();
        if let Some(wmw) = line.strip_prefix("kubectl kubestellar remove wmw ") {
            assert_eq!(run.stdout, format!("workspace \"{wmw}\" deleted\n"));
        } else if line == "kubectl delete workspace imw1" {
            assert_eq!(run.stdout, "workspace.tenancy.kcp.io \"imw1\" deleted\n");
        }
    }
    let left = wait_for(s.env.kcp(), LONG, |k| {
        let mut names: Vec<String> = k
            .list("root", "tenancy.kcp.io/v1alpha1", "workspaces")
            .iter()
            .map(|w| w["metadata"]["name"].as_str().unwrap_or_default().to_string())
            .collect();
        names.sort();
        names == ["compute", "espw"]
    });
    assert!(
        left,
        "root holds more than compute and espw:\n{}",
        controller.log()
    );
    // "Teardown bare processes": `kubestellar stop` stops the controllers.
    ex.commands("teardown", "kubestellar stop");
    controller.signal("INT");
    assert_eq!(controller.wait_exit(WAIT), Some(0), "{}", controller.log());
}

/// `kubectl delete workspace <mailbox>`: deleted, or already deleted by the controller.
fn mailbox_deleted(run: &Run, mailbox: &str, controller: &Controller) {
    if run.code == 0 {
        assert_eq!(
            run.stdout,
            format!("workspace.tenancy.kcp.io \"{mailbox}\" deleted\n")
        );
        return;
    }
    assert!(run.stderr.contains("(NotFound)"), "{run:?}");
    let line = format!("deleted mailbox workspace: its SyncTarget is gone mailbox=\"{mailbox}\"");
    assert!(controller.wait_log(&line, WAIT).is_some(), "{}", controller.log());
}
