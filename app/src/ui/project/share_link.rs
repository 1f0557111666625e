use launchplan_shared::DocumentId;
use leptos::prelude::*;

use crate::contexts::{ProjectRoute, Route, full_link, use_strings};

/// The link a teammate opens to get this plan.
#[component]
pub(crate) fn ShareLink(doc: DocumentId, workspace: Option<DocumentId>) -> impl IntoView {
    let t = use_strings();
    let link = full_link(&Route::Project(ProjectRoute { workspace, doc, task: None }));
    let copied = RwSignal::new(false);
    let copy = {
        let link = link.clone();
        move |_| {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&link);
                copied.set(true);
                set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
            }
        }
    };
    view! {
        <div class="share">
            <label>
                {move || t().share_link}
                <input type="text" readonly data-testid="share-link" prop:value=link.clone() on:focus=|ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }/>
            </label>
            <button data-testid="copy-link" on:click=copy>
                {move || if copied.get() { t().copied } else { t().copy }}
            </button>
        </div>
    }
}
