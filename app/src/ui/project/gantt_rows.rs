//! What the Gantt chart draws for the rows in view: the header rows, the row names, the bars,
//! diamonds and summaries, and the arrows.

use launchplan_shared::plan::gantt::{
    Arrow, BAR_HEIGHT, BAR_TOP, BASELINE_HEIGHT, BASELINE_TOP, DIAMOND_HALF, Headers, Mark, ROW_HEIGHT,
    RowKind, RowView, Scale, progress,
};
use launchplan_shared::{DocumentId, MilestoneId, PhaseId, TaskId};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::gantt::{GanttCtx, Grab, HEAD_HEIGHT, LABEL_WIDTH, header_text, moved_mark, num, working_days};
use super::task_row::{planned_of, rag_of};
use crate::contexts::{ProjectCtx, ProjectRoute, Route, navigate, use_strings};

/// The two header rows over the stretch of time drawn.
#[component]
pub(crate) fn HeaderRows(
    header: Memo<Option<Headers>>,
    width: Signal<f64>,
    left: Signal<f64>,
    zh: Signal<bool>,
) -> impl IntoView {
    let half = HEAD_HEIGHT / 2.0;
    let row = move |upper: bool| {
        move || {
            let zh = zh.get();
            header.with(|h| {
                let h = h.as_ref()?;
                let (cells, y) = if upper { (&h.upper, 0.0) } else { (&h.lower, half) };
                Some(
                    cells
                        .iter()
                        .map(|cell| {
                            let text = header_text(&cell.label, upper, zh);
                            // The upper row's words stay in sight while their cell runs on
                            // past the left edge of the view.
                            let (x, end) = (cell.x + 4.0, cell.x + cell.width - 72.0);
                            let text_x = move || {
                                if upper { num((left.get() + 4.0).clamp(x, end.max(x))) } else { num(x) }
                            };
                            view! {
                                <g class="head-cell" data-testid=if upper { "gantt-head-upper" } else { "gantt-head-lower" }>
                                    <rect x=num(cell.x) y=num(y) width=num(cell.width) height=num(half)></rect>
                                    <text x=text_x y=num(y + half - 8.0)>{text}</text>
                                </g>
                            }
                        })
                        .collect_view(),
                )
            })
        }
    };
    view! {
        <svg class="gantt-header" style:left=format!("{LABEL_WIDTH}px")
            width=move || num(width.get()) height=num(HEAD_HEIGHT)>
            {row(true)}
            {row(false)}
        </svg>
    }
}

/// A row's identity and geometry: a row is drawn again only when one of them changes.
fn row_key(v: &RowView) -> (RowKind, usize, [u64; 6]) {
    let (a, b, diamond) = match v.mark {
        Some(Mark::Bar(s)) => (s.x, s.width, 0),
        Some(Mark::Diamond { x }) => (x, 0.0, 1),
        None => (f64::NAN, f64::NAN, 2),
    };
    let (sx, sw) = v.slack.map_or((f64::NAN, f64::NAN), |s| (s.x, s.width));
    let base = v.baseline.map_or(f64::NAN, |s| s.x + s.width * 1e-3);
    (
        v.kind,
        v.index,
        [
            a.to_bits(),
            b.to_bits(),
            diamond ^ u64::from(v.critical) << 1,
            sx.to_bits(),
            sw.to_bits(),
            base.to_bits(),
        ],
    )
}

