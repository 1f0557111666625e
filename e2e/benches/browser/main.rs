//! `cargo xtask bench browser`: the app at 5,000 tasks in headless Chromium, against the
//! release relay.
//!
//! ```text
//! browser --relay-bin PATH --app-dir PATH [--tasks N] [--edits K] [--rows R] [--reopens M]
//!         [--board-cards C] [--drops D] [--gantt-tasks G] [--gantt-drags H]
//!         [--dashboard-tasks T] [--dashboard-changes R] [--profile]
//! ```
//!
//! 1. The relay serves a copy of the built app (so a rebuild meanwhile changes nothing) with
//!    its data in a fresh folder.
//! 2. A writer that is no browser (our client engine over a WebSocket) puts a plan of N tasks
//!    in six phases, with finish-to-start dependencies, into the relay.
//! 3. Browser A, a fresh profile, opens the plan's link: **open** is from navigation start to
//!    the first task rows and the add-task input in the DOM.
//! 4. A reloads once the plan is in its IndexedDB, three times: **reopen** is the median,
//!    timed the same way.
//! 5. Browser B, another fresh profile, opens the link too.
//! 6. K renames in A, as a person makes them (click a title, select all, type, Enter), of
//!    tasks on both screens: **local** is from the Enter keydown (its event timestamp) to the
//!    end of the main thread's rendering of the first frame that shows the new title in A;
//!    **peer** from that keydown to the same in B.
//! 7. A opens a task's history (**history**), then, unless `--board-cards 0`, a plan of C tasks
//!    as a board and drops D cards from its first column onto the next (**board drop**: from
//!    the pointerup to the end of the frame that shows the card there).
//! 8. Unless `--gantt-tasks 0`, a plan of G tasks (5,000 by default; the same plan, with
//!    `meta.shift_dependents` on) as a Gantt chart at its default zoom (a day is 32 px):
//!    - **Gantt scroll**: 150 frames scrolling down (scrollTop += 48 px, set in each
//!      requestAnimationFrame callback), then 150 sideways (scrollLeft += 48 px). Per frame
//!      the *delta* between rAF timestamps and the *work*: from the rAF timestamp (the frame's
//!      start) to a `setTimeout(0)` posted in the rAF callback, which runs once the frame is
//!      rendered. At 60 Hz the delta cannot go below 16.7 ms, so its p95 shows dropped
//!      frames; the work's p95 is what must stay within 16 ms.
//!    - **Gantt drag**: the bar of the task with the fewest tasks waiting for it (directly or
//!      not) that is still at least 200 is dragged 7 days later H times, by pointer events,
//!      each drop undone with Undo: from the pointerup to the end of the frame that shows the
//!      bar settled (no drag preview, its new `data-start`). After the first drop, a task
//!      waiting for it directly must have moved too, or the run fails.
//!
//! 9. Unless `--dashboard-tasks 0`, a plan of T tasks (5,000 by default) that has run for two
//!    years (three fifths done, with start and finish times, a quarter of them late; every
//!    task tagged with a kind of work; some open ones overdue), in A:
//!    - **dashboard open**: from the click on the Dashboard tab to the end of the frame that
//!      shows it, three times (from the list each time);
//!    - **dashboard remote**: R renames of the first task it lists, each by another client
//!      through the relay: from the first sync frame of it reaching A's page to the end of
//!      the frame whose dashboard shows the new title.
//!
//! With `--profile` it samples the main thread with V8's profiler between the history and
//! the board (stopped before anything else is timed, so that it slows nothing measured)
//! during a first open in a third fresh browser, a reopen in A and 20 more renames, and in
//! A during R more remote renames on the dashboard (after those timed), and prints where the
//! time went.
//!
//! It prints a table, then as its last line
//! `browser: tasks=N open_ms=… reopen_ms=… local_p50_ms=… local_p99_ms=… peer_p50_ms=…
//! peer_p99_ms=… wasm_gz_kb=… history_ms=… board_drop_p95_ms=… gantt_scroll_work_p95_ms=…
//! gantt_scroll_delta_p95_ms=… gantt_drag_p95_ms=… dashboard_open_p50_ms=…
//! dashboard_remote_p95_ms=…`.

