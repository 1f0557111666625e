//! The board as people use it: cards dropped between columns and within them land where they
//! were dropped, and two people moving and reordering cards at the same time, each offline,
//! end with the same board, every card on it once.

use automerge::Automerge;
use launchplan_shared::domain::{
    Command, Context, PlanView, Project, ProjectKind, RagRules, Status, Task, Undo, WorkCalendar, commands,
    undo_change,
};
use launchplan_shared::plan::History;
use launchplan_shared::plan::arrange::{Heading, Judge, TaskFilter};
use launchplan_shared::plan::board::{Board, Lanes, board, drop_card};
use launchplan_shared::{MemberId, TaskId};
use proptest::prelude::*;

const TITLES: [&str; 8] =
    ["页面优化", "优惠券配置", "客服培训", "主图拍摄", "详情页", "直播脚本", "备货", "物流"];

/// A campaign whose tasks are all to do, added one after another.
fn plan() -> (Automerge, Vec<TaskId>) {
    let mut doc = Automerge::new();
    let project = Project::new("双十一大促备战", ProjectKind::Campaign, 0);
    let mut ids = Vec::new();
    let mut tx = doc.transaction();
    commands::create_project(&mut tx, &project).expect("create");
    for (n, title) in TITLES.iter().enumerate() {
        let task = Task::new(*title, None, 1_764_000_000_000 + n as i64);
        ids.push(task.id);
        commands::add_task(&mut tx, &task).expect("add");
    }
    tx.commit();
    (doc, ids)
}

fn read(doc: &Automerge) -> (PlanView, Board) {
    let view = PlanView::read(doc).expect("plan");
    let (rules, history) = (RagRules::default(), History::default());
    let judge =
        Judge { schedule: None, rules: &rules, history: &history, today: "2026-11-30".parse().expect("day") };
    let workflow = view.project().workflow(true);
    let board = board(
        &view.rows(),
        |id| view.tasks.get(&id).map(|e| &e.task),
        &TaskFilter::default(),
        Lanes::None,
        &workflow,
        &[],
        &judge,
    );
    (view, board)
}

/// Drops card `id` into column `column` above the card now at `index` of that column: what a
/// person's drag does. Returns whether anything was written.
fn drag(doc: &mut Automerge, id: TaskId, column: usize, index: usize) -> bool {
    let (view, board) = read(doc);
    let to = board.columns[column].clone();
    let Some(command) = drop_card(
        &view.tasks[&id].task,
        &to,
        &board.lanes[0].cells[column],
        index,
        |t| view.tasks.get(&t).map(|e| &e.task),
        1_764_000_100_000,
    ) else {
        return false;
    };
    let calendar = WorkCalendar::default();
    let mut tx = doc.transaction();
    command.apply(&mut tx, Context { actor: None, members: &[], calendar: &calendar }).expect("drop");
    tx.commit();
    true
}

fn titles(doc: &Automerge, column: usize) -> Vec<String> {
    let (view, board) = read(doc);
    board.lanes[0].cells[column].iter().map(|id| view.tasks[id].task.title.clone()).collect()
}

#[test]
fn cards_start_in_the_order_they_were_added_in_their_status_column() {
    let (doc, _) = plan();
    let (_, board) = read(&doc);
    assert_eq!(board.columns, Status::DEFAULTS.to_vec());
    assert_eq!(titles(&doc, 0), TITLES);
    assert_eq!(board.count(0), 8);
    assert!((1..5).all(|c| board.count(c) == 0));
}

#[test]
fn a_card_dropped_in_another_column_lands_where_it_was_dropped_and_changes_status() {
    let (mut doc, ids) = plan();
    assert!(drag(&mut doc, ids[2], 1, 0));
    assert!(drag(&mut doc, ids[5], 1, 0), "above 客服培训");
    assert!(drag(&mut doc, ids[0], 1, 2), "at the bottom");
    assert!(drag(&mut doc, ids[7], 1, 1), "between 直播脚本 and 客服培训");
    assert_eq!(titles(&doc, 1), ["直播脚本", "物流", "客服培训", "页面优化"]);
    assert_eq!(titles(&doc, 0), ["优惠券配置", "主图拍摄", "详情页", "备货"]);
    let (view, _) = read(&doc);
    assert_eq!(view.tasks[&ids[2]].task.status, Status::InProgress);
    assert!(view.tasks[&ids[2]].task.started_at.is_some(), "moving a card is a status change like any other");
}

