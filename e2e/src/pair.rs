//! Two people on one relay, each in a browser with its own profile: the set-up of the tests
//! where people work together, and the relay coming back after it went away.

use std::path::PathBuf;

use tempfile::TempDir;

use crate::browser::Page;
use crate::chromedriver::ChromeDriver;
use crate::relay::{RelayProcess, app_dir, relay_binary};

pub struct Pair {
    pub a: Page,
    pub b: Page,
    binary: PathBuf,
    app: PathBuf,
    /// Where the relay listens, so that it comes back on the same port.
    listen: String,
    data: TempDir,
    _profiles: TempDir,
    // After the pages: their sessions end before chromedriver does.
    _driver: ChromeDriver,
}

impl Pair {
    /// A relay on a fresh data directory, and browsers A and B.
    pub async fn start() -> anyhow::Result<(Self, RelayProcess)> {
        let (binary, app) = (relay_binary()?, app_dir()?);
        let (data, profiles) = (tempfile::tempdir()?, tempfile::tempdir()?);
        let relay = RelayProcess::start(&binary, "127.0.0.1:0", data.path(), &app).await?;
        let driver = ChromeDriver::start().await?;
        let a = Page::new(driver.browser(&profiles.path().join("a")).await?, "browser A");
        let b = Page::new(driver.browser(&profiles.path().join("b")).await?, "browser B");
        let listen = relay.addr.to_string();
        Ok((Pair { a, b, binary, app, listen, data, _profiles: profiles, _driver: driver }, relay))
    }

    /// The relay again, on the same data and port, after it was stopped.
    pub async fn restart_relay(&self) -> anyhow::Result<RelayProcess> {
        RelayProcess::start(&self.binary, &self.listen, self.data.path(), &self.app).await
    }

    /// A makes plan `name` with `tasks` on `relay`; B opens its share link and sees them all.
    pub async fn share_plan(&self, relay: &RelayProcess, name: &str, tasks: &[&str]) -> anyhow::Result<()> {
        self.a.open(&relay.url()).await?;
        self.a.create_project(name).await?;
        for task in tasks {
            self.a.add_task(task).await?;
        }
        self.b.open(&self.a.share_link().await?).await?;
        self.b.wait_task_titles(tasks).await
    }

    /// Ends both browser sessions.
    pub async fn close(self) -> anyhow::Result<()> {
        self.a.client.close().await?;
        self.b.client.close().await?;
        Ok(())
    }
}
