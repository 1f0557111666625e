//! The Launchplan relay: merges and forwards plan edits between teammates over the
//! automerge-repo protocol, keeps every document in sled, and serves the built app.

mod access;
mod api;
mod audit;
mod auth;
mod blobs;
pub mod cli;
mod connection;
mod docs;
mod error;
mod metrics;
mod outbox;
mod rate;
mod routes;
pub mod storage;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use launchplan_shared::PeerId;
use launchplan_shared::protocol::PeerMetadata;
use tokio::sync::watch;

pub use error::AppError;
pub use routes::app;
use storage::Storage;

/// How the relay runs. Every field has a command-line flag and an environment variable.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "launchplan-relay", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "LAUNCHPLAN_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Where documents are stored (a sled database).
    #[arg(long, env = "LAUNCHPLAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// The built app to serve (what `cargo xtask run` builds).
    #[arg(long, env = "LAUNCHPLAN_APP_DIR", default_value = "target/app")]
    pub app_dir: PathBuf,
    /// Seconds a document with no connected peer stays in memory.
    #[arg(long, env = "LAUNCHPLAN_IDLE_SECS", default_value_t = 30)]
    pub idle_secs: u64,
    /// Largest WebSocket frame a client may send, in bytes.
    #[arg(long, env = "LAUNCHPLAN_MAX_FRAME_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_frame_bytes: usize,
    /// Largest attachment a client may upload, in bytes.
    #[arg(long, env = "LAUNCHPLAN_MAX_BLOB_BYTES", default_value_t = 25 * 1024 * 1024)]
    pub max_blob_bytes: usize,
    /// Most documents one connection may sync.
    #[arg(long, env = "LAUNCHPLAN_MAX_DOCS_PER_CONNECTION", default_value_t = 2000)]
    pub max_docs_per_connection: usize,
    /// Messages per second one connection may send; faster senders are slowed down (reads
    /// pause), bursts of twice this are let through.
    #[arg(long, env = "LAUNCHPLAN_MAX_MESSAGES_PER_SEC", default_value_t = 1000)]
    pub max_messages_per_sec: u32,
    /// Seconds between keepalive pings; a connection silent for three of these is closed.
    #[arg(long, env = "LAUNCHPLAN_PING_SECS", default_value_t = 20)]
    pub ping_secs: u64,
    /// A PEM certificate chain: with `--tls-key`, the relay serves HTTPS and WSS only.
    #[arg(long, env = "LAUNCHPLAN_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of `--tls-cert`.
    #[arg(long, env = "LAUNCHPLAN_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve everyone who can reach the relay, signed in or not: every document to anyone
    /// who knows its id, every change taken. Only for a relay that nobody else can reach
    /// (tests, one person's own machine). Without it, sync needs a sign-in or a token.
    #[arg(long, env = "LAUNCHPLAN_NO_AUTH")]
    pub no_auth: bool,
    /// Instead of serving, manage the data directory of a stopped relay.
    #[command(subcommand)]
    pub command: Option<cli::Command>,
}

/// The TLS setup `config` asks for, read from its files; `None` to serve plain HTTP.
pub async fn tls(config: &Config) -> anyhow::Result<Option<axum_server::tls_rustls::RustlsConfig>> {
    let (Some(cert), Some(key)) = (&config.tls_cert, &config.tls_key) else { return Ok(None) };
    // One process-wide crypto provider: ring (aws-lc-rs would need cmake and a C compiler).
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key).await.with_context(|| {
        format!("reading the TLS certificate {} and key {}", cert.display(), key.display())
    })?;
    Ok(Some(tls))
}

/// The limits that protect the relay from any one connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_frame_bytes: usize,
    pub(crate) max_blob_bytes: usize,
    pub(crate) max_docs_per_connection: usize,
    pub(crate) max_messages_per_sec: u32,
    pub(crate) ping_every: Duration,
}

/// What every request handler shares.
pub struct AppState {
    limits: Limits,
    metrics: Arc<metrics::Metrics>,
    relay_id: PeerId,
    metadata: PeerMetadata,
    docs: Arc<docs::Docs>,
    storage: Storage,
    auth: auth::Auth,
    access: Arc<access::Access>,
    /// Whether sync needs a signed-in person or a token.
    auth_required: bool,
    /// Served over TLS: cookies are `Secure`, origins `https`.
    tls: bool,
    app_dir: PathBuf,
    shutdown: watch::Receiver<()>,
    /// How many WebSocket connections are open: shutdown waits for them to close.
    open_connections: watch::Sender<usize>,
}

