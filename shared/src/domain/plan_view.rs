//! A plan as the screen holds it, kept current from Automerge's patches.
//!
//! Opening a plan reads it once. After that, each change (local or remote) comes with its
//! patches; every patch path names one part of the view (`tasks/<id>/...` one task, `meta`,
//! `phases`, `milestones`), and only those parts are read again, each straight from the
//! document. Nothing re-reads the whole plan for an edit, and the view always equals a
//! fresh read (a property test below holds it to that).
//!
//! One kind of change is not read again: new dates put on a task (what moving bars on the
//! chart writes, for hundreds of tasks at once). Their values are in the patches.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use automerge::{ObjId, ObjType, Patch, PatchAction, Prop, ROOT, ReadDoc};

use super::read::{self, NotReadable, ReadProblem};
use super::{FieldConflict, Milestone, Phase, Project, ProjectMeta, Task};
use crate::{MilestoneId, PhaseId, TaskId};

/// One task as shown: the task, what of it could not be read, and its conflicting fields.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TaskEntry {
    pub task: Task,
    pub problems: Vec<ReadProblem>,
    pub conflicts: Vec<FieldConflict>,
}

/// What part of the view changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ViewChange {
    Meta,
    Phases,
    Milestones,
    /// Added or changed.
    Task(TaskId),
    Removed(TaskId),
    /// Project-level read problems.
    Problems,
}

/// One line of the plan's list: a phase's heading, a task or a milestone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanRow {
    /// A phase's heading; `None` heads the tasks of no phase (or of one that was deleted).
    Phase(Option<PhaseId>),
    Task(TaskId),
    Milestone(MilestoneId),
}

/// Serializable, so that a screen can keep it next to the heads it was read at and reopen
/// from it (see [`PlanView::catch_up`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlanView {
    pub schema: u64,
    pub meta: ProjectMeta,
    pub phases: Vec<Phase>,
    pub milestones: Vec<Milestone>,
    pub tasks: BTreeMap<TaskId, Arc<TaskEntry>>,
    /// What could not be read outside the tasks (meta, phases, milestones, skipped tasks).
    pub problems: Vec<ReadProblem>,
}

/// The fields people edit by hand, whose concurrent values the screen offers to pick from.
const PICKABLE: [&str; 2] = ["title", "status"];

impl PlanView {
    /// Reads the whole plan.
    pub fn read<D: ReadDoc>(doc: &D) -> Result<Self, NotReadable> {
        let read = read::read_project(doc)?;
        let tasks_obj = tasks_obj(doc);
        let problems =
            read.problems.into_iter().filter(|p| !p.field.starts_with("tasks/") || is_skipped(p)).collect();
        let mut task_problems = read.task_problems;
        let task_conflicts = read.task_conflicts;
        let project = read.project;
        let tasks = project
            .tasks
            .into_iter()
            .map(|(id, task)| {
                let conflicts = match (&tasks_obj, task_conflicts.get(&id)) {
                    (Some(tasks), Some(fields)) => conflict_values(doc, tasks, id, fields),
                    _ => Vec::new(),
                };
                let problems = task_problems.remove(&id).unwrap_or_default();
                (id, Arc::new(TaskEntry { task, problems, conflicts }))
            })
            .collect();
        Ok(Self {
            schema: project.schema,
            meta: project.meta,
            phases: project.phases,
            milestones: project.milestones,
            tasks,
            problems,
        })
    }

    /// Brings the view up to date with a change whose patches are `patches`, reading again
    /// only what they touch. Returns what changed, each part once.
    pub fn apply<D: ReadDoc>(&mut self, doc: &D, patches: &[Patch]) -> Vec<ViewChange> {
        let mut touched = Touched::default();
        for patch in patches {
            touched.note(patch);
        }
        self.apply_touched(doc, touched)
    }

    /// Brings the view up to date with changes received from others that wrote where
    /// `touches` say ([`touches_since`](super::touches_since)), reading again only what they
    /// touch. Returns what changed, each part once.
    pub fn apply_touches<D: ReadDoc>(&mut self, doc: &D, touches: &[super::Touch]) -> Vec<ViewChange> {
        let mut touched = Touched::default();
        for touch in touches {
            touched.note_touch(touch);
        }
        self.apply_touched(doc, touched)
    }

