//! A relay process per test, and a WebSocket peer built on our client engine.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use futures::{SinkExt, StreamExt};
use launchplan_e2e::relay::RelayProcess;
use launchplan_shared::domain::{Project, ProjectKind, Task, commands};
use launchplan_shared::protocol::{Message, PeerMetadata};
use launchplan_shared::sync::{ChunkKey, Client, ClientEffect};
use launchplan_shared::{DocumentId, PeerId};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub(crate) use launchplan_e2e::PATIENCE;

/// The relay binary of this crate on a free port with extra arguments. It requires sign-in,
/// as it does by default: every connection and request the test makes to it carries a
/// token of one account (see [`token_of`]), unless the test sends credentials of its own.
pub(crate) async fn start_relay_with(data_dir: &Path, extra: &[&str]) -> anyhow::Result<RelayProcess> {
    let token = token_of(data_dir)?;
    let relay = start_relay_bare(data_dir, extra).await?;
    tokens().insert(relay.addr.to_string(), token);
    Ok(relay)
}

/// The relay as a new owner finds it: sign-in required, and no credential made for the
/// test (an empty data directory prints the owner setup link).
pub(crate) async fn start_relay_bare(data_dir: &Path, extra: &[&str]) -> anyhow::Result<RelayProcess> {
    let binary = Path::new(env!("CARGO_BIN_EXE_launchplan-relay"));
    RelayProcess::start_with(binary, "127.0.0.1:0", data_dir, Path::new("/nonexistent"), extra).await
}

/// The tokens of the relays tests started, by address.
fn tokens() -> std::sync::MutexGuard<'static, BTreeMap<String, String>> {
    static TOKENS: std::sync::Mutex<BTreeMap<String, String>> = std::sync::Mutex::new(BTreeMap::new());
    TOKENS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The token a test's peers use on the relay of `data_dir`: made with the relay's command
/// line on first use and kept in its data directory (sled leaves other files alone), so that a restart on the same directory is
/// the same account (whose documents its peers may read again).
pub(crate) fn token_of(data_dir: &Path) -> anyhow::Result<String> {
    let kept = data_dir.join("test-token");
    if let Ok(token) = std::fs::read_to_string(&kept) {
        return Ok(token);
    }
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_launchplan-relay"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["token", "create", "--label", "tests"])
        .output()?;
    anyhow::ensure!(made.status.success(), "token create: {}", String::from_utf8_lossy(&made.stderr));
    let out = String::from_utf8_lossy(&made.stdout).into_owned();
    let token = out.lines().find(|l| l.starts_with("lp_")).context("no token printed")?.to_owned();
    std::fs::write(&kept, &token)?;
    Ok(token)
}

/// The token for the relay `url` (http, ws or their TLS forms) points at, if a test made one.
fn token_for(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split('/').next().unwrap_or_default();
    tokens().get(host).cloned()
}

/// `GET path` on the relay, as text.
pub(crate) async fn http_get(relay: &RelayProcess, path: &str) -> anyhow::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(relay.addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", relay.addr);
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

/// `GET path` on the relay with `headers`: the response's head, and its body as sent
/// (chunked transfer decoded).
pub(crate) async fn http_get_raw(
    relay: &RelayProcess,
    path: &str,
    headers: &[&str],
) -> anyhow::Result<(String, Vec<u8>)> {
    http_request(relay, "GET", path, headers, &[]).await
}

/// `method path` on the relay with `headers` and `body`: the response's head, and its body as
/// sent (chunked transfer decoded).
pub(crate) async fn http_request(
    relay: &RelayProcess,
    method: &str,
    path: &str,
    headers: &[&str],
    body: &[u8],
) -> anyhow::Result<(String, Vec<u8>)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(relay.addr).await?;
    let mut extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    if method != "GET" {
        extra.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    let has_credentials = headers.iter().any(|h| {
        h.to_ascii_lowercase().starts_with("authorization:") || h.to_ascii_lowercase().starts_with("cookie:")
    });
    if !has_credentials && let Some(token) = token_for(&relay.addr.to_string()) {
        extra.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    let request =
        format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n{extra}Connection: close\r\n\r\n", relay.addr);
    stream.write_all(request.as_bytes()).await?;
    // The relay may answer (413) before reading a body it refuses, and close.
    let _ = stream.write_all(body).await;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").context("no end of headers")?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut rest = &response[split + 4..];
    if !head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        return Ok((head, rest.to_vec()));
    }
    let mut body = Vec::new();
    loop {
        let line = rest.windows(2).position(|w| w == b"\r\n").context("a chunk without its size")?;
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..line])?.trim(), 16)?;
        rest = &rest[line + 2..];
        if size == 0 {
            return Ok((head, body));
        }
        body.extend_from_slice(rest.get(..size).context("a chunk cut short")?);
        rest = rest.get(size + 2..).context("a chunk without its end")?;
    }
}

