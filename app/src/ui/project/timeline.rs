//! The history slider: the plan as it stood at any earlier moment (`domain::timeline`),
//! read only, with what has changed since. Read in this browser from the document's own
//! history, so it works offline; nothing here can change the plan.

use launchplan_shared::domain::timeline::{in_added_order, moments, project_at, since};
use launchplan_shared::domain::{Date, Project, Task, WorkCalendar};
use launchplan_shared::plan::schedule_plan;
use leptos::prelude::*;

use crate::contexts::{
    ProjectCtx, RepoCtx, WorkspaceCtx, local_day, local_time, member_names, today, use_strings,
};

/// Tasks the table of the plan then lists at most (the rest are counted).
const SHOWN_TASKS: usize = 500;
/// Tasks listed at most in each list of what changed.
const LISTED: usize = 20;

#[component]
pub(crate) fn TimelineView() -> impl IntoView {
    let t = use_strings();
    let s = move || t().timeline;
    let (ctx, repo) = (expect_context::<ProjectCtx>(), expect_context::<RepoCtx>());
    let name_of = member_names(expect_context::<WorkspaceCtx>().workspace);
    let (doc, heads) = (ctx.doc, ctx.heads);
    // Every moment, read again as the plan changes.
    let all = {
        let repo = repo.clone();
        Memo::new(move |_| {
            heads.track();
            repo.with_doc(doc, moments).unwrap_or_default()
        })
    };
    let last = move || all.with(|m| m.len().saturating_sub(1));
    // The moment chosen (`None`: now, following each change). While the slider moves only its
    // label follows (`dragging`); the plan is read where it stops.
    let chosen = RwSignal::new(None::<usize>);
    let dragging = RwSignal::new(None::<usize>);
    let index = Memo::new(move |_| chosen.get().map_or_else(last, |i| i.min(last())));
    let at_now = move || chosen.get().is_none_or(|i| i >= last());
    let choose = move |i: usize| {
        dragging.set(None);
        chosen.set((i < last()).then_some(i));
    };
    let moment = move |i: usize| all.with(|m| m.get(i).cloned());
    // The moment shown: unchanged when a change arrives while an earlier one is shown, so the
    // plan then is not read again.
    let current = Memo::new(move |_| moment(index.get()));

    // The plan then, and when then was.
    let then = {
        let repo = repo.clone();
        Memo::new(move |_| {
            let heads = current.with(|m| m.as_ref().map(|m| m.heads.clone()))?;
            let read = repo.with_doc(doc, |am| project_at(am, &heads).ok()).flatten();
            Some(read.ok_or(()))
        })
    };
    let changed = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            heads.track();
            let now = ctx.project()?;
            then.with(|then| match then {
                Some(Ok(then)) => Some(since(then, &now)),
                _ => None,
            })
        })
    };
    // The day the moment was made (the plan then is scheduled as of that day), and the
    // working calendar.
    let then_day = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            let day = current.with(|m| m.as_ref().and_then(|m| m.at)).map_or_else(today, local_day);
            (day, ctx.calendar())
        })
    };
    let finish_now = ctx.schedule;

    let label = move || {
        let i = dragging.get().unwrap_or_else(|| index.get());
        let Some(m) = moment(i) else { return String::new() };
        let when = m.at.map_or_else(|| s().undated.to_owned(), local_time);
        let who = m.by.map_or_else(|| t().someone_earlier.to_owned(), name_of);
        format!("{} · {when} · {who}", (s().step)(i + 1, last() + 1))
    };
    let slider_value = move |ev: &leptos::ev::Event| event_target_value(ev).parse::<usize>().ok();
    let jump_to_day = move |ev: leptos::ev::Event| {
        let Ok(day) = event_target_value(&ev).parse::<Date>() else { return };
        // The last moment on or before that day; the first, for a day before any.
        let found = all.with(|m| m.iter().rposition(|m| m.at.is_none_or(|at| local_day(at) <= day)));
        choose(found.unwrap_or(0));
    };

    view! {
        <section class="timeline" data-testid="timeline"
            data-moments=move || all.with(Vec::len) data-at=move || index.get() data-now=move || at_now().to_string()>
            <Show when=move || all.with(|m| !m.is_empty()) fallback=move || view! { <p class="muted">{move || s().no_moments}</p> }>
                <div class="timeline-controls">
                    <button type="button" data-testid="timeline-earlier" disabled=move || index.get() == 0
                        on:click=move |_| choose(index.get_untracked().saturating_sub(1))>{move || s().earlier}</button>
                    <input type="range" data-testid="timeline-slider" aria-label=move || s().slider
                        min="0" max=last prop:value=move || dragging.get().unwrap_or_else(|| index.get())
                        aria-valuetext=label
                        on:input=move |ev| dragging.set(slider_value(&ev))
                        on:change=move |ev| if let Some(i) = slider_value(&ev) { choose(i) }/>
                    <button type="button" data-testid="timeline-later" disabled=at_now
                        on:click=move |_| choose(index.get_untracked() + 1)>{move || s().later}</button>
                    <button type="button" data-testid="timeline-now" disabled=at_now
                        on:click=move |_| choose(usize::MAX)>{move || s().now}</button>
                    <label>{move || s().jump_to_day}" "<input type="date" data-testid="timeline-day" on:change=jump_to_day/></label>
                </div>
                <p class="timeline-at" data-testid="timeline-at" aria-live="polite">{label}</p>
                <p class="muted">{move || if at_now() { s().at_now } else { s().read_only }}</p>
                {move || match then.get() {
                    Some(Ok(plan)) => {
                        let (day, calendar) = then_day.get();
                        let finish_now = finish_now.with(|f| f.as_ref().map(|f| f.finish));
                        view! { <PlanThen plan=plan day=day calendar=calendar finish_now=finish_now/> }.into_any()
                    }
                    Some(Err(())) => view! { <p class="error">{move || s().unreadable}</p> }.into_any(),
                    None => ().into_any(),
                }}
                {move || (!at_now()).then(|| changed.get().map(|c| view! { <Changes c=c/> }))}
            </Show>
        </section>
    }
}

