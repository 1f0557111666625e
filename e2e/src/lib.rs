//! Helpers for end-to-end tests: the relay as a child process, Chromium through chromedriver,
//! and find / action / check helpers over a page.

pub mod board;
pub mod browser;
pub mod chromedriver;
pub mod dashboard;
pub mod gantt;
pub mod pair;
pub mod plan;
pub mod relay;
pub mod writer;

use std::path::PathBuf;
use std::time::Duration;

/// How long any wait may take before it counts as a failure.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Waits for this test's turn, held until the guard drops. The browser tests are one test
/// binary, and libtest runs a binary's tests side by side; two tests' relays and Chromiums on
/// this machine's two cores would starve each other's waits, so they take turns.
pub async fn my_turn() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

/// Today, as the browsers on this machine (in its time zone, UTC here) count days.
pub fn today() -> launchplan_shared::domain::Date {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    launchplan_shared::domain::Date::from_millis(now.as_millis() as i64)
}

/// Where screenshots go: `target/e2e-artifacts/`.
pub fn artifacts_dir() -> anyhow::Result<PathBuf> {
    let dir = workspace_root().join("target").join("e2e-artifacts");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Polls `check` every 50 ms until it returns `Some`, or fails after [`PATIENCE`] saying
/// what it waited for.
pub async fn wait_for<T, F, Fut>(what: &str, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut last_error = None;
    loop {
        match check().await {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => {}
            Err(e) => last_error = Some(e),
        }
        if tokio::time::Instant::now() >= deadline {
            let detail = last_error.map(|e| format!(" (last error: {e:#})")).unwrap_or_default();
            anyhow::bail!("timed out after {PATIENCE:?} waiting for {what}{detail}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
