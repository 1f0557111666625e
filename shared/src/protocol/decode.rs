use std::collections::BTreeMap;

use minicbor::Decoder;
use minicbor::data::Type;

use super::{HeadsAt, Message, PeerMetadata};
use crate::{DocumentId, ParseIdError, PeerId};

/// Why a frame is not a protocol message. The text is what the relay sends back in its
/// `error` message before it closes the connection.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("malformed frame: not valid CBOR ({0})")]
    Cbor(String),
    #[error("malformed frame: a message must be a CBOR map")]
    NotAMap,
    #[error("malformed frame: map keys must be text")]
    KeyNotText,
    #[error("malformed frame: {0} bytes after the message")]
    TrailingBytes(usize),
    #[error("malformed frame: the message has no `type`")]
    NoType,
    #[error("unknown message type {0}")]
    UnknownType(String),
    #[error("malformed {message_type} message: `{field}` is missing")]
    MissingField { message_type: &'static str, field: &'static str },
    #[error("malformed frame: `{field}` must be {expected}")]
    WrongType { field: &'static str, expected: &'static str },
    #[error("malformed frame: `documentId`: {0}")]
    BadDocumentId(ParseIdError),
    #[error("malformed frame: `{0}` cannot be empty")]
    EmptyPeerId(&'static str),
}

impl From<minicbor::decode::Error> for DecodeError {
    fn from(e: minicbor::decode::Error) -> Self {
        DecodeError::Cbor(e.to_string())
    }
}

/// Largest number of items we read from any array or map a peer sends inside a message.
const MAX_ITEMS: u64 = 4096;

/// The known fields of any message, as read from the wire in any order.
#[derive(Default)]
struct Fields<'b> {
    ty: Option<&'b str>,
    sender_id: Option<&'b str>,
    target_id: Option<&'b str>,
    document_id: Option<DocumentId>,
    data: Option<&'b [u8]>,
    message: Option<&'b str>,
    supported_protocol_versions: Option<Vec<String>>,
    selected_protocol_version: Option<&'b str>,
    peer_metadata: Option<PeerMetadata>,
    count: Option<u64>,
    session_id: Option<&'b str>,
    add: Option<Vec<String>>,
    remove: Option<Vec<String>>,
    new_heads: Option<BTreeMap<String, HeadsAt>>,
}

impl Message {
    /// Reads one frame. Unknown keys are skipped; `undefined` and `null` count as absent.
    pub fn decode(frame: &[u8]) -> Result<Message, DecodeError> {
        let mut d = Decoder::new(frame);
        let fields = read_fields(&mut d)?;
        if d.position() != frame.len() {
            return Err(DecodeError::TrailingBytes(frame.len() - d.position()));
        }
        fields.into_message()
    }
}

fn read_fields<'b>(d: &mut Decoder<'b>) -> Result<Fields<'b>, DecodeError> {
    let mut f = Fields::default();
    for_each_entry(d, |d, key| {
        match key {
            "type" => f.ty = opt(d, |d| text(d, "type"))?,
            "senderId" => f.sender_id = opt(d, |d| text(d, "senderId"))?,
            "targetId" => f.target_id = opt(d, |d| text(d, "targetId"))?,
            "documentId" => f.document_id = opt(d, document_id)?,
            "data" => f.data = opt(d, |d| bytes(d, "data"))?,
            "message" => f.message = opt(d, |d| text(d, "message"))?,
            "supportedProtocolVersions" => {
                f.supported_protocol_versions = opt(d, |d| text_array(d, "supportedProtocolVersions"))?
            }
            "selectedProtocolVersion" => {
                f.selected_protocol_version = opt(d, |d| text(d, "selectedProtocolVersion"))?
            }
            // The protocol's README calls it `metadata`; every implementation sends `peerMetadata`.
            "peerMetadata" | "metadata" => f.peer_metadata = opt(d, peer_metadata)?,
            "count" => f.count = opt(d, |d| number(d, "count"))?,
            "sessionId" => f.session_id = opt(d, |d| text(d, "sessionId"))?,
            "add" => f.add = opt(d, |d| text_array(d, "add"))?,
            "remove" => f.remove = opt(d, |d| text_array(d, "remove"))?,
            "newHeads" => f.new_heads = opt(d, new_heads)?,
            _ => d.skip()?,
        }
        Ok(())
    })?;
    Ok(f)
}

