use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{Command, Date};
use leptos::prelude::*;

use super::DrawerTask;
use crate::contexts::{Identity, ProjectCtx, WorkspaceCtx, member_names, use_strings};

/// Hours worked: each entry (who, which day, how long), their total against the estimate,
/// and a form to log more. People remove their own entries (the domain lets an admin remove
/// anyone's; the drawer offers each person theirs).
#[component]
pub(crate) fn TimeEntries() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let here = expect_context::<DrawerTask>();
    let me = expect_context::<Identity>().member;
    let name_of = member_names(expect_context::<WorkspaceCtx>().workspace);
    let id = here.id;
    let entries = Memo::new(move |_| {
        let mut entries = here.with(|t| t.time_entries.clone()).unwrap_or_default();
        entries.sort_by_key(|e| std::cmp::Reverse(e.date));
        entries
    });
    let total = move || entries.with(|e| e.iter().map(|e| e.hours).sum::<f64>());
    let estimate = move || here.with(|t| t.estimate_hours).flatten();
    let day = RwSignal::new(crate::contexts::today().to_string());
    // Not bound to the field's value: while "2." is typed a number field's value reads "",
    // and writing that back would throw the "2." away.
    let hours = RwSignal::new(String::new());
    let hours_field = NodeRef::<leptos::html::Input>::new();
    let log = {
        let ctx = ctx.clone();
        move || {
            let (Ok(date), Ok(amount)) =
                (day.get_untracked().parse::<Date>(), hours.get_untracked().trim().parse::<f64>())
            else {
                return;
            };
            if ctx.dispatch(Command::LogTime { id, date, hours: amount }) {
                hours.set(String::new());
                if let Some(field) = hours_field.get_untracked() {
                    field.set_value("");
                }
            }
        }
    };
    view! {
        <section class="drawer-section" data-testid="time-entries">
            <p class="field">
                {move || t().time_spent}" "
                <span class="muted" data-testid="time-total">{move || match estimate() {
                    Some(e) => format!("{} / {} h", hours_text(total()), hours_text(e)),
                    None => format!("{} h", hours_text(total())),
                }}</span>
            </p>
            <ul class="time-entries">
                <For each=move || entries.get() key=|e| e.id let:entry>
                    {
                        let ctx = ctx.clone();
                        let entry_id = entry.id;
                        let mine = entry.member == me;
                        view! {
                            <li data-testid="time-entry">
                                <span>{entry.date.to_string()}</span>
                                <span>{move || name_of(entry.member)}</span>
                                <span>{format!("{} h", hours_text(entry.hours))}</span>
                                {mine.then(|| view! {
                                    <button class="link" data-testid="time-remove" disabled=move || !may(Part::Details) on:click=move |_| { ctx.dispatch(Command::RemoveTimeEntry { id, entry: entry_id }); }>
                                        {move || t().remove}
                                    </button>
                                })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <form class="row" on:submit=move |ev| { ev.prevent_default(); log(); }>
                <input type="date" data-testid="time-date" disabled=move || !may(Part::Details) prop:value=move || day.get() on:change=move |ev| day.set(event_target_value(&ev))/>
                <input type="number" data-testid="time-hours" disabled=move || !may(Part::Details) min="0.25" max="24" step="0.25" placeholder=move || t().hours_placeholder
                    node_ref=hours_field on:input=move |ev| hours.set(event_target_value(&ev))/>
                <button type="submit" data-testid="log-time" disabled=move || !may(Part::Details) || hours.with(|h| h.trim().parse::<f64>().is_err())>{move || t().log_time}</button>
            </form>
        </section>
    }
}

/// Hours without a trailing `.0`.
fn hours_text(hours: f64) -> String {
    // `+ 0.0`: an empty sum is -0.0.
    let rounded = (hours * 100.0).round() / 100.0 + 0.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded}") }
}
