//! Records what the binary was built from, for `kubectl kubestellar version`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=KUBESTELLAR_GIT_COMMIT={commit}");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .trim_start_matches("rustc ")
                .to_string()
        })
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=KUBESTELLAR_RUSTC_VERSION={version}");
    // Run again when HEAD moves: when HEAD, or the branch it names, changes. Git says where
    // those are (in a worktree `.git` is a file, and the branches are shared with the other
    // worktrees, whose commits must not rebuild this one); a path that does not exist would
    // make every build run this again.
    println!("cargo:rerun-if-changed=build.rs");
    let watch = |name: &str| {
        if let Some(path) = git(&["rev-parse", "--git-path", name])
            && std::path::Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    };
    watch("HEAD");
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(&branch);
        // A branch without a file of its own is in packed-refs.
        watch("packed-refs");
    }
}
