//! A kubeconfig shaped like the one `kcp start` writes (`.kcp/admin.kubeconfig`).

use crate::Tokens;
use base64::Engine;

pub(crate) fn render(url: &str, ca_pem: Option<&str>, tokens: &Tokens) -> String {
    let ca = ca_pem
        .map(|pem| {
            format!(
                "    certificate-authority-data: {}\n",
                base64::engine::general_purpose::STANDARD.encode(pem)
            )
        })
        .unwrap_or_default();
    let cluster =
        |name: &str, server: &str| format!("- name: {name}\n  cluster:\n{ca}    server: {server}\n");
    let user = |name: &str, token: &str| format!("- name: {name}\n  user:\n    token: {token}\n");
    let context = |name: &str, cluster: &str, user: &str| {
        format!("- name: {name}\n  context:\n    cluster: {cluster}\n    user: {user}\n")
    };
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n{}{}users:\n{}{}{}contexts:\n{}{}{}{}current-context: root\npreferences: {{}}\n",
        cluster("root", &format!("{url}/clusters/root")),
        cluster("base", url),
        user("kcp-admin", &tokens.admin),
        user("shard-admin", &tokens.masters),
        user("user", &tokens.user),
        context("root", "root", "kcp-admin"),
        context("base", "base", "kcp-admin"),
        context("system:admin", "base", "shard-admin"),
        context("user", "root", "user"),
    )
}
