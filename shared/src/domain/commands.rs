//! Every change people make to a plan, as a function over an Automerge transaction. Each
//! touches only the fields it changes, so that concurrent edits to different fields merge
//! without conflict and edits to the same field stay visible as conflicts.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value};

use super::read::{self, FromValue, NotReadable};
use super::{
    Approval, ApprovalState, Attachment, Baseline, ChecklistItem, Comment, Date, Dependency, Member,
    Priority, Project, ProjectMeta, Rank, Role, Status, Task, Team, TimeEntry, WorkCalendar,
};
use crate::blob::BlobHash;
use crate::{ItemId, MemberId, TaskId};

/// Why a command could not be applied. Nothing is written when a command fails.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("a title cannot be empty")]
    EmptyTitle,
    #[error("only a member of the workspace can do this")]
    NotAMember,
    #[error("a project name cannot be empty")]
    EmptyName,
    #[error("this document is not a project (it has no `{0}`)")]
    NotAProject(&'static str),
    #[error("there is no task {0} in this project")]
    NoSuchTask(TaskId),
    #[error("this task needs approval by {0:?} before it can be done")]
    NeedsApproval(Role),
    #[error("only a member with the {0:?} role can approve this task")]
    NotApprover(Role),
    #[error("this task does not need approval")]
    NoApprovalNeeded,
    #[error("a task cannot wait for itself")]
    SelfDependency,
    #[error("that dependency would make tasks wait for each other in a circle")]
    WouldCycle,
    #[error("the task's `{0}` cannot be read, so it is left as it is: correct it where it was written")]
    Unreadable(String),
    #[error("hours must be more than 0 and at most 24, not {0}")]
    BadHours(f64),
    #[error("a comment cannot be empty")]
    EmptyComment,
    #[error("a checklist item cannot be empty")]
    EmptyItem,
    #[error("a task takes at most {max} working days, not {0}", max = MAX_DURATION_DAYS)]
    BadDuration(u32),
    #[error("a time of day is written HH:MM, from 00:00 to 23:59, not {0:?}")]
    BadTime(String),
    #[error("an estimate is a number of hours from 0 to 10000, not {0}")]
    BadEstimate(f64),
    #[error("a column's limit is a number of cards from 1 to {max}, not {0}", max = MAX_WIP_LIMIT)]
    BadWipLimit(u32),
    #[error("a task ends on or after it starts: {start} is after {due}")]
    BadDates { start: Date, due: Date },
    #[error("only its author or an admin can remove a time entry")]
    NotYourEntry,
    #[error("an attachment is named by the sha256 of its bytes, and has a name of at most 255 characters")]
    BadAttachment,
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

/// Sets (or, with `None`, clears) the launch or campaign day the plan works toward: the plan
/// is scheduled back from it.
pub fn set_launch(tx: &mut Transaction<'_>, launch: Option<Date>) -> Result<(), CommandError> {
    let meta = child_map(tx, &ROOT, "meta")?;
    match launch {
        Some(day) => tx.put(&meta, "launch", day.to_string())?,
        None => tx.put(&meta, "launch", automerge::ScalarValue::Null)?,
    }
    Ok(())
}

/// The highest limit a board column can have.
pub const MAX_WIP_LIMIT: u32 = 999;

/// Sets (or, with `None`, lifts) the most cards the board's column for `status` should hold.
/// Each status is its own key, so two people limiting different columns both keep theirs.
pub fn set_wip_limit(
    tx: &mut Transaction<'_>,
    status: &Status,
    limit: Option<u32>,
) -> Result<(), CommandError> {
    if let Some(n) = limit.filter(|n| !(1..=MAX_WIP_LIMIT).contains(n)) {
        return Err(CommandError::BadWipLimit(n));
    }
    let meta = child_map(tx, &ROOT, "meta")?;
    let limits = match tx.get(&meta, "wip_limits")? {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => tx.put_object(&meta, "wip_limits", ObjType::Map)?,
    };
    match limit {
        Some(n) => tx.put(&limits, status.key(), u64::from(n))?,
        None => tx.delete(&limits, status.key())?,
    }
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

/// Moves a task through the workflow at `now` (ms since the epoch), recording when it first
/// started and when it was completed. A task that needs approval cannot be done before it is
/// approved. Reads and writes only the fields involved: the most frequent edit of all stays
/// cheap, whatever else the task holds.
pub fn set_status(
    tx: &mut Transaction<'_>,
    id: TaskId,
    status: &Status,
    now: i64,
) -> Result<(), CommandError> {
    let task = task_obj(tx, id)?;
    if status.is_done()
        && let Some(approval) = task_field::<Option<Approval>>(tx, &task, "approval")?
        && !matches!(approval.state, ApprovalState::Approved { .. })
    {
        return Err(CommandError::NeedsApproval(approval.role));
    }
    // Picking the status shown when concurrent edits left several still writes it, so that
    // it supersedes the others.
    let conflicted = tx.get_all(&task, "status")?.len() > 1;
    if conflicted || task_field::<Status>(tx, &task, "status")? != *status {
        tx.put(&task, "status", status.key())?;
    }
    if *status != Status::Todo && task_field::<Option<i64>>(tx, &task, "started_at")?.is_none() {
        autosurgeon::reconcile_prop(&mut *tx, &task, "started_at", Some(now))?;
    }
    let completed_at = if status.is_done() { Some(now) } else { None };
    if task_field::<Option<i64>>(tx, &task, "completed_at")? != completed_at {
        autosurgeon::reconcile_prop(&mut *tx, &task, "completed_at", completed_at)?;
    }
    Ok(())
}

/// One field of a task (its object `task`), read however it was stored; a field that cannot
/// be read is refused, as in [`update_task`].
fn task_field<T: FromValue + Default>(
    tx: &Transaction<'_>,
    task: &ObjId,
    key: &str,
) -> Result<T, CommandError> {
    let value = match tx.get(task, key)? {
        None => return Ok(T::default()),
        Some((Value::Scalar(s), _)) => automerge::hydrate::Value::Scalar(s.into_owned()),
        Some((Value::Object(_), obj)) => tx.hydrate(&obj, None)?,
    };
    match value {
        automerge::hydrate::Value::Scalar(automerge::ScalarValue::Null) => Ok(T::default()),
        value => T::from_value(&value).map_err(|_| CommandError::Unreadable(key.to_owned())),
    }
}

/// Asks `role` to approve the task before it can be done.
pub fn require_approval(tx: &mut Transaction<'_>, id: TaskId, role: Role) -> Result<(), CommandError> {
    update_task(tx, id, |task| {
        task.approval = Some(Approval { role, state: ApprovalState::Pending });
        Ok(())
    })
}

/// `approver` signs the task off; it must hold the role the approval asks for.
pub fn approve(
    tx: &mut Transaction<'_>,
    id: TaskId,
    approver: &Member,
    now: i64,
) -> Result<(), CommandError> {
    decide(tx, id, approver, ApprovalState::Approved { by: approver.id, at: now })
}

pub fn reject(
    tx: &mut Transaction<'_>,
    id: TaskId,
    approver: &Member,
    reason: &str,
    now: i64,
) -> Result<(), CommandError> {
    decide(
        tx,
        id,
        approver,
        ApprovalState::Rejected { by: approver.id, at: now, reason: reason.trim().to_owned() },
    )
}

fn decide(
    tx: &mut Transaction<'_>,
    id: TaskId,
    approver: &Member,
    state: ApprovalState,
) -> Result<(), CommandError> {
    update_task(tx, id, |task| {
        let approval = task.approval.as_mut().ok_or(CommandError::NoApprovalNeeded)?;
        if !approver.has(approval.role) {
            return Err(CommandError::NotApprover(approval.role));
        }
        approval.state = state;
        Ok(())
    })
}

pub fn assign(tx: &mut Transaction<'_>, id: TaskId, members: &[MemberId]) -> Result<(), CommandError> {
    update_task(tx, id, |task| {
        task.assignees = members.to_vec();
        Ok(())
    })
}

pub fn set_dates(
    tx: &mut Transaction<'_>,
    id: TaskId,
    start: Option<Date>,
    due: Option<Date>,
) -> Result<(), CommandError> {
    if let (Some(start), Some(due)) = (start, due)
        && start > due
    {
        return Err(CommandError::BadDates { start, due });
    }
    // Only the two dates are read and written (not the whole task): a drag on the chart
    // writes a date pair for each of hundreds of tasks. As in `update_task`, a date that
    // cannot be read is not written over, and one that does not change is not written.
    // Put as `reconcile` puts an `Option<Date>` (its text, or null), without reading it again.
    let task = task_obj(tx, id)?;
    let now: (Option<Date>, Option<Date>) = (task_field(tx, &task, "start")?, task_field(tx, &task, "due")?);
    for (key, was, date) in [("start", now.0, start), ("due", now.1, due)] {
        if was != date {
            match date {
                Some(date) => tx.put(&task, key, date.to_string())?,
                None => tx.put(&task, key, automerge::ScalarValue::Null)?,
            }
        }
    }
    Ok(())
}

/// Saves the baseline of each listed task, `(task, start, due)`: where it is planned now,
/// to compare the schedule with later. Tasks not listed keep theirs. Refused if any ends
/// before it starts or is no task of the project; a task whose baseline cannot be read is
/// refused too, as in [`update_task`] ([`clear_baseline`] removes it). Writes only the
/// baselines that change.
pub fn set_baseline(tx: &mut Transaction<'_>, tasks: &[(TaskId, Date, Date)]) -> Result<(), CommandError> {
    if let Some(&(_, start, due)) = tasks.iter().find(|(_, start, due)| start > due) {
        return Err(CommandError::BadDates { start, due });
    }
    for &(id, start, due) in tasks {
        let task = task_obj(tx, id)?;
        let baseline = Some(Baseline { start, due });
        if task_field::<Option<Baseline>>(tx, &task, "baseline")? != baseline {
            autosurgeon::reconcile_prop(&mut *tx, &task, "baseline", baseline)?;
        }
    }
    Ok(())
}

/// Removes every task's baseline, one that cannot be read included: taking it away is what
/// was asked, and guesses at nothing.
pub fn clear_baseline(tx: &mut Transaction<'_>) -> Result<(), CommandError> {
    let tasks = child_map(tx, &ROOT, "tasks")?;
    let keys: Vec<String> = tx.keys(&tasks).filter(|key| key.parse::<TaskId>().is_ok()).collect();
    for key in keys {
        if let Some((Value::Object(ObjType::Map), task)) = tx.get(&tasks, key.as_str())?
            && tx.get(&task, "baseline")?.is_some()
        {
            tx.delete(&task, "baseline")?;
        }
    }
    Ok(())
}

/// Makes task `id` wait for another. Refused if it would close a circle of tasks waiting for
/// each other (concurrent edits can still make one; validation reports it).
pub fn add_dependency(
    tx: &mut Transaction<'_>,
    id: TaskId,
    dependency: Dependency,
) -> Result<(), CommandError> {
    if dependency.task == id {
        return Err(CommandError::SelfDependency);
    }
    let project = read_project(&*tx).map_err(|_| CommandError::NotAProject("tasks"))?;
    if !project.tasks.contains_key(&dependency.task) {
        return Err(CommandError::NoSuchTask(dependency.task));
    }
    // Does the other task already wait, directly or not, for this one?
    let mut stack = vec![dependency.task];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(t) = stack.pop() {
        if t == id {
            return Err(CommandError::WouldCycle);
        }
        if seen.insert(t)
            && let Some(task) = project.tasks.get(&t)
        {
            stack.extend(task.depends_on.iter().map(|d| d.task));
        }
    }
    update_task(tx, id, |task| {
        task.depends_on.retain(|d| d.task != dependency.task);
        task.depends_on.push(dependency);
        Ok(())
    })
}

pub fn remove_dependency(tx: &mut Transaction<'_>, id: TaskId, on: TaskId) -> Result<(), CommandError> {
    update_task(tx, id, |task| {
        task.depends_on.retain(|d| d.task != on);
        Ok(())
    })
}

/// The longest a task can take, in working days (about four years).
pub const MAX_DURATION_DAYS: u32 = 1000;

/// One of a task's simpler fields, set to a new value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum TaskField {
    Team(Option<Team>),
    Priority(Priority),
    /// The time of day it is due, `HH:MM`.
    DueTime(Option<String>),
    /// Trimmed; empty and repeated tags are dropped.
    Tags(Vec<String>),
    Sku(Option<String>),
    /// Working days; `None` lets the schedule use its default.
    Duration(Option<u32>),
    EstimateHours(Option<f64>),
    /// Where its card sits in its board column.
    Rank(Option<Rank>),
}

/// A time of day written `H:MM` or `HH:MM` (24-hour), as (hour, minute).
pub fn parse_time(text: &str) -> Option<(u8, u8)> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

/// Sets one field of task `id`.
pub fn set_field(tx: &mut Transaction<'_>, id: TaskId, field: &TaskField) -> Result<(), CommandError> {
    match field {
        TaskField::Duration(Some(days)) if *days > MAX_DURATION_DAYS => {
            return Err(CommandError::BadDuration(*days));
        }
        TaskField::EstimateHours(Some(hours)) if !(0.0..=10_000.0).contains(hours) => {
            return Err(CommandError::BadEstimate(*hours));
        }
        TaskField::DueTime(Some(time)) if parse_time(time).is_none() => {
            return Err(CommandError::BadTime(time.clone()));
        }
        _ => {}
    }
    update_task(tx, id, |task| {
        match field {
            TaskField::Team(team) => task.team = *team,
            TaskField::Priority(priority) => task.priority = *priority,
            TaskField::DueTime(time) => {
                task.due_time = time.as_deref().and_then(parse_time).map(|(h, m)| format!("{h:02}:{m:02}"));
            }
            TaskField::Tags(tags) => {
                let mut clean: Vec<String> = Vec::new();
                for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
                    if !clean.iter().any(|c| c == tag) {
                        clean.push(tag.to_owned());
                    }
                }
                task.tags = clean;
            }
            TaskField::Sku(sku) => {
                task.sku = sku.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
            }
            TaskField::Duration(days) => task.duration_days = *days,
            TaskField::EstimateHours(hours) => task.estimate_hours = *hours,
            TaskField::Rank(rank) => task.rank = rank.clone(),
        }
        Ok(())
    })
}

