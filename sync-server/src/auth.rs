//! Who is calling: accounts, and the secrets that stand for them (browser sessions, tokens
//! for scripts, single-use setup codes), with an append-only audit log.
//!
//! Every secret is `prefix_ID_SECRET`: a public id (48 random bits) that finds its record,
//! and 256 random bits that prove it. Only the SHA-256 of those bits is kept, so a stolen
//! database holds nothing that opens the relay, and it is compared in constant time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use launchplan_shared::domain::Role;
use launchplan_shared::{DocumentId, MemberId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::broadcast;

use crate::audit::AuditLog;
use crate::storage::{Storage, StorageError};

/// How long a browser session lasts.
const SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long the owner setup code printed on first start stays good.
const SETUP_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
/// Failed attempts from one address within [`FAILURE_WINDOW`] before it is refused outright.
const MAX_FAILURES: usize = 10;
const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// Someone who may use the relay: their account (the member id they have in every
/// workspace) and the secret they came with, which revoking it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Principal {
    pub(crate) account: MemberId,
    pub(crate) credential: Credential,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Credential {
    Session(String),
    Token(String),
}

/// A person with an account on this relay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Account {
    pub(crate) name: String,
    pub(crate) created_ms: i64,
    /// Owns the relay (came by the setup link): reads the whole audit log.
    #[serde(default)]
    pub(crate) owner: bool,
}

/// A token for a script or an integration, as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TokenInfo {
    /// Names the token in lists and revocations; it is in the token, and no secret.
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) account: MemberId,
    pub(crate) created_ms: i64,
}

/// What is kept of a secret: the hash of its secret part, and what it grants.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kept<T> {
    hash: [u8; 32],
    grants: T,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SessionRecord {
    account: MemberId,
    expires_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SetupRecord {
    expires_ms: i64,
}

/// An invitation to join a workspace with a role: good once, until it expires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Invite {
    pub(crate) workspace: DocumentId,
    pub(crate) role: Role,
    pub(crate) by: Option<MemberId>,
    pub(crate) expires_ms: i64,
}

/// Why a secret was not taken. The caller learns no more than "not good".
#[derive(Debug, thiserror::Error)]
pub(crate) enum AuthError {
    #[error("not signed in, or the sign-in is no longer good")]
    Unknown,
    #[error("too many failed attempts from this address; wait a minute")]
    TooManyAttempts,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The relay's accounts and secrets.
pub(crate) struct Auth {
    accounts: sled::Tree,
    /// A secret's id → what is kept of it, for each kind of secret.
    sessions: sled::Tree,
    tokens: sled::Tree,
    setup: sled::Tree,
    invites: sled::Tree,
    pub(crate) audit: AuditLog,
    db: sled::Db,
    failures: Mutex<HashMap<IpAddr, Vec<Instant>>>,
    /// Tells open connections that a credential was revoked.
    revoked: broadcast::Sender<Credential>,
}

impl Auth {
    pub(crate) fn open(storage: &Storage) -> Result<Self, StorageError> {
        let db = storage.database();
        Ok(Self {
            accounts: db.open_tree("accounts")?,
            sessions: db.open_tree("sessions")?,
            tokens: db.open_tree("tokens")?,
            setup: db.open_tree("setup")?,
            invites: db.open_tree("invites")?,
            audit: AuditLog::open(&db)?,
            db,
            failures: Mutex::new(HashMap::new()),
            revoked: broadcast::channel(64).0,
        })
    }

    /// Hears of every credential revoked from now on.
    pub(crate) fn revocations(&self) -> broadcast::Receiver<Credential> {
        self.revoked.subscribe()
    }

    /// Whether anyone has an account yet.
    pub(crate) fn has_accounts(&self) -> bool {
        !self.accounts.is_empty()
    }

    /// A new single-use code that makes whoever brings it the relay's first owner: made
    /// while nobody has an account, printed on start. Earlier codes stay good until used
    /// or expired.
    pub(crate) fn setup_code(&self, now_ms: i64) -> Result<String, StorageError> {
        let secret = Secret::new("setup");
        let record = SetupRecord { expires_ms: now_ms + SETUP_LIFETIME.as_millis() as i64 };
        self.setup.insert(&secret.id, json(&Kept { hash: secret.hash, grants: record }))?;
        self.flush()?;
        Ok(secret.text)
    }

