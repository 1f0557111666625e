use launchplan_shared::domain::Command;
use launchplan_shared::{PhaseId, TaskId};
use leptos::prelude::*;

use crate::contexts::{ProjectCtx, use_strings};

/// The form that adds a task, for those who may add tasks (not a viewer or a content
/// editor).
#[component]
pub(crate) fn AddTaskForm() -> impl IntoView {
    let ctx = expect_context::<ProjectCtx>();
    move || {
        ctx.may(launchplan_shared::domain::permissions::Part::Structure).then(|| view! { <AddTaskFields/> })
    }
}

/// Quick add: type a title, press Enter. In a plan with phases the task goes into the phase
/// picked beside it (the first, until another is picked).
#[component]
fn AddTaskFields() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let title = RwSignal::new(String::new());
    let phases = ctx.phases;
    let picked = RwSignal::new(None::<PhaseId>);
    // The picked phase, if the plan still has it; else its first.
    let phase = move || {
        phases
            .with(|p| picked.get().filter(|id| p.iter().any(|ph| ph.id == *id)).or(p.first().map(|ph| ph.id)))
    };
    let add = move || {
        let id = TaskId::random();
        let command = Command::AddTask {
            id,
            title: title.get_untracked(),
            phase: phase(),
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
            <Show when=move || phases.with(|p| !p.is_empty())>
                <select
                    data-testid="task-phase-input"
                    aria-label=move || t().phase
                    on:change=move |ev| picked.set(event_target_value(&ev).parse().ok())
                >
                    <For each=move || phases.get() key=|p| (p.id, p.name.clone()) let:p>
                        <option value=p.id.to_string() selected=move || phase() == Some(p.id)>{p.name.clone()}</option>
                    </For>
                </select>
            </Show>
            <button type="submit" data-testid="add-task" disabled=move || title.with(|s| s.trim().is_empty())>
                {move || t().add}
            </button>
        </form>
    }
}
