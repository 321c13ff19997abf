//! The release archive's layout and the krew manifest, checked offline: the template is
//! rendered as krew-release-bot would, with a real archive, and held to krew's manifest rules.

use crate::common;

use crate::common::TempDir;
use regex::Regex;
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Package the test build for linux/amd64: (archive, sha256, entries).
fn package(dir: &TempDir, tag: &str) -> (std::path::PathBuf, String, Vec<String>) {
    let out = Command::new(repo().join("scripts/package.sh"))
        .args([
            tag,
            "linux",
            "amd64",
            common::plugin_bin(),
            dir.path().to_str().unwrap(),
        ])
        .output()
        .expect("run package.sh");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let archive = dir
        .path()
        .join(format!("kubectl-kubestellar_{tag}_linux_amd64.tar.gz"));
    let sha = std::fs::read_to_string(archive.with_extension("gz.sha256"))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let list = Command::new("tar").arg("-tzf").arg(&archive).output().unwrap();
    let entries = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(|l| l.trim_start_matches("./").to_string())
        .filter(|l| !l.is_empty())
        .collect();
    (archive, sha, entries)
}

#[test]
fn the_archive_holds_the_binaries_docs_completions_and_man_pages() {
    let dir = TempDir::new("package");
    let (_, sha, entries) = package(&dir, "v0.1.0");
    assert!(Regex::new("^[0-9a-f]{64}$").unwrap().is_match(&sha));
    for want in [
        "kubectl-kubestellar",
        "kubectl_complete-kubestellar",
        "README.md",
        "completions/kubectl-kubestellar.bash",
        "man/kubectl-kubestellar.1",
        "man/kubectl-kubestellar-mailbox-sync.1",
    ] {
        assert!(
            entries.iter().any(|e| e == want),
            "{want} missing from {entries:?}"
        );
    }
    let bad = Command::new(repo().join("scripts/package.sh"))
        .args(["0.1", "linux", "amd64", common::plugin_bin()])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "a tag without v is refused");
}

#[test]
fn the_krew_manifest_renders_to_a_valid_plugin() {
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let dir = TempDir::new("krew");
    let (_, sha, entries) = package(&dir, &tag);
    let template = std::fs::read_to_string(repo().join(".krew.yaml")).unwrap();
    // krew-release-bot: {{ .TagName }}, then each addURIAndSha becomes uri + sha256.
    let rendered = template.replace("{{ .TagName }}", &tag);
    let add = Regex::new(r#"\{\{addURIAndSha "([^"]+)" \.TagName \}\}"#).unwrap();
    let rendered = add
        .replace_all(&rendered, |c: &regex::Captures| {
            format!("uri: {}\n    sha256: {sha}", &c[1])
        })
        .into_owned();
    assert!(!rendered.contains("{{"), "unrendered template left:\n{rendered}");
    let m: Value = serde_saphyr::from_str(&rendered).expect("the rendered manifest is YAML");

    assert_eq!(m["apiVersion"], "krew.googlecontainertools.github.com/v1alpha2");
    assert_eq!(m["kind"], "Plugin");
    let name = m["metadata"]["name"].as_str().unwrap();
    assert!(
        Regex::new("^[a-z0-9]+(-[a-z0-9]+)*$").unwrap().is_match(name) && !name.starts_with("kubectl"),
        "{name}"
    );
    let spec = &m["spec"];
    assert!(
        Regex::new(r"^v\d+\.\d+\.\d+")
            .unwrap()
            .is_match(spec["version"].as_str().unwrap())
    );
    assert!(spec["homepage"].as_str().unwrap().starts_with("https://"));
    let short = spec["shortDescription"].as_str().unwrap();
    assert!(
        !short.is_empty() && short.len() <= 50,
        "krew wants a short description: {short:?}"
    );
    assert!(!spec["description"].as_str().unwrap().trim().is_empty());

    let sha256 = Regex::new("^[0-9a-f]{64}$").unwrap();
    let platforms = spec["platforms"].as_array().unwrap();
    let mut seen = HashSet::new();
    for p in platforms {
        let labels = &p["selector"]["matchLabels"];
        let (os, arch) = (labels["os"].as_str().unwrap(), labels["arch"].as_str().unwrap());
        assert!(
            ["linux", "darwin", "windows"].contains(&os) && ["amd64", "arm64"].contains(&arch),
            "{os}/{arch}"
        );
        assert!(seen.insert((os, arch)), "two platforms for {os}/{arch}");
        let uri = p["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("https://") && uri.contains(&format!("_{tag}_{os}_{arch}.")),
            "{uri}"
        );
        assert!(sha256.is_match(p["sha256"].as_str().unwrap()));
        let bin = p["bin"].as_str().unwrap();
        assert_eq!(bin.ends_with(".exe"), os == "windows", "{bin} on {os}");
        if (os, arch) == ("linux", "amd64") {
            assert!(
                entries.iter().any(|e| e == bin),
                "bin {bin} is not in the archive"
            );
        }
    }
    for want in [
        ("linux", "amd64"),
        ("linux", "arm64"),
        ("darwin", "amd64"),
        ("darwin", "arm64"),
        ("windows", "amd64"),
    ] {
        assert!(seen.contains(&want), "no archive for {want:?}");
    }
}
