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

pub fn app(state: Arc<AppState>) -> Router {
    let index = state.app_dir.join("index.html");
    // The app shell must never be cached stale; Trunk's hashed assets may be.
    let app = ServeDir::new(&state.app_dir).fallback(ServeFile::new(index));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/sync", get(sync))
        .route("/metrics", get(metrics))
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
    let max = state.limits.max_frame_bytes;
    ws.max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| crate::connection::serve(socket, state))
}

/// Prometheus text format.
async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"))],
        state.metrics.render(state.docs.loaded()),
    )
}
