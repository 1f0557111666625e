//! The Gantt chart: rows by phase (foldable), bars coloured red / amber / green with their
//! progress, milestones as diamonds, dependency arrows routed around the bars, the critical
//! path, slack tails, baselines, days off, today, and four zooms. Only the rows and the
//! stretch of time in view are drawn; the layout is `shared::plan::gantt`'s.
//!
//! Bars are dragged with pointer events (mouse, touch, pen): the body moves the task, the
//! right end changes its length, and the dot beside it, dropped on another task, makes that
//! task wait for it. While a bar moves, the tasks that would follow it move too.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use launchplan_shared::domain::{Date, Dependency, Project, ProjectMeta, TaskEntry, WorkIndex};
use launchplan_shared::plan::gantt::{
    DragMode, Gantt, HeaderLabel, Headers, Mark, Rows, Scale, Span, Zoom, days_off, drag_preview, headers,
    milestone_date, today_x,
};
use launchplan_shared::plan::shift::DateChange;
use launchplan_shared::plan::{Schedule, ScheduledTask};
use launchplan_shared::{DocumentId, PhaseId, TaskId};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::gantt_rows::{Arrows, GanttLabels, GanttRows, HeaderRows};
use super::task_row::is_scheduled;
use crate::contexts::{
    LocaleCtx, ProjectCtx, ProjectRoute, Route, WorkedOut, follow_move, mark, navigate, use_strings,
};
use crate::i18n::Locale;

/// The left column of row names, px.
pub(crate) const LABEL_WIDTH: f64 = 240.0;
/// The two header rows, px.
pub(crate) const HEAD_HEIGHT: f64 = 48.0;
/// Rows drawn above and below the view, so that a short scroll finds them there.
const OVERSCAN_ROWS: usize = 10;
/// Days of room before the first bar and after the last.
const MARGIN_DAYS: i32 = 14;
/// The longest chart drawn, in days (a task dated centuries away does not make it endless).
const MAX_DAYS: i32 = 3660;
/// How far the pointer must travel before a press on a bar becomes a drag.
const DRAG_THRESHOLD: f64 = 4.0;
/// The timeline is drawn in chunks of this many px around the view.
const CHUNK: f64 = 1024.0;

/// The chart laid out for the plan, its schedule, the folded phases and the zoom.
pub(crate) struct Chart {
    pub(crate) gantt: Gantt,
    /// px, from the first day drawn to the last.
    pub(crate) width: f64,
    pub(crate) today: Date,
    /// From the first scheduled task's start to the last one's finish, px.
    pub(crate) work: Option<(f64, f64)>,
}

/// A laid-out chart, compared by identity (laying out again is what changes it).
#[derive(Clone)]
pub(crate) struct Laid(pub(crate) Arc<Chart>);

impl PartialEq for Laid {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A line being drawn on the chart: from, to (chart px).
pub(crate) type Line = ((f64, f64), (f64, f64));

/// What a press on a bar took hold of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grab {
    Move,
    Resize,
    /// The dot beside the bar: a dependency is being drawn from it.
    Link,
}

/// A press on a bar, and what it has become.
struct Press {
    task: TaskId,
    grab: Grab,
    /// Where it started (client px) and the chart's scroll then.
    from: (f64, f64),
    scroll_left: f64,
    active: bool,
    planned: ScheduledTask,
    /// The person may drag (else a press can only open the task).
    may_drag: bool,
    /// The plan when the drag began (and its heads), to work out what follows the bar.
    plan: Option<(Project, String)>,
    last: Option<(Date, Date)>,
    /// What follows the bar if dropped on `last`.
    changes: Vec<DateChange>,
}

