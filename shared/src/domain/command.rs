//! Everything a person can do to a plan, as a value. The app edits plans only by applying
//! commands, each inside one transaction: a command that fails writes nothing, role checks
//! have one place to look, and undo takes a whole command back at once.

use automerge::transaction::Transaction;
use serde::{Deserialize, Serialize};

use super::commands::{self, CommandError, TaskField};
use super::{Attachment, Date, Dependency, Member, Phase, Role, Status, Task, WorkCalendar};
use crate::{ItemId, MemberId, PhaseId, TaskId};

/// One thing a person does to a plan. Times are milliseconds since the Unix epoch, carried in
/// the command so that applying it is deterministic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    RenameProject {
        name: String,
    },
    /// The plan's launch or campaign day; `None` clears it.
    SetLaunch {
        launch: Option<Date>,
    },
    /// The most cards the board's column for `status` should hold; `None` lifts the limit.
    SetWipLimit {
        status: Status,
        limit: Option<u32>,
    },
    AddTask {
        id: TaskId,
        title: String,
        phase: Option<PhaseId>,
        at: i64,
    },
    RenameTask {
        id: TaskId,
        title: String,
    },
    SetStatus {
        id: TaskId,
        status: Status,
        at: i64,
    },
    DeleteTask {
        id: TaskId,
    },
    /// Sets one of the task's simpler fields (team, priority, tags, SKU, duration, estimate).
    SetField {
        id: TaskId,
        #[serde(flatten)]
        field: TaskField,
    },
    /// Edits the description in place: at character `index`, removes `delete` characters and
    /// inserts `insert` (concurrent typing merges).
    EditDescription {
        id: TaskId,
        index: usize,
        delete: usize,
        insert: String,
    },
    AddChecklistItem {
        id: TaskId,
        item: ItemId,
        text: String,
    },
    CheckItem {
        id: TaskId,
        item: ItemId,
        done: bool,
    },
    RemoveChecklistItem {
        id: TaskId,
        item: ItemId,
    },
    Assign {
        id: TaskId,
        members: Vec<MemberId>,
    },
    SetDates {
        id: TaskId,
        start: Option<Date>,
        due: Option<Date>,
    },
    /// Saves each listed task's baseline, `(task, start, due)`: where it is planned now, drawn
    /// under its bar from then on. Tasks not listed keep theirs.
    SetBaseline {
        tasks: Vec<(TaskId, Date, Date)>,
    },
    /// Removes every task's baseline.
    ClearBaseline,
    /// Moves the task to start on `start`; its dependents follow when the project asks.
    MoveTask {
        id: TaskId,
        start: Date,
    },
    AddDependency {
        id: TaskId,
        dependency: Dependency,
    },
    RemoveDependency {
        id: TaskId,
        on: TaskId,
    },
    RequireApproval {
        id: TaskId,
        role: Role,
    },
    /// The acting member approves.
    Approve {
        id: TaskId,
        at: i64,
    },
    /// The acting member rejects, saying why.
    Reject {
        id: TaskId,
        reason: String,
        at: i64,
    },
    /// The acting member logs hours.
    LogTime {
        id: TaskId,
        date: Date,
        hours: f64,
    },
    /// Removes a time entry (the acting member's own, or any for an admin or owner).
    RemoveTimeEntry {
        id: TaskId,
        entry: ItemId,
    },
    /// Attaches a file already uploaded to the relay under its hash.
    Attach {
        id: TaskId,
        attachment: Attachment,
    },
    /// Takes a file off the task (the relay keeps the blob: other tasks may hold it too).
    Detach {
        id: TaskId,
        hash: String,
    },
    /// Several commands as one (bulk edits of selected tasks): all apply, in order, or none;
    /// one undo takes them all back.
    Batch {
        commands: Vec<Command>,
    },
    AddPhase {
        id: PhaseId,
        name: String,
    },
    DeletePhase {
        id: PhaseId,
    },
}

/// What a command needs to know beyond the document: who acts, the workspace's people and
/// its working calendar.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub actor: Option<&'a Member>,
    pub members: &'a [Member],
    pub calendar: &'a WorkCalendar,
}

/// What applying a command did beyond its own edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Tasks that moved (a moved task and the dependents that followed it).
    pub moved: Vec<TaskId>,
}

