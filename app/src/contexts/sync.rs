//! The browser's IO loop around the shared sync engine: IndexedDB for storage, one WebSocket
//! to the relay that served the page, and signals for the views.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::ops::Deref;
use std::rc::Rc;
use std::time::Duration;

use automerge::transaction::Transaction;
use futures::StreamExt;
use futures::channel::mpsc;
use launchplan_shared::domain::{FieldConflict, Presence, Project, commands, task_conflicts};
use launchplan_shared::protocol::PeerMetadata;
use launchplan_shared::sync::{Client, ClientEffect};
use launchplan_shared::{DocumentId, PeerId, TaskId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, MessageEvent, WebSocket};

use crate::store::{Idb, KnownProject};

mod tabs;

use tabs::{Role, TabChannel, TabInbox};

/// The state of the connection to the relay, as the header shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Connection {
    Offline,
    Connecting,
    Online,
}

/// Shared handle to the sync service.
#[derive(Clone)]
pub(crate) struct SyncCtx(SendWrapper<Rc<SyncService>>);

impl Deref for SyncCtx {
    type Target = SyncService;

    fn deref(&self) -> &SyncService {
        &self.0
    }
}

/// Someone else on a plan, as their last presence message said.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Seen {
    pub(crate) presence: Presence,
    /// When we heard it (ms since the epoch).
    at: f64,
}

/// How often we repeat our presence, and how long others' last for without a repeat.
const PRESENCE_EVERY: Duration = Duration::from_secs(10);
const PRESENCE_LASTS_MS: f64 = 30_000.0;
const NAME_KEY: &str = "launchplan.name";

/// A batch of effects and the connection they were produced for.
struct Batch {
    generation: u32,
    effects: Vec<ClientEffect>,
}

struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

pub(crate) struct SyncService {
    client: RefCell<Client>,
    idb: Idb,
    socket: RefCell<Option<Socket>>,
    /// Bumped on every new socket, so that frames meant for an old one are never sent on it.
    generation: Cell<u32>,
    failures: Cell<u32>,
    queue: mpsc::UnboundedSender<Batch>,
    revisions: RefCell<HashMap<DocumentId, RwSignal<u64>>>,
    pub(crate) connection: RwSignal<Connection>,
    /// Open documents the relay has not yet confirmed holding in full.
    pub(crate) unsynced: RwSignal<usize>,
    /// Local writes not yet committed to IndexedDB.
    pub(crate) pending_writes: RwSignal<usize>,
    pub(crate) projects: RwSignal<Vec<KnownProject>>,
    pub(crate) unavailable: RwSignal<HashSet<DocumentId>>,
    pub(crate) opened: RwSignal<HashSet<DocumentId>>,
    /// The last thing that went wrong, for the person to read.
    pub(crate) error: RwSignal<Option<String>>,
    /// Who else is on each plan.
    presence: RwSignal<HashMap<DocumentId, HashMap<PeerId, Seen>>>,
    /// Ticks every few seconds so that stale presence disappears.
    now: RwSignal<f64>,
    /// What this person is called in others' presence lists.
    pub(crate) my_name: RwSignal<String>,
    /// The plan on screen and the task open in it.
    viewing: Cell<Option<(DocumentId, Option<TaskId>)>>,
    /// Whether this tab writes storage and talks to the relay, or syncs through the tab that
    /// does (see `tabs`).
    role: Cell<Role>,
    channel: RefCell<Option<TabChannel>>,
    /// Frames from other tabs, for the leading tab to handle in order.
    tab_inbox: RefCell<Option<TabInbox>>,
}

impl SyncService {
    /// Opens local storage, reads the project list, and starts connecting.
    pub(crate) async fn start() -> Result<SyncCtx, String> {
        let idb = Idb::open().await.map_err(|e| e.to_string())?;
        let projects = idb.projects().await.map_err(|e| e.to_string())?;
        let (queue, mut batches) = mpsc::unbounded();
        let me = PeerId::random("browser");
        let service = Rc::new(SyncService {
            client: RefCell::new(Client::new(
                me,
                PeerMetadata { storage_id: None, is_ephemeral: Some(false) },
            )),
            idb,
            socket: RefCell::new(None),
            generation: Cell::new(0),
            failures: Cell::new(0),
            queue,
            revisions: RefCell::new(HashMap::new()),
            connection: RwSignal::new(Connection::Offline),
            unsynced: RwSignal::new(0),
            pending_writes: RwSignal::new(0),
            projects: RwSignal::new(projects),
            unavailable: RwSignal::new(HashSet::new()),
            opened: RwSignal::new(HashSet::new()),
            error: RwSignal::new(None),
            presence: RwSignal::new(HashMap::new()),
            now: RwSignal::new(js_sys::Date::now()),
            my_name: RwSignal::new(stored_name()),
            viewing: Cell::new(None),
            role: Cell::new(Role::Follower),
            channel: RefCell::new(None),
            tab_inbox: RefCell::new(None),
        });
        let worker = Rc::clone(&service);
        spawn_local(async move {
            while let Some(batch) = batches.next().await {
                worker.perform(batch).await;
            }
        });
        service.join_tabs().await;
        service.reconnect_on_wake();
        let heartbeat = SendWrapper::new(Rc::clone(&service));
        let _ = set_interval_with_handle(
            move || {
                heartbeat.now.set(js_sys::Date::now());
                heartbeat.announce();
            },
            PRESENCE_EVERY,
        );
        Ok(SyncCtx(SendWrapper::new(service)))
    }

