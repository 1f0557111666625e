//! Tabs of one browser share one writer. The tab that holds the Web Lock `launchplan-storage`
//! leads: it alone writes IndexedDB and talks to the relay, and the other tabs sync through
//! it over a BroadcastChannel, speaking the same protocol (it is their relay). When the
//! leading tab closes, the lock passes to another tab, which takes over storage and the
//! relay.

use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use launchplan_shared::PeerId;
use launchplan_shared::protocol::Message;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

use super::{Connection, Transport};

const LOCK: &str = "launchplan-storage";
const CHANNEL: &str = "launchplan-tabs";
/// Where followers send: whoever leads.
pub(super) const LEADER: &str = "leader";
/// Sent to every tab.
const EVERYONE: &str = "*";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Leader,
    Follower,
}

pub(super) struct TabChannel {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// Takes the lock if nobody holds it. `None` when the browser has no Web Locks (then every
/// tab leads, as before tabs knew of each other).
async fn try_lock() -> Option<bool> {
    let (tx, rx) = oneshot::channel();
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let held = !lock.is_null();
        let _ = tx.send(held);
        // Returning a promise that never settles keeps the lock for the page's lifetime.
        if held { Promise::new(&mut |_, _| {}).into() } else { JsValue::UNDEFINED }
    });
    let options = Object::new();
    Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE).ok()?;
    request_lock(&[&options, &callback])?;
    rx.await.ok()
}

/// Calls `granted` once this tab gets the lock (when the tab holding it closes).
fn wait_for_lock(granted: impl FnOnce() + 'static) -> Option<()> {
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        granted();
        Promise::new(&mut |_, _| {}).into()
    });
    request_lock(&[&callback])
}

/// `navigator.locks.request(LOCK, ...args)`.
fn request_lock(args: &[&JsValue]) -> Option<()> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok().filter(|l| !l.is_undefined())?;
    let request: Function = Reflect::get(&locks, &"request".into()).ok()?.dyn_into().ok()?;
    let all = js_sys::Array::new();
    all.push(&LOCK.into());
    for arg in args {
        all.push(arg);
    }
    request.apply(&locks, &all).ok().map(|_| ())
}

fn mark_role(role: Role) {
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("data-tab-role", if role == Role::Leader { "leader" } else { "follower" });
    }
}

impl Transport {
    /// Opens the channel between this browser's tabs and decides this tab's role.
    pub(super) async fn join_tabs(self: &Rc<Self>) {
        let this = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(this) = this.upgrade() {
                this.on_envelope(&event.data());
            }
        });
        if let Ok(channel) = BroadcastChannel::new(CHANNEL) {
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            *self.channel.borrow_mut() = Some(TabChannel { channel, _on_message: on_message });
        }
        match try_lock().await {
            Some(false) if self.channel.borrow().is_some() => self.follow(),
            _ => self.lead(),
        }
    }

    /// Leads: connects to the relay and serves the other tabs.
    fn lead(self: &Rc<Self>) {
        self.role.set(Role::Leader);
        mark_role(Role::Leader);
        self.connect();
    }

    /// Follows: syncs through the leading tab, and waits to lead.
    fn follow(self: &Rc<Self>) {
        self.role.set(Role::Follower);
        mark_role(Role::Follower);
        self.connection.set(Connection::Connecting);
        if let Some(link) = self.link() {
            link.opened();
        }
        // The leader may still be starting: ask again until it answers.
        let this = SendWrapper::new(Rc::downgrade(self));
        let _ = set_interval_with_handle(
            move || {
                if let Some(this) = this.upgrade()
                    && this.role.get() == Role::Follower
                    && let Some(link) = this.link()
                    && link.joining()
                {
                    link.opened();
                }
            },
            Duration::from_secs(1),
        );
        let this = Rc::clone(self);
        let waiting = wait_for_lock(move || spawn_local(async move { this.promote().await }));
        if waiting.is_none() {
            leptos::logging::warn!("this browser cannot pass the lead between tabs");
        }
        self.say_goodbye_on_close();
    }

    /// The leading tab closed and this one got the lock: take over storage and the relay.
    async fn promote(self: &Rc<Self>) {
        if let Some(link) = self.link() {
            link.closed();
            self.role.set(Role::Leader);
            link.promote().await;
        }
        self.lead();
    }

    /// Tells the leader this tab is going, so it forgets its sync state.
    fn say_goodbye_on_close(self: &Rc<Self>) {
        let this = Rc::downgrade(self);
        let goodbye = Closure::<dyn FnMut()>::new(move || {
            if let Some(this) = this.upgrade()
                && this.role.get() == Role::Follower
                && let Some(link) = this.link()
            {
                let leave = Message::Leave { sender_id: link.peer_id() };
                this.post(LEADER, Some(&leave.encode()), None);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("pagehide", goodbye.as_ref().unchecked_ref());
        }
        goodbye.forget();
    }

    /// Posts an envelope on the tab channel.
    pub(super) fn post(&self, to: &str, frame: Option<&[u8]>, status: Option<&str>) {
        let Some(channel) = self.channel.borrow().as_ref().map(|c| c.channel.clone()) else { return };
        let Some(me) = self.link().map(|l| l.peer_id().to_string()) else { return };
        let envelope = Object::new();
        let _ = Reflect::set(&envelope, &"to".into(), &to.into());
        let _ = Reflect::set(&envelope, &"from".into(), &me.into());
        if let Some(frame) = frame {
            let _ = Reflect::set(&envelope, &"frame".into(), &Uint8Array::from(frame));
        }
        if let Some(status) = status {
            let _ = Reflect::set(&envelope, &"status".into(), &status.into());
        }
        let _ = channel.post_message(&envelope);
    }

    /// The leader tells the other tabs whether it is connected to the relay.
    pub(super) fn share_status(&self) {
        if self.role.get() != Role::Leader {
            return;
        }
        let status = match self.connection.get_untracked() {
            Connection::Online => "online",
            Connection::Connecting => "connecting",
            Connection::Offline => "offline",
        };
        self.post(EVERYONE, None, Some(status));
    }

    fn on_envelope(&self, data: &JsValue) {
        let field = |name: &str| Reflect::get(data, &name.into()).ok().and_then(|v| v.as_string());
        let (Some(to), Some(from)) = (field("to"), field("from")) else { return };
        let Some(link) = self.link() else { return };
        let me = link.peer_id().to_string();
        let frame = Reflect::get(data, &"frame".into())
            .ok()
            .filter(|f| f.is_instance_of::<Uint8Array>())
            .map(|f| Uint8Array::new(&f).to_vec());
        match self.role.get() {
            Role::Leader if to == LEADER || to == me => {
                if let (Some(frame), Ok(tab)) = (frame, from.parse::<PeerId>()) {
                    link.tab_frame(tab, frame);
                }
            }
            Role::Follower if to == EVERYONE => {
                let connection = match field("status").as_deref() {
                    Some("online") => Connection::Online,
                    Some("connecting") => Connection::Connecting,
                    _ => Connection::Offline,
                };
                self.connection.set(connection);
            }
            Role::Follower if to == me => {
                if let Some(frame) = frame {
                    link.frame(&frame);
                }
            }
            _ => {}
        }
    }
}
