//! A 10,000-task project: scheduling, RAG, validation, and moving it in and out of Automerge.
//! `cargo xtask bench domain` (figures in BENCHMARKS.md).

use std::hint::black_box;

use automerge::sync::SyncDoc;
use automerge::{Automerge, PatchLog};
use criterion::{Criterion, criterion_group, criterion_main};
use launchplan_shared::domain::history::{self, Stamp};
use launchplan_shared::domain::timeline;
use launchplan_shared::domain::{
    Command, Context, Date, Dependency, DependencyKind, PlanView, Project, ProjectKind, RagRules, Status,
    Task, Undo, WorkCalendar, commands, touches_since,
};
use launchplan_shared::plan::{Anchor, History, Work, plan_status, schedule, validate};
use launchplan_shared::{MemberId, TaskId};

const TASKS: usize = 10_000;

/// A plan shaped like a big campaign: each task waits for one or two earlier ones.
fn big_project() -> Project {
    let mut project = Project::new("双十一大促备战（10k）", ProjectKind::Campaign, 0);
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut ids: Vec<TaskId> = Vec::with_capacity(TASKS);
    for n in 0..TASKS {
        let mut task = Task::new(format!("任务 {n}"), None, n as i64);
        task.id = TaskId::derived(&format!("bench-{n}"));
        task.duration_days = Some(1 + (next() % 5) as u32);
        task.tags = vec![["页面优化", "优惠券配置", "客服培训", "仓储调拨"][n % 4].to_owned()];
        for _ in 0..(1 + next() % 2) {
            if n > 0 {
                let back = 1 + (next() % 50) as usize;
                let kind = match next() % 10 {
                    0 => DependencyKind::StartToStart,
                    1 => DependencyKind::FinishToFinish,
                    _ => DependencyKind::FinishToStart,
                };
                let on = ids[n.saturating_sub(back)];
                if !task.depends_on.iter().any(|d| d.task == on) {
                    task.depends_on.push(Dependency { task: on, kind, lag_days: (next() % 3) as i32 });
                }
            }
        }
        ids.push(task.id);
        project.tasks.insert(task.id, task);
    }
    project
}

fn document(project: &Project) -> Automerge {
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    commands::create_project(&mut tx, project).expect("create");
    tx.commit();
    doc
}

/// A plan with a history: 1,000 tasks added one change each by five members, then renamed,
/// started, described and assigned (a change each); and one of its tasks.
fn edited_plan() -> (Automerge, TaskId) {
    let members: Vec<MemberId> = (0..5).map(|n| MemberId::derived(&format!("member {n}"))).collect();
    let mut doc = document(&Project::new("新品首发（1k）", ProjectKind::Launch, 0));
    let tasks: Vec<Task> = (0..1000).map(|n| Task::new(format!("任务 {n}"), None, n)).collect();
    let mut edit = |n: usize, at: i64, f: &dyn Fn(&mut automerge::transaction::Transaction<'_>)| {
        let stamp = Stamp { time_ms: at * 1000, by: Some(members[n % members.len()]) };
        doc.transact_with(
            |_| stamp.commit_options(),
            |tx| {
                f(tx);
                Ok::<(), ()>(())
            },
        )
        .expect("edit");
    };
    for (n, task) in tasks.iter().enumerate() {
        edit(n, n as i64, &|tx| commands::add_task(tx, task).expect("add"));
    }
    for round in 0..4usize {
        for (n, task) in tasks.iter().enumerate() {
            edit(n + round, (1000 + round * 1000 + n) as i64, &|tx| {
                match round {
                    0 => commands::rename_task(tx, task.id, &format!("任务 {n}（改）")),
                    1 => commands::set_status(tx, task.id, &Status::InProgress, 0),
                    2 => commands::edit_description(tx, task.id, 0, 0, "白底图，三张"),
                    _ => commands::assign(tx, task.id, &members[..2]),
                }
                .expect("edit")
            });
        }
    }
    (doc, tasks[500].id)
}

