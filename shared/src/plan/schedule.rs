//! The critical-path method over working days. Each task occupies the working days
//! `[start, start + duration)`; a dependency constrains the successor's start or finish by the
//! predecessor's start or finish plus a lag. The forward pass gives the earliest dates, the
//! backward pass the latest; the difference is the slack, and the tasks with the least slack
//! form the critical path. Cycles are reported and their internal edges ignored, so that
//! scheduling always ends.

use super::graph::strongly_connected;
use crate::domain::{Date, Dependency, DependencyKind, Task, WorkCalendar, WorkIndex};
use crate::{IdMap, TaskId};

/// What the schedule is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Work starts on this day; the plan finishes when it finishes.
    Start(Date),
    /// Everything must be done by the end of this day (the launch; a day off: by the end of
    /// the working day before): the plan starts as late as it can.
    Finish(Date),
    /// Work starts on the first day, and the second is the deadline slack is measured to.
    StartWithDeadline(Date, Date),
}

/// One task's place in the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledTask {
    pub start: Date,
    /// The last working day of the task (its start, for a zero-length checkpoint).
    pub finish: Date,
    pub late_start: Date,
    pub late_finish: Date,
    /// Working days the task can slip without moving the plan's finish (negative: the
    /// deadline cannot be met).
    pub slack_days: i32,
    pub critical: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub tasks: IdMap<TaskId, ScheduledTask>,
    pub start: Date,
    /// The last working day of the plan.
    pub finish: Date,
    /// The critical tasks, earliest first (by start, then finish). Not a sequence: tasks next
    /// to each other here may run side by side. `critical_links` says which wait for which, and
    /// [`Schedule::critical_chains`] strings them into chains.
    pub critical_tasks: Vec<TaskId>,
    /// `(before, after)`: a dependency between two critical tasks that holds the second back
    /// (it starts exactly when the dependency allows, so moving the first moves it too).
    pub critical_links: Vec<(TaskId, TaskId)>,
    /// Groups of tasks that wait for each other; each is scheduled as if it did not.
    pub cycles: Vec<Vec<TaskId>>,
}

/// What scheduling needs of a task.
#[derive(Debug, Clone)]
pub struct Work {
    pub id: TaskId,
    /// Working days it takes. For work on fixed days (`window`), what it counts for when
    /// the plan's length is measured: a done task as long as it was planned (so finishing it
    /// moves nothing else), a recurring one nothing.
    pub duration: u32,
    pub depends_on: Vec<Dependency>,
    /// The task cannot start before this day (it was moved there by hand).
    pub not_before: Option<Date>,
    /// Days that are fixed, first and last (a recurring task's window, a done task's days):
    /// the task spans the working days between them, and it neither sets the plan's length
    /// nor belongs to its critical path.
    pub window: Option<(Date, Date)>,
}

impl Work {
    fn fixed(&self) -> bool {
        self.window.is_some()
    }
}

impl From<&Task> for Work {
    /// A done task stays on the days it was given (its start and due, else the days it was
    /// worked on): finished work does not move when the launch does, and no longer sets the
    /// plan's length or its critical path. One with no day and no record of when it was
    /// done is scheduled as planned.
    fn from(task: &Task) -> Self {
        if task.status.is_done() {
            let finished = task.due.or(task.completed_at.map(Date::from_millis)).or(task.start);
            let began = task.start.or(task.started_at.map(Date::from_millis)).or(finished);
            if let Some((began, finished)) = began.zip(finished) {
                return Self {
                    id: task.id,
                    duration: task.duration(),
                    depends_on: task.depends_on.clone(),
                    not_before: Some(began.min(finished)),
                    window: Some((began.min(finished), began.max(finished))),
                };
            }
        }
        match &task.recurrence {
            Some(r) => Self {
                id: task.id,
                duration: 0,
                depends_on: task.depends_on.clone(),
                not_before: Some(r.from),
                window: Some((r.from, r.until)),
            },
            None => Self {
                id: task.id,
                duration: task.duration(),
                depends_on: task.depends_on.clone(),
                not_before: task.start,
                window: None,
            },
        }
    }
}

