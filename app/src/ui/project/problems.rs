use leptos::prelude::*;

use crate::contexts::{ProjectCtx, use_strings};

/// What of the plan could not be read: it opened anyway, and nothing stored was changed.
#[component]
pub(crate) fn Problems() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let (problems, unreadable) = (ctx.problems, ctx.unreadable_tasks);
    let some_tasks = move || unreadable.get() > 0;
    view! {
        <Show when=move || problems.with(|p| !p.is_empty()) || some_tasks()>
            <div class="notice warning" data-testid="plan-problems">
                <strong>{move || t().plan_problems}</strong>
                <ul>
                    {move || problems.get().into_iter().map(|p| view! { <li><code>{p.field.clone()}</code>": "{p.reason.clone()}</li> }).collect_view()}
                    <Show when=some_tasks>
                        <li>{move || (t().tasks_with_problems)(unreadable.get())}</li>
                    </Show>
                </ul>
                <p class="muted">{move || t().unreadable_help}</p>
            </div>
        </Show>
    }
}
