//! Which task of a plan to drag on the Gantt chart: the one that the fewest tasks, but at
//! least so many, wait for (directly or through others), and where its row is.

use std::collections::HashMap;

use launchplan_shared::TaskId;
use launchplan_shared::domain::Project;

/// The task to drag and what the chart should show of it.
pub(crate) struct Pick {
    pub(crate) task: TaskId,
    /// Tasks that wait for it, directly or not.
    pub(crate) followers: usize,
    /// A task that waits for it directly (and, if any does, for nothing else): it must move
    /// when the task moves later.
    pub(crate) next: TaskId,
    /// Where the rows of `task` and `next` likely are (phase heading rows counted): a hint
    /// for scrolling to them, which the page checks.
    pub(crate) rows: (usize, usize),
}

/// The task with the smallest count of transitive followers that is at least `at_least`;
/// ties go to the first in id order.
pub(crate) fn pick(project: &Project, at_least: usize) -> Option<Pick> {
    let ids: Vec<TaskId> = project.tasks.keys().copied().collect();
    let index: HashMap<TaskId, usize> = ids.iter().enumerate().map(|(n, id)| (*id, n)).collect();
    // Who waits directly for each task.
    let mut waiting: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for (n, task) in project.tasks.values().enumerate() {
        for on in &task.depends_on {
            if let Some(&from) = index.get(&on.task) {
                waiting[from].push(n);
            }
        }
    }
    let mut seen = vec![usize::MAX; ids.len()];
    let mut best: Option<(usize, usize)> = None;
    for start in 0..ids.len() {
        let mut stack = vec![start];
        let mut count = 0;
        while let Some(n) = stack.pop() {
            for &next in &waiting[n] {
                if seen[next] != start {
                    seen[next] = start;
                    count += 1;
                    stack.push(next);
                }
            }
        }
        if count >= at_least && best.is_none_or(|(_, c)| count < c) {
            best = Some((start, count));
        }
    }
    let (chosen, followers) = best?;
    let task = ids[chosen];
    let direct = &waiting[chosen];
    let only = direct.iter().copied().find(|&n| project.tasks[&ids[n]].depends_on.len() == 1);
    let next = ids[only.or_else(|| direct.first().copied())?];
    Some(Pick { task, followers, next, rows: (row_of(project, task), row_of(project, next)) })
}

/// The likely row of `task` on the chart: the plan's phases in order, each a heading row
/// and then its tasks in the order they were made.
fn row_of(project: &Project, task: TaskId) -> usize {
    let phase_of = |id: &TaskId| {
        let phase = project.tasks[id].phase;
        project.phases.iter().position(|p| Some(p.id) == phase).unwrap_or(usize::MAX)
    };
    let key = |id: &TaskId| (phase_of(id), project.tasks[id].created_at);
    let mine = key(&task);
    let before = project.tasks.keys().filter(|id| key(id) < mine).count();
    let headings = mine.0.min(project.phases.len()) + 1;
    before + headings
}