use launchplan_e2e::chromedriver::ChromeDriver;

mod board;
mod chrome;
mod dashboard;
mod edits;
mod followers;
mod gantt;
mod probe;
mod profile;
mod report;
mod stats;
mod wasm_size;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::Client;
use launchplan_e2e::relay::RelayProcess;
use report::{Measured, Report};
use wasm_size::WasmSize;

/// How long any one step may take: opening 5,000 tasks on a slow machine included.
const PATIENCE: Duration = Duration::from_secs(180);
/// Between renames, once both browsers show the last one.
const PAUSE: Duration = Duration::from_millis(20);

struct Options {
    relay_bin: PathBuf,
    app_dir: PathBuf,
    tasks: usize,
    edits: usize,
    /// How many of the rows on both screens the renames go round.
    rows: usize,
    /// How many times A reloads.
    reopens: usize,
    /// Profile the main threads afterwards (see [`profile`]).
    profile: bool,
    /// Cards in the board's first column for the drop timings (0: none).
    board_cards: usize,
    drops: usize,
    /// Tasks of the plan shown as a Gantt chart (0: no Gantt measurements).
    gantt_tasks: usize,
    /// Drags of a bar on it, each undone.
    gantt_drags: usize,
    /// Tasks of the plan whose dashboard is timed (0: none), and remote changes shown on it.
    dashboard_tasks: usize,
    dashboard_changes: usize,
}

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let (mut relay_bin, mut app_dir) = (None, None);
    let (mut tasks, mut edits, mut rows, mut reopens, mut profile) = (5000, 200, 10, 3, false);
    let (mut board_cards, mut drops) = (1000, 20);
    let (mut gantt_tasks, mut gantt_drags) = (5000, 10);
    let (mut dashboard_tasks, mut dashboard_changes) = (5000, 10);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |what: &str| args.next().with_context(|| format!("{arg} needs {what}")).cloned();
        match arg.as_str() {
            // `cargo bench` passes --bench to every bench program.
            "--bench" => {}
            "--relay-bin" => relay_bin = Some(PathBuf::from(value("a path")?)),
            "--app-dir" => app_dir = Some(PathBuf::from(value("a path")?)),
            "--tasks" => tasks = value("a number")?.parse()?,
            "--edits" => edits = value("a number")?.parse()?,
            "--rows" => rows = value("a number")?.parse()?,
            "--reopens" => reopens = value("a number")?.parse()?,
            "--profile" => profile = true,
            "--board-cards" => board_cards = value("a number")?.parse()?,
            "--drops" => drops = value("a number")?.parse()?,
            "--gantt-tasks" => gantt_tasks = value("a number")?.parse()?,
            "--gantt-drags" => gantt_drags = value("a number")?.parse()?,
            "--dashboard-tasks" => dashboard_tasks = value("a number")?.parse()?,
            "--dashboard-changes" => dashboard_changes = value("a number")?.parse()?,
            other => bail!("unknown argument {other:?}"),
        }
    }
    anyhow::ensure!(tasks > 0 && rows > 0 && reopens > 0, "--tasks, --rows and --reopens must be positive");
    Ok(Options {
        relay_bin: relay_bin
            .context("--relay-bin PATH is required (`cargo xtask bench browser` passes it)")?,
        app_dir: app_dir.context("--app-dir PATH is required (`cargo xtask bench browser` passes it)")?,
        tasks,
        edits,
        rows,
        reopens,
        profile,
        board_cards,
        drops,
        gantt_tasks,
        gantt_drags,
        dashboard_tasks,
        dashboard_changes,
    })
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = parse(&args)?;
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?.block_on(run(options))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let load_before = load_average();
    let wasm = WasmSize::of(&options.app_dir)?;
    let scratch = tempfile::tempdir()?;
    let app = scratch.path().join("app");
    copy_dir(&options.app_dir, &app)?;
    let data = scratch.path().join("data");
    let relay = RelayProcess::start(&options.relay_bin, "127.0.0.1:0", &data, &app).await?;

    let project = launchplan_e2e::plan::big_plan(options.tasks)?;
    let written = launchplan_e2e::writer::put_plan(&relay.sync_url(), &project, PATIENCE).await?;
    let link = format!("{}/#/p/{}", relay.url(), written.doc);
    eprintln!(
        "wrote a plan of {} tasks ({:.0} KB of sync frames) into the relay in {:.0} ms: {link}",
        options.tasks,
        written.bytes as f64 / 1024.0,
        written.took.as_secs_f64() * 1000.0
    );

    let driver = ChromeDriver::start().await?;
    let a = chrome::browser(&driver, &scratch.path().join("profile-a")).await?;
    let b = chrome::browser(&driver, &scratch.path().join("profile-b")).await?;
    let board_link = if options.board_cards > 0 {
        let board = launchplan_e2e::plan::big_plan(options.board_cards)?;
        let written = launchplan_e2e::writer::put_plan(&relay.sync_url(), &board, PATIENCE).await?;
        Some(format!("{}/#/p/{}", relay.url(), written.doc))
    } else {
        None
    };
    let gantt_plan = if options.gantt_tasks > 0 {
        let plan = gantt::plan(options.gantt_tasks)?;
        let written = launchplan_e2e::writer::put_plan(&relay.sync_url(), &plan, PATIENCE).await?;
        Some((format!("{}/#/p/{}", relay.url(), written.doc), plan))
    } else {
        None
    };
    let dashboard_plan = if options.dashboard_tasks > 0 {
        let (plan, finishing) = dashboard::plan(options.dashboard_tasks)?;
        let done = finishing.len();
        let written =
            launchplan_e2e::writer::put_plan_then(&relay.sync_url(), &plan, finishing, PATIENCE).await?;
        Some((format!("{}/#/p/{}", relay.url(), written.doc), written.doc, done))
    } else {
        None
    };
    let measured = measure(&options, &driver, scratch.path(), &link, &a, &b).await;
    let measured = match (measured, board_link) {
        (Ok(mut m), Some(board_link)) => {
            eprintln!(
                "A drops {} cards on a board of {} cards in one column",
                options.drops, options.board_cards
            );
            board::drops(&a, &board_link, options.board_cards, options.drops).await.map(|drops| {
                m.board = Some((options.board_cards, drops));
                m
            })
        }
        (measured, _) => measured,
    };
    let measured = match (measured, gantt_plan) {
        (Ok(mut m), Some((link, plan))) => {
            eprintln!("A opens a plan of {} tasks as a Gantt chart", options.gantt_tasks);
            gantt::measure(&a, &link, &plan, options.gantt_drags, PATIENCE).await.map(|run| {
                m.gantt = Some(run);
                m
            })
        }
        (measured, _) => measured,
    };
    let measured = match (measured, dashboard_plan) {
        (Ok(mut m), Some((link, doc, done))) => {
            eprintln!(
                "A opens the dashboard of a plan of {} tasks with two years of history",
                options.dashboard_tasks
            );
            let sizes = (options.dashboard_tasks, done);
            let changes = options.dashboard_changes;
            let profile = options.profile;
            dashboard::measure(&a, &link, &relay.sync_url(), doc, sizes, 3, changes, profile, PATIENCE)
                .await
                .map(|mut run| {
                    if let Some(profile) = run.profile.take() {
                        m.profiles
                            .push((format!("A during {changes} remote renames on the dashboard"), profile));
                    }
                    m.dashboard = Some(run);
                    m
                })
        }
        (measured, _) => measured,
    };
    // Close the browsers whatever happened, so that no Chromium outlives the run.
    let closed = (a.close().await, b.close().await);
    let measured = measured?;
    closed.0?;
    closed.1?;
    Report { wasm, load: (load_before, load_average()), measured }.print();
    Ok(())
}

