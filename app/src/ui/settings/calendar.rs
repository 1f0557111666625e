use launchplan_shared::domain::{CHINA_HOLIDAYS_THROUGH, Date, WorkspaceCommand};
use leptos::prelude::*;

use crate::contexts::{WorkspaceCtx, use_strings};

/// Working weekdays, holidays and 调休 make-up days.
#[component]
pub(crate) fn CalendarSettings() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let can_edit = expect_context::<Memo<bool>>();
    let data = workspace.workspace;
    let calendar = Memo::new(move |_| {
        data.with(|w| w.as_ref().map(|w| w.settings.calendar.clone()).unwrap_or_default())
    });
    let toggle = {
        let workspace = workspace.clone();
        move |day: usize| {
            let mut weekdays = calendar.get_untracked().weekdays;
            weekdays.resize(7, false);
            weekdays[day] = !weekdays[day];
            workspace.dispatch(WorkspaceCommand::SetWeekdays { weekdays });
        }
    };
    view! {
        <section class="card" data-testid="calendar-settings">
            <h2>{move || t().calendar}</h2>
            <p class="muted" data-testid="china-days-through">{move || (t().china_days_through)(CHINA_HOLIDAYS_THROUGH)}</p>
            <p class="field">{move || t().weekdays}</p>
            <div class="weekdays">
                {(0..7).map(|day| {
                    let toggle = toggle.clone();
                    view! {
                        <label class="weekday">
                            <input type="checkbox" data-testid="weekday" disabled=move || !can_edit.get()
                                prop:checked=move || calendar.with(|c| c.weekdays.get(day).copied().unwrap_or(false))
                                on:change=move |_| toggle(day)/>
                            {move || t().weekday_names[day]}
                        </label>
                    }
                }).collect_view()}
            </div>
            <DayList
                title=Signal::derive(move || t().holidays)
                testid="holidays"
                days=Signal::derive(move || calendar.get().holidays)
                add=Callback::new({ let w = workspace.clone(); move |date| { w.dispatch(WorkspaceCommand::AddHoliday { date }); } })
                remove=Callback::new({ let w = workspace.clone(); move |date| { w.dispatch(WorkspaceCommand::RemoveHoliday { date }); } })
            />
            <DayList
                title=Signal::derive(move || t().makeup_days)
                testid="makeup-days"
                days=Signal::derive(move || calendar.get().extra_workdays)
                add=Callback::new({ let w = workspace.clone(); move |date| { w.dispatch(WorkspaceCommand::AddMakeupDay { date }); } })
                remove=Callback::new({ let w = workspace.clone(); move |date| { w.dispatch(WorkspaceCommand::RemoveMakeupDay { date }); } })
            />
        </section>
    }
}

/// A list of days with a way to add and remove them.
#[component]
fn DayList(
    title: Signal<&'static str>,
    testid: &'static str,
    days: Signal<Vec<Date>>,
    add: Callback<Date>,
    remove: Callback<Date>,
) -> impl IntoView {
    let t = use_strings();
    let can_edit = expect_context::<Memo<bool>>();
    let draft = RwSignal::new(String::new());
    // Days of past years matter little once they are gone: they fold away behind one button.
    let this_year = crate::contexts::today().ymd().0;
    let show_past = RwSignal::new(false);
    let past = move || days.with(|days| days.iter().filter(|d| d.ymd().0 < this_year).count());
    let shown = move || {
        let all = show_past.get();
        days.with(|days| days.iter().copied().filter(|d| all || d.ymd().0 >= this_year).collect::<Vec<_>>())
    };
    view! {
        <div class="day-list" data-testid=testid>
            <p class="field">{title}</p>
            <Show when=move || !show_past.get() && past() != 0>
                <button class="link" data-testid="show-earlier-days" on:click=move |_| show_past.set(true)>
                    {move || (t().earlier_days)(past())}
                </button>
            </Show>
            <ul>
                <For each=shown key=|d| *d let:day>
                    <li data-testid="day" data-day=day.to_string()>
                        {day.to_string()}
                        <button class="link" disabled=move || !can_edit.get() on:click=move |_| remove.run(day)>{move || t().remove}</button>
                    </li>
                </For>
            </ul>
            <form class="row" on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(date) = draft.get_untracked().parse::<Date>() {
                    add.run(date);
                    draft.set(String::new());
                }
            }>
                <input type="date" data-testid="day-input" disabled=move || !can_edit.get()
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))/>
                <button type="submit" data-testid="add-day" disabled=move || !can_edit.get() || draft.with(|d| d.parse::<Date>().is_err())>{move || t().add}</button>
            </form>
        </div>
    }
}
