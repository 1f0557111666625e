use launchplan_shared::domain::Project;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::contexts::{SyncCtx, navigate, project_href, use_strings};
use crate::i18n::{KINDS, kind_index};

#[component]
pub(crate) fn NewProjectForm() -> impl IntoView {
    let t = use_strings();
    let sync = expect_context::<SyncCtx>();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(KINDS[0]);
    let create = move || {
        let sync = sync.clone();
        let project = Project::new(name.get_untracked(), kind.get_untracked(), js_sys::Date::now() as i64);
        spawn_local(async move {
            match sync.create_project(&project).await {
                Ok(id) => {
                    name.set(String::new());
                    navigate(&project_href(id));
                }
                Err(e) => sync.error.set(Some(e)),
            }
        });
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
