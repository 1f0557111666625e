use leptos::prelude::*;

use crate::contexts::{SyncCtx, project_href, use_strings};

#[component]
pub(crate) fn ProjectList() -> impl IntoView {
    let t = use_strings();
    let projects = expect_context::<SyncCtx>().projects;
    view! {
        <Show when=move || projects.with(|p| !p.is_empty()) fallback=move || view! { <p class="empty">{move || t().no_projects}</p> }>
            <ul class="project-list">
                <For each=move || projects.get() key=|p| (p.id, p.name.clone()) let:project>
                    <li>
                        <a href=project_href(project.id) data-testid="project-link" data-id=project.id.to_string()>
                            {project.name.clone()}
                        </a>
                    </li>
                </For>
            </ul>
        </Show>
    }
}