#[test]
fn a_card_moved_within_its_column_changes_place_only_and_a_drop_where_it_was_writes_nothing() {
    let (mut doc, ids) = plan();
    // 物流 to the top, then 页面优化 below 主图拍摄.
    assert!(drag(&mut doc, ids[7], 0, 0));
    assert!(drag(&mut doc, ids[0], 0, 5));
    assert_eq!(
        titles(&doc, 0),
        ["物流", "优惠券配置", "客服培训", "主图拍摄", "页面优化", "详情页", "直播脚本", "备货"]
    );
    let heads = doc.get_heads();
    // Just above itself, and just below the card above it: both where it is.
    assert!(!drag(&mut doc, ids[0], 0, 4));
    assert!(!drag(&mut doc, ids[0], 0, 5));
    assert_eq!(doc.get_heads(), heads);
    let (view, _) = read(&doc);
    assert_eq!(view.tasks[&ids[0]].task.status, Status::Todo);
}

#[test]
fn one_drop_is_one_change_that_one_undo_takes_back() {
    let (mut doc, ids) = plan();
    let before = doc.get_heads();
    let board_before = layout(&doc);
    let (view, board) = read(&doc);
    let command = drop_card(
        &view.tasks[&ids[3]].task,
        &Status::Done,
        &board.lanes[0].cells[3],
        0,
        |t| view.tasks.get(&t).map(|e| &e.task),
        1_764_000_100_000,
    )
    .expect("a move");
    let calendar = WorkCalendar::default();
    let mut tx = doc.transaction_log_patches(automerge::PatchLog::active()).expect("log");
    command.apply(&mut tx, Context { actor: None, members: &[], calendar: &calendar }).expect("drop");
    let (_, mut log) = tx.commit();
    let patches = doc.make_patches(&mut log);
    assert_eq!(doc.get_changes(&before).len(), 1, "status and place in one change");
    assert_eq!(titles(&doc, 3), ["主图拍摄"]);

    let undo = Undo::of(&doc, &before, &patches);
    undo_change(&mut doc, &undo).expect("undo");
    assert_eq!(layout(&doc), board_before, "the card is back in its column, at its place");
    let (view, _) = read(&doc);
    assert_eq!(view.tasks[&ids[3]].task.status, Status::Todo);
    assert_eq!(view.tasks[&ids[3]].task.rank, None);
}

/// A drag: which card (by its index in the plan), to which column, above which index.
#[derive(Debug, Clone)]
struct Drag(usize, usize, usize);

fn drags() -> impl Strategy<Value = Vec<Drag>> {
    prop::collection::vec(
        (0..TITLES.len(), 0usize..5, 0usize..9).prop_map(|(c, col, i)| Drag(c, col, i)),
        1..12,
    )
}

/// Every card's column and place, as the board shows them.
fn layout(doc: &Automerge) -> Vec<Vec<TaskId>> {
    read(doc).1.lanes[0].cells.clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A and B fork the plan (both offline), each drags cards around, then they merge both ways:
    /// one board for both, every card on it exactly once, and a card both moved is in one column.
    #[test]
    fn two_people_dragging_offline_end_with_one_board_and_every_card_once(a in drags(), b in drags()) {
        let (base, ids) = plan();
        let (mut doc_a, mut doc_b) = (base.fork(), base.fork());
        for Drag(card, column, index) in &a {
            drag(&mut doc_a, ids[*card], *column, *index);
        }
        for Drag(card, column, index) in &b {
            drag(&mut doc_b, ids[*card], *column, *index);
        }
        doc_a.merge(&mut doc_b.clone()).expect("merge");
        doc_b.merge(&mut doc_a.clone()).expect("merge");
        let (board_a, board_b) = (layout(&doc_a), layout(&doc_b));
        prop_assert_eq!(&board_a, &board_b);
        let mut all: Vec<TaskId> = board_a.iter().flatten().copied().collect();
        prop_assert_eq!(all.len(), ids.len(), "every card once: {:?}", board_a);
        all.sort();
        let mut expected = ids.clone();
        expected.sort();
        prop_assert_eq!(all, expected);
        // The merged board still takes drops anywhere.
        let moved = ids[a.len() % ids.len()];
        drag(&mut doc_a, moved, 2, 0);
        let top = layout(&doc_a)[2].first().copied();
        prop_assert_eq!(top, Some(moved));
    }
}

