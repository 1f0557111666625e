//! The plan's dashboard (`plan::dashboard`): its red, amber or green with the tasks behind
//! it, countdowns to the launch day and each milestone, the burn-down, cycle times against
//! the workspace's targets, and the risks the team's history sees, each with someone to give
//! it to in one click. Computed in the browser from the plan, so it works offline, and again
//! on every change (it is shown only while its tab is open).

use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{Command, Date};
use launchplan_shared::plan::dashboard::{Burndown, Countdown, Dashboard, Flagged, Lens, Risk, dashboard};
use launchplan_shared::plan::insight::CycleTime;
use launchplan_shared::plan::workload::hours_of;
use launchplan_shared::plan::{Rag, RagStatus, Reason, workload};
use launchplan_shared::{DocumentId, MemberId, TaskId};
use leptos::either::Either;
use leptos::prelude::*;

use super::finance::BudgetPanel;
use super::task_row::rag_class;
use crate::contexts::{InboxCtx, LocaleCtx, ProjectCtx, ProjectRoute, Route, WorkspaceCtx, use_strings};
use crate::i18n::Locale;

#[component]
pub(crate) fn DashboardView(workspace: Option<DocumentId>) -> impl IntoView {
    let ctx = expect_context::<ProjectCtx>();
    // The whole plan is kept beside the view only while the dashboard shows.
    {
        let ctx = ctx.clone();
        on_cleanup(move || ctx.forget_whole());
    }
    let locale = expect_context::<LocaleCtx>().0;
    let current = expect_context::<WorkspaceCtx>().workspace;
    // Hours booked in the workspace's other plans count against a suggestion too. Worked out
    // when one of those changes, not on each change of this plan.
    let elsewhere = use_context::<InboxCtx>().map(|inbox| {
        let doc = ctx.doc;
        Memo::new(move |_| {
            inbox.plans.with(|plans| {
                std::sync::Arc::new(hours_of(
                    plans.iter().filter(|(d, _)| **d != doc).flat_map(|(_, plan)| &plan.bookings),
                ))
            })
        })
    });
    let board = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            // Any edit but new words (a title, a description: the lists read those live),
            // and what is worked out after it: the schedule and history.
            ctx.analysed.track();
            let schedule = ctx.schedule.get()?;
            let history = ctx.history.get();
            let rules = ctx.rules.get();
            let elsewhere = elsewhere.map(|hours| hours.get());
            let chinese = locale.get() == Locale::ZhCn;
            crate::contexts::trace("lp:dashboard");
            let project = ctx.whole()?;
            let calendar = ctx.calendar();
            let doc = ctx.doc.to_string();
            current.with(|w| {
                // Suggestions go only to members of the plan's own workspace.
                let own = w.as_ref().filter(|w| w.projects.contains_key(&doc));
                let members: Vec<MemberId> =
                    own.map(|w| w.members.keys().copied().collect()).unwrap_or_default();
                let load = own.map(|w| workload(project.tasks.values(), &schedule, &calendar, &w.members));
                let targets = w.as_ref().map(|w| w.settings.cycle_targets.as_slice()).unwrap_or_default();
                let lens = Lens {
                    schedule: &schedule,
                    today: crate::contexts::today(),
                    rules: &rules,
                    history: &history,
                    targets,
                    members: &members,
                    workload: load.as_ref(),
                    elsewhere: own.and(elsewhere.as_deref()),
                    calendar: &calendar,
                    chinese,
                };
                let board = dashboard(&project, &lens);
                crate::contexts::trace("lp:dashboard-done");
                Some(board)
            })
        })
    };
    let may_assign = {
        let ctx = ctx.clone();
        Memo::new(move |_| ctx.may(Part::People))
    };
    let t = use_strings();
    let meta = ctx.meta;
    let launch_word = move || meta.with(|m| m.as_ref().map(|m| t().launch_day(m.kind)).unwrap_or_default());
    // Each panel is drawn again only when its own part changed: a renamed task redraws the
    // list it is in, not the burn-down of two years.
    let part = move |of: fn(&Dashboard) -> Panel| Memo::new(move |_| board.with(|b| b.as_ref().map(of)));
    // The status panel stays; its rows are keyed, so a change redraws only the rows whose
    // task, colour or reason changed.
    let head = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| (b.status.clone(), b.flagged_total))));
    let flagged =
        Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.flagged.clone()).unwrap_or_default()));
    let countdowns = part(|b| Panel::Countdowns(b.event.clone(), b.milestones.clone()));
    let risks = part(|b| Panel::Risks(b.risks.clone(), b.risks_total));
    let cycles = part(|b| Panel::Cycles(b.cycle_by_tag.clone(), b.cycle_by_sku.clone()));
    let burn = part(|b| Panel::Burn(b.burndown.clone(), b.on_time));
    view! {
        <div class="dashboard" data-testid="dashboard">
            <Show when=move || head.with(Option::is_some)>
                <StatusPanel head=head flagged=flagged workspace=workspace/>
            </Show>
            {move || match countdowns.get() {
                Some(Panel::Countdowns(event, milestones)) => {
                    Some(view! { <Countdowns event=event milestones=milestones launch=launch_word()/> })
                }
                _ => None,
            }}
            {move || match risks.get() {
                Some(Panel::Risks(risks, total)) => {
                    Some(view! { <RiskPanel risks=risks total=total may_assign=may_assign workspace=workspace/> })
                }
                _ => None,
            }}
            <BudgetPanel/>
            {move || match cycles.get() {
                Some(Panel::Cycles(by_tag, by_sku)) => Some(view! { <CyclePanel by_tag=by_tag by_sku=by_sku/> }),
                _ => None,
            }}
            {move || match burn.get() {
                Some(Panel::Burn(burndown, on_time)) => Some(view! { <BurndownPanel burndown=burndown on_time=on_time/> }),
                _ => None,
            }}
        </div>
    }
}

