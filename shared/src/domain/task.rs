use autosurgeon::{Hydrate, Reconcile};

use super::Status;
use crate::{PhaseId, TaskId};

/// One piece of work in a project.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Task {
    #[key]
    pub id: TaskId,
    pub title: String,
    pub status: Status,
    #[autosurgeon(missing = "Option::default")]
    pub phase: Option<PhaseId>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

impl Task {
    pub fn new(title: impl Into<String>, phase: Option<PhaseId>, created_at: i64) -> Self {
        Self { id: TaskId::random(), title: title.into(), status: Status::Todo, phase, created_at }
    }
}
