//! The docs run: `docs/tutorial.md` and the README's quick start are executed block by block
//! in a clean directory, against kcp-sim with the real kubectl and the built plugin, and every
//! documented output is compared with what was printed. A stale doc fails the build.
//!
//! In a Markdown file, a ```shell block runs; a following ```output block is what it prints
//! (stdout and stderr together). In output blocks `<url>`, `<id>`, `<uid>` and `<age>` stand
//! for what must vary; runs of spaces count as one; `output unordered` ignores line order.

use crate::common;

use crate::common::TempDir;
use regex::Regex;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

struct Block {
    /// Line of the block in its file, for messages.
    line: usize,
    script: String,
    expected: Option<Vec<String>>,
    unordered: bool,
}

/// The shell blocks (and their outputs) of `text`, or of one `## ` section of it.
fn blocks(text: &str, section: Option<&str>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut in_section = section.is_none();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if let Some(title) = line.strip_prefix("## ") {
            in_section = section.is_none_or(|s| title.starts_with(s));
        }
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .map(|(_, l)| l)
            .take_while(|l| !l.starts_with("```"))
            .collect();
        if !in_section {
            continue;
        }
        let info: Vec<&str> = info.split_whitespace().collect();
        match info.first().copied() {
            // The same step against real kcp: it stands in for the shell block before it.
            Some("shell") if info.get(1) == Some(&"real-kcp") => {
                let real = common::kcp::real_kcp_bin_dir().is_some();
                match out.last_mut() {
                    Some(b) if real => b.script = body.join("\n"),
                    None => panic!("line {}: a real-kcp block with no shell block before it", n + 1),
                    Some(_) => {}
                }
            }
            Some("shell") => out.push(Block {
                line: n + 1,
                script: body.join("\n"),
                expected: None,
                unordered: false,
            }),
            Some("output") => {
                let b = out.last_mut().unwrap_or_else(|| {
                    panic!("line {}: an output block with no shell block before it", n + 1)
                });
                b.expected = Some(body.iter().map(|l| l.to_string()).collect());
                b.unordered = info.contains(&"unordered");
            }
            _ => {}
        }
    }
    out
}

fn normalize(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An expected line as a regex: literal text, with the placeholders.
fn pattern(expected: &str) -> Regex {
    let mut re = regex::escape(&normalize(expected));
    for (token, what) in [
        ("<url>", r"https?://[0-9a-z.:\[\]-]+"),
        ("<id>", "[a-z0-9]{16}"),
        (
            "<uid>",
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        ),
        ("<age>", "[0-9]+[smhdy]([0-9]+[smhd])?"),
    ] {
        re = re.replace(&regex::escape(token), what);
    }
    Regex::new(&format!("^{re}$")).expect("pattern")
}

fn compare(expected: &[String], unordered: bool, actual: &str) -> Result<(), String> {
    let actual: Vec<String> = actual.lines().map(normalize).collect();
    let trim = |v: &[String]| -> usize {
        v.iter()
            .rposition(|l| !l.trim().is_empty())
            .map(|i| i + 1)
            .unwrap_or(0)
    };
    let actual = &actual[..trim(&actual)];
    let expected = &expected[..trim(expected)];
    let patterns: Vec<Regex> = expected.iter().map(|l| pattern(l)).collect();
    if actual.len() != patterns.len() {
        return Err(format!(
            "{} lines expected, {} printed",
            patterns.len(),
            actual.len()
        ));
    }
    if unordered {
        let mut used = vec![false; actual.len()];
        for (p, e) in patterns.iter().zip(expected) {
            match actual
                .iter()
                .enumerate()
                .position(|(i, a)| !used[i] && p.is_match(a))
            {
                Some(i) => used[i] = true,
                None => return Err(format!("no printed line matches {e:?}")),
            }
        }
        return Ok(());
    }
    for (i, (p, a)) in patterns.iter().zip(actual).enumerate() {
        if !p.is_match(a) {
            return Err(format!(
                "line {}: expected {:?}, printed {a:?}",
                i + 1,
                expected[i]
            ));
        }
    }
    Ok(())
}

const MARK: &str = "@@docs-block@@";

/// Where the blocks run.
enum Setting<'a> {
    /// A fresh HOME, no KUBECONFIG, and the test build's binaries first on PATH.
    Sandbox {
        home: &'a TempDir,
        env: &'a [(&'a str, &'a Path)],
    },
    /// As a reader runs them: this environment, less what `cargo test` adds for a test.
    Reader,
}

