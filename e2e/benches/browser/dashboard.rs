//! The dashboard of a big plan with two years of history: how long it takes to show from a
//! click on its tab, and how long after a teammate's change reaches the page the dashboard
//! shows it.

use std::time::Duration;

use anyhow::Context;
use fantoccini::Client;
use launchplan_shared::domain::{Date, Project, Status};
use launchplan_shared::{DocumentId, TaskId};
use serde_json::json;

use crate::probe;

/// Kinds of work, as tags: the history says how each went.
const TAGS: [&str; 6] = ["包装设计", "主图拍摄", "详情页", "直播", "物流", "客服"];

/// What the dashboard measured.
pub(crate) struct DashboardRun {
    pub(crate) tasks: usize,
    pub(crate) done: usize,
    /// Each open: the click on the tab to the end of the frame that shows it.
    pub(crate) opens: Vec<f64>,
    /// Each remote change: its first frame's arrival over the WebSocket to the end of the
    /// frame whose dashboard shows it.
    pub(crate) remote: Vec<f64>,
    /// With `--profile`: where the page's time went during as many more remote changes
    /// (after those timed, so that the profiler slows nothing measured).
    pub(crate) profile: Option<crate::profile::Profile>,
}

/// `big_plan` as a plan that has run for two years: its first three fifths done, each task
/// started and finished over those two years (a quarter of them late, by one to five
/// days), every task tagged with a kind of work, and some open ones overdue.
pub(crate) fn plan(tasks: usize) -> anyhow::Result<(Project, usize)> {
    let mut project = launchplan_e2e::plan::big_plan(tasks)?;
    let first: Date = "2024-12-01".parse()?;
    project.meta.start = Some(first);
    let day_ms = 86_400_000_i64;
    let start_ms = i64::from(first.days()) * day_ms;
    let finished = tasks * 3 / 5;
    for (n, task) in project.tasks.values_mut().enumerate() {
        task.tags = vec![TAGS[n % TAGS.len()].to_owned()];
        if n < finished {
            // Spread over 730 days.
            let began = start_ms + (n as i64 * 730 / finished.max(1) as i64) * day_ms;
            let length = 1 + (n % 5) as i64;
            let late = if n % 4 == 0 { 1 + (n % 5) as i64 } else { 0 };
            task.started_at = Some(began);
            task.completed_at = Some(began + (length + late) * day_ms);
            task.due = Some(Date::from_millis(began + length * day_ms));
            task.status = Status::Done;
        } else if n % 50 == 0 {
            task.due = Some("2026-10-01".parse()?);
        }
    }
    Ok((project, finished))
}

/// Page script: shows the list, then times a click on the dashboard's tab to the end of the
/// frame that shows the dashboard.
const OPEN: &str = r#"const done = arguments[0];
const lp = window.__lpBench;
const find = (css) => document.querySelector(css);
const until = (found, then) => { const el = found(); if (el) then(el); else setTimeout(() => until(found, then), 5); };
find('[data-testid="view-list"]').click();
until(() => !find('[data-testid="dashboard"]') && find('[data-testid="view-dashboard"]'), (tab) => {
  requestAnimationFrame(() => setTimeout(() => {
    const observer = new MutationObserver(() => {
      if (!find('[data-testid="dashboard-rag"]')) return;
      observer.disconnect();
      lp.afterFrame((_, painted) => done(painted - clicked));
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const clicked = performance.now();
    tab.click();
  }, 0));
});"#;

/// Page script: watches for `arguments[0]` in the dashboard and records when the frame that
/// shows it is rendered, and the WebSocket frames received up to then.
const ARM: &str = r#"const [title] = arguments;
const lp = window.__lpBench;
const slot = (lp.dashboardChange = { since: lp.wsIn.length, painted: null });
const seen = () => [...document.querySelectorAll('[data-testid="dashboard"] a')].some((a) => a.textContent === title);
const observer = new MutationObserver(() => {
  if (!seen()) return;
  observer.disconnect();
  lp.afterFrame((_, painted) => { slot.painted = painted; });
});
observer.observe(document.body, { childList: true, subtree: true, characterData: true });"#;

/// Page script: once the watched change is on screen, the ms from the first frame received
/// after arming (not presence) to its rendering.
const COLLECT: &str = r#"const lp = window.__lpBench;
const slot = lp.dashboardChange;
if (!slot || slot.painted === null) return null;
const first = lp.wsIn.slice(slot.since).find((m) => !m.ephemeral);
return first ? slot.painted - first.at : null;"#;

/// Opens the plan at `link` in `page`, times `opens` openings of its dashboard, then
/// `changes` renames of the worst task it lists, each made by another client through the
/// relay at `sync_url` (and, with `profile`, profiles as many more).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn measure(
    page: &Client,
    link: &str,
    sync_url: &str,
    doc: DocumentId,
    (tasks, done): (usize, usize),
    opens: usize,
    changes: usize,
    profile: bool,
    patience: Duration,
) -> anyhow::Result<DashboardRun> {
    page.goto(link).await.context("opening the plan")?;
    // Loaded, saved and online: the schedule and history are worked out by then, and no
    // storage write is still waiting to run in the middle of what is timed.
    let settled = r#"const saved = document.querySelector('[data-testid="save-state"]');
        const online = document.querySelector('[data-testid="connection"]');
        return document.querySelector('[data-testid="project"][data-loaded="true"]')
          && document.querySelector('[data-testid="view-dashboard"]')
          && saved && saved.dataset.pending === '0' && online && online.dataset.state === 'online' ? true : null;"#;
    probe::poll(page, settled, patience, "the plan to load, saved and online").await?;
    let mut run = DashboardRun { tasks, done, opens: Vec::new(), remote: Vec::new(), profile: None };
    for n in 0..opens {
        let took =
            page.execute_async(OPEN, vec![]).await.with_context(|| format!("dashboard open {}", n + 1))?;
        run.opens.push(took.as_f64().context("the open script answered no time")?);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for n in 0..changes {
        let took = remote_rename(page, sync_url, doc, n, patience).await?;
        run.remote.push(took);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if profile {
        crate::profile::start(page).await?;
        for n in changes..2 * changes {
            remote_rename(page, sync_url, doc, n, patience).await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        run.profile = Some(crate::profile::stop(page).await?);
    }
    Ok(run)
}

/// Another client renames the worst task the dashboard lists (the `n`th rename) through the
/// relay: milliseconds from its first frame reaching the page to the end of the frame whose
/// dashboard shows the new title.
async fn remote_rename(
    page: &Client,
    sync_url: &str,
    doc: DocumentId,
    n: usize,
    patience: Duration,
) -> anyhow::Result<f64> {
    let worst: Option<String> = serde_json::from_value(
        page.execute(
            "return document.querySelector('[data-testid=\"dashboard-flagged\"]')?.dataset.task ?? null",
            vec![],
        )
        .await?,
    )?;
    let task: TaskId = worst.context("the dashboard lists no red or amber task")?.parse()?;
    let title = format!("远程改名 {} · 仪表盘", n + 1);
    page.execute(ARM, vec![json!(title)]).await?;
    let renamed = title.clone();
    launchplan_e2e::writer::edit_doc(
        sync_url,
        doc,
        move |tx| launchplan_shared::domain::commands::rename_task(tx, task, &renamed),
        patience,
    )
    .await
    .with_context(|| format!("remote change {}", n + 1))?;
    let took = probe::poll(page, COLLECT, patience, "the dashboard to show the remote change").await?;
    took.as_f64().context("no time for the remote change")
}
