//! Dependency arrows, routed around the bars.
//!
//! An arrow leaves its predecessor's bar at the start or end the dependency's kind names (FS,
//! FF: the end; SS, SF: the start) and enters its successor's at the start (FS, SS) or the end
//! (FF, SF). Its route, every segment horizontal or vertical:
//!
//! 1. a stub straight out of the bar, [`STUB`] px past everything its row draws (bar and
//!    baseline), on the side it leaves from;
//! 2. down (or up) to the row boundary towards the successor: the gutter, where no bar is;
//! 3. along that gutter to an x that no bar of the rows between the two crosses, by
//!    [`MARGIN`] px, and down (or up) through those rows there; the x is the one nearest the
//!    stub within [`REACH`] px; failing that (a wall of bars), just beside the leftmost or the
//!    rightmost bar of the rows crossed, whichever is nearer;
//! 4. along the successor's gutter, and into its bar by a stub from the side it enters.
//!
//! Next-door rows need no step 3. The route depends on the layout only, not on what is
//! scrolled into view, so an arrow never moves as the chart scrolls.

use std::collections::{HashMap, HashSet};

use super::obstacles::Obstacles;
use super::rows::{Place, Rows};
use crate::TaskId;
use crate::domain::{DependencyKind, Task};

/// How far a stub reaches past what its row draws, in px.
pub const STUB: f64 = 8.0;
/// How close a vertical segment may pass to a bar, in px.
pub const MARGIN: f64 = 4.0;
/// How far from its stub an arrow looks for a way down between bars before going around
/// them all, in px.
pub const REACH: f64 = 240.0;

/// A point of the chart, in px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Which end of a bar an arrow meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Start,
    End,
}

impl Side {
    /// (where the arrow leaves the predecessor, where it enters the successor).
    pub fn of(kind: DependencyKind) -> (Side, Side) {
        match kind {
            DependencyKind::FinishToStart => (Side::End, Side::Start),
            DependencyKind::StartToStart => (Side::Start, Side::Start),
            DependencyKind::FinishToFinish => (Side::End, Side::End),
            DependencyKind::StartToFinish => (Side::Start, Side::End),
        }
    }
}

/// One dependency as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    /// The task waited for, and the one waiting. When several dependencies fold into one arrow
    /// (tasks of a collapsed phase), the first in list order.
    pub from: TaskId,
    pub to: TaskId,
    pub kind: DependencyKind,
    pub lag_days: i32,
    pub from_row: usize,
    pub to_row: usize,
    /// The dependency is a link of the critical path (`Schedule::critical_links`).
    pub critical: bool,
    /// An end sits on a collapsed phase's summary bar (its task is folded away).
    pub folded: bool,
    /// The route, from the predecessor's bar to the successor's; the last segment points
    /// into the successor.
    pub points: Vec<Point>,
}

/// An arrow's ends, worked out when the chart is laid out; its route is drawn on demand.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    pub(crate) from: TaskId,
    pub(crate) to: TaskId,
    pub(crate) kind: DependencyKind,
    pub(crate) lag_days: i32,
    pub(crate) from_row: usize,
    pub(crate) to_row: usize,
    pub(crate) critical: bool,
    pub(crate) folded: bool,
}

/// What a row offers an arrow: where its mark starts and ends, and what the row occupies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ends {
    pub(crate) left: f64,
    pub(crate) right: f64,
    /// (lo, hi): everything the row draws.
    pub(crate) hull: (f64, f64),
}

impl Link {
    /// The rows the arrow runs over, top to bottom.
    pub(crate) fn span(&self) -> std::ops::RangeInclusive<usize> {
        self.from_row.min(self.to_row)..=self.from_row.max(self.to_row)
    }

