use std::collections::BTreeMap;

use automerge::transaction::Transaction;
use automerge::{Automerge, ChangeHash};

use super::{ChunkKey, DocEffect, DocEngine, DocRequest, LoadOutcome, StorageOp, accept_peer, join_message};
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
    /// Make this durable before performing any effect after it.
    Store { doc: DocumentId, op: StorageOp },
    /// A document moved from `before` to `after`.
    Changed { doc: DocumentId, before: Vec<ChangeHash>, after: Vec<ChangeHash> },
    /// The relay has no copy of a document we asked for (yet: it arrives if someone pushes it).
    Unavailable { doc: DocumentId },
    /// The handshake finished.
    Connected { server: PeerId },
    /// The relay broke the protocol or refused us: close the socket and reconnect later.
    Close { reason: String },
}

/// A client of one relay: its documents and its connection, without any IO.
#[derive(Debug)]
pub struct Client {
    me: PeerId,
    metadata: PeerMetadata,
    connection: ConnectionState,
    docs: BTreeMap<DocumentId, DocEngine>,
}

impl Client {
    pub fn new(me: PeerId, metadata: PeerMetadata) -> Self {
        Self { me, metadata, connection: ConnectionState::Disconnected, docs: BTreeMap::new() }
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
                Ok((server, _)) => self.joined(server),
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
        let LoadOutcome { mut engine, corrupt } = DocEngine::load(id, self.me.clone(), chunks);
        let mut out = Vec::new();
        if let ConnectionState::Connected { server } = &self.connection {
            engine.connect_peer(server.clone(), &mut out);
        }
        self.docs.insert(id, engine);
        (corrupt, self.effects(id, out))
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
        let id = DocumentId::random();
        let mut engine = DocEngine::new(id, self.me.clone());
        let mut out = Vec::new();
        engine.change(init, &mut out)?;
        if let ConnectionState::Connected { server } = &self.connection {
            engine.connect_peer(server.clone(), &mut out);
        }
        self.docs.insert(id, engine);
        Ok((id, self.effects(id, out)))
    }

    /// Makes a local change to an open document; `None` if it is not open.
    pub fn change<E>(
        &mut self,
        id: &DocumentId,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<(), E>,
    ) -> Option<Result<Vec<ClientEffect>, E>> {
        let engine = self.docs.get_mut(id)?;
        let mut out = Vec::new();
        Some(engine.change(edit, &mut out).map(|()| self.effects(*id, out)))
    }

    fn joined(&mut self, server: PeerId) -> Vec<ClientEffect> {
        self.connection = ConnectionState::Connected { server: server.clone() };
        let mut effects = vec![ClientEffect::Connected { server: server.clone() }];
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        for id in ids {
            let mut out = Vec::new();
            if let Some(engine) = self.docs.get_mut(&id) {
                engine.connect_peer(server.clone(), &mut out);
            }
            effects.extend(self.effects(id, out));
        }
        effects
    }

    fn receive_connected(&mut self, server: &PeerId, message: Message) -> Vec<ClientEffect> {
        let (doc, request) = match message {
            Message::Request { document_id, data, .. } => (document_id, DocRequest::Request(data)),
            Message::Sync { document_id, data, .. } => (document_id, DocRequest::Sync(data)),
            Message::DocUnavailable { document_id, .. } => (document_id, DocRequest::Unavailable),
            Message::Error { message } => return vec![ClientEffect::Close { reason: message }],
            Message::Join { .. } | Message::Peer { .. } => {
                return self
                    .refuse(format!("unexpected {} message after the handshake", message.type_name()));
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
            Ok(()) => self.effects(doc, out),
            Err(e) => self.refuse(e.to_string()),
        }
    }

    /// Tells the relay what it did wrong and asks the IO loop to close.
    fn refuse(&mut self, reason: String) -> Vec<ClientEffect> {
        let error = Message::Error { message: reason.clone() }.encode();
        vec![ClientEffect::Send(error), ClientEffect::Close { reason }]
    }

    fn effects(&self, doc: DocumentId, out: Vec<DocEffect>) -> Vec<ClientEffect> {
        out.into_iter()
            .map(|effect| match effect {
                DocEffect::Store(op) => ClientEffect::Store { doc, op },
                DocEffect::Send(message) => ClientEffect::Send(message.encode()),
                DocEffect::Changed { before, after } => ClientEffect::Changed { doc, before, after },
                DocEffect::Unavailable { .. } => ClientEffect::Unavailable { doc },
            })
            .collect()
    }
}