/// What the rows and arrows need from the chart.
#[derive(Clone, Copy)]
pub(crate) struct GanttCtx {
    pub(crate) chart: Memo<Option<Laid>>,
    pub(crate) window: Memo<Option<launchplan_shared::plan::gantt::Window>>,
    pub(crate) folded: RwSignal<BTreeSet<Option<PhaseId>>>,
    /// Where the bars being dragged would go: the dragged task and what follows it.
    pub(crate) preview: RwSignal<Option<HashMap<TaskId, (Date, Date)>>>,
    /// A dependency being drawn: from (chart px) to the pointer.
    pub(crate) link: RwSignal<Option<Line>>,
    pub(crate) show_baseline: RwSignal<bool>,
    /// The task whose bar the keyboard moved: its bar, drawn again, takes the focus back.
    pub(crate) keep_focus: StoredValue<Option<TaskId>>,
    press: StoredValue<Option<Press>, LocalStorage>,
}

impl GanttCtx {
    /// A press on task `task`'s bar: a click if it does not move, else a drag.
    pub(crate) fn press(
        &self,
        task: TaskId,
        grab: Grab,
        ev: &web_sys::PointerEvent,
        scroller: &web_sys::Element,
    ) {
        let ctx = expect_context::<ProjectCtx>();
        let Some(planned) =
            ctx.schedule.with_untracked(|s| s.as_ref().and_then(|s| s.tasks.get(&task).copied()))
        else {
            return;
        };
        // Dragging changes dates or dependencies: only for those who may (a press still opens
        // the task).
        let may_drag = ctx.may(launchplan_shared::domain::permissions::Part::Schedule);
        self.press.set_value(Some(Press {
            task,
            grab,
            may_drag,
            from: (f64::from(ev.client_x()), f64::from(ev.client_y())),
            scroll_left: f64::from(scroller.scroll_left()),
            active: false,
            planned,
            plan: None,
            last: None,
            changes: Vec::new(),
        }));
    }

    fn cancel(&self) {
        self.press.set_value(None);
        self.preview.set(None);
        self.link.set(None);
    }
}

