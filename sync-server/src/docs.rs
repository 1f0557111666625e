//! One tokio task per loaded document, owning its sync engine. Connections route messages to
//! it over a bounded channel; it stores what is new before it tells anyone, and it leaves
//! memory after a quiet period with no peers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use launchplan_shared::domain::permissions::WriteRule;
use launchplan_shared::sync::{Arrival, DocEngine, DocHub, DocRequest, HubEffect};
use launchplan_shared::{DocumentId, PeerId};
use tokio::sync::mpsc;

use crate::access::Access;
use crate::outbox::{ConnHandle, Outbound};
use crate::storage::{Storage, StorageError};

/// Commands a document task can have waiting before senders wait.
const INBOX: usize = 256;

/// What connections ask of a document task.
pub(crate) enum DocCommand {
    /// Boxed so that the channel's slots stay small: every loaded document's inbox allocates
    /// a block of them up front.
    Message(Box<Routed>),
    PeerLeft {
        peer: PeerId,
        conn_id: u64,
    },
    /// Something the relay wants to know of the document as it stands.
    Read(Read),
    /// A change of the relay's own; `done` hears once it is stored and sent.
    Edit {
        edit: Edit,
        done: tokio::sync::oneshot::Sender<Result<(), String>>,
    },
}

/// A change the relay makes to a document, failing with a reason.
pub(crate) type Edit =
    Box<dyn FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), String> + Send>;

/// A look at a document, which sends what it found on a channel of its own.
pub(crate) type Read = Box<dyn FnOnce(&automerge::Automerge) + Send>;

/// A document message from the peer `from` on connection `conn`, who may write `writes`.
pub(crate) struct Routed {
    pub(crate) from: PeerId,
    pub(crate) conn: ConnHandle,
    pub(crate) request: DocRequest,
    pub(crate) writes: WriteRule,
}

/// The loaded documents.
pub(crate) struct Docs {
    tasks: Mutex<HashMap<DocumentId, mpsc::Sender<DocCommand>>>,
    storage: Storage,
    relay_id: PeerId,
    relay_storage: String,
    idle_after: Duration,
    /// Told of each change to a document, when sign-in is required (workspaces place their
    /// plans and say who their members are).
    access: Option<Arc<Access>>,
}

impl Docs {
    pub(crate) fn new(
        storage: Storage,
        relay_id: PeerId,
        relay_storage: String,
        idle_after: Duration,
        access: Option<Arc<Access>>,
    ) -> Arc<Self> {
        Arc::new(Self {
            tasks: Mutex::new(HashMap::new()),
            storage,
            relay_id,
            relay_storage,
            idle_after,
            access,
        })
    }

    /// How many documents are in memory.
    pub(crate) fn loaded(&self) -> usize {
        self.lock().len()
    }

    /// Hands `command` to the task holding `doc`, loading the document first if need be.
    pub(crate) async fn send(self: &Arc<Self>, doc: DocumentId, mut command: DocCommand) {
        loop {
            let sender = self.lock().entry(doc).or_insert_with(|| self.spawn(doc)).clone();
            match sender.send(command).await {
                Ok(()) => return,
                // The task unloaded between our look-up and our send; load it again.
                Err(mpsc::error::SendError(returned)) => {
                    command = returned;
                    let mut tasks = self.lock();
                    if tasks.get(&doc).is_some_and(|s| s.same_channel(&sender)) {
                        tasks.remove(&doc);
                    }
                }
            }
        }
    }

