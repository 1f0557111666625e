//! Concurrent edits to one field: Automerge keeps every value; we show them so that a person
//! picks one. Picking is an ordinary edit, which supersedes all of them.

use automerge::{ObjType, ROOT, ReadDoc, Value};

use crate::TaskId;

/// A field of a task that holds more than one value after a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConflict {
    pub task: TaskId,
    /// `title` or `status`.
    pub field: &'static str,
    /// Every value, the one Automerge shows first.
    pub values: Vec<String>,
}

/// The fields people edit by hand and so can edit concurrently.
const FIELDS: [&str; 2] = ["title", "status"];

/// Every conflicting field of every task in the project document.
pub fn task_conflicts<D: ReadDoc>(doc: &D) -> Vec<FieldConflict> {
    let Ok(Some((Value::Object(ObjType::Map), tasks))) = doc.get(&ROOT, "tasks") else { return Vec::new() };
    let mut conflicts = Vec::new();
    for key in doc.keys(&tasks) {
        let (Ok(task), Ok(Some((Value::Object(ObjType::Map), obj)))) =
            (key.parse::<TaskId>(), doc.get(&tasks, &key))
        else {
            continue;
        };
        for field in FIELDS {
            let Ok(all) = doc.get_all(&obj, field) else { continue };
            if all.len() > 1 {
                let values = all.iter().filter_map(|(v, _)| v.as_str().map(str::to_owned)).collect();
                conflicts.push(FieldConflict { task, field, values });
            }
        }
    }
    conflicts
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;

    use super::*;
    use crate::domain::{Project, ProjectKind, Status, Task, commands};

    fn apply(doc: &mut Automerge, f: impl FnOnce(&mut automerge::transaction::Transaction<'_>)) {
        let mut tx = doc.transaction();
        f(&mut tx);
        tx.commit();
    }

    #[test]
    fn concurrent_renames_conflict_until_someone_picks_one() {
        let mut a = Automerge::new();
        let task = Task::new("页面优化", None, 1);
        apply(&mut a, |tx| {
            commands::create_project(tx, &Project::new("618", ProjectKind::Campaign, 1)).expect("create");
            commands::add_task(tx, &task).expect("add");
        });
        let mut b = a.fork();
        apply(&mut a, |tx| commands::rename_task(tx, task.id, "首页优化").expect("rename"));
        apply(&mut b, |tx| commands::rename_task(tx, task.id, "详情页优化").expect("rename"));
        apply(&mut b, |tx| commands::set_status(tx, task.id, &Status::Review, 1).expect("status"));
        a.merge(&mut b).expect("merge");

        let conflicts = task_conflicts(&a);
        assert_eq!(conflicts.len(), 1, "only the title conflicts: {conflicts:?}");
        let mut values = conflicts[0].values.clone();
        values.sort();
        let mut expected = vec!["首页优化".to_owned(), "详情页优化".to_owned()];
        expected.sort();
        assert_eq!(values, expected);
        assert_eq!(conflicts[0].field, "title");

        apply(&mut a, |tx| commands::rename_task(tx, task.id, "详情页优化").expect("resolve"));
        assert!(task_conflicts(&a).is_empty());
        b.merge(&mut a).expect("merge back");
        assert!(task_conflicts(&b).is_empty());
    }
}
