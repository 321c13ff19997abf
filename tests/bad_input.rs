//! Bad input gets one clear sentence and a non-zero exit, never a panic; nothing changes.

mod common;

use common::{Env, Run, TempDir};
use std::process::Command;

/// Run the plugin binary directly (no kubectl), with a clean HOME and the given KUBECONFIG.
fn plugin_with(home: &TempDir, kubeconfig: Option<&str>, args: &[&str]) -> Run {
    let mut c = Command::new(common::plugin_bin());
    c.args(args)
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG");
    match kubeconfig {
        Some(k) => c.env("KUBECONFIG", k),
        None => c.env_remove("KUBECONFIG"),
    };
    let o = c.output().expect("run plugin");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    }
}

#[track_caller]
fn expect(run: Run, code: i32, words: &[&str]) {
    let run = run.code(code);
    let line = run.one_error_line().to_string();
    for w in words {
        assert!(line.contains(w), "{line:?} should mention {w:?}");
    }
}

#[test]
fn kubeconfig_problems_are_usage_errors() {
    let home = TempDir::new("bad");
    let missing = home.path().join("nope.kubeconfig");
    expect(
        plugin_with(&home, Some(missing.to_str().unwrap()), &["mailbox", "list"]),
        2,
        &["no kubeconfig found", "KUBECONFIG"],
    );
    expect(
        plugin_with(&home, None, &["mailbox", "list"]),
        2,
        &["no kubeconfig", ".kube/config"],
    );

    let garbage = home.path().join("garbage");
    std::fs::write(&garbage, "clusters: [this is: not: a kubeconfig").unwrap();
    expect(
        plugin_with(&home, Some(garbage.to_str().unwrap()), &["mailbox", "sync"]),
        2,
        &["not a valid kubeconfig"],
    );

    let empty = home.path().join("empty");
    std::fs::write(&empty, "").unwrap();
    expect(
        plugin_with(&home, Some(empty.to_str().unwrap()), &["mailbox", "sync"]),
        2,
        &["is empty"],
    );
}

#[test]
fn an_unknown_context_names_the_ones_there_are() {
    let env = Env::new();
    expect(
        env.plugin(&["mailbox", "list", "--context", "nope"]),
        2,
        &[
            "context \"nope\" is not in the kubeconfig",
            "root, base, system:admin",
        ],
    );
}

#[test]
fn usage_mistakes_are_refused_before_any_request() {
    let env = Env::new();
    env.sim.reset_requests();
    expect(
        env.plugin(&["mailbox", "sync", "--espw-path", "root::espw"]),
        2,
        &["--espw-path", "not a valid workspace path"],
    );
    expect(
        env.plugin(&["mailbox", "list", "--mailbox-parent", "Root"]),
        2,
        &["--mailbox-parent"],
    );
    let bad_flag = env.plugin(&["mailbox", "sync", "--frobnicate"]).code(2);
    assert!(
        bad_flag.stderr.contains("unexpected argument '--frobnicate'"),
        "{}",
        bad_flag.stderr
    );
    let bad_timeout = env.plugin(&["mailbox", "sync", "--timeout", "soon"]).code(2);
    assert!(
        bad_timeout.stderr.contains("is not a duration"),
        "{}",
        bad_timeout.stderr
    );
    let requests = env.sim.requests();
    assert_eq!(
        requests.total,
        requests.count("health", None),
        "only kubectl's own /version probe reached the server"
    );
}

#[test]
fn an_unreachable_server_says_so() {
    let home = TempDir::new("unreachable");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let kubeconfig = home.path().join("kc");
    std::fs::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:{port}/clusters/root\nusers:\n- name: u\n  user: {{}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n"),
    )
    .unwrap();
    expect(
        plugin_with(&home, Some(kubeconfig.to_str().unwrap()), &["mailbox", "list"]),
        1,
        &["connection refused", "is the kcp server running"],
    );
}

#[test]
fn an_untrusted_certificate_is_a_tls_error() {
    let env = Env::new();
    let other = kcp_sim::SimServer::start(kcp_sim::SimConfig::default()).unwrap();
    // Our server's URL with the other server's CA.
    let wrong = other.kubeconfig().replace(other.url(), env.url());
    let path = env.dir.path().join("wrong-ca");
    std::fs::write(&path, wrong).unwrap();
    expect(
        plugin_with(&env.dir, Some(path.to_str().unwrap()), &["mailbox", "list"]),
        1,
        &["TLS handshake failed", "certificate"],
    );
}

#[test]
fn rejected_credentials_and_missing_permissions_are_explained() {
    let env = Env::new();
    env.edge_api();
    let bad_token = std::fs::read_to_string(&env.kubeconfig)
        .unwrap()
        .replace(env.sim.admin_token(), "not-a-token");
    let path = env.dir.path().join("bad-token");
    std::fs::write(&path, bad_token).unwrap();
    expect(
        plugin_with(&env.dir, Some(path.to_str().unwrap()), &["mailbox", "list"]),
        1,
        &["Unauthorized", "credentials were rejected"],
    );
    // The read-only user may not read the export's view.
    let before = env.workspaces("root");
    expect(
        env.plugin(&["mailbox", "sync", "--context", "user"]),
        1,
        &["forbidden"],
    );
    assert_eq!(env.workspaces("root"), before);
}

#[test]
fn a_missing_export_is_waited_for_then_reported() {
    let env = Env::new();
    let out = env.plugin(&["mailbox", "sync", "--timeout", "1s"]);
    expect(out, 1, &["root:espw", "kubectl kubestellar init espw"]);
    env.sim.create_workspace("root", "espw").unwrap();
    let out = env.plugin(&["mailbox", "list"]);
    expect(
        out,
        1,
        &["APIExport edge.kubestellar.io does not exist in root:espw"],
    );
}
