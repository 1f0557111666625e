//! Who may change what, in one place: the app asks it what to offer a person, and the relay
//! (once it enforces roles) asks it whether to store an incoming change.
//!
//! A plan document is cut into [`Part`]s by path. A change is allowed when every place it
//! writes ([`part_of_plan_path`]) is a part one of the author's roles may change
//! ([`may_change`]). A command knows the parts it writes ([`parts_of_command`]); a test
//! holds that to what applying it really writes, so the two cannot drift apart.

use std::collections::BTreeSet;

use super::commands::TaskField;
use super::{Command, Role};

/// A part of a plan document that a role may, or may not, change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The plan as a whole: its name, kind, workflow, WIP limits, SKUs and template; its
    /// phases and milestones; adding and deleting tasks.
    Structure,
    /// A task's words: title, description, checklist, attachments and comments.
    Content,
    /// Where a task is in the work: its status, its place on the board, when it started and
    /// when it was done.
    Progress,
    /// When: a task's start, due day, length, dependencies, baseline and recurrence; the
    /// plan's start, launch day and whether moves shift what follows.
    Schedule,
    /// Who: a task's assignees and team.
    People,
    /// An approval asked for, given or refused.
    Approval,
    /// A task's priority, tags, SKU, estimate, logged time and phase.
    Details,
    /// The workspace itself: its name, members and their roles, invitations and settings.
    Team,
    /// A place the schema does not name.
    Unknown,
}

/// The part of a plan document that a write at `path` (map keys from the root; a write
/// inside a list or text is a write to that list or text) changes.
pub fn part_of_plan_path<S: AsRef<str>>(path: &[S]) -> Part {
    let keys: Vec<&str> = path.iter().map(AsRef::as_ref).collect();
    match keys.as_slice() {
        [] | ["schema", ..] | ["phases", ..] | ["milestones", ..] | ["tasks"] | ["tasks", _] => {
            Part::Structure
        }
        ["meta", "start" | "launch" | "shift_dependents", ..] => Part::Schedule,
        ["meta", ..] => Part::Structure,
        ["tasks", _, field, ..] => part_of_task_field(field),
        _ => Part::Unknown,
    }
}

/// The part of the workspace document that a write at `path` changes: its list of plans and
/// its saved templates are [`Part::Structure`] (editors add plans), everything else is
/// [`Part::Team`].
pub fn part_of_workspace_path<S: AsRef<str>>(path: &[S]) -> Part {
    match path.first().map(AsRef::as_ref) {
        Some("projects" | "templates") if path.len() > 1 => Part::Structure,
        _ => Part::Team,
    }
}

/// What one member may write to one document of their workspace: the relay holds every
/// incoming change to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteRule {
    /// Anything (an owner, admin or editor on a plan; an owner or admin on the workspace).
    Everything,
    /// Nothing at all (a viewer).
    Nothing,
    /// The parts of a plan that these roles may change.
    Plan(Vec<Role>),
    /// The parts of the workspace document that these roles may change.
    Workspace(Vec<Role>),
    /// A plan's comments document, for a member who may comment but not change the plan:
    /// comments of their own, each under its id at the root, and none of anyone else's.
    /// The relay checks the authors ([`comment_author`]); paths only say where.
    CommentsBy(crate::MemberId),
}

impl WriteRule {
    /// The rule for a plan, for someone with `roles`.
    pub fn for_plan(roles: &[Role]) -> Self {
        Self::narrowest(roles, Part::Unknown, Self::Plan(roles.to_vec()))
    }

    /// The rule for the workspace document, for someone with `roles`.
    pub fn for_workspace(roles: &[Role]) -> Self {
        Self::narrowest(roles, Part::Team, Self::Workspace(roles.to_vec()))
    }

