use leptos::prelude::*;

use crate::contexts::{SyncCtx, use_strings};

/// The last error, until the person dismisses it.
#[component]
pub(crate) fn ErrorBanner() -> impl IntoView {
    let t = use_strings();
    let error = expect_context::<SyncCtx>().error;
    move || {
        error.get().map(|message| {
            view! {
                <div class="notice error" role="alert" data-testid="error">
                    <span>{move || t().failed}": "{message}</span>
                    <button on:click=move |_| error.set(None)>{move || t().dismiss}</button>
                </div>
            }
        })
    }
}
