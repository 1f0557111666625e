mod approval;
mod attachments;
mod checklist;
mod comments;
mod dependencies;
mod description;
mod details;
mod history;
mod time_entries;

use std::sync::Arc;

use launchplan_shared::domain::commands::TaskField;
use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{Command, Date, Status, TaskEntry};
use launchplan_shared::{DocumentId, TaskId};
use leptos::prelude::*;

use crate::contexts::{PresenceCtx, ProjectCtx, ProjectRoute, Route, navigate, use_strings};

/// The task the drawer shows, for its sections.
#[derive(Clone, Copy)]
pub(crate) struct DrawerTask {
    pub(crate) id: TaskId,
    pub(crate) entry: Memo<Option<Arc<TaskEntry>>>,
}

impl DrawerTask {
    /// Reads the task, if it is (still) there.
    pub(crate) fn with<R>(&self, read: impl FnOnce(&launchplan_shared::domain::Task) -> R) -> Option<R> {
        self.entry.with(|e| e.as_ref().map(|e| read(&e.task)))
    }
}

/// The open task, beside the list; its link opens it for anyone.
#[component]
pub(crate) fn TaskDrawer(task: TaskId, workspace: Option<DocumentId>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let presence = expect_context::<PresenceCtx>();
    let doc = ctx.doc;
    let list = Route::Project(ProjectRoute { workspace, doc, task: None });
    let close_href = list.href();
    // The task may arrive later (a link opened before the plan synced) or go (deleted).
    let order = ctx.order;
    let entry = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            order.track();
            ctx.task(task).map(|signal| signal.get())
        })
    };
    let viewers = Memo::new(move |_| {
        presence
            .present(doc)
            .into_iter()
            .filter(|(_, p)| p.task == Some(task))
            .map(|(_, p)| p.name)
            .collect::<Vec<_>>()
    });
    let schedule = ctx.schedule;
    let planned = move || schedule.with(|s| s.as_ref().and_then(|s| s.tasks.get(&task).copied()));
    let title_draft = RwSignal::new(String::new());
    // The field follows the title when the title changes (not when another field does, which
    // would throw away what is being typed).
    let title = Memo::new(move |_| entry.with(|e| e.as_ref().map(|e| e.task.title.clone())));
    Effect::new(move |_| {
        if let Some(title) = title.get() {
            title_draft.set(title);
        }
    });
    let dispatch = {
        let ctx = ctx.clone();
        move |command: Command| ctx.dispatch(command)
    };
    let rename = {
        let dispatch = dispatch.clone();
        move || {
            let title = title_draft.get_untracked();
            if entry.with_untracked(|e| e.as_ref().is_some_and(|e| e.task.title != title)) {
                dispatch(Command::RenameTask { id: task, title });
            }
        }
    };
    let set_dates = {
        let dispatch = dispatch.clone();
        move |start: Option<Date>, due: Option<Date>| dispatch(Command::SetDates { id: task, start, due })
    };
    // A new start moves the task (keeping its length) and, when the plan says so, what waits
    // for it; the list then says what moved.
    let move_start = {
        let (ctx, set_dates) = (ctx.clone(), set_dates.clone());
        move |start: Option<Date>, due: Option<Date>| match start {
            Some(start) => ctx.move_task(task, start),
            None => set_dates(None, due),
        }
    };
    let delete = {
        let (ctx, list) = (ctx.clone(), list.clone());
        move |_| {
            if ctx.dispatch(Command::DeleteTask { id: task }) {
                navigate(&list);
            }
        }
    };

    let present = Memo::new(move |_| entry.with(Option::is_some));
    let here = DrawerTask { id: task, entry };
    provide_context(here);
    let dates = move || here.with(|t| (t.start, t.due)).unwrap_or_default();
    let due_time = move || here.with(|t| t.due_time.clone()).flatten();
    let status_is = move |s: &Status| here.with(|t| t.status == *s).unwrap_or(false);
    let problems = move || entry.with(|e| e.as_ref().map(|e| e.problems.clone()).unwrap_or_default());
    let conflicts = move || entry.with(|e| e.as_ref().map(|e| e.conflicts.clone()).unwrap_or_default());

    view! {
        <aside class="drawer" data-testid="task-drawer" data-task-id=task.to_string()>
            <a class="close" data-testid="close-drawer" href=close_href.clone()>{move || t().close}" ×"</a>
            <Show when=move || present.get() fallback=move || view! { <p class="notice">{move || t().opening}</p> }>
                {
                    let (rename, rename_on_enter) = (rename.clone(), rename.clone());
                    let dispatch_status = dispatch.clone();
                    let dispatch_keep = dispatch.clone();
                    let (set_start, set_due) = (move_start.clone(), set_dates.clone());
                    let set_time = dispatch.clone();
                    view! {
                        <input
                            class="drawer-title"
                            type="text"
                            maxlength="500"
                            data-testid="drawer-title"
                            disabled=move || !may(Part::Content)
                            prop:value=move || title_draft.get()
                            on:input=move |ev| title_draft.set(event_target_value(&ev))
                            on:change=move |_| rename()
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" && !ev.is_composing() { rename_on_enter() }
                        />
                        <div class="drawer-grid">
                            <label class="field">
                                {move || t().status}
                                <select data-testid="drawer-status" disabled=move || !may(Part::Progress) on:change=move |ev| {
                                    let select = event_target::<web_sys::HtmlSelectElement>(&ev);
                                    let status = Status::from_key(&select.value());
                                    // Refused (awaiting approval): the field shows the status as it is.
                                    if !dispatch_status(Command::SetStatus { id: task, status, at: js_sys::Date::now() as i64 }) {
                                        let now = here.with(|t| t.status.key().to_owned()).unwrap_or_default();
                                        select.set_value(&now);
                                    }
                                }>
                                    {Status::DEFAULTS.iter().map(|s| {
                                        let (key, s) = (s.key().to_owned(), s.clone());
                                        let selected = { let s = s.clone(); move || status_is(&s) };
                                        view! { <option value=key selected=selected>{move || t().status(&s)}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class="field">
                                {move || t().start}
                                <input type="date" data-testid="drawer-start" disabled=move || !may(Part::Schedule) prop:value=move || dates().0.map(|d| d.to_string()).unwrap_or_default()
                                    on:change=move |ev| {
                                        // Refused (after the due date): the field shows the date as it is.
                                        if !set_start(event_target_value(&ev).parse().ok(), dates().1) {
                                            event_target::<web_sys::HtmlInputElement>(&ev).set_value(&dates().0.map(|d| d.to_string()).unwrap_or_default());
                                        }
                                    }/>
                            </label>
                            <label class="field">
                                {move || t().due}
                                <input type="date" data-testid="drawer-due" disabled=move || !may(Part::Schedule) prop:value=move || dates().1.map(|d| d.to_string()).unwrap_or_default()
                                    on:change=move |ev| {
                                        if !set_due(dates().0, event_target_value(&ev).parse().ok()) {
                                            event_target::<web_sys::HtmlInputElement>(&ev).set_value(&dates().1.map(|d| d.to_string()).unwrap_or_default());
                                        }
                                    }/>
                            </label>
                            <label class="field">
                                {move || t().due_time}
                                <input type="time" data-testid="drawer-due-time"
                                    disabled=move || !may(Part::Schedule) || dates().1.is_none()
                                    prop:value=move || due_time().unwrap_or_default()
                                    on:change=move |ev| {
                                        let typed = event_target_value(&ev);
                                        let time = (!typed.is_empty()).then_some(typed);
                                        if !set_time(Command::SetField { id: task, field: TaskField::DueTime(time) }) {
                                            event_target::<web_sys::HtmlInputElement>(&ev).set_value(&due_time().unwrap_or_default());
                                        }
                                    }/>
                            </label>
                        </div>
                        {move || planned().map(|p| view! {
                            <p class="planned" data-testid="drawer-planned">
                                {move || t().planned}": "{p.start.to_string()}" → "{p.finish.to_string()}
                                {p.critical.then(|| view! { <span class="badge critical">{move || t().critical}</span> })}
                            </p>
                        })}
                        {move || {
                            let problems = problems();
                            (!problems.is_empty()).then(|| view! {
                                <div class="notice warning" data-testid="task-problems">
                                    <strong>{move || t().unreadable_field}</strong>
                                    <ul>{problems.into_iter().map(|p| view! {
                                        <li data-testid="task-problem-field"><code>{p.field.rsplit('/').next().unwrap_or("").to_owned()}</code>": "{p.reason.clone()}</li>
                                    }).collect_view()}</ul>
                                    <p class="muted">{move || t().unreadable_help}</p>
                                </div>
                            })
                        }}
                        {move || conflicts().into_iter().map(|c| {
                            let dispatch = dispatch_keep.clone();
                            view! {
                                <div class="conflict" data-testid="conflict">
                                    <strong>{move || t().conflict}</strong>" "{move || t().conflict_help}
                                    {c.values.iter().map(|value| {
                                        let dispatch = dispatch.clone();
                                        let field = c.field.clone();
                                        let shown = if field == "status" { t().status(&Status::from_key(value)) } else { value.clone() };
                                        let pick = value.clone();
                                        view! {
                                            <button data-testid="keep-value" data-value=value.clone() on:click=move |_| {
                                                let command = if field == "status" {
                                                    Command::SetStatus { id: task, status: Status::from_key(&pick), at: js_sys::Date::now() as i64 }
                                                } else {
                                                    Command::RenameTask { id: task, title: pick.clone() }
                                                };
                                                dispatch(command);
                                            }>
                                                {move || t().keep}" 「"{shown.clone()}"」"
                                            </button>
                                        }
                                    }).collect_view()}
                                </div>
                            }
                        }).collect_view()}
                        <details::Details/>
                        <description::Description/>
                        <checklist::Checklist/>
                        <time_entries::TimeEntries/>
                        <dependencies::Dependencies/>
                        <approval::ApprovalSection/>
                        <attachments::Attachments/>
                        <comments::Comments/>
                        <history::History/>
                        <Show when=move || viewers.with(|v| !v.is_empty())>
                            <p class="viewers">{move || viewers.get().join("、")}" "{move || t().is_open_by}</p>
                        </Show>
                        <button class="delete" data-testid="drawer-delete" disabled=move || !may(Part::Structure) on:click=delete.clone()>{move || t().delete}</button>
                    }
                }
            </Show>
        </aside>
    }
}
