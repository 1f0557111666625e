//! Every change people make to a plan, as a function over an Automerge transaction. Each
//! touches only the fields it changes, so that concurrent edits to different fields merge
//! without conflict and edits to the same field stay visible as conflicts.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value};

use super::{Project, ProjectMeta, Status, Task};
use crate::TaskId;

/// Why a command could not be applied. Nothing is written when a command fails.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("a title cannot be empty")]
    EmptyTitle,
    #[error("a project name cannot be empty")]
    EmptyName,
    #[error("this document is not a project (it has no `{0}`)")]
    NotAProject(&'static str),
    #[error("there is no task {0} in this project")]
    NoSuchTask(TaskId),
    #[error("could not write the change: {0}")]
    Reconcile(Box<autosurgeon::ReconcileError>),
    #[error("could not write the change: {0}")]
    Automerge(Box<automerge::AutomergeError>),
}

impl From<autosurgeon::ReconcileError> for CommandError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        CommandError::Reconcile(Box::new(e))
    }
}

impl From<automerge::AutomergeError> for CommandError {
    fn from(e: automerge::AutomergeError) -> Self {
        CommandError::Automerge(Box::new(e))
    }
}

/// Longest title or name we accept, in characters.
pub const MAX_TITLE_CHARS: usize = 500;

fn clean_title(title: &str, empty: CommandError) -> Result<String, CommandError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(empty);
    }
    Ok(title.chars().take(MAX_TITLE_CHARS).collect())
}

/// Writes a whole new project into an empty document.
pub fn create_project(tx: &mut Transaction<'_>, project: &Project) -> Result<(), CommandError> {
    clean_title(&project.meta.name, CommandError::EmptyName)?;
    autosurgeon::reconcile(tx, project)?;
    Ok(())
}

pub fn rename_project(tx: &mut Transaction<'_>, name: &str) -> Result<(), CommandError> {
    let name = clean_title(name, CommandError::EmptyName)?;
    let meta = child_map(tx, &ROOT, "meta")?;
    tx.put(&meta, "name", name)?;
    Ok(())
}

pub fn add_task(tx: &mut Transaction<'_>, task: &Task) -> Result<(), CommandError> {
    let mut task = task.clone();
    task.title = clean_title(&task.title, CommandError::EmptyTitle)?;
    let tasks = child_map(tx, &ROOT, "tasks")?;
    autosurgeon::reconcile_prop(tx, tasks, task.id.to_string().as_str(), &task)?;
    Ok(())
}

pub fn rename_task(tx: &mut Transaction<'_>, id: TaskId, title: &str) -> Result<(), CommandError> {
    let title = clean_title(title, CommandError::EmptyTitle)?;
    let task = task_obj(tx, id)?;
    tx.put(&task, "title", title)?;
    Ok(())
}

pub fn set_status(tx: &mut Transaction<'_>, id: TaskId, status: &Status) -> Result<(), CommandError> {
    let task = task_obj(tx, id)?;
    tx.put(&task, "status", status.key())?;
    Ok(())
}

pub fn delete_task(tx: &mut Transaction<'_>, id: TaskId) -> Result<(), CommandError> {
    let tasks = child_map(tx, &ROOT, "tasks")?;
    if tx.get(&tasks, id.to_string())?.is_none() {
        return Err(CommandError::NoSuchTask(id));
    }
    tx.delete(&tasks, id.to_string())?;
    Ok(())
}

/// The project as it stands in `doc`, or why it cannot be read.
pub fn read_project<D: autosurgeon::ReadDoc>(doc: &D) -> Result<Project, autosurgeon::HydrateError> {
    autosurgeon::hydrate(doc)
}

/// Just the project's meta (name, kind), without reading its tasks.
pub fn read_meta<D: autosurgeon::ReadDoc>(doc: &D) -> Result<ProjectMeta, autosurgeon::HydrateError> {
    autosurgeon::hydrate_prop(doc, &ROOT, "meta")
}

fn task_obj(tx: &Transaction<'_>, id: TaskId) -> Result<ObjId, CommandError> {
    let tasks = child_map(tx, &ROOT, "tasks")?;
    match tx.get(&tasks, id.to_string())? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(CommandError::NoSuchTask(id)),
    }
}

fn child_map(tx: &Transaction<'_>, parent: &ObjId, key: &'static str) -> Result<ObjId, CommandError> {
    match tx.get(parent, key)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(CommandError::NotAProject(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProjectKind;
    use automerge::Automerge;

    fn project_doc() -> Automerge {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        create_project(&mut tx, &Project::new("新品首发：春季口红系列", ProjectKind::Launch, 1))
            .expect("create");
        tx.commit();
        doc
    }

    fn apply(
        doc: &mut Automerge,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>,
    ) -> Result<(), CommandError> {
        let mut tx = doc.transaction();
        match f(&mut tx) {
            Ok(()) => {
                tx.commit();
                Ok(())
            }
            Err(e) => {
                tx.rollback();
                Err(e)
            }
        }
    }

    #[test]
    fn tasks_are_added_renamed_completed_and_deleted() {
        let mut doc = project_doc();
        let task = Task::new("  首页banner设计  ", None, 10);
        apply(&mut doc, |tx| add_task(tx, &task)).expect("add");
        apply(&mut doc, |tx| rename_task(tx, task.id, "首页banner设计（定稿）")).expect("rename");
        apply(&mut doc, |tx| set_status(tx, task.id, &Status::Done)).expect("complete");
        let project = read_project(&doc).expect("hydrate");
        let stored = &project.tasks[&task.id];
        assert_eq!(stored.title, "首页banner设计（定稿）");
        assert!(stored.status.is_done());
        apply(&mut doc, |tx| delete_task(tx, task.id)).expect("delete");
        assert!(read_project(&doc).expect("hydrate").tasks.is_empty());
    }

    #[test]
    fn bad_input_is_refused_and_writes_nothing() {
        let mut doc = project_doc();
        let heads = doc.get_heads();
        assert!(matches!(
            apply(&mut doc, |tx| add_task(tx, &Task::new("   ", None, 1))),
            Err(CommandError::EmptyTitle)
        ));
        let ghost = TaskId::random();
        assert!(
            matches!(apply(&mut doc, |tx| rename_task(tx, ghost, "x")), Err(CommandError::NoSuchTask(id)) if id == ghost)
        );
        assert!(matches!(apply(&mut doc, |tx| rename_project(tx, "")), Err(CommandError::EmptyName)));
        assert_eq!(doc.get_heads(), heads);
        let mut empty = Automerge::new();
        assert!(matches!(
            apply(&mut empty, |tx| add_task(tx, &Task::new("a", None, 1))),
            Err(CommandError::NotAProject("tasks"))
        ));
    }

    #[test]
    fn concurrent_edits_to_different_tasks_both_survive_a_merge() {
        let mut a = project_doc();
        let first = Task::new("优惠券配置", None, 1);
        let second = Task::new("客服培训", None, 2);
        apply(&mut a, |tx| add_task(tx, &first)).expect("add");
        apply(&mut a, |tx| add_task(tx, &second)).expect("add");
        let mut b = a.fork();
        apply(&mut a, |tx| rename_task(tx, first.id, "优惠券规则确认")).expect("rename a");
        apply(&mut b, |tx| set_status(tx, second.id, &Status::InProgress)).expect("status b");
        a.merge(&mut b).expect("merge");
        let project = read_project(&a).expect("hydrate");
        assert_eq!(project.tasks[&first.id].title, "优惠券规则确认");
        assert_eq!(project.tasks[&second.id].status, Status::InProgress);
    }
}
