use std::collections::BTreeMap;

use automerge::transaction::Transaction;
use automerge::{Automerge, ChangeHash};

mod tabs;

use super::{
    ChunkKey, DocEffect, DocEngine, DocRequest, EngineError, LoadOutcome, Observed, ServerConnection,
    StorageOp, accept_peer, join_message,
};
use crate::domain::history::Stamp;
use crate::protocol::{Message, PeerMetadata};
use crate::{DocumentId, PeerId};

/// Where the client's one connection to its relay stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionState {
    Disconnected,
    /// The socket is open and `join` sent; waiting for `peer`.
    Joining,
    Connected {
        server: PeerId,
    },
}

/// What the client's IO loop must do, in this order.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEffect {
    /// Send this frame to the relay.
    Send(Vec<u8>),
    /// Send this frame to another tab of this browser that syncs through us.
    SendToTab { tab: PeerId, frame: Vec<u8> },
    /// Make this durable before performing any effect after it.
    Store { doc: DocumentId, op: StorageOp },
    /// A document moved from `before` to `after`; `observed` says what changed (`None`: read
    /// it all again).
    Changed { doc: DocumentId, before: Vec<ChangeHash>, after: Vec<ChangeHash>, observed: Option<Observed> },
    /// The relay has no copy of a document we asked for (yet: it arrives if someone pushes it).
    Unavailable { doc: DocumentId },
    /// The handshake finished.
    Connected { server: PeerId },
    /// The relay broke the protocol or refused us: close the socket and reconnect later.
    Close { reason: String },
    /// Someone else's ephemeral message about a document (presence): show it, never store it.
    Ephemeral { doc: DocumentId, from: PeerId, data: Vec<u8> },
    /// The relay refused changes we sent of `doc`, saying `reason`: they were dropped, and
    /// the document went back to what the relay holds (a `Changed` with it follows).
    /// `undone` says what the dropped changes had done, to show the person.
    Refused { doc: DocumentId, reason: String, undone: Vec<automerge::Patch> },
    /// Keep this sync state for `doc` with the relay's storage `storage_id`; hand it back with
    /// [`Client::restore_sync_state`] after a restart so a reconnect sends only what is missing.
    SyncState { doc: DocumentId, storage_id: String, state: Vec<u8> },
}

/// A client of one relay: its documents and its connection, without any IO. It can also
/// serve other tabs of the same browser, which then sync through it (see `tabs`).
#[derive(Debug)]
pub struct Client {
    me: PeerId,
    metadata: PeerMetadata,
    connection: ConnectionState,
    /// The relay's storage id, when it told us in the handshake.
    server_storage: Option<String>,
    docs: BTreeMap<DocumentId, DocEngine>,
    /// Sync states kept per document and relay storage, and the shared heads each records.
    sync_states: BTreeMap<(DocumentId, String), (Vec<ChangeHash>, Vec<u8>)>,
    /// Identifies this run of the client in ephemeral messages, with a counter, so that
    /// receivers can drop duplicates.
    session_id: String,
    ephemeral_count: u64,
    /// Other tabs of this browser that sync through this one, by their peer id.
    tabs: BTreeMap<PeerId, ServerConnection>,
    /// Whether changes report their patches (a screen shows the documents).
    observed: bool,
}

impl Client {
    pub fn new(me: PeerId, metadata: PeerMetadata) -> Self {
        Self {
            me,
            metadata,
            connection: ConnectionState::Disconnected,
            server_storage: None,
            docs: BTreeMap::new(),
            sync_states: BTreeMap::new(),
            session_id: uuid::Uuid::new_v4().simple().to_string(),
            ephemeral_count: 0,
            tabs: BTreeMap::new(),
            observed: false,
        }
    }

    /// Every document's changes come with their patches (see [`DocEngine::observed`]).
    pub fn observed(mut self) -> Self {
        self.observed = true;
        self
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.me
    }

    pub fn connection(&self) -> &ConnectionState {
        &self.connection
    }

    pub fn doc(&self, id: &DocumentId) -> Option<&Automerge> {
        self.docs.get(id).map(DocEngine::doc)
    }

    pub fn is_open(&self, id: &DocumentId) -> bool {
        self.docs.contains_key(id)
    }

