use leptos::prelude::*;

use crate::contexts::{SyncCtx, use_strings};

/// The name others see in presence lists; saved when the field loses focus or on Enter.
#[component]
pub(crate) fn NameField() -> impl IntoView {
    let t = use_strings();
    let sync = expect_context::<SyncCtx>();
    let name = sync.my_name;
    let save = move |value: String| sync.set_name(&value);
    view! {
        <input
            class="name"
            type="text"
            maxlength="60"
            data-testid="my-name"
            aria-label=move || t().your_name
            title=move || t().your_name
            prop:value=move || name.get()
            on:change=move |ev| save(event_target_value(&ev))
        />
    }
}