/// One panel's part of the dashboard.
#[derive(Debug, Clone, PartialEq)]
enum Panel {
    Countdowns(Option<Countdown>, Vec<Countdown>),
    Risks(Vec<Risk>, usize),
    Cycles(Vec<CycleTime>, Vec<CycleTime>),
    Burn(Burndown, Option<f64>),
}

fn percent(share: f64) -> u32 {
    (share * 100.0).round().clamp(0.0, 100.0) as u32
}

fn task_link(workspace: Option<DocumentId>, doc: DocumentId, task: TaskId) -> String {
    Route::Project(ProjectRoute { workspace, doc, task: Some(task) }).href()
}

/// Task `task`'s title as it is now (`then`, the one the dashboard was worked out with, if
/// the plan no longer has it): a renamed task is renamed here without working the
/// dashboard out again.
fn title_now(task: TaskId, then: String) -> impl Fn() -> String + Send + Sync + 'static {
    let signal = expect_context::<ProjectCtx>().task(task);
    move || signal.as_ref().map_or_else(|| then.clone(), |s| s.with(|e| e.task.title.clone()))
}

#[component]
fn StatusPanel(
    head: Memo<Option<(RagStatus, usize)>>,
    flagged: Memo<Vec<Flagged>>,
    workspace: Option<DocumentId>,
) -> impl IntoView {
    let t = use_strings();
    let doc = expect_context::<ProjectCtx>().doc;
    let chinese = expect_context::<LocaleCtx>().0.get_untracked() == Locale::ZhCn;
    let rag = move || head.with(|h| h.as_ref().map_or(Rag::Green, |(s, _)| s.rag));
    let word = move || t().dashboard.rag_words[2 - rag() as usize];
    let reason = move || {
        head.get().map(|(status, _)| match status.reason {
            Reason::Tasks { red, amber, task, title, why } => {
                let title = title_now(task, title);
                Either::Left(move || Reason::tasks_described(red, amber, &title(), &why, chinese))
            }
            other => Either::Right(other.describe(chinese)),
        })
    };
    let hidden = move || {
        head.with(|h| h.as_ref().map_or(0, |(_, total)| *total)).saturating_sub(flagged.with(Vec::len))
    };
    let empty = move || flagged.with(Vec::is_empty);
    view! {
        <section class="dash-panel" data-testid="dashboard-rag" data-rag=move || rag_class(rag())>
            <h3>
                <span class=move || format!("rag {}", rag_class(rag()))></span>
                {move || t().dashboard.status}": "{word}
            </h3>
            <p data-testid="dashboard-reason">{reason}</p>
            <h4>{move || t().dashboard.flagged}</h4>
            <Show when=empty>
                <p class="muted">{move || t().dashboard.nothing_flagged}</p>
            </Show>
            <ul class="dash-list">
                <For
                    each=move || flagged.get()
                    key=|f| (f.task, f.status.rag, f.status.reason.describe(true))
                    let:f
                >
                    <li data-testid="dashboard-flagged" data-rag=rag_class(f.status.rag) data-task=f.task.to_string()>
                        <span class=format!("rag {}", rag_class(f.status.rag))></span>
                        <a href=task_link(workspace, doc, f.task)>{title_now(f.task, f.title)}</a>
                        " "<span class="muted">{f.status.reason.describe(chinese)}</span>
                    </li>
                </For>
            </ul>
            <Show when=move || { hidden() > 0 }>
                <p class="muted">{move || (t().dashboard.more)(hidden())}</p>
            </Show>
        </section>
    }
}

