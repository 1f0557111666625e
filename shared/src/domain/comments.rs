//! The comments on a plan's tasks, kept in the plan's comments document
//! ([`crate::Companion::Comments`]) apart from the plan, so that members who may not edit the
//! plan (viewers, where the workspace lets them) may still comment.
//!
//! `ROOT { <comment id>: { task, id, author, at, body, mentions } }`: every comment at the
//! root under its own random id. Nothing is ever made before a comment goes in, so comments
//! written at once by several people, even the first ones of a new document, all stay; and
//! a comment moved from the plan twice (two browsers moving the same old comments) is one.
//!
//! Plans written before this kept comments in each task (`tasks/<id>/comments`); readers show
//! both ([`merged`]) until someone who may edit the plan moves them ([`put_all`], then
//! [`clear_plan_comments`]).

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjType, ROOT, ReadDoc};

use super::commands::{CommandError, new_comment};
use super::read::{FromValue, walk};
use super::{Comment, Member, Project};
use crate::{ItemId, MemberId, TaskId};

/// Each task's comments, oldest first.
pub type Comments = BTreeMap<TaskId, Vec<Comment>>;

/// The acting member comments on task `task`; `@name` of any of `members` is a mention.
pub fn post(
    tx: &mut Transaction<'_>,
    task: TaskId,
    author: MemberId,
    body: &str,
    members: &[Member],
    now: i64,
) -> Result<ItemId, CommandError> {
    let comment = new_comment(author, body, members, now)?;
    put(tx, task, &comment)?;
    Ok(comment.id)
}

/// Writes `comment` on `task` under its id (again, if it is there already).
fn put(tx: &mut Transaction<'_>, task: TaskId, comment: &Comment) -> Result<(), CommandError> {
    let key = comment.id.to_string();
    autosurgeon::reconcile_prop(&mut *tx, ROOT, key.as_str(), comment)?;
    let obj = match tx.get(ROOT, key.as_str()) {
        Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => obj,
        _ => return Err(CommandError::Unreadable(format!("comment {key}"))),
    };
    tx.put(&obj, "task", task.to_string()).map_err(|e| CommandError::Unreadable(e.to_string()))?;
    Ok(())
}

/// Every readable comment of the comments document `doc`, per task, oldest first. A comment
/// that cannot be read is left out; the others stay.
pub fn read_comments(doc: &impl ReadDoc) -> Comments {
    let mut out = Comments::new();
    let automerge::hydrate::Value::Map(root) = walk(doc, &ROOT, ObjType::Map) else { return out };
    for (_, entry) in root.iter() {
        let automerge::hydrate::Value::Map(fields) = &entry.value else { continue };
        let task = fields.get("task").and_then(|t| String::from_value(t).ok()).and_then(|t| t.parse().ok());
        if let (Some(task), Ok(comment)) = (task, Comment::from_value(&entry.value)) {
            out.entry(task).or_default().push(comment);
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|c| (c.at, c.id));
    }
    out
}

/// A task's comments, those still kept in the plan (`legacy`) and those in the comments
/// document together, each once, oldest first.
pub fn merged(legacy: &[Comment], kept: &[Comment]) -> Vec<Comment> {
    let mut all = kept.to_vec();
    all.extend(legacy.iter().filter(|c| !kept.iter().any(|k| k.id == c.id)).cloned());
    all.sort_by_key(|c| (c.at, c.id));
    all
}

/// Puts the comments document's comments into `plan`'s tasks, beside any still kept there.
pub fn merge_into(plan: &mut Project, comments: &Comments) {
    for (id, kept) in comments {
        if let Some(task) = plan.tasks.get_mut(id) {
            task.comments = merged(&task.comments, kept);
        }
    }
}

