//! The inbox and "my work", across every plan of the workspace: each plan's document is kept
//! open and read again (one walk) a moment after it changes, and `plan::inbox` says what in
//! it concerns this person. Computed here from the documents, so it works offline. What was
//! marked read is remembered by this browser.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::{Rc, Weak};

use launchplan_shared::domain::read::read_project;
use launchplan_shared::domain::{comments, finance, permissions};
use launchplan_shared::plan::inbox::{Entry, Event, entries};
use launchplan_shared::plan::kpi::PlanFacts;
use launchplan_shared::plan::rag::plan_status;
use launchplan_shared::plan::risk::History;
use launchplan_shared::plan::schedule_plan;
use launchplan_shared::plan::workload::{Booking, bookings};
use launchplan_shared::{Companion, DocumentId, TaskId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use super::repo::Watch;
use super::{RepoCtx, WorkspaceCtx};

/// How long a plan's changes settle before its entries are worked out again.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(800);

/// One plan's entries for this person.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlanEntries {
    pub(crate) name: String,
    pub(crate) entries: Vec<Entry>,
    /// Every task's id and title, for the command palette's search.
    pub(crate) tasks: Vec<(TaskId, String)>,
    /// The hours each open task puts on its assignees, day by day, for the workload page.
    pub(crate) bookings: Vec<Booking>,
    /// What the workspace's KPIs need of the plan.
    pub(crate) facts: PlanFacts,
    /// How work of each kind went in this plan, for the risks of the workspace's others.
    pub(crate) history: History,
}

pub(crate) struct InboxService {
    me: Weak<InboxService>,
    repo: RepoCtx,
    workspace: WorkspaceCtx,
    pub(crate) plans: RwSignal<BTreeMap<DocumentId, PlanEntries>>,
    /// Keys of the entries marked read.
    pub(crate) read: RwSignal<BTreeSet<String>>,
    watches: RefCell<HashMap<DocumentId, Vec<Watch>>>,
    due: RefCell<HashMap<DocumentId, TimeoutHandle>>,
}

super::shared_service!(
    /// The inbox of the person in the workspace on screen.
    InboxCtx => InboxService
);

impl InboxCtx {
    pub(crate) fn open(repo: RepoCtx, workspace: WorkspaceCtx) -> Self {
        let key = read_key(&workspace);
        let read = load_read(&key);
        let service = Rc::new_cyclic(|me| InboxService {
            me: me.clone(),
            repo,
            workspace: workspace.clone(),
            plans: RwSignal::new(BTreeMap::new()),
            read: RwSignal::new(read),
            watches: RefCell::new(HashMap::new()),
            due: RefCell::new(HashMap::new()),
        });
        // Follow the workspace's plans (archived ones say nothing, and a what-if scenario
        // would count its plan's work twice).
        let weak = Rc::downgrade(&service);
        let data = workspace.workspace;
        Effect::new(move |_| {
            let plans: Vec<DocumentId> = data.with(|w| {
                w.as_ref()
                    .map(|w| {
                        w.projects
                            .iter()
                            .filter(|(_, e)| !e.archived && e.scenario_of.is_none())
                            .filter_map(|(id, _)| id.parse().ok())
                            .collect()
                    })
                    .unwrap_or_default()
            });
            // Roles or the calendar may have changed: everything is worked out again.
            if let Some(service) = weak.upgrade() {
                service.follow(&plans);
            }
        });
        let weak = Rc::downgrade(&service);
        Effect::new(move |_| {
            let read = service_read(&weak);
            if let Some(read) = read {
                store_read(&key, &read);
            }
        });
        InboxCtx(SendWrapper::new(service))
    }
}

fn service_read(weak: &Weak<InboxService>) -> Option<BTreeSet<String>> {
    weak.upgrade().map(|s| s.read.get())
}

impl InboxService {
    fn follow(&self, plans: &[DocumentId]) {
        let wanted: BTreeSet<DocumentId> = plans.iter().copied().collect();
        // The budgets too, for someone who may see them (nobody else's browser asks).
        let budgets = self.may_see_finance();
        self.watches
            .borrow_mut()
            .retain(|doc, watches| wanted.contains(doc) && watches.len() == 2 + usize::from(budgets));
        self.plans.update(|p| p.retain(|doc, _| wanted.contains(doc)));
        for &doc in plans {
            if !self.watches.borrow().contains_key(&doc) {
                // The plan and its comments (mentions are there).
                let mut watches = Vec::new();
                let mut watched = vec![doc, doc.companion(Companion::Comments)];
                if budgets {
                    watched.push(doc.companion(Companion::Finance));
                }
                for watched in watched {
                    let weak = self.me.clone();
                    watches.push(self.repo.0.watch(
                        watched,
                        Rc::new(move |_, _| {
                            if let Some(service) = weak.upgrade() {
                                service.soon(doc);
                            }
                        }),
                    ));
                    let (repo, weak) = (self.repo.clone(), SendWrapper::new(self.me.clone()));
                    spawn_local(async move {
                        repo.open(watched).await;
                        if let Some(service) = weak.upgrade() {
                            service.soon(doc);
                        }
                    });
                }
                self.watches.borrow_mut().insert(doc, watches);
            }
            self.soon(doc);
        }
    }

