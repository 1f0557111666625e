mod connection_badge;
mod language_toggle;
mod name_field;

use leptos::prelude::*;

use connection_badge::ConnectionBadge;
use language_toggle::LanguageToggle;
use name_field::NameField;

#[component]
pub(crate) fn Header() -> impl IntoView {
    view! {
        <header class="top">
            <a class="brand" href="#/">"Launchplan"</a>
            <span class="spacer"></span>
            <NameField/>
            <ConnectionBadge/>
            <LanguageToggle/>
        </header>
    }
}
