//! The comments of the open plan, kept in its comments document
//! ([`launchplan_shared::Companion::Comments`]) beside the plan: a viewer may comment
//! (where the workspace allows it) without being able to change the plan. Small, so read
//! whole on each change. Comments that older versions kept in the plan itself are shown
//! with these, and moved here by the first person who opens the plan and may change it.

use std::cell::RefCell;
use std::rc::Rc;

use launchplan_shared::domain::comments::{self, Comments};
use launchplan_shared::domain::{Comment, Member};
use launchplan_shared::{Companion, DocumentId, MemberId, TaskId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use super::repo::{DocEvent, Watch};
use super::{Errors, RepoCtx};

pub(crate) struct CommentsService {
    plan: DocumentId,
    doc: DocumentId,
    repo: RepoCtx,
    errors: Errors,
    /// Each task's comments in the comments document, oldest first.
    pub(crate) comments: RwSignal<Comments>,
    /// The document is open here: comments can be written.
    pub(crate) ready: RwSignal<bool>,
    /// Dropped when the page that shows the plan goes ([`CommentsService::close`]): its
    /// signals are disposed then, and a late change must not reach them.
    watch: RefCell<Option<Watch>>,
}

super::shared_service!(
    /// The open plan's comments, shared by the drawer and the cards.
    CommentsCtx => CommentsService
);

impl CommentsCtx {
    /// Opens the comments of plan `plan` (from storage, else the relay; a plan nobody has
    /// commented on has none yet, and the first comment makes the document).
    pub(crate) fn open(plan: DocumentId, repo: RepoCtx, errors: Errors) -> Self {
        let doc = plan.companion(Companion::Comments);
        let comments = RwSignal::new(Comments::new());
        let watch = repo.0.watch(
            doc,
            Rc::new(move |am, event| {
                if let DocEvent::Changed { .. } = event {
                    let read = comments::read_comments(am);
                    if comments.try_with_untracked(|c| *c != read) == Some(true) {
                        comments.try_set(read);
                    }
                }
            }),
        );
        let ready = RwSignal::new(false);
        let service = Rc::new(CommentsService {
            plan,
            doc,
            repo,
            errors,
            comments,
            ready,
            watch: RefCell::new(Some(watch)),
        });
        let opener = SendWrapper::new(Rc::clone(&service));
        spawn_local(async move {
            opener.repo.open(doc).await;
            // The page may have gone meanwhile: its signals with it.
            if let Some(read) = opener.repo.with_doc(doc, comments::read_comments) {
                comments.try_set(read);
            }
            ready.try_set(true);
        });
        CommentsCtx(SendWrapper::new(service))
    }
}

impl CommentsService {
    /// The page that showed the plan is gone: nothing more reaches its signals.
    pub(crate) fn close(&self) {
        self.watch.borrow_mut().take();
    }

    /// Task `task`'s comments, those still kept in the plan (`legacy`) with these (tracked).
    pub(crate) fn of(&self, task: TaskId, legacy: &[Comment]) -> Vec<Comment> {
        self.comments.with(|c| comments::merged(legacy, c.get(&task).map_or(&[], Vec::as_slice)))
    }

    /// How many comments task `task` has, with `legacy` ones still in the plan (tracked).
    pub(crate) fn count(&self, task: TaskId, legacy: &[Comment]) -> usize {
        self.comments.with(|c| {
            let kept = c.get(&task).map_or(&[][..], Vec::as_slice);
            kept.len() + legacy.iter().filter(|l| !kept.iter().any(|k| k.id == l.id)).count()
        })
    }

    /// `author` comments on `task`; on failure nothing is written and the person is told why.
    pub(crate) fn post(&self, task: TaskId, author: MemberId, body: &str, members: &[Member]) -> bool {
        let now = js_sys::Date::now() as i64;
        match self.repo.change(self.doc, |tx| comments::post(tx, task, author, body, members, now)) {
            Some(Ok(_)) => true,
            Some(Err(e)) => {
                self.errors.report(e);
                false
            }
            None => false,
        }
    }

    /// Moves comments that older versions kept in the plan's tasks into the comments
    /// document, then takes them out of the plan. Both writes merge with anyone doing the
    /// same at once: a comment keeps its id, so it is never there twice.
    pub(crate) fn move_from_plan(&self, legacy: &[(TaskId, Comment)]) {
        if legacy.is_empty() {
            return;
        }
        let copied =
            self.repo.change(self.doc, |tx| comments::put_all(tx, legacy.iter().map(|(t, c)| (*t, c))));
        if !matches!(copied, Some(Ok(_))) {
            if let Some(Err(e)) = copied {
                self.errors.report(e);
            }
            return;
        }
        let mut tasks: Vec<TaskId> = legacy.iter().map(|(t, _)| *t).collect();
        tasks.dedup();
        if let Some(Err(e)) = self.repo.change(self.plan, |tx| comments::clear_plan_comments(tx, tasks)) {
            self.errors.report(e);
        }
    }
}
