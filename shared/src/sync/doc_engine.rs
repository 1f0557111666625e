use std::collections::{BTreeMap, HashSet};

use automerge::sync::{self, SyncDoc};
use automerge::transaction::{CommitOptions, Transaction};
use automerge::{
    Automerge, AutomergeError, ChangeHash, LoadOptions, OnPartialLoad, Patch, PatchLog, ReadDoc,
    VerificationMode,
};

use super::{ChunkKey, DocRequest, StorageOp};
use crate::domain::history::Stamp;
use crate::domain::{Touch, touches_since};
use crate::protocol::Message;
use crate::{DocumentId, PeerId};

/// Incremental chunks a document may gather before the engine compacts them into a snapshot.
const COMPACT_AFTER_CHUNKS: usize = 64;
/// Changes, or operations, that storage may hold outside a snapshot before the engine
/// compacts. Below these a document loads within a few milliseconds from its changes, and a
/// full save (which compresses every column) is not worth its time; above them a snapshot
/// loads about 2.5 times faster and is 7 times smaller (one change of 1,000 tasks: 62 ms and
/// 356 KB, against 24 ms and 49 KB).
const COMPACT_AFTER_CHANGES: u64 = 64;
const COMPACT_AFTER_OPS: u64 = 1_000;

/// What the IO loop must do, in this order.
#[derive(Debug, Clone, PartialEq)]
pub enum DocEffect {
    /// Make this durable before performing any effect after it.
    Store(StorageOp),
    Send(Message),
    /// The document moved from `before` to `after`. An observed engine (see
    /// [`DocEngine::observed`]) also says what changed; `None` means "read it all again"
    /// (the first content of a document, or an engine nobody observes).
    Changed {
        before: Vec<ChangeHash>,
        after: Vec<ChangeHash>,
        observed: Option<Observed>,
    },
    /// `from` has no copy of the document.
    Unavailable {
        from: PeerId,
    },
}

/// What a change did, for a view of the document to read again only that.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    /// Automerge's patches: for a change made here (undo inverts them) and a document read
    /// from storage.
    Patches(Vec<Patch>),
    /// Where changes received from others wrote ([`touches_since`]): their patches would
    /// cost a walk of every entry of the map that holds each changed object.
    Touched(Vec<Touch>),
}

/// Why a peer's message about a document could not be applied. The peer is at fault; the
/// document is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error("malformed sync message for document {doc}: {reason}")]
    BadSyncMessage { doc: DocumentId, reason: String },
    #[error("the changes sent for document {doc} cannot be applied: {reason}")]
    BadChanges { doc: DocumentId, reason: String },
}

/// A document read back from storage, with the chunks that could not be read. Those stay in
/// storage untouched (compaction never deletes them) so that nothing is lost to a bug.
#[derive(Debug)]
pub struct LoadOutcome {
    pub engine: DocEngine,
    pub corrupt: Vec<ChunkKey>,
}

#[derive(Debug)]
struct PeerSync {
    state: sync::State,
    /// We have received at least one message from this peer about this document.
    heard_from: bool,
    /// The peer asked while we had nothing and was told so; it hears from us once we have
    /// something.
    told_unavailable: bool,
    /// The peer told us it has nothing of this document.
    has_nothing: bool,
}

impl PeerSync {
    fn new() -> Self {
        Self { state: sync::State::new(), heard_from: false, told_unavailable: false, has_nothing: false }
    }
}

/// Everything receiving a sync message can change in our sync state with its sender, except
/// `in_flight`, which every message clears. A message that carries no changes and leaves this
/// as it was tells us nothing: we said all we have to say to what it says when we answered
/// the message it repeats (a duplicated frame, or the peer answering twice from the same
/// state). Answering it anyway sends a copy of that answer, which the peer answers in turn:
/// two peers that cannot agree (one needs a change the other will not send again) would trade
/// such copies forever, and every duplicated frame would start one more such exchange.
#[derive(PartialEq)]
struct Heard {
    their_heads: Option<Vec<ChangeHash>>,
    their_need: Option<Vec<ChangeHash>>,
    their_have: Option<Vec<sync::Have>>,
    their_capabilities: Option<Vec<sync::Capability>>,
    peer_read_only: bool,
    shared_heads: Vec<ChangeHash>,
    last_sent_heads: Vec<ChangeHash>,
    /// Receiving only ever removes hashes from `sent_hashes`, so its size says whether it
    /// changed (without copying what may be every hash of the document).
    sent_hashes: usize,
}

impl Heard {
    fn of(state: &sync::State) -> Self {
        Self {
            their_heads: state.their_heads.clone(),
            their_need: state.their_need.clone(),
            their_have: state.their_have.clone(),
            their_capabilities: state.their_capabilities.clone(),
            peer_read_only: state.peer_read_only,
            shared_heads: state.shared_heads.clone(),
            last_sent_heads: state.last_sent_heads.clone(),
            sent_hashes: state.sent_hashes.len(),
        }
    }
}

/// Whether there is nothing to tell a peer: it holds our heads, knows that we hold them,
/// and asks for nothing. Automerge's `generate_sync_message` answers `None` then too, but only
/// after a Bloom filter of every change since the shared heads and a search for what to
/// send; a relay meets this state for every peer's answer to every change it passes on.
fn settled(state: &sync::State, ours: &[ChangeHash]) -> bool {
    !ours.is_empty()
        && state.have_responded
        && !state.needs_reset
        && state.last_sent_heads == ours
        && state.their_heads.as_deref() == Some(ours)
        && state.their_need.as_ref().is_none_or(Vec::is_empty)
}