/// The relay binary of this crate on a free port, with its data in `data_dir`.
pub(crate) async fn start_relay(data_dir: &Path) -> anyhow::Result<RelayProcess> {
    start_relay_with(data_dir, &[]).await
}

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A WebSocket to `url` whose upgrade carries `headers`. The error of a refused upgrade
/// names its HTTP status.
pub(crate) async fn upgrade(url: &str, headers: &[(&str, &str)]) -> anyhow::Result<Socket> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = url.into_client_request()?;
    let has_credentials = headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("cookie"));
    if !has_credentials && let Some(token) = token_for(url) {
        request.headers_mut().insert("authorization", format!("Bearer {token}").parse()?);
    }
    for (name, value) in headers {
        request.headers_mut().insert(
            tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes())?,
            value.parse()?,
        );
    }
    let (socket, _) = tokio_tungstenite::connect_async(request).await.context("connecting")?;
    Ok(socket)
}

/// Our client engine on a real WebSocket, with an in-memory store standing in for IndexedDB.
pub(crate) struct WsPeer {
    pub(crate) client: Client,
    pub(crate) store: BTreeMap<DocumentId, BTreeMap<ChunkKey, Vec<u8>>>,
    pub(crate) unavailable: Vec<DocumentId>,
    /// Ephemeral messages received, in order: who said it, and what.
    pub(crate) ephemeral: Vec<(PeerId, Vec<u8>)>,
    /// Why the relay refused changes we sent (`change-refused`), in order.
    pub(crate) refused: Vec<String>,
    socket: Socket,
}

impl WsPeer {
    pub(crate) async fn connect(url: &str, name: &str) -> anyhow::Result<Self> {
        Self::connect_with(url, name, PeerMetadata { storage_id: None, is_ephemeral: Some(true) }).await
    }

    pub(crate) async fn connect_with(url: &str, name: &str, metadata: PeerMetadata) -> anyhow::Result<Self> {
        Self::connect_as(url, name, metadata, &[]).await
    }

    /// [`WsPeer::connect_with`], sending `headers` (a cookie, a token, an origin) on the
    /// upgrade.
    pub(crate) async fn connect_as(
        url: &str,
        name: &str,
        metadata: PeerMetadata,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let socket = upgrade(url, headers).await?;
        let me: PeerId = name.parse()?;
        let mut peer = Self {
            client: Client::new(me, metadata),
            store: BTreeMap::new(),
            unavailable: Vec::new(),
            ephemeral: Vec::new(),
            refused: Vec::new(),
            socket,
        };
        let effects = peer.client.connection_opened();
        peer.perform(effects).await?;
        peer.pump_until(|p| {
            matches!(p.client.connection(), launchplan_shared::sync::ConnectionState::Connected { .. })
        })
        .await
        .context("handshake")?;
        Ok(peer)
    }

