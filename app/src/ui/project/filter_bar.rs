use launchplan_shared::domain::Status;
use launchplan_shared::plan::Rag;
use launchplan_shared::plan::arrange::{AssigneeFilter, DueWindow, GroupBy, SortBy, TaskFilter};
use leptos::prelude::*;

use crate::contexts::{ProjectCtx, WorkspaceCtx, members_by_name, use_strings};
use crate::i18n::Strings;

/// How the list is arranged besides its filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Arrangement {
    pub(crate) group: GroupBy,
    pub(crate) sort: SortBy,
}

pub(crate) const GROUPS: [GroupBy; 6] =
    [GroupBy::Phase, GroupBy::Assignee, GroupBy::Status, GroupBy::Sku, GroupBy::Priority, GroupBy::Team];
pub(crate) const SORTS: [SortBy; 6] =
    [SortBy::Plan, SortBy::Start, SortBy::Due, SortBy::Priority, SortBy::Title, SortBy::Slack];
const RAGS: [Rag; 3] = [Rag::Red, Rag::Amber, Rag::Green];
const WINDOWS: [DueWindow; 4] = [DueWindow::Overdue, DueWindow::Today, DueWindow::Soon, DueWindow::NoDate];

fn is_empty(filter: &TaskFilter) -> bool {
    *filter == TaskFilter::default()
}

/// A `<select>` over `choices` (by index), with the option `none` first when there is one;
/// labels in the person's language.
fn choice_select<T: Copy + PartialEq + Send + Sync + 'static>(
    testid: &'static str,
    none: Option<fn(&Strings) -> &'static str>,
    choices: &'static [T],
    label: fn(&Strings, usize) -> &'static str,
    get: impl Fn() -> Option<T> + Copy + Send + Sync + 'static,
    set: impl Fn(Option<T>) + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_strings();
    view! {
        <select data-testid=testid on:change=move |ev| {
            let value = event_target_value(&ev);
            set(value.parse::<usize>().ok().and_then(|i| choices.get(i).copied()));
        }>
            {none.map(|none| view! { <option value="" selected=move || get().is_none()>{move || none(t())}</option> })}
            {choices.iter().enumerate().map(|(i, choice)| {
                let choice = *choice;
                view! { <option value=i.to_string() selected=move || get() == Some(choice)>{move || label(t(), i)}</option> }
            }).collect_view()}
        </select>
    }
}

/// Filters for the list and the board: words in the title, status, assignee (me, nobody, anyone of the
/// workspace), tag, red / amber / green and when it is due; and how the list is grouped and
/// sorted.
#[component]
pub(crate) fn FilterBar(
    filter: RwSignal<TaskFilter>,
    /// How the list is grouped and sorted; `None` on the board, which has its own lanes.
    arrangement: Option<RwSignal<Arrangement>>,
) -> impl IntoView {
    let t = use_strings();
    let workspace = expect_context::<WorkspaceCtx>();
    let me = workspace.my_id();
    let data = workspace.workspace;
    let ctx = expect_context::<ProjectCtx>();
    let order = ctx.order;
    let people = members_by_name(data);
    // The plan's tags, worked out when tasks are added or removed (not on every edit).
    let tags = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            let mut tags: Vec<String> = order.with(|order| {
                order
                    .iter()
                    .filter_map(|id| ctx.task(*id))
                    .flat_map(|e| e.with_untracked(|e| e.task.tags.clone()))
                    .collect()
            });
            tags.sort();
            tags.dedup();
            tags
        })
    };
    view! {
        <div class="filter-bar" data-testid="task-filter">
            <input type="search" data-testid="filter-text" placeholder=move || t().filter_placeholder
                prop:value=move || filter.with(|f| f.text.clone())
                on:input=move |ev| filter.update(|f| f.text = event_target_value(&ev))/>
            <select data-testid="filter-status" aria-label=move || t().status on:change=move |ev| {
                let key = event_target_value(&ev);
                filter.update(|f| f.status = (!key.is_empty()).then(|| Status::from_key(&key)));
            }>
                <option value="" selected=move || filter.with(|f| f.status.is_none())>{move || t().any_status}</option>
                {Status::DEFAULTS.iter().map(|s| {
                    let (key, s) = (s.key().to_owned(), s.clone());
                    let is = s.clone();
                    view! { <option value=key selected=move || filter.with(|f| f.status.as_ref() == Some(&is))>{move || t().status(&s)}</option> }
                }).collect_view()}
            </select>
            <select data-testid="filter-assignee" aria-label=move || t().assignees on:change=move |ev| {
                let value = event_target_value(&ev);
                filter.update(|f| f.assignee = match value.as_str() {
                    "" => AssigneeFilter::Anyone,
                    "none" => AssigneeFilter::Nobody,
                    id => id.parse().map(AssigneeFilter::Member).unwrap_or_default(),
                });
            }>
                <option value="" selected=move || filter.with(|f| f.assignee == AssigneeFilter::Anyone)>{move || t().anyone}</option>
                <option value=me.to_string() selected=move || filter.with(|f| f.assignee == AssigneeFilter::Member(me))>{move || t().me}</option>
                <option value="none" selected=move || filter.with(|f| f.assignee == AssigneeFilter::Nobody)>{move || t().nobody}</option>
                <For each=move || people.get() key=|p| p.clone() let:person>
                    {
                        let id = person.0;
                        view! { <option value=id.to_string() selected=move || filter.with(|f| f.assignee == AssigneeFilter::Member(id))>{person.1.clone()}</option> }
                    }
                </For>
            </select>
            <Show when=move || tags.with(|t| !t.is_empty())>
                <select data-testid="filter-tag" aria-label=move || t().tags_label on:change=move |ev| filter.update(|f| f.tag = event_target_value(&ev))>
                    <option value="" selected=move || filter.with(|f| f.tag.is_empty())>{move || t().any_tag}</option>
                    <For each=move || tags.get() key=|t| t.clone() let:tag>
                        {
                            let is = tag.clone();
                            view! { <option value=tag.clone() selected=move || filter.with(|f| f.tag == is)>{tag.clone()}</option> }
                        }
                    </For>
                </select>
            </Show>
            {choice_select("filter-rag", Some(|t| t.any_rag), &RAGS, |t, i| t.rag_names[i],
                move || filter.with(|f| f.rag), move |rag| filter.update(|f| f.rag = rag))}
            {choice_select("filter-due", Some(|t| t.any_due), &WINDOWS, |t, i| t.due_windows[i],
                move || filter.with(|f| (f.due != DueWindow::Any).then_some(f.due)),
                move |due| filter.update(|f| f.due = due.unwrap_or_default()))}
            <Show when=move || !filter.with(is_empty)>
                <button type="button" class="link" data-testid="filter-clear" on:click=move |_| filter.set(TaskFilter::default())>{move || t().clear_filter}</button>
            </Show>
            {arrangement.map(|arrangement| view! {
                <span class="arrange">
                    <label>{move || t().group_by}" "
                        {choice_select("group-by", None, &GROUPS, |t, i| t.group_names[i],
                            move || Some(arrangement.with(|a| a.group)), move |g| arrangement.update(|a| a.group = g.unwrap_or_default()))}
                    </label>
                    <label>{move || t().sort_by}" "
                        {choice_select("sort-by", None, &SORTS, |t, i| t.sort_names[i],
                            move || Some(arrangement.with(|a| a.sort)), move |s| arrangement.update(|a| a.sort = s.unwrap_or_default()))}
                    </label>
                </span>
            })}
        </div>
    }
}
