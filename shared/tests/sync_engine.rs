//! Clients and a relay built from the sans-IO engine, wired by in-memory queues: the same
//! code the browser and the relay run, minus the sockets.

use std::collections::{BTreeMap, VecDeque};

use launchplan_shared::domain::{Project, ProjectKind, Status, Task, commands};
use launchplan_shared::protocol::{Message, PeerMetadata};
use launchplan_shared::sync::{
    ChunkKey, Client, ClientEffect, DocEffect, DocEngine, ServerAction, ServerConnection, StorageOp,
};
use launchplan_shared::{DocumentId, PeerId};

type Store = BTreeMap<DocumentId, BTreeMap<ChunkKey, Vec<u8>>>;

fn apply(store: &mut Store, doc: DocumentId, op: StorageOp) {
    op.apply_to(store.entry(doc).or_default());
}

fn stored(store: &Store, doc: DocumentId) -> Vec<(ChunkKey, Vec<u8>)> {
    store.get(&doc).map(|c| c.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
}

struct Relay {
    me: PeerId,
    conns: BTreeMap<usize, ServerConnection>,
    peer_conn: BTreeMap<PeerId, usize>,
    docs: BTreeMap<DocumentId, DocEngine>,
    store: Store,
}

impl Relay {
    fn new(store: Store) -> Self {
        Self {
            me: "relay".parse().expect("peer"),
            conns: BTreeMap::new(),
            peer_conn: BTreeMap::new(),
            docs: BTreeMap::new(),
            store,
        }
    }
}

struct Net {
    relay: Relay,
    clients: Vec<Client>,
    client_stores: Vec<Store>,
    to_relay: VecDeque<(usize, Vec<u8>)>,
    to_client: Vec<VecDeque<Vec<u8>>>,
    unavailable: Vec<Vec<DocumentId>>,
    closed: Vec<Option<String>>,
}

impl Net {
    fn new(clients: usize) -> Self {
        let mut net = Self {
            relay: Relay::new(Store::new()),
            clients: Vec::new(),
            client_stores: vec![Store::new(); clients],
            to_relay: VecDeque::new(),
            to_client: vec![VecDeque::new(); clients],
            unavailable: vec![Vec::new(); clients],
            closed: vec![None; clients],
        };
        for i in 0..clients {
            net.clients
                .push(Client::new(format!("browser-{i}").parse().expect("peer"), PeerMetadata::default()));
        }
        net
    }

    fn connect(&mut self, i: usize) {
        self.relay.conns.insert(i, ServerConnection::new(self.relay.me.clone(), PeerMetadata::default()));
        let effects = self.clients[i].connection_opened();
        self.client_effects(i, effects);
    }

    fn client_effects(&mut self, i: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            match effect {
                ClientEffect::Send(frame) => self.to_relay.push_back((i, frame)),
                ClientEffect::Store { doc, op } => apply(&mut self.client_stores[i], doc, op),
                ClientEffect::Unavailable { doc } => self.unavailable[i].push(doc),
                ClientEffect::Close { reason } => self.closed[i] = Some(reason),
                ClientEffect::Changed { .. } | ClientEffect::Connected { .. } => {}
            }
        }
    }

    fn relay_receive(&mut self, conn: usize, frame: &[u8]) {
        let Some(connection) = self.relay.conns.get_mut(&conn) else { return };
        match connection.receive(frame) {
            ServerAction::Joined { peer, reply } => {
                self.relay.peer_conn.insert(peer, conn);
                self.to_client[conn].push_back(reply);
            }
            ServerAction::Route { doc, from, request } => {
                let relay = &mut self.relay;
                let engine = relay.docs.entry(doc).or_insert_with(|| {
                    DocEngine::load(doc, relay.me.clone(), stored(&relay.store, doc)).engine
                });
                let mut out = Vec::new();
                if let Err(e) = engine.receive(&from, &request, &mut out) {
                    self.to_client[conn].push_back(Message::Error { message: e.to_string() }.encode());
                    self.relay.conns.remove(&conn);
                    return;
                }
                for effect in out {
                    match effect {
                        DocEffect::Store(op) => apply(&mut self.relay.store, doc, op),
                        DocEffect::Send(message) => {
                            let (Message::Sync { target_id, .. }
                            | Message::DocUnavailable { target_id, .. }
                            | Message::Ephemeral { target_id, .. }) = &message
                            else {
                                panic!("the relay only answers with sync, doc-unavailable and ephemeral")
                            };
                            let target = self.relay.peer_conn[target_id];
                            self.to_client[target].push_back(message.encode());
                        }
                        DocEffect::Changed { .. } | DocEffect::Unavailable { .. } => {}
                    }
                }
            }
            ServerAction::Refuse { error, .. } => {
                self.to_client[conn].push_back(error);
                self.relay.conns.remove(&conn);
            }
            ServerAction::Close { .. } => {
                self.relay.conns.remove(&conn);
            }
            ServerAction::Nothing => {}
        }
    }

    /// Delivers every frame in flight, and every frame those cause, until the network is quiet.
    fn settle(&mut self) {
        for _ in 0..10_000 {
            if let Some((conn, frame)) = self.to_relay.pop_front() {
                self.relay_receive(conn, &frame);
                continue;
            }
            let Some(i) = self.to_client.iter().position(|q| !q.is_empty()) else { return };
            let frame = self.to_client[i].pop_front().expect("non-empty");
            let effects = self.clients[i].receive_frame(&frame);
            self.client_effects(i, effects);
        }
        panic!("the network never went quiet");
    }

    fn create_project(&mut self, i: usize, name: &str, tasks: &[&str]) -> (DocumentId, Vec<Task>) {
        let project = Project::new(name, ProjectKind::Launch, 1);
        let (doc, effects) =
            self.clients[i].create(|tx| commands::create_project(tx, &project)).expect("create project");
        self.client_effects(i, effects);
        let tasks: Vec<Task> = tasks.iter().enumerate().map(|(n, t)| Task::new(*t, None, n as i64)).collect();
        for task in &tasks {
            self.edit(i, doc, |tx| commands::add_task(tx, task));
        }
        (doc, tasks)
    }

    fn edit(
        &mut self,
        i: usize,
        doc: DocumentId,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), commands::CommandError>,
    ) {
        let effects = self.clients[i].change(&doc, f).expect("open").expect("edit");
        self.client_effects(i, effects);
    }

    fn open(&mut self, i: usize, doc: DocumentId) {
        let chunks = stored(&self.client_stores[i], doc);
        let (corrupt, effects) = self.clients[i].open(doc, chunks);
        assert!(corrupt.is_empty());
        self.client_effects(i, effects);
    }

    fn project(&self, i: usize, doc: DocumentId) -> Project {
        commands::read_project(self.clients[i].doc(&doc).expect("open")).expect("a project")
    }
}

