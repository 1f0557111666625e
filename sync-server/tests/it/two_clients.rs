use launchplan_shared::domain::{Project, ProjectKind, Status, commands};
use launchplan_shared::protocol::PeerMetadata;
use launchplan_shared::sync::{Client, ClientEffect, StorageOp};

use crate::support::{WsPeer, pump_both_until, start_relay};

#[tokio::test]
async fn two_clients_converge_through_the_relay() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let mut a = WsPeer::connect(&relay.sync_url(), "browser-a").await?;
    let mut b = WsPeer::connect(&relay.sync_url(), "browser-b").await?;

    let (doc, tasks) =
        a.create_project("新品首发：春季口红系列", &["市场调研", "包装设计", "样品测试"]).await?;
    b.fetch(doc).await?;
    assert_eq!(b.project(doc)?, a.project(doc)?);
    assert_eq!(b.project(doc)?.tasks.len(), 3);

    b.edit(doc, |tx| commands::rename_task(tx, tasks[1].id, "包装设计（定稿）")).await?;
    a.edit(doc, |tx| commands::set_status(tx, tasks[2].id, &Status::Done, 1)).await?;
    let renamed =
        |p: &WsPeer| p.project(doc).is_ok_and(|p| p.tasks[&tasks[1].id].title == "包装设计（定稿）");
    let done = |p: &WsPeer| p.project(doc).is_ok_and(|p| p.tasks[&tasks[2].id].status.is_done());
    let settled = |p: &WsPeer| renamed(p) && done(p) && p.client.in_sync(&doc);
    pump_both_until(&mut a, &mut b, |a, b| settled(a) && settled(b)).await?;
    assert_eq!(a.client.doc(&doc).map(|d| d.get_heads()), b.client.doc(&doc).map(|d| d.get_heads()));
    Ok(())
}

#[tokio::test]
async fn a_request_for_an_unknown_document_gets_doc_unavailable_then_the_document() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;

    // A plan made on a laptop that has never been online: it lives only in local storage.
    let mut offline = Client::new("laptop".parse()?, PeerMetadata::default());
    let project = Project::new("双十一大促备战", ProjectKind::Campaign, 1);
    let (doc, effects) = offline.create(|tx| commands::create_project(tx, &project))?;
    let stored: Vec<_> = effects
        .into_iter()
        .filter_map(|e| match e {
            ClientEffect::Store {
                op: StorageOp::Put { key, bytes } | StorageOp::Compact { key, bytes, .. },
                ..
            } => Some((key, bytes)),
            _ => None,
        })
        .collect();
    assert!(!stored.is_empty());

    // A teammate already has the link: the relay has nothing yet and says so.
    let mut teammate = WsPeer::connect(&relay.sync_url(), "browser-b").await?;
    let (_, effects) = teammate.client.open(doc, Vec::new());
    teammate.perform(effects).await?;
    teammate.pump_until(|p| p.unavailable.contains(&doc)).await?;

    // The laptop comes online and opens its plan from storage; the teammate receives it
    // without asking again.
    let mut laptop = WsPeer::connect(&relay.sync_url(), "laptop").await?;
    let (corrupt, effects) = laptop.client.open(doc, stored);
    assert!(corrupt.is_empty());
    laptop.perform(effects).await?;
    laptop.pump_until(|p| p.client.in_sync(&doc)).await?;
    teammate.pump_until(|p| p.project(doc).is_ok()).await?;
    assert_eq!(teammate.project(doc)?.meta.name, "双十一大促备战");
    Ok(())
}
