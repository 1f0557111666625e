//! The relay binary as a child process.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::{PATIENCE, workspace_root};

/// The relay binary that `cargo test --workspace` builds (for the relay's own integration
/// tests), or `LAUNCHPLAN_RELAY_BIN`.
pub fn relay_binary() -> anyhow::Result<PathBuf> {
    let path = std::env::var_os("LAUNCHPLAN_RELAY_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/launchplan-relay"));
    if !path.exists() {
        bail!(
            "no relay binary at {}: run the tests with `cargo xtask test`, which builds it",
            path.display()
        );
    }
    Ok(path)
}

/// The built app that `cargo xtask test` builds, or `LAUNCHPLAN_APP_DIR`.
pub fn app_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::var_os("LAUNCHPLAN_APP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/app"));
    if !dir.join("index.html").exists() {
        bail!("no built app in {}: run the tests with `cargo xtask test`, which builds it", dir.display());
    }
    Ok(dir)
}

/// A running relay. Killed when dropped.
pub struct RelayProcess {
    child: Child,
    pub addr: SocketAddr,
}

impl RelayProcess {
    /// Starts `binary` on `listen` (use port 0 for a free port) and waits until it listens.
    pub async fn start(binary: &Path, listen: &str, data_dir: &Path, app_dir: &Path) -> anyhow::Result<Self> {
        Self::start_with(binary, listen, data_dir, app_dir, &[]).await
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
        let addr = tokio::time::timeout(PATIENCE, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(url) = line.strip_prefix("Launchplan relay listening on http://") {
                    return Ok(url.parse::<SocketAddr>()?);
                }
            }
            bail!("the relay exited before it listened")
        })
        .await
        .context("waiting for the relay to listen")??;
        // Keep draining stdout so that the relay never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { child, addr })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn sync_url(&self) -> String {
        format!("ws://{}/sync", self.addr)
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
