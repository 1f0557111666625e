//! What components share, one `provide_*` function each.

mod locale;
mod route;
mod sync;

pub(crate) use locale::{LocaleCtx, provide_locale, use_strings};
pub(crate) use route::{Route, navigate, project_href, provide_route, share_link};
pub(crate) use sync::{Connection, SyncCtx, SyncService};
