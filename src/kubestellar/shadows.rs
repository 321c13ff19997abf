//! KubeStellar's own `kubectl-kubestellar*` executables on PATH, which kubectl runs instead
//! of this plugin: kubectl takes the LONGEST executable name that matches the command's words
//! (`kubectl kubestellar remove wmw` runs `kubectl-kubestellar-remove-wmw` wherever it is on
//! PATH; a `-` inside a word is looked up as `_`), and of equal names the first on PATH (their
//! usage printer `kubectl-kubestellar` before this plugin runs for every command). Found by
//! reading the PATH directories, nothing run: `version` and `--help` name them.

use std::path::{Path, PathBuf};

/// An executable on PATH that kubectl runs instead of this plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shadow {
    pub path: PathBuf,
    /// The command it takes, e.g. `kubectl kubestellar remove wmw`; `kubectl kubestellar` for
    /// another `kubectl-kubestellar` earlier on PATH (every command).
    pub command: String,
}

const PREFIX: &str = "kubectl-kubestellar";

/// The shadows on `path_var` (a PATH value), for the plugin at `me` whose top-level commands
/// are `commands` (a `kubectl-kubestellar-deploy` takes a command the plugin does not have).
pub(crate) fn find(path_var: &std::ffi::OsStr, me: Option<&Path>, commands: &[String]) -> Vec<Shadow> {
    let me = me.and_then(|p| p.canonicalize().ok());
    let mut out = Vec::new();
    let mut seen_me = false;
    for dir in std::env::split_paths(path_var) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<(String, PathBuf)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
            .filter(|(n, p)| n.starts_with(PREFIX) && executable(p))
            .collect();
        names.sort();
        for (name, path) in names {
            if name == PREFIX {
                let is_me = me.is_some() && path.canonicalize().ok() == me;
                if is_me {
                    seen_me = true;
                } else if !seen_me {
                    out.push(Shadow {
                        path,
                        command: "kubectl kubestellar".into(),
                    });
                }
            } else if let Some(rest) = name.strip_prefix("kubectl-kubestellar-") {
                // kubectl looks a word's '-' up as '_'; each '-' of the name splits words.
                let words: Vec<String> = rest.split('-').map(|w| w.replace('_', "-")).collect();
                if !commands.contains(&words[0]) {
                    continue;
                }
                let command = format!("kubectl kubestellar {}", words.join(" "));
                // The first on PATH of a name is the one kubectl runs.
                if !out.iter().any(|s: &Shadow| s.command == command) {
                    out.push(Shadow { path, command });
                }
            }
        }
    }
    out
}

fn executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The shadows for this process of its `commands`: its PATH and executable.
pub(crate) fn current(commands: &[String]) -> Vec<Shadow> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    find(&path, std::env::current_exe().ok().as_deref(), commands)
}

/// What `version` and `--help` say about them; empty when there are none.
pub(crate) fn warning(shadows: &[Shadow]) -> String {
    if shadows.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "\nWarning: kubectl runs these executables on PATH instead of this plugin (it takes the longest matching name, then the first on PATH); remove them to use the plugin (see docs/kubestellar-scripts.md):\n",
    );
    for s in shadows {
        text.push_str(&format!("  {}: {}\n", s.command, s.path.display()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn exe(dir: &Path, name: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    #[test]
    fn longer_names_anywhere_and_an_earlier_plugin_shadow_this_one() {
        let base = std::env::temp_dir().join(format!("ks-shadows-{}", std::process::id()));
        let (ks, ours) = (base.join("ks"), base.join("ours"));
        std::fs::create_dir_all(&ks).unwrap();
        std::fs::create_dir_all(&ours).unwrap();
        exe(&ks, "kubectl-kubestellar");
        exe(&ks, "kubectl-kubestellar-remove-wmw");
        exe(&ks, "kubectl-kubestellar-prep_for_cluster");
        exe(&ks, "kubectl-kubestellar-deploy"); // not a command of the plugin's
        std::fs::write(ks.join("kubectl-kubestellar-notes"), "").unwrap(); // not executable
        let me = exe(&ours, "kubectl-kubestellar");

        let commands: Vec<String> = ["remove", "prep-for-cluster"].map(String::from).to_vec();
        let theirs_first = std::env::join_paths([&ks, &ours]).unwrap();
        let found: Vec<String> = find(&theirs_first, Some(&me), &commands)
            .into_iter()
            .map(|s| s.command)
            .collect();
        assert_eq!(
            found,
            [
                "kubectl kubestellar",
                "kubectl kubestellar prep-for-cluster",
                "kubectl kubestellar remove wmw"
            ]
        );
        // Ours first: their usage printer no longer matters; their longer names still do.
        let ours_first = std::env::join_paths([&ours, &ks]).unwrap();
        let found: Vec<String> = find(&ours_first, Some(&me), &commands)
            .into_iter()
            .map(|s| s.command)
            .collect();
        assert_eq!(
            found,
            [
                "kubectl kubestellar prep-for-cluster",
                "kubectl kubestellar remove wmw"
            ]
        );
        assert!(warning(&[]).is_empty());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
