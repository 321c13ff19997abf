//! Running the plugin as users do, a separate process, and measuring it from outside:
//! wall time, and peak RSS.
//!
//! Peak RSS is the child's own `VmHWM`, read from /proc/PID/status at the moment it exits: the
//! harness attaches with `PTRACE_SEIZE` and `PTRACE_O_TRACEEXIT`, so the kernel stops the
//! child just before it tears down its memory. `wait4`'s `ru_maxrss` is not usable alone: Linux
//! records at `exec` the high-water mark of the memory the child had *before* it (with
//! `posix_spawn`, the parent's), so it reports the harness's own RSS — gigabytes once the
//! in-process simulator holds 10,000 mailboxes — whenever that is larger. It is kept as a
//! fallback, marked as such, for when ptrace is not allowed.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How a finished process went.
#[derive(Debug, Clone)]
pub struct Finished {
    pub code: i32,
    pub wall: Duration,
    pub peak: Peak,
    /// User + system CPU time.
    pub cpu: Duration,
    pub stdout: String,
    pub stderr: String,
}

/// Peak resident set size, KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peak {
    /// The process's own `VmHWM`, read as it exited.
    Exact(u64),
    /// `ru_maxrss`: an upper bound that may be the harness's own peak (see the module doc).
    AtMost(u64),
}

impl Peak {
    pub fn kib(self) -> u64 {
        match self {
            Peak::Exact(k) | Peak::AtMost(k) => k,
        }
    }
}

/// Ask the kernel to stop `pid` just before it exits (see the module doc). Must be called
/// from the thread that will then [`reap`] it: a tracer is a thread, not a process.
fn seize(pid: u32) -> bool {
    let options = libc::PTRACE_O_TRACEEXIT as usize as *mut libc::c_void;
    // SAFETY: PTRACE_SEIZE reads no memory of ours; pid is our own child.
    unsafe {
        libc::ptrace(
            libc::PTRACE_SEIZE,
            pid as libc::pid_t,
            std::ptr::null_mut::<libc::c_void>(),
            options,
        ) == 0
    }
}

fn ptrace_resume(request: libc::c_uint, pid: u32, signal: libc::c_int) {
    let data = signal as usize as *mut libc::c_void;
    // SAFETY: resuming requests read no memory of ours; pid is our stopped tracee.
    unsafe {
        libc::ptrace(
            request,
            pid as libc::pid_t,
            std::ptr::null_mut::<libc::c_void>(),
            data,
        )
    };
}

/// A field of /proc/PID/status, in KiB (`VmRSS`, `VmHWM`).
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Current resident set size of a running process, KiB.
pub fn vm_rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS")
}

/// How a process ended: exit code (a signal's death is 128 + signal), peak RSS, CPU time.
#[derive(Debug, Clone, Copy)]
pub struct Reaped {
    pub code: i32,
    pub peak: Peak,
    pub cpu: Duration,
}

/// Wait for `pid` to exit, passing on the stops that tracing adds (signals are re-delivered
/// as they were sent).
fn reap(pid: u32, traced: bool) -> std::io::Result<Reaped> {
    let mut hwm = None;
    loop {
        let mut status = 0;
        // SAFETY: rusage is plain data, so all-zero is a valid value for wait4 to overwrite.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our own child; both pointers are to live locals.
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, libc::__WALL, &mut usage) };
        if r != pid as libc::pid_t {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if traced && libc::WIFSTOPPED(status) {
            match status >> 16 {
                libc::PTRACE_EVENT_EXIT => {
                    hwm = status_kib(pid, "VmHWM");
                    ptrace_resume(libc::PTRACE_CONT, pid, 0);
                }
                // A group stop (SIGSTOP and friends): stay stopped, as without a tracer.
                libc::PTRACE_EVENT_STOP => ptrace_resume(libc::PTRACE_LISTEN, pid, 0),
                // A signal on its way in: deliver it.
                _ => ptrace_resume(libc::PTRACE_CONT, pid, libc::WSTOPSIG(status)),
            }
            continue;
        }
        let code = if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            128 + libc::WTERMSIG(status)
        };
        let peak = match hwm {
            Some(k) => Peak::Exact(k),
            None => Peak::AtMost(usage.ru_maxrss.max(0) as u64),
        };
        return Ok(Reaped {
            code,
            peak,
            cpu: crate::cpu::of(&usage),
        });
    }
}

/// Drain a pipe on its own thread, so a chatty child never blocks on a full pipe.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_string(&mut s);
        }
        s
    })
}

/// Run to completion, traced to read its peak RSS. The process is reaped here (not by
/// `Child::wait`); std's `Child` is then only a handle to the pipes.
pub fn run(cmd: Command) -> std::io::Result<Finished> {
    run_with(cmd, true)
}

/// Run to completion untraced: for a shell script, whose every child's exit would otherwise
/// stop it for the tracer (SIGCHLD), and whose own peak RSS means nothing. The CPU time then
/// includes every child it waited for.
pub fn run_untraced(cmd: Command) -> std::io::Result<Finished> {
    run_with(cmd, false)
}

