//! What the benchmark runs inside the pages: a probe installed before the app's own scripts
//! in every document (open times, errors, WebSocket traffic, the Enter key), and the per-edit
//! watchers that time a title reaching the screen.
//!
//! Every time is the page's `performance.now()`: milliseconds since its navigation started.
//! Times compared across the two browsers are made epoch times with the page's
//! `performance.timeOrigin` (both browsers run on this machine, on one clock).

use std::time::Duration;

use anyhow::{Context, bail};
use fantoccini::Client;
use serde_json::{Value, json};

/// Installed with `Page.addScriptToEvaluateOnNewDocument`: it runs in every document before
/// the app's scripts. It records
/// - `open`: the first moment task rows and the add-task input are in the page (a
///   MutationObserver, so the moment the mutation happened, not when a poll noticed it), then
///   the next frame;
/// - `marks`: the app started (Trunk's `TrunkApplicationStarted`), `data-app-ready`, the
///   WebSocket opened;
/// - every WebSocket frame in and out (time, size, whether it is an ephemeral message such as
///   presence), by subclassing `WebSocket`: one extra listener per socket, nothing else;
/// - the last Enter keydown: its event timestamp (when the browser took the input) and when a
///   capturing listener on `document` saw it, before the app's own listener;
/// - uncaught errors, unhandled rejections, `console.error` and `console.warn`.
pub(crate) const PAGE_PROBE: &str = r#"(() => {
  if (window.__lpBench) return;
  const lp = (window.__lpBench = { errors: [], open: null, marks: {}, wsIn: [], wsOut: [], enter: null });
  const now = () => performance.now();
  const note = (kind, text) => {
    if (lp.errors.length < 200) lp.errors.push(`${kind}: ${String(text).slice(0, 1000)}`);
  };
  addEventListener('error', (e) => note('error', (e.error && e.error.stack) || `${e.message} (${e.filename}:${e.lineno})`));
  addEventListener('unhandledrejection', (e) => note('unhandled rejection', (e.reason && e.reason.stack) || e.reason));
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = function (...args) {
      note(`console.${level}`, args.map(String).join(' '));
      return original.apply(this, args);
    };
  }
  addEventListener('TrunkApplicationStarted', (e) => {
    lp.marks.started = now();
    lp.wasm = e.detail && e.detail.wasm;
  });
  // Calls back with the time of the next frame's requestAnimationFrame and the time that
  // frame's rendering (style, layout, paint, handing it to the compositor) is done: a
  // user-blocking task posted from the rAF callback runs right after it, before the tasks the
  // app queued for after the paint (storage, sending, rescheduling), which would otherwise
  // count as part of the frame.
  lp.afterFrame = (then) =>
    requestAnimationFrame(() => {
      const frame = now();
      const done = () => then(frame, now());
      if (globalThis.scheduler && scheduler.postTask) {
        scheduler.postTask(done, { priority: 'user-blocking' });
      } else {
        const channel = new MessageChannel();
        channel.port1.onmessage = done;
        channel.port2.postMessage(null);
      }
    });
  // Tasks that held the main thread 50 ms or more (start and length), for explaining a slow
  // measurement.
  lp.long = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) lp.long.push({ at: e.startTime, ms: e.duration });
      if (lp.long.length > 1000) lp.long.splice(0, 500);
    }).observe({ type: 'longtask', buffered: true });
  } catch (_) {}
  const find = (css) => document.querySelector(css);
  const opening = new MutationObserver(() => {
    if (lp.marks.ready === undefined && document.documentElement?.dataset.appReady === 'true') lp.marks.ready = now();
    if (!find('[data-testid="task-row"]') || !find('[data-testid="task-input"]')) return;
    opening.disconnect();
    const open = (lp.open = {
      dom: now(),
      count: Number(find('[data-testid="tasks"]')?.dataset.count ?? 0),
      rows: document.querySelectorAll('[data-testid="task-row"]').length,
      messages: lp.wsIn.length,
      bytes: lp.wsIn.reduce((sum, m) => sum + m.bytes, 0),
    });
    lp.afterFrame((frame, painted) => Object.assign(open, { frame, painted }));
  });
  opening.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-app-ready'] });
  // The plan's document loaded: edits made before wait for it (the rows show first, from
  // the view the app kept).
  const loading = new MutationObserver(() => {
    if (!find('[data-testid="project"][data-loaded="true"]')) return;
    loading.disconnect();
    lp.marks.loaded = now();
  });
  loading.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-loaded'] });
  // The key's own timestamp (when the browser took the input), and when it reached the page.
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      lp.enter = e.timeStamp;
      lp.enterHandled = now();
    }
  }, true);
  const EPHEMERAL = Array.from('ephemeral', (c) => c.charCodeAt(0));
  const bytesOf = (data) =>
    data instanceof ArrayBuffer ? new Uint8Array(data)
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  const isEphemeral = (bytes) => {
    if (!bytes) return false;
    const last = Math.min(bytes.length, 256) - EPHEMERAL.length;
    outer: for (let i = 0; i <= last; i++) {
      for (let j = 0; j < EPHEMERAL.length; j++) if (bytes[i + j] !== EPHEMERAL[j]) continue outer;
      return true;
    }
    return false;
  };
  const record = (list, data) => {
    const bytes = bytesOf(data);
    list.push({ at: now(), bytes: bytes ? bytes.length : (data.size ?? String(data).length), ephemeral: isEphemeral(bytes) });
    if (list.length > 4000) list.splice(0, 2000);
  };
  const Native = window.WebSocket;
  window.WebSocket = class WebSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { lp.marks.wsOpen ??= now(); });
      this.addEventListener('message', (e) => record(lp.wsIn, e.data));
    }
    send(data) {
      record(lp.wsOut, data);
      return super.send(data);
    }
  };
})();"#;

