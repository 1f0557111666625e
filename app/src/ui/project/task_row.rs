use launchplan_shared::domain::permissions::Part;
use std::sync::Arc;

use launchplan_shared::domain::{Command, Date, ProjectMeta, Status, Task, TaskEntry};
use launchplan_shared::plan::{Rag, ScheduledTask, task_status};
use launchplan_shared::{DocumentId, TaskId};
use leptos::prelude::*;

use super::bulk_bar::Selection;
use crate::contexts::{
    LocaleCtx, PresenceCtx, ProjectCtx, ProjectRoute, Route, WorkspaceCtx, members_by_name, use_strings,
};
use crate::i18n::Locale;

/// Whether planned dates mean something for `task`: the plan has a start or launch day, or
/// the task has dates, a duration or something to wait for.
pub(crate) fn is_scheduled(meta: Option<&ProjectMeta>, task: &Task) -> bool {
    meta.is_some_and(|m| m.start.is_some() || m.launch.is_some())
        || task.start.is_some()
        || task.due.is_some()
        || task.duration_days.is_some()
        || !task.depends_on.is_empty()
}

/// Where the schedule places task `id`, when planned dates mean something for it (see
/// [`is_scheduled`]).
pub(crate) fn planned_of(
    ctx: &ProjectCtx,
    id: TaskId,
    entry: ArcRwSignal<Arc<TaskEntry>>,
) -> Memo<Option<ScheduledTask>> {
    let (schedule, meta) = (ctx.schedule, ctx.meta);
    Memo::new(move |_| {
        let scheduled = meta.with(|m| entry.with(|e| is_scheduled(m.as_ref(), &e.task)));
        if scheduled { schedule.with(|s| s.as_ref()?.tasks.get(&id).copied()) } else { None }
    })
}

/// A task's red, amber or green (its CSS class) and why, judged as of today against the
/// workspace's rules, in the person's language.
pub(crate) fn rag_of(
    ctx: &ProjectCtx,
    entry: ArcRwSignal<Arc<TaskEntry>>,
    planned: Memo<Option<ScheduledTask>>,
) -> Memo<(&'static str, String)> {
    let locale = expect_context::<LocaleCtx>().0;
    let (rules, history) = (ctx.rules, ctx.history);
    let today = crate::contexts::today();
    Memo::new(move |_| {
        let p = planned.get();
        let status =
            entry.with(|e| rules.with(|r| history.with(|h| task_status(&e.task, p.as_ref(), today, r, h))));
        (rag_class(status.rag), status.reason.describe(locale.get() == Locale::ZhCn))
    })
}

/// The CSS class (and `data-rag` value) of a red, amber or green.
pub(crate) fn rag_class(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "green",
        Rag::Amber => "amber",
        Rag::Red => "red",
    }
}

/// Which cell of a row is edited in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    People,
    Start,
    Finish,
}

/// Focuses a `<select>` as soon as it is in the page.
fn focus_select() -> NodeRef<leptos::html::Select> {
    let field = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        if let Some(select) = field.get() {
            let _ = select.focus();
        }
    });
    field
}

