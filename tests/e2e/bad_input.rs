//! Bad input, every door: each case gets one clear sentence naming the problem, the right
//! exit code, never a panic, and no change to what exists. `docs/troubleshooting.md` is this
//! table in prose (a test keeps them together).

use crate::common;

use crate::common::{Env, Run, TempDir, WAIT, mailbox, wait_for};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Which kubeconfig a case runs with.
#[derive(Clone, Copy, Debug)]
enum Kc {
    Good,
    /// KUBECONFIG names a file that does not exist.
    Missing,
    /// No KUBECONFIG and no ~/.kube/config.
    NoneAtAll,
    Empty,
    Garbage,
    NoCurrentContext,
    BadToken,
    NoToken,
    WrongCa,
    Unreachable,
}

struct Case {
    kc: Kc,
    args: &'static [&'static str],
    code: i32,
    /// Words the one error line must contain; the first is what the README quotes.
    says: &'static [&'static str],
}

const fn case(kc: Kc, args: &'static [&'static str], code: i32, says: &'static [&'static str]) -> Case {
    Case { kc, args, code, says }
}

const CASES: &[Case] = &[
    case(
        Kc::Missing,
        &["mailbox", "list"],
        2,
        &["no kubeconfig found at KUBECONFIG="],
    ),
    case(
        Kc::NoneAtAll,
        &["mailbox", "sync"],
        2,
        &["no kubeconfig: no --kubeconfig, no KUBECONFIG", ".kube/config"],
    ),
    case(Kc::Empty, &["mailbox", "sync"], 2, &["is empty"]),
    case(
        Kc::Garbage,
        &["mailbox", "sync"],
        2,
        &["is not a valid kubeconfig"],
    ),
    case(
        Kc::NoCurrentContext,
        &["mailbox", "list"],
        2,
        &["has no current-context", "--context"],
    ),
    case(
        Kc::Good,
        &["mailbox", "list", "--context", "nope"],
        2,
        &["is not in the kubeconfig", "root, base, system:admin"],
    ),
    case(
        Kc::Unreachable,
        &["mailbox", "list"],
        1,
        &["connection refused", "is the kcp server running"],
    ),
    case(
        Kc::WrongCa,
        &["mailbox", "sync"],
        1,
        &["TLS handshake failed", "certificate"],
    ),
    case(
        Kc::BadToken,
        &["mailbox", "sync"],
        1,
        &["credentials were rejected", "Unauthorized"],
    ),
    case(
        Kc::NoToken,
        &["init", "espw"],
        1,
        &["sent no credentials", "system:anonymous"],
    ),
    case(
        Kc::Good,
        &["mailbox", "sync", "--context", "user"],
        1,
        &[
            "may not read the export's view",
            "list and watch on apiexports/content",
        ],
    ),
    case(
        Kc::Good,
        &["mailbox", "sync", "--frobnicate"],
        2,
        &["unexpected argument '--frobnicate'"],
    ),
    case(
        Kc::Good,
        &["mailbox", "frob"],
        2,
        &["unrecognized subcommand 'frob'"],
    ),
    case(
        Kc::Good,
        &["mailbox", "sync", "--espw-path", "root::espw"],
        2,
        &["is not a valid workspace path", "--espw-path"],
    ),
    case(
        Kc::Good,
        &["mailbox", "list", "--mailbox-parent", "Root"],
        2,
        &["is not a valid workspace path", "--mailbox-parent"],
    ),
    case(
        Kc::Good,
        &["mailbox", "sync", "--timeout", "soon"],
        2,
        &["is not a duration"],
    ),
    case(
        Kc::Good,
        &["mailbox", "sync", "--concurrency", "0"],
        2,
        &["0 is not in 1..=512"],
    ),
    case(
        Kc::Good,
        &["mailbox", "sync", "--sync-target-version", "2"],
        2,
        &["is not an API version"],
    ),
    case(
        Kc::Good,
        &["remove", "wmw", "wmw1", "Not_A_Name"],
        2,
        &["is not a valid workspace name", "nothing was deleted"],
    ),
    case(Kc::Good, &["remove", "wmw"], 2, &["no workspace name given"]),
    case(
        Kc::Good,
        &["remove", "wmw", "--parent", "root:nope", "wmw1"],
        2,
        &["the parent workspace root:nope does not exist", "--parent root"],
    ),
    case(
        Kc::Good,
        &["remove", "wmw", "-i", "wmw1"],
        2,
        &["--interactive needs a terminal", "nothing was deleted"],
    ),
    case(
        Kc::Good,
        &["remove", "wmw", "espw"],
        2,
        &[
            "refused to delete",
            "is the edge service provider workspace",
            "--force",
        ],
    ),
    case(
        Kc::Good,
        &["remove", "wmw", "imw1"],
        2,
        &["refused to delete", "holds 2 SyncTarget(s)"],
    ),
    case(
        Kc::Good,
        &["init", "espw", "--espw-path", "root"],
        2,
        &["must be a child workspace"],
    ),
    case(
        Kc::Good,
        &["mailbox", "watch", "--metrics-bind-address", "everywhere"],
        2,
        &["is not an address"],
    ),
    case(
        Kc::Good,
        &[
            "mailbox",
            "watch",
            "--leader-elect",
            "--leader-elect-renew-deadline",
            "20s",
        ],
        2,
        &["must be shorter than --leader-elect-lease-duration"],
    ),
    case(
        Kc::Good,
        &["mailbox", "watch", "--root-kubeconfig", "root.kubeconfig"],
        2,
        &["is a flag of KubeStellar's Go mailbox controller", "--kubeconfig"],
    ),
    case(
        Kc::Good,
        &["mailbox", "list", "-v=x"],
        2,
        &["the level must be a number"],
    ),
    case(Kc::Good, &["completion", "tcsh"], 2, &["invalid value 'tcsh'"]),
];

