//! The workload heat map as a team uses it: two tasks of 小王's on the same day are more than
//! the six hours a day 小王 can give, and both teammates' maps say so; dragging one of them
//! onto 小李's row gives it to 小李, and the overload is gone in both browsers.

use std::time::Duration;

use anyhow::Context;
use fantoccini::Locator;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use launchplan_e2e::browser::Page;
use launchplan_e2e::pair::Pair;
use launchplan_e2e::{artifacts_dir, wait_for};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Row {
    name: String,
    member: String,
    over_days: usize,
    hours: f64,
}

/// Every row of the heat map: whose, on how many days over, and their hours in view.
async fn rows(page: &Page) -> anyhow::Result<Vec<Row>> {
    let rows = page
        .run(
            "return [...document.querySelectorAll('[data-testid=\"heat-row\"]')].map(r => ({
               name: r.querySelector('.heat-name').textContent,
               member: r.dataset.member,
               over_days: Number(r.dataset.overDays),
               hours: [...r.querySelectorAll('[data-testid=\"heat-cell\"]')]
                 .reduce((sum, c) => sum + Number(c.dataset.hours), 0),
             }))",
        )
        .await?;
    Ok(serde_json::from_value(rows)?)
}

async fn row_of(page: &Page, name: &str) -> anyhow::Result<Option<Row>> {
    Ok(rows(page).await?.into_iter().find(|r| r.name == name))
}

async fn wait_over_days(page: &Page, name: &str, over: impl Fn(usize) -> bool) -> anyhow::Result<Row> {
    wait_for(&format!("{}'s heat map to show {name} as expected", page.name), || async {
        Ok(row_of(page, name).await?.filter(|r| over(r.over_days)))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overloaded_member_is_flagged_and_a_drag_to_a_teammate_clears_it_in_both_browsers()
-> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let artifacts = artifacts_dir()?;
    let (pair, relay) = Pair::start().await?;
    let (a, b) = (&pair.a, &pair.b);
    a.open(&relay.url()).await?;
    a.use_language("zh-CN").await?;
    a.set_name("小王").await?;
    // 小李 joins 小王's workspace as an editor.
    let invite = a.invite("2").await?;
    b.join(&invite, "小李").await?;
    b.use_language("zh-CN").await?;

    // Two tasks for 小王 on the same day, from quick add.
    a.click("workspace-name").await?;
    a.create_project("双十一大促").await?;
    for phrase in ["后天 主图拍摄 负责人小王", "后天 详情页文案 负责人小王"] {
        a.type_into("task-input", phrase).await?;
        a.find("quick-add-people").await?;
        a.type_into("task-input", "\u{e007}").await?;
    }
    a.wait_task_titles(&["主图拍摄", "详情页文案"]).await?;

    // 小王 can give six hours a day: the two tasks' eight are too many.
    a.click("workload-link").await?;
    a.find("heat-map").await?;
    let wang = wait_for("小王's hours on the map", || async {
        Ok(row_of(a, "小王").await?.filter(|r| r.hours > 0.0))
    })
    .await?;
    assert_eq!(wang.over_days, 0, "eight hours a day is within the default capacity: {wang:?}");
    let capacity = a
        .client
        .find(Locator::Css(&format!(
            "[data-testid=\"heat-row\"][data-member=\"{}\"] [data-testid=\"capacity-input\"]",
            wang.member
        )))
        .await?;
    capacity.send_keys("\u{e009}a\u{e000}6\u{e004}").await?;
    let wang = wait_over_days(a, "小王", |n| n > 0).await?;
    b.click("workload-link").await?;
    wait_over_days(b, "小王", |n| n == wang.over_days).await?;
    let li = row_of(b, "小李").await?.context("小李 has a row")?;
    assert_eq!((li.over_days, li.hours), (0, 0.0), "{li:?}");
    b.screenshot(&artifacts, "workload-b-over.png").await?;

    // 小王 picks the day and drags one task onto 小李's row.
    let over_cell = a
        .client
        .find(Locator::Css(&format!(
            "[data-testid=\"heat-row\"][data-member=\"{}\"] [data-testid=\"heat-cell\"][data-over=\"true\"] button",
            wang.member
        )))
        .await?;
    over_cell.click().await?;
    let tasks = wait_for("the day's two tasks", || async {
        let found = a.client.find_all(Locator::Css("[data-testid=\"heat-task\"]")).await?;
        Ok((found.len() == 2).then_some(found))
    })
    .await?;
    a.screenshot(&artifacts, "workload-a-day.png").await?;
    let target = a
        .client
        .find(Locator::Css(&format!("[data-testid=\"heat-row\"][data-member=\"{}\"] th", li.member)))
        .await?;
    let step = Some(Duration::from_millis(100));
    let grip = tasks[0].find(Locator::Css(".grip")).await?;
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: grip, duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveBy { duration: step, x: 10.0, y: -10.0 })
        .then(PointerAction::MoveToElement { element: target, duration: step, x: 0.0, y: 0.0 })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    a.client.perform_actions(mouse).await?;

    // Nobody is over any more, in either browser, and 小李 has the task's hours.
    for page in [a, b] {
        wait_over_days(page, "小王", |n| n == 0).await?;
        let li = wait_for(&format!("{}'s map to give 小李 hours", page.name), || async {
            Ok(row_of(page, "小李").await?.filter(|r| r.hours > 0.0))
        })
        .await?;
        assert_eq!(li.over_days, 0, "{li:?}");
    }
    b.screenshot(&artifacts, "workload-b-cleared.png").await?;

    pair.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
