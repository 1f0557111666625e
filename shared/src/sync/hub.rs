//! The relay's work on one document, without IO: it takes each peer's messages, holds what
//! they change to what the peer may write, and says what to store and whom to tell. The
//! relay's tokio code keeps one hub per loaded document and performs its effects; the
//! simulation and the fuzz targets drive the same hub.
//!
//! Effects come in order, under [`super`]'s durability contract: every
//! [`HubEffect::Store`] comes before any send that tells of what it stores.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use automerge::sync;
use automerge::{Automerge, ChangeHash, Prop, ReadDoc, legacy};

use super::{DocEffect, DocEngine, DocRequest, StorageOp};
use crate::domain::permissions::{Part, WriteRule, comment_author};
use crate::protocol::{HeadsAt, Message, encode_heads};
use crate::{DocumentId, PeerId};

/// One message for the document, from a peer on a connection.
#[derive(Debug)]
pub struct Arrival {
    pub from: PeerId,
    /// The connection it came on: a peer on a new connection starts its sync over.
    pub conn: u64,
    /// The storage the peer joined with, if it has one that outlives the connection.
    pub storage: Option<String>,
    pub request: DocRequest,
    /// What the peer may write to this document.
    pub writes: WriteRule,
}

/// What the shell must do, in this order.
#[derive(Debug, Clone, PartialEq)]
pub enum HubEffect {
    /// Make this durable before performing any effect after it.
    Store(StorageOp),
    /// Queue `message` for `peer` on connection `conn`. A peer too slow to take it is
    /// dropped ([`DocHub::forget`]); it resyncs when it reconnects.
    Send { conn: u64, peer: PeerId, message: Message },
    /// Send an `error` saying `reason` on `conn`, then close it: its peer broke the protocol.
    Refuse { conn: u64, reason: String },
}

/// Whether a peer asked (on its present connection) to hear of the heads that a storage
/// holds.
pub type Subscribed<'a> = &'a dyn Fn(&PeerId, &str) -> bool;

#[derive(Debug)]
struct Peer {
    conn: u64,
    storage: Option<String>,
    /// The changes last refused on this connection, as a fingerprint of their bytes: the
    /// peer is told once for them, however often it sends them again until it rewinds, and
    /// told again for changes it makes after (but not for ones that only rest on refused
    /// changes, once it has been told of those).
    told_refused: Option<u64>,
}

/// One document on the relay: its engine, the peers that share it, and the heads gossiped to
/// peers that subscribed to a storage.
#[derive(Debug)]
pub struct DocHub {
    engine: DocEngine,
    me: PeerId,
    /// The relay's own storage id, whose heads subscribers hear of.
    storage: String,
    peers: HashMap<PeerId, Peer>,
    /// The heads of each storage we last told subscribers about.
    gossiped: HashMap<String, Vec<ChangeHash>>,
}

impl DocHub {
    /// A hub around `engine` (loaded from storage), for the relay `me` whose storage is
    /// `storage`.
    pub fn new(engine: DocEngine, me: PeerId, storage: String) -> Self {
        Self { engine, me, storage, peers: HashMap::new(), gossiped: HashMap::new() }
    }

    pub fn id(&self) -> DocumentId {
        self.engine.id()
    }

    pub fn doc(&self) -> &Automerge {
        self.engine.doc()
    }

    pub fn heads(&self) -> Vec<ChangeHash> {
        self.engine.heads()
    }

    /// No peer shares the document: the shell may unload it once it has been quiet.
    pub fn is_idle(&self) -> bool {
        self.peers.is_empty()
    }

    /// Whether `peer` shares the document on connection `conn`.
    pub fn has_peer_on(&self, peer: &PeerId, conn: u64) -> bool {
        self.peers.get(peer).is_some_and(|p| p.conn == conn)
    }

