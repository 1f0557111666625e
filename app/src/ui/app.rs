use launchplan_shared::DocumentId;
use launchplan_shared::domain::WorkspaceCommand;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::error_banner::ErrorBanner;
use super::header::Header;
use super::join::JoinPage;
use super::kpis::KpisPage;
use super::my_work::MyWorkPage;
use super::palette::Palette;
use super::project::ProjectPage;
use super::projects::ProjectsPage;
use super::settings::SettingsPage;
use super::workload::WorkloadPage;
use crate::contexts::{
    AppError, Blobs, Errors, Identity, InboxCtx, NotifierCtx, RelayAccount, Repo, RepoCtx, Route, Storage,
    StorageCtx, WorkspaceCtx, WorkspacePage, navigate, provide_errors, provide_identity, provide_locale,
    provide_presence, provide_relay_account, provide_route, use_strings,
};

/// Everything that must be up before the first screen.
#[derive(Clone)]
struct Started {
    storage: StorageCtx,
    repo: RepoCtx,
}

#[component]
pub(crate) fn App() -> impl IntoView {
    let locale = provide_locale();
    let route = provide_route();
    let errors = provide_errors();
    let identity = provide_identity();
    provide_relay_account();
    let started: RwSignal<Option<Result<Started, String>>> = RwSignal::new(None);
    spawn_local(async move {
        let storage = match Storage::open(errors).await {
            Ok(storage) => storage,
            Err(e) => {
                started.set(Some(Err(e.to_string())));
                mark_ready();
                return;
            }
        };
        let repo = Repo::start(storage.clone(), errors, identity.member).await;
        if let Err(e) = ensure_workspace(&repo, &storage, identity, locale.0.get_untracked().strings()).await
        {
            errors.report(e);
        }
        // Open the workspace a link points at from this browser's storage before declaring
        // readiness (a plan opens from its kept view, then its document: see `ProjectCtx`).
        if let Route::Workspace { workspace, .. } = route.get_untracked() {
            repo.open(workspace).await;
        }
        started.set(Some(Ok(Started { storage, repo })));
        mark_ready();
    });
    move || match started.get() {
        None => ().into_any(),
        Some(Err(e)) => view! { <StartupError error=e/> }.into_any(),
        Some(Ok(started)) => view! { <Shell storage=started.storage repo=started.repo/> }.into_any(),
    }
}

/// On first start, makes this person's workspace (they own it), listing the plans this
/// browser knew before workspaces existed; otherwise opens the workspace they are in.
async fn ensure_workspace(
    repo: &RepoCtx,
    storage: &StorageCtx,
    identity: Identity,
    t: &'static crate::i18n::Strings,
) -> Result<(), AppError> {
    if let Some(workspace) = identity.workspace.get_untracked() {
        repo.open(workspace).await;
        return Ok(());
    }
    let name = t.workspace_of(&identity.name.get_untracked());
    let workspace = WorkspaceCtx::create(repo, identity, &name)?;
    identity.enter(workspace);
    for known in storage.known_projects().await.unwrap_or_default() {
        let index = WorkspaceCommand::IndexProject {
            doc: known.id,
            name: known.name,
            kind: launchplan_shared::domain::ProjectKind::Launch,
        };
        if let Some(Err(e)) = repo.change(workspace, |tx| index.apply(tx)) {
            return Err(e.into());
        }
    }
    Ok(())
}

#[component]
fn Shell(storage: StorageCtx, repo: RepoCtx) -> impl IntoView {
    provide_context(Blobs::start(storage.clone(), repo.transport().connection));
    provide_context(storage);
    provide_context(repo.clone());
    let identity = expect_context::<Identity>();
    let errors = expect_context::<Errors>();
    provide_presence(repo.clone(), identity);
    let route = expect_context::<RwSignal<Route>>();
    // The workspace in a link becomes the one on screen.
    Effect::new(move |_| {
        if let Route::Workspace {
            workspace,
            page:
                WorkspacePage::Projects
                | WorkspacePage::Settings
                | WorkspacePage::MyWork
                | WorkspacePage::Workload
                | WorkspacePage::Kpis,
        } = route.get()
            && identity.workspace.get_untracked() != Some(workspace)
        {
            identity.enter(workspace);
        }
        if route.with(|r| *r == Route::Home)
            && let Some(workspace) = identity.workspace.get_untracked()
        {
            navigate(&Route::Workspace { workspace, page: WorkspacePage::Projects });
        }
    });
    let screen = Memo::new(move |_| match route.get() {
        Route::Home | Route::Workspace { page: WorkspacePage::Projects, .. } => Screen::Projects,
        Route::Workspace { page: WorkspacePage::Settings, .. } => Screen::Settings,
        Route::Workspace { page: WorkspacePage::MyWork, .. } => Screen::MyWork,
        Route::Workspace { page: WorkspacePage::Workload, .. } => Screen::Workload,
        Route::Workspace { page: WorkspacePage::Kpis, .. } => Screen::Kpis,
        Route::Workspace { workspace, page: WorkspacePage::Join(invite) } => Screen::Join(workspace, invite),
        Route::Project(project) => Screen::Project(project.doc, project.workspace),
        Route::BadLink(link) => Screen::BadLink(link),
    });
    move || {
        let repo = repo.clone();
        identity.workspace.get().map(|workspace| {
            let ctx = WorkspaceCtx::open(workspace, repo.clone(), identity, errors);
            let inbox = InboxCtx::open(repo, ctx.clone());
            provide_context(NotifierCtx::start(inbox.clone(), ctx.clone()));
            provide_context(inbox);
            provide_context(ctx);
            let account = expect_context::<RelayAccount>();
            let outsider = {
                let ctx = expect_context::<WorkspaceCtx>();
                Memo::new(move |_| ctx.outsider())
            };
            view! {
                <Header/>
                <Show when=move || account.needs_sign_in()>
                    <p class="notice warning" data-testid="sign-in-needed">{move || use_strings()().sign_in_needed}</p>
                </Show>
                <Show when=move || outsider.get()>
                    <p class="notice warning" data-testid="not-a-member">{move || use_strings()().not_a_member}</p>
                </Show>
                <ErrorBanner/>
                <Palette/>
                <main>
                    {move || match screen.get() {
                        Screen::Projects => view! { <ProjectsPage/> }.into_any(),
                        Screen::Settings => view! { <SettingsPage/> }.into_any(),
                        Screen::MyWork => view! { <MyWorkPage/> }.into_any(),
                        Screen::Workload => view! { <WorkloadPage/> }.into_any(),
                        Screen::Kpis => view! { <KpisPage/> }.into_any(),
                        Screen::Join(workspace, invite) => view! { <JoinPage workspace=workspace invite=invite/> }.into_any(),
                        // Keyed by the plan: opening a task (a new route) keeps the plan open.
                        Screen::Project(doc, workspace) => view! { <ProjectPage doc=doc workspace=workspace/> }.into_any(),
                        Screen::BadLink(link) => view! { <BadLink link=link/> }.into_any(),
                    }}
                </main>
            }
        })
    }
}

/// What the main area shows; a plan stays open while only its task changes.
#[derive(Debug, Clone, PartialEq)]
enum Screen {
    Projects,
    Settings,
    MyWork,
    Workload,
    Kpis,
    Join(DocumentId, String),
    Project(DocumentId, Option<DocumentId>),
    BadLink(String),
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
