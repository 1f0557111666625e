use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use super::Task;
use crate::{PhaseId, TaskId};

/// Written into every project document so that later versions can migrate older ones.
pub const SCHEMA_VERSION: u64 = 1;

/// What kind of plan a project is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum ProjectKind {
    /// 新品首发
    Launch,
    /// 大促 (双十一, 618)
    Campaign,
    Seasonal,
    /// SKU 上新
    Listing,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ProjectMeta {
    pub name: String,
    pub kind: ProjectKind,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Phase {
    #[key]
    pub id: PhaseId,
    pub name: String,
}

/// One plan: its phases in order and its tasks keyed by id (a map, so that concurrent
/// additions never collide on a list index).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Project {
    pub schema: u64,
    pub meta: ProjectMeta,
    pub phases: Vec<Phase>,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub tasks: BTreeMap<TaskId, Task>,
}

impl Project {
    pub fn new(name: impl Into<String>, kind: ProjectKind, created_at: i64) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            meta: ProjectMeta { name: name.into(), kind, created_at },
            phases: Vec::new(),
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
