use launchplan_shared::DocumentId;
use leptos::prelude::*;

use crate::contexts::{PresenceCtx, use_strings};

/// Who else has this plan open right now.
#[component]
pub(crate) fn PresenceList(doc: DocumentId) -> impl IntoView {
    let t = use_strings();
    let presence = expect_context::<PresenceCtx>();
    let here = Memo::new(move |_| presence.present(doc));
    view! {
        <p class="presence" data-testid="presence">
            <span class="label">{move || t().here_now}": "</span>
            <Show when=move || here.with(|h| !h.is_empty()) fallback=move || view! { <span class="muted">{move || t().only_you}</span> }>
                <For each=move || here.get() key=|(peer, p)| (peer.clone(), p.name.clone(), p.task) let:entry>
                    <span class="person" data-testid="present" title=entry.0.to_string()>{entry.1.name.clone()}</span>
                </For>
            </Show>
        </p>
    }
}
