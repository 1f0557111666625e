//! A project document, read in one walk.

use std::collections::BTreeMap;

use automerge::hydrate::Value;
use automerge::{ObjType, ROOT, ReadDoc, ValueRef};

use super::task::{TaskRead, read_task, read_task_at};
use super::values::{Strict, unit_enum};
use super::{Entries, Fields, FromValue, NotReadable, ReadProblem, Wrong, entries};
use crate::TaskId;
use crate::domain::{Milestone, Phase, Project, ProjectKind, ProjectMeta, SCHEMA_VERSION, Sku, WorkflowStep};

/// A project as read, with what could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRead {
    pub project: Project,
    /// Every field that could not be read (each took its default), and tasks skipped.
    pub problems: Vec<ReadProblem>,
    /// Tasks with fields that could not be read, by id.
    pub task_problems: BTreeMap<TaskId, Vec<ReadProblem>>,
    /// Tasks with fields that concurrent edits left with several values, by id.
    pub task_conflicts: BTreeMap<TaskId, Vec<String>>,
}

/// Reads the whole project in `doc` in one walk: its small parts walked whole, each task
/// read straight from its entries.
pub fn read_project<D: ReadDoc>(doc: &D) -> Result<ProjectRead, NotReadable> {
    let root = entries(doc, &ROOT, &["tasks"]);
    let mut read = read_root(&root)?;
    match doc.get(ROOT, "tasks") {
        Ok(None) => return Err(NotReadable::Missing { kind: "project", field: "tasks" }),
        Ok(Some((automerge::Value::Object(ObjType::Map), tasks))) => {
            for item in doc.map_range(&tasks, ..) {
                match item.value {
                    ValueRef::Object(ObjType::Map) => read.add(read_task_at(doc, &item.key, &item.id())),
                    _ => read.add(Err(ReadProblem {
                        field: format!("tasks/{}", item.key),
                        reason: "expected a map: the task is skipped".into(),
                    })),
                }
            }
        }
        _ => read.problems.push(ReadProblem { field: "tasks".into(), reason: "expected a map".into() }),
    }
    Ok(read)
}

/// Reads a project from its hydrated root.
pub fn read_project_value(root: &Value) -> Result<ProjectRead, NotReadable> {
    let Value::Map(map) = root else { return Err(NotReadable::Missing { kind: "project", field: "meta" }) };
    let mut read = read_root(map)?;
    match map.get("tasks") {
        Some(Value::Map(tasks)) => {
            for (key, entry) in tasks.iter() {
                read.add(read_task(key, &entry.value));
            }
        }
        Some(other) => read
            .problems
            .push(ReadProblem { field: "tasks".into(), reason: Wrong::expected("a map", other).0 }),
        None => return Err(NotReadable::Missing { kind: "project", field: "tasks" }),
    }
    Ok(read)
}

/// Everything but the tasks.
fn read_root(map: &dyn Entries) -> Result<ProjectRead, NotReadable> {
    let meta = map.entry("meta").ok_or(NotReadable::Missing { kind: "project", field: "meta" })?;
    let mut root_fields = Fields::new(map, "");
    let schema = root_fields.get_or("schema", || SCHEMA_VERSION);
    let mut problems = root_fields.problems;
    let (meta, meta_problems) = read_meta(meta);
    problems.extend(meta_problems);
    let (phases, phase_problems) = read_list(map.entry("phases"), "phases");
    problems.extend(phase_problems);
    let (milestones, milestone_problems) = read_list(map.entry("milestones"), "milestones");
    problems.extend(milestone_problems);
    Ok(ProjectRead {
        project: Project { schema, meta, phases, milestones, tasks: BTreeMap::new() },
        problems,
        task_problems: BTreeMap::new(),
        task_conflicts: BTreeMap::new(),
    })
}

impl ProjectRead {
    fn add(&mut self, task: Result<TaskRead, ReadProblem>) {
        match task {
            Ok(task) => {
                let id = task.task.id;
                if !task.problems.is_empty() {
                    self.problems.extend(task.problems.iter().cloned());
                    self.task_problems.insert(id, task.problems);
                }
                if !task.conflicts.is_empty() {
                    self.task_conflicts.insert(id, task.conflicts);
                }
                self.project.tasks.insert(id, task.task);
            }
            Err(problem) => self.problems.push(problem),
        }
    }
}

/// The project's meta; fields that cannot be read take defaults and are reported.
pub fn read_meta(value: &Value) -> (ProjectMeta, Vec<ReadProblem>) {
    let Value::Map(map) = value else {
        let problem = ReadProblem { field: "meta".into(), reason: Wrong::expected("a map", value).0 };
        let meta = Project::new("", ProjectKind::Launch, 0).meta;
        return (meta, vec![problem]);
    };
    let mut f = Fields::new(map, "meta");
    let meta = ProjectMeta {
        name: f.need("name", String::new),
        kind: f.need("kind", || ProjectKind::Launch),
        created_at: f.need("created_at", || 0),
        start: f.get("start"),
        launch: f.get("launch"),
        skus: f.get("skus"),
        shift_dependents: f.get("shift_dependents"),
        template: f.get("template"),
        every_day: f.get("every_day"),
        workflow: f.get("workflow"),
        wip_limits: f.get("wip_limits"),
    };
    (meta, f.problems)
}

