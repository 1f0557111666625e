//! A teammate in a private window (no persistent profile, storage that lasts only as long as
//! the window): making a plan and adding tasks shows each task at once, by Enter or by the
//! Add button; edits can be undone and redone; everything reaches the relay.

use launchplan_e2e::browser::{CTRL, Page, SHIFT};
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_private_window_a_new_plans_tasks_show_as_they_are_added() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?).await?;
    let driver = ChromeDriver::start().await?;
    let page = Page::new(driver.private_browser().await?, "private window");

    page.open(&relay.url()).await?;
    page.create_project("新品首发：春季口红系列").await?;
    // The very first task, typed and confirmed with Enter, shows.
    page.add_task_with_enter("市场调研").await?;
    page.wait_task_titles(&["市场调研"]).await?;
    // The second with the Add button, the third with Enter again.
    page.add_task("包装设计").await?;
    page.add_task_with_enter("样品测试").await?;
    page.wait_task_titles(&["市场调研", "包装设计", "样品测试"]).await?;
    wait_for("the edits to be saved in the browser", || async {
        Ok((page.find("save-state").await?.attr("data-pending").await?.as_deref() == Some("0")).then_some(()))
    })
    .await?;

    // Undo takes back this person's last edits, one at a time; redo puts them back.
    page.rename_task(1, "包装设计（定稿）").await?;
    page.undo().await?;
    page.wait_task_titles(&["市场调研", "包装设计", "样品测试"]).await?;
    page.undo().await?;
    page.wait_task_titles(&["市场调研", "包装设计"]).await?;
    page.redo().await?;
    page.wait_task_titles(&["市场调研", "包装设计", "样品测试"]).await?;
    // The keyboard does the same outside text fields: Ctrl+Z, Ctrl+Shift+Z.
    page.press(&[CTRL, 'z']).await?;
    page.wait_task_titles(&["市场调研", "包装设计"]).await?;
    page.press(&[CTRL, SHIFT, 'z']).await?;
    page.wait_task_titles(&["市场调研", "包装设计", "样品测试"]).await?;
    page.screenshot(&artifacts_dir()?, "private-window.png").await?;

    // A second private window opens the shared link and gets all of it from the relay.
    let link = page.share_link().await?;
    let teammate = Page::new(driver.private_browser().await?, "teammate's private window");
    teammate.open(&link).await?;
    teammate.wait_task_titles(&["市场调研", "包装设计", "样品测试"]).await?;
    teammate.add_task_with_enter("客服培训").await?;
    page.wait_task_titles(&["市场调研", "包装设计", "样品测试", "客服培训"]).await?;

    page.client.close().await?;
    teammate.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
