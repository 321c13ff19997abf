//! kubectl's plugin completion, served by `kubectl_complete-kubestellar`. kubectl (1.26+)
//! completes `kubectl kubestellar ...<TAB>` by running that executable from PATH with the
//! words after the plugin name, the last being the word under the cursor (empty for a new
//! word). The answer is cobra's `__complete` protocol: one candidate per line
//! (`value<TAB>description`), then `:<directive>`.
//!
//! The words are walked over the plugin's own clap command, so subcommands, flags and their
//! possible values follow the CLI by construction. Live values (contexts, workspaces,
//! SyncTargets) come from the library's own reads under a short budget: a shell must never
//! hang on a slow server, and a failure answers with no candidate and no error text.

use crate::commands::{Cli, GlobalArgs};
use crate::commands::{mailbox_list, remove_wmw};
use clap::{Arg, ArgAction, ArgMatches, Command, CommandFactory, FromArgMatches, ValueHint};
use std::collections::BTreeSet;
use std::time::Duration;

/// Cobra's ShellCompDirective bits that are used here.
const DEFAULT: u8 = 0; // no candidates: the shell completes file names
const NO_FILE: u8 = 4;
const DIRS: u8 = 16;

/// The most a live read (kubeconfig, connection, every request) may take before the answer
/// is given without it.
pub const BUDGET: Duration = Duration::from_millis(1500);

/// What kubectl reads back.
#[derive(Debug, PartialEq)]
pub(crate) struct Answer {
    pub candidates: Vec<String>,
    pub directive: u8,
}

impl Answer {
    fn none(directive: u8) -> Answer {
        Answer {
            candidates: vec![],
            directive,
        }
    }

    pub(crate) fn render(&self) -> String {
        let mut out: String = self.candidates.iter().map(|c| format!("{c}\n")).collect();
        out.push_str(&format!(":{}\n", self.directive));
        out
    }
}

/// Values read from the server or the kubeconfig, rather than from the CLI's definition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Live {
    Contexts,
    /// Workspaces in `remove wmw --parent`.
    Workspaces,
    /// SyncTargets through the inventory export's view, as `mailbox list` reads them.
    SyncTargets,
}

/// Reads live values: what, for which command (`mailbox list`), with which finished words.
pub(crate) type Fetch = dyn Fn(Live, &[&str], &[String]) -> Option<Vec<String>>;

/// The main of `kubectl_complete-kubestellar`: print the answer; the exit code is always 0
/// (kubectl ignores the output of a failed completer and falls back to file names).
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    // A bug must not print a backtrace into the user's prompt.
    std::panic::set_hook(Box::new(|_| {}));
    let words: Vec<String> = args
        .into_iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let answer =
        std::panic::catch_unwind(|| answer(&words, &fetch)).unwrap_or_else(|_| Answer::none(NO_FILE));
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(answer.render().as_bytes());
    let _ = stdout.flush();
    0
}

/// Where the word under the cursor stands.
struct Position<'c> {
    /// The subcommands walked, e.g. `mailbox list`.
    path: Vec<&'c str>,
    cmd: &'c Command,
    /// The finished words, without a flag still waiting for its value: what live reads
    /// parse for `--kubeconfig`, `--parent` and the like.
    finished: Vec<String>,
    /// Args given so far (a non-repeatable flag is not offered twice).
    given: Vec<&'c str>,
    /// Positional values given so far.
    positionals: usize,
    /// After `--`: every word is a positional value.
    escaped: bool,
    /// The word is the value of this flag; `prefix` is `--flag=` when typed as one word.
    value_of: Option<(&'c Arg, String)>,
}

fn find_long<'c>(cmd: &'c Command, name: &str) -> Option<&'c Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long_and_visible_aliases()
            .is_some_and(|names| names.contains(&name))
    })
}

fn find_short(cmd: &Command, c: char) -> Option<&Arg> {
    cmd.get_arguments().find(|a| {
        a.get_short_and_visible_aliases()
            .is_some_and(|shorts| shorts.contains(&c))
    })
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values() && !arg.is_positional()
}

