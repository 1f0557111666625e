mod add_task_form;
mod presence_list;
mod share_link;
mod task_row;

use launchplan_shared::DocumentId;
use leptos::prelude::*;
use leptos::task::spawn_local;

use add_task_form::AddTaskForm;
use presence_list::PresenceList;
use share_link::ShareLink;
use task_row::TaskRow;

use crate::contexts::{SyncCtx, use_strings};

/// One plan: its tasks, a way to add more, and the link to share it.
#[component]
pub(crate) fn ProjectPage(id: DocumentId) -> impl IntoView {
    let t = use_strings();
    let sync = expect_context::<SyncCtx>();
    {
        let sync = sync.clone();
        spawn_local(async move { sync.open_project(id).await });
    }
    sync.set_viewing(Some((id, None)));
    {
        let sync = sync.clone();
        on_cleanup(move || sync.set_viewing(None));
    }
    let conflicts = {
        let sync = sync.clone();
        Memo::new(move |_| sync.conflicts(id))
    };
    let project = {
        let sync = sync.clone();
        Memo::new(move |_| sync.project(id))
    };
    let heads = {
        let sync = sync.clone();
        move || sync.heads(id)
    };
    let (opened, unavailable) = (sync.opened, sync.unavailable);
    let task_ids = Memo::new(move |_| {
        project.with(|p| match p {
            Some(Ok(p)) => p.tasks_in_order().iter().map(|t| t.id).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    });
    let progress = move || {
        project.with(|p| match p {
            Some(Ok(p)) => {
                (t().done_of)(p.tasks.values().filter(|t| t.status.is_done()).count(), p.tasks.len())
            }
            _ => String::new(),
        })
    };

    view! {
        <section class="project" data-testid="project" data-doc=id.to_string() data-heads=heads>
            <a class="back" href="#/">{move || t().all_projects}</a>
            {move || match project.get() {
                None if !opened.with(|o| o.contains(&id)) => view! { <p class="notice">{move || t().opening}</p> }.into_any(),
                None => view! {
                    <p class="notice" data-testid="waiting">
                        {move || if unavailable.with(|u| u.contains(&id)) { t().waiting_for_plan } else { t().opening }}
                    </p>
                }.into_any(),
                Some(Err(e)) => view! { <p class="notice error">{move || t().bad_link}": "{e.clone()}</p> }.into_any(),
                Some(Ok(p)) => view! {
                    <h1 data-testid="project-name">{p.meta.name.clone()}</h1>
                    <p class="meta">
                        <span class="kind">{move || t().kind(p.meta.kind)}</span>
                        <span class="progress" data-testid="progress">{progress}</span>
                    </p>
                }.into_any(),
            }}
            <PresenceList id=id/>
            <ShareLink id=id/>
            <Show when=move || matches!(project.get(), Some(Ok(_)))>
                <h2>{move || t().tasks}</h2>
                <AddTaskForm id=id/>
                <Show when=move || task_ids.with(|t| !t.is_empty()) fallback=move || view! { <p class="empty">{move || t().no_tasks}</p> }>
                    <ul class="tasks" data-testid="tasks">
                        <For each=move || task_ids.get() key=|task_id| *task_id let:task_id>
                            <TaskRow doc=id task_id=task_id project=project conflicts=conflicts/>
                        </For>
                    </ul>
                </Show>
            </Show>
        </section>
    }
}
