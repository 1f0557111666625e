mod add_task_form;
mod board;
mod board_card;
mod bulk_bar;
mod dashboard;
mod filter_bar;
mod finance;
mod gantt;
mod gantt_export;
mod gantt_rows;
mod moved_notice;
mod plan_rows;
mod presence_list;
mod problems;
mod project_title;
mod save_template;
mod scenario;
mod share_link;
mod task_drawer;
mod task_list;
mod task_row;
mod timeline;
mod undo_buttons;
mod warnings;

use launchplan_shared::DocumentId;
use launchplan_shared::domain::WorkspaceCommand;
use launchplan_shared::domain::permissions::{self, Part};
use launchplan_shared::plan::arrange::TaskFilter;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use add_task_form::AddTaskForm;
use board::BoardView;
use dashboard::DashboardView;
use finance::FinanceView;
use gantt::GanttView;
use moved_notice::MovedNotice;
use presence_list::PresenceList;
use problems::Problems;
use project_title::ProjectTitle;
use save_template::SaveTemplate;
use share_link::ShareLink;
use task_drawer::TaskDrawer;
use task_list::TaskList;
use timeline::TimelineView;
use undo_buttons::UndoButtons;
use warnings::Warnings;

use crate::contexts::{
    CommentsCtx, Errors, FinanceCtx, InboxCtx, PlanLoading, PresenceCtx, ProjectCtx, RepoCtx, Route,
    StorageCtx, WorkspaceCtx, WorkspacePage, use_strings,
};
use crate::store::KnownProject;

