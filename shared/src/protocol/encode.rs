use std::convert::Infallible;

use minicbor::Encoder;
use minicbor::encode::Error;

use super::{HeadsAt, Message, PeerMetadata};

type Enc = Encoder<Vec<u8>>;
type Result = std::result::Result<(), Error<Infallible>>;

impl Message {
    /// Writes the message as one minimal CBOR map, absent optional fields left out.
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::with_capacity(self.encoded_len_hint()));
        // Writing into a Vec cannot fail.
        let _ = self.write(&mut e);
        e.into_writer()
    }

    fn encoded_len_hint(&self) -> usize {
        match self {
            Message::Request { data, .. } | Message::Sync { data, .. } | Message::Ephemeral { data, .. } => {
                data.len() + 160
            }
            _ => 160,
        }
    }

    fn write(&self, e: &mut Enc) -> Result {
        match self {
            Message::Join { sender_id, supported_protocol_versions, peer_metadata } => {
                e.map(3 + u64::from(peer_metadata.is_some()))?;
                e.str("type")?.str("join")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("supportedProtocolVersions")?.array(supported_protocol_versions.len() as u64)?;
                for version in supported_protocol_versions {
                    e.str(version)?;
                }
                write_metadata(e, peer_metadata.as_ref())?;
            }
            Message::Peer { sender_id, target_id, selected_protocol_version, peer_metadata } => {
                e.map(4 + u64::from(peer_metadata.is_some()))?;
                e.str("type")?.str("peer")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("selectedProtocolVersion")?.str(selected_protocol_version)?;
                write_metadata(e, peer_metadata.as_ref())?;
            }
            Message::Error { message } => {
                e.map(2)?.str("type")?.str("error")?.str("message")?.str(message)?;
            }
            Message::Request { sender_id, target_id, document_id, data }
            | Message::Sync { sender_id, target_id, document_id, data } => {
                e.map(5)?.str("type")?.str(self.type_name())?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("documentId")?.str(&document_id.to_string())?;
                e.str("data")?.bytes(data)?;
            }
            Message::ChangeRefused { sender_id, target_id, document_id, message } => {
                e.map(5)?.str("type")?.str("change-refused")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("documentId")?.str(&document_id.to_string())?;
                e.str("message")?.str(message)?;
            }
            Message::DocUnavailable { sender_id, target_id, document_id } => {
                e.map(4)?.str("type")?.str("doc-unavailable")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("documentId")?.str(&document_id.to_string())?;
            }
            Message::Ephemeral { sender_id, target_id, document_id, count, session_id, data } => {
                e.map(7)?.str("type")?.str("ephemeral")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("documentId")?.str(&document_id.to_string())?;
                e.str("count")?.u64(*count)?;
                e.str("sessionId")?.str(session_id)?;
                e.str("data")?.bytes(data)?;
            }
            Message::RemoteSubscriptionChange { sender_id, target_id, add, remove } => {
                e.map(5)?.str("type")?.str("remote-subscription-change")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("add")?;
                write_texts(e, add)?;
                e.str("remove")?;
                write_texts(e, remove)?;
            }
            Message::RemoteHeadsChanged { sender_id, target_id, document_id, new_heads } => {
                e.map(5)?.str("type")?.str("remote-heads-changed")?;
                e.str("senderId")?.str(sender_id.as_str())?;
                e.str("targetId")?.str(target_id.as_str())?;
                e.str("documentId")?.str(&document_id.to_string())?;
                e.str("newHeads")?.map(new_heads.len() as u64)?;
                for (storage_id, HeadsAt { heads, timestamp }) in new_heads {
                    e.str(storage_id)?.map(2)?;
                    e.str("heads")?;
                    write_texts(e, heads)?;
                    e.str("timestamp")?.u64(*timestamp)?;
                }
            }
            Message::Leave { sender_id } => {
                e.map(2)?.str("type")?.str("leave")?.str("senderId")?.str(sender_id.as_str())?;
            }
        }
        Ok(())
    }
}

fn write_texts(e: &mut Enc, texts: &[String]) -> Result {
    e.array(texts.len() as u64)?;
    for text in texts {
        e.str(text)?;
    }
    Ok(())
}

fn write_metadata(e: &mut Enc, meta: Option<&PeerMetadata>) -> Result {
    let Some(meta) = meta else { return Ok(()) };
    e.str("peerMetadata")?;
    e.map(u64::from(meta.storage_id.is_some()) + u64::from(meta.is_ephemeral.is_some()))?;
    if let Some(storage_id) = &meta.storage_id {
        e.str("storageId")?.str(storage_id)?;
    }
    if let Some(is_ephemeral) = meta.is_ephemeral {
        e.str("isEphemeral")?.bool(is_ephemeral)?;
    }
    Ok(())
}
