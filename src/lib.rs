//! kubectl-kubestellar: keeps KubeStellar's mailbox workspaces on kcp in step with the
//! SyncTarget inventory, and sets up and tears down the workspaces around them.

pub mod edge_api;
