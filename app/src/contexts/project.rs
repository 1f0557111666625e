//! One open plan: its view kept current from patches, keyed reactive stores for the screen
//! (one signal per task, so an edit re-renders one row), the schedule derived from the
//! stores after the edit has painted, and the one way to change the plan, with undo.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use automerge::Automerge;
use launchplan_shared::domain::permissions::{self, Part};
use launchplan_shared::domain::read::ReadProblem;
use launchplan_shared::domain::{
    Command, Context, Date, Member, Milestone, Outcome, Phase, PlanRow, PlanView, ProjectMeta, RagRules,
    TaskEntry, Undo, ViewChange, WorkCalendar,
};
use launchplan_shared::plan::arrange::Judge;
use launchplan_shared::plan::{History, Schedule, schedule_plan};
use launchplan_shared::{DocumentId, TaskId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use super::repo::{DocEvent, LocalChange, Watch, after_next_paint};
use super::{Errors, RepoCtx, StorageCtx};
use launchplan_shared::sync::Observed;

/// Where opening a plan stands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Loading {
    Opening,
    /// Nobody has sent the relay this plan yet.
    Waiting,
    Ready,
    Unreadable(String),
}

/// A task a move shifted, and by how many calendar days.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Moved {
    pub(crate) task: TaskId,
    pub(crate) title: String,
    pub(crate) days: i32,
}

/// How many undo steps are kept.
const UNDO_DEPTH: usize = 200;
/// How long edits must pause before the view is kept in storage.
const KEEP_VIEW_AFTER: std::time::Duration = std::time::Duration::from_secs(3);
const KEEP_FIRST_READ_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

pub(crate) struct ProjectService {
    /// This service, for work scheduled for later.
    me: Weak<ProjectService>,
    pub(crate) doc: DocumentId,
    repo: RepoCtx,
    storage: StorageCtx,
    errors: Errors,
    /// Keeping the view in storage waits for a quiet moment.
    keeping: RefCell<Option<TimeoutHandle>>,
    view: RefCell<Option<PlanView>>,
    pub(crate) loading: RwSignal<Loading>,
    pub(crate) meta: RwSignal<Option<ProjectMeta>>,
    pub(crate) phases: RwSignal<Vec<Phase>>,
    pub(crate) milestones: RwSignal<Vec<Milestone>>,
    /// Task ids in the order people added them.
    pub(crate) order: RwSignal<Vec<TaskId>>,
    /// The list as shown: phase headings, tasks and milestones.
    pub(crate) rows: RwSignal<Vec<PlanRow>>,
    tasks: RefCell<HashMap<TaskId, ArcRwSignal<Arc<TaskEntry>>>>,
    /// What could not be read outside the tasks.
    pub(crate) problems: RwSignal<Vec<ReadProblem>>,
    /// Tasks with fields that could not be read.
    pub(crate) unreadable_tasks: RwSignal<usize>,
    /// (done, all)
    pub(crate) progress: RwSignal<(usize, usize)>,
    /// The document's heads, sorted and comma-separated (tests compare replicas by these).
    pub(crate) heads: RwSignal<String>,
    /// Counts the changes that can change what an analysis of the plan says (its RAG, risks,
    /// cycle times): every change but new words (a task's title or description), which
    /// those who show a task's words read from its own signal. A teammate typing a title
    /// works out no dashboard again.
    pub(crate) analysed: RwSignal<u64>,
    pub(crate) schedule: RwSignal<Option<Arc<Schedule>>>,
    /// What the team's finished work says about slipping, learned with the schedule: this
    /// plan's, with `elsewhere`.
    pub(crate) history: RwSignal<Arc<History>>,
    /// What the workspace's other plans say (see [`ProjectCtx::learn_from_elsewhere`]).
    elsewhere: RefCell<History>,
    /// The workspace's red / amber / green rules.
    pub(crate) rules: RwSignal<RagRules>,
    schedule_due: Cell<bool>,
    /// The document is loaded: edits apply at once (before, they wait in `pending`).
    pub(crate) loaded: RwSignal<bool>,
    pending: RefCell<Vec<Command>>,
    /// A move already on screen (its schedule shown), written once that has painted, or
    /// before any other edit, whichever comes first.
    shown_move: RefCell<Option<Command>>,
    /// A task to scroll into view (one just added).
    pub(crate) reveal: RwSignal<Option<TaskId>>,
    undo: RefCell<Vec<Undo>>,
    redo: RefCell<Vec<Undo>>,
    pub(crate) can_undo: RwSignal<bool>,
    /// The tasks the last move shifted, with how many days each moved (shown until dismissed).
    pub(crate) moved: RwSignal<Vec<Moved>>,
    pub(crate) can_redo: RwSignal<bool>,
    /// Who acts and on which calendar (from the workspace; a plan opened from a link outside
    /// any workspace uses Monday to Friday).
    actor: RefCell<Option<Member>>,
    /// The actor's roles in the workspace (`None`: a plan opened outside any workspace, which
    /// nothing restricts): what the screen offers follows them, and edits beyond them are
    /// refused before they are written.
    pub(crate) roles: RwSignal<Option<Vec<launchplan_shared::domain::Role>>>,
    members: RefCell<Vec<Member>>,
    calendar: RefCell<WorkCalendar>,
    watch: RefCell<Option<Watch>>,
    /// The page that showed the plan is gone: its signals are disposed, so nothing may
    /// touch them (a late change, timer or load finds the service closed and stops).
    closed: Cell<bool>,
    /// The plan whole, for analyses that read every task (the dashboard): made on the first
    /// ask, then kept current change by change (a changed task copied in, not the plan),
    /// until whoever asked is gone (`forget_whole`).
    whole: RefCell<Option<Arc<launchplan_shared::domain::Project>>>,
}

