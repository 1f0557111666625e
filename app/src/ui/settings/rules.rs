use launchplan_shared::domain::WorkspaceCommand;
use leptos::prelude::*;

use crate::contexts::{WorkspaceCtx, use_strings};

/// When tasks turn amber, and how long work of each kind should take.
#[component]
pub(crate) fn RuleSettings() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let can_edit = expect_context::<Memo<bool>>();
    let data = workspace.workspace;
    let settings =
        Memo::new(move |_| data.with(|w| w.as_ref().map(|w| w.settings.clone()).unwrap_or_default()));
    let set_rule = {
        let workspace = workspace.clone();
        move |which: usize, value: String| {
            let rules = settings.get_untracked().rag;
            let (mut slack, mut lookahead, mut risk) =
                (rules.amber_slack_days, rules.lookahead_days, rules.risk_threshold);
            match which {
                0 => slack = value.parse().unwrap_or(slack),
                1 => lookahead = value.parse().unwrap_or(lookahead),
                _ => risk = value.parse().unwrap_or(risk),
            }
            workspace.dispatch(WorkspaceCommand::SetRagRules {
                amber_slack_days: slack,
                lookahead_days: lookahead,
                risk_threshold: risk,
            });
        }
    };
    let (tag, days) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let add_target = {
        let workspace = workspace.clone();
        move || {
            let Ok(value) = days.get_untracked().parse::<f64>() else { return };
            if workspace.dispatch(WorkspaceCommand::SetCycleTarget { tag: tag.get_untracked(), days: value })
            {
                tag.set(String::new());
                days.set(String::new());
            }
        }
    };
    let (s0, s1, s2) = (set_rule.clone(), set_rule.clone(), set_rule);
    view! {
        <section class="card" data-testid="rule-settings">
            <h2>{move || t().rag_rules}</h2>
            <label class="field">{move || t().amber_slack}
                <input type="number" min="0" data-testid="amber-slack" disabled=move || !can_edit.get()
                    prop:value=move || settings.with(|s| s.rag.amber_slack_days.to_string()) on:change=move |ev| s0(0, event_target_value(&ev))/>
            </label>
            <label class="field">{move || t().lookahead}
                <input type="number" min="0" data-testid="lookahead" disabled=move || !can_edit.get()
                    prop:value=move || settings.with(|s| s.rag.lookahead_days.to_string()) on:change=move |ev| s1(1, event_target_value(&ev))/>
            </label>
            <label class="field">{move || t().risk_threshold}
                <input type="number" min="0" max="1" step="0.05" data-testid="risk-threshold" disabled=move || !can_edit.get()
                    prop:value=move || settings.with(|s| s.rag.risk_threshold.to_string()) on:change=move |ev| s2(2, event_target_value(&ev))/>
            </label>
            <h2>{move || t().cycle_targets}</h2>
            <ul class="targets" data-testid="cycle-targets">
                <For each=move || settings.get().cycle_targets key=|c| (c.tag.clone(), c.days.to_bits()) let:target>
                    {
                        let workspace = workspace.clone();
                        let remove_tag = target.tag.clone();
                        view! {
                            <li data-testid="cycle-target">
                                <span>{target.tag.clone()}</span>": "{target.days}" "{move || t().days}
                                <button class="link" disabled=move || !can_edit.get() on:click=move |_| {
                                    workspace.dispatch(WorkspaceCommand::RemoveCycleTarget { tag: remove_tag.clone() });
                                }>{move || t().remove}</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <form class="row" on:submit=move |ev| { ev.prevent_default(); add_target(); }>
                <input type="text" data-testid="target-tag" placeholder=move || t().tag disabled=move || !can_edit.get()
                    prop:value=move || tag.get() on:input=move |ev| tag.set(event_target_value(&ev))/>
                <input type="number" min="0.5" step="0.5" data-testid="target-days" placeholder=move || t().days disabled=move || !can_edit.get()
                    prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                <button type="submit" data-testid="add-target" disabled=move || !can_edit.get()>{move || t().add}</button>
            </form>
        </section>
    }
}
