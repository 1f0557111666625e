use std::collections::BTreeSet;

use launchplan_shared::TaskId;
use launchplan_shared::domain::{ApprovalState, Command, Status};
use leptos::prelude::*;

use crate::contexts::{ProjectCtx, WorkspaceCtx, members_by_name, use_strings};

/// The tasks ticked in the list, for bulk edits.
#[derive(Clone, Copy)]
pub(crate) struct Selection(pub(crate) RwSignal<BTreeSet<TaskId>>);

impl Selection {
    pub(crate) fn has(&self, id: TaskId) -> bool {
        self.0.with(|s| s.contains(&id))
    }

    pub(crate) fn toggle(&self, id: TaskId) {
        self.0.update(|s| {
            if !s.remove(&id) {
                s.insert(id);
            }
        });
    }
}

/// What to do to every selected task at once: set the status, set who does it, or shift
/// them by working days (what waits for them follows when the plan says so). Each is one
/// change, taken back by one undo.
#[component]
pub(crate) fn BulkBar(selection: Selection) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let people = members_by_name(expect_context::<WorkspaceCtx>().workspace);
    let selected = selection.0;
    // Tasks deleted meanwhile (here or by a teammate) leave the selection.
    let order = ctx.order;
    Effect::new(move |_| {
        let known: BTreeSet<TaskId> = order.with(|o| o.iter().copied().collect());
        if selected.with_untracked(|s| s.iter().any(|id| !known.contains(id))) {
            selected.update(|s| s.retain(|id| known.contains(id)));
        }
    });
    let note = RwSignal::new(None::<String>);
    let ids = move || selected.get_untracked().into_iter().collect::<Vec<_>>();
    let set_status = {
        let ctx = ctx.clone();
        move |status: Status| {
            let now = js_sys::Date::now() as i64;
            // Done needs approval where a task asks for it: those stay as they are, and we say so.
            let (ready, waiting): (Vec<TaskId>, Vec<TaskId>) = ids().into_iter().partition(|id| {
                !status.is_done()
                    || ctx.task(*id).is_none_or(|e| {
                        e.with_untracked(|e| {
                            e.task
                                .approval
                                .as_ref()
                                .is_none_or(|a| matches!(a.state, ApprovalState::Approved { .. }))
                        })
                    })
            });
            let commands = ready
                .into_iter()
                .map(|id| Command::SetStatus { id, status: status.clone(), at: now })
                .collect();
            if ctx.dispatch(Command::Batch { commands }) {
                note.set((!waiting.is_empty()).then(|| (t().left_for_approval)(waiting.len())));
            }
        }
    };
    let assign = {
        let ctx = ctx.clone();
        move |member: Option<launchplan_shared::MemberId>| {
            let members: Vec<_> = member.into_iter().collect();
            let commands =
                ids().into_iter().map(|id| Command::Assign { id, members: members.clone() }).collect();
            ctx.dispatch(Command::Batch { commands });
        }
    };
    let shift_days = RwSignal::new(String::from("1"));
    let shift = {
        let ctx = ctx.clone();
        move || {
            let Ok(n) = shift_days.get_untracked().trim().parse::<i32>() else { return };
            if n == 0 {
                return;
            }
            let mut moves: Vec<_> = ctx.schedule.with_untracked(|s| {
                ids()
                    .into_iter()
                    .filter_map(|id| {
                        let start = ctx
                            .task(id)
                            .and_then(|e| e.with_untracked(|e| e.task.start))
                            .or_else(|| s.as_ref()?.tasks.get(&id).map(|p| p.start))?;
                        Some((id, ctx.working_days_after(start, n)))
                    })
                    .collect()
            });
            // A task moved before one it waits for would be held back by it.
            ctx.dependencies_first(&mut moves);
            if !moves.is_empty() {
                ctx.move_tasks(&moves);
            }
        }
    };
    view! {
        <Show when=move || selected.with(|s| !s.is_empty())>
            <div class="bulk-bar" data-testid="bulk-bar">
                <strong data-testid="bulk-count">{move || (t().selected_count)(selected.with(BTreeSet::len))}</strong>
                <select data-testid="bulk-status" on:change={
                    let set_status = set_status.clone();
                    move |ev| {
                        let select = event_target::<web_sys::HtmlSelectElement>(&ev);
                        let key = select.value();
                        select.set_value("");
                        if !key.is_empty() {
                            set_status(Status::from_key(&key));
                        }
                    }
                }>
                    <option value="">{move || t().set_status}</option>
                    {Status::DEFAULTS.iter().map(|s| {
                        let (key, s) = (s.key().to_owned(), s.clone());
                        view! { <option value=key>{move || t().status(&s)}</option> }
                    }).collect_view()}
                </select>
                <select data-testid="bulk-assignee" on:change={
                    let assign = assign.clone();
                    move |ev| {
                        let select = event_target::<web_sys::HtmlSelectElement>(&ev);
                        let value = select.value();
                        select.set_value("");
                        match value.as_str() {
                            "" => {}
                            "none" => assign(None),
                            id => if let Ok(id) = id.parse() { assign(Some(id)) },
                        }
                    }
                }>
                    <option value="">{move || t().set_assignee}</option>
                    <option value="none">{move || t().nobody}</option>
                    <For each=move || people.get() key=|p| p.clone() let:person>
                        <option value=person.0.to_string()>{person.1.clone()}</option>
                    </For>
                </select>
                <form class="row" on:submit={
                    let shift = shift.clone();
                    move |ev| { ev.prevent_default(); shift(); }
                }>
                    <label>{move || t().shift_by}" "
                        <input type="number" data-testid="bulk-shift-days" step="1" min="-365" max="365"
                            prop:value=move || shift_days.get() on:change=move |ev| shift_days.set(event_target_value(&ev))/>
                        " "{move || t().working_days_word}
                    </label>
                    <button type="submit" data-testid="bulk-shift">{move || t().shift}</button>
                </form>
                <button type="button" class="link" data-testid="bulk-clear" on:click=move |_| { selected.set(BTreeSet::new()); note.set(None); }>
                    {move || t().clear_selection}
                </button>
                {move || note.get().map(|n| view! { <span class="muted" data-testid="bulk-note">{n}</span> })}
            </div>
        </Show>
    }
}
