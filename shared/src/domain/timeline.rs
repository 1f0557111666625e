//! The plan as it stood at an earlier moment, and what has changed since: the history
//! slider.
//!
//! Automerge keeps every change, so any earlier state is the document read at the heads it
//! had then, in one pass ([`project_at`]). The moments offered are the ends of editing
//! bursts ([`moments`]): one person's changes at most [`BURST_MS`] apart read as one step,
//! so typing a description is one stop on the slider and not one per keystroke.

use std::collections::BTreeSet;

use automerge::{Automerge, ChangeHash};

use super::history::{change_author, change_time, oldest_first};
use super::read::{NotReadable, read_project_value};
use crate::MemberId;
use crate::domain::{Date, Project, Status, Task};

/// How far apart one person's changes may be and still be one moment: keystrokes and a
/// drag's steps, not a pause to think.
pub const BURST_MS: i64 = 10 * 1000;

/// One stop on the slider: the document just after a burst of one person's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    /// When its last change was made, in milliseconds since the Unix epoch; `None` for
    /// changes made before they were stamped.
    pub at: Option<i64>,
    /// Who made it, where the changes say.
    pub by: Option<MemberId>,
    /// The document's heads just after it: read the plan there with [`project_at`].
    pub heads: Vec<ChangeHash>,
    /// How many changes the document held then.
    pub changes: usize,
}

/// Every moment of `doc`'s history, oldest first; the last is the document as it is now.
///
/// The changes are taken in an order where each follows those it depends on (concurrent
/// ones by time), so every prefix is a state the document could be read at. It reads
/// every change once.
pub fn moments(doc: &Automerge) -> Vec<Moment> {
    let changes = doc.get_changes(&[]);
    let mut heads: BTreeSet<ChangeHash> = BTreeSet::new();
    let mut found: Vec<Moment> = Vec::new();
    // The author (member, else actor) and time of the last change taken.
    let mut last: Option<(String, Option<i64>)> = None;
    for (n, &i) in oldest_first(&changes).iter().enumerate() {
        let change = &changes[i];
        for dep in change.deps() {
            heads.remove(dep);
        }
        heads.insert(change.hash());
        let (at, by) = (change_time(change), change_author(change));
        let who = by.map_or_else(|| change.actor_id().to_hex_string(), |by| by.to_string());
        let same_burst = match (&last, at) {
            (Some((before, Some(then))), Some(now)) => {
                *before == who && (0..=BURST_MS).contains(&(now - then))
            }
            _ => false,
        };
        let moment = Moment { at, by, heads: heads.iter().copied().collect(), changes: n + 1 };
        match found.last_mut() {
            Some(previous) if same_burst => *previous = moment,
            _ => found.push(moment),
        }
        last = Some((who, at));
    }
    found
}

/// The plan in `doc` as it stood at `heads` (one of its [`Moment`]s), read in one pass.
pub fn project_at(doc: &Automerge, heads: &[ChangeHash]) -> Result<Project, NotReadable> {
    Ok(read_project_value(&doc.hydrate(Some(heads)))?.project)
}

/// A task whose due day was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redated {
    pub title: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// What changed between an earlier state of a plan and a later one, task by task (each
/// list in the order the tasks were added).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Since {
    /// Tasks added since, by title.
    pub added: Vec<String>,
    /// Tasks deleted since, by their title then.
    pub removed: Vec<String>,
    /// Tasks done now that were not then (added since and done too).
    pub finished: Vec<String>,
    /// Tasks done then and open again now.
    pub reopened: Vec<String>,
    /// (title then, title now).
    pub renamed: Vec<(String, String)>,
    /// Tasks kept whose due day moved.
    pub redated: Vec<Redated>,
    /// The launch day, then and now, where it moved.
    pub launch: Option<(Option<Date>, Option<Date>)>,
}

impl Since {
    /// Nothing changed that these lists tell.
    pub fn is_empty(&self) -> bool {
        *self == Since::default()
    }
}

