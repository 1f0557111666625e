use launchplan_shared::domain::WorkspaceCommand;
use leptos::prelude::*;

use crate::contexts::{LocaleCtx, WorkspaceCtx, use_strings};
use crate::i18n::Locale;

/// The workspace's name, language, and whether viewers may comment.
#[component]
pub(crate) fn GeneralSettings() -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let can_edit = expect_context::<Memo<bool>>();
    let locale = expect_context::<LocaleCtx>().0;
    let data = workspace.workspace;
    let name = move || data.with(|w| w.as_ref().map(|w| w.name.clone()).unwrap_or_default());
    let language = move || data.with(|w| w.as_ref().map(|w| w.settings.locale.clone()).unwrap_or_default());
    let rename = {
        let workspace = workspace.clone();
        move |value: String| {
            workspace.dispatch(WorkspaceCommand::Rename { name: value });
        }
    };
    let viewers_comment = move || data.with(|w| w.as_ref().is_some_and(|w| w.settings.viewers_may_comment));
    let allow_comments = {
        let workspace = workspace.clone();
        move |allowed: bool| {
            workspace.dispatch(WorkspaceCommand::SetViewersMayComment { allowed });
        }
    };
    let set_language = move |value: String| {
        if workspace.dispatch(WorkspaceCommand::SetLocale { locale: value.clone() }) {
            locale.set(Locale::from_tag(&value));
        }
    };
    view! {
        <section class="card">
            <label class="field">
                {move || t().workspace_name}
                <input type="text" maxlength="500" data-testid="workspace-name-input" disabled=move || !can_edit.get()
                    prop:value=name on:change=move |ev| rename(event_target_value(&ev))/>
            </label>
            <label class="field">
                {move || t().language}
                <select data-testid="workspace-language" disabled=move || !can_edit.get() on:change=move |ev| set_language(event_target_value(&ev))>
                    <option value="zh-CN" selected=move || language() == "zh-CN">"中文"</option>
                    <option value="en" selected=move || language() == "en">"English"</option>
                </select>
            </label>
            <label class="field inline">
                <input type="checkbox" data-testid="viewers-may-comment" disabled=move || !can_edit.get()
                    prop:checked=viewers_comment on:change=move |ev| allow_comments(event_target_checked(&ev))/>
                {move || t().viewers_may_comment}
            </label>
        </section>
    }
}