impl Fields<'_> {
    fn into_message(self) -> Result<Message, DecodeError> {
        let ty = self.ty.ok_or(DecodeError::NoType)?;
        let message = match ty {
            "join" => Message::Join {
                sender_id: peer(self.sender_id, "join", "senderId")?,
                // automerge-repo treats a join without versions as offering version 1.
                supported_protocol_versions: self
                    .supported_protocol_versions
                    .unwrap_or_else(|| vec![super::PROTOCOL_VERSION.to_owned()]),
                peer_metadata: self.peer_metadata,
            },
            "peer" => Message::Peer {
                sender_id: peer(self.sender_id, "peer", "senderId")?,
                target_id: peer(self.target_id, "peer", "targetId")?,
                selected_protocol_version: need(
                    self.selected_protocol_version,
                    "peer",
                    "selectedProtocolVersion",
                )?
                .to_owned(),
                peer_metadata: self.peer_metadata,
            },
            "error" => Message::Error { message: need(self.message, "error", "message")?.to_owned() },
            "request" => Message::Request {
                sender_id: peer(self.sender_id, "request", "senderId")?,
                target_id: peer(self.target_id, "request", "targetId")?,
                document_id: need(self.document_id, "request", "documentId")?,
                data: need(self.data, "request", "data")?.to_vec(),
            },
            "sync" => Message::Sync {
                sender_id: peer(self.sender_id, "sync", "senderId")?,
                target_id: peer(self.target_id, "sync", "targetId")?,
                document_id: need(self.document_id, "sync", "documentId")?,
                data: need(self.data, "sync", "data")?.to_vec(),
            },
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: peer(self.sender_id, "doc-unavailable", "senderId")?,
                target_id: peer(self.target_id, "doc-unavailable", "targetId")?,
                document_id: need(self.document_id, "doc-unavailable", "documentId")?,
            },
            "ephemeral" => Message::Ephemeral {
                sender_id: peer(self.sender_id, "ephemeral", "senderId")?,
                target_id: peer(self.target_id, "ephemeral", "targetId")?,
                document_id: need(self.document_id, "ephemeral", "documentId")?,
                count: need(self.count, "ephemeral", "count")?,
                session_id: need(self.session_id, "ephemeral", "sessionId")?.to_owned(),
                data: need(self.data, "ephemeral", "data")?.to_vec(),
            },
            "remote-subscription-change" => Message::RemoteSubscriptionChange {
                sender_id: peer(self.sender_id, "remote-subscription-change", "senderId")?,
                target_id: peer(self.target_id, "remote-subscription-change", "targetId")?,
                add: self.add.unwrap_or_default(),
                remove: self.remove.unwrap_or_default(),
            },
            "remote-heads-changed" => Message::RemoteHeadsChanged {
                sender_id: peer(self.sender_id, "remote-heads-changed", "senderId")?,
                target_id: peer(self.target_id, "remote-heads-changed", "targetId")?,
                document_id: need(self.document_id, "remote-heads-changed", "documentId")?,
                new_heads: need(self.new_heads, "remote-heads-changed", "newHeads")?,
            },
            "change-refused" => Message::ChangeRefused {
                sender_id: peer(self.sender_id, "change-refused", "senderId")?,
                target_id: peer(self.target_id, "change-refused", "targetId")?,
                document_id: need(self.document_id, "change-refused", "documentId")?,
                message: need(self.message, "change-refused", "message")?.to_owned(),
            },
            "leave" => Message::Leave { sender_id: peer(self.sender_id, "leave", "senderId")? },
            other => return Err(DecodeError::UnknownType(crate::ids::echo(other))),
        };
        Ok(message)
    }
}

fn need<T>(value: Option<T>, message_type: &'static str, field: &'static str) -> Result<T, DecodeError> {
    value.ok_or(DecodeError::MissingField { message_type, field })
}

fn peer(value: Option<&str>, message_type: &'static str, field: &'static str) -> Result<PeerId, DecodeError> {
    need(value, message_type, field)?.parse().map_err(|_| DecodeError::EmptyPeerId(field))
}

/// Calls `entry` with each key of the map at the decoder's position; `entry` must consume the
/// value.
fn for_each_entry<'b>(
    d: &mut Decoder<'b>,
    mut entry: impl FnMut(&mut Decoder<'b>, &'b str) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    if !matches!(d.datatype()?, Type::Map | Type::MapIndef) {
        return Err(DecodeError::NotAMap);
    }
    match d.map()? {
        Some(len) => {
            for _ in 0..len {
                let key = key(d)?;
                entry(d, key)?;
            }
        }
        None => loop {
            if d.datatype()? == Type::Break {
                d.skip()?;
                break;
            }
            let key = key(d)?;
            entry(d, key)?;
        },
    }
    Ok(())
}

