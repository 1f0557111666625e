//! The relay's HTTP surface: health, the sync WebSocket, and the app.

use std::sync::Arc;

use axum::Router;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;

/// Largest frame a client may send, in bytes.
const MAX_FRAME: usize = 16 * 1024 * 1024;

pub fn app(state: Arc<AppState>) -> Router {
    let index = state.app_dir.join("index.html");
    // The app shell must never be cached stale; Trunk's hashed assets may be.
    let app = ServeDir::new(&state.app_dir).fallback(ServeFile::new(index));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/sync", get(sync))
        .fallback_service(app)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .with_state(state)
}

/// 200 once storage is open, which it is whenever the server runs.
async fn healthz() -> &'static str {
    "ok"
}

async fn sync(ws: WebSocketUpgrade, State(state): State<Arc<AppState>>) -> impl IntoResponse {
    ws.max_message_size(MAX_FRAME)
        .max_frame_size(MAX_FRAME)
        .on_upgrade(move |socket| crate::connection::serve(socket, state))
}
