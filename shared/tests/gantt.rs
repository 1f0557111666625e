//! The Gantt chart as people see it: headers that name the right days, bars where the schedule
//! puts tasks, arrows that leave and enter bars at the ends their dependency names and never
//! run through another bar, collapsed phases, days off, drags that land on working days, and
//! a 5,000-task plan whose scrolling looks only at what is in view, and the whole chart saved
//! as one SVG document.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use launchplan_shared::domain::{
    ChecklistItem, Date, Dependency, DependencyKind, Milestone, PlanRow, Status, Task, WorkCalendar,
};
use launchplan_shared::plan::gantt::{
    Arrow, BAR_HEIGHT, BAR_TOP, BASELINE_HEIGHT, BASELINE_TOP, DIAMOND_HALF, DragMode, DragPreview, Export,
    Gantt, HeaderLabel, Mark, Point, RowKind, Rows, Scale, Span, Zoom, days_off, drag_preview, headers,
    milestone_date, snap, svg, today_x,
};
use launchplan_shared::plan::{Anchor, Rag, Schedule, Work, schedule};
use launchplan_shared::{ItemId, MilestoneId, PhaseId, TaskId};
use proptest::prelude::*;

use DependencyKind::{FinishToFinish as FF, FinishToStart as FS, StartToFinish as SF, StartToStart as SS};

fn d(s: &str) -> Date {
    s.parse().expect("date")
}

fn id(name: &str) -> TaskId {
    TaskId::derived(name)
}

fn phase(name: &str) -> Option<PhaseId> {
    Some(PhaseId::derived(name))
}

/// A plan written down as its list: phase headings, tasks and milestones in order.
#[derive(Default)]
struct Plan {
    tasks: BTreeMap<TaskId, Task>,
    list: Vec<PlanRow>,
    milestones: Vec<Milestone>,
    baseline: BTreeMap<TaskId, (Date, Date)>,
}

impl Plan {
    fn phase(&mut self, name: &str) {
        self.list.push(PlanRow::Phase(phase(name)));
    }

    fn task(&mut self, name: &str, days: u32, deps: &[(&str, DependencyKind, i32)]) -> &mut Task {
        let mut task = Task::new(name, None, self.tasks.len() as i64);
        task.id = id(name);
        task.duration_days = Some(days);
        task.depends_on =
            deps.iter().map(|&(p, kind, lag_days)| Dependency { task: id(p), kind, lag_days }).collect();
        self.list.push(PlanRow::Task(task.id));
        self.tasks.entry(task.id).or_insert(task)
    }

    fn milestone(&mut self, name: &str, after: &[&str]) {
        let m = Milestone {
            id: MilestoneId::derived(name),
            name: name.into(),
            after: after.iter().map(|n| id(n)).collect(),
            date: None,
        };
        self.list.push(PlanRow::Milestone(m.id));
        self.milestones.push(m);
    }

    fn schedule(&self, start: &str) -> Schedule {
        let work: Vec<Work> = self
            .list
            .iter()
            .filter_map(|r| match r {
                PlanRow::Task(t) => Some(Work::from(&self.tasks[t])),
                _ => None,
            })
            .collect();
        schedule(&work, &WorkCalendar::default(), Anchor::Start(d(start)))
    }

    fn gantt(&self, schedule: &Schedule, zoom: Zoom, collapsed: &[Option<PhaseId>]) -> Gantt {
        let collapsed: BTreeSet<Option<PhaseId>> = collapsed.iter().copied().collect();
        Gantt::new(
            Scale::new(schedule.start, zoom),
            Rows::new(&self.list, &collapsed),
            |t| self.tasks.get(&t),
            schedule,
            |m| self.milestones.iter().find(|x| x.id == m).and_then(|m| milestone_date(m, schedule)),
            |t| self.baseline.get(&t).copied(),
        )
    }
}

/// A rectangle something is drawn in: (left, top, right, bottom), and what it is.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    row: usize,
}

/// Every bar, diamond (its bounding box), summary bar and baseline of the chart.
fn rects(gantt: &Gantt) -> Vec<Rect> {
    let mut out = Vec::new();
    for row in gantt.window(0..gantt.rows.len(), |_| None).bars {
        let band = (row.y + BAR_TOP, row.y + BAR_TOP + BAR_HEIGHT);
        match row.mark {
            Some(Mark::Bar(s)) => {
                out.push(Rect { x0: s.x, y0: band.0, x1: s.end(), y1: band.1, row: row.index })
            }
            Some(Mark::Diamond { x }) => out.push(Rect {
                x0: x - DIAMOND_HALF,
                y0: band.0,
                x1: x + DIAMOND_HALF,
                y1: band.1,
                row: row.index,
            }),
            None => {}
        }
        if let Some(b) = row.baseline {
            let y0 = row.y + BASELINE_TOP;
            out.push(Rect { x0: b.x, y0, x1: b.end(), y1: y0 + BASELINE_HEIGHT, row: row.index });
        }
    }
    out
}

/// Whether segment `a`–`b` (horizontal or vertical) passes through the inside of `r`.
fn crosses(a: Point, b: Point, r: &Rect) -> bool {
    let overlaps = |p: f64, q: f64, lo: f64, hi: f64| p.min(q).max(lo) < p.max(q).min(hi);
    if a.y == b.y {
        r.y0 < a.y && a.y < r.y1 && overlaps(a.x, b.x, r.x0, r.x1)
    } else {
        r.x0 < a.x && a.x < r.x1 && overlaps(a.y, b.y, r.y0, r.y1)
    }
}

