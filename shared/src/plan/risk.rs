//! Risk from the team's own history: how often work of a kind slipped, and by how much; and
//! whom to give new work to.

use std::collections::BTreeMap;

use crate::MemberId;
use crate::domain::{Date, Task};

/// Fewer finished tasks of a kind than this say nothing about it.
pub const MIN_SAMPLES: usize = 3;

/// How work with one tag went before.
#[derive(Debug, Clone, PartialEq)]
pub struct TagRecord {
    pub tag: String,
    pub finished: usize,
    pub slipped: usize,
    /// Average slip of those that slipped, in days.
    pub average_slip_days: f64,
}

impl TagRecord {
    pub fn slip_rate(&self) -> f64 {
        if self.finished == 0 { 0.0 } else { self.slipped as f64 / self.finished as f64 }
    }

    /// "包装设计 tasks slipped 4 of 5 times, by 2.3 days on average".
    pub fn explain(&self, chinese: bool) -> String {
        if chinese {
            format!(
                "{}类任务 {} 次中有 {} 次延期，平均延期 {:.1} 天",
                self.tag, self.finished, self.slipped, self.average_slip_days
            )
        } else {
            format!(
                "{} tasks slipped {} of {} times, by {:.1} days on average",
                self.tag, self.slipped, self.finished, self.average_slip_days
            )
        }
    }
}

/// How work of one kind went for one member: tasks with the tag they finished, and how many
/// of those by their due day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberRecord {
    pub done: usize,
    pub on_time: usize,
}

/// The team's record per tag, from finished tasks that had a due date; and each member's per
/// tag, from the finished tasks they were assigned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub tags: BTreeMap<String, TagRecord>,
    /// Per tag, per member.
    pub members: BTreeMap<String, BTreeMap<MemberId, MemberRecord>>,
}

/// When a task was finished, as a day.
fn finished_on(task: &Task) -> Option<Date> {
    task.completed_at.map(Date::from_millis)
}

impl History {
    /// Learns from every finished task: the tags' records from those with a due date, the
    /// members' from those assigned.
    pub fn learn<'a>(tasks: impl IntoIterator<Item = &'a Task>) -> Self {
        let mut slips: BTreeMap<String, (usize, Vec<f64>)> = BTreeMap::new();
        let mut members: BTreeMap<String, BTreeMap<MemberId, MemberRecord>> = BTreeMap::new();
        for task in tasks.into_iter().filter(|t| t.is_done()) {
            let on_time = matches!((finished_on(task), task.due), (Some(done), Some(due)) if done <= due);
            for tag in task.tags.iter().filter(|_| !task.assignees.is_empty()) {
                // The tag's name is copied once per tag, not once per task.
                let by_member = match members.get_mut(tag) {
                    Some(by_member) => by_member,
                    None => members.entry(tag.clone()).or_default(),
                };
                for member in &task.assignees {
                    let record = by_member.entry(*member).or_default();
                    record.done += 1;
                    record.on_time += usize::from(on_time);
                }
            }
            let (Some(done), Some(due)) = (finished_on(task), task.due) else {
                continue;
            };
            let slip = done.days() - due.days();
            for tag in &task.tags {
                let entry = slips.entry(tag.clone()).or_default();
                entry.0 += 1;
                if slip > 0 {
                    entry.1.push(f64::from(slip));
                }
            }
        }
        let tags = slips
            .into_iter()
            .map(|(tag, (finished, slipped))| {
                let average =
                    if slipped.is_empty() { 0.0 } else { slipped.iter().sum::<f64>() / slipped.len() as f64 };
                (tag.clone(), TagRecord { tag, finished, slipped: slipped.len(), average_slip_days: average })
            })
            .collect();
        Self { tags, members }
    }

    /// Adds what another plan's history says: the team's record across its plans. The same
    /// as learning from both plans' tasks at once.
    pub fn merge(&mut self, other: &History) {
        for (tag, theirs) in &other.tags {
            let ours = self.tags.entry(tag.clone()).or_insert_with(|| TagRecord {
                tag: tag.clone(),
                finished: 0,
                slipped: 0,
                average_slip_days: 0.0,
            });
            let slipped = ours.slipped + theirs.slipped;
            if slipped > 0 {
                ours.average_slip_days = (ours.average_slip_days * ours.slipped as f64
                    + theirs.average_slip_days * theirs.slipped as f64)
                    / slipped as f64;
            }
            ours.finished += theirs.finished;
            ours.slipped = slipped;
        }
        for (tag, by_member) in &other.members {
            let ours = self.members.entry(tag.clone()).or_default();
            for (member, theirs) in by_member {
                let ours = ours.entry(*member).or_default();
                ours.done += theirs.done;
                ours.on_time += theirs.on_time;
            }
        }
    }

    /// `member`'s record on work like `task`: of the task's tags, the one they finished most
    /// of (then the most on time). A task with two tags counts once for each, so their records
    /// are not added up.
    pub fn record_of(&self, member: MemberId, task: &Task) -> MemberRecord {
        task.tags
            .iter()
            .filter_map(|tag| self.members.get(tag)?.get(&member))
            .max_by_key(|r| (r.done, r.on_time))
            .copied()
            .unwrap_or_default()
    }

    /// The riskiest record among the task's tags, if the history knows enough of any.
    pub fn risk_for(&self, task: &Task) -> Option<&TagRecord> {
        task.tags
            .iter()
            .filter_map(|tag| self.tags.get(tag))
            .filter(|r| r.finished >= MIN_SAMPLES)
            .max_by(|a, b| a.slip_rate().total_cmp(&b.slip_rate()).then(a.tag.cmp(&b.tag).reverse()))
    }
}