    /// Uses up a setup code: a new account named `name`, signed in. Refused once anyone
    /// has an account, for an unknown or expired code, and from an address that failed
    /// too often.
    pub(crate) fn accept_setup(
        &self,
        code: &str,
        name: &str,
        from: IpAddr,
        now_ms: i64,
    ) -> Result<(MemberId, String), AuthError> {
        self.check_rate(from)?;
        let setup: Option<(String, SetupRecord)> = take(&self.setup, code)?;
        let good = setup.is_some_and(|(_, r)| r.expires_ms > now_ms) && !self.has_accounts();
        if !good {
            return Err(self.failed(from));
        }
        let account = self.create_account(name, true, now_ms)?;
        let session = self.create_session(account, now_ms)?;
        let detail = format!("{name} became the relay's first owner");
        self.audit.record(Some(account), None, "setup", &detail, now_ms)?;
        Ok((account, session))
    }

    /// A new invitation to `workspace` with `role`, good for `lifetime`: the code for its
    /// link, shown only now.
    pub(crate) fn create_invite(
        &self,
        workspace: DocumentId,
        role: Role,
        by: Option<MemberId>,
        lifetime: Duration,
        now_ms: i64,
    ) -> Result<(Invite, String), StorageError> {
        let secret = Secret::new("invite");
        let invite = Invite { workspace, role, by, expires_ms: now_ms + lifetime.as_millis() as i64 };
        self.invites.insert(&secret.id, json(&Kept { hash: secret.hash, grants: invite.clone() }))?;
        self.audit.record(
            by,
            Some(workspace),
            "invite created",
            &format!("{} as {role:?}", secret.id),
            now_ms,
        )?;
        Ok((invite, secret.text))
    }

    /// The invitation `code` stands for, if it is still good; it stays good.
    pub(crate) fn peek_invite(&self, code: &str, now_ms: i64) -> Result<Option<Invite>, StorageError> {
        Ok(find::<Invite>(&self.invites, code)?.map(|(_, i)| i).filter(|i| i.expires_ms > now_ms))
    }

    /// Uses up the invitation `code`: what it invites to. Unknown, used or expired codes
    /// count as failures from `from`.
    pub(crate) fn accept_invite(&self, code: &str, from: IpAddr, now_ms: i64) -> Result<Invite, AuthError> {
        self.check_rate(from)?;
        match take::<Invite>(&self.invites, code)? {
            Some((_, invite)) if invite.expires_ms > now_ms => {
                self.flush()?;
                Ok(invite)
            }
            _ => Err(self.failed(from)),
        }
    }

    /// The open invitations to `workspace` (unexpired), by id.
    pub(crate) fn invites(
        &self,
        workspace: DocumentId,
        now_ms: i64,
    ) -> Result<Vec<(String, Invite)>, StorageError> {
        let mut found = Vec::new();
        for entry in self.invites.iter() {
            let (id, bytes) = entry?;
            if let Ok(kept) = serde_json::from_slice::<Kept<Invite>>(&bytes)
                && kept.grants.workspace == workspace
                && kept.grants.expires_ms > now_ms
            {
                found.push((String::from_utf8_lossy(&id).into_owned(), kept.grants));
            }
        }
        found.sort_by_key(|(_, i)| i.expires_ms);
        Ok(found)
    }

    /// The invitation `id`, if it is open.
    pub(crate) fn invite(&self, id: &str) -> Result<Option<Invite>, StorageError> {
        let Some(bytes) = self.invites.get(id)? else { return Ok(None) };
        Ok(serde_json::from_slice::<Kept<Invite>>(&bytes).ok().map(|k| k.grants))
    }

    /// Withdraws the invitation `id`: its link no longer works.
    pub(crate) fn revoke_invite(
        &self,
        id: &str,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        if let Some(bytes) = self.invites.remove(id)? {
            let workspace = serde_json::from_slice::<Kept<Invite>>(&bytes).ok().map(|k| k.grants.workspace);
            self.audit.record(by, workspace, "invite revoked", id, now_ms)?;
        }
        Ok(())
    }

    /// A new account.
    pub(crate) fn create_account(
        &self,
        name: &str,
        owner: bool,
        now_ms: i64,
    ) -> Result<MemberId, StorageError> {
        let account = MemberId::random();
        let record = Account { name: name.trim().to_owned(), created_ms: now_ms, owner };
        self.accounts.insert(account.to_string(), json(&record))?;
        self.flush()?;
        Ok(account)
    }

