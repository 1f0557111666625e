//! Hours planned per person per day, and who is over their capacity.

use std::collections::BTreeMap;

use super::{Schedule, ScheduledTask};
use crate::MemberId;
use crate::domain::{Date, Member, Task, WorkCalendar, WorkIndex};

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

/// Spreads each open task's hours (its estimate, else half of each of its days) evenly over
/// its scheduled working days and its assignees.
pub fn workload<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    schedule: &Schedule,
    calendar: &WorkCalendar,
    members: &BTreeMap<MemberId, Member>,
) -> Workload {
    let mut load = Workload::default();
    let index = WorkIndex::new(calendar);
    for task in tasks {
        if task.is_done() || task.assignees.is_empty() {
            continue;
        }
        let Some(at) = schedule.tasks.get(&task.id) else { continue };
        let (first, last) = (index.ordinal(at.start), index.ordinal(at.finish));
        let share = hours_each(task, at, &index) / f64::from((last - first + 1).max(1));
        for ordinal in first..=last.max(first) {
            let date = index.date(ordinal);
            for member in &task.assignees {
                *load.by_member.entry(*member).or_default().entry(date).or_insert(0.0) += share;
            }
        }
    }
    for (member, days) in &load.by_member {
        let capacity = members.get(member).map(|m| m.capacity_hours).unwrap_or(8.0);
        for (date, hours) in days {
            if *hours > capacity + 1e-9 {
                load.overloaded.push(Overload { member: *member, date: *date, hours: *hours, capacity });
            }
        }
    }
    load
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
    }
}
