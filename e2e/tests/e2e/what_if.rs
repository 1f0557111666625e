//! What-if as a planner uses it: fork the 双十一 plan into a scenario, move its launch a week
//! there, see the comparison say a week later while the plan itself stays put, then merge
//! the scenario back: the plan's launch moves, and the scenario is put away.

use launchplan_e2e::browser::{Page, Solo};
use launchplan_e2e::{artifacts_dir, wait_for};
use launchplan_shared::domain::Date;

async fn launch_of(page: &Page) -> anyhow::Result<String> {
    Ok(page.find("plan-launch").await?.prop("value").await?.unwrap_or_default())
}

async fn wait_launch(page: &Page, day: Date) -> anyhow::Result<()> {
    wait_for(&format!("the plan's launch to be {day}"), || async {
        Ok((launch_of(page).await? == day.to_string()).then_some(()))
    })
    .await
}

/// How many elements with test id `id` the page shows.
async fn count(page: &Page, id: &str) -> anyhow::Result<u64> {
    let n = page.run(&format!("return document.querySelectorAll('[data-testid=\"{id}\"]').length;")).await?;
    Ok(n.as_u64().unwrap_or_default())
}

/// The comparison's change of finish, in days, once it shows.
async fn finish_days(page: &Page) -> anyhow::Result<Option<i64>> {
    let found = page
        .run(
            "const c = document.querySelector('[data-testid=\"scenario-compare\"]');
             return c && Number(c.dataset.finishDays);",
        )
        .await?;
    Ok(found.as_i64())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_moves_the_launch_a_week_compares_and_merges_back() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let artifacts = artifacts_dir()?;
    let solo = Solo::start("planner", "zh-CN").await?;
    let page = &solo.page;

    let launch = launchplan_e2e::today().add_days(30);
    page.create_project("双十一大促").await?;
    page.set_date("plan-launch", &launch.to_string()).await?;
    wait_launch(page, launch).await?;
    page.add_task("首页banner设计").await?;
    page.add_task("优惠券配置").await?;
    let plan = page.client.current_url().await?;

    // A scenario of it: the same plan, and nothing different yet.
    page.click("fork-scenario").await?;
    page.find("scenario").await?;
    wait_for("the scenario's comparison", || async { Ok(finish_days(page).await?.filter(|d| *d == 0)) })
        .await?;
    page.wait_task_titles(&["首页banner设计", "优惠券配置"]).await?;
    let scenario = page.client.current_url().await?;
    assert_ne!(scenario, plan, "the scenario is a plan of its own");
    let scenario_doc = page.find("project").await?.attr("data-doc").await?.unwrap_or_default();

    // The launch a week later, in the scenario only.
    page.set_date("plan-launch", &launch.add_days(7).to_string()).await?;
    wait_for("the comparison to say a week later", || async {
        Ok(finish_days(page).await?.filter(|d| *d == 7))
    })
    .await?;
    let said = page.find("finish-change").await?.text().await?;
    assert_eq!(said, "晚 7 天");
    let moved = page.find("scenario-moved").await?.text().await?;
    assert!(moved.contains("首页banner设计") && moved.contains("优惠券配置"), "{moved}");
    page.screenshot(&artifacts, "what-if-compare.png").await?;

    // The plan itself is as it was.
    page.click("scenario-original").await?;
    wait_launch(page, launch).await?;
    page.find("fork-scenario").await?;
    assert_eq!(count(page, "scenario").await?, 0, "the plan is no scenario");

    // Merged back, the plan's launch moves a week and the scenario is put away.
    // Back to the scenario from the workspace's list, where it is marked as one.
    page.click("workspace-name").await?;
    page.find("scenario-badge").await?;
    page.click_where("project-link", "data-id", &scenario_doc).await?;
    page.find("scenario").await?;
    wait_for("the comparison again", || async { Ok(finish_days(page).await?.filter(|d| *d == 7)) }).await?;
    page.click("merge-scenario").await?;
    page.client.accept_alert().await?;
    wait_for("the plan to open", || async { Ok((page.client.current_url().await? == plan).then_some(())) })
        .await?;
    wait_launch(page, launch.add_days(7)).await?;
    page.wait_task_titles(&["首页banner设计", "优惠券配置"]).await?;
    page.click("workspace-name").await?;
    page.find("project-link").await?;
    assert_eq!(count(page, "scenario-badge").await?, 0, "the scenario was archived");
    page.screenshot(&artifacts, "what-if-merged.png").await?;

    solo.close().await
}