    /// Makes a change of the relay's own to `doc`, loading it if need be; returns once it is
    /// stored and sent.
    pub(crate) async fn edit(self: &Arc<Self>, doc: DocumentId, edit: Edit) -> Result<(), String> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.send(doc, DocCommand::Edit { edit, done }).await;
        result.await.map_err(|_| "the document's task ended".to_owned())?
    }

    /// What `read` finds in `doc` as it stands, loading it if need be; `None` when the
    /// document cannot be read now.
    pub(crate) async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        doc: DocumentId,
        read: impl FnOnce(&automerge::Automerge) -> T + Send + 'static,
    ) -> Option<T> {
        let (found, result) = tokio::sync::oneshot::channel();
        let look: Read = Box::new(move |content| {
            let _ = found.send(read(content));
        });
        self.send(doc, DocCommand::Read(look)).await;
        result.await.ok()
    }

    /// Tells a loaded document that `peer`'s connection `conn_id` ended; an unloaded one has
    /// nothing to forget.
    pub(crate) async fn left(&self, doc: DocumentId, peer: PeerId, conn_id: u64) {
        let sender = self.lock().get(&doc).cloned();
        if let Some(sender) = sender {
            let _ = sender.send(DocCommand::PeerLeft { peer, conn_id }).await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DocumentId, mpsc::Sender<DocCommand>>> {
        self.tasks.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn spawn(self: &Arc<Self>, doc: DocumentId) -> mpsc::Sender<DocCommand> {
        let (tx, rx) = mpsc::channel(INBOX);
        let docs = Arc::clone(self);
        let me = tx.clone();
        tokio::spawn(async move { docs.run(doc, me, rx).await });
        tx
    }

    async fn run(
        self: Arc<Self>,
        doc: DocumentId,
        me: mpsc::Sender<DocCommand>,
        mut rx: mpsc::Receiver<DocCommand>,
    ) {
        let chunks = match self.storage.load(doc).await {
            Ok(chunks) => chunks,
            Err(e) => {
                tracing::error!(%doc, error = %e, "cannot load document");
                return self.fail(doc, &me, rx, "the relay cannot read this document right now").await;
            }
        };
        let loaded = DocEngine::load(doc, self.relay_id.clone(), chunks);
        if !loaded.corrupt.is_empty() {
            tracing::error!(%doc, chunks = ?loaded.corrupt, "stored chunks that cannot be read were left in place");
        }
        let mut task = DocTask {
            hub: DocHub::new(loaded.engine, self.relay_id.clone(), self.relay_storage.clone()),
            peers: HashMap::new(),
            storage: self.storage.clone(),
            access: self.access.clone(),
        };
        loop {
            let command = if task.hub.is_idle() {
                match tokio::time::timeout(self.idle_after, rx.recv()).await {
                    Ok(command) => command,
                    Err(_) => {
                        // Quiet and nobody subscribed: leave memory. Commands that raced in
                        // go to a fresh task, which loads everything we stored.
                        self.lock().remove(&doc);
                        rx.close();
                        while let Some(command) = rx.recv().await {
                            self.send(doc, command).await;
                        }
                        tracing::debug!(%doc, "unloaded idle document");
                        return;
                    }
                }
            } else {
                rx.recv().await
            };
            let Some(command) = command else { return };
            if let Err(e) = task.handle(command).await {
                // Without durable storage we must not tell anyone we have the change. Start
                // over from what is on disk; peers resend what it lacks when they reconnect.
                tracing::error!(%doc, error = %e, "storing changes failed; closing the document's peers");
                let why = format!("the relay could not store this change ({e}); try again later");
                for (_, conn) in task.peers.drain() {
                    conn.refuse(&why);
                }
                return self.fail(doc, &me, rx, &why).await;
            }
        }
    }

    /// Leaves memory after a failure, refusing whatever is still waiting.
    async fn fail(
        &self,
        doc: DocumentId,
        me: &mpsc::Sender<DocCommand>,
        mut rx: mpsc::Receiver<DocCommand>,
        why: &str,
    ) {
        {
            let mut tasks = self.lock();
            if tasks.get(&doc).is_some_and(|s| s.same_channel(me)) {
                tasks.remove(&doc);
            }
        }
        rx.close();
        while let Some(command) = rx.recv().await {
            match command {
                DocCommand::Message(routed) => routed.conn.refuse(why),
                DocCommand::Edit { done, .. } => {
                    let _ = done.send(Err(why.to_owned()));
                }
                DocCommand::PeerLeft { .. } | DocCommand::Read(_) => {}
            }
        }
    }
}

struct DocTask {
    hub: DocHub,
    /// The connection of each peer that shares the document.
    peers: HashMap<PeerId, ConnHandle>,
    storage: Storage,
    access: Option<Arc<Access>>,
}

impl DocTask {
    async fn handle(&mut self, command: DocCommand) -> Result<(), StorageError> {
        match command {
            DocCommand::Message(routed) => {
                let Routed { from, conn, request, writes } = *routed;
                if self.peers.get(&from).map(ConnHandle::id) != Some(conn.id()) {
                    self.peers.insert(from.clone(), conn.clone());
                }
                let arrival = Arrival {
                    from,
                    conn: conn.id(),
                    storage: conn.storage().map(str::to_owned),
                    request,
                    writes,
                };
                let peers = &self.peers;
                let subscribed =
                    |peer: &PeerId, storage: &str| peers.get(peer).is_some_and(|c| c.subscribed_to(storage));
                let mut out = Vec::new();
                // Only a relay that places documents needs to know whether this one moved.
                let before = self.access.as_ref().map(|_| self.hub.heads());
                self.hub.receive(arrival, now_ms(), &subscribed, &mut out);
                self.perform(out, Some(&conn)).await?;
                if let Some(access) = &self.access
                    && before.as_ref() != Some(&self.hub.heads())
                    && let Err(e) = access.document_changed(self.hub.id(), self.hub.doc(), conn.account())
                {
                    tracing::error!(doc = %self.hub.id(), error = %e, "could not record where this document belongs");
                }
                // After the sends: peers do not wait for a full save. A compaction that
                // cannot be stored loses nothing: readers carry on.
                let mut compaction = Vec::new();
                self.hub.compact(&mut compaction);
                if let Err(e) = self.perform(compaction, Some(&conn)).await {
                    tracing::warn!(doc = %self.hub.id(), error = %e, "could not store a compacted copy");
                }
            }
            DocCommand::Edit { edit, done } => {
                let mut out = Vec::new();
                let result = self.hub.change(edit, &mut out);
                let stored = self.perform(out, None).await;
                if result.is_ok()
                    && stored.is_ok()
                    && let Some(access) = &self.access
                    && let Err(e) = access.document_changed(self.hub.id(), self.hub.doc(), None)
                {
                    tracing::error!(doc = %self.hub.id(), error = %e, "could not record where this document belongs");
                }
                let _ = done.send(result.and(stored.as_ref().map_err(ToString::to_string).copied()));
                stored?;
            }
            DocCommand::Read(read) => read(self.hub.doc()),
            DocCommand::PeerLeft { peer, conn_id } => {
                self.hub.left(&peer, conn_id);
                if self.peers.get(&peer).map(ConnHandle::id) == Some(conn_id) {
                    self.peers.remove(&peer);
                }
            }
        }
        Ok(())
    }

    /// Stores first, then sends: no peer hears of a change before it is on disk. `conn` is
    /// the connection the message came on, the only one the hub refuses (a change of the
    /// relay's own comes on none).
    async fn perform(
        &mut self,
        effects: Vec<HubEffect>,
        conn: Option<&ConnHandle>,
    ) -> Result<(), StorageError> {
        let mut ops = Vec::new();
        let mut rest = Vec::new();
        for effect in effects {
            match effect {
                HubEffect::Store(op) => ops.push(op),
                other => rest.push(other),
            }
        }
        if !ops.is_empty() {
            self.storage.apply(self.hub.id(), ops).await?;
        }
        for effect in rest {
            match effect {
                HubEffect::Store(_) => {}
                HubEffect::Send { peer, message, .. } => {
                    let Some(target) = self.peers.get(&peer) else { continue };
                    if !self.may_read(target, &message) {
                        // Someone who asked before the document was theirs to see, and
                        // turned out not to be: they hear nothing of it.
                        self.peers.remove(&peer);
                        self.hub.forget(&peer);
                        continue;
                    }
                    if !target.send(Outbound::Frame(message.encode())) {
                        // Too slow to keep up, or gone: it resyncs when it reconnects.
                        self.peers.remove(&peer);
                        self.hub.forget(&peer);
                    }
                }
                HubEffect::Refuse { reason, .. } => {
                    tracing::info!(doc = %self.hub.id(), %reason, "refusing a bad message");
                    if let Some(conn) = conn {
                        conn.refuse(&reason);
                        self.peers.retain(|_, c| c.id() != conn.id());
                    }
                }
            }
        }
        Ok(())
    }
}

impl DocTask {
    /// Whether `message` may go to the peer on `conn`: anything when the relay does not
    /// require sign-in; otherwise only to someone who may read the document, except word
    /// that it is not there, which tells nothing.
    fn may_read(&self, conn: &ConnHandle, message: &launchplan_shared::protocol::Message) -> bool {
        let (Some(access), Some(account)) = (&self.access, conn.account()) else { return true };
        matches!(message, launchplan_shared::protocol::Message::DocUnavailable { .. })
            || access.may_read(account, self.hub.id())
    }
}

/// Milliseconds since the Unix epoch, for gossiped heads.
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}