    pub(crate) fn route(&self, from: Ends, to: Ends, obstacles: &Obstacles) -> Arrow {
        let (leaves, enters) = Side::of(self.kind);
        let (rp, rs) = (self.from_row, self.to_row);
        let (xp, yp) = (if leaves == Side::End { from.right } else { from.left }, Rows::y_mid(rp));
        let (xs, ys) = (if enters == Side::End { to.right } else { to.left }, Rows::y_mid(rs));
        let out = |side: Side, hull: (f64, f64)| match side {
            Side::End => hull.1 + STUB,
            Side::Start => hull.0 - STUB,
        };
        let (ax, bx) = (out(leaves, from.hull), out(enters, to.hull));
        let down = rs > rp;
        // The gutters the arrow turns in, and the rows strictly between them.
        let (gp, gs, between) = if down {
            (Rows::y(rp + 1), Rows::y(rs), (rp + 1, rs.saturating_sub(1)))
        } else {
            (Rows::y(rp), Rows::y(rs + 1), (rs + 1, rp.saturating_sub(1)))
        };
        let vx = if between.0 > between.1 { ax } else { obstacles.free_x(between.0, between.1, ax, REACH) };
        let points = simplify(&[
            Point { x: xp, y: yp },
            Point { x: ax, y: yp },
            Point { x: ax, y: gp },
            Point { x: vx, y: gp },
            Point { x: vx, y: gs },
            Point { x: bx, y: gs },
            Point { x: bx, y: ys },
            Point { x: xs, y: ys },
        ]);
        Arrow {
            from: self.from,
            to: self.to,
            kind: self.kind,
            lag_days: self.lag_days,
            from_row: rp,
            to_row: rs,
            critical: self.critical,
            folded: self.folded,
            points,
        }
    }
}

/// The arrows of every dependency between tasks of `rows` whose rows `drawn` says have a mark,
/// in list order (by the waiting task, then its dependencies). An end folded into a collapsed
/// phase moves to the phase's summary row; an arrow whose two ends land on one row is not
/// drawn, and arrows with the same rows and kind are drawn once (critical if any of them is).
pub(crate) fn links<'t>(
    rows: &Rows,
    task: impl Fn(TaskId) -> Option<&'t Task>,
    drawn: impl Fn(usize) -> bool,
    critical_links: &[(TaskId, TaskId)],
) -> Vec<Link> {
    let critical: HashSet<(TaskId, TaskId)> = critical_links.iter().copied().collect();
    let row_of = |id: TaskId| match rows.place(id)? {
        Place::Row(r) => Some((r, false)),
        Place::Folded(r) => Some((r, true)),
    };
    let mut links: Vec<Link> = Vec::new();
    // An arrow's rows and kind → its place in `links`.
    let mut seen: HashMap<(usize, usize, DependencyKind), usize> = HashMap::new();
    for &to in rows.tasks() {
        let (Some(t), Some((to_row, to_folded))) = (task(to), row_of(to)) else { continue };
        for dep in &t.depends_on {
            let Some((from_row, from_folded)) = row_of(dep.task) else { continue };
            if from_row == to_row || !drawn(from_row) || !drawn(to_row) {
                continue;
            }
            let is_critical = critical.contains(&(dep.task, to));
            if let Some(&k) = seen.get(&(from_row, to_row, dep.kind)) {
                links[k].critical |= is_critical;
                continue;
            }
            seen.insert((from_row, to_row, dep.kind), links.len());
            links.push(Link {
                from: dep.task,
                to,
                kind: dep.kind,
                lag_days: dep.lag_days,
                from_row,
                to_row,
                critical: is_critical,
                folded: from_folded || to_folded,
            });
        }
    }
    links
}

/// Drops repeated points and the middle of three in a line.
fn simplify(points: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for &p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = out.as_slice()
            && ((a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y))
        {
            out.pop();
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_runs_become_one_segment() {
        let p = |x, y| Point { x, y };
        let route =
            simplify(&[p(0.0, 0.0), p(5.0, 0.0), p(5.0, 0.0), p(5.0, 10.0), p(5.0, 20.0), p(9.0, 20.0)]);
        assert_eq!(route, [p(0.0, 0.0), p(5.0, 0.0), p(5.0, 20.0), p(9.0, 20.0)]);
    }
}
