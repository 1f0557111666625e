//! What a relay that asks people to sign in keeps about them: this person's tokens for
//! scripts, and, for owners and admins, the workspace's audit log.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contexts::http::call;
use crate::contexts::{RelayAccount, WorkspaceCtx, local_time, member_names, use_strings};

/// Tokens and the audit log, on a relay that asks for sign-in (elsewhere there are none).
#[component]
pub(crate) fn RelaySettings() -> impl IntoView {
    let account = expect_context::<RelayAccount>();
    let can_edit = expect_context::<Memo<bool>>();
    view! {
        <Show when=move || account.auth.get() == Some(true)>
            <Tokens/>
            <Show when=move || can_edit.get()>
                <AuditLog/>
            </Show>
        </Show>
    }
}

/// A token as the relay lists it (never its secret).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct Token {
    id: String,
    label: String,
    created_ms: i64,
}

#[derive(serde::Deserialize)]
struct CreatedToken {
    token: String,
}

/// This person's tokens, for scripts and integrations that sync or call the API as them.
#[component]
fn Tokens() -> impl IntoView {
    let t = use_strings();
    let tokens: RwSignal<Vec<Token>> = RwSignal::new(Vec::new());
    let label = RwSignal::new(String::new());
    let fresh: RwSignal<Option<String>> = RwSignal::new(None);
    let failed: RwSignal<Option<String>> = RwSignal::new(None);
    let reload = move || {
        spawn_local(async move {
            match call::<Vec<Token>>("GET", "/api/v1/tokens", None).await {
                Ok(mut list) => {
                    list.sort_by_key(|t| std::cmp::Reverse(t.created_ms));
                    tokens.set(list);
                }
                Err(e) => failed.set(Some(e)),
            }
        })
    };
    reload();
    let create = move || {
        let body = serde_json::json!({ "label": label.get_untracked().trim() });
        spawn_local(async move {
            match call::<CreatedToken>("POST", "/api/v1/tokens", Some(&body)).await {
                Ok(created) => {
                    fresh.set(Some(created.token));
                    label.set(String::new());
                    failed.set(None);
                    reload();
                }
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match call::<()>("DELETE", &format!("/api/v1/tokens/{id}"), None).await {
                Ok(()) => reload(),
                Err(e) => failed.set(Some(e)),
            }
        })
    };
    view! {
        <section class="card" data-testid="tokens">
            <h2>{move || t().tokens}</h2>
            <p class="muted">{move || t().tokens_help}</p>
            <form class="row" on:submit=move |ev| { ev.prevent_default(); create(); }>
                <input type="text" maxlength="200" data-testid="token-label" placeholder=move || t().token_label
                    prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev))/>
                <button type="submit" data-testid="create-token" disabled=move || label.with(|l| l.trim().is_empty())>
                    {move || t().create_token}
                </button>
            </form>
            {move || fresh.get().map(|token| view! {
                <p class="muted">{move || t().token_copy_now}</p>
                <input type="text" readonly data-testid="token-secret" prop:value=token/>
            })}
            {move || failed.get().map(|e| view! { <p class="notice error" data-testid="token-error">{e}</p> })}
            <ul class="invites">
                <For each=move || tokens.get() key=|t| t.id.clone() let:token>
                    {
                        let id = token.id.clone();
                        view! {
                            <li data-testid="token">
                                <strong>{token.label.clone()}</strong>
                                <span class="muted">{local_time(token.created_ms)}</span>
                                <button class="link" data-testid="revoke-token" on:click=move |_| revoke(id.clone())>
                                    {move || t().revoke}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct Event {
    at_ms: i64,
    by: Option<launchplan_shared::MemberId>,
    action: String,
    detail: String,
}

/// The workspace's audit log, newest first: invitations, members, roles, with who and when.
#[component]
fn AuditLog() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let ws = workspace.doc;
    let name_of = member_names(workspace.workspace);
    let events: RwSignal<Vec<Event>> = RwSignal::new(Vec::new());
    let failed: RwSignal<Option<String>> = RwSignal::new(None);
    let reload = move || {
        spawn_local(async move {
            match call::<Vec<Event>>("GET", &format!("/api/v1/audit?workspace={ws}"), None).await {
                Ok(list) => {
                    events.set(list);
                    failed.set(None);
                }
                Err(e) => failed.set(Some(e)),
            }
        })
    };
    reload();
    view! {
        <section class="card" data-testid="audit-log">
            <div class="row">
                <h2>{move || t().audit_log}</h2>
                <button class="link" data-testid="audit-reload" on:click=move |_| reload()>{move || t().refresh}</button>
            </div>
            <p class="muted">{move || t().audit_help}</p>
            {move || failed.get().map(|e| view! { <p class="notice error">{e}</p> })}
            <table class="audit">
                <tbody>
                    <For each=move || events.get() key=|e| (e.at_ms, e.action.clone(), e.detail.clone()) let:event>
                        {
                        let action = event.action.clone();
                        let label = move || {
                            t().audit_actions.iter().find(|(word, _)| *word == action).map_or(action.clone(), |(_, ours)| (*ours).to_owned())
                        };
                        view! {
                        <tr data-testid="audit-event" data-action=event.action.clone()>
                            <td class="muted">{local_time(event.at_ms)}</td>
                            <td>{match event.by { Some(by) => view! { <span>{move || name_of(by)}</span> }.into_any(), None => view! { <span class="muted">{move || t().the_relay}</span> }.into_any() }}</td>
                            <td><strong>{label}</strong></td>
                            <td>{event.detail.clone()}</td>
                        </tr>
                        }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}
