//! The project dashboard: what a plan's numbers say at a glance. Its red, amber or green and
//! the tasks behind it, how far each milestone and the launch (or campaign) day is and how
//! much of the work before it is done against plan, the burn-down, cycle times against the
//! workspace's targets, and the risks the team's history sees, each with someone to give it
//! to. A pure function of the plan, so the browser computes it offline.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use super::gantt::{milestone_date, progress};
use super::insight::{CycleTime, cycle_time_by_sku, cycle_time_by_tag, on_time_rate};
use super::rag::{Rag, RagStatus, plan_status};
use super::risk::{History, Suggestion, TagRecord, suggest_assignee};
use super::schedule::Schedule;
use super::workload::{Workload, hours_each};
use crate::domain::{CycleTarget, Date, Project, RagRules, Task, WorkCalendar, WorkIndex};
use crate::{MemberId, MilestoneId, TaskId};

/// What the dashboard needs besides the plan.
#[derive(Debug, Clone, Copy)]
pub struct Lens<'a> {
    pub schedule: &'a Schedule,
    pub today: Date,
    pub rules: &'a RagRules,
    pub history: &'a History,
    pub targets: &'a [CycleTarget],
    /// Who may be given work, their planned hours in this plan and in the workspace's others
    /// (`elsewhere`), and the calendar those are counted on (for suggestions).
    pub members: &'a [MemberId],
    pub workload: Option<&'a Workload>,
    pub elsewhere: Option<&'a Workload>,
    pub calendar: &'a WorkCalendar,
    pub chinese: bool,
}

/// Red and amber tasks listed at most; the rest are counted.
pub const FLAGGED_SHOWN: usize = 50;
/// Risks listed at most (each with a suggestion, which reads every task); the rest are
/// counted.
pub const RISKS_SHOWN: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub status: RagStatus,
    /// Red and amber tasks, red first, then the most overdue (earliest due) first: the first
    /// [`FLAGGED_SHOWN`] of `flagged_total`.
    pub flagged: Vec<Flagged>,
    pub flagged_total: usize,
    /// The launch or campaign day, over all of the plan's work.
    pub event: Option<Countdown>,
    pub milestones: Vec<Countdown>,
    pub burndown: Burndown,
    pub on_time: Option<f64>,
    pub cycle_by_tag: Vec<CycleTime>,
    pub cycle_by_sku: Vec<CycleTime>,
    /// Open tasks of a kind that slipped often, worst record first: the first
    /// [`RISKS_SHOWN`] of `risks_total`.
    pub risks: Vec<Risk>,
    pub risks_total: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flagged {
    pub task: TaskId,
    pub title: String,
    pub status: RagStatus,
}

/// How far a day is, and how much of the work before it is done against plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Countdown {
    /// `None` for the launch or campaign day.
    pub milestone: Option<MilestoneId>,
    pub name: String,
    pub date: Date,
    /// Negative once it has passed.
    pub days_left: i32,
    /// The tasks it waits for (a milestone's, with everything they depend on; every task for
    /// the launch day).
    pub tasks: usize,
    /// Share of that work done, 0 to 1 (a task's checklist counts in part).
    pub done: f64,
    /// Share the schedule had done by today.
    pub planned: f64,
}

impl Countdown {
    /// Done falls short of plan by more than a tenth.
    pub fn behind(&self) -> bool {
        self.planned - self.done > 0.1
    }
}

/// Tasks remaining at the end of each day, as planned and as it went.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Burndown {
    pub days: Vec<BurnDay>,
    /// Tasks in the plan now.
    pub total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurnDay {
    pub date: Date,
    /// Tasks the plan has still open at the end of the day.
    pub planned: usize,
    /// Tasks that existed and were not done at the end of the day; `None` before the plan's
    /// first task was made, and after today.
    pub actual: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub task: TaskId,
    pub title: String,
    pub record: TagRecord,
    /// Someone better placed than who has it now, if there is such a person.
    pub suggestion: Option<Suggestion>,
}

/// The longest burn-down drawn, in days; a longer plan shows its last this many.
const MAX_BURN_DAYS: i32 = 731;

/// A flagged task as the dashboard orders them: (red first, due, title, id, its status).
type FlagKey<'a> = (Reverse<Rag>, Option<Date>, &'a str, TaskId, &'a RagStatus);