    /// Takes one message. `now_ms` stamps the heads gossiped to subscribers.
    pub fn receive(
        &mut self,
        arrival: Arrival,
        now_ms: u64,
        subscribed: Subscribed,
        out: &mut Vec<HubEffect>,
    ) {
        let Arrival { from, conn, storage, request, writes } = arrival;
        if self.peers.get(&from).map(|p| p.conn) != Some(conn) {
            self.engine.remove_peer(&from);
            self.peers.insert(from.clone(), Peer { conn, storage, told_refused: None });
        }
        let request = match self.admit(&from, conn, request, &writes, out) {
            Ok(request) => request,
            Err(reason) => {
                out.push(HubEffect::Refuse { conn, reason });
                self.forget(&from);
                return;
            }
        };
        let mut effects = Vec::new();
        match self.engine.receive(&from, &request, &mut effects) {
            Ok(()) => {
                self.route(effects, out);
                self.gossip_heads(&from, now_ms, subscribed, out);
            }
            Err(e) => {
                out.push(HubEffect::Refuse { conn, reason: e.to_string() });
                self.forget(&from);
            }
        }
    }

    /// Makes a change of the relay's own (a member let in with an invitation), stored and
    /// sent to every peer. When `edit` fails, nothing is written.
    pub fn change<E>(
        &mut self,
        edit: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), E>,
        out: &mut Vec<HubEffect>,
    ) -> Result<(), E> {
        let mut effects = Vec::new();
        self.engine.change(edit, &mut effects)?;
        self.route(effects, out);
        Ok(())
    }

    /// Compacts stored chunks into one when there are many. The shell may fail to store
    /// this without harm: the chunks it would replace stay, and load to the same document.
    pub fn compact(&mut self, out: &mut Vec<HubEffect>) {
        let mut effects = Vec::new();
        self.engine.compact(&mut effects);
        self.route(effects, out);
    }

    /// `peer`'s connection `conn` ended; a newer connection of the same peer stays.
    pub fn left(&mut self, peer: &PeerId, conn: u64) {
        if self.peers.get(peer).map(|p| p.conn) == Some(conn) {
            self.forget(peer);
        }
    }

    /// Drops `peer` (gone, or too slow to keep up): it starts over when it comes back.
    pub fn forget(&mut self, peer: &PeerId) {
        self.peers.remove(peer);
        self.engine.remove_peer(peer);
    }

    /// The request as the document may take it: changes that `writes` refuses are taken out
    /// (the rest of the message, what the peer has and needs, still counts) and the peer is
    /// told why, once for the same changes. `Err` for a message that cannot be read.
    fn admit(
        &mut self,
        from: &PeerId,
        conn: u64,
        request: DocRequest,
        writes: &WriteRule,
        out: &mut Vec<HubEffect>,
    ) -> Result<DocRequest, String> {
        if *writes == WriteRule::Everything {
            return Ok(request);
        }
        let (data, is_request) = match &request {
            DocRequest::Request(data) => (data, true),
            DocRequest::Sync(data) => (data, false),
            DocRequest::Unavailable | DocRequest::Ephemeral { .. } => return Ok(request),
        };
        let doc = self.engine.id();
        let mut message = sync::Message::decode(data)
            .map_err(|e| format!("malformed sync message for document {doc}: {e}"))?;
        if message.changes.is_empty() {
            return Ok(request);
        }
        let Some(why) = refusal(self.engine.doc(), &message.changes, writes)? else { return Ok(request) };
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for chunk in message.changes.iter() {
                chunk.hash(&mut hasher);
            }
            hasher.finish()
        };
        message.changes = Vec::<Vec<u8>>::new().into();
        let data = message.encode();
        // Changes resting on refused ones, sent before their author heard of the refusal,
        // need no word of their own: the author rewinds past them anyway.
        let consequence = why == BUILDS_ON_MISSING;
        if let Some(peer) = self.peers.get_mut(from)
            && peer.told_refused != Some(fingerprint)
            && !(consequence && peer.told_refused.is_some())
        {
            peer.told_refused = Some(fingerprint);
            let message = Message::ChangeRefused {
                sender_id: self.me.clone(),
                target_id: from.clone(),
                document_id: doc,
                message: why,
            };
            out.push(HubEffect::Send { conn, peer: from.clone(), message });
        }
        Ok(if is_request { DocRequest::Request(data) } else { DocRequest::Sync(data) })
    }

    /// The engine's effects, with each message addressed to its peer's connection. Messages
    /// for peers no longer here are dropped.
    fn route(&self, effects: Vec<DocEffect>, out: &mut Vec<HubEffect>) {
        for effect in effects {
            match effect {
                DocEffect::Store(op) => out.push(HubEffect::Store(op)),
                DocEffect::Send(message) => {
                    let Some(target) = message.target_id() else { continue };
                    let Some(peer) = self.peers.get(target) else { continue };
                    out.push(HubEffect::Send { conn: peer.conn, peer: target.clone(), message });
                }
                DocEffect::Changed { .. } | DocEffect::Unavailable { .. } => {}
            }
        }
    }

    /// Tells peers that subscribed to a storage (`remote-subscription-change`) when the
    /// heads it holds of this document moved: the sender's, and the relay's own.
    fn gossip_heads(&mut self, from: &PeerId, now_ms: u64, subscribed: Subscribed, out: &mut Vec<HubEffect>) {
        let mut moved = Vec::new();
        let sender_storage = self.peers.get(from).and_then(|p| p.storage.as_ref());
        if let (Some(storage), Some(heads)) = (sender_storage, self.engine.peer_heads(from))
            && self.gossiped.get(storage).map(Vec::as_slice) != Some(heads)
        {
            moved.push((storage.clone(), heads.to_vec()));
        }
        let ours = self.engine.heads();
        if self.gossiped.get(&self.storage) != Some(&ours) {
            moved.push((self.storage.clone(), ours));
        }
        for (storage, heads) in moved {
            for (peer, p) in &self.peers {
                if p.storage.as_deref() == Some(storage.as_str()) || !subscribed(peer, &storage) {
                    continue;
                }
                let new_heads = BTreeMap::from([(
                    storage.clone(),
                    HeadsAt { heads: encode_heads(&heads), timestamp: now_ms },
                )]);
                let message = Message::RemoteHeadsChanged {
                    sender_id: self.me.clone(),
                    target_id: peer.clone(),
                    document_id: self.engine.id(),
                    new_heads,
                };
                out.push(HubEffect::Send { conn: p.conn, peer: peer.clone(), message });
            }
            self.gossiped.insert(storage, heads);
        }
    }
}

