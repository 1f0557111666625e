use launchplan_shared::DocumentId;
use launchplan_shared::domain::templates::{self, Template};
use launchplan_shared::domain::{
    CHINA_HOLIDAYS_THROUGH, Date, ProjectKind, Sku, WorkCalendar, WorkspaceCommand,
};
use leptos::prelude::*;

use super::new_project_form::create_plan;
use crate::contexts::{Errors, LocaleCtx, RepoCtx, WorkspaceCtx, use_strings};
use crate::i18n::Locale;

/// One template as the gallery shows it.
#[derive(Debug, Clone, PartialEq)]
struct Card {
    template: Template,
    tasks: usize,
    typical_days: i32,
    /// Saved by the workspace (not built in): it can be deleted.
    saved: bool,
}

impl Card {
    fn of(template: Template, saved: bool) -> Self {
        Card { tasks: template.tasks.len(), typical_days: template.typical_days(), template, saved }
    }
}

/// The built-in templates and the workspace's saved ones; picking one asks for the launch
/// day (and SKUs) and makes the scheduled plan in one step.
#[component]
pub(crate) fn TemplateGallery() -> impl IntoView {
    let t = use_strings();
    let locale = expect_context::<LocaleCtx>().0;
    let workspace = expect_context::<WorkspaceCtx>();
    let data = workspace.workspace;
    let built_in =
        StoredValue::new(templates::built_in().into_iter().map(|t| Card::of(t, false)).collect::<Vec<_>>());
    let cards = Memo::new(move |_| {
        let saved = data.with(|w| w.as_ref().map(|w| w.saved_templates()).unwrap_or_default());
        built_in
            .get_value()
            .into_iter()
            .chain(saved.into_iter().map(|t| Card::of(t, true)))
            .collect::<Vec<_>>()
    });
    let chosen = RwSignal::new(None::<String>);
    let chinese = move || locale.get() == Locale::ZhCn;
    let delete = {
        let workspace = workspace.clone();
        move |key: String| {
            if chosen.get_untracked().as_deref() == Some(key.as_str()) {
                chosen.set(None);
            }
            workspace.dispatch(WorkspaceCommand::DeleteTemplate { key });
        }
    };
    view! {
        <div class="template-gallery" data-testid="template-gallery">
            <p class="field">{move || t().from_template}</p>
            <div class="template-cards">
                <For each=move || cards.get() key=|c| (c.template.key.clone(), c.template.name.zh.clone(), c.tasks) let:card>
                    {
                        let key = card.template.key.clone();
                        let (is_chosen, pick, gone) = (key.clone(), key.clone(), key.clone());
                        let kind = card.template.kind;
                        let template = StoredValue::new(card.template.clone());
                        let name = move || template.with_value(|t| t.name.get(chinese()).to_owned());
                        let phases = move || template.with_value(|t| {
                            t.phases.iter().map(|p| p.name.get(chinese()).to_owned()).collect::<Vec<_>>().join(" → ")
                        });
                        let (phase_count, tasks, days) = (card.template.phases.len(), card.tasks, card.typical_days);
                        let delete = delete.clone();
                        view! {
                            <div class="template-card" class:chosen=move || chosen.with(|c| c.as_deref() == Some(is_chosen.as_str()))
                                data-testid="template-card" data-template=key role="button" tabindex="0"
                                on:click=move |_| chosen.set(Some(pick.clone()))>
                                <strong>{name}</strong>
                                <span class="kind">{move || t().kind(kind)}</span>
                                <span class="phases">{phases}</span>
                                <span class="muted">{move || (t().template_summary)(phase_count, tasks, days)}</span>
                                {card.saved.then(|| view! {
                                    <button type="button" class="link" data-testid="template-delete" on:click=move |ev| {
                                        ev.stop_propagation();
                                        delete(gone.clone());
                                    }>{move || t().delete}</button>
                                })}
                            </div>
                        }
                    }
                </For>
            </div>
            {move || chosen.get().and_then(|key| cards.with(|c| c.iter().find(|c| c.template.key == key).map(|c| c.template.clone()))).map(|template| {
                view! { <Wizard template=template on_cancel=Callback::new(move |_| chosen.set(None))/> }
            })}
        </div>
    }
}

