//! Our client against another automerge-repo sync server: samod listening on a WebSocket.

use launchplan_shared::domain::commands;
use tokio::net::TcpListener;

use crate::support::{WsPeer, pump_both_until};

/// samod accepting WebSocket connections on a free port; returns its `ws://` URL.
async fn samod_server() -> anyhow::Result<(samod::Repo, String)> {
    let repo = samod::Repo::build_tokio().with_peer_id(samod::PeerId::from("samod-server")).load().await;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("ws://{}/", listener.local_addr()?);
    let acceptor =
        repo.make_acceptor(samod::Url::parse(&url)?).map_err(|_| anyhow::anyhow!("samod stopped"))?;
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            if let Ok(socket) = tokio_tungstenite::accept_async(tcp).await {
                let _ = acceptor.accept_tungstenite(socket);
            }
        }
    });
    Ok((repo, url))
}

#[tokio::test]
async fn two_of_our_clients_sync_through_samod_as_the_server() -> anyhow::Result<()> {
    let (repo, url) = samod_server().await?;
    let mut a = WsPeer::connect(&url, "browser-a").await?;
    let mut b = WsPeer::connect(&url, "browser-b").await?;

    let (doc, tasks) = a.create_project("新品首发：春季口红系列", &["市场调研", "包装设计"]).await?;
    b.fetch(doc).await?;
    assert_eq!(b.project(doc)?, a.project(doc)?);

    b.edit(doc, |tx| commands::rename_task(tx, tasks[0].id, "市场调研（完成）")).await?;
    let renamed =
        |p: &WsPeer| p.project(doc).is_ok_and(|p| p.tasks[&tasks[0].id].title == "市场调研（完成）");
    pump_both_until(&mut a, &mut b, |a, _| renamed(a)).await?;
    repo.stop().await;
    Ok(())
}
