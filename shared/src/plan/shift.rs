//! What moves when a task moves: the task itself, and everything that waits for it as far as
//! it must (never earlier than it was planned).

use std::collections::{BTreeSet, HashMap};

use super::{Anchor, Work, schedule};
use crate::TaskId;
use crate::domain::{Date, Project, WorkCalendar};

/// A task's new dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateChange {
    pub task: TaskId,
    pub start: Date,
    pub due: Date,
}

/// Moves `moved` to start on `start`: returns its new dates and those of every task that
/// waits for it, directly or not, whose dates must change.
pub fn after_move(project: &Project, calendar: &WorkCalendar, moved: TaskId, start: Date) -> Vec<DateChange> {
    let mut work: Vec<Work> = project.tasks.values().map(Work::from).collect();
    for w in &mut work {
        if w.id == moved {
            w.not_before = Some(start);
        }
    }
    // Who waits for whom.
    let mut waiting: HashMap<TaskId, Vec<TaskId>> = HashMap::new();
    for task in project.tasks.values() {
        for dep in &task.depends_on {
            waiting.entry(dep.task).or_default().push(task.id);
        }
    }
    let mut affected = BTreeSet::new();
    let mut stack = vec![moved];
    while let Some(t) = stack.pop() {
        if affected.insert(t) {
            stack.extend(waiting.get(&t).into_iter().flatten().copied());
        }
    }
    // From the plan's start as the screen schedules it (a plan whose tasks have no dates of
    // their own runs from there): the tasks before the moved one stay where they are shown.
    let origin = work
        .iter()
        .filter_map(|w| w.not_before)
        .chain(project.meta.start)
        .chain([start])
        .min()
        .unwrap_or(start);
    let planned = schedule(&work, calendar, Anchor::Start(origin));
    affected
        .into_iter()
        .filter_map(|id| {
            let task = project.tasks.get(&id)?;
            let at = planned.tasks.get(&id)?;
            let changed = id == moved || task.start != Some(at.start) || task.due != Some(at.finish);
            // Dependents only ever move later than they were.
            let later = id == moved || task.start.is_none_or(|s| at.start >= s);
            (changed && later).then_some(DateChange { task: id, start: at.start, due: at.finish })
        })
        .collect()
}

