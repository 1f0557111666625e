//! Who changed what in a task, and when, read from the document's own history.
//!
//! Every local edit is committed with a [`Stamp`]: the change's time and the message
//! `{"by":"<member id>"}` (see SCHEMA.md). Automerge keeps every change, so a task's history is
//! the changes that wrote the task's map or anything under it. Each is compared with the
//! document as its author saw it (its dependencies), so when two people edit at once each
//! edit shows on its own.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use automerge::hydrate::{Map, Value as Tree};
use automerge::legacy::{Key, ObjectId, OpId, OpType};
use automerge::transaction::CommitOptions;
use automerge::{Automerge, Change, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};

use crate::{MemberId, TaskId};

/// Longest value shown, in characters; a longer one is cut around where it changed.
const MAX_CHARS: usize = 120;
/// Characters kept before the first difference when a long value is cut.
const CONTEXT_CHARS: usize = 20;
/// Change times from here up are milliseconds (a peer that wrote `Date.now()`); below, seconds,
/// as automerge's convention is. 10^11 seconds is the year 5138; 10^11 milliseconds is 1973.
const MILLIS_FROM: i64 = 100_000_000_000;

/// Who made a local change, and when: committed with the change, so that history can say so.
///
/// The time is stored as the change's time in whole **seconds** since the Unix epoch:
/// automerge's convention (`CommitOptions::time` is documented in seconds, and the JavaScript
/// library stamps every change with `Math.floor(Date.now() / 1000)` unless told otherwise).
/// The author is the change's message, `{"by":"<member id>"}`, which any peer can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Milliseconds since the Unix epoch; kept to the second.
    pub time_ms: i64,
    /// The member making the change, if known (someone who has not joined the workspace yet is
    /// not a member).
    pub by: Option<MemberId>,
}

impl Stamp {
    /// The commit options that record this stamp in a change.
    pub fn commit_options(&self) -> CommitOptions {
        let options = CommitOptions::default().with_time(self.time_ms.div_euclid(1000));
        match self.by {
            Some(by) => options.with_message(serde_json::json!({ "by": by.to_string() }).to_string()),
            None => options,
        }
    }
}

/// The change's message as we write it. Other keys (another app's) are ignored.
#[derive(serde::Deserialize)]
struct Message {
    by: Option<MemberId>,
}

/// When a change was made, in milliseconds, if it says (a change made without a stamp has time 0).
pub(super) fn change_time(change: &Change) -> Option<i64> {
    match change.timestamp() {
        0 => None,
        time if time.abs() >= MILLIS_FROM => Some(time),
        seconds => Some(seconds.saturating_mul(1000)),
    }
}

/// Who made a change, if its message says in a form we can read.
pub(super) fn change_author(change: &Change) -> Option<MemberId> {
    serde_json::from_str::<Message>(change.message()?).ok()?.by
}

/// One field of a task changed by one change (see [`task_history`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct FieldChange {
    /// When, in milliseconds since the Unix epoch (to the second); `None` if the change has no
    /// time (made before changes were stamped).
    pub at: Option<i64>,
    /// Who, from the change's message; `None` if it has none or it cannot be read.
    pub by: Option<MemberId>,
    /// The Automerge actor that made the change, in hex: tells apart authors nobody named.
    pub actor: String,
    /// The task's field as stored (`title`, `status`, `due`, `description`, `assignees`,
    /// `checklist`...), or `""` for the task itself: created (`before` is `None`, `after` its
    /// title) or deleted (`before` its title, `after` is `None`). A change that creates a task
    /// gives only that entry, not one per field it wrote.
    pub field: String,
    /// The value before the change, as a person reads it: a string without quotes, a date as
    /// stored, a text as its text, a list as its items joined by ", " (a checklist item as
    /// `[x] text` or `[ ] text`, a comment as its body), a long value cut to about 120
    /// characters around where it changed. `None` when absent or null.
    pub before: Option<String>,
    /// The value after the change, read like `before`.
    pub after: Option<String>,
}

