mod connection_badge;
mod language_toggle;
mod name_field;
mod save_state;

use leptos::prelude::*;

use connection_badge::ConnectionBadge;
use language_toggle::LanguageToggle;
use name_field::NameField;
use save_state::SaveState;

use crate::contexts::{InboxCtx, Route, WorkspaceCtx, WorkspacePage, use_strings};

#[component]
pub(crate) fn Header() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let home = Route::Workspace { workspace: workspace.doc, page: WorkspacePage::Projects }.href();
    let settings = Route::Workspace { workspace: workspace.doc, page: WorkspacePage::Settings }.href();
    let name = workspace.workspace;
    let my_work = Route::Workspace { workspace: workspace.doc, page: WorkspacePage::MyWork }.href();
    let workload = Route::Workspace { workspace: workspace.doc, page: WorkspacePage::Workload }.href();
    let kpis = Route::Workspace { workspace: workspace.doc, page: WorkspacePage::Kpis }.href();
    let inbox = expect_context::<InboxCtx>();
    let unread = Memo::new(move |_| {
        let read = inbox.read;
        inbox.plans.with(|plans| {
            read.with(|read| {
                plans.values().flat_map(|p| &p.entries).filter(|e| !read.contains(&e.key)).count()
            })
        })
    });
    view! {
        <header class="top">
            <a class="brand" href=home.clone()>"Launchplan"</a>
            <a class="workspace-name" data-testid="workspace-name" href=home>
                {move || name.with(|w| w.as_ref().map(|w| w.name.clone()).unwrap_or_default())}
            </a>
            <a class="settings-link" data-testid="settings-link" href=settings>{move || t().settings}</a>
            <a class="settings-link" data-testid="my-work-link" href=my_work>
                {move || t().my_work}
                <Show when=move || unread.get() != 0>
                    " "<span class="badge" data-testid="inbox-count">{move || unread.get()}</span>
                </Show>
            </a>
            <a class="settings-link" data-testid="workload-link" href=workload>{move || t().workload.title}</a>
            <a class="settings-link" data-testid="kpis-link" href=kpis>{move || t().kpis.title}</a>
            <span class="spacer"></span>
            <NameField/>
            <SaveState/>
            <ConnectionBadge/>
            <LanguageToggle/>
        </header>
    }
}