/// The Gantt chart of the plan.
#[component]
pub(crate) fn GanttView(workspace: Option<DocumentId>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let locale = expect_context::<LocaleCtx>().0;
    let zoom = RwSignal::new(remembered_zoom());
    let folded = RwSignal::new(BTreeSet::<Option<PhaseId>>::new());
    let show_baseline = RwSignal::new(false);
    let scroller = NodeRef::<Div>::new();
    // (top, left) of the scroller, and its (width, height).
    let scroll = RwSignal::new((0.0_f64, 0.0_f64));
    let viewport = RwSignal::new((960.0_f64, 600.0_f64));

    let chart = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            let zoom = zoom.get();
            let folded = folded.get();
            let meta = ctx.meta.get();
            let milestones = ctx.milestones.get();
            let schedule = ctx.schedule.get()?;
            mark("lp:chart-start");
            let tasks: HashMap<TaskId, Arc<TaskEntry>> = ctx.order.with(|order| {
                order.iter().filter_map(|id| Some((*id, ctx.task(*id)?.get_untracked()))).collect()
            });
            let today = crate::contexts::today();
            ctx.rows.with(|list| {
                let rows = Rows::new(list, &folded);
                let shown =
                    |id: TaskId| tasks.get(&id).map(|e| &e.task).filter(|t| is_scheduled(meta.as_ref(), t));
                let (first, last) =
                    extent(&schedule, meta.as_ref(), &milestones, today, |id| shown(id).is_some());
                let scale = Scale::new(first.add_days(-MARGIN_DAYS), zoom);
                let end = last.add_days(MARGIN_DAYS).min(scale.origin.add_days(MAX_DAYS));
                let gantt = Gantt::new(
                    scale,
                    rows,
                    shown,
                    &schedule,
                    |m| milestones.iter().find(|x| x.id == m).and_then(|m| milestone_date(m, &schedule)),
                    |id| tasks.get(&id).and_then(|e| e.task.baseline.as_ref()).map(|b| (b.start, b.due)),
                );
                let work = schedule
                    .tasks
                    .iter()
                    .filter(|(id, _)| shown(**id).is_some())
                    .map(|(_, p)| (p.start, p.finish))
                    .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
                    .map(|(first, last)| (scale.x(first), scale.x_end(last)));
                mark("lp:chart-laid");
                Some(Laid(Arc::new(Chart { width: scale.x_end(end), gantt, today, work })))
            })
        })
    };
    let rows_in_view = Memo::new(move |_| {
        let (top, _) = scroll.get();
        let (_, height) = viewport.get();
        chart.with(|c| match c {
            Some(c) => c.0.gantt.visible_rows(top, (height - HEAD_HEIGHT).max(0.0), OVERSCAN_ROWS),
            None => 0..0,
        })
    });
    let window = Memo::new(move |_| {
        let rows = rows_in_view.get();
        chart.with(|c| c.as_ref().map(|c| c.0.gantt.window(rows, |_| None)))
    });
    // The stretch of time drawn: the view and a chunk each side.
    let span = Memo::new(move |_| {
        let (_, left) = scroll.get();
        let (width, _) = viewport.get();
        let from = ((left / CHUNK).floor() - 1.0).max(0.0) * CHUNK;
        (from as i64, (from + width + 2.0 * CHUNK) as i64)
    });
    let gantt_ctx = GanttCtx {
        chart,
        window,
        folded,
        preview: RwSignal::new(None),
        link: RwSignal::new(None),
        show_baseline,
        keep_focus: StoredValue::new(None),
        press: StoredValue::new_local(None),
    };
    provide_context(gantt_ctx);

    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll.set((f64::from(el.scroll_top()), f64::from(el.scroll_left())));
            viewport.set((f64::from(el.client_width()), f64::from(el.client_height())));
        }
    };
    // A scroll moves the view, not its size: nothing is measured that could force a layout.
    let on_scroll = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll.set((f64::from(el.scroll_top()), f64::from(el.scroll_left())));
        }
    };
    // Where to scroll once the chart is laid out: today (or the plan, if today is outside
    // it) when it first shows; after a zoom, the day that was in the middle.
    let centre_on = StoredValue::new(None::<Date>);
    let shown_once = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(laid) = chart.get() else { return };
        let Some(el) = scroller.get() else { return };
        let c = &laid.0;
        let width = f64::from(el.client_width()) - LABEL_WIDTH;
        let target = match centre_on.get_value() {
            Some(day) => Some(c.gantt.scale.x_mid(day) - width / 2.0),
            None if !shown_once.get_value() => Some(first_view_x(c) - width / 3.0),
            None => None,
        };
        centre_on.set_value(None);
        shown_once.set_value(true);
        if let Some(x) = target {
            el.set_scroll_left(x.max(0.0) as i32);
        }
        measure();
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());

    // Dragging: the pointer anywhere on the page.
    let on_move = {
        let ctx = ctx.clone();
        move |ev: web_sys::PointerEvent| {
            let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
            let Some(el) = scroller.get_untracked() else { return };
            let moved = gantt_ctx.press.with_value(|p| {
                p.as_ref().map(|p| {
                    (p.may_drag && (p.active || (x - p.from.0).hypot(y - p.from.1) >= DRAG_THRESHOLD), p.grab)
                })
            });
            let Some((true, grab)) = moved else { return };
            ev.prevent_default();
            auto_scroll(&el, x, y);
            let Some(laid) = chart.get_untracked() else { return };
            let scale = laid.0.gantt.scale;
            let body = el.get_bounding_client_rect();
            // The pointer in chart px.
            let at = (
                x - body.left() - LABEL_WIDTH + f64::from(el.scroll_left()),
                y - body.top() - HEAD_HEIGHT + f64::from(el.scroll_top()),
            );
            let calendar = ctx.calendar();
            let mut next = None;
            gantt_ctx.press.update_value(|p| {
                let Some(p) = p.as_mut() else { return };
                p.active = true;
                match grab {
                    Grab::Link => {
                        let from = laid.0.gantt.rows.place(p.task).and_then(|place| match place {
                            launchplan_shared::plan::gantt::Place::Row(r) => Some(r),
                            launchplan_shared::plan::gantt::Place::Folded(_) => None,
                        });
                        if let Some(row) = from {
                            let right = scale.x_end(p.planned.finish);
                            next = Some(Next::Link(((right, Rows::y_mid(row)), at)));
                        }
                    }
                    Grab::Move | Grab::Resize => {
                        let dx = x - p.from.0 + f64::from(el.scroll_left()) - p.scroll_left;
                        let mode = if grab == Grab::Move { DragMode::Move } else { DragMode::ResizeEnd };
                        let to = drag_preview(&scale, &calendar, &p.planned, dx, mode);
                        if p.last == Some((to.start, to.due)) {
                            return;
                        }
                        p.last = Some((to.start, to.due));
                        if p.plan.is_none() {
                            p.plan = ctx.project().map(|plan| (plan, ctx.heads.get_untracked()));
                        }
                        let Some((plan, _)) = p.plan.as_ref() else { return };
                        p.changes = follow(plan, &calendar, p.task, grab, to.start, to.due);
                        next = Some(Next::Preview(
                            p.changes.iter().map(|c| (c.task, (c.start, c.due))).collect(),
                        ));
                    }
                }
            });
            match next {
                Some(Next::Link(line)) => gantt_ctx.link.set(Some(line)),
                Some(Next::Preview(map)) => gantt_ctx.preview.set(Some(map)),
                None => {}
            }
        }
    };
    let move_handle = window_event_listener(leptos::ev::pointermove, on_move);
    let up_handle = {
        let ctx = ctx.clone();
        window_event_listener(leptos::ev::pointerup, move |ev| {
            let Some(mut p) = gantt_ctx.press.try_update_value(Option::take).flatten() else { return };
            if !p.active {
                if p.grab != Grab::Link {
                    navigate(&Route::Project(ProjectRoute { workspace, doc: ctx.doc, task: Some(p.task) }));
                }
                return;
            }
            // What the preview worked out is what the drop writes (when the plan is unchanged).
            let mut dropped = |start: Date, days: Option<u32>| {
                let changes = std::mem::take(&mut p.changes);
                let worked = p.plan.take().map(|(plan, heads)| WorkedOut { plan, heads, changes });
                ctx.move_worked_out(p.task, start, days, worked)
            };
            let done = match (p.grab, p.last) {
                (Grab::Move, Some((start, _))) if start != p.planned.start => dropped(start, None),
                (Grab::Resize, Some((start, due))) if due != p.planned.finish => {
                    dropped(start, Some(working_days(&ctx.calendar(), start, due)))
                }
                (Grab::Link, _) => {
                    gantt_ctx.link.set(None);
                    if let Some(target) = task_at(f64::from(ev.client_x()), f64::from(ev.client_y()))
                        && target != p.task
                    {
                        ctx.dispatch(launchplan_shared::domain::Command::AddDependency {
                            id: target,
                            dependency: Dependency::after(p.task),
                        });
                    }
                    false
                }
                _ => false,
            };
            // A drop that changed the plan keeps its preview until the chart is laid out
            // again with it, so that the bars do not jump back for a frame.
            if !done {
                gantt_ctx.preview.set(None);
            }
        })
    };
    // The chart laid out again after a drop: the bars are where the preview put them.
    Effect::new(move |_| {
        chart.track();
        if gantt_ctx.press.with_value(Option::is_none) && gantt_ctx.preview.get_untracked().is_some() {
            gantt_ctx.preview.set(None);
        }
    });
    let cancel_handle = window_event_listener(leptos::ev::pointercancel, move |_| gantt_ctx.cancel());
    let escape_handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && gantt_ctx.press.with_value(Option::is_some) {
            gantt_ctx.cancel();
        }
    });
    on_cleanup(move || {
        resize.remove();
        move_handle.remove();
        up_handle.remove();
        cancel_handle.remove();
        escape_handle.remove();
    });

    let set_zoom = move |z: Zoom| {
        if let (Some(el), Some(laid)) = (scroller.get_untracked(), chart.get_untracked()) {
            let middle = f64::from(el.scroll_left()) + (f64::from(el.client_width()) - LABEL_WIDTH) / 2.0;
            centre_on.set_value(Some(laid.0.gantt.scale.day_at(middle)));
        }
        remember_zoom(z);
        zoom.set(z);
    };
    let to_today = move |_| {
        if let (Some(el), Some(laid)) = (scroller.get_untracked(), chart.get_untracked()) {
            let c = &laid.0;
            let width = f64::from(el.client_width()) - LABEL_WIDTH;
            el.set_scroll_left((today_x(&c.gantt.scale, c.today) - width / 3.0).max(0.0) as i32);
        }
    };
    let width = move || chart.with(|c| c.as_ref().map_or(0.0, |c| c.0.width));
    let height = move || chart.with(|c| c.as_ref().map_or(0.0, |c| c.0.gantt.rows.height()));
    let header = Memo::new(move |_| {
        let (from, to) = span.get();
        chart.with(|c| c.as_ref().map(|c| headers(&c.0.gantt.scale, from as f64, (to as f64).min(c.0.width))))
    });
    let off = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            let (from, to) = span.get();
            chart.with(|c| {
                let Some(c) = c else { return Vec::new() };
                let scale = c.0.gantt.scale;
                let mut spans = days_off(&scale, &ctx.calendar(), from as f64, (to as f64).min(c.0.width));
                // Zoomed out, weekends would be stripes: holidays (three days off or more) stay.
                if matches!(scale.zoom, Zoom::Month | Zoom::Quarter) {
                    spans.retain(|s| s.width >= 3.0 * scale.px_per_day() - 0.5);
                }
                spans
            })
        })
    };
    let today_line = move || chart.with(|c| c.as_ref().map(|c| today_x(&c.0.gantt.scale, c.0.today)));
    let empty = move || window.with(|w| w.as_ref().is_some_and(|w| w.bars.iter().all(|b| b.mark.is_none())));
    view! {
        <div class="gantt-bar">
            <div class="zoom" role="group" aria-label="zoom">
                {Zoom::ALL.into_iter().enumerate().map(|(i, z)| view! {
                    <button type="button" data-testid="gantt-zoom" data-zoom=i.to_string()
                        class:active=move || zoom.get() == z aria-pressed=move || (zoom.get() == z).to_string()
                        on:click=move |_| set_zoom(z)>{move || t().zoom_names[i]}</button>
                }).collect_view()}
            </div>
            <button type="button" data-testid="gantt-today" on:click=to_today>{move || t().gantt_today}</button>
            <label class="check">
                <input type="checkbox" data-testid="gantt-show-baseline" prop:checked=move || show_baseline.get()
                    on:change=move |ev| show_baseline.set(event_target_checked(&ev))/>
                {move || t().gantt_show_baseline}
            </label>
            <super::gantt_export::GanttExport/>
            <span class="legend"><span class="swatch critical"></span>{move || t().gantt_critical}</span>
        </div>
        <p class="muted gantt-help">{move || t().gantt_keys}</p>
        <Show when=empty>
            <p class="notice" data-testid="gantt-empty">{move || t().gantt_empty}</p>
        </Show>
        <div class="gantt-scroll" data-testid="gantt" node_ref=scroller on:scroll=move |_| on_scroll()
            data-zoom=move || format!("{:?}", zoom.get()).to_lowercase()>
            <div class="gantt-canvas"
                style:width=move || format!("{}px", LABEL_WIDTH + width())
                style:height=move || format!("{}px", HEAD_HEIGHT + height())>
                <div class="gantt-head" style:width=move || format!("{}px", LABEL_WIDTH + width())>
                    <div class="gantt-corner"></div>
                    <HeaderRows header=header width=Signal::derive(width) left=Signal::derive(move || scroll.get().1)
                        zh=Signal::derive(move || locale.get() == Locale::ZhCn)/>
                </div>
                <GanttLabels workspace=workspace/>
                <Arrows/>
                <svg class="gantt-body" data-testid="gantt-body"
                    style:left=format!("{LABEL_WIDTH}px") style:top=format!("{HEAD_HEIGHT}px")
                    width=move || width().to_string() height=move || height().to_string()>
                    <defs>
                        <marker id="gantt-head" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0,0 L8,4 L0,8 z" class="arrow-head"></path>
                        </marker>
                        <marker id="gantt-head-critical" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0,0 L8,4 L0,8 z" class="arrow-head critical"></path>
                        </marker>
                    </defs>
                    <g class="days-off">
                        {move || off.with(|spans| spans.iter().map(|s| view! {
                            <rect x=num(s.x) y="0" width=num(s.width) height=move || height().to_string()></rect>
                        }).collect_view())}
                    </g>
                    {move || today_line().map(|x| view! {
                        <line class="today" data-testid="gantt-today-line" x1=num(x) x2=num(x) y1="0" y2=move || height().to_string()></line>
                    })}
                    <GanttRows scroller=scroller workspace=workspace/>
                    {move || gantt_ctx.link.get().map(|((x1, y1), (x2, y2))| view! {
                        <line class="link-draft" data-testid="gantt-link-draft" x1=num(x1) y1=num(y1) x2=num(x2) y2=num(y2)
                            marker-end="url(#gantt-head)"></line>
                    })}
                </svg>
            </div>
        </div>
    }
}