/// The plan as it stood: its size, its expected finish then (and now), and its tasks by
/// phase with the days they were planned for then (scheduled as of `day`), read only.
#[component]
fn PlanThen(plan: Project, day: Date, calendar: WorkCalendar, finish_now: Option<Date>) -> impl IntoView {
    let t = use_strings();
    let s = move || t().timeline;
    let name_of = member_names(expect_context::<WorkspaceCtx>().workspace);
    let done = plan.tasks.values().filter(|t| t.status == launchplan_shared::domain::Status::Done).count();
    let all = plan.tasks.len();
    let schedule = schedule_plan(plan.tasks.values(), &plan.meta, &calendar, day);
    // Phases in the plan's order, then the tasks in none.
    let mut groups: Vec<(Option<String>, Vec<&Task>)> =
        plan.phases.iter().map(|p| (Some(p.name.clone()), Vec::new())).collect();
    groups.push((None, Vec::new()));
    for task in in_added_order(&plan) {
        let group = task
            .phase
            .and_then(|id| plan.phases.iter().position(|p| p.id == id))
            .unwrap_or(plan.phases.len());
        groups[group].1.push(task);
    }
    let mut left = SHOWN_TASKS;
    let rows: Vec<AnyView> = groups
        .into_iter()
        .filter(|(_, tasks)| !tasks.is_empty())
        .filter_map(|(name, tasks)| {
            let take = tasks.len().min(left);
            left -= take;
            (take > 0).then(|| {
                let heading = name.unwrap_or_else(|| s().no_phase.to_owned());
                let tasks: Vec<AnyView> = tasks[..take]
                    .iter()
                    .map(|task| {
                        let who = task.assignees.iter().map(|m| name_of(*m)).collect::<Vec<_>>().join("、");
                        let planned = schedule.tasks.get(&task.id);
                        let shown = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
                        view! {
                            <tr data-testid="timeline-task" data-id=task.id.to_string() data-status=task.status.key().to_owned()>
                                <td data-testid="timeline-task-title">{task.title.clone()}</td>
                                <td>{t().status(&task.status)}</td>
                                <td>{who}</td>
                                <td>{shown(planned.map(|p| p.start))}</td>
                                <td>{shown(planned.map(|p| p.finish))}</td>
                            </tr>
                        }
                        .into_any()
                    })
                    .collect();
                view! { <tr class="phase"><th colspan="5" scope="rowgroup">{heading}</th></tr> {tasks} }.into_any()
            })
        })
        .collect();
    let launch = plan.meta.launch.map(|d| format!(" · {}: {d}", t().launch_day(plan.meta.kind)));
    let finish = (all > 0).then(|| {
        let then = schedule.finish;
        let now = finish_now.filter(|n| *n != then).map(|n| format!(" → {n}")).unwrap_or_default();
        format!(" · {}: {then}{now}", s().finish_then)
    });
    view! {
        <p data-testid="timeline-summary" data-tasks=all data-done=done>
            <strong>{plan.meta.name.clone()}</strong>" · "{(s().summary)(all, done)}{launch}{finish}
        </p>
        <table class="timeline-plan" data-testid="timeline-plan">
            <thead><tr>
                <th scope="col">{s().task}</th><th scope="col">{s().status}</th><th scope="col">{s().assignees}</th>
                <th scope="col">{s().start}</th><th scope="col">{s().finish}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {(all > SHOWN_TASKS).then(|| view! { <p class="muted">{(s().more_tasks)(SHOWN_TASKS, all)}</p> })}
    }
}

/// What changed between the moment shown and now.
#[component]
fn Changes(c: launchplan_shared::domain::timeline::Since) -> impl IntoView {
    let t = use_strings();
    let s = move || t().timeline;
    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".to_owned());
    let list = move |name: &'static str, items: Vec<String>, id: &'static str| {
        (!items.is_empty()).then(|| {
            let (count, more) = (items.len(), items.len().saturating_sub(LISTED));
            view! {
                <h4>{name}" ("{count}")"</h4>
                <ul data-testid=id data-count=count>
                    {items.into_iter().take(LISTED).map(|i| view! { <li>{i}</li> }).collect_view()}
                    {(more > 0).then(|| view! { <li class="muted">{format!("+{more}")}</li> })}
                </ul>
            }
        })
    };
    let empty = c.is_empty();
    let renamed = c.renamed.into_iter().map(|(from, to)| format!("{from} → {to}")).collect();
    let redated =
        c.redated.into_iter().map(|r| format!("{}：{} → {}", r.title, day(r.from), day(r.to))).collect();
    let launch = c.launch.map(|(from, to)| vec![format!("{} → {}", day(from), day(to))]).unwrap_or_default();
    view! {
        <div class="timeline-since" data-testid="timeline-since">
            <h3>{s().since}</h3>
            {empty.then(|| view! { <p class="muted">{s().nothing_since}</p> })}
            {list(s().launch_moved, launch, "timeline-launch")}
            {list(s().added, c.added, "timeline-added")}
            {list(s().finished, c.finished, "timeline-finished")}
            {list(s().redated, redated, "timeline-redated")}
            {list(s().renamed, renamed, "timeline-renamed")}
            {list(s().reopened, c.reopened, "timeline-reopened")}
            {list(s().removed, c.removed, "timeline-removed")}
        </div>
    }
}
