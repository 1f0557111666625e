//! CRDTs keep every edit but enforce no invariant. After every merge these checks say what a
//! person should look at; nothing is dropped or repaired silently.

use std::collections::{BTreeMap, BTreeSet};

use super::{Anchor, Work, schedule, workload};
use crate::domain::finance::yuan_grouped;
use crate::domain::{Date, Fen, Finance, Project, Workspace};
use crate::{ItemId, MemberId, MilestoneId, PhaseId, TaskId};

#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// These tasks wait for each other.
    Cycle {
        tasks: Vec<TaskId>,
    },
    /// A task waits for one that no longer exists.
    DanglingDependency {
        task: TaskId,
        missing: TaskId,
    },
    /// A task sits in a phase that was deleted.
    MissingPhase {
        task: TaskId,
        phase: PhaseId,
    },
    /// A milestone follows a task that no longer exists.
    DanglingMilestone {
        milestone: MilestoneId,
        missing: TaskId,
    },
    /// A task is assigned to someone who is not a member.
    UnknownAssignee {
        task: TaskId,
        member: MemberId,
    },
    OverAllocated {
        member: MemberId,
        date: Date,
        hours: f64,
        capacity: f64,
    },
    BudgetOverrun {
        category: String,
        planned: Fen,
        spent: Fen,
    },
    /// A cost is booked to a budget line that no longer exists.
    CostWithoutLine {
        cost: ItemId,
        line: ItemId,
    },
}

impl Warning {
    pub fn describe(&self, chinese: bool, project: &Project) -> String {
        let title =
            |id: &TaskId| project.tasks.get(id).map(|t| t.title.clone()).unwrap_or_else(|| id.to_string());
        match (self, chinese) {
            (Warning::Cycle { tasks }, true) => {
                format!("这些任务互相等待：{}", tasks.iter().map(title).collect::<Vec<_>>().join("、"))
            }
            (Warning::Cycle { tasks }, false) => {
                format!(
                    "These tasks wait for each other: {}",
                    tasks.iter().map(title).collect::<Vec<_>>().join(", ")
                )
            }
            (Warning::DanglingDependency { task, .. }, true) => {
                format!("「{}」等待的任务已被删除", title(task))
            }
            (Warning::DanglingDependency { task, .. }, false) => {
                format!("\"{}\" waits for a task that was deleted", title(task))
            }
            (Warning::MissingPhase { task, .. }, true) => format!("「{}」所在的阶段已被删除", title(task)),
            (Warning::MissingPhase { task, .. }, false) => {
                format!("\"{}\" is in a phase that was deleted", title(task))
            }
            (Warning::DanglingMilestone { milestone, .. }, true) => {
                format!("里程碑「{}」依赖的任务已被删除", milestone_name(project, milestone))
            }
            (Warning::DanglingMilestone { milestone, .. }, false) => {
                format!(
                    "Milestone \"{}\" follows a task that was deleted",
                    milestone_name(project, milestone)
                )
            }
            (Warning::UnknownAssignee { task, .. }, true) => {
                format!("「{}」的负责人已不在团队中", title(task))
            }
            (Warning::UnknownAssignee { task, .. }, false) => {
                format!("\"{}\" is assigned to someone no longer in the team", title(task))
            }
            (Warning::OverAllocated { date, hours, capacity, .. }, true) => {
                format!("{date} 安排了 {hours:.1} 小时，超过 {capacity:.1} 小时的可用时间")
            }
            (Warning::OverAllocated { date, hours, capacity, .. }, false) => {
                format!("{hours:.1} hours planned on {date}, over the {capacity:.1} available")
            }
            (Warning::BudgetOverrun { category, planned, spent }, true) => {
                format!(
                    "「{category}」超支：预算 {} 元，已花 {} 元",
                    yuan_grouped(*planned),
                    yuan_grouped(*spent)
                )
            }
            (Warning::BudgetOverrun { category, planned, spent }, false) => {
                format!(
                    "{category} is over budget: {} yuan planned, {} spent",
                    yuan_grouped(*planned),
                    yuan_grouped(*spent)
                )
            }
            (Warning::CostWithoutLine { .. }, true) => "一笔费用记在了已删除的预算项上".into(),
            (Warning::CostWithoutLine { .. }, false) => {
                "A cost is booked to a budget line that was deleted".into()
            }
        }
    }
}