enum Next {
    Link(Line),
    Preview(HashMap<TaskId, (Date, Date)>),
}

/// Where the bar of `task` and what follows it would go if it took `start`..`due`: the same
/// reckoning the drop writes ([`follow_move`]).
fn follow(
    plan: &Project,
    calendar: &launchplan_shared::domain::WorkCalendar,
    task: TaskId,
    grab: Grab,
    start: Date,
    due: Date,
) -> Vec<DateChange> {
    let days = (grab == Grab::Resize).then(|| working_days(calendar, start, due));
    follow_move(plan, calendar, task, start, days)
}

/// Working days from `start` to `due`, both counted (at least 1).
pub(crate) fn working_days(
    calendar: &launchplan_shared::domain::WorkCalendar,
    start: Date,
    due: Date,
) -> u32 {
    let index = WorkIndex::new(calendar);
    (index.ordinal(due) - index.ordinal(start) + 1).max(1) as u32
}

/// The days the chart must show: the scheduled tasks, the milestones, the plan's start and
/// launch, and today.
fn extent(
    schedule: &Schedule,
    meta: Option<&ProjectMeta>,
    milestones: &[launchplan_shared::domain::Milestone],
    today: Date,
    shown: impl Fn(TaskId) -> bool,
) -> (Date, Date) {
    let mut days: Vec<Date> = schedule
        .tasks
        .iter()
        .filter(|(id, _)| shown(**id))
        .flat_map(|(_, p)| [p.start, p.finish, p.late_finish])
        .collect();
    days.extend(milestones.iter().filter_map(|m| milestone_date(m, schedule)));
    days.extend(meta.and_then(|m| m.start));
    days.extend(meta.and_then(|m| m.launch));
    days.push(today);
    let first = days.iter().copied().min().unwrap_or(today);
    let last = days.iter().copied().max().unwrap_or(today);
    (first, last)
}

