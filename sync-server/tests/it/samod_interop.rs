//! samod, an independent automerge-repo implementation, syncs through our relay both ways.

use std::str::FromStr;

use anyhow::Context;
use automerge::transaction::Transactable;
use automerge::{Automerge, AutomergeError, ROOT, ReadDoc};
use launchplan_shared::DocumentId;

use crate::support::{PATIENCE, WsPeer, start_relay};

/// samod's WebSocket dialer, sending `Authorization: Bearer <token>` on the upgrade as any
/// script or integration must (samod's own `dial_websocket` sends no headers).
struct BearerDialer {
    url: samod::Url,
}

impl samod::Dialer for BearerDialer {
    type Error = std::convert::Infallible;

    fn url(&self) -> samod::Url {
        self.url.clone()
    }

    fn connect(
        &self,
    ) -> futures::future::BoxFuture<'static, Result<samod::Transport, samod::DialError<Self::Error>>> {
        use futures::{SinkExt, StreamExt, TryStreamExt};
        use tokio_tungstenite::tungstenite::Message as WsMessage;
        let url = self.url.to_string();
        Box::pin(async move {
            let socket = crate::support::upgrade(&url, &[])
                .await
                .map_err(|e| samod::DialError::transient(std::io::Error::other(format!("{e:#}"))))?;
            let (sink, stream) = socket.split();
            let stream = stream
                .try_filter_map(|message| async move {
                    Ok(match message {
                        WsMessage::Binary(bytes) => Some(bytes.to_vec()),
                        _ => None,
                    })
                })
                .boxed();
            let sink = sink.with(|bytes: Vec<u8>| async move {
                Ok::<_, tokio_tungstenite::tungstenite::Error>(WsMessage::Binary(bytes.into()))
            });
            Ok(samod::Transport::new(stream, Box::pin(sink)))
        })
    }
}

async fn samod_repo(
    url: &str,
) -> anyhow::Result<(samod::Repo, samod::DialerHandle<std::convert::Infallible>)> {
    let repo = samod::Repo::build_tokio().with_peer_id(samod::PeerId::from("samod-peer")).load().await;
    let dialer = repo
        .dial(
            samod::BackoffConfig { max_retries: Some(5), ..Default::default() },
            std::sync::Arc::new(BearerDialer { url: samod::Url::parse(url)? }),
        )
        .map_err(|_| anyhow::anyhow!("samod stopped"))?;
    tokio::time::timeout(PATIENCE, dialer.established())
        .await
        .context("samod handshake timed out")?
        .map_err(|e| anyhow::anyhow!("samod could not connect: {e:?}"))?;
    Ok((repo, dialer))
}

