//! The browser's own storage (IndexedDB), with writes in order and a count of those not yet
//! committed: "saved" means the count is zero.

use std::rc::Rc;

use automerge::ChangeHash;
use futures::StreamExt;
use futures::channel::mpsc;
use launchplan_shared::DocumentId;
use launchplan_shared::domain::PlanView;
use launchplan_shared::sync::{ChunkKey, StorageOp};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use super::Errors;
use crate::store::{Idb, IdbError, KnownProject};

enum Write {
    Chunk(DocumentId, StorageOp),
    SyncState(DocumentId, String, Vec<u8>),
    Project(KnownProject),
    View(DocumentId, String, Vec<u8>),
}

pub(crate) struct Storage {
    idb: Idb,
    queue: mpsc::UnboundedSender<Write>,
    /// Writes handed over and not yet committed.
    pub(crate) pending: RwSignal<usize>,
}

super::shared_service!(
    /// The browser's storage, shared by the components.
    StorageCtx => Storage
);

impl Storage {
    /// Opens IndexedDB and starts the writer.
    pub(crate) async fn open(errors: Errors) -> Result<StorageCtx, IdbError> {
        let (queue, mut writes) = mpsc::unbounded();
        let storage = Rc::new(Storage { idb: Idb::open().await?, queue, pending: RwSignal::new(0) });
        let writer = Rc::clone(&storage);
        spawn_local(async move {
            while let Some(write) = writes.next().await {
                let done = match &write {
                    Write::Chunk(doc, op) => writer.idb.apply(*doc, op).await,
                    Write::SyncState(doc, storage_id, state) => {
                        writer.idb.put_sync_state(*doc, storage_id, state).await
                    }
                    Write::Project(project) => writer.idb.remember_project(project).await,
                    Write::View(doc, heads, view) => writer.idb.put_view(*doc, heads, view).await,
                };
                if let Err(e) = done {
                    errors.report(e);
                }
                if matches!(write, Write::Chunk(..)) {
                    writer.pending.update(|n| *n = n.saturating_sub(1));
                }
            }
        });
        Ok(StorageCtx(SendWrapper::new(storage)))
    }

    /// Queues a chunk write; writes commit in the order they were queued.
    pub(crate) fn write(&self, doc: DocumentId, op: StorageOp) {
        self.pending.update(|n| *n += 1);
        let _ = self.queue.unbounded_send(Write::Chunk(doc, op));
    }

    pub(crate) fn keep_sync_state(&self, doc: DocumentId, storage_id: String, state: Vec<u8>) {
        let _ = self.queue.unbounded_send(Write::SyncState(doc, storage_id, state));
    }

    /// Remembers a plan opened from a link (outside any workspace this browser is in).
    pub(crate) fn remember(&self, project: KnownProject) {
        let _ = self.queue.unbounded_send(Write::Project(project));
    }

    /// Keeps `view` of `doc`, read at `heads`, so that the plan reopens without reading it
    /// all again.
    pub(crate) fn keep_view(&self, doc: DocumentId, heads: &[ChangeHash], view: &PlanView) {
        let Ok(bytes) = serde_json::to_vec(view) else { return };
        let heads: Vec<String> = heads.iter().map(ChangeHash::to_string).collect();
        let _ = self.queue.unbounded_send(Write::View(doc, heads.join(","), bytes));
    }

    /// The view of `doc` kept last, and the heads it was read at; `None` when there is none
    /// or it cannot be read (an older app's, say): then the plan is read afresh.
    pub(crate) async fn kept_view(&self, doc: DocumentId) -> Option<(Vec<ChangeHash>, PlanView)> {
        let (heads, bytes) = self.idb.view(doc).await.ok()??;
        let heads =
            heads.split(',').filter(|h| !h.is_empty()).map(|h| h.parse().ok()).collect::<Option<Vec<_>>>()?;
        let view = serde_json::from_slice(&bytes).ok()?;
        Some((heads, view))
    }

    pub(crate) async fn chunks(&self, doc: DocumentId) -> Result<Vec<(ChunkKey, Vec<u8>)>, IdbError> {
        self.idb.load_chunks(doc).await
    }

    pub(crate) async fn sync_states(&self, doc: DocumentId) -> Result<Vec<(String, Vec<u8>)>, IdbError> {
        self.idb.load_sync_states(doc).await
    }

    /// IndexedDB itself, for what is not written through the queue (attachments).
    pub(crate) fn idb(&self) -> &Idb {
        &self.idb
    }

    pub(crate) async fn known_projects(&self) -> Result<Vec<KnownProject>, IdbError> {
        self.idb.projects().await
    }
}
