//! Undo of one's own edits, and only of those.
//!
//! An [`Undo`] is read from the patches of a local change: every place the change wrote to,
//! with the value it held before. Undoing writes those values back in a new change, so a
//! teammate's edits to other fields (even of the same task) stay, and the undo itself syncs
//! like any other edit. The undo's own patches give its redo.
//!
//! Places are paths of map keys from the root. A change inside a list or text (phases,
//! dependencies, a description) restores that whole list or text: list positions move under
//! concurrent edits, the list's identity does not.

use automerge::hydrate::Value;
use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ChangeHash, ObjId, ObjType, Patch, PatchAction, Prop, ROOT, ReadDoc};

/// What it takes to put back what one local change changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    restores: Vec<Restore>,
}

#[derive(Debug, Clone, PartialEq)]
struct Restore {
    /// Map keys from the root to the place.
    path: Vec<String>,
    /// What the place held before the change; `None` if it did not exist.
    before: Option<Value>,
}

impl Undo {
    /// The undo of a change that took `doc` from `before` to its current heads, given the
    /// change's patches.
    pub fn of(doc: &Automerge, before: &[ChangeHash], patches: &[Patch]) -> Self {
        // A place inside another place is restored with it.
        let outermost = outermost(patches.iter().filter_map(place));
        // Places share parents (a task's two dates, every task's map): each is found once.
        let mut parents = std::collections::HashMap::new();
        let restores = outermost
            .into_iter()
            .map(|path| Restore { before: value_at(doc, &path, before, &mut parents), path })
            .collect();
        Self { restores }
    }

    /// Whether there is nothing to undo.
    pub fn is_empty(&self) -> bool {
        self.restores.is_empty()
    }

    /// Writes the earlier values back. A place whose parent no longer exists (a teammate
    /// deleted the task) is left alone.
    pub fn apply(&self, tx: &mut Transaction<'_>) -> Result<(), automerge::AutomergeError> {
        for restore in &self.restores {
            let Some((key, parents)) = restore.path.split_last() else { continue };
            let Some(parent) = object_at(&*tx, parents) else { continue };
            let current = tx.get(&parent, key.as_str())?;
            match (&restore.before, current) {
                (None, Some(_)) => tx.delete(&parent, key.as_str())?,
                (None, None) => {}
                (Some(Value::Scalar(old)), current) => {
                    let same =
                        matches!(&current, Some((automerge::Value::Scalar(now), _)) if now.as_ref() == old);
                    if !same {
                        tx.put(&parent, key.as_str(), old.clone())?;
                    }
                }
                (Some(Value::Text(old)), Some((automerge::Value::Object(ObjType::Text), text))) => {
                    tx.update_text(&text, old.to_string())?;
                }
                (Some(old), _) => put_value(tx, &parent, Prop::Map(key.clone()), old)?,
            }
        }
        Ok(())
    }
}

/// `places` without those inside another of them, sorted, each once.
pub(crate) fn outermost(places: impl IntoIterator<Item = Vec<String>>) -> Vec<Vec<String>> {
    let mut places: Vec<Vec<String>> = places.into_iter().collect();
    places.sort();
    places.dedup();
    let mut outermost: Vec<Vec<String>> = Vec::new();
    for place in places {
        if !outermost.iter().any(|outer| place.starts_with(outer)) {
            outermost.push(place);
        }
    }
    outermost
}

/// The place a patch wrote to, as map keys from the root; a write inside a list or text is a
/// write to that list or text.
pub(crate) fn place(patch: &Patch) -> Option<Vec<String>> {
    let mut props: Vec<&Prop> = patch.path.iter().map(|(_, prop)| prop).collect();
    let own_key = match &patch.action {
        PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => Some(Prop::Map(key.clone())),
        PatchAction::Increment { prop, .. } | PatchAction::Conflict { prop } => Some(prop.clone()),
        _ => None,
    };
    if let Some(key) = &own_key {
        props.push(key);
    }
    let mut path = Vec::new();
    for prop in props {
        match prop {
            Prop::Map(key) => path.push(key.clone()),
            Prop::Seq(_) => break,
        }
    }
    // The root itself is never a place (its keys are).
    (!path.is_empty()).then_some(path)
}