impl Command {
    /// Applies the command inside `tx`. On failure the caller rolls the transaction back.
    pub fn apply(&self, tx: &mut Transaction<'_>, cx: Context<'_>) -> Result<Outcome, CommandError> {
        let actor = || cx.actor.ok_or(CommandError::NotAMember);
        match self {
            Command::RenameProject { name } => commands::rename_project(tx, name)?,
            Command::SetLaunch { launch } => commands::set_launch(tx, *launch)?,
            Command::SetWipLimit { status, limit } => commands::set_wip_limit(tx, status, *limit)?,
            Command::AddTask { id, title, phase, at } => {
                let mut task = Task::new(title.clone(), *phase, *at);
                task.id = *id;
                commands::add_task(tx, &task)?;
            }
            Command::RenameTask { id, title } => commands::rename_task(tx, *id, title)?,
            Command::SetStatus { id, status, at } => commands::set_status(tx, *id, status, *at)?,
            Command::DeleteTask { id } => commands::delete_task(tx, *id)?,
            Command::SetField { id, field } => commands::set_field(tx, *id, field)?,
            Command::EditDescription { id, index, delete, insert } => {
                commands::edit_description(tx, *id, *index, *delete, insert)?
            }
            Command::AddChecklistItem { id, item, text } => {
                commands::add_checklist_item(tx, *id, *item, text)?
            }
            Command::CheckItem { id, item, done } => commands::check_item(tx, *id, *item, *done)?,
            Command::RemoveChecklistItem { id, item } => commands::remove_checklist_item(tx, *id, *item)?,
            Command::Assign { id, members } => commands::assign(tx, *id, members)?,
            Command::SetDates { id, start, due } => commands::set_dates(tx, *id, *start, *due)?,
            Command::SetBaseline { tasks } => commands::set_baseline(tx, tasks)?,
            Command::ClearBaseline => commands::clear_baseline(tx)?,
            Command::MoveTask { id, start } => {
                return Ok(Outcome { moved: commands::move_task(tx, *id, *start, cx.calendar)? });
            }
            Command::AddDependency { id, dependency } => commands::add_dependency(tx, *id, *dependency)?,
            Command::RemoveDependency { id, on } => commands::remove_dependency(tx, *id, *on)?,
            Command::RequireApproval { id, role } => commands::require_approval(tx, *id, *role)?,
            Command::Approve { id, at } => commands::approve(tx, *id, actor()?, *at)?,
            Command::Reject { id, reason, at } => commands::reject(tx, *id, actor()?, reason, *at)?,
            Command::LogTime { id, date, hours } => commands::log_time(tx, *id, actor()?.id, *date, *hours)?,
            Command::RemoveTimeEntry { id, entry } => commands::remove_time_entry(tx, *id, actor()?, *entry)?,
            Command::Attach { id, attachment } => commands::attach(tx, *id, attachment)?,
            Command::Detach { id, hash } => commands::detach(tx, *id, hash)?,
            Command::Batch { commands } => {
                let mut moved = Vec::new();
                for command in commands {
                    for task in command.apply(tx, cx)?.moved {
                        if !moved.contains(&task) {
                            moved.push(task);
                        }
                    }
                }
                return Ok(Outcome { moved });
            }
            Command::AddPhase { id, name } => {
                commands::add_phase(tx, &Phase { id: *id, name: name.clone() })?
            }
            Command::DeletePhase { id } => commands::delete_phase(tx, *id)?,
        }
        Ok(Outcome::default())
    }
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;

    use super::*;
    use crate::domain::{Project, ProjectKind, commands::read_project};

    fn apply(doc: &mut Automerge, command: &Command, cx: Context<'_>) -> Result<Outcome, CommandError> {
        let mut tx = doc.transaction();
        match command.apply(&mut tx, cx) {
            Ok(outcome) => {
                tx.commit();
                Ok(outcome)
            }
            Err(e) => {
                tx.rollback();
                Err(e)
            }
        }
    }

    /// A document holding an empty 618 campaign.
    fn campaign_doc() -> Automerge {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        commands::create_project(&mut tx, &Project::new("618", ProjectKind::Campaign, 1)).expect("create");
        tx.commit();
        doc
    }

