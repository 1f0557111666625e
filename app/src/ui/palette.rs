//! Ctrl+K (⌘K on a Mac): one box that jumps to any plan or task of the workspace and runs the
//! common commands, by keyboard alone: type, arrows to choose, Enter to go, Escape to close.

use launchplan_shared::{DocumentId, TaskId};
use leptos::html::Input;
use leptos::prelude::*;

use crate::contexts::{
    InboxCtx, LocaleCtx, ProjectRoute, Route, WorkspaceCtx, WorkspacePage, navigate, use_strings,
};
use crate::i18n::Strings;

/// The most results listed.
const SHOWN: usize = 12;

/// What choosing a result does.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Go(Route),
    /// Puts the cursor in the field with this test id (after going to `Route` if not there).
    Focus(Option<Route>, &'static str),
    Language,
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    /// `command`, `plan` or `task`.
    kind: &'static str,
    label: String,
    /// The plan a task is in.
    detail: String,
    target: Target,
}

#[component]
pub(crate) fn Palette() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let inbox = expect_context::<InboxCtx>();
    let locale = expect_context::<LocaleCtx>().0;
    let route = expect_context::<RwSignal<Route>>();
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(0usize);
    let field = NodeRef::<Input>::new();
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
            ev.prevent_default();
            query.set(String::new());
            chosen.set(0);
            open.update(|o| *o = !*o);
        }
    });
    on_cleanup(move || keys.remove());
    Effect::new(move |_| {
        if open.get()
            && let Some(input) = field.get()
        {
            let _ = input.focus();
        }
    });
    let ws = workspace.doc;
    let items = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let q = query.get().trim().to_lowercase();
        let matches = |text: &str| q.is_empty() || text.to_lowercase().contains(&q);
        let strings = t();
        let current = route.with(|r| match r {
            Route::Project(p) => Some(p.doc),
            _ => None,
        });
        let mut out: Vec<Item> =
            commands(strings, ws, current).into_iter().filter(|i| matches(&i.label)).collect();
        workspace.workspace.with(|w| {
            let Some(w) = w else { return };
            for (id, entry) in &w.projects {
                let Ok(doc) = id.parse::<DocumentId>() else { continue };
                if !entry.archived && matches(&entry.name) {
                    out.push(Item {
                        kind: "plan",
                        label: entry.name.clone(),
                        detail: strings.kind(entry.kind).to_owned(),
                        target: Target::Go(Route::Project(ProjectRoute {
                            workspace: Some(ws),
                            doc,
                            task: None,
                        })),
                    });
                }
            }
        });
        if !q.is_empty() {
            inbox.plans.with(|plans| {
                for (doc, plan) in plans {
                    for (task, title) in &plan.tasks {
                        if out.len() >= SHOWN * 4 {
                            return;
                        }
                        if matches(title) {
                            out.push(task_item(ws, *doc, *task, title, &plan.name));
                        }
                    }
                }
            });
        }
        out.truncate(SHOWN);
        out
    });
    let run = move |item: &Item| {
        open.set(false);
        match &item.target {
            Target::Go(to) => navigate(to),
            Target::Focus(to, testid) => {
                if let Some(to) = to {
                    navigate(to);
                }
                focus_later(testid);
            }
            Target::Language => locale.update(|l| *l = l.other()),
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => open.set(false),
        "ArrowDown" => {
            ev.prevent_default();
            chosen.update(|c| *c = (*c + 1).min(items.with(Vec::len).saturating_sub(1)));
        }
        "ArrowUp" => {
            ev.prevent_default();
            chosen.update(|c| *c = c.saturating_sub(1));
        }
        "Enter" if !ev.is_composing() => {
            ev.prevent_default();
            if let Some(item) = items.with(|i| i.get(chosen.get_untracked()).cloned()) {
                run(&item);
            }
        }
        _ => {}
    };
    view! {
        <Show when=move || open.get()>
            <div class="palette-backdrop" on:click=move |_| open.set(false)></div>
            <div class="palette" data-testid="palette" role="dialog" aria-label=move || t().palette_hint>
                <input type="text" data-testid="palette-input" node_ref=field placeholder=move || t().palette_hint
                    prop:value=move || query.get()
                    on:input=move |ev| { query.set(event_target_value(&ev)); chosen.set(0); }
                    on:keydown=on_key/>
                <ul class="palette-items">
                    {move || items.get().into_iter().enumerate().map(|(i, item)| {
                        let go = item.clone();
                        view! {
                            <li data-testid="palette-item" data-kind=item.kind class:chosen=move || chosen.get() == i
                                on:mouseenter=move |_| chosen.set(i)
                                on:click=move |_| run(&go)>
                                <span class="palette-kind">{kind_label(t(), item.kind)}</span>
                                <span class="palette-label">{item.label.clone()}</span>
                                <span class="muted">{item.detail.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || items.with(Vec::is_empty)>
                    <p class="muted">{move || t().palette_nothing}</p>
                </Show>
            </div>
        </Show>
    }
}

fn task_item(ws: DocumentId, doc: DocumentId, task: TaskId, title: &str, plan: &str) -> Item {
    Item {
        kind: "task",
        label: title.to_owned(),
        detail: plan.to_owned(),
        target: Target::Go(Route::Project(ProjectRoute { workspace: Some(ws), doc, task: Some(task) })),
    }
}

/// The commands offered: adding a task to the plan on screen, a new plan, my work, settings,
/// the other language.
fn commands(t: &Strings, ws: DocumentId, plan: Option<DocumentId>) -> Vec<Item> {
    let page = |page| Route::Workspace { workspace: ws, page };
    let command = |label: &str, target| Item {
        kind: "command",
        label: label.to_owned(),
        detail: String::new(),
        target,
    };
    let mut out = Vec::new();
    if plan.is_some() {
        out.push(command(t.palette_new_task, Target::Focus(None, "task-input")));
    }
    out.push(command(
        t.palette_new_plan,
        Target::Focus(Some(page(WorkspacePage::Projects)), "new-project-name"),
    ));
    out.push(command(t.my_work, Target::Go(page(WorkspacePage::MyWork))));
    out.push(command(t.workload.title, Target::Go(page(WorkspacePage::Workload))));
    out.push(command(t.kpis.title, Target::Go(page(WorkspacePage::Kpis))));
    out.push(command(t.settings, Target::Go(page(WorkspacePage::Settings))));
    out.push(command(t.palette_language, Target::Language));
    out
}

fn kind_label(t: &Strings, kind: &str) -> &'static str {
    match kind {
        "plan" => t.palette_kinds[1],
        "task" => t.palette_kinds[2],
        _ => t.palette_kinds[0],
    }
}

/// Focuses the field with `testid` once the page that holds it has drawn.
fn focus_later(testid: &'static str) {
    set_timeout(
        move || {
            let field = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(&format!("[data-testid=\"{testid}\"]")).ok().flatten())
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
            if let Some(field) = field {
                let _ = field.focus();
            }
        },
        std::time::Duration::from_millis(50),
    );
}