    /// Works plan `doc`'s entries out again once its changes settle.
    fn soon(&self, doc: DocumentId) {
        if let Some(pending) = self.due.borrow_mut().remove(&doc) {
            pending.clear();
        }
        let weak = self.me.clone();
        let handle = set_timeout_with_handle(
            move || {
                if let Some(service) = weak.upgrade() {
                    service.due.borrow_mut().remove(&doc);
                    service.refresh(doc);
                }
            },
            SETTLE,
        );
        if let Ok(handle) = handle {
            self.due.borrow_mut().insert(doc, handle);
        }
    }

    /// Whether this person's roles in the workspace let them see budgets.
    fn may_see_finance(&self) -> bool {
        let me = self.workspace.my_id();
        self.workspace.workspace.with_untracked(|w| {
            w.as_ref()
                .and_then(|w| w.members.get(&me))
                .is_some_and(|m| permissions::may_see_finance(&m.roles))
        })
    }

    fn refresh(&self, doc: DocumentId) {
        let (me, calendar, rules) = self.workspace.workspace.with_untracked(|w| match w {
            Some(w) => (
                w.members.get(&self.workspace.my_id()).cloned(),
                w.settings.calendar.clone(),
                w.settings.rag.clone(),
            ),
            None => (None, Default::default(), Default::default()),
        });
        let Some(me) = me else { return };
        let today = crate::contexts::today();
        let kept = self.repo.with_doc(doc.companion(Companion::Comments), comments::read_comments);
        let budget = permissions::may_see_finance(&me.roles)
            .then(|| self.repo.with_doc(doc.companion(Companion::Finance), finance::read_finance))
            .flatten();
        let found = self.repo.with_doc(doc, |am| {
            let mut project = read_project(am).ok()?.project;
            if let Some(kept) = &kept {
                comments::merge_into(&mut project, kept);
            }
            let schedule = schedule_plan(project.tasks.values(), &project.meta, &calendar, today);
            let history = History::learn(project.tasks.values());
            let rag = plan_status(&project, &schedule, today, &rules, &history, false).project.rag;
            Some(PlanEntries {
                name: project.meta.name.clone(),
                entries: entries(&project, Some(&schedule), &me, today),
                tasks: project.tasks.values().map(|t| (t.id, t.title.clone())).collect(),
                bookings: bookings(project.tasks.values(), &schedule, &calendar),
                facts: PlanFacts::of(&project, rag, budget.as_ref()),
                history,
            })
        });
        let Some(Some(found)) = found else { return };
        if self.plans.with_untracked(|p| p.get(&doc) != Some(&found)) {
            self.plans.update(|p| {
                p.insert(doc, found);
            });
        }
    }

    /// Every entry with the plan it is in, in the order `plan::inbox` gives within each plan.
    pub(crate) fn all(&self) -> Vec<(DocumentId, String, Entry)> {
        self.plans.with(|plans| {
            plans
                .iter()
                .flat_map(|(doc, plan)| plan.entries.iter().map(|e| (*doc, plan.name.clone(), e.clone())))
                .collect()
        })
    }

    /// What the workspace's plans other than `doc` say about how work of each kind went.
    pub(crate) fn history_besides(&self, doc: DocumentId) -> History {
        self.plans.with(|plans| {
            let mut all = History::default();
            for (_, plan) in plans.iter().filter(|(d, _)| **d != doc) {
                all.merge(&plan.history);
            }
            all
        })
    }

    pub(crate) fn mark_read(&self, keys: impl IntoIterator<Item = String>) {
        self.read.update(|read| read.extend(keys));
    }
}

/// Where this browser keeps what this person marked read in this workspace.
/// An entry's kind, as `data-kind` and the notification settings name it.
pub(crate) fn event_kind(event: &Event) -> &'static str {
    match event {
        Event::Overdue { .. } => "overdue",
        Event::DueSoon { .. } => "due",
        Event::ApprovalWaiting => "approval",
        Event::ApprovalDecided { .. } => "decided",
        Event::Mentioned { .. } => "mention",
        Event::Assigned => "assigned",
    }
}

fn read_key(workspace: &WorkspaceCtx) -> String {
    format!("launchplan.read.{}.{}", workspace.doc, workspace.my_id())
}

fn load_read(key: &str) -> BTreeSet<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn store_read(key: &str, read: &BTreeSet<String>) {
    if let (Some(storage), Ok(json)) =
        (web_sys::window().and_then(|w| w.local_storage().ok().flatten()), serde_json::to_string(read))
    {
        let _ = storage.set_item(key, &json);
    }
}
