//! Find / action / check helpers for the Gantt chart.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context;
use fantoccini::Locator;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use serde_json::Value;

use crate::browser::Page;
use crate::wait_for;

/// A task's bar as the chart draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub start: String,
    pub due: String,
    pub critical: bool,
}

/// Every bar and arrow of the chart, by task id and by `from>to`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chart {
    pub bars: BTreeMap<String, Bar>,
    /// Whether each arrow is marked critical.
    pub arrows: BTreeMap<String, bool>,
}

/// Page script: scrolls the chart from top to bottom as a reader would, a frame at each
/// stop, and collects what each stop draws (only the rows in view are drawn).
const READ_CHART: &str = "const done = arguments[arguments.length - 1];
  const s = document.querySelector('[data-testid=\"gantt\"]');
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const bars = {}, arrows = {};
  (async () => {
    const keep = s.scrollTop;
    for (let top = 0; ; top += Math.max(64, Math.floor(s.clientHeight / 2))) {
      s.scrollTop = top;
      await frame();
      for (const b of s.querySelectorAll('[data-testid=\"gantt-bar\"]')) {
        bars[b.dataset.ganttTask] = { start: b.dataset.start, due: b.dataset.due, critical: b.dataset.critical === 'true' };
      }
      for (const a of s.querySelectorAll('[data-testid=\"gantt-arrow\"]')) {
        arrows[a.dataset.from + '>' + a.dataset.to] = a.dataset.critical === 'true';
      }
      if (top + s.clientHeight >= s.scrollHeight) break;
    }
    s.scrollTop = keep;
    await frame();
    done({ bars, arrows });
  })();";

/// Page script: scrolls the chart so that the element matched by `arguments[0]` is in the
/// middle of it.
const SHOW: &str = "const done = arguments[arguments.length - 1];
  const el = document.querySelector(arguments[0]);
  if (!el) { done(false); return; }
  el.scrollIntoView({ block: 'center', inline: 'center' });
  requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";

fn bar_css(task: &str) -> String {
    format!("[data-testid=\"gantt-bar\"][data-gantt-task=\"{task}\"]")
}

impl Page {
    /// Switches the plan to its Gantt chart and waits for its first bars.
    pub async fn open_gantt(&self) -> anyhow::Result<()> {
        self.click("view-gantt").await?;
        wait_for(&format!("{} to draw the chart", self.name), || async {
            let bars = self.client.find_all(Locator::Css("[data-testid=\"gantt-bar\"]")).await?;
            Ok((!bars.is_empty()).then_some(()))
        })
        .await
    }

    /// Every bar and arrow of the chart, read by scrolling through it.
    pub async fn gantt(&self) -> anyhow::Result<Chart> {
        let value = self.client.execute_async(READ_CHART, vec![]).await.context("reading the chart")?;
        let mut chart = Chart::default();
        if let Some(bars) = value["bars"].as_object() {
            for (id, bar) in bars {
                let text = |k: &str| bar[k].as_str().unwrap_or_default().to_owned();
                chart.bars.insert(
                    id.clone(),
                    Bar {
                        start: text("start"),
                        due: text("due"),
                        critical: bar["critical"] == Value::Bool(true),
                    },
                );
            }
        }
        if let Some(arrows) = value["arrows"].as_object() {
            for (key, critical) in arrows {
                chart.arrows.insert(key.clone(), critical == &Value::Bool(true));
            }
        }
        Ok(chart)
    }

    /// Waits until the chart shows `check` true of it.
    pub async fn wait_gantt(&self, what: &str, check: impl Fn(&Chart) -> bool) -> anyhow::Result<Chart> {
        let check = &check;
        wait_for(&format!("{} to show {what}", self.name), || async move {
            let chart = self.gantt().await?;
            Ok(check(&chart).then_some(chart))
        })
        .await
    }

    /// Scrolls the chart to `task`'s bar.
    pub async fn show_bar(&self, task: &str) -> anyhow::Result<()> {
        self.show(&bar_css(task)).await
    }

    /// Scrolls the chart until the element `css` matches is drawn, and to its middle.
    async fn show(&self, css: &str) -> anyhow::Result<()> {
        let css = css.to_owned();
        wait_for(&format!("{} to draw {css}", self.name), || async {
            // The rows are drawn as they come into view: scroll down until it is drawn.
            let found = self.client.execute_async(SHOW, vec![Value::String(css.clone())]).await?;
            if found == Value::Bool(true) {
                return Ok(Some(()));
            }
            self.client
                .execute(
                    "const s = document.querySelector('[data-testid=\"gantt\"]'); s.scrollTop += s.clientHeight / 2;",
                    vec![],
                )
                .await?;
            Ok(None)
        })
        .await
    }