/// The world most cases run in: the edge API, an IMW with two SyncTargets, their mailboxes,
/// and a WMW.
fn world() -> Env {
    let env = Env::sim_only(
        "the no-change checks count kcp-sim's objects and requests, and some cases inject faults",
    );
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "guilder");
    env.sync_target("imw1", "florin");
    env.kcp().create_workspace("root", "wmw1").unwrap();
    env.plugin(&["mailbox", "sync"]).ok();
    // kcp makes a workspace's default namespace a moment after it is Ready: let that come
    // before "nothing changed" is compared.
    let settled = wait_for(env.kcp(), WAIT, |k| {
        k.list("root", "tenancy.kcp.io/v1alpha1", "workspaces")
            .iter()
            .filter_map(|w| w["metadata"]["name"].as_str())
            .all(|n| {
                k.get(&format!("root:{n}"), "v1", "namespaces", "default")
                    .is_some()
            })
    });
    assert!(settled, "every workspace got its default namespace");
    env
}

/// Everything that exists, to compare before and after.
fn snapshot(env: &Env) -> Vec<String> {
    let mut all: Vec<String> = env
        .workspaces("root")
        .iter()
        .map(|w| format!("{} {}", w["metadata"]["name"], w["metadata"]["resourceVersion"]))
        .collect();
    all.push(format!("objects {}", env.sim().object_count()));
    all
}

fn kubeconfig(env: &Env, kc: Kc, dir: &Path) -> Option<PathBuf> {
    let good = std::fs::read_to_string(&env.kubeconfig).unwrap();
    let write = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        Some(p)
    };
    match kc {
        Kc::Good => Some(env.kubeconfig.clone()),
        Kc::Missing => Some(dir.join("nope.kubeconfig")),
        Kc::NoneAtAll => None,
        Kc::Empty => write("empty", String::new()),
        Kc::Garbage => write("garbage", "clusters: [this is: not: a kubeconfig".into()),
        Kc::NoCurrentContext => write("nocurrent", good.replace("current-context: root", "")),
        Kc::BadToken => write("badtoken", good.replace(env.sim().admin_token(), "not-a-token")),
        Kc::NoToken => write(
            "notoken",
            good.replace(&format!("token: {}", env.sim().admin_token()), "username: nobody"),
        ),
        Kc::WrongCa => {
            let other = kcp_sim::SimServer::start(kcp_sim::SimConfig::default()).unwrap();
            write("wrongca", other.kubeconfig().replace(other.url(), env.url()))
        }
        Kc::Unreachable => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            write(
                "unreachable",
                good.replace(env.url(), &format!("https://127.0.0.1:{port}")),
            )
        }
    }
}