/// The history of task `task` in `doc`, newest first, at most `limit` entries: every change to
/// one of its fields, and its creation (and deletion).
///
/// Changes are ordered so that each comes after every change it depends on; among changes
/// made concurrently, the later in time comes first (the same order on every replica). A field
/// whose value reads the same before and after a change is not listed.
///
/// It reads every change in the document once (`cargo xtask bench domain` times it on a plan
/// of 1,000 tasks and 5,001 changes; figures in BENCHMARKS.md).
pub fn task_history(doc: &Automerge, task: TaskId, limit: usize) -> Vec<FieldChange> {
    let Ok(Some((Value::Object(ObjType::Map), tasks))) = doc.get(ROOT, "tasks") else { return Vec::new() };
    let changes = doc.get_changes(&[]);
    let touches = touches(&changes, &oldest_first(&changes), &legacy_id(&tasks), task);
    let mut history = Vec::new();
    for touch in touches.iter().rev() {
        if history.len() >= limit {
            break;
        }
        describe(doc, &tasks, &changes[touch.change], touch, &mut history);
    }
    history.truncate(limit);
    history
}

/// What one change did to the task.
#[derive(Debug)]
struct Touch {
    /// Its index in the document's changes.
    change: usize,
    /// The key the task is stored under.
    key: String,
    /// It put or deleted the task itself: created it, or deleted it.
    whole: bool,
    /// The task's fields it wrote, in the order it wrote them.
    fields: Vec<String>,
}

/// The changes that touched task `task`, oldest first. One walk through the changes'
/// operations, in `order`, follows every object ever made under the task (items since
/// removed, a description replaced) back to the task field it hangs from.
fn touches(changes: &[Change], order: &[usize], tasks: &ObjectId, task: TaskId) -> Vec<Touch> {
    let ours = task.to_string();
    // Every object under the task, with its field ("" for the task's own map).
    let mut under: HashMap<ObjectId, String> = HashMap::new();
    let mut key = String::new();
    let mut found = Vec::new();
    for &index in order {
        let change = changes[index].decode();
        let made = |n: usize| ObjectId::Id(OpId(change.start_op.get() + n as u64, change.actor_id.clone()));
        let (mut whole, mut fields) = (false, Vec::<String>::new());
        for (n, op) in change.operations.iter().enumerate() {
            if op.obj == *tasks {
                // The task under our spelling of its id or another (see `commands::task_key`).
                if let Key::Map(k) = &op.key
                    && (k.as_str() == ours || k.parse::<TaskId>() == Ok(task))
                {
                    whole = true;
                    key = k.to_string();
                    if let OpType::Make(_) = op.action {
                        under.insert(made(n), String::new());
                    }
                }
                continue;
            }
            let field = match (under.get(&op.obj), &op.key) {
                (None, _) => continue,
                (Some(task_map), Key::Map(k)) if task_map.is_empty() => k.to_string(),
                (Some(task_map), _) if task_map.is_empty() => continue,
                (Some(field), _) => field.clone(),
            };
            if let OpType::Make(_) = op.action {
                under.insert(made(n), field.clone());
            }
            if !fields.contains(&field) {
                fields.push(field);
            }
        }
        if whole || !fields.is_empty() {
            found.push(Touch { change: index, key: key.clone(), whole, fields });
        }
    }
    found
}

/// The entries for one change that touched the task, in the order it wrote the fields.
fn describe(doc: &Automerge, tasks: &ObjId, change: &Change, touch: &Touch, out: &mut Vec<FieldChange>) {
    let (before, after) = (change.deps(), &[change.hash()][..]);
    let (was, now) = (task_at(doc, tasks, &touch.key, before), task_at(doc, tasks, &touch.key, after));
    let entry = |field: &str, before, after| FieldChange {
        at: change_time(change),
        by: change_author(change),
        actor: change.actor_id().to_hex_string(),
        field: field.to_owned(),
        before,
        after,
    };
    if touch.whole {
        let title = |task: Option<&ObjId>, heads: &[ChangeHash]| {
            task.map(|task| field_at(doc, task, "title", heads).unwrap_or_default())
        };
        out.push(entry("", title(was.as_ref(), before), title(now.as_ref(), after)));
        return;
    }
    for field in &touch.fields {
        let old = was.as_ref().and_then(|task| field_at(doc, task, field, before));
        let new = now.as_ref().and_then(|task| field_at(doc, task, field, after));
        if old != new {
            let (old, new) = shorten(old, new);
            out.push(entry(field, old, new));
        }
    }
}

