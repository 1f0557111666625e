//! Debian's chromedriver, and headless Chromium sessions through it.

use std::path::Path;
use std::process::Stdio;

use anyhow::Context;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use crate::wait_for;

/// A chromedriver process on a free port. Killed when dropped.
pub struct ChromeDriver {
    _child: Child,
    url: String,
}

impl ChromeDriver {
    pub async fn start() -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context(
                "starting chromedriver (`cargo xtask test` installs it: apt-get install chromium-driver)",
            )?;
        let url = format!("http://127.0.0.1:{port}");
        let status = format!("{url}/status");
        wait_for("chromedriver to listen", || async {
            Ok(tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok().map(|_| ()))
        })
        .await
        .with_context(|| format!("chromedriver at {status}"))?;
        Ok(Self { _child: child, url })
    }

    /// A new headless Chromium with its own profile in `profile_dir`.
    pub async fn browser(&self, profile_dir: &Path) -> anyhow::Result<Client> {
        self.session(vec![format!("--user-data-dir={}", profile_dir.display())]).await
    }

    /// A new headless Chromium in a private (incognito) window: nothing it stores outlives
    /// it, as for a teammate who opens a link in a private window.
    pub async fn private_browser(&self) -> anyhow::Result<Client> {
        self.session(vec!["--incognito".to_owned()]).await
    }

    /// Like [`ChromeDriver::browser`], with this site allowed to show notifications (what a
    /// person grants when the browser asks).
    pub async fn browser_allowing_notifications(&self, profile_dir: &Path) -> anyhow::Result<Client> {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "prefs": { "profile.default_content_setting_values.notifications": 1 } }),
        );
        self.session_with(vec![format!("--user-data-dir={}", profile_dir.display())], caps).await
    }

    async fn session(&self, extra: Vec<String>) -> anyhow::Result<Client> {
        self.session_with(extra, serde_json::Map::new()).await
    }

    /// A new headless Chromium with more command-line arguments and capabilities (the
    /// browser benchmark's memory figures and console log).
    pub async fn session_with(
        &self,
        extra: Vec<String>,
        capabilities: serde_json::Map<String, serde_json::Value>,
    ) -> anyhow::Result<Client> {
        let mut args: Vec<String> = [
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
        ]
        .map(String::from)
        .to_vec();
        args.extend(extra);
        // Options the caller gave (preferences, logging) keep; binary and arguments are ours.
        let mut caps = capabilities;
        let mut options = match caps.remove("goog:chromeOptions") {
            Some(serde_json::Value::Object(options)) => options,
            _ => serde_json::Map::new(),
        };
        options.insert("binary".into(), serde_json::json!("/usr/bin/chromium"));
        options.insert("args".into(), serde_json::json!(args));
        caps.insert("goog:chromeOptions".into(), serde_json::Value::Object(options));
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&self.url)
            .await
            .context("opening a Chromium session")
    }
}

/// Runs a Chrome DevTools Protocol command in the session's page and returns its result.
pub async fn cdp(client: &Client, method: &str, params: Value) -> anyhow::Result<Value> {
    let body = json!({ "cmd": method, "params": params });
    client
        .issue_cmd(SessionCommand { method: http::Method::POST, path: "goog/cdp/execute", body })
        .await
        .with_context(|| format!("DevTools command {method}"))
}

/// Has `source` run in every document the session opens from now on, before the page's
/// own scripts.
pub async fn run_before_page_scripts(client: &Client, source: &str) -> anyhow::Result<()> {
    cdp(client, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": source })).await.map(|_| ())
}

/// A chromedriver command of this session outside the W3C set.
#[derive(Debug)]
pub struct SessionCommand {
    pub method: http::Method,
    pub path: &'static str,
    pub body: Value,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/{}", session_id.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (self.method.clone(), Some(self.body.to_string()))
    }
}
