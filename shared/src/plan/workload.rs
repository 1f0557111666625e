//! Hours planned per person per day, and who is over their capacity.

use std::collections::BTreeMap;

use super::{Schedule, ScheduledTask};
use crate::domain::{Date, Member, Task, WorkCalendar, WorkIndex};
use crate::{DocumentId, MemberId, TaskId};

/// Hours a task takes when nobody estimated it: half of each of its working days.
pub const DEFAULT_HOURS_PER_DAY: f64 = 4.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Overload {
    pub member: MemberId,
    pub date: Date,
    pub hours: f64,
    pub capacity: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workload {
    pub by_member: BTreeMap<MemberId, BTreeMap<Date, f64>>,
    pub overloaded: Vec<Overload>,
}

impl Workload {
    /// Planned hours for `member` from `first` to `last`.
    pub fn hours_between(&self, member: MemberId, first: Date, last: Date) -> f64 {
        self.by_member.get(&member).map(|days| days.range(first..=last).map(|(_, h)| h).sum()).unwrap_or(0.0)
    }
}

/// Hours an open task puts on each of its assignees over its scheduled days: its estimate,
/// else half of each working day, shared among them.
pub fn hours_each(task: &Task, at: &ScheduledTask, index: &WorkIndex) -> f64 {
    let days = (index.ordinal(at.finish) - index.ordinal(at.start) + 1).max(1);
    task.estimate_hours.unwrap_or(f64::from(days) * DEFAULT_HOURS_PER_DAY)
        / task.assignees.len().max(1) as f64
}

/// The hours one open, assigned task puts on each of its assignees on each of its scheduled
/// working days.
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub task: TaskId,
    pub title: String,
    pub assignees: Vec<MemberId>,
    pub days: Vec<Date>,
    /// Each assignee's hours on each of `days`.
    pub hours_a_day: f64,
}

/// Each open, assigned task's hours (its estimate, else half of each of its days), spread
/// evenly over its scheduled working days and its assignees.
pub fn bookings<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    schedule: &Schedule,
    calendar: &WorkCalendar,
) -> Vec<Booking> {
    let index = WorkIndex::new(calendar);
    let mut out = Vec::new();
    for task in tasks {
        if task.is_done() || task.assignees.is_empty() {
            continue;
        }
        let Some(at) = schedule.tasks.get(&task.id) else { continue };
        let (first, last) = (index.ordinal(at.start), index.ordinal(at.finish));
        let days: Vec<Date> = (first..=last.max(first)).map(|ordinal| index.date(ordinal)).collect();
        out.push(Booking {
            task: task.id,
            title: task.title.clone(),
            assignees: task.assignees.clone(),
            hours_a_day: hours_each(task, at, &index) / days.len().max(1) as f64,
            days,
        });
    }
    out
}

/// Hours planned per person per day from `bookings`, and who is over their capacity.
pub fn workload_of(bookings: &[Booking], members: &BTreeMap<MemberId, Member>) -> Workload {
    let mut load = hours_of(bookings);
    for (member, days) in &load.by_member {
        let capacity = capacity_of(members, *member);
        for (date, hours) in days {
            if *hours > capacity + 1e-9 {
                load.overloaded.push(Overload { member: *member, date: *date, hours: *hours, capacity });
            }
        }
    }
    load
}

/// Hours planned per person per day from `bookings` (without who is over capacity: for
/// adding to a plan's own, as the hours its people have in the workspace's other plans).
pub fn hours_of<'a>(bookings: impl IntoIterator<Item = &'a Booking>) -> Workload {
    let mut load = Workload::default();
    for booking in bookings {
        for date in &booking.days {
            for member in &booking.assignees {
                *load.by_member.entry(*member).or_default().entry(*date).or_insert(0.0) +=
                    booking.hours_a_day;
            }
        }
    }
    load
}

fn capacity_of(members: &BTreeMap<MemberId, Member>, member: MemberId) -> f64 {
    members.get(&member).map(|m| m.capacity_hours).unwrap_or(8.0)
}

/// Spreads each open task's hours (its estimate, else half of each of its days) evenly over
/// its scheduled working days and its assignees.
pub fn workload<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    schedule: &Schedule,
    calendar: &WorkCalendar,
    members: &BTreeMap<MemberId, Member>,
) -> Workload {
    workload_of(&bookings(tasks, schedule, calendar), members)
}