    /// The heads of `id` the relay last told us it holds: everything they include is stored
    /// there.
    pub fn relay_heads(&self, id: &DocumentId) -> Option<Vec<ChangeHash>> {
        let ConnectionState::Connected { server } = &self.connection else { return None };
        self.docs.get(id)?.peer_heads(server).map(<[ChangeHash]>::to_vec)
    }

    /// Whether the relay has told us it holds exactly what we hold of `id`.
    pub fn in_sync(&self, id: &DocumentId) -> bool {
        match (&self.connection, self.docs.get(id)) {
            (ConnectionState::Connected { server }, Some(engine)) => engine.in_sync_with(server),
            _ => false,
        }
    }

    /// The socket opened: introduce ourselves.
    pub fn connection_opened(&mut self) -> Vec<ClientEffect> {
        self.connection = ConnectionState::Joining;
        vec![ClientEffect::Send(join_message(&self.me, self.metadata.clone()).encode())]
    }

    /// The socket closed. Sync state with the relay is dropped; it is rebuilt on reconnect.
    pub fn connection_closed(&mut self) {
        if let ConnectionState::Connected { server } = &self.connection {
            for engine in self.docs.values_mut() {
                engine.remove_peer(server);
            }
        }
        self.connection = ConnectionState::Disconnected;
    }

    /// Handles one frame from the relay.
    pub fn receive_frame(&mut self, frame: &[u8]) -> Vec<ClientEffect> {
        let message = match Message::decode(frame) {
            Ok(message) => message,
            Err(e) => return self.refuse(e.to_string()),
        };
        match &self.connection {
            ConnectionState::Disconnected => Vec::new(),
            ConnectionState::Joining => match accept_peer(message) {
                Ok((server, metadata)) => self.joined(server, metadata.and_then(|m| m.storage_id)),
                Err(e) => vec![ClientEffect::Close { reason: e.to_string() }],
            },
            ConnectionState::Connected { server } => {
                let server = server.clone();
                self.receive_connected(&server, message)
            }
        }
    }

    /// Opens a document from its stored chunks (none for a document we only know the id of)
    /// and starts syncing it if connected.
    pub fn open(
        &mut self,
        id: DocumentId,
        chunks: Vec<(ChunkKey, Vec<u8>)>,
    ) -> (Vec<ChunkKey>, Vec<ClientEffect>) {
        let LoadOutcome { engine, corrupt } = DocEngine::load(id, self.me.clone(), chunks);
        let mut engine = self.keeping(engine);
        let mut out = Vec::new();
        if let ConnectionState::Connected { server } = &self.connection {
            engine.connect_peer(server.clone(), self.saved_state(id), &mut out);
        }
        self.docs.insert(id, engine);
        (corrupt, self.effects(id, out))
    }

    /// This client now writes storage where another did (see [`DocEngine::adopt_storage`]):
    /// returns the chunks that could not be read, and the effects (stores of what storage
    /// lacks).
    pub fn adopt_storage(
        &mut self,
        id: DocumentId,
        chunks: Vec<(ChunkKey, Vec<u8>)>,
    ) -> (Vec<ChunkKey>, Vec<ClientEffect>) {
        let Some(engine) = self.docs.get_mut(&id) else { return (Vec::new(), Vec::new()) };
        let mut out = Vec::new();
        let corrupt = engine.adopt_storage(chunks, &mut out);
        (corrupt, self.effects(id, out))
    }

    /// Documents whose storage wants compacting (see [`DocEngine::compact`]).
    pub fn compaction_due(&self) -> Vec<DocumentId> {
        self.docs.iter().filter(|(_, engine)| engine.wants_compaction()).map(|(id, _)| *id).collect()
    }

    /// Compacts document `id`'s storage: the store effect to perform.
    pub fn compact(&mut self, id: &DocumentId) -> Vec<ClientEffect> {
        let Some(engine) = self.docs.get_mut(id) else { return Vec::new() };
        let mut out = Vec::new();
        engine.compact(&mut out);
        self.effects(*id, out)
    }

    /// The documents open now.
    pub fn open_documents(&self) -> Vec<DocumentId> {
        self.docs.keys().copied().collect()
    }