/// Checks every segment of every arrow against every rectangle; the first crossing found.
fn first_crossing(arrows: &[Arrow], rects: &[Rect]) -> Option<String> {
    for arrow in arrows {
        for pair in arrow.points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.x != b.x && a.y != b.y {
                return Some(format!("{arrow:?}: a slanted segment {a:?}–{b:?}"));
            }
            if let Some(r) = rects.iter().find(|r| crosses(a, b, r)) {
                return Some(format!(
                    "arrow {}→{} (rows {}→{}) segment {a:?}–{b:?} runs through row {}'s {r:?}",
                    arrow.from, arrow.to, arrow.from_row, arrow.to_row, r.row
                ));
            }
        }
    }
    None
}

fn mid(row: usize) -> f64 {
    Rows::y_mid(row)
}

#[test]
fn header_cells_tile_the_visible_range_without_gaps_or_overlaps() {
    let scale_at = |zoom| Scale::new(d("2026-11-02"), zoom);
    for zoom in Zoom::ALL {
        let scale = scale_at(zoom);
        for (from, to) in [(0.0, 1_920.0), (-1_234.5, 777.25), (10_000.0, 10_000.5), (3.0, 40_000.0)] {
            let h = headers(&scale, from, to);
            for (name, cells) in [("upper", &h.upper), ("lower", &h.lower)] {
                let at = format!("{zoom:?} {name} over {from}..{to}");
                assert!(!cells.is_empty(), "{at}: no cells");
                assert_eq!(cells[0].x, from, "{at}: a gap at the left");
                let last = cells[cells.len() - 1];
                assert!((last.x + last.width - to).abs() < 1e-9, "{at}: a gap at the right");
                for pair in cells.windows(2) {
                    assert!((pair[0].x + pair[0].width - pair[1].x).abs() < 1e-9, "{at}: {pair:?}");
                    assert_ne!(pair[0].label, pair[1].label, "{at}: one period in two cells");
                }
                assert!(cells.iter().all(|c| c.width > 0.0), "{at}: an empty cell");
            }
        }
    }
    // What the cells name, where they begin.
    let day = scale_at(Zoom::Day);
    let h = headers(&day, day.x(d("2026-11-29")), day.x(d("2026-12-03")));
    assert_eq!(
        h.upper.iter().map(|c| (c.label, c.x)).collect::<Vec<_>>(),
        [
            (HeaderLabel::Month { year: 2026, month: 11 }, day.x(d("2026-11-29"))),
            (HeaderLabel::Month { year: 2026, month: 12 }, day.x(d("2026-12-01"))),
        ]
    );
    assert_eq!(h.lower.len(), 4);
    assert_eq!(h.lower[2].label, HeaderLabel::Day { year: 2026, month: 12, day: 1, weekday: 1 });
    assert_eq!(h.lower[2].width, 32.0);

    let week = scale_at(Zoom::Week);
    let h = headers(&week, week.x(d("2026-12-28")), week.x(d("2027-01-11")));
    let weeks: Vec<HeaderLabel> = h.lower.iter().map(|c| c.label).collect();
    assert_eq!(
        weeks,
        [
            HeaderLabel::Week { iso_year: 2026, week: 53, monday: d("2026-12-28") },
            HeaderLabel::Week { iso_year: 2027, week: 1, monday: d("2027-01-04") },
        ]
    );
    assert_eq!(h.upper[1].label, HeaderLabel::Month { year: 2027, month: 1 });
    assert_eq!(h.upper[1].x, week.x(d("2027-01-01")), "January begins mid-week");

    let month = scale_at(Zoom::Month);
    let h = headers(&month, month.x(d("2026-09-15")), month.x(d("2026-10-15")));
    assert_eq!(h.upper[0].label, HeaderLabel::Quarter { year: 2026, quarter: 3 });
    assert_eq!(h.upper[1].label, HeaderLabel::Quarter { year: 2026, quarter: 4 });
    assert_eq!(h.lower[1].label, HeaderLabel::Month { year: 2026, month: 10 });

    let quarter = scale_at(Zoom::Quarter);
    let h = headers(&quarter, quarter.x(d("2026-12-01")), quarter.x(d("2027-02-01")));
    assert_eq!(h.upper[1].label, HeaderLabel::Year { year: 2027 });
    assert_eq!(h.upper[1].x, quarter.x(d("2027-01-01")));
    assert_eq!(h.lower[1].label, HeaderLabel::Quarter { year: 2027, quarter: 1 });
}

#[test]
fn an_fs_arrow_with_lag_2_leaves_the_predecessors_end_and_enters_the_successors_start() {
    let mut plan = Plan::default();
    plan.task("样品确认", 3, &[]);
    plan.task("主图拍摄", 2, &[("样品确认", FS, 2)]);
    // Mon 2026-11-02: 样品确认 runs Mon–Wed; two days of lag; 主图拍摄 starts Monday the 9th.
    let schedule = plan.schedule("2026-11-02");
    assert_eq!(schedule.tasks[&id("主图拍摄")].start, d("2026-11-09"));
    let gantt = plan.gantt(&schedule, Zoom::Day, &[]);
    let arrows = gantt.all_arrows();
    assert_eq!(arrows.len(), 1);
    let arrow = &arrows[0];
    let scale = gantt.scale;
    assert_eq!(
        arrow.points[0],
        Point { x: scale.x_end(d("2026-11-04")), y: mid(0) },
        "at the end of Wednesday"
    );
    assert_eq!(arrow.points[1].y, mid(0));
    assert!(arrow.points[1].x > arrow.points[0].x, "it leaves to the right");
    let n = arrow.points.len();
    assert_eq!(
        arrow.points[n - 1],
        Point { x: scale.x(d("2026-11-09")), y: mid(1) },
        "at the start of Monday"
    );
    assert!(arrow.points[n - 2].x < arrow.points[n - 1].x, "it comes in from the left");
    assert_eq!(arrow.points[n - 2].y, mid(1));
    assert_eq!((arrow.kind, arrow.lag_days), (FS, 2));
    assert!(arrow.critical, "both are critical and the second waits for the first");
}

