//! The limits that keep one connection from hurting the relay, and the metrics that show it.

use std::time::Instant;

use anyhow::Context;
use launchplan_e2e::wait_for;
use launchplan_shared::DocumentId;
use launchplan_shared::domain::{Task, commands};
use launchplan_shared::protocol::Message;

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

/// An `ephemeral` message from `sender` about `doc`: the relay passes it on to the document's
/// other peers and stores nothing.
fn ephemeral(sender: &str, doc: DocumentId, count: u64, data: Vec<u8>) -> anyhow::Result<Vec<u8>> {
    let message = Message::Ephemeral {
        sender_id: sender.parse()?,
        target_id: "relay".parse()?,
        document_id: doc,
        count,
        session_id: "session".into(),
        data,
    };
    Ok(message.encode())
}

/// An `ephemeral` frame of exactly `size` bytes.
fn ephemeral_of_size(sender: &str, doc: DocumentId, count: u64, size: usize) -> anyhow::Result<Vec<u8>> {
    let overhead = ephemeral(sender, doc, count, Vec::new())?.len();
    // The byte string's length prefix grows with it; shrink the data until the frame fits.
    let mut data_len = size - overhead;
    while ephemeral(sender, doc, count, vec![7; data_len])?.len() > size {
        data_len -= 1;
    }
    let frame = ephemeral(sender, doc, count, vec![7; data_len])?;
    anyhow::ensure!(frame.len() == size, "cannot make a frame of {size} bytes");
    Ok(frame)
}

#[tokio::test]
async fn a_frame_over_the_limit_closes_its_connection_and_one_at_the_limit_does_not() -> anyhow::Result<()> {
    const LIMIT: usize = 65_536;
    let dir = tempfile::tempdir()?;
    let relay = start_relay_with(dir.path(), &["--max-frame-bytes", &LIMIT.to_string()]).await?;
    let url = relay.sync_url();
    let mut owner = WsPeer::connect(&url, "owner").await?;
    let (doc, _) = owner.create_project("新品首发", &["市场调研"]).await?;
    let mut sender = WsPeer::connect(&url, "sender").await?;
    sender.fetch(doc).await?;

    // The largest frame allowed is read and passed on, and the connection stays open.
    sender.send_frame(ephemeral_of_size("sender", doc, 1, LIMIT)?).await?;
    owner.pump_until(|p| !p.ephemeral.is_empty()).await?;
    assert_eq!(owner.ephemeral[0].0.to_string(), "sender");
    sender.edit(doc, |tx| commands::rename_project(tx, "新品首发（改）")).await?;
    sender.pump_until(|p| p.client.in_sync(&doc)).await?;

    // One byte more, the same kind of message, closes the connection unread.
    sender.send_frame(ephemeral_of_size("sender", doc, 2, LIMIT + 1)?).await?;
    let ended = sender.until_closed().await?;
    assert!(!ended.contains("the client closed"), "the relay ends it, not our client: {ended}");

    // Nobody else notices, and the frame was never passed on.
    owner.pump_until(|p| p.project(doc).is_ok_and(|p| p.meta.name == "新品首发（改）")).await?;
    owner.edit(doc, |tx| commands::rename_project(tx, "新品首发（定稿）")).await?;
    owner.pump_until(|p| p.client.in_sync(&doc)).await?;
    assert_eq!(owner.project(doc)?.meta.name, "新品首发（定稿）");
    assert_eq!(owner.ephemeral.len(), 1, "the oversized frame reached nobody");
    Ok(())
}

