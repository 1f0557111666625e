//! A task, read field by field: a field that cannot be read is reported, and the task still
//! shows.

use automerge::hydrate::Value;
use automerge::{ObjId, ReadDoc};

use super::values::{Strict, unit_enum, variant};
use super::{Entries, Fields, FromValue, ReadProblem, Wrong, entries};
use crate::TaskId;
use crate::domain::{
    Approval, ApprovalState, Attachment, Baseline, ChecklistItem, Comment, Dependency, DependencyKind, Every,
    Priority, Recurrence, Role, Status, Task, Team, TimeEntry,
};

/// A task as read, with what could not be read and which fields hold concurrent values.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRead {
    pub task: Task,
    /// Fields that could not be read (each took its default).
    pub problems: Vec<ReadProblem>,
    /// Fields that concurrent edits left with several values (see [`crate::domain::field_values`]).
    pub conflicts: Vec<String>,
}

/// Reads the task stored under `key` in the project's `tasks` map, from its hydrated value.
/// Fails only when the key is not a task id, since then no command could address the task.
pub fn read_task(key: &str, value: &Value) -> Result<TaskRead, ReadProblem> {
    let id = task_id(key)?;
    let Value::Map(map) = value else {
        return Err(ReadProblem {
            field: format!("tasks/{key}"),
            reason: format!("{}: the task is skipped", Wrong::expected("a map", value).0),
        });
    };
    let conflicts = map.iter().filter(|(_, v)| v.conflict).map(|(k, _)| k.clone()).collect();
    Ok(read_fields(id, key, map, conflicts))
}

/// Reads the task stored under `key`, whose object is `obj`, straight from the document.
pub fn read_task_at<D: ReadDoc>(doc: &D, key: &str, obj: &ObjId) -> Result<TaskRead, ReadProblem> {
    let id = task_id(key)?;
    let entries = entries(doc, obj, &[]);
    let conflicts = entries.items.iter().filter(|(_, _, c)| *c).map(|(k, _, _)| k.to_string()).collect();
    Ok(read_fields(id, key, &entries, conflicts))
}

fn task_id(key: &str) -> Result<TaskId, ReadProblem> {
    key.parse().map_err(|e| ReadProblem {
        field: format!("tasks/{key}"),
        reason: format!("{e}: the task is skipped"),
    })
}

fn read_fields(id: TaskId, key: &str, map: &dyn Entries, conflicts: Vec<String>) -> TaskRead {
    let mut f = Fields::new(map, format!("tasks/{key}"));
    let task = Task {
        id,
        title: f.need("title", String::new),
        status: f.get_or("status", || Status::Todo),
        phase: f.get("phase"),
        created_at: f.need("created_at", || 0),
        description: f.get("description"),
        assignees: f.get("assignees"),
        team: f.get("team"),
        priority: f.get("priority"),
        tags: f.get("tags"),
        sku: f.get("sku"),
        rank: f.get("rank"),
        start: f.get("start"),
        due: f.get("due"),
        due_time: f.get("due_time"),
        baseline: f.get("baseline"),
        duration_days: f.get("duration_days"),
        estimate_hours: f.get("estimate_hours"),
        checklist: f.get("checklist"),
        approval: f.get("approval"),
        depends_on: f.get("depends_on"),
        comments: f.get("comments"),
        attachments: f.get("attachments"),
        time_entries: f.get("time_entries"),
        recurrence: f.get("recurrence"),
        started_at: f.get("started_at"),
        completed_at: f.get("completed_at"),
    };
    TaskRead { task, problems: f.problems, conflicts }
}

unit_enum!(Team, "a team", [Product, Operations, Design, Marketing, CustomerService, Warehouse, Quality]);
unit_enum!(Priority, "a priority", [Low, Normal, High, Urgent]);
unit_enum!(DependencyKind, "a dependency kind", [FinishToStart, StartToStart, FinishToFinish, StartToFinish]);
unit_enum!(Role, "a role", [Owner, Admin, Editor, ContentEditor, Viewer, Finance]);

impl FromValue for Dependency {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Dependency { task: m.need("task")?, kind: m.get_or_default_kind()?, lag_days: m.get("lag_days")? })
    }
}

