use std::collections::BTreeMap;

use crate::{DocumentId, PeerId};

/// The only protocol version there is; peers offer it in `join` and the listener picks it in
/// `peer`.
pub const PROTOCOL_VERSION: &str = "1";

/// What a peer says about itself in the handshake.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerMetadata {
    /// Identifies the peer's storage, so that sync state can be kept across connections.
    pub storage_id: Option<String>,
    /// An ephemeral peer keeps nothing; others should not expect it to hold documents.
    pub is_ephemeral: Option<bool>,
}

/// Change hashes as automerge-repo writes them in `remote-heads-changed`: bs58check.
pub fn encode_heads(heads: &[automerge::ChangeHash]) -> Vec<String> {
    heads.iter().map(|h| bs58::encode(h.0).with_check().into_string()).collect()
}

/// The heads one storage holds of a document, and when it said so (ms since the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadsAt {
    /// Change hashes, each bs58check-encoded as automerge-repo writes them.
    pub heads: Vec<String>,
    pub timestamp: u64,
}

/// One frame of the protocol. Field names follow the wire (`senderId` is `sender_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The connecting side's first message: who it is and which versions it speaks.
    Join { sender_id: PeerId, supported_protocol_versions: Vec<String>, peer_metadata: Option<PeerMetadata> },
    /// The listener's answer to `join`: who it is and the version chosen.
    Peer {
        sender_id: PeerId,
        target_id: PeerId,
        selected_protocol_version: String,
        peer_metadata: Option<PeerMetadata>,
    },
    /// Something went wrong; the sender closes the connection after it.
    Error { message: String },
    /// An automerge sync message from a peer that has nothing of the document yet: answer with
    /// sync, or with `doc-unavailable` when nobody has it.
    Request { sender_id: PeerId, target_id: PeerId, document_id: DocumentId, data: Vec<u8> },
    /// An automerge sync message (`automerge::sync::Message::encode`).
    Sync { sender_id: PeerId, target_id: PeerId, document_id: DocumentId, data: Vec<u8> },
    /// The sender has no copy of the document and knows of nobody who has.
    DocUnavailable { sender_id: PeerId, target_id: PeerId, document_id: DocumentId },
    /// An application message about a document (presence, cursors) that is never stored.
    /// `session_id` and `count` let receivers drop duplicates.
    Ephemeral {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        count: u64,
        session_id: String,
        data: Vec<u8>,
    },
    /// The sender wants (or no longer wants) to hear about the heads of these storages.
    RemoteSubscriptionChange { sender_id: PeerId, target_id: PeerId, add: Vec<String>, remove: Vec<String> },
    /// The heads that other storages hold of a document changed.
    RemoteHeadsChanged {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        new_heads: BTreeMap<String, HeadsAt>,
    },
    /// The sender is going away.
    Leave { sender_id: PeerId },
    /// Launchplan's relay did not take changes the target sent of a document, and says why
    /// (a role that may not write there). Nothing of them was stored or passed on; the rest
    /// of the target's messages are answered as before. Other implementations skip it.
    ChangeRefused { sender_id: PeerId, target_id: PeerId, document_id: DocumentId, message: String },
}

impl Message {
    /// The wire name of this message's type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Error { .. } => "error",
            Message::Request { .. } => "request",
            Message::Sync { .. } => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral { .. } => "ephemeral",
            Message::RemoteSubscriptionChange { .. } => "remote-subscription-change",
            Message::RemoteHeadsChanged { .. } => "remote-heads-changed",
            Message::Leave { .. } => "leave",
            Message::ChangeRefused { .. } => "change-refused",
        }
    }

    /// Whom a message is addressed to, if anyone.
    pub fn target_id(&self) -> Option<&PeerId> {
        match self {
            Message::Peer { target_id, .. }
            | Message::Request { target_id, .. }
            | Message::Sync { target_id, .. }
            | Message::DocUnavailable { target_id, .. }
            | Message::Ephemeral { target_id, .. }
            | Message::RemoteSubscriptionChange { target_id, .. }
            | Message::RemoteHeadsChanged { target_id, .. }
            | Message::ChangeRefused { target_id, .. } => Some(target_id),
            Message::Join { .. } | Message::Error { .. } | Message::Leave { .. } => None,
        }
    }

    /// The document a message is about, if any.
    pub fn document_id(&self) -> Option<DocumentId> {
        match self {
            Message::Request { document_id, .. }
            | Message::Sync { document_id, .. }
            | Message::DocUnavailable { document_id, .. }
            | Message::Ephemeral { document_id, .. }
            | Message::RemoteHeadsChanged { document_id, .. }
            | Message::ChangeRefused { document_id, .. } => Some(*document_id),
            _ => None,
        }
    }
}