    pub(crate) fn account(&self, id: MemberId) -> Result<Option<Account>, StorageError> {
        Ok(self.accounts.get(id.to_string())?.and_then(|b| serde_json::from_slice(&b).ok()))
    }

    /// A browser session for `account`: the secret for its cookie.
    pub(crate) fn create_session(&self, account: MemberId, now_ms: i64) -> Result<String, StorageError> {
        let secret = Secret::new("session");
        let record = SessionRecord { account, expires_ms: now_ms + SESSION_LIFETIME.as_millis() as i64 };
        self.sessions.insert(&secret.id, json(&Kept { hash: secret.hash, grants: record }))?;
        self.flush()?;
        Ok(secret.text)
    }

    /// Ends the session whose secret is `secret` (signing out).
    pub(crate) fn end_session(&self, secret: &str) -> Result<(), StorageError> {
        if let Some((id, _)) = take::<SessionRecord>(&self.sessions, secret)? {
            let _ = self.revoked.send(Credential::Session(id));
        }
        self.flush()
    }

    /// A token for `account`, labelled `label`: its id, and the secret, shown only now.
    pub(crate) fn create_token(
        &self,
        account: MemberId,
        label: &str,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<(TokenInfo, String), StorageError> {
        let secret = Secret::new("lp");
        let info =
            TokenInfo { id: secret.id.clone(), label: label.trim().to_owned(), account, created_ms: now_ms };
        self.tokens.insert(&secret.id, json(&Kept { hash: secret.hash, grants: info.clone() }))?;
        self.audit.record(
            by,
            None,
            "token created",
            &format!("{} ({}) for {account}", info.id, info.label),
            now_ms,
        )?;
        Ok((info, secret.text))
    }

    /// Every token, or only `account`'s.
    pub(crate) fn tokens(&self, account: Option<MemberId>) -> Result<Vec<TokenInfo>, StorageError> {
        let mut found = Vec::new();
        for entry in self.tokens.iter() {
            let (_, bytes) = entry?;
            if let Ok(kept) = serde_json::from_slice::<Kept<TokenInfo>>(&bytes)
                && account.is_none_or(|a| a == kept.grants.account)
            {
                found.push(kept.grants);
            }
        }
        found.sort_by_key(|t| t.created_ms);
        Ok(found)
    }

    /// Revokes the token `id` (of `account`, when given): connections it opened close.
    /// `false` if there is no such token.
    pub(crate) fn revoke_token(
        &self,
        id: &str,
        account: Option<MemberId>,
        by: Option<MemberId>,
        now_ms: i64,
    ) -> Result<bool, StorageError> {
        let Some(bytes) = self.tokens.get(id)? else { return Ok(false) };
        let Ok(kept) = serde_json::from_slice::<Kept<TokenInfo>>(&bytes) else { return Ok(false) };
        if account.is_some_and(|a| a != kept.grants.account) {
            return Ok(false);
        }
        self.tokens.remove(id)?;
        let info = kept.grants;
        self.audit.record(by, None, "token revoked", &format!("{} ({})", info.id, info.label), now_ms)?;
        let _ = self.revoked.send(Credential::Token(info.id));
        Ok(true)
    }

    /// Who `secret` (a session's, or a token's) stands for. Failures count against `from`.
    pub(crate) fn authenticate(
        &self,
        session: Option<&str>,
        token: Option<&str>,
        from: IpAddr,
        now_ms: i64,
    ) -> Result<Principal, AuthError> {
        self.check_rate(from)?;
        // Only a wrong secret counts against the address: asking with none (a browser not
        // signed in, reconnecting) or with a session that ran out (its proof was right)
        // guesses nothing, and must not shut out everyone behind the same address.
        let found = match (session, token) {
            (_, Some(token)) => find::<TokenInfo>(&self.tokens, token)?
                .map(|(id, info)| Ok(Principal { account: info.account, credential: Credential::Token(id) })),
            (Some(session), None) => find::<SessionRecord>(&self.sessions, session)?.map(|(id, record)| {
                if record.expires_ms > now_ms {
                    Ok(Principal { account: record.account, credential: Credential::Session(id) })
                } else {
                    Err(AuthError::Unknown)
                }
            }),
            (None, None) => return Err(AuthError::Unknown),
        };
        found.unwrap_or_else(|| Err(self.failed(from)))
    }

    fn flush(&self) -> Result<(), StorageError> {
        self.db.flush()?;
        Ok(())
    }

    fn check_rate(&self, from: IpAddr) -> Result<(), AuthError> {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let recent = failures.entry(from).or_default();
        recent.retain(|at| at.elapsed() < FAILURE_WINDOW);
        if recent.len() >= MAX_FAILURES { Err(AuthError::TooManyAttempts) } else { Ok(()) }
    }

    /// Counts a failed attempt from `from`, and says so.
    fn failed(&self, from: IpAddr) -> AuthError {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        // Bounded: an address's old failures go at its next attempt; a flood of addresses
        // is forgotten wholesale rather than held.
        if failures.len() > 100_000 {
            failures.clear();
        }
        failures.entry(from).or_default().push(Instant::now());
        AuthError::Unknown
    }
}

/// A new secret, as shown once (`text`), and what finds and proves it.
struct Secret {
    text: String,
    id: String,
    hash: [u8; 32],
}

impl Secret {
    fn new(prefix: &str) -> Self {
        let mut id = [0u8; 6];
        let mut proof = [0u8; 32];
        getrandom::fill(&mut id).expect("the operating system's random source");
        getrandom::fill(&mut proof).expect("the operating system's random source");
        let (id, proof) = (hex(&id), hex(&proof));
        Self { text: format!("{prefix}_{id}_{proof}"), hash: hash(&proof), id }
    }
}

/// Splits `prefix_ID_SECRET` into its id and secret part.
fn split(text: &str) -> Option<(&str, &str)> {
    let mut parts = text.trim().splitn(3, '_');
    let (_, id, proof) = (parts.next()?, parts.next()?, parts.next()?);
    (id.len() == 12 && proof.len() == 64).then_some((id, proof))
}

/// What `tree` keeps for the secret `text`, with its id, if the secret part proves it.
fn find<T: serde::de::DeserializeOwned>(
    tree: &sled::Tree,
    text: &str,
) -> Result<Option<(String, T)>, StorageError> {
    let Some((id, proof)) = split(text) else { return Ok(None) };
    let Some(bytes) = tree.get(id)? else { return Ok(None) };
    let Ok(kept) = serde_json::from_slice::<Kept<T>>(&bytes) else { return Ok(None) };
    let proven: bool = kept.hash.ct_eq(&hash(proof)).into();
    Ok(proven.then(|| (id.to_owned(), kept.grants)))
}

/// [`find`], and the secret is used up: a second use finds nothing.
fn take<T: serde::de::DeserializeOwned>(
    tree: &sled::Tree,
    text: &str,
) -> Result<Option<(String, T)>, StorageError> {
    let found = find(tree, text)?;
    if let Some((id, _)) = &found
        && tree.remove(id.as_str())?.is_none()
    {
        // Someone else used it between our read and our removal.
        return Ok(None);
    }
    Ok(found)
}

fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("records serialize")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn only_wrong_secrets_count_against_an_address_not_a_session_that_ran_out() {
        let dir = tempfile::tempdir().expect("dir");
        let storage = Storage::open(dir.path(), Arc::default()).expect("storage");
        let auth = Auth::open(&storage).expect("auth");
        let from: IpAddr = "10.0.0.8".parse().expect("address");
        let account = MemberId::random();
        let session = auth.create_session(account, 0).expect("session");
        assert_eq!(auth.authenticate(Some(&session), None, from, 1).expect("signed in").account, account);
        // A browser whose session ran out keeps reconnecting: told no each time, and its
        // address (shared, perhaps, by a whole office) stays open.
        let later = SESSION_LIFETIME.as_millis() as i64 + 1;
        for _ in 0..3 * MAX_FAILURES {
            assert!(matches!(auth.authenticate(Some(&session), None, from, later), Err(AuthError::Unknown)));
        }
        // Guessing is still cut off.
        let guess = format!("session_{}_{}", "a".repeat(12), "f".repeat(64));
        let outcomes: Vec<bool> = (0..MAX_FAILURES + 1)
            .map(|_| {
                matches!(auth.authenticate(Some(&guess), None, from, 1), Err(AuthError::TooManyAttempts))
            })
            .collect();
        assert_eq!(
            outcomes.iter().filter(|cut| **cut).count(),
            1,
            "cut off after {MAX_FAILURES}: {outcomes:?}"
        );
    }
}