super::shared_service!(
    /// One open plan, shared by its components.
    ProjectCtx => ProjectService
);

impl ProjectCtx {
    /// Opens plan `doc` (from storage, else from the relay) and keeps it current.
    pub(crate) fn open(doc: DocumentId, repo: RepoCtx, storage: StorageCtx, errors: Errors) -> Self {
        let service = Rc::new_cyclic(|me| ProjectService {
            me: me.clone(),
            doc,
            repo: repo.clone(),
            storage,
            errors,
            keeping: RefCell::new(None),
            view: RefCell::new(None),
            loading: RwSignal::new(Loading::Opening),
            meta: RwSignal::new(None),
            phases: RwSignal::new(Vec::new()),
            milestones: RwSignal::new(Vec::new()),
            order: RwSignal::new(Vec::new()),
            rows: RwSignal::new(Vec::new()),
            tasks: RefCell::new(HashMap::new()),
            problems: RwSignal::new(Vec::new()),
            unreadable_tasks: RwSignal::new(0),
            progress: RwSignal::new((0, 0)),
            heads: RwSignal::new(String::new()),
            analysed: RwSignal::new(0),
            schedule: RwSignal::new(None),
            history: RwSignal::new(Arc::new(History::default())),
            elsewhere: RefCell::new(History::default()),
            rules: RwSignal::new(RagRules::default()),
            schedule_due: Cell::new(false),
            loaded: RwSignal::new(false),
            pending: RefCell::new(Vec::new()),
            shown_move: RefCell::new(None),
            reveal: RwSignal::new(None),
            undo: RefCell::new(Vec::new()),
            redo: RefCell::new(Vec::new()),
            can_undo: RwSignal::new(false),
            moved: RwSignal::new(Vec::new()),
            can_redo: RwSignal::new(false),
            actor: RefCell::new(None),
            roles: RwSignal::new(None),
            members: RefCell::new(Vec::new()),
            calendar: RefCell::new(WorkCalendar::default()),
            watch: RefCell::new(None),
            closed: Cell::new(false),
            whole: RefCell::new(None),
        });
        let listener = Rc::downgrade(&service);
        let watch = repo.0.watch(
            doc,
            Rc::new(move |am, event| {
                if let Some(service) = listener.upgrade() {
                    service.on_event(am, event);
                }
            }),
        );
        *service.watch.borrow_mut() = Some(watch);
        let opener = SendWrapper::new(Rc::downgrade(&service));
        spawn_local(async move {
            let Some(service) = opener.upgrade() else { return };
            service.open_from_storage().await;
        });
        ProjectCtx(SendWrapper::new(service))
    }
}

impl ProjectService {
    /// Opens the plan: the view kept last time goes on screen at once; then the document
    /// loads (from storage, else the relay) and the view catches up with it. Edits made in
    /// between wait for the document and apply in order.
    async fn open_from_storage(&self) {
        let doc = self.doc;
        // A plan open already (just made, or opened before in this page) is read as it is.
        let kept = if self.repo.is_open(doc) { None } else { self.storage.kept_view(doc).await };
        if self.closed.get() {
            return;
        }
        mark("lp:kept-view-read");
        let mut shown_at = None;
        if let Some((heads, view)) = kept
            && self.view.borrow().is_none()
        {
            self.install(view);
            shown_at = Some(heads);
            // Let the browser paint it before the document's load takes the thread.
            next_paint().await;
            if self.closed.get() {
                return;
            }
            mark("lp:kept-view-painted");
        }
        self.repo.open(doc).await;
        mark("lp:document-loaded");
        if self.closed.get() {
            return;
        }
        let repo = self.repo.clone();
        let empty = repo.with_doc(doc, |am| {
            if am.get_heads().is_empty() {
                return true;
            }
            let has_view = self.view.borrow().is_some();
            match shown_at {
                Some(heads) if has_view => {
                    let caught_up =
                        self.view.borrow_mut().as_mut().and_then(|view| view.catch_up(am, &heads));
                    match caught_up {
                        Some(changes) => {
                            self.show(&changes);
                            if heads != am.get_heads() {
                                self.keep_soon();
                            }
                        }
                        // The kept view does not belong to this document's history.
                        None => self.read_all(am),
                    }
                }
                // A change that arrived meanwhile was read already.
                _ if has_view => {}
                _ => self.read_all(am),
            }
            self.set_heads(am);
            false
        });
        if empty == Some(true)
            && self.repo.unavailable.with_untracked(|u| u.contains(&doc))
            && self.view.borrow().is_none()
        {
            self.loading.set(Loading::Waiting);
        }
        mark("lp:plan-caught-up");
        self.loaded.set(true);
        let waiting: Vec<Command> = self.pending.borrow_mut().drain(..).collect();
        for command in waiting {
            self.dispatch(command);
        }
    }

