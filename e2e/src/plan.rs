//! The plan the benchmark opens: six phases, tasks spread evenly over them in order, each
//! waiting (finish to start) for one or two earlier tasks of its own or the previous phase.

use launchplan_shared::domain::{Date, Dependency, Phase, Project, ProjectKind, Task};
use launchplan_shared::{PhaseId, TaskId};

const PHASES: [&str; 6] =
    ["调研 Research", "设计 Design", "备货 Stock", "预热 Warm-up", "开售 Launch", "复盘 Review"];

/// Milliseconds since the epoch of the first task's creation (tasks list in creation order).
const CREATED: i64 = 1_767_225_600_000;

/// A plan of `tasks` tasks, the same every time for the same count.
pub fn big_plan(tasks: usize) -> anyhow::Result<Project> {
    let mut project =
        Project::new(format!("双十一大促备战（{tasks} 个任务）"), ProjectKind::Campaign, CREATED);
    project.meta.start = Some("2026-09-01".parse::<Date>()?);
    project.phases = PHASES
        .iter()
        .enumerate()
        .map(|(n, name)| Phase {
            id: PhaseId::derived(&format!("bench-phase-{n}")),
            name: (*name).to_owned(),
        })
        .collect();
    let mut random = XorShift(0x2545_f491_4f6c_dd1d);
    let mut ids: Vec<TaskId> = Vec::with_capacity(tasks);
    // The first task of each phase, by index.
    let phase_start = |phase: usize| phase * tasks / PHASES.len();
    for n in 0..tasks {
        let phase = n * PHASES.len() / tasks;
        let mut task = Task::new(
            format!("{} · 任务 {}", PHASES[phase], n + 1),
            Some(project.phases[phase].id),
            CREATED + n as i64,
        );
        task.id = TaskId::derived(&format!("bench-task-{n}"));
        task.duration_days = Some(1 + (random.next() % 5) as u32);
        // Candidates: the earlier tasks of this phase and all of the previous one.
        let first = phase_start(phase.saturating_sub(1));
        if n > first {
            for _ in 0..1 + random.next() % 2 {
                let on = ids[first + (random.next() as usize) % (n - first)];
                if !task.depends_on.iter().any(|d| d.task == on) {
                    task.depends_on.push(Dependency::after(on));
                }
            }
        }
        ids.push(task.id);
        project.tasks.insert(task.id, task);
    }
    Ok(project)
}

/// A small deterministic generator (xorshift64).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
