use launchplan_shared::DocumentId;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Which screen is showing. Routes live in the URL's fragment (`#/p/<document id>`), so that
/// any path the relay serves opens the app and a share link works offline too.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Route {
    Home,
    Project(DocumentId),
    BadLink(String),
}

impl Route {
    fn parse(hash: &str) -> Self {
        let path = hash.trim_start_matches('#');
        match path.strip_prefix("/p/") {
            Some(id) => match id.parse() {
                Ok(id) => Route::Project(id),
                Err(_) => Route::BadLink(id.to_owned()),
            },
            None => Route::Home,
        }
    }
}

pub(crate) fn project_href(id: DocumentId) -> String {
    format!("#/p/{id}")
}

/// The link to send a teammate.
pub(crate) fn share_link(id: DocumentId) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}/{}", project_href(id))
}

pub(crate) fn navigate(href: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(href.trim_start_matches('#'));
    }
}

fn current() -> Route {
    Route::parse(&web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default())
}

pub(crate) fn provide_route() -> RwSignal<Route> {
    let route = RwSignal::new(current());
    let on_change = Closure::<dyn FnMut()>::new(move || route.set(current()));
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_change.forget();
    provide_context(route);
    route
}