/// A plan's schedule as the screen shows it: worked back from its launch day if it has one,
/// else forward from its start day, else from `today`; on the workspace's `calendar`, or
/// every day for a plan whose template's teams work every day (`templates::plan_calendar`).
pub fn schedule_plan<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    meta: &crate::domain::ProjectMeta,
    calendar: &WorkCalendar,
    today: Date,
) -> Schedule {
    let work: Vec<Work> = tasks.into_iter().map(Work::from).collect();
    let anchor = match (meta.start, meta.launch) {
        (_, Some(launch)) => Anchor::Finish(launch),
        (Some(start), None) => Anchor::Start(start),
        (None, None) => Anchor::Start(today),
    };
    schedule(&work, &crate::domain::templates::plan_calendar(meta, calendar), anchor)
}

/// Schedules `work` on `calendar` from `anchor`.
pub fn schedule(work: &[Work], calendar: &WorkCalendar, anchor: Anchor) -> Schedule {
    let n = work.len();
    let position: IdMap<TaskId, usize> = work.iter().enumerate().map(|(i, w)| (w.id, i)).collect();
    // predecessors[v] = (p, kind, lag); successors[p] = v. Dependencies on unknown tasks are
    // dropped here (validation reports them).
    let mut predecessors: Vec<Vec<(usize, DependencyKind, i32)>> = vec![Vec::new(); n];
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, w) in work.iter().enumerate() {
        for dep in &w.depends_on {
            if let Some(&p) = position.get(&dep.task) {
                predecessors[v].push((p, dep.kind, dep.lag_days));
                successors[p].push(v);
            }
        }
    }

    let components = strongly_connected(&successors);
    let mut component_of = vec![0usize; n];
    for (c, members) in components.iter().enumerate() {
        for &v in members {
            component_of[v] = c;
        }
    }
    let cycles: Vec<Vec<TaskId>> = components
        .iter()
        .filter(|c| c.len() > 1 || predecessors[c[0]].iter().any(|(p, _, _)| *p == c[0]))
        .map(|c| {
            let mut ids: Vec<TaskId> = c.iter().map(|&v| work[v].id).collect();
            ids.sort();
            ids
        })
        .collect();
    // Sinks come first from Tarjan: reversed, a topological order.
    let order: Vec<usize> = components.iter().rev().flatten().copied().collect();
    let counts = |a: usize, b: usize| component_of[a] != component_of[b];

    let index = WorkIndex::new(calendar);
    // Working days each task takes; a recurring window, the working days it spans.
    let durations: Vec<i32> = work
        .iter()
        .map(|w| match w.window {
            Some((from, until)) => (index.ordinal(until.add_days(1)) - index.ordinal(from)).max(1),
            None => w.duration as i32,
        })
        .collect();
    let duration = |v: usize| durations[v];

    // Forward pass from `origin`. Measuring the plan's length (`fixed_starts` false) ignores
    // fixed starts, which are days, not lengths, and counts work on fixed days as its
    // `duration` says.
    let forward = |origin: i32, fixed_starts: bool| -> (Vec<i32>, Vec<i32>) {
        let mut es = vec![origin; n];
        let mut ef = vec![origin; n];
        for &v in &order {
            let takes = if fixed_starts || !work[v].fixed() { duration(v) } else { work[v].duration as i32 };
            let mut start = origin;
            if let Some(day) = work[v].not_before.filter(|_| fixed_starts) {
                // A fixed window starts where it is, even before the rest of the plan.
                start = if work[v].fixed() { index.ordinal(day) } else { start.max(index.ordinal(day)) };
            }
            for &(p, kind, lag) in &predecessors[v] {
                if !counts(p, v) {
                    continue;
                }
                start = start.max(earliest_start(kind, lag, (es[p], ef[p]), takes));
            }
            es[v] = start;
            ef[v] = start + takes;
        }
        (es, ef)
    };
    // Backward pass to `end` (exclusive).
    let backward = |end: i32| -> (Vec<i32>, Vec<i32>) {
        let mut ls = vec![end; n];
        let mut lf = vec![end; n];
        for &v in order.iter().rev() {
            let mut finish = end;
            for &s in &successors[v] {
                if !counts(v, s) {
                    continue;
                }
                for &(p, kind, lag) in &predecessors[s] {
                    if p != v {
                        continue;
                    }
                    finish = finish.min(match kind {
                        DependencyKind::FinishToStart => ls[s] - lag,
                        DependencyKind::StartToStart => ls[s] - lag + duration(v),
                        DependencyKind::FinishToFinish => lf[s] - lag,
                        DependencyKind::StartToFinish => lf[s] - lag + duration(v),
                    });
                }
            }
            lf[v] = finish;
            ls[v] = finish - duration(v);
        }
        (ls, lf)
    };

    // One past the number of the last working day on or before `day`: work due by the end of
    // a day off is due by the end of the working day before it.
    let end_of = |day: Date| index.ordinal(day.add_days(1));
    let (origin, deadline) = match anchor {
        Anchor::Start(day) => (index.ordinal(day), None),
        Anchor::StartWithDeadline(day, deadline) => (index.ordinal(day), Some(end_of(deadline))),
        Anchor::Finish(launch) => {
            // How long the plan takes, then start that long before the launch.
            let (_, ef) = forward(0, false);
            let span = (0..n).filter(|&v| !work[v].fixed()).map(|v| ef[v]).max().unwrap_or(0);
            let end = end_of(launch);
            (end - span, Some(end))
        }
    };
    let (es, ef) = forward(origin, true);
    let finish = (0..n).filter(|&v| !work[v].fixed()).map(|v| ef[v]).max().unwrap_or(origin);
    let (ls, lf) = backward(deadline.unwrap_or(finish));
    let least_slack = (0..n).filter(|&v| !work[v].fixed()).map(|v| ls[v] - es[v]).min().unwrap_or(0);

    // Every ordinal the schedule uses, turned into dates in one walk.
    let lowest = (0..n).map(|v| es[v].min(ls[v])).chain([origin]).min().unwrap_or(origin) - 1;
    let highest = (0..n).map(|v| ef[v].max(lf[v])).chain([origin, finish]).max().unwrap_or(origin);
    let dates = index.dates(lowest, highest);
    let day = |ordinal: i32| dates[(ordinal.clamp(lowest, highest) - lowest) as usize];
    let critical: Vec<bool> =
        (0..n).map(|v| !work[v].fixed() && ls[v] - es[v] <= least_slack.max(0)).collect();
    let mut tasks = IdMap::with_capacity_and_hasher(n, Default::default());
    for v in 0..n {
        let slack = ls[v] - es[v];
        // A task's last day is the one before its end; a checkpoint's, the day it is reached.
        let last = |start: i32, end: i32| if end > start { end - 1 } else { (start - 1).max(origin) };
        tasks.insert(
            work[v].id,
            ScheduledTask {
                start: day(es[v]),
                finish: day(last(es[v], ef[v])),
                late_start: day(ls[v]),
                late_finish: day(last(ls[v], lf[v])),
                slack_days: slack,
                critical: critical[v],
            },
        );
    }
    let mut critical_tasks: Vec<usize> = (0..n).filter(|&v| critical[v]).collect();
    critical_tasks.sort_by_key(|&v| (es[v], ef[v], v));
    let mut critical_links = Vec::new();
    for &v in &critical_tasks {
        // A task may wait for another twice (start to start and finish to finish): one link.
        let first = critical_links.len();
        for &(p, kind, lag) in &predecessors[v] {
            let holds = critical[p]
                && counts(p, v)
                && earliest_start(kind, lag, (es[p], ef[p]), duration(v)) == es[v];
            let link = (work[p].id, work[v].id);
            if holds && !critical_links[first..].contains(&link) {
                critical_links.push(link);
            }
        }
    }
    Schedule {
        tasks,
        start: day(origin),
        finish: day((finish - 1).max(origin)),
        critical_tasks: critical_tasks.into_iter().map(|v| work[v].id).collect(),
        critical_links,
        cycles,
    }
}

