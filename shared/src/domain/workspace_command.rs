//! Everything a person can do to a workspace, as a value, applied inside one transaction.
//! Each writes only the fields it changes.

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ROOT, ReadDoc, Value};
use serde::{Deserialize, Serialize};

use super::commands::{CommandError, MAX_TITLE_CHARS};
use super::read::FromValue;
use super::{CycleTarget, Date, Invite, Member, ProjectEntry, ProjectKind, RagRules, Role, Team, Workspace};
use crate::{DocumentId, MemberId};

/// One thing a person does to a workspace. Times are milliseconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WorkspaceCommand {
    Rename {
        name: String,
    },
    /// Changes a member's name, roles or team.
    UpdateMember {
        id: MemberId,
        name: String,
        roles: Vec<Role>,
        team: Option<Team>,
    },
    RemoveMember {
        id: MemberId,
    },
    /// How many hours a day member `id` can give to plans (more than 0, at most 24).
    SetCapacity {
        id: MemberId,
        hours: f64,
    },
    /// An invitation to join with `role`; its id travels in the link.
    CreateInvite {
        id: String,
        role: Role,
        by: MemberId,
        at: i64,
    },
    RevokeInvite {
        id: String,
    },
    /// Someone joins with an invitation: they become a member with its role, and it is used up.
    Join {
        invite: String,
        member: MemberId,
        name: String,
    },
    /// Someone the relay let in with an invitation it checked becomes a member with its role
    /// (added to what they had). The relay writes this, not the newcomer, who may not yet
    /// change the workspace.
    Admit {
        member: MemberId,
        name: String,
        role: Role,
    },
    /// Lists a project (or updates its name and kind) in the workspace's index.
    IndexProject {
        doc: DocumentId,
        name: String,
        kind: ProjectKind,
    },
    /// Lists what-if scenario `doc`, forked from plan `of`.
    IndexScenario {
        doc: DocumentId,
        name: String,
        kind: ProjectKind,
        of: DocumentId,
    },
    Archive {
        doc: DocumentId,
        archived: bool,
    },
    /// Monday first; seven days.
    SetWeekdays {
        weekdays: Vec<bool>,
    },
    AddHoliday {
        date: Date,
    },
    RemoveHoliday {
        date: Date,
    },
    /// A weekend day worked in exchange for a holiday (调休).
    AddMakeupDay {
        date: Date,
    },
    RemoveMakeupDay {
        date: Date,
    },
    SetRagRules {
        amber_slack_days: i32,
        lookahead_days: i32,
        risk_threshold: f64,
    },
    SetCycleTarget {
        tag: String,
        days: f64,
    },
    RemoveCycleTarget {
        tag: String,
    },
    /// Whether viewers may comment on tasks.
    SetViewersMayComment {
        allowed: bool,
    },
    SetLocale {
        locale: String,
    },
    /// Saves a template for the workspace's new plans (under its key; a key saved before is
    /// replaced).
    SaveTemplate {
        template: super::templates::Template,
    },
    DeleteTemplate {
        key: String,
    },
}

/// Why a workspace command could not be applied. Nothing is written when one fails.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("a name cannot be empty")]
    EmptyName,
    #[error("there is no such member in this workspace")]
    NoSuchMember,
    #[error("this invitation does not exist or was revoked")]
    NoSuchInvite,
    #[error("this invitation was used already")]
    InviteUsed,
    #[error("a workspace keeps at least one owner")]
    LastOwner,
    #[error("a week has 7 days, not {0}")]
    BadWeek(usize),
    #[error("hours a day are more than 0 and at most 24, not {0}")]
    BadCapacity(f64),
    #[error("a target must be more than 0 days, not {0}")]
    BadTarget(f64),
    #[error("a risk threshold is between 0 and 1, not {0}")]
    BadThreshold(f64),
    #[error("the language must be zh-CN or en, not {0:?}")]
    BadLocale(String),
    #[error("this template cannot be saved: {0}")]
    BadTemplate(String),
    #[error("this document is not a workspace")]
    NotAWorkspace,
    #[error("could not write the change: {0}")]
    Write(#[from] CommandError),
}