    /// Drags part `part` (`.bar` to move it, `.grip` to pull its end) of `task`'s bar `dx`
    /// pixels sideways with the mouse, in steps as a hand does.
    pub async fn drag_bar(&self, task: &str, part: &str, dx: f64) -> anyhow::Result<()> {
        self.show_bar(task).await?;
        let handle = self.client.find(Locator::Css(&format!("{} {part}", bar_css(task)))).await?;
        let step = Some(Duration::from_millis(60));
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element: handle, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveBy { duration: step, x: 8.0, y: 0.0 })
            .then(PointerAction::MoveBy { duration: step, x: dx / 2.0 - 8.0, y: 0.0 })
            .then(PointerAction::MoveBy { duration: step, x: dx / 2.0, y: 0.0 })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client
            .perform_actions(mouse)
            .await
            .with_context(|| format!("{} dragging the bar of {task}", self.name))?;
        self.client.release_actions().await?;
        Ok(())
    }

    /// Drags the body of `task`'s bar `dx` px to the right and clicks Undo right after the
    /// drop, in one page script: in the first task after it, before the next frame (no person
    /// is that quick; the move is shown at once and written after that frame, and the Undo
    /// must still take back that move, not the edit before it). Fails if the move was
    /// written before the click (then this tests nothing).
    pub async fn drag_bar_and_undo_at_once(&self, task: &str, dx: f64) -> anyhow::Result<()> {
        self.show_bar(task).await?;
        let script = "const [css, dx, done] = arguments;
          const bar = document.querySelector(css);
          const r = bar.getBoundingClientRect();
          const at = (x, b) => ({ bubbles: true, cancelable: true, clientX: x, clientY: r.y + r.height / 2,
            pointerId: 1, button: 0, buttons: b, isPrimary: true, pointerType: 'mouse' });
          const x = r.x + Math.min(10, r.width / 2);
          const written = () => performance.getEntriesByName('lp:move-written').length;
          const before = written();
          bar.dispatchEvent(new PointerEvent('pointerdown', at(x, 1)));
          window.dispatchEvent(new PointerEvent('pointermove', at(x + 8, 1)));
          window.dispatchEvent(new PointerEvent('pointermove', at(x + dx, 1)));
          window.dispatchEvent(new PointerEvent('pointerup', at(x + dx, 0)));
          setTimeout(() => {
            const undo = document.querySelector('[data-testid=\"undo\"]');
            const unwritten = written() === before;
            const enabled = !undo.disabled;
            undo.click();
            done({ unwritten, enabled });
          }, 0);";
        let answer = self
            .client
            .execute_async(script, vec![Value::String(format!("{} .bar", bar_css(task))), Value::from(dx)])
            .await
            .with_context(|| format!("{} dragging the bar of {task} and undoing at once", self.name))?;
        anyhow::ensure!(
            answer["unwritten"] == Value::Bool(true),
            "{}: the move was written before Undo was clicked ({answer})",
            self.name
        );
        anyhow::ensure!(
            answer["enabled"] == Value::Bool(true),
            "{}: Undo was not offered after the drop",
            self.name
        );
        Ok(())
    }

    /// Types `keys` (WebDriver key codes, such as `\u{E014}` for the right arrow) on
    /// `task`'s bar, one right after another.
    pub async fn keys_on_bar(&self, task: &str, keys: &str) -> anyhow::Result<()> {
        self.show_bar(task).await?;
        let bar = self.client.find(Locator::Css(&bar_css(task))).await?;
        bar.send_keys(keys).await.with_context(|| format!("{} typing on the bar of {task}", self.name))
    }

    /// Whether `to`'s bar can be reached from the dot beside `from`'s: with the dot in the
    /// middle of the chart, the bar is drawn on top at its own middle (not under the row
    /// names or the header, not off the chart).
    pub async fn bar_in_reach(&self, from: &str, to: &str) -> anyhow::Result<bool> {
        let dot = format!("{} [data-testid=\"gantt-link-dot\"]", bar_css(from));
        self.show(&dot).await?;
        let script = "const bar = document.querySelector(arguments[0]);
          if (!bar) return false;
          const r = bar.getBoundingClientRect();
          const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return !!top && !!top.closest(arguments[1]);";
        let found = self
            .client
            .execute(script, vec![Value::String(format!("{} .bar", bar_css(to))), Value::String(bar_css(to))])
            .await?;
        Ok(found == Value::Bool(true))
    }

    /// Drags the dot beside `from`'s bar onto `to`'s bar (see [`Page::bar_in_reach`]): `to`
    /// is to wait for `from`.
    pub async fn link_bars(&self, from: &str, to: &str) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.bar_in_reach(from, to).await?,
            "the bar of {to} is out of reach of {from}'s dot"
        );
        let dot = self
            .client
            .find(Locator::Css(&format!("{} [data-testid=\"gantt-link-dot\"]", bar_css(from))))
            .await?;
        let target = self.client.find(Locator::Css(&format!("{} .bar", bar_css(to)))).await?;
        let step = Some(Duration::from_millis(60));
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element: dot, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveBy { duration: step, x: 10.0, y: 6.0 })
            .then(PointerAction::MoveToElement { element: target.clone(), duration: step, x: 2.0, y: 1.0 })
            .then(PointerAction::MoveToElement { element: target, duration: step, x: 0.0, y: 0.0 })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client
            .perform_actions(mouse)
            .await
            .with_context(|| format!("{} linking {from} to {to}", self.name))?;
        self.client.release_actions().await?;
        Ok(())
    }
}
