//! Attachments: `PUT /blobs/<sha256>` keeps a file under the hash of its bytes (refused when
//! the body is not what the name says, or larger than the limit); `GET /blobs/<sha256>`
//! gives it back. A blob never changes, so it may be cached for good. Unless the relay runs
//! with `--no-auth`, both need a signed-in person or a token (not yet: only members of the
//! workspace whose document names the blob).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use launchplan_shared::blob::BlobHash;

use crate::api::SignedIn;
use crate::{AppError, AppState};

fn parse(hash: &str) -> Result<BlobHash, AppError> {
    hash.parse().map_err(|e: launchplan_shared::blob::ParseBlobHashError| AppError::BadRequest(e.to_string()))
}

pub(crate) async fn get(
    Path(hash): Path<String>,
    State(state): State<Arc<AppState>>,
    _: SignedIn,
) -> Result<impl IntoResponse, AppError> {
    let hash = parse(&hash)?;
    let bytes = state.storage.blob(hash).await.map_err(anyhow::Error::from)?.ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        bytes,
    ))
}

/// 201 when the blob is new, 200 when it was there already.
pub(crate) async fn put(
    Path(hash): Path<String>,
    State(state): State<Arc<AppState>>,
    _: SignedIn,
    body: Bytes,
) -> Result<impl IntoResponse, AppError> {
    let hash = parse(&hash)?;
    let actual = BlobHash::of(&body);
    if actual != hash {
        return Err(AppError::BadRequest(format!(
            "the body's sha256 is {actual}, not {hash}: the upload was cut short or changed on the way"
        )));
    }
    let size = body.len();
    let new = state.storage.put_blob(hash, body.to_vec()).await.map_err(anyhow::Error::from)?;
    tracing::info!(%hash, size, new, "blob stored");
    Ok(if new { StatusCode::CREATED } else { StatusCode::OK })
}
