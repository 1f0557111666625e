//! The plan's list as a person asks for it: filtered (words, status, assignee, tag, red /
//! amber / green, due window), grouped (by phase, assignee, status, SKU, priority or team) and
//! sorted within each group. The list view and the board share it, so that a filter means
//! the same in both.

use std::collections::BTreeMap;

use super::{History, Rag, Schedule, task_status};
use crate::domain::{Date, PlanRow, Priority, RagRules, Status, Task, Team};
use crate::{MemberId, MilestoneId, PhaseId, TaskId};

/// Which tasks to show. The default shows all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskFilter {
    /// Words in the title (any case).
    pub text: String,
    pub status: Option<Status>,
    pub assignee: AssigneeFilter,
    /// One of the task's tags, exactly.
    pub tag: String,
    pub rag: Option<Rag>,
    pub due: DueWindow,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Nobody,
    Member(MemberId),
}

/// When a task is due: its own due date, else its planned finish.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DueWindow {
    #[default]
    Any,
    /// Due before today and not done.
    Overdue,
    Today,
    /// From today through the next [`super::inbox::DUE_SOON_DAYS`] days, not done.
    Soon,
    /// Neither a due date nor a planned finish.
    NoDate,
}

/// How the tasks that are shown are grouped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GroupBy {
    #[default]
    Phase,
    Assignee,
    Status,
    Sku,
    Priority,
    Team,
}

/// How tasks are ordered inside a group; ties keep the plan's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// The order people added them.
    #[default]
    Plan,
    /// Planned start, earliest first; unplanned last.
    Start,
    /// Due date (else planned finish), earliest first; undated last.
    Due,
    /// Urgent first.
    Priority,
    Title,
    /// Least slack first: what delays the launch soonest.
    Slack,
}

/// A group's heading.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Heading {
    /// `None`: the tasks of no phase.
    Phase(Option<PhaseId>),
    /// A task with several assignees is listed under its first; `None`: nobody.
    Assignee(Option<MemberId>),
    Status(Status),
    Sku(Option<String>),
    Priority(Priority),
    Team(Option<Team>),
}

/// One line of the arranged list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Line {
    Heading(Heading),
    Task(TaskId),
    Milestone(MilestoneId),
}

/// What judging a task's red / amber / green and its dates needs.
pub struct Judge<'a> {
    pub schedule: Option<&'a Schedule>,
    pub rules: &'a RagRules,
    pub history: &'a History,
    pub today: Date,
}

impl Judge<'_> {
    fn due(&self, task: &Task) -> Option<Date> {
        task.due.or_else(|| self.schedule.and_then(|s| s.tasks.get(&task.id)).map(|p| p.finish))
    }

    fn keeps(&self, filter: &TaskFilter, task: &Task) -> bool {
        let text = filter.text.trim().to_lowercase();
        let tag = filter.tag.trim();
        (text.is_empty() || task.title.to_lowercase().contains(&text))
            && filter.status.as_ref().is_none_or(|s| task.status == *s)
            && match filter.assignee {
                AssigneeFilter::Anyone => true,
                AssigneeFilter::Nobody => task.assignees.is_empty(),
                AssigneeFilter::Member(m) => task.assignees.contains(&m),
            }
            && (tag.is_empty() || task.tags.iter().any(|t| t == tag))
            && filter.rag.is_none_or(|rag| {
                let planned = self.schedule.and_then(|s| s.tasks.get(&task.id));
                task_status(task, planned, self.today, self.rules, self.history).rag == rag
            })
            && self.in_window(filter.due, task)
    }

    fn in_window(&self, window: DueWindow, task: &Task) -> bool {
        let days = self.due(task).map(|d| d.days() - self.today.days());
        match window {
            DueWindow::Any => true,
            DueWindow::NoDate => days.is_none(),
            DueWindow::Overdue => !task.is_done() && days.is_some_and(|d| d < 0),
            DueWindow::Today => days == Some(0),
            DueWindow::Soon => {
                !task.is_done() && days.is_some_and(|d| (0..=super::inbox::DUE_SOON_DAYS).contains(&d))
            }
        }
    }

    fn heading(group: GroupBy, task: &Task) -> Heading {
        match group {
            GroupBy::Phase => Heading::Phase(task.phase),
            GroupBy::Assignee => Heading::Assignee(task.assignees.first().copied()),
            GroupBy::Status => Heading::Status(task.status.clone()),
            GroupBy::Sku => Heading::Sku(task.sku.clone().filter(|s| !s.trim().is_empty())),
            GroupBy::Priority => Heading::Priority(task.priority),
            GroupBy::Team => Heading::Team(task.team),
        }
    }

    fn sort(&self, sort: SortBy, tasks: &mut [&Task]) {
        let planned = |t: &Task| self.schedule.and_then(|s| s.tasks.get(&t.id));
        // `None` after every date: (true, _) sorts after (false, _).
        let last_if_none = |d: Option<Date>| (d.is_none(), d);
        match sort {
            SortBy::Plan => {}
            SortBy::Start => tasks.sort_by_key(|t| last_if_none(planned(t).map(|p| p.start).or(t.start))),
            SortBy::Due => tasks.sort_by_key(|t| last_if_none(self.due(t))),
            SortBy::Priority => tasks.sort_by_key(|t| std::cmp::Reverse(t.priority)),
            SortBy::Title => tasks.sort_by_cached_key(|t| t.title.to_lowercase()),
            SortBy::Slack => tasks.sort_by_key(|t| planned(t).map_or(i32::MAX, |p| p.slack_days)),
        }
    }
}

