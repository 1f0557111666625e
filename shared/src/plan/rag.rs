//! Red / amber / green for tasks, phases and the project, each with the reason a person reads.

use std::collections::HashMap;

use super::risk::{History, TagRecord};
use super::schedule::{Schedule, ScheduledTask};
use crate::domain::{Date, Project, RagRules, Status, Task};
use crate::{PhaseId, TaskId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

/// Why something is the colour it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Done,
    OnTrack,
    /// Not done, and its due day has passed.
    Overdue {
        days: i32,
    },
    /// On the critical path and not started though it should have been.
    CriticalLate {
        since: Date,
    },
    /// Not started though it should have been (it has slack).
    LateStart {
        since: Date,
    },
    Blocked,
    /// Little slack, and it starts soon.
    LowSlack {
        slack: i32,
        starts_in: i32,
    },
    /// Work like this slipped often before.
    Risky(TagRecord),
    /// Rolled up: how many tasks are red and amber, and the worst: which task, its title
    /// then, and why.
    Tasks {
        red: usize,
        amber: usize,
        task: crate::TaskId,
        title: String,
        why: String,
    },
}

impl Reason {
    pub fn describe(&self, chinese: bool) -> String {
        match (self, chinese) {
            (Reason::Done, true) => "已完成".into(),
            (Reason::Done, false) => "Done".into(),
            (Reason::OnTrack, true) => "进展正常".into(),
            (Reason::OnTrack, false) => "On track".into(),
            (Reason::Overdue { days }, true) => format!("已逾期 {days} 天"),
            (Reason::Overdue { days }, false) => format!("Overdue by {days} days"),
            (Reason::CriticalLate { since }, true) => format!("关键路径任务，应于 {since} 开始，尚未开始"),
            (Reason::CriticalLate { since }, false) => {
                format!("On the critical path and not started; due to start {since}")
            }
            (Reason::LateStart { since }, true) => format!("应于 {since} 开始，尚未开始"),
            (Reason::LateStart { since }, false) => format!("Not started; due to start {since}"),
            (Reason::Blocked, true) => "被阻塞".into(),
            (Reason::Blocked, false) => "Blocked".into(),
            (Reason::LowSlack { slack, starts_in }, chinese) => {
                let when = starts(*starts_in, chinese);
                match (*slack, chinese) {
                    // Less than none: the work as planned cannot make its deadline.
                    (s, true) if s < 0 => format!("按计划会晚 {} 个工作日，{when}", -s),
                    (s, false) if s < 0 => format!("{} behind as planned; {when}", working_days(-s)),
                    (0, true) => format!("没有余量，{when}"),
                    (0, false) => format!("No slack; {when}"),
                    (s, true) => format!("只剩 {s} 个工作日余量，{when}"),
                    (s, false) => format!("Only {} of slack; {when}", working_days(s)),
                }
            }
            (Reason::Risky(record), chinese) => record.explain(chinese),
            (Reason::Tasks { red, amber, title, why, .. }, chinese) => {
                Self::tasks_described(*red, *amber, title, why, chinese)
            }
        }
    }

    /// A roll-up's words, with the worst task called `title` (a screen that shows the task's
    /// title as it is now passes that).
    pub fn tasks_described(red: usize, amber: usize, title: &str, why: &str, chinese: bool) -> String {
        if chinese {
            format!("{red} 个红色、{amber} 个黄色任务；最严重：{title}：{why}")
        } else {
            format!("{red} red and {amber} amber tasks; worst: {title}: {why}")
        }
    }
}

fn working_days(n: i32) -> String {
    if n == 1 { "1 working day".into() } else { format!("{n} working days") }
}