#[test]
fn each_kind_of_dependency_meets_the_ends_it_names() {
    let mut plan = Plan::default();
    plan.task("备货", 4, &[]);
    plan.task("fs", 2, &[("备货", FS, 0)]);
    plan.task("ss", 2, &[("备货", SS, 1)]);
    plan.task("ff", 2, &[("备货", FF, 1)]);
    plan.task("sf", 1, &[("备货", SF, 2)]);
    let schedule = plan.schedule("2026-11-02");
    let gantt = plan.gantt(&schedule, Zoom::Day, &[]);
    let scale = gantt.scale;
    let p = schedule.tasks[&id("备货")];
    for arrow in gantt.all_arrows() {
        let s = schedule.tasks[&arrow.to];
        let (start, end) = match arrow.kind {
            FS => (scale.x_end(p.finish), scale.x(s.start)),
            SS => (scale.x(p.start), scale.x(s.start)),
            FF => (scale.x_end(p.finish), scale.x_end(s.finish)),
            SF => (scale.x(p.start), scale.x_end(s.finish)),
        };
        let (first, second) = (arrow.points[0], arrow.points[1]);
        let n = arrow.points.len();
        let (before_last, last) = (arrow.points[n - 2], arrow.points[n - 1]);
        assert_eq!(first, Point { x: start, y: mid(0) }, "{:?} leaves", arrow.kind);
        assert_eq!(last, Point { x: end, y: mid(arrow.to_row) }, "{:?} enters", arrow.kind);
        // Out of the predecessor away from its bar, into the successor from outside it.
        let leaves_right = matches!(arrow.kind, FS | FF);
        assert_eq!(second.x > first.x, leaves_right, "{:?} leaves away from its bar", arrow.kind);
        let enters_from_left = matches!(arrow.kind, FS | SS);
        assert_eq!(before_last.x < last.x, enters_from_left, "{:?} enters from its side", arrow.kind);
    }
    assert_eq!(first_crossing(&gantt.all_arrows(), &rects(&gantt)), None);
}

#[test]
fn an_arrow_goes_around_a_bar_that_lies_between_its_tasks() {
    let mut plan = Plan::default();
    plan.task("定价", 2, &[]);
    // A long task on the row in between, right where the arrow would drop.
    plan.task("直播脚本", 10, &[]);
    plan.task("上架", 1, &[("定价", FS, 0)]);
    plan.task("客服培训", 1, &[("直播脚本", SS, 0)]);
    let schedule = plan.schedule("2026-11-02");
    let gantt = plan.gantt(&schedule, Zoom::Day, &[]);
    let arrows = gantt.all_arrows();
    let down = arrows.iter().find(|a| a.to == id("上架")).expect("定价 → 上架");
    let wall = rects(&gantt).into_iter().find(|r| r.row == 1).expect("直播脚本's bar");
    // It runs down beside the bar between (left of it: nearer than its far end).
    let vertical = down.points.windows(2).find(|w| w[0].x == w[1].x && w[0].y < mid(1) && w[1].y > mid(1));
    let x = vertical.expect("a vertical segment across row 1")[0].x;
    assert!(x < wall.x0, "it passes left of 直播脚本's bar, at {x} (bar from {})", wall.x0);
    assert_eq!(first_crossing(&arrows, &rects(&gantt)), None);
}

#[test]
fn a_wall_of_bars_is_gone_around_beside_the_nearest_end() {
    let mut plan = Plan::default();
    // Twelve days: the arrow leaves far (more than REACH) from the wall's left end.
    plan.task("a", 12, &[]);
    // Eight rows of bars, each 60 working days long, from the first day: no gap to pass.
    for n in 0..8 {
        plan.task(&format!("wall{n}"), 60, &[]);
    }
    plan.task("b", 1, &[("a", FS, 0)]);
    let schedule = plan.schedule("2026-11-02");
    let gantt = plan.gantt(&schedule, Zoom::Day, &[]);
    let arrows = gantt.all_arrows();
    let arrow = arrows.iter().find(|a| a.to == id("b")).expect("a → b");
    let vertical = arrow.points.windows(2).find(|w| w[0].x == w[1].x && w[1].y - w[0].y > 100.0);
    let x = vertical.expect("one long run down")[0].x;
    assert!(x < gantt.scale.x(schedule.start), "left of every bar (the chart's left gutter), at {x}");
    assert_eq!(first_crossing(&arrows, &rects(&gantt)), None);
}

