//! The simulated network: a relay, clients, and packets in flight.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::Transaction;
use launchplan_shared::domain::permissions::WriteRule;
use launchplan_shared::domain::{Project, ProjectKind, Task, commands};
use launchplan_shared::protocol::{Message, PeerMetadata};
use launchplan_shared::sync::{
    Arrival, ChunkKey, Client, ClientEffect, DocEngine, DocHub, HubEffect, ServerAction, ServerConnection,
    StorageOp,
};
use launchplan_shared::{DocumentId, PeerId};

/// The relay's storage id: clients key the sync state they keep by it.
pub(crate) const RELAY_STORAGE: &str = "relay-storage";

pub(crate) type Store = BTreeMap<DocumentId, BTreeMap<ChunkKey, Vec<u8>>>;

pub(crate) fn stored(store: &Store, doc: DocumentId) -> Vec<(ChunkKey, Vec<u8>)> {
    store.get(&doc).map(|c| c.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
}

fn apply(store: &mut Store, doc: DocumentId, op: StorageOp) {
    op.apply_to(store.entry(doc).or_default());
}

/// splitmix64: a small deterministic generator, so that a failing case replays exactly.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p && p > 0.0
    }
}

/// What can go wrong with a message in flight.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Faults {
    pub(crate) drop: f64,
    pub(crate) duplicate: f64,
    /// Each message is delayed by up to this many ticks, independently (so they reorder).
    pub(crate) max_delay: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum To {
    Relay,
    Client(usize),
}

struct Packet {
    at: u64,
    seq: u64,
    conn: u64,
    to: To,
    frame: Vec<u8>,
}

pub(crate) struct Relay {
    pub(crate) me: PeerId,
    conns: BTreeMap<u64, (usize, ServerConnection)>,
    peer_conn: BTreeMap<PeerId, u64>,
    pub(crate) docs: BTreeMap<DocumentId, DocHub>,
    pub(crate) store: Store,
    /// What each client may write; everything unless a scenario says otherwise.
    pub(crate) writes: BTreeMap<usize, WriteRule>,
}

impl Relay {
    pub(crate) fn new(store: Store) -> Self {
        Self {
            me: "relay".parse().expect("peer"),
            conns: BTreeMap::new(),
            peer_conn: BTreeMap::new(),
            docs: BTreeMap::new(),
            store,
            writes: BTreeMap::new(),
        }
    }

    pub(crate) fn is_connected(&self, client: usize) -> bool {
        self.conns.values().any(|(c, _)| *c == client)
    }

    /// The relay restarts: connections and memory are gone, storage stays.
    pub(crate) fn restart(&mut self) {
        let writes = std::mem::take(&mut self.writes);
        *self = Relay::new(std::mem::take(&mut self.store));
        self.writes = writes;
    }

    fn close(&mut self, conn: u64) {
        if let Some((_, connection)) = self.conns.remove(&conn)
            && let Some(peer) = connection.peer()
            && self.peer_conn.get(peer) == Some(&conn)
        {
            self.peer_conn.remove(peer);
            for hub in self.docs.values_mut() {
                hub.left(peer, conn);
            }
        }
    }
}

pub(crate) struct SimClient {
    pub(crate) client: Client,
    pub(crate) store: Store,
    conn: Option<u64>,
    pub(crate) unavailable: Vec<DocumentId>,
    pub(crate) closed: Option<String>,
    pub(crate) sync_states: BTreeMap<(DocumentId, String), Vec<u8>>,
    pub(crate) ephemeral: Vec<(DocumentId, PeerId, Vec<u8>)>,
    /// Bytes this client has sent, to measure what a reconnect costs.
    pub(crate) bytes_sent: usize,
    /// What the relay refused, and how many places each refusal undid.
    pub(crate) refused: Vec<(DocumentId, String, usize)>,
}

/// Another tab of client `leader`'s browser, syncing through that tab over a reliable
/// in-order channel (the browser's BroadcastChannel).
pub(crate) struct SimTab {
    pub(crate) client: Client,
    pub(crate) leader: usize,
    pub(crate) ephemeral: Vec<(DocumentId, PeerId, Vec<u8>)>,
    /// Store effects the tab produced (a follower tab must not write them).
    pub(crate) would_store: usize,
    /// Refusals the tab heard (through the tab it syncs through).
    pub(crate) refused: Vec<String>,
}

