//! The view the screen holds, kept current from patches alone, always equals a fresh read of
//! the document: through local edits, concurrent edits, merges, conflicts and deletions.

use automerge::{Automerge, PatchLog};
use launchplan_shared::domain::{
    Baseline, Command, Context, Date, PlanRow, PlanView, Project, ProjectKind, Status, ViewChange,
    WorkCalendar, commands, templates, touches_since,
};
use launchplan_shared::{PhaseId, TaskId};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    /// An edit on replica `0` or `1`; the task is picked by index among those it has.
    Edit(usize, Op),
    /// Replica `from` sends everything it has to the other.
    Merge(usize),
}

#[derive(Debug, Clone)]
enum Op {
    Add(String),
    Rename(usize, String),
    Status(usize, u8),
    Delete(usize),
    DependOn(usize, usize),
    RenameProject(String),
    AddPhase(String),
    /// Saves the baseline of the task picked, on days `n` to `n + len`.
    Baseline(usize, u8),
    ClearBaseline,
    /// Dates the task picked: a start on day `n + start`, a due day `len` later (either may
    /// be none). The view takes these from the patches without reading the task again.
    Dates(usize, Option<u8>, Option<u8>),
}

fn op() -> impl Strategy<Value = Op> {
    let title = prop::sample::select(vec!["主图拍摄", "详情页", "优惠券", "客服话术", "仓储调拨"])
        .prop_map(String::from);
    prop_oneof![
        3 => title.clone().prop_map(Op::Add),
        3 => (any::<usize>(), title.clone()).prop_map(|(i, t)| Op::Rename(i, t)),
        2 => (any::<usize>(), 0u8..5).prop_map(|(i, s)| Op::Status(i, s)),
        1 => any::<usize>().prop_map(Op::Delete),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::DependOn(a, b)),
        1 => title.clone().prop_map(Op::RenameProject),
        1 => title.prop_map(Op::AddPhase),
        1 => (any::<usize>(), 0u8..5).prop_map(|(i, len)| Op::Baseline(i, len)),
        1 => Just(Op::ClearBaseline),
        3 => (any::<usize>(), prop::option::of(0u8..3), prop::option::of(0u8..3))
            .prop_map(|(i, start, len)| Op::Dates(i, start, len)),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0usize..2, op()).prop_map(|(r, o)| Step::Edit(r, o)),
        1 => (0usize..2).prop_map(Step::Merge),
    ]
}

fn command(doc: &Automerge, op: &Op, n: u64) -> Option<Command> {
    let tasks = PlanView::read(doc).expect("a plan").order();
    let pick = |i: usize| (!tasks.is_empty()).then(|| tasks[i % tasks.len()]);
    Some(match op {
        Op::Add(title) => {
            Command::AddTask { id: TaskId::random(), title: title.clone(), phase: None, at: n as i64 }
        }
        Op::Rename(i, title) => Command::RenameTask { id: pick(*i)?, title: title.clone() },
        Op::Status(i, s) => {
            Command::SetStatus { id: pick(*i)?, status: Status::DEFAULTS[*s as usize].clone(), at: n as i64 }
        }
        Op::Delete(i) => Command::DeleteTask { id: pick(*i)? },
        Op::DependOn(a, b) => Command::AddDependency {
            id: pick(*a)?,
            dependency: launchplan_shared::domain::Dependency::after(pick(*b)?),
        },
        Op::RenameProject(name) => Command::RenameProject { name: name.clone() },
        Op::AddPhase(name) => {
            Command::AddPhase { id: launchplan_shared::PhaseId::random(), name: name.clone() }
        }
        Op::Baseline(i, len) => {
            let start = Date::from_days(20_000 + n as i32);
            Command::SetBaseline { tasks: vec![(pick(*i)?, start, start.add_days(i32::from(*len)))] }
        }
        Op::ClearBaseline => Command::ClearBaseline,
        Op::Dates(i, start, len) => {
            let start = start.map(|s| Date::from_days(20_000 + i32::from(s)));
            let due = len.map(|len| start.unwrap_or(Date::from_days(20_000)).add_days(i32::from(len)));
            Command::SetDates { id: pick(*i)?, start, due }
        }
    })
}

