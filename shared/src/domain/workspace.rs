use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use super::{ProjectKind, Team, WorkCalendar};
use crate::MemberId;

/// What someone may do. A role's rights are checked in the app for comfort and in the relay
/// for safety.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Reconcile,
    Hydrate,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Role {
    Owner,
    Admin,
    Editor,
    /// 运营: content fields only.
    ContentEditor,
    Viewer,
    Finance,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Member {
    #[key]
    pub id: MemberId,
    pub name: String,
    pub roles: Vec<Role>,
    /// Hours a day this person can give to plans.
    #[autosurgeon(missing = "default_capacity")]
    pub capacity_hours: f64,
    /// The function this person works in (运营, 设计, 客服...).
    #[autosurgeon(missing = "Option::default")]
    pub team: Option<Team>,
}

pub(crate) fn default_capacity() -> f64 {
    8.0
}

impl Member {
    pub fn new(name: impl Into<String>, roles: Vec<Role>) -> Self {
        Self {
            id: MemberId::random(),
            name: name.into(),
            roles,
            capacity_hours: default_capacity(),
            team: None,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role) || self.roles.contains(&Role::Owner)
    }
}

/// When a task, phase or project turns amber or red.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct RagRules {
    /// Amber when a task's slack is below this many working days...
    pub amber_slack_days: i32,
    /// ... and it starts within this many days.
    pub lookahead_days: i32,
    /// Amber when the team's history says a task like this slips at least this often.
    pub risk_threshold: f64,
}

impl Default for RagRules {
    fn default() -> Self {
        Self { amber_slack_days: 2, lookahead_days: 14, risk_threshold: 0.5 }
    }
}

/// How long work of a kind (a task tag, or a SKU's whole listing) should take, in days.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct CycleTarget {
    #[key]
    pub tag: String,
    pub days: f64,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Settings {
    pub rag: RagRules,
    pub cycle_targets: Vec<CycleTarget>,
    pub calendar: WorkCalendar,
    /// `zh-CN` or `en`.
    pub locale: String,
    /// Whether viewers (and finance members, by that role alone) may comment on tasks.
    #[autosurgeon(missing = "default_viewers_may_comment")]
    pub viewers_may_comment: bool,
}

pub(crate) fn default_viewers_may_comment() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            rag: RagRules::default(),
            // The seed's example: planning to listing takes 5 days in the industry.
            cycle_targets: vec![CycleTarget { tag: "上架".into(), days: 5.0 }],
            // China's statutory holidays and 调休 for every year published so far.
            calendar: super::china_calendar(),
            locale: "zh-CN".into(),
            viewers_may_comment: default_viewers_may_comment(),
        }
    }
}

/// A plan the workspace knows of.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ProjectEntry {
    pub name: String,
    pub kind: ProjectKind,
    pub archived: bool,
    /// For a what-if scenario, the plan it was forked from (its document id).
    #[autosurgeon(missing = "Option::default")]
    pub scenario_of: Option<String>,
}

/// An open invitation to join the workspace with a role. The link carries its id; whoever
/// opens it joins once, and the invitation is used up.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Invite {
    pub role: Role,
    pub by: MemberId,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    /// Who joined with it; an invitation is good for one person.
    pub used_by: Option<MemberId>,
}

/// One team: its people, roles, plans and settings.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Workspace {
    pub schema: u64,
    pub name: String,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub members: BTreeMap<MemberId, Member>,
    /// Document id (as text) to entry.
    pub projects: BTreeMap<String, ProjectEntry>,
    pub settings: Settings,
    /// Invitations by id (as text).
    #[autosurgeon(missing = "BTreeMap::new")]
    pub invites: BTreeMap<String, Invite>,
    /// Templates saved from the workspace's plans, by key, each as the JSON of a
    /// [`super::templates::Template`].
    #[autosurgeon(missing = "BTreeMap::new")]
    pub templates: BTreeMap<String, String>,
}

impl Workspace {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            schema: 1,
            name: name.into(),
            members: BTreeMap::new(),
            projects: BTreeMap::new(),
            settings: Settings::default(),
            invites: BTreeMap::new(),
            templates: BTreeMap::new(),
        }
    }

    /// The saved templates that can be read, oldest key first.
    pub fn saved_templates(&self) -> Vec<super::templates::Template> {
        self.templates.values().filter_map(|json| serde_json::from_str(json).ok()).collect()
    }

    pub fn add_member(&mut self, member: Member) -> MemberId {
        let id = member.id;
        self.members.insert(id, member);
        id
    }

    /// Everyone who has `role`.
    pub fn members_with(&self, role: Role) -> impl Iterator<Item = &Member> {
        self.members.values().filter(move |m| m.has(role))
    }
}