pub(crate) struct Net {
    pub(crate) relay: Relay,
    pub(crate) clients: Vec<SimClient>,
    pub(crate) tabs: Vec<SimTab>,
    /// Frames between tabs and their leader: (tab index, towards the leader?, frame).
    tab_frames: std::collections::VecDeque<(usize, bool, Vec<u8>)>,
    packets: Vec<Packet>,
    pub(crate) faults: Faults,
    /// Messages delivered to the relay or a client so far.
    pub(crate) delivered: u64,
    /// When `delivered` reaches this, the network stops delivering and reports itself
    /// overrun, so that a message storm fails a test instead of running it for minutes.
    pub(crate) message_budget: u64,
    rng: Rng,
    now: u64,
    seq: u64,
    next_conn: u64,
}

impl Net {
    pub(crate) fn new(clients: usize, seed: u64) -> Self {
        Self {
            relay: Relay::new(Store::new()),
            clients: (0..clients)
                .map(|i| SimClient {
                    client: Client::new(
                        format!("browser-{i}").parse().expect("peer"),
                        PeerMetadata::default(),
                    ),
                    store: Store::new(),
                    conn: None,
                    unavailable: Vec::new(),
                    closed: None,
                    sync_states: BTreeMap::new(),
                    ephemeral: Vec::new(),
                    bytes_sent: 0,
                    refused: Vec::new(),
                })
                .collect(),
            tabs: Vec::new(),
            tab_frames: std::collections::VecDeque::new(),
            packets: Vec::new(),
            faults: Faults::default(),
            delivered: 0,
            message_budget: u64::MAX,
            rng: Rng::new(seed),
            now: 0,
            seq: 0,
            next_conn: 1,
        }
    }

    pub(crate) fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    pub(crate) fn is_online(&self, i: usize) -> bool {
        self.clients[i].conn.is_some()
    }

    /// Opens a new connection for client `i` (closing any it had).
    pub(crate) fn connect(&mut self, i: usize) {
        self.disconnect(i);
        let conn = self.next_conn;
        self.next_conn += 1;
        let metadata = PeerMetadata { storage_id: Some(RELAY_STORAGE.into()), is_ephemeral: Some(false) };
        self.relay.conns.insert(conn, (i, ServerConnection::new(self.relay.me.clone(), metadata)));
        self.clients[i].conn = Some(conn);
        self.clients[i].closed = None;
        let effects = self.clients[i].client.connection_opened();
        self.client_effects(i, effects);
    }

    /// Cuts client `i` off: whatever was in flight on its connection is lost.
    pub(crate) fn disconnect(&mut self, i: usize) {
        if let Some(conn) = self.clients[i].conn.take() {
            self.relay.close(conn);
            self.clients[i].client.connection_closed();
        }
    }

    fn send(&mut self, conn: u64, to: To, frame: Vec<u8>) {
        if self.rng.chance(self.faults.drop) {
            return;
        }
        let copies = if self.rng.chance(self.faults.duplicate) { 2 } else { 1 };
        for _ in 0..copies {
            let at = self.now + 1 + self.rng.below(self.faults.max_delay + 1);
            self.seq += 1;
            self.packets.push(Packet { at, seq: self.seq, conn, to, frame: frame.clone() });
        }
    }