    /// `Everything` when `roles` may change even `widest` (what only the strongest roles
    /// may), `Nothing` when they may change no part at all, else `checked`.
    fn narrowest(roles: &[Role], widest: Part, checked: Self) -> Self {
        if roles.iter().any(|r| matches!(r, Role::Owner | Role::Admin))
            || (widest != Part::Team && roles.contains(&Role::Editor))
        {
            Self::Everything
        } else if roles.iter().all(|r| matches!(r, Role::Viewer | Role::Finance)) {
            Self::Nothing
        } else {
            checked
        }
    }

    /// The part that a write at `path` changes, when this rule refuses it.
    pub fn refuses<S: AsRef<str>>(&self, path: &[S]) -> Option<Part> {
        let (part, roles) = match self {
            Self::Everything => return None,
            Self::Nothing => return Some(part_of_plan_path(path)),
            // Inside a comment: its author is checked apart.
            Self::CommentsBy(_) => return path.is_empty().then_some(Part::Content),
            Self::Plan(roles) => (part_of_plan_path(path), roles),
            Self::Workspace(roles) => (part_of_workspace_path(path), roles),
        };
        (!may_change(roles, part)).then_some(part)
    }
}

/// The parts a change writes, from the places it wrote: a place inside another that it also
/// wrote (the fields of a task it added) belongs to the outer one.
pub fn parts_written(places: impl IntoIterator<Item = Vec<String>>) -> BTreeSet<Part> {
    super::undo::outermost(places).iter().map(|place| part_of_plan_path(place)).collect()
}

fn part_of_task_field(field: &str) -> Part {
    match field {
        "title" | "description" | "checklist" | "attachments" | "comments" => Part::Content,
        "status" | "rank" | "started_at" | "completed_at" => Part::Progress,
        "start" | "due" | "due_time" | "duration_days" | "depends_on" | "baseline" | "recurrence" => {
            Part::Schedule
        }
        "assignees" | "team" => Part::People,
        "approval" => Part::Approval,
        "priority" | "tags" | "sku" | "estimate_hours" | "time_entries" | "phase" => Part::Details,
        "id" | "created_at" => Part::Structure,
        _ => Part::Unknown,
    }
}

/// Whether someone with `roles` may change `part` of a plan or of the workspace. Owners and
/// admins change everything; editors everything but the workspace's team and settings; a
/// content editor (运营) only the words of tasks; viewers and finance (by that role alone)
/// nothing.
pub fn may_change(roles: &[Role], part: Part) -> bool {
    roles.iter().any(|role| match role {
        Role::Owner | Role::Admin => true,
        Role::Editor => part != Part::Team,
        Role::ContentEditor => part == Part::Content,
        Role::Viewer | Role::Finance => false,
    })
}

/// Whether someone with `roles` may apply `command`: every part it writes is theirs.
pub fn may_apply(roles: &[Role], command: &Command) -> bool {
    parts_of_command(command).into_iter().all(|part| may_change(roles, part))
}

/// Whether someone with `roles` may see (and so receive) a project's finance document.
/// Nobody else has it, owners included, unless they also hold the finance role.
pub fn may_see_finance(roles: &[Role]) -> bool {
    roles.contains(&Role::Finance)
}

/// Whether someone with `roles` may comment on tasks (write the plan's comments document):
/// whoever may change a task's words, and any other member where the workspace lets viewers
/// comment.
pub fn may_comment(roles: &[Role], viewers_may_comment: bool) -> bool {
    may_change(roles, Part::Content) || (viewers_may_comment && !roles.is_empty())
}

/// The author of the comment at `key` of a comments document, if there is one that says.
pub fn comment_author<D: automerge::ReadDoc>(doc: &D, key: &str) -> Option<String> {
    let (automerge::Value::Object(automerge::ObjType::Map), comment) =
        doc.get(automerge::ROOT, key).ok()??
    else {
        return None;
    };
    let (author, _) = doc.get(&comment, "author").ok()??;
    author.as_str().map(str::to_owned)
}