/// One person's day on the heat map: their hours across every plan, and the tasks behind
/// them (the plan, the task, its title and its hours that day).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeatCell {
    pub hours: f64,
    pub tasks: Vec<(DocumentId, TaskId, String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    pub member: MemberId,
    pub name: String,
    /// Hours a day this person can give.
    pub capacity: f64,
    /// One per day asked for.
    pub cells: Vec<HeatCell>,
}

impl HeatRow {
    /// Days on which this person has more than they can do.
    pub fn over(&self) -> impl Iterator<Item = usize> + '_ {
        self.cells.iter().enumerate().filter(|(_, c)| c.hours > self.capacity + 1e-9).map(|(i, _)| i)
    }
}

/// Every member's hours on each of `days`, across the bookings of every plan: the
/// workspace's heat map. Members in name order.
pub fn heat(
    plans: &[(DocumentId, &[Booking])],
    members: &BTreeMap<MemberId, Member>,
    days: &[Date],
) -> Vec<HeatRow> {
    let column: BTreeMap<Date, usize> = days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut rows: BTreeMap<MemberId, Vec<HeatCell>> =
        members.keys().map(|id| (*id, vec![HeatCell::default(); days.len()])).collect();
    for (doc, bookings) in plans {
        for booking in *bookings {
            for member in booking.assignees.iter().filter(|m| members.contains_key(m)) {
                for at in booking.days.iter().filter_map(|d| column.get(d)) {
                    if let Some(cell) = rows.get_mut(member).and_then(|cells| cells.get_mut(*at)) {
                        cell.hours += booking.hours_a_day;
                        cell.tasks.push((*doc, booking.task, booking.title.clone(), booking.hours_a_day));
                    }
                }
            }
        }
    }
    let mut out: Vec<HeatRow> = rows
        .into_iter()
        .map(|(member, cells)| HeatRow {
            member,
            name: members.get(&member).map(|m| m.name.clone()).unwrap_or_default(),
            capacity: capacity_of(members, member),
            cells,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.member.cmp(&b.member)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Anchor, Work, schedule};

    #[test]
    fn two_full_days_at_once_overload_a_person() {
        let mut someone = Member::new("设计小陈", vec![]);
        someone.capacity_hours = 8.0;
        let members = BTreeMap::from([(someone.id, someone.clone())]);
        let mut banner = Task::new("首页banner设计", None, 0);
        banner.duration_days = Some(2);
        banner.estimate_hours = Some(16.0);
        banner.assignees = vec![someone.id];
        let mut detail = banner.clone();
        detail.id = crate::TaskId::random();
        detail.estimate_hours = Some(8.0);
        let tasks = [banner, detail];
        let work: Vec<Work> = tasks.iter().map(Work::from).collect();
        let day: Date = "2026-09-01".parse().expect("date");
        let s = schedule(&work, &WorkCalendar::default(), Anchor::Start(day));
        let load = workload(&tasks, &s, &WorkCalendar::default(), &members);
        assert_eq!(load.by_member[&someone.id][&day], 12.0);
        assert_eq!(load.overloaded.len(), 2, "both days are over 8 hours");
        assert_eq!(load.hours_between(someone.id, day, day.add_days(1)), 24.0);

        // Across two plans, on the heat map: the same hours, each cell naming its tasks, and
        // another member with nothing.
        let other = Member::new("客服小李", vec![]);
        let members = BTreeMap::from([(someone.id, someone.clone()), (other.id, other.clone())]);
        let booked = bookings(&tasks, &s, &WorkCalendar::default());
        let (a, b) = (DocumentId::random(), DocumentId::random());
        let plans = [(a, &booked[..1]), (b, &booked[1..])];
        let rows = heat(&plans, &members, &[day, day.add_days(1), day.add_days(2)]);
        let row = rows.iter().find(|r| r.member == someone.id).expect("a row for each member");
        assert_eq!(row.cells.iter().map(|c| c.hours).collect::<Vec<_>>(), [12.0, 12.0, 0.0]);
        assert_eq!(row.over().collect::<Vec<_>>(), [0, 1]);
        let docs: Vec<DocumentId> = row.cells[0].tasks.iter().map(|t| t.0).collect();
        assert_eq!(docs, [a, b]);
        let idle = rows.iter().find(|r| r.member == other.id).expect("a row for each member");
        assert_eq!(idle.over().count(), 0);
        assert!(idle.cells.iter().all(|c| c.tasks.is_empty()));
    }
}
