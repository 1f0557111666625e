use autosurgeon::{Hydrate, Reconcile};

use super::{Date, Rank, Status};
use crate::{ItemId, MemberId, PhaseId, TaskId};

/// One piece of work in a project. Fields added after the first version carry a `missing`
/// default, so documents written before them still load.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Task {
    #[key]
    pub id: TaskId,
    pub title: String,
    pub status: Status,
    #[autosurgeon(missing = "Option::default")]
    pub phase: Option<PhaseId>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Rich text that several people can edit at once.
    #[autosurgeon(missing = "Default::default")]
    #[serde(with = "text_as_string")]
    pub description: autosurgeon::Text,
    #[autosurgeon(missing = "Vec::new")]
    pub assignees: Vec<MemberId>,
    /// Which function owns the work (运营, 设计, 客服...), before anyone is assigned.
    #[autosurgeon(missing = "Option::default")]
    pub team: Option<Team>,
    #[autosurgeon(missing = "Default::default")]
    pub priority: Priority,
    /// What kind of work it is (包装设计, 页面优化, ...): cycle-time targets and risk are per tag.
    #[autosurgeon(missing = "Vec::new")]
    pub tags: Vec<String>,
    #[autosurgeon(missing = "Option::default")]
    pub sku: Option<String>,
    /// Where its card sits in its board column; `None` until someone places it there (it then
    /// sorts by when it was created, see [`Task::board_rank`]).
    #[autosurgeon(missing = "Option::default")]
    pub rank: Option<Rank>,
    #[autosurgeon(missing = "Option::default")]
    pub start: Option<Date>,
    #[autosurgeon(missing = "Option::default")]
    pub due: Option<Date>,
    /// The time of day it is due, `HH:MM` (24-hour): "明天下午三点前" is 15:00.
    #[autosurgeon(missing = "Option::default")]
    pub due_time: Option<String>,
    /// Where the task was planned when the plan's baseline was saved (see [`Baseline`]).
    #[autosurgeon(missing = "Option::default")]
    pub baseline: Option<Baseline>,
    /// Working days the work takes; 0 for a milestone-like checkpoint.
    #[autosurgeon(missing = "Option::default")]
    pub duration_days: Option<u32>,
    #[autosurgeon(missing = "Option::default")]
    pub estimate_hours: Option<f64>,
    #[autosurgeon(missing = "Vec::new")]
    pub checklist: Vec<ChecklistItem>,
    #[autosurgeon(missing = "Option::default")]
    pub approval: Option<Approval>,
    #[autosurgeon(missing = "Vec::new")]
    pub depends_on: Vec<Dependency>,
    #[autosurgeon(missing = "Vec::new")]
    pub comments: Vec<Comment>,
    #[autosurgeon(missing = "Vec::new")]
    pub attachments: Vec<Attachment>,
    #[autosurgeon(missing = "Vec::new")]
    pub time_entries: Vec<TimeEntry>,
    #[autosurgeon(missing = "Option::default")]
    pub recurrence: Option<Recurrence>,
    /// When it first went in progress (ms since the epoch): cycle time starts here.
    #[autosurgeon(missing = "Option::default")]
    pub started_at: Option<i64>,
    /// When it was last completed (ms since the epoch).
    #[autosurgeon(missing = "Option::default")]
    pub completed_at: Option<i64>,
}

impl Task {
    pub fn new(title: impl Into<String>, phase: Option<PhaseId>, created_at: i64) -> Self {
        Self {
            id: TaskId::random(),
            title: title.into(),
            status: Status::Todo,
            phase,
            created_at,
            description: autosurgeon::Text::default(),
            assignees: Vec::new(),
            team: None,
            priority: Priority::Normal,
            tags: Vec::new(),
            sku: None,
            rank: None,
            start: None,
            due: None,
            due_time: None,
            baseline: None,
            duration_days: None,
            estimate_hours: None,
            checklist: Vec::new(),
            approval: None,
            depends_on: Vec::new(),
            comments: Vec::new(),
            attachments: Vec::new(),
            time_entries: Vec::new(),
            recurrence: None,
            started_at: None,
            completed_at: None,
        }
    }

