//! Mailbox workspaces: one per SyncTarget, named `<cluster>-mb-<uid>`, each binding the edge
//! API. The decision is pure ([`plan`]); reads ([`inventory`]) and the single change a step
//! makes ([`reconcile`]) are apart from it; [`sync`], [`list`] and [`watch`] drive them.

pub mod inventory;
pub mod layout;
pub mod leader;
pub mod list;
pub mod naming;
pub mod observed;
pub mod plan;
pub mod queue;
pub mod reconcile;
pub mod sync;
pub mod watch;
pub mod watches;
