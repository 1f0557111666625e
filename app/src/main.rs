//! Launchplan in the browser: a Leptos client that keeps every plan in IndexedDB and syncs it
//! through the relay that served it.

// Leptos' #[component] re-exports each component as a `pub` item, which this lint would flag.
#![allow(unreachable_pub)]

mod contexts;
mod i18n;
mod store;
mod ui;

fn main() {
    console_error_panic_hook::set_once();
    register_service_worker();
    leptos::mount::mount_to_body(ui::App);
}

/// The service worker keeps the app shell so that the page reloads with the relay down.
fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().service_worker().register("/sw.js");
    }
}
