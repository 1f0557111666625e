//! Signing in and the relay's HTTP API: the owner setup page, who is signed in, tokens for
//! scripts, and the audit log. Browsers carry a session cookie (HttpOnly, SameSite=Strict,
//! Secure over TLS); other clients send `Authorization: Bearer <token>`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Json;
use axum::extract::{ConnectInfo, Form, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use launchplan_shared::MemberId;
use serde::{Deserialize, Serialize};

use crate::auth::{AuditEvent, AuthError, Principal, TokenInfo};
use crate::{AppError, AppState};

/// The cookie that carries a browser's session.
pub(crate) const SESSION_COOKIE: &str = "launchplan_session";

/// The address a request came from (unspecified where the server did not record it).
pub(crate) struct ClientAddr(pub(crate) IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(Self(addr.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))))
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Who is asking: the bearer token, else the session cookie. A browser's request must come
/// from the relay's own origin: a cross-site page cannot act as the person.
pub(crate) fn principal(state: &AppState, headers: &HeaderMap, from: IpAddr) -> Result<Principal, AppError> {
    if !same_origin(headers, state.tls) {
        return Err(AppError::Forbidden("requests from another site are refused".into()));
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let session = cookie(headers, SESSION_COOKIE);
    if token.is_none() && session.is_none() {
        return Err(AppError::Unauthorized("sign in first: no session and no token".into()));
    }
    state.auth.authenticate(session.as_deref(), token, from, now_ms()).map_err(refusal)
}

fn refusal(e: AuthError) -> AppError {
    match e {
        AuthError::Unknown => AppError::Unauthorized(e.to_string()),
        AuthError::TooManyAttempts => AppError::TooManyAttempts(e.to_string()),
        AuthError::Storage(e) => AppError::Internal(e.into()),
    }
}

/// Whether the request's `Origin`, when it has one (browsers always send it on WebSocket
/// upgrades and on POSTs), is the relay itself.
pub(crate) fn same_origin(headers: &HeaderMap, tls: bool) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let scheme = if tls { "https" } else { "http" };
    origin.to_str().is_ok_and(|o| o == format!("{scheme}://{host}"))
}

/// The value of cookie `name`, if the request carries it.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
        line.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    })
}

fn session_cookie(secret: &str, tls: bool) -> HeaderValue {
    let secure = if tls { "; Secure" } else { "" };
    let value =
        format!("{SESSION_COOKIE}={secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000{secure}");
    HeaderValue::from_str(&value).expect("a cookie of hex digits is a header value")
}

/// `GET /setup/{code}`: the owner setup page, which asks for a name.
pub(crate) async fn setup_page(Path(code): Path<String>, State(state): State<Arc<AppState>>) -> Response {
    if state.auth.has_accounts() {
        return page(
            StatusCode::GONE,
            "This relay already has an owner",
            "<p>Ask them for an invitation.</p>",
        );
    }
    let code = escape(&code);
    page(
        StatusCode::OK,
        "Set up your Launchplan relay",
        &format!(
            r#"<p>You become the relay's owner. 你将成为这个服务器的所有者。</p>
<form method="post" action="/setup">
<input type="hidden" name="code" value="{code}">
<label>Your name / 你的名字 <input name="name" required maxlength="80" autofocus data-testid="setup-name"></label>
<button type="submit" data-testid="setup-submit">Continue / 继续</button>
</form>"#
        ),
    )
}

#[derive(Deserialize)]
pub(crate) struct SetupForm {
    code: String,
    name: String,
}

/// `POST /setup`: uses up the setup code, signs the new owner in, and opens the app.
pub(crate) async fn setup(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    if !same_origin(&headers, state.tls) {
        return Err(AppError::Forbidden("requests from another site are refused".into()));
    }
    let name = short_text(&form.name, "name")?;
    match state.auth.accept_setup(&form.code, name, from, now_ms()) {
        Ok((_, session)) => {
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().insert(header::SET_COOKIE, session_cookie(&session, state.tls));
            Ok(response)
        }
        Err(AuthError::Unknown) => Ok(page(
            StatusCode::BAD_REQUEST,
            "This setup link is used up or expired",
            "<p>Restart the relay on its data directory to print a new one, if nobody owns it yet.</p>",
        )),
        Err(e) => Err(refusal(e)),
    }
}