#[test]
fn bars_show_where_the_schedule_puts_tasks_how_far_along_they_are_and_their_slack() {
    let mut plan = Plan::default();
    plan.phase("准备");
    plan.task("选品", 3, &[]).status = Status::Done;
    plan.task("文案", 1, &[]).checklist = (0..4)
        .map(|n| ChecklistItem { id: ItemId::derived(&n.to_string()), text: "要点".into(), done: n == 0 })
        .collect();
    plan.task("备货", 5, &[("选品", FS, 0)]);
    plan.task("样品到位", 0, &[("选品", FS, 0)]);
    plan.milestone("准备完成", &["备货"]);
    plan.baseline.insert(id("备货"), (d("2026-11-02"), d("2026-11-06")));
    let schedule = plan.schedule("2026-11-02");
    let gantt = plan.gantt(&schedule, Zoom::Week, &[]);
    let scale = gantt.scale;
    let window = gantt.window(0..gantt.rows.len(), |t| plan.tasks.get(&t));
    let row = |kind: RowKind| window.bars.iter().find(|r| r.kind == kind).expect("row");
    let bar = |from: &str, to: &str| Some(Mark::Bar(Span::between(scale.x(d(from)), scale.x_end(d(to)))));

    let pick = row(RowKind::Task(id("选品")));
    assert_eq!(pick.mark, bar("2026-11-02", "2026-11-04"));
    assert_eq!(pick.progress, Some(1.0), "done");
    assert!(pick.critical);
    assert_eq!(row(RowKind::Task(id("文案"))).progress, Some(0.25), "one of four checklist items");
    let stock = row(RowKind::Task(id("备货")));
    // Thu 5th to Wed 11th, over the weekend.
    assert_eq!(stock.mark, bar("2026-11-05", "2026-11-11"));
    assert_eq!(stock.progress, Some(0.0));
    assert_eq!(stock.baseline, Some(Span::between(scale.x(d("2026-11-02")), scale.x_end(d("2026-11-06")))));
    let copy = row(RowKind::Task(id("文案")));
    assert!(!copy.critical);
    // 文案 (one day, Monday) can slip to the plan's last day.
    assert_eq!(copy.slack, Some(Span::between(scale.x_end(d("2026-11-02")), scale.x_end(d("2026-11-11")))));
    assert_eq!(
        row(RowKind::Task(id("样品到位"))).mark,
        Some(Mark::Diamond { x: scale.x_mid(d("2026-11-04")) }),
        "a task of no length is a diamond on the day it is reached"
    );
    assert_eq!(
        row(RowKind::Milestone(MilestoneId::derived("准备完成"))).mark,
        Some(Mark::Diamond { x: scale.x_mid(d("2026-11-11")) }),
        "a milestone on the day the last task it waits for finishes"
    );
    assert_eq!(row(RowKind::PhaseSummary(phase("准备"))).mark, bar("2026-11-02", "2026-11-11"));
    assert_eq!(row(RowKind::PhaseSummary(phase("准备"))).progress, None);
}

#[test]
fn a_collapsed_phase_shows_only_its_summary_and_its_arrows_meet_the_summary_bar() {
    let mut plan = Plan::default();
    plan.phase("设计");
    plan.task("主图", 3, &[]);
    plan.task("详情页", 2, &[("主图", FS, 0)]);
    plan.milestone("设计定稿", &["详情页"]);
    plan.phase("上线");
    plan.task("上架", 1, &[("详情页", FS, 0)]);
    plan.task("客服话术", 1, &[("主图", SS, 0), ("上架", FF, 0)]);
    let schedule = plan.schedule("2026-11-02");

    let open = plan.gantt(&schedule, Zoom::Day, &[]);
    assert_eq!(open.rows.len(), 7);
    assert_eq!(open.all_arrows().len(), 4);

    let folded = plan.gantt(&schedule, Zoom::Day, &[phase("设计")]);
    assert_eq!(
        folded.rows.kinds,
        [
            RowKind::PhaseSummary(phase("设计")),
            RowKind::PhaseSummary(phase("上线")),
            RowKind::Task(id("上架")),
            RowKind::Task(id("客服话术")),
        ],
        "its tasks and its milestone are hidden"
    );
    let scale = folded.scale;
    let summary = folded.window(0..1, |_| None).bars[0].mark.expect("a summary bar");
    assert_eq!(summary, Mark::Bar(Span::between(scale.x(d("2026-11-02")), scale.x_end(d("2026-11-06")))));
    let arrows = folded.all_arrows();
    // 主图 → 详情页 is inside the folded phase: not drawn. The two into 上线 start on row 0.
    let ends: Vec<(usize, usize, DependencyKind, bool)> =
        arrows.iter().map(|a| (a.from_row, a.to_row, a.kind, a.folded)).collect();
    assert_eq!(ends, [(0, 2, FS, true), (0, 3, SS, true), (2, 3, FF, false)]);
    // Finish-to-start leaves the summary's end; start-to-start its start.
    assert_eq!(arrows[0].points[0], Point { x: summary.right(), y: mid(0) });
    assert_eq!(arrows[1].points[0], Point { x: summary.left(), y: mid(0) });
    assert_eq!(first_crossing(&arrows, &rects(&folded)), None);
}

#[test]
fn days_off_are_shaded_in_runs_and_today_is_marked() {
    // 国庆: Thursday 1 to Wednesday 7 October off, Saturday the 10th worked instead.
    let calendar = WorkCalendar {
        holidays: (1..=7).map(|n| d(&format!("2026-10-0{n}"))).collect(),
        extra_workdays: vec![d("2026-10-10")],
        ..WorkCalendar::default()
    };
    let scale = Scale::new(d("2026-09-28"), Zoom::Day);
    let spans = days_off(&scale, &calendar, 0.0, scale.x(d("2026-10-19")));
    let between = |a: &str, b: &str| Span::between(scale.x(d(a)), scale.x(d(b)));
    assert_eq!(
        spans,
        [
            between("2026-10-01", "2026-10-08"),
            between("2026-10-11", "2026-10-12"),
            between("2026-10-17", "2026-10-19")
        ]
    );
    // A range that starts and ends on a weekend.
    let weekend = days_off(&scale, &calendar, scale.x(d("2026-10-18")) + 5.0, scale.x(d("2026-10-24")) + 1.0);
    assert_eq!(weekend, [between("2026-10-18", "2026-10-19"), between("2026-10-24", "2026-10-25")]);
    assert_eq!(today_x(&scale, d("2026-09-30")), 2.5 * 32.0);
}

