use launchplan_shared::domain::{Project, WorkspaceCommand, commands};
use leptos::prelude::*;

use crate::contexts::{Errors, ProjectRoute, RepoCtx, Route, WorkspaceCtx, navigate, use_strings};
use crate::i18n::{KINDS, kind_index};

/// Creates plan `project`, lists it in the workspace and opens it. Returns whether it was made.
pub(super) fn create_plan(
    project: &Project,
    repo: &RepoCtx,
    workspace: &WorkspaceCtx,
    errors: &Errors,
) -> bool {
    match repo.create(|tx| commands::create_project(tx, project)) {
        Ok(doc) => {
            workspace.dispatch(WorkspaceCommand::IndexProject {
                doc,
                name: project.meta.name.clone(),
                kind: project.meta.kind,
            });
            navigate(&Route::Project(ProjectRoute { workspace: Some(workspace.doc), doc, task: None }));
            true
        }
        Err(e) => {
            errors.report(e);
            false
        }
    }
}

/// A blank plan: a name and a kind.
#[component]
pub(crate) fn NewProjectForm() -> impl IntoView {
    let t = use_strings();
    let repo = expect_context::<RepoCtx>();
    let workspace = expect_context::<WorkspaceCtx>();
    let errors = expect_context::<Errors>();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(KINDS[0]);
    let create = move || {
        let project = Project::new(name.get_untracked(), kind.get_untracked(), js_sys::Date::now() as i64);
        if create_plan(&project, &repo, &workspace, &errors) {
            name.set(String::new());
        }
    };
    view! {
        <form class="new-project" on:submit=move |ev| {
            ev.prevent_default();
            create();
        }>
            <input
                type="text"
                data-testid="new-project-name"
                maxlength="500"
                placeholder=move || t().project_name_placeholder
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            <select
                data-testid="new-project-kind"
                aria-label=move || t().kind
                on:change=move |ev| {
                    let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                    kind.set(KINDS[i.min(KINDS.len() - 1)]);
                }
            >
                {KINDS
                    .iter()
                    .map(|k| {
                        let k = *k;
                        view! {
                            <option value=kind_index(k).to_string() selected=move || kind.get() == k>
                                {move || t().kind(k)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" data-testid="create-project" disabled=move || name.with(|n| n.trim().is_empty())>
                {move || t().create_project}
            </button>
        </form>
    }
}