/// The names of the rows in view, beside the chart.
#[component]
pub(crate) fn GanttLabels(workspace: Option<DocumentId>) -> impl IntoView {
    let gantt = expect_context::<GanttCtx>();
    let height = move || gantt.chart.with(|c| c.as_ref().map_or(0.0, |c| c.0.gantt.rows.height()));
    let rows = move || {
        gantt
            .window
            .with(|w| {
                w.as_ref().map(|w| w.bars.iter().map(|b| (b.kind, b.index, b.critical)).collect::<Vec<_>>())
            })
            .unwrap_or_default()
    };
    view! {
        <div class="gantt-labels" style:width=format!("{LABEL_WIDTH}px") style:height=move || format!("{}px", height())>
            <For each=rows key=|r| *r let:row>
                {
                    let (kind, index, critical) = row;
                    let top = format!("{}px", index as f64 * ROW_HEIGHT);
                    view! {
                        <div class="gantt-label" style:top=top class:critical=critical>
                            {match kind {
                                RowKind::PhaseSummary(phase) => view! { <PhaseLabel phase=phase/> }.into_any(),
                                RowKind::Task(id) => view! { <TaskLabel id=id workspace=workspace/> }.into_any(),
                                RowKind::Milestone(id) => view! { <MilestoneLabel id=id/> }.into_any(),
                            }}
                        </div>
                    }
                }
            </For>
        </div>
    }
}

#[component]
fn PhaseLabel(phase: Option<PhaseId>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let gantt = expect_context::<GanttCtx>();
    let phases = ctx.phases;
    let name = move || match phase {
        Some(id) => {
            phases.with(|p| p.iter().find(|p| p.id == id).map(|p| p.name.clone()).unwrap_or_default())
        }
        None => t().no_phase.to_owned(),
    };
    let folded = move || gantt.folded.with(|f| f.contains(&phase));
    view! {
        <button type="button" class="link fold" data-testid="gantt-phase" title=move || t().gantt_fold
            aria-expanded=move || (!folded()).to_string()
            on:click=move |_| gantt.folded.update(|f| if !f.remove(&phase) { f.insert(phase); })>
            <span class="caret">{move || if folded() { "▸" } else { "▾" }}</span>
            <strong>{name}</strong>
        </button>
    }
}

#[component]
fn TaskLabel(id: TaskId, workspace: Option<DocumentId>) -> impl IntoView {
    let ctx = expect_context::<ProjectCtx>();
    let href = Route::Project(ProjectRoute { workspace, doc: ctx.doc, task: Some(id) }).href();
    let title = move || ctx.task(id).map(|e| e.with(|e| e.task.title.clone())).unwrap_or_default();
    view! {
        <a class="task-name" data-testid="gantt-label" data-gantt-task=id.to_string() href=href draggable="false">{title}</a>
    }
}

#[component]
fn MilestoneLabel(id: MilestoneId) -> impl IntoView {
    let milestones = expect_context::<ProjectCtx>().milestones;
    let name = move || {
        milestones.with(|m| m.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_default())
    };
    view! { <span class="milestone-name">"◆ "{name}</span> }
}

/// The bars, diamonds and summaries of the rows in view.
#[component]
pub(crate) fn GanttRows(scroller: NodeRef<Div>, workspace: Option<DocumentId>) -> impl IntoView {
    let gantt = expect_context::<GanttCtx>();
    let rows = move || gantt.window.with(|w| w.as_ref().map(|w| w.bars.clone()).unwrap_or_default());
    view! {
        <g class="gantt-rows">
            <For each=rows key=row_key let:row>
                <GanttRow row=row scroller=scroller workspace=workspace/>
            </For>
        </g>
    }
}