impl Warning {
    /// What a person can do about it.
    pub fn advice(&self, chinese: bool) -> &'static str {
        match (self, chinese) {
            (Warning::Cycle { .. }, true) => "打开其中一个任务，在“前置任务”里移除一条依赖，打破循环。",
            (Warning::Cycle { .. }, false) => {
                "Open one of these tasks and remove one of its dependencies under \"Waits for\" to break the circle."
            }
            (Warning::DanglingDependency { .. }, true) => "打开这个任务，移除指向已删除任务的依赖。",
            (Warning::DanglingDependency { .. }, false) => {
                "Open the task and remove the dependency on the deleted task."
            }
            (Warning::MissingPhase { .. } | Warning::DanglingMilestone { .. }, true) => {
                "它已列在“未分阶段”下；可以重新归入某个阶段。"
            }
            (Warning::MissingPhase { .. } | Warning::DanglingMilestone { .. }, false) => {
                "It is listed under \"No phase\"; move it into a phase again."
            }
            (Warning::UnknownAssignee { .. }, true) => "打开这个任务，重新选择负责人。",
            (Warning::UnknownAssignee { .. }, false) => "Open the task and choose who does it again.",
            (Warning::OverAllocated { .. }, true) => "把其中一些任务交给别人，或调整日期。",
            (Warning::OverAllocated { .. }, false) => "Give some of the work to someone else, or move it.",
            (Warning::BudgetOverrun { .. } | Warning::CostWithoutLine { .. }, true) => {
                "请财务核对预算与费用。"
            }
            (Warning::BudgetOverrun { .. } | Warning::CostWithoutLine { .. }, false) => {
                "Ask finance to check the budget and the costs."
            }
        }
    }

    /// The kind, for tests and styling.
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::Cycle { .. } => "cycle",
            Warning::DanglingDependency { .. } => "dangling-dependency",
            Warning::MissingPhase { .. } => "missing-phase",
            Warning::DanglingMilestone { .. } => "dangling-milestone",
            Warning::UnknownAssignee { .. } => "unknown-assignee",
            Warning::OverAllocated { .. } => "over-allocated",
            Warning::BudgetOverrun { .. } => "budget-overrun",
            Warning::CostWithoutLine { .. } => "cost-without-line",
        }
    }
}

fn milestone_name(project: &Project, id: &MilestoneId) -> String {
    project.milestones.iter().find(|m| m.id == *id).map(|m| m.name.clone()).unwrap_or_default()
}

/// Everything a merge may have left inconsistent. Members and capacities come from the
/// workspace, money from the finance document, when they are at hand.
pub fn validate(project: &Project, workspace: Option<&Workspace>, finance: Option<&Finance>) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let phases: BTreeSet<PhaseId> = project.phases.iter().map(|p| p.id).collect();
    for task in project.tasks.values() {
        for dep in &task.depends_on {
            if !project.tasks.contains_key(&dep.task) {
                warnings.push(Warning::DanglingDependency { task: task.id, missing: dep.task });
            }
        }
        if let Some(phase) = task.phase.filter(|p| !phases.contains(p)) {
            warnings.push(Warning::MissingPhase { task: task.id, phase });
        }
        if let Some(workspace) = workspace {
            for member in task.assignees.iter().filter(|m| !workspace.members.contains_key(m)) {
                warnings.push(Warning::UnknownAssignee { task: task.id, member: *member });
            }
        }
    }
    for milestone in &project.milestones {
        for missing in milestone.after.iter().filter(|t| !project.tasks.contains_key(t)) {
            warnings.push(Warning::DanglingMilestone { milestone: milestone.id, missing: *missing });
        }
    }

    let calendar = workspace.map(|w| w.settings.calendar.clone()).unwrap_or_default();
    let work: Vec<Work> = project.tasks.values().map(Work::from).collect();
    let start = project
        .meta
        .start
        .or_else(|| work.iter().filter_map(|w| w.not_before).min())
        .unwrap_or(Date::from_days(0));
    let planned = schedule(&work, &calendar, Anchor::Start(start));
    warnings.extend(planned.cycles.iter().map(|tasks| Warning::Cycle { tasks: tasks.clone() }));
    if let Some(workspace) = workspace {
        let load = workload(project.tasks.values(), &planned, &calendar, &workspace.members);
        warnings.extend(load.overloaded.into_iter().map(|o| Warning::OverAllocated {
            member: o.member,
            date: o.date,
            hours: o.hours,
            capacity: o.capacity,
        }));
    }
    if let Some(finance) = finance {
        let spent = finance.spent_by_line();
        for line in finance.lines.values() {
            let used = spent.get(&line.id).copied().unwrap_or(0);
            if used > line.planned {
                warnings.push(Warning::BudgetOverrun {
                    category: line.category.clone(),
                    planned: line.planned,
                    spent: used,
                });
            }
        }
        for cost in finance.costs.iter().filter(|c| !finance.lines.contains_key(&c.line)) {
            warnings.push(Warning::CostWithoutLine { cost: cost.id, line: cost.line });
        }
    }
    warnings
}

