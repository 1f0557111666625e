//! The printed report: a table per part of the run, then the one-line summary.

use crate::dashboard::DashboardRun;
use crate::edits::Edit;
use crate::gantt::{Frame, GanttRun};
use crate::probe::OpenTimes;
use crate::profile::Profile;
use crate::stats::{ms, opt_ms, percentile};
use crate::wasm_size::WasmSize;

/// What the run measured in the browsers.
pub(crate) struct Measured {
    pub(crate) tasks: usize,
    pub(crate) open: OpenTimes,
    /// Every reopen, in order.
    pub(crate) reopens: Vec<OpenTimes>,
    pub(crate) open_b: OpenTimes,
    pub(crate) heap: f64,
    pub(crate) wasm_memory: Option<f64>,
    pub(crate) edits: Vec<Edit>,
    pub(crate) edit_secs: f64,
    pub(crate) rows: usize,
    pub(crate) skew: f64,
    pub(crate) problems: Vec<String>,
    pub(crate) profiles: Vec<(String, Profile)>,
    /// A task's history opened in the drawer after the renames: click to entries on screen.
    pub(crate) history_ms: f64,
    /// Cards in the board's first column, and each drop: pointerup to the frame showing it.
    pub(crate) board: Option<(usize, Vec<f64>)>,
    /// The Gantt chart's scrolling and drags.
    pub(crate) gantt: Option<GanttRun>,
    /// The dashboard's openings and its updates after remote changes.
    pub(crate) dashboard: Option<DashboardRun>,
}

/// Everything one run found.
pub(crate) struct Report {
    pub(crate) wasm: WasmSize,
    /// The machine's load average (1 minute) before and after the run.
    pub(crate) load: (Option<f64>, Option<f64>),
    pub(crate) measured: Measured,
}

impl Report {
    /// The median reopen.
    fn reopen_ms(&self) -> f64 {
        let m = &self.measured;
        let times: Vec<f64> = m.reopens.iter().map(|o| o.dom).collect();
        percentile(&times, 50.0)
    }