#[test]
fn swimlanes_split_each_column_by_assignee_with_nobody_last_and_filters_keep_what_the_list_keeps() {
    let (mut doc, ids) = plan();
    let (lin, wang) = (MemberId::random(), MemberId::random());
    let calendar = WorkCalendar::default();
    let mut tx = doc.transaction();
    for (task, who) in [(ids[0], lin), (ids[1], wang), (ids[2], lin)] {
        Command::Assign { id: task, members: vec![who] }
            .apply(&mut tx, Context { actor: None, members: &[], calendar: &calendar })
            .expect("assign");
    }
    tx.commit();
    assert!(drag(&mut doc, ids[2], 1, 0));

    let view = PlanView::read(&doc).expect("plan");
    let (rules, history) = (RagRules::default(), History::default());
    let judge =
        Judge { schedule: None, rules: &rules, history: &history, today: "2026-11-30".parse().expect("day") };
    let workflow = view.project().workflow(true);
    let lanes = |filter: &TaskFilter| {
        board(
            &view.rows(),
            |id| view.tasks.get(&id).map(|e| &e.task),
            filter,
            Lanes::Assignee,
            &workflow,
            &[wang, lin],
            &judge,
        )
    };
    let all = lanes(&TaskFilter::default());
    let headings: Vec<Heading> = all.lanes.iter().filter_map(|l| l.heading.clone()).collect();
    assert_eq!(
        headings,
        [Heading::Assignee(Some(wang)), Heading::Assignee(Some(lin)), Heading::Assignee(None)],
        "people in the workspace's order, nobody last"
    );
    assert_eq!(all.lanes[1].cells[0], [ids[0]]);
    assert_eq!(all.lanes[1].cells[1], [ids[2]], "林's card moved to 进行中 stays in 林's lane");
    assert_eq!(all.lanes[2].cells[0].len(), 5);
    assert_eq!(all.count(0), 7);
    assert_eq!(all.find(ids[2]), Some((1, 1, 0)));

    let words = lanes(&TaskFilter { text: "优惠".into(), ..TaskFilter::default() });
    assert_eq!(words.lanes.len(), 1, "lanes with nothing the filter keeps are left out");
    assert_eq!(words.lanes[0].cells[0], [ids[1]]);
    assert_eq!(words.columns, Status::DEFAULTS.to_vec(), "every column stays, empty or not");
}

#[test]
fn column_limits_are_kept_per_status_merge_per_column_and_refuse_nonsense() {
    let (mut doc, _) = plan();
    let calendar = WorkCalendar::default();
    let apply = |doc: &mut Automerge, command: Command| {
        let mut tx = doc.transaction();
        let result = command.apply(&mut tx, Context { actor: None, members: &[], calendar: &calendar });
        if result.is_ok() {
            tx.commit();
        } else {
            tx.rollback();
        }
        result.map(|_| ())
    };
    apply(&mut doc, Command::SetWipLimit { status: Status::InProgress, limit: Some(3) }).expect("limit");
    let limits = |doc: &Automerge| PlanView::read(doc).expect("plan").meta.wip_limits;
    assert_eq!(limits(&doc).get("in_progress"), Some(&3));

    // Two people limit two columns at once: both limits stay.
    let mut other = doc.fork();
    apply(&mut doc, Command::SetWipLimit { status: Status::Review, limit: Some(2) }).expect("limit");
    apply(&mut other, Command::SetWipLimit { status: Status::InProgress, limit: Some(5) }).expect("limit");
    doc.merge(&mut other).expect("merge");
    assert_eq!(
        limits(&doc).into_iter().collect::<Vec<_>>(),
        [("in_progress".into(), 5), ("review".into(), 2)]
    );

    apply(&mut doc, Command::SetWipLimit { status: Status::Review, limit: None }).expect("lift");
    assert_eq!(limits(&doc).get("review"), None);
    for bad in [0, 1000] {
        let heads = doc.get_heads();
        let refused = apply(&mut doc, Command::SetWipLimit { status: Status::Todo, limit: Some(bad) });
        assert!(refused.is_err_and(|e| e.to_string().contains("from 1 to 999")), "{bad}");
        assert_eq!(doc.get_heads(), heads);
    }
}