/// Whom to give a task, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub member: MemberId,
    /// Hours already planned for them over the task's days.
    pub load_hours: f64,
    /// Tasks like this one (with its tag they finished most of) they finished before, in
    /// any of the team's plans, and how many on time.
    pub similar_done: usize,
    pub similar_on_time: usize,
}

/// The least-loaded member with a record on similar tasks in the team's `history` (anyone, if
/// nobody has one); ties go to the better on-time record. `load` gives each member's planned
/// hours over the task's days.
pub fn suggest_assignee(
    task: &Task,
    members: impl IntoIterator<Item = MemberId>,
    history: &History,
    load: impl Fn(MemberId) -> f64,
) -> Option<Suggestion> {
    let candidates: Vec<Suggestion> = members
        .into_iter()
        .map(|member| {
            let record = history.record_of(member, task);
            Suggestion {
                member,
                load_hours: load(member),
                similar_done: record.done,
                similar_on_time: record.on_time,
            }
        })
        .collect();
    let experienced = candidates.iter().any(|c| c.similar_done > 0);
    candidates.into_iter().filter(|c| !experienced || c.similar_done > 0).min_by(|a, b| {
        a.load_hours
            .total_cmp(&b.load_hours)
            .then_with(|| rate(b).total_cmp(&rate(a)))
            .then_with(|| b.similar_done.cmp(&a.similar_done))
            .then_with(|| a.member.cmp(&b.member))
    })
}