/// One plan: its tasks, a way to add more, the open task, and the link to share it.
#[component]
pub(crate) fn ProjectPage(doc: DocumentId, workspace: Option<DocumentId>) -> impl IntoView {
    let t = use_strings();
    let repo = expect_context::<RepoCtx>();
    let errors = expect_context::<Errors>();
    let presence = expect_context::<PresenceCtx>();
    let storage = expect_context::<StorageCtx>();
    let current = expect_context::<WorkspaceCtx>();
    let route = expect_context::<RwSignal<Route>>();
    let ctx = ProjectCtx::open(doc, repo.clone(), storage.clone(), errors);
    provide_context(ctx.clone());
    {
        let ctx = ctx.clone();
        on_cleanup(move || ctx.close());
    }

    // The task open in the drawer is part of the route.
    let open_task = Memo::new(move |_| match route.get() {
        Route::Project(p) if p.doc == doc => p.task,
        _ => None,
    });
    {
        let presence = presence.clone();
        let leaving = presence.clone();
        Effect::new(move |_| presence.set_viewing(Some((doc, open_task.get()))));
        on_cleanup(move || leaving.set_viewing(None));
    }
    // Commands act as this person, on the workspace's calendar. Where the relay enforces
    // roles, someone who is not (or no longer) a member of the plan's workspace is offered
    // nothing: the relay would refuse it all.
    {
        let (ctx, current) = (ctx.clone(), current.clone());
        Effect::new(move |_| {
            let (me, members, calendar, rules) = current.workspace.with(|w| match w {
                Some(w) => (
                    w.members.get(&current.my_id()).cloned(),
                    w.members.values().cloned().collect(),
                    w.settings.calendar.clone(),
                    w.settings.rag.clone(),
                ),
                None => (None, Vec::new(), Default::default(), Default::default()),
            });
            let outsider = workspace == Some(current.doc) && current.outsider();
            ctx.set_context(me, outsider, members, calendar, rules);
        });
    }
    // The team's record in the workspace's other plans counts in this one's risks.
    if let (Some(inbox), Some(current)) = (use_context::<InboxCtx>(), use_context::<WorkspaceCtx>())
        && workspace == Some(current.doc)
    {
        let ctx = ctx.clone();
        Effect::new(move |_| ctx.learn_from_elsewhere(inbox.history_besides(doc)));
    }
    // The plan's comments, beside it; old ones still in the plan move there once someone
    // who may change the plan has it open.
    let comments = CommentsCtx::open(doc, repo.clone(), errors);
    provide_context(comments.clone());
    {
        let comments = comments.clone();
        on_cleanup(move || comments.close());
    }
    {
        let (ctx, comments) = (ctx.clone(), comments.clone());
        Effect::new(move |_| {
            if ctx.loaded.get() && comments.ready.get() && ctx.may(Part::Content) {
                comments.move_from_plan(&ctx.legacy_comments());
            }
        });
    }
    // The plan's budget, only for those who may see it: nobody else's browser asks for it.
    // A plan opened outside any workspace has no roles here; the relay decides.
    let money = FinanceCtx::new(doc, repo.clone(), errors);
    provide_context(money.clone());
    {
        let money = money.clone();
        on_cleanup(move || money.close());
    }
    {
        let (roles, money) = (ctx.roles, money.clone());
        Effect::new(move |_| {
            let allowed = roles.with(|roles| match roles {
                Some(roles) => permissions::may_see_finance(roles),
                None => workspace.is_none(),
            });
            money.allow(allowed);
        });
    }
    // A plan of this workspace is listed in it; one opened from elsewhere is remembered by
    // this browser, so that it can be found again.
    {
        let (ctx, current) = (ctx.clone(), current.clone());
        Effect::new(move |_| {
            let Some(meta) = ctx.meta.get() else { return };
            let key = doc.to_string();
            let listed =
                current.workspace.with(|w| w.as_ref().map(|w| w.projects.get(&key).map(|e| e.name.clone())));
            match listed {
                Some(Some(name)) if name != meta.name => {
                    current.dispatch(WorkspaceCommand::IndexProject {
                        doc,
                        name: meta.name,
                        kind: meta.kind,
                    });
                }
                Some(Some(_)) | None => {}
                Some(None) if workspace == Some(current.doc) => {
                    current.dispatch(WorkspaceCommand::IndexProject {
                        doc,
                        name: meta.name,
                        kind: meta.kind,
                    });
                }
                Some(None) => storage.remember(KnownProject { id: doc, name: meta.name }),
            }
        });
    }
    // Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) outside text fields, which have their own undo.
    // The listener holds the plan weakly: its closure outlives the page (the browser keeps
    // it until the page ends), and a strong hold would keep the whole plan in memory.
    {
        let weak = send_wrapper::SendWrapper::new(std::rc::Rc::downgrade(&ctx.0));
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if !(ev.ctrl_key() || ev.meta_key()) || in_text_field(&ev) {
                return;
            }
            let Some(ctx) = weak.upgrade() else { return };
            match ev.key().to_lowercase().as_str() {
                "z" if ev.shift_key() => ctx.redo(),
                "z" => ctx.undo(),
                "y" => ctx.redo(),
                _ => return,
            }
            ev.prevent_default();
        });
        on_cleanup(move || handle.remove());
    }

    let back = match workspace {
        Some(workspace) => Route::Workspace { workspace, page: WorkspacePage::Projects },
        None => Route::Home,
    };
    let (loading, heads, loaded) = (ctx.loading, ctx.heads, ctx.loaded);
    // The list and the board show the same filter.
    let filter = RwSignal::new(TaskFilter::default());
    let mode = RwSignal::new(PlanMode::remembered(doc));
    // The budget is a view only for those who may see it; anyone else gets the list.
    let budget_open = money.ready;
    let shown = Memo::new(move |_| match mode.get() {
        PlanMode::Budget if !budget_open.get() => PlanMode::List,
        m => m,
    });
    let unavailable = expect_context::<RepoCtx>().unavailable;
    // What-if scenarios are made and listed in the workspace on screen.
    let in_workspace = workspace == Some(current.doc);
    view! {
        <section
            class="project"
            data-testid="project"
            data-doc=doc.to_string()
            data-heads=move || heads.get()
            data-loaded=move || loaded.get().to_string()
        >
            <a class="back" href=back.href()>{move || t().all_projects}</a>
            {move || match loading.get() {
                PlanLoading::Opening => view! { <p class="notice">{move || t().opening}</p> }.into_any(),
                PlanLoading::Waiting => view! {
                    <p class="notice" data-testid="waiting">
                        {move || if unavailable.with(|u| u.contains(&doc)) { t().waiting_for_plan } else { t().opening }}
                    </p>
                }.into_any(),
                PlanLoading::Unreadable(e) => view! {
                    <p class="notice error" data-testid="not-a-plan">{move || t().not_a_plan}": "{e.clone()}</p>
                }.into_any(),
                PlanLoading::Ready => view! { <ProjectTitle/> }.into_any(),
            }}
            <PresenceList doc=doc/>
            <Show when=move || loading.get() == PlanLoading::Ready && in_workspace>
                <scenario::ScenarioBar doc=doc/>
            </Show>
            {
                // The link names the workspace the plan belongs to, when it is known.
                let listed = current.workspace.with_untracked(|w| w.as_ref().is_some_and(|w| w.projects.contains_key(&doc.to_string())));
                let home = if listed { Some(current.doc) } else { workspace };
                view! { <ShareLink doc=doc workspace=home/> }
            }
            <Show when=move || loading.get() == PlanLoading::Ready>
                <Problems/>
                <Warnings/>
                <div class="task-head">
                    <h2>{move || t().tasks}</h2>
                    <span class="spacer"></span>
                    <SaveTemplate/>
                    <UndoButtons/>
                </div>
                <MovedNotice/>
                <nav class="view-tabs" role="tablist">
                    {PlanMode::ALL.into_iter().enumerate().map(|(i, m)| view! {
                        <button type="button" role="tab" data-testid=m.testid()
                            hidden=move || m == PlanMode::Budget && !budget_open.get()
                            class:active=move || mode.get() == m aria-selected=move || (mode.get() == m).to_string()
                            on:click=move |_| { mode.set(m); m.remember(doc); }>
                            {move || t().view_names[i]}
                        </button>
                    }).collect_view()}
                </nav>
                {move || match shown.get() {
                    PlanMode::List => view! {
                        <AddTaskForm/>
                        <TaskList filter=filter workspace=workspace/>
                    }.into_any(),
                    PlanMode::Board => view! { <BoardView filter=filter workspace=workspace/> }.into_any(),
                    PlanMode::Gantt => view! { <GanttView workspace=workspace/> }.into_any(),
                    PlanMode::Dashboard => view! { <DashboardView workspace=workspace/> }.into_any(),
                    PlanMode::Budget => view! { <FinanceView/> }.into_any(),
                    PlanMode::History => view! { <TimelineView/> }.into_any(),
                }}
            </Show>
            {move || open_task.get().map(|task| view! { <TaskDrawer task=task workspace=workspace/> })}
        </section>
    }
}

