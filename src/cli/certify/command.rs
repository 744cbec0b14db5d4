//! Running an external model's command once, with a timeout, capturing what it prints.
//!
//! The command line is handed to `sh -c` with the I/O directory appended as its last argument
//! (`<command> "$RACAH_IO_DIR"`), so it may use the shell's quoting, pipes and variables. It
//! runs in its own process group, so a timeout kills the whole group (a `python` under `sh`,
//! a pipeline), not only the shell.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How much of the end of stderr (or stdout) goes into an error message.
pub const TAIL_LINES: usize = 12;

/// What a finished command left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// Its exit status.
    pub status: ExitStatus,
    /// Everything it wrote to stdout.
    pub stdout: String,
    /// Everything it wrote to stderr.
    pub stderr: String,
    /// How long it ran.
    pub elapsed: Duration,
}

/// How running a command can go wrong before it exits by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// `sh` could not be started.
    Spawn(String),
    /// The command ran longer than the timeout and was killed.
    Timeout {
        /// stderr (or, if empty, stdout) written before the kill.
        output: String,
    },
}

/// The last [`TAIL_LINES`] lines of `text`, trimmed, at most 2000 characters.
pub fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let start = lines.len().saturating_sub(TAIL_LINES);
    let t = lines[start..].join("\n");
    let n = t.chars().count();
    if n > 2000 {
        t.chars().skip(n - 2000).collect()
    } else {
        t
    }
}

/// The status as a phrase: `exit status 3` or `signal 9 (killed)`.
pub fn describe_status(status: &ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exit status {c}"),
        (None, Some(s)) => format!("signal {s}{}", signal_name(s)),
        (None, None) => "an unknown status".to_string(),
    }
}

fn signal_name(s: i32) -> &'static str {
    match s {
        6 => " (aborted)",
        9 => " (killed)",
        11 => " (segmentation fault)",
        15 => " (terminated)",
        _ => "",
    }
}

fn reader(mut r: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Runs `sh -c '<command> "$RACAH_IO_DIR"'` in the current directory with `RACAH_IO_DIR=dir`
/// and waits at most `timeout`.
///
/// # Errors
/// [`RunError::Spawn`] if `sh` cannot be started, [`RunError::Timeout`] (after killing the
/// command's process group) if it runs longer than `timeout`. A command that exits with a
/// non-zero status is not an error here: the caller reads [`Finished::status`].
pub fn run(command: &str, dir: &Path, timeout: Duration) -> Result<Finished, RunError> {
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$RACAH_IO_DIR\""))
        .env("RACAH_IO_DIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| RunError::Spawn(e.to_string()))?;
    let out = reader(child.stdout.take().expect("stdout is piped"));
    let err = reader(child.stderr.take().expect("stderr is piped"));
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= timeout => break None,
            Ok(None) => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => return Err(RunError::Spawn(e.to_string())),
        }
    };
    let Some(status) = status else {
        kill_group(child.id());
        let _ = child.kill();
        let _ = child.wait();
        // grandchildren that escaped the group could keep the pipes open: wait only briefly
        let output = join_within(err, Duration::from_millis(500));
        let output = if output.trim().is_empty() {
            join_within(out, Duration::from_millis(100))
        } else {
            output
        };
        return Err(RunError::Timeout {
            output: tail(&output),
        });
    };
    Ok(Finished {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        elapsed: start.elapsed(),
    })
}

/// What a reader thread collected, if it finishes within `limit` (else nothing).
fn join_within(h: thread::JoinHandle<String>, limit: Duration) -> String {
    let start = Instant::now();
    while !h.is_finished() && start.elapsed() < limit {
        thread::sleep(Duration::from_millis(5));
    }
    if h.is_finished() {
        h.join().unwrap_or_default()
    } else {
        String::new()
    }
}

/// Sends SIGKILL to the process group `pgid` (the command and everything it started).
fn kill_group(pgid: u32) {
    // the shell's builtin `kill`, so that no procps is needed
    let _ = Command::new("sh")
        .args(["-c", &format!("kill -s KILL -- -{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tmp() -> std::path::PathBuf {
        std::env::temp_dir()
    }

    #[test]
    fn test_run() {
        let f = run(
            "printf 'out'; echo err >&2; echo",
            &tmp(),
            Duration::from_secs(10),
        )
        .unwrap();
        assert!(f.status.success());
        assert_eq!(f.stdout, format!("out{}\n", tmp().display()));
        assert_eq!(f.stderr, "err\n");
        // the directory is the last argument and $RACAH_IO_DIR
        let f = run("test \"$RACAH_IO_DIR\" = ", &tmp(), Duration::from_secs(10)).unwrap();
        assert!(f.status.success());
        let f = run("exit 3 #", &tmp(), Duration::from_secs(10)).unwrap();
        assert_eq!(describe_status(&f.status), "exit status 3");
        let f = run("kill -9 $$ #", &tmp(), Duration::from_secs(10)).unwrap();
        assert_eq!(describe_status(&f.status), "signal 9 (killed)");
    }

    #[test]
    fn run_times_out_and_kills_the_group() {
        let start = Instant::now();
        let e = run(
            "echo started >&2; sleep 30 | cat; echo never",
            &tmp(),
            Duration::from_millis(300),
        )
        .unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(10));
        assert_eq!(
            e,
            RunError::Timeout {
                output: "started".into()
            }
        );
    }

    #[test]
    fn test_tail() {
        let text: String = (0..30).map(|i| format!("line {i}\n")).collect();
        let t = tail(&text);
        assert_eq!(t.lines().count(), TAIL_LINES);
        assert!(t.ends_with("line 29"));
        assert_eq!(tail(""), "");
    }

    proptest! {
        #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(11), ..ProptestConfig::default() })]

        #[test]
        fn tail_properties(lines in proptest::collection::vec("[a-zé ]{0,300}", 0..40)) {
            let text = lines.join("\n");
            let t = tail(&text);
            prop_assert!(t.lines().count() <= TAIL_LINES);
            prop_assert!(t.chars().count() <= 2000);
            prop_assert!(text.trim_end().ends_with(&t));
        }
    }
}
