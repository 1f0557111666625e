use launchplan_shared::domain::{Date, Role, WorkspaceCommand};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contexts::http::call;
use crate::contexts::{RelayAccount, Route, WorkspaceCtx, WorkspacePage, full_link, use_strings};
use crate::i18n::ROLES;

/// Invitation links: each makes one person a member with its role. A relay that asks people
/// to sign in keeps them itself (it checks them, once each, until they expire); otherwise
/// they live in the workspace document.
#[component]
pub(crate) fn Invites() -> impl IntoView {
    let account = expect_context::<RelayAccount>();
    move || match account.auth.get() {
        Some(true) => view! { <RelayInvites/> }.into_any(),
        _ => view! { <DocumentInvites/> }.into_any(),
    }
}

/// An invitation the relay keeps, as it lists it (never its code).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct OpenInvite {
    id: String,
    role: Role,
    expires_ms: i64,
}

#[derive(serde::Deserialize)]
struct Created {
    link: String,
}

#[component]
fn RelayInvites() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let can_edit = expect_context::<Memo<bool>>();
    let ws = workspace.doc;
    let role = RwSignal::new(Role::Editor);
    let open: RwSignal<Vec<OpenInvite>> = RwSignal::new(Vec::new());
    let fresh: RwSignal<Option<String>> = RwSignal::new(None);
    let failed: RwSignal<Option<String>> = RwSignal::new(None);
    let reload = move || {
        spawn_local(async move {
            match call::<Vec<OpenInvite>>("GET", &format!("/api/v1/invites?workspace={ws}"), None).await {
                Ok(list) => open.set(list),
                Err(e) => failed.set(Some(e)),
            }
        })
    };
    Effect::new(move |_| {
        if can_edit.get() {
            reload();
        }
    });
    let create = move |_| {
        let body = serde_json::json!({ "workspace": ws.to_string(), "role": role.get_untracked() });
        spawn_local(async move {
            match call::<Created>("POST", "/api/v1/invites", Some(&body)).await {
                Ok(created) => {
                    let origin =
                        web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                    fresh.set(Some(format!("{origin}{}", created.link)));
                    failed.set(None);
                    reload();
                }
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match call::<()>("DELETE", &format!("/api/v1/invites/{id}"), None).await {
                Ok(()) => reload(),
                Err(e) => failed.set(Some(e)),
            }
        })
    };
    view! {
        <section class="card">
            <InviteMaker role=role can_edit=can_edit create=Callback::new(create)/>
            {move || fresh.get().map(|link| view! {
                <p class="muted">{move || t().invite_copy_now}</p>
                <input type="text" readonly data-testid="invite-link" prop:value=link/>
            })}
            {move || failed.get().map(|e| view! { <p class="notice error" data-testid="invite-error">{e}</p> })}
            <ul class="invites">
                <For each=move || open.get() key=|i| i.id.clone() let:invite>
                    {
                        let id = invite.id.clone();
                        let until = Date::from_days(invite.expires_ms.div_euclid(86_400_000) as i32);
                        view! {
                            <li data-testid="invite">
                                <span class="badge">{move || t().role(invite.role)}</span>
                                <span class="muted">{move || t().valid_until}{until.to_string()}</span>
                                <button class="link" data-testid="revoke-invite" disabled=move || !can_edit.get()
                                    on:click=move |_| revoke(id.clone())>{move || t().revoke}</button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}

/// The heading, and the role and button that make a new invitation.
#[component]
fn InviteMaker(role: RwSignal<Role>, can_edit: Memo<bool>, create: Callback<()>) -> impl IntoView {
    let t = use_strings();
    view! {
        <h2>{move || t().invites}</h2>
        <p class="muted">{move || t().invite_help}</p>
        <div class="row">
            <RoleChoice role=role can_edit=can_edit/>
            <button data-testid="create-invite" disabled=move || !can_edit.get() on:click=move |_| create.run(())>
                {move || t().create_invite}
            </button>
        </div>
    }
}

/// The role a new invitation gives.
#[component]
fn RoleChoice(role: RwSignal<Role>, can_edit: Memo<bool>) -> impl IntoView {
    let t = use_strings();
    view! {
        <select data-testid="invite-role" disabled=move || !can_edit.get() on:change=move |ev| {
            let i: usize = event_target_value(&ev).parse().unwrap_or(2);
            role.set(ROLES.get(i).copied().unwrap_or(Role::Editor));
        }>
            {ROLES.iter().enumerate().map(|(i, r)| {
                let r = *r;
                view! { <option value=i.to_string() selected=move || role.get() == r>{move || t().role(r)}</option> }
            }).collect_view()}
        </select>
    }
}

/// Invitations kept in the workspace document, for a relay that does not ask for sign-in.
#[component]
fn DocumentInvites() -> impl IntoView {
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
            <InviteMaker role=role can_edit=can_edit create=Callback::new(create)/>
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
