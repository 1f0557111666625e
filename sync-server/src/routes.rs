//! The relay's HTTP surface: health, the sync WebSocket, and the app.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::compression::Compression;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::api::ClientAddr;

pub fn app(state: Arc<AppState>) -> Router {
    let index = state.app_dir.join("index.html");
    // The app shell must never be cached stale; Trunk's hashed assets may be. Gzipped for
    // browsers that take it: the wasm is 4.4 MB as built and 1.5 MB gzipped.
    let app = Compression::new(ServeDir::new(&state.app_dir).fallback(ServeFile::new(index)));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/sync", get(sync))
        .route("/metrics", get(metrics))
        .route("/setup/{code}", get(crate::api::setup_page))
        .route("/setup", axum::routing::post(crate::api::setup))
        .route("/join/{code}", get(crate::api::join_page))
        .route("/join", axum::routing::post(crate::api::join))
        .route("/api/v1/invites", get(crate::api::invites).post(crate::api::create_invite))
        .route("/api/v1/invites/{id}", axum::routing::delete(crate::api::revoke_invite))
        .route("/api/v1/status", get(crate::api::status))
        .route("/api/v1/me", get(crate::api::me))
        .route("/api/v1/signout", axum::routing::post(crate::api::sign_out))
        .route("/api/v1/audit", get(crate::api::audit))
        .route("/api/v1/tokens", get(crate::api::tokens).post(crate::api::create_token))
        .route("/api/v1/tokens/{id}", axum::routing::delete(crate::api::revoke_token))
        .route(
            "/blobs/{hash}",
            get(crate::blobs::get)
                .put(crate::blobs::put)
                .layer(DefaultBodyLimit::max(state.limits.max_blob_bytes)),
        )
        .fallback_service(app)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .with_state(state)
}

/// 200 `ok` while storage writes; 503 with the reason while it refuses writes (a full disk,
/// a failing database). The relay serves only once storage is open.
async fn healthz(State(state): State<Arc<AppState>>) -> axum::response::Response {
    match state.storage.problem() {
        None => "ok".into_response(),
        Some(why) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, why).into_response(),
    }
}

const READ_BUFFER_BYTES: usize = 1024;

/// The sync WebSocket. When sign-in is required, the upgrade must carry a session cookie
/// (from the relay's own origin) or a bearer token; anything else is refused before any
/// message is read.
async fn sync(
    ws: WebSocketUpgrade,
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
) -> axum::response::Response {
    let principal = if state.auth_required {
        match crate::api::principal(&state, &headers, from) {
            Ok(principal) => Some(principal),
            Err(refused) => return refused.into_response(),
        }
    } else {
        None
    };
    let max = state.limits.max_frame_bytes;
    // tungstenite's default read buffer is 128 KiB per connection, zero-filled before every
    // read: at 2,000 connections that was 250 MB resident and the largest single CPU cost
    // (memset) in the relay's profile. Sync messages are mostly a few hundred bytes: 1 KiB
    // holds them (4 KiB cost 10 MB more at 2,000 connections); a larger frame grows the
    // buffer of its own connection only.
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| crate::connection::serve(socket, state, principal))
        .into_response()
}

/// Prometheus text format.
async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"))],
        state.metrics.render(state.docs.loaded()),
    )
}
