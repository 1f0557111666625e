//! A workspace document, read in one walk.

use std::collections::BTreeMap;

use automerge::hydrate::Value;
use automerge::{ROOT, ReadDoc};

use super::project::read_list;
use super::values::Strict;
use super::{Fields, FromValue, NotReadable, ReadProblem, Wrong};
use crate::MemberId;
use crate::domain::workspace::default_capacity;
use crate::domain::{
    CycleTarget, Invite, Member, ProjectEntry, ProjectKind, RagRules, Settings, WorkCalendar, Workspace,
};

/// A workspace as read, with what could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceRead {
    pub workspace: Workspace,
    pub problems: Vec<ReadProblem>,
}

/// Reads the workspace in `doc` in one walk.
pub fn read_workspace<D: ReadDoc>(doc: &D) -> Result<WorkspaceRead, NotReadable> {
    read_workspace_value(&super::walk(doc, &ROOT, automerge::ObjType::Map))
}

pub fn read_workspace_value(root: &Value) -> Result<WorkspaceRead, NotReadable> {
    let missing = |field| NotReadable::Missing { kind: "workspace", field };
    let Value::Map(map) = root else { return Err(missing("members")) };
    if map.get("members").is_none() {
        return Err(missing("members"));
    }
    let mut f = Fields::new(map, "");
    let mut problems = Vec::new();
    let schema = f.get_or("schema", || 1);
    let name = f.need("name", String::new);
    let members = keyed(map.get("members"), "members", &mut problems, |key, value| {
        let id: MemberId = key.parse().map_err(|e| Wrong(format!("{e}")))?;
        Ok((id, read_member(id, value)?))
    });
    let projects = keyed(map.get("projects"), "projects", &mut problems, |key, value| {
        Ok((key.to_owned(), ProjectEntry::from_value(value)?))
    });
    let invites = keyed(map.get("invites"), "invites", &mut problems, |key, value| {
        Ok((key.to_owned(), Invite::from_value(value)?))
    });
    let templates = keyed(map.get("templates"), "templates", &mut problems, |key, value| {
        let json = String::from_value(value)?;
        serde_json::from_str::<crate::domain::templates::Template>(&json)
            .map_err(|e| Wrong(format!("not a template: {e}")))?;
        Ok((key.to_owned(), json))
    });
    let settings = read_settings(map.get("settings"), &mut problems);
    problems.splice(0..0, f.problems);
    Ok(WorkspaceRead {
        workspace: Workspace { schema, name, members, projects, settings, invites, templates },
        problems,
    })
}

/// A map whose unreadable entries are skipped and reported.
fn keyed<K: Ord, V>(
    value: Option<&Value>,
    path: &str,
    problems: &mut Vec<ReadProblem>,
    mut read: impl FnMut(&str, &Value) -> Result<(K, V), Wrong>,
) -> BTreeMap<K, V> {
    match value {
        None => BTreeMap::new(),
        Some(Value::Map(map)) => map
            .iter()
            .filter_map(|(key, entry)| match read(key, &entry.value) {
                Ok(kv) => Some(kv),
                Err(Wrong(reason)) => {
                    problems.push(ReadProblem { field: format!("{path}/{key}"), reason });
                    None
                }
            })
            .collect(),
        Some(other) => {
            problems.push(ReadProblem { field: path.into(), reason: Wrong::expected("a map", other).0 });
            BTreeMap::new()
        }
    }
}

pub(crate) fn read_member(id: MemberId, value: &Value) -> Result<Member, Wrong> {
    let m = Strict::of(value)?;
    Ok(Member {
        id,
        name: m.need("name")?,
        roles: m.get("roles")?,
        capacity_hours: m.get::<Option<f64>>("capacity_hours")?.unwrap_or_else(default_capacity),
        team: m.get("team")?,
    })
}

impl FromValue for ProjectEntry {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(ProjectEntry {
            name: m.need("name")?,
            kind: m.get::<Option<ProjectKind>>("kind")?.unwrap_or(ProjectKind::Launch),
            archived: m.get("archived")?,
            scenario_of: m.get("scenario_of")?,
        })
    }
}

impl FromValue for Invite {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(Invite { role: m.need("role")?, by: m.need("by")?, at: m.need("at")?, used_by: m.get("used_by")? })
    }
}

/// The settings, each part on its own: a bad holiday does not reset the RAG rules. Items of
/// the lists that cannot be read are skipped and reported.
fn read_settings(value: Option<&Value>, problems: &mut Vec<ReadProblem>) -> Settings {
    let defaults = Settings::default();
    let Some(value) = value else { return defaults };
    let Value::Map(map) = value else {
        problems.push(ReadProblem { field: "settings".into(), reason: Wrong::expected("a map", value).0 });
        return defaults;
    };
    let mut f = Fields::new(map, "settings");
    let rag = f.get_or("rag", || defaults.rag.clone());
    let locale = f.get_or("locale", || defaults.locale.clone());
    let viewers_may_comment = f.get_or("viewers_may_comment", || defaults.viewers_may_comment);
    problems.append(&mut f.problems);
    let cycle_targets = match map.get("cycle_targets") {
        None => defaults.cycle_targets,
        value => {
            let (targets, found) = read_list(value, "settings/cycle_targets");
            problems.extend(found);
            targets
        }
    };
    let calendar = match map.get("calendar") {
        None => defaults.calendar,
        Some(Value::Map(calendar)) => {
            let mut f = Fields::new(calendar, "settings/calendar");
            let weekdays: Vec<bool> = f.need("weekdays", || WorkCalendar::default().weekdays);
            problems.append(&mut f.problems);
            let weekdays = if weekdays.len() == 7 {
                weekdays
            } else {
                problems.push(ReadProblem {
                    field: "settings/calendar/weekdays".into(),
                    reason: format!("it holds {} days, a week has 7", weekdays.len()),
                });
                WorkCalendar::default().weekdays
            };
            let (holidays, found) = read_list(calendar.get("holidays"), "settings/calendar/holidays");
            problems.extend(found);
            let (extra_workdays, found) =
                read_list(calendar.get("extra_workdays"), "settings/calendar/extra_workdays");
            problems.extend(found);
            WorkCalendar { weekdays, holidays, extra_workdays }
        }
        Some(other) => {
            problems.push(ReadProblem {
                field: "settings/calendar".into(),
                reason: Wrong::expected("a map", other).0,
            });
            defaults.calendar
        }
    };
    Settings { rag, cycle_targets, calendar, locale, viewers_may_comment }
}