/// Run the blocks in one bash session in `dir`; check every documented output.
fn run(file: &str, blocks: &[Block], dir: &Path, setting: Setting, limit: Duration) {
    let mut script = String::from("set -euo pipefail\nexec 2>&1\n");
    for b in blocks {
        script.push_str(&format!("echo '{MARK}'\n{}\n", b.script));
    }
    script.push_str(&format!("echo '{MARK}'\n"));
    let mut cmd = match setting {
        Setting::Sandbox { home, env } => {
            let mut cmd = Command::new("bash");
            cmd.env("HOME", home.path())
                .env_remove("KUBECONFIG")
                .env("NO_COLOR", "1")
                .env_remove("RUST_LOG");
            for (k, v) in env {
                cmd.env(k, v);
            }
            let mut path = common::bin_dir(home).display().to_string();
            if let Some(real) = common::kcp::real_kcp_bin_dir() {
                path = format!("{path}:{}", real.display());
            }
            let path = format!("{path}:{}", std::env::var("PATH").unwrap_or_default());
            cmd.env("PATH", path);
            cmd
        }
        Setting::Reader => common::without_cargo_test_env(Command::new("bash")),
    };
    cmd.arg("-c")
        .arg(&script)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().expect("run bash");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = rx
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{file} did not finish within {limit:?}"))
        .expect("bash output");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let parts: Vec<&str> = stdout.split(&format!("{MARK}\n")).skip(1).collect();
    // One part per block started; the last part is what followed the last block.
    let finished = parts.len().saturating_sub(1);
    let mut failures = Vec::new();
    for (b, printed) in blocks.iter().zip(&parts).take(finished) {
        if let Some(expected) = &b.expected
            && let Err(why) = compare(expected, b.unordered, printed)
        {
            failures.push(format!("{file}:{}: {why}\n--- printed:\n{printed}", b.line));
        }
    }
    if finished < blocks.len() {
        let b = &blocks[finished];
        failures.push(format!(
            "{file}:{}: the block failed (exit {:?})\n--- printed:\n{}",
            b.line,
            out.status.code(),
            parts.get(finished).unwrap_or(&"")
        ));
    }
    assert!(failures.is_empty(), "{} is stale:\n{}", file, failures.join("\n"));
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_tutorial_runs_as_written() {
    let text = std::fs::read_to_string(repo().join("docs/tutorial.md")).unwrap();
    let blocks = blocks(&text, None);
    assert!(
        blocks.len() >= 10 && blocks.iter().filter(|b| b.expected.is_some()).count() >= 10,
        "the tutorial lost its blocks"
    );
    let home = TempDir::new("tutorial");
    let work = home.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    run(
        "docs/tutorial.md",
        &blocks,
        &work,
        Setting::Sandbox {
            home: &home,
            env: &[],
        },
        // Real kcp takes half a minute to start and seconds per workspace.
        Duration::from_secs(600),
    );
}

#[test]
fn the_readme_quick_start_runs_as_written() {
    let text = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let blocks = blocks(&text, Some("Quick start"));
    assert_eq!(blocks.len(), 1, "the quick start is one command");
    assert!(blocks[0].expected.is_some(), "the quick start shows its output");
    let mut blocks = blocks;
    let home = TempDir::new("readme");
    // The quick start builds the binaries unless told where they are: here, the test build's
    // own directory, which (like target/release) holds more than the binaries.
    let built = Path::new(common::plugin_bin()).parent().unwrap().to_path_buf();
    common::kcp_sim_bin();
    let mut env = vec![("KUBESTELLAR_BIN_DIR", built)];
    // Against real kcp, the script uses a fresh kcp of the test's own instead of kcp-sim and
    // says so on its first line; every other line must be as the README shows it.
    let _real = common::kcp::real_kcp_bin_dir().map(|bin| {
        let real = common::RealKcp::start(&bin, &home.path().join(".kcp"));
        env.push(("KUBESTELLAR_QUICKSTART_KCP", real.kubeconfig()));
        let expected = blocks[0].expected.as_mut().unwrap();
        assert!(expected[0].starts_with("kcp-sim is serving "), "{expected:?}");
        expected[0] = expected[0].replacen("kcp-sim is serving ", "kcp is serving ", 1);
        real
    });
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    run(
        "README.md",
        &blocks,
        repo(),
        Setting::Sandbox {
            home: &home,
            env: &env,
        },
        Duration::from_secs(300),
    );
}

/// The README as a reader follows it, on this checkout: its install commands (into cargo's
/// bin directory, as it says), kubectl finding the plugin, then the quick start with its own
/// release build, every output compared. Slow, and it installs, so `.ci/run` runs it:
/// `cargo test --test e2e -- --ignored docs::`.
#[test]
#[ignore = "release builds and `cargo install` into cargo's bin directory: .ci/run runs it"]
fn the_readme_install_and_quick_start_run_as_a_reader_runs_them() {
    let text = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut all = blocks(&text, Some("Install"));
    assert!(
        all.iter()
            .any(|b| b.script.contains("cargo install --locked --path .")),
        "the README installs with cargo install --locked"
    );
    assert!(
        all.iter()
            .any(|b| b.script.contains("kubectl plugin list") && b.expected.is_some()),
        "the README shows kubectl finding the plugin"
    );
    let mut quick = blocks(&text, Some("Quick start"));
    assert_eq!(quick.len(), 1, "the quick start is one command");
    // What the README shows is what follows the build; the build announces itself first.
    quick[0]
        .expected
        .as_mut()
        .expect("the quick start shows its output")
        .insert(0, "Building kubectl-kubestellar and kcp-sim (release)...".into());
    all.extend(quick);
    run(
        "README.md",
        &all,
        repo(),
        Setting::Reader,
        Duration::from_secs(3600),
    );
}

#[test]
fn placeholders_match_only_what_they_stand_for() {
    assert!(
        pattern("<id>-mb-<uid>   ok").is_match("abcdefghij012345-mb-f99e773f-3db2-439e-8054-827c4ac55368 ok")
    );
    assert!(!pattern("<id>").is_match("short"));
    assert!(pattern("AGE <age>").is_match("AGE 2m5s"));
    assert!(compare(&["b".into(), "a".into()], true, "a\nb\n").is_ok());
    assert!(compare(&["b".into(), "a".into()], false, "a\nb\n").is_err());
    assert!(compare(&["a".into()], false, "a\nextra\n").is_err());
}

#[test]
fn the_readme_states_the_prerequisites_the_code_and_docs_need() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let install = readme
        .split("## Install")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("an Install section");
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let rust = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("Cargo.toml states rust-version")
        .trim_matches('"');
    assert!(
        install.contains(&format!("**Rust {rust}**")),
        "Install must say Rust {rust}"
    );
    // `kubectl wait --for=create` came with kubectl 1.31.
    let tutorial = std::fs::read_to_string(repo().join("docs/tutorial.md")).unwrap();
    if tutorial.contains("--for=create") {
        assert!(
            install.contains("**kubectl 1.31**"),
            "the tutorial needs kubectl 1.31"
        );
    }
    assert!(install.contains("`script`") && install.contains("util-linux"));
    // Installs use the versions in Cargo.lock, the ones the tests ran with, wherever shown.
    for doc in ["README.md", "docs/tutorial.md", "docs/distribution.md"] {
        let text = std::fs::read_to_string(repo().join(doc))
            .unwrap()
            .replace('\n', " ");
        for (at, _) in text.match_indices("cargo install") {
            assert!(
                text[at..].starts_with("cargo install --locked"),
                "{doc}: {}",
                &text[at..(at + 40).min(text.len())]
            );
        }
    }
}

