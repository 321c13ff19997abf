//! kcp-sim driven by a Rust client (kube over the real TLS path), asserting exact status codes
//! and Status reasons.

// A scenario reads top to bottom; a test says on stdout why it skips.
#![allow(clippy::too_many_lines, clippy::print_stdout)]

use kcp_sim::harness::client as common;

use common::*;
use kcp_sim::{Faults, SimConfig};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;

mod auth;
mod claims;
mod crds;
mod defaults;
mod exports;
mod identity;
mod partitions;
mod paths;
mod scale;
mod semantics;
mod shards;
mod watchlist;
mod workspaces;

// Helpers for the areas that share them.
use exports::*;
use semantics::*;

fn rv(object: &Value) -> String {
    object["metadata"]["resourceVersion"]
        .as_str()
        .expect("a resourceVersion")
        .to_string()
}

fn item_names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn condition<'a>(object: &'a Value, type_: &str) -> &'a Value {
    object["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == type_))
        .unwrap_or(&Value::Null)
}
