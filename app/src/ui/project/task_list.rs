use launchplan_shared::DocumentId;
use leptos::html::Div;
use leptos::prelude::*;

use launchplan_shared::domain::PlanRow;
use launchplan_shared::plan::arrange::{Heading, Line, TaskFilter, arrange};

use super::bulk_bar::{BulkBar, Selection};
use super::filter_bar::{Arrangement, FilterBar};
use super::plan_rows::{GroupRow, MilestoneRow, PhaseRow};
use super::task_row::TaskRow;
use crate::contexts::{ProjectCtx, WorkspaceCtx, members_by_name, use_strings};

fn line_of(row: &PlanRow) -> Line {
    match row {
        PlanRow::Phase(p) => Line::Heading(Heading::Phase(*p)),
        PlanRow::Task(t) => Line::Task(*t),
        PlanRow::Milestone(m) => Line::Milestone(*m),
    }
}

/// Height of one row, in pixels (the stylesheet holds rows to it).
pub(crate) const ROW_PX: f64 = 46.0;
/// Rows drawn beyond each edge of what is visible, so that scrolling never shows a gap.
const OVERSCAN: usize = 12;

/// The plan by phase: each phase's heading, its tasks and its milestones. Only the rows on screen (and a few either side) are in the page, so a
/// plan of thousands scrolls and edits as fast as one of ten.
#[component]
pub(crate) fn TaskList(filter: RwSignal<TaskFilter>, workspace: Option<DocumentId>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let (order, all_rows) = (ctx.order, ctx.rows);
    let selection = Selection(RwSignal::new(std::collections::BTreeSet::new()));
    provide_context(selection);
    let arrangement = RwSignal::new(Arrangement::default());
    let people = members_by_name(expect_context::<WorkspaceCtx>().workspace);
    // The lines shown: the plan by phase as it is, or as filtered, grouped and sorted (worked
    // out again when a task or the schedule changes only while one of those is on).
    let rows = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            let (f, a) = (filter.get(), arrangement.get());
            if f == TaskFilter::default() && a == Arrangement::default() {
                return all_rows.with(|rows| rows.iter().map(line_of).collect::<Vec<_>>());
            }
            let members: Vec<_> = people.with(|p| p.iter().map(|(id, _)| *id).collect());
            ctx.judged(|rows, tasks, judge| {
                arrange(rows, |id| tasks.get(&id).map(|e| &e.task), &f, a.group, a.sort, &members, judge)
            })
        })
    };
    let shown_tasks =
        Memo::new(move |_| rows.with(|r| r.iter().filter(|r| matches!(r, Line::Task(_))).count()));
    let shown_ids = move || {
        rows.with(|r| {
            r.iter()
                .filter_map(|l| match l {
                    Line::Task(id) => Some(*id),
                    _ => None,
                })
                .collect::<std::collections::BTreeSet<_>>()
        })
    };
    let all_selected = move || {
        let shown = shown_ids();
        !shown.is_empty() && selection.0.with(|s| shown.is_subset(s))
    };
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(900.0f64);
    let list = NodeRef::<Div>::new();
    // The list is never taller than the window: draw for the window's height (reading the
    // list's own height would force a layout before the first paint).
    let window_height =
        move || web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64());
    viewport.set(window_height().unwrap_or(900.0));
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(height) = window_height() {
            viewport.set(height);
        }
    });
    on_cleanup(move || resize.remove());
    let len = Memo::new(move |_| order.with(Vec::len));
    let row_count = Memo::new(move |_| rows.with(Vec::len));
    let range = Memo::new(move |_| {
        let len = row_count.get();
        let first = ((scroll_top.get() / ROW_PX) as usize).saturating_sub(OVERSCAN).min(len);
        let count = (viewport.get() / ROW_PX).ceil() as usize + 2 * OVERSCAN;
        (first, (first + count).min(len))
    });
    let visible = Memo::new(move |_| {
        let (first, last) = range.get();
        rows.with(|r| r.get(first..last).map(<[_]>::to_vec).unwrap_or_default())
    });
    // A new filter or arrangement starts the list from its top.
    Effect::new(move |was: Option<()>| {
        filter.track();
        arrangement.track();
        if was.is_some()
            && let Some(el) = list.get_untracked()
        {
            el.set_scroll_top(0);
            scroll_top.set(0.0);
        }
    });
    // Scroll a task just added (or asked for) into view.
    let reveal = ctx.reveal;
    Effect::new(move |_| {
        let Some(id) = reveal.get() else { return };
        let Some(index) = rows.with(|r| r.iter().position(|row| *row == Line::Task(id))) else { return };
        if let Some(el) = list.get_untracked() {
            let top = index as f64 * ROW_PX;
            let height = f64::from(el.client_height());
            let current = f64::from(el.scroll_top());
            if top < current || top + ROW_PX > current + height {
                el.set_scroll_top((top - height + 2.0 * ROW_PX).max(0.0) as i32);
                scroll_top.set(f64::from(el.scroll_top()));
            }
        }
    });
    let any = move || all_rows.with(|r| !r.is_empty());
    let t_columns = move |i: usize| move || t().columns[i];
    view! {
        <Show when=any fallback=move || view! { <p class="empty">{move || t().no_tasks}</p> }>
            <FilterBar filter=filter arrangement=Some(arrangement)/>
            <Show when=move || filter.with(|f| *f != TaskFilter::default())>
                <p class="muted" data-testid="filter-count">{move || (t().shown_of)(shown_tasks.get(), len.get())}</p>
            </Show>
            <BulkBar selection=selection/>
            <div class="task task-columns" data-testid="task-columns">
                <input type="checkbox" class="select" data-testid="select-all" title=move || t().select_all
                    prop:checked=all_selected on:change=move |_| {
                        let shown = shown_ids();
                        if all_selected() {
                            selection.0.update(|s| s.retain(|id| !shown.contains(id)));
                        } else {
                            selection.0.update(|s| s.extend(shown));
                        }
                    }/>
                <span class="check"></span>
                <span class="rag"></span>
                <span class="title">{t_columns(0)}</span>
                <span class="people">{t_columns(1)}</span>
                <span class="day">{t_columns(2)}</span>
                <span class="day">{t_columns(3)}</span>
                <span class="num">{t_columns(4)}</span>
                <span class="num">{t_columns(5)}</span>
                <span class="state">{t_columns(6)}</span>
                <span class="actions"></span>
            </div>
            <div
                class="task-scroll"
                data-testid="tasks"
                data-count=move || len.get().to_string()
                data-shown=move || shown_tasks.get().to_string()
                node_ref=list
                on:scroll=move |_| {
                    if let Some(el) = list.get_untracked() {
                        scroll_top.set(f64::from(el.scroll_top()));
                    }
                }
            >
                <div class="task-spacer" style:height=move || format!("{}px", row_count.get() as f64 * ROW_PX)>
                    <ul class="tasks" style:transform=move || format!("translateY({}px)", range.get().0 as f64 * ROW_PX)>
                        <For each=move || visible.get() key=|row| row.clone() let:row>
                            {match row {
                                Line::Task(id) => view! { <TaskRow id=id workspace=workspace/> }.into_any(),
                                Line::Heading(Heading::Phase(phase)) => view! { <PhaseRow phase=phase/> }.into_any(),
                                Line::Heading(heading) => view! { <GroupRow heading=heading lines=rows/> }.into_any(),
                                Line::Milestone(id) => view! { <MilestoneRow id=id/> }.into_any(),
                            }}
                        </For>
                    </ul>
                </div>
            </div>
        </Show>
    }
}
