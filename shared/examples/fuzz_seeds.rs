//! Writes seed inputs for the fuzz targets (see `fuzz/`): real frames from a real exchange,
//! so that the fuzzer starts from messages the relay accepts and mutates from there.
//!
//! `cargo run -p launchplan-shared --example fuzz_seeds -- fuzz/corpus`

use std::path::PathBuf;

use launchplan_shared::domain::{Project, ProjectKind, Task, commands};
use launchplan_shared::protocol::{Message, PeerMetadata};
use launchplan_shared::sync::{Client, ClientEffect};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz/corpus".into()));
    let (decode, relay) = (root.join("decode"), root.join("relay_messages"));
    std::fs::create_dir_all(&decode)?;
    std::fs::create_dir_all(&relay)?;

    // A client that joins, creates a plan with tasks, and sends what it would send.
    let mut client = Client::new("browser-seed".parse()?, PeerMetadata::default());
    let mut frames = Vec::new();
    for effect in client.connection_opened() {
        if let ClientEffect::Send(frame) = effect {
            frames.push(frame);
        }
    }
    let answer = Message::Peer {
        sender_id: "relay".parse()?,
        target_id: "browser-seed".parse()?,
        selected_protocol_version: "1".into(),
        peer_metadata: Some(PeerMetadata { storage_id: Some("s".into()), is_ephemeral: Some(false) }),
    };
    client.receive_frame(&answer.encode());
    let project = Project::new("新品首发", ProjectKind::Launch, 1);
    let (doc, effects) = client.create(|tx| commands::create_project(tx, &project))?;
    let mut all = effects;
    let task = Task::new("市场调研", None, 2);
    all.extend(client.change(&doc, |tx| commands::add_task(tx, &task)).ok_or("open")??.1);
    for effect in all {
        if let ClientEffect::Send(frame) = effect {
            frames.push(frame);
        }
    }
    frames.push(
        Message::Ephemeral {
            sender_id: "browser-seed".parse()?,
            target_id: "relay".parse()?,
            document_id: doc,
            count: 1,
            session_id: "abc".into(),
            data: vec![0xa0],
        }
        .encode(),
    );

    let mut sequence = Vec::new();
    for (n, frame) in frames.iter().enumerate() {
        std::fs::write(decode.join(format!("frame-{n}")), frame)?;
        if frame.len() <= 255 {
            sequence.push(frame.len() as u8);
            sequence.extend_from_slice(frame);
            std::fs::write(relay.join(format!("sequence-{n}")), &sequence)?;
        }
    }
    println!("wrote {} frames to {}", frames.len(), root.display());
    Ok(())
}