impl FromValue for RagRules {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        let d = RagRules::default();
        Ok(RagRules {
            amber_slack_days: m.get::<Option<i32>>("amber_slack_days")?.unwrap_or(d.amber_slack_days),
            lookahead_days: m.get::<Option<i32>>("lookahead_days")?.unwrap_or(d.lookahead_days),
            risk_threshold: m.get::<Option<f64>>("risk_threshold")?.unwrap_or(d.risk_threshold),
        })
    }
}

impl FromValue for CycleTarget {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        Ok(CycleTarget { tag: m.need("tag")?, days: m.need("days")? })
    }
}

impl FromValue for WorkCalendar {
    fn from_value(value: &Value) -> Result<Self, Wrong> {
        let m = Strict::of(value)?;
        let weekdays: Vec<bool> = m.need("weekdays")?;
        if weekdays.len() != 7 {
            return Err(Wrong(format!("`weekdays` holds {} days, a week has 7", weekdays.len())));
        }
        Ok(WorkCalendar { weekdays, holidays: m.get("holidays")?, extra_workdays: m.get("extra_workdays")? })
    }
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;
    use automerge::transaction::Transactable;

    use super::*;
    use crate::domain::Role;

    #[test]
    fn a_workspace_reads_back_exactly() {
        let mut workspace = Workspace::new("美妆旗舰店");
        let mut owner = Member::new("王主管", vec![Role::Owner]);
        owner.team = Some(crate::domain::Team::Operations);
        let owner_id = workspace.add_member(owner);
        workspace.add_member(Member::new("小李", vec![Role::Editor, Role::Finance]));
        workspace.projects.insert(
            crate::DocumentId::random().to_string(),
            ProjectEntry {
                name: "618".into(),
                kind: ProjectKind::Campaign,
                archived: false,
                scenario_of: None,
            },
        );
        workspace
            .invites
            .insert("abc".into(), Invite { role: Role::Viewer, by: owner_id, at: 5, used_by: None });
        workspace.settings.calendar.holidays.push("2027-02-17".parse().expect("date"));
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        autosurgeon::reconcile(&mut tx, &workspace).expect("write");
        tx.commit();
        let read = read_workspace(&doc).expect("a workspace");
        assert_eq!(read.problems, Vec::new());
        assert_eq!(read.workspace, workspace);
    }

    #[test]
    fn a_bad_holiday_is_skipped_and_named_and_the_other_settings_stay() {
        let mut workspace = Workspace::new("店铺");
        workspace.settings.rag.lookahead_days = 9;
        workspace.settings.calendar.holidays = vec!["2027-02-08".parse().expect("date")];
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        autosurgeon::reconcile(&mut tx, &workspace).expect("write");
        let (_, settings) = tx.get(ROOT, "settings").expect("get").expect("settings");
        let (_, calendar) = tx.get(&settings, "calendar").expect("get").expect("calendar");
        let (_, holidays) = tx.get(&calendar, "holidays").expect("get").expect("holidays");
        tx.insert(&holidays, 1, "春节").expect("a holiday that is no date");
        tx.commit();
        let read = read_workspace(&doc).expect("a workspace");
        assert_eq!(read.workspace.settings.rag.lookahead_days, 9, "the rules stay");
        assert_eq!(read.workspace.settings.calendar.holidays, workspace.settings.calendar.holidays);
        assert_eq!(read.problems.len(), 1);
        assert_eq!(read.problems[0].field, "settings/calendar/holidays/1");
    }

    #[test]
    fn a_bad_member_is_skipped_and_named_and_the_rest_reads() {
        let mut workspace = Workspace::new("店铺");
        let good = workspace.add_member(Member::new("小王", vec![Role::Owner]));
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        autosurgeon::reconcile(&mut tx, &workspace).expect("write");
        let (_, members) = tx.get(ROOT, "members").expect("get").expect("members");
        let bad = MemberId::random();
        let member = tx.put_object(&members, bad.to_string(), automerge::ObjType::Map).expect("member");
        tx.put(&member, "name", 42i64).expect("a number for a name");
        tx.commit();
        let read = read_workspace(&doc).expect("a workspace");
        assert_eq!(read.workspace.members.keys().copied().collect::<Vec<_>>(), vec![good]);
        assert_eq!(read.problems.len(), 1);
        assert_eq!(read.problems[0].field, format!("members/{bad}"));
    }
}