/// Warnings grouped per task, for showing on the task itself.
pub fn by_task(warnings: &[Warning]) -> BTreeMap<TaskId, Vec<&Warning>> {
    let mut grouped: BTreeMap<TaskId, Vec<&Warning>> = BTreeMap::new();
    for warning in warnings {
        let tasks: Vec<TaskId> = match warning {
            Warning::Cycle { tasks } => tasks.clone(),
            Warning::DanglingDependency { task, .. }
            | Warning::MissingPhase { task, .. }
            | Warning::UnknownAssignee { task, .. } => vec![*task],
            _ => Vec::new(),
        };
        for task in tasks {
            grouped.entry(task).or_default().push(warning);
        }
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BudgetLine, CostEntry, Dependency, Member, Phase, ProjectKind, Task};

    #[test]
    fn reports_each_thing_a_merge_can_break_once_in_the_users_words() {
        let mut project = Project::new("618", ProjectKind::Campaign, 0);
        let kept = Phase { id: PhaseId::random(), name: "页面与内容".into() };
        project.phases.push(kept.clone());
        let gone_phase = PhaseId::random();
        let gone_task = TaskId::random();
        let stranger = MemberId::random();
        let mut a = Task::new("页面优化", Some(gone_phase), 0);
        let mut b = Task::new("优惠券配置", Some(kept.id), 1);
        a.depends_on = vec![Dependency::after(b.id), Dependency::after(gone_task)];
        b.depends_on = vec![Dependency::after(a.id)];
        b.assignees = vec![stranger];
        project.tasks.insert(a.id, a.clone());
        project.tasks.insert(b.id, b.clone());
        let milestone = crate::domain::Milestone {
            id: MilestoneId::random(),
            name: "首页banner设计完成".into(),
            after: vec![gone_task],
            date: None,
        };
        project.milestones.push(milestone.clone());
        let mut workspace = Workspace::new("团队");
        workspace.add_member(Member::new("小王", vec![]));
        let mut finance = Finance::default();
        let line = BudgetLine { id: ItemId::random(), category: "广告投放".into(), planned: 50_000 };
        finance.lines.insert(line.id, line.clone());
        finance.costs.push(CostEntry {
            id: ItemId::random(),
            line: line.id,
            amount: 80_000,
            date: Date::from_days(0),
            task: None,
            note: String::new(),
        });
        finance.costs.push(CostEntry {
            id: ItemId::random(),
            line: ItemId::random(),
            amount: 1,
            date: Date::from_days(0),
            task: None,
            note: String::new(),
        });

        let warnings = validate(&project, Some(&workspace), Some(&finance));
        // Every inconsistency once, and nothing else.
        let mut kinds: Vec<&str> = warnings.iter().map(Warning::kind).collect();
        kinds.sort_unstable();
        assert_eq!(
            kinds,
            [
                "budget-overrun",
                "cost-without-line",
                "cycle",
                "dangling-dependency",
                "dangling-milestone",
                "missing-phase",
                "unknown-assignee"
            ]
        );
        let mut cycle = vec![a.id, b.id];
        cycle.sort();
        assert!(warnings.contains(&Warning::Cycle { tasks: cycle }));
        assert!(warnings.contains(&Warning::DanglingDependency { task: a.id, missing: gone_task }));
        assert!(warnings.contains(&Warning::MissingPhase { task: a.id, phase: gone_phase }));
        assert!(warnings.contains(&Warning::UnknownAssignee { task: b.id, member: stranger }));
        assert!(
            warnings.contains(&Warning::DanglingMilestone { milestone: milestone.id, missing: gone_task })
        );
        assert!(
            warnings
                .iter()
                .any(|w| matches!(w, Warning::BudgetOverrun { spent: 80_000, planned: 50_000, .. }))
        );
        assert!(warnings.iter().any(|w| matches!(w, Warning::CostWithoutLine { .. })));

        // What a person reads names the tasks by their titles, not their ids.
        let said = |kind: &str, chinese: bool| {
            let warning = warnings.iter().find(|w| w.kind() == kind).expect("reported");
            warning.describe(chinese, &project)
        };
        assert_eq!(said("dangling-dependency", true), "「页面优化」等待的任务已被删除");
        assert_eq!(said("missing-phase", false), "\"页面优化\" is in a phase that was deleted");
        assert_eq!(said("unknown-assignee", true), "「优惠券配置」的负责人已不在团队中");
        assert_eq!(said("dangling-milestone", true), "里程碑「首页banner设计完成」依赖的任务已被删除");
        assert_eq!(said("budget-overrun", true), "「广告投放」超支：预算 500.00 元，已花 800.00 元");
        let circle = said("cycle", true);
        assert!(circle.contains("页面优化") && circle.contains("优惠券配置"), "{circle}");

        // Shown on each task: the first waits in a circle, for a deleted task, in a deleted
        // phase; the second waits in the circle and has an assignee who left.
        let on = |task: TaskId| {
            let mut kinds: Vec<&str> = by_task(&warnings)[&task].iter().map(|w| w.kind()).collect();
            kinds.sort_unstable();
            kinds
        };
        assert_eq!(on(a.id), ["cycle", "dangling-dependency", "missing-phase"]);
        assert_eq!(on(b.id), ["cycle", "unknown-assignee"]);
    }
}