#[component]
fn GanttRow(row: RowView, scroller: NodeRef<Div>, workspace: Option<DocumentId>) -> impl IntoView {
    let gantt = expect_context::<GanttCtx>();
    let Some(scale) = gantt.chart.with_untracked(|c| c.as_ref().map(|c| c.0.gantt.scale)) else {
        return ().into_any();
    };
    let y = row.y;
    match (row.kind, row.mark) {
        (_, None) => ().into_any(),
        (RowKind::PhaseSummary(phase), Some(mark)) => view! {
            <g class="gantt-summary" data-testid="gantt-summary"
                data-phase=phase.map(|p| p.to_string()).unwrap_or_default()
                transform=format!("translate(0,{})", num(y))>
                <rect class="summary" x=num(mark.left()) y=num(BAR_TOP + 4.0) width=num(mark.right() - mark.left())
                    height=num(BAR_HEIGHT - 8.0)></rect>
            </g>
        }
        .into_any(),
        (RowKind::Milestone(_), Some(mark)) => {
            let x = (mark.left() + mark.right()) / 2.0;
            view! {
                <g class="gantt-milestone" data-testid="gantt-milestone" transform=format!("translate(0,{})", num(y))>
                    <path class="diamond" d=diamond(x, BAR_TOP + BAR_HEIGHT / 2.0)></path>
                </g>
            }
            .into_any()
        }
        (RowKind::Task(id), Some(mark)) => {
            view! { <TaskBar id=id row=row.clone() mark=mark scale=scale scroller=scroller workspace=workspace/> }
                .into_any()
        }
    }
}

/// A task's bar (or diamond, for a task of no length), its progress, slack and baseline, the
/// grip that changes its length and the dot that starts a dependency.
#[component]
fn TaskBar(
    id: TaskId,
    row: RowView,
    mark: Mark,
    scale: Scale,
    scroller: NodeRef<Div>,
    workspace: Option<DocumentId>,
) -> impl IntoView {
    let ctx = expect_context::<ProjectCtx>();
    let gantt = expect_context::<GanttCtx>();
    let Some(entry) = ctx.task(id) else { return ().into_any() };
    let planned = planned_of(&ctx, id, entry.clone());
    let rag = rag_of(&ctx, entry.clone(), planned);
    let to = Memo::new(move |_| gantt.preview.with(|p| p.as_ref().and_then(|p| p.get(&id).copied())));
    let shown = move || moved_mark(&scale, mark, to.get());
    let done = {
        let entry = entry.clone();
        Memo::new(move |_| entry.with(|e| progress(&e.task)))
    };
    let dates = move || to.get().or_else(|| planned.get().map(|p| (p.start, p.finish)));
    let tip = {
        let entry = entry.clone();
        Memo::new(move |_| {
            let title = entry.with(|e| e.task.title.clone());
            match dates() {
                Some((a, b)) => format!("{title}\n{a} → {b}"),
                None => title,
            }
        })
    };
    let drawer = Route::Project(ProjectRoute { workspace, doc: ctx.doc, task: Some(id) });
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some(el) = scroller.get_untracked() else { return };
        let grab = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|t| {
                if t.closest(".grip").ok().flatten().is_some() {
                    Grab::Resize
                } else if t.closest(".link-dot").ok().flatten().is_some() {
                    Grab::Link
                } else {
                    Grab::Move
                }
            })
            .unwrap_or(Grab::Move);
        ev.prevent_default();
        if let Some(g) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = g.focus();
        }
        gantt.press(id, grab, &ev, &el);
    };
    let on_key = {
        let ctx = ctx.clone();
        move |ev: web_sys::KeyboardEvent| {
            let Some(p) = planned.get_untracked() else { return };
            let length = working_days(&ctx.calendar(), p.start, p.finish);
            match (ev.key().as_str(), ev.shift_key()) {
                ("ArrowRight", false) => {
                    ctx.move_task(id, ctx.working_days_after(p.start, 1));
                }
                ("ArrowLeft", false) => {
                    ctx.move_task(id, ctx.working_days_after(p.start, -1));
                }
                ("ArrowRight", true) => {
                    ctx.resize_task(id, p.start, length + 1);
                }
                ("ArrowLeft", true) if length > 1 => {
                    ctx.resize_task(id, p.start, length - 1);
                }
                ("Enter", _) => navigate(&drawer),
                _ => return,
            }
            ev.prevent_default();
            gantt.keep_focus.set_value(Some(id));
        }
    };
    // A bar drawn again after a keyboard move takes the focus back.
    let node = NodeRef::<leptos::svg::G>::new();
    Effect::new(move |_| {
        if let Some(g) = node.get()
            && gantt.keep_focus.get_value() == Some(id)
        {
            let _ = g.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    });
    let mid = BAR_TOP + BAR_HEIGHT / 2.0;
    let baseline = row.baseline;
    let slack = row.slack;
    view! {
        <g class="gantt-task" data-testid="gantt-bar" data-gantt-task=id.to_string() node_ref=node
            data-critical=row.critical.to_string()
            data-start=move || dates().map(|d| d.0.to_string()).unwrap_or_default()
            data-due=move || dates().map(|d| d.1.to_string()).unwrap_or_default()
            data-rag=move || rag.get().0
            class:moving=move || to.get().is_some()
            tabindex="0" role="img" aria-label=tip
            transform=format!("translate(0,{})", num(row.y))
            on:pointerdown=on_down on:keydown=on_key>
            <title>{tip}</title>
            {move || (gantt.show_baseline.get()).then_some(baseline).flatten().map(|b| view! {
                <rect class="baseline" data-testid="gantt-baseline" x=num(b.x) y=num(BASELINE_TOP) width=num(b.width) height=num(BASELINE_HEIGHT)></rect>
            })}
            {move || to.get().is_none().then_some(slack).flatten().map(|s| view! {
                <rect class="slack" x=num(s.x) y=num(mid - 1.0) width=num(s.width) height="2"></rect>
            })}
            {move || to.get().is_some().then(|| view! {
                <rect class="was" x=num(mark.left()) y=num(BAR_TOP) width=num(mark.right() - mark.left()) height=num(BAR_HEIGHT) rx="3"></rect>
            })}
            {move || match shown() {
                Mark::Bar(span) => view! {
                    <rect class=move || format!("bar {}", rag.get().0) class:critical=row.critical
                        x=num(span.x) y=num(BAR_TOP) width=num(span.width) height=num(BAR_HEIGHT) rx="3"></rect>
                    <rect class="progress" x=num(span.x) y=num(BAR_TOP + BAR_HEIGHT - 4.0)
                        width=move || num(span.width * done.get()) height="4"></rect>
                    <rect class="grip" x=num(span.end() - 6.0) y=num(BAR_TOP) width="9" height=num(BAR_HEIGHT)></rect>
                    <circle class="link-dot" data-testid="gantt-link-dot" cx=num(span.end() + 10.0) cy=num(mid) r="4.5"></circle>
                }
                .into_any(),
                Mark::Diamond { x } => view! {
                    <path class=move || format!("diamond {}", rag.get().0) class:critical=row.critical d=diamond(x, mid)></path>
                    <circle class="link-dot" data-testid="gantt-link-dot" cx=num(x + DIAMOND_HALF + 8.0) cy=num(mid) r="4.5"></circle>
                }
                .into_any(),
            }}
        </g>
    }
    .into_any()
}

