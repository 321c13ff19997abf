//! KubeStellar v0.14's own `kubectl kubestellar` scripts, from the archive in
//! `../shared/peers` (unpacked per test, never committed): which of them kubectl runs instead
//! of the plugin, in either PATH order; and, as oracles, the objects they leave next to the
//! ones the plugin's commands leave on the same server. The scripts run `kubectl ws` and
//! `kubectl kcp`, kcp's own plugins, which scripts/real-kcp.sh builds: the oracle tests run
//! where they are (the real-kcp tier, against real kcp and, through
//! `KUBESTELLAR_KCP_PLUGINS`, against kcp-sim) and say "skipped" elsewhere.

use crate::common::{self, Env, Run, TempDir};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The archive: `$KUBESTELLAR_V014_ARCHIVE`, else the peers directory beside the repository.
pub(crate) fn archive() -> Option<PathBuf> {
    let given = std::env::var_os("KUBESTELLAR_V014_ARCHIVE").map(PathBuf::from);
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peers/kubestellar-v0.14.0.tar.gz");
    given.or(Some(beside)).filter(|p| p.exists())
}

/// KubeStellar's `bin/` as its release has it: every script of outer-scripts,
/// overlap-scripts and inner-scripts (linked, so each finds `../config` as in the release).
struct Scripts {
    _dir: TempDir,
    bin: PathBuf,
}

impl Scripts {
    fn unpack() -> Option<Scripts> {
        let Some(archive) = archive() else {
            common::skip(
                "KubeStellar v0.14.0's archive is not in ../shared/peers (or $KUBESTELLAR_V014_ARCHIVE)",
            );
            return None;
        };
        let dir = TempDir::new("ks-scripts");
        let ok = std::process::Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(dir.path())
            .status()
            .expect("run tar")
            .success();
        assert!(ok, "unpacking {}", archive.display());
        let root = dir.path().join("kubestellar-v0.14.0");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        for sub in ["outer-scripts", "overlap-scripts", "inner-scripts"] {
            for e in std::fs::read_dir(root.join(sub)).unwrap() {
                let e = e.unwrap();
                std::os::unix::fs::symlink(e.path(), bin.join(e.file_name())).unwrap();
            }
        }
        // A release's bin/ also holds KubeStellar's Go `syncer_gen` (prep_for_syncer checks for
        // it first): a stand-in, which no test runs.
        let stand_in = bin.join("kubectl-kubestellar-syncer_gen");
        std::fs::write(
            &stand_in,
            "#!/bin/sh\necho 'a stand-in for KubeStellar syncer_gen' >&2; exit 1\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755)).unwrap();
        Some(Scripts { _dir: dir, bin })
    }

    /// Take out what docs/kubestellar-scripts.md says to remove from KubeStellar's bin/.
    fn remove_as_documented(&self) {
        let doc = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/kubestellar-scripts.md"),
        )
        .expect("docs/kubestellar-scripts.md");
        let block = doc
            .split("```shell\n")
            .find(|b| b.starts_with("cd \"$KUBESTELLAR_BIN\""))
            .expect("the doc's removal block");
        let block = &block[..block.find("```").unwrap()];
        let ok = std::process::Command::new("bash")
            .args(["-euc", block])
            .env("KUBESTELLAR_BIN", &self.bin)
            .status()
            .expect("bash")
            .success();
        assert!(ok, "the doc's removal block failed:\n{block}");
    }
}

/// The commands KubeStellar's docs and the plugin's README run.
const DOCUMENTED: &[&[&str]] = &[
    &["ensure", "location"],
    &["ensure", "wmw"],
    &["remove", "location"],
    &["remove", "wmw"],
    &["prep-for-cluster"],
    &["prep-for-syncer"],
    &["mailbox", "watch"],
    &["init", "espw"],
    &["version"],
];

#[derive(Debug, PartialEq, Clone, Copy)]
enum Ran {
    Plugin,
    Theirs,
}

