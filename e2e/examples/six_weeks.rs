//! Six weeks of a 双十二 campaign, lived through the real app: the real relay and a headless
//! Chromium whose clock is set back, so that the plan gets the history a team's plan has.
//! It is made from the 双十一 template 38 days before today with 双十二 ten days from now;
//! then, every third day up to today, each task whose planned start has come is started and
//! each due before the next visit is finished: one in five three days late, and one in
//! thirteen not at all (overdue today). A few are renamed or get a later due day on the way.
//!
//! Then it shows the plan as the team finds it today, as screenshots in `<dir>`: the list,
//! the dashboard, the plan three weeks ago on the history slider, the KPIs, and a what-if
//! that moves 双十二 three days.
//!
//! For trying the insight views as a team that has run a plan would (and for demos):
//!
//! ```text
//! cargo build -p launchplan-relay && trunk build --release
//! LAUNCHPLAN_RELAY_BIN=target/debug/launchplan-relay LAUNCHPLAN_APP_DIR=target/app \
//!     cargo run -p launchplan-e2e --example six_weeks -- /tmp/six-weeks
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::{ChromeDriver, run_before_page_scripts};
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{today, wait_for};
use launchplan_shared::domain::Date;

/// Where the page's clock stands, in milliseconds from the real one.
const SHIFT_KEY: &str = "launchplan.trial-clock-shift";

/// Runs before the app: `Date` (and so every stamp, due check and "today") runs
/// `SHIFT_KEY` milliseconds off.
const SHIFTED_CLOCK: &str = "(() => {
  const shift = Number(localStorage.getItem('launchplan.trial-clock-shift') || 0);
  if (!shift) return;
  const Real = Date, realNow = Date.now.bind(Date);
  class Shifted extends Real {
    constructor(...args) { if (args.length === 0) super(realNow() + shift); else super(...args); }
    static now() { return realNow() + shift; }
  }
  globalThis.Date = Shifted;
})();";

/// Days before today the plan was made, and from today to 双十二.
const MADE_DAYS_AGO: i32 = 38;
const LAUNCH_IN_DAYS: i32 = 10;
/// Days between the team's visits.
const STEP_DAYS: i32 = 3;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Todo,
    Started,
    Done,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let out = PathBuf::from(std::env::args().nth(1).context("usage: six_weeks <dir>")?);
    std::fs::create_dir_all(&out)?;
    let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", &out.join("relay"), &app_dir()?).await?;
    let driver = ChromeDriver::start().await?;
    let page = Page::new(driver.browser(&out.join("browser")).await?, "运营");
    run_before_page_scripts(&page.client, SHIFTED_CLOCK).await?;
    page.open(&relay.url()).await?;
    page.use_language("zh-CN").await?;
    let today = today();
    let launch = today.add_days(LAUNCH_IN_DAYS);

    // The plan, made from the template weeks ago.
    set_clock(&page, -MADE_DAYS_AGO).await?;
    page.set_name("王运营").await?;
    page.find("template-gallery").await?;
    page.click_where("template-card", "data-template", "double-11").await?;
    page.find("wizard-name").await?.clear().await?;
    page.type_into("wizard-name", "双十二大促").await?;
    page.set_date("wizard-launch", &launch.to_string()).await?;
    page.click("wizard-create").await?;
    page.wait_project_name("双十二大促").await?;
    page.open_gantt().await?;
    let chart = page.gantt().await?;
    let planned: BTreeMap<String, (Date, Date)> = chart
        .bars
        .iter()
        .filter_map(|(id, bar)| Some((id.clone(), (bar.start.parse().ok()?, bar.due.parse().ok()?))))
        .collect();
    page.click("view-list").await?;
    let plan = page.find("project").await?.attr("data-doc").await?.context("the plan's id")?;
    println!("{} tasks planned, 双十二 on {launch}", planned.len());

    let mut state: BTreeMap<String, State> = planned.keys().map(|id| (id.clone(), State::Todo)).collect();
    let mut day = -MADE_DAYS_AGO + STEP_DAYS;
    while day <= 0 {
        set_clock(&page, day).await?;
        let on = today.add_days(day);
        let ids = page.task_ids().await?;
        let mut changes = 0;
        for (n, id) in ids.iter().enumerate() {
            let Some(&(start, due)) = planned.get(id) else { continue };
            let late = if n % 5 == 0 { 3 } else { 0 };
            let stuck = n % 13 == 7;
            let now = state[id];
            let next = match now {
                State::Todo if start <= on => State::Started,
                // Finished at the last visit before its due day (plus its slip) has passed.
                State::Started if !stuck && due.add_days(late) < on.add_days(STEP_DAYS) => State::Done,
                other => other,
            };
            if next != now {
                let status = if next == State::Started { "in_progress" } else { "done" };
                page.open_drawer(n).await?;
                page.set_date("drawer-status", status).await?;
                // Some work is rethought on the way: a clearer name, a later due day.
                if next == State::Started && n % 11 == 3 {
                    page.set_date("drawer-due", &due.add_days(2).to_string()).await?;
                }
                page.click("close-drawer").await?;
                if next == State::Done && n % 9 == 4 {
                    let title = page.first_titles(n + 1).await?.pop().unwrap_or_default();
                    page.rename_task(n, &format!("{title}（已复盘）")).await?;
                }
                state.insert(id.clone(), next);
                changes += 1;
            }
        }
        println!("{on}: {changes} changes");
        day += STEP_DAYS;
    }

    // Today, as the team finds it.
    set_clock(&page, 0).await?;
    page.screenshot(&out, "1-list.png").await?;
    page.click("view-dashboard").await?;
    page.find("dashboard-rag").await?;
    page.screenshot(&out, "2-dashboard.png").await?;
    page.click("view-history").await?;
    page.find("timeline-slider").await?;
    page.set_date("timeline-day", &today.add_days(-21).to_string()).await?;
    page.find("timeline-since").await?;
    page.screenshot(&out, "3-three-weeks-ago.png").await?;
    page.click("kpis-link").await?;
    page.find("kpi-on-time").await?;
    page.screenshot(&out, "4-kpis.png").await?;
    // Back to the plan as a person goes: the workspace, then the plan's link.
    page.click("workspace-name").await?;
    page.click_where("project-link", "data-id", &plan).await?;
    page.click("fork-scenario").await?;
    page.find("scenario").await?;
    page.set_date("plan-launch", &launch.add_days(3).to_string()).await?;
    let moved = launch.add_days(3).to_string();
    wait_for("the comparison to show the scenario's launch day", || async {
        let shown = page
            .run("return document.querySelector('[data-testid=\"scenario-compare\"] [data-key=\"launch\"] td:last-child')?.textContent ?? null")
            .await?;
        Ok((shown.as_str() == Some(moved.as_str())).then_some(()))
    })
    .await?;
    page.screenshot(&out, "5-what-if.png").await?;
    println!("screenshots in {}", out.display());
    page.client.close().await?;
    anyhow::ensure!(relay.terminate().await?.success(), "the relay did not exit cleanly");
    Ok(())
}

/// Sets the page's clock `days` from today and reloads the page, which reads it.
async fn set_clock(page: &Page, days: i32) -> anyhow::Result<()> {
    let shift = i64::from(days) * 86_400_000;
    page.run(&format!("localStorage.setItem('{SHIFT_KEY}', '{shift}'); return null;")).await?;
    page.reload().await
}