#[component]
fn Countdowns(event: Option<Countdown>, milestones: Vec<Countdown>, launch: &'static str) -> impl IntoView {
    let t = use_strings();
    let empty = milestones.is_empty();
    view! {
        <section class="dash-panel" data-testid="dashboard-countdowns">
            {event.map(|event| view! {
                <div data-testid="dashboard-event"><CountdownLine countdown=event name=launch.to_owned()/></div>
            })}
            <h4>{move || t().dashboard.milestones}</h4>
            {empty.then(|| view! { <p class="muted">{move || t().dashboard.no_milestones}</p> })}
            <ul class="dash-list">
                {milestones.into_iter().map(|m| {
                    let id = m.milestone.map(|id| id.to_string()).unwrap_or_default();
                    let name = m.name.clone();
                    view! { <li data-testid="dashboard-milestone" data-milestone=id><CountdownLine countdown=m name=name/></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// "12 days to 双十一": how much of the work before it is done, against the plan, as a bar
/// with the plan's mark on it.
#[component]
fn CountdownLine(countdown: Countdown, name: String) -> impl IntoView {
    let t = use_strings();
    let (done, planned) = (percent(countdown.done), percent(countdown.planned));
    let behind = countdown.behind();
    let Countdown { days_left, tasks, date, .. } = countdown;
    view! {
        <div class="countdown" class:behind=behind data-days=days_left data-done=done data-planned=planned>
            <strong>{move || (t().dashboard.days_to)(days_left, &name)}</strong>
            " "<span class="muted">{date.to_string()}" · "{move || (t().dashboard.tasks_before)(tasks)}</span>
            <div class="progress" role="img" aria-label=move || (t().dashboard.done_against_plan)(done, planned)>
                <div class="progress-done" style=format!("width: {done}%")></div>
                <div class="progress-plan" style=format!("left: {planned}%")></div>
            </div>
            <span>{move || (t().dashboard.done_against_plan)(done, planned)}</span>
            {behind.then(|| view! { " "<span class="behind-word">{move || t().dashboard.behind_plan}</span> })}
        </div>
    }
}

/// Chart geometry, in the SVG's own units.
const CHART_W: f64 = 360.0;
const CHART_H: f64 = 160.0;
const PAD: f64 = 26.0;

#[component]
fn BurndownPanel(burndown: Burndown, on_time: Option<f64>) -> impl IntoView {
    let t = use_strings();
    let Burndown { days, total } = burndown;
    let span = (days.len().max(2) - 1) as f64;
    let x = move |i: usize| PAD + i as f64 / span * (CHART_W - 2.0 * PAD);
    let y = move |n: usize| CHART_H - PAD - n as f64 / total.max(1) as f64 * (CHART_H - 2.0 * PAD);
    let planned: String =
        days.iter().enumerate().map(|(i, d)| format!("{:.1},{:.1} ", x(i), y(d.planned))).collect();
    let actual: String = days
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.actual.map(|n| format!("{:.1},{:.1} ", x(i), y(n))))
        .collect();
    let (first, last) = (days.first().map(|d| d.date), days.last().map(|d| d.date));
    // Today is the last day with an actual count; its point is marked, so that a plan of
    // one day still shows.
    let now = days.iter().rposition(|d| d.actual.is_some());
    let dot = now.and_then(|i| Some((x(i), y(days[i].actual?))));
    // The table lists a row a week, and the last day.
    let rows: Vec<(Date, usize, Option<usize>)> = days
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 7 == 0 || *i + 1 == days.len())
        .map(|(_, d)| (d.date, d.planned, d.actual))
        .collect();
    let rate = on_time.map(percent);
    view! {
        <section class="dash-panel" data-testid="dashboard-burndown" data-total=total>
            <h3>{move || t().dashboard.burndown}</h3>
            <p data-testid="dashboard-on-time" data-rate=rate.map(|r| r.to_string()).unwrap_or_default()>
                {move || t().dashboard.on_time}": "
                {move || match rate {
                    Some(r) => format!("{r}%"),
                    None => t().dashboard.no_on_time.to_owned(),
                }}
            </p>
            <svg class="chart" viewBox=format!("0 0 {CHART_W} {CHART_H}") role="img"
                aria-label=move || (t().dashboard.burndown_label)(total)>
                <line class="axis" x1=PAD y1=CHART_H - PAD x2=CHART_W - PAD y2=CHART_H - PAD/>
                <line class="axis" x1=PAD y1=PAD x2=PAD y2=CHART_H - PAD/>
                <text x=PAD - 4.0 y=PAD + 4.0 text-anchor="end">{total}</text>
                <text x=PAD - 4.0 y=CHART_H - PAD text-anchor="end">"0"</text>
                <text x=PAD y=CHART_H - 8.0>{first.map(|d| d.to_string())}</text>
                <text x=CHART_W - PAD y=CHART_H - 8.0 text-anchor="end">{last.map(|d| d.to_string())}</text>
                <polyline class="planned" points=planned>
                    <title>{move || t().dashboard.planned_line}</title>
                </polyline>
                {now.map(|i| view! { <line class="today" x1=x(i) x2=x(i) y1=PAD y2=CHART_H - PAD/> })}
                <polyline class="actual" points=actual data-testid="burndown-actual">
                    <title>{move || t().dashboard.actual_line}</title>
                </polyline>
                {dot.map(|(cx, cy)| view! { <circle class="actual-dot" cx=cx cy=cy r="3"/> })}
            </svg>
            <p class="legend" aria-hidden="true">
                <span class="key planned"></span>{move || t().dashboard.planned_line}
                <span class="key actual"></span>{move || t().dashboard.actual_line}
            </p>
            <details>
                <summary>{move || t().dashboard.show_table}</summary>
                <table data-testid="burndown-table">
                    <thead><tr>
                        <th>{move || t().dashboard.date}</th>
                        <th>{move || t().dashboard.remaining_planned}</th>
                        <th>{move || t().dashboard.remaining_actual}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(date, planned, actual)| view! {
                            <tr>
                                <td>{date.to_string()}</td>
                                <td>{planned}</td>
                                <td>{actual.map(|n| n.to_string()).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
}

#[component]
fn CyclePanel(by_tag: Vec<CycleTime>, by_sku: Vec<CycleTime>) -> impl IntoView {
    let t = use_strings();
    view! {
        <section class="dash-panel wide" data-testid="dashboard-cycle">
            <h3>{move || t().dashboard.cycle_by_tag}</h3>
            <CycleTable times=by_tag kind="tag"/>
            <h3>{move || t().dashboard.cycle_by_sku}</h3>
            <CycleTable times=by_sku kind="sku"/>
        </section>
    }
}

/// Cycle times as a table, each row with a bar of its average and a mark at its target; a
/// row over its target stands out.
#[component]
fn CycleTable(times: Vec<CycleTime>, kind: &'static str) -> impl IntoView {
    let t = use_strings();
    if times.is_empty() {
        return view! { <p class="muted">{move || t().dashboard.no_cycle}</p> }.into_any();
    }
    let longest = times.iter().map(|c| c.average_days.max(c.target_days.unwrap_or(0.0))).fold(1.0, f64::max);
    let scale = move |days: f64| days / longest * 120.0;
    view! {
        <table class="cycle" data-testid="cycle-table" data-kind=kind>
            <thead><tr>
                {move || t().dashboard.cycle_columns.map(|c| view! { <th>{c}</th> }).collect_view()}
                <th aria-hidden="true"></th>
            </tr></thead>
            <tbody>
                {times.into_iter().map(|c| {
                    let gap = c.against_target();
                    let over = gap.is_some_and(|g| g > 0.0);
                    let (average, target, key) = (c.average_days, c.target_days, c.key.clone());
                    view! {
                        <tr data-testid="cycle-row" data-key=key class:over=over>
                            <td>{c.key}</td>
                            <td>{c.samples}</td>
                            <td>{move || (t().dashboard.days)(average)}</td>
                            <td>{move || target.map(|d| (t().dashboard.days)(d)).unwrap_or_default()}</td>
                            <td data-testid="cycle-gap">{move || gap.map(|g| {
                                let sign = if g > 0.0 { "+" } else { "" };
                                format!("{sign}{}", (t().dashboard.days)(g))
                            }).unwrap_or_default()}</td>
                            <td aria-hidden="true">
                                <svg class="bar" viewBox="0 0 130 12" width="130" height="12">
                                    <rect x="0" y="2" height="8" width=scale(average)/>
                                    {target.map(|d| view! { <line x1=scale(d) x2=scale(d) y1="0" y2="12"/> })}
                                </svg>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn RiskPanel(
    risks: Vec<Risk>,
    total: usize,
    may_assign: Memo<bool>,
    workspace: Option<DocumentId>,
) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let workspace_doc = expect_context::<WorkspaceCtx>().workspace;
    let chinese = expect_context::<LocaleCtx>().0.get_untracked() == Locale::ZhCn;
    let doc = ctx.doc;
    let empty = risks.is_empty();
    let hidden = total.saturating_sub(risks.len());
    view! {
        <section class="dash-panel" data-testid="dashboard-risks">
            <h3>{move || t().dashboard.risks}</h3>
            {empty.then(|| view! { <p class="muted">{move || t().dashboard.no_risks}</p> })}
            <ul class="dash-list">
                {risks.into_iter().map(|risk| {
                    let ctx = ctx.clone();
                    let task = risk.task;
                    let suggestion = risk.suggestion.clone().map(|s| {
                        // The dashboard is drawn again whenever the workspace changes.
                        let name = workspace_doc
                            .with_untracked(|w| w.as_ref()?.members.get(&s.member).map(|m| m.name.clone()));
                        let member = s.member;
                        let assign = move |_| {
                            ctx.dispatch(Command::Assign { id: task, members: vec![member] });
                        };
                        view! {
                            <p class="suggestion" data-testid="risk-suggestion" data-member=s.member.to_string()>
                                {move || (t().dashboard.suggest)(
                                    name.as_deref().unwrap_or(t().dashboard.unassigned_member),
                                    s.similar_done,
                                    s.similar_on_time,
                                    s.load_hours,
                                )}
                                <Show when=move || may_assign.get()>
                                    " "<button type="button" data-testid="apply-suggestion" on:click=assign.clone()>
                                        {move || t().dashboard.assign}
                                    </button>
                                </Show>
                            </p>
                        }
                    });
                    view! {
                        <li data-testid="dashboard-risk" data-task=task.to_string()>
                            <a href=task_link(workspace, doc, task)>{title_now(task, risk.title)}</a>
                            <p>{risk.record.explain(chinese)}</p>
                            {suggestion}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(hidden > 0).then(|| view! { <p class="muted">{move || (t().dashboard.more)(hidden)}</p> })}
        </section>
    }
}