#[test]
fn dates_under_the_pointer_snap_to_the_nearest_working_day() {
    let calendar = WorkCalendar::default();
    let scale = Scale::new(d("2026-11-02"), Zoom::Day);
    let at = |day: &str, into: f64| snap(&scale, &calendar, scale.x(d(day)) + into);
    assert_eq!(at("2026-11-04", 1.0), d("2026-11-04"), "a working day is itself");
    assert_eq!(at("2026-11-07", 10.0), d("2026-11-06"), "early Saturday: Friday");
    assert_eq!(at("2026-11-08", 30.0), d("2026-11-09"), "late Sunday: Monday");
    assert_eq!(at("2026-11-07", 20.0), d("2026-11-06"), "late Saturday is still nearer Friday");
}

#[test]
fn dragging_a_bar_moves_it_by_working_days() {
    let calendar = WorkCalendar::default();
    let scale = Scale::new(d("2026-11-02"), Zoom::Day);
    let mut plan = Plan::default();
    plan.task("页面优化", 3, &[]);
    let schedule = plan.schedule("2026-11-04");
    let planned = schedule.tasks[&id("页面优化")];
    let preview = |dx: f64, mode| drag_preview(&scale, &calendar, &planned, dx, mode);
    let dates = |start: &str, due: &str| DragPreview { start: d(start), due: d(due) };
    // Wednesday to Friday.
    assert_eq!(
        preview(10.0, DragMode::Move),
        dates("2026-11-04", "2026-11-06"),
        "less than half a day: stays"
    );
    assert_eq!(preview(32.0, DragMode::Move), dates("2026-11-05", "2026-11-09"), "three working days still");
    assert_eq!(
        preview(138.0, DragMode::Move),
        dates("2026-11-09", "2026-11-11"),
        "late Sunday: on to Monday"
    );
    assert_eq!(
        preview(100.0, DragMode::Move),
        dates("2026-11-06", "2026-11-10"),
        "late Saturday: back to Friday"
    );
    assert_eq!(preview(-64.0, DragMode::Move), dates("2026-11-02", "2026-11-04"));
    assert_eq!(
        preview(64.0, DragMode::ResizeEnd),
        dates("2026-11-04", "2026-11-09"),
        "pulled over the weekend"
    );
    assert_eq!(preview(40.0, DragMode::ResizeEnd), dates("2026-11-04", "2026-11-06"), "nearer Friday's end");
    assert_eq!(preview(-20.0, DragMode::ResizeEnd), dates("2026-11-04", "2026-11-05"));
    assert_eq!(
        preview(-400.0, DragMode::ResizeEnd),
        dates("2026-11-04", "2026-11-04"),
        "never before its start"
    );
}

/// 50 phases of 100 tasks, each waiting for the one before it in its phase; every tenth task
/// also waits for one 2,500 rows up.
fn big_plan() -> Plan {
    let mut plan = Plan::default();
    for p in 0..50usize {
        plan.phase(&format!("phase {p}"));
        for t in 0..100 {
            let n = p * 100 + t;
            let mut deps = Vec::new();
            let before = format!("t{}", n.wrapping_sub(1));
            let far = format!("t{}", n.wrapping_sub(2_450));
            if t > 0 {
                deps.push((before.as_str(), FS, 0));
            }
            if t % 10 == 5 && n >= 2_500 {
                deps.push((far.as_str(), SS, 1));
            }
            plan.task(&format!("t{n}"), 1 + (n % 4) as u32, &deps);
        }
    }
    plan
}

#[test]
fn with_5000_tasks_a_scroll_looks_only_at_the_rows_in_view_and_the_arrows_crossing_them() {
    let plan = big_plan();
    let schedule = plan.schedule("2026-09-01");
    let gantt = plan.gantt(&schedule, Zoom::Week, &[]);
    assert_eq!(gantt.rows.len(), 5_050);
    let every = gantt.all_arrows();
    assert_eq!(every.len(), 50 * 99 + 25 * 10);

    for scroll_top in [0.0, 40_000.0, 80_000.5, 161_000.0] {
        let rows = gantt.visible_rows(scroll_top, 900.0, 5);
        let asked = Cell::new(0);
        let window = gantt.window(rows.clone(), |t| {
            asked.set(asked.get() + 1);
            plan.tasks.get(&t)
        });
        let task_rows = window.bars.iter().filter(|r| matches!(r.kind, RowKind::Task(_))).count();
        assert!(rows.len() <= 900 / 32 + 2 + 10, "{rows:?}");
        assert_eq!(asked.get(), task_rows, "asked about the tasks in view only");
        // Exactly the arrows with a row in view: found without looking at the others.
        let crossing: Vec<&Arrow> = every
            .iter()
            .filter(|a| a.from_row.min(a.to_row) < rows.end && a.from_row.max(a.to_row) >= rows.start)
            .collect();
        let rows_of = |arrows: &[&Arrow]| arrows.iter().map(|a| (a.from_row, a.to_row)).collect::<Vec<_>>();
        let found: Vec<&Arrow> = window.arrows.iter().collect();
        assert_eq!(rows_of(&found), rows_of(&crossing), "at {scroll_top}");
        assert_eq!(found, crossing, "routed as when the whole chart is drawn");
        // A few index nodes per arrow found, never a walk over all 5,200 arrows.
        let bound = 8 * (window.arrows.len() + 1);
        assert!(
            window.index_visits <= bound && window.index_visits < every.len() / 2,
            "{} index nodes visited for {} arrows (of {})",
            window.index_visits,
            window.arrows.len(),
            every.len()
        );
    }
}

