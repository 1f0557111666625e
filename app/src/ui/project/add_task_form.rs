use launchplan_shared::TaskId;
use launchplan_shared::domain::Command;
use leptos::prelude::*;

use crate::contexts::{ProjectCtx, use_strings};

/// Quick add: type a title, press Enter.
#[component]
pub(crate) fn AddTaskForm() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let title = RwSignal::new(String::new());
    let add = move || {
        let id = TaskId::random();
        let command = Command::AddTask {
            id,
            title: title.get_untracked(),
            phase: None,
            at: js_sys::Date::now() as i64,
        };
        if ctx.dispatch(command) {
            title.set(String::new());
            ctx.reveal.set(Some(id));
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
