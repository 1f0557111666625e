//! Templates are data: phases, tasks (durations, owning team, dependencies, approval,
//! recurrence) and milestones, named in Chinese and English. A template is instantiated for a
//! launch day and scheduled backward from it; any project can be saved as one.

mod campaign;
mod launch;
mod listing;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use autosurgeon::{Hydrate, Reconcile};

use super::{
    Approval, ApprovalState, Baseline, Date, Dependency, DependencyKind, Every, Milestone, Phase, Project,
    ProjectKind, ProjectMeta, Recurrence, Role, Task, Team, WorkCalendar,
};
use crate::plan::schedule::{Anchor, Work, schedule};
use crate::{MilestoneId, PhaseId, TaskId};

/// A name in both languages of the interface.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: &str, en: &str) -> Self {
        Self { zh: zh.to_owned(), en: en.to_owned() }
    }

    pub fn get(&self, chinese: bool) -> &str {
        if chinese { &self.zh } else { &self.en }
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct TemplatePhase {
    pub key: String,
    pub name: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct TemplateDependency {
    pub task: String,
    pub kind: DependencyKind,
    pub lag_days: i32,
}

/// A repetition inside the window from `from_offset` to `until_offset` days around the
/// launch day (negative: before it).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct TemplateRecurrence {
    pub every: Every,
    pub from_offset: i32,
    pub until_offset: i32,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct TemplateTask {
    pub key: String,
    pub title: Bilingual,
    pub phase: String,
    pub duration_days: u32,
    pub team: Option<Team>,
    pub tags: Vec<String>,
    pub depends_on: Vec<TemplateDependency>,
    /// The role whose approval the task needs before it is done.
    pub approval: Option<Role>,
    pub recurrence: Option<TemplateRecurrence>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct TemplateMilestone {
    pub key: String,
    pub name: Bilingual,
    pub after: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Template {
    pub key: String,
    pub name: Bilingual,
    pub kind: ProjectKind,
    /// Campaign teams work through weekends; launch teams do not.
    pub every_day: bool,
    pub phases: Vec<TemplatePhase>,
    pub tasks: Vec<TemplateTask>,
    pub milestones: Vec<TemplateMilestone>,
}

/// What is wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("task {task} is in phase {phase}, which the template does not have")]
    UnknownPhase { task: String, phase: String },
    #[error("{what} {from} refers to task {to}, which the template does not have")]
    UnknownTask { what: &'static str, from: String, to: String },
    #[error("two tasks are called {0}")]
    DuplicateTask(String),
    #[error("these tasks wait for each other: {0:?}")]
    Cycle(Vec<String>),
}

/// Every template that ships with Launchplan.
pub fn built_in() -> Vec<Template> {
    vec![launch::new_product_launch(), campaign::double_11(), campaign::six_18(), listing::sku_listing()]
}

/// A built-in template by key (`new-product-launch`, `double-11`, `618`, `sku-listing`).
pub fn find(key: &str) -> Option<Template> {
    built_in().into_iter().find(|t| t.key == key)
}

/// The days a plan's work is scheduled on, in a workspace that works on `workspace`: every
/// day for a plan whose teams work every day (made from a template whose teams do: its tasks
/// were laid out on every day, and a weekend-free calendar would stretch them past the
/// event), else the workspace's.
pub fn plan_calendar<'a>(meta: &ProjectMeta, workspace: &'a WorkCalendar) -> Cow<'a, WorkCalendar> {
    if works_every_day(meta) { Cow::Owned(WorkCalendar::every_day()) } else { Cow::Borrowed(workspace) }
}

/// Whether a plan's teams work every day: it says so, or (made before plans kept it) it was
/// made from a built-in template whose teams do.
fn works_every_day(meta: &ProjectMeta) -> bool {
    static EVERY_DAY: OnceLock<BTreeSet<String>> = OnceLock::new();
    let every_day =
        EVERY_DAY.get_or_init(|| built_in().into_iter().filter(|t| t.every_day).map(|t| t.key).collect());
    meta.every_day || meta.template.as_ref().is_some_and(|key| every_day.contains(key))
}

impl Template {
    /// Monday to Friday, or every day for a template whose teams work through weekends.
    pub fn calendar(&self) -> WorkCalendar {
        self.calendar_in(&WorkCalendar::default())
    }

    /// The days this template's work is scheduled on in a workspace that works on `workspace`:
    /// its calendar, unless the template's teams work every day.
    pub fn calendar_in(&self, workspace: &WorkCalendar) -> WorkCalendar {
        if self.every_day { WorkCalendar::every_day() } else { workspace.clone() }
    }

    /// How many calendar days a plan from this template typically runs, its first day to the
    /// launch day (both counted), on its own calendar without holidays.
    pub fn typical_days(&self) -> i32 {
        let launch = Date::from_days(0);
        let ids = self.task_ids("length", launch);
        let work: Vec<Work> = self.tasks.iter().map(|t| self.work(t, &ids, launch)).collect();
        let planned = schedule(&work, &self.calendar(), Anchor::Finish(launch));
        launch.days() - planned.start.days() + 1
    }

    /// Checks that every reference resolves and nothing waits on itself.
    pub fn validate(&self) -> Result<(), TemplateError> {
        let phases: BTreeSet<&str> = self.phases.iter().map(|p| p.key.as_str()).collect();
        let mut tasks = BTreeSet::new();
        for task in &self.tasks {
            if !tasks.insert(task.key.as_str()) {
                return Err(TemplateError::DuplicateTask(task.key.clone()));
            }
            if !phases.contains(task.phase.as_str()) {
                return Err(TemplateError::UnknownPhase {
                    task: task.key.clone(),
                    phase: task.phase.clone(),
                });
            }
        }
        for task in &self.tasks {
            for dep in &task.depends_on {
                if !tasks.contains(dep.task.as_str()) {
                    return Err(TemplateError::UnknownTask {
                        what: "task",
                        from: task.key.clone(),
                        to: dep.task.clone(),
                    });
                }
            }
        }
        for milestone in &self.milestones {
            for after in &milestone.after {
                if !tasks.contains(after.as_str()) {
                    return Err(TemplateError::UnknownTask {
                        what: "milestone",
                        from: milestone.key.clone(),
                        to: after.clone(),
                    });
                }
            }
        }
        let ids = self.task_ids("check", Date::from_days(0));
        let work: Vec<Work> = self.tasks.iter().map(|t| self.work(t, &ids, Date::from_days(0))).collect();
        let checked = schedule(&work, &self.calendar(), Anchor::Start(Date::from_days(0)));
        if let Some(cycle) = checked.cycles.first() {
            let names =
                self.tasks.iter().filter(|t| cycle.contains(&ids[&t.key])).map(|t| t.key.clone()).collect();
            return Err(TemplateError::Cycle(names));
        }
        Ok(())
    }

    /// A new project from this template, scheduled backward so that it finishes on `launch`,
    /// each task's schedule saved as its baseline (the plan as first saved). Ids derive from
    /// the template, the launch day and `seed`, so the same inputs give the same plan.
    pub fn instantiate(&self, launch: Date, chinese: bool, seed: &str, created_at: i64) -> Project {
        self.instantiate_on(&self.calendar(), launch, chinese, seed, created_at)
    }

    /// [`Template::instantiate`], scheduled over `calendar`'s working days (a workspace's,
    /// through [`Template::calendar_in`]).
    pub fn instantiate_on(
        &self,
        calendar: &WorkCalendar,
        launch: Date,
        chinese: bool,
        seed: &str,
        created_at: i64,
    ) -> Project {
        let prefix = format!("{seed}/{}/{launch}", self.key);
        let ids = self.task_ids(&prefix, launch);
        let phase_id = |key: &str| PhaseId::derived(&format!("{prefix}/phase/{key}"));
        let work: Vec<Work> = self.tasks.iter().map(|t| self.work(t, &ids, launch)).collect();
        let planned = schedule(&work, calendar, Anchor::Finish(launch));

        let mut project = Project::new(self.name.get(chinese), self.kind, created_at);
        project.meta.launch = Some(launch);
        project.meta.start = Some(planned.start);
        project.meta.template = Some(self.key.clone());
        project.meta.every_day = self.every_day;
        project.meta.shift_dependents = true;
        project.phases = self
            .phases
            .iter()
            .map(|p| Phase { id: phase_id(&p.key), name: p.name.get(chinese).to_owned() })
            .collect();
        for (i, (t, w)) in self.tasks.iter().zip(&work).enumerate() {
            // A millisecond apart, so that the plan lists its tasks in the template's order.
            let mut task = Task::new(t.title.get(chinese), Some(phase_id(&t.phase)), created_at + i as i64);
            task.id = w.id;
            task.duration_days = Some(w.duration);
            task.team = t.team;
            task.tags = t.tags.clone();
            task.depends_on = w.depends_on.clone();
            task.approval = t.approval.map(|role| Approval { role, state: ApprovalState::Pending });
            task.recurrence = t.recurrence.as_ref().map(|r| Recurrence {
                every: r.every,
                from: launch.add_days(r.from_offset),
                until: launch.add_days(r.until_offset),
            });
            if let Some(at) = planned.tasks.get(&w.id) {
                task.start = Some(at.start);
                task.due = Some(at.finish);
                // The plan as first saved is its baseline.
                task.baseline = Some(Baseline { start: at.start, due: at.finish });
            }
            project.tasks.insert(task.id, task);
        }
        project.milestones = self
            .milestones
            .iter()
            .map(|m| Milestone {
                id: MilestoneId::derived(&format!("{prefix}/milestone/{}", m.key)),
                name: m.name.get(chinese).to_owned(),
                after: m.after.iter().filter_map(|k| ids.get(k).copied()).collect(),
                date: None,
            })
            .collect();
        project
    }

    /// Saves `project` as a template: its phases, tasks, dependencies and milestones, named as
    /// they are (in both languages alike). Recurrences are kept relative to its launch day.
    pub fn from_project(project: &Project, key: &str) -> Template {
        let tasks = project.tasks_in_order();
        let anchor = project.meta.launch.or(project.meta.start).unwrap_or(Date::from_days(0));
        let same = |s: &str| Bilingual::new(s, s);
        let phase_key = |id: Option<PhaseId>| id.map(|p| p.to_string()).unwrap_or_else(|| "unphased".into());
        let mut phases: Vec<TemplatePhase> = project
            .phases
            .iter()
            .map(|p| TemplatePhase { key: p.id.to_string(), name: same(&p.name) })
            .collect();
        if tasks.iter().any(|t| t.phase.is_none_or(|p| !project.phases.iter().any(|ph| ph.id == p))) {
            phases.push(TemplatePhase { key: "unphased".into(), name: Bilingual::new("其他", "Other") });
        }
        let known: BTreeSet<String> = project.phases.iter().map(|p| p.id.to_string()).collect();
        Template {
            key: key.to_owned(),
            name: same(&project.meta.name),
            kind: project.meta.kind,
            every_day: works_every_day(&project.meta),
            phases,
            tasks: tasks
                .iter()
                .map(|t| TemplateTask {
                    key: t.id.to_string(),
                    title: same(&t.title),
                    phase: Some(phase_key(t.phase))
                        .filter(|k| known.contains(k))
                        .unwrap_or_else(|| "unphased".into()),
                    duration_days: t.duration(),
                    team: t.team,
                    tags: t.tags.clone(),
                    depends_on: t
                        .depends_on
                        .iter()
                        .filter(|d| project.tasks.contains_key(&d.task))
                        .map(|d| TemplateDependency {
                            task: d.task.to_string(),
                            kind: d.kind,
                            lag_days: d.lag_days,
                        })
                        .collect(),
                    approval: t.approval.as_ref().map(|a| a.role),
                    recurrence: t.recurrence.as_ref().map(|r| TemplateRecurrence {
                        every: r.every,
                        from_offset: r.from.days() - anchor.days(),
                        until_offset: r.until.days() - anchor.days(),
                    }),
                })
                .collect(),
            milestones: project
                .milestones
                .iter()
                .map(|m| TemplateMilestone {
                    key: m.id.to_string(),
                    name: same(&m.name),
                    after: m
                        .after
                        .iter()
                        .filter(|t| project.tasks.contains_key(t))
                        .map(|t| t.to_string())
                        .collect(),
                })
                .collect(),
        }
    }

    fn task_ids(&self, prefix: &str, _launch: Date) -> BTreeMap<String, TaskId> {
        self.tasks
            .iter()
            .map(|t| (t.key.clone(), TaskId::derived(&format!("{prefix}/task/{}", t.key))))
            .collect()
    }

    fn work(&self, task: &TemplateTask, ids: &BTreeMap<String, TaskId>, launch: Date) -> Work {
        let recurring = task.recurrence.as_ref();
        Work {
            id: ids[&task.key],
            // A recurring task spans its window.
            duration: recurring
                .map(|r| (r.until_offset - r.from_offset + 1).max(1) as u32)
                .unwrap_or(task.duration_days),
            depends_on: task
                .depends_on
                .iter()
                .filter_map(|d| {
                    Some(Dependency { task: *ids.get(&d.task)?, kind: d.kind, lag_days: d.lag_days })
                })
                .collect(),
            not_before: recurring.map(|r| launch.add_days(r.from_offset)),
            window: recurring.map(|r| (launch.add_days(r.from_offset), launch.add_days(r.until_offset))),
        }
    }
}

/// Builds template tasks tersely, one table row each: `after` names tasks this one follows
/// (finish to start); `"key:ss:2"` means start to start with two days' lag (`fs`, `ss`, `ff`,
/// `sf`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn task(
    key: &str,
    zh: &str,
    en: &str,
    phase: &str,
    days: u32,
    team: Team,
    tags: &[&str],
    after: &[&str],
) -> TemplateTask {
    TemplateTask {
        key: key.to_owned(),
        title: Bilingual::new(zh, en),
        phase: phase.to_owned(),
        duration_days: days,
        team: Some(team),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        depends_on: after.iter().map(|a| dependency(a)).collect(),
        approval: None,
        recurrence: None,
    }
}

impl TemplateTask {
    /// Needs `role`'s approval before it is done.
    pub(crate) fn approved_by(mut self, role: Role) -> Self {
        self.approval = Some(role);
        self
    }

    /// Repeats every day (or week) from `from` to `until` days around the launch.
    pub(crate) fn repeating(mut self, every: Every, from: i32, until: i32) -> Self {
        self.recurrence = Some(TemplateRecurrence { every, from_offset: from, until_offset: until });
        self
    }
}

fn dependency(spec: &str) -> TemplateDependency {
    let mut parts = spec.split(':');
    let task = parts.next().unwrap_or_default().to_owned();
    let kind = match parts.next() {
        Some("ss") => DependencyKind::StartToStart,
        Some("ff") => DependencyKind::FinishToFinish,
        Some("sf") => DependencyKind::StartToFinish,
        _ => DependencyKind::FinishToStart,
    };
    let lag_days = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
    TemplateDependency { task, kind, lag_days }
}

pub(crate) fn phase(key: &str, zh: &str, en: &str) -> TemplatePhase {
    TemplatePhase { key: key.to_owned(), name: Bilingual::new(zh, en) }
}

pub(crate) fn milestone(key: &str, zh: &str, en: &str, after: &[&str]) -> TemplateMilestone {
    TemplateMilestone {
        key: key.to_owned(),
        name: Bilingual::new(zh, en),
        after: after.iter().map(|a| (*a).to_owned()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_is_sound_and_bilingual() {
        let all = built_in();
        assert_eq!(all.len(), 4);
        for template in &all {
            template.validate().unwrap_or_else(|e| panic!("{}: {e}", template.key));
            assert!(template.tasks.iter().all(|t| !t.title.zh.is_empty() && !t.title.en.is_empty()));
            assert!(template.tasks.iter().all(|t| t.team.is_some()), "every task has an owner by role");
        }
        let launch = find("new-product-launch").expect("launch template");
        let names: Vec<&str> = launch.phases.iter().map(|p| p.name.zh.as_str()).collect();
        assert_eq!(names, ["市场调研", "包装设计", "样品测试", "广告投放", "上架准备", "正式发售"]);
    }

    #[test]
    fn a_launch_on_the_workspace_calendar_works_around_spring_festival() {
        // Launch three weeks after 春节 2026 (2月15日 to 23日, make-up Saturdays 14 and 28).
        let day = Date::from_ymd(2026, 3, 16).expect("date");
        let template = find("new-product-launch").expect("launch");
        let china = template.calendar_in(&crate::domain::china_calendar());
        let project = template.instantiate_on(&china, day, true, "cny", 0);
        let plain = template.instantiate(day, true, "cny", 0);
        for task in project.tasks.values() {
            let (start, due) = (task.start.expect("start"), task.due.expect("due"));
            assert!(china.is_working(start) && china.is_working(due), "{}: {start} to {due}", task.title);
        }
        let (eve, back) =
            (Date::from_ymd(2026, 2, 15).expect("date"), Date::from_ymd(2026, 2, 23).expect("date"));
        let across = project.tasks.values().filter(|t| t.start < Some(eve) && t.due > Some(back)).count();
        assert!(across > 0, "some work spans 春节 and waits it out");
        // Nine days off, two make-up Saturdays: the plan has to start earlier to make the day.
        assert!(project.meta.start < plain.meta.start, "{:?} vs {:?}", project.meta.start, plain.meta.start);
        // A campaign's teams work every day, holidays included.
        let campaign = find("double-11").expect("double 11");
        assert_eq!(campaign.calendar_in(&crate::domain::china_calendar()), WorkCalendar::every_day());
    }

    #[test]
    fn a_campaign_plan_is_on_time_in_a_monday_to_friday_workspace() {
        // 双十二 falls on a Saturday; the workspace keeps China's working days.
        let (launch, china) = (Date::from_ymd(2026, 12, 12).expect("date"), crate::domain::china_calendar());
        let template = find("double-11").expect("double 11");
        let project = template.instantiate_on(&template.calendar_in(&china), launch, true, "c", 0);
        let made: Date = "2026-10-20".parse().expect("date");
        let planned = crate::plan::schedule_plan(project.tasks.values(), &project.meta, &china, made);
        assert_eq!(planned.finish, launch, "the plan ends on the event, as its template laid it out");
        let behind: Vec<&str> = project
            .tasks
            .values()
            .filter(|t| planned.tasks[&t.id].slack_days < 0)
            .map(|t| t.title.as_str())
            .collect();
        assert!(behind.is_empty(), "nothing is behind on the day it is made: {behind:?}");
        // A plan from a Monday-to-Friday template stays on the workspace's days.
        let launch_plan = find("new-product-launch").expect("launch");
        let mut meta = project.meta.clone();
        meta.template = Some(launch_plan.key.clone());
        meta.every_day = false;
        assert_eq!(*plan_calendar(&meta, &china), china);
        assert_eq!(*plan_calendar(&project.meta, &china), WorkCalendar::every_day());
        // A campaign made before plans said it works every day says so by its template.
        let mut older = project.meta.clone();
        older.every_day = false;
        assert_eq!(*plan_calendar(&older, &china), WorkCalendar::every_day());
    }

    #[test]
    fn typical_length_counts_calendar_days_to_the_launch() {
        // Worked out by hand (tests/templates_by_hand.rs has the tables): the launch takes 51
        // working days, Monday to Friday, the launch day the last: ten weeks back from a working
        // day to the same weekday, 70 days, both ends counted. A campaign takes 51 days, every
        // day. A listing takes 8 working days: from Thursday 1970-01-01 (the day measured from)
        // back to Tuesday 1969-12-23.
        let lengths: Vec<(String, i32)> =
            built_in().iter().map(|t| (t.key.clone(), t.typical_days())).collect();
        let expected = [("new-product-launch", 71), ("double-11", 51), ("618", 51), ("sku-listing", 10)];
        assert_eq!(lengths, expected.map(|(k, n)| (k.to_owned(), n)));
        // The length a person is shown is the length they get, for a launch on a working day.
        let launch = find("new-product-launch").expect("launch");
        for day in [Date::from_ymd(2026, 9, 1), Date::from_ymd(2026, 11, 13)] {
            let day = day.expect("date");
            let project = launch.instantiate(day, true, "len", 0);
            assert_eq!(day.days() - project.meta.start.expect("start").days() + 1, 71, "{day}");
        }
    }

    #[test]
    fn a_campaign_is_scheduled_backward_from_its_day_and_starts_seven_weeks_before() {
        let day = Date::from_ymd(2026, 11, 11).expect("date");
        let project = find("double-11").expect("double 11").instantiate(day, true, "test", 0);
        // 51 days of work, every day, the last on 11-11 (worked out in tests/templates_by_hand.rs).
        assert_eq!(project.meta.start, Some(Date::from_ymd(2026, 9, 22).expect("date")));
        assert!(project.tasks.values().all(|t| t.due.is_some_and(|due| due <= day)));
        assert!(project.tasks.values().any(|t| t.title == "优惠券与满减规则配置"));
        assert!(project.tasks.values().any(|t| t.recurrence.is_some()), "daily stand-ups recur");
    }

    #[test]
    fn a_plan_from_a_template_keeps_its_first_schedule_as_its_baseline() {
        let day = Date::from_ymd(2026, 11, 11).expect("date");
        for template in built_in() {
            let project = template.instantiate(day, true, "baseline", 0);
            for task in project.tasks.values() {
                let (start, due) = (task.start.expect("start"), task.due.expect("due"));
                assert_eq!(task.baseline, Some(Baseline { start, due }), "{}: {}", template.key, task.title);
            }
            // It is stored, and reads back.
            let mut doc = automerge::Automerge::new();
            let mut tx = doc.transaction();
            crate::domain::commands::create_project(&mut tx, &project).expect("create");
            tx.commit();
            let read = crate::domain::read::read_project(&doc).expect("project");
            assert!(read.task_problems.is_empty(), "{:?}", read.task_problems);
            assert_eq!(read.project.tasks, project.tasks, "{}", template.key);
        }
    }

    #[test]
    fn a_saved_template_makes_the_same_plan_again() {
        // A plan on weekdays, and a campaign's, on every day (saved, it still works every day).
        for key in ["sku-listing", "double-11"] {
            let day = Date::from_ymd(2027, 3, 1).expect("date");
            let original = find(key).expect("built in").instantiate(day, true, "a", 0);
            let saved = Template::from_project(&original, "mine");
            saved.validate().expect("sound");
            let again = saved.instantiate(day, true, "b", 0);
            assert_eq!(again.meta.every_day, key == "double-11", "{key}");
            assert_eq!(
                plan_calendar(&again.meta, &crate::domain::china_calendar()),
                plan_calendar(&original.meta, &crate::domain::china_calendar()),
                "{key}"
            );
            same_plan(&again, &original);
        }
    }

    fn same_plan(again: &Project, original: &Project) {
        {
            let shape = |p: &Project| {
                type Row = (String, Option<Date>, Option<Date>, usize, bool);
                let mut rows: Vec<Row> = p
                    .tasks
                    .values()
                    .map(|t| (t.title.clone(), t.start, t.due, t.depends_on.len(), t.approval.is_some()))
                    .collect();
                rows.sort_by(|a, b| a.0.cmp(&b.0));
                rows
            };
            assert_eq!(shape(again), shape(original));
            assert_eq!(again.milestones.len(), original.milestones.len());
        }
    }

    #[test]
    fn broken_templates_are_refused_with_a_reason() {
        let mut t = find("sku-listing").expect("listing");
        t.tasks[1].depends_on.push(dependency("nope"));
        assert!(matches!(t.validate(), Err(TemplateError::UnknownTask { .. })));
        let mut t = find("sku-listing").expect("listing");
        let first = t.tasks[0].key.clone();
        let last = t.tasks.last().expect("tasks").key.clone();
        t.tasks[0].depends_on.push(dependency(&last));
        assert!(matches!(t.validate(), Err(TemplateError::Cycle(names)) if names.contains(&first)));
    }
}