/// Walk the finished words as clap would parse them, far enough to know what the last one is.
fn locate<'c>(root: &'c Command, words: &[String]) -> Position<'c> {
    let done = &words[..words.len().saturating_sub(1)];
    let mut p = Position {
        path: vec![],
        cmd: root,
        finished: vec![],
        given: vec![],
        positionals: 0,
        escaped: false,
        value_of: None,
    };
    let mut pending: Option<&Arg> = None;
    for w in done {
        if pending.take().is_some() {
            continue; // the value of the flag before
        }
        if p.escaped || !w.starts_with('-') || w == "-" {
            let sub = if p.escaped || p.positionals > 0 {
                None
            } else {
                p.cmd.find_subcommand(w)
            };
            match sub {
                Some(sub) => {
                    p.cmd = sub;
                    p.path.push(sub.get_name());
                }
                None => p.positionals += 1,
            }
        } else if w == "--" {
            p.escaped = true;
        } else if let Some(long) = w.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            if let Some(arg) = find_long(p.cmd, name) {
                p.given.push(arg.get_id().as_str());
                if value.is_none() && takes_value(arg) {
                    pending = Some(arg);
                }
            }
        } else {
            // A cluster of short flags (`-vv`, `-ojson`, `-o`): a value ends it.
            let shorts: Vec<char> = w[1..].chars().collect();
            for (i, c) in shorts.iter().enumerate() {
                let Some(arg) = find_short(p.cmd, *c) else {
                    break;
                };
                p.given.push(arg.get_id().as_str());
                if takes_value(arg) {
                    if i + 1 == shorts.len() {
                        pending = Some(arg);
                    }
                    break;
                }
            }
        }
    }
    p.finished = done.to_vec();
    if let Some(arg) = pending {
        p.finished.pop();
        p.value_of = Some((arg, String::new()));
    } else if let Some((name, _)) = words
        .last()
        .filter(|_| !p.escaped)
        .and_then(|w| w.strip_prefix("--"))
        .and_then(|w| w.split_once('='))
        && let Some(arg) = find_long(p.cmd, name).filter(|a| takes_value(a))
    {
        p.value_of = Some((arg, format!("--{name}=")));
    }
    p
}

/// The answer for `words` (the last is the word under the cursor); `fetch` reads live values.
pub(crate) fn answer(words: &[String], fetch: &Fetch) -> Answer {
    let words = if words.is_empty() {
        vec![String::new()]
    } else {
        words.to_vec()
    };
    let mut root = Cli::command();
    root.build();
    let p = locate(&root, &words);
    let current = words.last().map(String::as_str).unwrap_or_default();

    if let Some((arg, prefix)) = &p.value_of {
        let typed = current.strip_prefix(prefix.as_str()).unwrap_or(current);
        let mut a = values(&p, arg, typed, fetch);
        for c in &mut a.candidates {
            c.insert_str(0, prefix);
        }
        return a;
    }
    if current.starts_with('-') && !p.escaped {
        return flags(&p, current);
    }
    let subcommands: Vec<&Command> = p
        .cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    if !subcommands.is_empty() && p.positionals == 0 && !p.escaped {
        let candidates = subcommands
            .iter()
            .map(|s| described(s.get_name(), s.get_about().map(|a| a.to_string())))
            .collect();
        return filtered(candidates, current, NO_FILE);
    }
    let positionals: Vec<&Arg> = p.cmd.get_positionals().collect();
    let arg = positionals.get(p.positionals).copied().or_else(|| {
        positionals
            .last()
            .copied()
            .filter(|a| matches!(a.get_action(), ArgAction::Append))
    });
    match arg {
        Some(arg) => values(&p, arg, current, fetch),
        None => Answer::none(NO_FILE),
    }
}

