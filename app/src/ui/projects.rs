mod new_project_form;
mod project_list;
mod template_gallery;

use launchplan_shared::domain::permissions::Part;
use leptos::prelude::*;

use new_project_form::NewProjectForm;
use project_list::{LinkedProjects, ProjectList};
use template_gallery::TemplateGallery;

use crate::contexts::{WorkspaceCtx, use_strings};

/// The workspace's plans, and a way to start a new one.
#[component]
pub(crate) fn ProjectsPage() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<WorkspaceCtx>();
    let workspace = ctx.workspace;
    // Plans are listed in the workspace: editors and up start them.
    let may_start = Memo::new(move |_| ctx.may(Part::Structure));
    view! {
        <section class="projects">
            <p class="eyebrow">{move || workspace.with(|w| w.as_ref().map(|w| w.name.clone()).unwrap_or_default())}</p>
            <h1>{move || t().projects}</h1>
            <Show when=move || may_start.get()>
                <TemplateGallery/>
                <p class="field">{move || t().blank_plan}</p>
                <NewProjectForm/>
            </Show>
            <ProjectList/>
            <LinkedProjects/>
        </section>
    }
}