#[test]
fn an_arrow_from_above_the_view_to_below_it_is_drawn_through_it() {
    let plan = big_plan();
    let schedule = plan.schedule("2026-09-01");
    let gantt = plan.gantt(&schedule, Zoom::Month, &[]);
    // t2505 (phase 25) waits for t55 (phase 0): rows 56 and 2,531. View rows 1,000 to 1,030.
    let rows = gantt.visible_rows(1_000.0 * 32.0, 30.0 * 32.0, 0);
    assert_eq!(rows, 1_000..1_030);
    let window = gantt.window(rows, |t| plan.tasks.get(&t));
    let long = window.arrows.iter().find(|a| a.from == id("t55") && a.to == id("t2505"));
    let long = long.expect("the arrow crossing the view");
    assert!(
        long.points
            .windows(2)
            .any(|w| w[0].x == w[1].x && w[0].y < 1_000.0 * 32.0 && w[1].y > 1_030.0 * 32.0)
    );
    assert!(
        window.arrows.iter().all(|a| a.from_row.min(a.to_row) < 1_030 && a.from_row.max(a.to_row) >= 1_000)
    );
}

#[test]
fn no_arrow_of_a_big_plan_runs_through_a_bar() {
    let plan = big_plan();
    let schedule = plan.schedule("2026-09-01");
    let gantt = plan.gantt(&schedule, Zoom::Day, &[phase("phase 3"), phase("phase 30")]);
    let (arrows, rects) = (gantt.all_arrows(), rects(&gantt));
    // Checking all 5,000 arrows against all 5,000 bars is slow; the long ones are the risk.
    let long: Vec<Arrow> = arrows.into_iter().filter(|a| a.from_row.abs_diff(a.to_row) > 1).collect();
    assert!(long.len() >= 200, "{}", long.len());
    assert_eq!(first_crossing(&long, &rects), None);
}

/// A task drawn from numbers: its phase, its working days, and its dependencies (on task, kind,
/// lag).
type ArbTask = (usize, u32, Vec<(usize, u8, i32)>);