/// The value at `path` as of `heads`, walked in full.
/// The value at `path` at `heads`; `parents` keeps the objects found on the way (at those
/// heads), by their paths.
fn value_at(
    doc: &Automerge,
    path: &[String],
    heads: &[ChangeHash],
    parents: &mut std::collections::HashMap<Vec<String>, Option<ObjId>>,
) -> Option<Value> {
    let (last, parent) = path.split_last()?;
    let obj = object_at_heads(doc, parent, heads, parents)?;
    match doc.get_at(&obj, last.as_str(), heads).ok()?? {
        (automerge::Value::Scalar(s), _) => Some(Value::Scalar(s.into_owned())),
        (automerge::Value::Object(_), child) => ReadDoc::hydrate(doc, &child, Some(heads)).ok(),
    }
}

/// The object at `path` at `heads`, if there was one, remembered in `found`.
fn object_at_heads(
    doc: &Automerge,
    path: &[String],
    heads: &[ChangeHash],
    found: &mut std::collections::HashMap<Vec<String>, Option<ObjId>>,
) -> Option<ObjId> {
    let Some((last, parent)) = path.split_last() else { return Some(ROOT) };
    if let Some(obj) = found.get(path) {
        return obj.clone();
    }
    let obj = object_at_heads(doc, parent, heads, found).and_then(|parent| {
        match doc.get_at(&parent, last.as_str(), heads).ok()?? {
            (automerge::Value::Object(_), child) => Some(child),
            _ => None,
        }
    });
    found.insert(path.to_vec(), obj.clone());
    obj
}

/// The map object at `path` now, if it is still there.
fn object_at<D: ReadDoc>(doc: &D, path: &[String]) -> Option<ObjId> {
    let mut obj = ROOT;
    for key in path {
        match doc.get(&obj, key.as_str()).ok()?? {
            (automerge::Value::Object(ObjType::Map), child) => obj = child,
            _ => return None,
        }
    }
    Some(obj)
}

/// Writes `value` at `prop` of `parent`, objects as new objects.
fn put_value(
    tx: &mut Transaction<'_>,
    parent: &ObjId,
    prop: Prop,
    value: &Value,
) -> Result<(), automerge::AutomergeError> {
    let insert = |tx: &mut Transaction<'_>, kind: ObjType| match &prop {
        Prop::Map(key) => tx.put_object(parent, key.as_str(), kind),
        Prop::Seq(index) => tx.insert_object(parent, *index, kind),
    };
    match value {
        Value::Scalar(scalar) => match &prop {
            Prop::Map(key) => tx.put(parent, key.as_str(), scalar.clone()),
            Prop::Seq(index) => tx.insert(parent, *index, scalar.clone()),
        },
        Value::Text(text) => {
            let obj = insert(tx, ObjType::Text)?;
            tx.splice_text(&obj, 0, 0, &text.to_string())
        }
        Value::Map(map) => {
            let obj = insert(tx, ObjType::Map)?;
            for (key, entry) in map.iter() {
                put_value(tx, &obj, Prop::Map(key.clone()), &entry.value)?;
            }
            Ok(())
        }
        Value::List(list) => {
            let obj = insert(tx, ObjType::List)?;
            for (index, item) in list.iter().enumerate() {
                put_value(tx, &obj, Prop::Seq(index), &item.value)?;
            }
            Ok(())
        }
    }
}

