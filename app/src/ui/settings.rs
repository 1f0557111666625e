mod calendar;
mod general;
mod invites;
mod members;
mod relay;
mod rules;

use launchplan_shared::domain::Role;
use leptos::prelude::*;

use calendar::CalendarSettings;
use general::GeneralSettings;
use invites::Invites;
use members::Members;
use relay::RelaySettings;
use rules::RuleSettings;

use crate::contexts::{WorkspaceCtx, WorkspaceLoading, use_strings};

/// The workspace's settings: its name, people and roles, invitations, calendar, rules and
/// language. Owners and admins change them; everyone else reads them.
#[component]
pub(crate) fn SettingsPage() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let (loading, problems) = (workspace.loading, workspace.problems);
    let can_edit = {
        let workspace = workspace.clone();
        Memo::new(move |_| workspace.me().is_some_and(|me| me.has(Role::Admin)))
    };
    provide_context(can_edit);
    view! {
        <section class="settings" data-testid="settings">
            <h1>{move || t().settings}</h1>
            <Show when=move || loading.get() == WorkspaceLoading::Ready fallback=move || view! { <p class="notice">{move || t().opening}</p> }>
                <Show when=move || !can_edit.get()>
                    <p class="notice">{move || t().admins_only}</p>
                </Show>
                <Show when=move || problems.with(|p| !p.is_empty())>
                    <div class="notice warning" data-testid="workspace-problems">
                        <strong>{move || t().unreadable_field}</strong>
                        <ul>{move || problems.get().into_iter().map(|p| view! { <li><code>{p.field.clone()}</code>": "{p.reason.clone()}</li> }).collect_view()}</ul>
                        <p class="muted">{move || t().unreadable_help}</p>
                    </div>
                </Show>
                <GeneralSettings/>
                <Members/>
                <Invites/>
                <CalendarSettings/>
                <RuleSettings/>
                <RelaySettings/>
            </Show>
        </section>
    }
}
