//! The history slider as a planner uses it: the 双十一 plan is set up, and after a pause a
//! task is finished, one renamed and one given a due day. Stepping the slider back one
//! moment with the keyboard shows the plan as it stood before, read only, and says what has
//! changed since; the history is the same after a reload, and a day before the plan
//! existed goes to its first moment.

use launchplan_e2e::browser::Page;
use launchplan_e2e::browser::Solo;
use launchplan_e2e::{artifacts_dir, wait_for};
use launchplan_shared::domain::timeline::BURST_MS;
use serde_json::Value;

/// The WebDriver key for the left arrow.
const LEFT: &str = "\u{e012}";

/// The timeline's `data-<name>`, once it shows.
async fn timeline(page: &Page, name: &str) -> anyhow::Result<Option<String>> {
    let script = format!(
        "return document.querySelector('[data-testid=\"timeline\"]')?.getAttribute('data-{name}') ?? null;"
    );
    Ok(page.run(&script).await?.as_str().map(str::to_owned))
}

async fn moments(page: &Page) -> anyhow::Result<usize> {
    Ok(timeline(page, "moments").await?.and_then(|m| m.parse().ok()).unwrap_or_default())
}

/// The text of each element `css` matches.
async fn texts(page: &Page, css: &str) -> anyhow::Result<Vec<String>> {
    let script = format!("return [...document.querySelectorAll('{css}')].map(e => e.textContent);");
    Ok(serde_json::from_value(page.run(&script).await?)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_slider_shows_the_plan_as_it_stood_and_what_changed_since() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let artifacts = artifacts_dir()?;
    let solo = Solo::start("planner", "zh-CN").await?;
    let page = &solo.page;
    let today = launchplan_e2e::today();

    page.create_project("双十一大促").await?;
    for title in ["首页banner设计", "优惠券配置", "仓库备货"] {
        page.add_task(title).await?;
    }
    page.click("view-history").await?;
    let before =
        wait_for("the history to show", || async { Ok(Some(moments(page).await?).filter(|n| *n > 0)) })
            .await?;
    page.click("view-list").await?;

    // A pause longer than one burst of editing, then the second round of work.
    tokio::time::sleep(std::time::Duration::from_millis(BURST_MS as u64 + 1500)).await;
    page.toggle_done(1).await?;
    page.rename_task(0, "首页banner定稿").await?;
    page.open_drawer(2).await?;
    page.set_date("drawer-due", &today.add_days(5).to_string()).await?;
    page.click("close-drawer").await?;
    wait_for("优惠券配置 to be done", || async { Ok(page.first_done_flags(2).await?[1].then_some(())) })
        .await?;

    page.click("view-history").await?;
    let after = wait_for("the second round as a moment", || async {
        Ok(Some(moments(page).await?).filter(|n| *n > before))
    })
    .await?;
    assert_eq!(timeline(page, "now").await?.as_deref(), Some("true"));
    assert_eq!(texts(page, "[data-testid=\"timeline-since\"]").await?.len(), 0, "nothing changed since now");

    // Back, with the keyboard, to the last moment before the pause.
    let slider = page.find("timeline-slider").await?;
    for _ in 0..(after - before) {
        slider.send_keys(LEFT).await?;
    }
    let wanted = (before - 1).to_string();
    wait_for("the slider to stop before the pause", || async {
        Ok((timeline(page, "at").await?.as_deref() == Some(wanted.as_str())).then_some(()))
    })
    .await?;
    assert_eq!(timeline(page, "now").await?.as_deref(), Some("false"));
    let titles = texts(page, "[data-testid=\"timeline-task-title\"]").await?;
    assert_eq!(titles, ["首页banner设计", "优惠券配置", "仓库备货"]);
    let statuses = page
        .run("return [...document.querySelectorAll('[data-testid=\"timeline-task\"]')].map(r => r.dataset.status);")
        .await?;
    assert_eq!(statuses, serde_json::json!(["todo", "todo", "todo"]), "nothing was done then");
    assert_eq!(texts(page, "[data-testid=\"timeline-finished\"] li").await?, ["优惠券配置"]);
    assert_eq!(
        texts(page, "[data-testid=\"timeline-renamed\"] li").await?,
        ["首页banner设计 → 首页banner定稿"]
    );
    let redated = texts(page, "[data-testid=\"timeline-redated\"] li").await?;
    assert_eq!(redated, [format!("仓库备货：— → {}", today.add_days(5))]);
    // Read only: the plan then offers nothing to change.
    let fields = page
        .run("return document.querySelectorAll('[data-testid=\"timeline-plan\"] :is(input, button, select, textarea, [contenteditable])').length;")
        .await?;
    assert_eq!(fields, Value::from(0));
    page.screenshot(&artifacts, "time-travel.png").await?;

    // The history is the document's: after a reload it is all there, and a day before the
    // plan existed goes to its first moment.
    page.reload().await?;
    page.click("view-history").await?;
    wait_for("the history after a reload", || async { Ok((moments(page).await? == after).then_some(())) })
        .await?;
    page.set_date("timeline-day", &today.add_days(-1).to_string()).await?;
    wait_for("the first moment", || async {
        Ok((timeline(page, "at").await?.as_deref() == Some("0")).then_some(()))
    })
    .await?;
    page.click("timeline-now").await?;
    wait_for("now again", || async {
        Ok((timeline(page, "now").await?.as_deref() == Some("true")).then_some(()))
    })
    .await?;

    solo.close().await
}
