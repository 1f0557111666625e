use launchplan_shared::domain::Command;
use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::text_edit::{TextEdit, char_position, utf16_offset};
use leptos::html::Textarea;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::DrawerTask;
use crate::contexts::{ProjectCtx, use_strings};

/// The description, typed into by several people at once. Each input becomes one edit of the
/// document's text (what changed since the text last agreed with the document), so nothing
/// anyone typed is lost. While an input method composes (拼音), nothing is sent: the
/// composed characters go when `compositionend` commits them. A teammate's edit that
/// arrives moves this person's caret with the text around it.
#[component]
pub(crate) fn Description() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let here = expect_context::<DrawerTask>();
    let id = here.id;
    let area = NodeRef::<Textarea>::new();
    // The text as the document had it when the field last agreed with it.
    let agreed = StoredValue::new(String::new());
    let composing = StoredValue::new(false);
    let text = Memo::new(move |_| here.with(|t| t.description.as_str().to_owned()).unwrap_or_default());

    // The document's text into the field.
    Effect::new(move |_| {
        let doc = text.get();
        let Some(el) = area.get() else { return };
        if composing.get_value() {
            // Shown when the composition ends (see `send`).
            return;
        }
        let shown = el.value();
        if shown == doc {
            agreed.set_value(doc);
            return;
        }
        // The field shows what the document had before a teammate's edit: move the caret
        // through that edit.
        let caret = |offset: Option<u32>| offset.map(|o| char_position(&shown, o as usize));
        let (start, end) =
            (caret(el.selection_start().ok().flatten()), caret(el.selection_end().ok().flatten()));
        let theirs = TextEdit::between(&shown, &doc);
        el.set_value(&doc);
        agreed.set_value(doc.clone());
        if let (Some(theirs), Some(start), Some(end)) = (theirs, start, end) {
            let focused = leptos::prelude::document().active_element().is_some_and(|a| {
                let el: &web_sys::Element = el.as_ref();
                a == *el
            });
            if focused {
                let (start, end) =
                    (utf16_offset(&doc, theirs.map(start)), utf16_offset(&doc, theirs.map(end)));
                let _ = el.set_selection_range(start as u32, end as u32);
            }
        }
    });

    // The field's text into the document: what changed since it last agreed, moved past any
    // teammate's edit that came meanwhile.
    let send = move || {
        let Some(el) = area.get_untracked() else { return };
        let typed = el.value();
        let before = agreed.get_value();
        let Some(mine) = TextEdit::between(&before, &typed) else { return };
        let doc = text.get_untracked();
        let mine = match TextEdit::between(&before, &doc) {
            Some(theirs) => mine.after(&theirs),
            None => mine,
        };
        let expected = mine.apply(&doc);
        agreed.set_value(expected.clone());
        ctx.dispatch(Command::EditDescription {
            id,
            index: mine.index,
            delete: mine.delete,
            insert: mine.insert,
        });
        if el.value() != expected {
            el.set_value(&expected);
        }
    };
    let send_on_input = send.clone();
    view! {
        <section class="drawer-section">
            <label class="field">
                {move || t().description}
                <textarea
                    node_ref=area
                    data-testid="drawer-description"
                    disabled=move || !may(Part::Content)
                    rows="5"
                    placeholder=move || t().description_placeholder
                    on:compositionstart=move |_| composing.set_value(true)
                    on:compositionend=move |_| {
                        composing.set_value(false);
                        send();
                    }
                    on:input=move |ev: leptos::ev::Event| {
                        let composing_now = ev.dyn_ref::<web_sys::InputEvent>().is_some_and(web_sys::InputEvent::is_composing);
                        if !composing_now && !composing.get_value() {
                            send_on_input();
                        }
                    }
                >
                    {text.get_untracked()}
                </textarea>
            </label>
        </section>
    }
}
