use launchplan_shared::plan::validate;
use leptos::prelude::*;

use crate::contexts::{FinanceCtx, LocaleCtx, ProjectCtx, WorkspaceCtx, use_strings};
use crate::i18n::Locale;

/// What merges and edits left for a person to look at (`plan::validate`): tasks waiting for
/// each other, dependencies on deleted tasks, tasks in deleted phases, assignees who left,
/// people booked beyond their hours, and (for those who see the budget) lines spent beyond
/// their budget. Each says what to do. Checked again whenever the
/// schedule is.
#[component]
pub(crate) fn Warnings() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let locale = expect_context::<LocaleCtx>().0;
    let workspace = expect_context::<WorkspaceCtx>().workspace;
    let schedule = ctx.schedule;
    let money = use_context::<FinanceCtx>().map(|m| (m.ready, m.finance));
    let found = Memo::new(move |_| {
        let ctx = ctx.clone();
        schedule.track();
        let chinese = locale.get() == Locale::ZhCn;
        let Some(project) = ctx.project() else { return Vec::new() };
        let finance = money.filter(|(ready, _)| ready.get()).map(|(_, finance)| finance.get());
        let doc = ctx.doc.to_string();
        workspace.with(|w| {
            // Members are checked only against the plan's own workspace: a plan opened from
            // another team's link is assigned to people this workspace does not know.
            let own = w.as_ref().filter(|w| w.projects.contains_key(&doc));
            validate(&project, own, finance.as_ref())
                .into_iter()
                .map(|w| (w.kind(), w.describe(chinese, &project), w.advice(chinese)))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || found.with(|f| !f.is_empty())>
            <div class="notice warning" data-testid="plan-warnings">
                <strong>{move || (t().warnings_title)(found.with(Vec::len))}</strong>
                <ul>
                    {move || found.get().into_iter().map(|(kind, what, advice)| view! {
                        <li data-testid="plan-warning" data-kind=kind>{what}" "<span class="muted">{advice}</span></li>
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}
