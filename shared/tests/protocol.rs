//! The wire codec: every message survives a round trip, frames shaped the way the JavaScript
//! library writes them decode, and bad frames are refused with a reason.

use std::collections::BTreeMap;

use launchplan_shared::protocol::{DecodeError, HeadsAt, Message, PeerMetadata};
use launchplan_shared::{DocumentId, PeerId};
use minicbor::Encoder;
use proptest::prelude::*;

fn peer_id() -> impl Strategy<Value = PeerId> {
    "[a-z0-9-]{1,24}".prop_map(|s| s.parse().expect("non-empty"))
}

fn doc_id() -> impl Strategy<Value = DocumentId> {
    any::<[u8; 16]>().prop_map(DocumentId::from_bytes)
}

fn metadata() -> impl Strategy<Value = Option<PeerMetadata>> {
    proptest::option::of((proptest::option::of("[a-f0-9-]{0,36}"), proptest::option::of(any::<bool>())))
        .prop_map(|m| m.map(|(storage_id, is_ephemeral)| PeerMetadata { storage_id, is_ephemeral }))
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..256)
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("\\PC{0,12}", 0..4)
}

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        (peer_id(), texts(), metadata()).prop_map(
            |(sender_id, supported_protocol_versions, peer_metadata)| {
                Message::Join { sender_id, supported_protocol_versions, peer_metadata }
            }
        ),
        (peer_id(), peer_id(), "\\PC{0,4}", metadata()).prop_map(
            |(sender_id, target_id, selected_protocol_version, peer_metadata)| Message::Peer {
                sender_id,
                target_id,
                selected_protocol_version,
                peer_metadata
            }
        ),
        "\\PC{0,80}".prop_map(|message| Message::Error { message }),
        (peer_id(), peer_id(), doc_id(), bytes()).prop_map(|(sender_id, target_id, document_id, data)| {
            Message::Request { sender_id, target_id, document_id, data }
        }),
        (peer_id(), peer_id(), doc_id(), bytes()).prop_map(|(sender_id, target_id, document_id, data)| {
            Message::Sync { sender_id, target_id, document_id, data }
        }),
        (peer_id(), peer_id(), doc_id()).prop_map(|(sender_id, target_id, document_id)| {
            Message::DocUnavailable { sender_id, target_id, document_id }
        }),
        (peer_id(), peer_id(), doc_id(), any::<u64>(), "[a-z0-9]{0,12}", bytes()).prop_map(
            |(sender_id, target_id, document_id, count, session_id, data)| Message::Ephemeral {
                sender_id,
                target_id,
                document_id,
                count,
                session_id,
                data
            }
        ),
        (peer_id(), peer_id(), texts(), texts()).prop_map(|(sender_id, target_id, add, remove)| {
            Message::RemoteSubscriptionChange { sender_id, target_id, add, remove }
        }),
        (
            peer_id(),
            peer_id(),
            doc_id(),
            proptest::collection::btree_map("[a-f0-9]{1,8}", (texts(), any::<u64>()), 0..3)
        )
            .prop_map(|(sender_id, target_id, document_id, heads)| {
                Message::RemoteHeadsChanged {
                    sender_id,
                    target_id,
                    document_id,
                    new_heads: heads
                        .into_iter()
                        .map(|(k, (heads, timestamp))| (k, HeadsAt { heads, timestamp }))
                        .collect(),
                }
            }),
        peer_id().prop_map(|sender_id| Message::Leave { sender_id }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_message_survives_a_round_trip(msg in message()) {
        prop_assert_eq!(Message::decode(&msg.encode()), Ok(msg));
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(frame in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Message::decode(&frame);
    }

    #[test]
    fn a_truncated_message_is_refused(msg in message(), cut in any::<prop::sample::Index>()) {
        let frame = msg.encode();
        let cut = cut.index(frame.len());
        prop_assert!(Message::decode(&frame[..cut]).is_err());
    }
}

/// Writes a map the way cbor-x does: a two-byte length header whatever the size.
fn js_map(entries: usize, body: impl FnOnce(&mut Encoder<Vec<u8>>)) -> Vec<u8> {
    let mut frame = vec![0xb9, 0, entries as u8];
    let mut e = Encoder::new(Vec::new());
    body(&mut e);
    frame.extend(e.into_writer());
    frame
}

#[test]
fn a_javascript_join_decodes() {
    // Keys out of order, a non-minimal map header, `undefined` for storageId and an unknown key.
    let frame = js_map(5, |e| {
        e.str("senderId").and_then(|e| e.str("peer-4kq2a")).expect("write");
        e.str("peerMetadata").expect("write");
        e.writer_mut().extend([0xb9, 0, 2]);
        e.str("storageId").and_then(|e| e.undefined()).expect("write");
        e.str("isEphemeral").and_then(|e| e.bool(true)).expect("write");
        e.str("supportedProtocolVersions").and_then(|e| e.array(1)).and_then(|e| e.str("1")).expect("write");
        e.str("somethingNew").and_then(|e| e.f64(1.5)).expect("write");
        e.str("type").and_then(|e| e.str("join")).expect("write");
    });
    assert_eq!(
        Message::decode(&frame),
        Ok(Message::Join {
            sender_id: "peer-4kq2a".parse().expect("peer"),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: Some(PeerMetadata { storage_id: None, is_ephemeral: Some(true) }),
        })
    );
}

#[test]
fn javascript_floats_for_counts_and_timestamps_are_accepted() {
    let doc = DocumentId::random();
    let frame = js_map(6, |e| {
        e.str("type").and_then(|e| e.str("remote-heads-changed")).expect("write");
        e.str("senderId").and_then(|e| e.str("a")).expect("write");
        e.str("targetId").and_then(|e| e.str("b")).expect("write");
        e.str("documentId").and_then(|e| e.str(&doc.to_string())).expect("write");
        e.str("newHeads")
            .and_then(|e| e.map(1))
            .and_then(|e| e.str("storage-1"))
            .and_then(|e| e.map(2))
            .expect("write");
        e.str("heads").and_then(|e| e.array(0)).expect("write");
        e.str("timestamp").and_then(|e| e.f64(1_764_072_000_123.0)).expect("write");
        e.str("remove").and_then(|e| e.undefined()).expect("write");
    });
    let expected = Message::RemoteHeadsChanged {
        sender_id: "a".parse().expect("peer"),
        target_id: "b".parse().expect("peer"),
        document_id: doc,
        new_heads: BTreeMap::from([(
            "storage-1".to_owned(),
            HeadsAt { heads: vec![], timestamp: 1_764_072_000_123 },
        )]),
    };
    assert_eq!(Message::decode(&frame), Ok(expected));
}

#[test]
fn bad_frames_are_refused_with_a_reason() {
    assert!(matches!(Message::decode(b"hello, relay"), Err(DecodeError::NotAMap)));
    assert!(matches!(Message::decode(&[0xb9, 0, 1]), Err(DecodeError::Cbor(_))));
    assert!(matches!(Message::decode(&[]), Err(DecodeError::Cbor(_))));

    let unknown = js_map(2, |e| {
        e.str("type").and_then(|e| e.str("teleport")).expect("write");
        e.str("senderId").and_then(|e| e.str("a")).expect("write");
    });
    assert_eq!(Message::decode(&unknown), Err(DecodeError::UnknownType("teleport".into())));

    let garbage_doc = js_map(5, |e| {
        e.str("type").and_then(|e| e.str("sync")).expect("write");
        e.str("senderId").and_then(|e| e.str("a")).expect("write");
        e.str("targetId").and_then(|e| e.str("b")).expect("write");
        e.str("documentId").and_then(|e| e.str("not-a-document")).expect("write");
        e.str("data").and_then(|e| e.bytes(&[1, 2, 3])).expect("write");
    });
    assert!(matches!(Message::decode(&garbage_doc), Err(DecodeError::BadDocumentId(_))));

    let no_data = js_map(4, |e| {
        e.str("type").and_then(|e| e.str("sync")).expect("write");
        e.str("senderId").and_then(|e| e.str("a")).expect("write");
        e.str("targetId").and_then(|e| e.str("b")).expect("write");
        e.str("documentId").and_then(|e| e.str(&DocumentId::random().to_string())).expect("write");
    });
    assert_eq!(
        Message::decode(&no_data),
        Err(DecodeError::MissingField { message_type: "sync", field: "data" })
    );

    let mut trailing = Message::Leave { sender_id: "a".parse().expect("peer") }.encode();
    trailing.push(0);
    assert_eq!(Message::decode(&trailing), Err(DecodeError::TrailingBytes(1)));
}