/// Applies `command` with a patch log; `None` if it was refused (nothing written).
fn edit(doc: &mut Automerge, command: &Command) -> Option<Vec<automerge::Patch>> {
    let calendar = WorkCalendar::default();
    let cx = Context { actor: None, members: &[], calendar: &calendar };
    let mut tx = doc.transaction_log_patches(PatchLog::active()).expect("patch log");
    match command.apply(&mut tx, cx) {
        Ok(_) => {
            let (_, mut log) = tx.commit();
            Some(doc.make_patches(&mut log))
        }
        Err(_) => {
            tx.rollback();
            None
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_view_kept_from_patches_equals_a_fresh_read(steps in prop::collection::vec(step(), 1..40)) {
        let mut first = Automerge::new();
        let mut tx = first.transaction();
        commands::create_project(&mut tx, &Project::new("双十一大促备战", ProjectKind::Campaign, 0)).expect("create");
        tx.commit();
        let mut docs = [first.fork(), first];
        let mut views = [PlanView::read(&docs[0]).expect("read"), PlanView::read(&docs[1]).expect("read")];
        // Views kept as the app keeps them: local edits from patches, what arrives from the
        // other replica from where its changes wrote (`touches_since`).
        let mut touched = views.clone();
        // A view kept aside (as the app keeps one in storage) catches up at the end.
        let kept = (views[0].clone(), docs[0].get_heads());
        for (n, step) in steps.iter().enumerate() {
            let (target, patches) = match step {
                Step::Edit(r, op) => {
                    let Some(command) = command(&docs[*r], op, n as u64) else { continue };
                    let Some(patches) = edit(&mut docs[*r], &command) else { continue };
                    touched[*r].apply(&docs[*r], &patches);
                    (*r, patches)
                }
                Step::Merge(from) => {
                    let to = 1 - from;
                    let before = docs[to].get_heads();
                    let mut source = docs[*from].clone();
                    let mut log = PatchLog::active();
                    docs[to].merge_and_log_patches(&mut source, &mut log).expect("merge");
                    let touches = touches_since(&docs[to], &before);
                    touched[to].apply_touches(&docs[to], &touches);
                    (to, docs[to].make_patches(&mut log))
                }
            };
            let changes = views[target].apply(&docs[target], &patches);
            let fresh = PlanView::read(&docs[target]).expect("read");
            prop_assert_eq!(&views[target], &fresh, "after {:?}", step);
            prop_assert_eq!(&touched[target], &fresh, "from touches, after {:?}", step);
            // A change that touched a task reports it.
            for change in &changes {
                if let ViewChange::Task(id) = change {
                    prop_assert!(fresh.tasks.contains_key(id));
                }
            }
        }
        let (mut view, heads) = kept;
        let json = serde_json::to_string(&view).expect("a view serializes");
        prop_assert_eq!(&serde_json::from_str::<PlanView>(&json).expect("and reads back"), &view);
        view.catch_up(&docs[0], &heads).expect("the heads are in the document");
        prop_assert_eq!(view, PlanView::read(&docs[0]).expect("read"));
    }
}

#[test]
fn concurrent_renames_show_as_a_conflict_in_the_view_until_one_is_picked() {
    let mut a = Automerge::new();
    let mut tx = a.transaction();
    commands::create_project(&mut tx, &Project::new("618", ProjectKind::Campaign, 0)).expect("create");
    tx.commit();
    let id = TaskId::random();
    edit(&mut a, &Command::AddTask { id, title: "页面优化".into(), phase: None, at: 1 }).expect("add");
    let mut b = a.fork();
    let mut view = PlanView::read(&a).expect("read");
    edit(&mut a, &Command::RenameTask { id, title: "首页优化".into() }).expect("rename");
    edit(&mut b, &Command::RenameTask { id, title: "详情页优化".into() }).expect("rename");
    let mut log = PatchLog::active();
    a.merge_and_log_patches(&mut b, &mut log).expect("merge");
    let patches = a.make_patches(&mut log);
    assert_eq!(view.apply(&a, &patches), vec![ViewChange::Task(id)]);
    let mut values = view.tasks[&id].conflicts[0].values.clone();
    values.sort();
    assert_eq!(values, ["详情页优化", "首页优化"]);
    // Picking the value that shows already changes nothing visible, so Automerge sends no
    // patch for it; the view still learns that the conflict is gone.
    let shown = view.tasks[&id].task.title.clone();
    let patches = edit(&mut a, &Command::RenameTask { id, title: shown.clone() }).expect("pick");
    assert_eq!(patches, Vec::new());
    assert_eq!(view.apply(&a, &patches), vec![ViewChange::Task(id)]);
    assert!(view.tasks[&id].conflicts.is_empty());
    assert_eq!(view.tasks[&id].task.title, shown);
}

#[test]
fn saving_and_clearing_a_baseline_reports_each_task_it_changed() {
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    commands::create_project(&mut tx, &Project::new("618", ProjectKind::Campaign, 0)).expect("create");
    tx.commit();
    let (a, b, c) = (TaskId::random(), TaskId::random(), TaskId::random());
    for (n, id) in [a, b, c].into_iter().enumerate() {
        edit(&mut doc, &Command::AddTask { id, title: "主图".into(), phase: None, at: n as i64 })
            .expect("add");
    }
    let mut view = PlanView::read(&doc).expect("read");
    let (start, due): (Date, Date) =
        ("2027-06-01".parse().expect("date"), "2027-06-05".parse().expect("date"));
    let patches = edit(&mut doc, &Command::SetBaseline { tasks: vec![(a, start, due), (b, start, start)] })
        .expect("save");
    let mut changed = vec![ViewChange::Task(a), ViewChange::Task(b)];
    changed.sort();
    assert_eq!(view.apply(&doc, &patches), changed);
    assert_eq!(view.tasks[&a].task.baseline, Some(Baseline { start, due }));
    assert_eq!(view.tasks[&c].task.baseline, None);
    assert_eq!(view, PlanView::read(&doc).expect("read"));
    let patches = edit(&mut doc, &Command::ClearBaseline).expect("clear");
    assert_eq!(view.apply(&doc, &patches), changed, "c had none to clear");
    assert!(view.tasks.values().all(|entry| entry.task.baseline.is_none()));
    assert_eq!(view, PlanView::read(&doc).expect("read"));
}

#[test]
fn the_list_runs_phase_by_phase_with_milestones_after_their_work() {
    let template = templates::find("new-product-launch").expect("template");
    let launch = "2026-09-01".parse().expect("date");
    let project = template.instantiate(launch, true, "rows", 1_000);
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    commands::create_project(&mut tx, &project).expect("create");
    tx.commit();
    let loose = TaskId::random();
    edit(&mut doc, &Command::AddTask { id: loose, title: "临时事项".into(), phase: None, at: 5_000 })
        .expect("add");
    let view = PlanView::read(&doc).expect("read");
    let rows = view.rows();

    let headings: Vec<Option<PhaseId>> =
        rows.iter().filter_map(|r| if let PlanRow::Phase(p) = r { Some(*p) } else { None }).collect();
    let mut expected: Vec<Option<PhaseId>> = project.phases.iter().map(|p| Some(p.id)).collect();
    expected.push(None);
    assert_eq!(headings, expected, "every phase in order, then the tasks of none");
    // Every task once, under its own phase's heading, in the order they were added.
    let mut current = None;
    let mut listed = Vec::new();
    for row in &rows {
        match row {
            PlanRow::Phase(p) => current = Some(*p),
            PlanRow::Task(id) => {
                assert_eq!(current, Some(view.tasks[id].task.phase), "{}", view.tasks[id].task.title);
                listed.push(*id);
            }
            PlanRow::Milestone(m) => {
                let milestone = view.milestones.iter().find(|x| x.id == *m).expect("milestone");
                let last = milestone
                    .after
                    .iter()
                    .max_by_key(|t| listed.iter().position(|l| l == *t).unwrap_or(usize::MAX))
                    .copied();
                assert!(
                    milestone.after.iter().all(|t| listed.contains(t)),
                    "{}: listed after the work it waits for",
                    milestone.name
                );
                assert_eq!(last.map(|t| view.tasks[&t].task.phase), current, "{}", milestone.name);
            }
        }
    }
    let mut all: Vec<TaskId> = view.tasks.keys().copied().collect();
    let mut sorted = listed.clone();
    sorted.sort();
    all.sort();
    assert_eq!(sorted, all);
    assert_eq!(listed.last(), Some(&loose));
    assert_eq!(rows.iter().filter(|r| matches!(r, PlanRow::Milestone(_))).count(), project.milestones.len());
    assert!(!project.milestones.is_empty());

    // A plan without phases is a plain list.
    let mut plain = Automerge::new();
    let mut tx = plain.transaction();
    commands::create_project(&mut tx, &Project::new("清单", ProjectKind::Launch, 0)).expect("create");
    tx.commit();
    edit(&mut plain, &Command::AddTask { id: loose, title: "a".into(), phase: None, at: 1 }).expect("add");
    assert_eq!(PlanView::read(&plain).expect("read").rows(), vec![PlanRow::Task(loose)]);
}
