use launchplan_shared::TaskId;
use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{Command, Date};
use leptos::prelude::*;

use crate::contexts::{ProjectCtx, use_strings};

/// The plan's name (renamed in place), kind and progress.
#[component]
pub(crate) fn ProjectTitle() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let (meta, progress) = (ctx.meta, ctx.progress);
    let may = ctx.may_fn();
    // The launch brought forward by this many working days while open work is dated (a plan
    // from a template). A later launch moves the plan's start and what follows from it; an
    // earlier one leaves dated work on its days (they are the earliest it may start), so the
    // plan goes red unless the person moves that work too. The offer holds for the launch day
    // it was made for: undone, or changed by a teammate, it goes.
    let offer = RwSignal::new(None::<(Date, i32, usize)>);
    let shown_offer = move || {
        let launch = meta.with(|m| m.as_ref().and_then(|m| m.launch));
        offer.get().filter(|(day, _, _)| Some(*day) == launch).map(|(_, days, dated)| (days, dated))
    };
    let set_launch = {
        let ctx = ctx.clone();
        move |ev: leptos::ev::Event| {
            let typed = event_target_value(&ev);
            let launch = typed.parse::<Date>().ok();
            if launch.is_none() && !typed.is_empty() {
                return;
            }
            let before = meta.with_untracked(|m| m.as_ref().and_then(|m| m.launch));
            if ctx.dispatch(Command::SetLaunch { launch }) {
                let days = before.zip(launch).map(|(a, b)| ctx.working_days_between(a, b)).unwrap_or(0);
                let dated = ctx.open_dated().len();
                offer.set(launch.filter(|_| days < 0 && dated > 0).map(|day| (day, days, dated)));
            }
        }
    };
    let move_with_launch = {
        let ctx = ctx.clone();
        move |_| {
            let Some((days, _)) = shown_offer() else { return };
            let mut moves: Vec<(TaskId, Date)> = ctx
                .open_dated()
                .into_iter()
                // Not into the past: today at the earliest.
                .map(|(id, start)| (id, ctx.working_days_after(start, days).max(crate::contexts::today())))
                .collect();
            ctx.dependencies_first(&mut moves);
            if moves.is_empty() || ctx.move_tasks(&moves) {
                offer.set(None);
            }
        }
    };
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let save = move || {
        if ctx.dispatch(Command::RenameProject { name: draft.get_untracked() }) {
            editing.set(false);
        }
    };
    let name = move || meta.with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    view! {
        {move || if editing.get() {
            let save = save.clone();
            let field = crate::ui::focus::focused_field();
            view! {
                <form class="rename-project" on:submit=move |ev| { ev.prevent_default(); save(); }>
                    <input
                        type="text"
                        data-testid="project-name-input"
                        maxlength="500"
                        node_ref=field
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { editing.set(false) }
                    />
                    <button type="submit">{move || t().save}</button>
                </form>
            }.into_any()
        } else {
            view! {
                <h1 data-testid="project-name" title=move || t().rename_project on:click=move |_| {
                    draft.set(name());
                    editing.set(true);
                }>{name}</h1>
            }.into_any()
        }}
        <p class="meta">
            <span class="kind">{move || meta.with(|m| m.as_ref().map(|m| t().kind(m.kind)).unwrap_or_default())}</span>
            <span class="progress" data-testid="progress">{move || { let (done, all) = progress.get(); (t().done_of)(done, all) }}</span>
            <label class="launch">
                {move || t().scenario.launch}" "
                <input type="date" data-testid="plan-launch" disabled=move || !may(Part::Schedule)
                    prop:value=move || meta.with(|m| m.as_ref().and_then(|m| m.launch).map(|d| d.to_string())).unwrap_or_default()
                    on:change=set_launch/>
            </label>
        </p>
        {move || shown_offer().map(|(days, dated)| view! {
            <p class="launch-moved" data-testid="launch-moved" role="status" data-days=days>
                {(t().scenario.launch_moved)(days, dated)}" "
                <button type="button" data-testid="launch-move-tasks" on:click=move_with_launch.clone()>
                    {t().scenario.move_them}
                </button>" "
                <button type="button" data-testid="launch-keep-tasks" on:click=move |_| offer.set(None)>
                    {t().scenario.keep_them}
                </button>
            </p>
        })}
    }
}
