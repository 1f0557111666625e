use launchplan_shared::DocumentId;
use launchplan_shared::TaskId;
use launchplan_shared::domain::commands::TaskField;
use launchplan_shared::domain::{Command, Rank, Status, WorkflowStep};
use launchplan_shared::plan::arrange::TaskFilter;
use launchplan_shared::plan::board::{Board, Lanes, board, drop_card};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::board_card::BoardCard;
use super::filter_bar::FilterBar;
use super::plan_rows::heading_label;
use crate::contexts::{LocaleCtx, ProjectCtx, WorkspaceCtx, members_by_name, use_strings};

pub(crate) const LANES: [Lanes; 4] = [Lanes::None, Lanes::Phase, Lanes::Assignee, Lanes::Sku];

/// A card being moved: by the pointer (with where the pointer is) or by the keyboard, and
/// where it would land: its lane (cards stay in their lane), a column, and the place in that
/// column's cell, counted in the cell as drawn (the card itself included).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Moving {
    pub(crate) card: TaskId,
    pub(crate) lane: usize,
    pub(crate) column: usize,
    pub(crate) index: usize,
    /// The pointer, and where on the card it took hold; `None` when the keyboard moves it.
    pub(crate) pointer: Option<Pointer>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pointer {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) grab_x: f64,
    pub(crate) grab_y: f64,
    pub(crate) width: f64,
}

/// What the cells and cards need from the board: the layout, the card on the move, and how
/// to drop it.
#[derive(Clone, Copy)]
pub(crate) struct BoardCtx {
    pub(crate) layout: Memo<Board>,
    pub(crate) moving: RwSignal<Option<Moving>>,
    /// Which card is moving, and which is held by the keyboard: each card asks about itself,
    /// and only the cards whose answer changes hear of it (not all of them on every
    /// pointer move).
    pub(crate) held: StoredValue<Selector<Option<TaskId>>>,
    pub(crate) lifted: StoredValue<Selector<Option<TaskId>>>,
}

impl BoardCtx {
    /// Drops the moving card where it would land: one command (status and place), or nothing
    /// when it would stay put.
    pub(crate) fn drop_moving(&self, ctx: &ProjectCtx) {
        let Some(moving) = self.moving.get_untracked() else { return };
        self.moving.set(None);
        let Some(card) = ctx.task(moving.card).map(|e| e.get_untracked()) else { return };
        let command = self.layout.with_untracked(|b| {
            let to = b.columns.get(moving.column)?;
            let cards = b.lanes.get(moving.lane)?.cells.get(moving.column)?;
            let tasks: std::collections::HashMap<TaskId, _> =
                cards.iter().filter_map(|id| Some((*id, ctx.task(*id)?.get_untracked()))).collect();
            drop_card(
                &card.task,
                to,
                cards,
                moving.index,
                |id| tasks.get(&id).map(|e| &e.task),
                js_sys::Date::now() as i64,
            )
        });
        if let Some(command) = command {
            ctx.dispatch(command);
        }
    }
}

