use launchplan_shared::ItemId;
use launchplan_shared::domain::Command;
use launchplan_shared::domain::permissions::Part;
use leptos::prelude::*;

use super::DrawerTask;
use crate::contexts::{ProjectCtx, use_strings};

/// The task's checklist: tick items, add them (Enter), remove them.
#[component]
pub(crate) fn Checklist() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let here = expect_context::<DrawerTask>();
    let id = here.id;
    let items = Memo::new(move |_| here.with(|t| t.checklist.clone()).unwrap_or_default());
    let draft = RwSignal::new(String::new());
    let add = {
        let ctx = ctx.clone();
        move || {
            let command =
                Command::AddChecklistItem { id, item: ItemId::random(), text: draft.get_untracked() };
            if ctx.dispatch(command) {
                draft.set(String::new());
            }
        }
    };
    view! {
        <section class="drawer-section" data-testid="checklist">
            <p class="field">
                {move || t().checklist}" "
                <span class="muted">{move || items.with(|i| if i.is_empty() { String::new() } else { format!("{}/{}", i.iter().filter(|i| i.done).count(), i.len()) })}</span>
            </p>
            <ul class="checklist">
                <For each=move || items.get() key=|i| (i.id, i.text.clone(), i.done) let:item>
                    {
                        let (check, remove) = (ctx.clone(), ctx.clone());
                        let (item_id, done) = (item.id, item.done);
                        view! {
                            <li data-testid="checklist-item" data-done=done.to_string()>
                                <label>
                                    <input type="checkbox" data-testid="checklist-done" disabled=move || !may(Part::Content) prop:checked=done
                                        on:change=move |_| { check.dispatch(Command::CheckItem { id, item: item_id, done: !done }); }/>
                                    <span class:done=done>{item.text.clone()}</span>
                                </label>
                                <button class="link" data-testid="checklist-remove" disabled=move || !may(Part::Content) on:click=move |_| { remove.dispatch(Command::RemoveChecklistItem { id, item: item_id }); }>
                                    {move || t().remove}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <form class="row" on:submit=move |ev| { ev.prevent_default(); add(); }>
                <input type="text" data-testid="checklist-input" maxlength="500" disabled=move || !may(Part::Content) placeholder=move || t().add_item_placeholder
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))/>
                <button type="submit" data-testid="checklist-add" disabled=move || !may(Part::Content) || draft.with(|d| d.trim().is_empty())>{move || t().add}</button>
            </form>
        </section>
    }
}