/// Which program kubectl runs for `kubectl kubestellar WORDS -h`, with PATH `path`.
fn who_runs(env: &Env, path: &str, words: &[&str]) -> Ran {
    let mut args = vec!["kubestellar"];
    args.extend_from_slice(words);
    args.push("-h");
    let run = Run::from(
        env.command("kubectl")
            .env("PATH", path)
            .args(&args)
            .output()
            .expect("kubectl"),
    );
    let text = format!("{}{}", run.stdout, run.stderr);
    // Their usage lines name kubectl's flags, or list their commands; the plugin's help has
    // its global options (or clap's refusal of a command it does not have).
    let theirs = text.contains("kubectl_flag")
        || text.contains("Available commands")
        || text.contains("Available subcommands");
    let ours = text.contains("Global Options") || text.contains("unrecognized subcommand");
    assert!(theirs != ours, "cannot tell who answered {words:?}:\n{text}");
    if theirs { Ran::Theirs } else { Ran::Plugin }
}

#[test]
fn what_kubectl_runs_with_kubestellars_scripts_on_path_in_either_order() {
    let Some(scripts) = Scripts::unpack() else {
        return;
    };
    let env = Env::sim_only("only kubectl's choice of executable is under test");
    let ours = env.dir.path().join("bin");
    let system = std::env::var("PATH").unwrap_or_default();
    let theirs_first = format!("{}:{}:{system}", scripts.bin.display(), ours.display());
    let ours_first = format!("{}:{}:{system}", ours.display(), scripts.bin.display());
    for words in DOCUMENTED {
        // Their usage printer first on PATH answers every command; ours first, their longer
        // names still win for the commands they have.
        assert_eq!(
            who_runs(&env, &theirs_first, words),
            Ran::Theirs,
            "{words:?}, theirs first"
        );
        let longer = !matches!(words[0], "mailbox" | "init" | "version");
        let want = if longer { Ran::Theirs } else { Ran::Plugin };
        assert_eq!(who_runs(&env, &ours_first, words), want, "{words:?}, ours first");
    }
    // The plugin names them.
    let version = Run::from(
        env.command("kubectl")
            .env("PATH", &ours_first)
            .args(["kubestellar", "version"])
            .output()
            .unwrap(),
    );
    for shadowed in ["remove wmw", "ensure location", "prep-for-cluster"] {
        assert!(
            version
                .stdout
                .contains(&format!("kubectl kubestellar {shadowed}: ")),
            "{}",
            version.stdout
        );
    }
    let help = Run::from(
        env.command(common::plugin_bin())
            .env("PATH", &theirs_first)
            .args(["--help"])
            .output()
            .unwrap(),
    );
    assert!(help.stdout.contains("  kubectl kubestellar: "), "{}", help.stdout);

    // After what docs/kubestellar-scripts.md says to do, the plugin answers everything.
    scripts.remove_as_documented();
    for path in [&theirs_first, &ours_first] {
        for words in DOCUMENTED {
            assert_eq!(
                who_runs(&env, path, words),
                Ran::Plugin,
                "{words:?} after the removal, PATH {path}"
            );
        }
    }
    let version = Run::from(
        env.command("kubectl")
            .env("PATH", &ours_first)
            .args(["kubestellar", "version"])
            .output()
            .unwrap(),
    );
    assert!(!version.stdout.contains("Warning"), "{}", version.stdout);
}

// --- oracles ---------------------------------------------------------------------------

/// An object as compared: what the server assigns, and kubectl's bookkeeping, left out.
fn normalized(mut v: Value) -> Value {
    if let Some(m) = v["metadata"].as_object_mut() {
        for k in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "generation",
            "managedFields",
            "selfLink",
        ] {
            m.remove(k);
        }
        if let Some(a) = m.get_mut("annotations").and_then(Value::as_object_mut) {
            a.remove("kcp.io/cluster");
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
            if a.is_empty() {
                m.remove("annotations");
            }
        }
        // kcp's own labels on a binding, added by its controllers a moment after the write
        // (on a busy real kcp, one binding of seventeen still lacked its claim label when read).
        if let Some(l) = m.get_mut("labels").and_then(Value::as_object_mut) {
            l.retain(|k, _| !k.starts_with("claimed.internal.apis.kcp.io/"));
            if l.is_empty() {
                m.remove("labels");
            }
        }
    }
    if let Some(s) = v.as_object_mut() {
        s.remove("status");
    }
    v
}

