use js_sys::Reflect;
use launchplan_shared::domain::commands::TaskField;
use launchplan_shared::domain::quick_add::{self, QuickAdd};
use launchplan_shared::domain::{Command, Priority};
use launchplan_shared::{PhaseId, TaskId};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

use crate::contexts::{AppError, Errors, LocaleCtx, ProjectCtx, today, use_strings};
use crate::i18n::Locale;

/// The form that adds a task, for those who may add tasks (not a viewer or a content
/// editor).
#[component]
pub(crate) fn AddTaskForm() -> impl IntoView {
    let ctx = expect_context::<ProjectCtx>();
    move || {
        ctx.may(launchplan_shared::domain::permissions::Part::Structure).then(|| view! { <AddTaskFields/> })
    }
}

/// Quick add: type (or say) a task, press Enter. What it says beyond the title is read
/// (`quick_add`): "明天下午三点前完成首页banner设计，负责人小王" is due tomorrow at 15:00 and
/// assigned to 小王, as the line under the field shows before Enter. In a plan with phases
/// the task goes into the phase picked beside it (the first, until another is picked).
#[component]
fn AddTaskFields() -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let title = RwSignal::new(String::new());
    let phases = ctx.phases;
    let picked = RwSignal::new(None::<PhaseId>);
    // The picked phase, if the plan still has it; else its first.
    let phase = move || {
        phases
            .with(|p| picked.get().filter(|id| p.iter().any(|ph| ph.id == *id)).or(p.first().map(|ph| ph.id)))
    };
    let read = {
        let ctx = ctx.clone();
        Memo::new(move |_| title.with(|text| quick_add::parse(text, today(), &ctx.members())))
    };
    let add = {
        let ctx = ctx.clone();
        move || {
            let id = TaskId::random();
            let typed = title.get_untracked();
            let read = read.get_untracked();
            let name = if read.title.is_empty() { typed.trim().to_owned() } else { read.title.clone() };
            let command = commands_for(id, name, phase(), &read);
            if ctx.dispatch(command) {
                title.set(String::new());
                ctx.reveal.set(Some(id));
            }
        }
    };
    view! {
        <form class="add-task" on:submit=move |ev| {
            ev.prevent_default();
            add();
        }>
            <input
                type="text"
                data-testid="task-input"
                maxlength="500"
                placeholder=move || t().add_task_placeholder
                prop:value=move || title.get()
                on:input=move |ev| title.set(event_target_value(&ev))
            />
            <MicButton title=title/>
            <Show when=move || phases.with(|p| !p.is_empty())>
                <select
                    data-testid="task-phase-input"
                    aria-label=move || t().phase
                    on:change=move |ev| picked.set(event_target_value(&ev).parse().ok())
                >
                    <For each=move || phases.get() key=|p| (p.id, p.name.clone()) let:p>
                        <option value=p.id.to_string() selected=move || phase() == Some(p.id)>{p.name.clone()}</option>
                    </For>
                </select>
            </Show>
            <button type="submit" data-testid="add-task" disabled=move || title.with(|s| s.trim().is_empty())>
                {move || t().add}
            </button>
        </form>
        <QuickAddPreview read=read/>
    }
}

/// The task `read` describes, as one command (one undo).
fn commands_for(id: TaskId, title: String, phase: Option<PhaseId>, read: &QuickAdd) -> Command {
    let mut commands = vec![Command::AddTask { id, title, phase, at: js_sys::Date::now() as i64 }];
    if let Some(due) = read.due {
        commands.push(Command::SetDates { id, start: None, due: Some(due) });
    }
    if let Some((h, m)) = read.due_time {
        commands.push(Command::SetField { id, field: TaskField::DueTime(Some(format!("{h:02}:{m:02}"))) });
    }
    if !read.assignees.is_empty() {
        commands.push(Command::Assign { id, members: read.assignees.clone() });
    }
    if let Some(priority) = read.priority {
        commands.push(Command::SetField { id, field: TaskField::Priority(priority) });
    }
    if commands.len() == 1 { commands.remove(0) } else { Command::Batch { commands } }
}

