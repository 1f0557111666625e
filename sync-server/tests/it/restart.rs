//! The relay stopped and started again on its data directory.

use futures::StreamExt;
use launchplan_shared::domain::{Task, commands};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::support::{PATIENCE, WsPeer, joined, start_relay};

#[tokio::test]
async fn a_relay_restarted_on_its_data_directory_still_serves_the_document() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let mut a = WsPeer::connect(&relay.sync_url(), "browser-a").await?;
    let (doc, tasks) = a.create_project("618 大促", &["页面优化", "客服培训"]).await?;
    drop(a);

    let status = relay.terminate().await?;
    assert!(status.success(), "SIGTERM stops the relay cleanly, got {status}");

    let relay = start_relay(dir.path()).await?;
    let mut b = WsPeer::connect(&relay.sync_url(), "browser-b").await?;
    b.fetch(doc).await?;
    let project = b.project(doc)?;
    assert_eq!(project.meta.name, "618 大促");
    assert_eq!(project.tasks.len(), 2);
    assert_eq!(project.tasks[&tasks[0].id].title, "页面优化");
    Ok(())
}

#[tokio::test]
async fn sigterm_with_connections_open_closes_them_and_keeps_what_was_acknowledged() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let url = relay.sync_url();
    let mut a = WsPeer::connect(&url, "browser-a").await?;
    let (doc, tasks) = a.create_project("年货节", &["选品", "包装设计"]).await?;
    let mut b = WsPeer::connect(&url, "browser-b").await?;
    b.fetch(doc).await?;
    b.edit(doc, |tx| commands::rename_task(tx, tasks[1].id, "包装设计（定稿）")).await?;
    b.pump_until(|p| p.client.in_sync(&doc)).await?;
    let late = Task::new("直播预热", None, 3);
    a.edit(doc, |tx| commands::add_task(tx, &late)).await?;
    a.pump_until(|p| p.client.in_sync(&doc)).await?;
    // A connection that joined and never opened a document.
    let mut idle = joined(&url, "idle").await?;

    let status = relay.terminate().await?;
    assert!(status.success(), "SIGTERM stops the relay cleanly, got {status}");
    // Every connection was closed by the relay, saying why, not cut.
    for (name, peer) in [("a", &mut a), ("b", &mut b)] {
        let ended = peer.until_closed().await?;
        assert!(ended.contains("shutting down"), "{name}: {ended}");
    }
    let close = tokio::time::timeout(PATIENCE, async {
        loop {
            match idle.next().await {
                Some(Ok(WsMessage::Close(frame))) => return Ok(frame),
                Some(Ok(_)) => {}
                other => anyhow::bail!("the connection was cut: {other:?}"),
            }
        }
    })
    .await??;
    assert!(close.is_some_and(|f| f.reason.contains("shutting down")), "idle connection");

    let relay = start_relay(dir.path()).await?;
    let mut c = WsPeer::connect(&relay.sync_url(), "browser-c").await?;
    c.fetch(doc).await?;
    let project = c.project(doc)?;
    assert_eq!(project.tasks[&tasks[1].id].title, "包装设计（定稿）");
    assert_eq!(project.tasks[&late.id].title, "直播预热");
    assert_eq!(c.client.doc(&doc).map(|d| d.get_heads()), a.client.doc(&doc).map(|d| d.get_heads()));
    Ok(())
}

#[tokio::test]
async fn sigterm_the_moment_the_relay_says_it_listens_stops_it_cleanly() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    // Each start is a chance for a signal to come before the relay handles it.
    for start in 0..5 {
        let relay = start_relay(dir.path()).await?;
        let status = relay.terminate().await?;
        assert!(status.success(), "start {start}: SIGTERM killed the relay instead of stopping it: {status}");
    }
    Ok(())
}
