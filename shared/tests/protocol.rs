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

    /// Random bytes are refused at the first byte; damaged real messages reach every field.
    #[test]
    fn a_damaged_message_is_refused_clearly_or_read_as_a_sound_message(
        msg in message(),
        damages in proptest::collection::vec(damage(), 1..4),
    ) {
        let mut frame = msg.encode();
        for damage in &damages {
            damage.apply(&mut frame);
        }
        prop_assert_eq!(judge(&frame), Ok(()), "{:?} gave {:02x?}", damages, frame);
    }

    #[test]
    fn a_truncated_message_is_refused(msg in message(), cut in any::<prop::sample::Index>()) {
        let frame = msg.encode();
        let cut = cut.index(frame.len());
        prop_assert!(Message::decode(&frame[..cut]).is_err());
    }
}

/// One way a frame gets damaged on its way.
#[derive(Debug, Clone)]
enum Damage {
    /// One byte's bits flipped (the mask is never 0).
    Flip(prop::sample::Index, u8),
    /// One byte replaced.
    Set(prop::sample::Index, u8),
    Remove(prop::sample::Index),
    Insert(prop::sample::Index, u8),
    Truncate(prop::sample::Index),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1u8..=255).prop_map(|(at, mask)| Damage::Flip(at, mask)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, byte)| Damage::Set(at, byte)),
        any::<prop::sample::Index>().prop_map(Damage::Remove),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, byte)| Damage::Insert(at, byte)),
        any::<prop::sample::Index>().prop_map(Damage::Truncate),
    ]
}

impl Damage {
    fn apply(&self, frame: &mut Vec<u8>) {
        let len = frame.len();
        if len == 0 {
            return;
        }
        match self {
            Damage::Flip(at, mask) => frame[at.index(len)] ^= mask,
            Damage::Set(at, byte) => frame[at.index(len)] = *byte,
            Damage::Remove(at) => {
                frame.remove(at.index(len));
            }
            Damage::Insert(at, byte) => frame.insert(at.index(len + 1), *byte),
            Damage::Truncate(at) => frame.truncate(at.index(len)),
        }
    }
}

/// What the decoder must make of any frame: a message sound enough to survive its own round
/// trip, or a short error whose text (what the relay sends back) says what is wrong.
fn judge(frame: &[u8]) -> Result<(), String> {
    match Message::decode(frame) {
        Ok(message) => match Message::decode(&message.encode()) {
            Ok(again) if again == message => Ok(()),
            again => Err(format!("read as {message:?}, which comes back as {again:?}")),
        },
        Err(error) => {
            let text = error.to_string();
            let clear = text.starts_with("malformed ") || text.starts_with("unknown message type ");
            // It goes back to the peer: it names what was wrong, not the whole frame again.
            if clear && text.chars().count() <= 200 { Ok(()) } else { Err(format!("unclear error {text:?}")) }
        }
    }
}

/// How many kinds of message there are. The match below stops compiling when a kind is added,
/// as a reminder to give it a sample and count it here.
const KINDS: usize = 11;

#[allow(dead_code)]
fn every_kind_is_counted(message: &Message) {
    use Message::*;
    match message {
        Join { .. } | Peer { .. } | Error { .. } | Request { .. } | Sync { .. } | DocUnavailable { .. } => {}
        Ephemeral { .. } | RemoteSubscriptionChange { .. } | RemoteHeadsChanged { .. } | Leave { .. } => {}
        ChangeRefused { .. } => {}
    }
}

/// One message of every kind, with every optional field present.
fn one_of_each_kind() -> Vec<Message> {
    let a: PeerId = "peer-4kq2a".parse().expect("peer");
    let b: PeerId = "relay-7".parse().expect("peer");
    let doc = DocumentId::from_bytes([0x5a; 16]);
    vec![
        Message::Join {
            sender_id: a.clone(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: Some(PeerMetadata {
                storage_id: Some("3760df37-a4c6-4f66-9ecd-732039a9385d".into()),
                is_ephemeral: Some(false),
            }),
        },
        Message::Peer {
            sender_id: b.clone(),
            target_id: a.clone(),
            selected_protocol_version: "1".into(),
            peer_metadata: Some(PeerMetadata { storage_id: None, is_ephemeral: Some(true) }),
        },
        Message::Error { message: "malformed frame: a message must be a CBOR map".into() },
        Message::Request {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc,
            data: vec![0x42, 0, 1, 0xff],
        },
        Message::Sync {
            sender_id: b.clone(),
            target_id: a.clone(),
            document_id: doc,
            data: (0..40).collect(),
        },
        Message::DocUnavailable { sender_id: b.clone(), target_id: a.clone(), document_id: doc },
        Message::ChangeRefused {
            sender_id: b.clone(),
            target_id: a.clone(),
            document_id: doc,
            message: "your role may not change dates and dependencies".into(),
        },
        Message::Ephemeral {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc,
            count: 70_000,
            session_id: "s1".into(),
            data: vec![0xa1, 0x61, 0x78, 0x01],
        },
        Message::RemoteSubscriptionChange {
            sender_id: a.clone(),
            target_id: b.clone(),
            add: vec!["storage-1".into()],
            remove: vec!["storage-2".into()],
        },
        Message::RemoteHeadsChanged {
            sender_id: b.clone(),
            target_id: a.clone(),
            document_id: doc,
            new_heads: BTreeMap::from([(
                "storage-1".to_owned(),
                HeadsAt { heads: vec!["3vXy2".into()], timestamp: 1_764_072_000_123 },
            )]),
        },
        Message::Leave { sender_id: a },
    ]
}

#[test]
fn every_one_byte_damage_to_every_kind_of_message_is_refused_clearly_or_read_soundly() {
    let samples = one_of_each_kind();
    let kinds: std::collections::BTreeSet<&str> = samples.iter().map(Message::type_name).collect();
    assert_eq!(kinds.len(), KINDS, "a sample of every kind");
    for sample in &samples {
        let frame = sample.encode();
        assert_eq!(Message::decode(&frame).as_ref(), Ok(sample), "undamaged, it reads back as it was");
        let mut damaged = Vec::new();
        for at in 0..frame.len() {
            let mut with = |change: &dyn Fn(&mut Vec<u8>)| {
                let mut copy = frame.clone();
                change(&mut copy);
                damaged.push(copy);
            };
            for bit in 0..8 {
                with(&|f| f[at] ^= 1 << bit);
            }
            // Zero, `undefined`, `null`, a break, and the indefinite-length headers.
            for byte in [0x00, 0xf7, 0xf6, 0xff, 0x5f, 0x7f, 0x9f, 0xbf] {
                with(&|f| f[at] = byte);
                with(&|f| f.insert(at, byte));
            }
            with(&|f| {
                f.remove(at);
            });
            with(&|f| f.truncate(at));
        }
        let mut refused = 0;
        for frame in &damaged {
            if let Err(problem) = judge(frame) {
                panic!("{}: {problem} for {frame:02x?}", sample.type_name());
            }
            refused += usize::from(Message::decode(frame).is_err());
        }
        assert!(refused > damaged.len() / 2, "{}: most damage is noticed", sample.type_name());
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
    assert_eq!(Message::decode(&unknown), Err(DecodeError::UnknownType("\"teleport\"".into())));

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