    #[test]
    fn commands_travel_as_json_and_apply() {
        let calendar = WorkCalendar::default();
        let lead = Member::new("王主管", vec![Role::Admin]);
        let members = [lead.clone()];
        let cx = Context { actor: Some(&lead), members: &members, calendar: &calendar };
        let mut doc = campaign_doc();
        let (a, b) = (TaskId::random(), TaskId::random());
        let day: Date = "2027-06-01".parse().expect("date");
        let script = [
            Command::AddTask { id: a, title: "主图拍摄".into(), phase: None, at: 1 },
            Command::AddTask { id: b, title: "详情页".into(), phase: None, at: 2 },
            Command::RenameTask { id: a, title: "主图拍摄（定稿）".into() },
            Command::AddDependency { id: b, dependency: Dependency::after(a) },
            Command::SetDates { id: a, start: Some(day), due: Some(day) },
            Command::RequireApproval { id: b, role: Role::Admin },
            Command::Approve { id: b, at: 3 },
            Command::SetStatus { id: b, status: Status::Done, at: 4 },
            Command::LogTime { id: a, date: day, hours: 2.0 },
            Command::SetField { id: a, field: TaskField::Priority(crate::domain::Priority::High) },
            Command::SetField {
                id: a,
                field: TaskField::Tags(vec![" 主图 ".into(), "主图".into(), "".into()]),
            },
            Command::SetField { id: a, field: TaskField::Duration(Some(3)) },
            Command::EditDescription { id: a, index: 0, delete: 0, insert: "白底图".into() },
            Command::EditDescription { id: a, index: 0, delete: 0, insert: "三张".into() },
            Command::AddChecklistItem { id: a, item: ItemId::derived("c1"), text: "修图".into() },
            Command::CheckItem { id: a, item: ItemId::derived("c1"), done: true },
        ];
        for command in &script {
            let json = serde_json::to_string(command).expect("json");
            let back: Command = serde_json::from_str(&json).expect("from json");
            assert_eq!(&back, command, "{json}");
            apply(&mut doc, &back, cx).unwrap_or_else(|e| panic!("{json}: {e}"));
        }
        let project = read_project(&doc).expect("project");
        assert_eq!(project.tasks[&a].title, "主图拍摄（定稿）");
        assert!(project.tasks[&b].status.is_done());
        assert_eq!(project.tasks[&a].actual_hours(), 2.0);
        let task = &project.tasks[&a];
        assert_eq!(task.tags, ["主图"]);
        assert_eq!((task.priority, task.duration_days), (crate::domain::Priority::High, Some(3)));
        assert_eq!(task.description.as_str(), "三张白底图");
        assert_eq!(
            task.checklist.iter().map(|i| (i.text.as_str(), i.done)).collect::<Vec<_>>(),
            [("修图", true)]
        );
    }

    #[test]
    fn a_baseline_travels_as_json_is_saved_and_is_cleared() {
        let calendar = WorkCalendar::default();
        let cx = Context { actor: None, members: &[], calendar: &calendar };
        let mut doc = campaign_doc();
        let id = TaskId::random();
        apply(&mut doc, &Command::AddTask { id, title: "预售页".into(), phase: None, at: 1 }, cx)
            .expect("add");
        let (start, due): (Date, Date) =
            ("2027-06-01".parse().expect("date"), "2027-06-03".parse().expect("date"));
        let save = Command::SetBaseline { tasks: vec![(id, start, due)] };
        for command in [&save, &Command::ClearBaseline] {
            let json = serde_json::to_string(command).expect("json");
            assert_eq!(&serde_json::from_str::<Command>(&json).expect("from json"), command, "{json}");
        }
        apply(&mut doc, &save, cx).expect("save");
        let baseline = read_project(&doc).expect("project").tasks[&id].baseline;
        assert_eq!(baseline, Some(crate::domain::Baseline { start, due }));
        let backward = Command::SetBaseline { tasks: vec![(id, due, start)] };
        assert!(matches!(apply(&mut doc, &backward, cx), Err(CommandError::BadDates { .. })));
        apply(&mut doc, &Command::ClearBaseline, cx).expect("clear");
        assert_eq!(read_project(&doc).expect("project").tasks[&id].baseline, None);
    }

    #[test]
    fn a_batch_applies_whole_or_not_at_all() {
        let calendar = WorkCalendar::default();
        let lead = Member::new("王主管", vec![Role::Admin]);
        let members = [lead.clone()];
        let cx = Context { actor: Some(&lead), members: &members, calendar: &calendar };
        let mut doc = campaign_doc();
        let (a, b) = (TaskId::random(), TaskId::random());
        for (id, title) in [(a, "主图"), (b, "详情页")] {
            apply(&mut doc, &Command::AddTask { id, title: title.into(), phase: None, at: 1 }, cx)
                .expect("add");
        }
        apply(&mut doc, &Command::RequireApproval { id: b, role: Role::Admin }, cx).expect("approval");
        let status = |id, status: Status| Command::SetStatus { id, status, at: 2 };
        let all_done = Command::Batch { commands: vec![status(a, Status::Done), status(b, Status::Done)] };
        assert!(matches!(apply(&mut doc, &all_done, cx), Err(CommandError::NeedsApproval(_))));
        let project = read_project(&doc).expect("project");
        assert!(!project.tasks[&a].is_done(), "nothing of a refused batch is written");
        let both = Command::Batch {
            commands: vec![
                status(a, Status::InProgress),
                status(b, Status::InProgress),
                Command::Assign { id: a, members: vec![lead.id] },
            ],
        };
        let json = serde_json::to_string(&both).expect("json");
        assert_eq!(serde_json::from_str::<Command>(&json).expect("from json"), both);
        apply(&mut doc, &both, cx).expect("batch");
        let project = read_project(&doc).expect("project");
        assert_eq!(project.tasks[&a].status, Status::InProgress);
        assert_eq!(project.tasks[&b].status, Status::InProgress);
        assert_eq!(project.tasks[&a].assignees, [lead.id]);
    }

