//! The load: N clients on our client engine over real WebSockets, spread over M documents,
//! each editing its document at a set rate, and every client timing the arrival of every
//! other client's edits.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use automerge::{ChangeHash, ReadDoc};
use futures::{SinkExt, StreamExt};
use launchplan_shared::domain::{Project, ProjectKind, Status, Task, commands};
use launchplan_shared::protocol::PeerMetadata;
use launchplan_shared::sync::{Client, ClientEffect, ConnectionState};
use launchplan_shared::{DocumentId, PeerId, TaskId};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The shape of one run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Workload {
    pub(crate) clients: usize,
    pub(crate) docs: usize,
    /// Edits per second made by each client.
    pub(crate) rate: f64,
    /// How long clients edit.
    pub(crate) edit_for: Duration,
    /// How long, after editing stops, every edit has to arrive everywhere.
    pub(crate) drain_within: Duration,
}

/// What one run measured.
#[derive(Debug)]
pub(crate) struct Measured {
    pub(crate) edits: u64,
    /// Arrivals of an edit at a client other than its author.
    pub(crate) deliveries: u64,
    /// From the first edit to the last arrival.
    pub(crate) window: Duration,
    /// Fan-out latency of every arrival, in microseconds, sorted.
    pub(crate) latencies_us: Vec<u32>,
}

impl Measured {
    pub(crate) fn edits_per_sec(&self) -> f64 {
        self.edits as f64 / self.window.as_secs_f64()
    }

    pub(crate) fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * (self.latencies_us.len() - 1) as f64).round() as usize;
        f64::from(self.latencies_us[rank]) / 1000.0
    }
}

/// The edits of one document still on their way: when each was made and to how many
/// clients it has yet to arrive.
#[derive(Default)]
struct Board {
    in_flight: Mutex<HashMap<ChangeHash, InFlight>>,
}

struct InFlight {
    sent: Instant,
    waiting: u32,
    author: usize,
    edit: u64,
}

struct Shared {
    boards: Vec<Board>,
    /// Arrivals the edits made so far call for, and arrivals so far.
    expected: AtomicU64,
    delivered: AtomicU64,
    /// Clients that have not finished editing.
    editing: AtomicUsize,
    /// The last arrival, in microseconds after `epoch`.
    last_arrival_us: AtomicU64,
    epoch: Instant,
}

/// What one client hands back.
struct ClientEnd {
    doc: usize,
    heads: Vec<ChangeHash>,
    edits: u64,
    latencies_us: Vec<u32>,
    missing: Missing,
}

/// What a client lacks at the end of a run that lost arrivals, by what the server had told it.
#[derive(Default, Clone, Copy)]
struct Missing {
    /// Edits it lacks although the server's heads, as last told, showed the server has more
    /// than this client: this client's side of the exchange stalled.
    told: u64,
    /// Edits it lacks and the server never said it had: the server did not pass them on.
    untold: u64,
    /// Edits it made that the server never acknowledged holding.
    unacknowledged: u64,
}

impl Missing {
    fn add(self, other: Missing) -> Missing {
        Missing {
            told: self.told + other.told,
            untold: self.untold + other.untold,
            unacknowledged: self.unacknowledged + other.unacknowledged,
        }
    }
}

/// Runs `workload` against the server at `url`; fails when any edit did not reach every
/// client, or the clients' documents differ at the end.
/// Where the server listens, and the token its upgrades need (our relay requires one).
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: String,
    pub(crate) token: Option<String>,
}

