//! The documents this browser holds, around the shared engine (`Client`): opening them from
//! storage, creating and changing them, and carrying out the engine's effects.
//!
//! A change is shown before anything else happens: the engine's `Changed` effect goes at
//! once to whoever shows the document (with Automerge's patches, so only what changed is
//! read again), and the rest (storage writes, frames for the relay) waits for the next
//! frame to be painted. Sending does not wait for storage: whatever the relay has, it keeps.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::{Rc, Weak};

use automerge::transaction::Transaction;
use automerge::{Automerge, ChangeHash, Patch};
use futures::StreamExt;
use futures::channel::mpsc;
use futures::future::LocalBoxFuture;
use launchplan_shared::domain::history::Stamp;
use launchplan_shared::protocol::PeerMetadata;
use launchplan_shared::sync::{Client, ClientEffect, ConnectionState, EngineError, Observed};
use launchplan_shared::{DocumentId, MemberId, PeerId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;

use super::transport::{Link, Role, Transport};
use super::{Errors, StorageCtx};

/// What happened to a document, for whoever shows it.
pub(crate) enum DocEvent<'a> {
    /// It changed; `observed` says how (`None`: read it all again).
    Changed { observed: Option<&'a Observed> },
    /// The relay has no copy of it (yet).
    Unavailable,
    /// The relay refused changes made here; the document went back to what the relay holds
    /// (a `Changed` follows). Undo history of the dropped changes means nothing now.
    Rewound,
}

type Listener = Rc<dyn Fn(&Automerge, &DocEvent<'_>)>;

/// How long nothing must happen before stored documents are compacted.
const QUIET_BEFORE_COMPACTING: std::time::Duration = std::time::Duration::from_millis(1500);
/// A local change: the heads before it and its patches.
pub(crate) type LocalChange = (Vec<ChangeHash>, Vec<Patch>);
type EphemeralSink = Rc<dyn Fn(DocumentId, PeerId, &[u8])>;

pub(crate) struct Repo {
    /// This repo, for work scheduled for later.
    me: Weak<Repo>,
    /// Who makes this browser's changes: each is stamped with them and the time, for history.
    author: MemberId,
    client: RefCell<Client>,
    storage: StorageCtx,
    transport: Rc<Transport>,
    errors: Errors,
    listeners: RefCell<HashMap<DocumentId, Vec<(u64, Listener)>>>,
    next_listener: Cell<u64>,
    ephemeral: RefCell<Option<EphemeralSink>>,
    on_connected: RefCell<Vec<Rc<dyn Fn()>>>,
    /// Effects waiting for the next paint, with the connection they were made for.
    outbox: RefCell<VecDeque<(u32, ClientEffect)>>,
    flush_scheduled: Cell<bool>,
    /// Compaction waits for a quiet moment; each flush pushes it back.
    compaction: RefCell<Option<TimeoutHandle>>,
    /// Frames from other tabs, handled in order (each document opened from storage first).
    tab_frames: mpsc::UnboundedSender<(PeerId, Vec<u8>)>,
    /// Documents the relay said it has no copy of.
    pub(crate) unavailable: RwSignal<HashSet<DocumentId>>,
    /// Open documents the relay has not yet confirmed holding in full.
    pub(crate) unsynced: RwSignal<usize>,
}

super::shared_service!(
    /// The documents, shared by the components.
    RepoCtx => Repo
);

/// Stops a listener when dropped.
pub(crate) struct Watch {
    repo: Weak<Repo>,
    doc: DocumentId,
    id: u64,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(repo) = self.repo.upgrade() {
            let mut listeners = repo.listeners.borrow_mut();
            if let Some(list) = listeners.get_mut(&self.doc) {
                list.retain(|(id, _)| *id != self.id);
            }
        }
    }
}

impl Repo {
    pub(crate) async fn start(storage: StorageCtx, errors: Errors, author: MemberId) -> RepoCtx {
        let (tab_frames, mut frames) = mpsc::unbounded::<(PeerId, Vec<u8>)>();
        let transport = Transport::new();
        let repo = Rc::new_cyclic(|me| Repo {
            me: me.clone(),
            author,
            client: RefCell::new(
                Client::new(
                    PeerId::random("browser"),
                    PeerMetadata { storage_id: None, is_ephemeral: Some(false) },
                )
                .observed(),
            ),
            storage,
            transport: Rc::clone(&transport),
            errors,
            listeners: RefCell::new(HashMap::new()),
            next_listener: Cell::new(0),
            ephemeral: RefCell::new(None),
            on_connected: RefCell::new(Vec::new()),
            outbox: RefCell::new(VecDeque::new()),
            flush_scheduled: Cell::new(false),
            compaction: RefCell::new(None),
            tab_frames,
            unavailable: RwSignal::new(HashSet::new()),
            unsynced: RwSignal::new(0),
        });
        let worker = Rc::downgrade(&repo);
        spawn_local(async move {
            while let Some((tab, frame)) = frames.next().await {
                let Some(repo) = worker.upgrade() else { return };
                if let Some(doc) = Client::document_of(&frame)
                    && !repo.is_open(doc)
                {
                    repo.open(doc).await;
                }
                let effects = repo.client.borrow_mut().tab_frame(&tab, &frame);
                repo.dispatch(effects, false);
            }
        });
        let link: Weak<dyn Link> = repo.me.clone();
        transport.start(link).await;
        RepoCtx(SendWrapper::new(repo))
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.transport
    }

    pub(crate) fn is_open(&self, doc: DocumentId) -> bool {
        self.client.borrow().is_open(&doc)
    }

    /// Reads document `doc` (if open) with `f`.
    pub(crate) fn with_doc<T>(&self, doc: DocumentId, f: impl FnOnce(&Automerge) -> T) -> Option<T> {
        let client = self.client.borrow();
        client.doc(&doc).map(f)
    }

    /// Calls `listener` on every change to `doc` until the returned guard is dropped.
    pub(crate) fn watch(self: &Rc<Self>, doc: DocumentId, listener: Listener) -> Watch {
        let id = self.next_listener.get();
        self.next_listener.set(id + 1);
        self.listeners.borrow_mut().entry(doc).or_default().push((id, listener));
        Watch { repo: Rc::downgrade(self), doc, id }
    }

    /// Where ephemeral messages (presence) go.
    pub(crate) fn on_ephemeral(&self, sink: EphemeralSink) {
        *self.ephemeral.borrow_mut() = Some(sink);
    }

    /// Called whenever the connection to the relay (or the leading tab) is made.
    pub(crate) fn on_connected(&self, f: Rc<dyn Fn()>) {
        self.on_connected.borrow_mut().push(f);
    }

    /// Loads `doc` from storage (if this browser has it) and starts syncing it.
    pub(crate) async fn open(&self, doc: DocumentId) {
        if self.is_open(doc) {
            return;
        }
        match self.storage.sync_states(doc).await {
            Ok(states) => {
                let mut client = self.client.borrow_mut();
                for (storage_id, state) in states {
                    client.restore_sync_state(doc, storage_id, state);
                }
            }
            Err(e) => self.errors.report(e),
        }
        let chunks = match self.storage.chunks(doc).await {
            Ok(chunks) => chunks,
            Err(e) => {
                self.errors.report(e);
                Vec::new()
            }
        };
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(&format!(
                "lp:chunks-read ({} chunks, {} KB)",
                chunks.len(),
                chunks.iter().map(|(_, b)| b.len()).sum::<usize>() / 1024
            ));
        }
        // Another caller may have opened it while we were reading.
        if self.is_open(doc) {
            return;
        }
        let (corrupt, effects) = self.client.borrow_mut().open(doc, chunks);
        if !corrupt.is_empty() {
            leptos::logging::warn!(
                "{} stored chunks of {doc} could not be read and were left in place",
                corrupt.len()
            );
        }
        self.dispatch(effects, false);
    }

    /// Creates a new document with `init` as its first change.
    /// Who makes a change now, and when.
    fn stamp(&self) -> Stamp {
        Stamp { time_ms: js_sys::Date::now() as i64, by: Some(self.author) }
    }

    pub(crate) fn create<E>(
        &self,
        init: impl FnOnce(&mut Transaction<'_>) -> Result<(), E>,
    ) -> Result<DocumentId, E> {
        let (doc, effects) = self.client.borrow_mut().create_stamped(self.stamp(), init)?;
        self.dispatch(effects, true);
        Ok(doc)
    }

    /// A what-if scenario of open plan `doc`: a new document with its whole history. `None`
    /// if `doc` is not open.
    pub(crate) fn fork(&self, doc: DocumentId) -> Option<Result<DocumentId, EngineError>> {
        let forked = self.client.borrow_mut().fork(&doc)?;
        Some(forked.map(|(id, effects)| {
            self.dispatch(effects, true);
            id
        }))
    }

    /// Takes into open document `into` what open document `from` has that it lacks (a
    /// scenario merged back into its plan). `None` if either is not open.
    pub(crate) fn absorb(&self, into: DocumentId, from: DocumentId) -> Option<Result<(), EngineError>> {
        let absorbed = self.client.borrow_mut().absorb(&into, &from)?;
        Some(absorbed.map(|effects| self.dispatch(effects, true)))
    }

    /// Makes a local change to `doc`, shows it, and returns what `edit` returned with the
    /// change's heads before and its patches (for undo). `None` if `doc` is not open.
    pub(crate) fn change<O, E>(
        &self,
        doc: DocumentId,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<O, E>,
    ) -> Option<Result<(O, Option<LocalChange>), E>> {
        let result = self.client.borrow_mut().change_stamped(&doc, self.stamp(), edit)?;
        Some(result.map(|(out, effects)| {
            let change = effects.iter().find_map(|e| match e {
                ClientEffect::Changed { before, observed: Some(Observed::Patches(patches)), .. } => {
                    Some((before.clone(), patches.clone()))
                }
                _ => None,
            });
            self.dispatch(effects, true);
            (out, change)
        }))
    }

    /// Tells everyone else on `doc` something that is not stored (presence).
    pub(crate) fn send_ephemeral(&self, doc: DocumentId, data: Vec<u8>) {
        let effects = self.client.borrow_mut().send_ephemeral(doc, data);
        self.dispatch(effects, false);
    }

    /// Shows changes now; queues everything else for after the next paint (`after_paint`,
    /// for local edits) or as soon as possible.
    fn dispatch(&self, effects: Vec<ClientEffect>, after_paint: bool) {
        if effects.is_empty() {
            return;
        }
        let generation = self.transport.generation();
        let mut rest = Vec::new();
        for effect in effects {
            match effect {
                ClientEffect::Changed { doc, observed, .. } => {
                    if self.unavailable.with_untracked(|u| u.contains(&doc)) {
                        self.unavailable.update(|u| {
                            u.remove(&doc);
                        });
                    }
                    self.notify(doc, &DocEvent::Changed { observed: observed.as_ref() });
                }
                ClientEffect::Unavailable { doc } => {
                    self.unavailable.update(|u| {
                        u.insert(doc);
                    });
                    self.notify(doc, &DocEvent::Unavailable);
                }
                ClientEffect::Refused { doc, reason, .. } => {
                    self.errors.report(super::AppError::RelayRefused { reason });
                    self.notify(doc, &DocEvent::Rewound);
                }
                other => rest.push((generation, other)),
            }
        }
        if rest.is_empty() {
            self.refresh_unsynced();
            return;
        }
        self.outbox.borrow_mut().extend(rest);
        if !self.flush_scheduled.replace(true) {
            let this = self.me.clone();
            let flush = move || {
                if let Some(repo) = this.upgrade() {
                    repo.flush();
                }
            };
            if after_paint { after_next_paint(flush) } else { spawn_local(async move { flush() }) }
        }
    }

    fn notify(&self, doc: DocumentId, event: &DocEvent<'_>) {
        let listeners: Vec<Listener> = self
            .listeners
            .borrow()
            .get(&doc)
            .map(|l| l.iter().map(|(_, f)| Rc::clone(f)).collect())
            .unwrap_or_default();
        if listeners.is_empty() {
            return;
        }
        let client = self.client.borrow();
        let Some(am) = client.doc(&doc) else { return };
        for listener in listeners {
            listener(am, event);
        }
    }

    /// Performs what waited for the paint, in order.
    fn flush(&self) {
        super::trace("lp:flush");
        self.flush_scheduled.set(false);
        let effects: Vec<(u32, ClientEffect)> = self.outbox.borrow_mut().drain(..).collect();
        let follower = self.transport.role() == Role::Follower;
        for (generation, effect) in effects {
            match effect {
                ClientEffect::Send(frame) => self.transport.send(generation, &frame),
                ClientEffect::SendToTab { tab, frame } => self.transport.send_to_tab(&tab, &frame),
                // A following tab never writes: the leading tab stores what it sends there.
                ClientEffect::Store { .. } | ClientEffect::SyncState { .. } if follower => {}
                ClientEffect::Store { doc, op } => self.storage.write(doc, op),
                ClientEffect::SyncState { doc, storage_id, state } => {
                    self.storage.keep_sync_state(doc, storage_id, state)
                }
                ClientEffect::Ephemeral { doc, from, data } => {
                    let sink = self.ephemeral.borrow().clone();
                    if let Some(sink) = sink {
                        sink(doc, from, &data);
                    }
                }
                ClientEffect::Connected { .. } => {
                    self.transport.connected();
                    let callbacks: Vec<Rc<dyn Fn()>> = self.on_connected.borrow().clone();
                    for callback in callbacks {
                        callback();
                    }
                }
                ClientEffect::Close { reason } if follower => {
                    leptos::logging::warn!("the leading tab refused us ({reason}); joining again");
                    let effects = {
                        let mut client = self.client.borrow_mut();
                        client.connection_closed();
                        client.connection_opened()
                    };
                    self.dispatch(effects, false);
                }
                ClientEffect::Close { reason } => {
                    self.errors.report(super::AppError::Relay(reason));
                    self.transport.close();
                }
                ClientEffect::Changed { .. }
                | ClientEffect::Unavailable { .. }
                | ClientEffect::Refused { .. } => {}
            }
        }
        self.refresh_unsynced();
        self.compact_when_quiet();
        super::trace("lp:flushed");
    }

    /// Compacts stored documents that want it once nothing has happened for a while: a full
    /// save of a big plan takes tens of milliseconds, which no edit should wait for.
    fn compact_when_quiet(&self) {
        if self.transport.role() == Role::Follower || self.client.borrow().compaction_due().is_empty() {
            return;
        }
        if let Some(pending) = self.compaction.borrow_mut().take() {
            pending.clear();
        }
        let this = self.me.clone();
        let handle = set_timeout_with_handle(
            move || {
                let Some(repo) = this.upgrade() else { return };
                repo.compaction.borrow_mut().take();
                let due = repo.client.borrow().compaction_due();
                super::trace("lp:compact");
                for doc in due {
                    let effects = repo.client.borrow_mut().compact(&doc);
                    for effect in effects {
                        if let ClientEffect::Store { doc, op } = effect {
                            repo.storage.write(doc, op);
                        }
                    }
                }
                super::trace("lp:compacted");
            },
            QUIET_BEFORE_COMPACTING,
        );
        *self.compaction.borrow_mut() = handle.ok();
    }

    fn refresh_unsynced(&self) {
        let client = self.client.borrow();
        let count = client.open_documents().iter().filter(|id| !client.in_sync(id)).count();
        if self.unsynced.get_untracked() != count {
            self.unsynced.set(count);
        }
    }
}

/// Runs `f` once the browser has painted the next frame (at once in a hidden tab, which does
/// not paint).
pub(crate) fn after_next_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return f() };
    let hidden = window.document().is_some_and(|d| d.hidden());
    if hidden {
        set_timeout(f, std::time::Duration::ZERO);
        return;
    }
    let callback = Closure::once_into_js(move || {
        set_timeout(f, std::time::Duration::ZERO);
    });
    let _ = window.request_animation_frame(callback.unchecked_ref());
}