/// Where the chart first opens: today while the plan's work is under way, else where its
/// work starts (a plan for next year opens on its first bars, not on empty weeks).
fn first_view_x(c: &Chart) -> f64 {
    let today = today_x(&c.gantt.scale, c.today);
    match c.work {
        Some((first, last)) if today < first || today > last => first,
        _ => today,
    }
}

/// The task whose bar or label is under the pointer.
fn task_at(x: f64, y: f64) -> Option<TaskId> {
    let document = web_sys::window()?.document()?;
    document
        .elements_from_point(x as f32, y as f32)
        .iter()
        .filter_map(|e| e.dyn_into::<web_sys::Element>().ok())
        .find_map(|e| e.closest("[data-gantt-task]").ok().flatten())?
        .get_attribute("data-gantt-task")?
        .parse()
        .ok()
}

/// Scrolls the chart while the pointer is near one of its edges.
fn auto_scroll(el: &web_sys::Element, x: f64, y: f64) {
    const EDGE: f64 = 40.0;
    const STEP: i32 = 20;
    let rect = el.get_bounding_client_rect();
    if x < rect.left() + LABEL_WIDTH + EDGE && x > rect.left() + LABEL_WIDTH {
        el.set_scroll_left(el.scroll_left() - STEP);
    } else if x > rect.right() - EDGE {
        el.set_scroll_left(el.scroll_left() + STEP);
    }
    if y < rect.top() + HEAD_HEIGHT + EDGE && y > rect.top() + HEAD_HEIGHT {
        el.set_scroll_top(el.scroll_top() - STEP);
    } else if y > rect.bottom() - EDGE {
        el.set_scroll_top(el.scroll_top() + STEP);
    }
}

