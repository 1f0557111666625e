//! The two servers under test as child processes, and what they cost, read from /proc.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Which server a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Our relay, release build, on sled.
    Ours,
    /// `@automerge/automerge-repo-sync-server` on Node.
    Js,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Ours => "launchplan-relay",
            Kind::Js => "automerge-repo-sync-server",
        }
    }
}

/// Each server under test: the program to start it from, or where it already runs.
#[derive(Debug, Clone)]
pub(crate) struct Targets {
    pub(crate) relay: Target,
    /// As a program: `src/index.js` of the npm package.
    pub(crate) js_server: Target,
    /// The token for a relay at a URL (one the bench starts makes its own).
    pub(crate) relay_token: Option<String>,
}

/// A server the bench starts from a program, or one that runs elsewhere (another machine,
/// so that the load generator does not share its cores): only its WebSocket URL is known,
/// and its memory and CPU are not measured.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Program(PathBuf),
    Url(String),
}

/// A server on loopback with its data in a fresh directory. Killed when dropped.
pub(crate) struct Server {
    child: Child,
    pid: u32,
    pub(crate) kind: Kind,
    pub(crate) url: String,
    /// The token sync needs (our relay requires one; the JavaScript server none).
    pub(crate) token: Option<String>,
    _dir: tempfile::TempDir,
}

/// CPU time and memory of a process, from /proc.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Usage {
    pub(crate) cpu_secs: f64,
    pub(crate) peak_rss_bytes: u64,
}

const READY_WITHIN: Duration = Duration::from_secs(60);

impl Targets {
    pub(crate) fn of(&self, kind: Kind) -> &Target {
        match kind {
            Kind::Ours => &self.relay,
            Kind::Js => &self.js_server,
        }
    }
}

impl Server {
    /// Starts `kind` from `program` (our relay's binary, or the JavaScript server's
    /// `src/index.js`).
    pub(crate) async fn start(kind: Kind, program: &Path) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut token = None;
        let (mut child, ready) = match kind {
            Kind::Ours => {
                // Signed in as every person is: with a token, made on the data directory
                // before the relay takes it.
                let made = Command::new(program)
                    .arg("--data-dir")
                    .arg(dir.path().join("data"))
                    .args(["token", "create", "--label", "bench"])
                    .output()
                    .await
                    .context("making the bench's token")?;
                anyhow::ensure!(
                    made.status.success(),
                    "token create: {}",
                    String::from_utf8_lossy(&made.stderr)
                );
                let printed = String::from_utf8_lossy(&made.stdout).into_owned();
                token = Some(
                    printed.lines().find(|l| l.starts_with("lp_")).context("no token printed")?.to_owned(),
                );
                let child = Command::new(program)
                    .args(["--listen", "127.0.0.1:0", "--data-dir"])
                    .arg(dir.path().join("data"))
                    .arg("--app-dir")
                    .arg(dir.path())
                    .env("RUST_LOG", "warn")
                    .stdout(Stdio::piped())
                    .kill_on_drop(true)
                    .spawn()
                    .with_context(|| format!("starting {}", program.display()))?;
                (child, "Launchplan relay listening on http://")
            }
            Kind::Js => {
                let port = free_port()?;
                // It serves `public/` from its working directory and creates DATA_DIR
                // without its parents: an empty directory of its own holds both.
                let child = Command::new("node")
                    .arg(program)
                    .current_dir(dir.path())
                    .env("PORT", port.to_string())
                    .env("DATA_DIR", dir.path().join("data"))
                    .stdout(Stdio::piped())
                    .kill_on_drop(true)
                    .spawn()
                    .with_context(|| format!("starting node {}", program.display()))?;
                (child, "Listening on port ")
            }
        };
        let stdout = child.stdout.take().context("server stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(READY_WITHIN, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(rest) = line.strip_prefix(ready) {
                    return Ok(rest.trim().to_owned());
                }
            }
            bail!("{} exited before it listened", kind.name())
        })
        .await
        .with_context(|| format!("waiting for {} to listen", kind.name()))??;
        // Keep draining its output so that it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let url = match kind {
            Kind::Ours => format!("ws://{line}/sync"),
            Kind::Js => format!("ws://127.0.0.1:{line}/sync"),
        };
        let pid = child.id().context("server pid")?;
        Ok(Self { child, pid, kind, url, token, _dir: dir })
    }

    /// Fails when the server has exited.
    pub(crate) fn check_alive(&mut self) -> anyhow::Result<()> {
        match self.child.try_wait()? {
            Some(status) => bail!("{} exited during the run: {status}", self.kind.name()),
            None => Ok(()),
        }
    }

    pub(crate) fn usage(&self) -> anyhow::Result<Usage> {
        usage_of(&format!("/proc/{}", self.pid))
    }
}

/// CPU seconds (user and system) and peak resident memory of the process at `proc_dir`.
pub(crate) fn usage_of(proc_dir: &str) -> anyhow::Result<Usage> {
    // Linux reports CPU time in USER_HZ ticks, which is 100 on every architecture it runs on.
    const TICKS_PER_SEC: f64 = 100.0;
    let stat = std::fs::read_to_string(Path::new(proc_dir).join("stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces: the
    // state is field 3, utime field 14 and stime field 15.
    let after = stat.rsplit_once(')').context("unexpected /proc stat")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |n: usize| -> anyhow::Result<f64> {
        Ok(fields.get(n - 3).context("short /proc stat")?.parse::<u64>()? as f64)
    };
    let cpu_secs = (ticks(14)? + ticks(15)?) / TICKS_PER_SEC;
    let status = std::fs::read_to_string(Path::new(proc_dir).join("status"))?;
    let peak_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .context("no VmHWM in /proc status")?;
    Ok(Usage { cpu_secs, peak_rss_bytes: peak_kb * 1024 })
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}