/// The earliest start a dependency on a task occupying `[start, end)` allows a task of
/// `duration`.
fn earliest_start(kind: DependencyKind, lag: i32, (start, end): (i32, i32), duration: i32) -> i32 {
    match kind {
        DependencyKind::FinishToStart => end + lag,
        DependencyKind::StartToStart => start + lag,
        DependencyKind::FinishToFinish => end + lag - duration,
        DependencyKind::StartToFinish => start + lag - duration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn task(n: u32, duration: u32, deps: &[(u32, DependencyKind, i32)]) -> Work {
        Work {
            id: TaskId::derived(&n.to_string()),
            duration,
            depends_on: deps
                .iter()
                .map(|&(p, kind, lag_days)| Dependency {
                    task: TaskId::derived(&p.to_string()),
                    kind,
                    lag_days,
                })
                .collect(),
            not_before: None,
            window: None,
        }
    }

    fn id(n: u32) -> TaskId {
        TaskId::derived(&n.to_string())
    }

    use DependencyKind::*;

    #[test]
    fn a_recurring_window_spans_its_own_days_and_leaves_the_plan_its_length() {
        // A weekly meeting from a Saturday to the Friday eight weeks on, beside five days of
        // work, on Monday to Friday.
        let mut meeting = task(2, 1, &[]);
        meeting.not_before = Some(d("2026-10-17"));
        meeting.duration = 56;
        meeting.window = Some((d("2026-10-17"), d("2026-12-11")));
        let work = vec![task(1, 5, &[]), meeting];
        let s = schedule(&work, &WorkCalendar::default(), Anchor::Start(d("2026-11-02")));
        let window = &s.tasks[&work[1].id];
        assert_eq!((window.start, window.finish), (d("2026-10-19"), d("2026-12-11")));
        assert!(!window.critical);
        assert_eq!(s.finish, d("2026-11-06"), "the window sets nothing of the plan's length");
    }

    #[test]
    fn done_work_stays_on_its_days_when_the_launch_moves() {
        use crate::domain::{Project, ProjectKind, Status};
        // 包装设计 (done, on its days) -> 打样 (3 days) -> 上架 (2 days), to a launch day.
        let mut project = Project::new("新品首发", ProjectKind::Launch, 0);
        let mut design = Task::new("包装设计", None, 0);
        (design.start, design.due, design.status) =
            (Some(d("2026-11-02")), Some(d("2026-11-04")), Status::Done);
        design.duration_days = Some(3);
        let mut proof = Task::new("打样", None, 0);
        proof.duration_days = Some(3);
        proof.depends_on = vec![Dependency { task: design.id, kind: FinishToStart, lag_days: 0 }];
        let mut listing = Task::new("上架", None, 0);
        listing.duration_days = Some(2);
        listing.depends_on = vec![Dependency { task: proof.id, kind: FinishToStart, lag_days: 0 }];
        let ids = [design.id, proof.id, listing.id];
        for task in [design, proof, listing] {
            project.tasks.insert(task.id, task);
        }
        let calendar = WorkCalendar::default();
        let mut at = |launch: &str| {
            project.meta.launch = Some(d(launch));
            schedule_plan(project.tasks.values(), &project.meta, &calendar, d("2026-11-02"))
        };
        let (before, after) = (at("2026-11-20"), at("2026-11-27"));
        for s in [&before, &after] {
            let design = &s.tasks[&ids[0]];
            assert_eq!((design.start, design.finish), (d("2026-11-02"), d("2026-11-04")));
            assert!(!design.critical, "done work is on no critical path");
            assert_eq!(s.critical_tasks, vec![ids[1], ids[2]]);
        }
        // The plan takes eight working days, so it starts eight before the launch; the
        // design was done early, which leaves the open work three days of slack.
        assert_eq!(before.tasks[&ids[1]].start, d("2026-11-11"));
        assert_eq!(before.tasks[&ids[1]].slack_days, 3);
        assert_eq!(after.tasks[&ids[1]].start, d("2026-11-18"), "open work follows the launch");
        assert_eq!(after.tasks[&ids[2]].finish, d("2026-11-24"));
    }

    #[test]
    fn forward_pass_slack_and_critical_path_over_working_days() {
        // 1 (3d) -> 2 (2d) -> 4 (1d); 1 -> 3 (1d) -> 4.
        let work = vec![
            task(1, 3, &[]),
            task(2, 2, &[(1, FinishToStart, 0)]),
            task(3, 1, &[(1, FinishToStart, 0)]),
            task(4, 1, &[(2, FinishToStart, 0), (3, FinishToStart, 0)]),
        ];
        // Monday 2026-11-02.
        let s = schedule(&work, &WorkCalendar::default(), Anchor::Start(d("2026-11-02")));
        assert_eq!(s.tasks[&id(1)].start, d("2026-11-02"));
        assert_eq!(s.tasks[&id(1)].finish, d("2026-11-04"));
        assert_eq!(s.tasks[&id(2)].start, d("2026-11-05"));
        // Task 2 runs Thu and Fri; task 4 waits over the weekend.
        assert_eq!(s.tasks[&id(4)].start, d("2026-11-09"));
        assert_eq!(s.finish, d("2026-11-09"));
        assert_eq!(s.tasks[&id(3)].slack_days, 1);
        assert_eq!(s.critical_tasks, vec![id(1), id(2), id(4)]);
        assert_eq!(s.critical_links, vec![(id(1), id(2)), (id(2), id(4))]);
        assert!(s.cycles.is_empty());
    }

    #[test]
    fn every_dependency_kind_with_lag() {
        let work = vec![
            task(1, 4, &[]),
            task(2, 2, &[(1, StartToStart, 1)]),
            task(3, 2, &[(1, FinishToFinish, 2)]),
            task(4, 1, &[(1, StartToFinish, 2)]),
            task(5, 1, &[(1, FinishToStart, -1)]),
        ];
        let every_day = WorkCalendar::every_day();
        let s = schedule(&work, &every_day, Anchor::Start(d("2026-06-01")));
        assert_eq!(s.tasks[&id(2)].start, d("2026-06-02"), "SS+1");
        assert_eq!(s.tasks[&id(3)].finish, d("2026-06-06"), "FF+2: finishes two days after 1 does");
        assert_eq!(s.tasks[&id(4)].finish, d("2026-06-02"), "SF+2");
        assert_eq!(s.tasks[&id(5)].start, d("2026-06-04"), "FS-1 overlaps a day");
    }

    #[test]
    fn backward_from_a_launch_day() {
        let work = vec![task(1, 5, &[]), task(2, 3, &[(1, FinishToStart, 0)]), task(3, 1, &[])];
        let s = schedule(&work, &WorkCalendar::every_day(), Anchor::Finish(d("2026-11-11")));
        assert_eq!(s.tasks[&id(2)].finish, d("2026-11-11"));
        assert_eq!(s.tasks[&id(1)].start, d("2026-11-04"));
        assert_eq!(s.start, d("2026-11-04"));
        assert_eq!(s.tasks[&id(3)].slack_days, 7);
        assert_eq!(s.tasks[&id(3)].late_finish, d("2026-11-11"));
        assert_eq!(s.critical_tasks, vec![id(1), id(2)]);
    }

    #[test]
    fn work_due_on_a_day_off_is_due_on_the_working_day_before() {
        let work = vec![task(1, 5, &[]), task(2, 1, &[(1, FinishToStart, 0)])];
        // Saturday 2026-11-14: the team's last working day before it is Friday the 13th.
        let s = schedule(&work, &WorkCalendar::default(), Anchor::Finish(d("2026-11-14")));
        assert_eq!(s.finish, d("2026-11-13"));
        assert_eq!(s.tasks[&id(2)].finish, d("2026-11-13"));
        // Six working days back from Friday: Friday the 6th to Friday the 13th.
        assert_eq!(s.start, d("2026-11-06"));
        // Five days from Monday fill the week: no slack is left over the weekend.
        let s = schedule(
            &[task(1, 5, &[])],
            &WorkCalendar::default(),
            Anchor::StartWithDeadline(d("2026-11-09"), d("2026-11-15")),
        );
        assert_eq!(s.tasks[&id(1)].slack_days, 0);
    }

    #[test]
    fn a_missed_deadline_shows_as_negative_slack() {
        let work = vec![task(1, 10, &[])];
        let s = schedule(
            &work,
            &WorkCalendar::every_day(),
            Anchor::StartWithDeadline(d("2026-06-01"), d("2026-06-05")),
        );
        assert_eq!(s.tasks[&id(1)].slack_days, -5);
        assert!(s.tasks[&id(1)].critical);
    }

    #[test]
    fn cycles_are_reported_and_scheduling_still_ends() {
        let work = vec![
            task(1, 1, &[(3, FinishToStart, 0)]),
            task(2, 1, &[(1, FinishToStart, 0)]),
            task(3, 1, &[(2, FinishToStart, 0)]),
            task(4, 2, &[(3, FinishToStart, 0)]),
            task(5, 1, &[(5, FinishToStart, 0)]),
        ];
        let s = schedule(&work, &WorkCalendar::every_day(), Anchor::Start(d("2026-06-01")));
        assert_eq!(s.cycles.len(), 2);
        let mut three: Vec<TaskId> = vec![id(1), id(2), id(3)];
        three.sort();
        assert!(s.cycles.contains(&three));
        assert!(s.cycles.contains(&vec![id(5)]));
        assert_eq!(s.tasks.len(), 5);
        assert!(
            s.tasks[&id(4)].start > s.tasks[&id(3)].start
                || s.tasks[&id(4)].start == s.tasks[&id(3)].finish.add_days(1)
        );
    }

    #[test]
    fn dependencies_on_missing_tasks_are_ignored() {
        let mut lone = task(1, 2, &[]);
        lone.depends_on.push(Dependency::after(TaskId::random()));
        let s = schedule(&[lone], &WorkCalendar::default(), Anchor::Start(d("2026-11-02")));
        assert_eq!(s.tasks[&id(1)].start, d("2026-11-02"));
    }
}