    pub(crate) async fn perform(&mut self, effects: Vec<ClientEffect>) -> anyhow::Result<()> {
        for effect in effects {
            match effect {
                ClientEffect::Send(frame) => self.socket.send(WsMessage::Binary(frame.into())).await?,
                ClientEffect::Store { doc, op } => op.apply_to(self.store.entry(doc).or_default()),
                ClientEffect::Unavailable { doc } => self.unavailable.push(doc),
                ClientEffect::Ephemeral { from, data, .. } => self.ephemeral.push((from, data)),
                ClientEffect::Close { reason } => bail!("the client closed the connection: {reason}"),
                ClientEffect::Refused { reason, .. } => self.refused.push(reason),
                ClientEffect::Changed { .. }
                | ClientEffect::Connected { .. }
                | ClientEffect::SyncState { .. }
                | ClientEffect::SendToTab { .. } => {}
            }
        }
        Ok(())
    }

    /// Opens a new connection to `url` for this client, keeping its documents: they resync.
    pub(crate) async fn reconnect(&mut self, url: &str) -> anyhow::Result<()> {
        let socket = upgrade(url, &[]).await.context("reconnecting")?;
        self.client.connection_closed();
        self.socket = socket;
        let effects = self.client.connection_opened();
        self.perform(effects).await?;
        self.pump_until(|p| {
            matches!(p.client.connection(), launchplan_shared::sync::ConnectionState::Connected { .. })
        })
        .await
        .context("handshake")
    }

    /// Handles whatever arrives for `duration`; fails as soon as the connection ends.
    pub(crate) async fn pump_for(&mut self, duration: std::time::Duration) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + duration;
        while let Ok(next) = tokio::time::timeout_at(deadline, self.socket.next()).await {
            self.handle(next).await?;
        }
        Ok(())
    }

    /// Reads and handles frames until `done` holds. Only for waits this peer can finish on
    /// its own: while it waits, nobody else's socket is read (see [`pump_both_until`]).
    pub(crate) async fn pump_until(&mut self, done: impl Fn(&Self) -> bool) -> anyhow::Result<()> {
        tokio::time::timeout(PATIENCE, async {
            while !done(self) {
                let next = self.socket.next().await;
                self.handle(next).await?;
            }
            Ok(())
        })
        .await
        .context("timed out waiting")?
    }

    /// Sends `frame` as it is, past the client engine.
    pub(crate) async fn send_frame(&mut self, frame: Vec<u8>) -> anyhow::Result<()> {
        Ok(self.socket.send(WsMessage::Binary(frame.into())).await?)
    }

    /// Handles frames until the connection ends, and says how it ended (a close frame, a
    /// reset, the end of the stream). Fails if it is still open after [`PATIENCE`].
    pub(crate) async fn until_closed(&mut self) -> anyhow::Result<String> {
        tokio::time::timeout(PATIENCE, async {
            loop {
                let next = self.socket.next().await;
                if let Err(ended) = self.handle(next).await {
                    return format!("{ended:#}");
                }
            }
        })
        .await
        .context("the connection is still open")
    }

    /// Handles one item read from the socket; fails when the connection ended.
    async fn handle(&mut self, next: Option<Result<WsMessage, WsError>>) -> anyhow::Result<()> {
        match next {
            Some(Ok(WsMessage::Binary(frame))) => {
                let effects = self.client.receive_frame(&frame);
                self.perform(effects).await
            }
            Some(Ok(WsMessage::Close(frame))) => bail!("relay closed the connection: {frame:?}"),
            Some(Ok(_)) => Ok(()),
            Some(Err(e)) => Err(e.into()),
            None => bail!("the connection ended"),
        }
    }

    /// Creates a project with `tasks` and waits until the relay holds all of it.
    pub(crate) async fn create_project(
        &mut self,
        name: &str,
        tasks: &[&str],
    ) -> anyhow::Result<(DocumentId, Vec<Task>)> {
        let project = Project::new(name, ProjectKind::Launch, 1);
        let (doc, effects) = self.client.create(|tx| commands::create_project(tx, &project))?;
        self.perform(effects).await?;
        let tasks: Vec<Task> = tasks.iter().enumerate().map(|(n, t)| Task::new(*t, None, n as i64)).collect();
        for task in &tasks {
            self.edit(doc, |tx| commands::add_task(tx, task)).await?;
        }
        self.pump_until(|p| p.client.in_sync(&doc)).await?;
        Ok((doc, tasks))
    }

    pub(crate) async fn edit(
        &mut self,
        doc: DocumentId,
        f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), commands::CommandError>,
    ) -> anyhow::Result<()> {
        let (_, effects) = self.client.change(&doc, f).context("document not open")??;
        self.perform(effects).await
    }

    /// Opens a document we only know the id of and waits until it has arrived.
    pub(crate) async fn fetch(&mut self, doc: DocumentId) -> anyhow::Result<()> {
        let (_, effects) = self.client.open(doc, Vec::new());
        self.perform(effects).await?;
        self.pump_until(|p| {
            p.client.in_sync(&doc) && p.client.doc(&doc).is_some_and(|d| !d.get_heads().is_empty())
        })
        .await
    }

    pub(crate) fn project(&self, doc: DocumentId) -> anyhow::Result<Project> {
        Ok(commands::read_project(self.client.doc(&doc).context("document not open")?)?)
    }
}