/// What quick add read beyond the title, before Enter.
#[component]
fn QuickAddPreview(read: Memo<QuickAdd>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    move || {
        let read = read.get();
        let found = read.due.is_some() || !read.assignees.is_empty() || read.priority.is_some();
        if !found && read.unknown_people.is_empty() {
            return None;
        }
        let members = ctx.members();
        let names: Vec<String> = read
            .assignees
            .iter()
            .filter_map(|id| members.iter().find(|m| m.id == *id).map(|m| m.name.clone()))
            .collect();
        let time = read.due_time.map(|(h, m)| format!("{h:02}:{m:02}"));
        let priority = read.priority.map(|p| {
            let at = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent]
                .iter()
                .position(|x| *x == p)
                .unwrap_or(1);
            (at, t().priority_names[at])
        });
        Some(view! {
            <p class="quick-add-preview muted" data-testid="quick-add-preview"
                data-title=read.title.clone()
                data-due=read.due.map(|d| d.to_string()).unwrap_or_default()
                data-time=time.clone().unwrap_or_default()
                data-priority=priority.map(|(at, _)| at.to_string()).unwrap_or_default()>
                {read.due.map(|due| view! {
                    <span class="chip">{move || t().quick_due}" "{due.to_string()}{time.clone().map(|t| format!(" {t}"))}</span>
                })}
                {(!names.is_empty()).then(|| view! {
                    <span class="chip" data-testid="quick-add-people">{move || t().quick_for}" "{names.join("、")}</span>
                })}
                {priority.map(|(_, word)| view! { <span class="chip">{move || t().priority}" "{word}</span> })}
                {read.unknown_people.iter().map(|name| view! {
                    <span class="warn" data-testid="quick-add-unknown">{(t().quick_unknown)(name)}</span>
                }).collect_view()}
            </p>
        })
    }
}

/// The browser's speech recognition, where it has one (Chrome, Edge and Safari do, as
/// `webkitSpeechRecognition`; Firefox does not).
fn speech_recognition() -> Option<js_sys::Function> {
    let window = web_sys::window()?;
    ["SpeechRecognition", "webkitSpeechRecognition"].into_iter().find_map(|name| {
        let found = Reflect::get(&window, &JsValue::from_str(name)).ok()?;
        found.is_function().then(|| found.into())
    })
}

/// A microphone that puts what is said (in the page's language) into quick add, to be read
/// and confirmed like typed text. Absent where the browser cannot listen.
#[component]
fn MicButton(title: RwSignal<String>) -> impl IntoView {
    let t = use_strings();
    let locale = expect_context::<LocaleCtx>().0;
    let errors = expect_context::<Errors>();
    let listening = RwSignal::new(false);
    speech_recognition().map(|recognition| {
        let recognition = send_wrapper::SendWrapper::new(recognition);
        let listen = move |_| {
            if listening.get_untracked() {
                return;
            }
            let started = start_listening(&recognition, locale.get_untracked(), title, listening, errors);
            match started {
                Ok(()) => listening.set(true),
                Err(why) => errors.report(AppError::Speech(why)),
            }
        };
        view! {
            <button type="button" class="mic" data-testid="voice-input" class:listening=listening
                aria-pressed=move || listening.get().to_string()
                title=move || if listening.get() { t().listening } else { t().speak }
                aria-label=move || t().speak on:click=listen>
                // A microphone, drawn: emoji fonts are not everywhere.
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                    <rect x="5.5" y="1" width="5" height="9" rx="2.5" fill="currentColor"/>
                    <path d="M3 7.5a5 5 0 0 0 10 0M8 12.5V15M5.5 15h5" fill="none" stroke="currentColor" stroke-width="1.4"/>
                </svg>
            </button>
        }
    })
}

/// Starts one recognition: its result goes into `title`, and `listening` ends with it.
fn start_listening(
    recognition: &js_sys::Function,
    locale: Locale,
    title: RwSignal<String>,
    listening: RwSignal<bool>,
    errors: Errors,
) -> Result<(), String> {
    let failed = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let listener = Reflect::construct(recognition, &js_sys::Array::new()).map_err(failed)?;
    let lang = if locale == Locale::ZhCn { "zh-CN" } else { "en-US" };
    let set =
        |key: &str, value: &JsValue| Reflect::set(&listener, &JsValue::from_str(key), value).map_err(failed);
    set("lang", &JsValue::from_str(lang))?;
    set("interimResults", &JsValue::FALSE)?;
    set("maxAlternatives", &JsValue::from_f64(1.0))?;
    // Each handler runs at most once; `once_into_js` frees it when it has.
    let on_result = Closure::once_into_js(move |event: JsValue| {
        let said = Reflect::get(&event, &JsValue::from_str("results"))
            .and_then(|results| Reflect::get_u32(&results, 0))
            .and_then(|result| Reflect::get_u32(&result, 0))
            .and_then(|best| Reflect::get(&best, &JsValue::from_str("transcript")))
            .ok()
            .and_then(|text| text.as_string());
        if let Some(said) = said {
            title.try_set(said.trim().to_owned());
        }
    });
    let on_end = Closure::once_into_js(move |_: JsValue| {
        listening.try_set(false);
    });
    // "not-allowed" (no microphone permission), "network", "no-speech"...
    let on_error = Closure::once_into_js(move |event: JsValue| {
        let why = Reflect::get(&event, &JsValue::from_str("error")).ok().and_then(|e| e.as_string());
        errors.report(AppError::Speech(why.unwrap_or_default()));
    });
    set("onresult", &on_result)?;
    set("onerror", &on_error)?;
    set("onend", &on_end)?;
    let start: js_sys::Function =
        Reflect::get(&listener, &JsValue::from_str("start")).map_err(failed)?.into();
    start.call0(&listener).map_err(failed)?;
    Ok(())
}