/// Rows are grouped in blocks of this many for the arrows that only pass through the view.
const BLOCK: usize = 64;

/// The arrows with a row in view. One with an end on a row drawn is an element of its own,
/// keyed by its ends and route (scrolling adds and removes arrows at the edges and leaves the
/// others as they are). Those that pass through are lines of a few shared paths, made for
/// blocks of 64 rows around the view, so that they change (and are painted again) only when
/// the view enters another block: a plan whose tasks wait across hundreds of rows has a
/// thousand of them in view, and as elements they took half of each scrolled frame.
#[component]
pub(crate) fn Arrows() -> impl IntoView {
    let gantt = expect_context::<GanttCtx>();
    let ends = move || {
        gantt
            .window
            .with(|w| {
                w.as_ref()
                    .map(|w| w.arrows.iter().filter(|a| !passes(a, &w.rows)).cloned().collect::<Vec<_>>())
            })
            .unwrap_or_default()
    };
    let block = Memo::new(move |_| {
        gantt.window.with(|w| {
            let rows = w.as_ref().map_or(0..0, |w| w.rows.clone());
            let from = (rows.start / BLOCK).saturating_sub(1) * BLOCK;
            let to = (rows.end.div_ceil(BLOCK) + 1) * BLOCK;
            from..to
        })
    });
    // (normal, critical, folded, folded and critical) lines through the block.
    let lines = Memo::new(move |_| {
        let rows = block.get();
        gantt.chart.with(|c| {
            let mut d: [String; 4] = Default::default();
            if let Some(c) = c {
                for a in c.0.gantt.window(rows, |_| None).arrows {
                    let line = &mut d[usize::from(a.critical) + 2 * usize::from(a.folded)];
                    line.push_str(&path(&a));
                    line.push(' ');
                }
            }
            d
        })
    });
    let line = move |k: usize| move || lines.with(|d| d[k].clone());
    let (width, height) = (
        move || gantt.chart.with(|c| c.as_ref().map_or(0.0, |c| c.0.width)),
        move || gantt.chart.with(|c| c.as_ref().map_or(0.0, |c| c.0.gantt.rows.height())),
    );
    // The lines are a layer of their own: what changes on the rows does not paint them again.
    let lines_layer = view! {
        <svg class="gantt-lines" style:left=format!("{LABEL_WIDTH}px") style:top=format!("{HEAD_HEIGHT}px")
            width=move || num(width()) height=move || num(height())>
            <g class="gantt-arrows">
                <path class="arrow passing" d=line(0)></path>
                <path class="arrow passing critical" d=line(1)></path>
                <path class="arrow passing folded" d=line(2)></path>
                <path class="arrow passing critical folded" d=line(3)></path>
            </g>
        </svg>
    };
    let elements = view! {
        <svg class="gantt-ends" style:left=format!("{LABEL_WIDTH}px") style:top=format!("{HEAD_HEIGHT}px")
            width=move || num(width()) height=move || num(height())>
            <g class="gantt-arrows">
                <For each=ends key=arrow_key let:a>
                    {arrow(&a)}
                </For>
            </g>
        </svg>
    };
    (lines_layer, elements)
}

