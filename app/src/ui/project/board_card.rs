use launchplan_shared::{DocumentId, TaskId};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::board::{BoardCtx, Moving, Pointer};
use super::task_row::{planned_of, rag_of};
use crate::contexts::{CommentsCtx, ProjectCtx, ProjectRoute, Route, WorkspaceCtx, navigate};

/// How far the pointer must travel before a press becomes a drag (a shorter one is a click).
const DRAG_AFTER_PX: f64 = 5.0;

/// One card: red / amber / green, title, who, when it is due, checklist, comments,
/// attachments and tags. Click opens the task; drag it, or pick it up with Space and move it
/// with the arrow keys.
#[component]
pub(crate) fn BoardCard(id: TaskId, lane: usize, workspace: Option<DocumentId>) -> impl IntoView {
    let ctx = expect_context::<ProjectCtx>();
    let board = expect_context::<BoardCtx>();
    let Some(entry) = ctx.task(id) else { return ().into_any() };
    let planned = planned_of(&ctx, id, entry.clone());
    let rag = rag_of(&ctx, entry.clone(), planned);
    let members = expect_context::<WorkspaceCtx>().workspace;
    let who = {
        let entry = entry.clone();
        move || {
            let ids = entry.with(|e| e.task.assignees.clone());
            members.with(|w| {
                ids.iter()
                    .map(|id| {
                        w.as_ref().and_then(|w| w.members.get(id)).map_or("?".to_owned(), |m| m.name.clone())
                    })
                    .collect::<Vec<_>>()
            })
        }
    };
    let due = {
        let entry = entry.clone();
        move || {
            let time = entry.with(|e| e.task.due.and(e.task.due_time.clone()));
            entry.with(|e| e.task.due).or(planned.get().map(|p| p.finish)).map(|day| {
                let (_, m, d) = day.ymd();
                match time {
                    Some(time) => format!("{m}/{d} {time}"),
                    None => format!("{m}/{d}"),
                }
            })
        }
    };
    let counts = {
        let entry = entry.clone();
        let comments = expect_context::<CommentsCtx>();
        move || {
            entry.with(|e| {
                let t = &e.task;
                let done = t.checklist.iter().filter(|i| i.done).count();
                (
                    done,
                    t.checklist.len(),
                    comments.count(t.id, &t.comments),
                    t.attachments.len(),
                    t.tags.clone(),
                )
            })
        }
    };
    let title = {
        let entry = entry.clone();
        move || entry.with(|e| e.task.title.clone())
    };
    let drawer = Route::Project(ProjectRoute { workspace, doc: ctx.doc, task: Some(id) });

    let moving = board.moving;
    // Where the card is now: (column, index in its cell).
    let place = move || board.layout.with_untracked(|b| b.find(id)).map_or((0, 0), |(_, c, i)| (c, i));
    let is_moving = move || board.held.with_value(|s| s.selected(&Some(id)));
    let lifted = move || board.lifted.with_value(|s| s.selected(&Some(id)));
    // A press that may become a drag: where it started.
    let pressed = RwSignal::new(None::<(f64, f64)>);
    // Whether the last press became a drag (then its click does not open the task).
    let dragged = RwSignal::new(false);
    // Moving a card changes its status: only for those who may.
    let may_move = {
        let ctx = ctx.clone();
        move || ctx.may(launchplan_shared::domain::permissions::Part::Progress)
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 || moving.get_untracked().is_some() || !may_move() {
            return;
        }
        dragged.set(false);
        pressed.set(Some((f64::from(ev.client_x()), f64::from(ev.client_y()))));
        if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_card_move = move |ev: web_sys::PointerEvent| {
        let Some((x0, y0)) = pressed.get_untracked() else { return };
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        if (x - x0).hypot(y - y0) < DRAG_AFTER_PX {
            return;
        }
        pressed.set(None);
        dragged.set(true);
        let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
            return;
        };
        let rect = el.get_bounding_client_rect();
        let (column, index) = place();
        moving.set(Some(Moving {
            card: id,
            lane,
            column,
            index,
            pointer: Some(Pointer {
                x,
                y,
                grab_x: x0 - rect.left(),
                grab_y: y0 - rect.top(),
                width: rect.width(),
            }),
        }));
    };
    let on_up = move |_: web_sys::PointerEvent| pressed.set(None);
    let on_click = {
        let drawer = drawer.clone();
        move |ev: web_sys::MouseEvent| {
            ev.prevent_default();
            if !dragged.get_untracked() {
                navigate(&drawer);
            }
            dragged.set(false);
        }
    };
    let on_key = {
        let ctx = ctx.clone();
        let drawer = drawer.clone();
        move |ev: web_sys::KeyboardEvent| {
            let key = ev.key();
            let held = moving.get_untracked().filter(|m| m.card == id && m.pointer.is_none());
            match (key.as_str(), held) {
                (" ", None) if ctx.may(launchplan_shared::domain::permissions::Part::Progress) => {
                    let (column, index) = place();
                    moving.set(Some(Moving { card: id, lane, column, index, pointer: None }));
                }
                ("Enter", None) => navigate(&drawer),
                (" " | "Enter", Some(_)) => {
                    board.drop_moving(&ctx);
                    refocus(id);
                }
                ("Escape", Some(_)) => moving.set(None),
                ("ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight", Some(m)) => {
                    moving.set(Some(step(&board, m, &key)));
                }
                _ => return,
            }
            ev.prevent_default();
        }
    };
    let (on_rag, rag_title) = (move || rag.get().0, move || rag.get().1);
    view! {
        <article
            class="board-card"
            class:moving=is_moving
            class:lifted=lifted
            data-testid="card"
            data-task-id=id.to_string()
            data-lane=lane.to_string()
            tabindex="0"
            draggable="false"
            role="button"
            aria-pressed=move || lifted().to_string()
            on:pointerdown=on_down
            on:pointermove=on_card_move
            on:pointerup=on_up
            on:click=on_click
            on:keydown=on_key
            on:blur=move |_| if lifted() { moving.set(None) }
        >
            <div class="card-top">
                <span class=move || format!("rag {}", on_rag()) data-testid="card-rag" data-rag=on_rag title=rag_title></span>
                <a class="card-title" data-testid="card-title" href=drawer.href() tabindex="-1" draggable="false">{title}</a>
            </div>
            <div class="card-meta">
                {move || who().into_iter().map(|name| view! { <span class="who" data-testid="card-who">{name}</span> }).collect_view()}
                {move || due().map(|d| view! { <span class="due" data-testid="card-due">{d}</span> })}
                {move || {
                    let (done, items, comments, files, tags) = counts();
                    view! {
                        {(items > 0).then(|| view! { <span class="count" data-testid="card-checklist">"☑ "{done}"/"{items}</span> })}
                        {(comments > 0).then(|| view! { <span class="count" data-testid="card-comments">"💬 "{comments}</span> })}
                        {(files > 0).then(|| view! { <span class="count" data-testid="card-attachments">"📎 "{files}</span> })}
                        {tags.into_iter().map(|tag| view! { <span class="tag" data-testid="card-tag">{tag}</span> }).collect_view()}
                    }
                }}
            </div>
        </article>
    }
    .into_any()
}

