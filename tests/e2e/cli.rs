//! The command surface: help, plugin discovery, version, and the completion scripts kept in
//! `completions/` (regenerate with `KUBESTELLAR_BLESS=1 cargo test --test e2e -- cli::`).

use crate::common::Env;
use clap_complete::Shell;

#[test]
fn kubectl_finds_the_plugin_and_help_lists_every_command() {
    let env = Env::new();
    // Only the test's bin directory on PATH: a copy installed with `cargo install` would be
    // reported as overshadowed (exit 1), which is right for kubectl and beside the point here.
    let kubectl = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("kubectl"))
        .find(|k| k.is_file())
        .expect("kubectl on PATH");
    let plugins = env
        .command(kubectl.to_str().unwrap())
        .env("PATH", env.dir.path().join("bin"))
        .args(["plugin", "list"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&plugins.stdout);
    assert!(
        plugins.status.success() && stdout.contains("kubectl-kubestellar"),
        "{stdout}{}",
        String::from_utf8_lossy(&plugins.stderr)
    );
    let help = env.plugin(&["--help"]).ok();
    assert!(
        help.stdout
            .contains("Usage: kubectl kubestellar [OPTIONS] <COMMAND>"),
        "{}",
        help.stdout
    );
    for cmd in [
        "mailbox",
        "init",
        "remove",
        "prep-for-syncer",
        "completion",
        "version",
    ] {
        assert!(
            help.stdout.contains(&format!("  {cmd} ")),
            "help lacks {cmd}:\n{}",
            help.stdout
        );
    }
    let mailbox = env.plugin(&["mailbox", "--help"]).ok();
    for cmd in ["sync", "list", "watch"] {
        assert!(
            mailbox.stdout.contains(&format!("  {cmd} ")),
            "{}",
            mailbox.stdout
        );
    }
    for flag in [
        "--kubeconfig",
        "--context",
        "--espw-path",
        "--verbose",
        "--quiet",
        "--request-timeout",
    ] {
        assert!(
            env.plugin(&["mailbox", "sync", "--help"])
                .ok()
                .stdout
                .contains(flag),
            "global flag {flag} after a subcommand"
        );
    }
}

#[test]
fn help_lists_the_commands_own_flags_first_then_the_global_ones_under_their_heading() {
    let env = Env::new();
    for (args, own) in [
        (&["mailbox", "sync", "--help"][..], "--dry-run"),
        (&["mailbox", "list", "--help"][..], "--sync-target"),
        (&["remove", "wmw", "--help"][..], "--parent"),
    ] {
        let help = env.plugin(args).ok().stdout;
        let at = |needle: &str| {
            help.find(needle)
                .unwrap_or_else(|| panic!("{args:?}: no {needle:?} in\n{help}"))
        };
        let global = at("\nGlobal Options:\n");
        assert!(at("\nOptions:\n") < at(own) && at(own) < global, "{help}");
        for flag in [
            "--kubeconfig",
            "--context",
            "--espw-path",
            "--verbose",
            "--quiet",
            "--request-timeout",
        ] {
            assert!(
                at(flag) > global,
                "{args:?}: {flag} is not under Global Options:\n{help}"
            );
        }
    }
}

#[test]
fn version_says_what_it_is() {
    let env = Env::new();
    let v = env.plugin(&["version"]).ok();
    assert!(
        v.stdout.starts_with(&format!(
            "kubectl-kubestellar {} (commit ",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        v.stdout
    );
    let flag = env.plugin(&["--version"]).ok();
    assert_eq!(
        flag.stdout.trim(),
        format!("kubectl-kubestellar {}", env!("CARGO_PKG_VERSION"))
    );
}

const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "kubectl-kubestellar.bash"),
    (Shell::Zsh, "_kubectl-kubestellar"),
    (Shell::Fish, "kubectl-kubestellar.fish"),
    (Shell::PowerShell, "_kubectl-kubestellar.ps1"),
    (Shell::Elvish, "kubectl-kubestellar.elv"),
];

#[test]
fn completion_scripts_in_the_repo_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let bless = std::env::var_os("KUBESTELLAR_BLESS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let want = kubectl_kubestellar::completion_script(shell);
        let path = dir.join(file);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &want).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale completion scripts {stale:?}: run KUBESTELLAR_BLESS=1 cargo test --test e2e -- cli::"
    );
}

#[test]
fn the_completion_command_prints_the_same_scripts() {
    let env = Env::new();
    let out = env.plugin(&["completion", "bash"]).ok();
    assert_eq!(out.stdout, kubectl_kubestellar::completion_script(Shell::Bash));
    let bad = env.plugin(&["completion", "tcsh"]).code(2);
    assert!(bad.stderr.contains("invalid value 'tcsh'"), "{}", bad.stderr);
}

/// Every command's man page: the root, and one per subcommand (`kubectl-kubestellar-mailbox-sync.1`).
fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: &clap::Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) {
        // Page names use dashes; the synopsis reads as users type it.
        // (clap takes `'static` names without its `string` feature; a test can leak a few.)
        let page = cmd
            .clone()
            .name(&*name.to_string().leak())
            .bin_name(name.replace('-', " "));
        let mut buf = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut buf)
            .expect("render man page");
        out.push((format!("{name}.1"), buf));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, &format!("{name}-{}", sub.get_name()), out);
        }
    }
    use clap::CommandFactory;
    let mut out = Vec::new();
    walk(
        &kubectl_kubestellar::Cli::command(),
        "kubectl-kubestellar",
        &mut out,
    );
    out
}

#[test]
fn man_pages_in_the_repo_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = man_pages();
    assert!(pages.len() >= 10, "a page per command");
    if std::env::var_os("KUBESTELLAR_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (file, body) in &pages {
            std::fs::write(dir.join(file), body).unwrap();
        }
        return;
    }
    let stale: Vec<&String> = pages
        .iter()
        .filter(|(f, b)| std::fs::read(dir.join(f)).ok().as_ref() != Some(b))
        .map(|(f, _)| f)
        .collect();
    assert!(
        stale.is_empty(),
        "stale man pages {stale:?}: run KUBESTELLAR_BLESS=1 cargo test --test e2e -- cli::"
    );
    let kept = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        kept,
        pages.len(),
        "man/ holds pages of commands that no longer exist"
    );
}
