//! The Gantt chart as two people use it, on a 双十一 plan from the template (a plan that moves
//! what waits for a task when the task moves): the critical path it marks is the schedule's;
//! A drags a bar and what waits for it shifts in A and in B as the plan's own rule says; one
//! undo takes all of it back everywhere; a dependency drawn bar to bar reaches B, and one that
//! would close a circle is refused with a message.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use anyhow::Context;
use launchplan_e2e::browser::Page;
use launchplan_e2e::gantt::Chart;
use launchplan_e2e::pair::Pair;
use launchplan_e2e::writer::put_plan;
use launchplan_e2e::{artifacts_dir, wait_for};
use launchplan_shared::TaskId;
use launchplan_shared::domain::{Date, Project, china_calendar, templates};
use launchplan_shared::plan::schedule_plan;
use launchplan_shared::plan::shift::after_move;

/// The chart's dates of every task, as `plan::schedule` places them.
fn scheduled(project: &Project, today: Date) -> BTreeMap<String, (String, String, bool)> {
    let planned = schedule_plan(project.tasks.values(), &project.meta, &china_calendar(), today);
    planned
        .tasks
        .iter()
        .map(|(id, p)| (id.to_string(), (p.start.to_string(), p.finish.to_string(), p.critical)))
        .collect()
}

fn dates(chart: &Chart) -> BTreeMap<String, (String, String)> {
    chart.bars.iter().map(|(id, b)| (id.clone(), (b.start.clone(), b.due.clone()))).collect()
}

/// Tasks that wait for `id`, directly or not.
fn waiting_for(project: &Project, id: TaskId) -> BTreeSet<TaskId> {
    let mut found = BTreeSet::new();
    let mut stack = vec![id];
    while let Some(t) = stack.pop() {
        for task in project.tasks.values() {
            if task.depends_on.iter().any(|d| d.task == t) && found.insert(task.id) {
                stack.push(task.id);
            }
        }
    }
    found
}