/// Edits task `id`'s description in place: at character `index`, removes `delete`
/// characters and inserts `insert`. The description is Automerge text, so two people typing
/// into it at once both keep what they typed. Positions past the end are clamped to it (a
/// teammate may have shortened the text meanwhile). A description stored as a plain string
/// (by another peer) becomes text holding the same words first.
pub fn edit_description(
    tx: &mut Transaction<'_>,
    id: TaskId,
    index: usize,
    delete: usize,
    insert: &str,
) -> Result<(), CommandError> {
    let task = task_obj(tx, id)?;
    let text = match tx.get(&task, "description")? {
        Some((Value::Object(ObjType::Text), obj)) => obj,
        other => {
            let before = match other {
                Some((Value::Scalar(s), _)) => s.as_str().unwrap_or_default().to_owned(),
                _ => String::new(),
            };
            let obj = tx.put_object(&task, "description", ObjType::Text)?;
            tx.splice_text(&obj, 0, 0, &before)?;
            obj
        }
    };
    let len = tx.length(&text);
    let index = index.min(len);
    let delete = delete.min(len - index);
    if delete > 0 || !insert.is_empty() {
        tx.splice_text(&text, index, delete as isize, insert)?;
    }
    Ok(())
}

/// Adds an item to task `id`'s checklist.
pub fn add_checklist_item(
    tx: &mut Transaction<'_>,
    id: TaskId,
    item: ItemId,
    text: &str,
) -> Result<(), CommandError> {
    let text = clean_title(text, CommandError::EmptyItem)?;
    update_task(tx, id, |task| {
        task.checklist.push(ChecklistItem { id: item, text, done: false });
        Ok(())
    })
}