/// The plugin binary itself (kubectl would refuse a broken kubeconfig before running it).
fn plugin(home: &TempDir, kubeconfig: Option<&Path>, args: &[&str]) -> Run {
    let mut c = Command::new(common::plugin_bin());
    c.args(args)
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    match kubeconfig {
        Some(k) => c.env("KUBECONFIG", k),
        None => c.env_remove("KUBECONFIG"),
    };
    let o = c.output().expect("run the plugin");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    }
}

#[track_caller]
fn check(run: Run, code: i32, says: &[&str], what: &str) {
    assert_eq!(
        run.code, code,
        "{what}: exit code\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let line = run.one_error_line().to_string();
    for w in says {
        assert!(line.contains(w), "{what}: {line:?} should say {w:?}");
    }
}

#[test]
fn every_door_refuses_bad_input_with_one_sentence_and_changes_nothing() {
    assert!(CASES.len() >= 20);
    let env = world();
    let home = TempDir::new("bad");
    for c in CASES {
        let before = snapshot(&env);
        let kc = kubeconfig(&env, c.kc, home.path());
        let what = format!("{:?} {}", c.kc, c.args.join(" "));
        check(plugin(&home, kc.as_deref(), c.args), c.code, c.says, &what);
        assert_eq!(snapshot(&env), before, "{what}: changed what exists");
    }
}

/// GETs of the edge export: how often a command looked for it.
fn export_reads(env: &Env) -> u64 {
    env.sim().requests().count("get", Some("apiexports"))
}

#[test]
fn a_missing_espw_fails_at_once_and_one_not_ready_yet_is_waited_for() {
    let env = Env::sim_only(
        "the no-change checks count kcp-sim's objects and requests, and some cases inject faults",
    );
    let home = TempDir::new("noespw");
    // Nothing will create the ESPW while sync waits: it says so at once, whatever --timeout.
    env.sim().reset_requests();
    check(
        plugin(
            &home,
            Some(&env.kubeconfig),
            &["mailbox", "sync", "--timeout", "5m"],
        ),
        1,
        &[
            "the workspace root:espw does not exist",
            "kubectl kubestellar init espw",
        ],
        "no ESPW",
    );
    assert_eq!(export_reads(&env), 1, "sync looked once, and did not wait");
    // system:masters skips kcp's authorization: there the missing workspace's export is a
    // 404, not a 403, and the hint must still be about the workspace.
    check(
        plugin(
            &home,
            Some(&env.kubeconfig),
            &["mailbox", "sync", "--context", "system:admin"],
        ),
        1,
        &["the workspace root:espw does not exist"],
        "no ESPW, as system:masters",
    );

    // An ESPW that exists but is not Ready yet (kcp is still initializing it) is waited for.
    let initializing = Env::sim_only(
        "the no-change checks count kcp-sim's objects and requests, and some cases inject faults",
    );
    initializing
        .sim()
        .put_raw(
            "root",
            "tenancy.kcp.io/v1alpha1",
            "workspaces",
            json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace",
                   "metadata": {"name": "espw", "creationTimestamp": "2026-01-01T00:00:00Z"},
                   "spec": {"type": {"name": "universal", "path": "root"}},
                   "status": {"phase": "Initializing"}}),
        )
        .unwrap();
    check(
        plugin(
            &home,
            Some(&initializing.kubeconfig),
            &["mailbox", "sync", "--timeout", "1s"],
        ),
        1,
        &[
            "gave up waiting: the workspace root:espw is not Ready yet",
            "kubectl get workspace",
        ],
        "ESPW not Ready",
    );
    assert!(
        export_reads(&initializing) > 1,
        "sync looked again while it waited"
    );

    env.kcp().create_workspace("root", "espw").unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    env.edge_api_in_existing_espw();
    check(
        plugin(
            &home,
            Some(&env.kubeconfig),
            &["mailbox", "watch", "--metrics-bind-address", &addr],
        ),
        1,
        &["cannot serve metrics", "--metrics-bind-address"],
        "port taken",
    );
}

