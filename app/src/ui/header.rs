mod connection_badge;
mod language_toggle;

use leptos::prelude::*;

use connection_badge::ConnectionBadge;
use language_toggle::LanguageToggle;

#[component]
pub(crate) fn Header() -> impl IntoView {
    view! {
        <header class="top">
            <a class="brand" href="#/">"Launchplan"</a>
            <span class="spacer"></span>
            <ConnectionBadge/>
            <LanguageToggle/>
        </header>
    }
}
