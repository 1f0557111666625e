//! Signing in and the relay's HTTP API: the owner setup page, who is signed in, tokens for
//! scripts, and the audit log. Browsers carry a session cookie (HttpOnly, SameSite=Strict,
//! Secure over TLS); other clients send `Authorization: Bearer <token>`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Json;
use axum::extract::{ConnectInfo, Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use launchplan_shared::domain::{Role, WorkspaceCommand};
use launchplan_shared::{DocumentId, MemberId};
use serde::{Deserialize, Serialize};

use crate::audit::AuditEvent;
use crate::auth::{AuthError, Principal, TokenInfo};
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

/// The signed-in person or script making an API call (see [`principal`]).
pub(crate) struct Caller(pub(crate) Principal);

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, AppError> {
        let Ok(ClientAddr(from)) = ClientAddr::from_request_parts(parts, state).await;
        principal(state, &parts.headers, from).map(Caller)
    }
}

/// Passes when the relay does not require sign-in (with no one), or the caller is signed in
/// (with who they are): for what anyone could use before, such as attachments.
pub(crate) struct SignedIn(pub(crate) Option<Principal>);

impl FromRequestParts<Arc<AppState>> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, AppError> {
        if !state.auth_required {
            return Ok(Self(None));
        }
        let Caller(caller) = Caller::from_request_parts(parts, state).await?;
        Ok(Self(Some(caller)))
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
        Ok((account, session)) => {
            let mut response = signed_in_page(account, name, None);
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
    Caller(principal): Caller,
) -> Result<Json<Me>, AppError> {
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
    Caller(principal): Caller,
    Json(new): Json<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), AppError> {
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
    Caller(principal): Caller,
) -> Result<Json<Vec<TokenInfo>>, AppError> {
    Ok(Json(state.auth.tokens(Some(principal.account)).map_err(anyhow::Error::from)?))
}

/// `DELETE /api/v1/tokens/{id}`: revokes one of the caller's tokens; connections it opened
/// close at once.
pub(crate) async fn revoke_token(
    Path(id): Path<String>,
    State(state): State<Arc<AppState>>,
    Caller(principal): Caller,
) -> Result<StatusCode, AppError> {
    let account = Some(principal.account);
    match state.auth.revoke_token(&id, account, account, now_ms()).map_err(anyhow::Error::from)? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(AppError::NotFound),
    }
}

/// `POST /api/v1/signout`: ends the caller's browser session; its connections close.
pub(crate) async fn sign_out(
    State(state): State<Arc<AppState>>,
    Caller(_): Caller,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(session) = cookie(&headers, SESSION_COOKIE) {
        state.auth.end_session(&session).map_err(anyhow::Error::from)?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let gone = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&gone).expect("ascii"));
    Ok(response)
}

/// `?workspace=<id>`: one workspace's part of the audit log.
#[derive(Deserialize)]
pub(crate) struct AuditOf {
    workspace: Option<DocumentId>,
}

/// `GET /api/v1/audit[?workspace=<id>]`: the audit log, newest first (at most 1,000 events):
/// a workspace's for its owners and admins, the whole of it for the relay's owners.
pub(crate) async fn audit(
    State(state): State<Arc<AppState>>,
    Query(of): Query<AuditOf>,
    Caller(principal): Caller,
) -> Result<Json<Vec<AuditEvent>>, AppError> {
    let workspace = match of.workspace {
        None => {
            let account = state.auth.account(principal.account).map_err(anyhow::Error::from)?;
            if !account.is_some_and(|a| a.owner) {
                return Err(AppError::Forbidden(
                    "only the relay's owners read the whole audit log; name a workspace (?workspace=)".into(),
                ));
            }
            None
        }
        Some(workspace) => {
            administers(&state, &principal, workspace)?;
            Some(workspace)
        }
    };
    Ok(Json(state.auth.audit.list(workspace, 1000).map_err(anyhow::Error::from)?))
}

#[derive(Deserialize)]
pub(crate) struct NewInvite {
    workspace: DocumentId,
    role: Role,
    /// How many days the link stays good (default 7, at most 30).
    days: Option<u64>,
}