/// A number for an SVG attribute: whole pixels and one decimal are plenty.
pub(crate) fn num(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{}", rounded as i64) } else { format!("{rounded:.1}") }
}

/// A header cell's words in the person's language; `upper` is the coarser row.
pub(crate) fn header_text(label: &HeaderLabel, upper: bool, zh: bool) -> String {
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match *label {
        HeaderLabel::Year { year } => {
            if zh {
                format!("{year}年")
            } else {
                year.to_string()
            }
        }
        HeaderLabel::Quarter { year, quarter } => match (upper, zh) {
            (true, true) => format!("{year}年 Q{quarter}"),
            (true, false) => format!("Q{quarter} {year}"),
            (false, _) => format!("Q{quarter}"),
        },
        HeaderLabel::Month { year, month } => {
            let name = MONTHS[(month.clamp(1, 12) - 1) as usize];
            match (upper, zh) {
                (true, true) => format!("{year}年{month}月"),
                (true, false) => format!("{name} {year}"),
                (false, true) => format!("{month}月"),
                (false, false) => name.to_owned(),
            }
        }
        HeaderLabel::Week { week, monday, .. } => {
            let (_, m, d) = monday.ymd();
            if zh { format!("第{week}周 {m}/{d}") } else { format!("W{week} {m}/{d}") }
        }
        HeaderLabel::Day { day, .. } => day.to_string(),
    }
}

