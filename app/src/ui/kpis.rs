//! The workspace's KPIs (`plan::kpi`): on-time delivery, work finished and cycle time month
//! by month, budget variance and projects by status, across every plan the inbox keeps
//! open, for a kind of plan and a range of days. Each chart has its table, and each table
//! exports as CSV.

use launchplan_shared::domain::finance::yuan_grouped;
use launchplan_shared::domain::{Date, ProjectKind};
use launchplan_shared::plan::kpi::{self, Filter, Kpis, MonthRow, Table};
use leptos::prelude::*;

use super::files::{download, file_name};
use crate::contexts::{InboxCtx, ProjectRoute, Route, WorkspaceCtx, today, use_strings};
use crate::i18n::{KINDS, kind_index};

const CHART_W: f64 = 640.0;
const CHART_H: f64 = 200.0;
const PAD: f64 = 34.0;
/// Green, amber and red as the page's classes and `data-rag` name them, in `Rag`'s order.
const RAG_NAMES: [&str; 3] = ["green", "amber", "red"];

#[component]
pub(crate) fn KpisPage() -> impl IntoView {
    let t = use_strings();
    let inbox = expect_context::<InboxCtx>();
    let workspace = expect_context::<WorkspaceCtx>().doc;
    // The last twelve months, this one included.
    let (year, month, _) = today().ymd();
    let (year, month) = if month == 12 { (year, 1) } else { (year - 1, month + 1) };
    let kind = RwSignal::new(None::<ProjectKind>);
    let from = RwSignal::new(Date::from_ymd(year, month, 1));
    let to = RwSignal::new(Some(today()));
    let plans = inbox.plans;
    let kpis = Memo::new(move |_| {
        let filter = Filter { kind: kind.get(), from: from.get(), to: to.get() };
        plans.with(|plans| kpi::kpis(plans.iter().map(|(doc, p)| (*doc, &p.facts)), &filter, today()))
    });
    let bad_range = move || matches!((from.get(), to.get()), (Some(f), Some(t)) if f > t);
    let date_input = |signal: RwSignal<Option<Date>>| {
        move |ev: leptos::ev::Event| signal.set(event_target_value(&ev).parse::<Date>().ok())
    };
    view! {
        <section class="kpis" data-testid="kpis">
            <h1>{move || t().kpis.title}</h1>
            <p class="muted">{move || t().kpis.intro}</p>
            <div class="kpi-filters">
                <label>
                    {move || t().kpis.kind}" "
                    <select data-testid="kpi-kind" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        kind.set(value.parse::<usize>().ok().and_then(|i| KINDS.get(i).copied()));
                    }>
                        <option value="" selected>{move || t().kpis.any_kind}</option>
                        {KINDS.iter().map(|k| view! {
                            <option value=kind_index(*k).to_string()>{move || t().kind(*k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {move || t().kpis.from}" "
                    <input type="date" data-testid="kpi-from" on:change=date_input(from)
                        prop:value=move || from.get().map(|d| d.to_string()).unwrap_or_default()/>
                </label>
                <label>
                    {move || t().kpis.to}" "
                    <input type="date" data-testid="kpi-to" on:change=date_input(to)
                        prop:value=move || to.get().map(|d| d.to_string()).unwrap_or_default()/>
                </label>
            </div>
            <Show when=bad_range>
                <p class="notice warning" data-testid="kpi-bad-range">{move || t().kpis.bad_range}</p>
            </Show>
            <Tiles kpis=kpis/>
            <div class="dashboard">
                <RagPanel kpis=kpis/>
                <TrendPanel kpis=kpis/>
                <ProjectsPanel kpis=kpis workspace=workspace/>
            </div>
        </section>
    }
}

fn percent(share: Option<f64>) -> Option<u32> {
    share.map(|s| (s * 100.0).round() as u32)
}

#[component]
fn Tiles(kpis: Memo<Kpis>) -> impl IntoView {
    let t = use_strings();
    let totals = Memo::new(move |_| kpis.with(|k| k.totals));
    let budget = Memo::new(move |_| kpis.with(|k| k.budget));
    let rate = move || percent(totals.get().on_time_rate());
    let cycle = move || totals.get().cycle_days();
    view! {
        <div class="kpi-tiles">
            <div class="kpi-tile" data-testid="kpi-on-time" data-rate=move || rate().map(|r| r.to_string()).unwrap_or_default()>
                <span class="kpi-name">{move || t().kpis.on_time}</span>
                <strong>{move || rate().map(|r| format!("{r}%")).unwrap_or_else(|| t().kpis.none_yet.to_owned())}</strong>
                <span class="muted">{move || { let s = totals.get(); (t().kpis.on_time_of)(s.on_time, s.with_due) }}</span>
            </div>
            <div class="kpi-tile" data-testid="kpi-finished" data-count=move || totals.get().finished>
                <span class="kpi-name">{move || t().kpis.finished}</span>
                <strong>{move || totals.get().finished}</strong>
            </div>
            <div class="kpi-tile" data-testid="kpi-cycle" data-days=move || cycle().map(|d| format!("{d:.1}")).unwrap_or_default()>
                <span class="kpi-name">{move || t().kpis.cycle}</span>
                <strong>{move || cycle().map(|d| (t().kpis.days)(d)).unwrap_or_else(|| t().kpis.none_yet.to_owned())}</strong>
            </div>
            <div class="kpi-tile" data-testid="kpi-budget"
                data-planned=move || budget.get().map(|m| m.planned.to_string()).unwrap_or_default()
                data-spent=move || budget.get().map(|m| m.spent.to_string()).unwrap_or_default()
                class:over=move || budget.get().is_some_and(|m| m.variance() > 0)>
                <span class="kpi-name">{move || t().kpis.variance}</span>
                {move || match budget.get() {
                    Some(m) => {
                        let share = percent(m.variance_share().map(f64::abs));
                        let sign = if m.variance() < 0 { "-" } else { "+" };
                        view! {
                            <strong data-testid="kpi-variance">{format!("{sign}¥{}", yuan_grouped(m.variance().abs()))}
                                {share.map(|s| format!(" ({sign}{s}%)"))}</strong>
                            <span class="muted">{(t().kpis.spent_of)(
                                &format!("¥{}", yuan_grouped(m.spent)), &format!("¥{}", yuan_grouped(m.planned)))}</span>
                        }.into_any()
                    }
                    None => view! { <span class="muted">{t().kpis.budget_hidden}</span> }.into_any(),
                }}
            </div>
        </div>
    }
}

/// How many plans are green, amber and red: three bars, and the same as a table.
#[component]
fn RagPanel(kpis: Memo<Kpis>) -> impl IntoView {
    let t = use_strings();
    let counts = Memo::new(move |_| kpis.with(|k| k.by_rag));
    view! {
        <section class="dash-panel" data-testid="kpi-rag"
            data-green=move || counts.get()[0] data-amber=move || counts.get()[1] data-red=move || counts.get()[2]>
            <h3>{move || t().kpis.by_rag}</h3>
            {move || {
                let counts = counts.get();
                let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
                let label = (t().kpis.by_rag_label)(counts[0], counts[1], counts[2]);
                view! {
                    <svg class="chart rag-bars" viewBox="0 0 320 110" role="img" aria-label=label>
                        {(0..3).map(|i| {
                            let y = 8.0 + i as f64 * 34.0;
                            let width = counts[i] as f64 / most * 220.0;
                            view! {
                                <text x="0" y=y + 17.0>{t().kpis.rag[i]}</text>
                                <rect class=format!("bar {}", RAG_NAMES[i]) x="50" y=y width=width.max(1.0) height="24" rx="3"/>
                                <text x=56.0 + width y=y + 17.0>{counts[i]}</text>
                            }
                        }).collect_view()}
                    </svg>
                }
            }}
            <details>
                <summary>{move || t().kpis.show_table}</summary>
                <table>
                    <tbody>
                        {(0..3).map(|i| view! {
                            <tr><th scope="row">{move || t().kpis.rag[i]}</th><td>{move || counts.get()[i]}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
}

/// Work finished each month as bars, the month's average cycle time as a line, and both as
/// a table that exports.
#[component]
fn TrendPanel(kpis: Memo<Kpis>) -> impl IntoView {
    let t = use_strings();
    let months = Memo::new(move |_| kpis.with(|k| k.months.clone()));
    let export = move |_| {
        let zh = t().kpis.chinese;
        let csv = kpis.with_untracked(|k| kpi::months_csv(k, zh));
        download(
            &format!("{}.csv", file_name(t().kpis.months_file, "months")),
            &csv,
            "text/csv;charset=utf-8",
        );
    };
    view! {
        <section class="dash-panel wide" data-testid="kpi-trend">
            <h3>{move || t().kpis.trend}</h3>
            {move || months.with(|m| if m.iter().all(|m| m.totals.finished == 0) {
                view! { <p class="muted" data-testid="kpi-trend-empty">{t().kpis.nothing_finished}</p> }.into_any()
            } else {
                chart(m, t()).into_any()
            })}
            <p class="legend" aria-hidden="true">
                <span class="key bars"></span>{move || t().kpis.finished_bars}
                <span class="key actual"></span>{move || t().kpis.cycle_line}
            </p>
            <details>
                <summary>{move || t().kpis.show_table}</summary>
                <table data-testid="kpi-months">
                    <thead><tr>
                        {move || kpi::headers(Table::Months, t().kpis.chinese).into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {move || months.get().into_iter().map(|m| {
                            let rate = percent(m.totals.on_time_rate());
                            let cycle = m.totals.cycle_days().map(|d| format!("{d:.1}"));
                            let cycle_attr = cycle.clone().unwrap_or_default();
                            view! {
                                <tr data-testid="kpi-month" data-month=m.month.to_string()
                                    data-finished=m.totals.finished data-cycle=cycle_attr>
                                    <td>{m.month.to_string()}</td>
                                    <td>{m.totals.finished}</td>
                                    <td>{rate.map(|r| format!("{r}%"))}</td>
                                    <td>{cycle}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
            <button type="button" data-testid="export-months" on:click=export>{move || t().kpis.export}</button>
        </section>
    }
}

fn chart(months: &[MonthRow], t: &'static crate::i18n::Strings) -> impl IntoView + use<> {
    let n = months.len().max(1);
    let most = months.iter().map(|m| m.totals.finished).max().unwrap_or(0).max(1);
    let longest = months.iter().filter_map(|m| m.totals.cycle_days()).fold(1.0, f64::max);
    let slot = (CHART_W - 2.0 * PAD) / n as f64;
    let x = move |i: usize| PAD + slot * i as f64 + slot / 2.0;
    let bar_y = move |count: usize| CHART_H - PAD - count as f64 / most as f64 * (CHART_H - 2.0 * PAD);
    let line_y = move |days: f64| CHART_H - PAD - days / longest * (CHART_H - 2.0 * PAD);
    let line: String = months
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.totals.cycle_days().map(|d| format!("{:.1},{:.1} ", x(i), line_y(d))))
        .collect();
    // A label every few months, so that they never overlap.
    let every = n.div_ceil(12);
    view! {
        <svg class="chart" viewBox=format!("0 0 {CHART_W} {CHART_H}") role="img" aria-label=(t.kpis.trend_label)(months.len())>
            <line class="axis" x1=PAD y1=CHART_H - PAD x2=CHART_W - PAD y2=CHART_H - PAD/>
            <text x=PAD - 4.0 y=PAD + 4.0 text-anchor="end">{most}</text>
            <text x=CHART_W - PAD + 4.0 y=PAD + 4.0>{format!("{longest:.0}d")}</text>
            {months.iter().enumerate().map(|(i, m)| {
                let y = bar_y(m.totals.finished);
                let label = (i % every == 0).then(|| format!("{:02}", m.month.month));
                view! {
                    <rect class="bar" x=x(i) - slot * 0.35 y=y width=slot * 0.7 height=(CHART_H - PAD - y).max(0.0)>
                        <title>{format!("{}: {}", m.month, m.totals.finished)}</title>
                    </rect>
                    {label.map(|l| view! { <text x=x(i) y=CHART_H - PAD + 14.0 text-anchor="middle">{l}</text> })}
                }
            }).collect_view()}
            <polyline class="actual" points=line/>
            // A dot per month with a cycle time: a single month has no line to draw.
            {months.iter().enumerate().filter_map(|(i, m)| {
                let days = m.totals.cycle_days()?;
                Some(view! {
                    <circle class="actual-dot" cx=x(i) cy=line_y(days) r="3">
                        <title>{format!("{}: {days:.1}", m.month)}</title>
                    </circle>
                })
            }).collect_view()}
        </svg>
    }
}

/// Each plan's numbers, with a link to it; exports as CSV.
#[component]
fn ProjectsPanel(kpis: Memo<Kpis>, workspace: launchplan_shared::DocumentId) -> impl IntoView {
    let t = use_strings();
    let export = move |_| {
        let zh = t().kpis.chinese;
        let strings = t();
        let csv = kpis.with_untracked(|k| {
            kpi::projects_csv(
                k,
                |kind| strings.kind(*kind).to_owned(),
                |rag| strings.kpis.rag[rag as usize].to_owned(),
                zh,
            )
        });
        download(
            &format!("{}.csv", file_name(t().kpis.projects_file, "projects")),
            &csv,
            "text/csv;charset=utf-8",
        );
    };
    view! {
        <section class="dash-panel wide" data-testid="kpi-projects">
            <h3>{move || t().kpis.projects}</h3>
            <Show when=move || kpis.with(|k| !k.projects.is_empty())
                fallback=move || view! { <p class="muted">{move || t().kpis.no_plans}</p> }>
                <table>
                    <thead><tr>
                        {move || kpi::headers(Table::Projects, t().kpis.chinese).into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {move || kpis.get().projects.into_iter().map(|p| {
                            let href = Route::Project(ProjectRoute { workspace: Some(workspace), doc: p.doc, task: None }).href();
                            let money = move |f: fn(&kpi::Money) -> i64| p.budget.as_ref().map(|m| format!("¥{}", yuan_grouped(f(m))));
                            let rag = p.rag as usize;
                            view! {
                                <tr data-testid="kpi-project" data-doc=p.doc.to_string() data-rag=RAG_NAMES[rag]
                                    data-finished=p.totals.finished class:over=p.budget.is_some_and(|m| m.variance() > 0)>
                                    <td><a href=href>{p.name.clone()}</a></td>
                                    <td>{move || t().kind(p.kind)}</td>
                                    <td><span class=format!("rag {}", RAG_NAMES[rag])></span>{move || t().kpis.rag[rag]}</td>
                                    <td>{p.open}</td>
                                    <td>{p.totals.finished}</td>
                                    <td>{percent(p.totals.on_time_rate()).map(|r| format!("{r}%"))}</td>
                                    <td>{p.totals.cycle_days().map(|d| format!("{d:.1}"))}</td>
                                    <td>{money(|m| m.planned)}</td>
                                    <td>{money(|m| m.spent)}</td>
                                    <td>{money(kpi::Money::variance)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            <button type="button" data-testid="export-projects" on:click=export>{move || t().kpis.export}</button>
        </section>
    }
}