pub fn dashboard(project: &Project, lens: &Lens) -> Dashboard {
    let statuses = plan_status(project, lens.schedule, lens.today, lens.rules, lens.history, lens.chinese);
    let due = |id: &TaskId| {
        let task = &project.tasks[id];
        task.due.or(lens.schedule.tasks.get(id).map(|p| p.finish))
    };
    // Red before amber, then the earliest due, then by title (and id): each task's key read
    // once, and only the first FLAGGED_SHOWN put in order (a big plan flags thousands, and
    // this runs again on every change while the dashboard is open).
    let mut flagged: Vec<FlagKey<'_>> = statuses
        .tasks
        .iter()
        .filter(|(_, s)| s.rag > Rag::Green)
        .map(|(id, s)| (Reverse(s.rag), due(id), project.tasks[id].title.as_str(), *id, s))
        .collect();
    let flagged_total = flagged.len();
    let order = |a: &FlagKey<'_>, b: &FlagKey<'_>| (a.0, a.1, a.2, a.3).cmp(&(b.0, b.1, b.2, b.3));
    if flagged.len() > FLAGGED_SHOWN {
        flagged.select_nth_unstable_by(FLAGGED_SHOWN, order);
        flagged.truncate(FLAGGED_SHOWN);
    }
    flagged.sort_unstable_by(order);
    let flagged: Vec<Flagged> = flagged
        .into_iter()
        .map(|(_, _, title, task, status)| Flagged { task, title: title.to_owned(), status: status.clone() })
        .collect();

    let all: Vec<TaskId> = project.tasks.keys().copied().collect();
    let event =
        project.meta.launch.map(|date| countdown(project, lens, None, project.meta.name.clone(), date, &all));
    let milestones = project
        .milestones
        .iter()
        .filter_map(|m| {
            let date = milestone_date(m, lens.schedule)?;
            let before = with_dependencies(project, &m.after);
            Some(countdown(project, lens, Some(m.id), m.name.clone(), date, &before))
        })
        .collect();

    let (risks, risks_total) = risks(project, lens);
    Dashboard {
        status: statuses.project,
        flagged,
        flagged_total,
        event,
        milestones,
        burndown: burndown(project, lens.schedule, lens.today),
        on_time: on_time_rate(project.tasks.values()),
        cycle_by_tag: cycle_time_by_tag(project.tasks.values(), lens.targets),
        cycle_by_sku: cycle_time_by_sku(project.tasks.values(), lens.targets),
        risks,
        risks_total,
    }
}

/// `tasks` and every task they depend on, directly or not.
fn with_dependencies(project: &Project, tasks: &[TaskId]) -> Vec<TaskId> {
    let mut seen: BTreeSet<TaskId> = BTreeSet::new();
    let mut stack: Vec<TaskId> = tasks.to_vec();
    while let Some(id) = stack.pop() {
        let Some(task) = project.tasks.get(&id) else { continue };
        if seen.insert(id) {
            stack.extend(task.depends_on.iter().map(|d| d.task));
        }
    }
    seen.into_iter().collect()
}

fn countdown(
    project: &Project,
    lens: &Lens,
    milestone: Option<MilestoneId>,
    name: String,
    date: Date,
    tasks: &[TaskId],
) -> Countdown {
    let tasks: Vec<&Task> = tasks.iter().filter_map(|id| project.tasks.get(id)).collect();
    let share = |f: &dyn Fn(&Task) -> f64| {
        if tasks.is_empty() { 0.0 } else { tasks.iter().map(|t| f(t)).sum::<f64>() / tasks.len() as f64 }
    };
    let planned = |task: &Task| match lens.schedule.tasks.get(&task.id) {
        Some(p) => planned_share(p.start, p.finish, lens.today),
        // Not on the schedule (no dates to work from): due by the day itself.
        None => f64::from(u8::from(lens.today >= date)),
    };
    Countdown {
        milestone,
        name,
        date,
        days_left: date.days() - lens.today.days(),
        tasks: tasks.len(),
        done: share(&progress),
        planned: share(&planned),
    }
}

/// How much of work planned from `start` to `finish` (both days included) the plan has done
/// by the end of `today`.
fn planned_share(start: Date, finish: Date, today: Date) -> f64 {
    let length = f64::from(finish.days() - start.days() + 1).max(1.0);
    (f64::from(today.days() - start.days() + 1) / length).clamp(0.0, 1.0)
}