/// One task in the list: select it, complete it, rename it in place, change its status, who
/// does it and its dates in place, open it.
#[component]
pub(crate) fn TaskRow(id: TaskId, workspace: Option<DocumentId>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let presence = expect_context::<PresenceCtx>();
    let Some(entry) = ctx.task(id) else { return ().into_any() };
    let doc = ctx.doc;
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    // Which cell is being edited in place, besides the title.
    let cell = RwSignal::new(None::<Cell>);
    let selection = use_context::<Selection>();
    let title = {
        let entry = entry.clone();
        move || entry.with(|e| e.task.title.clone())
    };
    let done = {
        let entry = entry.clone();
        move || entry.with(|e| e.task.status.is_done())
    };
    let status = {
        let entry = entry.clone();
        move || entry.with(|e| e.task.status.clone())
    };
    let conflicted = {
        let entry = entry.clone();
        move || entry.with(|e| !e.conflicts.is_empty())
    };
    let unreadable = {
        let entry = entry.clone();
        move || {
            entry.with(|e| {
                e.problems
                    .iter()
                    .map(|p| p.field.rsplit('/').next().unwrap_or("").to_owned())
                    .collect::<Vec<_>>()
            })
        }
    };
    let (schedule, meta) = (ctx.schedule, ctx.meta);
    let scheduled = {
        let entry = entry.clone();
        move || meta.with(|m| entry.with(|e| is_scheduled(m.as_ref(), &e.task)))
    };
    let planned = Memo::new({
        let scheduled = scheduled.clone();
        move |_| if scheduled() { schedule.with(|s| s.as_ref()?.tasks.get(&id).copied()) } else { None }
    });
    let short = |day: Date| {
        let (_, m, d) = day.ymd();
        format!("{m}/{d}")
    };
    let duration = {
        let entry = entry.clone();
        move || {
            entry.with(|e| {
                e.task
                    .duration_days
                    .or(planned.get().map(|p| (p.finish.days() - p.start.days() + 1).max(0) as u32))
            })
        }
    };
    let rag = rag_of(&ctx, entry.clone(), planned);
    let workspace_data = expect_context::<WorkspaceCtx>().workspace;
    let assignees = {
        let entry = entry.clone();
        move || {
            let ids = entry.with(|e| e.task.assignees.clone());
            if ids.is_empty() {
                return String::new();
            }
            workspace_data.with(|w| {
                ids.iter()
                    .map(|id| {
                        w.as_ref().and_then(|w| w.members.get(id)).map_or("?".to_owned(), |m| m.name.clone())
                    })
                    .collect::<Vec<_>>()
                    .join("、")
            })
        }
    };
    let viewers = {
        let presence = presence.clone();
        Memo::new(move |_| {
            presence
                .present(doc)
                .into_iter()
                .filter(|(_, p)| p.task == Some(id))
                .map(|(_, p)| p.name)
                .collect::<Vec<_>>()
        })
    };
    // Others see which task we have open: the one being renamed.
    {
        let presence = presence.clone();
        let route = expect_context::<RwSignal<Route>>();
        Effect::new(move |was: Option<bool>| {
            let now = editing.get();
            if was.is_some_and(|was| was != now) {
                let open = match route.get_untracked() {
                    Route::Project(p) => p.task,
                    _ => None,
                };
                presence.set_viewing(Some((doc, if now { Some(id) } else { open })));
            }
            now
        });
    }
    let drawer = Route::Project(ProjectRoute { workspace, doc, task: Some(id) }).href();
    let drawer_badge = drawer.clone();
    let set_status = {
        let ctx = ctx.clone();
        move |status: Status| ctx.dispatch(Command::SetStatus { id, status, at: js_sys::Date::now() as i64 })
    };
    let save = {
        let ctx = ctx.clone();
        move || {
            if ctx.dispatch(Command::RenameTask { id, title: draft.get_untracked() }) {
                editing.set(false);
            }
        }
    };
    let start_editing = {
        let title = title.clone();
        move || {
            draft.set(title());
            editing.set(true);
        }
    };
    let toggle = {
        let (set_status, done) = (set_status.clone(), done.clone());
        // Refused (a task awaiting approval): the box shows the task as it is.
        move |ev: leptos::ev::Event| {
            if !set_status(if done() { Status::Todo } else { Status::Done }) {
                event_target::<web_sys::HtmlInputElement>(&ev).set_checked(done());
            }
        }
    };
    let delete = {
        let ctx = ctx.clone();
        move |_| {
            ctx.dispatch(Command::DeleteTask { id });
        }
    };

    let people = members_by_name(workspace_data);
    let assigned_one = {
        let entry = entry.clone();
        move || {
            entry.with_untracked(|e| match e.task.assignees.as_slice() {
                [one] => Some(*one),
                _ => None,
            })
        }
    };
    let assign = {
        let ctx = ctx.clone();
        move |value: String| {
            let members = match value.as_str() {
                "keep" => return,
                "none" => Vec::new(),
                id => match id.parse() {
                    Ok(member) => vec![member],
                    Err(_) => return,
                },
            };
            ctx.dispatch(Command::Assign { id, members });
        }
    };
    // A planned day, shown as m/d; clicked, a date field: a new start moves the task (and
    // what waits for it, when the plan says so), a new finish sets its due date.
    let date_cell = {
        let (ctx, entry) = (ctx.clone(), entry.clone());
        move |which: Cell, testid: &'static str| {
            let (ctx, entry) = (ctx.clone(), entry.clone());
            let day = move || planned.get().map(|p| if which == Cell::Start { p.start } else { p.finish });
            move || {
                if cell.get() == Some(which) {
                    let (ctx, entry) = (ctx.clone(), entry.clone());
                    view! {
                        <input type="date" class="day inline" data-testid="row-date" node_ref=crate::ui::focus::focused_field()
                            prop:value=day().map(|d| d.to_string()).unwrap_or_default()
                            on:change=move |ev| {
                                if let Ok(date) = event_target_value(&ev).parse::<Date>() {
                                    if which == Cell::Start {
                                        ctx.move_task(id, date);
                                    } else {
                                        let start = entry.with_untracked(|e| e.task.start);
                                        ctx.dispatch(Command::SetDates { id, start, due: Some(date) });
                                    }
                                }
                                cell.set(None);
                            }
                            on:blur=move |_| cell.set(None)
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { cell.set(None) }/>
                    }.into_any()
                } else {
                    view! {
                        <button class="day cell" data-testid=testid title=move || t().planned_click
                            disabled=move || !may(Part::Schedule) on:click=move |_| cell.set(Some(which))>{move || day().map(short)}</button>
                    }
                    .into_any()
                }
            }
        }
    };

    view! {
        <li class="task" class:done=done.clone() class:conflicted=conflicted.clone() data-testid="task-row" data-task-id=id.to_string()>
            {selection.map(|selection| view! {
                <input type="checkbox" class="select" data-testid="task-select" title=move || t().select
                    prop:checked=move || selection.has(id) on:change=move |_| selection.toggle(id)/>
            })}
            <input type="checkbox" data-testid="task-done" title=move || t().mark_done disabled=move || !may(Part::Progress) prop:checked=done.clone() on:change=toggle/>
            <span class=move || format!("rag {}", rag.get().0) data-testid="task-rag" data-rag=move || rag.get().0 title=move || rag.get().1></span>
            {move || if editing.get() {
                let save = save.clone();
                let save_on_enter = save.clone();
                let field = crate::ui::focus::focused_field();
                view! {
                    <form class="rename" on:submit=move |ev| { ev.prevent_default(); save(); }>
                        <input
                            type="text"
                            data-testid="task-edit-input"
                            maxlength="500"
                            node_ref=field
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Escape" {
                                    editing.set(false);
                                } else if ev.key() == "Enter" && !ev.is_composing() {
                                    ev.prevent_default();
                                    save_on_enter();
                                }
                            }
                        />
                        <button type="submit" data-testid="task-save">{move || t().save}</button>
                        <button type="button" on:click=move |_| editing.set(false)>{move || t().cancel}</button>
                    </form>
                }.into_any()
            } else {
                let start_editing = start_editing.clone();
                view! {
                    <button class="title" data-testid="task-title" title=move || t().rename disabled=move || !may(Part::Content) on:click=move |_| start_editing()>
                        {title.clone()}
                    </button>
                }.into_any()
            }}
            {
                let unreadable = unreadable.clone();
                move || {
                    let fields = unreadable();
                    (!fields.is_empty()).then(|| view! {
                        <span class="badge warning" data-testid="task-problem" title=move || t().unreadable_help>
                            "⚠ "{fields.join(", ")}
                        </span>
                    })
                }
            }
            <Show when=conflicted.clone()>
                <a class="badge conflict" data-testid="conflict-badge" href=drawer_badge.clone()>{move || t().conflict}</a>
            </Show>
            <Show when=move || viewers.with(|v| !v.is_empty())>
                <span class="viewers" data-testid="task-viewers" title=move || t().is_open_by>
                    {move || viewers.get().join("、")}
                </span>
            </Show>
            {
                let (assignees, assign) = (assignees.clone(), assign.clone());
                move || if cell.get() == Some(Cell::People) {
                    let assign = assign.clone();
                    let current = assigned_one();
                    view! {
                        <select class="people inline" data-testid="row-assignee" node_ref=focus_select()
                            on:change=move |ev| { assign(event_target_value(&ev)); cell.set(None); }
                            on:blur=move |_| cell.set(None)
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { cell.set(None) }>
                            <option value="keep" selected=current.is_none()>{assignees()}</option>
                            <option value="none">{move || t().nobody}</option>
                            {people.get_untracked().into_iter().map(|(member, name)| view! {
                                <option value=member.to_string() selected=current == Some(member)>{name}</option>
                            }).collect_view()}
                        </select>
                    }.into_any()
                } else {
                    let assignees = assignees.clone();
                    view! {
                        <button class="people cell" data-testid="task-assignees" title=move || t().set_assignee
                            disabled=move || !may(Part::People) on:click=move |_| cell.set(Some(Cell::People))>{assignees.clone()}</button>
                    }.into_any()
                }
            }
            {date_cell(Cell::Start, "task-start")}
            {date_cell(Cell::Finish, "task-finish")}
            <span class="num" data-testid="task-duration">{move || duration().map(|d| (t().working_days)(d as i32))}</span>
            <span class="num" data-testid="task-slack" title=move || planned.get().map(|p| (t().slack_help)(p.slack_days))>
                {move || planned.get().map(|p| (t().working_days)(p.slack_days))}
            </span>
            <span class="critical-mark" data-testid="task-critical" title=move || t().critical>
                {move || planned.get().is_some_and(|p| p.critical).then_some("◆")}
            </span>
            <select
                data-testid="task-status"
                aria-label=move || t().status
                disabled=move || !may(Part::Progress)
                on:change={
                    let (set_status, status) = (set_status.clone(), status.clone());
                    move |ev: leptos::ev::Event| {
                        let select = event_target::<web_sys::HtmlSelectElement>(&ev);
                        if !set_status(Status::from_key(&select.value())) {
                            select.set_value(status().key());
                        }
                    }
                }
            >
                {Status::DEFAULTS
                    .iter()
                    .map(|s| {
                        let s = s.clone();
                        let key = s.key().to_owned();
                        let selected = {
                            let (s, status) = (s.clone(), status.clone());
                            move || status() == s
                        };
                        view! { <option value=key selected=selected>{move || t().status(&s)}</option> }
                    })
                    .collect_view()}
            </select>
            <a class="open" data-testid="task-open" href=drawer.clone()>{move || t().details}</a>
            <button class="delete" data-testid="task-delete" disabled=move || !may(Part::Structure) on:click=delete>{move || t().delete}</button>
        </li>
    }
    .into_any()
}
