//! Cards dropped on a board whose first column holds `cards` cards, by pointer events as a
//! mouse makes them: each timed from the button's release to the frame that shows the card
//! in its new column.

use anyhow::Context;
use fantoccini::Client;

/// Page script: `arguments[0]` drops, each of the first card of 待开始 onto 进行中. Answers the
/// milliseconds from each pointerup to the end of the frame that draws the card there.
const DROPS: &str = "const [count, done] = arguments;
const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
const until = async ok => { while (!ok()) await new Promise(r => setTimeout(r, 1)); };
const at = (x, y) => ({ bubbles: true, clientX: x, clientY: y, pointerId: 1, button: 0, isPrimary: true, pointerType: 'mouse' });
(async () => {
  const out = [];
  for (let i = 0; i < count; i++) {
    const card = document.querySelector('[data-cell=\"0:0\"] [data-testid=\"card\"]');
    const id = card.dataset.taskId;
    const from = card.getBoundingClientRect();
    const to = document.querySelector('[data-cell=\"0:1\"]').getBoundingClientRect();
    card.dispatchEvent(new PointerEvent('pointerdown', at(from.x + 10, from.y + 10)));
    card.dispatchEvent(new PointerEvent('pointermove', at(from.x + 30, from.y + 30)));
    await frame();
    card.dispatchEvent(new PointerEvent('pointermove', at(to.x + 20, to.y + 8)));
    await frame();
    const started = performance.now();
    card.dispatchEvent(new PointerEvent('pointerup', at(to.x + 20, to.y + 8)));
    await until(() => document.querySelector(`[data-cell=\"0:1\"] [data-task-id=\"${id}\"]`));
    await frame();
    out.push(performance.now() - started);
  }
  return out;
})().then(done).catch(e => done({ error: String(e) }));";

/// Opens `link` in `page` as a board and times `drops` drops.
pub(crate) async fn drops(page: &Client, link: &str, cards: usize, drops: usize) -> anyhow::Result<Vec<f64>> {
    page.goto(link).await.context("opening the board's plan")?;
    let ready = "const done = arguments[arguments.length - 1];
      const n = arguments[0];
      const tab = () => document.querySelector('[data-testid=\"view-board\"]');
      const until = (ok, then) => ok() ? then() : setTimeout(() => until(ok, then), 20);
      until(tab, () => { tab().click();
        until(() => document.querySelectorAll('[data-cell=\"0:0\"] [data-testid=\"card\"]').length === n, () => done(true)); });";
    page.execute_async(ready, vec![serde_json::json!(cards)]).await.context("waiting for the board")?;
    let took = page.execute_async(DROPS, vec![serde_json::json!(drops)]).await.context("dropping cards")?;
    if let Some(error) = took.get("error") {
        anyhow::bail!("the drop script failed: {error}");
    }
    Ok(serde_json::from_value(took)?)
}
