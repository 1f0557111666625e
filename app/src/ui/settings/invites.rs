use launchplan_shared::domain::{Role, WorkspaceCommand};
use leptos::prelude::*;

use crate::contexts::{Route, WorkspaceCtx, WorkspacePage, full_link, use_strings};
use crate::i18n::ROLES;

/// Invitation links: each makes one person a member with its role.
#[component]
pub(crate) fn Invites() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let can_edit = expect_context::<Memo<bool>>();
    let ws = workspace.doc;
    let role = RwSignal::new(Role::Editor);
    let data = workspace.workspace;
    let invites = Memo::new(move |_| {
        data.with(|w| {
            let mut list: Vec<(String, Role, i64, Option<String>)> = w
                .iter()
                .flat_map(|w| {
                    w.invites.iter().map(|(id, invite)| {
                        let used = invite.used_by.map(|m| {
                            w.members.get(&m).map(|m| m.name.clone()).unwrap_or_else(|| m.to_string())
                        });
                        (id.clone(), invite.role, invite.at, used)
                    })
                })
                .collect();
            list.sort_by_key(|invite| std::cmp::Reverse(invite.2));
            list
        })
    });
    let create = {
        let workspace = workspace.clone();
        move |_| {
            // 122 random bits from the browser's cryptographic generator.
            let id = launchplan_shared::ItemId::random().to_string();
            workspace.dispatch(WorkspaceCommand::CreateInvite {
                id,
                role: role.get_untracked(),
                by: workspace.my_id(),
                at: js_sys::Date::now() as i64,
            });
        }
    };
    view! {
        <section class="card">
            <h2>{move || t().invites}</h2>
            <p class="muted">{move || t().invite_help}</p>
            <div class="row">
                <select data-testid="invite-role" disabled=move || !can_edit.get() on:change=move |ev| {
                    let i: usize = event_target_value(&ev).parse().unwrap_or(2);
                    role.set(ROLES.get(i).copied().unwrap_or(Role::Editor));
                }>
                    {ROLES.iter().enumerate().map(|(i, r)| {
                        let r = *r;
                        view! { <option value=i.to_string() selected=move || role.get() == r>{move || t().role(r)}</option> }
                    }).collect_view()}
                </select>
                <button data-testid="create-invite" disabled=move || !can_edit.get() on:click=create>{move || t().create_invite}</button>
            </div>
            <ul class="invites">
                <For each=move || invites.get() key=|i| i.clone() let:invite>
                    {
                        let link = full_link(&Route::Workspace { workspace: ws, page: WorkspacePage::Join(invite.0.clone()) });
                        let id = invite.0.clone();
                        let workspace = workspace.clone();
                        view! {
                            <li data-testid="invite">
                                <span class="badge">{move || t().role(invite.1)}</span>
                                {match invite.3.clone() {
                                    Some(name) => view! { <span class="muted">{move || t().used_by}{name.clone()}</span> }.into_any(),
                                    None => view! { <input type="text" readonly data-testid="invite-link" prop:value=link.clone()/> }.into_any(),
                                }}
                                <button class="link" data-testid="revoke-invite" disabled=move || !can_edit.get() on:click=move |_| {
                                    workspace.dispatch(WorkspaceCommand::RevokeInvite { id: id.clone() });
                                }>{move || t().revoke}</button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}
