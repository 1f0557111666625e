//! What a plan means, computed from it: the schedule (forward and backward passes over
//! working days, slack, critical path), workload, red / amber / green status, insight from
//! the team's history, and the checks that run after every merge. Pure functions of the
//! domain types.

pub mod arrange;
pub mod board;
mod chains;
pub mod dashboard;
pub mod gantt;
mod graph;
pub mod inbox;
pub mod insight;
pub mod kpi;
pub mod rag;
pub mod report;
pub mod risk;
pub mod scenario;
pub mod schedule;
pub mod shift;
pub mod validate;
pub mod workload;

pub use rag::{PlanStatus, Rag, RagStatus, Reason, plan_status, task_status};
pub use report::{PlanReport, report};
pub use risk::{History, MemberRecord, Suggestion, TagRecord, suggest_assignee};
pub use schedule::{Anchor, Schedule, ScheduledTask, Work, schedule, schedule_plan};
pub use validate::{Warning, validate};
pub use workload::{Overload, Workload, workload};