/// What changed from `then` to `now`.
pub fn since(then: &Project, now: &Project) -> Since {
    let done = |task: &Task| task.status == Status::Done;
    let mut since = Since {
        launch: (then.meta.launch != now.meta.launch).then_some((then.meta.launch, now.meta.launch)),
        ..Since::default()
    };
    for task in in_added_order(now) {
        match then.tasks.get(&task.id) {
            None => since.added.push(task.title.clone()),
            Some(before) => {
                if before.title != task.title {
                    since.renamed.push((before.title.clone(), task.title.clone()));
                }
                if before.due != task.due {
                    since.redated.push(Redated { title: task.title.clone(), from: before.due, to: task.due });
                }
                if done(before) && !done(task) {
                    since.reopened.push(task.title.clone());
                }
            }
        }
        if done(task) && !then.tasks.get(&task.id).is_some_and(done) {
            since.finished.push(task.title.clone());
        }
    }
    since.removed =
        in_added_order(then).filter(|t| !now.tasks.contains_key(&t.id)).map(|t| t.title.clone()).collect();
    since
}

/// The plan's tasks in the order they were added.
pub fn in_added_order(project: &Project) -> impl Iterator<Item = &Task> {
    let mut tasks: Vec<&Task> = project.tasks.values().collect();
    tasks.sort_by_key(|t| (t.created_at, t.id));
    tasks.into_iter()
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transaction;

    use super::*;
    use crate::domain::ProjectKind;
    use crate::domain::commands::{self, CommandError};
    use crate::domain::history::Stamp;

    /// 2026-10-01 00:00 UTC, in milliseconds.
    const T0: i64 = 1_790_812_800_000;

    /// `n` seconds after T0.
    fn second(n: i64) -> i64 {
        T0 + n * 1000
    }

    fn edit(
        doc: &mut Automerge,
        by: MemberId,
        seconds: i64,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>,
    ) {
        let stamp = Stamp { time_ms: second(seconds), by: Some(by) };
        doc.transact_with(|_| stamp.commit_options(), f).map_err(|failure| failure.error).expect("edit");
    }

    fn titles(project: &Project) -> Vec<String> {
        in_added_order(project).map(|t| t.title.clone()).collect()
    }

    fn day(text: &str) -> Option<Date> {
        Some(text.parse().expect("a date"))
    }

    #[test]
    fn each_persons_burst_of_edits_is_one_moment_and_each_moment_reads_as_the_plan_then() {
        let (lead, designer) = (MemberId::derived("lead"), MemberId::derived("designer"));
        let mut doc = Automerge::new();
        doc.transact(|tx| commands::create_project(tx, &Project::new("双十一", ProjectKind::Campaign, T0)))
            .map_err(|f| f.error)
            .expect("create");
        let banner = Task::new("首页banner", None, second(1));
        let coupon = Task::new("优惠券配置", None, second(2));
        // The lead adds two tasks a second apart: one moment.
        edit(&mut doc, lead, 1, |tx| commands::add_task(tx, &banner));
        edit(&mut doc, lead, 2, |tx| commands::add_task(tx, &coupon));
        // The designer renames the banner three times, two seconds apart: one moment.
        for (n, title) in ["首页banner设计", "首页banner设计稿", "首页banner定稿"].into_iter().enumerate()
        {
            edit(&mut doc, designer, 3 + 2 * n as i64, |tx| commands::rename_task(tx, banner.id, title));
        }
        // The lead again, a minute later: a moment of its own.
        edit(&mut doc, lead, 60, |tx| commands::delete_task(tx, coupon.id));

        let found = moments(&doc);
        let shape: Vec<(Option<i64>, Option<MemberId>, usize)> =
            found.iter().map(|m| (m.at, m.by, m.changes)).collect();
        assert_eq!(
            shape,
            vec![
                (None, None, 1),
                (Some(second(2)), Some(lead), 3),
                (Some(second(7)), Some(designer), 6),
                (Some(second(60)), Some(lead), 7),
            ]
        );
        assert_eq!(found.last().map(|m| m.heads.clone()), Some(doc.get_heads()), "the last is now");
        let read = |m: &Moment| titles(&project_at(&doc, &m.heads).expect("a plan"));
        let plans: Vec<Vec<String>> = found.iter().map(read).collect();
        assert_eq!(
            plans,
            vec![
                vec![],
                vec!["首页banner".to_owned(), "优惠券配置".to_owned()],
                vec!["首页banner定稿".to_owned(), "优惠券配置".to_owned()],
                vec!["首页banner定稿".to_owned()],
            ]
        );
    }

    #[test]
    fn concurrent_edits_give_moments_that_each_read_and_end_at_the_merged_heads() {
        let (a, b) = (MemberId::derived("a"), MemberId::derived("b"));
        let mut one = Automerge::new();
        one.transact(|tx| commands::create_project(tx, &Project::new("618", ProjectKind::Campaign, T0)))
            .map_err(|f| f.error)
            .expect("create");
        let mut two = one.fork();
        edit(&mut one, a, 1, |tx| commands::add_task(tx, &Task::new("直播排期", None, second(1))));
        edit(&mut two, b, 2, |tx| commands::add_task(tx, &Task::new("仓库备货", None, second(2))));
        edit(&mut one, a, 30, |tx| commands::add_task(tx, &Task::new("客服话术", None, second(30))));
        one.merge(&mut two).expect("merge");

        let found = moments(&one);
        let counts: Vec<usize> =
            found.iter().map(|m| project_at(&one, &m.heads).expect("a plan").tasks.len()).collect();
        assert_eq!(counts, vec![0, 1, 2, 3]);
        assert_eq!(found[2].heads.len(), 2, "after the concurrent pair, both are heads");
        assert_eq!(found.last().map(|m| m.heads.clone()), Some(one.get_heads()));
    }

    #[test]
    fn since_tells_what_was_added_removed_finished_reopened_renamed_and_redated() {
        let mut then = Project::new("双十一", ProjectKind::Campaign, T0);
        then.meta.launch = day("2026-11-11");
        let mut task = |title: &str, n: i64, status: Status, due: Option<Date>| {
            let mut task = Task::new(title, None, second(n));
            task.status = status;
            task.due = due;
            then.tasks.insert(task.id, task.clone());
            task.id
        };
        let banner = task("首页banner", 1, Status::InProgress, day("2026-11-01"));
        let coupon = task("优惠券配置", 2, Status::Done, None);
        let stock = task("仓库备货", 3, Status::Todo, day("2026-11-05"));
        let training = task("客服培训", 4, Status::Todo, None);
        let untouched = task("物流对接", 5, Status::Todo, day("2026-11-06"));

        let mut now = then.clone();
        now.meta.launch = day("2026-11-12");
        let edit = |now: &mut Project, id, f: &dyn Fn(&mut Task)| f(now.tasks.get_mut(&id).expect("task"));
        edit(&mut now, banner, &|t| {
            t.title = "首页banner定稿".into();
            t.status = Status::Done;
        });
        edit(&mut now, coupon, &|t| t.status = Status::InProgress);
        edit(&mut now, stock, &|t| t.due = day("2026-11-08"));
        now.tasks.remove(&training);
        let mut live = Task::new("直播排期", None, second(9));
        live.status = Status::Done;
        now.tasks.insert(live.id, live);
        assert!(now.tasks.contains_key(&untouched));

        let found = since(&then, &now);
        assert_eq!(
            found,
            Since {
                added: vec!["直播排期".into()],
                removed: vec!["客服培训".into()],
                finished: vec!["首页banner定稿".into(), "直播排期".into()],
                reopened: vec!["优惠券配置".into()],
                renamed: vec![("首页banner".into(), "首页banner定稿".into())],
                redated: vec![Redated {
                    title: "仓库备货".into(),
                    from: day("2026-11-05"),
                    to: day("2026-11-08")
                }],
                launch: Some((day("2026-11-11"), day("2026-11-12"))),
            }
        );
        assert!(since(&now, &now).is_empty());
    }
}
