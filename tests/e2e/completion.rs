//! kubectl's plugin completion end to end: the real `kubectl __complete kubestellar ...` (what
//! a shell's TAB runs) finds `kubectl_complete-kubestellar` on PATH and asks it, against
//! kcp-sim.

use crate::common;

use crate::common::{Env, Run, mailbox};

/// What kubectl answered: the candidates' values (descriptions dropped) and the directive.
struct Answer {
    values: Vec<String>,
    directive: String,
    run: Run,
}

fn answer(run: Run) -> Answer {
    let run = run.ok();
    let mut lines: Vec<&str> = run.stdout.lines().collect();
    let directive = lines.pop().unwrap_or_default().to_string();
    assert!(directive.starts_with(':'), "no directive last:\n{}", run.stdout);
    let values = lines
        .iter()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect();
    Answer {
        values,
        directive,
        run,
    }
}

/// `kubectl __complete kubestellar WORDS...`, the last word being the one under the cursor.
fn complete(env: &Env, words: &[&str]) -> Answer {
    let mut args = vec!["__complete", "kubestellar"];
    args.extend_from_slice(words);
    answer(env.kubectl(&args))
}

/// The completer run directly, as kubectl runs it (to see its own stderr).
fn completer(env: &Env, words: &[&str]) -> Answer {
    answer(Run::from(
        env.command(common::completer_bin())
            .args(words)
            .output()
            .expect("run the completer"),
    ))
}

/// kubectl's stderr holds only its own debug lines: nothing from the completer.
#[track_caller]
fn quiet(a: &Answer) {
    assert!(
        a.run
            .stderr
            .lines()
            .all(|l| l.starts_with("[Debug] ") || l.starts_with("Completion ended with directive")),
        "unexpected stderr:\n{}",
        a.run.stderr
    );
}

#[test]
fn subcommands_flags_and_their_values() {
    let env = Env::new();
    let a = complete(&env, &[""]);
    assert_eq!(
        a.values,
        [
            "mailbox",
            "init",
            "ensure",
            "remove",
            "prep-for-syncer",
            "prep-for-cluster",
            "completion",
            "version"
        ]
    );
    assert_eq!(a.directive, ":4");
    assert!(
        a.run.stdout.contains("mailbox\tMailbox workspaces"),
        "descriptions: {}",
        a.run.stdout
    );
    quiet(&a);
    assert_eq!(complete(&env, &["ma"]).values, ["mailbox"]);
    assert_eq!(complete(&env, &["mailbox", ""]).values, ["sync", "list", "watch"]);

    let flags = complete(&env, &["mailbox", "list", "--"]).values;
    for f in [
        "--output",
        "--sync-target",
        "--context",
        "--kubeconfig",
        "--layout",
    ] {
        assert!(flags.iter().any(|v| v == f), "{f} not in {flags:?}");
    }
    assert_eq!(
        complete(&env, &["mailbox", "list", "-o", ""]).values,
        ["table", "wide", "json", "yaml", "name"]
    );
    assert_eq!(
        complete(&env, &["mailbox", "list", "--output=y"]).values,
        ["--output=yaml"]
    );
    assert_eq!(
        complete(&env, &["completion", ""]).values,
        ["bash", "elvish", "fish", "powershell", "zsh"]
    );
    // A path: no candidates, and the shell completes file names.
    let kubeconfig = complete(&env, &["mailbox", "sync", "--kubeconfig", ""]);
    assert!(kubeconfig.values.is_empty() && kubeconfig.directive == ":0");
}

#[test]
fn contexts_come_from_the_kubeconfig_on_the_line_or_in_the_environment() {
    let env = Env::new();
    assert_eq!(
        complete(&env, &["mailbox", "list", "--context", ""]).values,
        ["root", "base", "system:admin", "user"]
    );
    assert_eq!(complete(&env, &["--context", "sys"]).values, ["system:admin"]);
    let other = env.dir.path().join("other.kubeconfig");
    std::fs::write(
        &other,
        "apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts:\n- name: elsewhere\n  context: {cluster: c, user: u}\n",
    )
    .unwrap();
    let other = other.to_str().unwrap();
    assert_eq!(
        complete(&env, &["remove", "wmw", "--kubeconfig", other, "--context", ""]).values,
        ["elsewhere"]
    );
}

