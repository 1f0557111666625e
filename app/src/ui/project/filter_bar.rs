use launchplan_shared::MemberId;
use launchplan_shared::domain::{PlanRow, Status, Task};
use leptos::prelude::*;

use crate::contexts::{ProjectCtx, WorkspaceCtx, members_by_name, use_strings};

/// Which tasks the list shows. Empty: all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Filter {
    pub(crate) text: String,
    pub(crate) status: Option<Status>,
    pub(crate) assignee: Assignee,
    pub(crate) tag: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) enum Assignee {
    #[default]
    Anyone,
    Nobody,
    Member(MemberId),
}

impl Filter {
    pub(crate) fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    fn keeps(&self, task: &Task) -> bool {
        let text = self.text.trim().to_lowercase();
        (text.is_empty() || task.title.to_lowercase().contains(&text))
            && self.status.as_ref().is_none_or(|s| task.status == *s)
            && match self.assignee {
                Assignee::Anyone => true,
                Assignee::Nobody => task.assignees.is_empty(),
                Assignee::Member(m) => task.assignees.contains(&m),
            }
            && (self.tag.trim().is_empty() || task.tags.iter().any(|t| t == self.tag.trim()))
    }

    /// The rows a filtered list shows: matching tasks under their phase's heading (headings
    /// without a match go), and milestones only when nothing is filtered.
    pub(crate) fn rows(&self, rows: &[PlanRow], ctx: &ProjectCtx) -> Vec<PlanRow> {
        if self.is_empty() {
            return rows.to_vec();
        }
        let mut out = Vec::new();
        let mut heading: Option<PlanRow> = None;
        for row in rows {
            match row {
                PlanRow::Phase(_) => heading = Some(*row),
                PlanRow::Milestone(_) => {}
                PlanRow::Task(id) => {
                    if ctx.task(*id).is_some_and(|e| e.with(|e| self.keeps(&e.task))) {
                        out.extend(heading.take());
                        out.push(*row);
                    }
                }
            }
        }
        out
    }
}

/// Filters for the list: words in the title, status, assignee (me, nobody, anyone of the
/// workspace) and tag.
#[component]
pub(crate) fn FilterBar(filter: RwSignal<Filter>) -> impl IntoView {
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
                    "" => Assignee::Anyone,
                    "none" => Assignee::Nobody,
                    id => id.parse().map(Assignee::Member).unwrap_or_default(),
                });
            }>
                <option value="" selected=move || filter.with(|f| f.assignee == Assignee::Anyone)>{move || t().anyone}</option>
                <option value=me.to_string() selected=move || filter.with(|f| f.assignee == Assignee::Member(me))>{move || t().me}</option>
                <option value="none" selected=move || filter.with(|f| f.assignee == Assignee::Nobody)>{move || t().nobody}</option>
                <For each=move || people.get() key=|p| p.clone() let:person>
                    {
                        let id = person.0;
                        view! { <option value=id.to_string() selected=move || filter.with(|f| f.assignee == Assignee::Member(id))>{person.1.clone()}</option> }
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
            <Show when=move || !filter.with(Filter::is_empty)>
                <button type="button" class="link" data-testid="filter-clear" on:click=move |_| filter.set(Filter::default())>{move || t().clear_filter}</button>
            </Show>
        </div>
    }
}