/// Everything timed in the browsers: opening, reopening, renames (and profiles if asked).
async fn measure(
    options: &Options,
    driver: &ChromeDriver,
    scratch: &Path,
    link: &str,
    a: &Client,
    b: &Client,
) -> anyhow::Result<Measured> {
    chrome::run_before_page_scripts(a, probe::PAGE_PROBE).await?;
    chrome::run_before_page_scripts(b, probe::PAGE_PROBE).await?;
    eprintln!("A opens the plan");
    a.goto(link).await.context("A opening the link")?;
    let open = probe::wait_open(a, PATIENCE).await.context("A opening the plan")?;
    check_ready(a, "A").await?;
    settle(a, "A", options.tasks).await?;

    let mut reopens = Vec::with_capacity(options.reopens);
    for n in 0..options.reopens {
        eprintln!("A reloads ({} of {})", n + 1, options.reopens);
        a.refresh().await.context("A reloading")?;
        reopens.push(probe::wait_open(a, PATIENCE).await.context("A reopening the plan")?);
        check_ready(a, "A").await?;
        settle(a, "A", options.tasks).await?;
    }
    chrome::cdp(a, "HeapProfiler.collectGarbage", serde_json::json!({})).await?;
    let (heap, wasm_memory) = probe::memory(a).await?;

    eprintln!("B opens the plan");
    b.goto(link).await.context("B opening the link")?;
    let open_b = probe::wait_open(b, PATIENCE).await.context("B opening the plan")?;
    check_ready(b, "B").await?;
    settle(b, "B", options.tasks).await?;

    let on_a = edits::rows_on_screen(a).await?;
    let on_b = edits::rows_on_screen(b).await?;
    let targets: Vec<String> =
        on_a.iter().filter(|id| on_b.contains(id)).take(options.rows).cloned().collect();
    if targets.is_empty() {
        bail!("no task row is on both screens (A shows {}, B shows {})", on_a.len(), on_b.len());
    }
    let skew = probe::clock_offset(a).await? - probe::clock_offset(b).await?;

    eprintln!("{} renames in A of {} tasks on both screens", options.edits, targets.len());
    let started = Instant::now();
    let mut done = Vec::with_capacity(options.edits);
    for n in 0..options.edits {
        let id = &targets[n % targets.len()];
        let title = format!("Rename {} of row {}", n + 1, n % targets.len() + 1);
        let edit =
            edits::rename(a, b, id, &title, PATIENCE).await.with_context(|| format!("rename {}", n + 1))?;
        done.push(edit);
        tokio::time::sleep(PAUSE).await;
    }
    let edit_secs = started.elapsed().as_secs_f64();
    if !same_heads(a, b).await? {
        bail!("A and B ended with different documents (their data-heads differ)");
    }

    eprintln!("A opens a renamed task's history");
    let history_ms = history(a, &targets[0]).await.context("opening a task's history")?;

    let mut problems = Vec::new();
    for (name, page) in [("A", a), ("B", b)] {
        problems.extend(probe::page_errors(page).await?.into_iter().map(|e| format!("{name} page: {e}")));
        problems.extend(chrome::browser_log(page).await?.into_iter().map(|e| format!("{name} log: {e}")));
    }

    let profiles = if options.profile {
        profiles(driver, scratch, link, a, b, &targets, options.tasks).await?
    } else {
        Vec::new()
    };

    Ok(Measured {
        tasks: options.tasks,
        open,
        reopens,
        open_b,
        heap,
        wasm_memory,
        edits: done,
        edit_secs,
        rows: targets.len(),
        skew,
        problems,
        profiles,
        history_ms,
        board: None,
        gantt: None,
        dashboard: None,
    })
}

