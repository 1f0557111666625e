//! `remote-subscription-change` / `remote-heads-changed`: a peer that subscribes to another
//! peer's storage hears what that storage holds of the documents they share.

use futures::SinkExt;
use launchplan_shared::domain::commands;
use launchplan_shared::protocol::{Message, PeerMetadata, encode_heads};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::support::{WsPeer, joined_with, next_message, start_relay};

#[tokio::test]
async fn a_subscriber_hears_the_heads_of_the_storage_it_follows() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let storage = PeerMetadata { storage_id: Some("laptop-storage".into()), is_ephemeral: Some(false) };
    let mut laptop = WsPeer::connect_with(&relay.sync_url(), "laptop", storage).await?;
    let (doc, tasks) = laptop.create_project("618 大促", &["页面优化"]).await?;

    // A watcher (say, a dashboard) follows the laptop's storage and syncs the plan.
    let mut watcher = joined_with(&relay.sync_url(), "watcher", None).await?;
    let subscribe = Message::RemoteSubscriptionChange {
        sender_id: "watcher".parse()?,
        target_id: "relay".parse()?,
        add: vec!["laptop-storage".into()],
        remove: vec![],
    };
    watcher.send(WsMessage::Binary(subscribe.encode().into())).await?;
    let mut sync = automerge::sync::State::new();
    let request = automerge::sync::SyncDoc::generate_sync_message(&automerge::Automerge::new(), &mut sync)
        .map(|m| m.encode())
        .unwrap_or_default();
    let ask = Message::Request {
        sender_id: "watcher".parse()?,
        target_id: "relay".parse()?,
        document_id: doc,
        data: request,
    };
    watcher.send(WsMessage::Binary(ask.encode().into())).await?;
    // Once the relay answers, the watcher is one of the plan's peers.
    loop {
        match next_message(&mut watcher).await? {
            Some(Message::Sync { document_id, .. }) if document_id == doc => break,
            Some(_) => {}
            None => anyhow::bail!("the relay closed the watcher's connection"),
        }
    }

    // The laptop edits; the watcher hears the laptop's new heads under its storage id.
    laptop.edit(doc, |tx| commands::rename_task(tx, tasks[0].id, "首页优化")).await?;
    laptop.pump_until(|p| p.client.in_sync(&doc)).await?;
    let expected = encode_heads(&laptop.client.doc(&doc).map(|d| d.get_heads()).unwrap_or_default());
    loop {
        match next_message(&mut watcher).await? {
            Some(Message::RemoteHeadsChanged { document_id, new_heads, .. }) if document_id == doc => {
                if let Some(at) = new_heads.get("laptop-storage")
                    && at.heads == expected
                {
                    assert!(at.timestamp > 0);
                    break;
                }
            }
            Some(_) => {}
            None => anyhow::bail!("the relay closed the watcher's connection"),
        }
    }
    Ok(())
}
