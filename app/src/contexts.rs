//! What components share, one concern each: errors, identity, storage, the relay connection
//! (transport), the documents (repo), presence, the workspace and the open plan, the route
//! and the language.

/// A service the components share: behind an `Rc`, wrapped for Leptos (which wants `Send`
/// contexts; the app runs on one thread).
macro_rules! shared_service {
    ($(#[$doc:meta])* $ctx:ident => $service:ty) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub(crate) struct $ctx(pub(crate) send_wrapper::SendWrapper<std::rc::Rc<$service>>);

        impl std::ops::Deref for $ctx {
            type Target = $service;

            fn deref(&self) -> &$service {
                &self.0
            }
        }
    };
}
use shared_service;

/// Today in this person's time zone (a day begins at local midnight: in Beijing at 00:00,
/// not at 08:00 when UTC's does).
pub(crate) fn today() -> launchplan_shared::domain::Date {
    local_day(js_sys::Date::now() as i64)
}

/// The day it was here at `ms` (milliseconds since the Unix epoch).
pub(crate) fn local_day(ms: i64) -> launchplan_shared::domain::Date {
    let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    launchplan_shared::domain::Date::from_ymd(
        when.get_full_year() as i32,
        when.get_month() + 1,
        when.get_date(),
    )
    .unwrap_or_else(|| launchplan_shared::domain::Date::from_millis(ms))
}

/// `ms` (milliseconds since the Unix epoch) as a date and time in this person's time zone,
/// written the way the app's language writes them.
pub(crate) fn local_time(ms: i64) -> String {
    use leptos::prelude::{Get, use_context};
    let tag = use_context::<LocaleCtx>().map_or("default", |locale| locale.0.get().tag());
    let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    String::from(when.to_locale_string(tag, &wasm_bindgen::JsValue::UNDEFINED))
}

mod account;
mod blobs;
mod comments;
mod errors;
mod finance;
pub(crate) mod http;
mod identity;
mod inbox;
mod locale;
mod notify;
mod presence;
mod project;
mod repo;
mod route;
mod storage;
mod transport;
mod workspace;

pub(crate) use account::{RelayAccount, provide_relay_account};
pub(crate) use blobs::{BlobError, Blobs, BlobsCtx, object_url, size_text};
pub(crate) use comments::CommentsCtx;
pub(crate) use errors::{AppError, Errors, provide_errors};
pub(crate) use finance::FinanceCtx;
pub(crate) use identity::{Identity, provide_identity};
pub(crate) use inbox::{InboxCtx, event_kind};
pub(crate) use locale::{LocaleCtx, provide_locale, use_strings};
pub(crate) use notify::{KINDS as NOTIFY_KINDS, NotifierCtx};
pub(crate) use presence::{PresenceCtx, provide_presence};
pub(crate) use project::{Loading as PlanLoading, ProjectCtx, WorkedOut, follow_move, mark, trace};
pub(crate) use repo::{Repo, RepoCtx};
pub(crate) use route::{ProjectRoute, Route, WorkspacePage, full_link, navigate, provide_route};
pub(crate) use storage::{Storage, StorageCtx};
pub(crate) use transport::Connection;
pub(crate) use workspace::{Loading as WorkspaceLoading, WorkspaceCtx, member_names, members_by_name};