/// The changes in an order that puts each after every change it depends on and, among changes
/// made concurrently, the earlier in time (then the smaller hash) first.
pub(super) fn oldest_first(changes: &[Change]) -> Vec<usize> {
    let index: HashMap<ChangeHash, usize> = changes.iter().enumerate().map(|(i, c)| (c.hash(), i)).collect();
    let mut waiting = vec![0usize; changes.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); changes.len()];
    for (i, change) in changes.iter().enumerate() {
        for dep in change.deps().iter().filter_map(|hash| index.get(hash)) {
            waiting[i] += 1;
            dependents[*dep].push(i);
        }
    }
    let rank = |i: usize| Reverse((change_time(&changes[i]).unwrap_or(0), changes[i].hash(), i));
    let mut ready: BinaryHeap<_> = (0..changes.len()).filter(|&i| waiting[i] == 0).map(rank).collect();
    let mut order = Vec::with_capacity(changes.len());
    while let Some(Reverse((_, _, i))) = ready.pop() {
        order.push(i);
        for &next in &dependents[i] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(rank(next));
            }
        }
    }
    order
}

/// `id` as the operations of a decoded change name objects.
fn legacy_id(id: &ObjId) -> ObjectId {
    match id {
        ObjId::Root => ObjectId::Root,
        ObjId::Id(counter, actor, _) => ObjectId::Id(OpId(*counter, actor.clone())),
    }
}

/// The task's map under `key` at `heads`, if it was there.
fn task_at(doc: &Automerge, tasks: &ObjId, key: &str, heads: &[ChangeHash]) -> Option<ObjId> {
    match doc.get_at(tasks, key, heads) {
        Ok(Some((Value::Object(ObjType::Map), task))) => Some(task),
        _ => None,
    }
}

/// Field `field` of `task` at `heads`, as a person reads it.
fn field_at(doc: &Automerge, task: &ObjId, field: &str, heads: &[ChangeHash]) -> Option<String> {
    match doc.get_at(task, field, heads) {
        Ok(Some((Value::Scalar(value), _))) => scalar(&value),
        Ok(Some((Value::Object(_), obj))) => {
            ReadDoc::hydrate(doc, &obj, Some(heads)).ok().map(|value| render(&value, false))
        }
        _ => None,
    }
}

/// A scalar as a person reads it; null is no value.
fn scalar(value: &ScalarValue) -> Option<String> {
    Some(match value {
        ScalarValue::Null => return None,
        ScalarValue::Str(s) => s.to_string(),
        ScalarValue::Int(n) | ScalarValue::Timestamp(n) => n.to_string(),
        ScalarValue::Uint(n) => n.to_string(),
        ScalarValue::F64(n) => n.to_string(),
        ScalarValue::Counter(n) => i64::from(n).to_string(),
        ScalarValue::Boolean(b) => b.to_string(),
        ScalarValue::Bytes(bytes) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        ScalarValue::Unknown { .. } => String::new(),
    })
}

/// Keys that name a list item: a checklist item's `text`, a comment's `body`, an attachment's
/// or a phase's `name`.
const LABELS: [&str; 4] = ["text", "body", "name", "title"];

/// An object compactly: a text as its text, a list as its items joined by ", ", a map as its
/// label (see [`LABELS`]; ticked or not for a checklist item) or else its fields but `id`.
fn render(value: &Tree, nested: bool) -> String {
    match value {
        Tree::Scalar(value) => scalar(value).unwrap_or_default(),
        Tree::Text(text) => text.to_string(),
        Tree::List(items) => {
            items.iter().map(|item| render(&item.value, true)).collect::<Vec<_>>().join(", ")
        }
        Tree::Map(map) => render_map(map, nested),
    }
}

