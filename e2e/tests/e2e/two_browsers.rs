//! The walking skeleton, as two people use it: a plan made in one browser, shared by link
//! into a second, edited in both, reloaded with the relay gone, and merged when it returns.

use std::time::Instant;

use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};

const PROJECT: &str = "新品首发：春季口红系列";
const TASKS: [&str; 3] = ["市场调研", "包装设计", "样品测试"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_is_shared_live_between_two_browsers_and_survives_the_relay_going_away() -> anyhow::Result<()>
{
    let _turn = launchplan_e2e::my_turn().await;
    let (binary, app) = (relay_binary()?, app_dir()?);
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let relay = RelayProcess::start(&binary, "127.0.0.1:0", data.path(), &app).await?;
    let listen = relay.addr.to_string();
    let driver = ChromeDriver::start().await?;
    let a = Page::new(driver.browser(&profiles.path().join("a")).await?, "browser A");
    let b = Page::new(driver.browser(&profiles.path().join("b")).await?, "browser B");

    // A makes the plan.
    a.open(&relay.url()).await?;
    a.create_project(PROJECT).await?;
    for task in TASKS {
        a.add_task(task).await?;
    }
    a.wait_task_titles(&TASKS).await?;
    a.wait_connection("online").await?;

    // B opens the share link and sees all of it.
    let link = a.share_link().await?;
    assert!(link.starts_with(&relay.url()), "share link {link} points at the relay that served the page");
    b.open(&link).await?;
    b.wait_project_name(PROJECT).await?;
    b.wait_task_titles(&TASKS).await?;

    // A sees B on the plan, and which task B has open.
    b.set_name("小李").await?;
    wait_for("A to see 小李 on the plan", || async {
        Ok(a.present_names().await?.contains(&"小李".to_owned()).then_some(()))
    })
    .await?;
    b.open_task(2).await?;
    wait_for("A to see that 小李 has the third task open", || async {
        Ok(a.task_viewers(2).await?.contains("小李").then_some(()))
    })
    .await?;
    b.close_task().await?;
    wait_for("A to see that 小李 closed it", || async {
        Ok(a.task_viewers(2).await?.is_empty().then_some(()))
    })
    .await?;

    // B renames a task; A sees it. A completes one; B sees it.
    let started = Instant::now();
    b.rename_task(1, "包装设计（定稿）").await?;
    a.wait_task_title(1, "包装设计（定稿）").await?;
    println!("rename reached the other browser in {:?} (including WebDriver polling)", started.elapsed());
    a.toggle_done(0).await?;
    wait_for("B to see the first task done", || async {
        Ok(b.done_flags().await?.first().copied().filter(|d| *d))
    })
    .await?;

    // Both hold the same document.
    let heads = wait_for("equal heads in both browsers", || async {
        let (ha, hb) = (a.heads().await?, b.heads().await?);
        Ok((ha == hb).then_some(ha))
    })
    .await?;
    println!("both browsers at heads {heads}");
    a.screenshot(&artifacts, "browser-a.png").await?;
    b.screenshot(&artifacts, "browser-b.png").await?;

    // The relay goes away. A reloads: the app and the plan come back from the browser itself.
    a.wait_offline_ready().await?;
    relay.kill().await?;
    a.reload().await?;
    a.wait_project_name(PROJECT).await?;
    a.wait_task_titles(&["市场调研", "包装设计（定稿）", "样品测试"]).await?;
    a.wait_connection("offline").await?;
    a.add_task("离线时添加的任务").await?;
    a.screenshot(&artifacts, "browser-a-offline.png").await?;

    // The relay comes back on the same data and port: the offline edit reaches B.
    let relay = RelayProcess::start(&binary, &listen, data.path(), &app).await?;
    b.wait_task_titles(&["市场调研", "包装设计（定稿）", "样品测试", "离线时添加的任务"]).await?;
    wait_for("equal heads after the relay came back", || async {
        let (ha, hb) = (a.heads().await?, b.heads().await?);
        Ok((ha == hb).then_some(()))
    })
    .await?;
    a.screenshot(&artifacts, "browser-a-final.png").await?;
    b.screenshot(&artifacts, "browser-b-final.png").await?;

    a.client.close().await?;
    b.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
