use launchplan_shared::DocumentId;
use launchplan_shared::domain::WorkspaceCommand;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contexts::{ProjectRoute, Route, StorageCtx, WorkspaceCtx, use_strings};

/// The workspace's plans, archived ones apart.
#[component]
pub(crate) fn ProjectList() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let ws = workspace.doc;
    let data = workspace.workspace;
    let listed = move |archived: bool| {
        data.with(|w| {
            // A what-if scenario is listed after the plan it was forked from (same name).
            let mut list: Vec<(DocumentId, String, bool)> = w
                .iter()
                .flat_map(|w| w.projects.iter())
                .filter(|(_, entry)| entry.archived == archived)
                .filter_map(|(id, entry)| {
                    Some((id.parse().ok()?, entry.name.clone(), entry.scenario_of.is_some()))
                })
                .collect();
            list.sort_by(|a, b| (&a.1, a.2).cmp(&(&b.1, b.2)));
            list
        })
    };
    let active = Memo::new(move |_| listed(false));
    let archived = Memo::new(move |_| listed(true));
    view! {
        <Show when=move || active.with(|p| !p.is_empty()) fallback=move || view! { <p class="empty">{move || t().no_projects}</p> }>
            <ul class="project-list">
                <For each=move || active.get() key=|p| p.clone() let:project>
                    <li>
                        <a
                            href=Route::Project(ProjectRoute { workspace: Some(ws), doc: project.0, task: None }).href()
                            data-testid="project-link"
                            data-id=project.0.to_string()
                        >
                            {project.1.clone()}
                        </a>
                        {project.2.then(|| view! { " "<span class="badge" data-testid="scenario-badge">{move || t().scenario.this_scenario}</span> })}
                        <ArchiveButton doc=project.0 archived=false/>
                    </li>
                </For>
            </ul>
        </Show>
        <Show when=move || archived.with(|p| !p.is_empty())>
            <h2>{move || t().archived}</h2>
            <ul class="project-list archived">
                <For each=move || archived.get() key=|p| p.clone() let:project>
                    <li>
                        <a href=Route::Project(ProjectRoute { workspace: Some(ws), doc: project.0, task: None }).href()>
                            {project.1.clone()}
                        </a>
                        <ArchiveButton doc=project.0 archived=true/>
                    </li>
                </For>
            </ul>
        </Show>
    }
}

/// Moves a plan in or out of the archive.
#[component]
fn ArchiveButton(doc: DocumentId, archived: bool) -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let may = {
        let workspace = workspace.clone();
        move || workspace.may(launchplan_shared::domain::permissions::Part::Structure)
    };
    view! {
        <button class="link" data-testid="archive-project" disabled=move || !may() on:click=move |_| {
            workspace.dispatch(WorkspaceCommand::Archive { doc, archived: !archived });
        }>{move || if archived { t().unarchive } else { t().archive }}</button>
    }
}

/// Plans this browser opened from links, outside the workspace.
#[component]
pub(crate) fn LinkedProjects() -> impl IntoView {
    let t = use_strings();
    let storage = expect_context::<StorageCtx>();
    let workspace = expect_context::<WorkspaceCtx>().workspace;
    let known = RwSignal::new(Vec::new());
    spawn_local(async move {
        if let Ok(projects) = storage.known_projects().await {
            known.set(projects);
        }
    });
    let outside = Memo::new(move |_| {
        let indexed = workspace.with(|w| w.as_ref().map(|w| w.projects.keys().cloned().collect::<Vec<_>>()));
        known.with(|k| {
            k.iter()
                .filter(|p| !indexed.as_ref().is_some_and(|i| i.contains(&p.id.to_string())))
                .map(|p| (p.id, p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || outside.with(|p| !p.is_empty())>
            <h2>{move || t().opened_from_links}</h2>
            <ul class="project-list">
                <For each=move || outside.get() key=|p| p.clone() let:project>
                    <li>
                        <a
                            href=Route::Project(ProjectRoute { workspace: None, doc: project.0, task: None }).href()
                            data-testid="project-link"
                            data-id=project.0.to_string()
                        >
                            {project.1.clone()}
                        </a>
                    </li>
                </For>
            </ul>
        </Show>
    }
}
