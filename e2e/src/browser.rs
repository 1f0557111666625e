//! One browser page of the app, with helpers split into finding, acting and checking.

use std::path::Path;

use anyhow::Context;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::wait_for;

const CTRL: char = '\u{e009}';
const RELEASE: char = '\u{e000}';
const ENTER: char = '\u{e007}';
const ESCAPE: &str = "\u{e00c}";

/// A browser tab on the app, named for messages.
pub struct Page {
    pub client: Client,
    pub name: &'static str,
}

fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

impl Page {
    pub fn new(client: Client, name: &'static str) -> Self {
        Self { client, name }
    }

    // ---- find ----

    pub async fn find(&self, id: &str) -> anyhow::Result<Element> {
        let css = testid(id);
        wait_for(&format!("{} to show {css}", self.name), || async {
            Ok(self.client.find_all(Locator::Css(&css)).await?.into_iter().next())
        })
        .await
    }

    async fn run(&self, script: &str) -> anyhow::Result<Value> {
        self.client.execute(script, vec![]).await.with_context(|| format!("running script in {}", self.name))
    }

    // ---- act ----

    /// Opens `url` and waits until the app has mounted and read its local data.
    pub async fn open(&self, url: &str) -> anyhow::Result<()> {
        self.client.goto(url).await.with_context(|| format!("{} opening {url}", self.name))?;
        self.wait_ready().await
    }

    pub async fn reload(&self) -> anyhow::Result<()> {
        self.client.refresh().await.with_context(|| format!("{} reloading", self.name))?;
        self.wait_ready().await
    }

    async fn wait_ready(&self) -> anyhow::Result<()> {
        wait_for(&format!("{} to be ready", self.name), || async {
            let ready = self.run("return document.documentElement.getAttribute('data-app-ready')").await?;
            Ok((ready.as_str() == Some("true")).then_some(()))
        })
        .await
    }

    pub async fn type_into(&self, id: &str, text: &str) -> anyhow::Result<()> {
        self.find(id).await?.send_keys(text).await.with_context(|| format!("{} typing into {id}", self.name))
    }

    pub async fn click(&self, id: &str) -> anyhow::Result<()> {
        self.find(id).await?.click().await.with_context(|| format!("{} clicking {id}", self.name))
    }

    pub async fn create_project(&self, name: &str) -> anyhow::Result<()> {
        self.type_into("new-project-name", name).await?;
        self.click("create-project").await?;
        self.wait_project_name(name).await
    }

    pub async fn add_task(&self, title: &str) -> anyhow::Result<()> {
        let before = self.task_titles().await?.len();
        self.type_into("task-input", title).await?;
        self.click("add-task").await?;
        wait_for(&format!("{} to list task {title:?}", self.name), || async {
            Ok((self.task_titles().await?.len() > before).then_some(()))
        })
        .await
    }

    /// Renames the `index`th task the way a person does: click its title, replace the text,
    /// press Enter.
    pub async fn rename_task(&self, index: usize, title: &str) -> anyhow::Result<()> {
        let titles = self.client.find_all(Locator::Css(&testid("task-title"))).await?;
        titles.get(index).context("no such task")?.click().await?;
        let input = self.find("task-edit-input").await?;
        input.send_keys(&format!("{CTRL}a{RELEASE}{title}{ENTER}")).await?;
        self.wait_task_title(index, title).await
    }

    /// Sets the name others see.
    pub async fn set_name(&self, name: &str) -> anyhow::Result<()> {
        self.find("my-name")
            .await?
            .send_keys(&format!("{CTRL}a{RELEASE}{name}{ENTER}"))
            .await
            .context("setting the name")
    }

    /// Opens the `index`th task for editing (others see it as open).
    pub async fn open_task(&self, index: usize) -> anyhow::Result<()> {
        let titles = self.client.find_all(Locator::Css(&testid("task-title"))).await?;
        titles.get(index).context("no such task")?.click().await?;
        self.find("task-edit-input").await.map(|_| ())
    }

    /// Closes the task being edited without saving (Escape).
    pub async fn close_task(&self) -> anyhow::Result<()> {
        self.find("task-edit-input").await?.send_keys(ESCAPE).await.context("pressing Escape")?;
        wait_for(&format!("{} to close the task", self.name), || async {
            Ok(self.client.find_all(Locator::Css(&testid("task-edit-input"))).await?.is_empty().then_some(()))
        })
        .await
    }

    /// Who the `index`th task's row says has it open.
    pub async fn task_viewers(&self, index: usize) -> anyhow::Result<String> {
        let script = format!(
            "return document.querySelectorAll('[data-testid=\"task-row\"]')[{index}]?.querySelector('[data-testid=\"task-viewers\"]')?.textContent ?? ''"
        );
        Ok(self.run(&script).await?.as_str().unwrap_or_default().to_owned())
    }

    /// Ticks (or unticks) the `index`th task's checkbox.
    pub async fn toggle_done(&self, index: usize) -> anyhow::Result<()> {
        let boxes = self.client.find_all(Locator::Css(&testid("task-done"))).await?;
        boxes.get(index).context("no such task")?.click().await.context("ticking a task")
    }

