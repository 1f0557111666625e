//! Risk learned across the workspace's plans: 包装设计 work slipped three times in the spring
//! launch, so a 包装设计 task in the autumn launch, a plan with no history of its own, is
//! listed as a risk on its dashboard with that record as the reason, and the suggested
//! assignee's record on such work comes from the spring launch too.

use launchplan_e2e::browser::{Page, Solo};
use launchplan_e2e::{artifacts_dir, wait_for};
use launchplan_shared::domain::Date;

/// Gives the `index`th task `tags` and a due day, in its drawer, and with `assign`, to the
/// workspace's one member.
async fn plan_task(
    page: &Page,
    index: usize,
    tags: &str,
    due: Option<Date>,
    assign: bool,
) -> anyhow::Result<()> {
    page.open_drawer(index).await?;
    page.set_date("drawer-tags", tags).await?;
    if let Some(due) = due {
        page.set_date("drawer-due", &due.to_string()).await?;
    }
    if assign {
        page.find("assignee-option").await?.find(fantoccini::Locator::Css("input")).await?.click().await?;
    }
    page.click("close-drawer").await
}

/// The dashboard's risks: each task's title and its explanation.
async fn risks(page: &Page) -> anyhow::Result<Vec<String>> {
    let found = page
        .run(
            "return [...document.querySelectorAll('[data-testid=\"dashboard-risk\"]')]
               .map(li => li.textContent);",
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kind_of_work_that_slipped_in_one_plan_is_a_risk_in_the_next() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let solo = Solo::start("lead", "zh-CN").await?;
    let page = &solo.page;
    let today = launchplan_e2e::today();

    // The autumn launch first: one 包装设计 task, and no history of its own.
    page.create_project("秋季新品首发").await?;
    page.add_task("礼盒包装").await?;
    plan_task(page, 0, "包装设计", Some(today.add_days(10)), false).await?;
    page.open_dashboard().await?;
    page.find("dashboard-risks").await?;
    assert_eq!(risks(page).await?, Vec::<String>::new(), "nothing known of 包装设计 yet");
    let autumn = page.find("project").await?.attr("data-doc").await?.unwrap_or_default();

    // In the spring launch, three 包装设计 tasks were due two days ago and are done today.
    page.click("workspace-name").await?;
    page.create_project("春季新品首发").await?;
    // A plan opens in the view last used: the dashboard. Its tasks are in the list.
    page.click("view-list").await?;
    for title in ["主图包装", "外箱包装", "内衬包装"] {
        page.add_task(title).await?;
    }
    for index in 0..3 {
        plan_task(page, index, "包装设计", Some(today.add_days(-2)), true).await?;
        page.toggle_done(index).await?;
    }
    wait_for("the three to be done", || async {
        Ok(page.first_done_flags(3).await?.iter().all(|d| *d).then_some(()))
    })
    .await?;

    // Back in the autumn launch, 礼盒包装 is a risk, with the spring record as the reason.
    page.click("workspace-name").await?;
    page.click_where("project-link", "data-id", &autumn).await?;
    page.open_dashboard().await?;
    let found = wait_for("礼盒包装 among the autumn launch's risks", || async {
        Ok(risks(page).await?.into_iter().find(|r| r.contains("礼盒包装")))
    })
    .await?;
    assert!(found.contains("包装设计类任务 3 次中有 3 次延期，平均延期 2.0 天"), "{found}");
    // And whom to give it: the one who did the spring's three, by that record.
    assert!(found.contains("做过 3 个同类任务，0 个按时"), "{found}");
    page.screenshot(&artifacts_dir()?, "risk-across-plans.png").await?;

    solo.close().await
}
