//! `cargo xtask run [-- RELAY ARGS]`: installs what is missing, builds the app and the relay,
//! and starts the relay serving both on one port.
//!
//! `cargo xtask test`: installs what is missing (Chromium too), builds everything, and runs
//! every check and test the project has.
//!
//! `cargo xtask bench domain`: the criterion benchmarks of the domain (a 10,000-task plan).
//!
//! `cargo xtask bench relay [--quick] [ARGS]`: our relay against automerge-repo's own sync
//! server under the same load (see `sync-server/benches/relay`).
//!
//! `cargo xtask bench browser [--tasks N] [--edits K]`: the app at 5,000 tasks in headless
//! Chromium against the release relay: opening, reopening, local and peer edit latency, heap,
//! wasm size (see `e2e/benches/browser`).
//!
//! `cargo xtask fuzz [RUNS]`: installs cargo-fuzz and runs every fuzz target (default one
//! million executions each). Long, so not part of `test`.

mod build;
mod cmd;
mod tools;

use anyhow::bail;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = build::workspace_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("fuzz") => fuzz(args.get(1).map(String::as_str).unwrap_or("1000000")),
        Some("bench") => bench(&args[1..]),
        _ => bail!(
            "usage: cargo xtask run [-- RELAY ARGS] | cargo xtask test | cargo xtask bench domain|relay|browser | cargo xtask fuzz [RUNS]"
        ),
    }
}

fn run(args: &[String]) -> anyhow::Result<()> {
    let relay_args: Vec<String> = match args.first().map(String::as_str) {
        Some("--") => args[1..].to_vec(),
        _ => args.to_vec(),
    };
    tools::ensure_app_tools()?;
    build::app()?;
    let relay = build::relay()?;
    cmd::step("starting the relay (Ctrl-C stops it)");
    let mut command = std::process::Command::new(relay);
    command.args(&relay_args);
    cmd::exec(command)
}

fn test() -> anyhow::Result<()> {
    tools::ensure_app_tools()?;
    tools::ensure_test_tools()?;
    build::app()?;

    cmd::step("formatting");
    cmd::cargo(&["fmt", "--all", "--", "--check"])?;
    cmd::step("lints (native)");
    cmd::cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--exclude",
        "launchplan-app",
        "--",
        "-D",
        "warnings",
    ])?;
    cmd::step("lints (wasm32: the app and the shared crate as the browser builds them)");
    cmd::cargo(&[
        "clippy",
        "-p",
        "launchplan-app",
        "-p",
        "launchplan-shared",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ])?;
    // Built here, and their paths passed on, so that no test runs a binary left over from an
    // older build: the end-to-end tests run this relay (debug, as the relay's own integration
    // tests do) against the release app, and the domain's tests run the `plan` example.
    let built = build::test_binaries()?;
    cmd::step("tests: unit, property, relay integration, samod interop, end-to-end in Chromium");
    let mut command = cmd::cargo_command(&["test", "--workspace"]);
    command
        .env("LAUNCHPLAN_APP_DIR", build::app_dir())
        .env("LAUNCHPLAN_RELAY_BIN", built.relay)
        .env("LAUNCHPLAN_PLAN_EXAMPLE", built.plan_example);
    cmd::run(command)?;
    cmd::step("all checks passed");
    Ok(())
}

fn fuzz(runs: &str) -> anyhow::Result<()> {
    let runs: u64 = runs.parse().map_err(|_| anyhow::anyhow!("RUNS must be a whole number, got {runs:?}"))?;
    tools::ensure_cargo_fuzz()?;
    cmd::step("writing seed inputs from a real exchange");
    cmd::cargo(&[
        "run",
        "--quiet",
        "-p",
        "launchplan-shared",
        "--example",
        "fuzz_seeds",
        "--",
        "fuzz/corpus",
    ])?;
    for target in ["decode", "relay_messages"] {
        cmd::step(&format!("fuzzing {target} for {runs} executions"));
        // cargo-fuzz wants nightly flags; RUSTC_BOOTSTRAP lets the stable compiler take them.
        // The project has no unsafe code, so coverage-guided fuzzing runs without a sanitizer.
        let mut command = std::process::Command::new(cmd::tool("cargo-fuzz"));
        command
            .current_dir("fuzz")
            .args(["run", "--sanitizer", "none", target, "--", &format!("-runs={runs}"), "-max_len=4096"])
            .env("RUSTC_BOOTSTRAP", "1");
        cmd::run(command)?;
    }
    cmd::step("no crashes");
    Ok(())
}

fn bench(args: &[String]) -> anyhow::Result<()> {
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("domain") => {
            cmd::step("benchmarking the domain: a 10,000-task plan (criterion)");
            cmd::cargo(&["bench", "-p", "launchplan-shared", "--bench", "domain"])
        }
        Some("relay") => {
            let relay = build::relay()?;
            let js_server = tools::ensure_js_sync_server()?;
            cmd::step("building the load generator (release)");
            let mut args = vec!["bench", "-p", "launchplan-relay", "--bench", "relay", "--no-run"];
            cmd::cargo(&args)?;
            cmd::step("benchmarking the relay against automerge-repo-sync-server");
            args.pop();
            args.push("--");
            let relay = relay.to_string_lossy().into_owned();
            let js_server = js_server.to_string_lossy().into_owned();
            args.extend(["--relay-bin", &relay, "--js-server", &js_server]);
            args.extend(rest.iter().map(String::as_str));
            cmd::cargo(&args)
        }
        Some("browser") => {
            tools::ensure_app_tools()?;
            tools::ensure_test_tools()?;
            build::app()?;
            let relay = build::relay()?;
            cmd::step("building the browser benchmark (release)");
            let mut args = vec!["bench", "-p", "launchplan-e2e", "--bench", "browser", "--no-run"];
            cmd::cargo(&args)?;
            cmd::step("benchmarking the app in headless Chromium");
            args.pop();
            args.push("--");
            let relay = relay.to_string_lossy().into_owned();
            let app = build::app_dir().to_string_lossy().into_owned();
            args.extend(["--relay-bin", &relay, "--app-dir", &app]);
            args.extend(rest.iter().map(String::as_str));
            cmd::cargo(&args)
        }
        _ => bail!(
            "usage: cargo xtask bench domain | cargo xtask bench relay [--quick] [--clients N --docs M --rate R --secs S --runs K --only ours|js] | cargo xtask bench browser [--tasks N --edits K --rows R]"
        ),
    }
}
