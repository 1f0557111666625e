//! The dashboard as two people use it: a task one of them makes late turns the plan red in
//! the other's dashboard, with the reason and the task named, and it still is after a reload.

use launchplan_e2e::pair::Pair;
use launchplan_e2e::{artifacts_dir, wait_for};

const TASKS: [&str; 4] = ["首页banner设计", "优惠券配置", "客服话术", "仓储调拨"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_made_late_in_one_browser_turns_the_other_dashboard_red_with_the_reason() -> anyhow::Result<()>
{
    let _turn = launchplan_e2e::my_turn().await;
    let artifacts = artifacts_dir()?;
    let (pair, relay) = Pair::start().await?;
    let (a, b) = (&pair.a, &pair.b);
    pair.share_plan(&relay, "双十一大促备战", &TASKS).await?;
    for page in [a, b] {
        page.use_language("zh-CN").await?;
    }
    b.open_dashboard().await?;
    let before = b.dashboard().await?.expect("a dashboard");
    assert_ne!(before.rag, "red", "a new plan is not late: {before:?}");

    // A gives 首页banner设计 a due day two days ago.
    let due = launchplan_e2e::today().add_days(-2);
    a.open_drawer(0).await?;
    a.set_date("drawer-due", &due.to_string()).await?;

    let after = wait_for("B's dashboard to turn red", || async {
        Ok(b.dashboard().await?.filter(|d| d.rag == "red"))
    })
    .await?;
    assert!(after.reason.contains("首页banner设计"), "the reason names the task: {after:?}");
    assert!(after.reason.contains("已逾期 2 天"), "and says why: {after:?}");
    assert_eq!(after.flagged.first(), Some(&("red".to_owned(), "首页banner设计".to_owned())), "{after:?}");
    b.screenshot(&artifacts, "dashboard-b-red.png").await?;

    // B closes the page and comes back: the dashboard is still the view, still red.
    b.reload().await?;
    let again = wait_for("B's dashboard to be red again after a reload", || async {
        Ok(b.dashboard().await?.filter(|d| d.rag == "red"))
    })
    .await?;
    assert_eq!(again.flagged.first(), after.flagged.first(), "{again:?}");

    // In A's own dashboard too, in English.
    a.click("close-drawer").await?;
    a.use_language("en").await?;
    a.open_dashboard().await?;
    let english =
        wait_for("A's dashboard to be red", || async { Ok(a.dashboard().await?.filter(|d| d.rag == "red")) })
            .await?;
    assert!(english.reason.contains("Overdue by 2 days"), "{english:?}");
    a.screenshot(&artifacts, "dashboard-a-en.png").await?;

    pair.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
