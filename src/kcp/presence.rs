//! Whether a workspace is there to be used: kcp answers 403 alike for a workspace that does
//! not exist, one not Ready yet and one the user may not read, and the messages must say which.

use super::Kcp;
use super::resource::Address;
use super::types::Workspace;

/// Whether a workspace is there to be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    Ready,
    /// It exists but does not serve its content yet.
    NotReady,
    Missing,
    /// It could not be told (e.g. a permission problem, which is then reported, not waited on).
    Unknown,
}

/// Whether the workspace at `path` exists and serves its content: one GET of its Workspace
/// in the parent (and up the tree while kcp answers 403 for a parent that does not exist).
pub(crate) fn presence<'a>(kcp: &'a Kcp, path: &'a str) -> futures::future::BoxFuture<'a, Presence> {
    Box::pin(async move {
        let Some((parent, name)) = super::paths::split_parent(path) else {
            return Presence::Unknown;
        };
        match kcp
            .cluster(parent)
            .get::<Workspace>(&Workspace::object(name))
            .await
        {
            Ok(Some(ws)) if ws.ready() => Presence::Ready,
            Ok(Some(_)) => Presence::NotReady,
            Ok(None) => Presence::Missing,
            // The parent is not readable either: if it does not exist, neither does this.
            Err(e) if e.is_forbidden() => match presence(kcp, parent).await {
                Presence::Missing | Presence::NotReady => Presence::Missing,
                _ => Presence::Unknown,
            },
            Err(_) => Presence::Unknown,
        }
    })
}
