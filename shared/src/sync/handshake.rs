use crate::PeerId;
use crate::protocol::{Message, PROTOCOL_VERSION, PeerMetadata};

/// Why a connection's opening exchange failed. The text is what goes into the `error` message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    #[error("expected a join message, got {0}")]
    ExpectedJoin(&'static str),
    #[error("expected a peer message, got {0}")]
    ExpectedPeer(&'static str),
    #[error("unsupported protocol version")]
    UnsupportedVersion,
    #[error("the other side refused the connection: {0}")]
    Refused(String),
}

/// What the connecting side sends first.
pub fn join_message(me: &PeerId, metadata: PeerMetadata) -> Message {
    Message::Join {
        sender_id: me.clone(),
        supported_protocol_versions: vec![PROTOCOL_VERSION.to_owned()],
        peer_metadata: Some(metadata),
    }
}

/// The listening side's answer to the first message: the peer that joined and the `peer`
/// message to send back.
pub fn accept_join(
    first: Message,
    me: &PeerId,
    metadata: PeerMetadata,
) -> Result<(PeerId, Message), HandshakeError> {
    let Message::Join { sender_id, supported_protocol_versions, .. } = first else {
        return Err(HandshakeError::ExpectedJoin(first.type_name()));
    };
    if !supported_protocol_versions.iter().any(|v| v == PROTOCOL_VERSION) {
        return Err(HandshakeError::UnsupportedVersion);
    }
    let reply = Message::Peer {
        sender_id: me.clone(),
        target_id: sender_id.clone(),
        selected_protocol_version: PROTOCOL_VERSION.to_owned(),
        peer_metadata: Some(metadata),
    };
    Ok((sender_id, reply))
}

/// The connecting side's reading of the listener's answer: the listener's peer id.
pub fn accept_peer(answer: Message) -> Result<(PeerId, Option<PeerMetadata>), HandshakeError> {
    match answer {
        Message::Peer { sender_id, selected_protocol_version, peer_metadata, .. } => {
            if selected_protocol_version == PROTOCOL_VERSION {
                Ok((sender_id, peer_metadata))
            } else {
                Err(HandshakeError::UnsupportedVersion)
            }
        }
        Message::Error { message } => Err(HandshakeError::Refused(message)),
        other => Err(HandshakeError::ExpectedPeer(other.type_name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(s: &str) -> PeerId {
        s.parse().expect("peer id")
    }

    #[test]
    fn a_join_is_answered_and_the_answer_accepted() {
        let join = join_message(&peer("browser"), PeerMetadata::default());
        let (joined, reply) = accept_join(join, &peer("relay"), PeerMetadata::default()).expect("join");
        assert_eq!(joined, peer("browser"));
        assert_eq!(accept_peer(reply).expect("peer").0, peer("relay"));
    }

    #[test]
    fn anything_but_a_version_1_join_is_refused() {
        let future = Message::Join {
            sender_id: peer("x"),
            supported_protocol_versions: vec!["2".into()],
            peer_metadata: None,
        };
        assert_eq!(
            accept_join(future, &peer("r"), PeerMetadata::default()),
            Err(HandshakeError::UnsupportedVersion)
        );
        let early = Message::Leave { sender_id: peer("x") };
        assert_eq!(
            accept_join(early, &peer("r"), PeerMetadata::default()),
            Err(HandshakeError::ExpectedJoin("leave"))
        );
        assert_eq!(
            accept_peer(Message::Error { message: "no".into() }),
            Err(HandshakeError::Refused("no".into()))
        );
    }
}
