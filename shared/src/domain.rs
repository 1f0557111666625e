//! The launch-plan domain: plain structs mapped to Automerge with autosurgeon, and the
//! commands that change them. Views hydrate from the document; writes go through `commands`.

mod calendar;
mod command;
pub mod commands;
pub mod comments;
mod conflicts;
mod date;
pub mod finance;
pub mod history;
pub mod permissions;
mod plan_view;
mod presence;
mod project;
pub mod quick_add;
mod rank;
pub mod read;
mod status;
mod task;
pub mod templates;
pub mod text_edit;
pub mod timeline;
mod touch;
mod undo;
mod workspace;
mod workspace_command;

pub use calendar::{CHINA_HOLIDAYS_THROUGH, WorkCalendar, WorkIndex, china_calendar};
pub use command::{Command, Context, Outcome};
pub use conflicts::FieldConflict;
pub use date::{Date, ParseDateError};
pub use finance::{BudgetLine, CostEntry, Fen, Finance};
pub use plan_view::{PlanRow, PlanView, TaskEntry, ViewChange};
pub use presence::Presence;
pub use project::{Milestone, Phase, Project, ProjectKind, ProjectMeta, SCHEMA_VERSION, Sku, WorkflowStep};
pub use rank::{ParseRankError, Rank};
pub use status::Status;
pub use task::{
    Approval, ApprovalState, Attachment, Baseline, ChecklistItem, Comment, Dependency, DependencyKind, Every,
    Priority, Recurrence, Task, Team, TimeEntry,
};
pub use touch::{Touch, touches_since};
pub use undo::{Undo, undo_change};
pub use workspace::{CycleTarget, Invite, Member, ProjectEntry, RagRules, Role, Settings, Workspace};
pub use workspace_command::{WorkspaceCommand, WorkspaceError, create_workspace};
