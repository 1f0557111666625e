//! What-if: a plan and a scenario forked from it (the same history, then changed freely),
//! side by side. Where each finishes, its critical path, the hours of work still to do, and
//! the days someone is booked over what they can give; and what the scenario added, removed
//! or moved. A pure function of the two plans, so the browser compares them offline.

use std::collections::BTreeMap;

use super::schedule::{Schedule, schedule_plan};
use super::workload::{hours_each, workload};
use crate::MemberId;
use crate::TaskId;
use crate::domain::{Date, Member, Project, WorkCalendar, WorkIndex};

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    pub start: Date,
    /// The plan's last working day.
    pub finish: Date,
    /// The launch (or campaign) day, where the plan has one.
    pub launch: Option<Date>,
    /// The critical tasks' titles, earliest first.
    pub critical: Vec<String>,
    /// Hours of open work (estimates, else half of each scheduled day): what the plan still
    /// costs the team.
    pub open_hours: f64,
    /// Member-days booked over the member's capacity.
    pub overloaded_days: usize,
    pub tasks: usize,
}

/// A task the scenario schedules on other days.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub task: TaskId,
    pub title: String,
    pub from: Date,
    pub to: Date,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub plan: Side,
    pub scenario: Side,
    /// Calendar days the scenario finishes later (negative: earlier).
    pub finish_days: i32,
    /// Tasks only the scenario has, and only the plan has, by title.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Tasks whose scheduled finish moved, the furthest first.
    pub moved: Vec<Moved>,
}

/// Compares `scenario` with the `plan` it was forked from, both scheduled on `calendar` as
/// of `today`.
pub fn compare(
    plan: &Project,
    scenario: &Project,
    calendar: &WorkCalendar,
    members: &BTreeMap<MemberId, Member>,
    today: Date,
) -> Comparison {
    let before = schedule_plan(plan.tasks.values(), &plan.meta, calendar, today);
    let after = schedule_plan(scenario.tasks.values(), &scenario.meta, calendar, today);
    let side = |project: &Project, schedule: &Schedule| side(project, schedule, calendar, members);
    let (plan_side, scenario_side) = (side(plan, &before), side(scenario, &after));
    let mut moved: Vec<Moved> = scenario
        .tasks
        .values()
        .filter_map(|task| {
            let (from, to) = (before.tasks.get(&task.id)?.finish, after.tasks.get(&task.id)?.finish);
            (from != to).then(|| Moved { task: task.id, title: task.title.clone(), from, to })
        })
        .collect();
    moved.sort_by_key(|m| (std::cmp::Reverse((m.to.days() - m.from.days()).abs()), m.to, m.task));
    let only = |a: &Project, b: &Project| -> Vec<String> {
        a.tasks.values().filter(|t| !b.tasks.contains_key(&t.id)).map(|t| t.title.clone()).collect()
    };
    Comparison {
        finish_days: scenario_side.finish.days() - plan_side.finish.days(),
        added: only(scenario, plan),
        removed: only(plan, scenario),
        moved,
        plan: plan_side,
        scenario: scenario_side,
    }
}

fn side(
    project: &Project,
    schedule: &Schedule,
    calendar: &WorkCalendar,
    members: &BTreeMap<MemberId, Member>,
) -> Side {
    let index = WorkIndex::new(calendar);
    let open_hours = project
        .tasks
        .values()
        .filter(|t| !t.is_done())
        .filter_map(|t| {
            schedule.tasks.get(&t.id).map(|at| hours_each(t, at, &index) * t.assignees.len().max(1) as f64)
        })
        .sum();
    let load = workload(project.tasks.values(), schedule, calendar, members);
    Side {
        start: schedule.start,
        finish: schedule.finish,
        launch: project.meta.launch,
        critical: schedule
            .critical_tasks
            .iter()
            .filter_map(|id| project.tasks.get(id).map(|t| t.title.clone()))
            .collect(),
        open_hours,
        overloaded_days: load.overloaded.len(),
        tasks: project.tasks.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ProjectKind, Task};

    fn member(name: &str) -> Member {
        Member {
            id: MemberId::random(),
            name: name.into(),
            roles: Vec::new(),
            capacity_hours: 8.0,
            team: None,
        }
    }

    fn task(plan: &mut Project, title: &str, days: u32, hours: f64, who: MemberId) -> TaskId {
        let mut task = Task::new(title, None, 0);
        task.duration_days = Some(days);
        task.estimate_hours = Some(hours);
        task.assignees = vec![who];
        let id = task.id;
        plan.tasks.insert(id, task);
        id
    }

    #[test]
    fn a_launch_moved_a_week_and_work_given_to_another_show_side_by_side() {
        let (wang, li) = (member("小王"), member("小李"));
        let members: BTreeMap<MemberId, Member> = [(wang.id, wang.clone()), (li.id, li.clone())].into();
        let calendar = WorkCalendar::default();
        let today = Date::from_ymd(2026, 10, 1).expect("date");
        let mut plan = Project::new("双十一大促", ProjectKind::Campaign, 0);
        plan.meta.launch = Some(Date::from_ymd(2026, 11, 2).expect("date"));
        // 小王 has two eight-hour days' work on the same day: one day over.
        let banner = task(&mut plan, "首页banner", 1, 8.0, wang.id);
        let coupon = task(&mut plan, "优惠券配置", 1, 8.0, wang.id);
        let training = task(&mut plan, "客服培训", 3, 12.0, li.id);

        let mut scenario = plan.clone();
        scenario.meta.launch = Some(Date::from_ymd(2026, 11, 9).expect("date"));
        scenario.tasks.get_mut(&coupon).expect("coupon").assignees = vec![li.id];
        scenario.tasks.remove(&training);
        // As long as 客服培训, so the plan's start moves with its launch and no further.
        task(&mut scenario, "直播脚本", 3, 6.0, MemberId::random());

        let c = compare(&plan, &scenario, &calendar, &members, today);
        assert_eq!(
            (c.plan.finish, c.scenario.finish),
            (plan.meta.launch.expect("launch"), scenario.meta.launch.expect("launch"))
        );
        assert_eq!(c.finish_days, 7);
        assert_eq!(c.plan.overloaded_days, 1, "小王 is over on the day of both tasks");
        assert_eq!(c.scenario.overloaded_days, 0, "优惠券配置 went to 小李");
        assert_eq!((c.plan.open_hours, c.scenario.open_hours), (28.0, 22.0));
        assert_eq!(
            (c.added.as_slice(), c.removed.as_slice()),
            (&["直播脚本".to_owned()][..], &["客服培训".to_owned()][..])
        );
        let moved: Vec<(TaskId, i32)> =
            c.moved.iter().map(|m| (m.task, m.to.days() - m.from.days())).collect();
        assert!(moved.contains(&(banner, 7)) && moved.contains(&(coupon, 7)), "{moved:?}");
        assert_eq!(
            (c.plan.critical.as_slice(), c.scenario.critical.as_slice()),
            (&["客服培训".to_owned()][..], &["直播脚本".to_owned()][..])
        );

        // A scenario left as forked compares equal.
        let same = compare(&plan, &plan.clone(), &calendar, &members, today);
        assert_eq!((same.finish_days, same.moved.len(), same.added.len(), same.removed.len()), (0, 0, 0, 0));
        assert_eq!(same.plan, same.scenario);
    }
}