    pub(crate) fn print(&self) {
        let m = &self.measured;
        let mb = |bytes: f64| bytes / (1024.0 * 1024.0);
        println!();
        println!(
            "Launchplan in headless Chromium: a plan of {} tasks (six phases, finish-to-start dependencies)",
            m.tasks
        );
        let load = |l: Option<f64>| l.map_or_else(|| "?".to_owned(), |l| format!("{l:.2}"));
        println!(
            "(load average on this machine's {} cores: {} before, {} after; other work slows every figure)",
            std::thread::available_parallelism().map_or(0, usize::from),
            load(self.load.0),
            load(self.load.1)
        );
        println!();
        println!("Opening (ms from navigation start; 'rows' = task rows and the add-task input in the DOM,");
        println!("'painted' = the main thread done rendering the next frame, handed to the compositor)");
        let columns: Vec<(String, &OpenTimes)> = std::iter::once(("A open".to_owned(), &m.open))
            .chain(m.reopens.iter().enumerate().map(|(n, o)| (format!("reopen {}", n + 1), o)))
            .chain(std::iter::once(("B open".to_owned(), &m.open_b)))
            .collect();
        print!("  {:<34}", "");
        for (name, _) in &columns {
            print!(" {name:>9}");
        }
        println!();
        let row = |label: &str, f: &dyn Fn(&OpenTimes) -> Option<f64>| {
            print!("  {label:<34}");
            for (_, times) in &columns {
                print!(" {:>9}", opt_ms(f(times)));
            }
            println!();
        };
        row("page loaded (HTML response end)", &|o| o.html_loaded);
        row("wasm fetched", &|o| o.wasm_fetched);
        row("app started (wasm instantiated)", &|o| o.app_started);
        row("data-app-ready", &|o| o.app_ready);
        row("WebSocket open", &|o| o.ws_open);
        row("first sync message in", &|o| o.first_message);
        row("rows in the DOM", &|o| Some(o.dom));
        row("next frame (requestAnimationFrame)", &|o| Some(o.frame));
        row("next frame painted", &|o| Some(o.painted));
        row("plan's document loaded (edits apply)", &|o| o.loaded);
        row("tasks listed at that moment", &|o| Some(o.count as f64));
        row("task rows drawn", &|o| Some(o.rows as f64));
        row("sync frames received before", &|o| Some(o.messages as f64));
        row("their KB", &|o| Some(o.bytes as f64 / 1024.0));
        row("wasm KB transferred", &|o| o.wasm_transfer_bytes.map(|b| b / 1024.0));
        println!();
        println!("The app's own marks while opening (ms from navigation start)");
        for (name, times) in &columns {
            let marks: Vec<String> = times.app_marks.iter().map(|(m, at)| format!("{m} {at:.0}")).collect();
            println!("  {name:<9} {}", marks.join(" · "));
        }
        println!();
        println!("Memory in A after the last reopen (after a forced garbage collection)");
        println!("  JS heap used (performance.memory.usedJSHeapSize)  {:>8.1} MB", mb(m.heap));
        println!(
            "  wasm linear memory (not part of the JS heap)      {:>8} MB",
            m.wasm_memory.map_or_else(|| "-".to_owned(), |m| format!("{:.1}", mb(m)))
        );
        println!();
        println!(
            "wasm {}: {:.1} KB raw, {:.1} KB gzipped (-9)",
            self.wasm.name,
            self.wasm.raw as f64 / 1024.0,
            self.wasm.gzipped as f64 / 1024.0
        );
        println!();
        let e = &m.edits;
        println!(
            "{} renames in A over {:.0} s, round the {} task rows on both screens (A clicks the title, selects all, types, Enter)",
            e.len(),
            m.edit_secs,
            m.rows
        );
        println!("  {:<56} {:>8} {:>8} {:>8}", "ms", "p50", "p99", "max");
        let line = |label: &str, values: Vec<f64>| {
            println!(
                "  {label:<56} {:>8} {:>8} {:>8}",
                ms(percentile(&values, 50.0)),
                ms(percentile(&values, 99.0)),
                ms(percentile(&values, 100.0))
            );
        };
        line("A: Enter (event timestamp) → page listener", e.iter().map(Edit::input_delay_ms).collect());
        line("A: Enter → title in the DOM", e.iter().map(Edit::local_dom_ms).collect());
        line("A: Enter → next frame (requestAnimationFrame)", e.iter().map(Edit::local_frame_ms).collect());
        line("A: Enter → next frame painted   [local]", e.iter().map(Edit::local_ms).collect());
        line("A: Enter → change sent on the WebSocket", e.iter().filter_map(Edit::send_ms).collect());
        line("A sent → B received (relay, loopback)", e.iter().filter_map(Edit::wire_ms).collect());
        line("B: received → title in the DOM", e.iter().filter_map(Edit::remote_apply_ms).collect());
        line("B: title in the DOM → frame painted", e.iter().map(Edit::remote_paint_ms).collect());
        line(
            "B: received → frame painted   [remote_render]",
            e.iter().filter_map(Edit::remote_render_ms).collect(),
        );
        line(
            "A: Enter → B's next frame (requestAnimationFrame)",
            e.iter().map(Edit::peer_frame_ms).collect(),
        );
        line("A: Enter → B's next frame painted   [peer]", e.iter().map(Edit::peer_ms).collect());
        println!(
            "  (A's and B's epoch clocks differ by {:.2} ms; both browsers hold the same document afterwards)",
            m.skew
        );

        let mut slowest: Vec<(usize, &Edit)> = e.iter().enumerate().collect();
        slowest.sort_by(|(_, x), (_, y)| y.peer_ms().total_cmp(&x.peer_ms()));
        println!(
            "  the 5 slowest to reach B (ms): rename #: A Enter→DOM→painted, →sent | wire | B received→DOM→painted = peer"
        );
        for (n, edit) in slowest.iter().take(5) {
            println!(
                "    #{:<4} {:>6} {:>6} {:>6} | {:>6} | {:>6} {:>6} = {:>6}",
                n + 1,
                ms(edit.local_dom_ms()),
                ms(edit.local_ms()),
                opt_ms(edit.send_ms()),
                opt_ms(edit.wire_ms()),
                opt_ms(edit.remote_apply_ms()),
                ms(edit.remote_paint_ms()),
                ms(edit.peer_ms())
            );
        }
        println!();
        if m.problems.is_empty() {
            println!("No errors or warnings in either browser's console.");
        } else {
            println!("Errors and warnings in the browsers ({}):", m.problems.len());
            let mut distinct: Vec<(&String, usize)> = Vec::new();
            for problem in &m.problems {
                match distinct.iter_mut().find(|(p, _)| *p == problem) {
                    Some((_, count)) => *count += 1,
                    None => distinct.push((problem, 1)),
                }
            }
            for (problem, count) in distinct.iter().take(30) {
                let times = if *count > 1 { format!(" (×{count})") } else { String::new() };
                println!("  {problem}{times}");
            }
        }
        for (title, profile) in &m.profiles {
            profile.print(&format!("CPU profile of {title}"), 15);
        }
        println!(
            "A task's history, opened in the drawer after the renames (the plan's every change read once): {} ms",
            ms(m.history_ms)
        );
        if let Some((cards, drops)) = &m.board {
            println!(
                "A card dropped on another column of a board with {cards} cards in one column, pointerup to the frame that shows it: p50 {} ms, p95 {} ms, max {} ms ({} drops)",
                ms(percentile(drops, 50.0)),
                ms(percentile(drops, 95.0)),
                ms(percentile(drops, 100.0)),
                drops.len()
            );
        }
        if let Some(g) = &m.gantt {
            print_gantt(g);
        }
        if let Some(d) = &m.dashboard {
            println!();
            println!(
                "Dashboard of {} tasks, {} of them done over two years (tags, late ones)",
                d.tasks, d.done
            );
            println!("  {:<64} {:>8} {:>8} {:>8}", "ms", "p50", "p95", "max");
            let any: Vec<f64> = d.renames.iter().chain(&d.redates).copied().collect();
            for (label, values) in [
                ("click on its tab → frame shown   [dashboard_open, goal ≤ 200]", &d.opens),
                ("remote rename arrives → frame shows it", &d.renames),
                ("remote new due day arrives → frame shows it (worked out again)", &d.redates),
                ("either   [dashboard_remote, goal ≤ 50]", &any),
            ] {
                println!(
                    "  {label:<64} {:>8} {:>8} {:>8}",
                    ms(percentile(values, 50.0)),
                    ms(percentile(values, 95.0)),
                    ms(percentile(values, 100.0))
                );
            }
            for (what, slowest) in [("rename", &d.slowest_rename), ("new due day", &d.slowest_redate)] {
                if let Some(slowest) = slowest {
                    println!(
                        "  the slowest remote {what} ({} ms), ms from its first frame: {}",
                        ms(slowest.took),
                        slowest.trace
                    );
                }
            }
        }
        println!();
        let local: Vec<f64> = e.iter().map(Edit::local_ms).collect();
        let peer: Vec<f64> = e.iter().map(Edit::peer_ms).collect();
        println!(
            "browser: tasks={} open_ms={} reopen_ms={} local_p50_ms={} local_p99_ms={} peer_p50_ms={} peer_p99_ms={} wasm_gz_kb={} history_ms={} board_drop_p95_ms={} gantt_scroll_work_p95_ms={} gantt_scroll_delta_p95_ms={} gantt_drag_p95_ms={} dashboard_open_p50_ms={} dashboard_remote_p95_ms={}",
            m.tasks,
            ms(m.open.dom),
            ms(self.reopen_ms()),
            ms(percentile(&local, 50.0)),
            ms(percentile(&local, 99.0)),
            ms(percentile(&peer, 50.0)),
            ms(percentile(&peer, 99.0)),
            ms(self.wasm.gzipped as f64 / 1024.0),
            ms(m.history_ms),
            m.board.as_ref().map_or_else(|| "-".to_owned(), |(_, drops)| ms(percentile(drops, 95.0))),
            gantt_p95(m, |g| g.frames(|f| f.work)),
            gantt_p95(m, |g| g.frames(|f| f.delta)),
            gantt_p95(m, |g| g.drags.clone()),
            m.dashboard.as_ref().map_or_else(|| "-".to_owned(), |d| ms(percentile(&d.opens, 50.0))),
            m.dashboard.as_ref().map_or_else(
                || "-".to_owned(),
                |d| ms(percentile(&d.renames.iter().chain(&d.redates).copied().collect::<Vec<_>>(), 95.0))
            ),
        );
    }
}

