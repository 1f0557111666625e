mod new_project_form;
mod project_list;

use leptos::prelude::*;

use new_project_form::NewProjectForm;
use project_list::ProjectList;

use crate::contexts::use_strings;

#[component]
pub(crate) fn ProjectsPage() -> impl IntoView {
    let t = use_strings();
    view! {
        <section class="projects">
            <h1>{move || t().projects}</h1>
            <NewProjectForm/>
            <ProjectList/>
        </section>
    }
}
