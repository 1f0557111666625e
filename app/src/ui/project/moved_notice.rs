use leptos::prelude::*;

use crate::contexts::{ProjectCtx, use_strings};

/// After a move shifted the tasks that wait for it: which moved and by how many days, with
/// one undo for all of it.
#[component]
pub(crate) fn MovedNotice() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let moved = ctx.moved;
    view! {
        <Show when=move || moved.with(|m| !m.is_empty())>
            {
                let ctx = ctx.clone();
                view! {
                    <div class="notice" data-testid="moved-notice">
                        <strong>{move || (t().moved_title)(moved.with(Vec::len))}</strong>
                        <ul class="moved-list">
                            {move || moved.get().into_iter().map(|m| view! {
                                <li data-testid="moved-task" data-task-id=m.task.to_string()>
                                    {m.title.clone()}" "<span class="muted">{(t().shifted_by)(m.days)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                        <div class="row">
                            <button type="button" data-testid="moved-undo" on:click=move |_| {
                                ctx.undo();
                                moved.set(Vec::new());
                            }>{move || t().undo}</button>
                            <button type="button" class="link" data-testid="moved-dismiss" on:click=move |_| moved.set(Vec::new())>
                                {move || t().dismiss}
                            </button>
                        </div>
                    </div>
                }
            }
        </Show>
    }
}