#[test]
fn remove_wmw_completes_the_workspaces_in_the_parent() {
    let env = Env::new();
    for name in ["wmw1", "wmw2"] {
        env.kcp().create_workspace("root", name).expect("workspace");
    }
    let mb = mailbox("2x4lw9vnzdsu7b3h", "0b3a6d52-64a1-4a3b-9a0b-5a0c1d2e3f40");
    env.kcp()
        .create_workspace("root", &mb)
        .expect("mailbox-like workspace");
    env.kcp()
        .create_workspace("root:wmw1", "inner")
        .expect("nested workspace");
    // One that provides an APIExport (as kcp's root:compute does) is refused too.
    env.kcp().create_workspace("root", "exporter").expect("workspace");
    env.kcp()
        .create("root:exporter", serde_json::json!({"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIExport", "metadata": {"name": "widgets"}, "spec": {}}))
        .expect("export");

    // Not the mailboxes or exporters (refused without --force), nor the names already given.
    assert_eq!(complete(&env, &["remove", "wmw", ""]).values, ["wmw1", "wmw2"]);
    assert_eq!(complete(&env, &["remove", "wmw", "wmw1", ""]).values, ["wmw2"]);
    assert_eq!(complete(&env, &["remove", "wmw", "w"]).values, ["wmw1", "wmw2"]);
    let forced = complete(&env, &["remove", "wmw", "--force", ""]).values;
    assert!(forced.contains(&mb), "{forced:?}");
    assert_eq!(
        complete(&env, &["remove", "wmw", "--parent", "root:wmw1", ""]).values,
        ["inner"]
    );
    // A parent that does not exist: nothing, quietly.
    let none = complete(&env, &["remove", "wmw", "--parent", "root:nope", ""]);
    assert!(none.values.is_empty(), "{:?}", none.values);
    assert_eq!(none.directive, ":4");
    quiet(&none);
}

#[test]
fn sync_targets_are_read_through_the_export_view() {
    let env = Env::new();
    env.edge_api();
    env.imw("imw1");
    env.imw("imw2");
    env.sync_target("imw1", "florin");
    env.sync_target("imw2", "florin");
    env.sync_target("imw2", "guilder");
    let a = complete(&env, &["mailbox", "list", "--sync-target", ""]);
    assert_eq!(a.values, ["florin", "guilder"], "once each, sorted");
    assert_eq!(a.directive, ":4");
    assert_eq!(
        complete(&env, &["mailbox", "list", "--sync-target=g"]).values,
        ["--sync-target=guilder"]
    );
    // The layout flags on the line are used: no export there, so no candidates.
    let elsewhere = complete(
        &env,
        &["mailbox", "list", "--espw-path", "root:nope", "--sync-target", ""],
    );
    assert!(elsewhere.values.is_empty(), "{:?}", elsewhere.values);
    quiet(&elsewhere);
}

#[test]
fn an_unreachable_server_gets_an_empty_quiet_answer() {
    let env = Env::new();
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let text = std::fs::read_to_string(&env.kubeconfig).unwrap();
    let host = env.url().trim_start_matches("https://");
    std::fs::write(&env.kubeconfig, text.replace(host, &format!("127.0.0.1:{port}"))).unwrap();
    for words in [
        &["remove", "wmw", ""][..],
        &["mailbox", "list", "--sync-target", ""],
    ] {
        let a = complete(&env, words);
        assert_eq!(a.run.stdout, ":4\n", "{words:?}");
        quiet(&a);
        let direct = completer(&env, words);
        assert_eq!(direct.run.stdout, ":4\n");
        assert_eq!(direct.run.stderr, "", "{words:?}");
    }
    // Contexts need no server.
    assert_eq!(complete(&env, &["--context", "b"]).values, ["base"]);
}

#[test]
fn a_slow_server_is_not_waited_for() {
    let env = Env::sim_only("latency is injected by kcp-sim");
    env.kcp().create_workspace("root", "wmw1").expect("workspace");
    assert_eq!(completer(&env, &["remove", "wmw", ""]).values, ["wmw1"]);
    // Every request now takes longer than the completer's whole budget: it answers without
    // the workspaces rather than wait for them.
    env.sim().set_faults(kcp_sim::Faults {
        latency_ms: 4 * kubectl_kubestellar::COMPLETION_BUDGET.as_millis() as u64,
        ..Default::default()
    });
    let slow = completer(&env, &["remove", "wmw", ""]);
    assert_eq!(slow.run.stdout, ":4\n");
    assert_eq!(slow.run.stderr, "");
}

#[test]
fn bad_words_never_make_an_error() {
    let env = Env::new();
    for words in [
        &["mailbox", "list", "--layout", "nope", "--sync-target", ""][..],
        &["remove", "wmw", "--parent", "Not A Path", ""],
        &["--kubeconfig", "/nonexistent", "--context", ""],
        &["--", "--", ""],
    ] {
        let direct = completer(&env, words);
        assert_eq!(direct.run.stderr, "", "{words:?}");
        assert!(direct.values.is_empty(), "{words:?}: {:?}", direct.values);
    }
}
