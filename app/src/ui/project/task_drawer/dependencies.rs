use launchplan_shared::TaskId;
use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{Command, Dependency, DependencyKind};
use leptos::prelude::*;

use super::DrawerTask;
use crate::contexts::{ProjectCtx, use_strings};

const KINDS: [DependencyKind; 4] = [
    DependencyKind::FinishToStart,
    DependencyKind::StartToStart,
    DependencyKind::FinishToFinish,
    DependencyKind::StartToFinish,
];
/// How many matches the task search offers.
const MATCHES: usize = 8;

/// What the task waits for: each with its kind and lag, removable; a search adds one (a
/// dependency that would close a circle is refused, with the reason).
#[component]
pub(crate) fn Dependencies() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let here = expect_context::<DrawerTask>();
    let id = here.id;
    let deps = Memo::new(move |_| here.with(|t| t.depends_on.clone()).unwrap_or_default());
    let title_of = {
        let ctx = ctx.clone();
        move |task: TaskId| {
            ctx.task(task).map(|e| e.with(|e| e.task.title.clone())).unwrap_or_else(|| task.to_string())
        }
    };
    let query = RwSignal::new(String::new());
    let kind = RwSignal::new(0usize);
    let lag = RwSignal::new(0i32);
    let order = ctx.order;
    let matches = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            let q = query.get().trim().to_lowercase();
            if q.is_empty() {
                return Vec::new();
            }
            let waiting: Vec<TaskId> = deps.with(|d| d.iter().map(|d| d.task).collect());
            order.with(|order| {
                order
                    .iter()
                    .filter(|other| **other != id && !waiting.contains(other))
                    .filter_map(|other| {
                        let title = ctx.task(*other)?.with(|e| e.task.title.clone());
                        title.to_lowercase().contains(&q).then_some((*other, title))
                    })
                    .take(MATCHES)
                    .collect::<Vec<_>>()
            })
        })
    };
    let add = {
        let ctx = ctx.clone();
        move |task: TaskId| {
            let dependency =
                Dependency { task, kind: KINDS[kind.get_untracked()], lag_days: lag.get_untracked() };
            if ctx.dispatch(Command::AddDependency { id, dependency }) {
                query.set(String::new());
            }
        }
    };
    view! {
        <section class="drawer-section" data-testid="dependencies">
            <p class="field">{move || t().waits_for}</p>
            <ul class="dependencies">
                <For each=move || deps.get() key=|d| *d let:dep>
                    {
                        let remove = ctx.clone();
                        let kind_index = KINDS.iter().position(|k| *k == dep.kind).unwrap_or(0);
                        let lag = dep.lag_days;
                        view! {
                            <li data-testid="dependency" data-task-id=dep.task.to_string()>
                                <span>{title_of(dep.task)}</span>
                                <span class="muted">{move || t().dependency_kinds[kind_index]}{(lag != 0).then(|| format!(" {lag:+}"))}</span>
                                <button class="link" data-testid="dependency-remove" disabled=move || !may(Part::Schedule) on:click=move |_| { remove.dispatch(Command::RemoveDependency { id, on: dep.task }); }>
                                    {move || t().remove}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <div class="row">
                <input type="text" data-testid="dependency-search" disabled=move || !may(Part::Schedule) placeholder=move || t().find_task
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <select data-testid="dependency-kind" aria-label=move || t().waits_for on:change=move |ev| kind.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {(0..KINDS.len()).map(|i| view! { <option value=i.to_string() selected=move || kind.get() == i>{move || t().dependency_kinds[i]}</option> }).collect_view()}
                </select>
                <label class="lag">
                    {move || t().lag_label}
                    <input type="number" step="1" min="-365" max="365" data-testid="dependency-lag" disabled=move || !may(Part::Schedule)
                        prop:value=move || lag.get().to_string()
                        on:input=move |ev| lag.set(event_target_value(&ev).parse::<i32>().unwrap_or(0).clamp(-365, 365))/>
                </label>
            </div>
            <ul class="matches">
                <For each=move || matches.get() key=|m| m.0 let:found>
                    {
                        let add = add.clone();
                        view! {
                            <li>
                                <button type="button" class="link" data-testid="dependency-option" data-task-id=found.0.to_string() on:click=move |_| add(found.0)>
                                    "+ "{found.1.clone()}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}