/// Applies `undo` as a new change to `doc` and returns the undo of that (the redo).
pub fn undo_change(doc: &mut Automerge, undo: &Undo) -> Result<Undo, automerge::AutomergeError> {
    let before = doc.get_heads();
    let mut tx = doc.transaction_log_patches(automerge::PatchLog::active())?;
    undo.apply(&mut tx)?;
    let (_, mut log) = tx.commit();
    let patches = doc.make_patches(&mut log);
    Ok(Undo::of(doc, &before, &patches))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::commands::{self, read_project};
    use crate::domain::{Dependency, Project, ProjectKind, Status, Task};

    fn project_doc() -> Automerge {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        commands::create_project(&mut tx, &Project::new("618", ProjectKind::Campaign, 1)).expect("create");
        tx.commit();
        doc
    }

    /// Applies `edit` as a local change and returns its undo.
    fn edit(
        doc: &mut Automerge,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<(), commands::CommandError>,
    ) -> Undo {
        let before = doc.get_heads();
        let mut tx = doc.transaction_log_patches(automerge::PatchLog::active()).expect("log");
        edit(&mut tx).expect("edit");
        let (_, mut log) = tx.commit();
        let patches = doc.make_patches(&mut log);
        Undo::of(doc, &before, &patches)
    }

    #[test]
    fn undo_puts_back_what_the_edit_changed_and_redo_puts_it_again() {
        let mut doc = project_doc();
        let task = Task::new("主图拍摄", None, 1);
        let add = edit(&mut doc, |tx| commands::add_task(tx, &task));
        let rename = edit(&mut doc, |tx| commands::rename_task(tx, task.id, "主图拍摄（定稿）"));
        let done = edit(&mut doc, |tx| commands::set_status(tx, task.id, &Status::Done, 9));

        let redo_done = undo_change(&mut doc, &done).expect("undo");
        let stored = read_project(&doc).expect("project").tasks[&task.id].clone();
        assert_eq!((stored.status, stored.completed_at, stored.started_at), (Status::Todo, None, None));
        let redo_rename = undo_change(&mut doc, &rename).expect("undo");
        assert_eq!(read_project(&doc).expect("project").tasks[&task.id].title, "主图拍摄");
        let redo_add = undo_change(&mut doc, &add).expect("undo");
        assert!(read_project(&doc).expect("project").tasks.is_empty());

        undo_change(&mut doc, &redo_add).expect("redo");
        undo_change(&mut doc, &redo_rename).expect("redo");
        undo_change(&mut doc, &redo_done).expect("redo");
        let stored = read_project(&doc).expect("project").tasks[&task.id].clone();
        assert_eq!(stored.title, "主图拍摄（定稿）");
        assert_eq!((stored.status, stored.completed_at), (Status::Done, Some(9)));
    }

    #[test]
    fn undoing_a_move_of_many_tasks_puts_back_each_ones_own_dates() {
        let day = |s: &str| -> crate::domain::Date { s.parse().expect("date") };
        let mut doc = project_doc();
        let mut tasks: Vec<Task> = (0..4).map(|n| Task::new(format!("任务 {n}"), None, n)).collect();
        // Two with dates of their own, two without.
        (tasks[0].start, tasks[0].due) = (Some(day("2026-10-01")), Some(day("2026-10-02")));
        (tasks[2].start, tasks[2].due) = (Some(day("2026-10-05")), Some(day("2026-10-09")));
        for task in &tasks {
            edit(&mut doc, |tx| commands::add_task(tx, task));
        }
        let before = read_project(&doc).expect("project");
        let moved = edit(&mut doc, |tx| {
            for (n, task) in tasks.iter().enumerate() {
                let start = day("2026-11-02").add_days(n as i32);
                commands::set_dates(tx, task.id, Some(start), Some(start.add_days(3)))?;
            }
            Ok(())
        });
        assert_ne!(read_project(&doc).expect("project"), before);
        undo_change(&mut doc, &moved).expect("undo");
        assert_eq!(read_project(&doc).expect("project").tasks, before.tasks);
    }

    #[test]
    fn undoing_a_saved_or_cleared_baseline_puts_the_one_before_back() {
        let day = |s: &str| -> crate::domain::Date { s.parse().expect("date") };
        let mut doc = project_doc();
        let task = Task::new("主图拍摄", None, 1);
        edit(&mut doc, |tx| commands::add_task(tx, &task));
        let baseline = |doc: &Automerge| read_project(doc).expect("project").tasks[&task.id].baseline;
        let first = [(task.id, day("2027-06-01"), day("2027-06-03"))];
        let save = edit(&mut doc, |tx| commands::set_baseline(tx, &first));
        let saved = baseline(&doc);
        assert!(saved.is_some());
        let redo = undo_change(&mut doc, &save).expect("undo");
        assert_eq!(baseline(&doc), None, "undo takes the baseline off");
        undo_change(&mut doc, &redo).expect("redo");
        assert_eq!(baseline(&doc), saved);

        let resave = edit(&mut doc, |tx| {
            commands::set_baseline(tx, &[(task.id, day("2027-06-08"), day("2027-06-09"))])
        });
        undo_change(&mut doc, &resave).expect("undo");
        assert_eq!(baseline(&doc), saved, "undo puts the earlier baseline back");
        let clear = edit(&mut doc, commands::clear_baseline);
        assert_eq!(baseline(&doc), None);
        undo_change(&mut doc, &clear).expect("undo");
        assert_eq!(baseline(&doc), saved, "undoing a clear brings the baseline back");
    }

    #[test]
    fn undo_leaves_a_teammates_edit_to_the_same_task_alone() {
        let mut mine = project_doc();
        let task = Task::new("优惠券配置", None, 1);
        edit(&mut mine, |tx| commands::add_task(tx, &task));
        let mut theirs = mine.fork();
        let rename = edit(&mut mine, |tx| commands::rename_task(tx, task.id, "优惠券规则"));
        edit(&mut theirs, |tx| commands::set_status(tx, task.id, &Status::InProgress, 5));
        mine.merge(&mut theirs).expect("merge");
        undo_change(&mut mine, &rename).expect("undo");
        let stored = read_project(&mine).expect("project").tasks[&task.id].clone();
        assert_eq!(stored.title, "优惠券配置", "my rename is undone");
        assert_eq!(stored.status, Status::InProgress, "their status change stays");
    }

    #[test]
    fn undoing_a_delete_brings_the_whole_task_back() {
        let mut doc = project_doc();
        let other = Task::new("客服培训", None, 1);
        let mut task = Task::new("仓储调拨", None, 2);
        task.description = autosurgeon::Text::with_value("从华东仓调往华南仓");
        task.depends_on = vec![Dependency::after(other.id)];
        edit(&mut doc, |tx| commands::add_task(tx, &other));
        edit(&mut doc, |tx| commands::add_task(tx, &task));
        let before = read_project(&doc).expect("project");
        let delete = edit(&mut doc, |tx| commands::delete_task(tx, task.id));
        assert!(!read_project(&doc).expect("project").tasks.contains_key(&task.id));
        undo_change(&mut doc, &delete).expect("undo");
        assert_eq!(read_project(&doc).expect("project"), before);
    }

    #[test]
    fn undo_of_an_edit_to_a_task_a_teammate_deleted_does_nothing() {
        let mut mine = project_doc();
        let task = Task::new("直播预热", None, 1);
        edit(&mut mine, |tx| commands::add_task(tx, &task));
        let mut theirs = mine.fork();
        let rename = edit(&mut mine, |tx| commands::rename_task(tx, task.id, "直播预热（第二版）"));
        edit(&mut theirs, |tx| commands::delete_task(tx, task.id));
        mine.merge(&mut theirs).expect("merge");
        let heads = mine.get_heads();
        let redo = undo_change(&mut mine, &rename).expect("undo");
        assert!(redo.is_empty());
        assert_eq!(mine.get_heads(), heads, "nothing written");
        assert!(read_project(&mine).expect("project").tasks.is_empty(), "the task stays deleted");
    }
}