impl From<autosurgeon::ReconcileError> for WorkspaceError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        WorkspaceError::Write(e.into())
    }
}

impl From<automerge::AutomergeError> for WorkspaceError {
    fn from(e: automerge::AutomergeError) -> Self {
        WorkspaceError::Write(e.into())
    }
}

/// Writes a whole new workspace into an empty document.
pub fn create_workspace(tx: &mut Transaction<'_>, workspace: &Workspace) -> Result<(), WorkspaceError> {
    if workspace.name.trim().is_empty() {
        return Err(WorkspaceError::EmptyName);
    }
    autosurgeon::reconcile(tx, workspace)?;
    Ok(())
}

/// Makes `member` a member named `name` with `role`, besides the roles they had.
fn admit(tx: &mut Transaction<'_>, member: MemberId, name: String, role: Role) -> Result<(), WorkspaceError> {
    let members = map(tx, &ROOT, "members")?;
    let existing = read_member(tx, &members, member)?;
    let mut joined =
        existing.unwrap_or_else(|| Member { id: member, ..Member::new(name.clone(), Vec::new()) });
    joined.name = name;
    if !joined.roles.contains(&role) {
        joined.roles.push(role);
    }
    autosurgeon::reconcile_prop(&mut *tx, &members, member.to_string().as_str(), &joined)?;
    Ok(())
}

fn clean_name(name: &str) -> Result<String, WorkspaceError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(WorkspaceError::EmptyName);
    }
    Ok(name.chars().take(MAX_TITLE_CHARS).collect())
}