#[test]
fn a_project_made_by_one_browser_reaches_the_other_and_edits_flow_back() {
    let mut net = Net::new(2);
    net.connect(0);
    net.connect(1);
    let (doc, tasks) = net.create_project(0, "新品首发：春季口红系列", &["市场调研", "包装设计", "样品测试"]);
    net.settle();
    net.open(1, doc);
    net.settle();
    assert_eq!(net.project(1, doc), net.project(0, doc));
    assert_eq!(net.project(1, doc).tasks.len(), 3);

    net.edit(1, doc, |tx| commands::rename_task(tx, tasks[1].id, "包装设计（定稿）"));
    net.edit(0, doc, |tx| commands::set_status(tx, tasks[0].id, &Status::Done));
    net.settle();
    for i in 0..2 {
        let project = net.project(i, doc);
        assert_eq!(project.tasks[&tasks[1].id].title, "包装设计（定稿）");
        assert!(project.tasks[&tasks[0].id].status.is_done());
        assert!(net.clients[i].in_sync(&doc));
    }
    assert_eq!(
        net.clients[0].doc(&doc).expect("open").get_heads(),
        net.clients[1].doc(&doc).expect("open").get_heads()
    );
}

#[test]
fn edits_made_offline_reach_the_relay_on_reconnect_and_survive_in_local_storage() {
    let mut net = Net::new(2);
    let (doc, tasks) = net.create_project(0, "双十一大促备战", &["优惠券配置"]);
    net.edit(0, doc, |tx| commands::rename_task(tx, tasks[0].id, "优惠券规则确认"));
    // Nothing was sent, but everything was stored locally: a reload gets it back.
    assert!(net.to_relay.is_empty());
    let reloaded = DocEngine::load(doc, "x".parse().expect("peer"), stored(&net.client_stores[0], doc));
    assert_eq!(reloaded.engine.heads(), net.clients[0].doc(&doc).expect("open").get_heads());

    net.connect(0);
    net.connect(1);
    net.open(1, doc);
    net.settle();
    assert_eq!(net.project(1, doc).tasks[&tasks[0].id].title, "优惠券规则确认");
}

