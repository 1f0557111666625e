use launchplan_shared::{MilestoneId, PhaseId};
use leptos::prelude::*;

use launchplan_shared::plan::arrange::{Heading, Line};

use crate::contexts::{ProjectCtx, WorkspaceCtx, member_names, use_strings};

/// A phase's heading in the list: its name and how much of it is done.
#[component]
pub(crate) fn PhaseRow(phase: Option<PhaseId>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let phases = ctx.phases;
    let name = move || match phase {
        Some(id) => {
            phases.with(|p| p.iter().find(|p| p.id == id).map(|p| p.name.clone()).unwrap_or_default())
        }
        None => t().no_phase.to_owned(),
    };
    // Counted when the list's rows change (a task added, removed or moved between phases)
    // and when a task's status does: only this phase's tasks are read.
    let (rows, progress) = (ctx.rows, ctx.progress);
    let counts = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            progress.track();
            let ids = rows.with(|rows| ctx.tasks_of_phase(rows, phase));
            let done = ids
                .iter()
                .filter(|id| ctx.task(**id).is_some_and(|e| e.with_untracked(|e| e.task.status.is_done())))
                .count();
            (done, ids.len())
        })
    };
    view! {
        <li class="phase-row" data-testid="phase-row" data-phase-id=phase.map(|p| p.to_string()).unwrap_or_default()>
            <span class="phase-name" data-testid="phase-name">{name}</span>
            <span class="muted">{move || { let (done, all) = counts.get(); (t().phase_progress)(done, all) }}</span>
        </li>
    }
}

/// What a group's heading says: the phase, the person, the status, SKU, priority or team, in
/// the person's language ("none" of each named so).
pub(crate) fn heading_label(heading: Heading) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>().workspace;
    let phases = expect_context::<ProjectCtx>().phases;
    let name_of = member_names(workspace);
    move || match &heading {
        Heading::Phase(Some(id)) => {
            phases.with(|p| p.iter().find(|p| p.id == *id).map(|p| p.name.clone()).unwrap_or_default())
        }
        Heading::Phase(None) => t().no_phase.to_owned(),
        Heading::Assignee(Some(m)) => name_of(*m),
        Heading::Assignee(None) => t().no_assignee.to_owned(),
        Heading::Status(s) => t().status(s),
        Heading::Sku(Some(sku)) => sku.clone(),
        Heading::Sku(None) => t().no_sku.to_owned(),
        Heading::Priority(p) => t().priority_names[*p as usize].to_owned(),
        Heading::Team(Some(team)) => t().team(*team).to_owned(),
        Heading::Team(None) => t().no_team.to_owned(),
    }
}

/// A group's heading when the list is grouped by something other than phase: who, which
/// status, SKU, priority or team, and how many of the tasks shown are in it.
#[component]
pub(crate) fn GroupRow(heading: Heading, lines: Memo<Vec<Line>>) -> impl IntoView {
    let label = heading_label(heading.clone());
    let line = Line::Heading(heading);
    let count = Memo::new(move |_| {
        lines.with(|lines| {
            let Some(at) = lines.iter().position(|l| *l == line) else { return 0 };
            lines[at + 1..].iter().take_while(|l| !matches!(l, Line::Heading(_))).count()
        })
    });
    view! {
        <li class="phase-row group-row" data-testid="group-row">
            <span class="phase-name" data-testid="group-name">{label}</span>
            <span class="muted" data-testid="group-count">{move || count.get()}</span>
        </li>
    }
}

/// A milestone: its name, its day (fixed, or when the last task it waits for is planned to
/// finish) and how far off that is.
#[component]
pub(crate) fn MilestoneRow(id: MilestoneId) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let (milestones, schedule, progress) = (ctx.milestones, ctx.schedule, ctx.progress);
    let milestone = Memo::new(move |_| milestones.with(|m| m.iter().find(|m| m.id == id).cloned()));
    let day = move || {
        let m = milestone.get()?;
        m.date.or_else(|| {
            schedule.with(|s| {
                let s = s.as_ref()?;
                m.after.iter().filter_map(|t| s.tasks.get(t).map(|p| p.finish)).max()
            })
        })
    };
    let reached = {
        let ctx = ctx.clone();
        move || {
            progress.track();
            milestone.with(|m| {
                m.as_ref().is_some_and(|m| {
                    !m.after.is_empty()
                        && m.after.iter().all(|t| {
                            ctx.task(*t).is_some_and(|e| e.with_untracked(|e| e.task.status.is_done()))
                        })
                })
            })
        }
    };
    let today = crate::contexts::today();
    view! {
        <li class="milestone-row" data-testid="milestone-row" data-milestone-id=id.to_string()>
            <span class="diamond" aria-hidden="true">"◆"</span>
            <span class="milestone-name" data-testid="milestone-name" title=move || t().milestone>{move || milestone.with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default())}</span>
            <span class="day" data-testid="milestone-date">{move || day().map(|d| d.to_string())}</span>
            <span class="muted" data-testid="milestone-countdown">
                {move || if reached() {
                    t().reached.to_owned()
                } else {
                    day().map(|d| (t().countdown)(d.days() - today.days())).unwrap_or_default()
                }}
            </span>
        </li>
    }
}
