//! A plan from a template in one step: in the template gallery, A picks 新品首发, gives the
//! launch day and the SKUs, and sees the six phases in order with every task scheduled over the
//! workspace's working days (China's calendar: nothing lands in 春节). B opens the link in a
//! private window, in English, and sees the same plan.

use fantoccini::Locator;
use launchplan_e2e::browser::{ListRow, Page, Solo};
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};

const PHASES: [&str; 6] = ["市场调研", "包装设计", "样品测试", "广告投放", "上架准备", "正式发售"];

/// The rows once the plan shows `tasks` tasks and its six phases.
async fn full_plan(page: &Page, tasks: usize) -> anyhow::Result<Vec<ListRow>> {
    wait_for(&format!("{} to show the whole plan", page.name), || async {
        let rows = page.plan_rows().await?;
        let phases = rows.iter().filter(|r| r.kind == "phase").count();
        let listed = rows.iter().filter(|r| r.kind == "task" && !r.start.is_empty()).count();
        Ok((phases == PHASES.len() && listed == tasks).then_some(rows))
    })
    .await
}

/// (month, day) of an `m/d` the list shows.
fn month_day(text: &str) -> (u32, u32) {
    let (m, d) = text.split_once('/').unwrap_or_else(|| panic!("a date, not {text:?}"));
    (m.parse().expect("month"), d.parse().expect("day"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_launch_plan_from_the_template_shows_its_phases_and_dates_to_both() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?).await?;
    let driver = ChromeDriver::start().await?;
    let a = Page::new(driver.browser(&profiles.path().join("a")).await?, "A");

    a.open(&relay.url()).await?;
    a.use_language("zh-CN").await?;
    a.find("template-gallery").await?;
    a.click_where("template-card", "data-template", "new-product-launch").await?;
    // Three weeks after 春节 2026 (2月15日 to 23日, with make-up Saturdays 14 and 28).
    a.set_date("wizard-launch", "2026-03-16").await?;
    a.type_into("wizard-skus", "LIP-01 丝绒雾面口红\nLIP-02 水光唇釉").await?;
    let preview = a.find("wizard-preview").await?;
    wait_for("the wizard to say when the plan starts", || async {
        Ok(preview.text().await?.contains("2025-").then_some(()))
    })
    .await?;
    // That day is behind us (this test runs after 2026-03-16): the wizard says the plan would
    // start late.
    assert!(a.find("wizard-late-warning").await?.text().await?.contains("天前"));
    a.screenshot(&artifacts, "template-wizard-zh.png").await?;
    a.click("wizard-create").await?;
    a.wait_project_name("新品首发").await?;

    let rows = full_plan(&a, 25).await?;
    let phases: Vec<&str> = rows.iter().filter(|r| r.kind == "phase").map(|r| r.text.as_str()).collect();
    assert_eq!(phases, PHASES, "six phases, in order");
    assert!(rows.first().is_some_and(|r| r.kind == "phase"), "the list opens with the first phase");
    assert!(rows.iter().any(|r| r.kind == "milestone" && !r.start.is_empty()), "milestones with their day");
    for task in rows.iter().filter(|r| r.kind == "task") {
        for day in [&task.start, &task.finish] {
            let (month, day) = month_day(day);
            assert!(!(month == 2 && (15..=23).contains(&day)), "{} is scheduled in 春节: 2/{day}", task.text);
        }
    }
    // The last task ends on the launch day itself.
    let last = rows.iter().filter(|r| r.kind == "task").map(|r| month_day(&r.finish)).max();
    assert_eq!(last, Some((3, 16)));
    a.screenshot(&artifacts, "template-plan-zh.png").await?;

    // Filtering by words in the title keeps the matching tasks under their phases.
    a.type_into("filter-text", "包装").await?;
    let expected: Vec<&str> = rows
        .iter()
        .filter(|r| r.kind == "task" && r.text.contains("包装"))
        .map(|r| r.text.as_str())
        .collect();
    wait_for("the list to be filtered", || async {
        let shown = a.find("tasks").await?.attr("data-shown").await?;
        Ok((shown == Some(expected.len().to_string())).then_some(()))
    })
    .await?;
    let kept = a.plan_rows().await?;
    let titles: Vec<&str> = kept.iter().filter(|r| r.kind == "task").map(|r| r.text.as_str()).collect();
    assert_eq!(titles, expected);
    assert!(kept.iter().filter(|r| r.kind == "phase").all(|r| r.text == "包装设计"), "{kept:?}");
    a.screenshot(&artifacts, "template-filtered-zh.png").await?;
    a.click("filter-clear").await?;
    wait_for("the whole list again", || async { Ok((a.plan_rows().await? == rows).then_some(())) }).await?;

    // Grouped by status and sorted by title: one group (every task is still to do), the
    // tasks in title order; back to the plan by phase, as it was.
    a.find("group-by").await?.select_by_value("2").await?;
    a.find("sort-by").await?.select_by_value("4").await?;
    let mut by_title: Vec<String> =
        rows.iter().filter(|r| r.kind == "task").map(|r| r.text.clone()).collect();
    by_title.sort_by_key(|t| t.to_lowercase());
    let grouped = wait_for("the list grouped by status", || async {
        let shown = a.plan_rows().await?;
        Ok(shown.first().is_some_and(|r| r.kind == "group").then_some(shown))
    })
    .await?;
    assert_eq!(grouped[0].text, "待开始");
    assert_eq!(grouped[0].start, by_title.len().to_string(), "the group counts its tasks");
    let titles: Vec<String> = grouped[1..].iter().map(|r| r.text.clone()).collect();
    assert_eq!(titles, by_title);
    a.screenshot(&artifacts, "template-grouped-zh.png").await?;
    a.find("group-by").await?.select_by_value("0").await?;
    a.find("sort-by").await?.select_by_value("0").await?;
    wait_for("the plan by phase again", || async { Ok((a.plan_rows().await? == rows).then_some(())) })
        .await?;

    // Two tasks selected: set in progress together, then shifted two working days (what
    // waits for them follows); one undo takes the shift back.
    let selects = a.client.find_all(Locator::Css("[data-testid=\"task-select\"]")).await?;
    selects[0].click().await?;
    selects[1].click().await?;
    assert!(a.find("bulk-count").await?.text().await?.contains('2'));
    a.find("bulk-status").await?.select_by_value("in_progress").await?;
    wait_for("both to be in progress", || async {
        let (first, second) = (a.in_row(0, "task-status").await?, a.in_row(1, "task-status").await?);
        let values = (first.prop("value").await?, second.prop("value").await?);
        Ok((values.0.as_deref() == Some("in_progress") && values.1.as_deref() == Some("in_progress"))
            .then_some(()))
    })
    .await?;
    let in_progress = a.plan_rows().await?;
    let days = a.find("bulk-shift-days").await?;
    days.clear().await?;
    days.send_keys("2").await?;
    a.click("bulk-shift").await?;
    a.find("moved-notice").await?;
    let shifted = a.plan_rows().await?;
    let first_task = |rows: &[ListRow]| rows.iter().find(|r| r.kind == "task").map(|r| r.start.clone());
    assert_ne!(first_task(&shifted), first_task(&in_progress), "the first task moved");
    a.screenshot(&artifacts, "template-bulk-zh.png").await?;
    a.click("undo").await?;
    wait_for("the shift to be undone", || async { Ok((a.plan_rows().await? == in_progress).then_some(())) })
        .await?;
    a.click("undo").await?;
    a.click("bulk-clear").await?;
    wait_for("the statuses to be undone", || async { Ok((a.plan_rows().await? == rows).then_some(())) })
        .await?;

    // In place: the first task's start, from its cell.
    a.in_row(0, "task-start").await?.click().await?;
    a.set_date("row-date", "2026-01-12").await?;
    wait_for("the first task to start on 1/12", || async {
        Ok((first_task(&a.plan_rows().await?).as_deref() == Some("1/12")).then_some(()))
    })
    .await?;
    a.click("undo").await?;
    wait_for("the plan as it was", || async { Ok((a.plan_rows().await? == rows).then_some(())) }).await?;
    assert_eq!(
        a.client.find_all(Locator::Css("[data-testid=\"moved-notice\"]")).await?.len(),
        0,
        "undone, the notice of what moved with it goes too"
    );

    // Moving the first task a week later moves what waits for it; one undo takes it all back.
    a.open_drawer(0).await?;
    a.set_date("drawer-start", "2026-01-05").await?;
    a.find("moved-notice").await?;
    let moved = a.client.find_all(Locator::Css("[data-testid=\"moved-task\"]")).await?.len();
    assert!(moved > 3, "the tasks that wait for it moved too: {moved}");
    let shifted = a.plan_rows().await?;
    assert_ne!(shifted, rows, "dates changed");
    a.screenshot(&artifacts, "template-moved-zh.png").await?;
    a.click("moved-undo").await?;
    wait_for("the move to be undone", || async { Ok((a.plan_rows().await? == rows).then_some(())) }).await?;

    // Deleting a task others wait for leaves them waiting for nothing: the plan says so.
    a.click("drawer-delete").await?;
    let warning = a.find("plan-warning").await?;
    assert_eq!(warning.attr("data-kind").await?.as_deref(), Some("dangling-dependency"));
    a.screenshot(&artifacts, "template-warnings-zh.png").await?;
    a.undo().await?;
    wait_for("the task to be back", || async { Ok((a.plan_rows().await? == rows).then_some(())) }).await?;

    // The plan, saved as a workspace template, makes the next plan the same way.
    let doc = a.find("project").await?.attr("data-doc").await?.unwrap_or_default();
    a.click("save-template").await?;
    a.find("template-saved").await?;
    a.click("workspace-name").await?;
    let key = format!("plan-{doc}");
    a.click_where("template-card", "data-template", &key).await?;
    a.set_date("wizard-launch", "2026-09-01").await?;
    let name = a.find("wizard-name").await?;
    name.clear().await?;
    name.send_keys("秋季口红新品").await?;
    a.click("wizard-create").await?;
    a.wait_project_name("秋季口红新品").await?;
    let again = full_plan(&a, 25).await?;
    let names = |rows: &[ListRow]| {
        rows.iter().filter(|r| r.kind != "milestone").map(|r| r.text.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&again), names(&rows), "the same phases and tasks, in the same order");
    let last = again.iter().filter(|r| r.kind == "task").map(|r| month_day(&r.finish)).max();
    assert_eq!(last, Some((9, 1)), "scheduled back from the new launch day");
    // A saved template can be deleted; the built-in ones cannot.
    a.click("workspace-name").await?;
    let card = format!("[data-testid=\"template-card\"][data-template=\"{key}\"]");
    // The projects page draws after the click: wait for the card rather than look once.
    let delete = format!("{card} [data-testid=\"template-delete\"]");
    let button = wait_for("the saved template's delete button", || async {
        Ok(a.client.find_all(Locator::Css(&delete)).await?.into_iter().next())
    })
    .await?;
    button.click().await?;
    wait_for("the saved template to go", || async {
        Ok(a.client.find_all(Locator::Css(&card)).await?.is_empty().then_some(()))
    })
    .await?;
    let deletable = a.client.find_all(Locator::Css("[data-testid=\"template-delete\"]")).await?;
    assert!(deletable.is_empty(), "built-in templates stay");
    a.click_where("project-link", "data-id", &doc).await?;
    a.wait_project_name("新品首发").await?;

    // B opens the link in a private window, reading English.
    let link = a.share_link().await?;
    let b = Page::new(driver.private_browser().await?, "B");
    b.open(&link).await?;
    b.use_language("en").await?;
    let seen = full_plan(&b, 25).await?;
    assert_eq!(seen, rows, "B sees the same rows, dates and all");
    let columns = b.find("task-columns").await?.text().await?;
    assert!(columns.contains("Start") && columns.contains("Slack"), "{columns}");
    b.screenshot(&artifacts, "template-plan-en.png").await?;

    a.client.close().await?;
    b.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}

/// A 双十一 plan two months out, its day brought a week forward: the dated work stays on its
/// days (the plan would be late) until the planner brings it forward too; then the day's own
/// work is on the new day, and one undo takes it back. A later day again offers nothing: the
/// plan follows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_campaign_day_brings_the_dated_work_forward_when_asked() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let solo = Solo::start("运营", "zh-CN").await?;
    let a = &solo.page;
    let launch = launchplan_e2e::today().add_days(60);
    let earlier = launch.add_days(-7);
    let m_d = |day: launchplan_shared::domain::Date| {
        let (_, m, d) = day.ymd();
        format!("{m}/{d}")
    };
    a.find("template-gallery").await?;
    a.click_where("template-card", "data-template", "double-11").await?;
    a.set_date("wizard-launch", &launch.to_string()).await?;
    a.click("wizard-create").await?;
    let on_the_day = |rows: &[ListRow]| {
        rows.iter().find(|r| r.kind == "task" && r.text == "大促当天执行").map(|r| r.finish.clone())
    };
    let rows = wait_for("the campaign day's work on its day", || async {
        let rows = a.plan_rows().await?;
        Ok((on_the_day(&rows) == Some(m_d(launch))).then_some(rows))
    })
    .await?;

    // A week earlier (campaign teams work every day: seven working days). Undone before
    // anything is chosen, the offer goes with it; made again, it is back.
    a.set_date("plan-launch", &earlier.to_string()).await?;
    a.find("launch-moved").await?;
    a.click("undo").await?;
    wait_for("the offer to go with the undone launch day", || async {
        Ok(a.client.find_all(Locator::Css("[data-testid=\"launch-moved\"]")).await?.is_empty().then_some(()))
    })
    .await?;
    a.set_date("plan-launch", &earlier.to_string()).await?;
    let offer = a.find("launch-moved").await?;
    assert_eq!(offer.attr("data-days").await?.as_deref(), Some("-7"));
    assert_eq!(a.plan_rows().await?, rows, "nothing moved by itself");
    a.screenshot(&artifacts_dir()?, "launch-earlier-zh.png").await?;
    a.click("launch-move-tasks").await?;
    wait_for("the campaign day's work on the new day", || async {
        Ok((on_the_day(&a.plan_rows().await?) == Some(m_d(earlier))).then_some(()))
    })
    .await?;
    assert_eq!(a.client.find_all(Locator::Css("[data-testid=\"launch-moved\"]")).await?.len(), 0);
    a.click("undo").await?;
    wait_for("the move to be undone", || async { Ok((a.plan_rows().await? == rows).then_some(())) }).await?;

    // The day back where it was: later, so nothing to offer.
    a.set_date("plan-launch", &launch.to_string()).await?;
    wait_for("the launch day back", || async {
        let value = a.find("plan-launch").await?.prop("value").await?;
        Ok((value.as_deref() == Some(launch.to_string().as_str())).then_some(()))
    })
    .await?;
    assert_eq!(a.client.find_all(Locator::Css("[data-testid=\"launch-moved\"]")).await?.len(), 0);
    assert_eq!(a.plan_rows().await?, rows);
    solo.close().await
}