    fn apply_touched<D: ReadDoc>(&mut self, doc: &D, mut touched: Touched) -> Vec<ViewChange> {
        if touched.everything {
            return self.replace(doc);
        }
        // A conflict resolved by picking the value already shown changes nothing visible, and
        // Automerge sends no patch for it: look at conflicted tasks again (they are few).
        for (id, entry) in &self.tasks {
            if !entry.conflicts.is_empty() {
                touched.tasks.insert(id.to_string());
            }
        }
        let mut changes = BTreeSet::new();
        for (key, puts) in std::mem::take(&mut touched.dates) {
            if touched.tasks.contains(&key) || !self.put_dates(&key, &puts, &mut changes) {
                touched.tasks.insert(key);
            }
        }
        if touched.meta || touched.phases || touched.milestones {
            let root = read::entries(doc, &ROOT, &["tasks"]);
            let find = |key: &str| root.items.iter().find(|(k, _, _)| k == key).map(|(_, v, _)| v);
            if touched.meta
                && let Some(value) = find("meta")
            {
                let (meta, problems) = read::read_meta(value);
                if meta != self.meta {
                    self.meta = meta;
                    changes.insert(ViewChange::Meta);
                }
                self.set_problems("meta", problems, &mut changes);
            }
            if touched.phases {
                let (phases, problems) = read::read_list(find("phases"), "phases");
                if phases != self.phases {
                    self.phases = phases;
                    changes.insert(ViewChange::Phases);
                }
                self.set_problems("phases", problems, &mut changes);
            }
            if touched.milestones {
                let (milestones, problems) = read::read_list(find("milestones"), "milestones");
                if milestones != self.milestones {
                    self.milestones = milestones;
                    changes.insert(ViewChange::Milestones);
                }
                self.set_problems("milestones", problems, &mut changes);
            }
        }
        if !touched.tasks.is_empty() {
            let Some(tasks) = tasks_obj(doc) else { return self.replace(doc) };
            for key in &touched.tasks {
                self.reread_task(doc, &tasks, key, &mut changes);
            }
        }
        changes.into_iter().collect()
    }

    /// Brings a view read (or kept) at `heads` up to what `doc` holds now: the difference
    /// since then, as patches, applied as any change is. `None` if `doc` lacks those heads
    /// (the view came from elsewhere); then read it afresh.
    pub fn catch_up(
        &mut self,
        doc: &automerge::Automerge,
        heads: &[automerge::ChangeHash],
    ) -> Option<Vec<ViewChange>> {
        let now = doc.get_heads();
        if now.as_slice() == heads {
            return Some(Vec::new());
        }
        // (`get_change_by_hash` would rebuild each change from the document: costly.)
        if !doc.get_missing_deps(heads).is_empty() {
            return None;
        }
        let patches = doc.diff(heads, &now);
        Some(self.apply(doc, &patches))
    }

    /// The plan as the domain type, for scheduling and the other analyses.
    pub fn project(&self) -> Project {
        Project {
            schema: self.schema,
            meta: self.meta.clone(),
            phases: self.phases.clone(),
            milestones: self.milestones.clone(),
            tasks: self.tasks.iter().map(|(id, entry)| (*id, entry.task.clone())).collect(),
        }
    }

    /// Task ids in the order people added them (ties broken by id, so every replica agrees).
    pub fn order(&self) -> Vec<TaskId> {
        let mut ids: Vec<(i64, TaskId)> =
            self.tasks.values().map(|e| (e.task.created_at, e.task.id)).collect();
        ids.sort();
        ids.into_iter().map(|(_, id)| id).collect()
    }

    /// The plan as a list, by phase: each phase's heading, then its tasks in the order people
    /// added them, then the milestones that wait for its work (a milestone follows the phase
    /// of the last-listed task it waits for). Tasks of no phase come last under their own
    /// heading; milestones that wait for nothing close the list. A plan without phases is
    /// only its tasks and milestones.
    pub fn rows(&self) -> Vec<PlanRow> {
        let order = self.order();
        let known: BTreeSet<PhaseId> = self.phases.iter().map(|p| p.id).collect();
        let group = |id: &TaskId| self.tasks[id].task.phase.filter(|p| known.contains(p));
        let position: BTreeMap<TaskId, usize> = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let milestone_group = |m: &Milestone| {
            m.after.iter().filter_map(|t| position.get(t).map(|i| (*i, *t))).max().map(|(_, t)| group(&t))
        };
        let mut groups: Vec<Option<PhaseId>> = self.phases.iter().map(|p| Some(p.id)).collect();
        let headed = !groups.is_empty();
        groups.push(None);
        let mut rows = Vec::with_capacity(order.len() + groups.len() + self.milestones.len());
        for g in groups {
            let tasks: Vec<TaskId> = order.iter().filter(|id| group(id) == g).copied().collect();
            let milestones: Vec<MilestoneId> =
                self.milestones.iter().filter(|m| milestone_group(m) == Some(g)).map(|m| m.id).collect();
            if headed && (g.is_some() || !tasks.is_empty() || !milestones.is_empty()) {
                rows.push(PlanRow::Phase(g));
            }
            rows.extend(tasks.into_iter().map(PlanRow::Task));
            rows.extend(milestones.into_iter().map(PlanRow::Milestone));
        }
        rows.extend(
            self.milestones.iter().filter(|m| milestone_group(m).is_none()).map(|m| PlanRow::Milestone(m.id)),
        );
        rows
    }