/// When a page's plan was first on screen, and what led up to it (ms since navigation start).
#[derive(Debug, Clone, Default)]
pub(crate) struct OpenTimes {
    /// Task rows and the add-task input in the DOM.
    pub(crate) dom: f64,
    /// The next frame's requestAnimationFrame, and the end of that frame's rendering.
    pub(crate) frame: f64,
    pub(crate) painted: f64,
    /// The list's task count at `dom`, and the rows drawn.
    pub(crate) count: u64,
    pub(crate) rows: u64,
    /// WebSocket frames (and their bytes) received before `dom`.
    pub(crate) messages: u64,
    pub(crate) bytes: u64,
    pub(crate) html_loaded: Option<f64>,
    pub(crate) wasm_fetched: Option<f64>,
    pub(crate) wasm_transfer_bytes: Option<f64>,
    pub(crate) app_started: Option<f64>,
    pub(crate) app_ready: Option<f64>,
    /// The plan's document loaded (edits apply from here; before, they wait for it).
    pub(crate) loaded: Option<f64>,
    /// The app's own performance marks (`lp:...`), in order.
    pub(crate) app_marks: Vec<(String, f64)>,
    pub(crate) ws_open: Option<f64>,
    pub(crate) first_message: Option<f64>,
}

/// Waits until the page's plan has been on screen (rows, then a frame) and reads the times.
pub(crate) async fn wait_open(client: &Client, patience: Duration) -> anyhow::Result<OpenTimes> {
    let script = r#"
      const lp = window.__lpBench;
      if (!lp || !lp.open || lp.open.painted === undefined || lp.marks.loaded === undefined) return null;
      const nav = performance.getEntriesByType('navigation')[0];
      const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
      const first = lp.wsIn.find((m) => !m.ephemeral);
      return Object.assign({}, lp.open, {
        html_loaded: nav ? nav.responseEnd : null,
        wasm_fetched: wasm ? wasm.responseEnd : null,
        wasm_transfer_bytes: wasm ? wasm.transferSize : null,
        app_started: lp.marks.started ?? null,
        app_ready: lp.marks.ready ?? null,
        loaded: lp.marks.loaded ?? null,
        app_marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('lp:')).map((m) => [m.name, m.startTime]),
        ws_open: lp.marks.wsOpen ?? null,
        first_message: first ? first.at : null,
      });
    "#;
    let v = poll(client, script, patience, "the plan's rows to be on screen").await?;
    let f = |k: &str| v[k].as_f64();
    Ok(OpenTimes {
        dom: f("dom").context("open.dom")?,
        frame: f("frame").context("open.frame")?,
        painted: f("painted").context("open.painted")?,
        count: v["count"].as_u64().unwrap_or(0),
        rows: v["rows"].as_u64().unwrap_or(0),
        messages: v["messages"].as_u64().unwrap_or(0),
        bytes: v["bytes"].as_u64().unwrap_or(0),
        html_loaded: f("html_loaded"),
        wasm_fetched: f("wasm_fetched"),
        wasm_transfer_bytes: f("wasm_transfer_bytes"),
        app_started: f("app_started"),
        app_ready: f("app_ready"),
        loaded: f("loaded"),
        app_marks: serde_json::from_value(v["app_marks"].clone()).unwrap_or_default(),
        ws_open: f("ws_open"),
        first_message: f("first_message"),
    })
}

/// One rename as the renaming browser saw it (ms since its navigation start).
#[derive(Debug, Clone)]
pub(crate) struct LocalEdit {
    pub(crate) origin: f64,
    /// The Enter keydown's timestamp (the browser took the input), and when the page's
    /// capturing listener ran.
    pub(crate) enter: f64,
    pub(crate) enter_handled: f64,
    /// The row's title showing the new text.
    pub(crate) dom: f64,
    pub(crate) frame: f64,
    pub(crate) painted: f64,
    /// The first non-ephemeral WebSocket frame sent after Enter: the change going out.
    pub(crate) sent: Option<f64>,
}

/// The same rename as the other browser saw it (ms since its navigation start).
#[derive(Debug, Clone)]
pub(crate) struct RemoteEdit {
    pub(crate) origin: f64,
    /// The last non-ephemeral WebSocket frame received before the title changed.
    pub(crate) received: Option<f64>,
    pub(crate) dom: f64,
    pub(crate) frame: f64,
    pub(crate) painted: f64,
}

