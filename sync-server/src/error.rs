use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The one error type of HTTP handlers: bad input gets a 4xx with a message the caller can
/// act on; anything internal is logged and answered with a bare 500.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    /// No credentials, or ones that are not good: 401.
    #[error("{0}")]
    Unauthorized(String),
    /// Good credentials, not enough rights, or a cross-site request: 403.
    #[error("{0}")]
    Forbidden(String),
    /// Too many failed attempts from this address: 429.
    #[error("{0}")]
    TooManyAttempts(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::BadRequest(message) => (StatusCode::BAD_REQUEST, message).into_response(),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not found").into_response(),
            AppError::Unauthorized(message) => (StatusCode::UNAUTHORIZED, message).into_response(),
            AppError::Forbidden(message) => (StatusCode::FORBIDDEN, message).into_response(),
            AppError::TooManyAttempts(message) => (StatusCode::TOO_MANY_REQUESTS, message).into_response(),
            AppError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }
}