#[derive(Serialize)]
pub(crate) struct CreatedInvite {
    /// The path to open, `/join/<code>`: shown this once; the relay keeps only a hash.
    link: String,
    expires_ms: i64,
}

/// `POST /api/v1/invites`: an invitation to a workspace the caller owns or administers.
pub(crate) async fn create_invite(
    State(state): State<Arc<AppState>>,
    Caller(principal): Caller,
    Json(new): Json<NewInvite>,
) -> Result<(StatusCode, Json<CreatedInvite>), AppError> {
    administers(&state, &principal, new.workspace)?;
    let days = new.days.unwrap_or(7).clamp(1, 30);
    let lifetime = std::time::Duration::from_secs(days * 24 * 3600);
    let (invite, code) = state
        .auth
        .create_invite(new.workspace, new.role, Some(principal.account), lifetime, now_ms())
        .map_err(anyhow::Error::from)?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvite { link: format!("/join/{code}"), expires_ms: invite.expires_ms }),
    ))
}

/// The caller, if they own or administer `workspace`.
fn administers(state: &AppState, principal: &Principal, workspace: DocumentId) -> Result<(), AppError> {
    let roles = state.access.roles(workspace, principal.account).unwrap_or_default();
    if roles.iter().any(|r| matches!(r, Role::Owner | Role::Admin)) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only the workspace's owners and admins manage invitations".into()))
    }
}

#[derive(Deserialize)]
pub(crate) struct OfWorkspace {
    workspace: DocumentId,
}

#[derive(Serialize)]
pub(crate) struct OpenInvite {
    id: String,
    role: Role,
    by: Option<MemberId>,
    expires_ms: i64,
}

/// `GET /api/v1/invites?workspace=<id>`: the workspace's open invitations (never their
/// codes), for its owners and admins.
pub(crate) async fn invites(
    State(state): State<Arc<AppState>>,
    Caller(principal): Caller,
    Query(of): Query<OfWorkspace>,
) -> Result<Json<Vec<OpenInvite>>, AppError> {
    administers(&state, &principal, of.workspace)?;
    let open = state.auth.invites(of.workspace, now_ms()).map_err(anyhow::Error::from)?;
    Ok(Json(
        open.into_iter()
            .map(|(id, i)| OpenInvite { id, role: i.role, by: i.by, expires_ms: i.expires_ms })
            .collect(),
    ))
}

/// `DELETE /api/v1/invites/{id}`: withdraws an invitation.
pub(crate) async fn revoke_invite(
    Path(id): Path<String>,
    State(state): State<Arc<AppState>>,
    Caller(principal): Caller,
) -> Result<StatusCode, AppError> {
    let invite = state.auth.invite(&id).map_err(anyhow::Error::from)?.ok_or(AppError::NotFound)?;
    administers(&state, &principal, invite.workspace)?;
    state.auth.revoke_invite(&id, Some(principal.account), now_ms()).map_err(anyhow::Error::from)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub(crate) struct Status {
    /// Whether sync needs a sign-in.
    auth: bool,
    /// Who is signed in, if anyone.
    account: Option<MemberId>,
    name: Option<String>,
}

/// `GET /api/v1/status`: whether the relay requires sign-in, and who this is. Anyone may ask.
pub(crate) async fn status(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
) -> Result<Json<Status>, AppError> {
    let signed_in = match cookie(&headers, SESSION_COOKIE) {
        Some(_) => principal(&state, &headers, from).ok(),
        None => None,
    };
    let name = match &signed_in {
        Some(p) => state.auth.account(p.account).map_err(anyhow::Error::from)?.map(|a| a.name),
        None => None,
    };
    Ok(Json(Status { auth: state.auth_required, account: signed_in.map(|p| p.account), name }))
}

/// `GET /join/{code}`: the page an invitation link opens, which asks for a name.
pub(crate) async fn join_page(
    Path(code): Path<String>,
    State(state): State<Arc<AppState>>,
) -> Result<Response, AppError> {
    let Some(invite) = state.auth.peek_invite(&code, now_ms()).map_err(anyhow::Error::from)? else {
        return Ok(page(
            StatusCode::GONE,
            "This invitation is used up or expired",
            "<p>Ask for a new one.</p>",
        ));
    };
    let code = escape(&code);
    let role = role_name(invite.role);
    Ok(page(
        StatusCode::OK,
        "Join a Launchplan workspace / 加入工作区",
        &format!(
            r#"<p>You are invited as / 你受邀的角色：<strong data-testid="join-role">{role}</strong></p>
<form method="post" action="/join">
<input type="hidden" name="code" value="{code}">
<label>Your name / 你的名字 <input name="name" required maxlength="60" autofocus data-testid="join-name"></label>
<button type="submit" data-testid="join-workspace">Join / 加入</button>
</form>"#
        ),
    ))
}

/// A role's name in both languages, as the app names it.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::Owner => "所有者 / Owner",
        Role::Admin => "管理员 / Admin",
        Role::Editor => "编辑 / Editor",
        Role::ContentEditor => "运营（仅内容）/ Content editor",
        Role::Viewer => "只读 / Viewer",
        Role::Finance => "财务 / Finance",
    }
}