    #[test]
    fn the_launch_day_is_set_moved_and_cleared() {
        let calendar = WorkCalendar::default();
        let cx = Context { actor: None, members: &[], calendar: &calendar };
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        commands::create_project(&mut tx, &Project::new("双十一", ProjectKind::Campaign, 1)).expect("create");
        tx.commit();
        for launch in [Some("2026-11-11"), Some("2026-11-18"), None] {
            let launch = launch.map(|d| d.parse().expect("date"));
            apply(&mut doc, &Command::SetLaunch { launch }, cx).expect("launch");
            assert_eq!(read_project(&doc).expect("project").meta.launch, launch);
        }
    }

    #[test]
    fn two_people_typing_into_one_description_both_keep_their_text() {
        let calendar = WorkCalendar::default();
        let cx = Context { actor: None, members: &[], calendar: &calendar };
        let mut a = Automerge::new();
        let mut tx = a.transaction();
        commands::create_project(&mut tx, &Project::new("新品", ProjectKind::Launch, 1)).expect("create");
        tx.commit();
        let id = TaskId::random();
        apply(&mut a, &Command::AddTask { id, title: "详情页".into(), phase: None, at: 1 }, cx).expect("add");
        let edit = |index, delete, insert: &str| Command::EditDescription {
            id,
            index,
            delete,
            insert: insert.into(),
        };
        apply(&mut a, &edit(0, 0, "卖点：持久。"), cx).expect("type");
        let mut b = a.fork();
        // Characters, not bytes: after "卖点：" (3 characters).
        apply(&mut a, &edit(3, 0, "显色、"), cx).expect("A types");
        apply(&mut b, &edit(6, 0, "不沾杯。"), cx).expect("B types");
        a.merge(&mut b).expect("merge");
        let text = read_project(&a).expect("project").tasks[&id].description.as_str().to_owned();
        assert_eq!(text, "卖点：显色、持久。不沾杯。");
        // Deleting past the end is clamped, not refused.
        apply(&mut a, &edit(9, 100, ""), cx).expect("clamped");
        assert_eq!(read_project(&a).expect("project").tasks[&id].description.as_str(), "卖点：显色、持久。");
    }

    #[test]
    fn out_of_range_fields_are_refused() {
        let calendar = WorkCalendar::default();
        let cx = Context { actor: None, members: &[], calendar: &calendar };
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        commands::create_project(&mut tx, &Project::new("新品", ProjectKind::Launch, 1)).expect("create");
        tx.commit();
        let id = TaskId::random();
        apply(&mut doc, &Command::AddTask { id, title: "t".into(), phase: None, at: 1 }, cx).expect("add");
        let heads = doc.get_heads();
        let set = |field| Command::SetField { id, field };
        assert!(matches!(
            apply(&mut doc, &set(TaskField::Duration(Some(5000))), cx),
            Err(CommandError::BadDuration(5000))
        ));
        assert!(matches!(
            apply(&mut doc, &set(TaskField::EstimateHours(Some(-1.0))), cx),
            Err(CommandError::BadEstimate(_))
        ));
        let empty = Command::AddChecklistItem { id, item: ItemId::random(), text: "  ".into() };
        assert!(matches!(apply(&mut doc, &empty, cx), Err(CommandError::EmptyItem)));
        assert_eq!(doc.get_heads(), heads, "nothing written");
    }

    #[test]
    fn a_command_that_needs_someone_acting_is_refused_without_one() {
        let calendar = WorkCalendar::default();
        let cx = Context { actor: None, members: &[], calendar: &calendar };
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        commands::create_project(&mut tx, &Project::new("618", ProjectKind::Campaign, 1)).expect("create");
        tx.commit();
        let id = TaskId::random();
        apply(&mut doc, &Command::AddTask { id, title: "t".into(), phase: None, at: 1 }, cx).expect("add");
        let heads = doc.get_heads();
        let day = "2026-11-01".parse().expect("date");
        let refused = apply(&mut doc, &Command::LogTime { id, date: day, hours: 1.0 }, cx);
        assert!(matches!(refused, Err(CommandError::NotAMember)));
        assert_eq!(doc.get_heads(), heads, "nothing written");
    }
}