impl Link for Repo {
    fn opened(&self) {
        let effects = self.client.borrow_mut().connection_opened();
        self.dispatch(effects, false);
    }

    fn frame(&self, frame: &[u8]) {
        super::trace("lp:frame-in");
        let effects = self.client.borrow_mut().receive_frame(frame);
        super::trace("lp:frame-applied");
        self.dispatch(effects, false);
        super::trace("lp:frame-shown");
    }

    fn closed(&self) {
        self.client.borrow_mut().connection_closed();
        self.refresh_unsynced();
    }

    fn tab_frame(&self, tab: PeerId, frame: Vec<u8>) {
        let _ = self.tab_frames.unbounded_send((tab, frame));
    }

    fn promote(&self) -> LocalBoxFuture<'static, ()> {
        let this = self.me.clone();
        Box::pin(async move {
            let Some(this) = this.upgrade() else { return };
            let open = this.client.borrow().open_documents();
            for doc in open {
                let chunks = match this.storage.chunks(doc).await {
                    Ok(chunks) => chunks,
                    Err(e) => {
                        this.errors.report(e);
                        continue;
                    }
                };
                let (_, effects) = this.client.borrow_mut().adopt_storage(doc, chunks);
                this.dispatch(effects, false);
            }
        })
    }

    fn joining(&self) -> bool {
        *self.client.borrow().connection() == ConnectionState::Joining
    }

    fn peer_id(&self) -> PeerId {
        self.client.borrow().peer_id().clone()
    }
}
