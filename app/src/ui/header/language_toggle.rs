use leptos::prelude::*;

use crate::contexts::{LocaleCtx, use_strings};

#[component]
pub(crate) fn LanguageToggle() -> impl IntoView {
    let t = use_strings();
    let locale = expect_context::<LocaleCtx>().0;
    view! {
        <button class="link" data-testid="language" on:click=move |_| locale.update(|l| *l = l.other())>
            {move || t().switch_language}
        </button>
    }
}
