//! Headless Chromium sessions (through the e2e crate's chromedriver) with what the benchmark
//! needs beyond WebDriver: Chrome DevTools commands (scripts that run before the page's own, garbage
//! collection) and the browser's console log, both through chromedriver's own endpoints.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use fantoccini::Client;
use fantoccini::wd::TimeoutConfiguration;
pub(crate) use launchplan_e2e::chromedriver::{ChromeDriver, SessionCommand, cdp, run_before_page_scripts};
use serde_json::json;

/// A new headless Chromium with its own fresh profile in `profile_dir`, exact memory
/// figures and its console log, and patience for a big plan.
pub(crate) async fn browser(driver: &ChromeDriver, profile_dir: &Path) -> anyhow::Result<Client> {
    let args = vec![
        // performance.memory, exact and current (otherwise rounded and cached).
        "--enable-precise-memory-info".to_owned(),
        format!("--user-data-dir={}", profile_dir.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let client = driver.session_with(args, caps).await?;
    // Opening 5,000 tasks from scratch may take longer than WebDriver's 30 s default.
    client
        .update_timeouts(TimeoutConfiguration::new(
            Some(Duration::from_secs(180)),
            Some(Duration::from_secs(180)),
            Some(Duration::ZERO),
        ))
        .await
        .context("setting WebDriver timeouts")?;
    Ok(client)
}

/// Console messages and page errors Chromium logged since the last call (warnings and
/// worse), as `LEVEL text`.
pub(crate) async fn browser_log(client: &Client) -> anyhow::Result<Vec<String>> {
    let body = json!({ "type": "browser" });
    let entries = client
        .issue_cmd(SessionCommand { method: http::Method::POST, path: "se/log", body })
        .await
        .context("reading the browser log")?;
    let entries = entries.as_array().cloned().unwrap_or_default();
    Ok(entries
        .iter()
        .filter(|e| matches!(e["level"].as_str(), Some("WARNING" | "SEVERE")))
        .map(|e| format!("{} {}", e["level"].as_str().unwrap_or("?"), e["message"].as_str().unwrap_or("")))
        .collect())
}
