//! The relay binary as a child process.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::PATIENCE;

/// The relay binary `cargo xtask test` has just built, from `LAUNCHPLAN_RELAY_BIN`. Never a
/// guess at `target/`: a binary left there by an older build would test old code.
pub fn relay_binary() -> anyhow::Result<PathBuf> {
    built_path("LAUNCHPLAN_RELAY_BIN", "the relay binary", |path| path.is_file())
}

/// The app `cargo xtask test` has just built (when anything it is built from changed), from
/// `LAUNCHPLAN_APP_DIR`.
pub fn app_dir() -> anyhow::Result<PathBuf> {
    built_path("LAUNCHPLAN_APP_DIR", "the built app", |dir| dir.join("index.html").is_file())
}

fn built_path(var: &str, what: &str, exists: impl Fn(&Path) -> bool) -> anyhow::Result<PathBuf> {
    let Some(path) = std::env::var_os(var).map(PathBuf::from) else {
        bail!("{var} is not set: run the tests with `cargo xtask test`, which builds {what} and sets it");
    };
    if !exists(&path) {
        bail!("{var} names {}, which holds no {what}: run `cargo xtask test`", path.display());
    }
    Ok(path)
}

/// A running relay. Killed when dropped.
pub struct RelayProcess {
    child: Child,
    pub addr: SocketAddr,
    /// It serves HTTPS and WSS (started with a certificate).
    pub tls: bool,
    /// The owner setup link it printed (sign-in required, nobody owns it yet).
    pub setup_link: Option<String>,
}

impl RelayProcess {
    /// Starts `binary` on `listen` (use port 0 for a free port) and waits until it listens.
    /// It serves everyone (`--no-auth`): the browsers of tests about the app's other
    /// features open it without signing in. `tests/signed_in.rs` signs in.
    pub async fn start(binary: &Path, listen: &str, data_dir: &Path, app_dir: &Path) -> anyhow::Result<Self> {
        Self::start_with(binary, listen, data_dir, app_dir, &["--no-auth"]).await
    }

    /// [`RelayProcess::start`] with more command-line arguments (limits, idle time).
    pub async fn start_with(
        binary: &Path,
        listen: &str,
        data_dir: &Path,
        app_dir: &Path,
        extra: &[&str],
    ) -> anyhow::Result<Self> {
        let mut child = Command::new(binary)
            .args(["--listen", listen, "--data-dir"])
            .arg(data_dir)
            .arg("--app-dir")
            .arg(app_dir)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("relay stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut setup_link = None;
        let addr = tokio::time::timeout(PATIENCE, async {
            while let Some(line) = lines.next_line().await? {
                if let Some((_, link)) = line.split_once("Owner setup (open once, it makes you the owner): ")
                {
                    setup_link = Some(link.to_owned());
                }
                if let Some(url) = line.strip_prefix("Launchplan relay listening on http://") {
                    return Ok((url.parse::<SocketAddr>()?, false));
                }
                if let Some(url) = line.strip_prefix("Launchplan relay listening on https://") {
                    return Ok((url.parse::<SocketAddr>()?, true));
                }
            }
            bail!("the relay exited before it listened")
        })
        .await
        .context("waiting for the relay to listen")??;
        // Keep draining stdout so that the relay never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let (addr, tls) = addr;
        Ok(Self { child, addr, tls, setup_link })
    }

    pub fn url(&self) -> String {
        format!("{}://{}", if self.tls { "https" } else { "http" }, self.addr)
    }

    pub fn sync_url(&self) -> String {
        format!("{}://{}/sync", if self.tls { "wss" } else { "ws" }, self.addr)
    }

    /// SIGTERM, then the exit status: a clean stop flushes and exits 0.
    pub async fn terminate(mut self) -> anyhow::Result<ExitStatus> {
        let pid = self.child.id().context("relay already exited")?;
        let status = Command::new("kill").args(["-TERM", &pid.to_string()]).status().await?;
        anyhow::ensure!(status.success(), "kill -TERM failed");
        Ok(tokio::time::timeout(PATIENCE, self.child.wait()).await.context("relay did not stop")??)
    }

    /// SIGKILL: the relay gets no chance to clean up.
    pub async fn kill(mut self) -> anyhow::Result<()> {
        self.child.kill().await.context("killing the relay")
    }
}