/// The parts of a plan that `command` may write.
pub fn parts_of_command(command: &Command) -> BTreeSet<Part> {
    let part = match command {
        Command::RenameProject { .. }
        | Command::SetWipLimit { .. }
        | Command::AddTask { .. }
        | Command::DeleteTask { .. }
        | Command::AddPhase { .. }
        | Command::DeletePhase { .. } => Part::Structure,
        Command::RenameTask { .. }
        | Command::EditDescription { .. }
        | Command::AddChecklistItem { .. }
        | Command::CheckItem { .. }
        | Command::RemoveChecklistItem { .. }
        | Command::Attach { .. }
        | Command::Detach { .. } => Part::Content,
        Command::SetStatus { .. } => Part::Progress,
        Command::SetField { field, .. } => match field {
            TaskField::Team(_) => Part::People,
            TaskField::Duration(_) | TaskField::DueTime(_) => Part::Schedule,
            TaskField::Rank(_) => Part::Progress,
            TaskField::Priority(_) | TaskField::Tags(_) | TaskField::Sku(_) | TaskField::EstimateHours(_) => {
                Part::Details
            }
        },
        Command::Assign { .. } => Part::People,
        Command::SetDates { .. }
        | Command::SetLaunch { .. }
        | Command::SetBaseline { .. }
        | Command::ClearBaseline
        | Command::MoveTask { .. }
        | Command::AddDependency { .. }
        | Command::RemoveDependency { .. } => Part::Schedule,
        Command::RequireApproval { .. } | Command::Approve { .. } | Command::Reject { .. } => Part::Approval,
        Command::LogTime { .. } | Command::RemoveTimeEntry { .. } => Part::Details,
        Command::Batch { commands } => return commands.iter().flat_map(parts_of_command).collect(),
    };
    BTreeSet::from([part])
}

#[cfg(test)]
mod tests {
    use automerge::{Automerge, PatchLog};

    use super::*;
    use crate::domain::commands::{self, TaskField};
    use crate::domain::{
        Attachment, Context, Date, Dependency, Member, Priority, Project, ProjectKind, Status, Task, Team,
        WorkCalendar,
    };
    use crate::{ItemId, PhaseId};

    /// Every command, each on a plan with two tasks (the first with a checklist item, a
    /// logged hour, an attachment and an approval to give), by an owner.
    fn every_command(
        first: &Task,
        second: &Task,
        item: ItemId,
        entry: ItemId,
        member: crate::MemberId,
    ) -> Vec<Command> {
        let (a, b) = (first.id, second.id);
        let day = |s: &str| -> Date { s.parse().expect("date") };
        let phase = PhaseId::random();
        vec![
            Command::RenameProject { name: "618 大促".into() },
            Command::SetLaunch { launch: Some(day("2026-11-11")) },
            Command::SetWipLimit { status: Status::InProgress, limit: Some(3) },
            Command::AddTask {
                id: crate::TaskId::random(), title: "客服话术".into(), phase: None, at: 5
            },
            Command::RenameTask { id: a, title: "主图拍摄（定稿）".into() },
            Command::SetStatus { id: a, status: Status::InProgress, at: 6 },
            Command::SetField { id: a, field: TaskField::Team(Some(Team::Design)) },
            Command::SetField { id: a, field: TaskField::Priority(Priority::High) },
            Command::SetField { id: a, field: TaskField::Tags(vec!["页面优化".into()]) },
            Command::SetField { id: a, field: TaskField::Sku(Some("SKU-1".into())) },
            Command::SetField { id: a, field: TaskField::Duration(Some(4)) },
            Command::SetField { id: a, field: TaskField::EstimateHours(Some(6.0)) },
            Command::SetField { id: a, field: TaskField::Rank(Some("V".parse().expect("rank"))) },
            Command::EditDescription { id: a, index: 0, delete: 0, insert: "白底图".into() },
            Command::AddChecklistItem { id: a, item: ItemId::random(), text: "三张".into() },
            Command::CheckItem { id: a, item, done: true },
            Command::RemoveChecklistItem { id: a, item },
            Command::Assign { id: a, members: vec![member] },
            Command::SetDates { id: a, start: Some(day("2026-10-08")), due: Some(day("2026-10-09")) },
            Command::SetBaseline { tasks: vec![(a, day("2026-10-08"), day("2026-10-09"))] },
            Command::ClearBaseline,
            Command::MoveTask { id: a, start: day("2026-10-12") },
            Command::AddDependency { id: b, dependency: Dependency::after(a) },
            Command::RemoveDependency { id: b, on: a },
            Command::Approve { id: a, at: 7 },
            Command::RequireApproval { id: b, role: Role::Admin },
            Command::Reject { id: b, reason: "重拍".into(), at: 8 },
            Command::LogTime { id: a, date: day("2026-10-08"), hours: 2.0 },
            Command::RemoveTimeEntry { id: a, entry },
            Command::Attach {
                id: b,
                attachment: Attachment {
                    hash: "ab".repeat(32),
                    name: "主图.png".into(),
                    size: 3,
                    mime: "image/png".into(),
                },
            },
            Command::Detach { id: a, hash: "cd".repeat(32) },
            Command::Batch {
                commands: vec![
                    Command::RenameTask { id: b, title: "详情页（改）".into() },
                    Command::SetDates { id: b, start: Some(day("2026-10-20")), due: None },
                ],
            },
            Command::AddPhase { id: phase, name: "预热".into() },
            Command::DeletePhase { id: phase },
            Command::DeleteTask { id: b },
        ]
    }