pub(crate) async fn run(endpoint: &Endpoint, workload: Workload) -> anyhow::Result<Measured> {
    anyhow::ensure!(
        workload.docs > 0 && workload.clients >= 2 * workload.docs,
        "need at least two clients per document"
    );
    anyhow::ensure!(workload.rate > 0.0, "the edit rate must be positive");
    let shared = Arc::new(Shared {
        boards: (0..workload.docs).map(|_| Board::default()).collect(),
        expected: AtomicU64::new(0),
        delivered: AtomicU64::new(0),
        editing: AtomicUsize::new(workload.clients),
        last_arrival_us: AtomicU64::new(0),
        epoch: Instant::now(),
    });
    let doc_ids: Arc<Vec<DocSlot>> = Arc::new((0..workload.docs).map(|_| watch::channel(None).0).collect());
    // Connecting and fetching, a few at a time: a burst of thousands of handshakes measures
    // the listen backlog, not the server.
    let setup = Arc::new(Semaphore::new(64));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(workload.clients);
    let (start_tx, start_rx) = watch::channel::<Option<Instant>>(None);

    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..workload.clients {
        let client = LoadClient {
            n,
            doc: n % workload.docs,
            fan_out: (workload.clients / workload.docs
                + usize::from(n % workload.docs < workload.clients % workload.docs)
                - 1) as u32,
            endpoint: endpoint.clone(),
            workload,
            shared: Arc::clone(&shared),
        };
        let (doc_ids, setup, ready_tx, start_rx) =
            (Arc::clone(&doc_ids), Arc::clone(&setup), ready_tx.clone(), start_rx.clone());
        tasks.spawn(async move {
            let n = client.n;
            client.run(&doc_ids, &setup, ready_tx, start_rx).await.with_context(|| format!("client {n}"))
        });
    }
    drop(ready_tx);
    let mut ready = 0;
    while ready < workload.clients {
        tokio::select! {
            _ = ready_rx.recv() => ready += 1,
            // No client ends before the start unless it failed: its error says why.
            Some(ended) = tasks.join_next() => {
                ended??;
                bail!("a client ended before the start");
            }
        }
    }
    let start = Instant::now() + Duration::from_millis(500);
    start_tx.send(Some(start))?;

    let mut ends = Vec::with_capacity(workload.clients);
    while let Some(ended) = tasks.join_next().await {
        ends.push(ended??);
    }
    let expected = shared.expected.load(Ordering::SeqCst);
    let delivered = shared.delivered.load(Ordering::SeqCst);
    if delivered < expected {
        let mut stuck: Vec<String> = shared
            .boards
            .iter()
            .flat_map(|b| {
                let board = b.in_flight.lock().expect("board");
                board.values().map(|e| format!("client {} edit {}", e.author, e.edit)).collect::<Vec<_>>()
            })
            .collect();
        stuck.sort();
        stuck.truncate(10);
        let missing = ends.iter().fold(Missing::default(), |sum, end| sum.add(end.missing));
        bail!(
            "{} of {expected} arrivals missing {:?} after editing stopped: edits were lost or stuck ({}, ...); \
             {} missing where the server had told the client it holds more, {} where it had not, \
             {} edits the server never acknowledged to their author",
            expected - delivered,
            workload.drain_within,
            stuck.join(", "),
            missing.told,
            missing.untold,
            missing.unacknowledged,
        );
    }
    let mut heads_by_doc: Vec<Option<Vec<ChangeHash>>> = vec![None; workload.docs];
    for end in &ends {
        match &heads_by_doc[end.doc] {
            None => heads_by_doc[end.doc] = Some(end.heads.clone()),
            Some(heads) if *heads != end.heads => {
                bail!("clients of document {} ended with different documents", end.doc)
            }
            Some(_) => {}
        }
    }
    let last = shared.epoch + Duration::from_micros(shared.last_arrival_us.load(Ordering::SeqCst));
    let mut latencies_us: Vec<u32> = ends.iter().flat_map(|e| e.latencies_us.iter().copied()).collect();
    latencies_us.sort_unstable();
    Ok(Measured {
        edits: ends.iter().map(|e| e.edits).sum(),
        deliveries: delivered,
        window: last.saturating_duration_since(start),
        latencies_us,
    })
}

