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
use launchplan_e2e::writer::{Edit, Teammate};

/// Kinds of work, as tags: the history says how each went.
const TAGS: [&str; 6] = ["包装设计", "主图拍摄", "详情页", "直播", "物流", "客服"];

/// What the dashboard measured.
pub(crate) struct DashboardRun {
    pub(crate) tasks: usize,
    pub(crate) done: usize,
    /// Each open: the click on the tab to the end of the frame that shows it.
    pub(crate) opens: Vec<f64>,
    /// Each remote rename of the worst task listed: its first frame's arrival over the
    /// WebSocket to the end of the frame whose dashboard shows it.
    pub(crate) renames: Vec<f64>,
    /// The same for each remote change of its due day (the dashboard worked out again).
    pub(crate) redates: Vec<f64>,
    /// The slowest of each: what the page did from the change's arrival to its frame.
    pub(crate) slowest_rename: Option<Remote>,
    pub(crate) slowest_redate: Option<Remote>,
    /// With `--profile`: where the page's time went during as many more remote changes
    /// (after those timed, so that the profiler slows nothing measured).
    pub(crate) profile: Option<crate::profile::Profile>,
}

/// `big_plan` as a plan that has run for two years: its first three fifths done, each task
/// started and finished over those two years (a quarter of them late, by one to five
/// days), every task tagged with a kind of work, and some open ones overdue. Returned as
/// the plan when it was made (every task open) and, for each done task, the change that
/// finished it: its document has a history as such a plan's has, a change per finished task.
/// (Written as one change, Automerge's sync would send the whole document again with the
/// first change made after it: it sends all of a document whenever a third of its changes
/// are to go.)
pub(crate) fn plan(tasks: usize) -> anyhow::Result<(Project, Vec<Edit>)> {
    let finished = finished_plan(tasks)?;
    let mut made = finished.clone();
    let mut edits: Vec<Edit> = Vec::new();
    for task in made.tasks.values_mut().filter(|t| t.status == Status::Done) {
        let done = task.clone();
        (task.status, task.started_at, task.completed_at) = (Status::Todo, None, None);
        edits.push(Box::new(move |tx| {
            launchplan_shared::domain::commands::update_task(tx, done.id, |t| {
                *t = done;
                Ok(())
            })
        }));
    }
    Ok((made, edits))
}

fn finished_plan(tasks: usize) -> anyhow::Result<Project> {
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
    Ok(project)
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

/// Page script: watches the dashboard's row of task `arguments[0]` until its text is no
/// longer `arguments[1]` (and includes `arguments[2]`, if given), and records when the frame
/// that shows that is rendered, and the WebSocket frames received up to then. Answers the
/// row's text now.
const ARM: &str = r#"const [task, before, expected] = arguments;
const lp = window.__lpBench;
const slot = (lp.dashboardChange = { since: lp.wsIn.length, painted: null });
const text = () => document.querySelector(`[data-testid="dashboard-flagged"][data-task="${task}"]`)?.textContent ?? null;
const seen = () => { const now = text(); return now !== null && now !== before && (!expected || now.includes(expected)); };
const observer = new MutationObserver(() => {
  if (!seen()) return;
  observer.disconnect();
  lp.afterFrame((_, painted) => { slot.painted = painted; });
});
observer.observe(document.body, { childList: true, subtree: true, characterData: true });"#;

/// Page script: once the watched change is on screen, the ms from the first frame received
/// after arming (not presence) to its rendering, and what happened in between: frames in
/// and out, the app's marks and long tasks, each at its ms from that first frame.
const COLLECT: &str = r#"const lp = window.__lpBench;
const slot = lp.dashboardChange;
if (!slot || slot.painted === null) return null;
const first = lp.wsIn.slice(slot.since).find((m) => !m.ephemeral);
if (!first) return null;
const from = first.at - 1, to = slot.painted;
const within = (t) => t >= from && t <= to;
const at = (t) => (t - first.at).toFixed(1);
const events = [];
for (const m of lp.wsIn) if (within(m.at)) events.push([m.at, `in ${m.bytes} B${m.ephemeral ? ' (presence)' : ''}`]);
for (const m of lp.wsOut) if (within(m.at)) events.push([m.at, `out ${m.bytes} B${m.ephemeral ? ' (presence)' : ''}`]);
for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('lp:') && within(m.startTime)) events.push([m.startTime, m.name]);
for (const l of lp.long) if (l.at + l.ms >= from && l.at <= to) events.push([l.at, `long task ${l.ms.toFixed(0)} ms`]);
events.sort((a, b) => a[0] - b[0]);
return { took: slot.painted - first.at, trace: events.map(([t, what]) => `${at(t)} ${what}`).join('; ') };"#;

