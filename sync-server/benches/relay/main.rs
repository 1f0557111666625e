//! `cargo xtask bench relay [--quick]`: the same load against our relay and against
//! automerge-repo's own sync server on Node, in one run on one machine.
//!
//! The xtask builds the relay in release mode and installs the npm package; this program
//! takes their paths:
//!
//! ```text
//! relay [--quick] [--clients N] [--docs M] [--rate EDITS_PER_SEC_PER_CLIENT] [--secs S]
//!       [--runs R] [--only ours|js] [--capacity|--no-capacity]
//!       --relay-bin PATH --js-server PATH/src/index.js
//!       [--relay-url ws://HOST:PORT/sync [--relay-token TOKEN]] [--js-url ws://HOST:PORT]
//! ```
//!
//! With a URL the server is one already running elsewhere, for a load generator on another
//! machine than the servers: it is not started (nor restarted between capacity steps), and
//! its memory and CPU print as NaN; measure those with a local run.
//!
//! For each server and run it prints edits per second delivered, fan-out latency p50 / p99 /
//! max, the server's peak resident memory, CPU seconds, and CPU microseconds per edit
//! delivered; then the medians, and last `ratios: throughput=X p99=Y memory=Z cpu=W
//! cpu_at_load=V` (ours divided by theirs, except the CPU ratios, theirs divided by ours:
//! larger is better for us, as it is for throughput). Throughput and `cpu` compare the
//! servers at their capacities when those were searched, `cpu_at_load` at the offered load.
//! A run in which any edit did not reach every client, or clients ended with different
//! documents, fails the whole program instead of printing a number.

mod load;
mod server;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use server::{Kind, Server, Target, Targets, usage_of};

struct Options {
    workload: load::Workload,
    runs: usize,
    /// Also search each server's capacity (see [`capacity`]).
    capacity: bool,
    kinds: Vec<Kind>,
    targets: Targets,
}

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let quick = args.iter().any(|a| a == "--quick");
    let (mut clients, mut docs, mut secs) = if quick { (200, 50, 20.0) } else { (2000, 500, 30.0) };
    // Offered load: 200 edits/s in both sizes, which the JavaScript server still delivers on
    // this machine (2 cores). At 300 and more it falls behind by tens of seconds and has left
    // edits undelivered (see BENCHMARKS.md); `--rate` measures that.
    let mut rate = if quick { 1.0 } else { 0.1 };
    let mut runs = if quick { 1 } else { 3 };
    let mut capacity = !quick;
    let mut kinds = vec![Kind::Ours, Kind::Js];
    let (mut relay, mut js_server, mut relay_url, mut js_url) = (None, None, None, None);
    let mut relay_token = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |what: &str| args.next().with_context(|| format!("{arg} needs {what}")).cloned();
        match arg.as_str() {
            // `cargo bench` passes --bench to every bench program.
            "--quick" | "--bench" => {}
            "--capacity" => capacity = true,
            "--no-capacity" => capacity = false,
            "--clients" => clients = value("a number")?.parse()?,
            "--docs" => docs = value("a number")?.parse()?,
            "--rate" => rate = value("edits per second per client")?.parse()?,
            "--secs" => secs = value("seconds")?.parse()?,
            "--runs" => runs = value("a number")?.parse()?,
            "--only" => {
                kinds = match value("ours or js")?.as_str() {
                    "ours" => vec![Kind::Ours],
                    "js" => vec![Kind::Js],
                    other => bail!("--only takes ours or js, not {other:?}"),
                }
            }
            "--relay-bin" => relay = Some(Target::Program(PathBuf::from(value("a path")?))),
            "--js-server" => js_server = Some(Target::Program(PathBuf::from(value("a path")?))),
            "--relay-url" => relay_url = Some(Target::Url(value("a ws:// URL")?)),
            "--relay-token" => relay_token = Some(value("a token (launchplan-relay token create)")?),
            "--js-url" => js_url = Some(Target::Url(value("a ws:// URL")?)),
            other => bail!("unknown argument {other:?}"),
        }
    }
    let edit_for = Duration::from_secs_f64(secs);
    Ok(Options {
        workload: load::Workload {
            clients,
            docs,
            rate,
            edit_for,
            drain_within: Duration::from_secs(120).max(edit_for * 3),
        },
        runs: runs.max(1),
        capacity,
        kinds,
        // A URL wins over a program: the server runs elsewhere.
        targets: Targets {
            relay: relay_url.or(relay).context(
                "--relay-bin or --relay-url is required (cargo xtask bench relay passes --relay-bin)",
            )?,
            js_server: js_url.or(js_server).context(
                "--js-server or --js-url is required (cargo xtask bench relay passes --js-server)",
            )?,
            relay_token,
        },
    })
}

/// One server's figures from one run.
#[derive(Debug, Clone, Copy)]
struct Row {
    edits_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    peak_rss_mib: f64,
    cpu_secs: f64,
    /// The server's CPU time per edit delivered to every client, in microseconds.
    cpu_us_per_edit: f64,
}