/// Waits until the server at `url` completes a handshake: a server may print that it
/// listens before it answers (the JavaScript one attaches its WebSocket handler later).
pub(crate) async fn wait_until_serving(endpoint: &Endpoint) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Peer::connect(endpoint, usize::MAX).await {
            Ok(_) => return Ok(()),
            Err(e) if Instant::now() >= deadline => return Err(e.context("the server never answered a join")),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Where a document's creator announces its id and task ids to the document's other clients.
type DocSlot = watch::Sender<Option<(DocumentId, Vec<TaskId>)>>;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

struct LoadClient {
    n: usize,
    doc: usize,
    /// How many other clients share the document.
    fan_out: u32,
    endpoint: Endpoint,
    workload: Workload,
    shared: Arc<Shared>,
}

/// A client engine, its socket, and the fan-out latencies it observed.
struct Peer {
    client: Client,
    socket: Socket,
    latencies_us: Vec<u32>,
}

impl LoadClient {
    async fn run(
        self,
        doc_ids: &[DocSlot],
        setup: &Semaphore,
        ready: tokio::sync::mpsc::Sender<()>,
        mut start: watch::Receiver<Option<Instant>>,
    ) -> anyhow::Result<ClientEnd> {
        let creator = self.n < self.workload.docs;
        let (mut peer, doc, tasks) = if creator {
            let permit = setup.acquire().await?;
            let mut peer = Peer::connect(&self.endpoint, self.n).await?;
            let project = Project::new(format!("双十一大促备战 {}", self.doc), ProjectKind::Campaign, 1);
            let (doc, effects) = peer.client.create(|tx| commands::create_project(tx, &project))?;
            peer.perform(effects).await?;
            let tasks: Vec<Task> = ["页面优化", "优惠券配置", "客服培训", "仓储调拨", "首页banner设计"]
                .iter()
                .enumerate()
                .map(|(n, t)| Task::new(*t, None, n as i64))
                .collect();
            for task in &tasks {
                let (_, effects) =
                    peer.client.change(&doc, |tx| commands::add_task(tx, task)).context("open")??;
                peer.perform(effects).await?;
            }
            peer.pump_until(|p| p.client.in_sync(&doc)).await.context("uploading the document")?;
            drop(permit);
            let ids: Vec<TaskId> = tasks.iter().map(|t| t.id).collect();
            doc_ids[self.doc].send_replace(Some((doc, ids.clone())));
            (peer, doc, ids)
        } else {
            let mut ids = doc_ids[self.doc].subscribe();
            let (doc, tasks) = ids.wait_for(Option::is_some).await?.clone().context("document id")?;
            let permit = setup.acquire().await?;
            let mut peer = Peer::connect(&self.endpoint, self.n).await?;
            let (_, effects) = peer.client.open(doc, Vec::new());
            peer.perform(effects).await?;
            peer.pump_until(|p| {
                p.client.in_sync(&doc) && p.client.doc(&doc).is_some_and(|d| !d.get_heads().is_empty())
            })
            .await
            .context("fetching the document")?;
            drop(permit);
            (peer, doc, tasks)
        };
        ready.send(()).await?;
        drop(ready);

        // Stay responsive (pings, other clients' setup) until everyone is ready.
        let start_at = loop {
            if let Some(at) = *start.borrow_and_update() {
                break at;
            }
            tokio::select! {
                changed = start.changed() => changed?,
                frame = peer.next_frame() => { peer.handle(frame?, &self, doc).await?; }
            }
        };

        let period = Duration::from_secs_f64(1.0 / self.workload.rate);
        // Spread the clients' edits over the period rather than all at once.
        let offset = period.mul_f64((self.n as f64 * 0.618_033_988_7).fract());
        let mut next_edit = tokio::time::Instant::from_std(start_at + offset);
        let stop_editing = tokio::time::Instant::from_std(start_at + self.workload.edit_for);
        let give_up = stop_editing + self.workload.drain_within;
        let mut edits = 0u64;
        let mut still_editing = true;
        let mut check = tokio::time::interval(Duration::from_millis(20));
        loop {
            tokio::select! {
                frame = peer.next_frame() => peer.handle(frame?, &self, doc).await?,
                () = tokio::time::sleep_until(next_edit), if still_editing => {
                    if next_edit >= stop_editing {
                        still_editing = false;
                        self.shared.editing.fetch_sub(1, Ordering::SeqCst);
                        continue;
                    }
                    self.edit(&mut peer, doc, &tasks, edits).await?;
                    edits += 1;
                    next_edit += period;
                }
                _ = check.tick(), if !still_editing => {
                    let shared = &self.shared;
                    let done = shared.editing.load(Ordering::SeqCst) == 0
                        && shared.delivered.load(Ordering::SeqCst) >= shared.expected.load(Ordering::SeqCst);
                    if done || tokio::time::Instant::now() >= give_up {
                        break;
                    }
                }
            }
        }
        let heads = peer.client.doc(&doc).map(|d| d.get_heads()).unwrap_or_default();
        let missing = self.missing(&peer, doc);
        Ok(ClientEnd { doc: self.doc, heads, edits, latencies_us: peer.latencies_us, missing })
    }

    /// Sorts the edits of this client's document still in flight by which side held them up.
    fn missing(&self, peer: &Peer, doc: DocumentId) -> Missing {
        let mut missing = Missing::default();
        let Some(am) = peer.client.doc(&doc) else { return missing };
        let server_heads = peer.client.relay_heads(&doc).unwrap_or_default();
        let server_ahead = server_heads.iter().any(|h| am.get_change_by_hash(h).is_none());
        // What the server's heads, as last told, do not cover (when we know all of them).
        let uncovered: HashSet<ChangeHash> = if server_ahead {
            HashSet::new()
        } else {
            am.get_changes(&server_heads).iter().map(|c| c.hash()).collect()
        };
        let board = self.shared.boards[self.doc].in_flight.lock().expect("board");
        for (hash, edit) in board.iter() {
            if edit.author == self.n {
                if uncovered.contains(hash) {
                    missing.unacknowledged += 1;
                }
            } else if am.get_change_by_hash(hash).is_none() {
                if server_ahead {
                    missing.told += 1;
                } else {
                    missing.untold += 1;
                }
            }
        }
        missing
    }

    /// A small edit, as people make them: a task's title, or its status moved on.
    async fn edit(&self, peer: &mut Peer, doc: DocumentId, tasks: &[TaskId], n: u64) -> anyhow::Result<()> {
        let task = tasks[(self.n + n as usize) % tasks.len()];
        let am = peer.client.doc(&doc).context("document not open")?;
        let before = am.get_heads();
        let status: Status = autosurgeon::hydrate_path(
            am,
            &automerge::ROOT,
            ["tasks", task.to_string().as_str(), "status"].map(Into::into),
        )?
        .context("a task without a status")?;
        let next = Status::DEFAULTS
            [(Status::DEFAULTS.iter().position(|s| *s == status).unwrap_or(0) + 1) % Status::DEFAULTS.len()]
        .clone();
        let (_, effects) = peer
            .client
            .change(&doc, |tx| {
                if n.is_multiple_of(2) {
                    commands::rename_task(tx, task, &format!("页面优化 第{n}版 (client {})", self.n))
                } else {
                    commands::set_status(tx, task, &next, n as i64)
                }
            })
            .context("document not open")??;
        let am = peer.client.doc(&doc).context("document not open")?;
        anyhow::ensure!(am.get_heads() != before, "edit {n} of client {} changed nothing", self.n);
        let hash = am.get_last_local_change().context("no local change")?.hash();
        // On the board before it leaves, so that no arrival can come first.
        self.shared.boards[self.doc]
            .in_flight
            .lock()
            .expect("board")
            .insert(hash, InFlight { sent: Instant::now(), waiting: self.fan_out, author: self.n, edit: n });
        self.shared.expected.fetch_add(u64::from(self.fan_out), Ordering::SeqCst);
        peer.perform(effects).await?;
        Ok(())
    }
}

impl Peer {
    async fn connect(endpoint: &Endpoint, n: usize) -> anyhow::Result<Self> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        // A small read buffer, as the relay uses: the default 128 KiB, zero-filled before
        // every read, would make the load generator itself the bottleneck.
        let config = WebSocketConfig::default().read_buffer_size(4 * 1024);
        let mut request = endpoint.url.as_str().into_client_request()?;
        if let Some(token) = &endpoint.token {
            request.headers_mut().insert("authorization", format!("Bearer {token}").parse()?);
        }
        let (socket, _) = tokio_tungstenite::connect_async_with_config(request, Some(config), false)
            .await
            .context("connecting")?;
        let me: PeerId = format!("load-{n}-{}", run_tag()).parse()?;
        let metadata = PeerMetadata { storage_id: None, is_ephemeral: Some(true) };
        let mut peer = Peer { client: Client::new(me, metadata), socket, latencies_us: Vec::new() };
        let effects = peer.client.connection_opened();
        peer.perform(effects).await?;
        peer.pump_until(|p| matches!(p.client.connection(), ConnectionState::Connected { .. }))
            .await
            .context("handshake")?;
        Ok(peer)
    }

    async fn next_frame(&mut self) -> anyhow::Result<Vec<u8>> {
        loop {
            match self.socket.next().await {
                Some(Ok(WsMessage::Binary(frame))) => return Ok(frame.into()),
                Some(Ok(WsMessage::Close(frame))) => bail!("the server closed the connection: {frame:?}"),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => bail!("the connection ended"),
            }
        }
    }

    /// Sends what the engine asks to send, in one flush.
    async fn perform(&mut self, effects: Vec<ClientEffect>) -> anyhow::Result<Vec<Vec<ChangeHash>>> {
        let mut changed = Vec::new();
        let mut sent = false;
        for effect in effects {
            match effect {
                ClientEffect::Send(frame) => {
                    self.socket.feed(WsMessage::Binary(frame.into())).await?;
                    sent = true;
                }
                ClientEffect::Changed { before, .. } => changed.push(before),
                ClientEffect::Close { reason } => bail!("the client engine closed the connection: {reason}"),
                ClientEffect::Refused { reason, .. } => bail!("the relay refused a change: {reason}"),
                // The load's clients keep nothing on disk.
                ClientEffect::Store { .. }
                | ClientEffect::Unavailable { .. }
                | ClientEffect::Connected { .. }
                | ClientEffect::Ephemeral { .. }
                | ClientEffect::SyncState { .. }
                | ClientEffect::SendToTab { .. } => {}
            }
        }
        if sent {
            self.socket.flush().await?;
        }
        Ok(changed)
    }

    async fn pump_until(&mut self, done: impl Fn(&Self) -> bool) -> anyhow::Result<()> {
        tokio::time::timeout(Duration::from_secs(30), async {
            while !done(self) {
                let frame = self.next_frame().await?;
                let effects = self.client.receive_frame(&frame);
                self.perform(effects).await?;
            }
            anyhow::Ok(())
        })
        .await
        .context("timed out")?
    }

    /// Handles a frame, timing the arrival of every edit it brought.
    async fn handle(&mut self, frame: Vec<u8>, me: &LoadClient, doc: DocumentId) -> anyhow::Result<()> {
        let effects = self.client.receive_frame(&frame);
        let changed = self.perform(effects).await?;
        if changed.is_empty() {
            return Ok(());
        }
        let now = Instant::now();
        let Some(am) = self.client.doc(&doc) else { return Ok(()) };
        let mut arrived = 0u64;
        {
            let mut board = me.shared.boards[me.doc].in_flight.lock().expect("board");
            for before in &changed {
                for change in am.get_changes(before) {
                    if let Some(edit) = board.get_mut(&change.hash()) {
                        let latency = now.duration_since(edit.sent).as_micros();
                        self.latencies_us.push(latency.min(u128::from(u32::MAX)) as u32);
                        edit.waiting -= 1;
                        if edit.waiting == 0 {
                            board.remove(&change.hash());
                        }
                        arrived += 1;
                    }
                }
            }
        }
        if arrived > 0 {
            me.shared.delivered.fetch_add(arrived, Ordering::SeqCst);
            let at = now.duration_since(me.shared.epoch).as_micros() as u64;
            me.shared.last_arrival_us.fetch_max(at, Ordering::SeqCst);
        }
        Ok(())
    }
}

/// Keeps peer ids unique across runs against one server.
fn run_tag() -> String {
    static RUN: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let run = RUN.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
    });
    format!("{run:x}")
}
