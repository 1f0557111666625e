//! One WebSocket connection: a reader that runs the protocol and routes document messages to
//! document tasks, and a writer fed by a bounded channel. Bad input closes this connection
//! only; a connection that sends too fast is slowed down, one that falls too far behind or
//! stops answering pings is closed (its client reconnects and resyncs).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, close_code};
use futures::{SinkExt, StreamExt};
use launchplan_shared::DocumentId;
use launchplan_shared::domain::permissions::WriteRule;
use launchplan_shared::protocol::Message;
use launchplan_shared::sync::{DocRequest, ServerAction, ServerConnection};
use tokio::sync::{mpsc, watch};

use crate::AppState;
use crate::access::Grant;
use crate::auth::Principal;
use crate::docs::{DocCommand, Routed};
use crate::outbox::{ConnHandle, Outbound};
use crate::rate::TokenBucket;

/// Frames a connection may have waiting to be written before it counts as too slow.
const OUTBOX: usize = 1024;

/// Frames written before one flush, at most.
const WRITE_BATCH: usize = 64;

static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);

/// Counts a connection as open until dropped, whichever way its task ends.
struct Open<'a>(&'a watch::Sender<usize>);

impl<'a> Open<'a> {
    fn new(open: &'a watch::Sender<usize>) -> Self {
        open.send_modify(|n| *n += 1);
        Self(open)
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1);
    }
}

/// Serves one connection, for `principal` when sign-in is required: it closes when their
/// credential is revoked.
pub(crate) async fn serve(socket: WebSocket, state: Arc<AppState>, principal: Option<Principal>) {
    let _open = Open::new(&state.open_connections);
    state.metrics.connections.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::channel(OUTBOX);
    let conn = ConnHandle::new(
        NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
        tx,
        principal.as_ref().map(|p| p.account),
    );
    let metrics = Arc::clone(&state.metrics);
    let writer = tokio::spawn(async move {
        // Writes everything waiting, then flushes once: under load one write call carries
        // many frames instead of one each.
        while let Some(first) = rx.recv().await {
            let mut next = Some(first);
            let mut written = Ok(());
            let mut batch = 0;
            while let Some(outbound) = next.take() {
                written = match outbound {
                    Outbound::Frame(bytes) => {
                        metrics.sent(bytes.len());
                        sink.feed(WsMessage::Binary(bytes.into())).await
                    }
                    Outbound::Ping => sink.feed(WsMessage::Ping(Default::default())).await,
                    Outbound::Close(reason) => {
                        let _ = sink.flush().await;
                        let reason: String = reason.chars().take(100).collect();
                        let frame = CloseFrame { code: close_code::POLICY, reason: reason.into() };
                        let _ = sink.send(WsMessage::Close(Some(frame))).await;
                        return;
                    }
                };
                batch += 1;
                if written.is_err() || batch == WRITE_BATCH {
                    break;
                }
                next = rx.try_recv().ok();
            }
            if written.is_err() || sink.flush().await.is_err() {
                break;
            }
        }
    });

    let limits = state.limits;
    let mut protocol = ServerConnection::new(state.relay_id.clone(), state.metadata.clone());
    let mut docs: HashSet<DocumentId> = HashSet::new();
    let mut shutdown = state.shutdown.clone();
    let mut bucket = TokenBucket::new(limits.max_messages_per_sec);
    let mut ping = tokio::time::interval(limits.ping_every);
    ping.tick().await;
    let mut last_heard = Instant::now();
    let mut revocations = state.auth.revocations();
    let mut access_changes = state.access.changes();
    let mut hearing = principal.is_some();
    loop {
        let frame = tokio::select! {
            _ = access_changes.changed(), if principal.is_some() => {
                // Members or places changed: a document this connection shares may no
                // longer be theirs. Closing ends every subscription; what is still theirs
                // comes back when the client reconnects.
                let Some(principal) = &principal else { continue };
                let lost = docs.iter().any(|doc| !state.access.may_read(principal.account, *doc));
                if lost {
                    conn.refuse("your access to a document you had open was removed");
                    break;
                }
                continue;
            }
            revoked = revocations.recv(), if hearing => {
                let ours = principal.as_ref().map(|p| &p.credential);
                match revoked {
                    Ok(credential) if Some(&credential) != ours => continue,
                    // Revoked, or too many revocations at once to tell: close either way;
                    // a credential still good reconnects.
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        conn.refuse("signed out, or the token was revoked");
                        break;
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                        hearing = false;
                        continue;
                    }
                }
            }
            frame = stream.next() => frame,
            _ = ping.tick() => {
                if last_heard.elapsed() > limits.ping_every * 3 {
                    conn.send(Outbound::Close("no answer to keepalive pings".into()));
                    break;
                }
                conn.send(Outbound::Ping);
                continue;
            }
            () = conn.killed() => {
                tracing::info!(peer = ?protocol.peer(), "closing a connection that fell too far behind");
                break;
            }
            _ = shutdown.changed() => {
                conn.send(Outbound::Close("the relay is shutting down".into()));
                break;
            }
        };
        last_heard = Instant::now();
        let bytes = match frame {
            Some(Ok(WsMessage::Binary(bytes))) => bytes,
            Some(Ok(WsMessage::Text(_))) => {
                refuse(&state, &conn, "frames must be binary CBOR");
                break;
            }
            Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
            Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => break,
        };
        state.metrics.received(bytes.len());
        if let Some(wait) = bucket.take() {
            tokio::time::sleep(wait).await;
        }
        match protocol.receive(&bytes) {
            ServerAction::Joined { peer, reply } => {
                tracing::debug!(%peer, "peer joined");
                if let Some(storage) = protocol.peer_storage() {
                    conn.set_storage(storage);
                }
                conn.send(Outbound::Frame(reply));
            }
            // Bounded like everything else a peer can make the relay hold.
            ServerAction::Subscribe { add, remove } => {
                conn.subscribe(add, remove, limits.max_docs_per_connection)
            }
            ServerAction::Route { doc, from, request } => {
                if !docs.contains(&doc) && docs.len() >= limits.max_docs_per_connection {
                    let limit = limits.max_docs_per_connection;
                    refuse(
                        &state,
                        &conn,
                        &format!("too many documents on one connection (the limit is {limit})"),
                    );
                    break;
                }
                let writes = match &principal {
                    None => WriteRule::Everything,
                    Some(principal) => match admit(&state, principal, doc, &request) {
                        Some(writes) => writes,
                        None => {
                            // As for a document that does not exist: nothing says it does.
                            if matches!(request, DocRequest::Request(_) | DocRequest::Sync(_)) {
                                let reply = Message::DocUnavailable {
                                    sender_id: state.relay_id.clone(),
                                    target_id: from,
                                    document_id: doc,
                                };
                                conn.send(Outbound::Frame(reply.encode()));
                            }
                            continue;
                        }
                    },
                };
                docs.insert(doc);
                let routed = Routed { from, conn: conn.clone(), request, writes };
                state.docs.send(doc, DocCommand::Message(Box::new(routed))).await;
            }
            ServerAction::Refuse { reason, .. } => {
                tracing::info!(peer = ?protocol.peer(), %reason, "refusing a connection's frame");
                refuse(&state, &conn, &reason);
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
            state.docs.left(doc, peer.clone(), conn.id()).await;
        }
    }
    conn.send(Outbound::Close(String::new()));
    drop(conn);
    // A peer that stopped reading cannot hold this task forever.
    let abort = writer.abort_handle();
    if tokio::time::timeout(Duration::from_secs(5), writer).await.is_err() {
        abort.abort();
    }
    state.metrics.connections.fetch_sub(1, Ordering::Relaxed);
}