impl WorkspaceCommand {
    pub fn apply(&self, tx: &mut Transaction<'_>) -> Result<(), WorkspaceError> {
        match self {
            WorkspaceCommand::Rename { name } => {
                tx.put(ROOT, "name", clean_name(name)?)?;
            }
            WorkspaceCommand::UpdateMember { id, name, roles, team } => {
                let name = clean_name(name)?;
                let members = map(tx, &ROOT, "members")?;
                let mut member = read_member(tx, &members, *id)?.ok_or(WorkspaceError::NoSuchMember)?;
                let was_owner = member.roles.contains(&Role::Owner);
                if was_owner && !roles.contains(&Role::Owner) && owners(tx, &members)? <= 1 {
                    return Err(WorkspaceError::LastOwner);
                }
                member.name = name;
                member.roles = roles.clone();
                member.team = *team;
                autosurgeon::reconcile_prop(&mut *tx, &members, id.to_string().as_str(), &member)?;
            }
            WorkspaceCommand::SetCapacity { id, hours } => {
                if !(*hours > 0.0 && *hours <= 24.0) {
                    return Err(WorkspaceError::BadCapacity(*hours));
                }
                let members = map(tx, &ROOT, "members")?;
                let mut member = read_member(tx, &members, *id)?.ok_or(WorkspaceError::NoSuchMember)?;
                member.capacity_hours = *hours;
                autosurgeon::reconcile_prop(&mut *tx, &members, id.to_string().as_str(), &member)?;
            }
            WorkspaceCommand::RemoveMember { id } => {
                let members = map(tx, &ROOT, "members")?;
                let member = read_member(tx, &members, *id)?.ok_or(WorkspaceError::NoSuchMember)?;
                if member.roles.contains(&Role::Owner) && owners(tx, &members)? <= 1 {
                    return Err(WorkspaceError::LastOwner);
                }
                tx.delete(&members, id.to_string())?;
            }
            WorkspaceCommand::CreateInvite { id, role, by, at } => {
                let invites = map_or_create(tx, "invites")?;
                let invite = Invite { role: *role, by: *by, at: *at, used_by: None };
                autosurgeon::reconcile_prop(&mut *tx, &invites, id.as_str(), &invite)?;
            }
            WorkspaceCommand::RevokeInvite { id } => {
                let invites = map_or_create(tx, "invites")?;
                if tx.get(&invites, id.as_str())?.is_none() {
                    return Err(WorkspaceError::NoSuchInvite);
                }
                tx.delete(&invites, id.as_str())?;
            }
            WorkspaceCommand::Join { invite, member, name } => {
                let name = clean_name(name)?;
                let invites = map_or_create(tx, "invites")?;
                let mut found: Invite = read(tx, &invites, invite)?.ok_or(WorkspaceError::NoSuchInvite)?;
                match found.used_by {
                    Some(by) if by != *member => return Err(WorkspaceError::InviteUsed),
                    _ => {}
                }
                admit(tx, *member, name, found.role)?;
                found.used_by = Some(*member);
                autosurgeon::reconcile_prop(&mut *tx, &invites, invite.as_str(), &found)?;
            }
            WorkspaceCommand::Admit { member, name, role } => admit(tx, *member, clean_name(name)?, *role)?,
            WorkspaceCommand::IndexProject { doc, name, kind } => {
                let projects = map(tx, &ROOT, "projects")?;
                let key = doc.to_string();
                let (archived, scenario_of) = read::<ProjectEntry>(tx, &projects, &key)?
                    .map(|entry| (entry.archived, entry.scenario_of))
                    .unwrap_or_default();
                let entry = ProjectEntry { name: clean_name(name)?, kind: *kind, archived, scenario_of };
                autosurgeon::reconcile_prop(&mut *tx, &projects, key.as_str(), &entry)?;
            }
            WorkspaceCommand::IndexScenario { doc, name, kind, of } => {
                let projects = map(tx, &ROOT, "projects")?;
                let entry = ProjectEntry {
                    name: clean_name(name)?,
                    kind: *kind,
                    archived: false,
                    scenario_of: Some(of.to_string()),
                };
                autosurgeon::reconcile_prop(&mut *tx, &projects, doc.to_string().as_str(), &entry)?;
            }
            WorkspaceCommand::Archive { doc, archived } => {
                let projects = map(tx, &ROOT, "projects")?;
                let key = doc.to_string();
                let Some(mut entry) = read::<ProjectEntry>(tx, &projects, &key)? else { return Ok(()) };
                entry.archived = *archived;
                autosurgeon::reconcile_prop(&mut *tx, &projects, key.as_str(), &entry)?;
            }
            WorkspaceCommand::SetWeekdays { weekdays } => {
                if weekdays.len() != 7 {
                    return Err(WorkspaceError::BadWeek(weekdays.len()));
                }
                let calendar = calendar(tx)?;
                autosurgeon::reconcile_prop(&mut *tx, &calendar, "weekdays", weekdays)?;
            }
            WorkspaceCommand::AddHoliday { date } => edit_days(tx, "holidays", |days| add_day(days, *date))?,
            WorkspaceCommand::RemoveHoliday { date } => {
                edit_days(tx, "holidays", |days| days.retain(|d| d != date))?
            }
            WorkspaceCommand::AddMakeupDay { date } => {
                edit_days(tx, "extra_workdays", |days| add_day(days, *date))?
            }
            WorkspaceCommand::RemoveMakeupDay { date } => {
                edit_days(tx, "extra_workdays", |days| days.retain(|d| d != date))?
            }
            WorkspaceCommand::SetRagRules { amber_slack_days, lookahead_days, risk_threshold } => {
                if !(0.0..=1.0).contains(risk_threshold) {
                    return Err(WorkspaceError::BadThreshold(*risk_threshold));
                }
                let settings = map(tx, &ROOT, "settings")?;
                let rules = RagRules {
                    amber_slack_days: (*amber_slack_days).max(0),
                    lookahead_days: (*lookahead_days).max(0),
                    risk_threshold: *risk_threshold,
                };
                autosurgeon::reconcile_prop(&mut *tx, &settings, "rag", &rules)?;
            }
            WorkspaceCommand::SetCycleTarget { tag, days } => {
                if !(*days > 0.0 && days.is_finite()) {
                    return Err(WorkspaceError::BadTarget(*days));
                }
                let tag = clean_name(tag)?;
                edit_targets(tx, |targets| match targets.iter_mut().find(|t| t.tag == tag) {
                    Some(target) => target.days = *days,
                    None => targets.push(CycleTarget { tag, days: *days }),
                })?;
            }
            WorkspaceCommand::RemoveCycleTarget { tag } => {
                edit_targets(tx, |targets| targets.retain(|t| t.tag != *tag))?
            }
            WorkspaceCommand::SetViewersMayComment { allowed } => {
                let settings = map(tx, &ROOT, "settings")?;
                tx.put(&settings, "viewers_may_comment", *allowed)?;
            }
            WorkspaceCommand::SetLocale { locale } => {
                if locale != "zh-CN" && locale != "en" {
                    return Err(WorkspaceError::BadLocale(locale.clone()));
                }
                let settings = map(tx, &ROOT, "settings")?;
                tx.put(&settings, "locale", locale.as_str())?;
            }
            WorkspaceCommand::SaveTemplate { template } => {
                template.validate().map_err(|e| WorkspaceError::BadTemplate(e.to_string()))?;
                if template.key.trim().is_empty() || template.name.zh.trim().is_empty() {
                    return Err(WorkspaceError::EmptyName);
                }
                let json = serde_json::to_string(template)
                    .map_err(|e| WorkspaceError::BadTemplate(e.to_string()))?;
                let templates = map_or_create(tx, "templates")?;
                tx.put(&templates, template.key.as_str(), json)?;
            }
            WorkspaceCommand::DeleteTemplate { key } => {
                if let Some((Value::Object(ObjType::Map), templates)) = tx.get(ROOT, "templates")?
                    && tx.get(&templates, key.as_str())?.is_some()
                {
                    tx.delete(&templates, key.as_str())?;
                }
            }
        }
        Ok(())
    }
}