/// The launch day, a name and (for a product) its SKUs; shows when the plan would start.
#[component]
fn Wizard(template: Template, on_cancel: Callback<()>) -> impl IntoView {
    let t = use_strings();
    let locale = expect_context::<LocaleCtx>().0;
    let repo = expect_context::<RepoCtx>();
    let workspace = expect_context::<WorkspaceCtx>();
    let errors = expect_context::<Errors>();
    let chinese = move || locale.get_untracked() == Locale::ZhCn;
    let template = StoredValue::new(template);
    let name = RwSignal::new(template.with_value(|t| t.name.get(chinese()).to_owned()));
    let launch = RwSignal::new(String::new());
    let skus = RwSignal::new(String::new());
    let wants_skus = template.with_value(|t| matches!(t.kind, ProjectKind::Launch | ProjectKind::Listing));
    let data = workspace.workspace;
    let calendar = Memo::new(move |_| {
        let workspace = data.with(|w| w.as_ref().map(|w| w.settings.calendar.clone()));
        template.with_value(|t| t.calendar_in(&workspace.unwrap_or_default()))
    });
    let launch_day = Memo::new(move |_| launch.with(|l| l.parse::<Date>().ok()));
    // The plan as it would be made: cheap enough (tens of tasks) to work out on each change.
    let preview = Memo::new(move |_| {
        let day = launch_day.get()?;
        let seed = DocumentId::random().to_string();
        Some(template.with_value(|t| t.instantiate_on(&calendar.get(), day, chinese(), &seed, 0)))
    });
    let start = move || preview.with(|p| p.as_ref().and_then(|p| p.meta.start));
    // Years the plan runs through whose holidays nobody has entered yet.
    let unpublished = move || {
        let (Some(first), Some(last)) = (start(), launch_day.get()) else { return Vec::new() };
        if calendar.with(|c| *c == WorkCalendar::every_day()) {
            return Vec::new();
        }
        (first.ymd().0..=last.ymd().0)
            .filter(|year| *year > CHINA_HOLIDAYS_THROUGH)
            .filter(|year| calendar.with(|c| !c.holidays.iter().any(|d| d.ymd().0 == *year)))
            .collect::<Vec<_>>()
    };
    let create = move || {
        let Some(day) = launch_day.get_untracked() else { return };
        let seed = DocumentId::random().to_string();
        let now = js_sys::Date::now() as i64;
        let mut project =
            template.with_value(|t| t.instantiate_on(&calendar.get_untracked(), day, chinese(), &seed, now));
        project.meta.name = name.get_untracked().trim().to_owned();
        if wants_skus {
            project.meta.skus = Sku::parse_list(&skus.get_untracked());
        }
        create_plan(&project, &repo, &workspace, &errors);
    };
    let launch_label = template.with_value(|tp| tp.kind);
    view! {
        <form class="wizard card" data-testid="template-wizard" on:submit=move |ev| {
            ev.prevent_default();
            create();
        }>
            <h2>{move || template.with_value(|tp| tp.name.get(locale.get() == Locale::ZhCn).to_owned())}</h2>
            <label class="field">
                {move || t().plan_name}
                <input type="text" data-testid="wizard-name" maxlength="500"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                {move || t().launch_day(launch_label)}
                <input type="date" data-testid="wizard-launch"
                    prop:value=move || launch.get() on:input=move |ev| launch.set(event_target_value(&ev))/>
            </label>
            <Show when=move || wants_skus>
                <label class="field">
                    {move || t().skus_label}
                    <textarea data-testid="wizard-skus" rows="3" placeholder="LIP-01 丝绒雾面口红"
                        prop:value=move || skus.get() on:input=move |ev| skus.set(event_target_value(&ev))/>
                </label>
            </Show>
            <p class="muted" data-testid="wizard-preview">
                {move || start().map(|start| {
                    let tasks = preview.with(|p| p.as_ref().map_or(0, |p| p.tasks.len()));
                    (t().wizard_preview)(&start.to_string(), tasks)
                })}
            </p>
            {move || {
                let years = unpublished();
                (!years.is_empty()).then(|| {
                    let years = years.iter().map(i32::to_string).collect::<Vec<_>>().join("、");
                    view! { <p class="badge warning" data-testid="wizard-calendar-warning">{(t().holidays_unpublished)(&years)}</p> }
                })
            }}
            {move || {
                // Worked back from a close launch day, the plan may have started already.
                let today = crate::contexts::today();
                let late = start().map(|s| today.days() - s.days()).filter(|d| *d > 0)?;
                Some(view! { <p class="badge warning" data-testid="wizard-late-warning">{(t().plan_starts_late)(late)}</p> })
            }}
            <div class="row">
                <button type="submit" data-testid="wizard-create"
                    disabled=move || preview.with(Option::is_none) || name.with(|n| n.trim().is_empty())>
                    {move || t().create_plan}
                </button>
                <button type="button" on:click=move |_| on_cancel.run(())>{move || t().cancel}</button>
            </div>
        </form>
    }
}