/// Candidates for a value of `arg`: its possible values, live values, or file names.
fn values(p: &Position, arg: &Arg, typed: &str, fetch: &Fetch) -> Answer {
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| described(v.get_name(), v.get_help().map(|h| h.to_string())))
        .collect();
    if !possible.is_empty() {
        return filtered(possible, typed, NO_FILE);
    }
    if let Some(kind) = live(&p.path, arg) {
        let found = fetch(kind, &p.path, &p.finished).unwrap_or_default();
        return filtered(found, typed, NO_FILE);
    }
    match arg.get_value_hint() {
        ValueHint::AnyPath | ValueHint::FilePath | ValueHint::ExecutablePath => Answer::none(DEFAULT),
        ValueHint::DirPath => Answer::none(DIRS),
        _ => Answer::none(NO_FILE),
    }
}

/// Which args have live values, by command and arg id.
fn live(path: &[&str], arg: &Arg) -> Option<Live> {
    match (path, arg.get_id().as_str()) {
        (_, "context") => Some(Live::Contexts),
        (["remove", "wmw"], "names") => Some(Live::Workspaces),
        (["mailbox", "list"], "sync_target") => Some(Live::SyncTargets),
        _ => None,
    }
}

/// The flags of the command (its own and the global ones), long and short, without those
/// already given that cannot be repeated.
fn flags(p: &Position, typed: &str) -> Answer {
    let mut candidates = vec![];
    for arg in p.cmd.get_arguments() {
        if arg.is_positional() || arg.is_hide_set() {
            continue;
        }
        let repeatable = matches!(arg.get_action(), ArgAction::Append | ArgAction::Count);
        if !repeatable && p.given.contains(&arg.get_id().as_str()) {
            continue;
        }
        let help = arg.get_help().map(|h| h.to_string());
        if let Some(long) = arg.get_long() {
            candidates.push(described(&format!("--{long}"), help.clone()));
        }
        if let Some(short) = arg.get_short() {
            candidates.push(described(&format!("-{short}"), help));
        }
    }
    filtered(candidates, typed, NO_FILE)
}

/// `value<TAB>description` (the first line of it), as cobra prints a described candidate.
fn described(value: &str, help: Option<String>) -> String {
    match help.as_deref().and_then(|h| h.lines().next()).map(str::trim) {
        Some(h) if !h.is_empty() => format!("{value}\t{h}"),
        _ => value.to_string(),
    }
}

/// The candidates that start with what is typed (the shell would drop the others anyway).
fn filtered(candidates: Vec<String>, typed: &str, directive: u8) -> Answer {
    Answer {
        candidates: candidates
            .into_iter()
            .filter(|c| c.split('\t').next().unwrap_or_default().starts_with(typed))
            .collect(),
        directive,
    }
}

/// Live values, read with the flags on the line (`--kubeconfig`, `--context`, `--parent`,
/// the layout flags) and bounded by [`BUDGET`]; `None` on any failure.
pub(crate) fn fetch(kind: Live, path: &[&str], finished: &[String]) -> Option<Vec<String>> {
    let argv = std::iter::once("kubectl-kubestellar".to_string()).chain(finished.iter().cloned());
    let matches = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(argv)
        .ok()?;
    let mut leaf = &matches;
    for name in path {
        leaf = leaf.subcommand_matches(name)?;
    }
    let global = GlobalArgs::from_arg_matches(leaf).ok()?;
    let leaf = leaf.clone();
    // On a thread of its own, so that nothing (a blocking DNS lookup, a credential plugin)
    // can hold the answer past the budget: the process exits without waiting for it.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(read(kind, global, &leaf));
    });
    rx.recv_timeout(BUDGET).ok().flatten()
}

