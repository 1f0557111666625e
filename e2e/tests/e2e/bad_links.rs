//! Links that lead nowhere say so, in the person's language, and break nothing.

use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_link_and_a_link_to_a_plan_nobody_shared_yet_are_explained() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?).await?;
    let driver = ChromeDriver::start().await?;
    let page = Page::new(driver.browser(profiles.path()).await?, "browser");

    page.open(&format!("{}/#/p/not-a-plan", relay.url())).await?;
    let notice = page.find("bad-link").await?.text().await?;
    assert!(notice.contains("not-a-plan"), "the notice names the bad link: {notice:?}");

    // A well-formed id the relay has never seen: the page waits for it instead of failing.
    page.open(&format!("{}/#/p/4NMNnkMhL8jXrdJ9jamS58PAVdXu", relay.url())).await?;
    let waiting = page.find("waiting").await?;
    wait_for("the relay's doc-unavailable to be explained", || async {
        let text = waiting.text().await?;
        Ok((text.contains("relay") || text.contains("服务器")).then_some(text))
    })
    .await?;
    // Nothing is on its way, so the header says online, not syncing.
    page.wait_connection("online").await?;
    page.screenshot(&artifacts_dir()?, "unknown-plan.png").await?;

    // Switching language translates what is on screen.
    let before = page.find("waiting").await?.text().await?;
    page.click("language").await?;
    wait_for("the notice to change language", || async {
        let after = page.find("waiting").await?.text().await?;
        Ok((after != before).then_some(()))
    })
    .await?;

    // And the app still works: back to the list, make a plan.
    page.open(&relay.url()).await?;
    page.create_project("618 大促").await?;
    page.add_task("页面优化").await?;
    page.client.close().await?;
    Ok(())
}
