//! The Gantt chart of a big plan whose moves shift the tasks that wait for them: the frames
//! while the chart scrolls, and drops of a bar that hundreds of tasks wait for.

use std::time::Duration;

use anyhow::{Context, bail};
use fantoccini::Client;
use launchplan_shared::domain::Project;
use serde_json::{Value, json};

use crate::followers::Pick;
use crate::probe;

/// Frames of each scroll pass.
const FRAMES: usize = 150;
/// px the chart scrolls each frame.
const STEP: f64 = 48.0;
/// px of one day at the chart's default zoom (Day).
const DAY_PX: f64 = 32.0;
/// Days each drag moves the bar.
const DRAG_DAYS: f64 = 7.0;
/// At least this many tasks wait for the bar dragged.
pub(crate) const FOLLOWERS: usize = 200;

/// One frame while the chart scrolls.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub(crate) struct Frame {
    /// ms from the previous frame's requestAnimationFrame timestamp.
    pub(crate) delta: f64,
    /// ms of the main thread's work for the frame: from its rAF timestamp (the frame's start)
    /// to a `setTimeout(0)` posted in its rAF callback, which runs once it is rendered.
    pub(crate) work: f64,
}

/// What the chart measured.
pub(crate) struct GanttRun {
    pub(crate) tasks: usize,
    /// Scrolling down (scrollTop += 48 px a frame), then sideways (scrollLeft, back at the end).
    pub(crate) down: Vec<Frame>,
    pub(crate) sideways: Vec<Frame>,
    pub(crate) pick: Pick,
    /// The first drop: the start of `pick.task` before, in the drag's preview and after.
    pub(crate) first_drop: [String; 3],
    /// The start of `pick.next` before and after the first drop.
    pub(crate) next_moved: (String, String),
    /// Each drop: pointerup to the end of the frame that shows the bar settled.
    pub(crate) drags: Vec<f64>,
    /// Each drop: pointerup until the move is written into the document (the page is busy
    /// until then; the write follows the paint that shows the move).
    pub(crate) writes: Vec<f64>,
    /// How many calendar days each drag moved the bar.
    pub(crate) drag_days: f64,
}

/// The plan for the chart: `big_plan` with moves that shift what waits for them, every
/// task dated where the schedule puts it (as in a plan made from a template), so that a
/// move writes both dates of each task that follows.
pub(crate) fn plan(tasks: usize) -> anyhow::Result<Project> {
    let mut project = launchplan_e2e::plan::big_plan(tasks)?;
    project.meta.shift_dependents = true;
    let start = project.meta.start.context("the big plan has a start")?;
    let calendar = launchplan_shared::domain::WorkCalendar::default();
    let planned =
        launchplan_shared::plan::schedule_plan(project.tasks.values(), &project.meta, &calendar, start);
    for task in project.tasks.values_mut() {
        let at = planned.tasks.get(&task.id).with_context(|| format!("task {} is not scheduled", task.id))?;
        (task.start, task.due) = (Some(at.start), Some(at.finish));
    }
    Ok(project)
}

