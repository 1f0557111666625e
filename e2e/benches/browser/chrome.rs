//! chromedriver and headless Chromium sessions, with what the benchmark needs beyond
//! WebDriver: Chrome DevTools commands (scripts that run before the page's own, garbage
//! collection) and the browser's console log, both through chromedriver's own endpoints.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::Context;
use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

/// A chromedriver process on a free port. Killed when dropped.
pub(crate) struct ChromeDriver {
    _child: Child,
    url: String,
}

impl ChromeDriver {
    pub(crate) async fn start() -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting chromedriver (`cargo xtask bench browser` installs it: apt-get install chromium-driver)")?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "chromedriver did not listen on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Self { _child: child, url: format!("http://127.0.0.1:{port}") })
    }

    /// A new headless Chromium with its own fresh profile in `profile_dir`.
    pub(crate) async fn browser(&self, profile_dir: &Path) -> anyhow::Result<Client> {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-quic",
                    "--no-first-run",
                    "--window-size=1200,900",
                    // performance.memory, exact and current (otherwise rounded and cached).
                    "--enable-precise-memory-info",
                    format!("--user-data-dir={}", profile_dir.display()),
                ],
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&self.url)
            .await
            .context("opening a Chromium session")?;
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
}

/// Runs a Chrome DevTools Protocol command in the session's page and returns its result.
pub(crate) async fn cdp(client: &Client, method: &str, params: Value) -> anyhow::Result<Value> {
    let body = json!({ "cmd": method, "params": params });
    client
        .issue_cmd(SessionCommand { method: http::Method::POST, path: "goog/cdp/execute", body })
        .await
        .with_context(|| format!("DevTools command {method}"))
}

/// Has `source` run in every document the session opens from now on, before the page's
/// own scripts.
pub(crate) async fn run_before_page_scripts(client: &Client, source: &str) -> anyhow::Result<()> {
    cdp(client, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": source })).await.map(|_| ())
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

/// A chromedriver command of this session outside the W3C set.
#[derive(Debug)]
struct SessionCommand {
    method: http::Method,
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/{}", session_id.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (self.method.clone(), Some(self.body.to_string()))
    }
}
