//! The plan's budget and costs, for members with the finance role: budget lines by category,
//! the costs booked against them, both edited in place like a spreadsheet, and CSV files in
//! and out for Excel. [`BudgetPanel`] shows the same money on the dashboard.

use launchplan_shared::domain::Date;
use launchplan_shared::domain::finance::sheet::{self, Imported, SheetError};
use launchplan_shared::domain::finance::{
    self, CostEntry, CostInput, Fen, Finance, parse_yuan, yuan, yuan_grouped,
};
use launchplan_shared::plan::insight::budget_burn;
use launchplan_shared::{ItemId, TaskId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::contexts::{Errors, FinanceCtx, ProjectCtx, today, use_strings};
use crate::ui::files::{download, file_name, read_text};

/// What the last import did, or why it did nothing.
#[derive(Clone)]
enum ImportOutcome {
    Done(Imported),
    Refused(SheetError),
    Unreadable(String),
}

#[component]
pub(crate) fn FinanceView() -> impl IntoView {
    let money = expect_context::<FinanceCtx>();
    let ctx = expect_context::<ProjectCtx>();
    let t = use_strings();
    let finance = money.finance;
    // The plan's tasks, for booking a cost against one (titles change with any edit).
    let tasks = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            ctx.heads.track();
            ctx.order.with_untracked(|order| {
                order
                    .iter()
                    .filter_map(|id| ctx.task(*id).map(|e| (*id, e.with_untracked(|e| e.task.title.clone()))))
                    .collect::<Vec<(TaskId, String)>>()
            })
        })
    };
    let outcome = RwSignal::new(None::<ImportOutcome>);
    let plan_name = {
        let meta = ctx.meta;
        move || meta.with_untracked(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default())
    };
    let export_budget = {
        move |_| {
            let f = t().finance;
            let text = finance.with_untracked(|money| sheet::budget_csv(money, f.chinese));
            let name = format!("{} {}.csv", file_name(&plan_name(), "plan"), f.file_names[0]);
            download(&name, &text, "text/csv;charset=utf-8");
        }
    };
    let export_costs = move |_| {
        let f = t().finance;
        let text = tasks.with_untracked(|tasks| {
            let title = |id: TaskId| tasks.iter().find(|(t, _)| *t == id).map(|(_, title)| title.clone());
            finance.with_untracked(|money| sheet::costs_csv(money, title, f.chinese))
        });
        let name = format!("{} {}.csv", file_name(&plan_name(), "plan"), f.file_names[1]);
        download(&name, &text, "text/csv;charset=utf-8");
    };
    let import = {
        let money = money.clone();
        move |ev: leptos::ev::Event| {
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
            // The same file may be picked again.
            input.set_value("");
            let money = money.clone();
            spawn_local(async move {
                let text = match read_text(&file).await {
                    Ok(text) => text,
                    Err(why) => {
                        outcome.set(Some(ImportOutcome::Unreadable(why)));
                        return;
                    }
                };
                let read = match sheet::read_sheet(&text) {
                    Ok(read) => read,
                    Err(why) => {
                        outcome.set(Some(ImportOutcome::Refused(why)));
                        return;
                    }
                };
                let done = tasks.with_untracked(|tasks| money.change(|tx| sheet::import(tx, &read, tasks)));
                outcome.set(done.map(ImportOutcome::Done));
            });
        }
    };
    view! {
        <div class="finance" data-testid="finance">
            <BudgetSummary finance=finance/>
            <div class="finance-files">
                <button type="button" data-testid="export-budget" on:click=export_budget>
                    {move || t().finance.export_budget}
                </button>
                <button type="button" data-testid="export-costs" on:click=export_costs>
                    {move || t().finance.export_costs}
                </button>
                <label class="file-button">
                    {move || t().finance.import}
                    <input type="file" accept=".csv,text/csv" data-testid="import-csv" on:change=import/>
                </label>
                <span class="muted">{move || t().finance.import_hint}</span>
            </div>
            <ImportResult outcome=outcome/>
            <LinesTable finance=finance/>
            <CostsTable finance=finance tasks=tasks/>
        </div>
    }
}