/// Reads and handles frames on both peers until `done` holds. Waits that involve two peers
/// need this: a change one peer made may reach the other only after the first answers the
/// relay (when the relay's Bloom filter falsely claims a new change, about one time in a
/// hundred, the relay asks for it by hash), so both sockets must be read all along.
pub(crate) async fn pump_both_until(
    a: &mut WsPeer,
    b: &mut WsPeer,
    done: impl Fn(&WsPeer, &WsPeer) -> bool,
) -> anyhow::Result<()> {
    tokio::time::timeout(PATIENCE, async {
        while !done(a, b) {
            tokio::select! {
                next = a.socket.next() => a.handle(next).await?,
                next = b.socket.next() => b.handle(next).await?,
            }
        }
        Ok(())
    })
    .await
    .context("timed out waiting")?
}

/// [`pump_both_until`] for any number of peers.
pub(crate) async fn pump_all_until(
    peers: &mut [WsPeer],
    done: impl Fn(&[WsPeer]) -> bool,
) -> anyhow::Result<()> {
    tokio::time::timeout(PATIENCE, async {
        while !done(peers) {
            // Reading a socket's next frame is cancel safe: the other reads lose nothing.
            let (next, index, _) =
                futures::future::select_all(peers.iter_mut().map(|p| p.socket.next())).await;
            peers[index].handle(next).await?;
        }
        Ok(())
    })
    .await
    .context("timed out waiting")?
}

/// A raw connection that has joined.
pub(crate) async fn joined(url: &str, name: &str) -> anyhow::Result<Socket> {
    joined_with(url, name, None).await
}

/// A raw connection that has joined with this metadata.
pub(crate) async fn joined_with(
    url: &str,
    name: &str,
    peer_metadata: Option<PeerMetadata>,
) -> anyhow::Result<Socket> {
    let mut socket = upgrade(url, &[]).await?;
    let join = Message::Join {
        sender_id: name.parse()?,
        supported_protocol_versions: vec!["1".into()],
        peer_metadata,
    };
    socket.send(WsMessage::Binary(join.encode().into())).await?;
    match next_message(&mut socket).await? {
        Some(Message::Peer { .. }) => Ok(socket),
        other => anyhow::bail!("expected peer, got {other:?}"),
    }
}

pub(crate) async fn next_message(socket: &mut Socket) -> anyhow::Result<Option<Message>> {
    tokio::time::timeout(PATIENCE, async {
        loop {
            match socket.next().await {
                Some(Ok(WsMessage::Binary(frame))) => return Ok(Some(Message::decode(&frame)?)),
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => return Ok(None),
                Some(Ok(_)) => {}
            }
        }
    })
    .await
    .context("waiting for the relay")?
}
