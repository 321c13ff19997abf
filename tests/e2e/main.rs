//! The end-to-end suite, one test crate: a module per area, all sharing `common` (the harness).
//! One crate compiles and links the harness once, and its tests share one pool of test threads,
//! so a long test (the soak) overlaps the rest instead of running alone after them.
//!
//! Pick a part by module path: `cargo test --test e2e -- mailbox:: watch::`. The real-kcp tier
//! (`scripts/real-tier.sh`) does so.

mod common;

mod bad_input;
mod cli;
mod completion;
mod distribution;
mod docs;
mod edge_api;
mod example1;
mod faults;
mod generations;
mod ks_commands;
mod ks_scripts;
mod layouts;
mod least_privilege;
mod mailbox;
mod partitions;
mod peer;
mod real_kcp;
mod soak;
mod syncer_gen;
mod terminal;
mod watch;
mod workspaces;