fn render_map(map: &Map, nested: bool) -> String {
    // A time entry: its day and hours.
    if let (Some(date), Some(hours)) = (map.get("date"), map.get("hours")) {
        return format!("{} {} h", render(date, true), render(hours, true));
    }
    if let Some(label) = LABELS.iter().find_map(|key| map.get(key)) {
        let label = render(label, true);
        return match map.get("done") {
            Some(Tree::Scalar(ScalarValue::Boolean(true))) => format!("[x] {label}"),
            Some(Tree::Scalar(ScalarValue::Boolean(false))) => format!("[ ] {label}"),
            _ => label,
        };
    }
    let mut fields: Vec<(&String, &Tree)> =
        map.iter().filter(|(key, _)| *key != "id").map(|(key, v)| (key, &v.value)).collect();
    fields.sort_by_key(|(key, _)| *key);
    let body =
        fields.iter().map(|(key, v)| format!("{key}: {}", render(v, true))).collect::<Vec<_>>().join(", ");
    if nested { format!("{{{body}}}") } else { body }
}

/// Cuts long values to about [`MAX_CHARS`], both around where they first differ, so that an
/// edit at the end of a long description still shows.
fn shorten(before: Option<String>, after: Option<String>) -> (Option<String>, Option<String>) {
    let from = match (&before, &after) {
        (Some(b), Some(a)) => b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count(),
        _ => 0,
    };
    let cut = |value: String| {
        let len = value.chars().count();
        if len <= MAX_CHARS {
            return value;
        }
        let start = from.saturating_sub(CONTEXT_CHARS).min(len - MAX_CHARS);
        let mut out = String::with_capacity(MAX_CHARS * 4 + 6);
        if start > 0 {
            out.push('…');
        }
        out.extend(value.chars().skip(start).take(MAX_CHARS));
        if start + MAX_CHARS < len {
            out.push('…');
        }
        out
    };
    (before.map(cut), after.map(cut))
}

#[cfg(test)]
mod tests {
    use automerge::transaction::{Transactable, Transaction};

    use super::*;
    use crate::ItemId;
    use crate::domain::commands::{self, CommandError};
    use crate::domain::{Date, Project, ProjectKind, Status, Task};

    /// 2026-01-01 00:00 UTC, in milliseconds.
    const T0: i64 = 1_767_225_600_000;

    fn minute(n: i64) -> i64 {
        T0 + n * 60_000
    }

    fn by(member: MemberId, minutes: i64) -> Stamp {
        Stamp { time_ms: minute(minutes), by: Some(member) }
    }

    fn edit(
        doc: &mut Automerge,
        stamp: Stamp,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>,
    ) {
        doc.transact_with(|_| stamp.commit_options(), f).map_err(|failure| failure.error).expect("edit");
    }

    /// An edit as the app made it before changes were stamped.
    fn unstamped(doc: &mut Automerge, f: impl FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>) {
        doc.transact(f).map_err(|failure| failure.error).expect("edit");
    }

    fn project() -> Automerge {
        let mut doc = Automerge::new();
        unstamped(&mut doc, |tx| {
            commands::create_project(tx, &Project::new("618", ProjectKind::Campaign, 1))
        });
        doc
    }

    /// (field, before, after, by, at) of each entry.
    type Row = (String, Option<String>, Option<String>, Option<MemberId>, Option<i64>);

    fn rows(history: &[FieldChange]) -> Vec<Row> {
        history.iter().map(|c| (c.field.clone(), c.before.clone(), c.after.clone(), c.by, c.at)).collect()
    }

    fn row(
        field: &str,
        before: Option<&str>,
        after: Option<&str>,
        by: Option<MemberId>,
        at: Option<i64>,
    ) -> Row {
        (field.to_owned(), before.map(str::to_owned), after.map(str::to_owned), by, at)
    }