/// Whether arrow `a` only passes through `rows`: neither end is on one of them.
fn passes(a: &Arrow, rows: &std::ops::Range<usize>) -> bool {
    !rows.contains(&a.from_row) && !rows.contains(&a.to_row)
}

/// An arrow's identity and route.
fn arrow_key(a: &Arrow) -> (TaskId, TaskId, usize, usize, bool, u64) {
    use std::hash::{Hash, Hasher};
    let mut route = std::collections::hash_map::DefaultHasher::new();
    for p in &a.points {
        (p.x.to_bits(), p.y.to_bits()).hash(&mut route);
    }
    a.folded.hash(&mut route);
    (a.from, a.to, a.from_row, a.to_row, a.critical, route.finish())
}

fn arrow(a: &Arrow) -> impl IntoView + use<> {
    let d = path(a);
    let marker = if a.critical { "url(#gantt-head-critical)" } else { "url(#gantt-head)" };
    view! {
        <path class="arrow" class:critical=a.critical class:folded=a.folded data-testid="gantt-arrow"
            data-from=a.from.to_string() data-to=a.to.to_string() data-critical=a.critical.to_string()
            d=d marker-end=marker></path>
    }
}

/// An arrow's route as an SVG path.
pub(crate) fn path(a: &Arrow) -> String {
    let mut d = String::new();
    for (i, p) in a.points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&num(p.x));
        d.push(',');
        d.push_str(&num(p.y));
    }
    d
}

/// A diamond centred on (x, y).
fn diamond(x: f64, y: f64) -> String {
    let h = DIAMOND_HALF;
    format!(
        "M{},{} L{},{} L{},{} L{},{} Z",
        num(x - h),
        num(y),
        num(x),
        num(y - h),
        num(x + h),
        num(y),
        num(x),
        num(y + h)
    )
}
