use launchplan_shared::DocumentId;
use launchplan_shared::domain::WorkspaceCommand;
use leptos::prelude::*;

use crate::contexts::{
    Errors, Identity, RepoCtx, Route, WorkspaceCtx, WorkspaceLoading, WorkspacePage, navigate, use_strings,
};

/// Joining a workspace with an invitation link.
#[component]
pub(crate) fn JoinPage(workspace: DocumentId, invite: String) -> impl IntoView {
    let t = use_strings();
    let repo = expect_context::<RepoCtx>();
    let identity = expect_context::<Identity>();
    let errors = expect_context::<Errors>();
    let target = WorkspaceCtx::open(workspace, repo, identity, errors);
    let name = RwSignal::new(identity.name.get_untracked());
    let (loading, data) = (target.loading, target.workspace);
    let state = {
        let invite = invite.clone();
        Memo::new(move |_| {
            data.with(|w| {
                let w = w.as_ref()?;
                if w.members.contains_key(&identity.member) {
                    return Some(Err(true));
                }
                match w.invites.get(&invite) {
                    Some(i) if i.used_by.is_none() || i.used_by == Some(identity.member) => {
                        Some(Ok((w.name.clone(), i.role)))
                    }
                    _ => Some(Err(false)),
                }
            })
        })
    };
    let home = Route::Workspace { workspace, page: WorkspacePage::Projects };
    let join = {
        let (target, home) = (target.clone(), home.clone());
        move || {
            let name = name.get_untracked();
            let joined = target.dispatch(WorkspaceCommand::Join {
                invite: invite.clone(),
                member: identity.member,
                name: name.clone(),
            });
            if joined {
                identity.set_name(&name);
                identity.enter(workspace);
                navigate(&home);
            }
        }
    };
    view! {
        <section class="join" data-testid="join">
            <h1>{move || t().join_title}</h1>
            {move || match (loading.get(), state.get()) {
                (WorkspaceLoading::Unreadable(e), _) => view! { <p class="notice error">{e}</p> }.into_any(),
                (_, None) => view! { <p class="notice" data-testid="join-waiting">{move || t().waiting_for_workspace}</p> }.into_any(),
                (_, Some(Err(true))) => {
                    let home = home.clone();
                    view! {
                        <p class="notice">{move || t().joined_already}</p>
                        <a href=home.href() on:click=move |_| identity.enter(workspace)>{move || t().go_to_workspace}</a>
                    }.into_any()
                }
                (_, Some(Err(false))) => view! { <p class="notice error" data-testid="invite-gone">{move || t().invite_gone}</p> }.into_any(),
                (_, Some(Ok((ws_name, role)))) => {
                    let join = join.clone();
                    view! {
                        <p class="lead"><strong data-testid="join-workspace-name">{ws_name}</strong></p>
                        <p>{move || t().join_as}<span class="badge" data-testid="join-role">{move || t().role(role)}</span></p>
                        <form class="row" on:submit=move |ev| { ev.prevent_default(); join(); }>
                            <input type="text" maxlength="60" data-testid="join-name" aria-label=move || t().your_name
                                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                            <button type="submit" data-testid="join-workspace" disabled=move || name.with(|n| n.trim().is_empty())>{move || t().join}</button>
                        </form>
                    }.into_any()
                }
            }}
        </section>
    }
}