/// Ticks item `item` of task `id`'s checklist, or unticks it; an item gone already is no error.
pub fn check_item(
    tx: &mut Transaction<'_>,
    id: TaskId,
    item: ItemId,
    done: bool,
) -> Result<(), CommandError> {
    update_task(tx, id, |task| {
        if let Some(entry) = task.checklist.iter_mut().find(|i| i.id == item) {
            entry.done = done;
        }
        Ok(())
    })
}

pub fn remove_checklist_item(tx: &mut Transaction<'_>, id: TaskId, item: ItemId) -> Result<(), CommandError> {
    update_task(tx, id, |task| {
        task.checklist.retain(|i| i.id != item);
        Ok(())
    })
}

/// Adds a comment to the task itself, as versions before the comments document did (see
/// [`super::comments`]): what tests of plans written then need.
#[cfg(test)]
pub(crate) fn add_comment(
    tx: &mut Transaction<'_>,
    id: TaskId,
    author: MemberId,
    body: &str,
    members: &[Member],
    now: i64,
) -> Result<ItemId, CommandError> {
    let comment = new_comment(author, body, members, now)?;
    let comment_id = comment.id;
    update_task(tx, id, |task| {
        task.comments.push(comment);
        Ok(())
    })?;
    Ok(comment_id)
}