/// The tutorial pasted into an interactive bash on a terminal, all of it at once, the way a
/// reader pastes it. Without bracketed paste (bash 3.2, or a terminal that does not send it)
/// the pasted lines wait in the terminal, so a command that reads the terminal (a prompt)
/// takes the next lines as its answer and the rest runs in a state the tutorial does not show.
/// After each block the paste notes that it got there and which workspaces exist; the test
/// checks those against what the tutorial says happened.
#[test]
fn the_tutorial_pasted_into_an_interactive_shell_does_what_it_shows() {
    use std::io::Write;
    let text = std::fs::read_to_string(repo().join("docs/tutorial.md")).unwrap();
    let blocks = blocks(&text, None);
    let home = TempDir::new("paste");
    let (work, notes) = (home.path().join("work"), home.path().join("notes"));
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&notes).unwrap();
    let mut paste = String::new();
    for (i, b) in blocks.iter().enumerate() {
        paste.push_str(&format!(
            "{}\n{{ kubectl get workspaces -o name 2>&1 || true; }} > '{}/{i}'\n",
            b.script,
            notes.display()
        ));
    }
    paste.push_str("exit\n");

    let path = format!(
        "{}:{}",
        common::bin_dir(&home).display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new("script")
        .args(["-qec", "bash --norc --noprofile -i", "/dev/null"])
        .current_dir(&work)
        .env("HOME", home.path())
        .env("PATH", path)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run script (util-linux)");
    // All at once, then end of input: `script` lets the shell finish what it was given.
    child.stdin.take().unwrap().write_all(paste.as_bytes()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("the pasted tutorial did not finish within 5 minutes")
        .expect("script output");
    // What the terminal showed, without its control sequences (bracketed-paste mode, ...).
    let transcript = Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]")
        .unwrap()
        .replace_all(&String::from_utf8_lossy(&out.stdout), "")
        .replace('\r', "");
    let note = |i: usize| std::fs::read_to_string(notes.join(i.to_string())).ok();
    // The terminal first echoes the whole paste: what ran is in the tail.
    let tail = &transcript[transcript.char_indices().rev().nth(6000).map_or(0, |(i, _)| i)..];

    let reached = (0..blocks.len()).take_while(|i| note(*i).is_some()).count();
    assert_eq!(
        reached,
        blocks.len(),
        "the paste stopped after block {reached} of {}:\n{tail}",
        blocks.len()
    );
    let remove = blocks
        .iter()
        .position(|b| b.script.contains("kubectl kubestellar remove wmw"))
        .expect("the tutorial removes wmw1");
    let after_remove = note(remove).unwrap();
    // kcp's own root:compute (kcp v0.11 makes it) is neither the tutorial's nor a mailbox.
    let (mailboxes, mut others): (Vec<&str>, Vec<&str>) = after_remove
        .lines()
        .filter(|w| *w != "workspace.tenancy.kcp.io/compute")
        .partition(|w| w.contains("-mb-"));
    others.sort();
    assert_eq!(
        (mailboxes.len(), others),
        (
            1,
            vec!["workspace.tenancy.kcp.io/espw", "workspace.tenancy.kcp.io/imw1"]
        ),
        "after remove wmw: espw, imw1 and guilder's mailbox:\n{after_remove}\n{tail}"
    );
    let printed: Vec<&str> = transcript.lines().map(str::trim).collect();
    for line in [
        "workspace \"wmw1\" deleted",
        "mailbox watch exited with 0",
        "done",
    ] {
        assert!(
            printed.contains(&line),
            "the pasted tutorial did not print {line:?}:\n{tail}"
        );
    }
    assert!(
        !transcript.contains("Nothing was deleted"),
        "a prompt took a pasted line as its answer:\n{tail}"
    );
}