impl AppState {
    /// Opens storage under `config.data_dir`. The returned sender, when sent to or dropped,
    /// asks every connection to close.
    pub fn open(config: &Config) -> anyhow::Result<(Arc<Self>, watch::Sender<()>)> {
        let metrics = Arc::new(metrics::Metrics::default());
        let storage = Storage::open(&config.data_dir, Arc::clone(&metrics))
            .with_context(|| format!("opening storage in {}", config.data_dir.display()))?;
        let storage_id = storage.storage_id().context("reading the storage id")?;
        let auth = auth::Auth::open(&storage).context("opening the accounts")?;
        let relay_id: PeerId = format!("launchplan-relay-{storage_id}").parse().context("relay peer id")?;
        let access = Arc::new(
            access::Access::open(&storage, &relay_id, auth.audit.clone())
                .context("reading the workspaces")?,
        );
        let docs = docs::Docs::new(
            storage.clone(),
            relay_id.clone(),
            storage_id.clone(),
            Duration::from_secs(config.idle_secs),
            (!config.no_auth).then(|| Arc::clone(&access)),
        );
        let (stop, shutdown) = watch::channel(());
        let limits = Limits {
            max_frame_bytes: config.max_frame_bytes,
            max_blob_bytes: config.max_blob_bytes,
            max_docs_per_connection: config.max_docs_per_connection.max(1),
            max_messages_per_sec: config.max_messages_per_sec.max(1),
            ping_every: Duration::from_secs(config.ping_secs.max(1)),
        };
        let state = Self {
            limits,
            metrics,
            relay_id,
            metadata: PeerMetadata { storage_id: Some(storage_id), is_ephemeral: Some(false) },
            docs,
            storage,
            auth,
            access,
            auth_required: !config.no_auth,
            tls: config.tls_cert.is_some(),
            app_dir: config.app_dir.clone(),
            shutdown,
            open_connections: watch::Sender::new(0),
        };
        Ok((Arc::new(state), stop))
    }

    /// A single-use code that makes its bearer the relay's owner, while sign-in is required
    /// and nobody has an account yet; printed on start as a link to `/setup/<code>`.
    pub fn owner_setup_code(&self) -> anyhow::Result<Option<String>> {
        if !self.auth_required || self.auth.has_accounts() {
            return Ok(None);
        }
        Ok(Some(self.auth.setup_code(api::now_ms()).context("storing the setup code")?))
    }

    /// How many documents are in memory now.
    pub fn loaded_documents(&self) -> usize {
        self.docs.loaded()
    }

    /// Writes everything to disk.
    pub async fn flush(&self) -> anyhow::Result<()> {
        self.storage.flush().await.context("flushing storage")
    }
}

/// How long shutdown waits for connections to close (a connection whose peer stopped
/// reading may take longer to say goodbye: it is left behind). With the flush's patience,
/// within the 5 s a stop may take.
const CLOSE_PATIENCE: Duration = Duration::from_secs(2);
/// How long shutdown waits for storage to flush.
const FLUSH_PATIENCE: Duration = Duration::from_secs(2);

/// Serves (over TLS when `tls` is given) until `stop` resolves, then closes every
/// connection and flushes storage.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    stop_connections: watch::Sender<()>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
) -> anyhow::Result<()> {
    let router = app(Arc::clone(&state));
    let stopping = async move {
        stop.await;
        let _ = stop_connections.send(());
    };
    match tls {
        None => axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(stopping)
            .await
            .context("serving")?,
        Some(tls) => {
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                stopping.await;
                stopper.graceful_shutdown(Some(CLOSE_PATIENCE));
            });
            axum_server::from_tcp_rustls(listener.into_std().context("the listening socket")?, tls)
                .context("serving over TLS")?
                .handle(handle)
                .serve(router.into_make_service_with_connect_info::<SocketAddr>())
                .await
                .context("serving over TLS")?;
        }
    }
    // axum waits for HTTP requests, not for the WebSockets it handed over: wait until each
    // connection has sent its close frame, or the process would exit under them.
    let mut open = state.open_connections.subscribe();
    if tokio::time::timeout(CLOSE_PATIENCE, open.wait_for(|n| *n == 0)).await.is_err() {
        tracing::warn!(open = *open.borrow(), "connections still open at shutdown");
    }
    tokio::time::timeout(FLUSH_PATIENCE, state.flush()).await.context("flushing storage took too long")?
}