    pub(crate) fn client_effects(&mut self, i: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            match effect {
                ClientEffect::Send(frame) => {
                    if let Some(conn) = self.clients[i].conn {
                        self.clients[i].bytes_sent += frame.len();
                        self.send(conn, To::Relay, frame);
                    }
                }
                ClientEffect::SyncState { doc, storage_id, state } => {
                    self.clients[i].sync_states.insert((doc, storage_id), state);
                }
                ClientEffect::Ephemeral { doc, from, data } => {
                    self.clients[i].ephemeral.push((doc, from, data))
                }
                ClientEffect::SendToTab { tab, frame } => {
                    if let Some(t) = self.tabs.iter().position(|t| *t.client.peer_id() == tab) {
                        self.tab_frames.push_back((t, false, frame));
                    }
                }
                ClientEffect::Store { doc, op } => apply(&mut self.clients[i].store, doc, op),
                ClientEffect::Unavailable { doc } => self.clients[i].unavailable.push(doc),
                ClientEffect::Refused { doc, reason, undone } => {
                    self.clients[i].refused.push((doc, reason, undone.len()))
                }
                ClientEffect::Close { reason } => {
                    self.clients[i].closed = Some(reason);
                    self.disconnect(i);
                }
                ClientEffect::Changed { .. } | ClientEffect::Connected { .. } => {}
            }
        }
    }

    fn relay_receive(&mut self, conn: u64, frame: &[u8]) {
        let Some((client, connection)) = self.relay.conns.get_mut(&conn) else { return };
        let client = *client;
        match connection.receive(frame) {
            ServerAction::Joined { peer, reply } => {
                self.relay.peer_conn.insert(peer, conn);
                self.send(conn, To::Client(client), reply);
            }
            ServerAction::Route { doc, from, request } => {
                let relay = &mut self.relay;
                let hub = relay.docs.entry(doc).or_insert_with(|| {
                    let engine = DocEngine::load(doc, relay.me.clone(), stored(&relay.store, doc)).engine;
                    DocHub::new(engine, relay.me.clone(), RELAY_STORAGE.to_owned())
                });
                let writes = relay.writes.get(&client).cloned().unwrap_or(WriteRule::Everything);
                let arrival = Arrival { from, conn, storage: None, request, writes };
                let mut out = Vec::new();
                hub.receive(arrival, 0, &|_, _| false, &mut out);
                // As the relay does: compact after the sends.
                hub.compact(&mut out);
                for effect in out {
                    match effect {
                        HubEffect::Store(op) => apply(&mut self.relay.store, doc, op),
                        HubEffect::Send { conn: target, message, .. } => {
                            let Some(&(target_client, _)) = self.relay.conns.get(&target) else { continue };
                            self.send(target, To::Client(target_client), message.encode());
                        }
                        HubEffect::Refuse { conn, reason } => {
                            self.send(conn, To::Client(client), Message::Error { message: reason }.encode());
                            self.relay.close(conn);
                            return;
                        }
                    }
                }
            }
            ServerAction::Refuse { error, .. } => {
                self.send(conn, To::Client(client), error);
                self.relay.close(conn);
            }
            ServerAction::Close { .. } => self.relay.close(conn),
            ServerAction::Subscribe { .. } | ServerAction::Nothing => {}
        }
    }

    /// Opens another tab in client `leader`'s browser; it syncs through that client.
    pub(crate) fn open_tab(&mut self, leader: usize) -> usize {
        let name = format!("tab-{}-{}", leader, self.tabs.len());
        self.tabs.push(SimTab {
            client: Client::new(name.parse().expect("peer"), PeerMetadata::default()),
            leader,
            ephemeral: Vec::new(),
            would_store: 0,
            refused: Vec::new(),
        });
        let t = self.tabs.len() - 1;
        let effects = self.tabs[t].client.connection_opened();
        self.tab_effects(t, effects);
        t
    }

    pub(crate) fn tab_effects(&mut self, t: usize, effects: Vec<ClientEffect>) {
        for effect in effects {
            match effect {
                ClientEffect::Send(frame) => self.tab_frames.push_back((t, true, frame)),
                ClientEffect::Store { .. } => self.tabs[t].would_store += 1,
                ClientEffect::Ephemeral { doc, from, data } => self.tabs[t].ephemeral.push((doc, from, data)),
                ClientEffect::Refused { reason, .. } => self.tabs[t].refused.push(reason),
                _ => {}
            }
        }
    }

    fn deliver_tab_frames(&mut self) -> bool {
        let mut any = false;
        while let Some((t, to_leader, frame)) = self.tab_frames.pop_front() {
            any = true;
            if to_leader {
                let leader = self.tabs[t].leader;
                // The leader opens the document from its storage before it answers.
                if let Some(doc) = Client::document_of(&frame)
                    && !self.clients[leader].client.is_open(&doc)
                {
                    self.open(leader, doc);
                }
                let tab = self.tabs[t].client.peer_id().clone();
                let effects = self.clients[leader].client.tab_frame(&tab, &frame);
                self.client_effects(leader, effects);
            } else {
                let effects = self.tabs[t].client.receive_frame(&frame);
                self.tab_effects(t, effects);
            }
        }
        any
    }

    /// Whether the network stopped because it delivered its whole message budget.
    pub(crate) fn overrun(&self) -> bool {
        self.delivered >= self.message_budget
    }

    /// Delivers what is due at the next tick. False when nothing is in flight, or when the
    /// message budget is spent (see [`Net::overrun`]).
    pub(crate) fn tick(&mut self) -> bool {
        if self.overrun() {
            return false;
        }
        let tabs_busy = self.deliver_tab_frames();
        if self.packets.is_empty() {
            return tabs_busy;
        }
        self.now += 1;
        let mut due: Vec<Packet> = Vec::new();
        let mut later = Vec::new();
        for packet in self.packets.drain(..) {
            if packet.at <= self.now { due.push(packet) } else { later.push(packet) }
        }
        self.packets = later;
        due.sort_by_key(|p| (p.at, p.seq));
        for packet in due {
            if self.overrun() {
                break;
            }
            self.delivered += 1;
            match packet.to {
                To::Relay => self.relay_receive(packet.conn, &packet.frame),
                To::Client(i) => {
                    // A closed connection delivers nothing.
                    if self.clients[i].conn == Some(packet.conn) {
                        let effects = self.clients[i].client.receive_frame(&packet.frame);
                        self.client_effects(i, effects);
                    }
                }
            }
        }
        true
    }

    /// Delivers everything in flight, and everything that causes, until the network is quiet
    /// or the message budget is spent.
    pub(crate) fn settle(&mut self) {
        for _ in 0..100_000 {
            if !self.tick() {
                return;
            }
        }
        panic!("the network never went quiet");
    }

    pub(crate) fn create_project(&mut self, i: usize, name: &str, tasks: &[&str]) -> (DocumentId, Vec<Task>) {
        let project = Project::new(name, ProjectKind::Launch, 1);
        let (doc, effects) = self.clients[i]
            .client
            .create(|tx| commands::create_project(tx, &project))
            .expect("create project");
        self.client_effects(i, effects);
        let tasks: Vec<Task> = tasks.iter().enumerate().map(|(n, t)| Task::new(*t, None, n as i64)).collect();
        for task in &tasks {
            self.edit(i, doc, |tx| commands::add_task(tx, task));
        }
        (doc, tasks)
    }

    pub(crate) fn edit(
        &mut self,
        i: usize,
        doc: DocumentId,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<(), commands::CommandError>,
    ) {
        let (_, effects) = self.clients[i].client.change(&doc, f).expect("open").expect("edit");
        self.client_effects(i, effects);
    }

    /// The browser reloads: memory is gone, local storage (chunks, kept sync states) stays.
    pub(crate) fn reload(&mut self, i: usize) {
        self.disconnect(i);
        let me = self.clients[i].client.peer_id().clone();
        let mut client = Client::new(me, PeerMetadata::default());
        for ((doc, storage), state) in &self.clients[i].sync_states {
            client.restore_sync_state(*doc, storage.clone(), state.clone());
        }
        self.clients[i].client = client;
    }

    pub(crate) fn open(&mut self, i: usize, doc: DocumentId) {
        let chunks = stored(&self.clients[i].store, doc);
        let (corrupt, effects) = self.clients[i].client.open(doc, chunks);
        assert!(corrupt.is_empty());
        self.client_effects(i, effects);
    }

    pub(crate) fn project(&self, i: usize, doc: DocumentId) -> Project {
        commands::read_project(self.clients[i].client.doc(&doc).expect("open")).expect("a project")
    }

    pub(crate) fn heads(&self, i: usize, doc: DocumentId) -> BTreeSet<automerge::ChangeHash> {
        self.clients[i].client.doc(&doc).map(|d| d.get_heads().into_iter().collect()).unwrap_or_default()
    }
}