/// Page script: `arguments[0]` frames of scrolling the chart by (`arguments[1]`,
/// `arguments[2]`) px a frame, set in each rAF callback (turning back at the ends). Answers
/// each frame's rAF delta and work.
const SCROLL: &str = "const [frames, dx, dy, done] = arguments;
const s = document.querySelector('[data-testid=\"gantt\"]');
const maxLeft = s.scrollWidth - s.clientWidth, maxTop = s.scrollHeight - s.clientHeight;
let left = s.scrollLeft, top = s.scrollTop, dirX = 1, dirY = 1;
const next = (at, d, max, dir) => {
  let to = at + dir * d;
  if (to > max || to < 0) { dir = -dir; to = at + dir * d; }
  return [Math.max(0, Math.min(max, to)), dir];
};
(async () => {
  const deltas = [], work = [], pending = [];
  let prev = null, n = 0;
  await new Promise(resolve => {
    const step = ts => {
      if (prev !== null) deltas.push(ts - prev);
      prev = ts;
      const i = n;
      pending.push(new Promise(r => setTimeout(() => { work[i] = performance.now() - ts; r(); }, 0)));
      if (n++ === frames) { resolve(); return; }
      if (dx) { [left, dirX] = next(left, dx, maxLeft, dirX); s.scrollLeft = left; }
      if (dy) { [top, dirY] = next(top, dy, maxTop, dirY); s.scrollTop = top; }
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  await Promise.all(pending);
  // The first frame came before any scrolling: frame i shows the scroll set in frame i-1.
  return deltas.map((delta, i) => ({ delta, work: work[i + 1] }));
})().then(done, e => done({ error: String(e) }));";

/// Page script: scrolls the chart until the bar of task `arguments[0]` is drawn (trying row
/// `arguments[1]` first, then from the top down), centres it, and answers its `data-start`.
const REVEAL: &str = "const [id, row, done] = arguments;
const s = document.querySelector('[data-testid=\"gantt\"]');
const sel = `[data-testid=\"gantt-bar\"][data-gantt-task=\"${id}\"]`;
const frame = () => new Promise(r => requestAnimationFrame(r));
const bar = () => document.querySelector(sel);
(async () => {
  const view = s.clientHeight - 48;
  const tops = [Math.max(0, row * 32 - view / 2)];
  for (let t = 0; t < s.scrollHeight; t += Math.max(64, view)) tops.push(t);
  for (const top of tops) {
    if (bar()) break;
    s.scrollTop = top;
    for (let i = 0; i < 4 && !bar(); i++) await frame();
  }
  if (!bar()) throw new Error(`no bar of ${id} anywhere on the chart`);
  bar().querySelector('.bar').scrollIntoView({ block: 'center', inline: 'center' });
  await frame();
  await frame();
  return bar().dataset.start;
})().then(done, e => done({ error: String(e) }));";

/// Page script: drags the bar of task `arguments[0]` (drawn, in view) `arguments[1]` px to
/// the right as a mouse does, and answers the ms from the pointerup to the end of the frame
/// that shows it settled there (no preview, `moving`, any more; a new `data-start`), and to
/// the end of the task that wrote it into the document (after its `lp:move-written` mark).
///
/// The frame's end is a `user-blocking` task posted from the rAF callback that saw the bar
/// settled: it runs once the frame is rendered, before tasks of normal priority that were
/// already waiting (as the write is: it waits for that paint).
const DRAG: &str = "const [id, dx, done] = arguments;
const sel = `[data-testid=\"gantt-bar\"][data-gantt-task=\"${id}\"]`;
const bar = () => document.querySelector(sel);
const frame = () => new Promise(r => requestAnimationFrame(r));
const at = (x, y, buttons) => ({ bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y,
  pointerId: 1, button: 0, buttons, isPrimary: true, pointerType: 'mouse' });
(async () => {
  const g = bar();
  if (!g) throw new Error(`the bar of ${id} is not drawn`);
  const before = g.dataset.start;
  const rect = g.querySelector('.bar');
  const box = rect.getBoundingClientRect();
  const x = box.x + Math.min(10, box.width / 2), y = box.y + box.height / 2;
  rect.dispatchEvent(new PointerEvent('pointerdown', at(x, y, 1)));
  window.dispatchEvent(new PointerEvent('pointermove', at(x + 10, y, 1)));
  await frame();
  window.dispatchEvent(new PointerEvent('pointermove', at(x + dx, y, 1)));
  await frame();
  const preview = bar() && bar().classList.contains('moving') ? bar().dataset.start : null;
  if (!preview || preview === before) throw new Error(`no preview of ${id} moved (data-start ${bar() && bar().dataset.start}, was ${before})`);
  const started = performance.now();
  window.dispatchEvent(new PointerEvent('pointerup', at(x + dx, y, 0)));
  const frameEnd = () => new Promise(r => window.scheduler && scheduler.postTask
    ? scheduler.postTask(r, { priority: 'user-blocking' }) : setTimeout(r, 0));
  for (;;) {
    // Checked in the rAF callback: this frame renders what is checked.
    await frame();
    const g = bar();
    if (g && !g.classList.contains('moving') && g.dataset.start !== before) break;
    if (performance.now() - started > 60000) throw new Error(`the drop of ${id} never settled`);
  }
  await frameEnd();
  const ms = performance.now() - started;
  const after = bar().dataset.start;
  const written = () => performance.getEntriesByName('lp:move-written').some(m => m.startTime >= started);
  while (!written()) {
    await new Promise(r => setTimeout(r, 0));
    if (performance.now() - started > 60000) throw new Error(`the drop of ${id} was never written`);
  }
  await new Promise(r => setTimeout(r, 0));
  return { ms, written: performance.now() - started, before, preview, after };
})().then(done, e => done({ error: String(e) }));";

/// Page script: clicks Undo and waits until the bar of `arguments[0]` (drawn) starts on
/// `arguments[1]` again, settled.
const UNDO: &str = "const [id, start, done] = arguments;
const sel = `[data-testid=\"gantt-bar\"][data-gantt-task=\"${id}\"]`;
const bar = () => document.querySelector(sel);
const frame = () => new Promise(r => requestAnimationFrame(r));
(async () => {
  const undo = document.querySelector('[data-testid=\"undo\"]');
  if (!undo || undo.disabled) throw new Error('no Undo to click');
  undo.click();
  const started = performance.now();
  for (;;) {
    await frame();
    const g = bar();
    if (g && !g.classList.contains('moving') && g.dataset.start === start) break;
    if (performance.now() - started > 60000)
      throw new Error(`Undo never took ${id} back to ${start} (it starts ${g && g.dataset.start})`);
  }
  await frame();
  return true;
})().then(done, e => done({ error: String(e) }));";

/// Runs page script `script` in `page` and answers what it answered, or its error.
async fn run(page: &Client, script: &str, args: Vec<Value>, what: &str) -> anyhow::Result<Value> {
    let answer = page.execute_async(script, args).await.with_context(|| what.to_owned())?;
    if let Some(error) = answer.get("error") {
        bail!("{what}: {error}");
    }
    Ok(answer)
}

/// Opens `link` (the plan `project`) in `page` as a Gantt chart, times its scrolling, then
/// `drags` drops (each undone) of the bar of the task picked by [`crate::followers::pick`].
pub(crate) async fn measure(
    page: &Client,
    link: &str,
    project: &Project,
    drags: usize,
    patience: Duration,
) -> anyhow::Result<GanttRun> {
    let tasks = project.tasks.len();
    let pick = crate::followers::pick(project, FOLLOWERS)
        .with_context(|| format!("no task of the plan has {FOLLOWERS} tasks waiting for it"))?;
    eprintln!(
        "the Gantt drags move task {} ({} tasks wait for it, directly or not; {} waits for it directly)",
        pick.task, pick.followers, pick.next
    );
    page.goto(link).await.context("opening the Gantt plan")?;
    probe::poll(page, "const tab = document.querySelector('[data-testid=\"view-gantt\"]'); if (tab) tab.click(); return tab ? true : null;", patience, "the Gantt tab").await?;
    let ready = format!(
        r#"const s = document.querySelector('[data-testid="gantt"]');
           const saved = document.querySelector('[data-testid="save-state"]');
           const online = document.querySelector('[data-testid="connection"]');
           return s && s.querySelector('[data-testid="gantt-bar"]') && s.scrollHeight >= 48 + 32 * {tasks}
             && saved && saved.dataset.pending === '0' && online && online.dataset.state === 'online' ? true : null;"#
    );
    probe::poll(page, &ready, patience, &format!("the chart of all {tasks} tasks, saved and online")).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;

    eprintln!("A scrolls the chart down, then sideways, {FRAMES} frames each");
    let scroll = |dx: f64, dy: f64| async move {
        let frames =
            run(page, SCROLL, vec![json!(FRAMES), json!(dx), json!(dy)], "scrolling the chart").await?;
        anyhow::Ok(serde_json::from_value::<Vec<Frame>>(frames)?)
    };
    let down = scroll(0.0, STEP).await?;
    let sideways = scroll(STEP, 0.0).await?;

    let task = pick.task.to_string();
    let next = pick.next.to_string();
    let reveal = |id: String, row: usize| async move {
        let start =
            run(page, REVEAL, vec![json!(id), json!(row)], &format!("scrolling to the bar of {id}")).await?;
        start.as_str().map(str::to_owned).with_context(|| format!("the bar of {id} has no data-start"))
    };
    let next_before = reveal(next.clone(), pick.rows.1).await?;
    // Far enough that what waits for it must move: a week past where the task it waits for
    // starts (a shorter move may stay within its slack, and rightly moves nothing else).
    let task_start = reveal(task.clone(), pick.rows.0).await?;
    let gap = day(&next_before)?.days() - day(&task_start)?.days();
    let drag_days = DRAG_DAYS.max(f64::from(gap) + DRAG_DAYS);
    eprintln!("A drags the bar of {task} {drag_days} days later {drags} times, each undone");
    let mut times = Vec::with_capacity(drags);
    let mut writes = Vec::with_capacity(drags);
    let mut next_moved = None;
    let mut first_drop = None;
    for n in 0..drags {
        let before = reveal(task.clone(), pick.rows.0).await?;
        let drop =
            run(page, DRAG, vec![json!(task), json!(drag_days * DAY_PX)], &format!("drag {}", n + 1)).await?;
        times.push(drop["ms"].as_f64().context("the drag script answered no time")?);
        writes.push(drop["written"].as_f64().context("the drag script answered no write time")?);
        if first_drop.is_none() {
            let text = |k: &str| drop[k].as_str().unwrap_or_default().to_owned();
            first_drop = Some([text("before"), text("preview"), text("after")]);
        }
        if next_moved.is_none() {
            let after = reveal(next.clone(), pick.rows.1).await?;
            if after <= next_before {
                bail!(
                    "moving {task} from {before} to {} did not move {next}, which waits for it: it starts {after}, as before",
                    drop["after"]
                );
            }
            next_moved = Some((next_before.clone(), after));
            reveal(task.clone(), pick.rows.0).await?;
        }
        run(page, UNDO, vec![json!(task), json!(before)], &format!("undoing drag {}", n + 1)).await?;
    }
    Ok(GanttRun {
        tasks,
        down,
        sideways,
        pick,
        first_drop: first_drop.unwrap_or_default(),
        next_moved: next_moved.unwrap_or_default(),
        drags: times,
        writes,
        drag_days,
    })
}

fn day(text: &str) -> anyhow::Result<launchplan_shared::domain::Date> {
    text.parse().with_context(|| format!("a date, not {text:?}"))
}