/// Remaining tasks per day, from the plan's start (or its first task, if earlier) to its
/// finish (or today, if later). A task is planned to close on its baseline's due day, else
/// its scheduled finish, else its due day, else the plan's finish.
pub fn burndown(project: &Project, schedule: &Schedule, today: Date) -> Burndown {
    let total = project.tasks.len();
    if total == 0 {
        return Burndown::default();
    }
    let created = |t: &Task| Date::from_millis(t.created_at);
    let first_created = project.tasks.values().map(created).min().unwrap_or(schedule.start);
    let mut first = schedule.start.min(first_created).min(today);
    let last = schedule.finish.max(today);
    if last.days() - first.days() >= MAX_BURN_DAYS {
        first = last.add_days(1 - MAX_BURN_DAYS);
    }
    // Per day: tasks planned to close, created, and done. Each counted once, then summed up
    // as the days go by (one pass over the tasks, one over the days).
    let days = (last.days() - first.days() + 1) as usize;
    // Slot 0 holds what happened before the first day; the last, what happens after the last.
    let index = |date: Date| ((date.days() - first.days()).clamp(-1, days as i32) + 1) as usize;
    let mut closes = vec![0usize; days + 2];
    let mut opens = vec![0usize; days + 2];
    let mut finishes = vec![0usize; days + 2];
    for task in project.tasks.values() {
        let close = task
            .baseline
            .map(|b| b.due)
            .or(schedule.tasks.get(&task.id).map(|p| p.finish))
            .or(task.due)
            .unwrap_or(schedule.finish);
        closes[index(close)] += 1;
        opens[index(created(task))] += 1;
        if task.is_done() {
            // Done without a record of when: done from the start.
            let on = task.completed_at.map(Date::from_millis).unwrap_or(first);
            finishes[index(on)] += 1;
        }
    }
    let (mut closed, mut opened, mut finished) = (closes[0], opens[0], finishes[0]);
    let mut out = Vec::with_capacity(days);
    for n in 0..days {
        let date = first.add_days(n as i32);
        closed += closes[n + 1];
        opened += opens[n + 1];
        finished += finishes[n + 1];
        out.push(BurnDay {
            date,
            planned: total - closed,
            actual: (first_created <= date && date <= today).then(|| opened.saturating_sub(finished)),
        });
    }
    Burndown { days: out, total }
}

