//! A way to reach one connection: its writer's queue. Document tasks hold these for their
//! peers; the connection's own task owns the socket.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use launchplan_shared::MemberId;
use launchplan_shared::protocol::Message;
use tokio::sync::{Notify, mpsc};

/// What the writer sends.
pub(crate) enum Outbound {
    Frame(Vec<u8>),
    Ping,
    /// Close the connection, telling the peer why.
    Close(String),
}

/// A way to reach one connection. Document tasks hold these for their peers.
#[derive(Clone)]
pub(crate) struct ConnHandle {
    id: u64,
    tx: mpsc::Sender<Outbound>,
    kill: Arc<Notify>,
    /// The peer's storage id, once it has joined with one.
    storage: Arc<OnceLock<String>>,
    /// Storages whose heads the peer asked to hear about (`remote-subscription-change`).
    subscriptions: Arc<Mutex<BTreeSet<String>>>,
    /// The account signed in on it, when the relay requires sign-in.
    account: Option<MemberId>,
}

impl ConnHandle {
    /// A handle on connection `id`, whose writer reads `tx`.
    pub(crate) fn new(id: u64, tx: mpsc::Sender<Outbound>, account: Option<MemberId>) -> Self {
        Self {
            id,
            tx,
            kill: Arc::new(Notify::new()),
            storage: Arc::new(OnceLock::new()),
            subscriptions: Arc::new(Mutex::new(BTreeSet::new())),
            account,
        }
    }

    /// The account signed in on this connection, when the relay requires sign-in.
    pub(crate) fn account(&self) -> Option<MemberId> {
        self.account
    }

    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Queues `outbound`. A connection too far behind to take it is closed, and false
    /// returned: its client reconnects and resyncs from what it has.
    pub(crate) fn send(&self, outbound: Outbound) -> bool {
        let queued = self.tx.try_send(outbound).is_ok();
        if !queued {
            self.kill.notify_one();
        }
        queued
    }

    pub(crate) fn storage(&self) -> Option<&str> {
        self.storage.get().map(String::as_str)
    }

    /// Records the storage the peer joined with; it cannot change.
    pub(crate) fn set_storage(&self, storage: &str) {
        let _ = self.storage.set(storage.to_owned());
    }

    /// Resolves when the connection must close: its peer fell too far behind.
    pub(crate) async fn killed(&self) {
        self.kill.notified().await;
    }

    /// Adds and removes storages whose heads the peer wants to hear of, keeping at most
    /// `limit`.
    pub(crate) fn subscribe(&self, add: Vec<String>, remove: Vec<String>, limit: usize) {
        let mut subscriptions = self.subscriptions.lock().unwrap_or_else(PoisonError::into_inner);
        for storage in remove {
            subscriptions.remove(&storage);
        }
        for storage in add {
            if subscriptions.len() >= limit {
                break;
            }
            subscriptions.insert(storage);
        }
    }

    pub(crate) fn subscribed_to(&self, storage: &str) -> bool {
        self.subscriptions.lock().unwrap_or_else(PoisonError::into_inner).contains(storage)
    }

    /// Sends an `error` message, then closes.
    pub(crate) fn refuse(&self, reason: &str) {
        self.send(Outbound::Frame(Message::Error { message: reason.to_owned() }.encode()));
        self.send(Outbound::Close(reason.to_owned()));
    }
}