    /// Stops syncing a document and drops it from memory.
    pub fn close(&mut self, id: &DocumentId) {
        self.docs.remove(id);
    }

    /// Creates a new document with `init` as its first change.
    pub fn create<E>(
        &mut self,
        init: impl FnOnce(&mut Transaction<'_>) -> Result<(), E>,
    ) -> Result<(DocumentId, Vec<ClientEffect>), E> {
        self.create_with(None, init)
    }

    /// Like [`Client::create`], recording who made the document and when (see [`Stamp`]).
    pub fn create_stamped<E>(
        &mut self,
        stamp: Stamp,
        init: impl FnOnce(&mut Transaction<'_>) -> Result<(), E>,
    ) -> Result<(DocumentId, Vec<ClientEffect>), E> {
        self.create_with(Some(stamp), init)
    }

    fn create_with<E>(
        &mut self,
        stamp: Option<Stamp>,
        init: impl FnOnce(&mut Transaction<'_>) -> Result<(), E>,
    ) -> Result<(DocumentId, Vec<ClientEffect>), E> {
        let id = DocumentId::random();
        let mut engine = self.keeping(DocEngine::new(id, self.me.clone()));
        let mut out = Vec::new();
        match stamp {
            Some(stamp) => engine.change_stamped(stamp, init, &mut out)?,
            None => engine.change(init, &mut out)?,
        }
        if let ConnectionState::Connected { server } = &self.connection {
            engine.connect_peer(server.clone(), None, &mut out);
        }
        self.docs.insert(id, engine);
        Ok((id, self.effects(id, out)))
    }

    /// A new document holding the whole history of open document `from` (a what-if
    /// scenario: it changes apart, and what it changes can be merged back with
    /// [`Client::absorb`]); `None` if `from` is not open.
    pub fn fork(
        &mut self,
        from: &DocumentId,
    ) -> Option<Result<(DocumentId, Vec<ClientEffect>), EngineError>> {
        let source = self.docs.get(from)?.doc().clone();
        let id = DocumentId::random();
        let mut engine = self.keeping(DocEngine::new(id, self.me.clone()));
        let mut out = Vec::new();
        if let Err(e) = engine.absorb(&source, &mut out) {
            return Some(Err(e));
        }
        if let ConnectionState::Connected { server } = &self.connection {
            engine.connect_peer(server.clone(), None, &mut out);
        }
        self.docs.insert(id, engine);
        Some(Ok((id, self.effects(id, out))))
    }

    /// Takes into open document `into` what open document `from` has that it lacks (a
    /// scenario merged back into its plan); `None` if either is not open.
    pub fn absorb(
        &mut self,
        into: &DocumentId,
        from: &DocumentId,
    ) -> Option<Result<Vec<ClientEffect>, EngineError>> {
        let source = self.docs.get(from)?.doc().clone();
        let engine = self.docs.get_mut(into)?;
        let mut out = Vec::new();
        Some(engine.absorb(&source, &mut out).map(|()| self.effects(*into, out)))
    }

    /// Makes a local change to an open document; `None` if it is not open. Returns what
    /// `edit` returned, with the effects.
    pub fn change<O, E>(
        &mut self,
        id: &DocumentId,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<O, E>,
    ) -> Option<Result<(O, Vec<ClientEffect>), E>> {
        let engine = self.docs.get_mut(id)?;
        let mut out = Vec::new();
        Some(engine.change(edit, &mut out).map(|result| (result, self.effects(*id, out))))
    }

    /// Like [`Client::change`], recording who made the change and when (see [`Stamp`]).
    pub fn change_stamped<O, E>(
        &mut self,
        id: &DocumentId,
        stamp: Stamp,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<O, E>,
    ) -> Option<Result<(O, Vec<ClientEffect>), E>> {
        let engine = self.docs.get_mut(id)?;
        let mut out = Vec::new();
        Some(engine.change_stamped(stamp, edit, &mut out).map(|result| (result, self.effects(*id, out))))
    }

    /// Hands back a sync state kept from an earlier run (see [`ClientEffect::SyncState`]).
    pub fn restore_sync_state(&mut self, doc: DocumentId, storage_id: String, state: Vec<u8>) {
        if let Ok(decoded) = automerge::sync::State::decode(&state) {
            self.sync_states.insert((doc, storage_id), (decoded.shared_heads, state));
        }
    }

    /// Tells everyone else who has `doc` open (through the relay, and other tabs syncing
    /// through us) something that is not stored: presence.
    pub fn send_ephemeral(&mut self, doc: DocumentId, data: Vec<u8>) -> Vec<ClientEffect> {
        self.ephemeral_count += 1;
        let request = DocRequest::Ephemeral {
            sender: self.me.clone(),
            count: self.ephemeral_count,
            session_id: self.session_id.clone(),
            data,
        };
        let me = self.me.clone();
        self.pass_on(doc, &me, &request)
    }

    /// Passes an ephemeral message to the document's peers other than `from` and its author.
    fn pass_on(&mut self, doc: DocumentId, from: &PeerId, request: &DocRequest) -> Vec<ClientEffect> {
        let Some(engine) = self.docs.get_mut(&doc) else { return Vec::new() };
        let mut out = Vec::new();
        // Ephemeral requests cannot fail.
        let _ = engine.receive(from, request, &mut out);
        self.effects(doc, out)
    }

    fn saved_state(&self, doc: DocumentId) -> Option<&[u8]> {
        let storage = self.server_storage.clone()?;
        self.sync_states.get(&(doc, storage)).map(|(_, state)| state.as_slice())
    }

    fn joined(&mut self, server: PeerId, storage_id: Option<String>) -> Vec<ClientEffect> {
        self.connection = ConnectionState::Connected { server: server.clone() };
        self.server_storage = storage_id;
        let mut effects = vec![ClientEffect::Connected { server: server.clone() }];
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        for id in ids {
            let mut out = Vec::new();
            let saved = self.saved_state(id).map(<[u8]>::to_vec);
            if let Some(engine) = self.docs.get_mut(&id) {
                engine.connect_peer(server.clone(), saved.as_deref(), &mut out);
            }
            effects.extend(self.effects(id, out));
        }
        effects
    }

    /// A client that said it is ephemeral keeps nothing: no chunks, no sync states.
    fn is_ephemeral(&self) -> bool {
        self.metadata.is_ephemeral == Some(true)
    }

    /// `engine`, storing changes unless this client is ephemeral.
    fn keeping(&self, engine: DocEngine) -> DocEngine {
        let engine = if self.observed { engine.observed() } else { engine };
        if self.is_ephemeral() { engine.in_memory() } else { engine }
    }

    /// The sync state with the relay, when the heads we share have moved since it was kept.
    fn sync_state_to_keep(&mut self, doc: DocumentId, server: &PeerId) -> Option<ClientEffect> {
        if self.is_ephemeral() {
            return None;
        }
        let storage_id = self.server_storage.clone()?;
        let (shared, state) = self.docs.get(&doc)?.saved_sync_state(server)?;
        let key = (doc, storage_id.clone());
        if self.sync_states.get(&key).is_some_and(|(kept, _)| *kept == shared) {
            return None;
        }
        self.sync_states.insert(key, (shared, state.clone()));
        Some(ClientEffect::SyncState { doc, storage_id, state })
    }

    fn receive_connected(&mut self, server: &PeerId, message: Message) -> Vec<ClientEffect> {
        let (doc, request) = match message {
            Message::Request { document_id, data, .. } => (document_id, DocRequest::Request(data)),
            Message::Sync { document_id, data, .. } => (document_id, DocRequest::Sync(data)),
            Message::DocUnavailable { document_id, .. } => (document_id, DocRequest::Unavailable),
            Message::Error { message } => return vec![ClientEffect::Close { reason: message }],
            Message::Ephemeral { document_id, sender_id, count, session_id, data, .. } => {
                let request = DocRequest::Ephemeral {
                    sender: sender_id.clone(),
                    count,
                    session_id,
                    data: data.clone(),
                };
                let mut effects = vec![ClientEffect::Ephemeral { doc: document_id, from: sender_id, data }];
                effects.extend(self.pass_on(document_id, server, &request));
                return effects;
            }
            Message::Join { .. } | Message::Peer { .. } => {
                return self
                    .refuse(format!("unexpected {} message after the handshake", message.type_name()));
            }
            Message::ChangeRefused { document_id, message, .. } => {
                return self.refused(document_id, server, message);
            }
            // Presence and remote heads are not used by this client yet; they are harmless.
            _ => return Vec::new(),
        };
        let Some(engine) = self.docs.get_mut(&doc) else {
            // Someone asks for a document we do not hold open: we cannot help.
            if matches!(request, DocRequest::Request(_)) {
                let reply = Message::DocUnavailable {
                    sender_id: self.me.clone(),
                    target_id: server.clone(),
                    document_id: doc,
                };
                return vec![ClientEffect::Send(reply.encode())];
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        match engine.receive(server, &request, &mut out) {
            Ok(()) => {
                let mut effects = self.effects(doc, out);
                effects.extend(self.sync_state_to_keep(doc, server));
                effects
            }
            Err(e) => self.refuse(e.to_string()),
        }
    }

    /// Drops what the relay refused of `doc` (see [`DocEngine::rewind_to`]). Other tabs that
    /// sync through this one may hold the refused changes too (they made them, or got them
    /// from us): each hears our heads afresh and then the refusal, and goes back to them.
    fn refused(&mut self, doc: DocumentId, server: &PeerId, reason: String) -> Vec<ClientEffect> {
        let Some(engine) = self.docs.get_mut(&doc) else { return Vec::new() };
        let mut out = Vec::new();
        let undone = engine.rewind_to(server, &mut out);
        for tab in self.tabs.values().filter_map(ServerConnection::peer) {
            if engine.shares_with(tab) {
                engine.resync(tab, &mut out);
                out.push(DocEffect::Send(Message::ChangeRefused {
                    sender_id: self.me.clone(),
                    target_id: tab.clone(),
                    document_id: doc,
                    message: reason.clone(),
                }));
            }
        }
        let mut effects = vec![ClientEffect::Refused { doc, reason, undone }];
        effects.extend(self.effects(doc, out));
        effects.extend(self.sync_state_to_keep(doc, server));
        effects
    }

    /// Tells the relay what it did wrong and asks the IO loop to close.
    fn refuse(&mut self, reason: String) -> Vec<ClientEffect> {
        let error = Message::Error { message: reason.clone() }.encode();
        vec![ClientEffect::Send(error), ClientEffect::Close { reason }]
    }

    fn effects(&self, doc: DocumentId, out: Vec<DocEffect>) -> Vec<ClientEffect> {
        out.into_iter()
            .filter_map(|effect| match effect {
                DocEffect::Store(op) => Some(ClientEffect::Store { doc, op }),
                DocEffect::Send(message) => Some(match message.target_id() {
                    Some(tab) if self.tabs.contains_key(tab) => {
                        ClientEffect::SendToTab { tab: tab.clone(), frame: message.encode() }
                    }
                    _ => ClientEffect::Send(message.encode()),
                }),
                DocEffect::Changed { before, after, observed } => {
                    Some(ClientEffect::Changed { doc, before, after, observed })
                }
                // Only the relay's word that nobody has it matters; a tab's does not.
                DocEffect::Unavailable { from } => {
                    (!self.tabs.contains_key(&from)).then_some(ClientEffect::Unavailable { doc })
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Project, ProjectKind, commands};

    fn stores_made(metadata: PeerMetadata) -> usize {
        let mut client = Client::new("laptop".parse().expect("peer id"), metadata);
        let project = Project::new("新品首发：春季口红系列", ProjectKind::Launch, 1);
        let (doc, mut effects) = client.create(|tx| commands::create_project(tx, &project)).expect("create");
        let renamed = client.change(&doc, |tx| commands::rename_project(tx, "春季口红")).expect("open");
        effects.extend(renamed.expect("rename").1);
        effects.iter().filter(|e| matches!(e, ClientEffect::Store { .. })).count()
    }

    #[test]
    fn an_ephemeral_client_keeps_nothing_and_a_lasting_one_stores_every_change() {
        let lasting = PeerMetadata { storage_id: Some("laptop-storage".into()), is_ephemeral: Some(false) };
        assert_eq!(stores_made(lasting), 2);
        assert_eq!(stores_made(PeerMetadata::default()), 2, "a client that does not say keeps its changes");
        assert_eq!(stores_made(PeerMetadata { storage_id: None, is_ephemeral: Some(true) }), 0);
    }
}
