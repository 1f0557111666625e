use launchplan_shared::MemberId;
use launchplan_shared::domain::Status;
use launchplan_shared::domain::history::{FieldChange, task_history};
use leptos::prelude::*;

use super::DrawerTask;
use crate::contexts::{ProjectCtx, RepoCtx, WorkspaceCtx, local_time, member_names, use_strings};
use crate::i18n::Strings;

/// The most changes the drawer lists.
const SHOWN: usize = 100;

/// Who changed which field, when, and from what to what: read from the document's own
/// history when opened (it reads every change of the plan once), and again as the task
/// changes while it is open.
#[component]
pub(crate) fn History() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let repo = expect_context::<RepoCtx>();
    let here = expect_context::<DrawerTask>();
    let name_of = member_names(expect_context::<WorkspaceCtx>().workspace);
    let (doc, task) = (ctx.doc, here.id);
    let open = RwSignal::new(false);
    let changes = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        here.entry.track();
        let changes = repo.with_doc(doc, |d| task_history(d, task, SHOWN * 4)).unwrap_or_default();
        let mut merged = merge_runs(changes);
        merged.truncate(SHOWN);
        merged
    });
    view! {
        <details class="drawer-section history" data-testid="history" on:toggle=move |ev| {
            open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open());
        }>
            <summary class="field">{move || t().history}</summary>
            <ol class="history-list">
                <For each=move || changes.get() key=|c| c.clone() let:change>
                    {
                        let when = change.at.map(local_time);
                        let by = change.by;
                        let who = move || by.map(name_of).unwrap_or_else(|| t().someone_earlier.to_owned());
                        let field = change.field.clone();
                        let what = {
                            let field = field.clone();
                            move || field_label(t(), &field)
                        };
                        let value = move |v: &Option<String>| shown(t(), &change.field, v.as_deref(), name_of);
                        let (before, after) = (value(&change.before), value(&change.after));
                        view! {
                            <li data-testid="history-entry" data-field=field>
                                <span class="muted">{when}</span>" "
                                <strong data-testid="history-who">{who}</strong>" "
                                <span data-testid="history-field">{what}</span>": "
                                <span class="before" data-testid="history-before">{before}</span>
                                " → "
                                <span data-testid="history-after">{after}</span>
                            </li>
                        }
                    }
                </For>
            </ol>
            <Show when=move || open.get() && changes.with(Vec::is_empty)>
                <p class="muted">{move || t().no_history}</p>
            </Show>
        </details>
    }
}

/// Fields the app keeps as a consequence of another (a status change sets when work
/// started and finished), and a card's place in its board column: the history shows the
/// change people made.
const BOOKKEEPING: [&str; 5] = ["started_at", "completed_at", "created_at", "id", "rank"];

/// How far apart one person's edits to one field may be and still read as one edit.
const RUN_MS: i64 = 5 * 60 * 1000;

/// One person typing into a field makes a change per keystroke: consecutive changes (newest
/// first) by the same person to the same field within [`RUN_MS`] read as one, from the
/// first one's before to the last one's after.
fn merge_runs(changes: Vec<FieldChange>) -> Vec<FieldChange> {
    let mut out: Vec<FieldChange> = Vec::with_capacity(changes.len());
    for change in changes {
        if let Some(newer) = out.last_mut()
            && !change.field.is_empty()
            && newer.field == change.field
            && newer.by == change.by
            && newer.actor == change.actor
            && matches!((newer.at, change.at), (Some(a), Some(b)) if a - b <= RUN_MS)
        {
            newer.before = change.before;
            newer.at = newer.at.max(change.at);
            continue;
        }
        out.push(change);
    }
    out.retain(|c| (c.field.is_empty() || c.before != c.after) && !BOOKKEEPING.contains(&c.field.as_str()));
    out
}

/// A field as the drawer names it.
fn field_label(t: &Strings, field: &str) -> String {
    match field {
        "" => t.history_task,
        "title" => t.title_label,
        "status" => t.status,
        "start" => t.start,
        "due" => t.due,
        "due_time" => t.due_time,
        "description" => t.description,
        "assignees" => t.assignees,
        "checklist" => t.checklist,
        "priority" => t.priority,
        "team" => t.team,
        "tags" => t.tag,
        "sku" => "SKU",
        "duration_days" => t.duration_label,
        "estimate_hours" => t.estimate_label,
        "comments" => t.comments,
        "attachments" => t.attachments,
        "time_entries" => t.time_spent,
        "approval" => t.approval,
        "depends_on" => t.waits_for,
        other => other,
    }
    .to_owned()
}

/// A value as people read it: a status in their language, people by name, nothing as "—".
fn shown(t: &Strings, field: &str, value: Option<&str>, name_of: impl Fn(MemberId) -> String) -> String {
    let Some(value) = value.filter(|v| !v.is_empty()) else { return t.none.to_owned() };
    match field {
        "status" => t.status(&Status::from_key(value)),
        "assignees" => value
            .split(", ")
            .map(|id| id.parse().map(&name_of).unwrap_or_else(|_| id.to_owned()))
            .collect::<Vec<_>>()
            .join("、"),
        _ => value.to_owned(),
    }
}
