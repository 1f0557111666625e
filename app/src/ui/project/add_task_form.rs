use launchplan_shared::DocumentId;
use launchplan_shared::domain::{Task, commands};
use leptos::prelude::*;

use crate::contexts::{SyncCtx, use_strings};

#[component]
pub(crate) fn AddTaskForm(id: DocumentId) -> impl IntoView {
    let t = use_strings();
    let sync = expect_context::<SyncCtx>();
    let title = RwSignal::new(String::new());
    let add = move || {
        let task = Task::new(title.get_untracked(), None, js_sys::Date::now() as i64);
        if sync.edit(id, |tx| commands::add_task(tx, &task)) {
            title.set(String::new());
        }
    };
    view! {
        <form class="add-task" on:submit=move |ev| {
            ev.prevent_default();
            add();
        }>
            <input
                type="text"
                data-testid="task-input"
                maxlength="500"
                placeholder=move || t().add_task_placeholder
                prop:value=move || title.get()
                on:input=move |ev| title.set(event_target_value(&ev))
            />
            <button type="submit" data-testid="add-task" disabled=move || title.with(|s| s.trim().is_empty())>
                {move || t().add}
            </button>
        </form>
    }
}
