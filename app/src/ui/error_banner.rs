use leptos::prelude::*;

use crate::contexts::{Errors, LocaleCtx, use_strings};

/// The last error, in the person's language, until they dismiss it.
#[component]
pub(crate) fn ErrorBanner() -> impl IntoView {
    let t = use_strings();
    let locale = expect_context::<LocaleCtx>().0;
    let error = expect_context::<Errors>().0;
    move || {
        error.get().map(|message| {
            view! {
                <div class="notice error" role="alert" data-testid="error">
                    <span>{move || t().failed}": "{move || message.text(locale.get())}</span>
                    <button on:click=move |_| error.set(None)>{move || t().dismiss}</button>
                </div>
            }
        })
    }
}