impl Strict<'_> {
    /// A dependency written without a kind waits for the other task to finish.
    fn get_or_default_kind(&self) -> Result<DependencyKind, Wrong> {
        Ok(self.get::<Option<DependencyKind>>("kind")?.unwrap_or(DependencyKind::FinishToStart))
    }
}

impl FromValue for ChecklistItem {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(ChecklistItem { id: m.need("id")?, text: m.need("text")?, done: m.get("done")? })
    }
}

impl FromValue for Approval {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Approval { role: m.need("role")?, state: m.need("state")? })
    }
}

impl FromValue for ApprovalState {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        match variant(value)? {
            (name, None) if name == "Pending" => Ok(ApprovalState::Pending),
            (name, Some(fields)) if name == "Approved" => {
                let m = Strict::of(fields)?;
                Ok(ApprovalState::Approved { by: m.need("by")?, at: m.need("at")? })
            }
            (name, Some(fields)) if name == "Rejected" => {
                let m = Strict::of(fields)?;
                Ok(ApprovalState::Rejected { by: m.need("by")?, at: m.need("at")?, reason: m.get("reason")? })
            }
            (name, _) => Err(Wrong(format!("{name:?} is not an approval state"))),
        }
    }
}

impl FromValue for Comment {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Comment {
            id: m.need("id")?,
            author: m.need("author")?,
            at: m.need("at")?,
            body: m.need("body")?,
            mentions: m.get("mentions")?,
        })
    }
}

impl FromValue for Attachment {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Attachment {
            hash: m.need("hash")?,
            name: m.need("name")?,
            size: m.get("size")?,
            mime: m.get("mime")?,
        })
    }
}

impl FromValue for TimeEntry {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(TimeEntry {
            id: m.need("id")?,
            member: m.need("member")?,
            date: m.need("date")?,
            hours: m.need("hours")?,
        })
    }
}

impl FromValue for Recurrence {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Recurrence { every: m.need("every")?, from: m.need("from")?, until: m.need("until")? })
    }
}

impl FromValue for Baseline {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Baseline { start: m.need("start")?, due: m.need("due")? })
    }
}

