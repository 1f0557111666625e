//! A person closes the browser and opens it again the next morning, on a train with no
//! connection: the plan is there, whole, with the edits made just before closing, from the
//! browser's own storage. Edits made offline outlive another restart and reach the relay when
//! it is back. (Reloading a tab is tested elsewhere; this quits Chromium and starts a new one
//! on the same profile.)

use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};

const PROJECT: &str = "新品首发：春季口红系列";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_restarted_with_the_relay_down_still_has_the_plan() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let (binary, app) = (relay_binary()?, app_dir()?);
    let data = tempfile::tempdir()?;
    let profile_root = tempfile::tempdir()?;
    let profile = profile_root.path().join("person");
    let artifacts = artifacts_dir()?;
    let relay = RelayProcess::start(&binary, "127.0.0.1:0", data.path(), &app).await?;
    let listen = relay.addr.to_string();
    let driver = ChromeDriver::start().await?;

    // Online: a plan with three tasks, one renamed and one ticked, the last edit just before
    // the browser closes.
    let page = Page::new(driver.browser(&profile).await?, "browser");
    page.open(&relay.url()).await?;
    page.create_project(PROJECT).await?;
    for task in ["市场调研", "包装设计", "样品测试"] {
        page.add_task(task).await?;
    }
    page.rename_task(1, "包装设计（定稿）").await?;
    page.toggle_done(0).await?;
    let expected = ["市场调研", "包装设计（定稿）", "样品测试"];
    page.wait_task_titles(&expected).await?;
    let heads = page.heads().await?;
    let me = who(&page).await?;
    let plan_url = page.client.current_url().await?.to_string();
    page.wait_offline_ready().await?;
    wait_saved(&page).await?;

    // The relay goes away, and the browser is quit (not a tab reloaded).
    relay.kill().await?;
    page.client.close().await?;

    // A new browser on the same profile opens the plan's address: the app and the plan come
    // from the browser itself.
    let page = Page::new(driver.browser(&profile).await?, "browser, restarted");
    page.open(&plan_url).await?;
    page.wait_project_name(PROJECT).await?;
    page.wait_task_titles(&expected).await?;
    assert_eq!(page.done_flags().await?, [true, false, false]);
    assert_eq!(page.heads().await?, heads, "the same document as before the restart");
    assert_eq!(who(&page).await?, me, "the same person in the same workspace");
    page.wait_connection("offline").await?;
    page.screenshot(&artifacts, "restart-offline.png").await?;

    // Offline, a task is added; the browser is quit and started again, still offline.
    page.add_task("离线：重启后添加").await?;
    wait_saved(&page).await?;
    page.client.close().await?;
    let page = Page::new(driver.browser(&profile).await?, "browser, restarted twice");
    page.open(&plan_url).await?;
    page.wait_task_titles(&["市场调研", "包装设计（定稿）", "样品测试", "离线：重启后添加"]).await?;

    // The relay comes back on the same data and port: the offline task reaches it, and a
    // teammate in a private window gets the whole plan from there.
    let relay = RelayProcess::start(&binary, &listen, data.path(), &app).await?;
    page.wait_connection("online").await?;
    let link = page.share_link().await?;
    let teammate = Page::new(driver.private_browser().await?, "teammate");
    teammate.open(&link).await?;
    teammate.wait_task_titles(&["市场调研", "包装设计（定稿）", "样品测试", "离线：重启后添加"]).await?;
    wait_for("equal heads in both browsers", || async {
        Ok((page.heads().await? == teammate.heads().await?).then_some(()))
    })
    .await?;
    page.screenshot(&artifacts, "restart-back-online.png").await?;

    page.client.close().await?;
    teammate.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}

/// Waits until the browser's storage holds every edit (the header's save state).
async fn wait_saved(page: &Page) -> anyhow::Result<()> {
    wait_for("the edits to be saved in the browser", || async {
        Ok((page.find("save-state").await?.attr("data-pending").await?.as_deref() == Some("0")).then_some(()))
    })
    .await
}

/// The person's name and their workspace's, as the header shows them.
async fn who(page: &Page) -> anyhow::Result<(String, String)> {
    let name = page.find("my-name").await?.prop("value").await?.unwrap_or_default();
    let workspace = page.find("workspace-name").await?.text().await?;
    anyhow::ensure!(
        !name.is_empty() && !workspace.is_empty(),
        "the header names nobody: {name:?} in {workspace:?}"
    );
    Ok((name, workspace))
}