/// The keyboard moves a lifted card one place: up and down in its column, left and right to
/// the next column (at the same height, or the end), always within its lane.
fn step(board: &BoardCtx, m: Moving, key: &str) -> Moving {
    board.layout.with_untracked(|b| {
        let Some(cells) = b.lanes.get(m.lane).map(|l| &l.cells) else { return m.clone() };
        // Places counted among the other cards of a cell, 0 ..= their number.
        let others =
            |column: usize| cells.get(column).map_or(0, |c| c.iter().filter(|t| **t != m.card).count());
        let slot_of = |column: usize, index: usize| {
            let cards = cells.get(column).map(Vec::as_slice).unwrap_or_default();
            cards[..index.min(cards.len())].iter().filter(|t| **t != m.card).count()
        };
        let index_of = |column: usize, slot: usize| {
            let cards = cells.get(column).map(Vec::as_slice).unwrap_or_default();
            match cards.iter().position(|t| *t == m.card) {
                Some(at) if at < slot => slot + 1,
                _ => slot,
            }
        };
        let slot = slot_of(m.column, m.index);
        let (column, slot) = match key {
            "ArrowUp" => (m.column, slot.saturating_sub(1)),
            "ArrowDown" => (m.column, (slot + 1).min(others(m.column))),
            "ArrowLeft" => {
                let c = m.column.saturating_sub(1);
                (c, slot.min(others(c)))
            }
            _ => {
                let c = (m.column + 1).min(b.columns.len().saturating_sub(1));
                (c, slot.min(others(c)))
            }
        };
        Moving { column, index: index_of(column, slot), ..m.clone() }
    })
}

/// Puts the keyboard back on card `id` once it is drawn in its new place.
fn refocus(id: TaskId) {
    let css = format!("[data-testid=\"card\"][data-task-id=\"{id}\"]");
    request_animation_frame(move || {
        let found = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&css).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = found {
            let _ = el.focus();
        }
    });
}