/// The board: a column per status of the plan's workflow with its count, cards in their
/// order, optional swimlanes, the list's filter, quick add at the top of each column, and
/// cards moved by dragging (mouse, touch, pen) or the keyboard.
#[component]
pub(crate) fn BoardView(filter: RwSignal<TaskFilter>, workspace: Option<DocumentId>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let locale = expect_context::<LocaleCtx>().0;
    let meta = ctx.meta;
    let people = members_by_name(expect_context::<WorkspaceCtx>().workspace);
    let lanes = RwSignal::new(Lanes::None);
    // The plan's own statuses, else the five built in, named in the person's language.
    let workflow = Memo::new(move |_| {
        locale.track();
        let custom = meta.with(|m| m.as_ref().map(|m| m.workflow.clone()).unwrap_or_default());
        if !custom.is_empty() {
            return custom;
        }
        Status::DEFAULTS
            .iter()
            .map(|s| WorkflowStep { status: s.clone(), name: t().status(s) })
            .collect::<Vec<_>>()
    });
    let layout = {
        let ctx = ctx.clone();
        Memo::new(move |_| {
            let f = filter.get();
            let lanes = lanes.get();
            let members: Vec<_> = people.with(|p| p.iter().map(|(id, _)| *id).collect());
            let steps = workflow.get();
            // Any edit lays the board out again.
            ctx.judged(|rows, tasks, judge| {
                board(rows, |id| tasks.get(&id).map(|e| &e.task), &f, lanes, &steps, &members, judge)
            })
        })
    };
    let moving = RwSignal::new(None::<Moving>);
    let scroller = NodeRef::<Div>::new();
    let held = StoredValue::new(Selector::new(move || moving.with(|m| m.as_ref().map(|m| m.card))));
    let lifted = StoredValue::new(Selector::new(move || {
        moving.with(|m| m.as_ref().filter(|m| m.pointer.is_none()).map(|m| m.card))
    }));
    let board_ctx = BoardCtx { layout, moving, held, lifted };
    provide_context(board_ctx);

    // The pointer moves the card anywhere on the page; it lands where the pointer is.
    let on_move = {
        move |ev: web_sys::PointerEvent| {
            let Some(current) = moving.get_untracked() else { return };
            let Some(mut pointer) = current.pointer else { return };
            ev.prevent_default();
            pointer.x = f64::from(ev.client_x());
            pointer.y = f64::from(ev.client_y());
            auto_scroll(scroller, pointer.x, pointer.y);
            let target = target_at(pointer.x, pointer.y);
            moving.set(Some(Moving {
                pointer: Some(pointer),
                ..match target {
                    Some((lane, column, index)) if lane == current.lane => {
                        Moving { column, index, ..current.clone() }
                    }
                    _ => current.clone(),
                }
            }));
        }
    };
    let move_handle = window_event_listener(leptos::ev::pointermove, on_move);
    let up_handle = {
        let ctx = ctx.clone();
        window_event_listener(leptos::ev::pointerup, move |_| {
            if moving.with_untracked(|m| m.as_ref().is_some_and(|m| m.pointer.is_some())) {
                board_ctx.drop_moving(&ctx);
            }
        })
    };
    let cancel_handle = window_event_listener(leptos::ev::pointercancel, move |_| {
        if moving.with_untracked(|m| m.as_ref().is_some_and(|m| m.pointer.is_some())) {
            moving.set(None);
        }
    });
    // Esc lets go of a dragged card where it was.
    let escape_handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && moving.with_untracked(|m| m.as_ref().is_some_and(|m| m.pointer.is_some()))
        {
            moving.set(None);
        }
    });
    on_cleanup(move || {
        move_handle.remove();
        up_handle.remove();
        cancel_handle.remove();
        escape_handle.remove();
    });

    let ghost = move || {
        let m = moving.get()?;
        let p = m.pointer?;
        let title = ctx.task(m.card)?.with_untracked(|e| e.task.title.clone());
        Some(view! {
            <div class="board-card ghost" data-testid="card-ghost"
                style:left=format!("{}px", p.x - p.grab_x)
                style:top=format!("{}px", p.y - p.grab_y)
                style:width=format!("{}px", p.width)>
                {title}
            </div>
        })
    };
    // Redrawn only when the columns themselves change, not on every edit of a card.
    let column_list = Memo::new(move |_| layout.with(|b| b.columns.clone()));
    let columns = move || column_list.with(Vec::len);
    view! {
        <FilterBar filter=filter arrangement=None/>
        <div class="board-bar">
            <label>{move || t().lanes_label}" "
                <select data-testid="board-lanes" on:change=move |ev| {
                    let i = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                    lanes.set(LANES.get(i).copied().unwrap_or_default());
                }>
                    {LANES.iter().enumerate().map(|(i, l)| {
                        let l = *l;
                        view! { <option value=i.to_string() selected=move || lanes.get() == l>{move || t().lane_names[i]}</option> }
                    }).collect_view()}
                </select>
            </label>
            <span class="muted">{move || t().card_keys}</span>
        </div>
        <div class="board" data-testid="board" node_ref=scroller
            style:grid-template-columns=move || format!("repeat({}, minmax(12.5rem, 1fr))", columns().max(1))>
            {move || {
                let steps = workflow.get();
                column_list.with(|list| list.iter().enumerate().map(|(c, status)| {
                    let name = steps.iter().find(|s| s.status == *status).map(|s| s.name.clone()).unwrap_or_else(|| t().status(status));
                    let key = status.key().to_owned();
                    let count = Memo::new(move |_| layout.with(|b| b.count(c)));
                    let limit = {
                        let key = key.clone();
                        Memo::new(move |_| meta.with(|m| m.as_ref().and_then(|m| m.wip_limits.get(&key).copied())))
                    };
                    let over = move || limit.get().is_some_and(|l| count.get() > l as usize);
                    view! {
                        <header class="board-column-head" class:over=over data-testid="board-column-head" data-status=key.clone()
                            data-over=move || over().to_string()>
                            <span class="name" data-testid="column-name">{name}</span>
                            <ColumnLimit status=status.clone() count=count limit=limit/>
                            <QuickAdd status=status.clone()/>
                        </header>
                    }
                }).collect_view())
            }}
            <For each={move || layout.with(|b| (0..b.lanes.len()).map(|l| (l, b.lanes[l].heading.clone())).collect::<Vec<_>>())}
                key=|lane| lane.clone() let:lane>
                {
                    let (l, heading) = lane;
                    let label = heading.clone().map(heading_label);
                    view! {
                        {label.map(|label| view! { <h3 class="board-lane-head" data-testid="lane-name" style:grid-column="1 / -1">{label}</h3> })}
                        {move || (0..columns()).map(|c| view! { <BoardCell lane=l column=c workspace=workspace/> }).collect_view()}
                    }
                }
            </For>
        </div>
        {ghost}
    }
}