fn key<'b>(d: &mut Decoder<'b>) -> Result<&'b str, DecodeError> {
    match d.datatype()? {
        Type::String => Ok(d.str()?),
        _ => Err(DecodeError::KeyNotText),
    }
}

/// Reads a value, or `None` where the peer wrote `undefined` or `null`.
fn opt<'b, T>(
    d: &mut Decoder<'b>,
    read: impl FnOnce(&mut Decoder<'b>) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    match d.datatype()? {
        Type::Undefined | Type::Null => {
            d.skip()?;
            Ok(None)
        }
        _ => read(d).map(Some),
    }
}

fn text<'b>(d: &mut Decoder<'b>, field: &'static str) -> Result<&'b str, DecodeError> {
    d.str().map_err(|_| DecodeError::WrongType { field, expected: "text" })
}

fn bytes<'b>(d: &mut Decoder<'b>, field: &'static str) -> Result<&'b [u8], DecodeError> {
    d.bytes().map_err(|_| DecodeError::WrongType { field, expected: "a byte string" })
}

/// A non-negative whole number, written as an integer or (as JavaScript does past 2^32) a float.
fn number(d: &mut Decoder<'_>, field: &'static str) -> Result<u64, DecodeError> {
    let wrong = DecodeError::WrongType { field, expected: "a non-negative whole number" };
    match d.datatype()? {
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Ok(d.u64()?),
        Type::F32 | Type::F64 => {
            let value = d.f64()?;
            // 2^64 itself does not fit; everything below it that is whole does.
            if value.is_finite()
                && value >= 0.0
                && value.fract() == 0.0
                && value < 18_446_744_073_709_551_616.0
            {
                Ok(value as u64)
            } else {
                Err(wrong)
            }
        }
        _ => Err(wrong),
    }
}

fn array_len(d: &mut Decoder<'_>, field: &'static str) -> Result<u64, DecodeError> {
    match d.array().map_err(|_| DecodeError::WrongType { field, expected: "an array" })? {
        Some(len) if len <= MAX_ITEMS => Ok(len),
        _ => Err(DecodeError::WrongType { field, expected: "an array of at most 4096 items with a length" }),
    }
}

fn text_array(d: &mut Decoder<'_>, field: &'static str) -> Result<Vec<String>, DecodeError> {
    let len = array_len(d, field)?;
    (0..len).map(|_| text(d, field).map(str::to_owned)).collect()
}

fn document_id(d: &mut Decoder<'_>) -> Result<DocumentId, DecodeError> {
    match d.datatype()? {
        Type::String => d.str()?.parse().map_err(DecodeError::BadDocumentId),
        Type::Bytes => {
            let raw = d.bytes()?;
            let array: [u8; 16] = raw
                .try_into()
                .map_err(|_| DecodeError::BadDocumentId(ParseIdError::WrongLength(raw.len())))?;
            Ok(DocumentId::from_bytes(array))
        }
        _ => Err(DecodeError::WrongType { field: "documentId", expected: "text" }),
    }
}

fn peer_metadata(d: &mut Decoder<'_>) -> Result<PeerMetadata, DecodeError> {
    let mut meta = PeerMetadata::default();
    for_each_entry(d, |d, key| {
        match key {
            "storageId" => meta.storage_id = opt(d, |d| text(d, "storageId"))?.map(str::to_owned),
            "isEphemeral" => {
                meta.is_ephemeral = opt(d, |d| {
                    d.bool()
                        .map_err(|_| DecodeError::WrongType { field: "isEphemeral", expected: "a boolean" })
                })?
            }
            _ => d.skip()?,
        }
        Ok(())
    })?;
    Ok(meta)
}

fn new_heads(d: &mut Decoder<'_>) -> Result<BTreeMap<String, HeadsAt>, DecodeError> {
    let mut all = BTreeMap::new();
    for_each_entry(d, |d, storage_id| {
        if all.len() as u64 >= MAX_ITEMS {
            return Err(DecodeError::WrongType {
                field: "newHeads",
                expected: "a map of at most 4096 storages",
            });
        }
        let mut heads = None;
        let mut timestamp = None;
        for_each_entry(d, |d, key| {
            match key {
                "heads" => heads = opt(d, |d| text_array(d, "heads"))?,
                "timestamp" => timestamp = opt(d, |d| number(d, "timestamp"))?,
                _ => d.skip()?,
            }
            Ok(())
        })?;
        let heads_at = HeadsAt {
            heads: need(heads, "remote-heads-changed", "heads")?,
            timestamp: need(timestamp, "remote-heads-changed", "timestamp")?,
        };
        all.insert(storage_id.to_owned(), heads_at);
        Ok(())
    })?;
    Ok(all)
}