    /// When the network comes back or the tab becomes visible, try at once instead of waiting
    /// out the backoff.
    fn reconnect_on_wake(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else { return };
        let this = Rc::downgrade(self);
        let wake = Closure::<dyn FnMut()>::new(move || {
            if let Some(this) = this.upgrade()
                && this.socket.borrow().is_none()
            {
                this.failures.set(0);
                this.connect();
            }
        });
        let _ = window.add_event_listener_with_callback("online", wake.as_ref().unchecked_ref());
        if let Some(document) = window.document() {
            let _ =
                document.add_event_listener_with_callback("visibilitychange", wake.as_ref().unchecked_ref());
        }
        // The listeners live as long as the page.
        wake.forget();
    }

    /// Changes this person's name (kept in localStorage) and tells the others.
    pub(crate) fn set_name(&self, name: &str) {
        let name: String = name.trim().chars().take(60).collect();
        if name.is_empty() {
            return;
        }
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item(NAME_KEY, &name);
        }
        self.my_name.set(name);
        self.announce();
    }

    /// Now showing plan `doc` with `task` open (or neither): tell the others.
    pub(crate) fn set_viewing(&self, viewing: Option<(DocumentId, Option<TaskId>)>) {
        let before = self.viewing.replace(viewing);
        if let Some((left, _)) = before
            && viewing.map(|(doc, _)| doc) != Some(left)
        {
            let gone = Presence { name: self.my_name.get_untracked(), task: None, online: false };
            let effects = self.client.borrow_mut().send_ephemeral(left, gone.encode());
            self.dispatch(effects);
        }
        self.announce();
    }

    /// Repeats our presence on the plan on screen.
    fn announce(&self) {
        let Some((doc, task)) = self.viewing.get() else { return };
        let here = Presence { name: self.my_name.get_untracked(), task, online: true };
        let effects = self.client.borrow_mut().send_ephemeral(doc, here.encode());
        self.dispatch(effects);
    }

    /// Everyone else on plan `doc` whom we heard from lately, by name.
    pub(crate) fn present(&self, doc: DocumentId) -> Vec<(PeerId, Presence)> {
        let now = self.now.get();
        self.presence.with(|all| {
            let mut here: Vec<(PeerId, Presence)> = all
                .get(&doc)
                .into_iter()
                .flatten()
                .filter(|(_, seen)| now - seen.at < PRESENCE_LASTS_MS)
                .map(|(peer, seen)| (peer.clone(), seen.presence.clone()))
                .collect();
            here.sort_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(&b.0)));
            here
        })
    }

    /// Fields of plan `doc` that concurrent edits left with more than one value.
    pub(crate) fn conflicts(&self, id: DocumentId) -> Vec<FieldConflict> {
        self.revision(id).track();
        self.client.borrow().doc(&id).map(task_conflicts).unwrap_or_default()
    }

    /// The signal that changes whenever document `id` does.
    pub(crate) fn revision(&self, id: DocumentId) -> RwSignal<u64> {
        *self.revisions.borrow_mut().entry(id).or_insert_with(|| RwSignal::new(0))
    }

    /// The project in document `id` as it stands, read reactively.
    pub(crate) fn project(&self, id: DocumentId) -> Option<Result<Project, String>> {
        self.revision(id).track();
        let client = self.client.borrow();
        let doc = client.doc(&id)?;
        if doc.get_heads().is_empty() {
            return None;
        }
        Some(commands::read_project(doc).map_err(|e| e.to_string()))
    }

    /// The document's heads, sorted and comma-separated (tests compare replicas by these).
    pub(crate) fn heads(&self, id: DocumentId) -> String {
        self.revision(id).track();
        let client = self.client.borrow();
        let mut heads: Vec<String> = client
            .doc(&id)
            .map(|d| d.get_heads().iter().map(|h| h.to_string()).collect())
            .unwrap_or_default();
        heads.sort();
        heads.join(",")
    }

    /// Loads document `id` from IndexedDB (if this browser has it) and starts syncing it.
    pub(crate) async fn open_project(&self, id: DocumentId) {
        if self.client.borrow().is_open(&id) {
            return;
        }
        match self.idb.load_sync_states(id).await {
            Ok(states) => {
                let mut client = self.client.borrow_mut();
                for (storage_id, state) in states {
                    client.restore_sync_state(id, storage_id, state);
                }
            }
            Err(e) => self.error.set(Some(e.to_string())),
        }
        let chunks = match self.idb.load_chunks(id).await {
            Ok(chunks) => chunks,
            Err(e) => {
                self.error.set(Some(e.to_string()));
                Vec::new()
            }
        };
        // Another caller may have opened it while we were reading.
        if self.client.borrow().is_open(&id) {
            return;
        }
        let (corrupt, effects) = self.client.borrow_mut().open(id, chunks);
        if !corrupt.is_empty() {
            leptos::logging::warn!(
                "{} stored chunks of {id} could not be read and were left in place",
                corrupt.len()
            );
        }
        self.dispatch(effects);
        self.revision(id).update(|r| *r += 1);
        self.opened.update(|o| {
            o.insert(id);
        });
        self.remember(id).await;
    }

    /// Creates a new project and returns its document id.
    pub(crate) async fn create_project(&self, project: &Project) -> Result<DocumentId, String> {
        let created = self.client.borrow_mut().create(|tx| commands::create_project(tx, project));
        let (id, effects) = created.map_err(|e| e.to_string())?;
        self.dispatch(effects);
        self.opened.update(|o| {
            o.insert(id);
        });
        self.remember(id).await;
        Ok(id)
    }

    /// Applies a domain command to document `id`; on failure nothing changes and the error
    /// is shown.
    pub(crate) fn edit(
        &self,
        id: DocumentId,
        command: impl FnOnce(&mut Transaction<'_>) -> Result<(), commands::CommandError>,
    ) -> bool {
        let result = self.client.borrow_mut().change(&id, command);
        match result {
            Some(Ok(((), effects))) => {
                self.dispatch(effects);
                true
            }
            Some(Err(e)) => {
                self.error.set(Some(e.to_string()));
                false
            }
            None => false,
        }
    }

    /// Adds the project to this browser's list, or updates its name there.
    async fn remember(&self, id: DocumentId) {
        let name = {
            let client = self.client.borrow();
            match client.doc(&id).map(commands::read_meta) {
                Some(Ok(meta)) => meta.name,
                _ => return,
            }
        };
        let known = KnownProject { id, name };
        if self.projects.with_untracked(|list| list.contains(&known)) {
            return;
        }
        if let Err(e) = self.idb.remember_project(&known).await {
            self.error.set(Some(e.to_string()));
            return;
        }
        self.projects.update(|list| match list.iter_mut().find(|p| p.id == id) {
            Some(existing) => existing.name = known.name,
            None => list.push(known),
        });
    }

    fn dispatch(&self, effects: Vec<ClientEffect>) {
        if effects.is_empty() {
            return;
        }
        let writes = effects.iter().filter(|e| matches!(e, ClientEffect::Store { .. })).count();
        if writes > 0 && self.role.get() == Role::Leader {
            self.pending_writes.update(|n| *n += writes);
        }
        let _ = self.queue.unbounded_send(Batch { generation: self.generation.get(), effects });
    }

    /// Performs one batch in order: stores complete before anything after them happens.
    async fn perform(&self, batch: Batch) {
        let mut changed = Vec::new();
        for effect in batch.effects {
            match effect {
                ClientEffect::Send(frame) if self.role.get() == Role::Follower => {
                    self.post("leader", Some(&frame), None);
                }
                ClientEffect::Send(frame) => {
                    if batch.generation == self.generation.get()
                        && let Some(socket) = self.socket.borrow().as_ref()
                    {
                        let _ = socket.ws.send_with_u8_array(&frame);
                    }
                }
                ClientEffect::SendToTab { tab, frame } => self.post(tab.as_str(), Some(&frame), None),
                // A following tab never writes: the leading tab stores what it sends there.
                ClientEffect::Store { .. } | ClientEffect::SyncState { .. }
                    if self.role.get() == Role::Follower => {}
                ClientEffect::Store { doc, op } => {
                    if let Err(e) = self.idb.apply(doc, &op).await {
                        self.error.set(Some(e.to_string()));
                    }
                    self.pending_writes.update(|n| *n = n.saturating_sub(1));
                }
                ClientEffect::Changed { doc, .. } => {
                    self.revision(doc).update(|r| *r += 1);
                    self.unavailable.update(|u| {
                        u.remove(&doc);
                    });
                    changed.push(doc);
                }
                ClientEffect::Unavailable { doc } => self.unavailable.update(|u| {
                    u.insert(doc);
                }),
                ClientEffect::Connected { .. } if self.role.get() == Role::Follower => self.announce(),
                ClientEffect::Connected { .. } => {
                    self.failures.set(0);
                    self.set_connection(Connection::Online);
                    self.announce();
                }
                ClientEffect::SyncState { doc, storage_id, state } => {
                    if let Err(e) = self.idb.put_sync_state(doc, &storage_id, &state).await {
                        leptos::logging::warn!("could not keep the sync state: {e}");
                    }
                }
                ClientEffect::Ephemeral { doc, from, data } => {
                    let Some(presence) = Presence::decode(&data) else { continue };
                    let at = js_sys::Date::now();
                    let mut newcomer = false;
                    self.presence.update(|all| {
                        let on_doc = all.entry(doc).or_default();
                        if presence.online {
                            newcomer = on_doc.insert(from, Seen { presence, at }).is_none();
                        } else {
                            on_doc.remove(&from);
                        }
                    });
                    // Someone arrived: tell them we are here rather than make them wait for
                    // our next heartbeat.
                    if newcomer && self.viewing.get().is_some_and(|(viewing, _)| viewing == doc) {
                        self.announce();
                    }
                }
                ClientEffect::Close { reason } if self.role.get() == Role::Follower => {
                    leptos::logging::warn!("the leading tab refused us ({reason}); joining again");
                    let mut client = self.client.borrow_mut();
                    client.connection_closed();
                    let effects = client.connection_opened();
                    drop(client);
                    self.dispatch(effects);
                }
                ClientEffect::Close { reason } => {
                    leptos::logging::warn!("closing the connection to the relay: {reason}");
                    if let Some(socket) = self.socket.borrow().as_ref() {
                        let _ = socket.ws.close();
                    }
                }
            }
        }
        for doc in changed {
            self.remember(doc).await;
        }
        self.refresh_unsynced();
    }

    /// The relay connection changed: show it, and tell the tabs that sync through us.
    fn set_connection(&self, connection: Connection) {
        self.connection.set(connection);
        self.share_status();
    }

    fn refresh_unsynced(&self) {
        let client = self.client.borrow();
        let open = self.opened.get_untracked();
        let count = open.iter().filter(|id| !client.in_sync(id)).count();
        if self.unsynced.get_untracked() != count {
            self.unsynced.set(count);
        }
    }

    fn connect(self: &Rc<Self>) {
        // A timer and an "online" event may both ask; one socket is enough, and only the
        // leading tab has one.
        if self.socket.borrow().is_some() || self.role.get() != Role::Leader {
            return;
        }
        self.generation.set(self.generation.get().wrapping_add(1));
        self.set_connection(Connection::Connecting);
        let url = match sync_url() {
            Some(url) => url,
            None => return,
        };
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => return self.reconnect_later(),
        };
        ws.set_binary_type(BinaryType::Arraybuffer);

        let this = Rc::clone(self);
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let effects = this.client.borrow_mut().connection_opened();
            this.dispatch(effects);
        });
        let this = Rc::clone(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() else { return };
            let frame = js_sys::Uint8Array::new(&buffer).to_vec();
            let effects = this.client.borrow_mut().receive_frame(&frame);
            this.dispatch(effects);
            this.refresh_unsynced();
        });
        let this = Rc::downgrade(self);
        let on_close = Closure::<dyn FnMut()>::new(move || {
            if let Some(this) = this.upgrade() {
                this.client.borrow_mut().connection_closed();
                // This closure belongs to the socket: drop it only after the callback returns.
                let old = this.socket.borrow_mut().take();
                spawn_local(async move { drop(old) });
                this.refresh_unsynced();
                this.reconnect_later();
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        *self.socket.borrow_mut() =
            Some(Socket { ws, _on_open: on_open, _on_message: on_message, _on_close: on_close });
    }

    /// Tries again after an exponentially growing, jittered delay (0.5 s up to 15 s).
    fn reconnect_later(self: &Rc<Self>) {
        self.set_connection(Connection::Offline);
        let failures = self.failures.get();
        self.failures.set(failures.saturating_add(1));
        let ceiling = (500.0 * 2f64.powi(failures.min(5) as i32)).min(15_000.0);
        let delay = ceiling * (0.5 + js_sys::Math::random() / 2.0);
        let this = SendWrapper::new(Rc::clone(self));
        set_timeout(move || this.connect(), Duration::from_millis(delay as u64));
    }
}

/// The name this person chose, or a fresh one.
fn stored_name() -> String {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(name) = storage.as_ref().and_then(|s| s.get_item(NAME_KEY).ok().flatten()) {
        return name;
    }
    let name = format!("{} {}", crate::i18n::guest_word(), (js_sys::Math::random() * 9000.0) as u32 + 1000);
    if let Some(storage) = storage {
        let _ = storage.set_item(NAME_KEY, &name);
    }
    name
}

/// `/sync` on the origin that served the page.
fn sync_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/sync", location.host().ok()?))
}