#[tokio::test]
async fn a_document_samod_creates_through_our_relay_is_read_by_our_client() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let (repo, dialer) = samod_repo(&relay.sync_url()).await?;
    let conn = dialer.connection_id().context("connected")?;

    let mut doc = Automerge::new();
    doc.transact::<_, _, AutomergeError>(|tx| {
        tx.put(ROOT, "greeting", "来自 samod 的问候")?;
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let handle = repo.create(doc).await.map_err(|_| anyhow::anyhow!("samod stopped"))?;
    tokio::time::timeout(PATIENCE, handle.they_have_our_changes(conn))
        .await
        .context("relay never acked samod")?;

    let id = DocumentId::from_str(&handle.document_id().to_string())?;
    let mut ours = WsPeer::connect(&relay.sync_url(), "browser-a").await?;
    ours.fetch(id).await?;
    let greeting =
        ours.client.doc(&id).context("open")?.get(ROOT, "greeting")?.context("greeting present")?;
    assert_eq!(greeting.0.as_str(), Some("来自 samod 的问候"));

    dialer.close();
    tokio::time::timeout(PATIENCE, repo.stop()).await.context("samod stop")?;
    Ok(())
}

/// samod asks the relay for `doc` once, and the name of the project it finds.
async fn samod_finds_once(url: &str, doc: DocumentId) -> anyhow::Result<String> {
    let (repo, dialer) = samod_repo(url).await?;
    let id = samod::DocumentId::from_str(&doc.to_string()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    // Asked once: the relay holds the document, so it must not answer "unavailable".
    let found = tokio::time::timeout(PATIENCE, repo.find(id))
        .await
        .context("samod's find never finished")?
        .map_err(|_| anyhow::anyhow!("samod stopped"))?;
    let handle = found.context("samod finds the document through our relay on the first asking")?;
    let name = handle.with_document(|d| -> anyhow::Result<String> {
        let (_, meta) = d.get(ROOT, "meta")?.context("meta")?;
        let (name, _) = d.get(&meta, "name")?.context("name")?;
        Ok(name.as_str().context("text")?.to_owned())
    })?;
    dialer.close();
    tokio::time::timeout(PATIENCE, repo.stop()).await.context("samod stop")?;
    Ok(name)
}

#[tokio::test]
async fn a_document_our_client_creates_is_found_by_samod() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let mut ours = WsPeer::connect(&relay.sync_url(), "browser-a").await?;
    let (doc, _) = ours.create_project("新品首发：春季口红系列", &["市场调研"]).await?;

    assert_eq!(samod_finds_once(&relay.sync_url(), doc).await?, "新品首发：春季口红系列");
    Ok(())
}

#[tokio::test]
async fn a_document_the_relay_has_only_on_disk_is_found_by_samod() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let mut ours = WsPeer::connect(&relay.sync_url(), "browser-a").await?;
    let (doc, _) = ours.create_project("双十一大促备战", &["页面优化"]).await?;
    drop(ours);
    let status = relay.terminate().await?;
    assert!(status.success(), "{status}");

    // Nobody else has it: the relay must load it from storage before it answers.
    let relay = start_relay(dir.path()).await?;
    assert_eq!(samod_finds_once(&relay.sync_url(), doc).await?, "双十一大促备战");
    Ok(())
}

#[tokio::test]
async fn two_samod_peers_share_a_document_through_our_relay_by_its_url() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let (writer, writer_dial) = samod_repo(&relay.sync_url()).await?;
    let mut doc = Automerge::new();
    doc.transact::<_, _, AutomergeError>(|tx| {
        tx.put(ROOT, "campaign", "双十一")?;
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let handle = writer.create(doc).await.map_err(|_| anyhow::anyhow!("samod stopped"))?;
    let conn = writer_dial.connection_id().context("connected")?;
    tokio::time::timeout(PATIENCE, handle.they_have_our_changes(conn)).await.context("relay never acked")?;
    let url: samod::AutomergeUrl = handle.url().to_string().parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;

    let reader = samod::Repo::build_tokio().with_peer_id(samod::PeerId::from("samod-reader")).load().await;
    let reader_dial = reader
        .dial(
            samod::BackoffConfig::default(),
            std::sync::Arc::new(BearerDialer { url: samod::Url::parse(&relay.sync_url())? }),
        )
        .map_err(|_| anyhow::anyhow!("samod stopped"))?;
    tokio::time::timeout(PATIENCE, reader_dial.established())
        .await
        .context("reader handshake")?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let found = reader.find(url.document_id().clone()).await.map_err(|_| anyhow::anyhow!("stopped"))?;
    let found = found.context("the reader finds the document through our relay")?;
    let campaign = found.with_document(|d| {
        d.get(ROOT, "campaign").ok().flatten().and_then(|(v, _)| v.as_str().map(str::to_owned))
    });
    assert_eq!(campaign.as_deref(), Some("双十一"));

    writer_dial.close();
    reader_dial.close();
    tokio::time::timeout(PATIENCE, writer.stop()).await.context("stop")?;
    tokio::time::timeout(PATIENCE, reader.stop()).await.context("stop")?;
    Ok(())
}
