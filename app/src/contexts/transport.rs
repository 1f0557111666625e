//! The connection to the relay: one WebSocket, reconnected with backoff, or (in a tab that
//! follows another) the channel to the tab that holds it. Knows sockets and tabs, not
//! documents: frames go to and come from the [`Link`] (the repo).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use futures::future::LocalBoxFuture;
use launchplan_shared::PeerId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, MessageEvent, WebSocket};

mod tabs;

pub(crate) use tabs::Role;
use tabs::TabChannel;

/// The state of the connection to the relay, as the header shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Connection {
    Offline,
    Connecting,
    Online,
}

/// What the transport tells the documents' side.
pub(crate) trait Link {
    /// The connection opened (to the relay, or to the leading tab): introduce ourselves.
    fn opened(&self);
    /// A frame from the relay (or the leading tab).
    fn frame(&self, frame: &[u8]);
    /// The connection closed.
    fn closed(&self);
    /// Another tab that syncs through this one sent a frame.
    fn tab_frame(&self, tab: PeerId, frame: Vec<u8>);
    /// This tab leads from now on: take over storage.
    fn promote(&self) -> LocalBoxFuture<'static, ()>;
    /// Still waiting for the leading tab to answer our `join`.
    fn joining(&self) -> bool;
    fn peer_id(&self) -> PeerId;
}

struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

pub(crate) struct Transport {
    link: RefCell<Option<Weak<dyn Link>>>,
    socket: RefCell<Option<Socket>>,
    /// Bumped on every new socket, so that frames meant for an old one are never sent on it.
    generation: Cell<u32>,
    failures: Cell<u32>,
    pub(crate) connection: RwSignal<Connection>,
    /// Whether this tab talks to the relay, or syncs through the tab that does.
    role: Cell<Role>,
    channel: RefCell<Option<TabChannel>>,
}

impl Transport {
    pub(crate) fn new() -> Rc<Self> {
        Rc::new(Self {
            link: RefCell::new(None),
            socket: RefCell::new(None),
            generation: Cell::new(0),
            failures: Cell::new(0),
            connection: RwSignal::new(Connection::Offline),
            role: Cell::new(Role::Follower),
            channel: RefCell::new(None),
        })
    }

    /// Starts: decides this tab's role and connects.
    pub(crate) async fn start(self: &Rc<Self>, link: Weak<dyn Link>) {
        *self.link.borrow_mut() = Some(link);
        self.join_tabs().await;
        self.reconnect_on_wake();
    }

    fn link(&self) -> Option<Rc<dyn Link>> {
        self.link.borrow().as_ref().and_then(Weak::upgrade)
    }

    pub(crate) fn role(&self) -> Role {
        self.role.get()
    }

    /// Frames produced now belong to this connection.
    pub(crate) fn generation(&self) -> u32 {
        self.generation.get()
    }

    /// Sends a frame to the relay (or, in a following tab, to the leading tab), unless it was
    /// made for a connection that has closed since.
    pub(crate) fn send(&self, generation: u32, frame: &[u8]) {
        if self.role.get() == Role::Follower {
            self.post(tabs::LEADER, Some(frame), None);
        } else if generation == self.generation.get()
            && let Some(socket) = self.socket.borrow().as_ref()
        {
            let _ = socket.ws.send_with_u8_array(frame);
        }
    }

    pub(crate) fn send_to_tab(&self, tab: &PeerId, frame: &[u8]) {
        self.post(tab.as_str(), Some(frame), None);
    }

    /// The relay broke the protocol: close, and reconnect later.
    pub(crate) fn close(&self) {
        if let Some(socket) = self.socket.borrow().as_ref() {
            let _ = socket.ws.close();
        }
    }

    /// The handshake with the relay finished.
    pub(crate) fn connected(&self) {
        if self.role.get() == Role::Leader {
            self.failures.set(0);
            self.set_connection(Connection::Online);
        }
    }

    /// When the network comes back or the tab becomes visible, try at once instead of waiting
    /// out the backoff.
    fn reconnect_on_wake(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else { return };
        let this = Rc::downgrade(self);
        let wake = Closure::<dyn FnMut()>::new(move || {
            if let Some(this) = this.upgrade()
                && this.socket.borrow().is_none()
            {
                this.failures.set(0);
                this.connect();
            }
        });
        let _ = window.add_event_listener_with_callback("online", wake.as_ref().unchecked_ref());
        if let Some(document) = window.document() {
            let _ =
                document.add_event_listener_with_callback("visibilitychange", wake.as_ref().unchecked_ref());
        }
        // The listeners live as long as the page.
        wake.forget();
    }

    /// The relay connection changed: show it, and tell the tabs that sync through us.
    fn set_connection(&self, connection: Connection) {
        self.connection.set(connection);
        self.share_status();
    }

    fn connect(self: &Rc<Self>) {
        // A timer and an "online" event may both ask; one socket is enough, and only the
        // leading tab has one.
        if self.socket.borrow().is_some() || self.role.get() != Role::Leader {
            return;
        }
        self.generation.set(self.generation.get().wrapping_add(1));
        self.set_connection(Connection::Connecting);
        let Some(url) = sync_url() else { return };
        let Ok(ws) = WebSocket::new(&url) else { return self.reconnect_later() };
        ws.set_binary_type(BinaryType::Arraybuffer);

        let this = Rc::downgrade(self);
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if let Some(link) = this.upgrade().and_then(|t| t.link()) {
                link.opened();
            }
        });
        let this = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() else { return };
            let frame = js_sys::Uint8Array::new(&buffer).to_vec();
            if let Some(link) = this.upgrade().and_then(|t| t.link()) {
                link.frame(&frame);
            }
        });
        let this = Rc::downgrade(self);
        let on_close = Closure::<dyn FnMut()>::new(move || {
            if let Some(this) = this.upgrade() {
                if let Some(link) = this.link() {
                    link.closed();
                }
                // This closure belongs to the socket: drop it only after the callback returns.
                let old = this.socket.borrow_mut().take();
                spawn_local(async move { drop(old) });
                this.reconnect_later();
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        *self.socket.borrow_mut() =
            Some(Socket { ws, _on_open: on_open, _on_message: on_message, _on_close: on_close });
    }

    /// Tries again after an exponentially growing, jittered delay (0.5 s up to 15 s).
    fn reconnect_later(self: &Rc<Self>) {
        self.set_connection(Connection::Offline);
        let failures = self.failures.get();
        self.failures.set(failures.saturating_add(1));
        let ceiling = (500.0 * 2f64.powi(failures.min(5) as i32)).min(15_000.0);
        let delay = ceiling * (0.5 + js_sys::Math::random() / 2.0);
        let this = SendWrapper::new(Rc::clone(self));
        set_timeout(move || this.connect(), Duration::from_millis(delay as u64));
    }
}

/// `/sync` on the origin that served the page.
fn sync_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/sync", location.host().ok()?))
}
