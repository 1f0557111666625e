//! What-if scenarios: a plan copied, with its whole history, into a scenario document listed
//! beside it (`WorkspaceCommand::IndexScenario`), changed freely, compared with the plan
//! side by side (`plan::scenario::compare`), then merged back (the plan takes in the changes
//! it lacks) or discarded (archived). Both plans are read in this browser, so it works
//! offline.

use std::rc::Rc;

use launchplan_shared::DocumentId;
use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::read::read_project;
use launchplan_shared::domain::{Project, WorkspaceCommand};
use launchplan_shared::plan::scenario::{Comparison, compare};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::contexts::{
    AppError, Errors, ProjectCtx, ProjectRoute, RepoCtx, Route, WorkspaceCtx, navigate, today, use_strings,
};

/// Tasks listed at most in each of the comparison's lists.
const LISTED: usize = 10;

/// The plan's what-if bar: a button that makes a scenario of it, or, on a scenario, the
/// comparison with its plan and the buttons that merge or discard it.
#[component]
pub(crate) fn ScenarioBar(doc: DocumentId) -> impl IntoView {
    let workspace = expect_context::<WorkspaceCtx>();
    let data = workspace.workspace;
    let of = Memo::new(move |_| {
        data.with(|w| {
            w.as_ref()?.projects.get(&doc.to_string())?.scenario_of.as_deref().and_then(|of| of.parse().ok())
        })
    });
    let listed = Memo::new(move |_| {
        data.with(|w| w.as_ref().is_some_and(|w| w.projects.contains_key(&doc.to_string())))
    });
    move || match of.get() {
        Some(of) => view! { <ScenarioPanel doc=doc of=of/> }.into_any(),
        None if listed.get() => view! { <ForkButton doc=doc/> }.into_any(),
        None => ().into_any(),
    }
}

#[component]
fn ForkButton(doc: DocumentId) -> impl IntoView {
    let t = use_strings();
    let (repo, errors, workspace, ctx) = (
        expect_context::<RepoCtx>(),
        expect_context::<Errors>(),
        expect_context::<WorkspaceCtx>(),
        expect_context::<ProjectCtx>(),
    );
    let may = {
        let workspace = workspace.clone();
        Memo::new(move |_| workspace.may(Part::Structure))
    };
    let fork = move |_| {
        let Some(meta) = ctx.meta.get_untracked() else { return };
        match repo.fork(doc) {
            Some(Ok(scenario)) => {
                let index = WorkspaceCommand::IndexScenario {
                    doc: scenario,
                    name: meta.name,
                    kind: meta.kind,
                    of: doc,
                };
                if workspace.dispatch(index) {
                    navigate(&Route::Project(ProjectRoute {
                        workspace: Some(workspace.doc),
                        doc: scenario,
                        task: None,
                    }));
                }
            }
            Some(Err(e)) => errors.report(AppError::Unreadable(e.to_string())),
            None => {}
        }
    };
    view! {
        <Show when=move || may.get()>
            <p class="scenario-fork">
                <button type="button" data-testid="fork-scenario" title=move || t().scenario.fork_hint on:click=fork.clone()>
                    {move || t().scenario.fork}
                </button>
            </p>
        </Show>
    }
}

#[component]
fn ScenarioPanel(doc: DocumentId, of: DocumentId) -> impl IntoView {
    let t = use_strings();
    let (repo, errors, workspace, ctx) = (
        expect_context::<RepoCtx>(),
        expect_context::<Errors>(),
        expect_context::<WorkspaceCtx>(),
        expect_context::<ProjectCtx>(),
    );
    // The plan as it is now, kept up to date while the scenario is on screen.
    let original = RwSignal::new(None::<Project>);
    let read = {
        let repo = repo.clone();
        move || {
            if let Some(Ok(read)) = repo.with_doc(of, read_project) {
                original.try_set(Some(read.project));
            }
        }
    };
    let watch = repo.0.watch(
        of,
        Rc::new({
            let read = read.clone();
            move |_, _| read()
        }),
    );
    on_cleanup({
        let watch = SendWrapper::new(watch);
        move || drop(watch)
    });
    {
        let (repo, read) = (repo.clone(), SendWrapper::new(read));
        spawn_local(async move {
            repo.open(of).await;
            read();
        });
    }
    let heads = ctx.heads;
    let comparison = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            heads.track();
            // The scenario as this page holds it (no new read of its document).
            let scenario = ctx.project()?;
            let members = data_members(&workspace);
            let calendar = workspace
                .workspace
                .with(|w| w.as_ref().map(|w| w.settings.calendar.clone()))
                .unwrap_or_default();
            original
                .with(|plan| plan.as_ref().map(|plan| compare(plan, &scenario, &calendar, &members, today())))
        })
    };
    let plan_name =
        Memo::new(move |_| original.with(|p| p.as_ref().map(|p| p.meta.name.clone()).unwrap_or_default()));
    let back = Route::Project(ProjectRoute {
        workspace: Some(expect_context::<WorkspaceCtx>().doc),
        doc: of,
        task: None,
    });
    let finish = {
        let (workspace, back) = (expect_context::<WorkspaceCtx>(), back.clone());
        move || {
            workspace.dispatch(WorkspaceCommand::Archive { doc, archived: true });
            navigate(&back);
        }
    };
    let merge = {
        let (repo, finish) = (repo.clone(), finish.clone());
        move |_| {
            let confirmed = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(&(t().scenario.merge_confirm)(&plan_name.get_untracked())).ok()
                })
                .unwrap_or(false);
            if !confirmed {
                return;
            }
            match repo.absorb(of, doc) {
                Some(Ok(())) => finish(),
                Some(Err(e)) => errors.report(AppError::Unreadable(e.to_string())),
                None => {}
            }
        }
    };
    let discard = move |_| {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(t().scenario.discard_confirm).ok())
            .unwrap_or(false);
        if confirmed {
            finish();
        }
    };
    let may_merge = {
        let may = ctx.may_fn();
        Memo::new(move |_| may(Part::Structure))
    };
    view! {
        <section class="scenario notice" data-testid="scenario" data-of=of.to_string()>
            <p>
                {move || (t().scenario.banner)(&plan_name.get())}" "
                <a href=back.href() data-testid="scenario-original">{move || t().scenario.original}</a>
            </p>
            {move || match comparison.get() {
                Some(c) => view! { <ComparisonTable c=c/> }.into_any(),
                None => view! { <p class="muted">{move || t().scenario.opening_original}</p> }.into_any(),
            }}
            <p class="scenario-actions">
                <Show when=move || may_merge.get()>
                    <button type="button" data-testid="merge-scenario" disabled=move || comparison.with(Option::is_none)
                        on:click=merge.clone()>{move || t().scenario.merge}</button>
                </Show>
                <button type="button" data-testid="discard-scenario" on:click=discard.clone()>{move || t().scenario.discard}</button>
            </p>
        </section>
    }
}