/// Why changes are refused that rest on changes the relay lacks: mostly ones sent before
/// their author heard that an earlier change was refused.
const BUILDS_ON_MISSING: &str =
    "changes that build on changes the relay does not have (were earlier ones refused?)";

/// Why `writes` refuses the changes in `chunks`, if it does: applied to a copy of `doc`, each
/// of their operations writes at a place (the path of the object it writes to, from the
/// document as it would be, and its key in a map) that the rule must allow. `Err` for chunks
/// that cannot be read.
fn refusal(doc: &Automerge, chunks: &sync::ChunkList, writes: &WriteRule) -> Result<Option<String>, String> {
    if *writes == WriteRule::Nothing {
        return Ok(Some("your role may read this document, not change it".to_owned()));
    }
    let mut copy = doc.fork();
    for chunk in chunks.iter() {
        copy.load_incremental(chunk).map_err(|e| format!("changes that cannot be applied: {e}"))?;
    }
    let missing_before: HashSet<ChangeHash> = doc.get_missing_deps(&[]).into_iter().collect();
    if copy.get_missing_deps(&[]).iter().any(|hash| !missing_before.contains(hash)) {
        return Ok(Some(BUILDS_ON_MISSING.to_owned()));
    }
    let mut refused = BTreeSet::new();
    // For a commenter: the comments (root keys) the changes touch.
    let mut comments = BTreeSet::new();
    for change in copy.get_changes(&doc.get_heads()) {
        for op in change.decode().operations {
            let place = place(&copy, &op);
            if let Some(part) = writes.refuses(&place) {
                refused.insert(part);
            }
            if let (WriteRule::CommentsBy(_), Some(key)) = (writes, place.first()) {
                comments.insert(key.clone());
            }
        }
    }
    if let WriteRule::CommentsBy(me) = writes {
        // Every comment touched was, and is, this member's own (or is not there).
        let me = me.to_string();
        let theirs = |d: &Automerge, key: &str| comment_author(d, key).is_some_and(|a| a != me);
        let foreign = |d: &Automerge, key: &str| {
            d.get(automerge::ROOT, key).ok().flatten().is_some() && comment_author(d, key).is_none()
        };
        if comments.iter().any(|key| theirs(doc, key) || theirs(&copy, key) || foreign(&copy, key)) {
            return Ok(Some("you may add and change only comments of your own".to_owned()));
        }
    }
    Ok((!refused.is_empty()).then(|| {
        let names: Vec<&str> = refused.into_iter().map(part_name).collect();
        format!("your role may not change {}", names.join(", "))
    }))
}

