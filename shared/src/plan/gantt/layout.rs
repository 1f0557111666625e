//! The chart laid out: each row's mark, the obstacles arrows avoid and the arrows' ends,
//! worked out once when the plan, its schedule, the collapsed phases or the zoom change
//! (O(n log n)); then, for each scroll position, the rows and arrows in view (about the
//! visible rows, plus O(log n) per arrow crossing them).

use std::ops::Range;

use super::arrows::{Arrow, Ends, Link, MARGIN, links};
use super::crossing::Crossing;
use super::obstacles::Obstacles;
use super::rows::{RowKind, Rows};
use super::scale::{Scale, Span};
use crate::domain::{Date, Milestone, Task};
use crate::plan::Schedule;
use crate::{IdMap, MilestoneId, TaskId};

/// Half the width (and height) of a milestone's diamond, in px.
pub const DIAMOND_HALF: f64 = 8.0;

/// What a row draws in its bar band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// A bar over whole days: a task from the left edge of its first day to the right edge of
    /// its last; a phase's summary from its earliest task's start to its latest one's finish.
    Bar(Span),
    /// A diamond centred on `x`, the middle of its day: a milestone, or a task of no length.
    Diamond { x: f64 },
}

impl Mark {
    pub fn left(&self) -> f64 {
        match *self {
            Mark::Bar(span) => span.x,
            Mark::Diamond { x } => x - DIAMOND_HALF,
        }
    }

    pub fn right(&self) -> f64 {
        match *self {
            Mark::Bar(span) => span.end(),
            Mark::Diamond { x } => x + DIAMOND_HALF,
        }
    }
}

/// One row as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct RowView {
    pub index: usize,
    /// The row's top.
    pub y: f64,
    pub kind: RowKind,
    /// `None`: nothing to draw (an unscheduled task, an undated milestone, a phase with no
    /// scheduled task).
    pub mark: Option<Mark>,
    /// How much of a task is done, 0 to 1 (see [`progress`]); `None` for other rows.
    pub progress: Option<f64>,
    pub critical: bool,
    /// From the task's finish to its latest finish: how far it can slip.
    pub slack: Option<Span>,
    /// Where the task was when the plan was first saved, in the baseline band.
    pub baseline: Option<Span>,
}

/// What is in view.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub rows: Range<usize>,
    /// One per row of `rows`, in order.
    pub bars: Vec<RowView>,
    /// Every arrow with a row in `rows` (an arrow from above the view to below it too), in
    /// the plan's order.
    pub arrows: Vec<Arrow>,
    /// Nodes of the arrow index visited to find `arrows`: the work done beyond the rows in
    /// view, which stays near `arrows.len() × log(all arrows)`.
    pub index_visits: usize,
}

/// A row's geometry, fixed at layout.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Placed {
    mark: Option<Mark>,
    critical: bool,
    slack: Option<Span>,
    baseline: Option<Span>,
}

impl Placed {
    fn ends(&self) -> Option<Ends> {
        let mark = self.mark?;
        let (mut lo, mut hi) = (mark.left(), mark.right());
        if let Some(b) = self.baseline {
            (lo, hi) = (lo.min(b.x), hi.max(b.end()));
        }
        Some(Ends { left: mark.left(), right: mark.right(), hull: (lo, hi) })
    }
}

/// A Gantt chart, laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Gantt {
    pub scale: Scale,
    pub rows: Rows,
    placed: Vec<Placed>,
    obstacles: Obstacles,
    links: Vec<Link>,
    crossing: Crossing,
}

/// How much of a task is done, 0 to 1: 1 once it is done (status done, approved if it needs
/// approval); else the share of its checklist ticked; else 0 (status alone, "in progress",
/// says nothing of how far).
pub fn progress(task: &Task) -> f64 {
    if task.is_done() {
        return 1.0;
    }
    let total = task.checklist.len();
    if total == 0 {
        return 0.0;
    }
    task.checklist.iter().filter(|item| item.done).count() as f64 / total as f64
}

/// A milestone's day, as the list shows it: its fixed date, else when the last task it waits
/// for is scheduled to finish.
pub fn milestone_date(milestone: &Milestone, schedule: &Schedule) -> Option<Date> {
    milestone
        .date
        .or_else(|| milestone.after.iter().filter_map(|t| schedule.tasks.get(t)).map(|p| p.finish).max())
}

