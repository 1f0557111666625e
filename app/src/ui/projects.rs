mod new_project_form;
mod project_list;
mod template_gallery;

use leptos::prelude::*;

use new_project_form::NewProjectForm;
use project_list::{LinkedProjects, ProjectList};
use template_gallery::TemplateGallery;

use crate::contexts::{WorkspaceCtx, use_strings};

/// The workspace's plans, and a way to start a new one.
#[component]
pub(crate) fn ProjectsPage() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>().workspace;
    view! {
        <section class="projects">
            <p class="eyebrow">{move || workspace.with(|w| w.as_ref().map(|w| w.name.clone()).unwrap_or_default())}</p>
            <h1>{move || t().projects}</h1>
            <TemplateGallery/>
            <p class="field">{move || t().blank_plan}</p>
            <NewProjectForm/>
            <ProjectList/>
            <LinkedProjects/>
        </section>
    }
}