fn rate(s: &Suggestion) -> f64 {
    if s.similar_done == 0 { 0.0 } else { s.similar_on_time as f64 / s.similar_done as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Status;

    fn done(tag: &str, due: &str, finished: &str, who: MemberId) -> Task {
        let mut t = Task::new(tag, None, 0);
        t.tags = vec![tag.into()];
        t.status = Status::Done;
        t.due = Some(due.parse().expect("date"));
        let day: Date = finished.parse().expect("date");
        t.completed_at = Some(i64::from(day.days()) * 86_400_000 + 3_600_000);
        t.assignees = vec![who];
        t
    }

    #[test]
    fn explains_slips_from_history() {
        let who = MemberId::random();
        let history = vec![
            done("包装设计", "2026-03-01", "2026-03-03", who),
            done("包装设计", "2026-04-01", "2026-04-04", who),
            done("包装设计", "2026-05-01", "2026-05-03", who),
            done("包装设计", "2026-06-01", "2026-06-04", who),
            done("包装设计", "2026-07-01", "2026-07-01", who),
            done("客服培训", "2026-07-01", "2026-07-01", who),
        ];
        let learned = History::learn(&history);
        let mut next = Task::new("新包装", None, 0);
        next.tags = vec!["包装设计".into(), "客服培训".into()];
        let risk = learned.risk_for(&next).expect("enough history");
        assert_eq!((risk.slipped, risk.finished), (4, 5));
        assert_eq!(risk.explain(false), "包装设计 tasks slipped 4 of 5 times, by 2.5 days on average");
        assert_eq!(risk.explain(true), "包装设计类任务 5 次中有 4 次延期，平均延期 2.5 天");
        next.tags = vec!["客服培训".into()];
        assert_eq!(learned.risk_for(&next), None, "one task says nothing");
    }

    #[test]
    fn two_plans_histories_merged_say_what_both_plans_tasks_say() {
        let who = MemberId::random();
        let spring = vec![
            done("包装设计", "2026-03-01", "2026-03-03", who),
            done("包装设计", "2026-04-01", "2026-04-01", who),
            done("客服培训", "2026-04-01", "2026-04-02", who),
        ];
        let autumn = vec![
            done("包装设计", "2026-09-01", "2026-09-05", who),
            done("直播脚本", "2026-09-01", "2026-09-01", who),
        ];
        let mut merged = History::learn(&spring);
        merged.merge(&History::learn(&autumn));
        assert_eq!(merged, History::learn(spring.iter().chain(&autumn)));
        let packaging = &merged.tags["包装设计"];
        assert_eq!((packaging.finished, packaging.slipped, packaging.average_slip_days), (3, 2, 3.0));
        // Neither plan alone knows enough of 包装设计 to call it a risk; together they do.
        let mut next = Task::new("新包装", None, 0);
        next.tags = vec!["包装设计".into()];
        assert_eq!(History::learn(&spring).risk_for(&next), None);
        assert!(merged.risk_for(&next).is_some());
    }

    #[test]
    fn suggests_the_least_loaded_person_who_has_done_this_before() {
        let (a, b, c) = (MemberId::random(), MemberId::random(), MemberId::random());
        let history = vec![
            done("页面优化", "2026-03-01", "2026-03-01", a),
            done("页面优化", "2026-03-05", "2026-03-09", b),
        ];
        let mut task = Task::new("详情页优化", None, 0);
        task.tags = vec!["页面优化".into()];
        // c has no record; a and b do; b is less loaded.
        let load = |m: MemberId| {
            if m == a {
                30.0
            } else if m == b {
                10.0
            } else {
                0.0
            }
        };
        let learned = History::learn(&history);
        let pick = suggest_assignee(&task, [a, b, c], &learned, load).expect("someone");
        assert_eq!(pick.member, b);
        // Equal load: the better on-time record wins.
        let pick = suggest_assignee(&task, [a, b, c], &learned, |_| 5.0).expect("someone");
        assert_eq!(pick.member, a);
        assert_eq!((pick.similar_done, pick.similar_on_time), (1, 1));
    }

    #[test]
    fn a_record_made_in_another_plan_counts_for_the_suggestion() {
        let (a, b) = (MemberId::random(), MemberId::random());
        // Last year's plan: b finished three 包装设计 tasks, two on time. This plan: none yet.
        let last_year = vec![
            done("包装设计", "2025-10-01", "2025-10-01", b),
            done("包装设计", "2025-10-05", "2025-10-05", b),
            done("包装设计", "2025-10-09", "2025-10-12", b),
        ];
        let mut this_year = History::default();
        this_year.merge(&History::learn(&last_year));
        let mut task = Task::new("礼盒包装", None, 0);
        task.tags = vec!["包装设计".into(), "礼盒".into()];
        // a is less loaded, but b is the one who has done this before.
        let load = |m: MemberId| if m == a { 0.0 } else { 8.0 };
        let pick = suggest_assignee(&task, [a, b], &this_year, load).expect("someone");
        assert_eq!((pick.member, pick.similar_done, pick.similar_on_time), (b, 3, 2));
        // A task with both tags counts once, not once per tag.
        let mut both = last_year[0].clone();
        both.tags.push("礼盒".into());
        let learned = History::learn([&both]);
        assert_eq!(learned.record_of(b, &task), MemberRecord { done: 1, on_time: 1 });
    }
}