/// A plan drawn from numbers: its tasks, which of its four phases are collapsed, and how far
/// each task's baseline is from where it is now.
fn arb_plan() -> impl Strategy<Value = (Vec<ArbTask>, Vec<bool>, Vec<Option<u32>>)> {
    let task = (0usize..4, 0u32..6, proptest::collection::vec((0usize..40, 0u8..4, -2i32..4), 0..3));
    (
        proptest::collection::vec(task, 2..40),
        proptest::collection::vec(any::<bool>(), 4),
        proptest::collection::vec(proptest::option::of(0u32..5), 40),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the plan, collapsed phases and baselines: every arrow is horizontal and vertical
    /// segments, starts and ends on its bars' ends, and runs through no bar.
    #[test]
    fn arrows_never_run_through_bars((tasks, collapsed, shifts) in arb_plan(), zoom in 0usize..4) {
        let mut plan = Plan::default();
        let name = |n: usize| format!("t{n}");
        for p in 0..4 {
            plan.phase(&format!("p{p}"));
            for (n, (_, days, deps)) in tasks.iter().enumerate().filter(|(_, t)| t.0 == p) {
                let kinds = [FS, SS, FF, SF];
                let deps: Vec<(String, DependencyKind, i32)> = deps
                    .iter()
                    .filter(|(q, _, _)| *q < tasks.len() && *q != n)
                    .map(|&(q, k, lag)| (name(q), kinds[k as usize], lag))
                    .collect();
                let deps: Vec<(&str, DependencyKind, i32)> = deps.iter().map(|(q, k, l)| (q.as_str(), *k, *l)).collect();
                plan.task(&name(n), *days, &deps);
            }
        }
        let schedule = plan.schedule("2026-11-02");
        for (n, shift) in shifts.iter().enumerate().take(tasks.len()) {
            if let (Some(s), Some(p)) = (shift, schedule.tasks.get(&id(&name(n)))) {
                plan.baseline.insert(id(&name(n)), (p.start.add_days(*s as i32 - 2), p.finish.add_days(*s as i32)));
            }
        }
        let folded: Vec<Option<PhaseId>> =
            (0..4).filter(|p| collapsed[*p]).map(|p| phase(&format!("p{p}"))).collect();
        let gantt = plan.gantt(&schedule, Zoom::ALL[zoom], &folded);
        let arrows = gantt.all_arrows();
        let crossing = first_crossing(&arrows, &rects(&gantt));
        prop_assert!(crossing.is_none(), "{}", crossing.unwrap_or_default());
        let bars = gantt.window(0..gantt.rows.len(), |_| None).bars;
        for a in &arrows {
            let (from, to) = (bars[a.from_row].mark, bars[a.to_row].mark);
            let (from, to) = (from.expect("drawn"), to.expect("drawn"));
            let first = a.points[0];
            let last = a.points[a.points.len() - 1];
            prop_assert_eq!(first.y, mid(a.from_row));
            prop_assert!(first.x == from.left() || first.x == from.right());
            prop_assert_eq!(last.y, mid(a.to_row));
            prop_assert!(last.x == to.left() || last.x == to.right());
        }
    }
}

/// The chart exported as SVG, rows labelled from `plan` (phases by the names in `phases`),
/// headers named 2026-11 (months), 3 (days) or by their `Debug` text.
fn export(
    plan: &Plan,
    gantt: &Gantt,
    phases: &[&str],
    today: &str,
    label_width: f64,
    colour: &dyn Fn(RowKind) -> Option<Rag>,
) -> String {
    let label = |kind: RowKind| match kind {
        RowKind::Task(t) => plan.tasks[&t].title.clone(),
        RowKind::Milestone(m) => {
            plan.milestones.iter().find(|x| x.id == m).map(|x| x.name.clone()).unwrap_or_default()
        }
        RowKind::PhaseSummary(p) => {
            phases.iter().find(|n| phase(n) == p).map(|n| n.to_string()).unwrap_or_default()
        }
    };
    let header = |h: &HeaderLabel| match *h {
        HeaderLabel::Month { year, month } => format!("{year}-{month}"),
        HeaderLabel::Day { day, .. } => day.to_string(),
        other => format!("{other:?}"),
    };
    let calendar = WorkCalendar::default();
    let export = Export {
        title: "双11 <大促> & \"上新\"",
        label_width,
        label: &label,
        header: &header,
        colour,
        calendar: &calendar,
        today: d(today),
    };
    svg(gantt, |t| plan.tasks.get(&t), &export)
}

/// What makes `doc` not a well-formed XML document, as far as an SVG export can go wrong: a tag
/// closed out of order or never, a stray `&`, an unquoted or half-quoted attribute, text or a
/// second element outside the root.
fn xml_problem(doc: &str) -> Option<String> {
    let stray_ampersand = |text: &str| {
        text.match_indices('&').find_map(|(at, _)| {
            let entity = &text[at..text[at..].find(';').map_or(text.len(), |end| at + end + 1)];
            let known = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity);
            (!known).then(|| format!("a stray & at {entity:?}"))
        })
    };
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = doc;
    loop {
        let text_end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..text_end];
        if let Some(problem) = stray_ampersand(text) {
            return Some(problem);
        }
        if open.is_empty() && !text.trim().is_empty() {
            return Some(format!("text outside the root: {text:?}"));
        }
        if text_end == rest.len() {
            break;
        }
        let Some(len) = rest[text_end..].find('>') else { return Some("a tag that never ends".into()) };
        let tag = &rest[text_end + 1..text_end + len];
        rest = &rest[text_end + len + 1..];
        if !tag.matches('"').count().is_multiple_of(2) || tag.contains('<') {
            return Some(format!("a tag with its quotes unbalanced: <{tag}>"));
        }
        if let Some(problem) = stray_ampersand(tag) {
            return Some(problem);
        }
        if let Some(name) = tag.strip_prefix('/') {
            match open.pop() {
                Some(o) if o == name => continue,
                other => return Some(format!("</{name}> closes {other:?}")),
            }
        }
        let name = tag.trim_end_matches('/').split_whitespace().next().unwrap_or_default();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some(format!("a tag with no proper name: <{tag}>"));
        }
        if open.is_empty() {
            roots += 1;
        }
        if !tag.ends_with('/') {
            open.push(name);
        }
    }
    match (roots, open.last()) {
        (1, None) => None,
        (_, Some(tag)) => Some(format!("<{tag}> never closed")),
        (n, None) => Some(format!("{n} root elements")),
    }
}

/// The number in attribute `name` of the root element.
fn root_attribute(doc: &str, name: &str) -> f64 {
    let root = &doc[..doc.find('>').expect("a root tag")];
    let at = root.find(&format!(" {name}=\"")).expect("the attribute") + name.len() + 3;
    root[at..at + root[at..].find('"').expect("its end")].parse().expect("a number")
}