/// How much a document holds.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    changes: u64,
    ops: u64,
}

impl Size {
    fn of(doc: &Automerge) -> Self {
        let stats = doc.stats();
        Self { changes: stats.num_changes, ops: stats.num_ops }
    }
}

/// Stored chunks in the order they read fastest: a snapshot into the empty document first,
/// then the changes stored since, which build on it.
fn snapshots_first(chunks: impl IntoIterator<Item = (ChunkKey, Vec<u8>)>) -> Vec<(ChunkKey, Vec<u8>)> {
    let mut chunks: Vec<_> = chunks.into_iter().collect();
    chunks.sort_by_key(|(key, _)| !key.is_snapshot());
    chunks
}

/// Reads one stored chunk into `doc`, all of it or nothing. Automerge reads what it can of a
/// chunk that is garbled partway, and reports success (a "partial load"): such a chunk would
/// count as stored, and the next compaction would delete it. So a chunk must first read whole
/// on its own.
fn read_chunk(doc: &mut Automerge, bytes: &[u8]) -> Result<(), AutomergeError> {
    let whole =
        LoadOptions::new().on_partial_load(OnPartialLoad::Error).verification_mode(VerificationMode::Check);
    match Automerge::load_with_options(bytes, whole) {
        // Into an empty document, the chunk read on its own is the document.
        Ok(alone) if doc.is_empty() => {
            let actor = doc.get_actor().clone();
            *doc = alone.with_actor(actor);
            return Ok(());
        }
        // Changes that build on changes in other chunks read whole all the same; they wait
        // in the document for what they build on.
        Ok(_) | Err(AutomergeError::MissingDeps) => {}
        Err(e) => return Err(e),
    }
    doc.load_incremental(bytes).map(drop)
}

/// One Automerge document and the sync state of every peer that shares it.
#[derive(Debug)]
pub struct DocEngine {
    id: DocumentId,
    me: PeerId,
    /// Boxed: the document's root struct is about 3.5 KB, and engines move into tasks and
    /// maps (a relay holds hundreds, each in its own task).
    doc: Box<Automerge>,
    peers: BTreeMap<PeerId, PeerSync>,
    /// Heads that storage covers.
    saved_heads: Vec<ChangeHash>,
    /// Chunks in storage that hold this document.
    chunks: Vec<ChunkKey>,
    /// How much of the document the snapshot in storage holds (nothing without one).
    in_snapshot: Size,
    /// Whether changes are stored at all (an ephemeral peer keeps nothing).
    persist: bool,
    /// Whether changes report their patches (a screen shows the document).
    observe: bool,
    /// Changes the relay refused (dropped by [`DocEngine::rewind_to`]) and those built on
    /// them: taken out of whatever a peer sends again (another tab of this browser that made
    /// or got them), so that they never come back.
    refused: HashSet<ChangeHash>,
}

impl DocEngine {
    /// A document nobody has written to yet.
    pub fn new(id: DocumentId, me: PeerId) -> Self {
        Self {
            id,
            me,
            doc: Box::new(Automerge::new()),
            peers: BTreeMap::new(),
            saved_heads: Vec::new(),
            chunks: Vec::new(),
            in_snapshot: Size::default(),
            persist: true,
            observe: false,
            refused: HashSet::new(),
        }
    }

    /// This engine reports, with every change, the patches that say what changed, so that a
    /// view updates only what they touch. Logging patches costs time, so only engines
    /// behind a screen do it.
    pub fn observed(mut self) -> Self {
        self.observe = true;
        self
    }

    /// Whether the next change logs its patches: when observed and the document has content
    /// already (its first content is read whole anyway).
    fn observing(&self) -> bool {
        self.observe && !self.doc.get_heads().is_empty()
    }

    fn patches(&self, observing: bool, log: &mut PatchLog) -> Option<Observed> {
        observing.then(|| Observed::Patches(self.doc.make_patches(log)))
    }

    /// This engine keeps nothing: it never asks for changes to be stored (an ephemeral peer,
    /// such as a load generator or a one-off import, that holds the document only in memory).
    pub fn in_memory(mut self) -> Self {
        self.persist = false;
        self
    }

    /// Rebuilds a document from its stored chunks, in any order.
    pub fn load(
        id: DocumentId,
        me: PeerId,
        chunks: impl IntoIterator<Item = (ChunkKey, Vec<u8>)>,
    ) -> LoadOutcome {
        let mut engine = Self::new(id, me);
        let mut corrupt = Vec::new();
        for (key, bytes) in snapshots_first(chunks) {
            match read_chunk(&mut engine.doc, &bytes) {
                Ok(()) => engine.chunks.push(key),
                Err(_) => corrupt.push(key),
            }
        }
        engine.saved_heads = engine.doc.get_heads();
        // How much a stored snapshot holds is not recorded: counting it all as the
        // snapshot's leaves compaction to the chunk count.
        if engine.chunks.iter().any(ChunkKey::is_snapshot) {
            engine.in_snapshot = Size::of(&engine.doc);
        }
        LoadOutcome { engine, corrupt }
    }