/// The first of `pairs` (nearest first) whose second bar is in reach of the first's dot.
async fn first_in_reach(
    page: &Page,
    pairs: Vec<(TaskId, TaskId)>,
) -> anyhow::Result<Option<(TaskId, TaskId)>> {
    for (x, y) in pairs.into_iter().take(12) {
        if page.bar_in_reach(&x.to_string(), &y.to_string()).await? {
            return Ok(Some((x, y)));
        }
    }
    Ok(None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bar_dragged_in_a_shifts_what_waits_for_it_in_both_and_one_undo_takes_it_back() -> anyhow::Result<()>
{
    let _turn = launchplan_e2e::my_turn().await;
    let artifacts = artifacts_dir()?;
    let (pair, relay) = Pair::start().await?;
    let (a, b) = (&pair.a, &pair.b);
    let launch: Date = "2027-11-11".parse()?;
    let template = templates::find("double-11").context("the double-11 template")?;
    // As the template gallery makes it: a campaign's teams work every day, and its plan
    // stays on every day.
    let project =
        template.instantiate_on(&template.calendar_in(&china_calendar()), launch, true, "gantt-e2e", 0);
    let calendar = templates::plan_calendar(&project.meta, &china_calendar()).into_owned();
    assert!(project.meta.shift_dependents, "a plan from a template moves what waits for a moved task");
    let doc = put_plan(&relay.sync_url(), &project, Duration::from_secs(20)).await?.doc;
    let link = format!("{}/#/p/{doc}/list", relay.url());
    for page in [a, b] {
        page.open(&link).await?;
        page.use_language("zh-CN").await?;
        page.open_gantt().await?;
    }
    let today: Date = a
        .client
        .execute("return new Date().toISOString().slice(0, 10)", vec![])
        .await?
        .as_str()
        .context("today")?
        .parse()?;

    // The chart draws every task where the schedule puts it, and marks its critical tasks and
    // links, no more and no fewer.
    let want = scheduled(&project, today);
    let chart = a.wait_gantt("every task of the plan", |c| c.bars.len() == project.tasks.len()).await?;
    let drawn: BTreeMap<String, (String, String, bool)> =
        chart.bars.iter().map(|(id, b)| (id.clone(), (b.start.clone(), b.due.clone(), b.critical))).collect();
    assert_eq!(drawn, want, "the chart's bars are the schedule's");
    let planned = schedule_plan(project.tasks.values(), &project.meta, &calendar, today);
    let critical_links: BTreeSet<String> =
        planned.critical_links.iter().map(|(x, y)| format!("{x}>{y}")).collect();
    let marked: BTreeSet<String> = chart.arrows.iter().filter(|(_, c)| **c).map(|(k, _)| k.clone()).collect();
    assert!(!critical_links.is_empty(), "the plan has a critical path");
    assert_eq!(marked, critical_links, "the arrows marked critical are the schedule's critical links");
    a.screenshot(&artifacts, "gantt-a-opened.png").await?;

    // A drags a critical task that others wait for a week later.
    let moved = planned
        .critical_tasks
        .iter()
        .copied()
        .max_by_key(|id| waiting_for(&project, *id).len())
        .context("a critical task")?;
    let followers = waiting_for(&project, moved);
    assert!(followers.len() >= 2, "{moved} has tasks waiting for it");
    let before = dates(&chart);
    a.drag_bar(&moved.to_string(), ".bar", 7.0 * 32.0).await?;
    let after_a = a
        .wait_gantt("the dragged bar a week later", |c| {
            c.bars.get(&moved.to_string()).is_some_and(|bar| bar.start > before[&moved.to_string()].0)
        })
        .await?;
    let start: Date = after_a.bars[&moved.to_string()].start.parse()?;
    // What should have moved, by the plan's rule, and where to.
    let changes = after_move(&project, &calendar, moved, start);
    assert!(changes.len() > 1, "the move pushed what waits for it");
    let mut expected = before.clone();
    for change in &changes {
        expected.insert(change.task.to_string(), (change.start.to_string(), change.due.to_string()));
    }
    for page in [a, b] {
        page.wait_gantt("the moved task and what waits for it shifted", |c| dates(c) == expected).await?;
    }
    let shown = a.find("moved-notice").await?.text().await?;
    assert!(shown.contains(&format!("{}", changes.len() - 1)), "A is told what moved: {shown}");
    a.screenshot(&artifacts, "gantt-a-dragged.png").await?;
    b.screenshot(&artifacts, "gantt-b-shifted.png").await?;

    // One undo in A takes the whole drag back, in both.
    a.undo().await?;
    for page in [a, b] {
        page.wait_gantt("every task back where it was", |c| dates(c) == before).await?;
    }

    // The same drag with Undo clicked in the same instant as the drop (the move is on
    // screen before it is written): the Undo takes back that move, which Redo brings back.
    a.drag_bar_and_undo_at_once(&moved.to_string(), 7.0 * 32.0).await?;
    a.wait_for_enabled("redo").await?;
    for page in [a, b] {
        page.wait_gantt("every task still where it was", |c| dates(c) == before).await?;
    }
    a.redo().await?;
    for page in [a, b] {
        page.wait_gantt("the move redone", |c| dates(c) == expected).await?;
    }
    a.undo().await?;
    for page in [a, b] {
        page.wait_gantt("every task back where it was again", |c| dates(c) == before).await?;
    }

    // The right arrow on the bar, three times, each press waited for; then three quick
    // presses (each must move from where the one before left it, shown or written): the
    // same day.
    let task = moved.to_string();
    let start_of = |c: &Chart| c.bars.get(&task).map(|bar| bar.start.clone());
    let mut start = before[&task].0.clone();
    for _ in 0..3 {
        a.keys_on_bar(&task, "\u{E014}").await?;
        let now =
            a.wait_gantt("the bar a working day later", |c| start_of(c).is_some_and(|s| s > start)).await?;
        start = start_of(&now).context("the bar is drawn")?;
    }
    for _ in 0..3 {
        a.undo().await?;
    }
    a.wait_gantt("every task back after three undos", |c| dates(c) == before).await?;
    a.keys_on_bar(&task, "\u{E014}\u{E014}\u{E014}").await?;
    a.wait_gantt("three quick presses where three slow ones went", |c| start_of(c).as_ref() == Some(&start))
        .await?;
    for _ in 0..3 {
        a.undo().await?;
    }
    for page in [a, b] {
        page.wait_gantt("every task back after three undos", |c| dates(c) == before).await?;
    }

    // A draws a dependency from one task onto another of the same phase that is neither
    // waited for nor waiting: B sees the arrow.
    let ids: Vec<TaskId> = project.tasks.keys().copied().collect();
    let finish = |id: &TaskId| planned.tasks[id].finish.days();
    let start = |id: &TaskId| planned.tasks[id].start.days();
    let mut pairs: Vec<(TaskId, TaskId)> = ids
        .iter()
        .flat_map(|x| ids.iter().map(move |y| (*x, *y)))
        .filter(|(x, y)| {
            let (tx, ty) = (&project.tasks[x], &project.tasks[y]);
            x != y
                && tx.phase == ty.phase
                && tx.recurrence.is_none()
                && ty.recurrence.is_none()
                && ty.duration() > 0
                && !waiting_for(&project, *x).contains(y)
                && !waiting_for(&project, *y).contains(x)
        })
        .collect();
    // The nearest first: the bar to drop on should be on screen with the dot.
    pairs.sort_by_key(|(x, y)| (start(y) - finish(x)).abs());
    let (from, to) = first_in_reach(a, pairs)
        .await?
        .context("two unrelated tasks of one phase, near each other on the chart")?;
    a.link_bars(&from.to_string(), &to.to_string()).await?;
    a.screenshot(&artifacts, "gantt-a-linked.png").await?;
    let arrow = format!("{from}>{to}");
    b.wait_gantt("the new arrow", |c| c.arrows.contains_key(&arrow)).await?;

    // A dependency that would close a circle (a task made to wait for one that waits for it)
    // is refused, with a message, and nothing is written.
    let mut circles: Vec<(TaskId, TaskId)> = ids
        .iter()
        .flat_map(|y| waiting_for(&project, *y).into_iter().map(move |x| (x, *y)))
        .filter(|(_, y)| project.tasks[y].duration() > 0 && project.tasks[y].recurrence.is_none())
        .collect();
    circles.sort_by_key(|(x, y)| (start(y) - finish(x)).abs());
    let (later, earlier) = first_in_reach(a, circles)
        .await?
        .context("a task and one it waits for, near each other on the chart")?;
    let heads = a.heads().await?;
    a.link_bars(&later.to_string(), &earlier.to_string()).await?;
    let error = a.find("error").await?.text().await?;
    assert!(error.contains("循环"), "told why: {error}");
    assert_eq!(a.heads().await?, heads, "nothing was written");
    a.screenshot(&artifacts, "gantt-a-cycle-refused.png").await?;

    wait_for("B to have what A has", || async { Ok((a.heads().await? == b.heads().await?).then_some(())) })
        .await?;
    pair.close().await?;
    drop(relay);
    Ok(())
}
