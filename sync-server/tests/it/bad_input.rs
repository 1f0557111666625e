use futures::SinkExt;
use launchplan_shared::domain::commands;
use launchplan_shared::protocol::Message;
use minicbor::Encoder;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::support::{Socket, WsPeer, joined, next_message, start_relay};

/// Sends `frame` and expects an `error` message saying `expected` followed by the close.
async fn refused(socket: &mut Socket, frame: WsMessage, expected: &str) -> anyhow::Result<()> {
    socket.send(frame).await?;
    match next_message(socket).await? {
        Some(Message::Error { message }) => {
            assert!(message.contains(expected), "error {message:?} should mention {expected:?}")
        }
        other => anyhow::bail!("expected an error mentioning {expected:?}, got {other:?}"),
    }
    assert_eq!(next_message(socket).await?, None, "the connection is closed after the error");
    Ok(())
}

fn cbor_map(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    let _ = e.map(entries.len() as u64);
    for (k, v) in entries {
        let _ = e.str(k).and_then(|e| e.str(v));
    }
    e.into_writer()
}

#[tokio::test]
async fn bad_frames_close_only_their_own_connection_and_lose_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let url = relay.sync_url();
    let mut good = WsPeer::connect(&url, "browser-good").await?;
    let (doc, tasks) = good.create_project("新品首发", &["市场调研"]).await?;

    let mut s = joined(&url, "bad-1").await?;
    refused(&mut s, WsMessage::Binary(b"definitely not cbor".to_vec().into()), "malformed frame").await?;

    let mut s = joined(&url, "bad-2").await?;
    let teleport = cbor_map(&[("type", "teleport"), ("senderId", "bad-2"), ("targetId", "relay")]);
    refused(&mut s, WsMessage::Binary(teleport.into()), "unknown message type").await?;

    let mut s = joined(&url, "bad-3").await?;
    let garbage_id =
        cbor_map(&[("type", "sync"), ("senderId", "bad-3"), ("targetId", "r"), ("documentId", "garbage")]);
    refused(&mut s, WsMessage::Binary(garbage_id.into()), "documentId").await?;

    let mut s = joined(&url, "bad-4").await?;
    let bad_sync = Message::Sync {
        sender_id: "bad-4".parse()?,
        target_id: "relay".parse()?,
        document_id: doc,
        data: vec![0x42, 0x13, 0x37],
    };
    refused(&mut s, WsMessage::Binary(bad_sync.encode().into()), "malformed sync message").await?;

    let mut s = joined(&url, "bad-5").await?;
    let impostor = Message::Sync {
        sender_id: "browser-good".parse()?,
        target_id: "relay".parse()?,
        document_id: doc,
        data: vec![],
    };
    refused(&mut s, WsMessage::Binary(impostor.encode().into()), "is not the peer that joined").await?;

    let mut s = joined(&url, "bad-6").await?;
    refused(&mut s, WsMessage::Text("{\"type\":\"join\"}".into()), "binary").await?;

    let mut s = crate::support::upgrade(&url, &[]).await?;
    let early = Message::Leave { sender_id: "bad-7".parse()? };
    refused(&mut s, WsMessage::Binary(early.encode().into()), "expected a join message").await?;

    // The good connection never noticed, and the document is whole.
    good.edit(doc, |tx| commands::rename_task(tx, tasks[0].id, "市场调研（完成）")).await?;
    good.pump_until(|p| p.client.in_sync(&doc)).await?;
    let mut fresh = WsPeer::connect(&url, "browser-fresh").await?;
    fresh.fetch(doc).await?;
    assert_eq!(fresh.project(doc)?.tasks[&tasks[0].id].title, "市场调研（完成）");
    Ok(())
}
