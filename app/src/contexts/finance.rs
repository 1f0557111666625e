//! The open plan's budget and costs, kept in its finance document
//! ([`launchplan_shared::Companion::Finance`]). Only members with the finance role receive it
//! from the relay, so this browser asks for it only for them: for anyone else it is never
//! opened, never requested and never stored. Small, so read whole on each change.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use automerge::transaction::Transaction;
use launchplan_shared::domain::finance::{self, Finance, FinanceError};
use launchplan_shared::{Companion, DocumentId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use super::repo::{DocEvent, Watch};
use super::{Errors, RepoCtx};

pub(crate) struct FinanceService {
    doc: DocumentId,
    repo: RepoCtx,
    errors: Errors,
    /// The budget as last read.
    pub(crate) finance: RwSignal<Finance>,
    /// This person may see the budget and it is open here.
    pub(crate) ready: RwSignal<bool>,
    /// Asked for once, when this person first may see it.
    asked: Cell<bool>,
    /// Dropped when the page that shows the plan goes ([`FinanceService::close`]).
    watch: RefCell<Option<Watch>>,
}

super::shared_service!(
    /// The open plan's budget, for the finance view and the dashboard.
    FinanceCtx => FinanceService
);

impl FinanceCtx {
    /// The budget of plan `plan`, not yet asked for: see [`FinanceCtx::allow`].
    pub(crate) fn new(plan: DocumentId, repo: RepoCtx, errors: Errors) -> Self {
        FinanceCtx(SendWrapper::new(Rc::new(FinanceService {
            doc: plan.companion(Companion::Finance),
            repo,
            errors,
            finance: RwSignal::new(Finance::default()),
            ready: RwSignal::new(false),
            asked: Cell::new(false),
            watch: RefCell::new(None),
        })))
    }

    /// Whether this person may see the budget, as their roles say (tracked by the caller).
    /// The first time they may, it is opened (from storage, else the relay; a plan nobody
    /// has budgeted has none yet, and the first line makes it). Once they may not, it is no
    /// longer shown.
    pub(crate) fn allow(&self, allowed: bool) {
        if !allowed {
            self.ready.try_set(false);
            return;
        }
        if self.asked.replace(true) {
            self.ready.try_set(true);
            return;
        }
        let (doc, finance) = (self.doc, self.finance);
        let watch = self.repo.0.watch(
            doc,
            Rc::new(move |am, event| {
                if let DocEvent::Changed { .. } = event {
                    let read = finance::read_finance(am);
                    if finance.try_with_untracked(|f| *f != read) == Some(true) {
                        finance.try_set(read);
                    }
                }
            }),
        );
        *self.watch.borrow_mut() = Some(watch);
        let opener = self.0.clone();
        spawn_local(async move {
            opener.repo.open(doc).await;
            // The page may have gone meanwhile: its signals with it.
            if let Some(read) = opener.repo.with_doc(doc, finance::read_finance) {
                opener.finance.try_set(read);
            }
            opener.ready.try_set(opener.asked.get());
        });
    }
}

impl FinanceService {
    /// The page that showed the plan is gone: nothing more reaches its signals.
    pub(crate) fn close(&self) {
        self.watch.borrow_mut().take();
    }

    /// Changes the budget with `edit`; on refusal nothing is written and the person is told
    /// why.
    pub(crate) fn change<T>(
        &self,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<T, FinanceError>,
    ) -> Option<T> {
        if !self.ready.get_untracked() {
            return None;
        }
        match self.repo.change(self.doc, edit)? {
            Ok((out, _)) => Some(out),
            Err(e) => {
                self.errors.report(e);
                None
            }
        }
    }
}