/// When work starts, from today: "starts in 3 days", "starts today", "began".
fn starts(days: i32, chinese: bool) -> String {
    match (days, chinese) {
        (d, true) if d < 0 => "已开始".into(),
        (d, false) if d < 0 => "began already".into(),
        (0, true) => "今天开始".into(),
        (0, false) => "starts today".into(),
        (1, true) => "明天开始".into(),
        (1, false) => "starts tomorrow".into(),
        (d, true) => format!("{d} 天后开始"),
        (d, false) => format!("starts in {d} days"),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RagStatus {
    pub rag: Rag,
    pub reason: Reason,
}

/// The status of one task on `today`.
pub fn task_status(
    task: &Task,
    planned: Option<&ScheduledTask>,
    today: Date,
    rules: &RagRules,
    history: &History,
) -> RagStatus {
    let status = |rag, reason| RagStatus { rag, reason };
    if task.is_done() {
        return status(Rag::Green, Reason::Done);
    }
    let due = task.due.or(planned.map(|p| p.finish));
    if let Some(due) = due
        && today > due
    {
        return status(Rag::Red, Reason::Overdue { days: today.days() - due.days() });
    }
    let not_started = task.status == Status::Todo;
    if let Some(p) = planned
        && not_started
        && today > p.start
    {
        return if p.critical {
            status(Rag::Red, Reason::CriticalLate { since: p.start })
        } else {
            status(Rag::Amber, Reason::LateStart { since: p.start })
        };
    }
    if task.status == Status::Blocked {
        return status(Rag::Amber, Reason::Blocked);
    }
    if let Some(p) = planned {
        let starts_in = p.start.days() - today.days();
        if p.slack_days < rules.amber_slack_days && starts_in <= rules.lookahead_days {
            return status(Rag::Amber, Reason::LowSlack { slack: p.slack_days, starts_in: starts_in.max(0) });
        }
    }
    if let Some(record) = history.risk_for(task).filter(|r| r.slip_rate() >= rules.risk_threshold) {
        return status(Rag::Amber, Reason::Risky(record.clone()));
    }
    status(Rag::Green, Reason::OnTrack)
}

/// How bad a reason is among those of its colour: the longer overdue, the longer late to
/// start, the less slack, the worse.
fn severity(reason: &Reason) -> i64 {
    match reason {
        Reason::Overdue { days } => i64::from(*days),
        Reason::CriticalLate { since } | Reason::LateStart { since } => -i64::from(since.days()),
        Reason::LowSlack { slack, .. } => -i64::from(*slack),
        Reason::Risky(record) => (record.slip_rate() * 1000.0) as i64,
        _ => 0,
    }
}

/// The worst of many tasks' statuses, with counts, naming the worst task (the most overdue of
/// the red ones, say).
pub fn roll_up<'a>(
    statuses: impl IntoIterator<Item = (&'a RagStatus, &'a Task)>,
    chinese: bool,
) -> RagStatus {
    let (mut red, mut amber) = (0, 0);
    let mut worst: Option<(&RagStatus, &Task)> = None;
    for (status, task) in statuses {
        match status.rag {
            Rag::Red => red += 1,
            Rag::Amber => amber += 1,
            Rag::Green => {}
        }
        if worst.is_none_or(|(w, _)| (status.rag, severity(&status.reason)) > (w.rag, severity(&w.reason))) {
            worst = Some((status, task));
        }
    }
    match worst {
        Some((w, task)) if w.rag > Rag::Green => RagStatus {
            rag: w.rag,
            reason: Reason::Tasks {
                red,
                amber,
                task: task.id,
                title: task.title.clone(),
                why: w.reason.describe(chinese),
            },
        },
        _ => RagStatus { rag: Rag::Green, reason: Reason::OnTrack },
    }
}

/// Every task's, every phase's and the project's status.
#[derive(Debug, Clone)]
pub struct PlanStatus {
    pub tasks: HashMap<TaskId, RagStatus>,
    pub phases: HashMap<PhaseId, RagStatus>,
    pub project: RagStatus,
}

pub fn plan_status(
    project: &Project,
    schedule: &Schedule,
    today: Date,
    rules: &RagRules,
    history: &History,
    chinese: bool,
) -> PlanStatus {
    let tasks: HashMap<TaskId, RagStatus> = project
        .tasks
        .values()
        .map(|t| (t.id, task_status(t, schedule.tasks.get(&t.id), today, rules, history)))
        .collect();
    let mut by_phase: HashMap<PhaseId, Vec<(&RagStatus, &Task)>> = HashMap::new();
    for task in project.tasks.values() {
        if let Some(phase) = task.phase {
            by_phase.entry(phase).or_default().push((&tasks[&task.id], task));
        }
    }
    let phases = project
        .phases
        .iter()
        .map(|phase| (phase.id, roll_up(by_phase.remove(&phase.id).unwrap_or_default(), chinese)))
        .collect();
    let all = roll_up(project.tasks.values().map(|t| (&tasks[&t.id], t)), chinese);
    PlanStatus { tasks, phases, project: all }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::WorkCalendar;
    use crate::plan::schedule::{Anchor, Work, schedule};

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn planned(start: &str, finish: &str, slack: i32, critical: bool) -> ScheduledTask {
        ScheduledTask {
            start: d(start),
            finish: d(finish),
            late_start: d(start),
            late_finish: d(finish),
            slack_days: slack,
            critical,
        }
    }

    #[test]
    fn the_rules_in_order() {
        let rules = RagRules::default();
        let none = History::default();
        let mut task = Task::new("首页banner设计", None, 0);
        let today = d("2026-10-20");

        let p = planned("2026-10-10", "2026-10-15", 3, false);
        assert_eq!(task_status(&task, Some(&p), today, &rules, &none).reason, Reason::Overdue { days: 5 });

        let p = planned("2026-10-18", "2026-10-25", 0, true);
        assert_eq!(task_status(&task, Some(&p), today, &rules, &none).rag, Rag::Red, "critical and late");
        let p = planned("2026-10-18", "2026-10-25", 5, false);
        assert_eq!(task_status(&task, Some(&p), today, &rules, &none).rag, Rag::Amber);

        task.status = Status::InProgress;
        let p = planned("2026-10-21", "2026-10-25", 1, false);
        let s = task_status(&task, Some(&p), today, &rules, &none);
        assert_eq!(s.reason, Reason::LowSlack { slack: 1, starts_in: 1 });
        assert_eq!(s.reason.describe(true), "只剩 1 个工作日余量，明天开始");
        // None left, or less than none, reads as what it is.
        let behind = Reason::LowSlack { slack: -3, starts_in: 2 };
        assert_eq!(behind.describe(true), "按计划会晚 3 个工作日，2 天后开始");
        assert_eq!(behind.describe(false), "3 working days behind as planned; starts in 2 days");
        assert_eq!(Reason::LowSlack { slack: 0, starts_in: 0 }.describe(true), "没有余量，今天开始");
        assert_eq!(
            Reason::LowSlack { slack: 1, starts_in: -2 }.describe(false),
            "Only 1 working day of slack; began already"
        );

        let p = planned("2026-12-01", "2026-12-05", 1, false);
        assert_eq!(task_status(&task, Some(&p), today, &rules, &none).rag, Rag::Green, "far off");

        task.status = Status::Done;
        assert_eq!(task_status(&task, Some(&p), d("2027-01-01"), &rules, &none).reason, Reason::Done);
    }

    #[test]
    fn phases_and_the_project_take_their_worst_task() {
        let mut project = Project::new("618", crate::domain::ProjectKind::Campaign, 0);
        let phase = crate::domain::Phase { id: PhaseId::random(), name: "页面与内容".into() };
        project.phases.push(phase.clone());
        let mut late = Task::new("页面测试", Some(phase.id), 0);
        late.due = Some(d("2026-06-01"));
        let mut less_late = Task::new("主图拍摄", Some(phase.id), 0);
        less_late.due = Some(d("2026-06-02"));
        let fine = Task::new("客服培训", None, 1);
        for t in [&less_late, &late, &fine] {
            project.tasks.insert(t.id, t.clone());
        }
        let work: Vec<Work> = project.tasks.values().map(Work::from).collect();
        let s = schedule(&work, &WorkCalendar::default(), Anchor::Start(d("2026-06-10")));
        let status =
            plan_status(&project, &s, d("2026-06-03"), &RagRules::default(), &History::default(), false);
        assert_eq!(status.phases[&phase.id].rag, Rag::Red);
        assert_eq!(status.project.rag, Rag::Red);
        assert!(
            status.project.reason.describe(false).contains("页面测试: Overdue by 2 days"),
            "{:?}",
            status.project.reason
        );
        // The most overdue is the worst, in whatever order the tasks come.
        let (a, b) = (&status.tasks[&less_late.id], &status.tasks[&late.id]);
        for pair in [[(a, &less_late), (b, &late)], [(b, &late), (a, &less_late)]] {
            let rolled = roll_up(pair, false);
            assert!(rolled.reason.describe(false).contains("页面测试"), "{:?}", rolled.reason);
        }
    }
}