#[test]
fn an_unknown_document_is_reported_unavailable_then_arrives_when_someone_pushes_it() {
    let mut net = Net::new(2);
    net.connect(1);
    // Browser 0 made a plan offline; browser 1 already has the link.
    let (doc, _) = net.create_project(0, "618", &["页面优化"]);
    net.open(1, doc);
    net.settle();
    assert_eq!(net.unavailable[1], vec![doc]);
    // Nothing to wait for: the header must not say "syncing" forever.
    assert!(net.clients[1].in_sync(&doc));
    net.connect(0);
    net.settle();
    assert_eq!(net.project(1, doc).tasks.len(), 1);
}

#[test]
fn a_restarted_relay_serves_what_it_stored_and_compacts_without_losing_anything() {
    let mut net = Net::new(1);
    net.connect(0);
    let (doc, tasks) = net.create_project(0, "SKU 上新", &["上架审核"]);
    for n in 0..100 {
        net.edit(0, doc, |tx| commands::rename_task(tx, tasks[0].id, &format!("上架审核 #{n}")));
        net.settle();
    }
    let chunks = &net.relay.store[&doc];
    assert!(chunks.len() < 64, "the relay compacted ({} chunks)", chunks.len());
    assert!(chunks.keys().any(ChunkKey::is_snapshot));

    // The relay restarts on its storage; a new browser finds everything there.
    let store = std::mem::take(&mut net.relay.store);
    let mut net2 = Net::new(1);
    net2.relay = Relay::new(store);
    net2.connect(0);
    net2.open(0, doc);
    net2.settle();
    assert_eq!(net2.project(0, doc), net.project(0, doc));
    assert_eq!(net2.project(0, doc).tasks[&tasks[0].id].title, "上架审核 #99");
}

#[test]
fn a_bad_sync_message_closes_only_the_sender() {
    let mut net = Net::new(2);
    net.connect(0);
    net.connect(1);
    let (doc, _) = net.create_project(0, "新品首发", &["市场调研"]);
    net.settle();
    let garbage = Message::Sync {
        sender_id: "browser-1".parse().expect("peer"),
        target_id: "relay".parse().expect("peer"),
        document_id: doc,
        data: vec![0x42, 0xff, 0x00],
    };
    net.to_relay.push_back((1, garbage.encode()));
    net.settle();
    assert!(
        net.closed[1].as_deref().is_some_and(|r| r.contains("malformed sync message")),
        "{:?}",
        net.closed[1]
    );
    assert!(!net.relay.conns.contains_key(&1));
    assert!(net.relay.conns.contains_key(&0));
    net.edit(0, doc, |tx| commands::rename_project(tx, "新品首发（改）"));
    net.settle();
    assert!(net.clients[0].in_sync(&doc));
}
