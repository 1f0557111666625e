//! The workspace's workload: a heat map of every member's planned hours by day across all
//! of its plans (`plan::workload::heat`, from what the inbox already keeps open and reads),
//! each day against the hours the person can give. A day picked lists the tasks behind it;
//! a task dragged onto another member's row (pointer events, so it works with a mouse, a
//! pen or a finger) or given with the select beside it goes to that member, in its plan.

use launchplan_shared::domain::Date;
use launchplan_shared::domain::WorkspaceCommand;
use launchplan_shared::domain::commands;
use launchplan_shared::domain::permissions::Part;
use launchplan_shared::plan::workload::{HeatRow, heat};
use launchplan_shared::{DocumentId, MemberId, TaskId};
use leptos::prelude::*;

use crate::contexts::{Errors, InboxCtx, ProjectRoute, RepoCtx, Route, WorkspaceCtx, today, use_strings};

/// Days shown at once: two weeks from a Monday.
const DAYS: i32 = 14;

/// A task being dragged to another member: its plan, itself, and whom it is taken from.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dragged {
    doc: DocumentId,
    task: TaskId,
    from: MemberId,
}

#[component]
pub(crate) fn WorkloadPage() -> impl IntoView {
    let t = use_strings();
    let inbox = expect_context::<InboxCtx>();
    let workspace = expect_context::<WorkspaceCtx>();
    let data = workspace.workspace;
    // The Monday of the first week shown.
    let monday = today().add_days(-(today().weekday() as i32));
    let first = RwSignal::new(monday);
    let days = Memo::new(move |_| (0..DAYS).map(|i| first.get().add_days(i)).collect::<Vec<Date>>());
    let plans = inbox.plans;
    let rows = Memo::new(move |_| {
        let days = days.get();
        plans.with(|plans| {
            data.with(|w| {
                let Some(w) = w else { return Vec::new() };
                let booked: Vec<(DocumentId, &[_])> =
                    plans.iter().map(|(doc, p)| (*doc, p.bookings.as_slice())).collect();
                heat(&booked, &w.members, &days)
            })
        })
    });
    let picked = RwSignal::new(None::<(MemberId, usize)>);
    let dragged = RwSignal::new(None::<Dragged>);
    let may_assign = {
        let workspace = workspace.clone();
        Memo::new(move |_| workspace.may(Part::People))
    };
    let may_team = {
        let workspace = workspace.clone();
        Memo::new(move |_| workspace.may(Part::Team))
    };
    // A drag let go anywhere but on a row ends there.
    let handle = window_event_listener(leptos::ev::pointerup, move |_| {
        set_timeout(move || dragged.set(None), std::time::Duration::from_millis(0));
    });
    on_cleanup(move || handle.remove());
    let week = move |weeks: i32| move |_| first.update(|d| *d = d.add_days(7 * weeks));
    view! {
        <section class="workload" data-testid="workload">
            <h1>{move || t().workload.title}</h1>
            <p class="muted">{move || t().workload.intro}</p>
            <nav class="workload-nav">
                <button type="button" data-testid="workload-earlier" on:click=week(-1)>{move || t().workload.earlier}</button>
                <button type="button" on:click=move |_| first.set(monday)>{move || t().workload.this_week}</button>
                <button type="button" data-testid="workload-later" on:click=week(1)>{move || t().workload.later}</button>
            </nav>
            <Show when=move || rows.with(|r| !r.is_empty())
                fallback=move || view! { <p class="muted">{move || t().workload.no_members}</p> }>
                <div class="heat-scroll">
                    <table class="heat" data-testid="heat-map" class:dragging=move || dragged.get().is_some()>
                        <thead><tr>
                            <th>{move || t().workload.member}</th>
                            {move || days.get().into_iter().map(|d| {
                                let (_, m, day) = d.ymd();
                                let weekend = d.weekday() >= 5;
                                view! {
                                    <th class:weekend=weekend>
                                        {format!("{m}/{day}")}<br/>
                                        <span class="muted">{move || t().workload.weekdays[d.weekday() as usize]}</span>
                                    </th>
                                }
                            }).collect_view()}
                        </tr></thead>
                        <tbody>
                            <For each=move || rows.get() key=|row| format!("{row:?}") let(row)>
                                <HeatRowView row=row days=days picked=picked dragged=dragged
                                    may_assign=may_assign may_team=may_team/>
                            </For>
                        </tbody>
                    </table>
                </div>
                <DayTasks rows=rows days=days picked=picked dragged=dragged may_assign=may_assign/>
            </Show>
        </section>
    }
}