fn add_day(days: &mut Vec<Date>, date: Date) {
    if !days.contains(&date) {
        days.push(date);
        days.sort();
    }
}

/// The map at `parent[key]`.
fn map(tx: &Transaction<'_>, parent: &ObjId, key: &str) -> Result<ObjId, WorkspaceError> {
    match tx.get(parent, key)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(WorkspaceError::NotAWorkspace),
    }
}

/// The map at the root's `key`, made if a workspace written before it existed lacks it.
fn map_or_create(tx: &mut Transaction<'_>, key: &str) -> Result<ObjId, WorkspaceError> {
    match tx.get(ROOT, key)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        None => Ok(tx.put_object(ROOT, key, ObjType::Map)?),
        Some(_) => Err(WorkspaceError::NotAWorkspace),
    }
}

/// The value at `parent[key]`, read however it was stored; `None` if there is none.
fn read<T: FromValue>(tx: &Transaction<'_>, parent: &ObjId, key: &str) -> Result<Option<T>, WorkspaceError> {
    let value = match tx.get(parent, key)? {
        None => return Ok(None),
        Some((Value::Scalar(s), _)) => automerge::hydrate::Value::Scalar(s.into_owned()),
        Some((Value::Object(kind), obj)) => super::read::walk(tx, &obj, kind),
    };
    T::from_value(&value).map(Some).map_err(|_| WorkspaceError::NotAWorkspace)
}

fn owners(tx: &Transaction<'_>, members: &ObjId) -> Result<usize, WorkspaceError> {
    let mut count = 0;
    for key in tx.keys(members) {
        let Ok(id) = key.parse::<MemberId>() else { continue };
        if read_member(tx, members, id)?.is_some_and(|m| m.roles.contains(&Role::Owner)) {
            count += 1;
        }
    }
    Ok(count)
}

fn calendar(tx: &Transaction<'_>) -> Result<ObjId, WorkspaceError> {
    let settings = map(tx, &ROOT, "settings")?;
    map(tx, &settings, "calendar")
}

