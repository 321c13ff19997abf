//! CPU time, from the kernel's accounting. On a machine with few cores the simulator, the
//! plugin and the harness compete for them, so a wall time means little without the CPU
//! spent beside it.

use std::time::Duration;

fn rusage(who: libc::c_int) -> Option<libc::rusage> {
    // SAFETY: rusage is plain data, so all-zero is a valid value for getrusage to overwrite.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid `who` and a pointer to a live local.
    (unsafe { libc::getrusage(who, &mut u) } == 0).then_some(u)
}

/// User + system time of a rusage.
pub fn of(u: &libc::rusage) -> Duration {
    let tv =
        |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// This process (all threads: the in-process simulator, mostly).
pub fn this_process() -> Duration {
    rusage(libc::RUSAGE_SELF).map_or(Duration::ZERO, |u| of(&u))
}

/// The calling thread.
pub fn this_thread() -> Duration {
    rusage(libc::RUSAGE_THREAD).map_or(Duration::ZERO, |u| of(&u))
}

/// Another process's user + system time so far, from /proc/PID/stat (its threads included,
/// its children not): real kcp's, while the plugin runs against it.
pub fn of_pid(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces and parentheses): state is field 3,
    // utime field 14, stime field 15.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no memory-safety preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (hz > 0).then(|| Duration::from_secs_f64(ticks as f64 / hz as f64))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_process_cpu_time_is_read_from_proc() {
        // Burn a little CPU so that at least one tick is accounted.
        let start = std::time::Instant::now();
        let mut x = 0u64;
        while start.elapsed() < std::time::Duration::from_millis(50) {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        std::hint::black_box(x);
        let own = super::of_pid(std::process::id()).expect("our own /proc/PID/stat");
        assert!(!own.is_zero(), "CPU time read: {own:?}");
        assert!(super::of_pid(u32::MAX).is_none());
    }
}