    /// Takes charge of storage that another writer kept for this document: merges what is
    /// stored into memory, then stores whatever memory holds that storage lacks. Used when
    /// this replica starts writing where another (a closed browser tab) wrote before.
    pub fn adopt_storage(
        &mut self,
        chunks: impl IntoIterator<Item = (ChunkKey, Vec<u8>)>,
        out: &mut Vec<DocEffect>,
    ) -> Vec<ChunkKey> {
        let before = self.doc.get_heads();
        let observing = self.observing();
        let mut log = PatchLog::new(observing);
        let mut stored = Automerge::new();
        let mut corrupt = Vec::new();
        self.chunks.clear();
        for (key, bytes) in snapshots_first(chunks) {
            let read = read_chunk(&mut stored, &bytes)
                .and_then(|()| self.doc.load_incremental_log_patches(&bytes, &mut log));
            match read {
                Ok(_) => self.chunks.push(key),
                Err(_) => corrupt.push(key),
            }
        }
        self.saved_heads = stored.get_heads();
        self.in_snapshot =
            if self.chunks.iter().any(ChunkKey::is_snapshot) { Size::of(&stored) } else { Size::default() };
        if self.doc.get_heads() != before {
            let observed = self.patches(observing, &mut log);
            out.push(DocEffect::Changed { before, after: self.doc.get_heads(), observed });
        }
        self.store_new_changes(out);
        corrupt
    }

    pub fn id(&self) -> DocumentId {
        self.id
    }

    pub fn doc(&self) -> &Automerge {
        &self.doc
    }