    /// Stops following the plan: its page is gone. A view waiting to be kept is kept now.
    pub(crate) fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        self.watch.borrow_mut().take();
        if let Some(pending) = self.keeping.borrow_mut().take() {
            pending.clear();
            let heads = self.repo.with_doc(self.doc, |am| am.get_heads());
            if let (Some(heads), Some(view)) = (heads, self.view.borrow().as_ref()) {
                self.storage.keep_view(self.doc, &heads, view);
            }
        }
        // A move on screen but not written yet is written now (the view kept above is of
        // the heads before it, and nothing shows the plan any more).
        if let Some(command) = self.shown_move.borrow_mut().take()
            && let Some(Err(e)) = self.write(&command)
        {
            leptos::logging::warn!("a move shown before the plan closed could not be written: {e}");
        }
        // Event handlers the browser still holds may keep this service alive (Leptos leaves
        // their closures to the JavaScript side): what is big goes now.
        self.view.borrow_mut().take();
        self.whole.borrow_mut().take();
        self.tasks.borrow_mut().clear();
        self.undo.borrow_mut().clear();
        self.redo.borrow_mut().clear();
        self.pending.borrow_mut().clear();
    }

    /// The plan as it is on screen, whole (a copy: for checks that need every task).
    pub(crate) fn project(&self) -> Option<launchplan_shared::domain::Project> {
        self.view.borrow().as_ref().map(PlanView::project)
    }

    /// The plan as it is on screen, whole and shared: no copy of the plan after the first
    /// ask (hold it no longer than the work that reads it, or the next change copies it).
    pub(crate) fn whole(&self) -> Option<Arc<launchplan_shared::domain::Project>> {
        if let Some(whole) = self.whole.borrow().as_ref() {
            return Some(Arc::clone(whole));
        }
        let whole = Arc::new(self.view.borrow().as_ref()?.project());
        *self.whole.borrow_mut() = Some(Arc::clone(&whole));
        Some(whole)
    }

    /// Drops the whole plan kept by [`ProjectService::whole`]: nothing shown needs it now.
    pub(crate) fn forget_whole(&self) {
        self.whole.borrow_mut().take();
    }

    /// Brings the whole plan (if anyone asked for it) up to date with `changes` of the view.
    fn keep_whole(&self, view: &PlanView, changes: &[ViewChange]) {
        let mut kept = self.whole.borrow_mut();
        let Some(whole) = kept.as_mut() else { return };
        let whole = Arc::make_mut(whole);
        for change in changes {
            match change {
                ViewChange::Meta => whole.meta = view.meta.clone(),
                ViewChange::Phases => whole.phases = view.phases.clone(),
                ViewChange::Milestones => whole.milestones = view.milestones.clone(),
                ViewChange::Problems => {}
                ViewChange::Task(id) => match view.tasks.get(id) {
                    Some(entry) => {
                        whole.tasks.insert(*id, entry.task.clone());
                    }
                    None => {
                        whole.tasks.remove(id);
                    }
                },
                ViewChange::Removed(id) => {
                    whole.tasks.remove(id);
                }
            }
        }
    }

    /// The plan as the list and the board lay it out: `f` gets its rows, every task (each
    /// task's signal is read, so an effect or memo calling this runs again on any edit) and
    /// what judging red / amber / green needs, as of today.
    pub(crate) fn judged<R>(
        &self,
        f: impl FnOnce(&[PlanRow], &HashMap<TaskId, Arc<TaskEntry>>, &Judge<'_>) -> R,
    ) -> R {
        let tasks: HashMap<TaskId, Arc<TaskEntry>> = self
            .order
            .with(|order| order.iter().filter_map(|id| Some((*id, self.task(*id)?.get()))).collect());
        let today = super::today();
        self.schedule.with(|s| {
            self.rules.with(|r| {
                self.history.with(|h| {
                    let judge = Judge { schedule: s.as_deref(), rules: r, history: h, today };
                    self.rows.with(|rows| f(rows, &tasks, &judge))
                })
            })
        })
    }

    /// Comments still kept in the plan's tasks (by versions before comments had their own
    /// document), with the task each is on.
    pub(crate) fn legacy_comments(&self) -> Vec<(TaskId, launchplan_shared::domain::Comment)> {
        let tasks = self.tasks.borrow();
        let mut found = Vec::new();
        for entry in tasks.values() {
            entry.with_untracked(|e| found.extend(e.task.comments.iter().map(|c| (e.task.id, c.clone()))));
        }
        found
    }

    /// The signal of task `id`, if the plan has it.
    pub(crate) fn task(&self, id: TaskId) -> Option<ArcRwSignal<Arc<TaskEntry>>> {
        self.tasks.borrow().get(&id).cloned()
    }

    /// The tasks listed under phase `phase`'s heading in `rows`.
    pub(crate) fn tasks_of_phase(
        &self,
        rows: &[PlanRow],
        phase: Option<launchplan_shared::PhaseId>,
    ) -> Vec<TaskId> {
        rows.iter()
            .skip_while(|r| **r != PlanRow::Phase(phase))
            .skip(1)
            .take_while(|r| !matches!(r, PlanRow::Phase(_)))
            .filter_map(|r| if let PlanRow::Task(id) = r { Some(*id) } else { None })
            .collect()
    }

    /// Who acts, their teammates, the working calendar and the RAG rules, from the workspace.
    /// `outsider`: the relay enforces roles and this person is not a member (any more), so
    /// nothing is offered even without an actor.
    pub(crate) fn set_context(
        &self,
        actor: Option<Member>,
        outsider: bool,
        members: Vec<Member>,
        calendar: WorkCalendar,
        rules: RagRules,
    ) {
        if self.rules.get_untracked() != rules {
            self.rules.set(rules);
        }
        let calendar_changed = *self.calendar.borrow() != calendar;
        let roles = match &actor {
            Some(actor) => Some(actor.roles.clone()),
            None if outsider => Some(Vec::new()),
            None => None,
        };
        if self.roles.get_untracked() != roles {
            self.roles.set(roles);
        }
        *self.actor.borrow_mut() = actor;
        *self.members.borrow_mut() = members;
        *self.calendar.borrow_mut() = calendar;
        if calendar_changed {
            self.schedule_soon();
        }
    }

    /// Whether the person may change `part` of the plan (tracked: what is offered follows).
    /// The members of the plan's workspace, as last told.
    pub(crate) fn members(&self) -> Vec<Member> {
        self.members.borrow().clone()
    }

    pub(crate) fn may(&self, part: Part) -> bool {
        (self.may_fn())(part)
    }

    /// [`ProjectService::may`] as a `Copy` closure, for the many fields of one view.
    pub(crate) fn may_fn(&self) -> impl Fn(Part) -> bool + Copy + use<> {
        let roles = self.roles;
        move |part| {
            roles.with(|roles| roles.as_deref().is_none_or(|roles| permissions::may_change(roles, part)))
        }
    }

    /// Refuses (and says why) what the person's roles do not allow `command` to write.
    fn allowed(&self, command: &Command) -> bool {
        self.allowed_parts(permissions::parts_of_command(command))
    }

    /// Whether the person may write every one of `parts`; if not, says which they may not.
    fn allowed_parts(&self, parts: impl IntoIterator<Item = Part>) -> bool {
        let refused = self.roles.with_untracked(|roles| {
            let roles = roles.as_deref()?;
            let part = parts.into_iter().find(|part| !permissions::may_change(roles, *part))?;
            Some((roles.first().copied().unwrap_or(launchplan_shared::domain::Role::Viewer), part))
        });
        match refused {
            Some((role, part)) => {
                self.errors
                    .report(super::AppError::Refused(crate::i18n::Refusal::NotYourRole { role, part }));
                false
            }
            None => true,
        }
    }

    /// Moves task `id` to start on `start`; the tasks that wait for it follow when the plan
    /// says so. What moved, and by how much, is shown (`moved`); one undo takes it all back.
    pub(crate) fn move_task(&self, id: TaskId, start: Date) -> bool {
        self.reschedule(&[(id, start, None)], None)
    }

    /// Moves task `id` to `start` (and to `days` working days, if given) as `worked` says,
    /// when the plan has not changed since; else works it out again.
    pub(crate) fn move_worked_out(
        &self,
        id: TaskId,
        start: Date,
        days: Option<u32>,
        worked: Option<WorkedOut>,
    ) -> bool {
        self.reschedule(&[(id, start, days)], worked)
    }

    /// The working calendar the plan is scheduled on: the workspace's, or every day for a
    /// plan whose template's teams work every day (`templates::plan_calendar`).
    pub(crate) fn calendar(&self) -> WorkCalendar {
        let workspace = self.calendar.borrow();
        self.meta.with_untracked(|meta| match meta {
            Some(meta) => launchplan_shared::domain::templates::plan_calendar(meta, &workspace).into_owned(),
            None => workspace.clone(),
        })
    }

    /// `day` moved by `n` working days of the plan's calendar (a day off counts from the next
    /// working day).
    pub(crate) fn working_days_after(&self, day: Date, n: i32) -> Date {
        let index = launchplan_shared::domain::WorkIndex::new(&self.calendar());
        index.date(index.ordinal(day) + n)
    }

    /// Working days from `from` to `to` on the plan's calendar (negative: back).
    pub(crate) fn working_days_between(&self, from: Date, to: Date) -> i32 {
        let index = launchplan_shared::domain::WorkIndex::new(&self.calendar());
        index.ordinal(to) - index.ordinal(from)
    }

    /// The open tasks with a start day of their own still to come, with it: the work that
    /// stays where it is when the launch is brought forward. (Work that should have started
    /// already is late as it is; moving it earlier would only make it look later.)
    pub(crate) fn open_dated(&self) -> Vec<(TaskId, Date)> {
        let today = super::today();
        self.view
            .borrow()
            .as_ref()
            .map(|v| {
                v.tasks
                    .iter()
                    .filter(|(_, e)| !e.task.is_done())
                    .filter_map(|(id, e)| Some((*id, e.task.start.filter(|s| *s > today)?)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Puts `moves` in the order [`ProjectService::move_tasks`] needs to move them all:
    /// each after the moved tasks it waits for.
    pub(crate) fn dependencies_first(&self, moves: &mut [(TaskId, Date)]) {
        let view = self.view.borrow();
        let Some(view) = view.as_ref() else { return };
        launchplan_shared::plan::shift::dependencies_first(moves, |id| {
            view.tasks.get(&id).map(|e| e.task.depends_on.as_slice())
        });
    }

    /// Moves each task to start on its day, in one change (one undo); the list then says what
    /// else moved with them, and by how much.
    pub(crate) fn move_tasks(&self, moves: &[(TaskId, Date)]) -> bool {
        let moves: Vec<(TaskId, Date, Option<u32>)> =
            moves.iter().map(|(id, start)| (*id, *start, None)).collect();
        self.reschedule(&moves, None)
    }

    /// Gives task `id` `days` working days from `start` (its end pulled on the chart); the
    /// tasks that wait for it follow when the plan says so, as for a move.
    pub(crate) fn resize_task(&self, id: TaskId, start: Date, days: u32) -> bool {
        self.reschedule(&[(id, start, Some(days))], None)
    }

    /// Moves each task to its start (and its length in working days, if given), in order,
    /// with what follows it when the plan says so: worked out on the plan as the screen holds
    /// it, and written as the dates that change, in one change (one undo). (A batch of
    /// `Command::MoveTask` works the same out, but each reads the whole plan back from the
    /// document: half a second at 5,000 tasks in the browser.)
    ///
    /// The moved plan is scheduled and shown at once; the change is written after the paint
    /// that shows it (see [`ProjectService::write_shown_move`]), so that a drop is seen a
    /// whole document write sooner.
    fn reschedule(&self, moves: &[(TaskId, Date, Option<u32>)], worked: Option<WorkedOut>) -> bool {
        self.write_shown_move();
        if self.closed.get() || !self.loaded.get_untracked() {
            return false;
        }
        if !self.allowed_parts([Part::Schedule]) {
            return false;
        }
        mark("lp:move-start");
        let before = self.starts();
        let (mut plan, mut known) = match worked {
            Some(w) if moves.len() == 1 && self.heads.with_untracked(|h| *h == w.heads) => {
                (w.plan, Some(w.changes))
            }
            _ => match self.project() {
                Some(plan) => (plan, None),
                None => return false,
            },
        };
        mark("lp:move-read");
        if let Some((id, _, _)) = moves.iter().find(|(id, _, _)| !plan.tasks.contains_key(id)) {
            self.errors.report(launchplan_shared::domain::commands::CommandError::NoSuchTask(*id));
            return false;
        }
        let calendar = self.calendar();
        let dragged: Vec<TaskId> = moves.iter().map(|(id, _, _)| *id).collect();
        // A follower that had no due day of its own, only a length, keeps it so: its new start
        // places it (half the writes, on a big plan most of the drop's time).
        let open_ended: std::collections::HashSet<TaskId> = plan
            .tasks
            .values()
            .filter(|t| t.due.is_none() && t.duration_days.is_some() && !dragged.contains(&t.id))
            .map(|t| t.id)
            .collect();
        let mut commands = Vec::new();
        // The dates each moved task ends with, in the order first moved.
        let mut dates: Vec<(TaskId, Date, Option<Date>)> = Vec::new();
        for &(id, start, days) in moves {
            if let Some(days) = days {
                commands.push(Command::SetField {
                    id,
                    field: launchplan_shared::domain::commands::TaskField::Duration(Some(days)),
                });
            }
            let changes = known.take().unwrap_or_else(|| follow_move(&plan, &calendar, id, start, days));
            for c in changes {
                let due = (!open_ended.contains(&c.task)).then_some(c.due);
                if let Some(task) = plan.tasks.get_mut(&c.task) {
                    task.start = Some(c.start);
                    task.due = due;
                    if c.task == id && days.is_some() {
                        task.duration_days = days;
                    }
                }
                match dates.iter_mut().find(|d| d.0 == c.task) {
                    Some(d) => (d.1, d.2) = (c.start, due),
                    None => dates.push((c.task, c.start, due)),
                }
            }
        }
        commands.extend(dates.iter().map(|&(id, start, due)| Command::SetDates {
            id,
            start: Some(start),
            due,
        }));
        mark("lp:move-followed");
        let shifted: Vec<TaskId> = dates.iter().map(|d| d.0).collect();
        self.moved.set(moved_notice(&plan, &dragged, &before, &shifted));
        let planned = schedule_plan(plan.tasks.values(), &plan.meta, &calendar, crate::contexts::today());
        self.schedule.set(Some(Arc::new(planned)));
        mark("lp:move-shown");
        *self.shown_move.borrow_mut() = Some(Command::Batch { commands });
        // It can be undone at once (an undo writes it first).
        if !self.can_undo.get_untracked() {
            self.can_undo.set(true);
        }
        let weak = self.me.clone();
        after_next_paint(move || {
            if let Some(service) = weak.upgrade() {
                service.write_shown_move();
            }
        });
        true
    }

    /// Writes the move on screen that is not written yet, if any. Refused (it never is when
    /// worked out on the plan on screen), the screen goes back to the plan as it is.
    fn write_shown_move(&self) {
        let Some(command) = self.shown_move.borrow_mut().take() else { return };
        if self.apply(command).is_none() && !self.closed.get() {
            self.moved.set(Vec::new());
            self.compute_schedule();
            self.refresh_undo();
        }
        mark("lp:move-written");
    }

    /// Every task's start (its own, else where the schedule places it), to tell afterwards
    /// what a move shifted.
    fn starts(&self) -> HashMap<TaskId, Option<Date>> {
        self.schedule.with_untracked(|planned| {
            let planned = |id: &TaskId| planned.as_ref().and_then(|p| p.tasks.get(id)).map(|p| p.start);
            self.view
                .borrow()
                .as_ref()
                .map(|v| v.tasks.iter().map(|(id, e)| (*id, e.task.start.or_else(|| planned(id)))).collect())
                .unwrap_or_default()
        })
    }

    /// Applies `command`: the screen shows it at once; on failure nothing changes and the
    /// person is told why. Returns whether it was applied.
    pub(crate) fn dispatch(&self, command: Command) -> bool {
        if self.closed.get() {
            return false;
        }
        if !self.loaded.get_untracked() {
            // Shown from the kept view while the document loads: applied once it has.
            self.pending.borrow_mut().push(command);
            return true;
        }
        self.apply(command).is_some()
    }

    /// Applies `command` to the loaded document; what it did, or `None` (told why) if refused.
    fn apply(&self, command: Command) -> Option<Outcome> {
        if self.closed.get() || !self.loaded.get_untracked() {
            return None;
        }
        // Edits are written in the order they were made.
        self.write_shown_move();
        if !self.allowed(&command) {
            return None;
        }
        match self.write(&command) {
            Some(Ok((outcome, change))) => {
                mark("lp:change-made");
                self.record(change, false);
                mark("lp:undo-kept");
                Some(outcome)
            }
            Some(Err(e)) => {
                self.errors.report(e);
                None
            }
            None => None,
        }
    }

    /// Writes `command` into the document (`None` if it is not open).
    fn write(
        &self,
        command: &Command,
    ) -> Option<Result<(Outcome, Option<LocalChange>), launchplan_shared::domain::commands::CommandError>>
    {
        let actor = self.actor.borrow().clone();
        let members = self.members.borrow().clone();
        let calendar = self.calendar();
        let cx = Context { actor: actor.as_ref(), members: &members, calendar: &calendar };
        self.repo.change(self.doc, |tx| command.apply(tx, cx))
    }

    /// Takes back this person's last edit (never a teammate's).
    pub(crate) fn undo(&self) {
        self.step(true);
    }

    pub(crate) fn redo(&self) {
        self.step(false);
    }

    fn step(&self, backward: bool) {
        self.write_shown_move();
        let (from, _) = if backward { (&self.undo, &self.redo) } else { (&self.redo, &self.undo) };
        let Some(step) = from.borrow_mut().pop() else { return };
        // What the last move shifted no longer describes the plan.
        if self.moved.with_untracked(|m| !m.is_empty()) {
            self.moved.set(Vec::new());
        }
        match self.repo.change(self.doc, |tx| step.apply(tx)) {
            Some(Ok(((), change))) => self.record(change, backward),
            Some(Err(e)) => {
                self.errors.report(super::AppError::Refused(crate::i18n::Refusal::Write(e.to_string())))
            }
            None => {}
        }
        self.refresh_undo();
    }

    /// Keeps the undo (or, for an undo, the redo) of a change just made.
    fn record(&self, change: Option<LocalChange>, was_undo: bool) {
        let Some((before, patches)) = change else { return };
        let Some(inverse) = self.repo.with_doc(self.doc, |am| Undo::of(am, &before, &patches)) else {
            return;
        };
        if inverse.is_empty() {
            return;
        }
        let stack = if was_undo { &self.redo } else { &self.undo };
        let mut stack = stack.borrow_mut();
        stack.push(inverse);
        if stack.len() > UNDO_DEPTH {
            stack.remove(0);
        }
        drop(stack);
        if !was_undo && !self.redo.borrow().is_empty() {
            // A new edit after undoing starts a new history.
            self.redo.borrow_mut().clear();
        }
        self.refresh_undo();
    }

    fn refresh_undo(&self) {
        let (u, r) = (!self.undo.borrow().is_empty(), !self.redo.borrow().is_empty());
        if self.can_undo.get_untracked() != u {
            self.can_undo.set(u);
        }
        if self.can_redo.get_untracked() != r {
            self.can_redo.set(r);
        }
    }

    fn on_event(&self, am: &Automerge, event: &DocEvent<'_>) {
        if self.closed.get() {
            return;
        }
        match event {
            DocEvent::Unavailable => {
                if self.view.borrow().is_none() {
                    self.loading.set(Loading::Waiting);
                }
            }
            DocEvent::Rewound => {
                self.undo.borrow_mut().clear();
                self.redo.borrow_mut().clear();
                self.refresh_undo();
            }
            DocEvent::Changed { observed, .. } => {
                let has_view = self.view.borrow().is_some();
                if !has_view {
                    self.read_all(am);
                    return;
                }
                let changes = {
                    let mut view = self.view.borrow_mut();
                    let Some(view) = view.as_mut() else { return };
                    match observed {
                        Some(Observed::Patches(patches)) => view.apply(am, patches),
                        Some(Observed::Touched(touches)) => view.apply_touches(am, touches),
                        None => view.replace(am),
                    }
                };
                self.show(&changes);
                self.set_heads(am);
                self.keep_soon();
            }
        }
    }

    /// The first read of the plan, in one walk.
    fn read_all(&self, am: &Automerge) {
        match PlanView::read(am) {
            Ok(view) => {
                self.install(view);
                self.set_heads(am);
                // A plan read whole is worth keeping at once: the next open starts from it.
                self.keep_after(KEEP_FIRST_READ_AFTER);
            }
            Err(e) => self.loading.set(Loading::Unreadable(e.to_string())),
        }
    }

    /// Puts a whole view on screen.
    fn install(&self, view: PlanView) {
        {
            {
                self.meta.set(Some(view.meta.clone()));
                self.phases.set(view.phases.clone());
                self.milestones.set(view.milestones.clone());
                self.problems.set(view.problems.clone());
                let mut tasks = HashMap::with_capacity(view.tasks.len());
                for (id, entry) in &view.tasks {
                    tasks.insert(*id, ArcRwSignal::new(Arc::clone(entry)));
                }
                *self.tasks.borrow_mut() = tasks;
                self.order.set(view.order());
                self.rows.set(view.rows());
                self.unreadable_tasks.set(view.tasks.values().filter(|e| !e.problems.is_empty()).count());
                self.progress.set(progress(&view));
                self.analysed.update(|n| *n += 1);
                self.whole.borrow_mut().take();
                *self.view.borrow_mut() = Some(view);
                self.loading.set(Loading::Ready);
                self.schedule_soon();
            }
        }
    }

    /// Keeps the view in storage once edits pause, next to the heads it shows.
    fn keep_soon(&self) {
        self.keep_after(KEEP_VIEW_AFTER);
    }

    fn keep_after(&self, delay: std::time::Duration) {
        if let Some(pending) = self.keeping.borrow_mut().take() {
            pending.clear();
        }
        let weak = self.me.clone();
        let handle = set_timeout_with_handle(
            move || {
                let Some(service) = weak.upgrade() else { return };
                if service.closed.get() {
                    return;
                }
                service.keeping.borrow_mut().take();
                let heads = service.repo.with_doc(service.doc, |am| am.get_heads());
                if let (Some(heads), Some(view)) = (heads, service.view.borrow().as_ref()) {
                    trace("lp:keep");
                    service.storage.keep_view(service.doc, &heads, view);
                    trace("lp:kept");
                }
            },
            delay,
        );
        *self.keeping.borrow_mut() = handle.ok();
    }

    /// Puts what changed on screen: one signal per changed task.
    fn show(&self, changes: &[ViewChange]) {
        if changes.is_empty() {
            return;
        }
        let view = self.view.borrow();
        let Some(view) = view.as_ref() else { return };
        self.keep_whole(view, changes);
        let mut order_changed = false;
        let mut tasks_changed = false;
        // The schedule is worked out again only when something it depends on changed.
        let mut reschedule = false;
        let mut analysed = false;
        for change in changes {
            analysed |= !matches!(change, ViewChange::Task(_));
            match change {
                ViewChange::Meta => {
                    reschedule |= self.meta.with_untracked(|m| {
                        m.as_ref().is_none_or(|m| (m.start, m.launch) != (view.meta.start, view.meta.launch))
                    });
                    self.meta.set(Some(view.meta.clone()));
                }
                ViewChange::Phases => {
                    self.phases.set(view.phases.clone());
                    order_changed = true;
                }
                ViewChange::Milestones => {
                    self.milestones.set(view.milestones.clone());
                    order_changed = true;
                }
                ViewChange::Problems => self.problems.set(view.problems.clone()),
                ViewChange::Task(id) => {
                    tasks_changed = true;
                    let Some(entry) = view.tasks.get(id) else { continue };
                    let mut tasks = self.tasks.borrow_mut();
                    match tasks.get(id) {
                        Some(signal) => {
                            let (moved, planned, words) = signal.with_untracked(|old| {
                                (
                                    (old.task.created_at, old.task.phase)
                                        != (entry.task.created_at, entry.task.phase),
                                    schedules_differently(&old.task, &entry.task),
                                    only_words_differ(&old.task, &entry.task),
                                )
                            });
                            signal.set(Arc::clone(entry));
                            order_changed |= moved;
                            reschedule |= planned;
                            analysed |= !words;
                        }
                        None => {
                            tasks.insert(*id, ArcRwSignal::new(Arc::clone(entry)));
                            order_changed = true;
                            reschedule = true;
                            analysed = true;
                        }
                    }
                }
                ViewChange::Removed(id) => {
                    tasks_changed = true;
                    self.tasks.borrow_mut().remove(id);
                    order_changed = true;
                    reschedule = true;
                }
            }
        }
        if order_changed {
            self.order.set(view.order());
            self.rows.set(view.rows());
        }
        if tasks_changed {
            let unreadable = view.tasks.values().filter(|e| !e.problems.is_empty()).count();
            if self.unreadable_tasks.get_untracked() != unreadable {
                self.unreadable_tasks.set(unreadable);
            }
            let now = progress(view);
            if self.progress.get_untracked() != now {
                self.progress.set(now);
            }
        }
        if reschedule {
            self.schedule_soon();
        }
        if analysed {
            self.analysed.update(|n| *n += 1);
        }
    }

    fn set_heads(&self, am: &Automerge) {
        let mut heads: Vec<String> = am.get_heads().iter().map(|h| h.to_string()).collect();
        heads.sort();
        self.heads.set(heads.join(","));
    }

    /// Recomputes the schedule from the stores once the edit that asked for it has painted.
    fn schedule_soon(&self) {
        if self.schedule_due.replace(true) {
            return;
        }
        let weak = self.me.clone();
        after_next_paint(move || {
            if let Some(service) = weak.upgrade()
                && !service.closed.get()
            {
                service.schedule_due.set(false);
                service.compute_schedule();
            }
        });
    }

    fn compute_schedule(&self) {
        // A move shown but not written yet is in the schedule on screen, not in the view:
        // written first, or this would put the schedule back from before it.
        self.write_shown_move();
        let view = self.view.borrow();
        let Some(view) = view.as_ref() else { return };
        let today = crate::contexts::today();
        mark("lp:schedule-start");
        let planned =
            schedule_plan(view.tasks.values().map(|e| &e.task), &view.meta, &self.calendar.borrow(), today);
        // Unchanged (a move shown before it was written), nothing that reads it runs again.
        if self.schedule.with_untracked(|s| s.as_deref() != Some(&planned)) {
            self.schedule.set(Some(Arc::new(planned)));
        }
        self.learn(view.tasks.values().map(|e| &e.task));
        mark("lp:schedule-set");
    }

    /// Learns the team's record from this plan's `tasks` and the workspace's other plans.
    fn learn<'a>(&self, tasks: impl IntoIterator<Item = &'a launchplan_shared::domain::Task>) {
        let mut history = History::learn(tasks);
        history.merge(&self.elsewhere.borrow());
        if self.history.with_untracked(|h| **h != history) {
            self.history.set(Arc::new(history));
        }
    }

    /// What the workspace's other plans say about how work of each kind went: their record
    /// counts in this plan's risks too, so a kind of work that slipped in last year's 双十一
    /// is a risk in this year's.
    pub(crate) fn learn_from_elsewhere(&self, elsewhere: History) {
        if *self.elsewhere.borrow() == elsewhere {
            return;
        }
        *self.elsewhere.borrow_mut() = elsewhere;
        let view = self.view.borrow();
        if let Some(view) = view.as_ref() {
            self.learn(view.tasks.values().map(|e| &e.task));
        }
    }
}

/// A move worked out already (by the chart, while it was dragged): `changes` are what
/// [`follow_move`] gave for it on `plan`, the plan as the screen held it at `heads`.
pub(crate) struct WorkedOut {
    pub(crate) plan: launchplan_shared::domain::Project,
    pub(crate) heads: String,
    pub(crate) changes: Vec<launchplan_shared::plan::shift::DateChange>,
}

/// The tasks a move shifted besides those `dragged`, with the days each moved: `shifted`
/// as they are in `plan` (after the move) against their starts `before` it.
fn moved_notice(
    plan: &launchplan_shared::domain::Project,
    dragged: &[TaskId],
    before: &HashMap<TaskId, Option<Date>>,
    shifted: &[TaskId],
) -> Vec<Moved> {
    shifted
        .iter()
        .filter(|t| !dragged.contains(t))
        .filter_map(|t| {
            let task = plan.tasks.get(t)?;
            let (was, now) = (before.get(t).copied().flatten()?, task.start?);
            Some(Moved { task: *t, title: task.title.clone(), days: now.days() - was.days() })
        })
        .filter(|m| m.days != 0)
        .collect()
}

/// Where task `id` and what must follow it go when it moves to `start` (and to `days`
/// working days, if given): the task's new dates, and when the plan moves what waits for a
/// moved task, those of every task that must move (`plan::shift::after_move`).
pub(crate) fn follow_move(
    plan: &launchplan_shared::domain::Project,
    calendar: &WorkCalendar,
    id: TaskId,
    start: Date,
    days: Option<u32>,
) -> Vec<launchplan_shared::plan::shift::DateChange> {
    let resized;
    let plan = match (days, plan.tasks.get(&id)) {
        (Some(days), Some(task)) => {
            let mut p = plan.clone();
            p.tasks.insert(id, launchplan_shared::domain::Task { duration_days: Some(days), ..task.clone() });
            resized = p;
            &resized
        }
        _ => plan,
    };
    let mut changes = launchplan_shared::plan::shift::after_move(plan, calendar, id, start);
    if !plan.meta.shift_dependents {
        changes.retain(|c| c.task == id);
    }
    changes
}

/// Whether the schedule could place `b` other than `a`, or the chart draw it otherwise (its
/// baseline is drawn with the schedule, so a new one asks for it too).
fn schedules_differently(a: &launchplan_shared::domain::Task, b: &launchplan_shared::domain::Task) -> bool {
    (a.duration_days, a.start, a.due, &a.depends_on, &a.recurrence, a.baseline)
        != (b.duration_days, b.start, b.due, &b.depends_on, &b.recurrence, b.baseline)
}

/// Whether `a` and `b` differ in their words only (title, description), or not at all.
fn only_words_differ(a: &launchplan_shared::domain::Task, b: &launchplan_shared::domain::Task) -> bool {
    use launchplan_shared::domain::Task;
    let wordless = |t: &Task| Task { title: String::new(), description: Default::default(), ..t.clone() };
    wordless(a) == wordless(b)
}

/// A performance mark, so that profiles and the browser benchmark see where opening went.
pub(crate) fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A performance mark on paths that run on every change (a frame received, the dashboard
/// worked out again), made only on a page the browser benchmark watches (`window.__lpBench`
/// set before the app started): marks are kept until the page goes, so an ordinary page
/// makes none of these.
pub(crate) fn trace(name: &str) {
    thread_local! {
        static TRACING: bool = web_sys::window()
            .is_some_and(|w| js_sys::Reflect::has(&w, &"__lpBench".into()).unwrap_or(false));
    }
    if TRACING.with(|on| *on) {
        mark(name);
    }
}

/// Resolves once the browser has painted the next frame.
async fn next_paint() {
    let (done, painted) = futures::channel::oneshot::channel::<()>();
    after_next_paint(move || {
        let _ = done.send(());
    });
    let _ = painted.await;
}

fn progress(view: &PlanView) -> (usize, usize) {
    (view.tasks.values().filter(|e| e.task.status.is_done()).count(), view.tasks.len())
}
