//! Attachments: `PUT /blobs/<sha256>` keeps a file under the hash of its bytes (refused when
//! the body is not what the name says, or larger than the limit); `GET /blobs/<sha256>?doc=<plan>`
//! gives it back. A blob never changes, so the asker's browser may keep it for good.
//!
//! Unless the relay runs with `--no-auth`, both need a signed-in person or a token, and a
//! file goes only to someone who may read a plan that has it attached: the `doc` they name.
//! Anyone else hears 404, as for a file the relay does not have. Uploading needs only a
//! sign-in: whoever sends the bytes has them already.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use launchplan_shared::DocumentId;
use launchplan_shared::blob::BlobHash;
use launchplan_shared::domain::read::plan_attaches;

use crate::api::SignedIn;
use crate::{AppError, AppState};

fn parse(hash: &str) -> Result<BlobHash, AppError> {
    hash.parse().map_err(|e: launchplan_shared::blob::ParseBlobHashError| AppError::BadRequest(e.to_string()))
}

/// `?doc=<plan>`: the plan the asker opened the file from.
#[derive(serde::Deserialize)]
pub(crate) struct From {
    doc: Option<String>,
}

pub(crate) async fn get(
    Path(hash): Path<String>,
    Query(from): Query<From>,
    State(state): State<Arc<AppState>>,
    SignedIn(caller): SignedIn,
) -> Result<impl IntoResponse, AppError> {
    let hash = parse(&hash)?;
    if let Some(caller) = caller {
        let doc: DocumentId = from
            .doc
            .ok_or_else(|| AppError::BadRequest("name the plan the file is attached to: ?doc=<id>".into()))?
            .parse()
            .map_err(|e| AppError::BadRequest(format!("?doc= is not a document id: {e}")))?;
        if !state.access.may_read(caller.account, doc) {
            return Err(AppError::NotFound);
        }
        let wanted = hash.to_string();
        let attached = state.docs.read(doc, move |content| plan_attaches(content, &wanted)).await;
        if attached != Some(true) {
            return Err(AppError::NotFound);
        }
    }
    let bytes = state.storage.blob(hash).await.map_err(anyhow::Error::from)?.ok_or(AppError::NotFound)?;
    // Only the asker's own browser keeps a file that not everyone may have.
    let cache = if state.auth_required {
        "private, max-age=31536000, immutable"
    } else {
        "public, max-age=31536000, immutable"
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
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
