//! Random edits on three replicas of one plan, merged in random orders: every replica ends
//! with the same document, nothing anyone added is lost, and validation reports exactly the
//! inconsistencies the merge left (compared with a brute-force reading of the merged plan).

use std::collections::{BTreeSet, HashMap};

use automerge::Automerge;
use automerge::transaction::Transaction;
use launchplan_shared::domain::commands::{self, CommandError};
use launchplan_shared::domain::{Dependency, Phase, Project, ProjectKind, Task};
use launchplan_shared::plan::{Warning, validate};
use launchplan_shared::{MemberId, PhaseId, TaskId};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Add,
    Delete(usize),
    Depend(usize, usize),
    Undepend(usize, usize),
    Rename(usize),
    MoveToPhase(usize, usize),
    DeletePhase(usize),
    Assign(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Add),
        (0usize..12).prop_map(Op::Delete),
        (0usize..12, 0usize..12).prop_map(|(a, b)| Op::Depend(a, b)),
        (0usize..12, 0usize..12).prop_map(|(a, b)| Op::Undepend(a, b)),
        (0usize..12).prop_map(Op::Rename),
        (0usize..12, 0usize..3).prop_map(|(a, p)| Op::MoveToPhase(a, p)),
        (0usize..3).prop_map(Op::DeletePhase),
        (0usize..12).prop_map(Op::Assign),
    ]
}

fn apply(doc: &mut Automerge, f: impl FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>) {
    let mut tx = doc.transaction();
    match f(&mut tx) {
        Ok(()) => {
            tx.commit();
        }
        // Refused locally (a cycle, a deleted task): nothing is written, as in the app.
        Err(_) => {
            tx.rollback();
        }
    }
}

fn base() -> (Automerge, Vec<TaskId>, Vec<PhaseId>) {
    let mut project = Project::new("双十一大促备战", ProjectKind::Campaign, 0);
    let phases: Vec<PhaseId> = (0..3).map(|p| PhaseId::derived(&format!("phase-{p}"))).collect();
    for (n, id) in phases.iter().enumerate() {
        project.phases.push(Phase { id: *id, name: format!("阶段 {n}") });
    }
    let mut ids = Vec::new();
    for n in 0..6 {
        let mut task = Task::new(format!("任务 {n}"), Some(phases[n % 3]), n as i64);
        task.id = TaskId::derived(&format!("base-{n}"));
        ids.push(task.id);
        project.tasks.insert(task.id, task);
    }
    let mut doc = Automerge::new();
    apply(&mut doc, |tx| commands::create_project(tx, &project));
    (doc, ids, phases)
}

/// Dangling dependencies, tasks in deleted phases, tasks on cycles.
type Expected = (BTreeSet<(TaskId, TaskId)>, BTreeSet<(TaskId, PhaseId)>, BTreeSet<TaskId>);

