//! Find / action / check helpers for the board view.

use std::time::Duration;

use anyhow::Context;
use fantoccini::Locator;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};

use crate::browser::Page;
use crate::wait_for;

pub const SPACE: char = '\u{e00d}';
pub const LEFT: char = '\u{e012}';
pub const UP: char = '\u{e013}';
pub const RIGHT: char = '\u{e014}';
pub const DOWN: char = '\u{e015}';

/// The board as drawn: for each lane, each column's card titles, top first.
pub type Cells = Vec<Vec<Vec<String>>>;

/// Page script: the titles in every cell, by lane and column.
const READ_CELLS: &str = "const cells = [...document.querySelectorAll('[data-testid=\"board-cell\"]')];
  const out = [];
  for (const cell of cells) {
    const [lane, column] = cell.dataset.cell.split(':').map(Number);
    out[lane] = out[lane] || [];
    out[lane][column] = [...cell.querySelectorAll('[data-testid=\"card-title\"]')].map(e => e.textContent);
  }
  return out;";

impl Page {
    /// Switches the plan to its board and waits for it.
    pub async fn open_board(&self) -> anyhow::Result<()> {
        self.click("view-board").await?;
        self.find("board").await.map(|_| ())
    }

    pub async fn board_cells(&self) -> anyhow::Result<Cells> {
        let cells = self.client.execute(READ_CELLS, vec![]).await.context("reading the board")?;
        Ok(serde_json::from_value(cells)?)
    }

    /// The column names, left to right.
    pub async fn board_columns(&self) -> anyhow::Result<Vec<String>> {
        let names = self
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"column-name\"]')].map(e => e.textContent)",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(names)?)
    }

    /// Waits until column `column` of lane 0 shows exactly `titles`.
    pub async fn wait_column(&self, column: usize, titles: &[&str]) -> anyhow::Result<()> {
        wait_for(&format!("{} to show column {column} as {titles:?}", self.name), || async {
            let cells = self.board_cells().await?;
            match cells.first().and_then(|lane| lane.get(column)) {
                Some(shown) if shown == titles => Ok(Some(())),
                // Said when the wait times out.
                shown => anyhow::bail!("it shows {shown:?}"),
            }
        })
        .await
    }

    /// Drags the card called `title` with the mouse, through pointer events as a person's
    /// hand makes them, into column `column` of its lane: just above the card now at `index`
    /// there, or at the bottom when there is none.
    pub async fn drag_card(&self, title: &str, column: usize, index: usize) -> anyhow::Result<()> {
        let card = self.card(title).await?;
        let lane = card.attr("data-lane").await?.unwrap_or_else(|| "0".into());
        let cell_css = format!("[data-testid=\"board-cell\"][data-cell=\"{lane}:{column}\"]");
        let cell =
            self.client.find(Locator::Css(&cell_css)).await.with_context(|| format!("finding {cell_css}"))?;
        let cards = cell.find_all(Locator::Css("[data-testid=\"card\"]")).await?;
        // Offsets are from an element's centre: a few pixels below the top edge of the card
        // to land above, or just inside the bottom of the cell.
        let (target, y) = match cards.get(index) {
            Some(card) => {
                let (_, _, _, height) = card.rectangle().await?;
                (card.clone(), -(height / 2.0) + 3.0)
            }
            None => {
                let (_, _, _, height) = cell.rectangle().await?;
                (cell, height / 2.0 - 4.0)
            }
        };
        let step = Some(Duration::from_millis(60));
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element: card, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveBy { duration: step, x: 12.0, y: 12.0 })
            .then(PointerAction::MoveToElement {
                element: target.clone(),
                duration: step,
                x: 4.0,
                y: y + 6.0,
            })
            .then(PointerAction::MoveToElement { element: target, duration: step, x: 0.0, y })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client
            .perform_actions(mouse)
            .await
            .with_context(|| format!("{} dragging {title:?}", self.name))?;
        self.client.release_actions().await?;
        Ok(())
    }

    /// Moves the card called `title` from the keyboard: focuses it, picks it up with Space,
    /// presses `arrows` (of [`UP`], [`DOWN`], [`LEFT`], [`RIGHT`]) and puts it down with Space.
    pub async fn move_card_with_keys(&self, title: &str, arrows: &[char]) -> anyhow::Result<()> {
        use fantoccini::actions::{KeyAction, KeyActions};
        let card = self.card(title).await?;
        self.client.execute("arguments[0].focus()", vec![serde_json::to_value(&card)?]).await?;
        let mut keys = KeyActions::new("keyboard".into());
        for key in std::iter::once(&SPACE).chain(arrows).chain(std::iter::once(&SPACE)) {
            keys = keys.then(KeyAction::Down { value: *key }).then(KeyAction::Up { value: *key });
        }
        self.client
            .perform_actions(keys)
            .await
            .with_context(|| format!("{} moving {title:?} by keys", self.name))
    }

    /// Types `words` into the filter above the list and the board.
    pub async fn filter_words(&self, words: &str) -> anyhow::Result<()> {
        let field = self.find("filter-text").await?;
        // Emptied as a person does it: select all, delete.
        field.send_keys("\u{e009}a\u{e000}\u{e003}").await.context("emptying the filter")?;
        field.send_keys(words).await.context("typing into the filter")
    }

    /// Sets the limit of the column for status `key` (`in_progress`, …) from its header:
    /// `limit` is what a person types (empty lifts it).
    pub async fn set_column_limit(&self, key: &str, limit: &str) -> anyhow::Result<()> {
        let head = format!("[data-testid=\"board-column-head\"][data-status=\"{key}\"]");
        self.client
            .find(Locator::Css(&format!("{head} [data-testid=\"column-count\"]")))
            .await?
            .click()
            .await?;
        let field = self.client.find(Locator::Css(&format!("{head} [data-testid=\"wip-input\"]"))).await?;
        // Select all, then type over it.
        field.send_keys(&format!("\u{e009}a\u{e000}{limit}\u{e007}")).await.context("typing a column's limit")
    }

    /// What the header of the column for status `key` counts ("2" or "2 / 1"), and whether
    /// it warns that the column is past its limit.
    pub async fn column_head(&self, key: &str) -> anyhow::Result<(String, bool)> {
        let head = self
            .client
            .find(Locator::Css(&format!("[data-testid=\"board-column-head\"][data-status=\"{key}\"]")))
            .await?;
        let count = head.find(Locator::Css("[data-testid=\"column-count\"]")).await?.text().await?;
        Ok((count, head.attr("data-over").await?.as_deref() == Some("true")))
    }

    /// The card called `title`.
    pub async fn card(&self, title: &str) -> anyhow::Result<fantoccini::elements::Element> {
        wait_for(&format!("{} to show the card {title:?}", self.name), || async {
            for card in self.client.find_all(Locator::Css("[data-testid=\"card\"]")).await? {
                if card.find(Locator::Css("[data-testid=\"card-title\"]")).await?.text().await? == title {
                    return Ok(Some(card));
                }
            }
            Ok(None)
        })
        .await
    }
}