/// A script of the archive's, run as kubectl runs a plugin: with the test's kubeconfig (the
/// scripts move its current workspace, so each run gets a copy), kcp's plugins on PATH.
fn script(env: &Env, scripts: &Scripts, plugins: &Path, name: &str, args: &[&str]) -> Run {
    let kubeconfig = env
        .dir
        .path()
        .join(format!("ks-{}.kubeconfig", std::process::id()));
    std::fs::copy(&env.kubeconfig, &kubeconfig).unwrap();
    let path = format!(
        "{}:{}:{}",
        env.dir.path().join("bin").display(),
        plugins.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Run::from(
        env.command(scripts.bin.join(name).to_str().unwrap())
            .env("KUBECONFIG", &kubeconfig)
            .env("PATH", path)
            .args(args)
            .output()
            .expect("run the script"),
    )
}

/// Where kcp's `kubectl ws` and `kubectl kcp` are: the real kcp's directory, or (for
/// kcp-sim) `$KUBESTELLAR_KCP_PLUGINS`, which scripts/real-tier.sh sets to what it built.
pub(crate) fn kcp_plugins() -> Option<PathBuf> {
    if common::kcp::real_kcp_has_plugins() {
        return common::kcp::real_kcp_bin_dir();
    }
    std::env::var_os("KUBESTELLAR_KCP_PLUGINS")
        .map(PathBuf::from)
        .filter(|d| d.join("kubectl-ws").exists() && d.join("kubectl-kcp").exists())
}

fn oracle_env() -> Option<(Env, Scripts, PathBuf)> {
    let Some(plugins) = kcp_plugins() else {
        common::skip(
            "KubeStellar's scripts need kcp's `kubectl ws` and `kubectl kcp`: set KUBESTELLAR_KCP_PLUGINS to their directory (scripts/real-tier.sh does)",
        );
        return None;
    };
    let scripts = Scripts::unpack()?;
    Some((Env::new(), scripts, plugins))
}

fn get(env: &Env, path: &str, api_version: &str, plural: &str, name: &str) -> Value {
    normalized(
        env.kcp()
            .get(path, api_version, plural, name)
            .unwrap_or_else(|| panic!("no {plural}/{name} in {path}")),
    )
}

#[test]
fn ensure_and_remove_location_leave_what_kubestellars_scripts_leave() {
    let Some((env, scripts, plugins)) = oracle_env() else {
        return;
    };
    env.edge_api();
    for imw in ["imw-ks", "imw-pl"] {
        env.kcp().create_workspace("root", imw).expect("imw");
    }
    let labels = ["loc-name=guilder", "env=prod", "extended=yes"];
    let mut args = vec!["--imw", "root:imw-ks", "guilder"];
    args.extend(labels);
    script(
        &env,
        &scripts,
        &plugins,
        "kubectl-kubestellar-ensure-location",
        &args,
    )
    .ok();
    let mut args = vec!["ensure", "location", "--imw", "root:imw-pl", "guilder"];
    args.extend(labels);
    env.plugin(&args).ok();
    for (api, plural, name) in [
        ("edge.kubestellar.io/v2alpha1", "synctargets", "guilder"),
        ("edge.kubestellar.io/v2alpha1", "locations", "guilder"),
        ("apis.kcp.io/v1alpha1", "apibindings", "edge.kubestellar.io"),
    ] {
        assert_eq!(
            get(&env, "root:imw-pl", api, plural, name),
            get(&env, "root:imw-ks", api, plural, name),
            "{plural}/{name}: the plugin's (left) and the script's (right)"
        );
    }
    script(
        &env,
        &scripts,
        &plugins,
        "kubectl-kubestellar-remove-location",
        &["--imw", "root:imw-ks", "guilder"],
    )
    .ok();
    env.plugin(&["remove", "location", "--imw", "root:imw-pl", "guilder"])
        .ok();
    for imw in ["root:imw-ks", "root:imw-pl"] {
        let gone = common::wait_for(env.kcp(), common::WAIT, |s| {
            s.get(imw, "edge.kubestellar.io/v2alpha1", "synctargets", "guilder")
                .is_none()
                && s.get(imw, "edge.kubestellar.io/v2alpha1", "locations", "guilder")
                    .is_none()
        });
        assert!(gone, "{imw}");
    }
}

#[test]
fn ensure_wmw_leaves_what_kubestellars_script_leaves_after_either_init() {
    let Some((env, scripts, plugins)) = oracle_env() else {
        return;
    };
    env.plugin(&["init", "espw"]).ok();
    script(
        &env,
        &scripts,
        &plugins,
        "kubectl-kubestellar-ensure-wmw",
        &["wmw-ks"],
    )
    .ok();
    env.plugin(&["ensure", "wmw", "wmw-pl"]).ok();
    let ws = |name: &str| {
        let mut w = get(&env, "root", "tenancy.kcp.io/v1alpha1", "workspaces", name);
        w["metadata"]["name"] = json!("wmw");
        for k in ["cluster", "URL"] {
            w["spec"].as_object_mut().unwrap().remove(k);
        }
        // kcp's own bookkeeping of the logical cluster it made.
        if let Some(a) = w["metadata"]["annotations"].as_object_mut() {
            a.retain(|k, _| !k.starts_with("internal.tenancy.kcp.io/"));
        }
        w
    };
    assert_eq!(ws("wmw-pl"), ws("wmw-ks"));
    let bindings = |path: &str| -> Vec<Value> {
        let mut b: Vec<Value> = env
            .kcp()
            .list(path, "apis.kcp.io/v1alpha1", "apibindings")
            .into_iter()
            .filter(|b| {
                b["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("bind-"))
            })
            .map(normalized)
            .collect();
        b.sort_by_key(|b| b["metadata"]["name"].as_str().unwrap_or_default().to_string());
        b
    };
    assert_eq!(bindings("root:wmw-pl"), bindings("root:wmw-ks"));
    assert_eq!(bindings("root:wmw-pl").len(), 17);
    // And --with-kube false takes out the same.
    script(
        &env,
        &scripts,
        &plugins,
        "kubectl-kubestellar-ensure-wmw",
        &["wmw-ks", "--with-kube", "false"],
    )
    .ok();
    env.plugin(&["ensure", "wmw", "wmw-pl", "--with-kube", "false"])
        .ok();
    let names = |path: &str| -> Vec<String> {
        let settled = common::wait_for(env.kcp(), common::WAIT, |s| {
            s.list(path, "apis.kcp.io/v1alpha1", "apibindings")
                .iter()
                .all(|b| b["metadata"].get("deletionTimestamp").is_none())
        });
        assert!(settled);
        bindings(path)
            .iter()
            .map(|b| b["metadata"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("root:wmw-pl"), names("root:wmw-ks"));
    assert_eq!(names("root:wmw-pl"), ["bind-espw"]);
}

#[test]
fn after_kubestellars_init_the_plugins_init_changes_nothing() {
    let Some((env, scripts, plugins)) = oracle_env() else {
        return;
    };
    // KubeStellar's init applies ClusterRoles in root:compute.
    let rbac = env.kubectl_in(
        "root",
        &[
            "api-resources",
            "--api-group=rbac.authorization.k8s.io",
            "-o",
            "name",
        ],
    );
    if !rbac.stdout.contains("clusterroles") {
        common::skip("this server serves no RBAC, which KubeStellar's init applies");
        return;
    }
    let run = script(
        &env,
        &scripts,
        &plugins,
        "kubestellar",
        &[
            "init",
            "--local-kcp",
            "false",
            "--ensure-imw",
            "",
            "--ensure-wmw",
            "",
        ],
    );
    let run = run.ok();
    assert!(
        run.stdout
            .contains("Finished augmenting root:compute for KubeStellar"),
        "{}",
        run.stdout
    );
    // The same root:compute objects and an equivalent edge API: nothing to make.
    let init = env.plugin(&["init", "espw", "-o", "json"]).ok().json();
    let changed: Vec<&Value> = init["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["change"] != "unchanged")
        .collect();
    assert!(changed.is_empty(), "{changed:#?}");
    // And the plugin's ensure wmw binds what KubeStellar's init made.
    env.plugin(&["ensure", "wmw", "wmw1"]).ok();
}