/// What validation must say about `project`, worked out the slow, obvious way.
fn expected(project: &Project) -> Expected {
    let dangling = project
        .tasks
        .values()
        .flat_map(|t| {
            t.depends_on.iter().filter(|d| !project.tasks.contains_key(&d.task)).map(move |d| (t.id, d.task))
        })
        .collect();
    let phases: BTreeSet<PhaseId> = project.phases.iter().map(|p| p.id).collect();
    let orphans = project
        .tasks
        .values()
        .filter_map(|t| t.phase.filter(|p| !phases.contains(p)).map(|p| (t.id, p)))
        .collect();
    let edges: HashMap<TaskId, Vec<TaskId>> = project
        .tasks
        .values()
        .map(|t| {
            (t.id, t.depends_on.iter().map(|d| d.task).filter(|d| project.tasks.contains_key(d)).collect())
        })
        .collect();
    // A task is on a cycle if it can reach itself.
    let on_cycle = project
        .tasks
        .keys()
        .filter(|start| {
            let mut stack: Vec<TaskId> = edges[start].clone();
            let mut seen = BTreeSet::new();
            while let Some(t) = stack.pop() {
                if t == **start {
                    return true;
                }
                if seen.insert(t) {
                    stack.extend(edges[&t].iter().copied());
                }
            }
            false
        })
        .copied()
        .collect();
    (dangling, orphans, on_cycle)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn three_replicas_converge_and_validation_reports_what_the_merge_left(
        edits in proptest::collection::vec(proptest::collection::vec(op(), 0..10), 3),
        orders in proptest::collection::vec(Just(vec![0usize, 1, 2]).prop_shuffle(), 3),
    ) {
        let (doc, base_ids, phases) = base();
        let mut replicas: Vec<Automerge> = (0..3).map(|_| doc.fork()).collect();
        let stranger = MemberId::derived("not-a-member");
        let mut added: Vec<TaskId> = Vec::new();
        let mut deleted: BTreeSet<TaskId> = BTreeSet::new();
        for (r, ops) in edits.iter().enumerate() {
            let mut known = base_ids.clone();
            for (step, op) in ops.iter().enumerate() {
                let doc = &mut replicas[r];
                let pick = |i: usize| known[i % known.len()];
                match op {
                    Op::Add => {
                        let mut task = Task::new(format!("新任务 {r}-{step}"), Some(phases[step % 3]), 100 + step as i64);
                        task.id = TaskId::derived(&format!("added-{r}-{step}"));
                        known.push(task.id);
                        added.push(task.id);
                        apply(doc, |tx| commands::add_task(tx, &task));
                    }
                    Op::Delete(i) => {
                        deleted.insert(pick(*i));
                        apply(doc, |tx| commands::delete_task(tx, pick(*i)));
                    }
                    Op::Depend(a, b) => apply(doc, |tx| commands::add_dependency(tx, pick(*a), Dependency::after(pick(*b)))),
                    Op::Undepend(a, b) => apply(doc, |tx| commands::remove_dependency(tx, pick(*a), pick(*b))),
                    Op::Rename(i) => apply(doc, |tx| commands::rename_task(tx, pick(*i), &format!("改名 {r}-{step}"))),
                    Op::MoveToPhase(i, p) => apply(doc, |tx| commands::update_task(tx, pick(*i), |t| { t.phase = Some(phases[*p]); Ok(()) })),
                    Op::DeletePhase(p) => apply(doc, |tx| commands::delete_phase(tx, phases[*p])),
                    Op::Assign(i) => apply(doc, |tx| commands::assign(tx, pick(*i), &[stranger])),
                }
            }
        }
        // Each replica merges the others in its own random order.
        let snapshot: Vec<Automerge> = replicas.iter().map(Automerge::fork).collect();
        for (r, order) in orders.iter().enumerate() {
            for &other in order {
                if other != r {
                    let mut incoming = snapshot[other].fork();
                    replicas[r].merge(&mut incoming).expect("merge");
                }
            }
        }
        let heads = replicas[0].get_heads();
        let merged = commands::read_project(&replicas[0]).expect("the merged plan loads");
        for replica in &replicas[1..] {
            prop_assert_eq!(replica.get_heads(), heads.clone());
            prop_assert_eq!(&commands::read_project(replica).expect("loads"), &merged);
        }

        // Nothing anyone added is lost unless someone deleted it.
        for id in added.iter().filter(|id| !deleted.contains(id)) {
            prop_assert!(merged.tasks.contains_key(id), "task {} was lost in the merge", id);
        }

        let warnings = validate(&merged, None, None);
        let (dangling, orphans, on_cycle) = expected(&merged);
        let reported_dangling: BTreeSet<(TaskId, TaskId)> = warnings.iter().filter_map(|w| match w {
            Warning::DanglingDependency { task, missing } => Some((*task, *missing)),
            _ => None,
        }).collect();
        let reported_orphans: BTreeSet<(TaskId, PhaseId)> = warnings.iter().filter_map(|w| match w {
            Warning::MissingPhase { task, phase } => Some((*task, *phase)),
            _ => None,
        }).collect();
        let reported_cycles: BTreeSet<TaskId> = warnings.iter().flat_map(|w| match w {
            Warning::Cycle { tasks } => tasks.clone(),
            _ => Vec::new(),
        }).collect();
        prop_assert_eq!(reported_dangling, dangling);
        prop_assert_eq!(reported_orphans, orphans);
        prop_assert_eq!(reported_cycles, on_cycle);
    }
}

#[test]
fn two_people_each_adding_a_harmless_dependency_can_make_a_cycle_that_validation_reports() {
    let (doc, ids, _) = base();
    let (mut a, mut b) = (doc.fork(), doc.fork());
    apply(&mut a, |tx| commands::add_dependency(tx, ids[0], Dependency::after(ids[1])));
    apply(&mut b, |tx| commands::add_dependency(tx, ids[1], Dependency::after(ids[0])));
    let mut from_a = a.fork();
    a.merge(&mut b).expect("merge");
    b.merge(&mut from_a).expect("merge");
    let merged = commands::read_project(&a).expect("loads");
    assert_eq!(commands::read_project(&b).expect("loads"), merged, "both people see the same plan");
    // Both edits are kept: each task still waits for the other, as its author asked.
    assert_eq!(merged.tasks[&ids[0]].depends_on, [Dependency::after(ids[1])]);
    assert_eq!(merged.tasks[&ids[1]].depends_on, [Dependency::after(ids[0])]);
    let mut cycle = vec![ids[0], ids[1]];
    cycle.sort();
    let cycles: Vec<Warning> =
        validate(&merged, None, None).into_iter().filter(|w| matches!(w, Warning::Cycle { .. })).collect();
    assert_eq!(cycles, [Warning::Cycle { tasks: cycle }]);
}