/// What `principal` may write to `doc`, or `None` when they may not see it at all. A
/// document nobody has placed and the relay does not hold becomes theirs if they say they
/// have it; asking for it is answered as for any missing document.
fn admit(
    state: &AppState,
    principal: &Principal,
    doc: DocumentId,
    request: &DocRequest,
) -> Option<WriteRule> {
    let stored = || state.storage.holds(doc).unwrap_or(true);
    match state.access.grant(principal.account, doc, stored) {
        Grant::Unavailable => None,
        Grant::Open(writes) => Some(writes),
        Grant::Claimable => {
            // A sync message that names heads says its sender has the document (its changes
            // follow once the relay answers); one without only asks for it.
            let has_it = match request {
                DocRequest::Request(data) | DocRequest::Sync(data) => {
                    automerge::sync::Message::decode(data).is_ok_and(|m| !m.heads.is_empty())
                }
                DocRequest::Unavailable | DocRequest::Ephemeral { .. } => false,
            };
            if !has_it {
                // Asking for what nobody has: the document's task answers `doc-unavailable`
                // and keeps the asker to tell once it exists; it delivers the document only
                // to those who may read it (see `docs.rs`).
                return Some(WriteRule::Nothing);
            }
            match state.access.claim(doc, principal.account) {
                Ok(()) => Some(WriteRule::Everything),
                Err(e) => {
                    tracing::error!(%doc, error = %e, "could not record who made a document");
                    None
                }
            }
        }
    }
}

fn refuse(state: &AppState, conn: &ConnHandle, reason: &str) {
    state.metrics.refused.fetch_add(1, Ordering::Relaxed);
    conn.refuse(reason);
}
