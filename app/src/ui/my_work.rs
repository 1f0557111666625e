use launchplan_shared::DocumentId;
use launchplan_shared::plan::inbox::{Entry, Event};
use leptos::prelude::*;

use super::notification_settings::NotificationSettings;

use crate::contexts::{InboxCtx, ProjectRoute, Route, WorkspaceCtx, event_kind, member_names, use_strings};

/// The inbox (what happened that concerns me, newest first, unread marked) and my work
/// across the workspace's plans: overdue, due today, due this week, waiting for my approval,
/// where I was mentioned. Every entry links to its task.
#[component]
pub(crate) fn MyWorkPage() -> impl IntoView {
    let t = use_strings();
    let inbox = expect_context::<InboxCtx>();
    let workspace = expect_context::<WorkspaceCtx>();
    let ws = workspace.doc;
    let data = workspace.workspace;
    let name_of = member_names(data);
    let read = inbox.read;
    let all = {
        let inbox = inbox.clone();
        Memo::new(move |_| inbox.all())
    };
    let unread = Memo::new(move |_| {
        all.with(|all| read.with(|read| all.iter().filter(|(_, _, e)| !read.contains(&e.key)).count()))
    });
    let mark_all = {
        let inbox = inbox.clone();
        move |_| inbox.mark_read(all.get_untracked().into_iter().map(|(_, _, e)| e.key))
    };
    let section = move |i: usize, keep: fn(&Event) -> bool| {
        let items = Memo::new(move |_| {
            all.with(|all| all.iter().filter(|(_, _, e)| keep(&e.event)).cloned().collect::<Vec<_>>())
        });
        view! {
            <section class="card my-section" data-testid="my-section" data-section=i.to_string()>
                <h2>{move || t().my_sections[i]}" "<span class="muted">{move || items.with(Vec::len)}</span></h2>
                <Show when=move || items.with(|i| !i.is_empty()) fallback=move || view! { <p class="muted">{move || t().nothing_here}</p> }>
                    <ul class="entries">
                        <For each=move || items.get() key=|(doc, _, e)| (*doc, e.key.clone()) let:item>
                            <li data-testid="my-task">
                                {link(ws, &item)}" "
                                <span class="muted">{ let event = item.2.event.clone(); move || t().event_text(&event, &name_of) }</span>
                            </li>
                        </For>
                    </ul>
                </Show>
            </section>
        }
    };
    view! {
        <section class="my-work" data-testid="my-work">
            <h1>{move || t().my_work}</h1>
            <section class="card" data-testid="inbox">
                <div class="task-head">
                    <h2>{move || t().inbox}" "<span class="badge" data-testid="inbox-unread">{move || unread.get()}</span></h2>
                    <button class="link" data-testid="mark-all-read" disabled=move || unread.get() == 0 on:click=mark_all>{move || t().mark_all_read}</button>
                </div>
                <Show when=move || all.with(|a| !a.is_empty()) fallback=move || view! { <p class="muted">{move || t().inbox_empty}</p> }>
                    { let inbox = inbox.clone(); view! { <ul class="entries">
                        <For each=move || all.get() key=|(doc, _, e)| (*doc, e.key.clone()) let:item>
                            {
                                let key = item.2.key.clone();
                                let is_read = { let key = key.clone(); move || read.with(|r| r.contains(&key)) };
                                let inbox = inbox.clone();
                                let kind = event_kind(&item.2.event);
                                view! {
                                    <li class="entry" class:read=is_read.clone() data-testid="inbox-entry" data-kind=kind data-read=move || is_read().to_string()>
                                        {link(ws, &item)}
                                        <span class="muted">" · "{item.1.clone()}</span>
                                        <p data-testid="inbox-text">{ let event = item.2.event.clone(); move || t().event_text(&event, &name_of) }</p>
                                        {
                                            let key2 = item.2.key.clone();
                                            move || (!read.with(|r| r.contains(&key))).then(|| {
                                                let (inbox, key) = (inbox.clone(), key2.clone());
                                                view! { <button class="link" data-testid="mark-read" on:click=move |_| inbox.mark_read([key.clone()])>{move || t().mark_read}</button> }
                                            })
                                        }
                                    </li>
                                }
                            }
                        </For>
                    </ul> } }
                </Show>
            </section>
            {section(0, |e| matches!(e, Event::Overdue { .. }))}
            {section(1, |e| matches!(e, Event::DueSoon { days: 0, .. }))}
            {section(2, |e| matches!(e, Event::DueSoon { days, .. } if *days > 0))}
            {section(3, |e| matches!(e, Event::ApprovalWaiting))}
            {section(4, |e| matches!(e, Event::Mentioned { .. }))}
            <NotificationSettings/>
        </section>
    }
}

/// The task's title, linking to it in its plan.
fn link(workspace: DocumentId, (doc, _, entry): &(DocumentId, String, Entry)) -> impl IntoView + use<> {
    let href =
        Route::Project(ProjectRoute { workspace: Some(workspace), doc: *doc, task: Some(entry.task) }).href();
    view! { <a data-testid="entry-link" href=href>{entry.title.clone()}</a> }
}
