use launchplan_shared::domain::permissions::Part;
use launchplan_shared::domain::{Attachment, Command};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::DrawerTask;
use crate::contexts::{
    BlobError, BlobsCtx, LocaleCtx, ProjectCtx, RepoCtx, object_url, size_text, use_strings,
};

/// Files on the task: add from the computer (several at once), open, download, remove. An
/// image shows a preview. Each opens from this browser's copy when there is one.
#[component]
pub(crate) fn Attachments() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let blobs = expect_context::<BlobsCtx>();
    let locale = expect_context::<LocaleCtx>().0;
    let here = expect_context::<DrawerTask>();
    let id = here.id;
    let files = Memo::new(move |_| here.with(|t| t.attachments.clone()).unwrap_or_default());
    let problem = RwSignal::new(None::<BlobError>);
    let waiting = blobs.waiting;
    let add = {
        let ctx = ctx.clone();
        move |ev: leptos::ev::Event| {
            let input = event_target::<web_sys::HtmlInputElement>(&ev);
            let Some(list) = input.files() else { return };
            let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            problem.set(None);
            for file in chosen {
                let (ctx, blobs) = (ctx.clone(), blobs.clone());
                spawn_local(async move {
                    match blobs.add(&file).await {
                        Ok(attachment) => {
                            ctx.dispatch(Command::Attach { id, attachment });
                        }
                        Err(e) => {
                            let _ = problem.try_set(Some(e));
                        }
                    }
                });
            }
        }
    };
    view! {
        <section class="drawer-section" data-testid="attachments">
            <p class="field">{move || t().attachments}</p>
            <ul class="attachments">
                <For each=move || files.get() key=|a| a.hash.clone() let:file>
                    <AttachmentItem file=file/>
                </For>
            </ul>
            {move || problem.get().map(|e| view! {
                <p class="notice error" data-testid="attachment-error">{move || e.text(locale.get())}</p>
            })}
            <Show when=move || { waiting.get() > 0 }>
                <p class="muted" data-testid="attachments-waiting">{move || (t().files_waiting)(waiting.get())}</p>
            </Show>
            <label class="button file-button">
                {move || t().attach_files}
                <input type="file" multiple data-testid="attachment-input" disabled=move || !may(Part::Content) on:change=add/>
            </label>
        </section>
    }
}

/// What one file shows while it loads.
#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Ready(String),
    Failed(BlobError),
}

#[component]
fn AttachmentItem(file: Attachment) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let may = ctx.may_fn();
    let blobs = expect_context::<BlobsCtx>();
    let locale = expect_context::<LocaleCtx>().0;
    let connection = expect_context::<RepoCtx>().transport().connection;
    let id = expect_context::<DrawerTask>().id;
    let doc = ctx.doc;
    let loaded = RwSignal::new(Loaded::Loading);
    // Loads the file; one not reachable yet is tried again when the relay is back.
    {
        let (hash, mime) = (file.hash.clone(), file.mime.clone());
        Effect::new(move |_| {
            connection.track();
            if matches!(loaded.get_untracked(), Loaded::Ready(_)) {
                return;
            }
            let (blobs, hash, mime) = (blobs.clone(), hash.clone(), mime.clone());
            spawn_local(async move {
                let result = blobs.bytes(doc, &hash).await.and_then(|bytes| object_url(&bytes, &mime));
                let next = match result {
                    Ok(url) => Loaded::Ready(url),
                    Err(e) => Loaded::Failed(e),
                };
                if let Some(Loaded::Ready(url)) = loaded.try_set(next) {
                    // Gone meanwhile: nothing shows it.
                    let _ = web_sys::Url::revoke_object_url(&url);
                }
            });
        });
    }
    on_cleanup(move || {
        if let Some(Loaded::Ready(url)) = loaded.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    let url = move || match loaded.get() {
        Loaded::Ready(url) => Some(url),
        _ => None,
    };
    let image = file.mime.starts_with("image/");
    let (name, hash) = (file.name.clone(), file.hash.clone());
    let size = size_text(file.size);
    let remove = move |_| {
        ctx.dispatch(Command::Detach { id, hash: hash.clone() });
    };
    view! {
        <li data-testid="attachment" data-hash=file.hash.clone() data-state=move || match loaded.get() {
            Loaded::Loading => "loading",
            Loaded::Ready(_) => "ready",
            Loaded::Failed(_) => "failed",
        }>
            {move || (image && url().is_some()).then(|| view! {
                <a href=url target="_blank" rel="noopener">
                    <img class="preview" data-testid="attachment-preview" src=url alt=name.clone()/>
                </a>
            })}
            <span class="attachment-name">
                <a data-testid="attachment-open" href=url target="_blank" rel="noopener">{file.name.clone()}</a>
                " "<span class="muted">{size}</span>
            </span>
            {move || url().map(|href| view! {
                <a class="link" data-testid="attachment-download" href=href download=file.name.clone()>{move || t().download}</a>
            })}
            <button class="link" data-testid="attachment-remove" disabled=move || !may(Part::Content) on:click=remove>{move || t().remove}</button>
            {move || match loaded.get() {
                Loaded::Failed(e) => Some(view! { <p class="muted" data-testid="attachment-unavailable">{move || e.text(locale.get())}</p> }),
                _ => None,
            }}
        </li>
    }
}
