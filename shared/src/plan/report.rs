//! A template instantiated for a launch day, scheduled and judged, as plain data to print
//! (the `plan` example prints it as JSON).

use serde::Serialize;

use super::{Anchor, History, Rag, Work, plan_status, schedule};
use crate::domain::templates::Template;
use crate::domain::{Date, DependencyKind, RagRules};
use crate::{MilestoneId, PhaseId, TaskId};

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub template: String,
    pub launch: Date,
    pub phases: Vec<PhaseRow>,
    pub tasks: Vec<TaskRow>,
    pub milestones: Vec<MilestoneRow>,
    /// The critical tasks, earliest first. Tasks next to each other may run side by side:
    /// `critical_chains` says which wait for which.
    pub critical_tasks: Vec<TaskId>,
    /// The critical path as chains of real dependencies (in a plan that makes its launch day,
    /// each from a task on its first day to one on the launch day); parallel critical work
    /// makes more than one chain, and every critical task is on one.
    pub critical_chains: Vec<Vec<TaskId>>,
    pub finish: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseRow {
    pub id: PhaseId,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DependencyRow {
    pub task: TaskId,
    pub kind: DependencyKind,
    pub lag_days: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskRow {
    pub id: TaskId,
    pub title: String,
    pub phase: Option<PhaseId>,
    pub start: Date,
    pub finish: Date,
    pub duration_days: u32,
    pub depends_on: Vec<DependencyRow>,
    pub critical: bool,
    pub slack_days: i32,
    pub rag: Rag,
    pub rag_reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneRow {
    pub id: MilestoneId,
    pub name: String,
    pub date: Option<Date>,
}

/// `template` for `launch`, scheduled backward from it, judged on `today`.
pub fn report(template: &Template, launch: Date, today: Date, chinese: bool) -> PlanReport {
    let project = template.instantiate(launch, chinese, "plan", 0);
    let ordered = project.tasks_in_order();
    let work: Vec<Work> = ordered.iter().map(|t| Work::from(*t)).collect();
    let planned = schedule(&work, &template.calendar(), Anchor::Finish(launch));
    let status = plan_status(&project, &planned, today, &RagRules::default(), &History::default(), chinese);
    let tasks = ordered
        .iter()
        .filter_map(|task| {
            let at = planned.tasks.get(&task.id)?;
            let rag = status.tasks.get(&task.id)?;
            Some(TaskRow {
                id: task.id,
                title: task.title.clone(),
                phase: task.phase,
                start: at.start,
                finish: at.finish,
                duration_days: match &task.recurrence {
                    Some(r) => (r.until.days() - r.from.days() + 1).max(1) as u32,
                    None => task.duration(),
                },
                depends_on: task
                    .depends_on
                    .iter()
                    .map(|d| DependencyRow { task: d.task, kind: d.kind, lag_days: d.lag_days })
                    .collect(),
                critical: at.critical,
                slack_days: at.slack_days,
                rag: rag.rag,
                rag_reason: rag.reason.describe(chinese),
            })
        })
        .collect();
    PlanReport {
        template: template.key.clone(),
        launch,
        phases: project.phases.iter().map(|p| PhaseRow { id: p.id, name: p.name.clone() }).collect(),
        tasks,
        milestones: project
            .milestones
            .iter()
            .map(|m| MilestoneRow {
                id: m.id,
                name: m.name.clone(),
                date: m
                    .date
                    .or_else(|| m.after.iter().filter_map(|t| planned.tasks.get(t)).map(|t| t.finish).max()),
            })
            .collect(),
        critical_tasks: planned.critical_tasks.clone(),
        critical_chains: planned.critical_chains(),
        finish: planned.finish,
    }
}