/// One run of `workload` against `kind`: on a server started for it, or on the one at the
/// URL given (whose memory and CPU are then unknown, NaN).
async fn measure(kind: Kind, targets: &Targets, workload: load::Workload) -> anyhow::Result<Row> {
    let (mut server, url) = match targets.of(kind) {
        Target::Program(program) => {
            let server = Server::start(kind, program).await?;
            let url = server.url.clone();
            (Some(server), url)
        }
        Target::Url(url) => (None, url.clone()),
    };
    let token = match &server {
        Some(server) => server.token.clone(),
        None if kind == Kind::Ours => targets.relay_token.clone(),
        None => None,
    };
    let endpoint = load::Endpoint { url, token };
    load::wait_until_serving(&endpoint).await?;
    let before = server.as_ref().map(Server::usage).transpose()?;
    let generator_before = usage_of("/proc/self")?;
    let mut load = tokio::spawn(async move { load::run(&endpoint, workload).await });
    let mut alive = tokio::time::interval(Duration::from_millis(500));
    let measured = loop {
        tokio::select! {
            done = &mut load => break done??,
            _ = alive.tick() => {
                if let Some(Err(e)) = server.as_mut().map(Server::check_alive) {
                    load.abort();
                    return Err(e);
                }
            }
        }
    };
    let after = server.as_ref().map(Server::usage).transpose()?;
    let generator = usage_of("/proc/self")?.cpu_secs - generator_before.cpu_secs;
    let (peak_rss_mib, cpu_secs) = match (before, after) {
        (Some(before), Some(after)) => {
            (after.peak_rss_bytes as f64 / (1024.0 * 1024.0), after.cpu_secs - before.cpu_secs)
        }
        _ => (f64::NAN, f64::NAN),
    };
    let row = Row {
        edits_per_sec: measured.edits_per_sec(),
        p50_ms: measured.percentile_ms(50.0),
        p99_ms: measured.percentile_ms(99.0),
        max_ms: measured.percentile_ms(100.0),
        peak_rss_mib,
        cpu_secs,
        cpu_us_per_edit: cpu_secs * 1e6 / measured.edits as f64,
    };
    println!(
        "{}   ({} edits, {} arrivals in {:.1} s; load generator {generator:.1} CPU s)",
        row.line(kind),
        measured.edits,
        measured.deliveries,
        measured.window.as_secs_f64(),
    );
    Ok(row)
}

impl Row {
    /// The row under [`HEADER`].
    fn line(&self, kind: Kind) -> String {
        format!(
            "{:<28} {:>10.0} {:>9.1} {:>9.1} {:>9.1} {:>10.1} {:>8.1} {:>10.0}",
            kind.name(),
            self.edits_per_sec,
            self.p50_ms,
            self.p99_ms,
            self.max_ms,
            self.peak_rss_mib,
            self.cpu_secs,
            self.cpu_us_per_edit
        )
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] }
}

fn median_row(rows: &[Row]) -> Row {
    let of = |f: fn(&Row) -> f64| median(rows.iter().map(f).collect());
    Row {
        edits_per_sec: of(|r| r.edits_per_sec),
        p50_ms: of(|r| r.p50_ms),
        p99_ms: of(|r| r.p99_ms),
        max_ms: of(|r| r.max_ms),
        peak_rss_mib: of(|r| r.peak_rss_mib),
        cpu_secs: of(|r| r.cpu_secs),
        cpu_us_per_edit: of(|r| r.cpu_us_per_edit),
    }
}

const HEADER: &str =
    "server                          edits/s   p50 ms    p99 ms    max ms   peak MiB    CPU s  CPU µs/edit";