/// Watches for task `id`'s title to read `title`, then the next frame. `slot` names the
/// watcher (`local` or `remote`) so that both kinds can be armed in one page.
const ARM: &str = r#"
  const [slot, id, title] = arguments;
  const lp = window.__lpBench;
  const list = document.querySelector('[data-testid="tasks"]');
  if (!lp || !list) return false;
  if (slot === 'local') lp.enter = null;
  const watch = (lp[slot] = { id, title });
  const shows = () => list.querySelector(`[data-task-id="${id}"] [data-testid="task-title"]`)?.textContent === title;
  const seen = new MutationObserver(() => {
    if (!shows()) return;
    seen.disconnect();
    watch.dom = performance.now();
    watch.enter = lp.enter;
    watch.enterHandled = lp.enterHandled;
    const got = lp.wsIn.filter((m) => !m.ephemeral && m.at <= watch.dom).pop();
    watch.received = got ? got.at : null;
    lp.afterFrame((frame, painted) => Object.assign(watch, { frame, painted, done: true }));
  });
  seen.observe(list, { childList: true, subtree: true, characterData: true });
  return true;
"#;

pub(crate) async fn arm(client: &Client, slot: &str, id: &str, title: &str) -> anyhow::Result<()> {
    let armed = client.execute(ARM, vec![json!(slot), json!(id), json!(title)]).await?;
    if armed != Value::Bool(true) {
        bail!("no task list to watch in the page");
    }
    Ok(())
}

/// Waits for the `slot` watcher to finish (and, for the local one, for the change to go out).
async fn collect(client: &Client, slot: &str, patience: Duration) -> anyhow::Result<Value> {
    let script = format!(
        r#"
        const lp = window.__lpBench;
        const w = lp && lp['{slot}'];
        if (!w || !w.done) return null;
        const sent = w.enter === null || w.enter === undefined ? undefined
          : lp.wsOut.find((m) => !m.ephemeral && m.at >= w.enter);
        if ('{slot}' === 'local' && sent === undefined) return null;
        return Object.assign({{}}, w, {{ origin: performance.timeOrigin, sent: sent ? sent.at : null }});
        "#
    );
    poll(client, &script, patience, &format!("the {slot} rename to show")).await
}

pub(crate) async fn collect_local(client: &Client, patience: Duration) -> anyhow::Result<LocalEdit> {
    let v = collect(client, "local", patience).await?;
    let f = |k: &str| v[k].as_f64().with_context(|| format!("local edit: no {k} in {v}"));
    Ok(LocalEdit {
        origin: f("origin")?,
        enter: f("enter")?,
        enter_handled: f("enterHandled")?,
        dom: f("dom")?,
        frame: f("frame")?,
        painted: f("painted")?,
        sent: v["sent"].as_f64(),
    })
}

pub(crate) async fn collect_remote(client: &Client, patience: Duration) -> anyhow::Result<RemoteEdit> {
    let v = collect(client, "remote", patience).await?;
    let f = |k: &str| v[k].as_f64().with_context(|| format!("remote edit: no {k} in {v}"));
    Ok(RemoteEdit {
        origin: f("origin")?,
        received: v["received"].as_f64(),
        dom: f("dom")?,
        frame: f("frame")?,
        painted: f("painted")?,
    })
}

/// Errors the probe saw in the page (errors, rejections, console.error / console.warn).
pub(crate) async fn page_errors(client: &Client) -> anyhow::Result<Vec<String>> {
    let errors = client.execute("return window.__lpBench ? window.__lpBench.errors : []", vec![]).await?;
    Ok(serde_json::from_value(errors)?)
}

/// The JavaScript heap in use and the wasm instance's linear memory, in bytes.
pub(crate) async fn memory(client: &Client) -> anyhow::Result<(f64, Option<f64>)> {
    let v = client
        .execute(
            "const m = window.__lpBench?.wasm?.memory;
             return [performance.memory.usedJSHeapSize, m ? m.buffer.byteLength : null];",
            vec![],
        )
        .await?;
    Ok((v[0].as_f64().context("performance.memory")?, v[1].as_f64()))
}

/// `performance.timeOrigin + performance.now()` minus `Date.now()` in this page, in ms: the
/// difference between two pages' offsets is how far apart their epoch times run.
pub(crate) async fn clock_offset(client: &Client) -> anyhow::Result<f64> {
    let v = client.execute("return performance.timeOrigin + performance.now() - Date.now()", vec![]).await?;
    v.as_f64().context("clock offset")
}

/// Runs `script` every 20 ms until it returns something other than null.
pub(crate) async fn poll(
    client: &Client,
    script: &str,
    patience: Duration,
    what: &str,
) -> anyhow::Result<Value> {
    let deadline = tokio::time::Instant::now() + patience;
    loop {
        let v = client.execute(script, vec![]).await.with_context(|| format!("waiting for {what}"))?;
        if !v.is_null() {
            return Ok(v);
        }
        if tokio::time::Instant::now() >= deadline {
            bail!("timed out after {patience:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