#[derive(Serialize)]
pub(crate) struct Me {
    account: MemberId,
    name: String,
}

/// `GET /api/v1/me`: who is signed in.
pub(crate) async fn me(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
) -> Result<Json<Me>, AppError> {
    let principal = principal(&state, &headers, from)?;
    let account = state.auth.account(principal.account).map_err(anyhow::Error::from)?;
    Ok(Json(Me { account: principal.account, name: account.map(|a| a.name).unwrap_or_default() }))
}

#[derive(Deserialize)]
pub(crate) struct NewToken {
    label: String,
}

#[derive(Serialize)]
pub(crate) struct CreatedToken {
    #[serde(flatten)]
    info: TokenInfo,
    /// Shown this once; the relay keeps only its hash.
    token: String,
}

/// `POST /api/v1/tokens`: a token for the caller's own scripts.
pub(crate) async fn create_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
    Json(new): Json<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), AppError> {
    let principal = principal(&state, &headers, from)?;
    let label = short_text(&new.label, "label")?;
    let (info, token) = state
        .auth
        .create_token(principal.account, label, Some(principal.account), now_ms())
        .map_err(anyhow::Error::from)?;
    Ok((StatusCode::CREATED, Json(CreatedToken { info, token })))
}

/// `GET /api/v1/tokens`: the caller's tokens (never their secrets).
pub(crate) async fn tokens(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
) -> Result<Json<Vec<TokenInfo>>, AppError> {
    let principal = principal(&state, &headers, from)?;
    Ok(Json(state.auth.tokens(Some(principal.account)).map_err(anyhow::Error::from)?))
}

/// `DELETE /api/v1/tokens/{id}`: revokes one of the caller's tokens; connections it opened
/// close at once.
pub(crate) async fn revoke_token(
    Path(id): Path<String>,
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
) -> Result<StatusCode, AppError> {
    let principal = principal(&state, &headers, from)?;
    let account = Some(principal.account);
    match state.auth.revoke_token(&id, account, account, now_ms()).map_err(anyhow::Error::from)? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(AppError::NotFound),
    }
}

/// `POST /api/v1/signout`: ends the caller's browser session; its connections close.
pub(crate) async fn sign_out(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
) -> Result<Response, AppError> {
    principal(&state, &headers, from)?;
    if let Some(session) = cookie(&headers, SESSION_COOKIE) {
        state.auth.end_session(&session).map_err(anyhow::Error::from)?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let gone = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&gone).expect("ascii"));
    Ok(response)
}

/// `GET /api/v1/audit`: the audit log, newest first, for the relay's owners.
pub(crate) async fn audit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
) -> Result<Json<Vec<AuditEvent>>, AppError> {
    let principal = principal(&state, &headers, from)?;
    let account = state.auth.account(principal.account).map_err(anyhow::Error::from)?;
    if !account.is_some_and(|a| a.owner) {
        return Err(AppError::Forbidden("only the relay's owners read the audit log".into()));
    }
    Ok(Json(state.auth.audit(1000).map_err(anyhow::Error::from)?))
}

/// `text` trimmed, if it is 1 to 80 characters: a person's name, a token's label.
fn short_text<'a>(text: &'a str, what: &str) -> Result<&'a str, AppError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 80 {
        return Err(AppError::BadRequest(format!("a {what} of 1 to 80 characters, please")));
    }
    Ok(text)
}

/// A small page of the relay's own, for signing in before the app is open.
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let title = escape(title);
    let html = format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title><style>body{{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}}
input{{display:block;margin:.5rem 0 1rem;padding:.5rem;width:100%;box-sizing:border-box}}button{{padding:.5rem 1rem}}</style>
</head><body><h1>{title}</h1>{body}</body></html>"#
    );
    (status, Html(html)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
