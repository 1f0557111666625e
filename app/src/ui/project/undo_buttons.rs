use leptos::prelude::*;

use crate::contexts::{ProjectCtx, use_strings};

/// Undo and redo of this person's own edits.
#[component]
pub(crate) fn UndoButtons() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let (can_undo, can_redo) = (ctx.can_undo, ctx.can_redo);
    let redo_ctx = ctx.clone();
    view! {
        <span class="undo">
            <button data-testid="undo" title=move || t().undo_hint disabled=move || !can_undo.get() on:click=move |_| ctx.undo()>
                {move || t().undo}
            </button>
            <button data-testid="redo" title=move || t().redo_hint disabled=move || !can_redo.get() on:click=move |_| redo_ctx.redo()>
                {move || t().redo}
            </button>
        </span>
    }
}