/// The whole chart's header rows as words (for export, where each row says its year).
pub(crate) fn header_words(headers: &Headers, zh: bool) -> impl Fn(&HeaderLabel) -> String + use<> {
    let upper: Vec<HeaderLabel> = headers.upper.iter().map(|c| c.label).collect();
    move |label| header_text(label, upper.contains(label), zh)
}

/// Whether a task is drawn on the chart and where its bar is.
pub(crate) fn bar_span(scale: &Scale, start: Date, due: Date) -> Span {
    Span::between(scale.x(start), scale.x_end(due))
}

/// A mark's span, for a task row whose preview moved it.
pub(crate) fn moved_mark(scale: &Scale, mark: Mark, to: Option<(Date, Date)>) -> Mark {
    match (mark, to) {
        (Mark::Bar(_), Some((start, due))) => Mark::Bar(bar_span(scale, start, due)),
        (Mark::Diamond { .. }, Some((_, due))) => Mark::Diamond { x: scale.x_mid(due) },
        (mark, None) => mark,
    }
}

const ZOOM_KEY: &str = "launchplan.gantt-zoom";

fn remembered_zoom() -> Zoom {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(ZOOM_KEY).ok().flatten());
    match stored.as_deref() {
        Some("week") => Zoom::Week,
        Some("month") => Zoom::Month,
        Some("quarter") => Zoom::Quarter,
        _ => Zoom::Day,
    }
}

fn remember_zoom(zoom: Zoom) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(ZOOM_KEY, &format!("{zoom:?}").to_lowercase());
    }
}
