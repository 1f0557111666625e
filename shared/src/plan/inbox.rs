//! What one member should know about a plan: work of theirs that is overdue or due soon,
//! approvals waiting for them and decided on their work, where they were mentioned, and what
//! they were given. Computed from the plan alone, so it works offline; each entry has a key
//! that stays the same as long as the event does, for marking it read.

use super::schedule::Schedule;
use crate::TaskId;
use crate::domain::{ApprovalState, Date, Member, Project, Task};
use crate::{ItemId, MemberId};

/// How many days ahead work counts as due soon.
pub const DUE_SOON_DAYS: i32 = 7;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Assigned to the member, not done, due `days` ago.
    Overdue { due: Date, days: i32 },
    /// Assigned to the member, not done, due in `days` (0: today).
    DueSoon { due: Date, days: i32 },
    /// The task waits for approval by a role the member holds.
    ApprovalWaiting,
    /// Work assigned to the member was approved or rejected.
    ApprovalDecided { approved: bool, by: MemberId, at: i64, reason: String },
    /// Someone mentioned the member in a comment.
    Mentioned { comment: ItemId, by: MemberId, at: i64, body: String },
    /// The task is assigned to the member (and not done).
    Assigned,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Stable while the event is the same: a new due day, decision or comment is a new key.
    pub key: String,
    pub task: TaskId,
    pub title: String,
    pub event: Event,
}

/// Everything in `project` for `me`, as of `today`: due dates are the task's own, else its
/// planned finish in `schedule`. Mentions and decisions newest first, then the rest by due day.
pub fn entries(project: &Project, schedule: Option<&Schedule>, me: &Member, today: Date) -> Vec<Entry> {
    let mut out = Vec::new();
    for task in project.tasks.values() {
        let entry = |key: String, event| Entry { key, task: task.id, title: task.title.clone(), event };
        let mine = task.assignees.contains(&me.id);
        let due = task.due.or_else(|| schedule.and_then(|s| s.tasks.get(&task.id)).map(|p| p.finish));
        if mine && !task.is_done() {
            out.push(entry(format!("assigned/{}/{}", task.id, me.id), Event::Assigned));
            if let Some(due) = due {
                let days = due.days() - today.days();
                if days < 0 {
                    out.push(entry(
                        format!("overdue/{}/{due}", task.id),
                        Event::Overdue { due, days: -days },
                    ));
                } else if days <= DUE_SOON_DAYS {
                    out.push(entry(format!("due/{}/{due}", task.id), Event::DueSoon { due, days }));
                }
            }
        }
        if let Some(approval) = &task.approval {
            match &approval.state {
                ApprovalState::Pending if me.has(approval.role) && !task.is_done() => {
                    out.push(entry(format!("approve/{}", task.id), Event::ApprovalWaiting));
                }
                ApprovalState::Approved { by, at } if mine => out.push(entry(
                    format!("decided/{}/{at}", task.id),
                    Event::ApprovalDecided { approved: true, by: *by, at: *at, reason: String::new() },
                )),
                ApprovalState::Rejected { by, at, reason } if mine => out.push(entry(
                    format!("decided/{}/{at}", task.id),
                    Event::ApprovalDecided { approved: false, by: *by, at: *at, reason: reason.clone() },
                )),
                _ => {}
            }
        }
        out.extend(mentions(task, me).map(|(comment, by, at, body)| {
            entry(format!("mention/{comment}"), Event::Mentioned { comment, by, at, body })
        }));
    }
    out.sort_by_key(|e| order(&e.event));
    out
}

/// Comments that mention `me`, not written by `me`.
fn mentions<'a>(
    task: &'a Task,
    me: &'a Member,
) -> impl Iterator<Item = (ItemId, MemberId, i64, String)> + 'a {
    task.comments
        .iter()
        .filter(|c| c.mentions.contains(&me.id) && c.author != me.id)
        .map(|c| (c.id, c.author, c.at, c.body.clone()))
}

/// Newest events first, then what is due soonest.
fn order(event: &Event) -> (u8, i64) {
    match event {
        Event::Mentioned { at, .. } | Event::ApprovalDecided { at, .. } => (0, -at),
        Event::ApprovalWaiting => (1, 0),
        Event::Overdue { due, .. } | Event::DueSoon { due, .. } => (2, i64::from(due.days())),
        Event::Assigned => (3, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Approval, Comment, ProjectKind, Role};

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn a_members_entries_say_what_concerns_them() {
        let me = Member::new("小周", vec![Role::Editor]);
        let lead = Member::new("王主管", vec![Role::Admin]);
        let mut project = Project::new("口红", ProjectKind::Launch, 0);
        let task = |title: &str, due: &str| {
            let mut t = Task::new(title, None, 0);
            t.due = Some(d(due));
            t
        };
        let mut late = task("主图", "2026-11-20");
        late.assignees = vec![me.id];
        let mut soon = task("详情页", "2026-12-02");
        soon.assignees = vec![me.id];
        let mut someone_elses = task("直播脚本", "2026-11-01");
        someone_elses.assignees = vec![lead.id];
        someone_elses.comments.push(Comment {
            id: ItemId::derived("c1"),
            author: lead.id,
            at: 5,
            body: "@小周 帮忙看下".into(),
            mentions: vec![me.id],
        });
        let mut decided = task("上架审核", "2026-12-20");
        decided.assignees = vec![me.id];
        decided.approval = Some(Approval {
            role: Role::Admin,
            state: ApprovalState::Rejected { by: lead.id, at: 9, reason: "价格不对".into() },
        });
        let mut for_admins = task("预算审批", "2026-12-30");
        for_admins.approval = Some(Approval { role: Role::Admin, state: ApprovalState::Pending });
        for t in [late.clone(), soon.clone(), someone_elses.clone(), decided.clone(), for_admins.clone()] {
            project.tasks.insert(t.id, t);
        }

        let today = d("2026-11-30");
        let mine = entries(&project, None, &me, today);
        let kinds: Vec<(&str, &Event)> = mine.iter().map(|e| (e.title.as_str(), &e.event)).collect();
        assert!(
            matches!(kinds[0], ("上架审核", Event::ApprovalDecided { approved: false, .. })),
            "{kinds:?}"
        );
        assert!(matches!(kinds[1], ("直播脚本", Event::Mentioned { at: 5, .. })), "{kinds:?}");
        assert!(kinds.contains(&("主图", &Event::Overdue { due: d("2026-11-20"), days: 10 })));
        assert!(kinds.contains(&("详情页", &Event::DueSoon { due: d("2026-12-02"), days: 2 })));
        assert!(!kinds.iter().any(|(title, _)| *title == "预算审批"), "an editor approves nothing");
        assert_eq!(mine.iter().filter(|e| e.event == Event::Assigned).count(), 3);

        // The admin is asked to approve, and is not told about the mention of someone else.
        let theirs = entries(&project, None, &lead, today);
        assert!(theirs.iter().any(|e| e.title == "预算审批" && e.event == Event::ApprovalWaiting));
        assert!(!theirs.iter().any(|e| matches!(e.event, Event::Mentioned { .. })));
        // Keys stay the same for the same event, and differ between events.
        let again = entries(&project, None, &me, today);
        assert_eq!(
            mine.iter().map(|e| &e.key).collect::<Vec<_>>(),
            again.iter().map(|e| &e.key).collect::<Vec<_>>()
        );
        let mut keys: Vec<&String> = mine.iter().map(|e| &e.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), mine.len());
    }
}