/// A new comment by `author`, trimmed; `@name` of any of `members` is a mention.
pub(crate) fn new_comment(
    author: MemberId,
    body: &str,
    members: &[Member],
    now: i64,
) -> Result<Comment, CommandError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(CommandError::EmptyComment);
    }
    Ok(Comment {
        id: ItemId::random(),
        author,
        at: now,
        body: body.to_owned(),
        mentions: mentions(body, members),
    })
}

/// Members named with `@` in `body`, longest names first so that "@王小明" is not taken for
/// "@王小".
pub fn mentions(body: &str, members: &[Member]) -> Vec<MemberId> {
    let mut by_length: Vec<&Member> = members.iter().collect();
    by_length.sort_by_key(|m| std::cmp::Reverse(m.name.chars().count()));
    let mut found = Vec::new();
    for (at, _) in body.match_indices('@') {
        let rest = &body[at + 1..];
        if let Some(member) =
            by_length.iter().find(|m| !m.name.is_empty() && rest.starts_with(m.name.as_str()))
            && !found.contains(&member.id)
        {
            found.push(member.id);
        }
    }
    found
}

pub fn log_time(
    tx: &mut Transaction<'_>,
    id: TaskId,
    member: MemberId,
    date: Date,
    hours: f64,
) -> Result<(), CommandError> {
    if !(hours > 0.0 && hours <= 24.0) {
        return Err(CommandError::BadHours(hours));
    }
    update_task(tx, id, |task| {
        task.time_entries.push(TimeEntry { id: ItemId::random(), member, date, hours });
        Ok(())
    })
}

/// Removes time entry `entry` of task `id`; only its author or an owner or admin may. An
/// entry gone already is no error.
pub fn remove_time_entry(
    tx: &mut Transaction<'_>,
    id: TaskId,
    actor: &Member,
    entry: ItemId,
) -> Result<(), CommandError> {
    update_task(tx, id, |task| {
        let Some(at) = task.time_entries.iter().position(|e| e.id == entry) else { return Ok(()) };
        if task.time_entries[at].member != actor.id && !actor.has(Role::Owner) && !actor.has(Role::Admin) {
            return Err(CommandError::NotYourEntry);
        }
        task.time_entries.remove(at);
        Ok(())
    })
}

/// Attaches a file kept by the relay; the same file attached twice is listed once.
pub fn attach(tx: &mut Transaction<'_>, id: TaskId, attachment: &Attachment) -> Result<(), CommandError> {
    let hash: BlobHash = attachment.hash.parse().map_err(|_| CommandError::BadAttachment)?;
    let name = attachment.name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(CommandError::BadAttachment);
    }
    let attachment = Attachment { hash: hash.to_string(), name: name.to_owned(), ..attachment.clone() };
    update_task(tx, id, |task| {
        if !task.attachments.iter().any(|a| a.hash == attachment.hash) {
            task.attachments.push(attachment);
        }
        Ok(())
    })
}

/// Takes the file `hash` off task `id`; one gone already is no error.
pub fn detach(tx: &mut Transaction<'_>, id: TaskId, hash: &str) -> Result<(), CommandError> {
    update_task(tx, id, |task| {
        task.attachments.retain(|a| !a.hash.eq_ignore_ascii_case(hash));
        Ok(())
    })
}

/// Moves task `id` to start on `start`. When the project asks for it
/// (`meta.shift_dependents`), every task that waits for it, directly or not, moves as far as
/// it must; otherwise only this task moves.
pub fn move_task(
    tx: &mut Transaction<'_>,
    id: TaskId,
    start: Date,
    calendar: &WorkCalendar,
) -> Result<Vec<TaskId>, CommandError> {
    let project = read_project(&*tx).map_err(|_| CommandError::NotAProject("tasks"))?;
    if !project.tasks.contains_key(&id) {
        return Err(CommandError::NoSuchTask(id));
    }
    let changes = crate::plan::shift::after_move(&project, calendar, id, start);
    let mut moved = Vec::new();
    for change in changes {
        if change.task != id && !project.meta.shift_dependents {
            continue;
        }
        update_task(tx, change.task, |task| {
            task.start = Some(change.start);
            task.due = Some(change.due);
            Ok(())
        })?;
        moved.push(change.task);
    }
    Ok(moved)
}

pub fn add_phase(tx: &mut Transaction<'_>, phase: &super::Phase) -> Result<(), CommandError> {
    clean_title(&phase.name, CommandError::EmptyName)?;
    let phases = match tx.get(&ROOT, "phases")? {
        Some((Value::Object(ObjType::List), obj)) => obj,
        _ => return Err(CommandError::NotAProject("phases")),
    };
    let at = tx.length(&phases);
    autosurgeon::reconcile_insert(tx, phases, at, phase)?;
    Ok(())
}

