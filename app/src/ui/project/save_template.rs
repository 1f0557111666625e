use launchplan_shared::domain::WorkspaceCommand;
use launchplan_shared::domain::templates::{Bilingual, Template};
use leptos::prelude::*;

use crate::contexts::{ProjectCtx, WorkspaceCtx, use_strings};

/// How long "saved" shows after saving.
const SAID_FOR: std::time::Duration = std::time::Duration::from_secs(4);

/// Saves the plan as one of the workspace's templates (its phases, tasks, durations,
/// dependencies, approvals and milestones; saving the same plan again replaces it).
#[component]
pub(crate) fn SaveTemplate() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let workspace = expect_context::<WorkspaceCtx>();
    let saved = RwSignal::new(false);
    // Templates are the workspace's: editors and up save them.
    let may = {
        let workspace = workspace.clone();
        move || workspace.may(launchplan_shared::domain::permissions::Part::Structure)
    };
    let save = move |_| {
        let Some(project) = ctx.project() else { return };
        let mut template = Template::from_project(&project, &format!("plan-{}", ctx.doc));
        template.name = Bilingual::new(&project.meta.name, &project.meta.name);
        if workspace.dispatch(WorkspaceCommand::SaveTemplate { template }) {
            saved.set(true);
            set_timeout(move || saved.set(false), SAID_FOR);
        }
    };
    view! {
        <button type="button" class="link" data-testid="save-template" disabled=move || !may() on:click=save>{move || t().save_as_template}</button>
        <Show when=move || saved.get()>
            <span class="muted" data-testid="template-saved">{move || t().template_saved}</span>
        </Show>
    }
}
