use leptos::prelude::*;

use crate::contexts::{StorageCtx, use_strings};

/// "Saved" once every local edit has committed to the browser's storage.
#[component]
pub(crate) fn SaveState() -> impl IntoView {
    let t = use_strings();
    let pending = expect_context::<StorageCtx>().pending;
    view! {
        <span class="save-state" data-testid="save-state" data-pending=move || pending.get().to_string()>
            {move || if pending.get() > 0 { t().saving } else { t().saved }}
        </span>
    }
}