/// A teammate renames task `id` (the `n`th rename) and sends it.
fn rename_and_send(
    doc: &mut Automerge,
    state: &mut automerge::sync::State,
    id: TaskId,
    n: u64,
) -> automerge::sync::Message {
    let mut tx = doc.transaction();
    commands::rename_task(&mut tx, id, &format!("远程改名 {n}")).expect("rename");
    tx.commit();
    doc.generate_sync_message(state).expect("a message")
}

fn benches(c: &mut Criterion) {
    let project = big_project();
    let work: Vec<Work> = project.tasks.values().map(Work::from).collect();
    let calendar = WorkCalendar::default();
    let start: Date = "2026-06-01".parse().expect("date");
    let today: Date = "2026-07-01".parse().expect("date");

    c.bench_function("schedule 10k tasks (full reschedule)", |b| {
        b.iter(|| schedule(black_box(&work), &calendar, Anchor::Start(start)))
    });
    c.bench_function("schedule 10k tasks backward from a launch day", |b| {
        b.iter(|| schedule(black_box(&work), &calendar, Anchor::Finish("2027-11-11".parse().expect("date"))))
    });
    let planned = schedule(&work, &calendar, Anchor::Start(start));
    c.bench_function("RAG for 10k tasks and the project", |b| {
        b.iter(|| {
            plan_status(black_box(&project), &planned, today, &RagRules::default(), &History::default(), true)
        })
    });
    c.bench_function("validate 10k tasks", |b| b.iter(|| validate(black_box(&project), None, None)));

    c.bench_function("reconcile 10k tasks into a new document", |b| b.iter(|| document(black_box(&project))));
    let doc = document(&project);
    c.bench_function("read 10k tasks from the document in one walk", |b| {
        b.iter(|| commands::read_project(black_box(&doc)).expect("read"))
    });
    c.bench_function("read 10k tasks field by field (autosurgeon, for comparison)", |b| {
        b.iter(|| autosurgeon::hydrate::<_, Project>(black_box(&doc)).expect("hydrate"))
    });
    c.bench_function("open the plan view of 10k tasks", |b| {
        b.iter(|| PlanView::read(black_box(&doc)).expect("view"))
    });
    let one = project.tasks.keys().nth(TASKS / 2).copied().expect("a task");
    let mut editing = doc.fork();
    let mut n = 0u64;
    c.bench_function("change one task in a 10k-task document", |b| {
        b.iter(|| {
            n += 1;
            let mut tx = editing.transaction();
            commands::rename_task(&mut tx, one, &format!("改名 {n}")).expect("rename");
            tx.commit();
        })
    });
    // What a keystroke costs before the screen shows it: the command in a transaction with
    // a patch log, the view updated from the patches, and the undo kept. Each iteration
    // renames another task (a field overwritten thousands of times reads slower: Automerge
    // keeps every value it ever held).
    let mut fresh = doc.fork();
    let mut view = PlanView::read(&fresh).expect("view");
    let calendar = WorkCalendar::default();
    let ids: Vec<_> = project.tasks.keys().copied().collect();
    c.bench_function("local edit at 10k tasks: command, patches, view, undo", |b| {
        b.iter(|| {
            n += 1;
            let editing = &mut fresh;
            let before = editing.get_heads();
            let command =
                Command::RenameTask { id: ids[n as usize % ids.len()], title: format!("改名 {n}") };
            let cx = Context { actor: None, members: &[], calendar: &calendar };
            let mut tx = editing.transaction_log_patches(PatchLog::active()).expect("log");
            command.apply(&mut tx, cx).expect("rename");
            let (_, mut log) = tx.commit();
            let patches = editing.make_patches(&mut log);
            let changed = view.apply(&*editing, &patches);
            let undo = Undo::of(editing, &before, &patches);
            black_box((changed, undo))
        })
    });
    // A teammate's rename arriving over sync at a 10k-task plan with 3,000 changes of
    // history (a change per finished task): received with its patches, the view brought
    // up to date, and the answer to send back worked out.
    let mut theirs = doc.fork();
    for (n, id) in ids.iter().take(3000).enumerate() {
        let mut tx = theirs.transaction();
        commands::set_status(&mut tx, *id, &Status::Done, n as i64).expect("done");
        tx.commit();
    }
    let mut ours = theirs.fork();
    let mut ours_view = PlanView::read(&ours).expect("view");
    let (mut theirs_state, mut ours_state) = (automerge::sync::State::new(), automerge::sync::State::new());
    let settle = |theirs: &mut Automerge,
                  ours: &mut Automerge,
                  ts: &mut automerge::sync::State,
                  os: &mut automerge::sync::State| {
        loop {
            let a = theirs.generate_sync_message(ts);
            let b = ours.generate_sync_message(os);
            if a.is_none() && b.is_none() {
                break;
            }
            if let Some(a) = a {
                ours.receive_sync_message(os, a).expect("sync");
            }
            if let Some(b) = b {
                theirs.receive_sync_message(ts, b).expect("sync");
            }
        }
    };
    settle(&mut theirs, &mut ours, &mut theirs_state, &mut ours_state);
    // The same two ways: Automerge's patches (each a walk of every task to find the renamed
    // one's path), and where the change wrote (`touches_since`, what the app does).
    c.bench_function("a teammate's rename received, 10k tasks and 3,001 changes: sync, patches, view", |b| {
        b.iter(|| {
            n += 1;
            let message = rename_and_send(&mut theirs, &mut theirs_state, ids[n as usize % ids.len()], n);
            let mut log = PatchLog::active();
            ours.receive_sync_message_log_patches(&mut ours_state, message, &mut log).expect("receive");
            let patches = ours.make_patches(&mut log);
            let changed = ours_view.apply(&ours, &patches);
            let answer = ours.generate_sync_message(&mut ours_state).expect("an answer");
            theirs.receive_sync_message(&mut theirs_state, answer).expect("answer");
            black_box(changed)
        })
    });
    c.bench_function("a teammate's rename received, 10k tasks and 3,001 changes: sync, touches, view", |b| {
        b.iter(|| {
            n += 1;
            let message = rename_and_send(&mut theirs, &mut theirs_state, ids[n as usize % ids.len()], n);
            let before = ours.get_heads();
            ours.receive_sync_message(&mut ours_state, message).expect("receive");
            let touches = touches_since(&ours, &before);
            let changed = ours_view.apply_touches(&ours, &touches);
            let answer = ours.generate_sync_message(&mut ours_state).expect("an answer");
            theirs.receive_sync_message(&mut theirs_state, answer).expect("answer");
            black_box(changed)
        })
    });
    let (edited, task) = edited_plan();
    println!("the edited plan has {} changes", edited.get_changes(&[]).len());
    c.bench_function("a task's history, 1,000 tasks and 5,001 stamped changes", |b| {
        b.iter(|| history::task_history(black_box(&edited), task, 100))
    });
    let moments = timeline::moments(&edited);
    println!("the edited plan has {} moments", moments.len());
    c.bench_function("the history slider's moments, 1,000 tasks and 5,001 stamped changes", |b| {
        b.iter(|| timeline::moments(black_box(&edited)))
    });
    let halfway = &moments[moments.len() / 2].heads;
    c.bench_function("the plan halfway back, 1,000 tasks and 5,001 stamped changes", |b| {
        b.iter(|| timeline::project_at(black_box(&edited), halfway).expect("a plan"))
    });
    c.bench_function("save a 10k-task document", |b| b.iter(|| black_box(&doc).save()));
    let bytes = doc.save();
    println!("a 10k-task document saves to {} bytes", bytes.len());
    c.bench_function("load a 10k-task document", |b| {
        b.iter(|| Automerge::load(black_box(&bytes)).expect("load"))
    });
}

criterion_group! {
    name = domain;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(8));
    targets = benches
}
criterion_main!(domain);