fn run_with(mut cmd: Command, trace: bool) -> std::io::Result<Finished> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let traced = trace && seize(child.id());
    let Reaped { code, peak, cpu } = reap(child.id(), traced)?;
    let wall = start.elapsed();
    Ok(Finished {
        code,
        wall,
        peak,
        cpu,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

type Log = Arc<(Mutex<String>, Condvar)>;

/// A long-running `mailbox watch`, its stderr collected, traced and reaped by a thread of its
/// own (which is how its exit and peak RSS are known without polling).
pub struct Controller {
    pid: u32,
    started: Instant,
    log: Log,
    exit: mpsc::Receiver<std::io::Result<Reaped>>,
    exited: Option<Reaped>,
    pub metrics_addr: String,
}

impl Controller {
    /// Start it and wait (bounded) until it says where it serves metrics.
    pub fn start(cmd: Command, timeout: Duration) -> Result<Controller, String> {
        let mut c = Controller::start_until(cmd, "serving /metrics", timeout)?;
        let line = c.wait_log("serving /metrics", timeout).unwrap_or_default();
        c.metrics_addr = line
            .split("on http://")
            .nth(1)
            .map(|a| a.trim().to_string())
            .unwrap_or_default();
        Ok(c)
    }

    /// Start any long-running process (the Go mailbox-controller too) and wait (bounded) until
    /// its stderr has a line containing `ready`.
    pub fn start_until(mut cmd: Command, ready: &str, timeout: Duration) -> Result<Controller, String> {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start the controller: {e}"))?;
        let log: Log = Default::default();
        let (sink, stderr) = (log.clone(), child.stderr.take());
        std::thread::spawn(move || {
            let Some(stderr) = stderr else { return };
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let (text, cv) = &*sink;
                let mut t = text.lock().unwrap_or_else(|p| p.into_inner());
                t.push_str(&line);
                t.push('\n');
                cv.notify_all();
            }
        });
        let pid = child.id();
        let (tx, exit) = mpsc::channel();
        std::thread::spawn(move || {
            let traced = seize(pid);
            let _ = tx.send(reap(pid, traced));
        });
        let c = Controller {
            pid,
            started,
            log,
            exit,
            exited: None,
            metrics_addr: String::new(),
        };
        if c.wait_log(ready, timeout).is_none() {
            return Err(format!(
                "the controller did not say {ready:?} within {timeout:?}:\n{}",
                c.log()
            ));
        }
        Ok(c)
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn started(&self) -> Instant {
        self.started
    }

    pub fn log(&self) -> String {
        self.log.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Wait (bounded) for a log line containing `needle`; returns it.
    pub fn wait_log(&self, needle: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        let (text, cv) = &*self.log;
        let mut t = text.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(l) = t.lines().find(|l| l.contains(needle)) {
                return Some(l.to_string());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            t = cv.wait_timeout(t, left).unwrap_or_else(|p| p.into_inner()).0;
        }
    }

    /// One sample from `/metrics` (a line `NAME VALUE`, `NAME` including any labels).
    pub fn metric(&self, name: &str) -> Option<f64> {
        let body = http_get(&self.metrics_addr, "/metrics")?;
        body.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next()?.parse().ok())
    }

    /// Wait (bounded) until the metrics satisfy `ok`. The controller offers no push
    /// notification of being idle, so this samples its metrics endpoint every 20 ms; it
    /// never touches the simulator, so it does not perturb request counts.
    pub fn wait_metrics(&self, timeout: Duration, mut ok: impl FnMut(&Controller) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if ok(self) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then wait (bounded) for it to exit; SIGKILL if it does not. Returns
    /// how it ended (peak RSS and CPU over its whole life).
    pub fn stop(&mut self, timeout: Duration) -> Option<Reaped> {
        self.signal(libc::SIGTERM);
        if self.wait_exit(timeout).is_none() {
            self.signal(libc::SIGKILL);
            self.wait_exit(timeout);
        }
        self.exited
    }

    fn signal(&self, signal: libc::c_int) {
        if self.exited.is_none() {
            // SAFETY: kill has no memory-safety preconditions. Only our reaper thread reaps
            // this pid; it could name another process only if that thread reaped it and the
            // kernel reused the pid in the moment before we received the result.
            unsafe { libc::kill(self.pid as libc::pid_t, signal) };
        }
    }

    fn wait_exit(&mut self, timeout: Duration) -> Option<Reaped> {
        if self.exited.is_none() {
            self.exited = self.exit.recv_timeout(timeout).ok().and_then(Result::ok);
        }
        self.exited
    }
}

impl Drop for Controller {
    fn drop(&mut self) {
        self.signal(libc::SIGKILL);
        let _ = self.wait_exit(Duration::from_secs(10));
    }
}

/// A plain HTTP/1.1 GET (the metrics server speaks nothing fancier); the body.
fn http_get(addr: &str, path: &str) -> Option<String> {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string())
}

/// The last `lines` lines of a text (a process's stderr or log, for a report).
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
