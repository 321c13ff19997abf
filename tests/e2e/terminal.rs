//! What a person sees on a terminal: `mailbox sync`'s progress display, run in a
//! pseudo-terminal (util-linux `script`) and read back through a small screen model.

use crate::common;

use crate::common::{Env, Run, WAIT};
use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::sync::{Arc, Condvar, Mutex};

/// The lines a terminal shows after `bytes`: printable text, CR, LF, backspace, and the
/// cursor and erase sequences (CSI A B C D G H K J) progress bars use; others are ignored.
fn screen(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines: Vec<Vec<char>> = vec![vec![]];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if lines.len() <= row {
            lines.resize(row + 1, vec![]);
        }
        match c {
            '\r' => col = 0,
            '\n' => row += 1,
            '\x08' => col = col.saturating_sub(1),
            '\x1b' => {
                if chars.peek() != Some(&'[') {
                    chars.next();
                    continue;
                }
                chars.next();
                let mut params = String::new();
                let mut end = ' ';
                for p in chars.by_ref() {
                    if p.is_ascii_alphabetic() || p == '@' || p == '~' {
                        end = p;
                        break;
                    }
                    params.push(p);
                }
                let n = |i: usize, default: usize| -> usize {
                    params
                        .trim_start_matches('?')
                        .split(';')
                        .nth(i)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(default)
                };
                let line = &mut lines[row];
                match end {
                    'A' => row = row.saturating_sub(n(0, 1)),
                    'B' => row += n(0, 1),
                    'C' => col += n(0, 1),
                    'D' => col = col.saturating_sub(n(0, 1)),
                    'G' => col = n(0, 1).saturating_sub(1),
                    'H' => (row, col) = (n(0, 1).saturating_sub(1), n(1, 1).saturating_sub(1)),
                    'K' => match n(0, 0) {
                        0 => line.truncate(col),
                        1 => line.iter_mut().take(col + 1).for_each(|c| *c = ' '),
                        _ => line.clear(),
                    },
                    'J' => match n(0, 0) {
                        0 => {
                            line.truncate(col);
                            lines.truncate(row + 1);
                        }
                        _ => lines.iter_mut().for_each(|l| l.clear()),
                    },
                    _ => {}
                }
            }
            c if c.is_control() => {}
            c => {
                let line = &mut lines[row];
                if line.len() <= col {
                    line.resize(col + 1, ' ');
                }
                line[col] = c;
                col += 1;
            }
        }
    }
    let mut out: Vec<String> = lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>().trim_end().to_string())
        .collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// The plugin in a pseudo-terminal 120 columns wide, its output collected as it comes.
struct Terminal {
    child: Child,
    output: Arc<(Mutex<Vec<u8>>, Condvar)>,
    reader: std::thread::JoinHandle<()>,
}

impl Terminal {
    fn start(env: &Env, args: &str) -> Terminal {
        let command = format!("stty cols 120 rows 40; exec {} {args}", common::plugin_bin());
        let mut child = env
            .command("script")
            .args(["-qec", &command, "/dev/null"])
            // Animation is for terminals that want it: a real one, colour allowed.
            .env_remove("NO_COLOR")
            .env("TERM", "xterm")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run script");
        let output: Arc<(Mutex<Vec<u8>>, Condvar)> = Arc::default();
        let (sink, mut stdout) = (output.clone(), child.stdout.take().unwrap());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                let (bytes, cv) = &*sink;
                if n > 0 {
                    bytes.lock().unwrap().extend_from_slice(&buf[..n]);
                }
                cv.notify_all();
                if n == 0 {
                    break;
                }
            }
        });
        Terminal {
            child,
            output,
            reader,
        }
    }

    /// Wait (bounded) until the terminal has been sent `needle`.
    fn wait_for(&self, needle: &str) -> bool {
        let deadline = std::time::Instant::now() + WAIT;
        let (bytes, cv) = &*self.output;
        let mut b = bytes.lock().unwrap();
        loop {
            if String::from_utf8_lossy(&b).contains(needle) {
                return true;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            b = cv.wait_timeout(b, left).unwrap().0;
        }
    }

    /// Type `keys`, as a person at the terminal.
    fn type_keys(&mut self, keys: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Wait for the end: the exit code and everything the terminal was sent.
    fn finish(mut self) -> (i32, Vec<u8>) {
        drop(self.child.stdin.take());
        let status = self.child.wait().unwrap();
        self.reader.join().unwrap();
        let code = status
            .code()
            .unwrap_or_else(|| panic!("script was killed: {status:?}"));
        let bytes = self.output.0.lock().unwrap().clone();
        (code, bytes)
    }
}

#[test]
fn the_progress_bar_counts_from_the_start_and_is_cleared_on_ctrl_c_and_at_the_end() {
    let env = Env::sim_only("latency is injected by kcp-sim");
    env.edge_api();
    env.imw("imw1");
    for i in 0..12 {
        env.sync_target("imw1", &format!("edge-{i}"));
    }
    // Slow enough that the bar is on screen when Ctrl-C comes.
    env.sim().set_faults(kcp_sim::Faults {
        latency_ms: 150,
        ..Default::default()
    });
    let mut t = Terminal::start(&env, "mailbox sync --concurrency 2");
    assert!(t.wait_for("/12 ("), "the bar never showed its total");
    t.type_keys("\x03");
    let (code, bytes) = t.finish();
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    let shown = screen(&bytes);
    assert_eq!(code, 130, "{shown:#?}");
    assert!(!raw.contains("0/0"), "an empty 0/0 bar was drawn: {raw:?}");
    assert!(
        shown
            .last()
            .is_some_and(|l| l.starts_with("error: interrupted before it finished")),
        "{shown:#?}"
    );
    assert!(
        !shown.iter().any(|l| l.contains("syncing mailboxes")),
        "the bar was left on screen after Ctrl-C: {shown:#?}"
    );

    env.sim().set_faults(kcp_sim::Faults::default());
    let t = Terminal::start(&env, "mailbox sync");
    let (code, bytes) = t.finish();
    let shown = screen(&bytes);
    let run = Run {
        code,
        stdout: shown.join("\n"),
        stderr: String::new(),
    }
    .ok();
    assert!(
        run.stdout
            .lines()
            .last()
            .is_some_and(|l| l.contains(" created, ")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("syncing mailboxes"),
        "the bar was left on screen: {}",
        run.stdout
    );
}