/// Whether a key went to a text field (which keeps its own undo).
fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(element) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.get_attribute("contenteditable").is_some()
}

/// How the plan is shown: as a list, a board, a Gantt chart, its dashboard, (for finance)
/// its budget, or as it stood earlier. This browser remembers each plan's, so a new plan
/// opens in its list, where tasks are added; the history is never reopened by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlanMode {
    List,
    Board,
    Gantt,
    Dashboard,
    Budget,
    History,
}

impl PlanMode {
    const KEY: &str = "launchplan.plan-view";
    /// In the order of the tabs (and of `view_names`).
    const ALL: [Self; 6] =
        [Self::List, Self::Board, Self::Gantt, Self::Dashboard, Self::Budget, Self::History];

    fn testid(self) -> &'static str {
        match self {
            PlanMode::List => "view-list",
            PlanMode::Board => "view-board",
            PlanMode::Gantt => "view-gantt",
            PlanMode::Dashboard => "view-dashboard",
            PlanMode::Budget => "view-budget",
            PlanMode::History => "view-history",
        }
    }

    fn name(self) -> &'static str {
        match self {
            PlanMode::List => "list",
            PlanMode::Board => "board",
            PlanMode::Gantt => "gantt",
            PlanMode::Dashboard => "dashboard",
            PlanMode::Budget => "budget",
            PlanMode::History => "history",
        }
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten())
    }

    fn key(doc: DocumentId) -> String {
        format!("{}.{doc}", Self::KEY)
    }

    fn remembered(doc: DocumentId) -> Self {
        let name = Self::storage().and_then(|s| s.get_item(&Self::key(doc)).ok().flatten());
        Self::ALL.into_iter().find(|m| Some(m.name()) == name.as_deref()).unwrap_or(PlanMode::List)
    }

    fn remember(self, doc: DocumentId) {
        if self == PlanMode::History {
            return;
        }
        if let Some(storage) = Self::storage() {
            let _ = storage.set_item(&Self::key(doc), self.name());
        }
    }
}
