use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use super::{Date, Status, Task};
use crate::{MilestoneId, PhaseId, TaskId};

/// Written into every project document so that later versions can migrate older ones.
pub const SCHEMA_VERSION: u64 = 1;

/// What kind of plan a project is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub enum ProjectKind {
    /// 新品首发
    Launch,
    /// 大促 (双十一, 618)
    Campaign,
    Seasonal,
    /// SKU 上新
    Listing,
}

/// A product the plan is about.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Sku {
    #[key]
    pub code: String,
    pub name: String,
}

impl Sku {
    /// SKUs as people type them, one per line or comma: a code, then a name if there is one
    /// (`LIP-01 丝绒雾面口红`). Repeated codes count once.
    pub fn parse_list(text: &str) -> Vec<Sku> {
        let mut skus: Vec<Sku> = Vec::new();
        for line in text.split(['\n', ',', '，', ';', '；']) {
            let line = line.trim();
            let Some(code) = line.split_whitespace().next() else { continue };
            let name = line[code.len()..].trim();
            if skus.iter().any(|s| s.code == code) {
                continue;
            }
            skus.push(Sku {
                code: code.to_owned(),
                name: if name.is_empty() { code } else { name }.to_owned(),
            });
        }
        skus
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct ProjectMeta {
    pub name: String,
    pub kind: ProjectKind,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    #[autosurgeon(missing = "Option::default")]
    pub start: Option<Date>,
    /// The launch or campaign day the plan works toward.
    #[autosurgeon(missing = "Option::default")]
    pub launch: Option<Date>,
    #[autosurgeon(missing = "Vec::new")]
    pub skus: Vec<Sku>,
    /// Moving a task pushes the tasks that depend on it.
    #[autosurgeon(missing = "Default::default")]
    pub shift_dependents: bool,
    /// The template it was made from, if any.
    #[autosurgeon(missing = "Option::default")]
    pub template: Option<String>,
    /// Its teams work every day, weekends and holidays too (a campaign's): its work is
    /// scheduled on every day, not on the workspace's calendar. Plans made before this was
    /// kept say it by their built-in template (`templates::plan_calendar`).
    #[autosurgeon(missing = "Default::default")]
    pub every_day: bool,
    /// The statuses tasks move through, in order, with the names this team uses; empty for
    /// the defaults (待开始, 进行中, 待审核, 已完成, 阻塞).
    #[autosurgeon(missing = "Vec::new")]
    pub workflow: Vec<WorkflowStep>,
    /// The most cards each board column should hold, by status key (`in_progress`, …): past
    /// it, the column's header warns. No entry: no limit.
    #[autosurgeon(missing = "Default::default")]
    pub wip_limits: std::collections::BTreeMap<String, u32>,
}

/// One status of a project's workflow.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct WorkflowStep {
    pub status: Status,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Phase {
    #[key]
    pub id: PhaseId,
    pub name: String,
}

/// A checkpoint people watch (首页banner设计完成, 商品上架审核通过): reached when the tasks
/// it follows are done, expected when the last of them is scheduled to finish, unless it has a
/// fixed date.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Milestone {
    #[key]
    pub id: MilestoneId,
    pub name: String,
    pub after: Vec<TaskId>,
    #[autosurgeon(missing = "Option::default")]
    pub date: Option<Date>,
}

/// One plan: its phases in order and its tasks keyed by id (a map, so that concurrent
/// additions never collide on a list index).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Project {
    pub schema: u64,
    pub meta: ProjectMeta,
    pub phases: Vec<Phase>,
    #[autosurgeon(missing = "Vec::new")]
    pub milestones: Vec<Milestone>,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub tasks: BTreeMap<TaskId, Task>,
}

impl Project {
    pub fn new(name: impl Into<String>, kind: ProjectKind, created_at: i64) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            meta: ProjectMeta {
                name: name.into(),
                kind,
                created_at,
                start: None,
                launch: None,
                skus: Vec::new(),
                shift_dependents: false,
                template: None,
                every_day: false,
                workflow: Vec::new(),
                wip_limits: Default::default(),
            },
            phases: Vec::new(),
            milestones: Vec::new(),
            tasks: BTreeMap::new(),
        }
    }

    /// The statuses of this project's workflow in order, with their names in the given
    /// language for the built-in ones.
    pub fn workflow(&self, chinese: bool) -> Vec<WorkflowStep> {
        if !self.meta.workflow.is_empty() {
            return self.meta.workflow.clone();
        }
        let names: [(&str, &str); 5] = [
            ("待开始", "To do"),
            ("进行中", "In progress"),
            ("待审核", "In review"),
            ("已完成", "Done"),
            ("阻塞", "Blocked"),
        ];
        Status::DEFAULTS
            .iter()
            .zip(names)
            .map(|(status, (zh, en))| WorkflowStep {
                status: status.clone(),
                name: if chinese { zh } else { en }.into(),
            })
            .collect()
    }

    /// Tasks in the order people added them (ties broken by id, so every replica agrees).
    pub fn tasks_in_order(&self) -> Vec<&Task> {
        let mut tasks: Vec<&Task> = self.tasks.values().collect();
        tasks.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        tasks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_are_read_as_people_type_them() {
        let skus = Sku::parse_list("LIP-01 丝绒雾面口红\nLIP-02, LIP-03 Satin red；LIP-01 again\n  \n");
        let pairs: Vec<(&str, &str)> = skus.iter().map(|s| (s.code.as_str(), s.name.as_str())).collect();
        assert_eq!(pairs, [("LIP-01", "丝绒雾面口红"), ("LIP-02", "LIP-02"), ("LIP-03", "Satin red")]);
        assert!(Sku::parse_list(" , ;\n").is_empty());
    }

    #[test]
    fn a_project_may_have_its_own_workflow() {
        let mut project = Project::new("618", ProjectKind::Campaign, 0);
        assert_eq!(
            project.workflow(true).iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["待开始", "进行中", "待审核", "已完成", "阻塞"]
        );
        project.meta.workflow = vec![
            WorkflowStep { status: Status::Todo, name: "排期中".into() },
            WorkflowStep { status: Status::Other("design-review".into()), name: "设计评审".into() },
            WorkflowStep { status: Status::Done, name: "已上线".into() },
        ];
        assert_eq!(project.workflow(true)[1].status.key(), "design-review");
    }
}