fn data_members(
    workspace: &WorkspaceCtx,
) -> std::collections::BTreeMap<launchplan_shared::MemberId, launchplan_shared::domain::Member> {
    workspace.workspace.with(|w| w.as_ref().map(|w| w.members.clone()).unwrap_or_default())
}

/// The plan and the scenario side by side, with what the scenario added, removed and moved.
#[component]
fn ComparisonTable(c: Comparison) -> impl IntoView {
    let t = use_strings();
    let s = move || t().scenario;
    let day = |d: Option<launchplan_shared::domain::Date>| {
        d.map(|d| d.to_string()).unwrap_or_else(|| s().none.to_owned())
    };
    // Not a sequence: critical tasks may run side by side.
    let path = |p: &[String]| if p.is_empty() { s().none.to_owned() } else { p.join(" · ") };
    let rows: Vec<(&'static str, String, String, &'static str)> = vec![
        (s().finish, c.plan.finish.to_string(), c.scenario.finish.to_string(), "finish"),
        (s().launch_day, day(c.plan.launch), day(c.scenario.launch), "launch"),
        (s().critical, path(&c.plan.critical), path(&c.scenario.critical), "critical"),
        (
            s().open_hours,
            format!("{:.1}", c.plan.open_hours),
            format!("{:.1}", c.scenario.open_hours),
            "hours",
        ),
        (
            s().overloaded,
            c.plan.overloaded_days.to_string(),
            c.scenario.overloaded_days.to_string(),
            "overloaded",
        ),
        (s().tasks, c.plan.tasks.to_string(), c.scenario.tasks.to_string(), "tasks"),
    ];
    // Nothing differs: not one row, and no task added, removed or moved.
    let same = rows.iter().all(|(_, plan, scenario, _)| plan == scenario)
        && c.added.is_empty()
        && c.removed.is_empty()
        && c.moved.is_empty();
    let list = |name: &'static str, items: Vec<String>, id: &'static str| {
        (!items.is_empty()).then(|| {
            let more = items.len().saturating_sub(LISTED);
            view! {
                <h4>{name}</h4>
                <ul data-testid=id>
                    {items.into_iter().take(LISTED).map(|i| view! { <li>{i}</li> }).collect_view()}
                    {(more > 0).then(|| view! { <li class="muted">{format!("+{more}")}</li> })}
                </ul>
            }
        })
    };
    let moved: Vec<String> =
        c.moved.iter().map(|m| (s().moved_row)(&m.title, &m.from.to_string(), &m.to.to_string())).collect();
    view! {
        <div class="scenario-compare" data-testid="scenario-compare" data-finish-days=c.finish_days
            data-overloaded-plan=c.plan.overloaded_days data-overloaded-scenario=c.scenario.overloaded_days>
            <h3>{s().compare}" · "<span data-testid="finish-change">{(s().days_later)(c.finish_days)}</span></h3>
            <table>
                <thead><tr><th></th><th>{s().original}</th><th>{s().this_scenario}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(name, plan, scenario, key)| view! {
                        <tr data-key=key class:changed=plan != scenario>
                            <th scope="row">{name}</th><td>{plan.clone()}</td><td>{scenario.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {same.then(|| view! { <p class="muted">{s().no_changes}</p> })}
            {list(s().added, c.added, "scenario-added")}
            {list(s().removed, c.removed, "scenario-removed")}
            {list(s().moved, moved, "scenario-moved")}
        </div>
    }
}
