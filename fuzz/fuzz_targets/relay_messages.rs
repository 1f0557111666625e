//! Any sequence of frames on one connection, handled the way the relay handles them: the
//! handshake, routing, and each document's hub (its sync engine and the check of what the
//! sender may write). Nothing may panic.
#![no_main]

use std::collections::BTreeMap;

use launchplan_shared::domain::Role;
use launchplan_shared::domain::permissions::WriteRule;
use launchplan_shared::protocol::PeerMetadata;
use launchplan_shared::sync::{Arrival, DocEngine, DocHub, HubEffect, ServerAction, ServerConnection};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&role, mut rest)) = data.split_first() else { return };
    // The first byte says what the sender may write, so that every kind of check runs.
    let writes = match role % 5 {
        0 => WriteRule::Everything,
        1 => WriteRule::Nothing,
        2 => WriteRule::for_plan(&[Role::ContentEditor]),
        3 => WriteRule::for_workspace(&[Role::Editor]),
        _ => WriteRule::CommentsBy("5f0c1b6e2d3a4e8f9a0b1c2d3e4f5a6b".parse().expect("member id")),
    };
    let relay = "relay".parse().expect("peer id");
    let mut connection = ServerConnection::new(relay, PeerMetadata::default());
    let mut docs = BTreeMap::new();
    // Frames are length-prefixed (one byte) so that the fuzzer can build several.
    while let Some((&len, tail)) = rest.split_first() {
        let (frame, next) = tail.split_at((len as usize).min(tail.len()));
        rest = next;
        match connection.receive(frame) {
            ServerAction::Route { doc, from, request } => {
                let hub = docs.entry(doc).or_insert_with(|| {
                    let relay = "relay".parse().expect("peer id");
                    DocHub::new(DocEngine::new(doc, relay), "relay".parse().expect("peer id"), "storage".to_owned())
                });
                let arrival = Arrival { from, conn: 1, storage: None, request, writes: writes.clone() };
                let mut out = Vec::new();
                hub.receive(arrival, 0, &|_, _| true, &mut out);
                hub.compact(&mut out);
                if out.iter().any(|e| matches!(e, HubEffect::Refuse { .. })) {
                    return;
                }
            }
            ServerAction::Refuse { .. } | ServerAction::Close { .. } => return,
            ServerAction::Joined { .. } | ServerAction::Subscribe { .. } | ServerAction::Nothing => {}
        }
    }
});