impl FromValue for Every {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        match variant(value)? {
            (name, None) if name == "Day" => Ok(Every::Day),
            (name, Some(fields)) if name == "Week" => {
                Ok(Every::Week { weekday: Strict::of(fields)?.need("weekday")? })
            }
            (name, _) => Err(Wrong(format!("{name:?} is not a repeat interval"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ObjType, ROOT, ReadDoc};

    use super::*;
    use crate::domain::commands;

    fn hydrated_task(task: &Task) -> Value {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        let tasks = tx.put_object(ROOT, "tasks", ObjType::Map).expect("tasks");
        autosurgeon::reconcile_prop(&mut tx, &tasks, task.id.to_string().as_str(), task).expect("write");
        tx.commit();
        let (_, obj) = doc.get(ROOT, "tasks").expect("get").expect("tasks");
        let (_, task_obj) = doc.get(&obj, task.id.to_string()).expect("get").expect("task");
        ReadDoc::hydrate(&doc, &task_obj, None).expect("hydrate")
    }

    fn full_task() -> Task {
        let day = |s: &str| s.parse().expect("date");
        let member = crate::MemberId::random();
        let mut task = Task::new("首页banner设计", Some(crate::PhaseId::random()), 1_700_000_000_000);
        task.description = autosurgeon::Text::with_value("主视觉：春季口红");
        task.assignees = vec![member];
        task.team = Some(Team::Design);
        task.priority = Priority::Urgent;
        task.tags = vec!["设计".into()];
        task.sku = Some("LIP-01".into());
        task.start = Some(day("2027-03-01"));
        task.due = Some(day("2027-03-05"));
        task.baseline = Some(Baseline { start: day("2027-02-26"), due: day("2027-03-04") });
        task.duration_days = Some(5);
        task.estimate_hours = Some(12.5);
        task.checklist =
            vec![ChecklistItem { id: crate::ItemId::random(), text: "初稿".into(), done: true }];
        task.approval =
            Some(Approval { role: Role::Admin, state: ApprovalState::Approved { by: member, at: 5 } });
        task.depends_on =
            vec![Dependency { task: TaskId::random(), kind: DependencyKind::StartToStart, lag_days: -2 }];
        task.comments = vec![Comment {
            id: crate::ItemId::random(),
            author: member,
            at: 3,
            body: "@小王 请看".into(),
            mentions: vec![member],
        }];
        task.attachments = vec![Attachment {
            hash: "ab".repeat(32),
            name: "kv.png".into(),
            size: 1024,
            mime: "image/png".into(),
        }];
        task.time_entries =
            vec![TimeEntry { id: crate::ItemId::random(), member, date: day("2027-03-02"), hours: 3.5 }];
        task.recurrence = Some(Recurrence {
            every: Every::Week { weekday: 2 },
            from: day("2027-03-01"),
            until: day("2027-04-01"),
        });
        task.started_at = Some(10);
        task.completed_at = Some(20);
        task
    }

    #[test]
    fn every_field_autosurgeon_writes_reads_back() {
        let task = full_task();
        let read = read_task(&task.id.to_string(), &hydrated_task(&task)).expect("a task");
        assert_eq!(read.problems, Vec::new());
        assert_eq!(read.task, task);
    }

    /// A project document holding `task`, and the task's object.
    fn project_with(task: &Task) -> (Automerge, automerge::ObjId) {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        commands::create_project(
            &mut tx,
            &crate::domain::Project::new("p", crate::domain::ProjectKind::Launch, 1),
        )
        .expect("create");
        commands::add_task(&mut tx, task).expect("add");
        tx.commit();
        let (_, tasks) = doc.get(ROOT, "tasks").expect("get").expect("tasks");
        let (_, obj) = doc.get(&tasks, task.id.to_string()).expect("get").expect("task");
        (doc, obj)
    }

    #[test]
    fn an_unreadable_field_takes_its_default_and_is_named() {
        let task = full_task();
        let (mut doc, obj) = project_with(&task);
        let mut tx = doc.transaction();
        tx.put(&obj, "duration_days", "五天").expect("put");
        tx.put(&obj, "due", "next week").expect("put");
        tx.commit();
        let read = read_task(&task.id.to_string(), &ReadDoc::hydrate(&doc, &obj, None).expect("hydrate"))
            .expect("a task");
        let fields: Vec<&str> =
            read.problems.iter().map(|p| p.field.rsplit('/').next().unwrap_or("")).collect();
        assert_eq!(fields, ["due", "duration_days"]);
        assert_eq!((read.task.duration_days, read.task.due), (None, None));
        assert_eq!(read.task.title, task.title, "the rest of the task reads");
        assert!(read.problems[1].reason.contains("\"五天\""), "{}", read.problems[1]);
    }

    #[test]
    fn a_malformed_baseline_is_a_problem_for_that_field_and_the_rest_of_the_task_reads() {
        let task = full_task();
        let key = task.id.to_string();
        let (mut doc, obj) = project_with(&task);
        let expected = Task { baseline: None, ..task.clone() };

        // A date where the pair of dates belongs, read straight from the document.
        let mut tx = doc.transaction();
        tx.put(&obj, "baseline", "2027-03-01").expect("put");
        tx.commit();
        let read = read_task_at(&doc, &key, &obj).expect("a task");
        let fields: Vec<String> = read.problems.iter().map(|p| p.field.clone()).collect();
        assert_eq!(fields, [format!("tasks/{key}/baseline")]);
        assert!(read.problems[0].reason.contains("expected a map"), "{}", read.problems[0]);
        assert_eq!(read.task, expected, "the rest of the task reads");

        // A baseline without its due date, read from the hydrated task.
        let mut tx = doc.transaction();
        let baseline = tx.put_object(&obj, "baseline", ObjType::Map).expect("map");
        tx.put(&baseline, "start", "2027-03-01").expect("start");
        tx.commit();
        let read = read_task(&key, &ReadDoc::hydrate(&doc, &obj, None).expect("hydrate")).expect("a task");
        let fields: Vec<String> = read.problems.iter().map(|p| p.field.clone()).collect();
        assert_eq!(fields, [format!("tasks/{key}/baseline")]);
        assert!(read.problems[0].reason.contains("`due` is missing"), "{}", read.problems[0]);
        assert_eq!(read.task, expected, "the rest of the task reads");
    }

    #[test]
    fn a_key_that_is_not_a_task_id_skips_the_task() {
        let problem = read_task("not-an-id", &Value::map()).expect_err("skipped");
        assert_eq!(problem.field, "tasks/not-an-id");
    }
}
