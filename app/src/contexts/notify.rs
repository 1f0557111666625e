//! Browser notifications for what lands in the inbox: due soon and overdue, @mentions,
//! approval requests and results, work assigned. Off until the person turns them on (the
//! browser asks for permission only then, after their click); which kinds notify is their
//! setting, kept per workspace and member in this browser (notifications are the device's).
//! Each entry notifies once: every entry seen is remembered, shown or not, so a reload or a
//! plan that syncs later does not notify again.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use launchplan_shared::DocumentId;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::inbox::event_kind;
use super::{InboxCtx, LocaleCtx, ProjectRoute, Route, WorkspaceCtx, member_names, navigate};

/// Every kind, in the order the settings list them.
pub(crate) const KINDS: [&str; 6] = ["overdue", "due", "approval", "decided", "mention", "assigned"];
/// At most this many notifications at once; more say how many more.
const AT_ONCE: usize = 3;

pub(crate) struct Notifier {
    prefix: String,
    /// Kinds that notify (all, until the person changes it).
    pub(crate) kinds: RwSignal<BTreeSet<String>>,
    /// Whether the person turned notifications on here.
    pub(crate) enabled: RwSignal<bool>,
    /// The browser's permission: `granted`, `denied`, `default`, or `unsupported`.
    pub(crate) permission: RwSignal<String>,
    seen: RefCell<BTreeSet<String>>,
}

super::shared_service!(
    /// Browser notifications for the person in the workspace on screen.
    NotifierCtx => Notifier
);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    serde_json::from_str(&storage()?.get_item(key).ok()??).ok()
}

fn store<T: serde::Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(value)) {
        let _ = s.set_item(key, &json);
    }
}

fn browser_permission() -> String {
    let supported = web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &JsValue::from_str("Notification")).unwrap_or(false));
    if !supported {
        return "unsupported".into();
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => "granted",
        web_sys::NotificationPermission::Denied => "denied",
        _ => "default",
    }
    .into()
}

impl NotifierCtx {
    pub(crate) fn start(inbox: InboxCtx, workspace: WorkspaceCtx) -> Self {
        let prefix = format!("launchplan.notify.{}.{}", workspace.doc, workspace.my_id());
        let kinds = load(&format!("{prefix}.kinds"))
            .unwrap_or_else(|| KINDS.iter().map(|k| (*k).to_owned()).collect());
        let notifier = Rc::new(Notifier {
            kinds: RwSignal::new(kinds),
            enabled: RwSignal::new(load(&format!("{prefix}.on")).unwrap_or(false)),
            permission: RwSignal::new(browser_permission()),
            seen: RefCell::new(load(&format!("{prefix}.seen")).unwrap_or_default()),
            prefix,
        });
        let ctx = NotifierCtx(SendWrapper::new(notifier));
        let (me, t) = (ctx.clone(), expect_context::<LocaleCtx>().0);
        let name_of = member_names(workspace.workspace);
        let ws = workspace.doc;
        let plans = inbox.plans;
        Effect::new(move |_| {
            plans.track();
            let fresh: Vec<(DocumentId, String, launchplan_shared::plan::inbox::Entry)> = {
                let mut seen = me.seen.borrow_mut();
                let fresh = inbox
                    .all()
                    .into_iter()
                    .filter(|(_, _, e)| seen.insert(e.key.clone()))
                    .collect::<Vec<_>>();
                if !fresh.is_empty() {
                    store(&format!("{}.seen", me.prefix), &*seen);
                }
                fresh
            };
            let read = inbox.read.get_untracked();
            let wanted = me.kinds.get_untracked();
            if !me.enabled.get_untracked() || me.permission.get_untracked() != "granted" {
                return;
            }
            let strings = t.get_untracked().strings();
            let fresh: Vec<_> = fresh
                .into_iter()
                .filter(|(_, _, e)| !read.contains(&e.key) && wanted.contains(event_kind(&e.event)))
                .collect();
            for (doc, plan, entry) in fresh.iter().take(AT_ONCE) {
                let body = format!("{} · {}", entry.title, strings.event_text(&entry.event, &name_of));
                let route =
                    Route::Project(ProjectRoute { workspace: Some(ws), doc: *doc, task: Some(entry.task) });
                show(plan, &body, &entry.key, route);
            }
            if fresh.len() > AT_ONCE {
                show(
                    "Launchplan",
                    &(strings.more_notifications)(fresh.len() - AT_ONCE),
                    "more",
                    Route::Workspace { workspace: ws, page: super::WorkspacePage::MyWork },
                );
            }
        });
        ctx
    }

    /// Turns notifications on: asks the browser for permission (this must follow a click).
    pub(crate) fn turn_on(&self) {
        let me = self.clone();
        let Ok(asked) = web_sys::Notification::request_permission() else {
            self.permission.set(browser_permission());
            return;
        };
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(asked).await;
            let now = browser_permission();
            me.enabled.set(now == "granted");
            store(&format!("{}.on", me.prefix), &(now == "granted"));
            me.permission.set(now);
        });
    }

    pub(crate) fn turn_off(&self) {
        self.enabled.set(false);
        store(&format!("{}.on", self.prefix), &false);
    }

    pub(crate) fn set_kind(&self, kind: &str, on: bool) {
        self.kinds.update(|k| {
            if on {
                k.insert(kind.to_owned());
            } else {
                k.remove(kind);
            }
        });
        store(&format!("{}.kinds", self.prefix), &self.kinds.get_untracked());
    }
}

/// Shows one notification; clicking it brings the app forward on `route`.
fn show(title: &str, body: &str, tag: &str, route: Route) {
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    let Ok(notification) = web_sys::Notification::new_with_options(title, &options) else { return };
    let open = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.focus();
        }
        navigate(&route);
    });
    notification.set_onclick(Some(open.unchecked_ref()));
}
