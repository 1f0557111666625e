use crate::support::{WsPeer, start_relay};

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
