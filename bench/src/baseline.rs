//! The alternative a user has today: `bench/baseline.sh`, a bash loop over kubectl, doing
//! the same one-shot repair as `mailbox sync` against the same kind of inventory.

use crate::inventory::Inventory;
use crate::process::tail;
use crate::{Options, process};
use std::collections::BTreeMap;
use std::time::Duration;

/// The script, built in, so the harness runs the version it was built with from any directory.
pub const SCRIPT: &str = include_str!("../baseline.sh");

#[derive(Debug, Clone)]
pub struct BaselineRun {
    pub n: usize,
    pub code: i32,
    pub wall: Duration,
    /// bash's and every kubectl's CPU time.
    pub cpu: Duration,
    /// By verb; empty on real kcp, which has no request counters.
    pub requests: BTreeMap<String, u64>,
    /// kubectl processes started, as the script counts them.
    pub kubectl_calls: Option<u64>,
    pub made: usize,
    pub bound: usize,
    pub stderr_tail: String,
}

impl BaselineRun {
    pub fn total(&self) -> u64 {
        self.requests.values().sum()
    }
}

pub fn measure(options: &Options, n: usize) -> Result<BaselineRun, String> {
    let mut inv = Inventory::start(options.latency, options.imws, options.real_kcp.as_ref())?;
    inv.add(n)?;
    let script = inv.dir.path().join("baseline.sh");
    std::fs::write(&script, SCRIPT).map_err(|e| format!("cannot write the script: {e}"))?;
    let cache = inv.dir.path().join("kube-cache");
    let mut cmd = inv.command(std::path::Path::new("bash"));
    cmd.arg(&script)
        .arg(inv.url())
        .args(&inv.imws)
        .env("KUBECTL", &options.kubectl)
        .env("KUBECACHEDIR", &cache);
    inv.reset_requests();
    let run = process::run_untraced(cmd).map_err(|e| format!("cannot run bash: {e}"))?;
    let requests = inv.requests().unwrap_or_default();
    let (made, bound) = inv.made(&inv.sync_targets);
    let kubectl_calls = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("kubectl calls: "))
        .and_then(|c| c.trim().parse().ok());
    Ok(BaselineRun {
        n,
        code: run.code,
        wall: run.wall,
        cpu: run.cpu,
        requests,
        kubectl_calls,
        made,
        bound,
        stderr_tail: tail(&run.stderr, 20),
    })
}