    /// Each command's kind. A new kind of command stops this compiling until the test
    /// covers it.
    fn kind(command: &Command) -> &'static str {
        match command {
            Command::RenameProject { .. } => "RenameProject",
            Command::SetLaunch { .. } => "SetLaunch",
            Command::SetWipLimit { .. } => "SetWipLimit",
            Command::AddTask { .. } => "AddTask",
            Command::RenameTask { .. } => "RenameTask",
            Command::SetStatus { .. } => "SetStatus",
            Command::DeleteTask { .. } => "DeleteTask",
            Command::SetField { .. } => "SetField",
            Command::EditDescription { .. } => "EditDescription",
            Command::AddChecklistItem { .. } => "AddChecklistItem",
            Command::CheckItem { .. } => "CheckItem",
            Command::RemoveChecklistItem { .. } => "RemoveChecklistItem",
            Command::Assign { .. } => "Assign",
            Command::SetDates { .. } => "SetDates",
            Command::SetBaseline { .. } => "SetBaseline",
            Command::ClearBaseline => "ClearBaseline",
            Command::MoveTask { .. } => "MoveTask",
            Command::AddDependency { .. } => "AddDependency",
            Command::RemoveDependency { .. } => "RemoveDependency",
            Command::RequireApproval { .. } => "RequireApproval",
            Command::Approve { .. } => "Approve",
            Command::Reject { .. } => "Reject",
            Command::LogTime { .. } => "LogTime",
            Command::RemoveTimeEntry { .. } => "RemoveTimeEntry",
            Command::Attach { .. } => "Attach",
            Command::Detach { .. } => "Detach",
            Command::Batch { .. } => "Batch",
            Command::AddPhase { .. } => "AddPhase",
            Command::DeletePhase { .. } => "DeletePhase",
        }
    }

    /// How many kinds [`kind`] names.
    const KINDS: usize = 29;

    #[test]
    fn every_command_writes_only_the_parts_it_names() {
        let owner = Member::new("小李", vec![Role::Owner]);
        let mut first = Task::new("主图拍摄", None, 1);
        let item = ItemId::random();
        first.checklist.push(crate::domain::ChecklistItem { id: item, text: "白底".into(), done: false });
        let entry = ItemId::random();
        first.time_entries.push(crate::domain::TimeEntry {
            id: entry,
            member: owner.id,
            date: "2026-10-01".parse().expect("date"),
            hours: 1.0,
        });
        first.attachments.push(Attachment {
            hash: "cd".repeat(32),
            name: "旧图.png".into(),
            size: 3,
            mime: "image/png".into(),
        });
        first.approval =
            Some(crate::domain::Approval { role: Role::Owner, state: crate::domain::ApprovalState::Pending });
        let second = Task::new("详情页", None, 2);
        let mut project = Project::new("双十一大促备战", ProjectKind::Campaign, 0);
        project.tasks.insert(first.id, first.clone());
        project.tasks.insert(second.id, second.clone());
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        commands::create_project(&mut tx, &project).expect("create");
        tx.commit();

        let calendar = WorkCalendar::default();
        let members = [owner.clone()];
        let commands = every_command(&first, &second, item, entry, owner.id);
        let kinds: BTreeSet<&str> = commands.iter().map(kind).collect();
        assert_eq!(kinds.len(), KINDS, "every kind of command is tried");
        for command in commands {
            let cx = Context { actor: Some(&owner), members: &members, calendar: &calendar };
            let mut tx = doc.transaction_log_patches(PatchLog::active()).expect("log");
            command.apply(&mut tx, cx).unwrap_or_else(|e| panic!("{command:?} was refused: {e}"));
            let (_, mut log) = tx.commit();
            let patches = doc.make_patches(&mut log);
            assert!(!patches.is_empty(), "{command:?} wrote nothing: the test does not test it");
            let named = parts_of_command(&command);
            let written =
                parts_written(patches.iter().map(|p| crate::domain::undo::place(p).unwrap_or_default()));
            assert!(written.is_subset(&named), "{command:?} wrote {written:?}, not all among {named:?}");
        }
    }

    #[test]
    fn a_content_editor_changes_words_and_nothing_else() {
        let roles = [Role::ContentEditor];
        assert!(may_change(&roles, part_of_plan_path(&["tasks", "x", "title"])));
        assert!(may_change(&roles, part_of_plan_path(&["tasks", "x", "description"])));
        assert!(may_change(&roles, part_of_plan_path(&["tasks", "x", "checklist"])));
        for path in [
            &["tasks", "x", "start"][..],
            &["tasks", "x", "due"],
            &["tasks", "x", "depends_on"],
            &["tasks", "x", "assignees"],
            &["tasks", "x", "approval"],
            &["tasks", "x", "status"],
            &["tasks", "x"],
            &["meta", "launch"],
            &["meta", "name"],
            &["phases"],
            &["budget"],
        ] {
            assert!(!may_change(&roles, part_of_plan_path(path)), "a content editor may change {path:?}");
        }
    }

    #[test]
    fn viewers_and_finance_change_nothing_and_only_finance_sees_the_finance_document() {
        for part in [Part::Content, Part::Structure, Part::Schedule, Part::Unknown] {
            assert!(!may_change(&[Role::Viewer], part));
            assert!(!may_change(&[Role::Finance], part));
            assert!(may_change(&[Role::Editor], part));
            assert!(may_change(&[Role::Viewer, Role::Admin], part), "any of one's roles counts");
        }
        assert!(may_see_finance(&[Role::Editor, Role::Finance]));
        assert!(may_comment(&[Role::Viewer], true));
        assert!(!may_comment(&[Role::Viewer], false));
        assert!(!may_comment(&[Role::Finance], false));
        assert!(may_comment(&[Role::ContentEditor], false));
        assert!(!may_comment(&[], true));
        assert!(!may_see_finance(&[Role::Owner]));
        let move_dates = Command::SetDates { id: crate::TaskId::random(), start: None, due: None };
        assert!(!may_apply(&[Role::ContentEditor], &move_dates));
        assert!(may_apply(&[Role::Editor], &move_dates));
        let rename = Command::RenameTask { id: crate::TaskId::random(), title: "新标题".into() };
        let both = Command::Batch { commands: vec![rename.clone(), move_dates] };
        assert!(may_apply(&[Role::ContentEditor], &rename));
        assert!(!may_apply(&[Role::ContentEditor], &both), "a batch needs every part it writes");
    }
}