fn edit_days(
    tx: &mut Transaction<'_>,
    key: &str,
    edit: impl FnOnce(&mut Vec<Date>),
) -> Result<(), WorkspaceError> {
    let calendar = calendar(tx)?;
    let mut days: Vec<Date> = read(tx, &calendar, key)?.unwrap_or_default();
    edit(&mut days);
    autosurgeon::reconcile_prop(&mut *tx, &calendar, key, &days)?;
    Ok(())
}

fn edit_targets(
    tx: &mut Transaction<'_>,
    edit: impl FnOnce(&mut Vec<CycleTarget>),
) -> Result<(), WorkspaceError> {
    let settings = map(tx, &ROOT, "settings")?;
    let mut targets: Vec<CycleTarget> = read(tx, &settings, "cycle_targets")?.unwrap_or_default();
    edit(&mut targets);
    autosurgeon::reconcile_prop(&mut *tx, &settings, "cycle_targets", &targets)?;
    Ok(())
}

/// Member `id` as stored under its key (the key is the id, as the workspace reader has it).
fn read_member(
    tx: &Transaction<'_>,
    members: &ObjId,
    id: MemberId,
) -> Result<Option<Member>, WorkspaceError> {
    let value = match tx.get(members, id.to_string())? {
        None => return Ok(None),
        Some((Value::Object(kind), obj)) => super::read::walk(tx, &obj, kind),
        Some(_) => return Err(WorkspaceError::NotAWorkspace),
    };
    super::read::read_member(id, &value).map(Some).map_err(|_| WorkspaceError::NotAWorkspace)
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;

    use super::*;
    use crate::domain::read::read_workspace;

    fn apply(doc: &mut Automerge, command: WorkspaceCommand) -> Result<(), WorkspaceError> {
        let mut tx = doc.transaction();
        match command.apply(&mut tx) {
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

    fn workspace() -> (Automerge, MemberId) {
        let mut workspace = Workspace::new("美妆旗舰店");
        let owner = workspace.add_member(Member::new("王主管", vec![Role::Owner]));
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        create_workspace(&mut tx, &workspace).expect("create");
        tx.commit();
        (doc, owner)
    }

    #[test]
    fn an_invitation_makes_one_person_a_member_with_its_role() {
        let (mut doc, owner) = workspace();
        apply(
            &mut doc,
            WorkspaceCommand::CreateInvite { id: "inv1".into(), role: Role::ContentEditor, by: owner, at: 1 },
        )
        .expect("invite");
        let newcomer = MemberId::random();
        apply(
            &mut doc,
            WorkspaceCommand::Join { invite: "inv1".into(), member: newcomer, name: "小周".into() },
        )
        .expect("join");
        let read = read_workspace(&doc).expect("workspace").workspace;
        assert_eq!(read.members[&newcomer].roles, vec![Role::ContentEditor]);
        assert_eq!(read.members[&newcomer].name, "小周");
        assert_eq!(read.invites["inv1"].used_by, Some(newcomer));
        let someone_else = MemberId::random();
        assert!(matches!(
            apply(
                &mut doc,
                WorkspaceCommand::Join { invite: "inv1".into(), member: someone_else, name: "x".into() }
            ),
            Err(WorkspaceError::InviteUsed)
        ));
        assert!(matches!(
            apply(
                &mut doc,
                WorkspaceCommand::Join { invite: "nope".into(), member: someone_else, name: "x".into() }
            ),
            Err(WorkspaceError::NoSuchInvite)
        ));
    }

    #[test]
    fn a_members_hours_a_day_are_set_and_impossible_ones_refused() {
        let (mut doc, owner) = workspace();
        apply(&mut doc, WorkspaceCommand::SetCapacity { id: owner, hours: 6.5 }).expect("set");
        let read = read_workspace(&doc).expect("workspace").workspace;
        assert_eq!(read.members[&owner].capacity_hours, 6.5);
        let heads = doc.get_heads();
        for hours in [0.0, -1.0, 24.5, f64::NAN] {
            let refused = apply(&mut doc, WorkspaceCommand::SetCapacity { id: owner, hours });
            assert!(matches!(refused, Err(WorkspaceError::BadCapacity(_))), "{hours}");
        }
        let nobody = WorkspaceCommand::SetCapacity { id: MemberId::random(), hours: 4.0 };
        assert!(matches!(apply(&mut doc, nobody), Err(WorkspaceError::NoSuchMember)));
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn the_last_owner_stays_an_owner() {
        let (mut doc, owner) = workspace();
        let heads = doc.get_heads();
        assert!(matches!(
            apply(
                &mut doc,
                WorkspaceCommand::UpdateMember {
                    id: owner,
                    name: "王主管".into(),
                    roles: vec![Role::Editor],
                    team: None
                }
            ),
            Err(WorkspaceError::LastOwner)
        ));
        assert!(matches!(
            apply(&mut doc, WorkspaceCommand::RemoveMember { id: owner }),
            Err(WorkspaceError::LastOwner)
        ));
        assert_eq!(doc.get_heads(), heads);
        apply(
            &mut doc,
            WorkspaceCommand::UpdateMember {
                id: owner,
                name: "王总".into(),
                roles: vec![Role::Owner, Role::Finance],
                team: Some(Team::Operations),
            },
        )
        .expect("update");
        let member = read_workspace(&doc).expect("workspace").workspace.members[&owner].clone();
        assert_eq!((member.name.as_str(), member.team), ("王总", Some(Team::Operations)));
    }

    #[test]
    fn settings_change_one_field_at_a_time_and_refuse_bad_values() {
        let (mut doc, _) = workspace();
        let day = |s: &str| -> Date { s.parse().expect("date") };
        apply(&mut doc, WorkspaceCommand::AddHoliday { date: day("2027-02-08") }).expect("holiday");
        apply(&mut doc, WorkspaceCommand::AddHoliday { date: day("2027-02-05") }).expect("holiday");
        apply(&mut doc, WorkspaceCommand::AddMakeupDay { date: day("2027-02-20") }).expect("make-up day");
        apply(&mut doc, WorkspaceCommand::SetWeekdays { weekdays: vec![true; 7] }).expect("weekdays");
        apply(&mut doc, WorkspaceCommand::SetCycleTarget { tag: "上架".into(), days: 3.0 }).expect("target");
        apply(&mut doc, WorkspaceCommand::SetLocale { locale: "en".into() }).expect("locale");
        assert!(read_workspace(&doc).expect("workspace").workspace.settings.viewers_may_comment);
        apply(&mut doc, WorkspaceCommand::SetViewersMayComment { allowed: false }).expect("comments");
        apply(
            &mut doc,
            WorkspaceCommand::SetRagRules { amber_slack_days: 3, lookahead_days: 7, risk_threshold: 0.4 },
        )
        .expect("rag");
        let settings = read_workspace(&doc).expect("workspace").workspace.settings;
        // A new workspace starts with China's published days; the added ones join them in order.
        let china = crate::domain::china_calendar();
        let mut holidays = china.holidays.clone();
        holidays.extend([day("2027-02-05"), day("2027-02-08")]);
        let mut makeup = china.extra_workdays.clone();
        makeup.push(day("2027-02-20"));
        assert_eq!(settings.calendar.holidays, holidays);
        assert_eq!(settings.calendar.extra_workdays, makeup);
        assert!(settings.calendar.weekdays.iter().all(|w| *w));
        assert_eq!(settings.cycle_targets, vec![CycleTarget { tag: "上架".into(), days: 3.0 }]);
        assert_eq!((settings.locale.as_str(), settings.rag.lookahead_days), ("en", 7));
        assert!(!settings.viewers_may_comment);
        assert!(matches!(
            apply(&mut doc, WorkspaceCommand::SetWeekdays { weekdays: vec![true; 5] }),
            Err(WorkspaceError::BadWeek(5))
        ));
        assert!(matches!(
            apply(&mut doc, WorkspaceCommand::SetLocale { locale: "fr".into() }),
            Err(WorkspaceError::BadLocale(_))
        ));
        assert!(matches!(
            apply(&mut doc, WorkspaceCommand::SetCycleTarget { tag: "上架".into(), days: 0.0 }),
            Err(WorkspaceError::BadTarget(_))
        ));
    }

    #[test]
    fn a_plan_saved_as_a_template_makes_new_plans_and_can_be_deleted() {
        let (mut doc, _) = workspace();
        let launch = crate::domain::templates::find("sku-listing").expect("template");
        let plan = launch.instantiate("2027-03-01".parse().expect("date"), true, "saved", 0);
        let mut saved = crate::domain::templates::Template::from_project(&plan, "saved-1");
        saved.name = crate::domain::templates::Bilingual::new("口红上新（我们的）", "口红上新（我们的）");
        apply(&mut doc, WorkspaceCommand::SaveTemplate { template: saved.clone() }).expect("save");
        let workspace = read_workspace(&doc).expect("workspace").workspace;
        assert_eq!(workspace.saved_templates(), vec![saved.clone()]);
        let again = saved.instantiate("2027-04-01".parse().expect("date"), true, "again", 0);
        assert_eq!(again.tasks.len(), plan.tasks.len());
        // A broken one is refused and writes nothing; deleting removes it.
        let mut broken = saved.clone();
        broken.tasks[0].phase = "nowhere".into();
        let heads = doc.get_heads();
        assert!(matches!(
            apply(&mut doc, WorkspaceCommand::SaveTemplate { template: broken }),
            Err(WorkspaceError::BadTemplate(_))
        ));
        assert_eq!(doc.get_heads(), heads);
        apply(&mut doc, WorkspaceCommand::DeleteTemplate { key: "saved-1".into() }).expect("delete");
        assert!(read_workspace(&doc).expect("workspace").workspace.saved_templates().is_empty());
    }

    #[test]
    fn projects_are_indexed_renamed_and_archived() {
        let (mut doc, _) = workspace();
        let plan = DocumentId::random();
        apply(
            &mut doc,
            WorkspaceCommand::IndexProject { doc: plan, name: "618".into(), kind: ProjectKind::Campaign },
        )
        .expect("index");
        apply(&mut doc, WorkspaceCommand::Archive { doc: plan, archived: true }).expect("archive");
        apply(
            &mut doc,
            WorkspaceCommand::IndexProject {
                doc: plan,
                name: "618 大促".into(),
                kind: ProjectKind::Campaign,
            },
        )
        .expect("rename");
        let entry = read_workspace(&doc).expect("workspace").workspace.projects[&plan.to_string()].clone();
        assert_eq!((entry.name.as_str(), entry.archived), ("618 大促", true));
    }

    #[test]
    fn a_scenario_is_listed_with_its_plan_and_stays_one_when_renamed() {
        let (mut doc, _) = workspace();
        let (plan, scenario) = (DocumentId::random(), DocumentId::random());
        let kind = ProjectKind::Campaign;
        apply(&mut doc, WorkspaceCommand::IndexProject { doc: plan, name: "双十一".into(), kind })
            .expect("plan");
        apply(
            &mut doc,
            WorkspaceCommand::IndexScenario { doc: scenario, name: "双十一".into(), kind, of: plan },
        )
        .expect("scenario");
        // The plan page keeps the index's name in step with the plan's: still a scenario.
        apply(&mut doc, WorkspaceCommand::IndexProject { doc: scenario, name: "双十一 大促".into(), kind })
            .expect("rename");
        let projects = read_workspace(&doc).expect("workspace").workspace.projects;
        assert_eq!(projects[&scenario.to_string()].scenario_of, Some(plan.to_string()));
        assert_eq!(projects[&scenario.to_string()].name, "双十一 大促");
        assert_eq!(projects[&plan.to_string()].scenario_of, None);
    }
}
