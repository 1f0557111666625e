use launchplan_shared::MemberId;
use launchplan_shared::domain::commands::TaskField;
use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{Command, Priority};
use leptos::prelude::*;

use super::DrawerTask;
use crate::contexts::{ProjectCtx, WorkspaceCtx, members_by_name, use_strings};
use crate::i18n::TEAMS;

const PRIORITIES: [Priority; 4] = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];

/// People and labels, days and hours: assignees from the workspace's members, team,
/// priority, tags, SKU, duration and estimate.
#[component]
pub(crate) fn Details() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let here = expect_context::<DrawerTask>();
    let id = here.id;
    let members = expect_context::<WorkspaceCtx>().workspace;
    let meta = ctx.meta;
    let set = {
        let ctx = ctx.clone();
        move |field: TaskField| {
            ctx.dispatch(Command::SetField { id, field });
        }
    };
    let assigned = move |member: MemberId| here.with(|t| t.assignees.contains(&member)).unwrap_or(false);
    let toggle = {
        let ctx = ctx.clone();
        move |member: MemberId| {
            let mut now = here.with(|t| t.assignees.clone()).unwrap_or_default();
            if let Some(i) = now.iter().position(|m| *m == member) {
                now.remove(i);
            } else {
                now.push(member);
            }
            ctx.dispatch(Command::Assign { id, members: now });
        }
    };
    let people = members_by_name(members);
    let (set_team, set_priority, set_tags, set_sku, set_duration, set_estimate) =
        (set.clone(), set.clone(), set.clone(), set.clone(), set.clone(), set);
    view! {
        <section class="drawer-section" data-testid="task-details">
            <div class="field">
                <span>{move || t().assignees}</span>
                <div class="chips">
                    <For each=move || people.get() key=|p| p.clone() let:person>
                        {
                            let toggle = toggle.clone();
                            let member = person.0;
                            view! {
                                <label class="chip" data-testid="assignee-option" data-member-id=member.to_string()>
                                    <input type="checkbox" disabled=move || !may(Part::People) prop:checked=move || assigned(member) on:change=move |_| toggle(member)/>
                                    {person.1.clone()}
                                </label>
                            }
                        }
                    </For>
                </div>
            </div>
            <div class="drawer-grid">
                <label class="field">
                    {move || t().team}
                    <select data-testid="drawer-team" disabled=move || !may(Part::People) on:change=move |ev| {
                        let i: Option<usize> = event_target_value(&ev).parse().ok();
                        set_team(TaskField::Team(i.and_then(|i| TEAMS.get(i).copied())));
                    }>
                        <option value="" selected=move || here.with(|t| t.team.is_none()).unwrap_or(true)>{move || t().none}</option>
                        {TEAMS.iter().enumerate().map(|(i, team)| {
                            let team = *team;
                            view! { <option value=i.to_string() selected=move || here.with(|t| t.team == Some(team)).unwrap_or(false)>{move || t().team(team)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    {move || t().priority}
                    <select data-testid="drawer-priority" disabled=move || !may(Part::Details) on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(1);
                        set_priority(TaskField::Priority(PRIORITIES[i.min(3)]));
                    }>
                        {PRIORITIES.iter().enumerate().map(|(i, p)| {
                            let p = *p;
                            view! { <option value=i.to_string() selected=move || here.with(|t| t.priority == p).unwrap_or(false)>{move || t().priority_names[i]}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    "SKU"
                    <select data-testid="drawer-sku" disabled=move || !may(Part::Details) on:change=move |ev| {
                        let code = event_target_value(&ev);
                        set_sku(TaskField::Sku((!code.is_empty()).then_some(code)));
                    }>
                        <option value="" selected=move || here.with(|t| t.sku.is_none()).unwrap_or(true)>{move || t().none}</option>
                        {move || {
                            let mut skus: Vec<(String, String)> = meta.with(|m| m.as_ref().map(|m| m.skus.iter().map(|s| (s.code.clone(), s.name.clone())).collect()).unwrap_or_default());
                            // A SKU the task names that the plan no longer lists still shows.
                            if let Some(own) = here.with(|t| t.sku.clone()).flatten() && !skus.iter().any(|s| s.0 == own) {
                                skus.push((own.clone(), own));
                            }
                            skus.into_iter().map(|(code, name)| {
                                let shown = if name == code { code.clone() } else { format!("{code} {name}") };
                                let is = code.clone();
                                view! { <option value=code selected=move || here.with(|t| t.sku.as_deref() == Some(is.as_str())).unwrap_or(false)>{shown}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
                <label class="field">
                    {move || t().duration_label}
                    <input type="number" min="0" max="1000" step="1" data-testid="drawer-duration" disabled=move || !may(Part::Schedule)
                        prop:value=move || here.with(|t| t.duration_days.map(|d| d.to_string())).flatten().unwrap_or_default()
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            let days = text.trim().parse::<u32>().ok();
                            set_duration(TaskField::Duration(days));
                        }/>
                </label>
                <label class="field">
                    {move || t().estimate_label}
                    <input type="number" min="0" step="0.5" data-testid="drawer-estimate" disabled=move || !may(Part::Details)
                        prop:value=move || here.with(|t| t.estimate_hours.map(|h| h.to_string())).flatten().unwrap_or_default()
                        on:change=move |ev| {
                            let hours = event_target_value(&ev).trim().parse::<f64>().ok().filter(|h| h.is_finite());
                            set_estimate(TaskField::EstimateHours(hours));
                        }/>
                </label>
            </div>
            <label class="field">
                {move || t().tags_label}
                <input type="text" data-testid="drawer-tags" disabled=move || !may(Part::Details) maxlength="500"
                    prop:value=move || here.with(|t| t.tags.join(", ")).unwrap_or_default()
                    on:change=move |ev| {
                        let tags = event_target_value(&ev).split([',', '，', '、']).map(str::to_owned).collect();
                        set_tags(TaskField::Tags(tags));
                    }/>
            </label>
        </section>
    }
}
