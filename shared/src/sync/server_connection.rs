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
}

impl ServerConnection {
    pub fn new(me: PeerId, metadata: PeerMetadata) -> Self {
        Self { me, metadata, peer: None }
    }

    /// The peer at the other end, once it has joined.
    pub fn peer(&self) -> Option<&PeerId> {
        self.peer.as_ref()
    }

    pub fn receive(&mut self, frame: &[u8]) -> ServerAction {
        let message = match Message::decode(frame) {
            Ok(message) => message,
            Err(e) => return refuse(e.to_string()),
        };
        let Some(peer) = &self.peer else {
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
            Message::Join { .. } | Message::Peer { .. } => {
                return refuse(format!("unexpected {} message after the handshake", message.type_name()));
            }
            Message::Error { message } => {
                return ServerAction::Close { reason: format!("peer reported: {message}") };
            }
            Message::Leave { .. } => return ServerAction::Close { reason: "peer left".to_owned() },
            // Remote-heads gossip is optional in the protocol; this relay does not offer it.
            Message::RemoteSubscriptionChange { .. } | Message::RemoteHeadsChanged { .. } => {
                return ServerAction::Nothing;
            }
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
