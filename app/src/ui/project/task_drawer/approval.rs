use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{ApprovalState, Command, Role};
use leptos::prelude::*;

use super::DrawerTask;
use crate::contexts::{ProjectCtx, WorkspaceCtx, member_names, use_strings};
use crate::i18n::ROLES;

/// Sign-off: ask a role to approve; a member holding that role approves or rejects (with a
/// reason). The task reaches done only once approved: the status refuses it before.
#[component]
pub(crate) fn ApprovalSection() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let here = expect_context::<DrawerTask>();
    let workspace = expect_context::<WorkspaceCtx>();
    let id = here.id;
    let approval = Memo::new(move |_| here.with(|t| t.approval.clone()).flatten());
    let data = workspace.workspace;
    let me = workspace.my_id();
    let name_of = member_names(data);
    let can_decide = move || {
        let Some(approval) = approval.get() else { return false };
        data.with(|w| w.as_ref().and_then(|w| w.members.get(&me)).is_some_and(|m| m.has(approval.role)))
    };
    let role = RwSignal::new(Role::Admin);
    let reason = RwSignal::new(String::new());
    let (request, approve, reject) = (ctx.clone(), ctx.clone(), ctx);
    view! {
        <section class="drawer-section" data-testid="approval">
            <p class="field">{move || t().approval}</p>
            {move || match approval.get() {
                None => None,
                Some(a) => Some(view! {
                    <p data-testid="approval-state" data-state=match &a.state { ApprovalState::Pending => "pending", ApprovalState::Approved { .. } => "approved", ApprovalState::Rejected { .. } => "rejected" }>
                        {match &a.state {
                            ApprovalState::Pending => (t().waiting_for_approval)(t().role(a.role)),
                            ApprovalState::Approved { by, .. } => (t().approved_by)(&name_of(*by)),
                            ApprovalState::Rejected { by, reason, .. } => (t().rejected_by)(&name_of(*by), reason),
                        }}
                    </p>
                }),
            }}
            <Show when=can_decide>
                {
                    let (approve, reject) = (approve.clone(), reject.clone());
                    view! {
                        <div class="row">
                            <button type="button" data-testid="approve" disabled=move || !may(Part::Approval) on:click=move |_| { approve.dispatch(Command::Approve { id, at: js_sys::Date::now() as i64 }); }>
                                {move || t().approve}
                            </button>
                            <input type="text" data-testid="reject-reason" maxlength="500" disabled=move || !may(Part::Approval) placeholder=move || t().reject_reason
                                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                            <button type="button" data-testid="reject" disabled=move || !may(Part::Approval) || reason.with(|r| r.trim().is_empty()) on:click=move |_| {
                                if reject.dispatch(Command::Reject { id, reason: reason.get_untracked(), at: js_sys::Date::now() as i64 }) {
                                    reason.set(String::new());
                                }
                            }>
                                {move || t().reject}
                            </button>
                        </div>
                    }
                }
            </Show>
            <Show when=move || approval.with(|a| !matches!(a, Some(a) if matches!(a.state, ApprovalState::Pending)))>
                {
                    let request = request.clone();
                    view! {
                        <div class="row">
                            <label class="field">
                                {move || t().needs_approval_by}
                                <select data-testid="approval-role" on:change=move |ev| {
                                    let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                                    role.set(ROLES[i.min(ROLES.len() - 1)]);
                                }>
                                    {ROLES.iter().enumerate().map(|(i, r)| {
                                        let r = *r;
                                        view! { <option value=i.to_string() selected=move || role.get() == r>{move || t().role(r)}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="button" data-testid="request-approval" disabled=move || !may(Part::Approval) on:click=move |_| { request.dispatch(Command::RequireApproval { id, role: role.get_untracked() }); }>
                                {move || t().request_approval}
                            </button>
                        </div>
                    }
                }
            </Show>
        </section>
    }
}
