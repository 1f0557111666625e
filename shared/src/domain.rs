//! The launch-plan domain: plain structs mapped to Automerge with autosurgeon, and the
//! commands that change them. Views hydrate from the document; writes go through `commands`.

pub mod commands;
mod conflicts;
mod presence;
mod project;
mod status;
mod task;

pub use conflicts::{FieldConflict, task_conflicts};
pub use presence::Presence;
pub use project::{Phase, Project, ProjectKind, ProjectMeta, SCHEMA_VERSION};
pub use status::Status;
pub use task::Task;