/// Page script: opens the drawer of task `arguments[0]`, then its history, and answers the
/// milliseconds from the click on History to its entries on screen.
const OPEN_HISTORY: &str = "const [id, done] = arguments;
const until = (found, then) => { const el = found(); if (el) then(el); else setTimeout(() => until(found, then), 5); };
document.querySelector(`[data-task-id=\"${id}\"] [data-testid=\"task-open\"]`).click();
until(() => document.querySelector('[data-testid=\"history\"] summary'), summary => {
  const started = performance.now();
  summary.click();
  until(() => document.querySelector('[data-testid=\"history-entry\"]'),
    () => requestAnimationFrame(() => done(performance.now() - started)));
});";

/// How long a task's history takes to show in `page`.
async fn history(page: &Client, task: &str) -> anyhow::Result<f64> {
    let took = page.execute_async(OPEN_HISTORY, vec![serde_json::json!(task)]).await?;
    took.as_f64().context("the history script answered no time")
}

/// CPU profiles of a first open (a third fresh browser), a reopen in A, and 20 renames in A
/// as A and B process them.
async fn profiles(
    driver: &ChromeDriver,
    scratch: &Path,
    link: &str,
    a: &Client,
    b: &Client,
    targets: &[String],
    tasks: usize,
) -> anyhow::Result<Vec<(String, profile::Profile)>> {
    let mut out = Vec::new();
    eprintln!("profiling 20 more renames");
    profile::start(a).await?;
    profile::start(b).await?;
    for n in 0..20 {
        let id = &targets[n % targets.len()];
        edits::rename(a, b, id, &format!("Profiled rename {}", n + 1), PATIENCE).await?;
        tokio::time::sleep(PAUSE).await;
    }
    out.push(("A (the renaming browser) during 20 renames".to_owned(), profile::stop(a).await?));
    out.push(("B (the other browser) during the same 20 renames".to_owned(), profile::stop(b).await?));

    eprintln!("profiling a reopen in A");
    settle(a, "A", tasks).await?;
    profile::start(a).await?;
    a.refresh().await?;
    let reopen = probe::wait_open(a, PATIENCE).await?;
    out.push((format!("A reopening (rows at {:.0} ms)", reopen.dom), profile::stop(a).await?));

    eprintln!("profiling a first open in a third browser");
    let c = chrome::browser(driver, &scratch.join("profile-c")).await?;
    chrome::run_before_page_scripts(&c, probe::PAGE_PROBE).await?;
    // A page of the same site first, so that the plan opens in the renderer being profiled.
    let healthz = link.split_once("/#").map_or(link, |(base, _)| base).to_owned() + "/healthz";
    c.goto(&healthz).await?;
    profile::start(&c).await?;
    c.goto(link).await?;
    let open = probe::wait_open(&c, PATIENCE).await?;
    out.push((format!("C opening from the relay (rows at {:.0} ms)", open.dom), profile::stop(&c).await?));
    c.close().await?;
    Ok(out)
}