    pub fn heads(&self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// Nobody has written anything to this document that we know of.
    pub fn is_empty(&self) -> bool {
        self.doc.get_heads().is_empty()
    }

    pub fn has_peer(&self, peer: &PeerId) -> bool {
        self.peers.contains_key(peer)
    }

    pub fn peer_count(&self) -> usize {
        self.peers.len()
    }

    /// Starts syncing with `peer`, which we connected to: we speak first (a request if we have
    /// nothing, else a sync message). `saved` is the sync state we kept from an earlier
    /// connection to the same storage (see [`DocEngine::saved_sync_state`]), so that only
    /// what is missing is exchanged.
    pub fn connect_peer(&mut self, peer: PeerId, saved: Option<&[u8]>, out: &mut Vec<DocEffect>) {
        let mut sync = PeerSync::new();
        if let Some(state) = saved.and_then(|bytes| sync::State::decode(bytes).ok()) {
            sync.state = state;
        }
        self.peers.insert(peer.clone(), sync);
        self.sync_peer(&peer, out);
    }

    /// What is worth keeping of our sync state with `peer` across connections (the heads we
    /// know we share), encoded, with those heads.
    pub fn saved_sync_state(&self, peer: &PeerId) -> Option<(Vec<ChangeHash>, Vec<u8>)> {
        let state = &self.peers.get(peer)?.state;
        Some((state.shared_heads.clone(), state.encode()))
    }

    /// Forgets `peer` and its sync state.
    pub fn remove_peer(&mut self, peer: &PeerId) {
        self.peers.remove(peer);
    }

    /// Goes back to what `peer` holds of the document as far as we know (the heads we last
    /// agreed on, and those it told us of since that we have), dropping every change it does
    /// not hold: after the relay refused changes of ours, which it will never take, and which
    /// every later change of ours would build on. Storage is rewritten as one snapshot of
    /// what is kept, and the sync with `peer` starts over. Returns the patches that the
    /// dropped changes had made, to show the person what was undone.
    pub fn rewind_to(&mut self, peer: &PeerId, out: &mut Vec<DocEffect>) -> Vec<Patch> {
        let Some(sync) = self.peers.get(peer) else { return Vec::new() };
        let mut keep = sync.state.shared_heads.clone();
        for head in sync.state.their_heads.iter().flatten() {
            if self.doc.get_change_by_hash(head).is_some() && !keep.contains(head) {
                keep.push(*head);
            }
        }
        let before = self.doc.get_heads();
        let Ok(kept) = self.doc.fork_at(&keep) else { return Vec::new() };
        if kept.get_heads() == before {
            return Vec::new();
        }
        let undone = self.doc.diff(&kept.get_heads(), &before);
        self.refused.extend(self.doc.get_changes(&kept.get_heads()).iter().map(|c| c.hash()));
        *self.doc = kept;
        if self.persist {
            self.store_snapshot(out);
        }
        out.push(DocEffect::Changed { before, after: self.doc.get_heads(), observed: None });
        self.resync(peer, out);
        undone
    }

    /// Takes out of `message` the changes the relay refused, and those built on them. Only
    /// after a refusal, so a copy of the document is affordable: the changes are read into
    /// it (whatever form the message carries them in) and the good ones sent on one by one.
    fn drop_refused(&mut self, message: &mut sync::Message) {
        let mut copy = self.doc.fork();
        for chunk in message.changes.iter() {
            if copy.load_incremental(chunk).is_err() {
                // Unreadable: left for the sync to refuse as it would.
                return;
            }
        }
        let new = copy.get_changes(&self.doc.get_heads());
        let mut kept = Vec::new();
        for change in &new {
            if self.refused.contains(&change.hash()) || change.deps().iter().any(|d| self.refused.contains(d))
            {
                // `get_changes` lists a change after those it depends on: one pass suffices.
                self.refused.insert(change.hash());
            } else {
                kept.push(change.raw_bytes().to_vec());
            }
        }
        if kept.len() != new.len() {
            message.changes = kept.into();
        }
    }

    /// Whether `peer` shares the document with us.
    pub fn shares_with(&self, peer: &PeerId) -> bool {
        self.peers.contains_key(peer)
    }

    /// Starts the sync with `peer` over, from what we hold now.
    pub fn resync(&mut self, peer: &PeerId, out: &mut Vec<DocEffect>) {
        self.peers.insert(peer.clone(), PeerSync::new());
        self.sync_peer(peer, out);
    }

    /// The heads `peer` last told us it holds, if it has said.
    pub fn peer_heads(&self, peer: &PeerId) -> Option<&[ChangeHash]> {
        self.peers.get(peer)?.state.their_heads.as_deref()
    }

    /// Whether `peer` has told us it holds exactly what we hold (which, when we hold nothing
    /// and it said it has nothing, is nothing).
    pub fn in_sync_with(&self, peer: &PeerId) -> bool {
        let Some(p) = self.peers.get(peer) else { return false };
        let ours = self.doc.get_heads();
        p.state.their_heads.as_deref() == Some(ours.as_slice()) || (p.has_nothing && ours.is_empty())
    }

    /// Applies what `from` sent. A peer we have not seen is added.
    pub fn receive(
        &mut self,
        from: &PeerId,
        request: &DocRequest,
        out: &mut Vec<DocEffect>,
    ) -> Result<(), EngineError> {
        let (data, is_request) = match request {
            DocRequest::Request(data) => (data, true),
            DocRequest::Sync(data) => (data, false),
            DocRequest::Unavailable => {
                let peer = self.peers.entry(from.clone()).or_insert_with(PeerSync::new);
                peer.heard_from = true;
                peer.has_nothing = true;
                out.push(DocEffect::Unavailable { from: from.clone() });
                return Ok(());
            }
            DocRequest::Ephemeral { sender, count, session_id, data } => {
                // Passed on as its author said it, to everyone else who shares the document.
                for target in self.peers.keys().filter(|p| *p != from && *p != sender) {
                    out.push(DocEffect::Send(Message::Ephemeral {
                        sender_id: sender.clone(),
                        target_id: target.clone(),
                        document_id: self.id,
                        count: *count,
                        session_id: session_id.clone(),
                        data: data.clone(),
                    }));
                }
                return Ok(());
            }
        };
        let mut message = sync::Message::decode(data)
            .map_err(|e| EngineError::BadSyncMessage { doc: self.id, reason: e.to_string() })?;
        if !self.refused.is_empty() && !message.changes.is_empty() {
            self.drop_refused(&mut message);
        }
        let before = self.doc.get_heads();
        // A peer that started its sync with us over (it last synced at nothing) and holds
        // what we hold: automerge sees nothing to send, yet the peer cannot know it is in
        // sync until it hears our heads. Answered once, as to any first message.
        let restarted = message.changes.is_empty()
            && !before.is_empty()
            && message.heads == before
            && message.have.first().is_some_and(|have| have.last_sync.is_empty());
        // What arrives is observed from where its changes wrote, not from patches (see
        // `Observed::Touched`).
        let observing = self.observing();
        let peer = self.peers.entry(from.clone()).or_insert_with(PeerSync::new);
        peer.heard_from = true;
        peer.has_nothing = false;
        let (heard_before, was_in_flight) = (Heard::of(&peer.state), peer.state.in_flight);
        let carries_changes = !message.changes.is_empty();
        self.doc
            .receive_sync_message(&mut peer.state, message)
            .map_err(|e| EngineError::BadChanges { doc: self.id, reason: e.to_string() })?;
        if restarted {
            peer.state.have_responded = false;
        }
        let news = restarted || carries_changes || Heard::of(&peer.state) != heard_before;
        if !news {
            // Not an answer to what we have in flight either (see `Heard`).
            peer.state.in_flight = was_in_flight;
            return Ok(());
        }
        if is_request && self.doc.get_heads().is_empty() {
            if !peer.told_unavailable {
                peer.told_unavailable = true;
                out.push(DocEffect::Send(Message::DocUnavailable {
                    sender_id: self.me.clone(),
                    target_id: from.clone(),
                    document_id: self.id,
                }));
            }
            return Ok(());
        }
        if self.doc.get_heads() == before {
            self.sync_peer(from, out);
        } else {
            let observed = observing.then(|| Observed::Touched(touches_since(&self.doc, &before)));
            self.record_change(before, observed, out);
        }
        Ok(())
    }

    /// Takes in every change of `other` that this document lacks: a scenario forked from this
    /// plan merged back, or, into an empty document, the whole history of the plan it forks.
    /// Stored and sent like any change; nothing happens when there is nothing new.
    pub fn absorb(&mut self, other: &Automerge, out: &mut Vec<DocEffect>) -> Result<(), EngineError> {
        let new: Vec<automerge::Change> = self.doc.get_changes_added(other);
        if new.is_empty() {
            return Ok(());
        }
        let before = self.doc.get_heads();
        let observing = self.observing();
        let mut log = PatchLog::new(observing);
        self.doc
            .apply_changes_log_patches(new, &mut log)
            .map_err(|e| EngineError::BadChanges { doc: self.id, reason: e.to_string() })?;
        let observed = self.patches(observing, &mut log);
        self.record_change(before, observed, out);
        Ok(())
    }

    /// Makes a local change that says neither who made it nor when (see
    /// [`DocEngine::change_stamped`]). When `edit` fails, nothing is written and no effect is
    /// produced.
    pub fn change<O, E>(
        &mut self,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<O, E>,
        out: &mut Vec<DocEffect>,
    ) -> Result<O, E> {
        self.commit(CommitOptions::default(), edit, out)
    }

    /// Makes a local change that records who made it and when, for the task history to show
    /// (see [`Stamp`]). When `edit` fails, nothing is written and no effect is produced.
    pub fn change_stamped<O, E>(
        &mut self,
        stamp: Stamp,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<O, E>,
        out: &mut Vec<DocEffect>,
    ) -> Result<O, E> {
        self.commit(stamp.commit_options(), edit, out)
    }

    fn commit<O, E>(
        &mut self,
        options: CommitOptions,
        edit: impl FnOnce(&mut Transaction<'_>) -> Result<O, E>,
        out: &mut Vec<DocEffect>,
    ) -> Result<O, E> {
        let before = self.doc.get_heads();
        let observing = self.observing();
        let done = if observing {
            self.doc.transact_and_log_patches_with(|_| options, edit)
        } else {
            self.doc.transact_with(|_| options, edit)
        };
        let (result, mut log) = match done {
            Ok(success) => (success.result, success.patch_log),
            Err(failure) => return Err(failure.error),
        };
        if self.doc.get_heads() != before {
            let observed = self.patches(observing, &mut log);
            self.record_change(before, observed, out);
        }
        Ok(result)
    }

    /// Stores what is new, reports the change, then tells every peer.
    fn record_change(
        &mut self,
        before: Vec<ChangeHash>,
        observed: Option<Observed>,
        out: &mut Vec<DocEffect>,
    ) {
        self.store_new_changes(out);
        out.push(DocEffect::Changed { before, after: self.doc.get_heads(), observed });
        let peers: Vec<PeerId> = self.peers.keys().cloned().collect();
        for peer in &peers {
            self.sync_peer(peer, out);
        }
    }

    fn store_new_changes(&mut self, out: &mut Vec<DocEffect>) {
        if !self.persist {
            return;
        }
        let heads = self.doc.get_heads();
        if heads == self.saved_heads {
            return;
        }
        // Only what is new: cheap whatever the document's size. Compacting (a full save)
        // is for the IO loop to ask for when it has time (see `compact`).
        let bytes = self.doc.save_after(&self.saved_heads);
        let key = ChunkKey::incremental(&bytes);
        self.chunks.push(key.clone());
        out.push(DocEffect::Store(StorageOp::Put { key, bytes }));
        self.saved_heads = heads;
    }

    /// Whether storage should be compacted: it holds the document in many pieces, or much of
    /// it outside a snapshot (a long history that arrived whole from a peer, a template of
    /// many tasks). A document of a few small changes is not worth a full save.
    pub fn wants_compaction(&self) -> bool {
        let now = Size::of(&self.doc);
        self.persist
            && !self.chunks.is_empty()
            && (self.chunks.len() >= COMPACT_AFTER_CHUNKS
                || now.changes.saturating_sub(self.in_snapshot.changes) >= COMPACT_AFTER_CHANGES
                || now.ops.saturating_sub(self.in_snapshot.ops) >= COMPACT_AFTER_OPS)
    }

    /// Replaces what storage holds of the document with one snapshot, if it wants that. A
    /// full save costs time in proportion to the document, so the IO loop calls this when
    /// nothing waits on it: after the sends, after the screen has painted.
    pub fn compact(&mut self, out: &mut Vec<DocEffect>) {
        if !self.wants_compaction() {
            return;
        }
        self.store_snapshot(out);
    }

    /// Stores the whole document as one snapshot in place of every chunk stored before.
    fn store_snapshot(&mut self, out: &mut Vec<DocEffect>) {
        let bytes = self.doc.save();
        let key = ChunkKey::snapshot(&bytes);
        let mut replaces = std::mem::take(&mut self.chunks);
        replaces.retain(|k| *k != key);
        self.chunks.push(key.clone());
        self.saved_heads = self.doc.get_heads();
        self.in_snapshot = Size::of(&self.doc);
        out.push(DocEffect::Store(StorageOp::Compact { key, bytes, replaces }));
    }

    fn sync_peer(&mut self, peer_id: &PeerId, out: &mut Vec<DocEffect>) {
        let empty = self.is_empty();
        let Some(peer) = self.peers.get_mut(peer_id) else { return };
        // Told we have nothing, a peer that has nothing either waits to hear from us once we
        // do; one that says it has the document (it made it since) must hear back, or it
        // would wait for us to ask and we for it to send.
        let peer_has_it = peer.state.their_heads.as_ref().is_some_and(|heads| !heads.is_empty());
        if empty && peer.told_unavailable && !peer_has_it {
            return;
        }
        if settled(&peer.state, &self.doc.get_heads()) {
            return;
        }
        let Some(message) = self.doc.generate_sync_message(&mut peer.state) else { return };
        let (sender_id, target_id, document_id, data) =
            (self.me.clone(), peer_id.clone(), self.id, message.encode());
        out.push(DocEffect::Send(if empty && !peer.heard_from {
            Message::Request { sender_id, target_id, document_id, data }
        } else {
            Message::Sync { sender_id, target_id, document_id, data }
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemberId;
    use crate::domain::history::task_history;
    use crate::domain::{Project, ProjectKind, Task, commands};

    fn stores(out: &[DocEffect]) -> Vec<&StorageOp> {
        out.iter().filter_map(|e| if let DocEffect::Store(op) = e { Some(op) } else { None }).collect()
    }

    /// The sync messages among `out`, as their target receives them.
    fn sent(out: Vec<DocEffect>) -> Vec<DocRequest> {
        out.into_iter()
            .filter_map(|effect| match effect {
                DocEffect::Send(Message::Sync { data, .. }) => Some(DocRequest::Sync(data)),
                DocEffect::Send(Message::Request { data, .. }) => Some(DocRequest::Request(data)),
                _ => None,
            })
            .collect()
    }

    /// Delivers what each side says to the other, every message `copies` times, until neither
    /// has anything to say or `cap` messages were delivered. Returns the messages delivered.
    fn exchange(
        (laptop, relay): (&mut DocEngine, &mut DocEngine),
        (mut to_relay, mut to_laptop): (Vec<DocRequest>, Vec<DocRequest>),
        copies: usize,
        cap: usize,
    ) -> usize {
        let (laptop_id, relay_id) = (laptop.me.clone(), relay.me.clone());
        let mut delivered = 0;
        while (!to_relay.is_empty() || !to_laptop.is_empty()) && delivered < cap {
            let mut out = Vec::new();
            for request in to_relay.drain(..) {
                for _ in 0..copies {
                    relay.receive(&laptop_id, &request, &mut out).expect("receive");
                    delivered += 1;
                }
            }
            to_laptop.extend(sent(out));
            let mut out = Vec::new();
            for request in to_laptop.drain(..) {
                for _ in 0..copies {
                    laptop.receive(&relay_id, &request, &mut out).expect("receive");
                    delivered += 1;
                }
            }
            to_relay.extend(sent(out));
        }
        delivered
    }

    #[test]
    fn peers_that_cannot_agree_fall_quiet_and_a_duplicate_gets_no_second_answer() {
        for copies in [1, 2] {
            let doc = DocumentId::random();
            let mut laptop = DocEngine::new(doc, "laptop".parse().expect("peer"));
            let mut relay = DocEngine::new(doc, "relay".parse().expect("peer"));
            let mut out = Vec::new();
            let project = Project::new("618", ProjectKind::Campaign, 1);
            laptop.change(|tx| commands::create_project(tx, &project), &mut out).expect("create");
            laptop.connect_peer(relay.me.clone(), None, &mut out);
            exchange((&mut laptop, &mut relay), (sent(out), Vec::new()), copies, 100);
            assert_eq!(relay.heads(), laptop.heads());

            // The laptop's next change is lost on the way. It is not sent again on this
            // connection, so the relay, told of heads it lacks, cannot catch up: there is
            // nothing to do but wait for a new connection, and nothing worth saying.
            let mut lost = Vec::new();
            laptop.change(|tx| commands::rename_project(tx, "618 大促"), &mut lost).expect("rename");
            let mut out = Vec::new();
            relay.change(|tx| commands::add_task(tx, &Task::new("主图", None, 1)), &mut out).expect("add");
            let delivered = exchange((&mut laptop, &mut relay), (Vec::new(), sent(out)), copies, 1_000);
            assert!(delivered <= 10 * copies, "{delivered} messages, each delivered {copies} times");
            assert_ne!(relay.heads(), laptop.heads());

            // A new connection mends it.
            laptop.remove_peer(&relay.me);
            relay.remove_peer(&laptop.me);
            let mut out = Vec::new();
            laptop.connect_peer(relay.me.clone(), None, &mut out);
            exchange((&mut laptop, &mut relay), (sent(out), Vec::new()), copies, 100);
            assert_eq!(relay.heads(), laptop.heads());
            assert!(relay.in_sync_with(&laptop.me) && laptop.in_sync_with(&relay.me));
        }
    }

    /// A peer that starts its sync with us over while it holds what we hold (as a client does
    /// after dropping changes the relay refused) still hears our heads, or it could never
    /// tell that it is in sync: automerge alone answers nothing, seeing nothing to send.
    #[test]
    fn a_peer_that_starts_over_at_our_heads_hears_them() {
        let doc = DocumentId::random();
        let mut laptop = DocEngine::new(doc, "laptop".parse().expect("peer"));
        let mut relay = DocEngine::new(doc, "relay".parse().expect("peer"));
        let mut out = Vec::new();
        let project = Project::new("双十一", ProjectKind::Campaign, 1);
        laptop.change(|tx| commands::create_project(tx, &project), &mut out).expect("create");
        laptop.connect_peer(relay.me.clone(), None, &mut out);
        exchange((&mut laptop, &mut relay), (sent(out), Vec::new()), 1, 100);
        assert!(laptop.in_sync_with(&relay.me) && relay.in_sync_with(&laptop.me));

        for copies in [1, 2, 1] {
            let mut out = Vec::new();
            laptop.resync(&relay.me, &mut out);
            assert!(!laptop.in_sync_with(&relay.me), "a fresh start knows nothing of the relay");
            let delivered = exchange((&mut laptop, &mut relay), (sent(out), Vec::new()), copies, 100);
            assert!(delivered <= 3 * copies * copies, "{delivered} messages, each delivered {copies} times");
            assert!(laptop.in_sync_with(&relay.me), "the relay answered with its heads");
            assert!(relay.in_sync_with(&laptop.me));
        }
    }

    /// A scenario forked from a plan holds its whole history; changed apart from it, and
    /// merged back, the plan has both sides' changes; merging again changes nothing.
    #[test]
    fn a_fork_changed_apart_merges_back_with_both_sides_changes() {
        let me: PeerId = "laptop".parse().expect("peer");
        let mut plan = DocEngine::new(DocumentId::random(), me.clone());
        let mut out = Vec::new();
        let project = Project::new("双十一大促", ProjectKind::Campaign, 1);
        let (banner, coupon) = (Task::new("首页banner", None, 1), Task::new("优惠券配置", None, 1));
        plan.change(|tx| commands::create_project(tx, &project), &mut out).expect("create");
        plan.change(|tx| commands::add_task(tx, &banner), &mut out).expect("add");
        plan.change(|tx| commands::add_task(tx, &coupon), &mut out).expect("add");

        let mut scenario = DocEngine::new(DocumentId::random(), me);
        let mut forked = Vec::new();
        scenario.absorb(plan.doc(), &mut forked).expect("fork");
        assert_eq!(scenario.heads(), plan.heads(), "the whole history");
        assert!(!stores(&forked).is_empty(), "and stored");
        let mut out = Vec::new();
        scenario
            .change(|tx| commands::rename_task(tx, banner.id, "首页banner（推演）"), &mut out)
            .expect("edit");
        plan.change(|tx| commands::rename_task(tx, coupon.id, "优惠券配置（定稿）"), &mut out).expect("edit");

        let mut merged = Vec::new();
        plan.absorb(scenario.doc(), &mut merged).expect("merge");
        assert!(merged.iter().any(|e| matches!(e, DocEffect::Changed { .. })));
        let read = commands::read_project(plan.doc()).expect("plan");
        assert_eq!(read.tasks[&banner.id].title, "首页banner（推演）");
        assert_eq!(read.tasks[&coupon.id].title, "优惠券配置（定稿）");
        let mut again = Vec::new();
        plan.absorb(scenario.doc(), &mut again).expect("merge");
        assert!(again.is_empty(), "nothing new: {again:?}");
    }

    #[test]
    fn edits_store_only_what_is_new_and_compaction_waits_to_be_asked() {
        let mut engine = DocEngine::new(DocumentId::random(), "laptop".parse().expect("peer"));
        let mut out = Vec::new();
        engine
            .change(
                |tx| commands::create_project(tx, &Project::new("618", ProjectKind::Campaign, 1)),
                &mut out,
            )
            .expect("create");
        assert!(matches!(stores(&out)[..], [StorageOp::Put { .. }]), "an edit never does a full save");
        assert!(!engine.wants_compaction(), "a document of one change is not worth a full save");
        for n in 0..COMPACT_AFTER_CHUNKS - 1 {
            let task = Task::new(format!("任务 {n}"), None, n as i64);
            let mut out = Vec::new();
            engine.change(|tx| commands::add_task(tx, &task), &mut out).expect("add");
            assert!(matches!(stores(&out)[..], [StorageOp::Put { .. }]));
        }
        assert!(engine.wants_compaction(), "{COMPACT_AFTER_CHUNKS} chunks are many");
        let mut compaction = Vec::new();
        engine.compact(&mut compaction);
        let [StorageOp::Compact { replaces, .. }] = &stores(&compaction)[..] else {
            panic!("{compaction:?}")
        };
        assert_eq!(replaces.len(), COMPACT_AFTER_CHUNKS);
        let store = stores(&compaction).into_iter().cloned().collect::<Vec<_>>();
        let reloaded = DocEngine::load(
            engine.id(),
            "again".parse().expect("peer"),
            match &store[0] {
                StorageOp::Compact { key, bytes, .. } => vec![(key.clone(), bytes.clone())],
                StorageOp::Put { key, bytes } => vec![(key.clone(), bytes.clone())],
            },
        );
        assert_eq!(reloaded.engine.heads(), engine.heads(), "the snapshot holds everything");
    }

    #[test]
    fn a_long_history_or_a_big_change_stored_in_one_piece_is_compacted_and_a_short_one_is_not() {
        let writer = || {
            let mut writer =
                DocEngine::new(DocumentId::random(), "laptop".parse().expect("peer")).in_memory();
            let project = Project::new("双十一", ProjectKind::Campaign, 1);
            writer.change(|tx| commands::create_project(tx, &project), &mut Vec::new()).expect("create");
            writer
        };
        let load = |writer: &DocEngine| {
            let bytes = writer.doc().save_after(&[]);
            DocEngine::load(
                writer.id(),
                "relay".parse().expect("peer"),
                [(ChunkKey::incremental(&bytes), bytes)],
            )
            .engine
        };
        let mut short = writer();
        assert!(!load(&short).wants_compaction(), "one change loads as fast from its chunk");

        // Many small changes: renames of a few operations each.
        for n in 1..COMPACT_AFTER_CHANGES - 1 {
            short
                .change(|tx| commands::rename_project(tx, &format!("双十一 {n}")), &mut Vec::new())
                .expect("rename");
        }
        assert!(Size::of(short.doc()).ops < COMPACT_AFTER_OPS);
        assert!(!load(&short).wants_compaction(), "{} changes", COMPACT_AFTER_CHANGES - 1);
        short.change(|tx| commands::rename_project(tx, "双十一 终"), &mut Vec::new()).expect("rename");
        let mut long = load(&short);
        assert!(long.wants_compaction(), "{COMPACT_AFTER_CHANGES} changes in one chunk load slowly");
        let mut compaction = Vec::new();
        long.compact(&mut compaction);
        assert!(matches!(stores(&compaction)[..], [StorageOp::Compact { .. }]));
        assert!(!long.wants_compaction(), "the snapshot holds them");

        // One big change: a template of many tasks.
        let mut big = writer();
        let tasks: Vec<Task> = (0..60).map(|n| Task::new(format!("任务 {n}"), None, n)).collect();
        big.change(|tx| tasks.iter().try_for_each(|task| commands::add_task(tx, task)), &mut Vec::new())
            .expect("add");
        assert!(Size::of(big.doc()).changes < COMPACT_AFTER_CHANGES);
        assert!(Size::of(big.doc()).ops >= COMPACT_AFTER_OPS);
        assert!(load(&big).wants_compaction(), "a change of many operations loads slowly");
    }

    #[test]
    fn a_stamped_change_says_who_made_it_and_when_and_an_unstamped_one_does_not() {
        let mut engine = DocEngine::new(DocumentId::random(), "laptop".parse().expect("peer")).observed();
        let mut out = Vec::new();
        let project = Project::new("618", ProjectKind::Campaign, 1);
        engine.change(|tx| commands::create_project(tx, &project), &mut out).expect("create");
        let task = Task::new("主图", None, 1);
        engine.change(|tx| commands::add_task(tx, &task), &mut out).expect("add");
        let alice = MemberId::derived("alice");
        let stamp = Stamp { time_ms: 1_767_225_600_000, by: Some(alice) };
        let mut renamed = Vec::new();
        engine
            .change_stamped(stamp, |tx| commands::rename_task(tx, task.id, "主图拍摄"), &mut renamed)
            .expect("rename");
        assert!(
            matches!(&renamed[..], [DocEffect::Store(_), DocEffect::Changed { observed: Some(_), .. }]),
            "a stamped change is stored and reported like any other: {renamed:?}"
        );
        let history = task_history(engine.doc(), task.id, 10);
        let said: Vec<_> = history.iter().map(|c| (c.field.as_str(), c.by, c.at)).collect();
        assert_eq!(said, [("title", Some(alice), Some(stamp.time_ms)), ("", None, None)]);
    }

    #[test]
    fn a_chunk_that_reads_only_in_part_is_corrupt_whatever_was_read_before_it() {
        let mut engine = DocEngine::new(DocumentId::random(), "laptop".parse().expect("peer"));
        let mut out = Vec::new();
        let project = Project::new("618", ProjectKind::Campaign, 1);
        engine.change(|tx| commands::create_project(tx, &project), &mut out).expect("create");
        let mut compaction = Vec::new();
        engine.store_snapshot(&mut compaction);
        let Some(StorageOp::Compact { key, bytes, .. }) = stores(&compaction).pop().cloned() else {
            panic!("{compaction:?}")
        };
        let snapshot = (key, bytes);
        let before = engine.heads();
        let tasks = [Task::new("主图", None, 1), Task::new("详情页", None, 2)];
        for task in &tasks {
            engine.change(|tx| commands::add_task(tx, task), &mut Vec::new()).expect("add");
        }
        // Two changes in one chunk: the disk garbles the second, or every byte after the header.
        let both = engine.doc().save_after(&before);
        let first_len = engine.doc().get_changes(&before)[0].raw_bytes().len();
        let mut tail = both.clone();
        tail[first_len + 12..].iter_mut().for_each(|b| *b ^= 0x5a);
        let mut all = both.clone();
        all[8..].iter_mut().for_each(|b| *b ^= 0x5a);

        for garbled in [tail, all] {
            let key = ChunkKey::incremental(&garbled);
            let chunks = [(key.clone(), garbled.clone()), snapshot.clone()];
            let LoadOutcome { engine: mut loaded, corrupt } =
                DocEngine::load(engine.id(), "relay".parse().expect("peer"), chunks.clone());
            assert_eq!(corrupt, std::slice::from_ref(&key));
            assert_eq!(loaded.heads(), before, "nothing of the garbled chunk is read");
            let later = Task::new("客服话术", None, 3);
            loaded.change(|tx| commands::add_task(tx, &later), &mut Vec::new()).expect("add");
            let mut compaction = Vec::new();
            loaded.store_snapshot(&mut compaction);
            let [StorageOp::Compact { replaces, .. }] = &stores(&compaction)[..] else {
                panic!("{compaction:?}")
            };
            assert!(replaces.contains(&snapshot.0), "{replaces:?}");
            assert!(!replaces.contains(&key), "compaction never deletes a garbled chunk");

            let mut tab = DocEngine::new(engine.id(), "tab".parse().expect("peer"));
            let corrupt = tab.adopt_storage(chunks, &mut Vec::new());
            assert_eq!(corrupt, [key]);
            assert_eq!(tab.heads(), before);
        }
    }
}
