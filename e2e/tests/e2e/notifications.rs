//! Browser notifications: B turns them on from My work (the browser's permission granted,
//! as a person would when asked), and A's @mention of B pops up in B's browser, with the plan
//! as its title; once B unticks mentions, the next one does not.

use fantoccini::Locator;
use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};
use serde_json::Value;

/// Page script: records every notification the app shows (and still shows it).
const SPY: &str = "window.shown = [];
const Real = window.Notification;
class Spied extends Real { constructor(title, options) { super(title, options); window.shown.push([title, options?.body ?? '']); } }
Object.defineProperty(Spied, 'permission', { get: () => Real.permission });
Spied.requestPermission = (...a) => Real.requestPermission(...a);
window.Notification = Spied;";

async fn shown(page: &Page) -> anyhow::Result<Vec<(String, String)>> {
    let value: Value = page.client.execute("return window.shown ?? []", vec![]).await?;
    Ok(serde_json::from_value(value)?)
}

async fn mention(a: &Page, text: &str) -> anyhow::Result<()> {
    a.find("comment-input").await?.send_keys("@小").await?;
    a.find("mention-option").await?.click().await?;
    a.find("comment-input").await?.send_keys(text).await?;
    a.click("comment-send").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_pops_up_in_the_browser_of_the_one_mentioned() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?).await?;
    let driver = ChromeDriver::start().await?;
    let a = Page::new(driver.browser(&profiles.path().join("a")).await?, "A");
    a.open(&relay.url()).await?;
    a.set_name("王主管").await?;
    a.create_project("口红新品").await?;
    a.add_task_with_enter("主图拍摄").await?;
    let invite = a.invite("2").await?;

    let b = Page::new(driver.browser_allowing_notifications(&profiles.path().join("b")).await?, "B");
    b.join(&invite, "小周").await?;
    b.find("project-link").await?;
    b.use_language("zh-CN").await?;
    b.client.execute(SPY, vec![]).await?;
    b.click("my-work-link").await?;
    assert_eq!(b.find("notifications").await?.attr("data-state").await?.as_deref(), Some("off"));
    b.click("notify-on").await?;
    wait_for("notifications to be on", || async {
        Ok((b.find("notifications").await?.attr("data-state").await?.as_deref() == Some("on")).then_some(()))
    })
    .await?;

    a.click("workspace-name").await?;
    a.find("project-link").await?.click().await?;
    a.open_drawer(0).await?;
    mention(&a, "请确认主图").await?;
    let popped = wait_for("B's notification of the mention", || async {
        let all = shown(&b).await?;
        Ok(all.into_iter().find(|(_, body)| body.contains("请确认主图")))
    })
    .await?;
    assert_eq!(popped.0, "口红新品", "titled with the plan");
    assert!(popped.1.starts_with("主图拍摄"), "names the task: {}", popped.1);
    b.screenshot(&artifacts, "notifications-b.png").await?;

    // B no longer wants mentions: the next one shows in the inbox, and pops up nowhere.
    b.client
        .find(Locator::Css("[data-testid=\"notify-kind\"][data-kind=\"mention\"] input"))
        .await?
        .click()
        .await?;
    let before = shown(&b).await?.len();
    mention(&a, "详情页也请看一下").await?;
    wait_for("the second mention in B's inbox", || async {
        let texts = b.client.find_all(Locator::Css("[data-testid=\"inbox-text\"]")).await?;
        for text in texts {
            if text.text().await?.contains("详情页也请看一下") {
                return Ok(Some(()));
            }
        }
        Ok(None)
    })
    .await?;
    // The inbox and the notifier read the same entries in the same turn.
    assert_eq!(shown(&b).await?.len(), before, "{:?}", shown(&b).await?);

    a.client.close().await?;
    b.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