/// The 1-minute load average: other work on the machine shows in every figure.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

/// `data-app-ready` is set once the app has mounted and read local data: a sanity check that
/// the rows timed belong to a working app.
async fn check_ready(page: &Client, name: &str) -> anyhow::Result<()> {
    let ready = page.execute("return document.documentElement.dataset.appReady ?? null", vec![]).await?;
    if ready.as_str() != Some("true") {
        bail!("{name} shows task rows but <html data-app-ready> is {ready}");
    }
    Ok(())
}

/// Waits until the page lists all `tasks`, is online and has committed everything to
/// IndexedDB, then two seconds more for IndexedDB to settle.
async fn settle(page: &Client, name: &str, tasks: usize) -> anyhow::Result<()> {
    let script = format!(
        r#"const list = document.querySelector('[data-testid="tasks"]');
           const saved = document.querySelector('[data-testid="save-state"]');
           const online = document.querySelector('[data-testid="connection"]');
           return list && list.dataset.count === '{tasks}' && saved && saved.dataset.pending === '0'
             && online && online.dataset.state === 'online' ? true : null;"#
    );
    probe::poll(page, &script, PATIENCE, &format!("{name} to list {tasks} tasks, saved and online")).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    Ok(())
}

/// Whether both browsers end with the same document (their `data-heads`), within a while.
async fn same_heads(a: &Client, b: &Client) -> anyhow::Result<bool> {
    let script = "return document.querySelector('[data-testid=\"project\"]')?.dataset.heads ?? ''";
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (ha, hb) = (a.execute(script, vec![]).await?, b.execute(script, vec![]).await?);
        if ha == hb && ha.as_str().is_some_and(|h| !h.is_empty()) {
            return Ok(true);
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