/// One column of one lane: its cards in order, and where a moving card would land.
#[component]
fn BoardCell(lane: usize, column: usize, workspace: Option<DocumentId>) -> impl IntoView {
    let board = expect_context::<BoardCtx>();
    let (layout, moving) = (board.layout, board.moving);
    let cards = Memo::new(move |_| {
        layout.with(|b| b.lanes.get(lane).and_then(|l| l.cells.get(column)).cloned().unwrap_or_default())
    });
    let status_key =
        move || layout.with(|b| b.columns.get(column).map(|s| s.key().to_owned()).unwrap_or_default());
    // Where a moving card would land in this cell: above which card (`Some(None)`: at the end).
    let line = Memo::new(move |_| {
        moving.with(|m| {
            m.as_ref()
                .filter(|m| m.lane == lane && m.column == column)
                .map(|m| cards.with(|c| c.get(m.index).copied()))
        })
    });
    view! {
        <div class="board-cell" data-testid="board-cell" data-cell=format!("{lane}:{column}") data-status=status_key
            class:target={move || line.get().is_some()}>
            <For each={move || cards.get()} key=|id| *id let:id>
                <Show when=move || line.get() == Some(Some(id))><div class="drop-line" data-testid="drop-line"></div></Show>
                <BoardCard id=id lane=lane workspace=workspace/>
            </For>
            <Show when=move || line.get() == Some(None)><div class="drop-line" data-testid="drop-line"></div></Show>
        </div>
    }
}

/// A column's count, and its limit when it has one ("4 / 3"); clicking it sets the limit.
#[component]
fn ColumnLimit(status: Status, count: Memo<usize>, limit: Memo<Option<u32>>) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let save = move || {
        let text = draft.get_untracked();
        let value = text.trim();
        // Empty lifts the limit; text that is no whole number stays in the field to correct.
        let limit = if value.is_empty() { Some(None) } else { value.parse::<u32>().ok().map(Some) };
        if let Some(limit) = limit
            && ctx.dispatch(Command::SetWipLimit { status: status.clone(), limit })
        {
            editing.set(false);
        }
    };
    view! {
        <Show when=move || editing.get() fallback=move || view! {
            <button type="button" class="count link" data-testid="column-count" title=move || t().wip_help
                on:click=move |_| {
                    draft.set(limit.get_untracked().map(|l| l.to_string()).unwrap_or_default());
                    editing.set(true);
                }>
                {move || match limit.get() {
                    Some(l) => format!("{} / {l}", count.get()),
                    None => count.get().to_string(),
                }}
            </button>
        }>
            <form class="wip" on:submit={
                let save = save.clone();
                move |ev| { ev.prevent_default(); save(); }
            }>
                <input type="number" min="1" max="999" data-testid="wip-input" autofocus
                    placeholder=move || t().wip_limit aria-label=move || t().wip_help
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Escape" { editing.set(false); }/>
            </form>
        </Show>
    }
}