    /// Hours logged against the task.
    pub fn actual_hours(&self) -> f64 {
        self.time_entries.iter().map(|e| e.hours).sum()
    }

    /// Working days the task takes: as set, else 1.
    pub fn duration(&self) -> u32 {
        self.duration_days.unwrap_or(1)
    }

    /// Done, and (if it needs approval) approved.
    pub fn is_done(&self) -> bool {
        self.status.is_done()
    }

    /// Days from start to done, for a done task that was seen started before it was done:
    /// one ticked done straight from to-do starts and finishes at once, which says nothing
    /// of how long the work took.
    pub fn cycle_days(&self) -> Option<f64> {
        match (self.is_done(), self.started_at, self.completed_at) {
            (true, Some(start), Some(done)) if done > start => Some((done - start) as f64 / 86_400_000.0),
            _ => None,
        }
    }
}

/// The functions of an e-commerce team that own work in a plan.
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
pub enum Team {
    /// 产品经理
    Product,
    /// 运营
    Operations,
    /// 设计
    Design,
    /// 市场投放
    Marketing,
    /// 客服
    CustomerService,
    /// 仓储物流
    Warehouse,
    /// 品控
    Quality,
}

impl Team {
    pub fn name(self, chinese: bool) -> &'static str {
        let (zh, en) = match self {
            Team::Product => ("产品经理", "Product"),
            Team::Operations => ("运营", "Operations"),
            Team::Design => ("设计", "Design"),
            Team::Marketing => ("市场投放", "Marketing"),
            Team::CustomerService => ("客服", "Customer service"),
            Team::Warehouse => ("仓储物流", "Warehouse & logistics"),
            Team::Quality => ("品控", "Quality"),
        };
        if chinese { zh } else { en }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    Default,
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
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

/// Where a task was planned when the plan's baseline was saved: the schedule people agreed
/// on, which the Gantt chart draws under the task's bar to show how far it has moved since.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct Baseline {
    pub start: Date,
    pub due: Date,
}

/// How a task waits for another.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DependencyKind {
    /// Starts after the other finishes (the usual).
    FinishToStart,
    /// Starts when the other starts.
    StartToStart,
    /// Finishes when the other finishes.
    FinishToFinish,
    /// Finishes when the other starts.
    StartToFinish,
}

/// This task waits for `task`, `lag_days` working days later (negative: overlap).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate, serde::Serialize, serde::Deserialize,
)]
pub struct Dependency {
    pub task: TaskId,
    pub kind: DependencyKind,
    pub lag_days: i32,
}

impl Dependency {
    pub fn after(task: TaskId) -> Self {
        Self { task, kind: DependencyKind::FinishToStart, lag_days: 0 }
    }
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct ChecklistItem {
    #[key]
    pub id: ItemId,
    pub text: String,
    pub done: bool,
}

/// A task that needs sign-off reaches done only when someone with `role` approves it.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Approval {
    pub role: super::Role,
    pub state: ApprovalState,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub enum ApprovalState {
    Pending,
    Approved { by: MemberId, at: i64 },
    Rejected { by: MemberId, at: i64, reason: String },
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Comment {
    #[key]
    pub id: ItemId,
    pub author: MemberId,
    pub at: i64,
    pub body: String,
    /// Members the comment names with @.
    pub mentions: Vec<MemberId>,
}

/// A file kept by the relay (content-addressed); the document holds only this.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    /// Hex sha256 of the content.
    #[key]
    pub hash: String,
    pub name: String,
    pub size: u64,
    pub mime: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct TimeEntry {
    #[key]
    pub id: ItemId,
    pub member: MemberId,
    pub date: Date,
    pub hours: f64,
}

/// A task that repeats inside a window (a campaign's daily stand-up, a weekly review).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Recurrence {
    pub every: Every,
    pub from: Date,
    pub until: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub enum Every {
    Day,
    /// Monday is 0.
    Week {
        weekday: u32,
    },
}

/// Text objects travel (in caches, in JSON) as their plain string.
mod text_as_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        text: &autosurgeon::Text,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(text.as_str())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<autosurgeon::Text, D::Error> {
        Ok(autosurgeon::Text::with_value(String::deserialize(deserializer)?))
    }
}
