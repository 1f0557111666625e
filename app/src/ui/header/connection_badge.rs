use leptos::prelude::*;

use crate::contexts::{Connection, RepoCtx, use_strings};

/// Online, offline, connecting or syncing.
#[component]
pub(crate) fn ConnectionBadge() -> impl IntoView {
    let t = use_strings();
    let repo = expect_context::<RepoCtx>();
    let (connection, unsynced) = (repo.transport().connection, repo.unsynced);
    let state = move || match connection.get() {
        Connection::Online if unsynced.get() > 0 => "syncing",
        Connection::Online => "online",
        Connection::Connecting => "connecting",
        Connection::Offline => "offline",
    };
    let label = move || match state() {
        "syncing" => t().syncing,
        "online" => t().online,
        "connecting" => t().connecting,
        _ => t().offline,
    };
    view! {
        <span class="connection" data-testid="connection" data-state=state>
            <span class="dot"></span>
            {label}
        </span>
    }
}
