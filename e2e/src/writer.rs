//! Puts a plan into the relay the way any client does: our client engine over a real
//! WebSocket, until the relay says it holds all of it. No browser is involved.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use automerge::transaction::Transaction;
use futures::{SinkExt, StreamExt};
use launchplan_shared::domain::commands::CommandError;
use launchplan_shared::domain::{Project, commands};
use launchplan_shared::protocol::PeerMetadata;
use launchplan_shared::sync::{Client, ClientEffect, ConnectionState};
use launchplan_shared::{DocumentId, PeerId};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What putting the plan took.
pub struct Written {
    pub doc: DocumentId,
    /// Bytes of the frames sent.
    pub bytes: usize,
    /// From the first frame to the relay's word that it holds the plan.
    pub took: Duration,
}

/// Creates `project` as a new document through the relay at `sync_url` (`ws://…/sync`),
/// waits until the relay holds exactly what we hold, and disconnects.
pub async fn put_plan(sync_url: &str, project: &Project, patience: Duration) -> anyhow::Result<Written> {
    put_doc(sync_url, |tx| commands::create_project(tx, project), patience).await
}

/// Creates a new document whose first change is `init` through the relay at `sync_url`,
/// waits until the relay holds exactly what we hold, and disconnects.
pub async fn put_doc(
    sync_url: &str,
    init: impl FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>,
    patience: Duration,
) -> anyhow::Result<Written> {
    put_doc_then(sync_url, init, Vec::new(), patience).await
}

/// One change to a document.
pub type Edit = Box<dyn FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>>;

/// Creates `project` as a new document, then makes each of `then` as a change of its own (a
/// plan with a history, as one that has been worked on has), all through the relay at
/// `sync_url`; waits until the relay holds exactly what we hold, and disconnects.
pub async fn put_plan_then(
    sync_url: &str,
    project: &Project,
    then: Vec<Edit>,
    patience: Duration,
) -> anyhow::Result<Written> {
    put_doc_then(sync_url, |tx| commands::create_project(tx, project), then, patience).await
}

async fn put_doc_then(
    sync_url: &str,
    init: impl FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>,
    then: Vec<Edit>,
    patience: Duration,
) -> anyhow::Result<Written> {
    let started = Instant::now();
    let mut writer = Writer::connect(sync_url, patience).await?;
    let (doc, mut effects) = writer.client.create(init)?;
    for edit in then {
        let (_, more) = writer.client.change(&doc, edit).context("the document is not open")??;
        effects.extend(more);
    }
    writer.perform(effects).await?;
    writer
        .pump_until(patience, |c| c.in_sync(&doc))
        .await
        .context("waiting for the relay to hold the plan")?;
    let took = started.elapsed();
    writer.socket.close(None).await.context("closing the writer's connection")?;
    Ok(Written { doc, bytes: writer.bytes, took })
}

/// A teammate who stays online with document `doc` open and edits it now and then: one
/// connection and one actor throughout, as a person's open tab has (a new actor costs every
/// peer a rewrite of its document's actor table, which a fresh client per edit would pay
/// each time).
pub struct Teammate {
    writer: Writer,
    doc: DocumentId,
}

impl Teammate {
    /// Connects to the relay at `sync_url` and fetches `doc`.
    pub async fn join(sync_url: &str, doc: DocumentId, patience: Duration) -> anyhow::Result<Self> {
        let mut writer = Writer::connect(sync_url, patience).await?;
        let (_, effects) = writer.client.open(doc, Vec::new());
        writer.perform(effects).await?;
        writer
            .pump_until(patience, |c| {
                c.in_sync(&doc) && c.doc(&doc).is_some_and(|d| !d.get_heads().is_empty())
            })
            .await
            .context("fetching the document")?;
        Ok(Self { writer, doc })
    }

    /// Changes the document with `edit` and waits until the relay holds the change.
    pub async fn edit(
        &mut self,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<(), CommandError>,
        patience: Duration,
    ) -> anyhow::Result<()> {
        let doc = self.doc;
        let (_, effects) = self.writer.client.change(&doc, edit).context("the document is not open")??;
        self.writer.perform(effects).await?;
        self.writer
            .pump_until(patience, |c| c.in_sync(&doc))
            .await
            .context("waiting for the relay to hold the change")
    }

    /// Leaves.
    pub async fn leave(mut self) -> anyhow::Result<()> {
        self.writer.socket.close(None).await.context("closing the teammate's connection")
    }
}

struct Writer {
    client: Client,
    socket: Socket,
    bytes: usize,
}

impl Writer {
    /// Connects to the relay and waits until it has taken us in.
    async fn connect(sync_url: &str, patience: Duration) -> anyhow::Result<Self> {
        let (socket, _) =
            tokio_tungstenite::connect_async(sync_url).await.context("connecting to the relay")?;
        let metadata = PeerMetadata { storage_id: None, is_ephemeral: Some(false) };
        let mut writer =
            Writer { client: Client::new(PeerId::random("bench-writer"), metadata), socket, bytes: 0 };
        let effects = writer.client.connection_opened();
        writer.perform(effects).await?;
        writer
            .pump_until(patience, |c| matches!(c.connection(), ConnectionState::Connected { .. }))
            .await
            .context("joining the relay")?;
        Ok(writer)
    }

    async fn perform(&mut self, effects: Vec<ClientEffect>) -> anyhow::Result<()> {
        for effect in effects {
            match effect {
                ClientEffect::Send(frame) => {
                    self.bytes += frame.len();
                    self.socket.send(WsMessage::Binary(frame.into())).await?;
                }
                ClientEffect::Close { reason } => bail!("the client engine closed the connection: {reason}"),
                ClientEffect::Unavailable { doc } => bail!("the relay says {doc} is unavailable"),
                ClientEffect::Refused { doc, reason, .. } => {
                    bail!("the relay refused changes to {doc}: {reason}")
                }
                // The writer keeps nothing: the plan lives in the relay once it is in sync.
                ClientEffect::Store { .. }
                | ClientEffect::Changed { .. }
                | ClientEffect::Connected { .. }
                | ClientEffect::Ephemeral { .. }
                | ClientEffect::SyncState { .. }
                | ClientEffect::SendToTab { .. } => {}
            }
        }
        Ok(())
    }

    async fn pump_until(&mut self, patience: Duration, done: impl Fn(&Client) -> bool) -> anyhow::Result<()> {
        tokio::time::timeout(patience, async {
            while !done(&self.client) {
                match self.socket.next().await {
                    Some(Ok(WsMessage::Binary(frame))) => {
                        let effects = self.client.receive_frame(&frame);
                        self.perform(effects).await?;
                    }
                    Some(Ok(WsMessage::Close(frame))) => bail!("the relay closed the connection: {frame:?}"),
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(e.into()),
                    None => bail!("the connection ended"),
                }
            }
            Ok(())
        })
        .await
        .with_context(|| format!("timed out after {patience:?}"))?
    }
}