#[test]
fn the_checker_tells_well_formed_xml_from_broken() {
    assert_eq!(xml_problem(r#"<svg a="1"><g><rect/></g><text>A &amp; B</text></svg>"#), None);
    for broken in [
        "<svg><g></svg></g>",
        "<svg><g></svg>",
        "<svg/><svg/>",
        "<svg><text>A & B</text></svg>",
        "<svg><text>A <B></text></svg>",
        r#"<svg a="1><rect/></svg>"#,
    ] {
        assert!(xml_problem(broken).is_some(), "{broken}");
    }
}

#[test]
fn the_whole_chart_exports_as_one_standalone_svg_with_every_title_escaped() {
    let mut plan = Plan::default();
    plan.phase("准备 & <设计>");
    plan.task("A & <B>", 3, &[]);
    plan.task("\"引号\" 'x'", 2, &[("A & <B>", FS, 0)]);
    plan.task("</text><script>alert(1)</script>", 1, &[]);
    plan.milestone("上线 <1>", &["\"引号\" 'x'"]);
    let schedule = plan.schedule("2026-11-02");
    let gantt = plan.gantt(&schedule, Zoom::Day, &[]);
    let doc = export(&plan, &gantt, &["准备 & <设计>"], "2026-11-03", 240.0, &|_| None);

    assert!(doc.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{}", &doc[..80]);
    assert_eq!(xml_problem(&doc), None);
    assert!(!doc.contains("<style") && !doc.contains("<script"), "no stylesheet, and no markup let in");
    for text in [
        "A &amp; &lt;B&gt;",
        "&quot;引号&quot; &apos;x&apos;",
        "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        "准备 &amp; &lt;设计&gt;",
        "上线 &lt;1&gt;",
        "双11 &lt;大促&gt; &amp; &quot;上新&quot;",
        // Header cells, in the words the caller gave.
        ">2026-11</text>",
        ">3</text>",
    ] {
        assert!(doc.contains(text), "{text} is missing");
    }
    let (width, height) = (root_attribute(&doc, "width"), root_attribute(&doc, "height"));
    assert!(doc.contains(&format!("viewBox=\"0 0 {width} {height}\"")));
    assert!(height > 5.0 * 32.0, "title, two header rows and five rows: {height}");
}

#[test]
fn an_exported_chart_has_a_bar_per_scheduled_task_and_an_arrow_per_dependency() {
    let mut plan = Plan::default();
    plan.phase("准备");
    plan.task("选品", 3, &[]).status = Status::Done;
    plan.task("文案", 1, &[]);
    plan.task("备货", 5, &[("选品", FS, 0)]);
    plan.task("详情页", 2, &[("文案", FS, 0), ("选品", SS, 1)]);
    plan.phase("上线");
    plan.task("上架", 1, &[("备货", FS, 0), ("详情页", FF, 0)]);
    let schedule = plan.schedule("2026-11-02");
    let gantt = plan.gantt(&schedule, Zoom::Week, &[]);
    let red = |kind: RowKind| (kind == RowKind::Task(id("文案"))).then_some(Rag::Red);
    let doc = export(&plan, &gantt, &["准备", "上线"], "2026-11-03", 240.0, &red);
    assert_eq!(xml_problem(&doc), None);

    let count = |needle: &str| doc.matches(needle).count();
    assert_eq!(count("class=\"export-bar\""), schedule.tasks.len(), "one bar per scheduled task");
    assert_eq!(count("class=\"export-summary\""), 2, "a summary bar per phase");
    assert_eq!(count("fill=\"#d93025\" class=\"export-bar\""), 1, "文案 is red");
    assert_eq!(count("class=\"export-progress\""), 1, "选品 is done");

    let arrows = gantt.all_arrows();
    let critical = arrows.iter().filter(|a| a.critical).count();
    assert!(critical > 0 && critical < arrows.len(), "both kinds: {critical} of {}", arrows.len());
    assert_eq!(count("<polyline "), arrows.len(), "one polyline per arrow");
    assert_eq!(count("marker-end=\"url(#"), arrows.len(), "each with its head");
    let critical_drawn: Vec<&str> = doc
        .split("<polyline ")
        .skip(1)
        .filter(|p| p.contains("class=\"export-arrow export-critical\""))
        .collect();
    assert_eq!(critical_drawn.len(), critical);
    for p in critical_drawn {
        assert!(p.contains("stroke=\"#8e24aa\"") && p.contains("head-critical)"), "{p}");
    }
    let critical_bars = gantt
        .window(0..gantt.rows.len(), |_| None)
        .bars
        .iter()
        .filter(|r| r.critical && matches!(r.mark, Some(Mark::Bar(_))))
        .count();
    assert!(critical_bars > 0);
    assert_eq!(count("class=\"export-critical\""), critical_bars, "critical bars outlined");
}

#[test]
fn the_export_spans_every_bar_and_today_only_when_today_is_near() {
    let mut plan = Plan::default();
    plan.task("选品", 3, &[]);
    plan.task("备货", 10, &[("选品", FS, 0)]);
    let schedule = plan.schedule("2026-11-02");
    let gantt = plan.gantt(&schedule, Zoom::Day, &[]);
    let scale = gantt.scale;
    // The bars run from 2 to 19 November.
    let bars = scale.x_end(d("2026-11-19")) - scale.x(d("2026-11-02"));
    let at = |today: &str| {
        let doc = export(&plan, &gantt, &[], today, 240.0, &|_| None);
        assert_eq!(xml_problem(&doc), None);
        (root_attribute(&doc, "width") - 240.0, doc.contains("stroke=\"#1a73e8\""))
    };

    let (within, line) = at("2026-11-10");
    assert!(line, "today's line");
    assert!(within >= bars && within <= bars + 6.0 * 32.0, "the bars and a margin: {within} for {bars}");
    let (after, line) = at("2026-12-10");
    assert!(line, "three weeks after the end: still shown");
    assert!(after >= within + 20.0 * 32.0, "and taken in: {after}");
    let (far, line) = at("2028-01-01");
    assert!(!line, "a year away: not shown");
    assert_eq!(far, within, "and the chart is not stretched to it");
}

#[test]
fn an_empty_plan_exports_a_small_valid_svg() {
    let plan = Plan::default();
    let schedule = plan.schedule("2026-11-02");
    for zoom in Zoom::ALL {
        let gantt = plan.gantt(&schedule, zoom, &[]);
        // A label column of no sensible width, too.
        let doc = export(&plan, &gantt, &[], "2026-11-03", f64::NAN, &|_| None);
        assert!(doc.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(xml_problem(&doc), None, "{zoom:?}");
        assert!(!doc.contains("NaN") && !doc.contains("inf"), "{zoom:?}: {doc}");
        let (width, height) = (root_attribute(&doc, "width"), root_attribute(&doc, "height"));
        assert!((150.0..1_000.0).contains(&width) && (40.0..200.0).contains(&height), "{width}×{height}");
        assert!(doc.contains("stroke=\"#1a73e8\""), "{zoom:?}: today is shown");
    }
}