/// The p95 of the Gantt figures `of`, or `-` without a chart.
fn gantt_p95(m: &Measured, of: impl Fn(&GanttRun) -> Vec<f64>) -> String {
    m.gantt.as_ref().map_or_else(|| "-".to_owned(), |g| ms(percentile(&of(g), 95.0)))
}

impl GanttRun {
    /// One figure of every scrolled frame, down and sideways.
    fn frames(&self, of: impl Fn(&Frame) -> f64) -> Vec<f64> {
        self.down.iter().chain(&self.sideways).map(of).collect()
    }
}

fn print_gantt(g: &GanttRun) {
    println!();
    println!(
        "Gantt chart of {} tasks (zoom Day, 32 px a day; moves shift the tasks that wait for them)",
        g.tasks
    );
    println!("  {:<64} {:>8} {:>8} {:>8}", "ms", "p50", "p95", "max");
    let line = |label: &str, values: &[f64]| {
        println!(
            "  {label:<64} {:>8} {:>8} {:>8}",
            ms(percentile(values, 50.0)),
            ms(percentile(values, 95.0)),
            ms(percentile(values, 100.0))
        );
    };
    let of = |frames: &[Frame], f: fn(&Frame) -> f64| frames.iter().map(f).collect::<Vec<f64>>();
    let (down, sideways) = (&g.down, &g.sideways);
    line(
        &format!("scroll down {} frames: frame work (rAF → setTimeout 0)", down.len()),
        &of(down, |f| f.work),
    );
    line(&format!("scroll down {} frames: rAF delta", down.len()), &of(down, |f| f.delta));
    line(&format!("scroll sideways {} frames: frame work", sideways.len()), &of(sideways, |f| f.work));
    line(&format!("scroll sideways {} frames: rAF delta", sideways.len()), &of(sideways, |f| f.delta));
    line("all frames: frame work   [gantt_scroll_work, goal p95 ≤ 16]", &g.frames(|f| f.work));
    line("all frames: rAF delta   [gantt_scroll_delta]", &g.frames(|f| f.delta));
    println!(
        "  (48 px a frame; at 60 Hz the rAF delta cannot go below 16.7 ms, so its p95 shows dropped frames;"
    );
    println!("  the frame work's p95 is what must stay within 16 ms)");
    line(
        &format!(
            "drag {} days ×{}: pointerup → frame settled   [gantt_drag, goal ≤ 50]",
            g.drag_days,
            g.drags.len()
        ),
        &g.drags,
    );
    line("  … pointerup → the move written into the document (page busy until then)", &g.writes);
    println!(
        "  (task {} has {} tasks waiting for it, directly or not; {} waits for it directly and",
        g.pick.task, g.pick.followers, g.pick.next
    );
    println!(
        "  moved from {} to {} with the first drop; every drop was undone with Undo)",
        g.next_moved.0, g.next_moved.1
    );
    let [before, preview, after] = &g.first_drop;
    if preview != after {
        println!(
            "  NOTE: the dragged bar landed on {after}, not where the drag's preview showed it ({preview}; it started {before})"
        );
    }
}
