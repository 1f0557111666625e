//! Who else is on a plan and which task they have open, from ephemeral messages that are
//! never stored; and our own presence, repeated while we look at a plan.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use launchplan_shared::domain::Presence;
use launchplan_shared::{DocumentId, PeerId, TaskId};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::{Identity, RepoCtx};

/// How often we repeat our presence, and how long others' last for without a repeat.
const EVERY: Duration = Duration::from_secs(10);
const LASTS_MS: f64 = 30_000.0;

/// Someone else on a plan, as their last presence message said.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    presence: Presence,
    /// When we heard it (ms since the epoch).
    at: f64,
}

pub(crate) struct PresenceService {
    repo: RepoCtx,
    identity: Identity,
    others: RwSignal<HashMap<DocumentId, HashMap<PeerId, Seen>>>,
    /// Ticks every few seconds so that stale presence disappears.
    now: RwSignal<f64>,
    /// The plan on screen and the task open in it.
    viewing: Cell<Option<(DocumentId, Option<TaskId>)>>,
}

super::shared_service!(
    /// Who else is here, shared by the components.
    PresenceCtx => PresenceService
);

pub(crate) fn provide_presence(repo: RepoCtx, identity: Identity) -> PresenceCtx {
    let service = Rc::new(PresenceService {
        repo: repo.clone(),
        identity,
        others: RwSignal::new(HashMap::new()),
        now: RwSignal::new(js_sys::Date::now()),
        viewing: Cell::new(None),
    });
    let sink = Rc::downgrade(&service);
    repo.on_ephemeral(Rc::new(move |doc, from, data| {
        if let Some(service) = sink.upgrade() {
            service.heard(doc, from, data);
        }
    }));
    let again = Rc::downgrade(&service);
    repo.on_connected(Rc::new(move || {
        if let Some(service) = again.upgrade() {
            service.announce();
        }
    }));
    let heartbeat = SendWrapper::new(Rc::downgrade(&service));
    let _ = set_interval_with_handle(
        move || {
            if let Some(service) = heartbeat.upgrade() {
                service.now.set(js_sys::Date::now());
                service.announce();
            }
        },
        EVERY,
    );
    // Others hear our new name at once.
    let renamed = SendWrapper::new(Rc::downgrade(&service));
    Effect::new(move |_| {
        identity.name.track();
        if let Some(service) = renamed.upgrade() {
            service.announce();
        }
    });
    let ctx = PresenceCtx(SendWrapper::new(service));
    provide_context(ctx.clone());
    ctx
}

impl PresenceService {
    /// Now showing plan `doc` with `task` open (or neither): tell the others.
    pub(crate) fn set_viewing(&self, viewing: Option<(DocumentId, Option<TaskId>)>) {
        let before = self.viewing.replace(viewing);
        if let Some((left, _)) = before
            && viewing.map(|(doc, _)| doc) != Some(left)
        {
            let gone = Presence { name: self.identity.name.get_untracked(), task: None, online: false };
            self.repo.send_ephemeral(left, gone.encode());
        }
        self.announce();
    }

    /// Repeats our presence on the plan on screen.
    fn announce(&self) {
        let Some((doc, task)) = self.viewing.get() else { return };
        let here = Presence { name: self.identity.name.get_untracked(), task, online: true };
        self.repo.send_ephemeral(doc, here.encode());
    }

    fn heard(&self, doc: DocumentId, from: PeerId, data: &[u8]) {
        let Some(presence) = Presence::decode(data) else { return };
        let at = js_sys::Date::now();
        let mut newcomer = false;
        self.others.update(|all| {
            let on_doc = all.entry(doc).or_default();
            if presence.online {
                newcomer = on_doc.insert(from, Seen { presence, at }).is_none();
            } else {
                on_doc.remove(&from);
            }
        });
        // Someone arrived: tell them we are here rather than make them wait for our next
        // heartbeat.
        if newcomer && self.viewing.get().is_some_and(|(viewing, _)| viewing == doc) {
            self.announce();
        }
    }

    /// Everyone else on plan `doc` whom we heard from lately, by name.
    pub(crate) fn present(&self, doc: DocumentId) -> Vec<(PeerId, Presence)> {
        let now = self.now.get();
        self.others.with(|all| {
            let mut here: Vec<(PeerId, Presence)> = all
                .get(&doc)
                .into_iter()
                .flatten()
                .filter(|(_, seen)| now - seen.at < LASTS_MS)
                .map(|(peer, seen)| (peer.clone(), seen.presence.clone()))
                .collect();
            here.sort_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(&b.0)));
            here
        })
    }
}
