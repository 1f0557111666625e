use launchplan_shared::domain::WorkspaceCommand;
use leptos::prelude::*;

use crate::contexts::{Identity, WorkspaceCtx, use_strings};

/// The name others see; saved when the field loses focus or on Enter, in the workspace too.
#[component]
pub(crate) fn NameField() -> impl IntoView {
    let t = use_strings();
    let identity = expect_context::<Identity>();
    let workspace = expect_context::<WorkspaceCtx>();
    let save = move |value: String| {
        let Some(name) = identity.set_name(&value) else { return };
        if let Some(me) = workspace.me()
            && me.name != name
        {
            workspace.dispatch(WorkspaceCommand::UpdateMember {
                id: me.id,
                name,
                roles: me.roles,
                team: me.team,
            });
        }
    };
    view! {
        <input
            class="name"
            type="text"
            maxlength="60"
            data-testid="my-name"
            aria-label=move || t().your_name
            title=move || t().your_name
            prop:value=move || identity.name.get()
            on:change=move |ev| save(event_target_value(&ev))
        />
    }
}
