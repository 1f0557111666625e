use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use super::{Date, Task};
use crate::{MilestoneId, PhaseId, TaskId};

/// Written into every project document so that later versions can migrate older ones.
pub const SCHEMA_VERSION: u64 = 1;

/// What kind of plan a project is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate)]
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
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Sku {
    #[key]
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
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
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Phase {
    #[key]
    pub id: PhaseId,
    pub name: String,
}

/// A checkpoint people watch (首页banner设计完成, 商品上架审核通过): reached when the tasks
/// it follows are done, expected when the last of them is scheduled to finish, unless it has a
/// fixed date.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
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
            },
            phases: Vec::new(),
            milestones: Vec::new(),
            tasks: BTreeMap::new(),
        }
    }

    /// Tasks in the order people added them (ties broken by id, so every replica agrees).
    pub fn tasks_in_order(&self) -> Vec<&Task> {
        let mut tasks: Vec<&Task> = self.tasks.values().collect();
        tasks.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        tasks
    }
}