#[component]
fn ImportResult(outcome: RwSignal<Option<ImportOutcome>>) -> impl IntoView {
    let t = use_strings();
    move || {
        let f = t().finance;
        outcome.get().map(|o| match o {
            ImportOutcome::Done(done) => {
                let unmatched = (!done.unmatched_tasks.is_empty())
                    .then(|| view! { <p class="muted">{(f.unmatched)(&done.unmatched_tasks.join("、"))}</p> });
                view! {
                    <div class="notice" data-testid="import-result" data-costs=done.costs_added
                        data-lines=done.lines_added>
                        <p>{(f.imported)(done.lines_added, done.lines_changed, done.costs_added, done.costs_skipped)}</p>
                        {unmatched}
                    </div>
                }
                .into_any()
            }
            ImportOutcome::Refused(why) => view! {
                <div class="notice error" data-testid="import-problems">
                    <p>{f.not_read}</p>
                    <ul>{f.sheet_error(&why).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
            ImportOutcome::Unreadable(why) => view! {
                <div class="notice error" data-testid="import-problems"><p>{f.not_read}" "{why}</p></div>
            }
            .into_any(),
        })
    }
}

/// Planned, spent and remaining, how fast the money goes against the time, and each line as
/// a bar of spent against planned: over-budget lines stand out.
#[component]
pub(crate) fn BudgetSummary(finance: RwSignal<Finance>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let burn = Memo::new(move |_| {
        let (start, finish) = ctx.schedule.with(|s| s.as_ref().map(|s| (s.start, s.finish)))?;
        Some(finance.with(|f| budget_burn(f, start, finish, today())))
    });
    let bars = Memo::new(move |_| {
        finance.with(|f| {
            let spent = f.spent_by_line();
            f.lines_in_order()
                .into_iter()
                .map(|l| (l.category.clone(), l.planned, spent.get(&l.id).copied().unwrap_or(0)))
                .collect::<Vec<(String, Fen, Fen)>>()
        })
    });
    let totals = move || finance.with(|f| (f.planned(), f.spent()));
    view! {
        <section class="budget-summary" data-testid="budget-summary"
            data-planned=move || totals().0 data-spent=move || totals().1>
            <dl class="totals">
                {move || {
                    let (planned, spent) = totals();
                    let words = t().finance.totals;
                    [planned, spent, planned - spent].into_iter().zip(words).map(|(fen, word)| view! {
                        <div class:over={fen < 0}><dt>{word}</dt><dd>{money(fen)}</dd></div>
                    }).collect_view()
                }}
            </dl>
            {move || burn.get().filter(|b| b.planned > 0).map(|b| {
                let (burned, elapsed) = ((b.burned * 100.0).round() as u32, (b.elapsed * 100.0).round() as u32);
                let fast = b.ahead_of_time();
                view! {
                    <p data-testid="budget-burn" class:behind-word=fast>
                        {move || (t().finance.burn)(burned, elapsed)}
                        {fast.then(|| view! { " · "{move || t().finance.burning_fast} })}
                    </p>
                }
            })}
            {move || {
                let rows = bars.get();
                let widest = rows.iter().map(|(_, p, s)| (*p).max(*s)).max().unwrap_or(1).max(1) as f64;
                let width = move |fen: Fen| (fen.max(0) as f64 / widest * 200.0).max(0.0);
                let count = rows.len();
                let over: Vec<&(String, Fen, Fen)> = rows.iter().filter(|(_, p, s)| s > p).collect();
                let over_list = (!over.is_empty()).then(|| view! {
                    <p class="over" data-testid="budget-over">
                        {move || t().finance.over_lines}": "
                        {over.iter().map(|(c, p, s)| format!("{c} ({} / {})", money(*s), money(*p)))
                            .collect::<Vec<_>>().join("、")}
                    </p>
                });
                view! {
                    {over_list}
                    <table class="budget-bars" aria-label=move || (t().finance.budget_chart)(count)>
                        <tbody>
                            {rows.iter().map(|(category, planned, spent)| view! {
                                <tr data-testid="budget-bar" data-category=category.clone() class:over={spent > planned}>
                                    <th scope="row">{category.clone()}</th>
                                    <td>{money(*spent)}" / "{money(*planned)}</td>
                                    <td aria-hidden="true">
                                        <svg class="bar" viewBox="0 0 210 12" width="210" height="12">
                                            <rect class="planned" x="0" y="1" height="10" width=width(*planned)/>
                                            <rect class="spent" x="0" y="3" height="6" width=width(*spent)/>
                                        </svg>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            }}
        </section>
    }
}

/// `fen` in yuan for people: `¥1,234.50`, `-¥20.00`.
fn money(fen: Fen) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}¥{}", yuan_grouped(fen.abs()))
}

/// The money on the dashboard, for those who may see it.
#[component]
pub(crate) fn BudgetPanel() -> impl IntoView {
    let t = use_strings();
    let money = use_context::<FinanceCtx>();
    move || {
        let money = money.as_ref().filter(|m| m.ready.get())?;
        let finance = money.finance;
        Some(view! {
            <section class="dash-panel" data-testid="dashboard-budget">
                <h3>{move || t().finance.title}</h3>
                {move || finance.with(|f| f.lines.is_empty())
                    .then(|| view! { <p class="muted">{move || t().finance.no_lines}</p> })}
                <BudgetSummary finance=finance/>
            </section>
        })
    }
}

/// Reads an amount typed into `input`; on a bad one, says why and puts back `was`.
fn typed_amount(input: &web_sys::HtmlInputElement, was: Fen, errors: Errors) -> Option<Fen> {
    match parse_yuan(&input.value()) {
        Ok(fen) => Some(fen),
        Err(e) => {
            errors.report(e);
            input.set_value(&yuan(was));
            None
        }
    }
}

fn input_of(ev: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
}

#[component]
fn LinesTable(finance: RwSignal<Finance>) -> impl IntoView {
    let t = use_strings();
    let money = expect_context::<FinanceCtx>();
    let errors = expect_context::<Errors>();
    let rows = Memo::new(move |_| {
        finance.with(|f| {
            let spent = f.spent_by_line();
            f.lines_in_order()
                .into_iter()
                .map(|l| (l.clone(), spent.get(&l.id).copied().unwrap_or(0)))
                .collect::<Vec<_>>()
        })
    });
    let (category, planned) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let add = {
        let money = money.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let amount = if planned.with_untracked(|p| p.trim().is_empty()) {
                Ok(0)
            } else {
                parse_yuan(&planned.get_untracked())
            };
            let amount = match amount {
                Ok(fen) => fen,
                Err(e) => return errors.report(e),
            };
            if money.change(|tx| finance::add_line(tx, &category.get_untracked(), amount)).is_some() {
                category.set(String::new());
                planned.set(String::new());
            }
        }
    };
    view! {
        <section class="finance-lines">
            <h3>{move || t().finance.lines}</h3>
            {move || rows.with(Vec::is_empty).then(|| view! { <p class="muted">{move || t().finance.no_lines}</p> })}
            <table data-testid="budget-lines">
                <thead><tr>
                    <th>{move || t().finance.category}</th>
                    <th>{move || t().finance.planned}</th>
                    <th>{move || t().finance.spent}</th>
                    <th>{move || t().finance.remaining}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|(line, spent)| (line.id, line.category.clone(), line.planned, *spent) let((line, spent))>
                        {
                            let money = money.clone();
                            let (rename, replan, remove) = (money.clone(), money.clone(), money.clone());
                            let id = line.id;
                            let over = spent > line.planned;
                            let (was_category, was_planned) = (line.category.clone(), line.planned);
                            view! {
                                <tr data-testid="budget-line" data-category=line.category.clone() class:over=over
                                    data-over=over.to_string()>
                                    <td><input data-testid="line-category" value=line.category.clone()
                                        aria-label=move || t().finance.category
                                        on:change=move |ev| {
                                            let Some(input) = input_of(&ev) else { return };
                                            if rename.change(|tx| finance::edit_line(tx, id, &input.value(), was_planned)).is_none() {
                                                input.set_value(&was_category);
                                            }
                                        }/></td>
                                    <td><input data-testid="line-planned" class="money" inputmode="decimal"
                                        value=yuan(line.planned) aria-label=move || t().finance.planned
                                        on:change={
                                            let category = line.category.clone();
                                            move |ev| {
                                                let Some(input) = input_of(&ev) else { return };
                                                let Some(fen) = typed_amount(&input, was_planned, errors) else { return };
                                                if replan.change(|tx| finance::edit_line(tx, id, &category, fen)).is_none() {
                                                    input.set_value(&yuan(was_planned));
                                                }
                                            }
                                        }/></td>
                                    <td class="money">{yuan_grouped(spent)}</td>
                                    <td class="money" class:over=over>
                                        {yuan_grouped(line.planned - spent)}
                                        {over.then(|| view! { " "<span class="behind-word">{move || t().finance.over}</span> })}
                                    </td>
                                    <td><button type="button" class="link" data-testid="remove-line"
                                        on:click=move |_| { remove.change(|tx| finance::remove_line(tx, id)); }>
                                        {move || t().finance.remove}
                                    </button></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <form class="finance-add" on:submit=add>
                <input data-testid="new-line-category" placeholder=move || t().finance.category_hint
                    aria-label=move || t().finance.category bind:value=category/>
                <input data-testid="new-line-planned" class="money" inputmode="decimal" placeholder="0.00"
                    aria-label=move || t().finance.planned bind:value=planned/>
                <button type="submit" data-testid="add-line">{move || t().finance.add_line}</button>
            </form>
        </section>
    }
}

#[component]
fn CostsTable(finance: RwSignal<Finance>, tasks: Memo<Vec<(TaskId, String)>>) -> impl IntoView {
    let t = use_strings();
    let money = expect_context::<FinanceCtx>();
    let errors = expect_context::<Errors>();
    let lines = Memo::new(move |_| {
        finance
            .with(|f| f.lines_in_order().into_iter().map(|l| (l.id, l.category.clone())).collect::<Vec<_>>())
    });
    let costs =
        Memo::new(move |_| finance.with(|f| f.costs.iter().rev().cloned().collect::<Vec<CostEntry>>()));
    let date = RwSignal::new(today().to_string());
    let line = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let task = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let add = {
        let money = money.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let chosen: Option<ItemId> = line
                .get_untracked()
                .parse()
                .ok()
                .or_else(|| lines.with_untracked(|l| l.first().map(|(id, _)| *id)));
            let Some(chosen) = chosen else { return };
            let fen = match parse_yuan(&amount.get_untracked()) {
                Ok(fen) => fen,
                Err(e) => return errors.report(e),
            };
            let day: Date = date.get_untracked().parse().unwrap_or_else(|_| today());
            let input = CostInput {
                line: chosen,
                amount: fen,
                date: day,
                task: task.get_untracked().parse().ok(),
                note: note.get_untracked(),
            };
            if money.change(|tx| finance::add_cost(tx, &input)).is_some() {
                amount.set(String::new());
                note.set(String::new());
            }
        }
    };
    let line_options = move |selected: Option<ItemId>| {
        lines
            .get()
            .into_iter()
            .map(|(id, name)| view! { <option value=id.to_string() selected=Some(id) == selected>{name}</option> })
            .collect_view()
    };
    let task_options = move |selected: Option<TaskId>| {
        let none =
            view! { <option value="" selected=selected.is_none()>{move || t().finance.no_task}</option> };
        let each = tasks
            .get()
            .into_iter()
            .map(|(id, title)| view! { <option value=id.to_string() selected=Some(id) == selected>{title}</option> })
            .collect_view();
        (none, each)
    };
    view! {
        <section class="finance-costs">
            <h3>{move || t().finance.costs}</h3>
            <Show when=move || !lines.with(Vec::is_empty)
                fallback=move || view! { <p class="muted">{move || t().finance.needs_line}</p> }>
                <form class="finance-add" on:submit=add.clone()>
                    <input type="date" data-testid="new-cost-date" aria-label=move || t().finance.date bind:value=date/>
                    <select data-testid="new-cost-line" aria-label=move || t().finance.category
                        on:change=move |ev| line.set(event_target_value(&ev))>
                        {move || line_options(line.get().parse().ok())}
                    </select>
                    <input data-testid="new-cost-amount" class="money" inputmode="decimal" placeholder="0.00"
                        aria-label=move || t().finance.amount bind:value=amount/>
                    <select data-testid="new-cost-task" aria-label=move || t().finance.task
                        on:change=move |ev| task.set(event_target_value(&ev))>
                        {move || task_options(task.get().parse().ok())}
                    </select>
                    <input data-testid="new-cost-note" placeholder=move || t().finance.note
                        aria-label=move || t().finance.note bind:value=note/>
                    <button type="submit" data-testid="add-cost">{move || t().finance.add_cost}</button>
                </form>
            </Show>
            {move || costs.with(Vec::is_empty).then(|| view! { <p class="muted">{move || t().finance.no_costs}</p> })}
            <table data-testid="costs">
                <thead><tr>
                    <th>{move || t().finance.date}</th>
                    <th>{move || t().finance.category}</th>
                    <th>{move || t().finance.amount}</th>
                    <th>{move || t().finance.task}</th>
                    <th>{move || t().finance.note}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    <For each=move || costs.get() key=|c| format!("{c:?}") let(cost)>
                        {
                            let money = money.clone();
                            let id = cost.id;
                            let was = CostInput {
                                line: cost.line,
                                amount: cost.amount,
                                date: cost.date,
                                task: cost.task,
                                note: cost.note.clone(),
                            };
                            // Each field writes the cost with that one field changed.
                            let edit = {
                                let (money, was) = (money.clone(), was.clone());
                                move |change: &dyn Fn(&mut CostInput)| {
                                    let mut next = was.clone();
                                    change(&mut next);
                                    money.change(|tx| finance::edit_cost(tx, id, &next)).is_some()
                                }
                            };
                            let (e1, e2, e3, e4, e5) = (edit.clone(), edit.clone(), edit.clone(), edit.clone(), edit);
                            let (cost_line, cost_task, cost_amount) = (cost.line, cost.task, cost.amount);
                            view! {
                                <tr data-testid="cost-row" data-amount=cost.amount>
                                    <td><input type="date" value=cost.date.to_string() aria-label=move || t().finance.date
                                        on:change=move |ev| {
                                            if let Ok(day) = event_target_value(&ev).parse::<Date>() {
                                                e1(&|c| c.date = day);
                                            }
                                        }/></td>
                                    <td><select aria-label=move || t().finance.category
                                        on:change=move |ev| {
                                            if let Ok(to) = event_target_value(&ev).parse::<ItemId>() {
                                                e2(&|c| c.line = to);
                                            }
                                        }>
                                        {move || line_options(Some(cost_line))}
                                    </select></td>
                                    <td><input class="money" inputmode="decimal" value=yuan(cost.amount)
                                        data-testid="cost-amount" aria-label=move || t().finance.amount
                                        on:change=move |ev| {
                                            let Some(input) = input_of(&ev) else { return };
                                            let Some(fen) = typed_amount(&input, cost_amount, errors) else { return };
                                            if !e3(&|c| c.amount = fen) {
                                                input.set_value(&yuan(cost_amount));
                                            }
                                        }/></td>
                                    <td><select aria-label=move || t().finance.task
                                        on:change=move |ev| {
                                            let to = event_target_value(&ev).parse::<TaskId>().ok();
                                            e4(&|c| c.task = to);
                                        }>
                                        {move || task_options(cost_task)}
                                    </select></td>
                                    <td><input value=cost.note.clone() aria-label=move || t().finance.note
                                        on:change=move |ev| {
                                            let text = event_target_value(&ev);
                                            e5(&|c| c.note = text.clone());
                                        }/></td>
                                    <td><button type="button" class="link" data-testid="remove-cost"
                                        on:click=move |_| { money.change(|tx| finance::remove_cost(tx, id)); }>
                                        {move || t().finance.remove}
                                    </button></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}
