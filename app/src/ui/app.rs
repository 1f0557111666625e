use leptos::prelude::*;
use leptos::task::spawn_local;

use super::error_banner::ErrorBanner;
use super::header::Header;
use super::project::ProjectPage;
use super::projects::ProjectsPage;
use crate::contexts::{Route, SyncCtx, SyncService, provide_locale, provide_route, use_strings};

#[component]
pub(crate) fn App() -> impl IntoView {
    provide_locale();
    let route = provide_route();
    let service: RwSignal<Option<Result<SyncCtx, String>>> = RwSignal::new(None);
    spawn_local(async move {
        let started = SyncService::start().await;
        if let Ok(sync) = &started {
            // A project link opened cold: read it from IndexedDB before declaring readiness.
            if let Route::Project(id) = route.get_untracked() {
                sync.open_project(id).await;
            }
        }
        service.set(Some(started));
        mark_ready();
    });
    move || match service.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <StartupError error=e/> }.into_any(),
        Some(Ok(sync)) => view! { <Shell sync=sync/> }.into_any(),
    }
}

#[component]
fn Shell(sync: SyncCtx) -> impl IntoView {
    provide_context(sync);
    let route = expect_context::<RwSignal<Route>>();
    view! {
        <Header/>
        <ErrorBanner/>
        <main>
            {move || match route.get() {
                Route::Home => view! { <ProjectsPage/> }.into_any(),
                Route::Project(id) => view! { <ProjectPage id=id/> }.into_any(),
                Route::BadLink(link) => view! { <BadLink link=link/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn BadLink(link: String) -> impl IntoView {
    let t = use_strings();
    view! {
        <p class="notice error" data-testid="bad-link">{move || t().bad_link}": "{link.clone()}</p>
        <a href="#/">{move || t().all_projects}</a>
    }
}

#[component]
fn StartupError(error: String) -> impl IntoView {
    let t = use_strings();
    view! { <p class="notice error" data-testid="startup-error">{move || t().failed}": "{error.clone()}</p> }
}

/// Tells tests (and anyone watching) that the app has mounted and read its local data.
fn mark_ready() {
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("data-app-ready", "true");
    }
}
