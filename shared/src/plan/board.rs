//! The board: one column per status of the project's workflow, cards ordered by their rank
//! (see [`Rank`]), optionally in swimlanes by phase, assignee or SKU, showing the tasks the
//! list's filter keeps. And what a drop means: the one command that puts a card in its new
//! column at its new place.

use std::collections::BTreeMap;

use super::arrange::{Heading, Judge, TaskFilter};
use crate::domain::commands::TaskField;
use crate::domain::{Command, PlanRow, Rank, Status, Task, WorkflowStep};
use crate::{MemberId, TaskId};

/// How the board is split into swimlanes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lanes {
    #[default]
    None,
    Phase,
    Assignee,
    Sku,
}

/// The board as drawn: its columns and, for each lane, the cards of each column in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub columns: Vec<Status>,
    pub lanes: Vec<Lane>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// `None` when the board has no lanes.
    pub heading: Option<Heading>,
    /// One list per column, top card first.
    pub cells: Vec<Vec<TaskId>>,
}

impl Board {
    /// The cards of `column` in every lane, top first: what a column's count says.
    pub fn count(&self, column: usize) -> usize {
        self.lanes.iter().map(|lane| lane.cells.get(column).map_or(0, Vec::len)).sum()
    }

    /// Where card `id` is: (lane, column, index).
    pub fn find(&self, id: TaskId) -> Option<(usize, usize, usize)> {
        self.lanes.iter().enumerate().find_map(|(l, lane)| {
            lane.cells
                .iter()
                .enumerate()
                .find_map(|(c, cards)| cards.iter().position(|t| *t == id).map(|i| (l, c, i)))
        })
    }
}

impl Task {
    /// Where its card sorts in its column: its rank, or, if it was never placed, one implied by
    /// when it was created.
    pub fn board_rank(&self) -> Rank {
        self.rank.clone().unwrap_or_else(|| Rank::implied(self.created_at))
    }
}

/// The board for `rows` (the plan by phase), columns in `workflow` order. A status no step of
/// the workflow names (a teammate's custom status) gets a column of its own after them. Lanes
/// come in the list's order for the same grouping (phases as in the plan, `members` for people,
/// then "none"); a lane with no card that the filter keeps is left out.
pub fn board<'t>(
    rows: &[PlanRow],
    task: impl Fn(TaskId) -> Option<&'t Task>,
    filter: &TaskFilter,
    lanes: Lanes,
    workflow: &[WorkflowStep],
    members: &[MemberId],
    judge: &Judge<'_>,
) -> Board {
    use super::arrange::{GroupBy, Line, SortBy, arrange};
    let group = match lanes {
        Lanes::None => None,
        Lanes::Phase => Some(GroupBy::Phase),
        Lanes::Assignee => Some(GroupBy::Assignee),
        Lanes::Sku => Some(GroupBy::Sku),
    };
    let mut columns: Vec<Status> = workflow.iter().map(|step| step.status.clone()).collect();
    // The list's grouping, in plan order: its headings are the lanes. Without lanes, any
    // grouping will do, and its headings are ignored.
    let lines = arrange(rows, &task, filter, group.unwrap_or(GroupBy::Status), SortBy::Plan, members, judge);
    let mut order: Vec<Option<Heading>> = Vec::new();
    let mut cards: BTreeMap<usize, Vec<(Rank, TaskId, Status)>> = BTreeMap::new();
    let mut heading = None;
    for line in lines {
        match line {
            Line::Heading(h) => {
                heading = group.map(|_| h);
            }
            Line::Task(id) => {
                let Some(t) = task(id) else { continue };
                let lane = match order.iter().position(|h| *h == heading) {
                    Some(lane) => lane,
                    None => {
                        order.push(heading.clone());
                        order.len() - 1
                    }
                };
                if !columns.contains(&t.status) {
                    columns.push(t.status.clone());
                }
                cards.entry(lane).or_default().push((t.board_rank(), t.id, t.status.clone()));
            }
            Line::Milestone(_) => {}
        }
    }
    if group.is_none() && order.is_empty() {
        // A board without lanes always has its one lane, to draw the empty columns.
        order.push(None);
    }
    let lanes = order
        .into_iter()
        .enumerate()
        .map(|(l, heading)| {
            let mut lane_cards = cards.remove(&l).unwrap_or_default();
            lane_cards.sort();
            let cells = columns
                .iter()
                .map(|status| {
                    lane_cards.iter().filter(|(_, _, s)| s == status).map(|(_, id, _)| *id).collect()
                })
                .collect();
            Lane { heading, cells }
        })
        .collect();
    Board { columns, lanes }
}

/// The command that drops `card` into column `to` so that it sits just above the card now at
/// `index` of `cards` (the cards of that cell, top first, as drawn; the dropped card itself may
/// be among them and is skipped), or at the bottom when `index` is past the end. `None` when
/// the card would stay where it is. Moving to another column is a status change too, in the
/// same change, so one undo takes the whole drop back.
pub fn drop_card<'t>(
    card: &Task,
    to: &Status,
    cards: &[TaskId],
    index: usize,
    task: impl Fn(TaskId) -> Option<&'t Task>,
    at: i64,
) -> Option<Command> {
    let others: Vec<TaskId> = cards.iter().copied().filter(|id| *id != card.id).collect();
    // How many of the other cards end up above it.
    let above = cards[..index.min(cards.len())].iter().filter(|id| **id != card.id).count();
    if card.status == *to && cards.iter().position(|id| *id == card.id) == Some(above) {
        // Dropped where it already is: just above itself, or just below the card above it.
        return None;
    }
    let rank_of = |id: &TaskId| task(*id).map(Task::board_rank);
    let lo = above.checked_sub(1).and_then(|i| others.get(i)).and_then(rank_of);
    let hi = others.get(above).and_then(rank_of);
    let rank = Rank::between(lo.as_ref(), hi.as_ref());
    let place = Command::SetField { id: card.id, field: TaskField::Rank(Some(rank)) };
    if card.status == *to {
        return Some(place);
    }
    let status = Command::SetStatus { id: card.id, status: to.clone(), at };
    Some(Command::Batch { commands: vec![status, place] })
}