fn read(kind: Live, global: GlobalArgs, leaf: &ArgMatches) -> Option<Vec<String>> {
    if kind == Live::Contexts {
        let (kubeconfig, _) = crate::kcp::load_kubeconfig(global.kubeconfig.as_deref()).ok()?;
        return Some(kubeconfig.contexts.into_iter().map(|c| c.name).collect());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let work = async {
        let opts = crate::kcp::ConnectOptions {
            kubeconfig: global.kubeconfig.clone(),
            context: global.context.clone(),
            request_timeout: Some(BUDGET),
            generation: global.kcp_generation,
        };
        let kcp = crate::kcp::connect(&opts).await.ok()?;
        let ctx = crate::commands::Context {
            global: global.clone(),
            ui: crate::ui::Ui {
                quiet: true,
                verbose: 0,
                fancy: false,
                interactive: false,
            },
        };
        match kind {
            Live::Workspaces => {
                let args = remove_wmw::Args::from_arg_matches(leaf).ok()?;
                workspaces(&kcp, &args, &ctx).await
            }
            Live::SyncTargets => {
                let args = mailbox_list::Args::from_arg_matches(leaf).ok()?;
                sync_targets(&kcp, &ctx.layout(&args.layout).ok()?).await
            }
            Live::Contexts => None,
        }
    };
    runtime.block_on(async { tokio::time::timeout(BUDGET, work).await.ok().flatten() })
}

/// The workspaces `remove wmw` would delete: not the ones already named, and (without
/// `--force`) none it refuses: mailboxes are told by their names (there can be thousands),
/// the rest by the same checks the command makes, all at once.
async fn workspaces(
    kcp: &crate::kcp::Kcp,
    args: &remove_wmw::Args,
    ctx: &crate::commands::Context,
) -> Option<Vec<String>> {
    use crate::workspace::remove::{RemoveOptions, refusal_of};
    let found = crate::mailbox::inventory::list_workspaces(kcp, &args.parent)
        .await
        .ok()?;
    let candidates: Vec<_> = found
        .iter()
        .filter(|w| !args.names.iter().any(|given| given == w.name()))
        .filter(|w| args.force || !crate::mailbox::naming::has_mailbox_form(w.name()))
        .collect();
    if args.force {
        return Some(candidates.iter().map(|w| w.name().to_string()).collect());
    }
    let opts = RemoveOptions {
        parent: args.parent.clone(),
        names: vec![],
        force: false,
        wait: false,
        timeout: Duration::ZERO,
        espw_path: ctx.global.espw_path.clone(),
        layout: ctx.layout(&args.layout).ok()?,
    };
    let checks = candidates.iter().map(|w| {
        let annotated = w.annotation(&opts.layout.annotation_key).is_some();
        refusal_of(kcp, &opts, w.name(), annotated, w.ready())
    });
    let refusals = futures::future::join_all(checks).await;
    Some(
        candidates
            .iter()
            .zip(refusals)
            // One that cannot be checked is not offered either.
            .filter(|(_, r)| matches!(r, Ok(None)))
            .map(|(w, _)| w.name().to_string())
            .collect(),
    )
}

/// SyncTarget names through every view URL of the inventory export, sorted, once each.
async fn sync_targets(kcp: &crate::kcp::Kcp, layout: &crate::mailbox::layout::Layout) -> Option<Vec<String>> {
    use crate::kcp::{ExportState, export_state};
    use crate::mailbox::inventory::list_sync_targets_detecting;
    let ExportState::Ready(urls) = export_state(kcp, layout.inventory_export()).await.ok()? else {
        return None;
    };
    let reads = futures::future::join_all(
        urls.iter()
            .map(|url| list_sync_targets_detecting(kcp, url, layout, |_| {})),
    )
    .await;
    let mut names = BTreeSet::new();
    for read in reads {
        names.extend(read.ok()?.into_iter().map(|st| st.name.to_string()));
    }
    Some(names.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(line: &[&str]) -> Answer {
        let words: Vec<String> = line.iter().map(|w| w.to_string()).collect();
        answer(&words, &|kind, path, finished| {
            Some(vec![format!("{kind:?}"), path.join(" "), finished.join(" ")])
        })
    }

    fn values(a: &Answer) -> Vec<&str> {
        a.candidates
            .iter()
            .map(|c| c.split('\t').next().unwrap())
            .collect()
    }

    #[test]
    fn subcommands_with_their_descriptions() {
        let a = ask(&[""]);
        assert_eq!(
            values(&a),
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
        assert!(
            a.candidates[0].starts_with("mailbox\tMailbox workspaces"),
            "{a:?}"
        );
        assert_eq!(a.directive, NO_FILE);
        assert_eq!(values(&ask(&["ma"])), ["mailbox"]);
        assert_eq!(values(&ask(&["mailbox", ""])), ["sync", "list", "watch"]);
        assert_eq!(values(&ask(&["-v", "mailbox", "l"])), ["list"]);
        assert_eq!(
            values(&ask(&["--context", "root", "remove", ""])),
            ["wmw", "location"]
        );
    }

    #[test]
    fn flags_include_the_global_ones_and_not_those_already_given() {
        let a = ask(&["mailbox", "list", "--"]);
        for f in [
            "--output",
            "--sync-target",
            "--layout",
            "--context",
            "--kubeconfig",
            "--help",
        ] {
            assert!(values(&a).contains(&f), "{f} missing: {a:?}");
        }
        assert!(!values(&a).contains(&"-o"), "short flags only for a single dash");
        assert!(values(&ask(&["mailbox", "list", "-"])).contains(&"-o"));
        let again = ask(&["mailbox", "list", "-o", "json", "--o"]);
        assert!(!values(&again).contains(&"--output"), "{again:?}");
        assert_eq!(values(&ask(&["mailbox", "list", "-v", "--verb"])), ["--verbose"]);
    }

    #[test]
    fn flag_values_from_the_possible_values() {
        assert_eq!(
            values(&ask(&["mailbox", "list", "-o", ""])),
            ["table", "wide", "json", "yaml", "name"]
        );
        assert_eq!(values(&ask(&["mailbox", "list", "--output", "y"])), ["yaml"]);
        assert_eq!(
            values(&ask(&["mailbox", "sync", "--output=j"])),
            ["--output=json"]
        );
        assert_eq!(
            values(&ask(&["mailbox", "list", "--layout", ""])),
            ["v0.14", "poc2023q1"]
        );
        assert_eq!(
            values(&ask(&["completion", ""])),
            ["bash", "elvish", "fish", "powershell", "zsh"]
        );
        assert_eq!(ask(&["completion", "bash", ""]), Answer::none(NO_FILE));
        assert_eq!(values(&ask(&["remove", "wmw", "--wait", ""])), ["true", "false"]);
    }

    #[test]
    fn file_names_for_paths_and_nothing_for_free_text() {
        assert_eq!(
            ask(&["mailbox", "list", "--kubeconfig", ""]),
            Answer::none(DEFAULT)
        );
        assert_eq!(ask(&["mailbox", "sync", "--timeout", ""]), Answer::none(NO_FILE));
        assert_eq!(ask(&["version", ""]), Answer::none(NO_FILE));
    }

    #[test]
    fn live_values_get_the_command_and_the_finished_words() {
        assert_eq!(
            ask(&["--kubeconfig", "k", "mailbox", "list", "--context", ""]).candidates,
            ["Contexts", "mailbox list", "--kubeconfig k mailbox list"]
        );
        assert_eq!(
            ask(&["remove", "wmw", "--parent", "root:a", "x", ""]).candidates,
            ["Workspaces", "remove wmw", "remove wmw --parent root:a x"]
        );
        assert_eq!(
            values(&ask(&["mailbox", "list", "--sync-target=S"])),
            ["--sync-target=SyncTargets"]
        );
        // After `--` a dash starts a name, not a flag.
        assert_eq!(
            ask(&["remove", "wmw", "--", "-"]).candidates,
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_rendering_is_cobras() {
        let a = Answer {
            candidates: vec!["a\tthe a".into(), "b".into()],
            directive: 4,
        };
        assert_eq!(a.render(), "a\tthe a\nb\n:4\n");
    }
}