/// The list for `rows` (the plan by phase, as [`crate::domain::PlanView::rows`] gives it):
/// the tasks `filter` keeps, grouped and sorted. Grouped by phase, phases keep their order and
/// milestones their place (they go while a filter is on: they are not tasks); other groups
/// come in a fixed order (`members` for people, the workflow for status, urgent first, teams
/// as listed), with "none" last. Groups with nothing to show are left out, except phases
/// when nothing is filtered.
pub fn arrange<'t>(
    rows: &[PlanRow],
    task: impl Fn(TaskId) -> Option<&'t Task>,
    filter: &TaskFilter,
    group: GroupBy,
    sort: SortBy,
    members: &[MemberId],
    judge: &Judge<'_>,
) -> Vec<Line> {
    let unfiltered = *filter == TaskFilter::default();
    if group == GroupBy::Phase {
        let mut out = Vec::with_capacity(rows.len());
        let mut section: Vec<&Task> = Vec::new();
        let mut milestones = Vec::new();
        let mut heading = None;
        let flush = |out: &mut Vec<Line>,
                     heading: Option<Heading>,
                     section: &mut Vec<&Task>,
                     milestones: &mut Vec<MilestoneId>| {
            judge.sort(sort, section);
            if let Some(heading) = heading
                && (unfiltered || !section.is_empty())
            {
                out.push(Line::Heading(heading));
            }
            out.extend(section.drain(..).map(|t| Line::Task(t.id)));
            out.extend(milestones.drain(..).map(Line::Milestone));
        };
        for row in rows {
            match row {
                PlanRow::Phase(phase) => {
                    flush(&mut out, heading.take(), &mut section, &mut milestones);
                    heading = Some(Heading::Phase(*phase));
                }
                PlanRow::Task(id) => {
                    if let Some(t) = task(*id).filter(|t| unfiltered || judge.keeps(filter, t)) {
                        section.push(t);
                    }
                }
                PlanRow::Milestone(id) if unfiltered => milestones.push(*id),
                PlanRow::Milestone(_) => {}
            }
        }
        flush(&mut out, heading, &mut section, &mut milestones);
        return out;
    }
    let mut groups: BTreeMap<(u32, Heading), Vec<&Task>> = BTreeMap::new();
    for row in rows {
        let PlanRow::Task(id) = row else { continue };
        let Some(t) = task(*id).filter(|t| unfiltered || judge.keeps(filter, t)) else { continue };
        let heading = Judge::heading(group, t);
        groups.entry((rank(&heading, members), heading)).or_default().push(t);
    }
    let mut out = Vec::new();
    for ((_, heading), mut tasks) in groups {
        judge.sort(sort, &mut tasks);
        out.push(Line::Heading(heading));
        out.extend(tasks.into_iter().map(|t| Line::Task(t.id)));
    }
    out
}