    /// Resolves a conflict by keeping `value`.
    pub async fn keep_conflict_value(&self, value: &str) -> anyhow::Result<()> {
        let buttons = self.client.find_all(Locator::Css(&testid("keep-value"))).await?;
        for button in buttons {
            if button.attr("data-value").await?.as_deref() == Some(value) {
                return button.click().await.context("keeping a conflicting value");
            }
        }
        anyhow::bail!("{} offers no conflict value {value:?}", self.name)
    }

    pub async fn screenshot(&self, dir: &Path, file: &str) -> anyhow::Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(dir.join(file), png).with_context(|| format!("writing {file}"))
    }

    // ---- check ----

    pub async fn task_titles(&self) -> anyhow::Result<Vec<String>> {
        let titles = self
            .run("return [...document.querySelectorAll('[data-testid=\"task-title\"]')].map(e => e.textContent)")
            .await?;
        Ok(serde_json::from_value(titles)?)
    }

    /// Which tasks are ticked, in list order.
    pub async fn done_flags(&self) -> anyhow::Result<Vec<bool>> {
        let flags = self
            .run("return [...document.querySelectorAll('[data-testid=\"task-done\"]')].map(e => e.checked)")
            .await?;
        Ok(serde_json::from_value(flags)?)
    }

    /// Names of the other people shown on the plan.
    pub async fn present_names(&self) -> anyhow::Result<Vec<String>> {
        let names = self
            .run("return [...document.querySelectorAll('[data-testid=\"present\"]')].map(e => e.textContent)")
            .await?;
        Ok(serde_json::from_value(names)?)
    }

    /// The values offered by every conflict marker on the page.
    pub async fn conflict_values(&self) -> anyhow::Result<Vec<String>> {
        let values = self
            .run("return [...document.querySelectorAll('[data-testid=\"keep-value\"]')].map(e => e.dataset.value)")
            .await?;
        Ok(serde_json::from_value(values)?)
    }

    pub async fn heads(&self) -> anyhow::Result<String> {
        let heads = self
            .run("return document.querySelector('[data-testid=\"project\"]')?.dataset.heads ?? ''")
            .await?;
        Ok(heads.as_str().unwrap_or_default().to_owned())
    }

    pub async fn share_link(&self) -> anyhow::Result<String> {
        let link = self.find("share-link").await?.prop("value").await?;
        link.context("the share link is empty")
    }

    /// Whether this tab leads (writes storage, talks to the relay) or follows another tab.
    pub async fn tab_role(&self) -> anyhow::Result<String> {
        let role = self.run("return document.documentElement.getAttribute('data-tab-role') ?? ''").await?;
        Ok(role.as_str().unwrap_or_default().to_owned())
    }

    pub async fn wait_tab_role(&self, role: &str) -> anyhow::Result<()> {
        wait_for(&format!("{} to be the {role} tab", self.name), || async {
            Ok((self.tab_role().await? == role).then_some(()))
        })
        .await
    }

    pub async fn connection_state(&self) -> anyhow::Result<String> {
        Ok(self.find("connection").await?.attr("data-state").await?.unwrap_or_default())
    }

    pub async fn wait_project_name(&self, name: &str) -> anyhow::Result<()> {
        wait_for(&format!("{} to show project {name:?}", self.name), || async {
            let shown = self
                .run("return document.querySelector('[data-testid=\"project-name\"]')?.textContent ?? ''")
                .await?;
            Ok((shown.as_str() == Some(name)).then_some(()))
        })
        .await
    }

    pub async fn wait_task_titles(&self, expected: &[&str]) -> anyhow::Result<()> {
        wait_for(&format!("{} to list tasks {expected:?}", self.name), || async {
            Ok((self.task_titles().await? == expected).then_some(()))
        })
        .await
    }

    pub async fn wait_task_title(&self, index: usize, title: &str) -> anyhow::Result<()> {
        wait_for(&format!("{} to show task {index} as {title:?}", self.name), || async {
            Ok((self.task_titles().await?.get(index).map(String::as_str) == Some(title)).then_some(()))
        })
        .await
    }

    pub async fn wait_connection(&self, state: &str) -> anyhow::Result<()> {
        wait_for(&format!("{} to be {state}", self.name), || async {
            Ok((self.connection_state().await? == state).then_some(()))
        })
        .await
    }

    /// Waits until the service worker holds the app shell, so that the page opens offline.
    pub async fn wait_offline_ready(&self) -> anyhow::Result<()> {
        wait_for(&format!("{} to cache the app shell", self.name), || async {
            let cached = self
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     navigator.serviceWorker.ready
                       .then(() => caches.open('launchplan-shell-v1'))
                       .then(c => c.keys())
                       .then(keys => done(navigator.serviceWorker.controller ? keys.length : 0))
                       .catch(() => done(0));",
                    vec![],
                )
                .await?;
            // The page, its script, its wasm and its stylesheet.
            Ok((cached.as_u64().unwrap_or(0) >= 4).then_some(()))
        })
        .await
    }
}
