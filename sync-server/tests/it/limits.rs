//! The limits that keep one connection from hurting the relay, and the metrics that show it.

use anyhow::Context;
use launchplan_e2e::wait_for;
use launchplan_shared::DocumentId;

use crate::support::{WsPeer, http_get, start_relay_with};

fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn idle_documents_leave_memory_and_metrics_say_so() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay_with(dir.path(), &["--idle-secs", "1"]).await?;
    let mut peer = WsPeer::connect(&relay.sync_url(), "browser").await?;
    let mut docs = Vec::new();
    for n in 0..20 {
        docs.push(peer.create_project(&format!("计划 {n}"), &["任务"]).await?.0);
    }
    let loaded =
        metric(&http_get(&relay, "/metrics").await?, "launchplan_documents_loaded").context("metric")?;
    assert_eq!(loaded, 20.0);
    drop(peer);

    wait_for("documents to leave memory", || async {
        let text = http_get(&relay, "/metrics").await?;
        Ok((metric(&text, "launchplan_documents_loaded") == Some(0.0)).then_some(text))
    })
    .await?;

    // They come back from disk on demand.
    let mut again = WsPeer::connect(&relay.sync_url(), "browser-2").await?;
    again.fetch(docs[7]).await?;
    assert_eq!(again.project(docs[7])?.meta.name, "计划 7");
    let text = http_get(&relay, "/metrics").await?;
    assert_eq!(metric(&text, "launchplan_documents_loaded"), Some(1.0));
    assert!(metric(&text, "launchplan_storage_write_seconds_count").is_some_and(|n| n >= 20.0));
    assert!(metric(&text, "launchplan_messages_in_total").is_some_and(|n| n > 0.0));
    Ok(())
}

#[tokio::test]
async fn a_connection_over_its_document_limit_is_closed_and_others_carry_on() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay_with(dir.path(), &["--max-docs-per-connection", "3"]).await?;
    let mut greedy = WsPeer::connect(&relay.sync_url(), "greedy").await?;
    for _ in 0..3 {
        let (_, effects) = greedy.client.open(DocumentId::random(), Vec::new());
        greedy.perform(effects).await?;
    }
    let (_, effects) = greedy.client.open(DocumentId::random(), Vec::new());
    greedy.perform(effects).await?;
    let error = greedy.pump_until(|_| false).await.expect_err("the relay closes the connection");
    assert!(format!("{error:#}").contains("too many documents"), "{error:#}");

    let mut fine = WsPeer::connect(&relay.sync_url(), "fine").await?;
    fine.create_project("618", &["页面优化"]).await?;
    let refused = metric(&http_get(&relay, "/metrics").await?, "launchplan_refused_total");
    assert_eq!(refused, Some(1.0));
    Ok(())
}

#[tokio::test]
async fn an_oversized_frame_closes_only_its_connection() -> anyhow::Result<()> {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message as WsMessage;

    let dir = tempfile::tempdir()?;
    let relay = start_relay_with(dir.path(), &["--max-frame-bytes", "65536"]).await?;
    let mut fine = WsPeer::connect(&relay.sync_url(), "fine").await?;
    let (doc, _) = fine.create_project("新品首发", &["市场调研"]).await?;

    let (mut big, _) = tokio_tungstenite::connect_async(relay.sync_url()).await?;
    let _ = big.send(WsMessage::Binary(vec![0u8; 200_000].into())).await;
    let ended = tokio::time::timeout(launchplan_e2e::PATIENCE, async {
        use futures::StreamExt;
        loop {
            match big.next().await {
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the relay closes a connection that sends a frame over the limit");

    fine.edit(doc, |tx| launchplan_shared::domain::commands::rename_project(tx, "新品首发（改）")).await?;
    fine.pump_until(|p| p.client.in_sync(&doc)).await?;
    Ok(())
}

#[tokio::test]
async fn a_connection_that_stops_answering_pings_is_closed() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay_with(dir.path(), &["--ping-secs", "1"]).await?;
    // Joined, then never read again: no pongs go back.
    let _silent = crate::support::joined(&relay.sync_url(), "silent").await?;
    let connections = |text: &str| metric(text, "launchplan_connections");
    assert_eq!(connections(&http_get(&relay, "/metrics").await?), Some(1.0));
    wait_for("the silent connection to be closed", || async {
        Ok((connections(&http_get(&relay, "/metrics").await?) == Some(0.0)).then_some(()))
    })
    .await?;
    Ok(())
}