/// Adds a card at the top of a column, for those who may add tasks (not a viewer or a
/// content editor).
#[component]
fn QuickAdd(status: Status) -> impl IntoView {
    let ctx = expect_context::<ProjectCtx>();
    move || {
        ctx.may(launchplan_shared::domain::permissions::Part::Structure)
            .then(|| view! { <QuickAddForm status=status.clone()/> })
    }
}

/// Adds a card at the top of a column: a task with that status, placed above the others.
#[component]
fn QuickAddForm(status: Status) -> impl IntoView {
    let t = use_strings();
    let ctx = expect_context::<ProjectCtx>();
    let open = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let key = status.key().to_owned();
    let add = {
        let status = status.clone();
        move || {
            let text = title.get_untracked();
            if text.trim().is_empty() {
                return;
            }
            let id = TaskId::random();
            let at = js_sys::Date::now() as i64;
            // Above every card of the column, shown or filtered out, in whichever lane.
            let top = ctx.order.with_untracked(|order| {
                order
                    .iter()
                    .filter_map(|id| ctx.task(*id))
                    .filter_map(|e| {
                        e.with_untracked(|e| (e.task.status == status).then(|| e.task.board_rank()))
                    })
                    .min()
            });
            let mut commands = vec![Command::AddTask { id, title: text, phase: None, at }];
            if status != Status::Todo {
                commands.push(Command::SetStatus { id, status: status.clone(), at });
            }
            commands.push(Command::SetField {
                id,
                field: TaskField::Rank(Some(Rank::between(None, top.as_ref()))),
            });
            if ctx.dispatch(Command::Batch { commands }) {
                title.set(String::new());
                open.set(false);
            }
        }
    };
    let button_key = key.clone();
    view! {
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="link add-card" data-testid="add-card" data-status=button_key.clone() title=move || t().add_card
                on:click=move |_| open.set(true)>"＋"</button>
        }>
            <form class="quick-add" data-testid="quick-add" data-status=key.clone() on:submit={
                let add = add.clone();
                move |ev| { ev.prevent_default(); add(); }
            }>
                <input type="text" data-testid="card-input" placeholder=move || t().add_card maxlength="200" autofocus
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Escape" { open.set(false); }/>
            </form>
        </Show>
    }
}

/// Where on the board the pointer is: the cell (lane, column) under it and the place in that
/// cell (how many of its cards, the moving one included, have their middle above the pointer).
fn target_at(x: f64, y: f64) -> Option<(usize, usize, usize)> {
    let document = web_sys::window()?.document()?;
    let cell = document
        .elements_from_point(x as f32, y as f32)
        .iter()
        .filter_map(|e| e.dyn_into::<web_sys::Element>().ok())
        .find_map(|e| e.closest("[data-cell]").ok().flatten())?;
    let (lane, column) = cell
        .get_attribute("data-cell")?
        .split_once(':')
        .and_then(|(l, c)| Some((l.parse().ok()?, c.parse().ok()?)))?;
    let cards = cell.query_selector_all("[data-testid=\"card\"]").ok()?;
    let mut index = 0;
    for i in 0..cards.length() {
        let Some(el) = cards.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let rect = el.get_bounding_client_rect();
        let middle = rect.top() + rect.height() / 2.0;
        if middle < y {
            index = i as usize + 1;
        }
    }
    Some((lane, column, index))
}

/// Scrolls the board sideways, and the page up and down, while the pointer is near an edge.
fn auto_scroll(scroller: NodeRef<Div>, x: f64, y: f64) {
    const EDGE: f64 = 48.0;
    const STEP: i32 = 24;
    if let Some(el) = scroller.get_untracked() {
        let rect = el.get_bounding_client_rect();
        if x < rect.left() + EDGE {
            el.set_scroll_left(el.scroll_left() - STEP);
        } else if x > rect.right() - EDGE {
            el.set_scroll_left(el.scroll_left() + STEP);
        }
    }
    if let Some(window) = web_sys::window() {
        let height = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
        if y < EDGE {
            window.scroll_by_with_x_and_y(0.0, -f64::from(STEP));
        } else if y > height - EDGE {
            window.scroll_by_with_x_and_y(0.0, f64::from(STEP));
        }
    }
}