/// Orders `moves` so that each task comes after the moved tasks it waits for (then by its
/// day, then by id): moved one by one in this order, no task is held back by one that has
/// not moved yet (bringing a plan forward, a task that starts with the one it waits for
/// would otherwise stay). `depends_on` gives a task's dependencies; tasks that wait for each
/// other in a cycle keep their day's order.
pub fn dependencies_first<'a>(
    moves: &mut [(TaskId, Date)],
    depends_on: impl Fn(TaskId) -> Option<&'a [crate::domain::Dependency]>,
) {
    let position: HashMap<TaskId, usize> = moves.iter().enumerate().map(|(i, m)| (m.0, i)).collect();
    // Moved task to the moved tasks that wait for it.
    let mut waiting: Vec<Vec<usize>> = vec![Vec::new(); moves.len()];
    for (v, &(id, _)) in moves.iter().enumerate() {
        for dep in depends_on(id).unwrap_or_default() {
            if let Some(&p) = position.get(&dep.task) {
                waiting[p].push(v);
            }
        }
    }
    // How many moved tasks lie before each on its longest chain, in topological order (a
    // cycle is one step).
    let components = super::graph::strongly_connected(&waiting);
    let mut component_of = vec![0; moves.len()];
    for (c, members) in components.iter().enumerate() {
        members.iter().for_each(|&v| component_of[v] = c);
    }
    let mut depth = vec![0usize; moves.len()];
    for &v in components.iter().rev().flatten() {
        for &w in &waiting[v] {
            if component_of[w] != component_of[v] {
                depth[w] = depth[w].max(depth[v] + 1);
            }
        }
    }
    let mut keyed: Vec<(usize, Date, TaskId)> =
        moves.iter().enumerate().map(|(i, &(id, day))| (depth[i], day, id)).collect();
    keyed.sort();
    for (slot, (_, day, id)) in moves.iter_mut().zip(keyed) {
        *slot = (id, day);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Dependency, ProjectKind, Task};

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn moving_a_task_pushes_what_waits_for_it_and_nothing_else() {
        let mut project = Project::new("新品首发", ProjectKind::Launch, 0);
        let mut design = Task::new("包装设计", None, 0);
        design.duration_days = Some(3);
        design.start = Some(d("2026-03-02"));
        design.due = Some(d("2026-03-04"));
        let mut proof = Task::new("包装打样", None, 1);
        proof.duration_days = Some(2);
        proof.depends_on = vec![Dependency::after(design.id)];
        proof.start = Some(d("2026-03-05"));
        proof.due = Some(d("2026-03-06"));
        let mut research = Task::new("竞品分析", None, 2);
        research.duration_days = Some(2);
        research.start = Some(d("2026-03-02"));
        research.due = Some(d("2026-03-03"));
        for t in [&design, &proof, &research] {
            project.tasks.insert(t.id, t.clone());
        }
        let changes = after_move(&project, &WorkCalendar::default(), design.id, d("2026-03-09"));
        let by_task: HashMap<TaskId, DateChange> = changes.iter().map(|c| (c.task, *c)).collect();
        assert_eq!(by_task[&design.id].start, d("2026-03-09"));
        assert_eq!(by_task[&design.id].due, d("2026-03-11"));
        assert_eq!(by_task[&proof.id].start, d("2026-03-12"), "pushed past the design");
        assert_eq!(by_task[&proof.id].due, d("2026-03-13"));
        assert!(!by_task.contains_key(&research.id), "unrelated work stays put");

        // Moving it earlier leaves its dependents where they were planned.
        let changes = after_move(&project, &WorkCalendar::default(), design.id, d("2026-02-23"));
        assert_eq!(changes.len(), 1);
    }

    #[test]
    fn a_task_moved_in_a_plan_without_dates_of_its_own_lands_on_the_day_it_was_dropped() {
        // Tasks with durations and dependencies only, scheduled from the plan's start: the
        // tasks before the moved one stay where the screen shows them.
        let mut project = Project::new("大促", ProjectKind::Campaign, 0);
        project.meta.start = Some(d("2026-03-02"));
        let mut brief = Task::new("需求", None, 0);
        brief.duration_days = Some(2);
        let mut design = Task::new("设计", None, 1);
        design.duration_days = Some(3);
        design.depends_on = vec![Dependency::after(brief.id)];
        let mut build = Task::new("开发", None, 2);
        build.duration_days = Some(2);
        build.depends_on = vec![Dependency::after(design.id)];
        for t in [&brief, &design, &build] {
            project.tasks.insert(t.id, t.clone());
        }
        // Shown: 需求 03-02..03-03, 设计 03-04..03-06, 开发 03-09..03-10. 设计 to Monday 03-09.
        let changes = after_move(&project, &WorkCalendar::default(), design.id, d("2026-03-09"));
        let by_task: HashMap<TaskId, DateChange> = changes.iter().map(|c| (c.task, *c)).collect();
        assert_eq!((by_task[&design.id].start, by_task[&design.id].due), (d("2026-03-09"), d("2026-03-11")));
        assert_eq!((by_task[&build.id].start, by_task[&build.id].due), (d("2026-03-12"), d("2026-03-13")));
        assert!(!by_task.contains_key(&brief.id), "what comes before stays");
    }

    #[test]
    fn moves_come_after_the_moved_tasks_they_wait_for() {
        // 上线 and 数据监控 (which starts with it) on one day, 监控 first by id; 复盘 after
        // 监控; 预热 and 复盘 wait for each other.
        let ids: Vec<TaskId> = {
            let mut ids: Vec<TaskId> = (0..4).map(|_| TaskId::random()).collect();
            ids.sort();
            ids
        };
        let (watch, live, review, warm) = (ids[0], ids[1], ids[2], ids[3]);
        let dep = |task: TaskId| {
            vec![Dependency { task, kind: crate::domain::DependencyKind::StartToStart, lag_days: 0 }]
        };
        let deps: HashMap<TaskId, Vec<Dependency>> = HashMap::from([
            (watch, dep(live)),
            (review, [dep(watch), dep(warm)].concat()),
            (warm, dep(review)),
        ]);
        let day = d("2026-03-16");
        let mut moves = vec![(watch, day), (live, day), (review, d("2026-03-17")), (warm, d("2026-03-10"))];
        dependencies_first(&mut moves, |t| deps.get(&t).map(Vec::as_slice));
        let order: Vec<TaskId> = moves.iter().map(|m| m.0).collect();
        let at = |t: TaskId| order.iter().position(|o| *o == t).expect("moved");
        assert!(at(live) < at(watch) && at(watch) < at(review), "{order:?}");
        assert_eq!(order.len(), 4, "the cycle ends");
    }
}