    #[test]
    fn a_tasks_history_says_who_changed_what_and_when_newest_first_across_a_merge() {
        let (alice, bob) = (MemberId::derived("alice"), MemberId::derived("bob"));
        let mut a = project();
        let (task, other) = (Task::new("主图", None, T0), Task::new("详情页", None, T0));
        edit(&mut a, by(alice, 1), |tx| commands::add_task(tx, &task));
        edit(&mut a, by(alice, 2), |tx| commands::add_task(tx, &other));
        let due = Date::from_ymd(2026, 3, 4);
        unstamped(&mut a, |tx| commands::set_dates(tx, task.id, None, due));
        edit(&mut a, by(alice, 3), |tx| commands::rename_task(tx, task.id, "主图拍摄"));
        let mut b = a.fork();
        edit(&mut b, by(bob, 4), |tx| commands::set_status(tx, task.id, &Status::InProgress, minute(4)));
        edit(&mut b, by(bob, 5), |tx| commands::edit_description(tx, task.id, 0, 0, "白底图"));
        edit(&mut b, by(bob, 6), |tx| commands::rename_task(tx, other.id, "详情页设计"));
        edit(&mut a, by(alice, 7), |tx| commands::rename_task(tx, task.id, "主图拍摄（定稿）"));
        edit(&mut a, by(alice, 8), |tx| commands::assign(tx, task.id, &[bob]));
        a.merge(&mut b).expect("merge");

        let history = task_history(&a, task.id, 100);
        let (bob_id, started) = (bob.to_string(), minute(4).to_string());
        assert_eq!(
            rows(&history),
            vec![
                row("assignees", Some(""), Some(&bob_id), Some(alice), Some(minute(8))),
                row("title", Some("主图拍摄"), Some("主图拍摄（定稿）"), Some(alice), Some(minute(7))),
                row("description", Some(""), Some("白底图"), Some(bob), Some(minute(5))),
                row("status", Some("todo"), Some("in_progress"), Some(bob), Some(minute(4))),
                row("started_at", None, Some(&started), Some(bob), Some(minute(4))),
                row("title", Some("主图"), Some("主图拍摄"), Some(alice), Some(minute(3))),
                row("due", None, Some("2026-03-04"), None, None),
                row("", None, Some("主图"), Some(alice), Some(minute(1))),
            ]
        );
        let bobs = b.get_actor().to_hex_string();
        assert!(history.iter().filter(|c| c.by == Some(bob)).all(|c| c.actor == bobs));
        assert!(history.iter().filter(|c| c.by != Some(bob)).all(|c| c.actor != bobs));
        assert_eq!(
            rows(&task_history(&a, other.id, 100)),
            vec![
                row("title", Some("详情页"), Some("详情页设计"), Some(bob), Some(minute(6))),
                row("", None, Some("详情页"), Some(alice), Some(minute(2))),
            ],
            "edits to one task never show in another's history"
        );
        assert_eq!(rows(&task_history(&a, task.id, 2)), rows(&history[..2]), "the newest first");
        assert!(task_history(&a, crate::TaskId::random(), 100).is_empty());
    }

    #[test]
    fn concurrent_edits_interleave_by_time_the_same_on_every_replica() {
        let (alice, bob) = (MemberId::derived("alice"), MemberId::derived("bob"));
        let mut a = project();
        let task = Task::new("主图", None, T0);
        edit(&mut a, by(alice, 0), |tx| commands::add_task(tx, &task));
        let mut b = a.fork();
        for n in 1..=4 {
            edit(&mut a, by(alice, 10 * n), |tx| commands::rename_task(tx, task.id, &format!("主图 {n}")));
            edit(&mut b, by(bob, 10 * n + 5), |tx| {
                commands::set_dates(tx, task.id, None, Date::from_ymd(2026, 3, n as u32))
            });
        }
        let mut merged_at_b = b.fork();
        merged_at_b.merge(&mut a.clone()).expect("merge");
        a.merge(&mut b).expect("merge");
        let history = task_history(&a, task.id, 100);
        let times: Vec<i64> = history.iter().filter_map(|c| c.at).map(|at| (at - T0) / 60_000).collect();
        assert_eq!(times, [45, 40, 35, 30, 25, 20, 15, 10, 0]);
        assert_eq!(task_history(&merged_at_b, task.id, 100), history);
    }

    #[test]
    fn a_change_made_without_a_stamp_shows_with_no_author_or_time() {
        let mut doc = project();
        let task = Task::new("主图", None, T0);
        unstamped(&mut doc, |tx| commands::add_task(tx, &task));
        let mut foreign = doc.fork();
        foreign
            .transact_with(
                |_| CommitOptions::default().with_message("改标题").with_time(1_767_225_660),
                |tx| commands::rename_task(tx, task.id, "主图拍摄"),
            )
            .map_err(|failure| failure.error)
            .expect("rename");
        let history = task_history(&foreign, task.id, 10);
        assert_eq!(
            rows(&history),
            vec![
                row("title", Some("主图"), Some("主图拍摄"), None, Some(T0 + 60_000)),
                row("", None, Some("主图"), None, None),
            ],
            "a message that is not ours names nobody; the time still shows"
        );
        assert_eq!(history[1].actor, doc.get_actor().to_hex_string());
    }

