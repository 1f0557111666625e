//! Concurrent edits to one field: Automerge keeps every value; we show them so that a person
//! picks one. Picking is an ordinary edit, which supersedes all of them.

use crate::TaskId;

/// A field of a task that holds more than one value after a merge.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldConflict {
    pub task: TaskId,
    /// `title` or `status`.
    pub field: String,
    /// Every value, the one Automerge shows first.
    pub values: Vec<String>,
}
