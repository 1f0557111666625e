//! Which screen is showing, as a typed route in the URL's fragment, so that any path the
//! relay serves opens the app, a link works offline too, and every view and task can be
//! linked: `#/w/<workspace>/p/<project>/list/t/<task>`. Links from before workspaces
//! (`#/p/<project>`) still open their plan.

use launchplan_shared::{DocumentId, TaskId};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Route {
    /// The workspace this browser is in.
    Home,
    Workspace {
        workspace: DocumentId,
        page: WorkspacePage,
    },
    Project(ProjectRoute),
    BadLink(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WorkspacePage {
    Projects,
    Settings,
    /// My work and the inbox.
    MyWork,
    /// Everyone's hours by day across the workspace's plans.
    Workload,
    /// The workspace's KPIs across its plans.
    Kpis,
    /// Joining with the invitation of this id.
    Join(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ProjectRoute {
    /// The workspace the link came from (none for links from before workspaces).
    pub(crate) workspace: Option<DocumentId>,
    pub(crate) doc: DocumentId,
    /// The task open in the drawer.
    pub(crate) task: Option<TaskId>,
}

impl Route {
    pub(crate) fn parse(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        Self::from_parts(&parts).unwrap_or_else(|| Route::BadLink(path.to_owned()))
    }

    fn from_parts(parts: &[&str]) -> Option<Self> {
        match parts {
            [] => Some(Route::Home),
            ["p", doc, rest @ ..] => Some(Route::Project(project(None, doc, rest)?)),
            ["w", workspace, rest @ ..] => {
                let workspace: DocumentId = workspace.parse().ok()?;
                match rest {
                    [] => Some(Route::Workspace { workspace, page: WorkspacePage::Projects }),
                    ["settings"] => Some(Route::Workspace { workspace, page: WorkspacePage::Settings }),
                    ["me"] => Some(Route::Workspace { workspace, page: WorkspacePage::MyWork }),
                    ["workload"] => Some(Route::Workspace { workspace, page: WorkspacePage::Workload }),
                    ["kpis"] => Some(Route::Workspace { workspace, page: WorkspacePage::Kpis }),
                    ["join", invite] => {
                        Some(Route::Workspace { workspace, page: WorkspacePage::Join((*invite).to_owned()) })
                    }
                    ["p", doc, rest @ ..] => Some(Route::Project(project(Some(workspace), doc, rest)?)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The fragment that shows this route.
    pub(crate) fn href(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Workspace { workspace, page: WorkspacePage::Projects } => format!("#/w/{workspace}"),
            Route::Workspace { workspace, page: WorkspacePage::Settings } => {
                format!("#/w/{workspace}/settings")
            }
            Route::Workspace { workspace, page: WorkspacePage::MyWork } => format!("#/w/{workspace}/me"),
            Route::Workspace { workspace, page: WorkspacePage::Workload } => {
                format!("#/w/{workspace}/workload")
            }
            Route::Workspace { workspace, page: WorkspacePage::Kpis } => format!("#/w/{workspace}/kpis"),
            Route::Workspace { workspace, page: WorkspacePage::Join(invite) } => {
                format!("#/w/{workspace}/join/{invite}")
            }
            Route::Project(p) => {
                let base = match p.workspace {
                    Some(workspace) => format!("#/w/{workspace}/p/{}/list", p.doc),
                    None => format!("#/p/{}/list", p.doc),
                };
                match p.task {
                    Some(task) => format!("{base}/t/{task}"),
                    None => base,
                }
            }
            Route::BadLink(path) => format!("#/{path}"),
        }
    }
}

fn project(workspace: Option<DocumentId>, doc: &str, rest: &[&str]) -> Option<ProjectRoute> {
    let doc: DocumentId = doc.parse().ok()?;
    let task = match rest {
        [] | ["list"] => None,
        ["list", "t", task] => Some(task.parse().ok()?),
        _ => return None,
    };
    Some(ProjectRoute { workspace, doc, task })
}

/// The full link to a route, to send a teammate.
pub(crate) fn full_link(route: &Route) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}/{}", route.href())
}

pub(crate) fn navigate(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(route.href().trim_start_matches('#'));
    }
}

fn current() -> Route {
    Route::parse(&web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default())
}

pub(crate) fn provide_route() -> RwSignal<Route> {
    let route = RwSignal::new(current());
    let on_change = Closure::<dyn FnMut()>::new(move || {
        let now = current();
        if route.get_untracked() != now {
            route.set(now);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_change.forget();
    provide_context(route);
    route
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_read_back_from_their_links() {
        let (workspace, doc, task) = (DocumentId::random(), DocumentId::random(), TaskId::random());
        let routes = [
            Route::Home,
            Route::Workspace { workspace, page: WorkspacePage::Projects },
            Route::Workspace { workspace, page: WorkspacePage::Settings },
            Route::Workspace { workspace, page: WorkspacePage::MyWork },
            Route::Workspace { workspace, page: WorkspacePage::Workload },
            Route::Workspace { workspace, page: WorkspacePage::Kpis },
            Route::Workspace { workspace, page: WorkspacePage::Join("a1b2".into()) },
            Route::Project(ProjectRoute { workspace: Some(workspace), doc, task: None }),
            Route::Project(ProjectRoute { workspace: Some(workspace), doc, task: Some(task) }),
            Route::Project(ProjectRoute { workspace: None, doc, task: Some(task) }),
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.href()), route, "{}", route.href());
        }
    }

    #[test]
    fn links_from_before_workspaces_still_open_their_plan() {
        let doc = DocumentId::random();
        assert_eq!(
            Route::parse(&format!("#/p/{doc}")),
            Route::Project(ProjectRoute { workspace: None, doc, task: None })
        );
        assert!(matches!(Route::parse("#/p/not-a-document"), Route::BadLink(_)));
        assert!(matches!(Route::parse("#/w/x/p/y"), Route::BadLink(_)));
    }
}
