//! One browser page of the app, with helpers split into finding, acting and checking.

use std::path::Path;

use anyhow::Context;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::wait_for;

pub const CTRL: char = '\u{e009}';
pub const SHIFT: char = '\u{e008}';
const RELEASE: char = '\u{e000}';
const ENTER: char = '\u{e007}';
const ESCAPE: &str = "\u{e00c}";

/// Page script: the task list's rows as [id, title, done], scrolling through the list until
/// `limit` rows are read (all with `limit` null); rows appear in list order and each
/// screenful overlaps the last, so appending unseen ids keeps the order. Leaves the list
/// where it was.
const COLLECT_ROWS: &str = "(async (limit) => {
  const box = document.querySelector('[data-testid=\"tasks\"]');
  if (!box) return [];
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const seen = new Map();
  const order = [];
  const take = () => {
    for (const row of box.querySelectorAll('[data-testid=\"task-row\"]')) {
      const id = row.dataset.taskId;
      const title = row.querySelector('[data-testid=\"task-title\"]')?.textContent
        ?? row.querySelector('[data-testid=\"task-edit-input\"]')?.value ?? '';
      const done = row.querySelector('[data-testid=\"task-done\"]')?.checked ?? false;
      if (!seen.has(id)) order.push(id);
      seen.set(id, [id, title, done]);
    }
  };
  const start = box.scrollTop;
  const down = async () => {
    const was = box.scrollTop;
    box.scrollTop += Math.max(46, box.clientHeight / 2); await frame();
    return box.scrollTop > was;
  };
  box.scrollTop = 0; await frame(); take();
  while ((limit == null || order.length < limit) && await down()) take();
  box.scrollTop = start; await frame();
  return order.slice(0, limit ?? order.length).map(id => seen.get(id));
})";

/// Page script: every row of the plan's list (phase headings, tasks, milestones) in order, as
/// {kind, id, text, start, finish}, scrolling through the whole list; leaves it where it was.
const COLLECT_PLAN_ROWS: &str = "(async () => {
  const box = document.querySelector('[data-testid=\"tasks\"]');
  if (!box) return [];
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const seen = new Map();
  const order = [];
  const text = (row, id) => row.querySelector(`[data-testid=\"${id}\"]`)?.textContent ?? '';
  const take = () => {
    for (const row of box.querySelectorAll('li[data-testid]')) {
      let kind, id, label;
      if (row.dataset.taskId) { kind = 'task'; id = row.dataset.taskId; label = text(row, 'task-title'); }
      else if (row.dataset.testid === 'phase-row') { kind = 'phase'; id = row.dataset.phaseId; label = text(row, 'phase-name'); }
      else if (row.dataset.milestoneId) { kind = 'milestone'; id = row.dataset.milestoneId; label = text(row, 'milestone-name'); }
      else if (row.dataset.testid === 'group-row') { kind = 'group'; id = text(row, 'group-name'); label = id; }
      else continue;
      const key = kind + ':' + id;
      if (!seen.has(key)) order.push(key);
      seen.set(key, { kind, id, text: label,
        start: text(row, 'task-start') || text(row, 'milestone-date') || text(row, 'group-count'),
        finish: text(row, 'task-finish') });
    }
  };
  const start = box.scrollTop;
  const down = async () => {
    const was = box.scrollTop;
    box.scrollTop += Math.max(46, box.clientHeight / 2); await frame();
    return box.scrollTop > was;
  };
  box.scrollTop = 0; await frame(); take();
  while (await down()) take();
  box.scrollTop = start; await frame();
  return order.map(key => seen.get(key));
})";