/// Copies comments still kept in a plan's tasks into its comments document. Once that is
/// stored, [`clear_plan_comments`] takes them out of the plan. Returns how many it copied.
pub fn put_all<'a>(
    tx: &mut Transaction<'_>,
    comments: impl IntoIterator<Item = (TaskId, &'a Comment)>,
) -> Result<usize, CommandError> {
    let mut moved = 0;
    for (task, comment) in comments {
        put(tx, task, comment)?;
        moved += 1;
    }
    Ok(moved)
}

/// Takes the comments out of the plan's `tasks`, after [`put_all`] copied them.
pub fn clear_plan_comments(
    tx: &mut Transaction<'_>,
    tasks: impl IntoIterator<Item = TaskId>,
) -> Result<(), CommandError> {
    for task in tasks {
        super::commands::update_task(tx, task, |t| {
            t.comments.clear();
            Ok(())
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;

    use super::*;
    use crate::domain::{ProjectKind, Task, commands};

    fn transact<T>(
        doc: &mut Automerge,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T, CommandError>,
    ) -> T {
        let mut tx = doc.transaction();
        let out = f(&mut tx).expect("change");
        tx.commit();
        out
    }

    #[test]
    fn first_comments_from_two_people_at_once_all_stay_and_read_in_order() {
        let task = TaskId::random();
        let members = vec![Member::new("小王", vec![crate::domain::Role::Viewer])];
        // Two browsers start the document at once: neither has seen the other's first comment.
        let mut a = Automerge::new();
        let mut b = a.fork();
        transact(&mut a, |tx| post(tx, task, members[0].id, "先看一下 @小王", &members, 10));
        transact(&mut a, |tx| post(tx, task, members[0].id, "A 说", &members, 30));
        transact(&mut b, |tx| post(tx, task, members[0].id, "B 说", &members, 20));
        a.merge(&mut b).expect("merge");
        let read = read_comments(&a);
        let bodies: Vec<&str> = read[&task].iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["先看一下 @小王", "B 说", "A 说"]);
        assert_eq!(read[&task][0].mentions, vec![members[0].id]);
        let mut empty = Automerge::new();
        let mut tx = empty.transaction();
        assert!(matches!(
            post(&mut tx, task, members[0].id, "  ", &members, 1),
            Err(CommandError::EmptyComment)
        ));
    }

    #[test]
    fn old_comments_move_out_of_the_plan_once_even_when_two_browsers_move_them() {
        let author = crate::MemberId::random();
        let mut project = Project::new("双十一", ProjectKind::Campaign, 1);
        let task = Task::new("主图", None, 1);
        project.tasks.insert(task.id, task.clone());
        let mut plan = Automerge::new();
        transact(&mut plan, |tx| commands::create_project(tx, &project));
        transact(&mut plan, |tx| commands::add_comment(tx, task.id, author, "旧评论", &[], 5).map(|_| ()));
        let project = crate::domain::read::read_project(&plan).expect("plan").project;
        let old: Vec<(TaskId, &Comment)> =
            project.tasks.values().flat_map(|t| t.comments.iter().map(move |c| (t.id, c))).collect();
        let mut comments = Automerge::new();
        let mut other = comments.fork();
        assert_eq!(transact(&mut comments, |tx| put_all(tx, old.clone())), 1);
        assert_eq!(transact(&mut other, |tx| put_all(tx, old.clone())), 1);
        comments.merge(&mut other).expect("merge");
        assert_eq!(read_comments(&comments)[&task.id].len(), 1);
        // Before the plan lets go of it, readers see it once; after, still once.
        let mut shown = project.clone();
        merge_into(&mut shown, &read_comments(&comments));
        assert_eq!(shown.tasks[&task.id].comments.len(), 1);
        transact(&mut plan, |tx| clear_plan_comments(tx, [task.id]));
        let mut cleared = crate::domain::read::read_project(&plan).expect("plan").project;
        assert!(cleared.tasks[&task.id].comments.is_empty());
        merge_into(&mut cleared, &read_comments(&comments));
        assert_eq!(cleared.tasks[&task.id].comments[0].body, "旧评论");
    }
}