    /// Puts new dates (`puts`: field, value, in order) on the task at `key` from the values
    /// in the patches. `false` if that is not enough: the task is not shown, has fields that
    /// could not be read or that conflict, or a value is no date (reading it again says so).
    fn put_dates(
        &mut self,
        key: &str,
        puts: &[(&'static str, automerge::ScalarValue)],
        changes: &mut BTreeSet<ViewChange>,
    ) -> bool {
        let Ok(id) = key.parse::<TaskId>() else { return false };
        let Some(entry) = self.tasks.get(&id) else { return false };
        if !entry.problems.is_empty() || !entry.conflicts.is_empty() {
            return false;
        }
        let mut task = entry.task.clone();
        for (field, value) in puts {
            let value = automerge::hydrate::Value::Scalar(value.clone());
            let Ok(date) = <Option<super::Date> as read::FromValue>::from_value(&value) else { return false };
            match *field {
                "start" => task.start = date,
                _ => task.due = date,
            }
        }
        if task != entry.task {
            let entry = TaskEntry { task, problems: Vec::new(), conflicts: Vec::new() };
            self.tasks.insert(id, Arc::new(entry));
            changes.insert(ViewChange::Task(id));
        }
        true
    }

    fn reread_task<D: ReadDoc>(
        &mut self,
        doc: &D,
        tasks: &ObjId,
        key: &str,
        changes: &mut BTreeSet<ViewChange>,
    ) {
        let obj = match doc.get(tasks, key) {
            Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => Some(obj),
            _ => None,
        };
        let read = obj.as_ref().map(|obj| read::read_task_at(doc, key, obj));
        let skipped_field = format!("tasks/{key}");
        let was_skipped = self.problems.iter().any(|p| p.field == skipped_field);
        self.problems.retain(|p| p.field != skipped_field);
        match read {
            Some(Ok(read)) => {
                let id = read.task.id;
                let conflicts = conflict_values(doc, tasks, id, &read.conflicts);
                let entry = TaskEntry { task: read.task, problems: read.problems, conflicts };
                if self.tasks.get(&id).is_none_or(|old| **old != entry) {
                    self.tasks.insert(id, Arc::new(entry));
                    changes.insert(ViewChange::Task(id));
                }
            }
            Some(Err(problem)) => {
                self.problems.push(problem);
                changes.insert(ViewChange::Problems);
            }
            None => {
                if let Ok(id) = key.parse::<TaskId>()
                    && self.tasks.remove(&id).is_some()
                {
                    changes.insert(ViewChange::Removed(id));
                }
            }
        }
        if was_skipped {
            changes.insert(ViewChange::Problems);
        }
    }

    fn set_problems(&mut self, part: &str, problems: Vec<ReadProblem>, changes: &mut BTreeSet<ViewChange>) {
        let prefix = format!("{part}/");
        let in_part = |p: &ReadProblem| p.field == part || p.field.starts_with(&prefix);
        let old: Vec<&ReadProblem> = self.problems.iter().filter(|p| in_part(p)).collect();
        if old.len() == problems.len() && old.iter().zip(&problems).all(|(a, b)| *a == b) {
            return;
        }
        self.problems.retain(|p| !in_part(p));
        self.problems.extend(problems);
        changes.insert(ViewChange::Problems);
    }

    /// Reads everything again and reports what differs (for a change that came without
    /// patches).
    pub fn replace<D: ReadDoc>(&mut self, doc: &D) -> Vec<ViewChange> {
        let Ok(new) = PlanView::read(doc) else { return Vec::new() };
        let mut changes = BTreeSet::new();
        if new.meta != self.meta {
            changes.insert(ViewChange::Meta);
        }
        if new.phases != self.phases {
            changes.insert(ViewChange::Phases);
        }
        if new.milestones != self.milestones {
            changes.insert(ViewChange::Milestones);
        }
        if new.problems != self.problems {
            changes.insert(ViewChange::Problems);
        }
        for (id, entry) in &new.tasks {
            if self.tasks.get(id) != Some(entry) {
                changes.insert(ViewChange::Task(*id));
            }
        }
        for id in self.tasks.keys() {
            if !new.tasks.contains_key(id) {
                changes.insert(ViewChange::Removed(*id));
            }
        }
        *self = new;
        changes.into_iter().collect()
    }
}

/// A problem that skipped a whole task (its key is no task id), kept at the project level.
fn is_skipped(problem: &ReadProblem) -> bool {
    problem.field.matches('/').count() == 1
}

fn tasks_obj<D: ReadDoc>(doc: &D) -> Option<ObjId> {
    match doc.get(ROOT, "tasks") {
        Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => Some(obj),
        _ => None,
    }
}

/// Every value of each conflicting field people can pick from.
fn conflict_values<D: ReadDoc>(doc: &D, tasks: &ObjId, id: TaskId, fields: &[String]) -> Vec<FieldConflict> {
    let Ok(Some((_, task))) = doc.get(tasks, id.to_string()) else { return Vec::new() };
    PICKABLE
        .iter()
        .filter(|field| fields.iter().any(|f| f == *field))
        .filter_map(|field| {
            let all = doc.get_all(&task, *field).ok()?;
            let values: Vec<String> = all
                .iter()
                .filter_map(|(v, obj)| match v {
                    automerge::Value::Scalar(s) => s.as_str().map(str::to_owned),
                    automerge::Value::Object(ObjType::Text) => doc.text(obj).ok(),
                    automerge::Value::Object(_) => None,
                })
                .collect();
            (values.len() > 1).then(|| FieldConflict { task: id, field: (*field).to_owned(), values })
        })
        .collect()
}

/// The parts of the view a set of patches touches.
#[derive(Debug, Default)]
struct Touched {
    meta: bool,
    phases: bool,
    milestones: bool,
    tasks: BTreeSet<String>,
    /// Tasks whose only patches put a date (`start` or `due`, a scalar, with no conflict):
    /// the field and value of each, in order.
    dates: BTreeMap<String, Vec<(&'static str, automerge::ScalarValue)>>,
    /// The tasks map itself was replaced, or a patch went somewhere unknown at the root.
    everything: bool,
}

/// A put of a date field on a task, with no conflict: the field and the value.
fn date_put(action: &PatchAction) -> Option<(&'static str, automerge::ScalarValue)> {
    let PatchAction::PutMap { key, value: (automerge::Value::Scalar(value), _), conflict: false } = action
    else {
        return None;
    };
    let field = match key.as_str() {
        "start" => "start",
        "due" => "due",
        _ => return None,
    };
    Some((field, value.clone().into_owned()))
}

impl Touched {
    fn note(&mut self, patch: &Patch) {
        // A date put on a task is noted with its value (so the task need not be read again).
        let mut path = patch.path.iter().map(|(_, prop)| prop);
        if let (Some(Prop::Map(first)), Some(Prop::Map(task)), None) = (path.next(), path.next(), path.next())
            && first == "tasks"
            && let Some(put) = date_put(&patch.action)
        {
            self.dates.entry(task.clone()).or_default().push(put);
            return;
        }
        let key = match &patch.action {
            PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => Some(key.as_str()),
            _ => None,
        };
        self.note_place(patch.path.iter().map(|(_, prop)| prop), key);
    }

    fn note_touch(&mut self, touch: &super::Touch) {
        self.note_place(touch.path.iter(), touch.key.as_deref());
    }

    /// A write at `path`, to `key` in a map.
    fn note_place<'a>(&mut self, mut path: impl Iterator<Item = &'a Prop>, key: Option<&str>) {
        let first = match path.next() {
            Some(Prop::Map(first)) => first.as_str(),
            Some(Prop::Seq(_)) => return self.everything = true,
            // A write to the root itself.
            None => {
                if let Some(key) = key {
                    self.root_key(key);
                }
                return;
            }
        };
        match first {
            "meta" => self.meta = true,
            "phases" => self.phases = true,
            "milestones" => self.milestones = true,
            "tasks" => match (path.next(), key) {
                // Within a task, or a task added to or removed from the map.
                (Some(Prop::Map(task)), _) => {
                    self.tasks.insert(task.clone());
                }
                (None, Some(task)) => {
                    self.tasks.insert(task.to_owned());
                }
                _ => self.everything = true,
            },
            _ => {}
        }
    }

    fn root_key(&mut self, key: &str) {
        match key {
            "meta" => self.meta = true,
            "phases" => self.phases = true,
            "milestones" => self.milestones = true,
            "tasks" => self.everything = true,
            _ => {}
        }
    }
}