#[tokio::test]
async fn a_connection_sending_too_fast_is_slowed_not_closed_and_others_are_not_held_up() -> anyhow::Result<()>
{
    const RATE: u32 = 10;
    // Twice the rate passes at once; the rest at the rate.
    const SENT: u32 = 3 * RATE;
    let dir = tempfile::tempdir()?;
    let relay = start_relay_with(dir.path(), &["--max-messages-per-sec", &RATE.to_string()]).await?;
    let url = relay.sync_url();
    let mut listener = WsPeer::connect(&url, "listener").await?;
    let (doc, _) = listener.create_project("双十一大促备战", &["页面优化"]).await?;
    let mut chatty = WsPeer::connect(&url, "chatty").await?;
    chatty.fetch(doc).await?;
    let mut calm = WsPeer::connect(&url, "calm").await?;

    let started = Instant::now();
    for n in 0..SENT {
        chatty.send_frame(ephemeral("chatty", doc, u64::from(n) + 1, n.to_be_bytes().to_vec())?).await?;
    }
    // Sent after all of chatty's, a burst within calm's own allowance (its join took one):
    // slowing chatty does not hold up others, on the same document, behind it.
    const CALM: u32 = 2 * RATE - 1;
    for n in 0..CALM {
        calm.send_frame(ephemeral("calm", doc, u64::from(n) + 1, n.to_be_bytes().to_vec())?).await?;
    }
    listener.pump_until(|p| p.ephemeral.len() == (SENT + CALM) as usize).await?;
    let took = started.elapsed();

    let from = |who: &str| -> Vec<Vec<u8>> {
        listener
            .ephemeral
            .iter()
            .filter(|(from, _)| from.to_string() == who)
            .map(|(_, d)| d.clone())
            .collect()
    };
    let in_order = |count: u32| -> Vec<Vec<u8>> { (0..count).map(|n| n.to_be_bytes().to_vec()).collect() };
    assert_eq!(from("chatty"), in_order(SENT), "slowed, every message arrives, in order");
    assert_eq!(from("calm"), in_order(CALM));
    // A lower bound, which no slow machine can break: the messages past the burst of
    // 2 × RATE come at most RATE a second.
    let floor = f64::from(SENT - 2 * RATE) / f64::from(RATE);
    assert!(took.as_secs_f64() >= floor * 0.9, "{SENT} messages at {RATE}/s passed in {took:?}");

    let last = |who: &str| listener.ephemeral.iter().rposition(|(from, _)| from.to_string() == who);
    assert!(last("calm") < last("chatty"), "calm's messages waited behind chatty's");

    // Slowed, not closed: the chatty connection still syncs.
    chatty.edit(doc, |tx| commands::rename_project(tx, "双十一大促备战（改）")).await?;
    chatty.pump_until(|p| p.client.in_sync(&doc)).await?;
    Ok(())
}

#[tokio::test]
async fn a_reader_that_falls_too_far_behind_is_dropped_and_resyncs_when_it_reconnects() -> anyhow::Result<()>
{
    // More frames than the relay queues for one connection (1,024) plus what the sockets'
    // buffers hold.
    const FLOOD: usize = 3_000;
    let dir = tempfile::tempdir()?;
    let relay = start_relay_with(dir.path(), &["--max-messages-per-sec", "1000000"]).await?;
    let url = relay.sync_url();
    let mut writer = WsPeer::connect(&url, "writer").await?;
    let (doc, _) = writer.create_project("年货节", &["选品"]).await?;
    let mut slow = WsPeer::connect(&url, "slow").await?;
    slow.fetch(doc).await?;

    // The slow peer reads nothing while the writer talks and edits.
    for n in 0..FLOOD {
        writer.send_frame(ephemeral("writer", doc, n as u64 + 1, vec![0; 16 * 1024])?).await?;
        if n % 500 == 0 {
            let task = Task::new(format!("任务 {n}"), None, n as i64);
            writer.edit(doc, |tx| commands::add_task(tx, &task)).await?;
        }
    }
    // The relay handles a connection's messages in order: once it holds the last edit it
    // has passed every message before it on.
    writer.pump_until(|p| p.client.in_sync(&doc)).await?;

    // The slow peer reads what was queued for it, then finds its connection closed.
    let ended = slow.until_closed().await?;
    assert!(!ended.contains("the client closed"), "the relay ends it, not our client: {ended}");
    assert!(slow.ephemeral.len() < FLOOD, "it was dropped, not merely slow: it got all {FLOOD}");
    println!("the slow reader got {} of {FLOOD} frames, then: {ended}", slow.ephemeral.len());

    // It reconnects and gets everything it missed.
    slow.reconnect(&url).await?;
    let heads = writer.client.doc(&doc).context("open")?.get_heads();
    slow.pump_until(|p| p.client.in_sync(&doc) && p.client.doc(&doc).is_some_and(|d| d.get_heads() == heads))
        .await?;
    assert_eq!(slow.project(doc)?, writer.project(doc)?);
    assert_eq!(slow.project(doc)?.tasks.len(), 1 + FLOOD.div_ceil(500));

    // Everyone else carried on.
    writer.edit(doc, |tx| commands::rename_project(tx, "年货节（改）")).await?;
    writer.pump_until(|p| p.client.in_sync(&doc)).await?;
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
