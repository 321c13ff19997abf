//! kcp's 403s read as a permission: who may not do what, where, in one sentence that names
//! the permission to grant (docs/least-privilege.md lists them all).

use super::scope::{ApiErr, Scope};
use crate::error::Error;

/// Where the permissions each command needs are listed, with manifests that grant them.
pub(crate) const DOC: &str = "docs/least-privilege.md";

/// What kcp's RBAC refused, from its message (`User "u" cannot list resource "workspaces"
/// in API group "tenancy.kcp.io" at the cluster scope: ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Denied {
    pub user: String,
    pub verb: String,
    /// The resource (`leases`, `apiexports/content`), or the path of a non-resource request.
    pub resource: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

fn quoted_after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &text[text.find(marker)? + marker.len()..];
    rest.split('"').next()
}

impl Denied {
    pub(crate) fn parse(message: &str) -> Option<Denied> {
        let user = quoted_after(message, "User \"")?.to_string();
        let after = &message[message.find(" cannot ")? + " cannot ".len()..];
        let verb = after.split(' ').next()?.to_string();
        let resource = quoted_after(after, "resource \"")
            .or_else(|| quoted_after(after, "path \""))?
            .to_string();
        let namespace = quoted_after(after, "in the namespace \"").map(String::from);
        // `<resource>.<group> "<name>" is forbidden: ...` names the object.
        let head = message.split(" is forbidden").next().unwrap_or_default();
        let name = head
            .ends_with('"')
            .then(|| head.split('"').nth(1).map(String::from))
            .flatten();
        Some(Denied {
            user,
            verb,
            resource,
            name,
            namespace,
        })
    }

    /// `list workspaces`, `get apiexports edge.kubestellar.io`, `update leases x in namespace
    /// default`.
    pub(crate) fn what(&self) -> String {
        let mut s = format!("{} {}", self.verb, self.resource);
        if let Some(n) = &self.name {
            s.push(' ');
            s.push_str(n);
        }
        if let Some(ns) = &self.namespace {
            s.push_str(&format!(" in namespace {ns}"));
        }
        s
    }
}

/// The user a 403 names, quoted, or "the user".
pub(crate) fn user_of(e: &ApiErr) -> String {
    Denied::parse(&e.message).map_or_else(|| "the user".into(), |d| format!("the user \"{}\"", d.user))
}

/// The sentence for a 403 on a request to the workspace `workspace` (a path, or what to call
/// it): what the user may not do there, from kcp's message; `None` if it does not say.
pub(crate) fn sentence(e: &ApiErr, workspace: &str) -> Option<String> {
    let d = Denied::parse(&e.message)?;
    Some(format!(
        "the user \"{}\" may not {} in {workspace}",
        d.user,
        d.what()
    ))
}

/// Whether the user may enter the workspace at `path` at all: kcp's `access` verb on `/` there
/// (kcp answers 403 to every request in it otherwise, whatever else the user may do).
pub(crate) async fn may_access(workspace: &Scope) -> bool {
    !matches!(
        workspace.get::<serde_json::Value>("version").await,
        Err(e) if e.is_forbidden()
    )
}

/// A user error for a 403 on a request in the workspace `workspace` (`label` is what to call
/// it in the message): the permission missing in one sentence, `access` to the workspace when
/// that is what is missing, else the verb and resource kcp names.
pub(crate) async fn forbidden(workspace: &Scope, e: &ApiErr, what: &str, label: &str) -> Error {
    let user = user_of(e);
    let missing = if !may_access(workspace).await {
        format!("{user} may not access {label} (verb access on the non-resource URL / there)")
    } else {
        match sentence(e, label) {
            Some(s) => s,
            None => return e.to_error(what, &workspace.url()),
        }
    };
    Error::failed(format!("{what}: {missing}"))
        .hint(format!("{DOC} lists the permissions mailbox sync and watch need"))
        .cause(e.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kcp_403s_name_the_user_verb_resource_object_and_namespace() {
        let m = "leases.coordination.k8s.io \"kubestellar-mailbox-controller\" is forbidden: User \"mailbox-controller\" cannot update resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"default\": access denied";
        let d = Denied::parse(m).unwrap();
        assert_eq!(d.user, "mailbox-controller");
        assert_eq!(
            d.what(),
            "update leases kubestellar-mailbox-controller in namespace default"
        );
        let m = "workspaces.tenancy.kcp.io is forbidden: User \"u\" cannot create resource \"workspaces\" in API group \"tenancy.kcp.io\" at the cluster scope: access denied";
        assert_eq!(Denied::parse(m).unwrap().what(), "create workspaces");
        let m = "forbidden: User \"u\" cannot get path \"/version\": access denied";
        assert_eq!(Denied::parse(m).unwrap().what(), "get /version");
        assert_eq!(
            Denied::parse("unable to create APIBinding: no permission to bind to export root:espw:e"),
            None
        );
    }
}