/// `POST /join`: uses up the invitation, makes the person a member with its role (the relay
/// writes that into the workspace), signs them in and opens the workspace in the app. Someone
/// signed in already joins as themselves.
pub(crate) async fn join(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    ClientAddr(from): ClientAddr,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    if !same_origin(&headers, state.tls) {
        return Err(AppError::Forbidden("requests from another site are refused".into()));
    }
    let name = short_text(&form.name, "name")?.to_owned();
    let now = now_ms();
    let invite = match state.auth.accept_invite(&form.code, from, now) {
        Ok(invite) => invite,
        Err(AuthError::Unknown) => {
            return Ok(page(
                StatusCode::GONE,
                "This invitation is used up or expired",
                "<p>Ask for a new one.</p>",
            ));
        }
        Err(e) => return Err(refusal(e)),
    };
    let signed_in = cookie(&headers, SESSION_COOKIE)
        .and_then(|session| state.auth.authenticate(Some(&session), None, from, now).ok());
    let account = match &signed_in {
        Some(principal) => principal.account,
        None => state.auth.create_account(&name, false, now).map_err(anyhow::Error::from)?,
    };
    let admit = WorkspaceCommand::Admit { member: account, name: name.clone(), role: invite.role };
    state
        .docs
        .edit(invite.workspace, Box::new(move |tx| admit.apply(tx).map_err(|e| e.to_string())))
        .await
        .map_err(|e| anyhow::anyhow!("adding the new member: {e}"))?;
    state
        .auth
        .audit
        .record(
            Some(account),
            Some(invite.workspace),
            "joined",
            &format!("{name} as {:?} by invitation", invite.role),
            now,
        )
        .map_err(anyhow::Error::from)?;
    let mut response = signed_in_page(account, &name, Some(invite.workspace));
    if signed_in.is_none() {
        let session = state.auth.create_session(account, now).map_err(anyhow::Error::from)?;
        response.headers_mut().insert(header::SET_COOKIE, session_cookie(&session, state.tls));
    }
    Ok(response)
}

/// The page after signing in: it tells the app (same origin, localStorage) who this person
/// is and which workspace to open, then opens it.
fn signed_in_page(account: MemberId, name: &str, workspace: Option<DocumentId>) -> Response {
    let json = |v: &str| serde_json::to_string(v).expect("strings serialize");
    // A new owner starts in a workspace of their own, which the app makes; one who joined
    // starts in the workspace they joined.
    let workspace = match workspace {
        Some(w) => format!("localStorage.setItem('launchplan.workspace',{});", json(&w.to_string())),
        None => "localStorage.removeItem('launchplan.workspace');".to_owned(),
    };
    let script = format!(
        "localStorage.setItem('launchplan.member',{});localStorage.setItem('launchplan.name',{});{}location.replace('/');",
        json(&account.to_string()),
        json(name),
        workspace
    );
    // No `<` may reach the page inside the script (a name could hold `</script>`); JSON
    // strings read `\u003c` as the same character.
    let script = script.replace('<', "\\u003c");
    page(
        StatusCode::OK,
        "Signed in / 已登录",
        &format!("<p><a href=\"/\">Open Launchplan</a></p><script>{script}</script>"),
    )
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
