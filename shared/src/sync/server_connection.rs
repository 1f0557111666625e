use super::accept_join;
use crate::protocol::{Message, PeerMetadata};
use crate::{DocumentId, PeerId};

/// What a document-bound message asks of the document's engine, owned so that it can travel
/// to the task that holds the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocRequest {
    Request(Vec<u8>),
    Sync(Vec<u8>),
    Unavailable,
    /// Presence and the like: forward to the document's other peers, never store.
    /// `sender` is who said it first: ephemeral messages keep their author as they are
    /// passed on.
    Ephemeral {
        sender: PeerId,
        count: u64,
        session_id: String,
        data: Vec<u8>,
    },
}

/// What the relay must do with one frame from a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerAction {
    /// The handshake finished: send `reply` (the `peer` message); the connection is `peer`.
    Joined { peer: PeerId, reply: Vec<u8> },
    /// Hand this to the task that holds `doc`.
    Route { doc: DocumentId, from: PeerId, request: DocRequest },
    /// Send `error` (an `error` frame) and close this connection, and only this one.
    Refuse { error: Vec<u8>, reason: String },
    /// The peer wants to hear of the heads that these storages hold (`add`), or no longer
    /// (`remove`), as `remote-heads-changed` messages.
    Subscribe { add: Vec<String>, remove: Vec<String> },
    /// The peer said goodbye or reported an error of its own: close without answering.
    Close { reason: String },
    /// Nothing to do.
    Nothing,
}

/// The relay's side of one connection, without IO: the handshake, then routing.
#[derive(Debug)]
pub struct ServerConnection {
    me: PeerId,
    metadata: PeerMetadata,
    peer: Option<PeerId>,
    /// The joined peer's storage, if it has one that outlives the connection.
    peer_storage: Option<String>,
}

impl ServerConnection {
    pub fn new(me: PeerId, metadata: PeerMetadata) -> Self {
        Self { me, metadata, peer: None, peer_storage: None }
    }

    /// The peer at the other end, once it has joined.
    pub fn peer(&self) -> Option<&PeerId> {
        self.peer.as_ref()
    }

    /// The joined peer's storage id, unless it said it is ephemeral.
    pub fn peer_storage(&self) -> Option<&str> {
        self.peer_storage.as_deref()
    }

    pub fn receive(&mut self, frame: &[u8]) -> ServerAction {
        let message = match Message::decode(frame) {
            Ok(message) => message,
            Err(e) => return refuse(e.to_string()),
        };
        let Some(peer) = &self.peer else {
            if let Message::Join { peer_metadata: Some(meta), .. } = &message
                && meta.is_ephemeral != Some(true)
            {
                self.peer_storage = meta.storage_id.clone();
            }
            return match accept_join(message, &self.me, self.metadata.clone()) {
                Ok((peer, reply)) => {
                    self.peer = Some(peer.clone());
                    ServerAction::Joined { peer, reply: reply.encode() }
                }
                Err(e) => refuse(e.to_string()),
            };
        };
        let (doc, from, request) = match message {
            Message::Request { sender_id, document_id, data, .. } => {
                (document_id, sender_id, DocRequest::Request(data))
            }
            Message::Sync { sender_id, document_id, data, .. } => {
                (document_id, sender_id, DocRequest::Sync(data))
            }
            Message::DocUnavailable { sender_id, document_id, .. } => {
                (document_id, sender_id, DocRequest::Unavailable)
            }
            Message::Ephemeral { sender_id, document_id, count, session_id, data, .. } => {
                let request = DocRequest::Ephemeral { sender: sender_id, count, session_id, data };
                return ServerAction::Route { doc: document_id, from: peer.clone(), request };
            }
            Message::Join { .. } | Message::Peer { .. } | Message::ChangeRefused { .. } => {
                return refuse(format!("unexpected {} message after the handshake", message.type_name()));
            }
            Message::Error { message } => {
                return ServerAction::Close { reason: format!("peer reported: {message}") };
            }
            Message::Leave { .. } => return ServerAction::Close { reason: "peer left".to_owned() },
            Message::RemoteSubscriptionChange { add, remove, .. } => {
                return ServerAction::Subscribe { add, remove };
            }
            // Peers tell the relay nothing it does not learn from syncing directly.
            Message::RemoteHeadsChanged { .. } => return ServerAction::Nothing,
        };
        if from != *peer {
            return refuse(format!(
                "senderId {from} is not the peer that joined on this connection ({peer})"
            ));
        }
        ServerAction::Route { doc, from, request }
    }
}

fn refuse(reason: String) -> ServerAction {
    ServerAction::Refuse { error: Message::Error { message: reason.clone() }.encode(), reason }
}
