//! Controller machinery that knows nothing of mailboxes: a work queue with per-key backoff,
//! watches turned into changes, leader election on a Lease, metrics, and shutdown signals.

pub(crate) mod leader;
pub(crate) mod metrics;
pub(crate) mod queue;
pub(crate) mod signals;
pub(crate) mod watches;
