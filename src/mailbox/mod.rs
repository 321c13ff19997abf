//! Mailbox workspaces: one per SyncTarget, named `<cluster>-mb-<uid>`, each binding the edge
//! API. The decision is pure ([`plan`]); reads ([`inventory`]) and the single change a step
//! makes ([`reconcile`]) are apart from it; [`sync`], [`list`] and [`watch`] drive them.

pub(crate) mod driver;
pub(crate) mod inventory;
pub(crate) mod layout;
pub(crate) mod list;
pub(crate) mod naming;
pub(crate) mod observed;
pub(crate) mod plan;
pub(crate) mod reconcile;
#[cfg(test)]
mod scenarios;
pub(crate) mod sync;
pub(crate) mod watch;