/// Gives task `task` of plan `doc` to `to` instead of `from`, in its plan.
fn reassign(dragged: Dragged, to: MemberId) {
    if dragged.from == to {
        return;
    }
    let repo = expect_context::<RepoCtx>();
    let errors = expect_context::<Errors>();
    // Its assignees as the plan has them now, not as last shown.
    let now = repo.with_doc(dragged.doc, |am| {
        use automerge::{ObjType, ROOT, ReadDoc, Value};
        let object = |obj: &automerge::ObjId, key: &str| match am.get(obj, key) {
            Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
            _ => None,
        };
        let key = dragged.task.to_string();
        let task = object(&object(&ROOT, "tasks")?, &key)?;
        launchplan_shared::domain::read::read_task_at(am, &key, &task).ok().map(|t| t.task.assignees)
    });
    let Some(Some(now)) = now else { return };
    let mut members: Vec<MemberId> = now.into_iter().filter(|m| *m != dragged.from && *m != to).collect();
    members.push(to);
    if let Some(Err(e)) = repo.change(dragged.doc, |tx| commands::assign(tx, dragged.task, &members)) {
        errors.report(e);
    }
}

#[component]
fn HeatRowView(
    row: HeatRow,
    days: Memo<Vec<Date>>,
    picked: RwSignal<Option<(MemberId, usize)>>,
    dragged: RwSignal<Option<Dragged>>,
    may_assign: Memo<bool>,
    may_team: Memo<bool>,
) -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let member = row.member;
    let capacity = row.capacity;
    let over: Vec<usize> = row.over().collect();
    let over_days = over.len();
    let drop = move |_| {
        if let Some(d) = dragged.get_untracked()
            && may_assign.get_untracked()
        {
            dragged.set(None);
            reassign(d, member);
        }
    };
    let set_capacity = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        match typed.trim().parse::<f64>() {
            Ok(hours) if workspace.dispatch(WorkspaceCommand::SetCapacity { id: member, hours }) => {}
            _ => {
                // Refused (said why) or not a number: the field shows the hours as they are.
                event_target::<web_sys::HtmlInputElement>(&ev).set_value(&capacity.to_string());
            }
        }
    };
    view! {
        <tr data-testid="heat-row" data-member=member.to_string() data-over-days=over_days
            class:drop-target=move || dragged.get().is_some_and(|d| d.from != member)
            on:pointerup=drop>
            <th scope="row">
                <span class="heat-name">{row.name.clone()}</span>
                <label class="capacity">
                    <input type="number" min="0.5" max="24" step="0.5" data-testid="capacity-input"
                        value=capacity.to_string() disabled=move || !may_team.get()
                        aria-label=move || t().workload.capacity_label on:change=set_capacity/>
                    <span class="muted">{move || t().workload.per_day}</span>
                </label>
                {(over_days > 0).then(|| view! {
                    <span class="over-days">{move || (t().workload.over_days)(over_days)}</span>
                })}
            </th>
            {row.cells.into_iter().enumerate().map(|(i, cell)| {
                let over = cell.hours > capacity + 1e-9;
                let level = if cell.hours <= 0.0 { 0 } else if over { 3 } else if cell.hours > capacity * 0.75 { 2 } else { 1 };
                let hours = cell.hours;
                let day = move || days.with(|d| d.get(i).map(|d| d.to_string()).unwrap_or_default());
                view! {
                    <td data-testid="heat-cell" data-date=day data-hours=format!("{hours:.1}")
                        data-over=over.to_string() class=format!("level-{level}") class:over=over
                        class:picked=move || picked.get() == Some((member, i))
                        title=move || (t().workload.cell)(hours, capacity)>
                        <button type="button" class="cell-button" on:click=move |_| picked.set(Some((member, i)))
                            aria-label=move || (t().workload.cell)(hours, capacity)>
                            {(hours > 0.0).then(|| format!("{hours:.1}"))}
                        </button>
                    </td>
                }
            }).collect_view()}
        </tr>
    }
}

