//! What the figures were measured on: they mean little without it. The load average at the
//! start and at the end says whether something else was competing for the CPUs.

use std::path::Path;

#[derive(Debug, Clone)]
pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub memory_kib: u64,
    pub kernel: String,
    pub kubectl: String,
    /// `kubectl-kubestellar version`: which build was measured.
    pub plugin: String,
    /// `kcp --version`, when measuring against a real kcp.
    pub kcp: Option<String>,
    pub command: String,
    pub started: String,
    pub finished: String,
    pub load_start: String,
    pub load_end: String,
}

impl Machine {
    pub fn describe(kubectl: &Path, plugin: &Path, kcp: Option<&Path>) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu: cpuinfo
                .lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
                .unwrap_or_else(|| "unknown".into()),
            memory_kib: meminfo
                .lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|s| s.trim().to_string())
                .unwrap_or_default(),
            kubectl: kubectl_version(kubectl),
            plugin: first_line(plugin, &["version"]),
            kcp: kcp.map(|k| first_line(k, &["--version"])),
            command: std::env::args().collect::<Vec<_>>().join(" "),
            started: now(),
            finished: String::new(),
            load_start: load(),
            load_end: String::new(),
        }
    }

    /// Note the end of the run.
    pub fn finish(&mut self) {
        self.finished = now();
        self.load_end = load();
    }
}

fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M:%S UTC")
        .to_string()
}

/// The 1-, 5- and 15-minute load averages.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn first_line(program: &Path, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "not found".into())
}

fn kubectl_version(kubectl: &Path) -> String {
    std::process::Command::new(kubectl)
        .args(["version", "--client"])
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("Client Version: ").map(str::to_string))
        })
        .unwrap_or_else(|| "not found".into())
}
