use launchplan_shared::MemberId;
use launchplan_shared::domain::permissions::may_comment;
use leptos::html::Textarea;
use leptos::prelude::*;

use super::DrawerTask;
use crate::contexts::{CommentsCtx, ProjectCtx, WorkspaceCtx, member_names, use_strings};

/// How many members the @ list offers.
const SUGGESTIONS: usize = 6;

/// Comments, oldest first, each with its author and the members it mentions (stored by id,
/// so a renamed member is still the one mentioned). Typing `@` offers the workspace's members.
/// They live in the plan's comments document: viewers may write them where the workspace
/// lets them, without being able to change the plan.
#[component]
pub(crate) fn Comments() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let kept = expect_context::<CommentsCtx>();
    let here = expect_context::<DrawerTask>();
    let workspace = expect_context::<WorkspaceCtx>();
    let data = workspace.workspace;
    let id = here.id;
    let comments = {
        let kept = kept.clone();
        Memo::new(move |_| kept.of(id, &here.with(|t| t.comments.clone()).unwrap_or_default()))
    };
    // A plan opened outside any workspace (no roles) restricts nothing.
    let roles = ctx.roles;
    let viewers =
        Memo::new(move |_| data.with(|w| w.as_ref().is_none_or(|w| w.settings.viewers_may_comment)));
    let ready = kept.ready;
    let may_write = move || {
        ready.get()
            && roles.with(|roles| roles.as_deref().is_none_or(|roles| may_comment(roles, viewers.get())))
    };
    let name_of = member_names(data);
    let draft = RwSignal::new(String::new());
    let area = NodeRef::<Textarea>::new();
    // The `@name` being typed just before the caret, if any: (where its `@` is, what follows).
    let caret = RwSignal::new(0usize);
    let mention = Memo::new(move |_| {
        let text = draft.get();
        let before: String = text.chars().take(caret.get()).collect();
        let at = before.rfind('@')?;
        let query = &before[at + 1..];
        (!query.chars().any(char::is_whitespace)).then(|| (before[..at].chars().count(), query.to_owned()))
    });
    let suggestions = Memo::new(move |_| {
        let Some((_, query)) = mention.get() else { return Vec::new() };
        let query = query.to_lowercase();
        data.with(|w| {
            let mut found: Vec<(MemberId, String)> = w
                .as_ref()
                .map(|w| {
                    w.members
                        .values()
                        .filter(|m| m.name.to_lowercase().contains(&query))
                        .map(|m| (m.id, m.name.clone()))
                        .collect()
                })
                .unwrap_or_default();
            found.sort_by(|a, b| {
                (!a.1.to_lowercase().starts_with(&query), &a.1)
                    .cmp(&(!b.1.to_lowercase().starts_with(&query), &b.1))
            });
            found.truncate(SUGGESTIONS);
            found
        })
    });
    let track_caret = move || {
        if let Some(el) = area.get_untracked() {
            let text = el.value();
            let offset = el.selection_start().ok().flatten().unwrap_or(0) as usize;
            caret.set(launchplan_shared::domain::text_edit::char_position(&text, offset));
        }
    };
    let pick = move |name: String| {
        let Some((at, query)) = mention.get_untracked() else { return };
        let text = draft.get_untracked();
        let chars: Vec<char> = text.chars().collect();
        let end = (at + 1 + query.chars().count()).min(chars.len());
        let inserted = format!("@{name} ");
        let next: String =
            chars[..at].iter().copied().chain(inserted.chars()).chain(chars[end..].iter().copied()).collect();
        let new_caret = at + inserted.chars().count();
        draft.set(next.clone());
        caret.set(new_caret);
        if let Some(el) = area.get_untracked() {
            el.set_value(&next);
            let _ = el.focus();
            let offset = launchplan_shared::domain::text_edit::utf16_offset(&next, new_caret) as u32;
            let _ = el.set_selection_range(offset, offset);
        }
    };
    let send = move || {
        let members: Vec<_> =
            data.with_untracked(|w| w.iter().flat_map(|w| w.members.values().cloned()).collect());
        if kept.post(id, workspace.my_id(), &draft.get_untracked(), &members) {
            draft.set(String::new());
            caret.set(0);
        }
    };
    view! {
        <section class="drawer-section" data-testid="comments">
            <p class="field">{move || t().comments}</p>
            <ul class="comments">
                <For each=move || comments.get() key=|c| c.id let:comment>
                    {
                        let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(comment.at as f64));
                        let when = String::from(when.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED));
                        let mentions = comment.mentions.clone();
                        let author = comment.author;
                        view! {
                            <li class="comment" data-testid="comment">
                                <p class="comment-head"><strong data-testid="comment-author">{move || name_of(author)}</strong>" "<span class="muted">{when}</span></p>
                                <p class="comment-body" data-testid="comment-body">{comment.body.clone()}</p>
                                {(!mentions.is_empty()).then(|| view! {
                                    <p class="muted">
                                        {move || t().mentions_label}": "
                                        {mentions.iter().map(|m| {
                                            let m = *m;
                                            view! { <span class="chip" data-testid="comment-mention" data-member-id=m.to_string()>"@"{move || name_of(m)}</span> }
                                        }).collect_view()}
                                    </p>
                                })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <form class="comment-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
                <textarea node_ref=area data-testid="comment-input" rows="2" maxlength="5000" disabled=move || !may_write()
                    placeholder=move || t().comment_placeholder
                    prop:value=move || draft.get()
                    on:input=move |ev| { draft.set(event_target_value(&ev)); track_caret(); }
                    on:keyup=move |_| track_caret()
                    on:click=move |_| track_caret()
                ></textarea>
                <ul class="mention-options">
                    <For each=move || suggestions.get() key=|s| s.0 let:person>
                        {
                            let name = person.1.clone();
                            view! {
                                <li>
                                    <button type="button" class="chip" data-testid="mention-option" data-member-id=person.0.to_string()
                                        on:click=move |_| pick(name.clone())>
                                        "@"{person.1.clone()}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <button type="submit" data-testid="comment-send" disabled=move || !may_write() || draft.with(|d| d.trim().is_empty())>{move || t().send}</button>
            </form>
        </section>
    }
}