#[test]
fn a_sync_target_that_cannot_have_a_mailbox_is_reported_and_the_others_are_done() {
    let env = Env::sim_only(
        "the no-change checks count kcp-sim's objects and requests, and some cases inject faults",
    );
    env.edge_api();
    env.imw("imw1");
    let (c, u) = env.sync_target("imw1", "good");
    // What a correct server never sends: a UID that cannot be part of a workspace name.
    env.sim()
        .put_raw(
            "root:imw1",
            "edge.kubestellar.io/v2alpha1",
            "synctargets",
            json!({
                "apiVersion": "edge.kubestellar.io/v2alpha1", "kind": "SyncTarget",
                "metadata": {"name": "odd", "uid": "Not-A-UUID", "creationTimestamp": "2026-01-01T00:00:00Z"},
            }),
        )
        .unwrap();
    let out = env.plugin(&["mailbox", "sync"]).code(1);
    assert!(
        out.stdout
            .contains("SyncTarget root:imw1/odd cannot have a mailbox")
            && out.stdout.contains("would not be a valid workspace name"),
        "{}",
        out.stdout
    );
    assert!(
        env.bound(&mailbox(&c, &u)),
        "the other SyncTarget's mailbox was made"
    );
    let list = env.plugin(&["mailbox", "list", "--problems"]).ok();
    assert!(
        list.stdout
            .lines()
            .any(|l| l.contains("/odd") && l.contains("invalid")),
        "{}",
        list.stdout
    );
}

#[test]
fn an_interrupted_sync_exits_130_and_deletes_nothing() {
    let env = Env::sim_only(
        "the no-change checks count kcp-sim's objects and requests, and some cases inject faults",
    );
    env.edge_api();
    env.imw("imw1");
    for i in 0..12 {
        env.sync_target("imw1", &format!("edge-{i}"));
    }
    env.sim().set_faults(kcp_sim::Faults {
        latency_ms: 200,
        ..Default::default()
    });
    let home = TempDir::new("interrupt");
    let child = Command::new(common::plugin_bin())
        .args(["mailbox", "sync", "--concurrency", "2"])
        .env("HOME", home.path())
        .env("KUBECONFIG", &env.kubeconfig)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_for(env.kcp(), WAIT, |s| s
            .list("root", "tenancy.kcp.io/v1alpha1", "workspaces")
            .iter()
            .any(|w| w["metadata"]["name"].as_str().unwrap().contains("-mb-"))),
        "sync never started creating"
    );
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let run = Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    };
    check(
        run,
        130,
        &["interrupted before it finished", "run the command again"],
        "SIGINT",
    );
    env.sim().set_faults(kcp_sim::Faults::default());
    assert_eq!(env.sim().requests().count("delete", None), 0);
    env.plugin(&["mailbox", "sync"]).ok();
    assert_eq!(env.mailbox_names().len(), 12, "running it again finishes the job");
}

#[test]
fn the_troubleshooting_guide_covers_every_case() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/troubleshooting.md");
    let guide = std::fs::read_to_string(guide).unwrap();
    let section = guide
        .split("\n## On a real kcp")
        .next()
        .expect("the table of messages");
    let extra = [
        "the workspace root:espw does not exist",
        "gave up waiting: the workspace root:espw is not Ready yet",
        "does not exist in root:espw",
        "cannot serve metrics",
        "cannot have a mailbox",
        "interrupted before it finished",
    ];
    for said in CASES.iter().map(|c| c.says[0]).chain(extra) {
        assert!(
            section.contains(said),
            "docs/troubleshooting.md does not mention {said:?}"
        );
    }
}
