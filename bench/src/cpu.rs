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
