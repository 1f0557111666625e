//! The workspace is the root: a first start makes one (you its owner), settings change it,
//! and an invitation link brings a teammate in with a role, after which they see the same
//! plans.

use fantoccini::Locator;
use launchplan_e2e::browser::{CTRL, Page};
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};

const RELEASE: char = '\u{e000}';
const TAB: char = '\u{e004}';

/// Replaces the text of field `id` and leaves it (so that it saves).
async fn retype(page: &Page, id: &str, text: &str) -> anyhow::Result<()> {
    page.find(id).await?.send_keys(&format!("{CTRL}a{RELEASE}{text}{TAB}")).await?;
    Ok(())
}

async fn text_of(page: &Page, id: &str) -> anyhow::Result<String> {
    Ok(page.find(id).await?.text().await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_brings_a_teammate_into_the_workspace_with_a_role() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?).await?;
    let driver = ChromeDriver::start().await?;
    let owner = Page::new(driver.browser(&profiles.path().join("owner")).await?, "owner");

    // First start: a workspace of one's own, named after the person.
    owner.open(&relay.url()).await?;
    owner.set_name("王主管").await?;
    owner.create_project("618 大促").await?;
    owner.add_task("页面优化").await?;

    // Settings: the workspace's name, a working Saturday, a cycle-time target.
    owner.click("settings-link").await?;
    owner.find("settings").await?;
    retype(&owner, "workspace-name-input", "美妆旗舰店").await?;
    wait_for("the header to show the new name", || async {
        Ok((text_of(&owner, "workspace-name").await? == "美妆旗舰店").then_some(()))
    })
    .await?;
    let weekdays = owner.client.find_all(Locator::Css("[data-testid=\"weekday\"]")).await?;
    weekdays.get(5).ok_or_else(|| anyhow::anyhow!("no Saturday"))?.click().await?;
    owner.type_into("target-tag", "主图").await?;
    owner.type_into("target-days", "2").await?;
    owner.click("add-target").await?;
    wait_for("the new target to be listed", || async {
        let targets = owner.client.find_all(Locator::Css("[data-testid=\"cycle-target\"]")).await?;
        let mut texts = Vec::new();
        for target in targets {
            texts.push(target.text().await?);
        }
        Ok(texts.iter().any(|t| t.contains("主图")).then_some(()))
    })
    .await?;
    let saturday = owner
        .client
        .execute("return document.querySelectorAll('[data-testid=\"weekday\"]')[5].checked", vec![])
        .await?;
    assert_eq!(saturday.as_bool(), Some(true), "Saturday is now a working day");

    // An invitation for 运营 (content editor).
    owner.find("invite-role").await?.select_by_value("3").await?;
    owner.click("create-invite").await?;
    let invite = wait_for("the invitation link", || async {
        let link = owner.find("invite-link").await?.prop("value").await?;
        Ok(link.filter(|l| l.contains("/join/")))
    })
    .await?;
    owner.screenshot(&artifacts, "workspace-settings.png").await?;

    // The teammate, in a private window, opens it and joins under their own name.
    let teammate = Page::new(driver.private_browser().await?, "teammate");
    teammate.open(&invite).await?;
    wait_for("the workspace to be named on the join page", || async {
        Ok((text_of(&teammate, "join-workspace-name").await? == "美妆旗舰店").then_some(()))
    })
    .await?;
    let role = text_of(&teammate, "join-role").await?;
    assert!(role.contains("运营"), "the role offered: {role:?}");
    teammate.find("join-name").await?.send_keys(&format!("{CTRL}a{RELEASE}小周")).await?;
    teammate.click("join-workspace").await?;

    // They are in: the same workspace, the same plans.
    wait_for("the teammate to be in the workspace", || async {
        Ok((text_of(&teammate, "workspace-name").await? == "美妆旗舰店").then_some(()))
    })
    .await?;
    let plan = teammate.find("project-link").await?;
    assert_eq!(plan.text().await?, "618 大促");
    plan.click().await?;
    teammate.wait_task_titles(&["页面优化"]).await?;

    // A content editor (运营) is not offered what the role may not do: no form to add tasks.
    // A date changed anyway (in the task's drawer) is refused with the reason and not
    // written: the plan's heads stay as they were, in both browsers.
    wait_for("the teammate's plan without the add-task form", || async {
        let forms = teammate.client.find_all(Locator::Css("[data-testid=\"task-input\"]")).await?;
        Ok(forms.is_empty().then_some(()))
    })
    .await?;
    let heads = teammate.heads().await?;
    teammate.open_drawer(0).await?;
    assert!(teammate.find("drawer-title").await?.is_enabled().await?, "a content editor edits titles");
    assert!(!teammate.find("drawer-start").await?.is_enabled().await?, "the start date is not offered");
    assert!(!teammate.find("drawer-status").await?.is_enabled().await?, "nor the status");
    // Forced, as from the browser's console:
    teammate.set_date("drawer-start", "2026-06-02").await?;
    let refused = wait_for("the refusal", || async {
        let shown = teammate.client.find_all(Locator::Css("[data-testid=\"error\"]")).await?;
        match shown.first() {
            Some(banner) => Ok(Some(banner.text().await?)),
            None => Ok(None),
        }
    })
    .await?;
    assert!(
        refused.contains("运营") && (refused.contains("日期") || refused.contains("dates")),
        "the refusal says why: {refused}"
    );
    assert_eq!(teammate.heads().await?, heads, "nothing was written");
    teammate.screenshot(&artifacts, "workspace-content-editor-refused.png").await?;

    // The owner sees the new member with the invitation's role; the invitation is used up.
    wait_for("the owner to see 小周 as a content editor", || async {
        let roles = owner
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"member\"]')].map(m =>
                   [m.querySelector('[data-testid=\"member-name\"]').value, m.querySelector('[data-testid=\"member-role\"]').value])",
                vec![],
            )
            .await?;
        let roles: Vec<(String, String)> = serde_json::from_value(roles)?;
        Ok(roles.contains(&("小周".to_owned(), "3".to_owned())).then_some(()))
    })
    .await?;
    wait_for("the invitation to be used", || async {
        Ok(owner
            .client
            .find_all(Locator::Css("[data-testid=\"invite-link\"]"))
            .await?
            .is_empty()
            .then_some(()))
    })
    .await?;
    owner.screenshot(&artifacts, "workspace-members.png").await?;

    // A second person opening the used link is told it no longer works.
    let stranger = Page::new(driver.private_browser().await?, "stranger");
    stranger.open(&invite).await?;
    stranger.find("invite-gone").await?;

    owner.client.close().await?;
    teammate.client.close().await?;
    stranger.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
