use leptos::prelude::*;

use crate::contexts::{Errors, use_strings};

/// The last error, until the person dismisses it.
#[component]
pub(crate) fn ErrorBanner() -> impl IntoView {
    let t = use_strings();
    let error = expect_context::<Errors>().0;
    move || {
        error.get().map(|message| {
            view! {
                <div class="notice error" role="alert" data-testid="error">
                    <span>{move || t().failed}": "{message.to_string()}</span>
                    <button on:click=move |_| error.set(None)>{move || t().dismiss}</button>
                </div>
            }
        })
    }
}
