use launchplan_shared::MemberId;
use launchplan_shared::domain::{Member, Role, Team, WorkspaceCommand};
use leptos::prelude::*;

use crate::contexts::{WorkspaceCtx, use_strings};
use crate::i18n::{ROLES, TEAMS};

/// Everyone in the workspace: display name, role and team.
#[component]
pub(crate) fn Members() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let data = workspace.workspace;
    let members = Memo::new(move |_| {
        data.with(|w| {
            let mut list: Vec<Member> = w.iter().flat_map(|w| w.members.values().cloned()).collect();
            list.sort_by(|a, b| a.name.cmp(&b.name));
            list
        })
    });
    view! {
        <section class="card">
            <h2>{move || t().members}</h2>
            <table class="members" data-testid="members">
                <thead><tr><th>{move || t().name}</th><th>{move || t().role}</th><th>{move || t().team}</th><th></th></tr></thead>
                <tbody>
                    <For each=move || members.get() key=|m| (m.id, m.name.clone(), m.roles.clone(), m.team) let:member>
                        <MemberRow member=member/>
                    </For>
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn MemberRow(member: Member) -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let can_edit = expect_context::<Memo<bool>>();
    let me = workspace.my_id() == member.id;
    let id: MemberId = member.id;
    let update = {
        let (workspace, member) = (workspace.clone(), member.clone());
        move |name: Option<String>, role: Option<Role>, team: Option<Option<Team>>| {
            let mut roles = member.roles.clone();
            if let Some(role) = role {
                // One main role; finance access goes along with it.
                let finance = roles.contains(&Role::Finance) && role != Role::Finance;
                roles = vec![role];
                if finance {
                    roles.push(Role::Finance);
                }
            }
            workspace.dispatch(WorkspaceCommand::UpdateMember {
                id,
                name: name.unwrap_or_else(|| member.name.clone()),
                roles,
                team: team.unwrap_or(member.team),
            });
        }
    };
    let main_role = member.roles.first().copied().unwrap_or(Role::Viewer);
    let (rename, set_role, set_team) = (update.clone(), update.clone(), update);
    let remove = move |_| {
        workspace.dispatch(WorkspaceCommand::RemoveMember { id });
    };
    view! {
        <tr data-testid="member" data-member-id=id.to_string()>
            <td>
                <input type="text" maxlength="60" data-testid="member-name" prop:value=member.name.clone() disabled=move || !can_edit.get()
                    on:change=move |ev| rename(Some(event_target_value(&ev)), None, None)/>
                {me.then(|| view! { <span class="muted">{move || t().you}</span> })}
            </td>
            <td>
                <select data-testid="member-role" disabled=move || !can_edit.get() on:change=move |ev| {
                    let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                    set_role(None, ROLES.get(i).copied(), None);
                }>
                    {ROLES.iter().enumerate().map(|(i, role)| {
                        let role = *role;
                        view! { <option value=i.to_string() selected=role == main_role>{move || t().role(role)}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td>
                <select data-testid="member-team" disabled=move || !can_edit.get() on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let team = value.parse::<usize>().ok().and_then(|i| TEAMS.get(i).copied());
                    set_team(None, None, Some(team));
                }>
                    <option value="" selected=member.team.is_none()>{move || t().no_team}</option>
                    {TEAMS.iter().enumerate().map(|(i, team)| {
                        let team = *team;
                        view! { <option value=i.to_string() selected=member.team == Some(team)>{move || t().team(team)}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td>
                <button class="delete" data-testid="remove-member" disabled=move || !can_edit.get() on:click=remove>{move || t().remove}</button>
            </td>
        </tr>
    }
}
