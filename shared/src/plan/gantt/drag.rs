//! What dragging on the chart means in dates: the working day under the pointer, and where a
//! bar goes when it is moved or its end is pulled.

use super::scale::Scale;
use crate::domain::{Date, WorkCalendar, WorkIndex};
use crate::plan::ScheduledTask;

/// How far [`snap`] looks for a working day, each way.
const SNAP_REACH_DAYS: i32 = 366;

/// The working day nearest `x`: the day under it if the team works then, else the working day
/// whose middle is nearest (the earlier one on a tie). A calendar with no working day within a
/// year gives the day under `x`.
pub fn snap(scale: &Scale, calendar: &WorkCalendar, x: f64) -> Date {
    snap_with(scale, &WorkIndex::new(calendar), x)
}

fn snap_with(scale: &Scale, index: &WorkIndex, x: f64) -> Date {
    let under = scale.day_at(x);
    if index.works_on(under) {
        return under;
    }
    // Going k days either way, the earlier day is nearer when x is in the left half.
    let left_first = x - scale.x(under) <= scale.px_per_day() / 2.0;
    for k in 1..=SNAP_REACH_DAYS {
        let (near, far) = if left_first {
            (under.add_days(-k), under.add_days(k))
        } else {
            (under.add_days(k), under.add_days(-k))
        };
        if index.works_on(near) {
            return near;
        }
        if index.works_on(far) {
            return far;
        }
    }
    under
}

/// What a bar drag does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DragMode {
    /// The whole bar: it keeps its length in working days.
    Move,
    /// Its right end: the start stays.
    ResizeEnd,
}

/// Where a dragged task would go: its new start and due day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DragPreview {
    pub start: Date,
    pub due: Date,
}

/// The dates a bar dragged `dx_px` sideways would take, on working days. Moving snaps the new
/// left edge to the nearest working day and keeps the task's working days (a bar over a
/// weekend grows in calendar days, not in work). Pulling the end snaps the new right edge to
/// the working day whose end is nearest and never goes before the start.
pub fn drag_preview(
    scale: &Scale,
    calendar: &WorkCalendar,
    planned: &ScheduledTask,
    dx_px: f64,
    mode: DragMode,
) -> DragPreview {
    let index = WorkIndex::new(calendar);
    let half = scale.px_per_day() / 2.0;
    match mode {
        DragMode::Move => {
            // Snap the middle of the first day, so a drag of under half a day stays put.
            let start = snap_with(scale, &index, scale.x_mid(planned.start) + dx_px);
            let length = (index.ordinal(planned.finish) - index.ordinal(planned.start)).max(0);
            DragPreview { start, due: index.date(index.ordinal(start) + length) }
        }
        DragMode::ResizeEnd => {
            let due = snap_with(scale, &index, scale.x_end(planned.finish) + dx_px - half);
            DragPreview { start: planned.start, due: due.max(planned.start) }
        }
    }
}
