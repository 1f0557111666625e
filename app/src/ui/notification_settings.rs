use leptos::prelude::*;

use crate::contexts::{NOTIFY_KINDS, NotifierCtx, use_strings};

/// Browser notifications: turned on here (the browser asks for permission only after this
/// click), and which kinds of inbox entry notify.
#[component]
pub(crate) fn NotificationSettings() -> impl IntoView {
    let t = use_strings();
    let notifier = expect_context::<NotifierCtx>();
    let (enabled, permission, kinds) = (notifier.enabled, notifier.permission, notifier.kinds);
    let state = move || match (permission.get().as_str(), enabled.get()) {
        ("unsupported", _) => "unsupported",
        ("denied", _) => "blocked",
        ("granted", true) => "on",
        _ => "off",
    };
    let (on, off) = (notifier.clone(), notifier.clone());
    view! {
        <section class="card" data-testid="notifications" data-state=state>
            <h2>{move || t().notifications}</h2>
            <p class="muted">{move || match state() {
                "unsupported" => t().notify_unsupported,
                "blocked" => t().notify_blocked,
                "on" => t().notify_is_on,
                _ => t().notify_is_off,
            }}</p>
            <Show when=move || state() == "off">
                { let on = on.clone(); view! { <button data-testid="notify-on" on:click=move |_| on.turn_on()>{move || t().notify_turn_on}</button> } }
            </Show>
            <Show when=move || state() == "on">
                { let off = off.clone(); view! { <button data-testid="notify-off" on:click=move |_| off.turn_off()>{move || t().notify_turn_off}</button> } }
            </Show>
            <div class="chips">
                {NOTIFY_KINDS.iter().enumerate().map(|(i, kind)| {
                    let notifier = notifier.clone();
                    view! {
                        <label class="chip" data-testid="notify-kind" data-kind=*kind>
                            <input type="checkbox" prop:checked=move || kinds.with(|k| k.contains(*kind))
                                on:change=move |ev| notifier.set_kind(kind, event_target_checked(&ev))/>
                            {move || t().notify_kinds[i]}
                        </label>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}