/// Deletes a phase. Its tasks keep pointing at it and validation reports them, so that a
/// person decides where they go.
pub fn delete_phase(tx: &mut Transaction<'_>, id: crate::PhaseId) -> Result<(), CommandError> {
    let phases = match tx.get(&ROOT, "phases")? {
        Some((Value::Object(ObjType::List), obj)) => obj,
        _ => return Err(CommandError::NotAProject("phases")),
    };
    for index in (0..tx.length(&phases)).rev() {
        if let Some((Value::Object(ObjType::Map), phase)) = tx.get(&phases, index)?
            && let Some((kind, field)) = tx.get(&phase, "id")?
        {
            // The id as text, however it was stored (a string, or a text object).
            let text = match kind {
                Value::Scalar(s) => s.as_str().map(str::to_owned),
                Value::Object(ObjType::Text) => tx.text(&field).ok(),
                Value::Object(_) => None,
            };
            if text.and_then(|t| t.parse::<crate::PhaseId>().ok()) == Some(id) {
                tx.delete(&phases, index)?;
            }
        }
    }
    Ok(())
}

/// Reads task `id`, lets `change` edit it, and writes back only the fields that changed. A
/// field that could not be read is never written over: changing it is refused.
pub fn update_task(
    tx: &mut Transaction<'_>,
    id: TaskId,
    change: impl FnOnce(&mut Task) -> Result<(), CommandError>,
) -> Result<(), CommandError> {
    let obj = task_obj(tx, id)?;
    let read = read::read_task_at(&*tx, &id.to_string(), &obj).map_err(|_| CommandError::NoSuchTask(id))?;
    let mut task = read.task.clone();
    change(&mut task)?;
    let unreadable = |field: &str| read.problems.iter().any(|p| p.field.rsplit('/').next() == Some(field));
    // Every field but the id, which is the key: a field added to `Task` and not listed here
    // does not compile.
    macro_rules! write_changed {
        ($($field:ident),* $(,)?) => {
            let Task { id: _, $($field: _),* } = &task;
            $(
                if task.$field != read.task.$field {
                    if unreadable(stringify!($field)) {
                        return Err(CommandError::Unreadable(stringify!($field).to_owned()));
                    }
                    autosurgeon::reconcile_prop(&mut *tx, &obj, stringify!($field), &task.$field)?;
                }
            )*
        };
    }
    write_changed!(
        title,
        status,
        phase,
        created_at,
        description,
        assignees,
        team,
        priority,
        tags,
        sku,
        rank,
        start,
        due,
        due_time,
        baseline,
        duration_days,
        estimate_hours,
        checklist,
        approval,
        depends_on,
        comments,
        attachments,
        time_entries,
        recurrence,
        started_at,
        completed_at,
    );
    Ok(())
}

pub fn delete_task(tx: &mut Transaction<'_>, id: TaskId) -> Result<(), CommandError> {
    let tasks = child_map(tx, &ROOT, "tasks")?;
    let key = task_key(tx, &tasks, id)?;
    tx.delete(&tasks, key)?;
    Ok(())
}

/// The project as it stands in `doc` (fields that cannot be read take their defaults; see
/// [`read::read_project`] for what they were), or why it is no project.
pub fn read_project<D: ReadDoc>(doc: &D) -> Result<Project, NotReadable> {
    read::read_project(doc).map(|read| read.project)
}

/// Just the project's meta (name, kind), without reading its tasks.
pub fn read_meta<D: ReadDoc>(doc: &D) -> Result<ProjectMeta, NotReadable> {
    let not_a_project = NotReadable::Missing { kind: "project", field: "meta" };
    let Ok(Some((Value::Object(ObjType::Map), meta))) = doc.get(ROOT, "meta") else {
        return Err(not_a_project);
    };
    let value = doc.hydrate(&meta, None).map_err(|_| not_a_project)?;
    Ok(read::read_meta(&value).0)
}

fn task_obj(tx: &Transaction<'_>, id: TaskId) -> Result<ObjId, CommandError> {
    let tasks = child_map(tx, &ROOT, "tasks")?;
    match tx.get(&tasks, task_key(tx, &tasks, id)?)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(CommandError::NoSuchTask(id)),
    }
}