/// Where `op` writes: the path of its object (map keys and list positions from the root)
/// and, in a map, its key. An object the document cannot place is at `?`, a place no rule
/// but [`WriteRule::Everything`] allows.
fn place(doc: &Automerge, op: &legacy::Op) -> Vec<String> {
    let mut path = Vec::new();
    if let legacy::ObjectId::Id(id) = &op.obj {
        let located = doc.import_obj(&id.to_string()).ok().and_then(|obj| doc.parents(&obj).ok());
        let Some(parents) = located else { return vec![String::from("?")] };
        for (_, prop) in parents.path() {
            path.push(match prop {
                Prop::Map(key) => key,
                Prop::Seq(index) => index.to_string(),
            });
        }
    }
    if let legacy::Key::Map(key) = &op.key {
        path.push(key.to_string());
    }
    path
}

fn part_name(part: Part) -> &'static str {
    match part {
        Part::Structure => "the plan's structure (tasks, phases, milestones)",
        Part::Content => "task words (titles, descriptions, checklists, attachments)",
        Part::Progress => "task status",
        Part::Schedule => "dates and dependencies",
        Part::People => "who does a task",
        Part::Approval => "approvals",
        Part::Details => "task details (priority, tags, hours)",
        Part::Team => "the workspace's members, roles and settings",
        Part::Unknown => "this part of the document",
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;

    use super::*;
    use crate::domain::commands;
    use crate::domain::{Member, Project, ProjectKind, Role, Task, Workspace, WorkspaceCommand};
    use crate::{DocumentId, ItemId, MemberId};

    /// The change `edit` makes to a copy of `doc`, as a sync message would carry it.
    fn change(
        doc: &Automerge,
        edit: impl FnOnce(&mut automerge::transaction::Transaction<'_>),
    ) -> sync::ChunkList {
        let mut copy = doc.fork();
        let mut tx = copy.transaction();
        edit(&mut tx);
        tx.commit();
        let changes = copy.get_changes(&doc.get_heads());
        assert_eq!(changes.len(), 1);
        vec![changes[0].raw_bytes().to_vec()].into()
    }

    fn plan() -> (Automerge, Task) {
        let mut doc = Automerge::new();
        let task = Task::new("首页banner设计", None, 0);
        let mut tx = doc.transaction();
        commands::create_project(&mut tx, &Project::new("双十一", ProjectKind::Campaign, 1)).expect("create");
        commands::add_task(&mut tx, &task).expect("task");
        tx.commit();
        (doc, task)
    }

    #[test]
    fn a_content_editor_may_write_task_words_and_nothing_else() {
        let (doc, task) = plan();
        let rule = WriteRule::for_plan(&[Role::ContentEditor]);
        let check = |chunks: sync::ChunkList| refusal(&doc, &chunks, &rule).expect("readable");
        let id = task.id;
        assert_eq!(check(change(&doc, |tx| commands::rename_task(tx, id, "banner").expect("edit"))), None);
        // A new checklist item is an object the change itself creates, inside the task.
        let item = ItemId::random();
        let added = change(&doc, |tx| commands::add_checklist_item(tx, id, item, "三张").expect("edit"));
        assert_eq!(check(added), None);
        let comment = change(&doc, |tx| {
            commands::add_comment(tx, id, MemberId::random(), "已定稿", &[], 1).expect("edit");
        });
        assert_eq!(check(comment), None);

        let dated = change(&doc, |tx| {
            commands::set_dates(tx, id, Some("2026-11-01".parse().expect("day")), None).expect("edit")
        });
        assert!(check(dated).expect("refused").contains("dates"));
        let added = change(&doc, |tx| commands::add_task(tx, &Task::new("客服话术", None, 1)).expect("edit"));
        assert!(check(added).expect("refused").contains("structure"));
        // A write the schema does not name is refused too.
        let stray = change(&doc, |tx| tx.put(automerge::ROOT, "backdoor", 1).expect("put"));
        assert!(check(stray).is_some());
        // Someone who may write everything is never checked.
        let dated = change(&doc, |tx| {
            commands::set_dates(tx, id, None, Some("2026-11-11".parse().expect("day"))).expect("edit")
        });
        assert_eq!(refusal(&doc, &dated, &WriteRule::for_plan(&[Role::Editor])).expect("readable"), None);
    }

    #[test]
    fn an_editor_may_list_plans_in_the_workspace_but_not_change_its_members() {
        let mut doc = Automerge::new();
        let mut workspace = Workspace::new("美妆旗舰店");
        workspace.add_member(Member::new("王经理", vec![Role::Owner]));
        let editor = workspace.add_member(Member::new("小王", vec![Role::Editor]));
        let mut tx = doc.transaction();
        crate::domain::create_workspace(&mut tx, &workspace).expect("create");
        tx.commit();
        let rule = WriteRule::for_workspace(&[Role::Editor]);
        let apply = |command: WorkspaceCommand| change(&doc, |tx| command.apply(tx).expect("apply"));
        let listed = apply(WorkspaceCommand::IndexProject {
            doc: DocumentId::random(),
            name: "618".into(),
            kind: ProjectKind::Campaign,
        });
        assert_eq!(refusal(&doc, &listed, &rule).expect("readable"), None);
        let promoted = apply(WorkspaceCommand::UpdateMember {
            id: editor,
            name: "小王".into(),
            roles: vec![Role::Admin],
            team: None,
        });
        assert!(refusal(&doc, &promoted, &rule).expect("readable").expect("refused").contains("members"));
        assert_eq!(
            refusal(&doc, &promoted, &WriteRule::for_workspace(&[Role::Admin])).expect("readable"),
            None
        );
    }

    #[test]
    fn a_change_resting_on_one_the_relay_lacks_is_refused() {
        let (doc, task) = plan();
        let mut ahead = doc.fork();
        let mut tx = ahead.transaction();
        commands::rename_task(&mut tx, task.id, "一").expect("edit");
        tx.commit();
        // Only the second of two changes: it builds on the first, which never arrives.
        let second = change(&ahead, |tx| commands::rename_task(tx, task.id, "二").expect("edit"));
        let rule = WriteRule::for_plan(&[Role::ContentEditor]);
        assert!(refusal(&doc, &second, &rule).expect("readable").expect("refused").contains("does not have"));
        // A viewer is refused without a look.
        assert!(refusal(&doc, &second, &WriteRule::Nothing).expect("readable").is_some());
    }

    #[test]
    fn a_commenter_adds_and_changes_only_comments_of_their_own() {
        use crate::domain::comments;
        let (me, someone) = (MemberId::random(), MemberId::random());
        let task = crate::TaskId::random();
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        let theirs = comments::post(&mut tx, task, someone, "他们的", &[], 1).expect("post");
        tx.commit();
        let rule = WriteRule::CommentsBy(me);
        let own = change(&doc, |tx| {
            comments::post(tx, task, me, "我的", &[], 2).expect("post");
        });
        assert_eq!(refusal(&doc, &own, &rule).expect("readable"), None);
        let forged = change(&doc, |tx| {
            comments::post(tx, task, someone, "冒充", &[], 3).expect("post");
        });
        assert!(refusal(&doc, &forged, &rule).expect("readable").expect("refused").contains("your own"));
        let edited = change(&doc, |tx| {
            let key = theirs.to_string();
            let Ok(Some((_, comment))) = tx.get(automerge::ROOT, key.as_str()) else { panic!("the comment") };
            tx.put(&comment, "body", "改掉别人的").expect("edit");
        });
        assert!(refusal(&doc, &edited, &rule).expect("readable").is_some());
        let deleted =
            change(&doc, |tx| tx.delete(automerge::ROOT, theirs.to_string().as_str()).expect("delete"));
        assert!(refusal(&doc, &deleted, &rule).expect("readable").is_some());
        let stray = change(&doc, |tx| tx.put(automerge::ROOT, "note", "不是评论").expect("put"));
        assert!(refusal(&doc, &stray, &rule).expect("readable").is_some());
    }
}