/// Where a group goes: its place in the fixed order; ties (custom statuses, SKUs) by the
/// heading itself.
fn rank(heading: &Heading, members: &[MemberId]) -> u32 {
    const LAST: u32 = u32::MAX;
    let at = |i: Option<usize>| i.map_or(LAST - 1, |i| i as u32);
    match heading {
        Heading::Phase(_) => 0,
        Heading::Assignee(Some(m)) => at(members.iter().position(|x| x == m)),
        Heading::Status(s) => at(Status::DEFAULTS.iter().position(|d| d == s)),
        Heading::Priority(p) => 3 - *p as u32,
        Heading::Sku(Some(_)) => 0,
        Heading::Team(Some(team)) => *team as u32,
        Heading::Assignee(None) | Heading::Sku(None) | Heading::Team(None) => LAST,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::{Milestone, Phase, PlanView, Project, ProjectKind, TaskEntry};

    fn day(s: &str) -> Date {
        s.parse().expect("date")
    }

    struct Plan {
        view: PlanView,
    }

    impl Plan {
        fn new(phases: &[&str]) -> Self {
            let phases = phases.iter().map(|n| Phase { id: PhaseId::random(), name: (*n).into() }).collect();
            Plan {
                view: PlanView {
                    schema: 0,
                    meta: Project::new("新品首发", ProjectKind::Launch, 0).meta,
                    phases,
                    milestones: Vec::new(),
                    tasks: BTreeMap::new(),
                    problems: Vec::new(),
                },
            }
        }

        fn add(&mut self, title: &str, phase: usize, edit: impl FnOnce(&mut Task)) -> TaskId {
            let at = self.view.tasks.len() as i64;
            let mut task = Task::new(title, self.view.phases.get(phase).map(|p| p.id), at);
            edit(&mut task);
            let id = task.id;
            self.view.tasks.insert(
                id,
                std::sync::Arc::new(TaskEntry { task, problems: Vec::new(), conflicts: Vec::new() }),
            );
            id
        }

        fn arrange(
            &self,
            filter: &TaskFilter,
            group: GroupBy,
            sort: SortBy,
            members: &[MemberId],
        ) -> Vec<Line> {
            let (rules, history) = (RagRules::default(), History::default());
            let judge = Judge { schedule: None, rules: &rules, history: &history, today: day("2026-12-01") };
            arrange(
                &self.view.rows(),
                |id| self.view.tasks.get(&id).map(|e| &e.task),
                filter,
                group,
                sort,
                members,
                &judge,
            )
        }

        fn titles(&self, lines: &[Line]) -> Vec<String> {
            lines
                .iter()
                .map(|l| match l {
                    Line::Heading(h) => format!("# {h:?}"),
                    Line::Task(id) => self.view.tasks[id].task.title.clone(),
                    Line::Milestone(_) => "◆".into(),
                })
                .collect()
        }
    }

    #[test]
    fn unfiltered_by_phase_is_the_plan_by_phase() {
        let mut plan = Plan::new(&["策划", "设计"]);
        let brief = plan.add("产品定位", 0, |_| {});
        plan.add("主图设计", 1, |_| {});
        plan.view.milestones.push(Milestone {
            id: MilestoneId::random(),
            name: "定稿".into(),
            date: None,
            after: vec![brief],
        });
        let lines = plan.arrange(&TaskFilter::default(), GroupBy::Phase, SortBy::Plan, &[]);
        let rows: Vec<Line> = plan
            .view
            .rows()
            .into_iter()
            .map(|r| match r {
                PlanRow::Phase(p) => Line::Heading(Heading::Phase(p)),
                PlanRow::Task(t) => Line::Task(t),
                PlanRow::Milestone(m) => Line::Milestone(m),
            })
            .collect();
        assert_eq!(lines, rows);
    }

    #[test]
    fn filters_keep_matching_tasks_under_their_headings_and_drop_empty_groups() {
        let mut plan = Plan::new(&["策划", "设计", "上线"]);
        let (me, other) = (MemberId::random(), MemberId::random());
        plan.add("产品定位", 0, |t| t.assignees = vec![other]);
        plan.add("主图设计", 1, |t| {
            t.assignees = vec![me];
            t.tags = vec!["设计".into()];
            t.due = Some(day("2026-11-28"));
        });
        plan.add("详情页设计", 1, |t| {
            t.due = Some(day("2026-12-03"));
            t.status = Status::Done;
        });
        plan.add("上架", 2, |t| t.due = Some(day("2026-12-05")));
        let show =
            |filter: TaskFilter| plan.titles(&plan.arrange(&filter, GroupBy::Phase, SortBy::Plan, &[]));
        let phase_1 = format!("# {:?}", Heading::Phase(Some(plan.view.phases[1].id)));
        assert_eq!(
            show(TaskFilter { text: "设计".into(), ..Default::default() }),
            [phase_1.as_str(), "主图设计", "详情页设计"]
        );
        assert_eq!(
            show(TaskFilter { assignee: AssigneeFilter::Member(me), ..Default::default() })[1],
            "主图设计"
        );
        assert_eq!(show(TaskFilter { tag: "设计".into(), ..Default::default() }).len(), 2);
        assert_eq!(show(TaskFilter { due: DueWindow::Overdue, ..Default::default() })[1..], ["主图设计"]);
        // Done tasks are never "soon"; the undated one is the only one with no date.
        assert_eq!(show(TaskFilter { due: DueWindow::Soon, ..Default::default() })[1..], ["上架"]);
        assert_eq!(show(TaskFilter { due: DueWindow::NoDate, ..Default::default() })[1..], ["产品定位"]);
        // Overdue is red.
        assert_eq!(show(TaskFilter { rag: Some(Rag::Red), ..Default::default() })[1..], ["主图设计"]);
        assert!(show(TaskFilter { text: "没有".into(), ..Default::default() }).is_empty());
    }

    #[test]
    fn groups_come_in_a_fixed_order_with_none_last_and_sort_inside() {
        let mut plan = Plan::new(&["全部"]);
        let (zhou, wang) = (MemberId::random(), MemberId::random());
        plan.add("客服话术", 0, |t| {
            t.team = Some(Team::CustomerService);
            t.priority = Priority::Low;
        });
        plan.add("主图设计", 0, |t| {
            t.assignees = vec![wang, zhou];
            t.priority = Priority::Urgent;
            t.team = Some(Team::Design);
            t.sku = Some("LIP-01".into());
        });
        plan.add("备货", 0, |t| {
            t.assignees = vec![zhou];
            t.status = Status::InProgress;
            t.due = Some(day("2026-12-02"));
        });
        plan.add("详情页", 0, |t| {
            t.assignees = vec![wang];
            t.priority = Priority::High;
            t.due = Some(day("2026-11-30"));
            t.sku = Some("LIP-01".into());
        });
        let all = TaskFilter::default();
        let by = |group, sort| plan.titles(&plan.arrange(&all, group, sort, &[zhou, wang]));
        let h = |h: Heading| format!("# {h:?}");
        assert_eq!(
            by(GroupBy::Assignee, SortBy::Plan),
            [
                h(Heading::Assignee(Some(zhou))),
                "备货".into(),
                h(Heading::Assignee(Some(wang))),
                "主图设计".into(),
                "详情页".into(),
                h(Heading::Assignee(None)),
                "客服话术".into()
            ]
        );
        assert_eq!(
            by(GroupBy::Status, SortBy::Title)[..2],
            [h(Heading::Status(Status::Todo)), "主图设计".into()],
            "to do first, sorted by title inside"
        );
        assert_eq!(
            by(GroupBy::Priority, SortBy::Plan)[..2],
            [h(Heading::Priority(Priority::Urgent)), "主图设计".into()]
        );
        assert_eq!(by(GroupBy::Sku, SortBy::Plan).last().map(String::as_str), Some("备货"));
        assert_eq!(by(GroupBy::Team, SortBy::Plan)[0], h(Heading::Team(Some(Team::Design))));
        // By due date, undated last; by priority, urgent first.
        assert_eq!(by(GroupBy::Phase, SortBy::Due)[1..], ["详情页", "备货", "客服话术", "主图设计"]);
        assert_eq!(by(GroupBy::Phase, SortBy::Priority)[1..], ["主图设计", "详情页", "备货", "客服话术"]);
    }
}