/// The key task `id` is stored under: as we write ids, or (a task another peer wrote) any
/// spelling of the same id.
fn task_key(tx: &Transaction<'_>, tasks: &ObjId, id: TaskId) -> Result<String, CommandError> {
    let ours = id.to_string();
    if tx.get(tasks, ours.as_str())?.is_some() {
        return Ok(ours);
    }
    tx.keys(tasks).find(|key| key.parse::<TaskId>() == Ok(id)).ok_or(CommandError::NoSuchTask(id))
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
    use automerge::transaction::Transactable;

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
        apply(&mut doc, |tx| set_status(tx, task.id, &Status::Done, 5)).expect("complete");
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
        apply(&mut b, |tx| set_status(tx, second.id, &Status::InProgress, 5)).expect("status b");
        a.merge(&mut b).expect("merge");
        let project = read_project(&a).expect("hydrate");
        assert_eq!(project.tasks[&first.id].title, "优惠券规则确认");
        assert_eq!(project.tasks[&second.id].status, Status::InProgress);
    }

    #[test]
    fn status_changes_record_when_work_started_and_finished() {
        let mut doc = project_doc();
        let task = Task::new("页面优化", None, 1);
        apply(&mut doc, |tx| add_task(tx, &task)).expect("add");
        apply(&mut doc, |tx| set_status(tx, task.id, &Status::InProgress, 100)).expect("start");
        apply(&mut doc, |tx| set_status(tx, task.id, &Status::Review, 150)).expect("review");
        apply(&mut doc, |tx| set_status(tx, task.id, &Status::Done, 200)).expect("done");
        let stored = read_project(&doc).expect("project").tasks[&task.id].clone();
        assert_eq!((stored.started_at, stored.completed_at), (Some(100), Some(200)));
        apply(&mut doc, |tx| set_status(tx, task.id, &Status::InProgress, 300)).expect("reopen");
        let stored = read_project(&doc).expect("project").tasks[&task.id].clone();
        assert_eq!((stored.started_at, stored.completed_at), (Some(100), None));
        let heads = doc.get_heads();
        apply(&mut doc, |tx| set_status(tx, task.id, &Status::InProgress, 400)).expect("again");
        assert_eq!(doc.get_heads(), heads, "setting the status a task already has writes nothing");
        assert!(matches!(
            apply(&mut doc, |tx| set_status(tx, crate::TaskId::random(), &Status::Done, 500)),
            Err(CommandError::NoSuchTask(_))
        ));
    }

    #[test]
    fn a_task_that_needs_approval_is_done_only_after_the_right_role_approves() {
        let mut doc = project_doc();
        let task = Task::new("上架审核", None, 1);
        apply(&mut doc, |tx| add_task(tx, &task)).expect("add");
        apply(&mut doc, |tx| require_approval(tx, task.id, Role::Admin)).expect("require");
        assert!(matches!(
            apply(&mut doc, |tx| set_status(tx, task.id, &Status::Done, 1)),
            Err(CommandError::NeedsApproval(Role::Admin))
        ));
        let editor = Member::new("小李", vec![Role::Editor]);
        assert!(matches!(
            apply(&mut doc, |tx| approve(tx, task.id, &editor, 2)),
            Err(CommandError::NotApprover(Role::Admin))
        ));
        let lead = Member::new("王主管", vec![Role::Admin]);
        apply(&mut doc, |tx| reject(tx, task.id, &lead, "主图不合规", 3)).expect("reject");
        assert!(apply(&mut doc, |tx| set_status(tx, task.id, &Status::Done, 4)).is_err());
        apply(&mut doc, |tx| approve(tx, task.id, &lead, 5)).expect("approve");
        apply(&mut doc, |tx| set_status(tx, task.id, &Status::Done, 6)).expect("done after approval");
        let owner = Member::new("老板", vec![Role::Owner]);
        assert!(owner.has(Role::Admin), "owners may do anything");
    }

    #[test]
    fn dependencies_that_would_close_a_circle_are_refused() {
        let mut doc = project_doc();
        let (a, b, c) = (Task::new("a", None, 1), Task::new("b", None, 2), Task::new("c", None, 3));
        for t in [&a, &b, &c] {
            apply(&mut doc, |tx| add_task(tx, t)).expect("add");
        }
        apply(&mut doc, |tx| add_dependency(tx, b.id, Dependency::after(a.id))).expect("b after a");
        apply(&mut doc, |tx| add_dependency(tx, c.id, Dependency::after(b.id))).expect("c after b");
        assert!(matches!(
            apply(&mut doc, |tx| add_dependency(tx, a.id, Dependency::after(c.id))),
            Err(CommandError::WouldCycle)
        ));
        assert!(matches!(
            apply(&mut doc, |tx| add_dependency(tx, a.id, Dependency::after(a.id))),
            Err(CommandError::SelfDependency)
        ));
        let ghost = TaskId::random();
        assert!(matches!(
            apply(&mut doc, |tx| add_dependency(tx, a.id, Dependency::after(ghost))),
            Err(CommandError::NoSuchTask(_))
        ));
        apply(&mut doc, |tx| remove_dependency(tx, c.id, b.id)).expect("remove");
        assert!(read_project(&doc).expect("project").tasks[&c.id].depends_on.is_empty());
    }

    #[test]
    fn comments_record_mentions_and_time_entries_are_checked() {
        let mut doc = project_doc();
        let task = Task::new("优惠券配置", None, 1);
        apply(&mut doc, |tx| add_task(tx, &task)).expect("add");
        let members =
            vec![Member::new("王小", vec![]), Member::new("王小明", vec![]), Member::new("客服小周", vec![])];
        let author = members[0].id;
        apply(&mut doc, |tx| {
            add_comment(tx, task.id, author, "@王小明 满减规则改了，请同步 @客服小周", &members, 7)
                .map(|_| ())
        })
        .expect("comment");
        let stored = read_project(&doc).expect("project").tasks[&task.id].clone();
        assert_eq!(stored.comments[0].mentions, vec![members[1].id, members[2].id]);
        assert!(matches!(
            apply(&mut doc, |tx| add_comment(tx, task.id, author, "  ", &members, 8).map(|_| ())),
            Err(CommandError::EmptyComment)
        ));
        let day: Date = "2026-10-01".parse().expect("date");
        apply(&mut doc, |tx| log_time(tx, task.id, author, day, 2.5)).expect("log");
        assert!(matches!(
            apply(&mut doc, |tx| log_time(tx, task.id, author, day, 30.0)),
            Err(CommandError::BadHours(_))
        ));
        assert_eq!(read_project(&doc).expect("project").tasks[&task.id].actual_hours(), 2.5);
    }

    #[test]
    fn time_entries_are_removed_by_their_author_or_an_admin_only() {
        let mut doc = project_doc();
        let task = Task::new("直播脚本", None, 1);
        apply(&mut doc, |tx| add_task(tx, &task)).expect("add");
        let (author, other, admin) = (
            Member::new("主播小林", vec![Role::Editor]),
            Member::new("运营小王", vec![Role::Editor]),
            Member::new("王主管", vec![Role::Admin]),
        );
        let day: Date = "2026-10-01".parse().expect("date");
        for _ in 0..2 {
            apply(&mut doc, |tx| log_time(tx, task.id, author.id, day, 1.5)).expect("log");
        }
        let entries =
            |doc: &Automerge| read_project(doc).expect("project").tasks[&task.id].time_entries.clone();
        let (first, second) = (entries(&doc)[0].id, entries(&doc)[1].id);
        assert!(matches!(
            apply(&mut doc, |tx| remove_time_entry(tx, task.id, &other, first)),
            Err(CommandError::NotYourEntry)
        ));
        apply(&mut doc, |tx| remove_time_entry(tx, task.id, &author, first)).expect("own entry");
        apply(&mut doc, |tx| remove_time_entry(tx, task.id, &admin, second)).expect("admin");
        assert!(entries(&doc).is_empty());
    }

    #[test]
    fn attachments_are_checked_and_listed_once() {
        let mut doc = project_doc();
        let task = Task::new("主图设计", None, 1);
        apply(&mut doc, |tx| add_task(tx, &task)).expect("add");
        let banner = Attachment {
            hash: crate::blob::BlobHash::of(b"png bytes").to_string().to_uppercase(),
            name: "  主图 v2.png ".into(),
            size: 9,
            mime: "image/png".into(),
        };
        for _ in 0..2 {
            apply(&mut doc, |tx| attach(tx, task.id, &banner)).expect("attach");
        }
        let attached =
            |doc: &Automerge| read_project(doc).expect("project").tasks[&task.id].attachments.clone();
        assert_eq!(attached(&doc).len(), 1, "the same file twice is listed once");
        assert_eq!(attached(&doc)[0].name, "主图 v2.png");
        assert_eq!(attached(&doc)[0].hash, banner.hash.to_lowercase());
        for bad in [
            Attachment { hash: "banner.png".into(), ..banner.clone() },
            Attachment { name: " ".into(), ..banner.clone() },
        ] {
            assert!(matches!(
                apply(&mut doc, |tx| attach(tx, task.id, &bad)),
                Err(CommandError::BadAttachment)
            ));
        }
        apply(&mut doc, |tx| detach(tx, task.id, &banner.hash)).expect("detach");
        assert!(attached(&doc).is_empty());
    }

    #[test]
    fn moving_a_task_shifts_its_dependents_only_when_the_project_asks() {
        let day = |s: &str| -> Date { s.parse().expect("date") };
        for shift in [true, false] {
            let mut doc = Automerge::new();
            let mut project = Project::new("新品首发", ProjectKind::Launch, 1);
            project.meta.shift_dependents = shift;
            let mut first = Task::new("包装设计", None, 1);
            first.duration_days = Some(2);
            first.start = Some(day("2026-03-02"));
            let mut second = Task::new("包装打样", None, 2);
            second.depends_on = vec![Dependency::after(first.id)];
            second.start = Some(day("2026-03-04"));
            project.tasks.insert(first.id, first.clone());
            project.tasks.insert(second.id, second.clone());
            apply(&mut doc, |tx| create_project(tx, &project)).expect("create");
            apply(&mut doc, |tx| {
                move_task(tx, first.id, day("2026-03-09"), &WorkCalendar::default()).map(|_| ())
            })
            .expect("move");
            let after = read_project(&doc).expect("project");
            assert_eq!(after.tasks[&first.id].start, Some(day("2026-03-09")));
            let expected = if shift { day("2026-03-11") } else { day("2026-03-04") };
            assert_eq!(after.tasks[&second.id].start, Some(expected), "shift_dependents = {shift}");
        }
    }

    #[test]
    fn a_baseline_is_saved_for_the_tasks_listed_and_cleared_for_all() {
        let day = |s: &str| -> Date { s.parse().expect("date") };
        let mut doc = project_doc();
        let (a, b, c) =
            (Task::new("主图拍摄", None, 1), Task::new("详情页", None, 2), Task::new("客服话术", None, 3));
        for t in [&a, &b, &c] {
            apply(&mut doc, |tx| add_task(tx, t)).expect("add");
        }
        let saved =
            [(a.id, day("2027-03-01"), day("2027-03-05")), (b.id, day("2027-03-08"), day("2027-03-08"))];
        apply(&mut doc, |tx| set_baseline(tx, &saved)).expect("save");
        let baselines = |doc: &Automerge| {
            let project = read_project(doc).expect("project");
            [a.id, b.id, c.id].map(|id| project.tasks[&id].baseline)
        };
        let baseline = |start, due| Some(Baseline { start: day(start), due: day(due) });
        assert_eq!(
            baselines(&doc),
            [baseline("2027-03-01", "2027-03-05"), baseline("2027-03-08", "2027-03-08"), None]
        );
        let heads = doc.get_heads();
        apply(&mut doc, |tx| set_baseline(tx, &saved)).expect("save again");
        assert_eq!(doc.get_heads(), heads, "saving the same baseline writes nothing");
        apply(&mut doc, |tx| set_baseline(tx, &[(a.id, day("2027-03-02"), day("2027-03-09"))]))
            .expect("resave");
        assert_eq!(
            baselines(&doc),
            [baseline("2027-03-02", "2027-03-09"), baseline("2027-03-08", "2027-03-08"), None],
            "a task not listed keeps its baseline"
        );
        apply(&mut doc, clear_baseline).expect("clear");
        assert_eq!(baselines(&doc), [None, None, None]);
        let heads = doc.get_heads();
        apply(&mut doc, clear_baseline).expect("clear again");
        assert_eq!(doc.get_heads(), heads, "clearing no baseline writes nothing");
    }

    #[test]
    fn a_baseline_that_ends_before_it_starts_or_names_no_task_is_refused() {
        let day = |s: &str| -> Date { s.parse().expect("date") };
        let mut doc = project_doc();
        let task = Task::new("包装打样", None, 1);
        apply(&mut doc, |tx| add_task(tx, &task)).expect("add");
        let heads = doc.get_heads();
        let fine = (task.id, day("2027-03-01"), day("2027-03-05"));
        let backward = (task.id, day("2027-03-05"), day("2027-03-01"));
        assert!(matches!(
            apply(&mut doc, |tx| set_baseline(tx, &[fine, backward])),
            Err(CommandError::BadDates { start, due }) if (start, due) == (backward.1, backward.2)
        ));
        let ghost = TaskId::random();
        assert!(matches!(
            apply(&mut doc, |tx| set_baseline(tx, &[fine, (ghost, fine.1, fine.2)])),
            Err(CommandError::NoSuchTask(id)) if id == ghost
        ));
        assert_eq!(doc.get_heads(), heads, "nothing written, not even the tasks listed first");
    }

    #[test]
    fn a_baseline_that_cannot_be_read_is_not_saved_over_but_is_cleared() {
        let day = |s: &str| -> Date { s.parse().expect("date") };
        let mut doc = project_doc();
        let task = Task::new("直播脚本", None, 1);
        apply(&mut doc, |tx| add_task(tx, &task)).expect("add");
        let (_, tasks) = doc.get(ROOT, "tasks").expect("get").expect("tasks");
        let (_, obj) = doc.get(&tasks, task.id.to_string()).expect("get").expect("task");
        let mut tx = doc.transaction();
        tx.put(&obj, "baseline", "三月初").expect("put");
        tx.commit();
        let read = read::read_project(&doc).expect("project");
        assert_eq!(read.project.tasks[&task.id].title, "直播脚本");
        assert_eq!(read.task_problems[&task.id][0].field, format!("tasks/{}/baseline", task.id));
        let save = [(task.id, day("2027-03-01"), day("2027-03-05"))];
        assert!(matches!(
            apply(&mut doc, |tx| set_baseline(tx, &save)),
            Err(CommandError::Unreadable(field)) if field == "baseline"
        ));
        apply(&mut doc, clear_baseline).expect("clear");
        apply(&mut doc, |tx| set_baseline(tx, &save)).expect("save over nothing");
        let read = read::read_project(&doc).expect("project");
        assert!(read.task_problems.is_empty(), "{:?}", read.task_problems);
        assert_eq!(
            read.project.tasks[&task.id].baseline,
            Some(Baseline { start: day("2027-03-01"), due: day("2027-03-05") })
        );
    }

    #[test]
    fn picking_the_status_shown_after_concurrent_changes_resolves_them() {
        let mut a = project_doc();
        let task = Task::new("直播预热", None, 1);
        apply(&mut a, |tx| add_task(tx, &task)).expect("add");
        let mut b = a.fork();
        apply(&mut a, |tx| set_status(tx, task.id, &Status::Review, 2)).expect("a");
        apply(&mut b, |tx| set_status(tx, task.id, &Status::Blocked, 3)).expect("b");
        a.merge(&mut b).expect("merge");
        let (_, tasks) = a.get(ROOT, "tasks").expect("get").expect("tasks");
        let (_, obj) = a.get(&tasks, task.id.to_string()).expect("get").expect("task");
        assert_eq!(a.get_all(&obj, "status").expect("all").len(), 2);
        let shown = read_project(&a).expect("project").tasks[&task.id].status.clone();
        apply(&mut a, |tx| set_status(tx, task.id, &shown, 4)).expect("pick");
        assert_eq!(a.get_all(&obj, "status").expect("all").len(), 1, "picking the shown value resolves it");
    }

    #[test]
    fn a_task_stored_under_another_spelling_of_its_id_can_be_edited_and_deleted() {
        let mut doc = project_doc();
        let id = TaskId::random();
        let hyphenated = uuid::Uuid::parse_str(&id.to_string()).expect("uuid").hyphenated().to_string();
        let mut tx = doc.transaction();
        let (_, tasks) = tx.get(ROOT, "tasks").expect("get").expect("tasks");
        let obj = tx.put_object(&tasks, hyphenated.as_str(), ObjType::Map).expect("task");
        tx.put(&obj, "title", "主图").expect("title");
        tx.put(&obj, "created_at", 1i64).expect("created");
        tx.commit();
        apply(&mut doc, |tx| rename_task(tx, id, "主图拍摄")).expect("rename");
        apply(&mut doc, |tx| set_dates(tx, id, None, None)).expect("update");
        assert_eq!(read_project(&doc).expect("project").tasks[&id].title, "主图拍摄");
        apply(&mut doc, |tx| delete_task(tx, id)).expect("delete");
        assert!(read_project(&doc).expect("project").tasks.is_empty());
    }

    #[test]
    fn documents_written_before_fields_were_added_still_load() {
        // A task as the first version wrote it: no dates, tags, approval, comments...
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        let id = TaskId::random();
        let meta = tx.put_object(ROOT, "meta", ObjType::Map).expect("meta");
        tx.put(&meta, "name", "旧计划").expect("name");
        tx.put(&meta, "kind", "Launch").expect("kind");
        tx.put(&meta, "created_at", 1i64).expect("created");
        tx.put(ROOT, "schema", 1u64).expect("schema");
        tx.put_object(ROOT, "phases", ObjType::List).expect("phases");
        let tasks = tx.put_object(ROOT, "tasks", ObjType::Map).expect("tasks");
        let task = tx.put_object(&tasks, id.to_string(), ObjType::Map).expect("task");
        tx.put(&task, "id", id.to_string()).expect("id");
        tx.put(&task, "title", "市场调研").expect("title");
        tx.put(&task, "status", "todo").expect("status");
        tx.put(&task, "created_at", 1i64).expect("created");
        tx.commit();
        let project = read_project(&doc).expect("an old document loads");
        let old = &project.tasks[&id];
        assert_eq!(old.title, "市场调研");
        assert!(old.depends_on.is_empty() && old.start.is_none() && old.approval.is_none());
        assert_eq!(old.baseline, None);
        assert!(project.milestones.is_empty());
    }
}
