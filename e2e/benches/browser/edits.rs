//! Renames made in browser A the way a person makes them (click the title, select all, type,
//! Enter), each timed from the Enter keydown to the new title on A's screen and on B's.

use std::time::Duration;

use anyhow::Context;
use fantoccini::{Client, Locator};

use crate::probe::{self, LocalEdit, RemoteEdit};

const CTRL: char = '\u{e009}';
const RELEASE: char = '\u{e000}';
const ENTER: char = '\u{e007}';
/// Between the last letter typed and Enter.
const TYPING_PAUSE: Duration = Duration::from_millis(50);

/// One rename, seen from both browsers.
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    pub(crate) local: LocalEdit,
    pub(crate) remote: RemoteEdit,
}

impl Edit {
    /// A: Enter taken by the browser → the page's listener (input delay).
    pub(crate) fn input_delay_ms(&self) -> f64 {
        self.local.enter_handled - self.local.enter
    }

    /// A: Enter → the title in the DOM.
    pub(crate) fn local_dom_ms(&self) -> f64 {
        self.local.dom - self.local.enter
    }

    /// A: Enter → the next frame's requestAnimationFrame.
    pub(crate) fn local_frame_ms(&self) -> f64 {
        self.local.frame - self.local.enter
    }

    /// A: Enter → that frame rendered: keypress to pixels.
    pub(crate) fn local_ms(&self) -> f64 {
        self.local.painted - self.local.enter
    }

    /// A: Enter → the change sent to the relay.
    pub(crate) fn send_ms(&self) -> Option<f64> {
        self.local.sent.map(|sent| sent - self.local.enter)
    }

    /// A's Enter → the frame on B's screen that shows the new title (epoch times).
    pub(crate) fn peer_ms(&self) -> f64 {
        (self.remote.origin + self.remote.painted) - (self.local.origin + self.local.enter)
    }

    /// A's Enter → the requestAnimationFrame of that frame in B.
    pub(crate) fn peer_frame_ms(&self) -> f64 {
        (self.remote.origin + self.remote.frame) - (self.local.origin + self.local.enter)
    }

    /// A sent the change → B received the frame that carried it (relay and network).
    pub(crate) fn wire_ms(&self) -> Option<f64> {
        let (sent, received) = (self.local.sent?, self.remote.received?);
        let ms = (self.remote.origin + received) - (self.local.origin + sent);
        (ms >= 0.0).then_some(ms)
    }

    /// B: frame received → title in the DOM.
    pub(crate) fn remote_apply_ms(&self) -> Option<f64> {
        self.remote.received.map(|received| self.remote.dom - received)
    }

    /// B: title in the DOM → frame rendered.
    pub(crate) fn remote_paint_ms(&self) -> f64 {
        self.remote.painted - self.remote.dom
    }

    /// B: frame received → frame rendered.
    pub(crate) fn remote_render_ms(&self) -> Option<f64> {
        self.remote.received.map(|received| self.remote.painted - received)
    }
}

/// Renames task `id` in `a` to `title` and times it in `a` and `b`.
pub(crate) async fn rename(
    a: &Client,
    b: &Client,
    id: &str,
    title: &str,
    patience: Duration,
) -> anyhow::Result<Edit> {
    let row = format!("[data-testid=\"task-row\"][data-task-id=\"{id}\"]");
    a.find(Locator::Css(&format!("{row} [data-testid=\"task-title\"]")))
        .await
        .context("finding the title to click")?
        .click()
        .await
        .context("clicking the title")?;
    let input = a
        .find(Locator::Css(&format!("{row} [data-testid=\"task-edit-input\"]")))
        .await
        .context("the rename input")?;
    input.send_keys(&format!("{CTRL}a{RELEASE}{title}")).await.context("typing the new title")?;
    // WebDriver types far faster than a person: each key waits in the page behind the ones
    // before it. Enter comes once the page has taken them all in, as it would for a person.
    probe::poll(
        a,
        &format!(
            "return document.querySelector('{row} [data-testid=\"task-edit-input\"]')?.value === {} ? true : null",
            serde_json::Value::from(title)
        ),
        patience,
        "the typed title to be in the input",
    )
    .await?;
    tokio::time::sleep(TYPING_PAUSE).await;
    probe::arm(a, "local", id, title).await.context("arming A")?;
    probe::arm(b, "remote", id, title).await.context("arming B")?;
    input.send_keys(&ENTER.to_string()).await.context("pressing Enter")?;
    let local = probe::collect_local(a, patience).await?;
    let remote = probe::collect_remote(b, patience).await?;
    Ok(Edit { local, remote })
}

/// The ids of the task rows wholly on screen in `page`, top to bottom.
pub(crate) async fn rows_on_screen(page: &Client) -> anyhow::Result<Vec<String>> {
    let ids = page
        .execute(
            r#"const list = document.querySelector('[data-testid="tasks"]');
               if (!list) return [];
               const box = list.getBoundingClientRect();
               return [...list.querySelectorAll('[data-testid="task-row"]')]
                 .filter((row) => {
                   const r = row.getBoundingClientRect();
                   return r.top >= box.top && r.bottom <= Math.min(box.bottom, innerHeight);
                 })
                 .map((row) => row.dataset.taskId);"#,
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(ids)?)
}