/// The tasks behind the day picked, each one to drag to someone else or give with a select.
#[component]
fn DayTasks(
    rows: Memo<Vec<HeatRow>>,
    days: Memo<Vec<Date>>,
    picked: RwSignal<Option<(MemberId, usize)>>,
    dragged: RwSignal<Option<Dragged>>,
    may_assign: Memo<bool>,
) -> impl IntoView {
    let t = use_strings();
    let inbox = expect_context::<InboxCtx>();
    let workspace = expect_context::<WorkspaceCtx>().doc;
    move || {
        let Some((member, at)) = picked.get() else {
            return view! { <p class="muted">{move || t().workload.pick_cell}</p> }.into_any();
        };
        let rows = rows.get();
        let Some(row) = rows.iter().find(|r| r.member == member) else { return ().into_any() };
        let Some(cell) = row.cells.get(at).cloned() else { return ().into_any() };
        let day = days.with(|d| d.get(at).map(|d| d.to_string()).unwrap_or_default());
        let others: Vec<(MemberId, String)> =
            rows.iter().filter(|r| r.member != member).map(|r| (r.member, r.name.clone())).collect();
        let heading = (t().workload.day_of)(&row.name, &day, cell.hours, row.capacity);
        let empty = cell.tasks.is_empty();
        view! {
            <section class="day-tasks" data-testid="day-tasks" data-member=member.to_string() data-date=day>
                <h2>{heading}</h2>
                {empty.then(|| view! { <p class="muted">{move || t().workload.no_tasks}</p> })}
                {(!empty && may_assign.get()).then(|| view! { <p class="muted">{move || t().workload.drag_hint}</p> })}
                <ul class="entries">
                    {cell.tasks.into_iter().map(|(doc, task, title, hours)| {
                        let plan = inbox.plans.with_untracked(|p| p.get(&doc).map(|p| p.name.clone()).unwrap_or_default());
                        let href = Route::Project(ProjectRoute { workspace: Some(workspace), doc, task: Some(task) }).href();
                        let me = Dragged { doc, task, from: member };
                        let others = others.clone();
                        view! {
                            <li class="heat-task" data-testid="heat-task" data-task=task.to_string()
                                class:lifted=move || dragged.get() == Some(me)
                                on:pointerdown=move |ev| {
                                    if may_assign.get_untracked() && ev.button() == 0 {
                                        ev.prevent_default();
                                        dragged.set(Some(me));
                                    }
                                }>
                                <span class="grip" aria-hidden="true">"⠿"</span>
                                <a href=href draggable="false">{title}</a>
                                " "<span class="muted">{plan}" · "{format!("{hours:.1} h")}</span>
                                <Show when=move || may_assign.get()>
                                    <select data-testid="reassign-select" aria-label=move || t().workload.move_to
                                        on:pointerdown=|ev| ev.stop_propagation()
                                        on:change={
                                            let value = move |ev: &leptos::ev::Event| event_target_value(ev).parse::<MemberId>().ok();
                                            move |ev| if let Some(to) = value(&ev) { reassign(me, to) }
                                        }>
                                        <option value="" selected>{move || t().workload.move_to}"…"</option>
                                        {others.iter().map(|(id, name)| view! {
                                            <option value=id.to_string()>{name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </Show>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    }
}
