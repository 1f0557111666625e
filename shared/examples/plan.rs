//! Prints a built-in template, instantiated for a launch day and scheduled backward from it,
//! as JSON: phases, tasks (dates, dependencies, slack, critical, red/amber/green and why),
//! milestones, the critical tasks and the chains of dependencies through them, and the finish.
//!
//! `cargo run -q -p launchplan-shared --example plan -- --template double-11 --launch 2026-11-11`
//! Options: `--today YYYY-MM-DD` (what RAG is judged against; default the real today),
//! `--lang zh|en` (default zh). Bad input: a message on stderr and exit code 2.

use std::process::ExitCode;

use launchplan_shared::domain::{Date, templates};
use launchplan_shared::plan::report;

const USAGE: &str = "usage: plan --template new-product-launch|double-11|618|sku-listing --launch YYYY-MM-DD [--today YYYY-MM-DD] [--lang zh|en]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("plan: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let (mut template, mut launch, mut today, mut chinese) = (None, None, None, true);
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value; {USAGE}"))?;
        match flag.as_str() {
            "--template" => template = Some(value),
            "--launch" => launch = Some(value.parse::<Date>().map_err(|e| format!("--launch: {e}"))?),
            "--today" => today = Some(value.parse::<Date>().map_err(|e| format!("--today: {e}"))?),
            "--lang" => {
                chinese = match value.as_str() {
                    "zh" | "zh-CN" => true,
                    "en" => false,
                    other => return Err(format!("--lang: unknown language {other:?} (zh or en)")),
                }
            }
            other => return Err(format!("unknown option {other:?}; {USAGE}")),
        }
    }
    let key = template.ok_or_else(|| format!("--template is required; {USAGE}"))?;
    let launch = launch.ok_or_else(|| format!("--launch is required; {USAGE}"))?;
    let template = templates::find(&key).ok_or_else(|| {
        let known: Vec<String> = templates::built_in().into_iter().map(|t| t.key).collect();
        format!("unknown template {key:?}; the templates are {}", known.join(", "))
    })?;
    let today = today.unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Date::from_millis(now as i64)
    });
    serde_json::to_string_pretty(&report(&template, launch, today, chinese)).map_err(|e| e.to_string())
}
