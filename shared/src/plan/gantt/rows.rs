//! The chart's rows: the plan's list (phase headings, tasks, milestones) with collapsed phases
//! folded into their heading, each row the same height.
//!
//! Inside a row of [`ROW_HEIGHT`] px, from the top: a gutter, the bar band (bars, diamonds,
//! summary bars), the baseline band, a gutter. Nothing is drawn in the gutters, so that
//! dependency arrows can run along the row boundaries without touching a bar.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use crate::domain::PlanRow;
use crate::{IdMap, MilestoneId, PhaseId, TaskId};

/// The height of every row, in px.
pub const ROW_HEIGHT: f64 = 32.0;
/// Where the bar band starts, from the row's top.
pub const BAR_TOP: f64 = 6.0;
pub const BAR_HEIGHT: f64 = 16.0;
/// Where the baseline band starts, from the row's top.
pub const BASELINE_TOP: f64 = 24.0;
pub const BASELINE_HEIGHT: f64 = 3.0;

/// What a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// A phase's heading and its summary bar; `None` heads the tasks of no phase.
    PhaseSummary(Option<PhaseId>),
    Task(TaskId),
    Milestone(MilestoneId),
}

/// Where a task is on the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// On its own row.
    Row(usize),
    /// Folded into its collapsed phase, whose summary is this row.
    Folded(usize),
}

/// The rows as drawn, top first.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    pub kinds: Vec<RowKind>,
    places: IdMap<TaskId, Place>,
    /// For each summary row: the tasks of its phase, shown or folded, in list order.
    members: HashMap<usize, Vec<TaskId>>,
    /// Every task listed, in list order (shown or folded).
    tasks: Vec<TaskId>,
}

impl Rows {
    /// The rows for `list` (as [`crate::domain::PlanView::rows`] gives it) with the phases in
    /// `collapsed` folded: a collapsed phase shows only its summary row, and its tasks and
    /// milestones are hidden. A plan without phase headings has no summary rows.
    pub fn new(list: &[PlanRow], collapsed: &BTreeSet<Option<PhaseId>>) -> Self {
        let mut kinds = Vec::with_capacity(list.len());
        let mut places = IdMap::default();
        let mut members: HashMap<usize, Vec<TaskId>> = HashMap::new();
        let mut tasks = Vec::new();
        // The current heading's row, and whether it is folded.
        let mut heading: Option<(usize, bool)> = None;
        for row in list {
            match *row {
                PlanRow::Phase(phase) => {
                    heading = Some((kinds.len(), collapsed.contains(&phase)));
                    members.insert(kinds.len(), Vec::new());
                    kinds.push(RowKind::PhaseSummary(phase));
                }
                PlanRow::Task(id) => {
                    if places.contains_key(&id) {
                        continue;
                    }
                    tasks.push(id);
                    if let Some((summary, _)) = heading {
                        members.entry(summary).or_default().push(id);
                    }
                    match heading {
                        Some((summary, true)) => {
                            places.insert(id, Place::Folded(summary));
                        }
                        _ => {
                            places.insert(id, Place::Row(kinds.len()));
                            kinds.push(RowKind::Task(id));
                        }
                    }
                }
                PlanRow::Milestone(id) => {
                    if !matches!(heading, Some((_, true))) {
                        kinds.push(RowKind::Milestone(id));
                    }
                }
            }
        }
        Self { kinds, places, members, tasks }
    }

    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The chart's height.
    pub fn height(&self) -> f64 {
        self.len() as f64 * ROW_HEIGHT
    }

    /// The top of row `index`.
    pub fn y(index: usize) -> f64 {
        index as f64 * ROW_HEIGHT
    }

    /// The middle of row `index`'s bar band, where arrows meet bars.
    pub fn y_mid(index: usize) -> f64 {
        Self::y(index) + BAR_TOP + BAR_HEIGHT / 2.0
    }

    /// Where task `id` is; `None` if the list does not hold it.
    pub fn place(&self, id: TaskId) -> Option<Place> {
        self.places.get(&id).copied()
    }

    /// The tasks of the phase whose summary is row `summary` (shown or folded).
    pub fn members(&self, summary: usize) -> &[TaskId] {
        self.members.get(&summary).map_or(&[], Vec::as_slice)
    }

    /// Every task listed, in list order.
    pub fn tasks(&self) -> &[TaskId] {
        &self.tasks
    }

    /// The rows to draw when the chart is scrolled to `scroll_top` in a viewport
    /// `viewport_height` px high: those any of whose px show, plus `overscan` rows on each side
    /// (drawn ahead so that a quick scroll shows no blank).
    pub fn visible(&self, scroll_top: f64, viewport_height: f64, overscan: usize) -> Range<usize> {
        let top = scroll_top.max(0.0);
        let bottom = (top + viewport_height.max(0.0)).min(self.height());
        let first = ((top / ROW_HEIGHT).floor() as usize).min(self.len());
        let end = ((bottom / ROW_HEIGHT).ceil() as usize).clamp(first, self.len());
        first.saturating_sub(overscan)..(end + overscan).min(self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_rows_cover_the_viewport_plus_overscan() {
        let list: Vec<PlanRow> = (0..100).map(|n| PlanRow::Task(TaskId::derived(&n.to_string()))).collect();
        let rows = Rows::new(&list, &BTreeSet::new());
        assert_eq!(rows.visible(0.0, 320.0, 0), 0..10);
        // Half a row scrolled: the row cut at the top and the one peeking at the bottom.
        assert_eq!(rows.visible(16.0, 320.0, 0), 0..11);
        assert_eq!(rows.visible(320.0, 320.0, 3), 7..23);
        assert_eq!(rows.visible(3_100.0, 640.0, 5), 91..100, "the end of the chart");
        assert_eq!(rows.visible(-50.0, 64.0, 0), 0..2, "overscrolled above the top");
        assert_eq!(rows.visible(9_000.0, 64.0, 2), 98..100, "past the end");
    }
}
