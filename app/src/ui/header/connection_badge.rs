use leptos::prelude::*;

use crate::contexts::{Connection, SyncCtx, use_strings};

/// Online, offline, connecting or syncing; and whether local writes are saved.
#[component]
pub(crate) fn ConnectionBadge() -> impl IntoView {
    let t = use_strings();
    let sync = expect_context::<SyncCtx>();
    let (connection, unsynced, pending) = (sync.connection, sync.unsynced, sync.pending_writes);
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
        <span class="save-state" data-testid="save-state" data-pending=move || pending.get().to_string()>
            {move || if pending.get() > 0 { t().saving } else { t().saved }}
        </span>
        <span class="connection" data-testid="connection" data-state=state>
            <span class="dot"></span>
            {label}
        </span>
    }
}
