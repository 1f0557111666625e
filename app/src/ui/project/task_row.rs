use launchplan_shared::domain::{FieldConflict, Project, Status, commands};
use launchplan_shared::{DocumentId, TaskId};
use leptos::prelude::*;

use crate::contexts::{SyncCtx, use_strings};

/// One task: complete it, rename it in place, change its status, delete it.
#[component]
pub(crate) fn TaskRow(
    doc: DocumentId,
    task_id: TaskId,
    project: Memo<Option<Result<Project, String>>>,
    conflicts: Memo<Vec<FieldConflict>>,
) -> impl IntoView {
    let t = use_strings();
    let sync = expect_context::<SyncCtx>();
    let task = Memo::new(move |_| {
        project.with(|p| p.as_ref().and_then(|p| p.as_ref().ok()?.tasks.get(&task_id).cloned()))
    });
    let editing = RwSignal::new(false);
    let mine = Memo::new(move |_| {
        conflicts.with(|all| all.iter().filter(|c| c.task == task_id).cloned().collect::<Vec<_>>())
    });
    let viewers = {
        let sync = sync.clone();
        Memo::new(move |_| {
            sync.present(doc)
                .into_iter()
                .filter(|(_, p)| p.task == Some(task_id))
                .map(|(_, p)| p.name)
                .collect::<Vec<_>>()
        })
    };
    {
        // Others see which task we have open: the one being edited.
        let sync = sync.clone();
        Effect::new(move |was: Option<bool>| {
            let now = editing.get();
            if was.is_some_and(|was| was != now) {
                sync.set_viewing(Some((doc, now.then_some(task_id))));
            }
            now
        });
    }
    let resolve = {
        let sync = sync.clone();
        move |field: &'static str, value: String| {
            if field == "status" {
                sync.edit(doc, |tx| {
                    commands::set_status(tx, task_id, &Status::from_key(&value), js_sys::Date::now() as i64)
                });
            } else {
                sync.edit(doc, |tx| commands::rename_task(tx, task_id, &value));
            }
        }
    };
    let draft = RwSignal::new(String::new());
    let done = move || task.with(|t| t.as_ref().is_some_and(|t| t.status.is_done()));

    let set_status = {
        let sync = sync.clone();
        move |status: Status| {
            sync.edit(doc, |tx| commands::set_status(tx, task_id, &status, js_sys::Date::now() as i64));
        }
    };
    let save = {
        let sync = sync.clone();
        move || {
            if sync.edit(doc, |tx| commands::rename_task(tx, task_id, &draft.get_untracked())) {
                editing.set(false);
            }
        }
    };
    let start_editing = move || {
        draft.set(task.with_untracked(|t| t.as_ref().map(|t| t.title.clone()).unwrap_or_default()));
        editing.set(true);
    };
    let toggle = {
        let set_status = set_status.clone();
        move |_| set_status(if done() { Status::Todo } else { Status::Done })
    };
    let delete = move |_| {
        sync.edit(doc, |tx| commands::delete_task(tx, task_id));
    };

    view! {
        <li class="task" class:done=done data-testid="task-row" data-task-id=task_id.to_string()>
            <input type="checkbox" data-testid="task-done" title=move || t().mark_done prop:checked=done on:change=toggle/>
            {move || if editing.get() {
                let save = save.clone();
                let save_on_enter = save.clone();
                view! {
                    <form class="rename" on:submit=move |ev| { ev.prevent_default(); save(); }>
                        <input
                            type="text"
                            data-testid="task-edit-input"
                            maxlength="500"
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Escape" {
                                    editing.set(false);
                                } else if ev.key() == "Enter" {
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
                view! {
                    <button class="title" data-testid="task-title" title=move || t().rename on:click=move |_| start_editing()>
                        {move || task.with(|t| t.as_ref().map(|t| t.title.clone()).unwrap_or_default())}
                    </button>
                }.into_any()
            }}
            <select
                data-testid="task-status"
                aria-label=move || t().status
                on:change={
                    let set_status = set_status.clone();
                    move |ev| set_status(Status::from_key(&event_target_value(&ev)))
                }
            >
                {Status::DEFAULTS
                    .iter()
                    .map(|s| {
                        let s = s.clone();
                        let key = s.key().to_owned();
                        let selected = {
                            let s = s.clone();
                            move || task.with(|t| t.as_ref().is_some_and(|t| t.status == s))
                        };
                        view! { <option value=key selected=selected>{move || t().status(&s)}</option> }
                    })
                    .collect_view()}
            </select>
            <button class="delete" data-testid="task-delete" on:click=delete>{move || t().delete}</button>
            <Show when=move || viewers.with(|v| !v.is_empty())>
                <p class="viewers" data-testid="task-viewers">
                    {move || viewers.get().join("、")}" "{move || t().is_open_by}
                </p>
            </Show>
            <Show when=move || mine.with(|m| !m.is_empty())>
                <div class="conflict" data-testid="conflict">
                    <strong>{move || t().conflict}</strong>
                    " "{move || t().conflict_help}
                    {
                        let resolve = resolve.clone();
                        move || {
                            mine.get()
                                .into_iter()
                                .flat_map(|c| c.values.into_iter().map(move |v| (c.field, v)))
                                .map(|(field, value)| {
                                    let resolve = resolve.clone();
                                    let shown = if field == "status" { t().status(&Status::from_key(&value)) } else { value.clone() };
                                    view! {
                                        <button data-testid="keep-value" data-value=value.clone() on:click=move |_| resolve(field, value.clone())>
                                            {move || t().keep}" 「"{shown.clone()}"」"
                                        </button>
                                    }
                                })
                                .collect_view()
                        }
                    }
                </div>
            </Show>
        </li>
    }
}
