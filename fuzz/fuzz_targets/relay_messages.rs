//! Any sequence of frames on one connection, handled the way the relay handles them: the
//! handshake, routing, and each document's sync engine. Nothing may panic.
#![no_main]

use std::collections::BTreeMap;

use launchplan_shared::protocol::PeerMetadata;
use launchplan_shared::sync::{DocEngine, ServerAction, ServerConnection};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let relay = "relay".parse().expect("peer id");
    let mut connection = ServerConnection::new(relay, PeerMetadata::default());
    let mut docs = BTreeMap::new();
    // Frames are length-prefixed (one byte) so that the fuzzer can build several.
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        let (frame, next) = tail.split_at((len as usize).min(tail.len()));
        rest = next;
        match connection.receive(frame) {
            ServerAction::Route { doc, from, request } => {
                let engine = docs
                    .entry(doc)
                    .or_insert_with(|| DocEngine::new(doc, "relay".parse().expect("peer id")));
                let mut out = Vec::new();
                if engine.receive(&from, &request, &mut out).is_err() {
                    return;
                }
            }
            ServerAction::Refuse { .. } | ServerAction::Close { .. } => return,
            ServerAction::Joined { .. } | ServerAction::Subscribe { .. } | ServerAction::Nothing => {}
        }
    }
});
