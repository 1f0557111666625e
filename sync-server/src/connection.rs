//! One WebSocket connection: a reader that runs the protocol and routes document messages to
//! document tasks, and a writer fed by a bounded channel. Bad input closes this connection
//! only.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, close_code};
use futures::{SinkExt, StreamExt};
use launchplan_shared::DocumentId;
use launchplan_shared::protocol::Message;
use launchplan_shared::sync::{ServerAction, ServerConnection};
use tokio::sync::mpsc;

use crate::AppState;
use crate::docs::DocCommand;

/// Frames a connection may have waiting to be written before it counts as too slow.
const OUTBOX: usize = 1024;

/// What the writer sends.
pub(crate) enum Outbound {
    Frame(Vec<u8>),
    /// Close the connection, telling the peer why.
    Close(String),
}

/// A way to reach one connection's writer. Document tasks hold these for their peers.
#[derive(Clone)]
pub(crate) struct ConnHandle {
    id: u64,
    tx: mpsc::Sender<Outbound>,
}

impl ConnHandle {
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Queues `outbound`; false if the connection is gone or too far behind.
    pub(crate) fn send(&self, outbound: Outbound) -> bool {
        self.tx.try_send(outbound).is_ok()
    }

    /// Sends an `error` message, then closes.
    pub(crate) fn refuse(&self, reason: &str) {
        self.send(Outbound::Frame(Message::Error { message: reason.to_owned() }.encode()));
        self.send(Outbound::Close(reason.to_owned()));
    }
}

static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);

pub(crate) async fn serve(socket: WebSocket, state: Arc<AppState>) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::channel(OUTBOX);
    let conn = ConnHandle { id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed), tx };
    let writer = tokio::spawn(async move {
        while let Some(outbound) = rx.recv().await {
            let result = match outbound {
                Outbound::Frame(bytes) => sink.send(WsMessage::Binary(bytes.into())).await,
                Outbound::Close(reason) => {
                    let reason: String = reason.chars().take(100).collect();
                    let frame = CloseFrame { code: close_code::POLICY, reason: reason.into() };
                    let _ = sink.send(WsMessage::Close(Some(frame))).await;
                    break;
                }
            };
            if result.is_err() {
                break;
            }
        }
    });

    let mut protocol = ServerConnection::new(state.relay_id.clone(), state.metadata.clone());
    let mut docs: HashSet<DocumentId> = HashSet::new();
    let mut shutdown = state.shutdown.clone();
    loop {
        let frame = tokio::select! {
            frame = stream.next() => frame,
            _ = shutdown.changed() => {
                conn.send(Outbound::Close("the relay is shutting down".into()));
                break;
            }
        };
        let bytes = match frame {
            Some(Ok(WsMessage::Binary(bytes))) => bytes,
            Some(Ok(WsMessage::Text(_))) => {
                conn.refuse("frames must be binary CBOR");
                break;
            }
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
            Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => break,
        };
        match protocol.receive(&bytes) {
            ServerAction::Joined { peer, reply } => {
                tracing::debug!(%peer, "peer joined");
                conn.send(Outbound::Frame(reply));
            }
            ServerAction::Route { doc, from, request } => {
                docs.insert(doc);
                state.docs.send(doc, DocCommand::Message { from, conn: conn.clone(), request }).await;
            }
            ServerAction::Refuse { error, reason } => {
                tracing::info!(peer = ?protocol.peer(), %reason, "refusing a connection's frame");
                conn.send(Outbound::Frame(error));
                conn.send(Outbound::Close(reason));
                break;
            }
            ServerAction::Close { reason } => {
                tracing::debug!(peer = ?protocol.peer(), %reason, "peer closed");
                break;
            }
            ServerAction::Nothing => {}
        }
    }

    if let Some(peer) = protocol.peer() {
        for doc in docs {
            state.docs.left(doc, peer.clone(), conn.id).await;
        }
    }
    conn.send(Outbound::Close(String::new()));
    drop(conn);
    // A peer that stopped reading cannot hold this task forever.
    let abort = writer.abort_handle();
    if tokio::time::timeout(std::time::Duration::from_secs(5), writer).await.is_err() {
        abort.abort();
    }
}