/// Opens the plan at `link` in `page`, times `opens` openings of its dashboard, then
/// `changes` renames and as many re-dates of the worst task it lists, each made by another
/// client through the relay at `sync_url` (and, with `profile`, profiles as many more).
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
    let mut run = DashboardRun {
        tasks,
        done,
        opens: Vec::new(),
        renames: Vec::new(),
        redates: Vec::new(),
        slowest_rename: None,
        slowest_redate: None,
        profile: None,
    };
    for n in 0..opens {
        let took =
            page.execute_async(OPEN, vec![]).await.with_context(|| format!("dashboard open {}", n + 1))?;
        run.opens.push(took.as_f64().context("the open script answered no time")?);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Renames and re-dates in turn, by one teammate online throughout.
    let mut teammate = Teammate::join(sync_url, doc, patience).await?;
    let kind = |n: usize| if n.is_multiple_of(2) { Kind::Rename } else { Kind::Redate };
    for n in 0..2 * changes {
        let change = remote_change(page, &mut teammate, (kind(n), n), patience).await?;
        let (times, slowest) = match kind(n) {
            Kind::Rename => (&mut run.renames, &mut run.slowest_rename),
            Kind::Redate => (&mut run.redates, &mut run.slowest_redate),
        };
        times.push(change.took);
        if slowest.as_ref().is_none_or(|s| s.took < change.took) {
            *slowest = Some(change);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if profile {
        crate::profile::start(page).await?;
        for n in 2 * changes..4 * changes {
            remote_change(page, &mut teammate, (kind(n), n), patience).await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        run.profile = Some(crate::profile::stop(page).await?);
    }
    teammate.leave().await?;
    Ok(run)
}

/// What another client changes of the worst task the dashboard lists.
#[derive(Clone, Copy)]
enum Kind {
    /// A new title: only the words change, which the dashboard's lists read live.
    Rename,
    /// Due earlier: the dashboard is worked out again (the task is more overdue).
    Redate,
}

/// Another client makes the `n`th change of `kind` to the worst task the dashboard lists,
/// through the relay: milliseconds from its first frame reaching the page to the end of
/// the frame whose dashboard shows it.
async fn remote_change(
    page: &Client,
    teammate: &mut Teammate,
    (kind, n): (Kind, usize),
    patience: Duration,
) -> anyhow::Result<Remote> {
    // A re-date takes the first overdue task listed.
    let row: Option<(String, String)> = serde_json::from_value(
        page.execute(
            "const overdue = arguments[0];
             const row = [...document.querySelectorAll('[data-testid=\"dashboard-flagged\"]')]
               .find((r) => !overdue || /逾期|Overdue/.test(r.textContent));
             return row ? [row.dataset.task, row.textContent] : null",
            vec![json!(matches!(kind, Kind::Redate))],
        )
        .await?,
    )?;
    let (task, before) = row.context("the dashboard lists no such task")?;
    let id: TaskId = task.parse()?;
    let title = format!("远程改名 {} · 仪表盘", n + 1);
    let expected = match kind {
        Kind::Rename => json!(title),
        Kind::Redate => json!(null),
    };
    page.execute(ARM, vec![json!(task), json!(before), expected]).await?;
    teammate
        .edit(
            move |tx| match kind {
                Kind::Rename => launchplan_shared::domain::commands::rename_task(tx, id, &title),
                // Due before any other (a task may have no due day of its own: overdue by its
                // scheduled finish), so that it stays first in the list.
                Kind::Redate => launchplan_shared::domain::commands::update_task(tx, id, |t| {
                    t.due = Some(Date::from_days(Date::from_millis(0).days() + 19_000 - n as i32));
                    Ok(())
                }),
            },
            patience,
        )
        .await
        .with_context(|| format!("remote change {}", n + 1))?;
    let what = match kind {
        Kind::Rename => "the dashboard to show a remote rename",
        Kind::Redate => "the dashboard to show a remote new due day",
    };
    let seen = match probe::poll(page, COLLECT, patience, what).await {
        Ok(seen) => seen,
        Err(e) => {
            let now = page.execute("return document.querySelector(`[data-testid=\"dashboard-flagged\"][data-task=\"${arguments[0]}\"]`)?.textContent ?? null", vec![json!(task)]).await?;
            anyhow::bail!("{e:#}: the row was {before:?} and is {now}");
        }
    };
    let took = seen["took"].as_f64().context("no time for the remote change")?;
    let trace = seen["trace"].as_str().unwrap_or_default().to_owned();
    Ok(Remote { took, trace })
}

/// One remote change: how long it took to show, and what the page did meanwhile.
pub(crate) struct Remote {
    pub(crate) took: f64,
    pub(crate) trace: String,
}