/// One row of the plan's list as read from the page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ListRow {
    /// `phase`, `task`, `milestone` or `group` (a heading when grouped by other than phase).
    pub kind: String,
    pub id: String,
    pub text: String,
    /// A task's planned start (`m/d`), a milestone's day (`yyyy-mm-dd`), or how many tasks a
    /// group shows.
    pub start: String,
    /// A task's planned finish (`m/d`).
    pub finish: String,
}

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

    /// Runs `script` in the page (as from its console) and returns what it returns.
    pub async fn run(&self, script: &str) -> anyhow::Result<Value> {
        self.client.execute(script, vec![]).await.with_context(|| format!("running script in {}", self.name))
    }

    // ---- act ----

    /// Opens `url` and waits until the app has mounted and read its local data.
    pub async fn open(&self, url: &str) -> anyhow::Result<()> {
        self.client.goto(url).await.with_context(|| format!("{} opening {url}", self.name))?;
        self.wait_ready().await
    }

    /// Opens `url`, a page of the relay's own (signing in), without waiting for the app.
    pub async fn visit(&self, url: &str) -> anyhow::Result<()> {
        self.client.goto(url).await.with_context(|| format!("{} opening {url}", self.name))
    }

    pub async fn reload(&self) -> anyhow::Result<()> {
        self.client.refresh().await.with_context(|| format!("{} reloading", self.name))?;
        self.wait_ready().await
    }

    /// Waits until the app has mounted and read its local data.
    pub async fn wait_ready(&self) -> anyhow::Result<()> {
        wait_for(&format!("{} to be ready", self.name), || async {
            let ready = self.run("return document.documentElement.getAttribute('data-app-ready')").await?;
            Ok((ready.as_str() == Some("true")).then_some(()))
        })
        .await
    }

    pub async fn type_into(&self, id: &str, text: &str) -> anyhow::Result<()> {
        self.find(id).await?.send_keys(text).await.with_context(|| format!("{} typing into {id}", self.name))
    }

    /// Clicks the element `id` whose attribute `attr` is `value` (one card of several).
    pub async fn click_where(&self, id: &str, attr: &str, value: &str) -> anyhow::Result<()> {
        let css = format!("{}[{attr}=\"{value}\"]", testid(id));
        let element = wait_for(&format!("{} to show {css}", self.name), || async {
            Ok(self.client.find_all(Locator::Css(&css)).await?.into_iter().next())
        })
        .await?;
        element.click().await.with_context(|| format!("{} clicking {css}", self.name))
    }

    /// Clicks the `data-testid` `id`, first scrolled to the middle of the view (the browser
    /// would scroll it only to the top edge, under the page's sticky header).
    pub async fn click(&self, id: &str) -> anyhow::Result<()> {
        let element = self.find(id).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' });",
                vec![serde_json::to_value(&element)?],
            )
            .await
            .with_context(|| format!("{} scrolling to {id}", self.name))?;
        element.click().await.with_context(|| format!("{} clicking {id}", self.name))
    }

    pub async fn create_project(&self, name: &str) -> anyhow::Result<()> {
        self.type_into("new-project-name", name).await?;
        self.click("create-project").await?;
        self.wait_project_name(name).await
    }

    pub async fn add_task(&self, title: &str) -> anyhow::Result<()> {
        let before = self.titled(title).await?;
        self.type_into("task-input", title).await?;
        self.click("add-task").await?;
        self.wait_one_more(title, before).await
    }

    /// Adds a task the way most people do: type it and press Enter.
    pub async fn add_task_with_enter(&self, title: &str) -> anyhow::Result<()> {
        let before = self.titled(title).await?;
        self.type_into("task-input", &format!("{title}{ENTER}")).await?;
        self.wait_one_more(title, before).await
    }

    /// Adds a task with Enter to a plan too long to read whole on every poll (thousands of
    /// rows): waits only for the count to grow. The caller checks where it went.
    pub async fn add_task_to_long_plan(&self, title: &str) -> anyhow::Result<()> {
        let before = self.task_count().await?;
        self.type_into("task-input", &format!("{title}{ENTER}")).await?;
        wait_for(&format!("{} to count task {title:?}", self.name), || async {
            Ok((self.task_count().await? > before).then_some(()))
        })
        .await
    }

    /// How many tasks are called `title`, and how many the plan has.
    async fn titled(&self, title: &str) -> anyhow::Result<(usize, usize)> {
        let named = self.task_titles().await?.iter().filter(|t| *t == title).count();
        Ok((named, self.task_count().await?))
    }

    /// Waits until the list shows one more task called `title` (and the plan counts more
    /// tasks: a teammate may add some meanwhile).
    async fn wait_one_more(&self, title: &str, (named, count): (usize, usize)) -> anyhow::Result<()> {
        wait_for(&format!("{} to list task {title:?}", self.name), || async {
            let (now_named, now_count) = self.titled(title).await?;
            Ok((now_named > named && now_count > count).then_some(()))
        })
        .await
    }

    /// The element `id` inside the `index`th task's row, scrolled into view (the list only
    /// draws the rows on screen).
    pub async fn in_row(&self, index: usize, id: &str) -> anyhow::Result<Element> {
        let ids: Vec<String> =
            self.tasks_upto(Some(index + 1)).await?.into_iter().map(|(id, _, _)| id).collect();
        let task = ids.get(index).with_context(|| format!("{} has no task {index}", self.name))?.clone();
        let css = format!("[data-task-id=\"{task}\"] {}", testid(id));
        wait_for(&format!("{} to show {css}", self.name), || async {
            self.reveal(&task).await?;
            Ok(self.client.find_all(Locator::Css(&css)).await?.into_iter().next())
        })
        .await
    }

    /// Scrolls the task list until the row of task `id` is drawn.
    async fn reveal(&self, id: &str) -> anyhow::Result<()> {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const box = document.querySelector('[data-testid=\"tasks\"]');
             if (!box || document.querySelector('[data-task-id=\"{id}\"]')) {{ done(true); return; }}
             const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
             (async () => {{
               box.scrollTop = 0; await frame();
               while (!document.querySelector('[data-task-id=\"{id}\"]')) {{
                 const was = box.scrollTop;
                 box.scrollTop += Math.max(46, box.clientHeight / 2); await frame();
                 if (box.scrollTop <= was) break;
               }}
               done(true);
             }})();"
        );
        self.client.execute_async(&script, vec![]).await.context("scrolling to a task")?;
        Ok(())
    }

    /// Renames the `index`th task the way a person does: click its title, replace the text,
    /// press Enter.
    pub async fn rename_task(&self, index: usize, title: &str) -> anyhow::Result<()> {
        self.in_row(index, "task-title").await?.click().await?;
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
        self.in_row(index, "task-title").await?.click().await?;
        self.find("task-edit-input").await.map(|_| ())
    }

    /// Switches the app to `lang` (`zh-CN` or `en`) with the header's language button.
    pub async fn use_language(&self, lang: &str) -> anyhow::Result<()> {
        let now = self.client.execute("return document.documentElement.lang", vec![]).await?;
        if now.as_str() != Some(lang) {
            self.click("language").await?;
        }
        wait_for(&format!("{} to read {lang}", self.name), || async {
            let now = self.client.execute("return document.documentElement.lang", vec![]).await?;
            Ok((now.as_str() == Some(lang)).then_some(()))
        })
        .await
    }

    /// From settings, a new invitation link for the role at `role` in the role list (2 is
    /// editor).
    pub async fn invite(&self, role: &str) -> anyhow::Result<String> {
        self.click("settings-link").await?;
        self.find("invite-role").await?.select_by_value(role).await?;
        self.click("create-invite").await?;
        wait_for(&format!("{}'s invitation link", self.name), || async {
            Ok(self.find("invite-link").await?.prop("value").await?.filter(|l| l.contains("/join/")))
        })
        .await
    }

    /// Opens the owner setup link a signed-in relay printed, gives `name`, and waits until
    /// the app shows the owner's own workspace.
    pub async fn set_up_owner(&self, setup: &str, name: &str) -> anyhow::Result<()> {
        self.visit(setup).await?;
        self.find("setup-name").await?.send_keys(name).await?;
        self.click("setup-submit").await?;
        self.wait_ready().await
    }

    /// Opens invitation `link` (the app's, or the relay's own page when it asks people to
    /// sign in) and joins as `name`; returns once the app shows the workspace.
    pub async fn join(&self, link: &str, name: &str) -> anyhow::Result<()> {
        self.visit(link).await?;
        self.find("join-name").await?.send_keys(&format!("{CTRL}a{RELEASE}{name}")).await?;
        self.click("join-workspace").await?;
        self.wait_ready().await
    }

    /// Opens the `index`th task's drawer the way a person does (its Details link).
    pub async fn open_drawer(&self, index: usize) -> anyhow::Result<()> {
        self.in_row(index, "task-open").await?.click().await?;
        self.find("task-drawer").await.map(|_| ())
    }

    /// Opens the drawer of the `index`th task from its conflict marker.
    pub async fn open_conflict(&self, index: usize) -> anyhow::Result<()> {
        self.in_row(index, "conflict-badge").await?.click().await?;
        self.find("keep-value").await.map(|_| ())
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
        let Some(task) = self.task_ids().await?.get(index).cloned() else { return Ok(String::new()) };
        self.reveal(&task).await?;
        let script = format!(
            "return document.querySelector('[data-task-id=\"{task}\"] [data-testid=\"task-viewers\"]')?.textContent ?? ''"
        );
        Ok(self.run(&script).await?.as_str().unwrap_or_default().to_owned())
    }

    /// Ticks (or unticks) the `index`th task's checkbox.
    pub async fn toggle_done(&self, index: usize) -> anyhow::Result<()> {
        self.in_row(index, "task-done").await?.click().await.context("ticking a task")
    }

    pub async fn undo(&self) -> anyhow::Result<()> {
        self.click("undo").await
    }

    pub async fn redo(&self) -> anyhow::Result<()> {
        self.click("redo").await
    }

    /// Waits until the `data-testid` `id` is shown and not disabled.
    pub async fn wait_for_enabled(&self, id: &str) -> anyhow::Result<()> {
        let script =
            format!("const e = document.querySelector('[data-testid=\"{id}\"]'); return !!e && !e.disabled;");
        wait_for(&format!("{} to enable {id}", self.name), || async {
            Ok((self.run(&script).await? == Value::Bool(true)).then_some(()))
        })
        .await
    }

    /// Presses a chord (keys held down in order, released in reverse) on the page, outside
    /// any text field.
    pub async fn press(&self, chord: &[char]) -> anyhow::Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        // Focus leaves any field: click on plain text.
        self.find("presence").await?.click().await?;
        let mut keys = KeyActions::new("keyboard".into());
        for key in chord {
            keys = keys.then(KeyAction::Down { value: *key });
        }
        for key in chord.iter().rev() {
            keys = keys.then(KeyAction::Up { value: *key });
        }
        self.client.perform_actions(keys).await.context("pressing keys")
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

    /// Sets date field `id` to `day` (`yyyy-mm-dd`) as the browser's date picker does: the
    /// value, then an input event (WebDriver cannot drive the native picker).
    pub async fn set_date(&self, id: &str, day: &str) -> anyhow::Result<()> {
        let field = self.find(id).await?;
        self.client
            .execute(
                "arguments[0].value = arguments[1];
                 arguments[0].dispatchEvent(new Event('input', { bubbles: true }));
                 arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
                vec![serde_json::to_value(&field)?, serde_json::json!(day)],
            )
            .await
            .with_context(|| format!("{} setting {id} to {day}", self.name))?;
        Ok(())
    }

    pub async fn screenshot(&self, dir: &Path, file: &str) -> anyhow::Result<()> {
        let png = self.client.screenshot().await?;
        std::fs::write(dir.join(file), png).with_context(|| format!("writing {file}"))
    }

    // ---- check ----

    /// Every task's (id, title, done), in list order, scrolling through the list (it only
    /// draws the rows on screen).
    pub async fn tasks(&self) -> anyhow::Result<Vec<(String, String, bool)>> {
        self.tasks_upto(None).await
    }

    /// The first `limit` tasks (all with `None`), scrolling only as far as needed.
    pub async fn tasks_upto(&self, limit: Option<usize>) -> anyhow::Result<Vec<(String, String, bool)>> {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const rows = {COLLECT_ROWS};
             rows(arguments[0]).then(done).catch(e => done({{ error: String(e) }}));"
        );
        let rows = match self.client.execute_async(&script, vec![serde_json::json!(limit)]).await {
            Ok(rows) => rows,
            Err(e) => {
                let state = self.page_state().await;
                return Err(e).with_context(|| format!("reading the task list in {} ({state})", self.name));
            }
        };
        if let Some(error) = rows.get("error") {
            anyhow::bail!("reading the task list in {}: {error}", self.name);
        }
        Ok(serde_json::from_value(rows)?)
    }

    /// What the page says of itself when a script did not finish: whether it answers at all,
    /// is visible and paints (for a failure's message).
    async fn page_state(&self) -> String {
        let script = "const done = arguments[arguments.length - 1];
            const seen = { visibility: document.visibilityState, focus: document.hasFocus(),
              rows: document.querySelectorAll('[data-testid=\"task-row\"]').length, frame: false };
            requestAnimationFrame(() => { seen.frame = true; });
            setTimeout(() => done(JSON.stringify(seen)), 1000);";
        match self.client.execute_async(script, vec![]).await {
            Ok(state) => format!("the page then: {}", state.as_str().unwrap_or_default()),
            Err(e) => format!("the page did not answer either: {e}"),
        }
    }

    /// Every row of the plan's list, phase headings and milestones included, in order.
    pub async fn plan_rows(&self) -> anyhow::Result<Vec<ListRow>> {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             {COLLECT_PLAN_ROWS}().then(done).catch(e => done({{ error: String(e) }}));"
        );
        let rows = self.client.execute_async(&script, vec![]).await.context("reading the plan's rows")?;
        if let Some(error) = rows.get("error") {
            anyhow::bail!("reading the plan's rows in {}: {error}", self.name);
        }
        Ok(serde_json::from_value(rows)?)
    }

    pub async fn task_ids(&self) -> anyhow::Result<Vec<String>> {
        Ok(self.tasks().await?.into_iter().map(|(id, _, _)| id).collect())
    }

    pub async fn task_titles(&self) -> anyhow::Result<Vec<String>> {
        Ok(self.tasks().await?.into_iter().map(|(_, title, _)| title).collect())
    }

    /// Which tasks are ticked, in list order.
    pub async fn done_flags(&self) -> anyhow::Result<Vec<bool>> {
        Ok(self.tasks().await?.into_iter().map(|(_, _, done)| done).collect())
    }

    /// How many tasks the plan has (the list says, whatever it draws).
    pub async fn task_count(&self) -> anyhow::Result<usize> {
        let count = self
            .run("return document.querySelector('[data-testid=\"tasks\"]')?.dataset.count ?? '0'")
            .await?;
        Ok(count.as_str().unwrap_or("0").parse().unwrap_or(0))
    }

    /// Names of the other people shown on the plan.
    pub async fn present_names(&self) -> anyhow::Result<Vec<String>> {
        let names = self
            .run("return [...document.querySelectorAll('[data-testid=\"present\"]')].map(e => e.textContent)")
            .await?;
        Ok(serde_json::from_value(names)?)
    }

    /// How many tasks are marked as holding conflicting values.
    pub async fn conflicted_tasks(&self) -> anyhow::Result<usize> {
        Ok(self
            .run("return document.querySelectorAll('[data-testid=\"conflict-badge\"]').length")
            .await?
            .as_u64()
            .unwrap_or(0) as usize)
    }

    /// The values offered in the open task's drawer to resolve a conflict.
    pub async fn conflict_values(&self) -> anyhow::Result<Vec<String>> {
        let values = self
            .run("return [...document.querySelectorAll('[data-testid=\"keep-value\"]')].map(e => e.dataset.value)")
            .await?;
        Ok(serde_json::from_value(values)?)
    }

    /// The open plan's heads. An error when no plan is open or it shows none, so that two
    /// pages compared before either has a document never count as equal.
    pub async fn heads(&self) -> anyhow::Result<String> {
        let heads = self
            .run("return document.querySelector('[data-testid=\"project\"]')?.dataset.heads ?? ''")
            .await?;
        match heads.as_str() {
            Some(heads) if !heads.is_empty() => Ok(heads.to_owned()),
            _ => anyhow::bail!("{} shows no heads: no plan is open, or it has no document yet", self.name),
        }
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
            let tasks = self.tasks_upto(Some(index + 1)).await?;
            Ok((tasks.get(index).map(|(_, t, _)| t.as_str()) == Some(title)).then_some(()))
        })
        .await
    }

    /// The titles of the first `n` tasks.
    pub async fn first_titles(&self, n: usize) -> anyhow::Result<Vec<String>> {
        Ok(self.tasks_upto(Some(n)).await?.into_iter().map(|(_, title, _)| title).collect())
    }

    /// Whether each of the first `n` tasks is ticked.
    pub async fn first_done_flags(&self, n: usize) -> anyhow::Result<Vec<bool>> {
        Ok(self.tasks_upto(Some(n)).await?.into_iter().map(|(_, _, done)| done).collect())
    }

    /// The last task's title, scrolling to the end of the list as a person would.
    pub async fn last_title(&self) -> anyhow::Result<String> {
        let title = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const box = document.querySelector('[data-testid=\"tasks\"]');
                 box.scrollTop = box.scrollHeight;
                 requestAnimationFrame(() => requestAnimationFrame(() => {
                   const titles = box.querySelectorAll('[data-testid=\"task-title\"]');
                   done(titles.length ? titles[titles.length - 1].textContent : '');
                 }));",
                vec![],
            )
            .await?;
        Ok(title.as_str().unwrap_or_default().to_owned())
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

/// One person in a private window of a fresh Chromium, on a fresh relay (no sign-in) with
/// its own data directory. Keep it whole until the test ends: dropping it stops them.
pub struct Solo {
    pub page: Page,
    pub relay: crate::relay::RelayProcess,
    pub driver: crate::chromedriver::ChromeDriver,
    _data: tempfile::TempDir,
}

impl Solo {
    /// A relay, and one person (`name`) who has opened the app and reads it in `lang`.
    pub async fn start(name: &'static str, lang: &str) -> anyhow::Result<Self> {
        use crate::relay::{RelayProcess, app_dir, relay_binary};
        let data = tempfile::tempdir()?;
        let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?).await?;
        let driver = crate::chromedriver::ChromeDriver::start().await?;
        let page = Page::new(driver.private_browser().await?, name);
        page.open(&relay.url()).await?;
        page.use_language(lang).await?;
        Ok(Solo { page, relay, driver, _data: data })
    }

    /// Closes the window and stops the relay, which must exit cleanly.
    pub async fn close(self) -> anyhow::Result<()> {
        self.page.client.close().await?;
        anyhow::ensure!(self.relay.terminate().await?.success(), "the relay did not exit cleanly");
        Ok(())
    }
}