    #[test]
    fn checklist_ticks_and_comments_show_and_a_deleted_task_says_so() {
        let alice = MemberId::derived("alice");
        let mut doc = project();
        let task = Task::new("主图", None, T0);
        let item = ItemId::random();
        edit(&mut doc, by(alice, 1), |tx| commands::add_task(tx, &task));
        edit(&mut doc, by(alice, 2), |tx| commands::add_checklist_item(tx, task.id, item, "白底图"));
        edit(&mut doc, by(alice, 3), |tx| commands::check_item(tx, task.id, item, true));
        edit(&mut doc, by(alice, 4), |tx| commands::remove_checklist_item(tx, task.id, item));
        edit(&mut doc, by(alice, 5), |tx| {
            commands::add_comment(tx, task.id, alice, "好了", &[], minute(5)).map(drop)
        });
        let day: crate::domain::Date = "2026-11-30".parse().expect("date");
        edit(&mut doc, by(alice, 6), |tx| commands::log_time(tx, task.id, alice, day, 3.5));
        edit(&mut doc, by(alice, 7), |tx| commands::delete_task(tx, task.id));
        let at = |n| Some(minute(n));
        assert_eq!(
            rows(&task_history(&doc, task.id, 10)),
            vec![
                row("", Some("主图"), None, Some(alice), at(7)),
                row("time_entries", Some(""), Some("2026-11-30 3.5 h"), Some(alice), at(6)),
                row("comments", Some(""), Some("好了"), Some(alice), at(5)),
                row("checklist", Some("[x] 白底图"), Some(""), Some(alice), at(4)),
                row("checklist", Some("[ ] 白底图"), Some("[x] 白底图"), Some(alice), at(3)),
                row("checklist", Some(""), Some("[ ] 白底图"), Some(alice), at(2)),
                row("", None, Some("主图"), Some(alice), at(1)),
            ],
            "ticking an item that was later removed still shows"
        );
    }

    #[test]
    fn an_edit_deep_in_a_long_description_shows_where_it_happened() {
        let alice = MemberId::derived("alice");
        let mut doc = project();
        let task = Task::new("主图", None, T0);
        let long = "白".repeat(300);
        edit(&mut doc, by(alice, 1), |tx| commands::add_task(tx, &task));
        edit(&mut doc, by(alice, 2), |tx| commands::edit_description(tx, task.id, 0, 0, &long));
        edit(&mut doc, by(alice, 3), |tx| commands::edit_description(tx, task.id, 250, 0, "黑"));
        let history = task_history(&doc, task.id, 1);
        let [change] = &history[..] else { panic!("{history:?}") };
        let (before, after) =
            (change.before.as_deref().expect("before"), change.after.as_deref().expect("after"));
        assert!(after.contains('黑') && !before.contains('黑'), "{after}");
        assert!(after.starts_with('…') && before.starts_with('…'));
        assert!(after.chars().count() <= MAX_CHARS + 2);
    }

    #[test]
    fn a_task_stored_under_another_spelling_of_its_id_has_its_history() {
        let alice = MemberId::derived("alice");
        let mut doc = project();
        let id = TaskId::random();
        let hyphenated = uuid::Uuid::parse_str(&id.to_string()).expect("uuid").hyphenated().to_string();
        edit(&mut doc, by(alice, 1), |tx| {
            let (_, tasks) = tx.get(ROOT, "tasks")?.ok_or(CommandError::NotAProject("tasks"))?;
            let obj = tx.put_object(&tasks, hyphenated.as_str(), ObjType::Map)?;
            tx.put(&obj, "title", "主图")?;
            Ok(())
        });
        edit(&mut doc, by(alice, 2), |tx| commands::rename_task(tx, id, "主图拍摄"));
        let fields: Vec<String> = task_history(&doc, id, 10).into_iter().map(|c| c.field).collect();
        assert_eq!(fields, ["title", ""]);
    }

    #[test]
    fn stamps_are_kept_to_the_second() {
        let stamp = Stamp { time_ms: T0 + 1_999, by: None };
        let options = stamp.commit_options();
        assert_eq!((options.time, options.message), (Some(T0 / 1000 + 1), None));
    }
}
