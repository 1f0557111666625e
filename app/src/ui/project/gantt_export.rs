//! Taking the chart out of the app: the whole chart as an SVG file, printed (or saved as PDF)
//! through the print stylesheet, and the schedule saved as the baseline to compare against.

use std::collections::HashMap;
use std::sync::Arc;

use launchplan_shared::TaskId;
use launchplan_shared::domain::{Command, TaskEntry};
use launchplan_shared::plan::gantt::{Export, RowKind, headers, svg};
use launchplan_shared::plan::{Rag, task_status};
use leptos::prelude::*;

use super::gantt::{GanttCtx, LABEL_WIDTH, header_words};
use crate::contexts::{LocaleCtx, ProjectCtx, use_strings};
use crate::i18n::Locale;
use crate::ui::files::{download, file_name};

/// The buttons: save the baseline, save as SVG, print.
#[component]
pub(crate) fn GanttExport() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let gantt = expect_context::<GanttCtx>();
    let locale = expect_context::<LocaleCtx>().0;
    // The chart drawn whole, for printing: made when asked for, gone after.
    let printing = RwSignal::new(None::<String>);
    let document = {
        let ctx = ctx.clone();
        move || whole_chart(&ctx, gantt, locale.get_untracked() == Locale::ZhCn)
    };
    let save_svg = {
        let (ctx, document) = (ctx.clone(), document.clone());
        move |_| {
            let Some(text) = document() else { return };
            let name = ctx.meta.with_untracked(|m| m.as_ref().map(|m| m.name.clone())).unwrap_or_default();
            download(&format!("{}.svg", file_name(&name, "gantt")), &text, "image/svg+xml;charset=utf-8");
        }
    };
    let print = move |_| {
        let Some(text) = document() else { return };
        printing.set(Some(text));
        // Printed after the chart is on the page; gone once the print dialog closes.
        request_animation_frame(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
            printing.set(None);
        });
    };
    let save_baseline = {
        let ctx = ctx.clone();
        move |_| {
            let tasks: Vec<_> = ctx
                .schedule
                .with_untracked(|s| {
                    s.as_ref().map(|s| {
                        s.tasks.iter().map(|(id, p)| (*id, p.start, p.finish.max(p.start))).collect()
                    })
                })
                .unwrap_or_default();
            if ctx.dispatch(Command::SetBaseline { tasks }) {
                gantt.show_baseline.set(true);
            }
        }
    };
    view! {
        <button type="button" data-testid="gantt-save-baseline" on:click=save_baseline>{move || t().gantt_save_baseline}</button>
        <button type="button" data-testid="gantt-save-svg" on:click=save_svg>{move || t().gantt_save_svg}</button>
        <button type="button" data-testid="gantt-print" on:click=print>{move || t().gantt_print}</button>
        {move || printing.get().map(|text| view! { <div class="gantt-print" inner_html=text></div> })}
    }
}

/// The whole chart as one SVG document, in the person's language and colours.
fn whole_chart(ctx: &ProjectCtx, gantt: GanttCtx, zh: bool) -> Option<String> {
    let laid = gantt.chart.get_untracked()?;
    let chart = &laid.0;
    let tasks: HashMap<TaskId, Arc<TaskEntry>> = ctx.order.with_untracked(|order| {
        order.iter().filter_map(|id| Some((*id, ctx.task(*id)?.get_untracked()))).collect()
    });
    let phases = ctx.phases.get_untracked();
    let milestones = ctx.milestones.get_untracked();
    let t = if zh { Locale::ZhCn } else { Locale::En }.strings();
    let schedule = ctx.schedule.get_untracked();
    let (rules, history) = (ctx.rules.get_untracked(), ctx.history.get_untracked());
    let today = chart.today;
    let label = |kind: RowKind| match kind {
        RowKind::PhaseSummary(Some(p)) => {
            phases.iter().find(|x| x.id == p).map(|x| x.name.clone()).unwrap_or_default()
        }
        RowKind::PhaseSummary(None) => t.no_phase.to_owned(),
        RowKind::Task(id) => tasks.get(&id).map(|e| e.task.title.clone()).unwrap_or_default(),
        RowKind::Milestone(id) => {
            milestones.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_default()
        }
    };
    let colour = |kind: RowKind| -> Option<Rag> {
        let RowKind::Task(id) = kind else { return None };
        let task = &tasks.get(&id)?.task;
        let planned = schedule.as_ref().and_then(|s| s.tasks.get(&id).copied());
        Some(task_status(task, planned.as_ref(), today, &rules, &history).rag)
    };
    // The export may reach past the chart on screen (to today, within a month): the rows are
    // told apart over that reach too.
    let reach = 40.0 * chart.gantt.scale.px_per_day();
    let header = header_words(&headers(&chart.gantt.scale, -reach, chart.width + reach), zh);
    let calendar = ctx.calendar();
    let name = ctx.meta.with_untracked(|m| m.as_ref().map(|m| m.name.clone())).unwrap_or_default();
    let export = Export {
        title: &name,
        label_width: LABEL_WIDTH,
        label: &label,
        header: &header,
        colour: &colour,
        calendar: &calendar,
        today,
    };
    Some(svg(&chart.gantt, |id| tasks.get(&id).map(|e| &e.task), &export))
}