impl Gantt {
    /// Lays out `rows` on `scale`: bars from `schedule`, diamonds for tasks of no length and
    /// for milestones (on `milestone_day`, e.g. [`milestone_date`]), baselines from `baseline`
    /// (a task's first and last day when the plan was first saved), and the arrows of every
    /// dependency between tasks the list holds. A dependency with an end folded into a
    /// collapsed phase is drawn to that phase's summary bar, at the side it would meet the
    /// task; one between two tasks of the same collapsed phase is not drawn, and arrows that
    /// fold into the same ends are drawn once.
    pub fn new<'t>(
        scale: Scale,
        rows: Rows,
        task: impl Fn(TaskId) -> Option<&'t Task>,
        schedule: &Schedule,
        milestone_day: impl Fn(MilestoneId) -> Option<Date>,
        baseline: impl Fn(TaskId) -> Option<(Date, Date)>,
    ) -> Self {
        // Each listed task: its mark and the days it covers.
        let mut marks: IdMap<TaskId, (Placed, Date, Date)> = IdMap::default();
        for &id in rows.tasks() {
            let (Some(t), Some(planned)) = (task(id), schedule.tasks.get(&id)) else { continue };
            let checkpoint = planned.finish < planned.start || (t.duration() == 0 && t.recurrence.is_none());
            let (mark, first, last) = if checkpoint {
                (Mark::Diamond { x: scale.x_mid(planned.finish) }, planned.finish, planned.finish)
            } else {
                (
                    Mark::Bar(Span::between(scale.x(planned.start), scale.x_end(planned.finish))),
                    planned.start,
                    planned.finish,
                )
            };
            let late = scale.x_end(planned.late_finish);
            let slack = (planned.late_finish > last && late > mark.right())
                .then(|| Span::between(mark.right(), late));
            let baseline = baseline(id).map(|(a, b)| Span::between(scale.x(a.min(b)), scale.x_end(a.max(b))));
            marks.insert(
                id,
                (Placed { mark: Some(mark), critical: planned.critical, slack, baseline }, first, last),
            );
        }
        let placed: Vec<Placed> = rows
            .kinds
            .iter()
            .enumerate()
            .map(|(index, kind)| match *kind {
                RowKind::Task(id) => marks.get(&id).map(|m| m.0).unwrap_or_default(),
                RowKind::Milestone(id) => Placed {
                    mark: milestone_day(id).map(|day| Mark::Diamond { x: scale.x_mid(day) }),
                    ..Placed::default()
                },
                RowKind::PhaseSummary(_) => {
                    let days = rows.members(index).iter().filter_map(|id| marks.get(id)).map(|m| (m.1, m.2));
                    let span = days.reduce(|(a, b), (c, d)| (a.min(c), b.max(d)));
                    Placed {
                        mark: span
                            .map(|(first, last)| Mark::Bar(Span::between(scale.x(first), scale.x_end(last)))),
                        ..Placed::default()
                    }
                }
            })
            .collect();
        let obstacles = Obstacles::new(
            &placed
                .iter()
                .map(|p| p.ends().map(|e| (e.hull.0 - MARGIN, e.hull.1 + MARGIN)))
                .collect::<Vec<_>>(),
        );

        let links = links(&rows, &task, |r| placed[r].mark.is_some(), &schedule.critical_links);
        let crossing = Crossing::new(links.iter().map(Link::span));
        Self { scale, rows, placed, obstacles, links, crossing }
    }

    /// See [`Rows::visible`].
    pub fn visible_rows(&self, scroll_top: f64, viewport_height: f64, overscan: usize) -> Range<usize> {
        self.rows.visible(scroll_top, viewport_height, overscan)
    }

    /// The rows `rows` (from [`Gantt::visible_rows`]) and the arrows crossing them. `task`
    /// is asked only about the tasks on those rows (for their progress).
    pub fn window<'t>(&self, rows: Range<usize>, task: impl Fn(TaskId) -> Option<&'t Task>) -> Window {
        let rows = rows.start.min(self.rows.len())..rows.end.min(self.rows.len());
        let bars = rows
            .clone()
            .map(|index| {
                let kind = self.rows.kinds[index];
                let placed = self.placed[index];
                let progress = match kind {
                    RowKind::Task(id) => Some(task(id).map_or(0.0, progress)),
                    _ => None,
                };
                RowView {
                    index,
                    y: Rows::y(index),
                    kind,
                    mark: placed.mark,
                    progress,
                    critical: placed.critical,
                    slack: placed.slack,
                    baseline: placed.baseline,
                }
            })
            .collect();
        let (mut found, index_visits) =
            if rows.is_empty() { (Vec::new(), 0) } else { self.crossing.query(rows.start..=rows.end - 1) };
        found.sort_unstable();
        let arrows = found
            .into_iter()
            .filter_map(|k| {
                let link = &self.links[k];
                let from = self.placed[link.from_row].ends()?;
                let to = self.placed[link.to_row].ends()?;
                Some(link.route(from, to, &self.obstacles))
            })
            .collect();
        Window { rows, bars, arrows, index_visits }
    }

    /// Every arrow, routed: for tests and for exporting the whole chart (O(arrows · log n)).
    pub fn all_arrows(&self) -> Vec<Arrow> {
        self.window(0..self.rows.len(), |_| None).arrows
    }
}
