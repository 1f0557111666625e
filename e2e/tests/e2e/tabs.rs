//! Two tabs of one browser on one plan: one writes storage and talks to the relay, the other
//! syncs through it (also with the relay gone); when the first closes, the second takes over
//! without losing anything.

use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::wait_for;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_share_one_writer_and_hand_over_when_the_first_closes() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let (binary, app) = (relay_binary()?, app_dir()?);
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let relay = RelayProcess::start(&binary, "127.0.0.1:0", data.path(), &app).await?;
    let listen = relay.addr.to_string();
    let driver = ChromeDriver::start().await?;
    let tabs = Page::new(driver.browser(&profiles.path().join("a")).await?, "tabs of browser A");
    let teammate = Page::new(driver.browser(&profiles.path().join("b")).await?, "browser B");

    tabs.open(&relay.url()).await?;
    tabs.create_project("SKU 上新：夏季防晒").await?;
    tabs.add_task("商品信息录入").await?;
    tabs.add_task("上架审核").await?;
    tabs.wait_offline_ready().await?;
    let link = tabs.share_link().await?;
    let first = tabs.client.window().await?;
    tabs.wait_tab_role("leader").await?;

    let second = tabs.client.new_window(true).await?.handle;
    tabs.client.switch_to_window(second.clone()).await?;
    tabs.open(&link).await?;
    tabs.wait_tab_role("follower").await?;
    tabs.wait_task_titles(&["商品信息录入", "上架审核"]).await?;

    // An edit in the second tab reaches the first (through the channel) and the teammate
    // (through the first tab and the relay).
    tabs.add_task("主图拍摄").await?;
    tabs.client.switch_to_window(first.clone()).await?;
    tabs.wait_task_titles(&["商品信息录入", "上架审核", "主图拍摄"]).await?;
    teammate.open(&link).await?;
    teammate.wait_task_titles(&["商品信息录入", "上架审核", "主图拍摄"]).await?;

    // With the relay gone the tabs still sync with each other.
    relay.kill().await?;
    tabs.client.switch_to_window(second.clone()).await?;
    wait_for("the second tab to learn the relay is gone", || async {
        Ok((tabs.connection_state().await? == "offline").then_some(()))
    })
    .await?;
    tabs.add_task("离线：第二个标签页").await?;
    tabs.client.switch_to_window(first.clone()).await?;
    tabs.wait_task_titles(&["商品信息录入", "上架审核", "主图拍摄", "离线：第二个标签页"]).await?;

    // The first tab closes: the second takes over storage and keeps everything, also
    // across a reload.
    tabs.client.close_window().await?;
    tabs.client.switch_to_window(second.clone()).await?;
    tabs.wait_tab_role("leader").await?;
    tabs.reload().await?;
    tabs.wait_tab_role("leader").await?;
    tabs.wait_task_titles(&["商品信息录入", "上架审核", "主图拍摄", "离线：第二个标签页"]).await?;

    // The relay returns: the teammate gets the offline edit.
    let relay = RelayProcess::start(&binary, &listen, data.path(), &app).await?;
    teammate.wait_task_titles(&["商品信息录入", "上架审核", "主图拍摄", "离线：第二个标签页"]).await?;
    tabs.client.close().await?;
    teammate.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