/// The worst [`RISKS_SHOWN`] risks, each with a suggestion, and how many there are.
fn risks(project: &Project, lens: &Lens) -> (Vec<Risk>, usize) {
    let index = WorkIndex::new(lens.calendar);
    let mut found: Vec<(&Task, &TagRecord)> = project
        .tasks
        .values()
        .filter(|t| !t.is_done())
        .filter_map(|task| {
            let record =
                lens.history.risk_for(task).filter(|r| r.slip_rate() >= lens.rules.risk_threshold)?;
            Some((task, record))
        })
        .collect();
    let total = found.len();
    found.sort_by(|(a, ra), (b, rb)| {
        rb.slip_rate().total_cmp(&ra.slip_rate()).then_with(|| a.title.cmp(&b.title))
    });
    let risks = found
        .into_iter()
        .take(RISKS_SHOWN)
        .map(|(task, record)| {
            let planned = lens.schedule.tasks.get(&task.id);
            let load = |member: MemberId| match (lens.workload, planned) {
                (Some(w), Some(p)) => {
                    // Their hours over the task's days, less this task's own share.
                    let own =
                        if task.assignees.contains(&member) { hours_each(task, p, &index) } else { 0.0 };
                    (w.hours_between(member, p.start, p.finish) - own).max(0.0)
                }
                _ => 0.0,
            } + match (lens.elsewhere, planned) {
                (Some(w), Some(p)) => w.hours_between(member, p.start, p.finish),
                _ => 0.0,
            };
            let suggestion = suggest_assignee(task, lens.members.iter().copied(), lens.history, load)
                .filter(|s| task.assignees != [s.member]);
            Risk { task: task.id, title: task.title.clone(), record: record.clone(), suggestion }
        })
        .collect();
    (risks, total)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::{Baseline, Dependency, Member, Milestone, ProjectKind, Status};
    use crate::plan::rag::Reason;
    use crate::plan::workload::{Booking, hours_of};
    use crate::plan::{schedule_plan, workload};

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn ms(day: &str) -> i64 {
        i64::from(d(day).days()) * 86_400_000
    }

    fn task(project: &mut Project, title: &str, days: u32, after: &[TaskId]) -> TaskId {
        let mut task = Task::new(title, None, ms("2026-09-01"));
        task.duration_days = Some(days);
        task.depends_on = after.iter().map(|id| Dependency::after(*id)).collect();
        let id = task.id;
        project.tasks.insert(id, task);
        id
    }

    fn finish(task: &mut Task, on: &str) {
        task.status = Status::Done;
        task.completed_at = Some(ms(on) + 3_600_000);
    }

    struct Fixture {
        project: Project,
        schedule: Schedule,
        history: History,
        calendar: WorkCalendar,
    }

    impl Fixture {
        /// Planned from Monday 7 September 2026, on weekdays.
        fn new(project: Project, today: Date) -> Self {
            let calendar = WorkCalendar::default();
            let schedule = schedule_plan(project.tasks.values(), &project.meta, &calendar, today);
            let history = History::learn(project.tasks.values());
            Self { project, schedule, history, calendar }
        }

        fn dashboard(&self, today: Date, members: &[MemberId], workload: Option<&Workload>) -> Dashboard {
            self.dashboard_with(today, members, workload, None)
        }

        fn dashboard_with(
            &self,
            today: Date,
            members: &[MemberId],
            workload: Option<&Workload>,
            elsewhere: Option<&Workload>,
        ) -> Dashboard {
            let rules = RagRules::default();
            let lens = Lens {
                schedule: &self.schedule,
                today,
                rules: &rules,
                history: &self.history,
                targets: &[],
                members,
                workload,
                elsewhere,
                calendar: &self.calendar,
                chinese: true,
            };
            dashboard(&self.project, &lens)
        }
    }

    /// Brief (2 days), then design (3 days) and a milestone after it; a banner due Tuesday.
    fn launch() -> (Project, [TaskId; 3]) {
        let mut project = Project::new("新品首发", ProjectKind::Launch, ms("2026-09-01"));
        project.meta.start = Some(d("2026-09-07"));
        let brief = task(&mut project, "产品定位", 2, &[]);
        let design = task(&mut project, "包装设计", 3, &[brief]);
        let banner = task(&mut project, "首页banner", 1, &[]);
        project.tasks.get_mut(&banner).expect("banner").due = Some(d("2026-09-08"));
        project.milestones.push(Milestone {
            id: MilestoneId::random(),
            name: "设计定稿".into(),
            after: vec![design],
            date: None,
        });
        (project, [brief, design, banner])
    }

    #[test]
    fn a_late_task_turns_the_plan_red_and_is_listed_first_with_its_reason() {
        let (mut project, [brief, design, banner]) = launch();
        finish(project.tasks.get_mut(&brief).expect("brief"), "2026-09-08");
        project.tasks.get_mut(&design).expect("design").status = Status::InProgress;
        let today = d("2026-09-10");
        let board = Fixture::new(project, today).dashboard(today, &[], None);

        assert_eq!(board.status.rag, Rag::Red);
        assert!(
            matches!(&board.status.reason, Reason::Tasks { red: 1, amber: 1, task, title, .. } if *task == banner && title == "首页banner"),
            "{:?}",
            board.status.reason
        );
        let listed: Vec<(TaskId, Rag)> = board.flagged.iter().map(|f| (f.task, f.status.rag)).collect();
        assert_eq!(listed, [(banner, Rag::Red), (design, Rag::Amber)]);
        assert_eq!(board.flagged[0].status.reason, Reason::Overdue { days: 2 });
    }

    #[test]
    fn of_many_late_tasks_the_first_fifty_due_are_listed_in_order_and_the_rest_counted() {
        let mut project = Project::new("双十一", ProjectKind::Campaign, ms("2026-09-01"));
        project.meta.start = Some(d("2026-09-01"));
        // Eighty tasks, due on one of twenty days (four on each, named out of order).
        let mut due_of = Vec::new();
        for n in 0..80 {
            let id = task(&mut project, &format!("任务 {:02}", (n * 37) % 80), 1, &[]);
            let due = d("2026-09-01").add_days(n % 20);
            project.tasks.get_mut(&id).expect("task").due = Some(due);
            due_of.push((due, project.tasks[&id].title.clone(), id));
        }
        let today = d("2026-10-15");
        let board = Fixture::new(project, today).dashboard(today, &[], None);

        assert_eq!((board.flagged.len(), board.flagged_total), (FLAGGED_SHOWN, 80));
        due_of.sort();
        let expected: Vec<TaskId> = due_of.iter().take(FLAGGED_SHOWN).map(|(_, _, id)| *id).collect();
        let listed: Vec<TaskId> = board.flagged.iter().map(|f| f.task).collect();
        assert_eq!(listed, expected, "the earliest due first, then by title");
    }

    #[test]
    fn a_milestone_counts_down_with_the_work_before_it_done_against_plan() {
        let (mut project, [brief, _, _]) = launch();
        finish(project.tasks.get_mut(&brief).expect("brief"), "2026-09-08");
        project.meta.launch = Some(d("2026-09-18"));
        project.meta.start = None;
        let today = d("2026-09-15");
        let fixture = Fixture::new(project, today);
        let board = fixture.dashboard(today, &[], None);

        // Worked back from Friday the 18th, the plan starts on Monday the 14th. The brief,
        // done on the 8th, stays there, so design can begin on that Monday: Monday to
        // Wednesday.
        let [milestone] = &board.milestones[..] else { panic!("{:?}", board.milestones) };
        assert_eq!(
            (milestone.name.as_str(), milestone.date, milestone.days_left),
            ("设计定稿", d("2026-09-16"), 1)
        );
        assert_eq!(milestone.tasks, 2, "design and the brief it waits for");
        assert_eq!(milestone.done, 0.5);
        // By Tuesday the brief is due in full and two of design's three days: design, not
        // yet begun, holds the milestone back.
        assert!((milestone.planned - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-9, "{}", milestone.planned);
        assert!(milestone.behind());

        let event = board.event.expect("a launch day");
        assert_eq!((event.date, event.days_left, event.tasks), (d("2026-09-18"), 3, 3));
        assert!((event.done - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn the_burndown_counts_what_each_day_left_open_as_planned_and_as_it_went() {
        let (mut project, [brief, design, banner]) = launch();
        finish(project.tasks.get_mut(&brief).expect("brief"), "2026-09-09");
        project.tasks.get_mut(&banner).expect("banner").baseline =
            Some(Baseline { start: d("2026-09-07"), due: d("2026-09-07") });
        let today = d("2026-09-10");
        let fixture = Fixture::new(project, today);
        // The brief, done a day late on Wednesday, stays there: design follows from Thursday.
        assert_eq!(fixture.schedule.tasks[&design].finish, d("2026-09-14"));
        let burn = burndown(&fixture.project, &fixture.schedule, today);

        assert_eq!(burn.total, 3);
        let day = |s: &str| *burn.days.iter().find(|b| b.date == d(s)).expect("a day on the chart");
        assert_eq!(
            burn.days.first().map(|b| b.date),
            Some(d("2026-09-01")),
            "from the day the tasks were made"
        );
        assert_eq!(burn.days.last().map(|b| b.date), Some(d("2026-09-14")), "to the plan's finish");
        // Planned: the banner closes on its baseline's day, the brief (no day of its own) on
        // the day it was done, design on the Monday after.
        let planned: Vec<usize> = ["2026-09-06", "2026-09-07", "2026-09-08", "2026-09-09", "2026-09-14"]
            .iter()
            .map(|s| day(s).planned)
            .collect();
        assert_eq!(planned, [3, 2, 2, 1, 0]);
        // As it went: the brief was done a day late, on Wednesday; nothing is known of tomorrow.
        let actual: Vec<Option<usize>> =
            ["2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11"].iter().map(|s| day(s).actual).collect();
        assert_eq!(actual, [Some(3), Some(2), Some(2), None]);

        // A plan made after its schedule began (from a template, late): nothing is known of
        // the days before it was made.
        let mut late = fixture.project.clone();
        late.tasks.values_mut().for_each(|t| t.created_at = ms("2026-09-08"));
        let burn = burndown(&late, &fixture.schedule, today);
        let day = |s: &str| *burn.days.iter().find(|b| b.date == d(s)).expect("a day on the chart");
        assert_eq!((day("2026-09-07").planned, day("2026-09-07").actual), (2, None));
        assert_eq!(day("2026-09-08").actual, Some(3));
    }

    #[test]
    fn work_of_a_kind_that_slipped_before_is_a_risk_with_someone_better_placed_to_take_it() {
        let (mut project, [_, design, _]) = launch();
        let (xiaowang, xiaochen) = (Member::new("小王", vec![]), Member::new("小陈", vec![]));
        // 小王 did three packaging designs before, each three days late.
        for n in 0..3 {
            let mut done = Task::new(format!("包装设计 {n}"), None, ms("2026-08-01"));
            done.tags = vec!["包装设计".into()];
            done.assignees = vec![xiaowang.id];
            done.due = Some(d("2026-08-20"));
            finish(&mut done, "2026-08-23");
            project.tasks.insert(done.id, done);
        }
        let open = project.tasks.get_mut(&design).expect("design");
        open.tags = vec!["包装设计".into()];
        open.assignees = vec![xiaochen.id];
        let today = d("2026-09-07");
        let fixture = Fixture::new(project, today);
        let members = BTreeMap::from([(xiaowang.id, xiaowang.clone()), (xiaochen.id, xiaochen.clone())]);
        let load = workload(fixture.project.tasks.values(), &fixture.schedule, &fixture.calendar, &members);
        let ids = [xiaowang.id, xiaochen.id];
        let board = fixture.dashboard(today, &ids, Some(&load));

        let [risk] = &board.risks[..] else { panic!("{:?}", board.risks) };
        assert_eq!(risk.task, design);
        assert_eq!(risk.record.explain(true), "包装设计类任务 3 次中有 3 次延期，平均延期 3.0 天");
        let suggestion = risk.suggestion.as_ref().expect("a suggestion");
        assert_eq!((suggestion.member, suggestion.similar_done), (xiaowang.id, 3));

        // Given to 小王, nobody is better placed.
        let mut fixture = fixture;
        fixture.project.tasks.get_mut(&design).expect("design").assignees = vec![xiaowang.id];
        let load = workload(fixture.project.tasks.values(), &fixture.schedule, &fixture.calendar, &members);
        let board = fixture.dashboard(today, &ids, Some(&load));
        assert_eq!(board.risks[0].suggestion, None);
    }

    #[test]
    fn hours_booked_in_the_workspaces_other_plans_count_against_a_suggestion() {
        let (mut project, [_, design, _]) = launch();
        let (xiaowang, xiaoli) = (MemberId::random(), MemberId::random());
        // Both did three packaging designs before, each three days late: the same record.
        for (n, who) in [xiaowang, xiaowang, xiaowang, xiaoli, xiaoli, xiaoli].into_iter().enumerate() {
            let mut done = Task::new(format!("包装设计 {n}"), None, ms("2026-08-01"));
            done.tags = vec!["包装设计".into()];
            done.assignees = vec![who];
            done.due = Some(d("2026-08-20"));
            finish(&mut done, "2026-08-23");
            project.tasks.insert(done.id, done);
        }
        project.tasks.get_mut(&design).expect("design").tags = vec!["包装设计".into()];
        let today = d("2026-09-07");
        let fixture = Fixture::new(project, today);
        let at = fixture.schedule.tasks[&design];
        let index = WorkIndex::new(&fixture.calendar);
        let days: Vec<Date> =
            (index.ordinal(at.start)..=index.ordinal(at.finish)).map(|o| index.date(o)).collect();
        let booked = |who: MemberId, hours_a_day: f64| Booking {
            task: TaskId::random(),
            title: "别的工作".into(),
            assignees: vec![who],
            days: days.clone(),
            hours_a_day,
        };
        // In this plan 小李 has an hour a day over the design's days, 小王 nothing.
        let here = hours_of([&booked(xiaoli, 1.0)]);
        let ids = [xiaowang, xiaoli];
        let pick = |board: Dashboard| board.risks[0].suggestion.clone().expect("a suggestion");
        assert_eq!(pick(fixture.dashboard_with(today, &ids, Some(&here), None)).member, xiaowang);
        // But 小王 is booked full days in another plan of the workspace then: 小李 it is.
        let elsewhere = hours_of([&booked(xiaowang, 8.0)]);
        let suggestion = pick(fixture.dashboard_with(today, &ids, Some(&here), Some(&elsewhere)));
        assert_eq!((suggestion.member, suggestion.load_hours), (xiaoli, days.len() as f64));
    }
}