async fn bench(options: Options) -> anyhow::Result<()> {
    let w = &options.workload;
    println!(
        "{} clients over {} documents, {} edits/s each for {:.0} s ({:.0} edits/s offered); {} run(s)",
        w.clients,
        w.docs,
        w.rate,
        w.edit_for.as_secs_f64(),
        w.rate * w.clients as f64,
        options.runs
    );
    let mut rows: Vec<(Kind, Vec<Row>)> = options.kinds.iter().map(|k| (*k, Vec::new())).collect();
    for run in 0..options.runs {
        println!("\nrun {} of {}\n{HEADER}", run + 1, options.runs);
        // Alternate which server goes first, so that neither always meets a warm machine.
        let mut order: Vec<usize> = (0..rows.len()).collect();
        if run % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let kind = rows[i].0;
            let row = measure(kind, &options.targets, options.workload)
                .await
                .with_context(|| format!("{} failed", kind.name()))?;
            rows[i].1.push(row);
        }
    }
    println!("\nmedians of {} run(s)\n{HEADER}", options.runs);
    let medians: Vec<(Kind, Row)> = rows.iter().map(|(k, r)| (*k, median_row(r))).collect();
    for (kind, row) in &medians {
        println!("{}", row.line(*kind));
    }
    let mut capacities = Vec::new();
    if options.capacity {
        println!(
            "\ncapacity: offered load raised by x{CAPACITY_STEP} from {CAPACITY_FROM} edits/s, {:.0} s a step, until \
             a server delivers less than {:.0}% of it, or p99 exceeds {CAPACITY_P99_MS} ms, or an edit is still \
             missing {:.0} s after editing stopped",
            CAPACITY_EDIT_FOR.as_secs_f64(),
            CAPACITY_SHARE * 100.0,
            CAPACITY_DRAIN.as_secs_f64()
        );
        for kind in &options.kinds {
            if let Some(found) = capacity(*kind, &options).await {
                capacities.push((*kind, found));
            }
        }
        println!("\ncapacity (the highest step each server kept up with)\n{HEADER}");
        for (kind, (offered, row)) in &capacities {
            println!("{}   (at {offered:.0} edits/s offered)", row.line(*kind));
        }
    }
    let find = |kind: Kind| medians.iter().find(|(k, _)| *k == kind).map(|(_, r)| *r);
    let at_capacity = |kind: Kind| capacities.iter().find(|(k, _)| *k == kind).map(|(_, (_, r))| *r);
    if let (Some(ours), Some(theirs)) = (find(Kind::Ours), find(Kind::Js)) {
        // Throughput compares capacities when they were searched: at a load both servers
        // carry, both deliver what is offered and the ratio says nothing.
        let throughput = match (at_capacity(Kind::Ours), at_capacity(Kind::Js)) {
            (Some(ours), Some(theirs)) => ours.edits_per_sec / theirs.edits_per_sec,
            _ => ours.edits_per_sec / theirs.edits_per_sec,
        };
        // CPU per edit is theirs over ours: larger is better for us, as for throughput.
        // Like throughput, `cpu` compares each server at its capacity when that was
        // searched, where each server works hardest (every step still includes the setup of
        // its fresh server); `cpu_at_load` compares them at the offered load of the table
        // above.
        let at_load = theirs.cpu_us_per_edit / ours.cpu_us_per_edit;
        let cpu = match (at_capacity(Kind::Ours), at_capacity(Kind::Js)) {
            (Some(ours), Some(theirs)) => theirs.cpu_us_per_edit / ours.cpu_us_per_edit,
            _ => at_load,
        };
        println!(
            "ratios: throughput={throughput:.2} p99={:.2} memory={:.2} cpu={cpu:.2} cpu_at_load={at_load:.2}",
            ours.p99_ms / theirs.p99_ms,
            ours.peak_rss_mib / theirs.peak_rss_mib,
        );
    }
    Ok(())
}

/// The first offered load of the capacity search, in edits per second.
const CAPACITY_FROM: f64 = 100.0;
/// Each step offers this many times the load of the one before.
const CAPACITY_STEP: f64 = 1.25;
const CAPACITY_EDIT_FOR: Duration = Duration::from_secs(15);
const CAPACITY_DRAIN: Duration = Duration::from_secs(30);
/// A server keeps up when it delivers at least this share of the offered load...
const CAPACITY_SHARE: f64 = 0.9;
/// ...with a p99 fan-out latency no higher than this: edits still feel live.
const CAPACITY_P99_MS: f64 = 1000.0;

/// Raises the offered load step by step, with the clients and documents of the run, until
/// `kind` no longer keeps up; returns the last step it kept up with, if any.
async fn capacity(kind: Kind, options: &Options) -> Option<(f64, Row)> {
    println!("\n{HEADER}");
    let clients = options.workload.clients as f64;
    let mut offered = CAPACITY_FROM;
    let mut kept_up = None;
    loop {
        let workload = load::Workload {
            rate: offered / clients,
            edit_for: CAPACITY_EDIT_FOR,
            drain_within: CAPACITY_DRAIN,
            ..options.workload
        };
        let verdict = match measure(kind, &options.targets, workload).await {
            Ok(row) if row.edits_per_sec < CAPACITY_SHARE * offered => {
                Err(format!("delivered {:.0} of {offered:.0} edits/s offered", row.edits_per_sec))
            }
            Ok(row) if row.p99_ms > CAPACITY_P99_MS => Err(format!("p99 {:.0} ms", row.p99_ms)),
            Ok(row) => Ok(row),
            Err(e) => Err(format!("{e:#}")),
        };
        match verdict {
            Ok(row) => kept_up = Some((offered, row)),
            Err(why) => {
                println!("{} stops keeping up at {offered:.0} edits/s offered: {why}", kind.name());
                return kept_up;
            }
        }
        offered *= CAPACITY_STEP;
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse(&args).and_then(|options| {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(bench(options))
    });
    if let Err(e) = result {
        eprintln!("relay benchmark FAILED: {e:#}");
        std::process::exit(1);
    }
}