/// A list whose unreadable items are skipped and reported (phases, milestones).
pub fn read_list<T: FromValue>(value: Option<&Value>, path: &str) -> (Vec<T>, Vec<ReadProblem>) {
    let mut problems = Vec::new();
    let items = match value {
        None => Vec::new(),
        Some(Value::List(list)) => list
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match T::from_value(&item.value) {
                Ok(v) => Some(v),
                Err(Wrong(reason)) => {
                    problems.push(ReadProblem { field: format!("{path}/{i}"), reason });
                    None
                }
            })
            .collect(),
        Some(other) => {
            problems.push(ReadProblem { field: path.into(), reason: Wrong::expected("a list", other).0 });
            Vec::new()
        }
    };
    (items, problems)
}

unit_enum!(ProjectKind, "a kind of project", [Launch, Campaign, Seasonal, Listing]);

impl FromValue for Sku {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Sku { code: m.need("code")?, name: m.get("name")? })
    }
}

impl FromValue for WorkflowStep {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(WorkflowStep { status: m.need("status")?, name: m.need("name")? })
    }
}

impl FromValue for Phase {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Phase { id: m.need("id")?, name: m.need("name")? })
    }
}

impl FromValue for Milestone {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Milestone {
            id: m.need("id")?,
            name: m.need("name")?,
            after: m.get("after")?,
            date: m.get("date")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ObjType, ScalarValue};

    use super::*;
    use crate::domain::templates;

    #[test]
    fn a_template_plan_reads_back_exactly() {
        let launch = "2027-03-01".parse().expect("date");
        let template = templates::find("new-product-launch").expect("template");
        let project = template.instantiate(launch, true, "read-test", 1);
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        crate::domain::commands::create_project(&mut tx, &project).expect("create");
        tx.commit();
        let read = read_project(&doc).expect("a project");
        assert_eq!(read.problems, Vec::new());
        assert_eq!(read.project, project);
    }

    /// A plan written the way the JavaScript automerge library writes one: every number a
    /// signed int or a float, the title a text object, and fields it never heard of.
    #[test]
    fn a_plan_written_with_the_javascript_librarys_conventions_opens() {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(ROOT, "schema", ScalarValue::Int(1)).expect("put");
        let meta = tx.put_object(ROOT, "meta", ObjType::Map).expect("meta");
        tx.put(&meta, "name", "双十一大促备战").expect("put");
        tx.put(&meta, "kind", "Campaign").expect("put");
        tx.put(&meta, "created_at", ScalarValue::F64(1_762_000_000_000.0)).expect("put");
        tx.put(&meta, "launch", "2026-11-11").expect("put");
        tx.put(&meta, "color", "red").expect("a field we do not know");
        tx.put_object(ROOT, "phases", ObjType::List).expect("phases");
        let tasks = tx.put_object(ROOT, "tasks", ObjType::Map).expect("tasks");
        let good = TaskId::random();
        let task = tx.put_object(&tasks, good.to_string(), ObjType::Map).expect("task");
        tx.put(&task, "id", good.to_string()).expect("put");
        let title = tx.put_object(&task, "title", ObjType::Text).expect("title");
        tx.splice_text(&title, 0, 0, "主图拍摄").expect("text");
        tx.put(&task, "status", "in_progress").expect("put");
        tx.put(&task, "created_at", ScalarValue::Int(1_762_000_000_001)).expect("put");
        tx.put(&task, "duration_days", ScalarValue::Int(3)).expect("put");
        tx.put(&task, "estimate_hours", ScalarValue::Int(16)).expect("put");
        let bad = TaskId::random();
        let task = tx.put_object(&tasks, bad.to_string(), ObjType::Map).expect("task");
        tx.put(&task, "title", "详情页").expect("put");
        tx.put(&task, "created_at", ScalarValue::Int(2)).expect("put");
        tx.put(&task, "duration_days", ScalarValue::Int(-4)).expect("a count below zero");
        tx.commit();

        let read = read_project(&doc).expect("the plan opens");
        assert_eq!(read.project.meta.name, "双十一大促备战");
        assert_eq!(read.project.meta.kind, ProjectKind::Campaign);
        let first = &read.project.tasks[&good];
        assert_eq!(first.title, "主图拍摄");
        assert_eq!((first.duration_days, first.estimate_hours), (Some(3), Some(16.0)));
        assert!(!read.task_problems.contains_key(&good));
        assert_eq!(read.project.tasks[&bad].title, "详情页", "the task with a bad field still shows");
        let problems = &read.task_problems[&bad];
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, format!("tasks/{bad}/duration_days"));
    }

    #[test]
    fn a_document_that_is_not_a_project_says_what_it_lacks() {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put_object(ROOT, "meta", ObjType::Map).expect("meta");
        tx.commit();
        assert_eq!(read_project(&doc), Err(NotReadable::Missing { kind: "project", field: "tasks" }));
    }
}
