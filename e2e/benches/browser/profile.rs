//! Where a page's main thread spends its time: V8's sampling CPU profiler (Chrome DevTools
//! `Profiler` domain), summed per function.
//!
//! Wasm functions carry their Rust names only when the module keeps its `name` section,
//! which the release build strips; for a profile with names, build the app with
//! `CARGO_PROFILE_WASM_RELEASE_STRIP=none` (otherwise they show as `$func123`).

use std::collections::HashMap;

use anyhow::Context;
use fantoccini::Client;
use serde_json::{Value, json};

use crate::chrome::cdp;

/// Starts sampling every 100 µs.
pub(crate) async fn start(client: &Client) -> anyhow::Result<()> {
    cdp(client, "Profiler.enable", json!({})).await?;
    cdp(client, "Profiler.setSamplingInterval", json!({ "interval": 100 })).await?;
    cdp(client, "Profiler.start", json!({})).await?;
    Ok(())
}

/// Stops sampling and sums the samples per function.
pub(crate) async fn stop(client: &Client) -> anyhow::Result<Profile> {
    let result = cdp(client, "Profiler.stop", json!({})).await?;
    cdp(client, "Profiler.disable", json!({})).await?;
    Profile::from_cdp(&result["profile"])
}

/// Milliseconds per function: spent in it (self) and in it or what it called (total).
pub(crate) struct Profile {
    pub(crate) wall_ms: f64,
    /// Sampled time that was not idle.
    pub(crate) busy_ms: f64,
    pub(crate) by_function: Vec<FunctionTime>,
}

pub(crate) struct FunctionTime {
    pub(crate) name: String,
    pub(crate) self_ms: f64,
    pub(crate) total_ms: f64,
}

impl Profile {
    fn from_cdp(profile: &Value) -> anyhow::Result<Self> {
        let nodes = profile["nodes"].as_array().context("profile without nodes")?;
        let samples = profile["samples"].as_array().context("profile without samples")?;
        let deltas = profile["timeDeltas"].as_array().context("profile without timeDeltas")?;
        // Node id → (function, parent).
        let mut function: HashMap<u64, String> = HashMap::new();
        let mut parent: HashMap<u64, u64> = HashMap::new();
        for node in nodes {
            let id = node["id"].as_u64().context("node id")?;
            function.insert(id, name_of(&node["callFrame"]));
            for child in node["children"].as_array().into_iter().flatten() {
                if let Some(child) = child.as_u64() {
                    parent.insert(child, id);
                }
            }
        }
        let mut self_us: HashMap<&str, f64> = HashMap::new();
        let mut total_us: HashMap<&str, f64> = HashMap::new();
        let mut busy_us = 0.0;
        // A sample lasts until the next one.
        for (n, sample) in samples.iter().enumerate() {
            let Some(id) = sample.as_u64() else { continue };
            let us = deltas.get(n + 1).and_then(Value::as_f64).unwrap_or(0.0);
            let Some(name) = function.get(&id) else { continue };
            if name != "(idle)" {
                busy_us += us;
            }
            *self_us.entry(name).or_default() += us;
            let mut seen: Vec<&str> = Vec::new();
            let mut at = Some(id);
            while let Some(node) = at {
                if let Some(name) = function.get(&node)
                    && !seen.contains(&name.as_str())
                {
                    seen.push(name);
                    *total_us.entry(name).or_default() += us;
                }
                at = parent.get(&node).copied();
            }
        }
        let mut by_function: Vec<FunctionTime> = total_us
            .iter()
            .filter(|(name, _)| !matches!(**name, "(root)" | "(idle)"))
            .map(|(name, total)| FunctionTime {
                name: (*name).to_owned(),
                self_ms: self_us.get(name).copied().unwrap_or(0.0) / 1000.0,
                total_ms: total / 1000.0,
            })
            .collect();
        by_function.sort_by(|a, b| b.self_ms.total_cmp(&a.self_ms));
        let wall_ms = (profile["endTime"].as_f64().unwrap_or(0.0)
            - profile["startTime"].as_f64().unwrap_or(0.0))
            / 1000.0;
        Ok(Self { wall_ms, busy_ms: busy_us / 1000.0, by_function })
    }

    /// The `n` functions with the most self time, and the `n` with the most total time that
    /// are the app's (wasm) rather than the browser's, as printable lines.
    pub(crate) fn print(&self, title: &str, n: usize) {
        println!();
        println!("{title}: {:.0} ms sampled, {:.0} ms of it busy", self.wall_ms, self.busy_ms);
        let kind = |f: &&FunctionTime| match f.name.split_once(' ') {
            Some(("wasm", _)) => 0,
            Some(("js", _)) => 1,
            _ if f.name == "(garbage collector)" => 3,
            _ => 2,
        };
        let mut kinds = [0.0; 4];
        for f in &self.by_function {
            kinds[kind(&f)] += f.self_ms;
        }
        println!(
            "  self time: app wasm {:.0} ms, JavaScript (wasm-bindgen glue, probes, WebDriver's scripts) {:.0} ms, \
             browser work outside JavaScript ('(program)': style, layout, paint, input; DOM calls) {:.0} ms, \
             garbage collection {:.0} ms",
            kinds[0], kinds[1], kinds[2], kinds[3]
        );
        println!("  {:>9} {:>9}  function (most self time first)", "self ms", "total ms");
        for f in self.by_function.iter().take(n) {
            println!("  {:>9.1} {:>9.1}  {}", f.self_ms, f.total_ms, short(&f.name));
        }
        let mut app: Vec<&FunctionTime> =
            self.by_function.iter().filter(|f| f.name.starts_with("wasm ")).collect();
        app.sort_by(|a, b| b.total_ms.total_cmp(&a.total_ms));
        let unnamed = app
            .iter()
            .filter(|f| f.name.starts_with("wasm wasm-function[") || f.name.starts_with("wasm $func"))
            .count();
        if unnamed * 2 > app.len() {
            println!(
                "  (this wasm has no name section, which wasm-opt removes: profile a build without it for names)"
            );
        }
        println!("  {:>9} {:>9}  wasm function (most total time first)", "self ms", "total ms");
        for f in app.iter().take(n) {
            println!("  {:>9.1} {:>9.1}  {}", f.self_ms, f.total_ms, short(&f.name));
        }
    }
}

/// `wasm name` for the app's functions, `js name (file)` for scripts, V8's own names as is.
fn name_of(frame: &Value) -> String {
    let name = frame["functionName"].as_str().unwrap_or("");
    let url = frame["url"].as_str().unwrap_or("");
    let name = if name.is_empty() { "(anonymous)" } else { name };
    if url.starts_with("wasm://") || url.ends_with(".wasm") || name.starts_with("$func") {
        format!("wasm {name}")
    } else if url.is_empty() {
        name.to_owned()
    } else {
        let file = url.rsplit('/').next().unwrap_or(url);
        format!("js {name} ({file})")
    }
}

/// A name without Rust's hash suffix (`::h0123456789abcdef`), cut to fit a line.
fn short(name: &str) -> String {
    const MAX: usize = 150;
    let name = match name.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) => head,
        _ => name,
    };
    if name.chars().count() <= MAX {
        name.to_owned()
    } else {
        format!("{}…", name.chars().take(MAX).collect::<String>())
    }
}
