//! Whether the relay asks people to sign in, and who this browser is signed in as. The
//! relay's own sign-in pages (owner setup, invitations) set the session cookie and this
//! person's member id, which is their account's.

use launchplan_shared::MemberId;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::http::call;

#[derive(Clone, Copy)]
pub(crate) struct RelayAccount {
    /// Whether sync needs a sign-in; `None` until the relay answers (offline: not yet).
    pub(crate) auth: RwSignal<Option<bool>>,
    /// Who the relay says this browser is signed in as.
    pub(crate) account: RwSignal<Option<MemberId>>,
}

#[derive(serde::Deserialize)]
struct Status {
    auth: bool,
    account: Option<MemberId>,
}

impl RelayAccount {
    /// Whether the relay said it needs a sign-in and this browser has none.
    pub(crate) fn needs_sign_in(&self) -> bool {
        self.auth.get() == Some(true) && self.account.get().is_none()
    }
}

pub(crate) fn provide_relay_account() -> RelayAccount {
    let account = RelayAccount { auth: RwSignal::new(None), account: RwSignal::new(None) };
    spawn_local(async move {
        if let Ok(status) = call::<Status>("GET", "/api/v1/status", None).await {
            account.account.set(status.account);
            account.auth.set(Some(status.auth));
        }
    });
    provide_context(account);
    account
}
