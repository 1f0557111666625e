//! A relay that asks people to sign in (as it does unless run with `--no-auth`), used as a
//! new team would: the owner comes in by the setup link it printed and invites a viewer
//! from settings. The viewer's browser offers nothing to change; an edit forced from the
//! console (by claiming, in localStorage, to be the owner) is refused by the relay and
//! undone in the viewer's browser, and never reaches the owner. The viewer may still
//! comment, and the owner reads it. Removed from the workspace, the viewer is told so and
//! offered nothing.

use anyhow::Context;
use fantoccini::Locator;
use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_is_offered_nothing_to_change_and_a_forced_change_is_refused_and_undone()
-> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let relay =
        RelayProcess::start_with(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?, &[]).await?;
    let setup = relay.setup_link.clone().context("the relay prints an owner setup link")?;
    let driver = ChromeDriver::start().await?;

    // Someone who opens the app without signing in is told how to.
    let stranger = Page::new(driver.private_browser().await?, "stranger");
    stranger.open(&relay.url()).await?;
    let told = stranger.find("sign-in-needed").await?.text().await?;
    assert!(told.contains("邀请链接") || told.contains("invitation link"), "{told}");

    // The owner opens the setup link, gives a name, and is in the app, in a workspace of
    // their own.
    let owner = Page::new(driver.browser(&profiles.path().join("owner")).await?, "owner");
    owner.set_up_owner(&setup, "王主管").await?;
    owner.create_project("双十一大促").await?;
    owner.add_task("首页banner设计").await?;
    let owner_heads = owner.heads().await?;
    // The setup link worked once.
    let again = Page::new(driver.private_browser().await?, "again");
    again.visit(&setup).await?;
    let said = again.client.find(Locator::Css("h1")).await?.text().await?;
    assert!(said.contains("already has an owner"), "{said}");

    // A viewer, invited from settings (the relay keeps the invitation), joins in a private
    // window.
    let invite = owner.invite("4").await?;
    assert!(invite.contains("/join/invite_"), "a relay invitation: {invite}");
    owner.screenshot(&artifacts, "signed-in-invite.png").await?;
    let viewer = Page::new(driver.private_browser().await?, "viewer");
    viewer.join(&invite, "小周").await?;
    // The owner's settings keep the audit log: the invitation, and the viewer joining by it.
    owner.click("audit-reload").await?;
    wait_for("the viewer's joining in the owner's audit log", || async {
        let found = owner
            .client
            .find_all(Locator::Css("[data-testid=\"audit-event\"][data-action=\"joined\"]"))
            .await?;
        Ok((!found.is_empty()).then_some(()))
    })
    .await?;
    // And a token for a script: shown once, then listed by its label.
    owner.find("token-label").await?.send_keys("ERP 同步").await?;
    owner.click("create-token").await?;
    let secret = owner.find("token-secret").await?.prop("value").await?.unwrap_or_default();
    assert!(secret.starts_with("lp_"), "{secret}");
    assert!(owner.find("token").await?.text().await?.contains("ERP 同步"));
    owner.screenshot(&artifacts, "signed-in-audit-and-tokens.png").await?;
    let plan = viewer.find("project-link").await?;
    let starts = viewer.client.find_all(Locator::Css("[data-testid=\"new-project-name\"]")).await?;
    assert!(starts.is_empty(), "a viewer is offered no new plan");
    assert_eq!(plan.text().await?, "双十一大促");
    plan.click().await?;
    viewer.wait_task_titles(&["首页banner设计"]).await?;
    wait_for("the viewer's plan to have the owner's heads", || async {
        Ok((viewer.heads().await? == owner_heads).then_some(()))
    })
    .await?;

    // Nothing to change is offered.
    let forms = viewer.client.find_all(Locator::Css("[data-testid=\"task-input\"]")).await?;
    assert!(forms.is_empty(), "a viewer gets no form to add tasks");
    for control in ["task-done", "task-title", "task-status", "task-delete"] {
        assert!(!viewer.in_row(0, control).await?.is_enabled().await?, "the row's {control} is not offered");
    }
    viewer.open_drawer(0).await?;
    for field in ["drawer-title", "drawer-start", "drawer-status"] {
        assert!(!viewer.find(field).await?.is_enabled().await?, "{field} is not offered to a viewer");
    }
    viewer.screenshot(&artifacts, "signed-in-viewer.png").await?;
    // But a viewer may comment (the workspace lets viewers comment unless its owner says
    // otherwise): comments live beside the plan, not in it.
    viewer.find("comment-input").await?.send_keys("主图颜色是不是偏暗？").await?;
    viewer.click("comment-send").await?;
    viewer.find("comment-body").await?;
    viewer.click("close-drawer").await?;

    // From the console: claim to be the owner, and reload. The app now offers everything...
    let viewer_id = viewer.run("return localStorage.getItem('launchplan.member')").await?;
    let owner_id = owner.run("return localStorage.getItem('launchplan.member')").await?;
    let owner_id = owner_id.as_str().context("the owner's member id")?.to_owned();
    viewer
        .client
        .execute("localStorage.setItem('launchplan.member', arguments[0])", vec![owner_id.clone().into()])
        .await?;
    viewer.reload().await?;
    viewer.wait_task_titles(&["首页banner设计"]).await?;
    // ...but the relay knows who signed in: the forced rename is refused and undone.
    assert!(viewer.in_row(0, "task-title").await?.is_enabled().await?, "the app believes it is the owner");
    viewer.in_row(0, "task-title").await?.click().await?;
    let input = viewer.find("task-edit-input").await?;
    input.send_keys("查看者偷改的标题\u{e007}").await?;
    let refused = viewer.find("error").await?.text().await?;
    assert!(refused.contains("服务器拒绝") || refused.contains("relay refused"), "{refused}");
    viewer.wait_task_titles(&["首页banner设计"]).await?;
    wait_for("undo to have nothing left to undo", || async {
        Ok((!viewer.find("undo").await?.is_enabled().await?).then_some(()))
    })
    .await?;
    viewer.screenshot(&artifacts, "signed-in-forced-edit-refused.png").await?;
    wait_for("the viewer to be back on the owner's heads", || async {
        Ok((viewer.heads().await? == owner_heads).then_some(()))
    })
    .await?;
    // The owner never saw it; their plan is as it was. They go back to it as a person does.
    owner.click("workspace-name").await?;
    owner.click("project-link").await?;
    owner.wait_task_titles(&["首页banner设计"]).await?;
    assert_eq!(owner.task_titles().await?, ["首页banner设计"]);
    assert_eq!(owner.heads().await?, owner_heads);
    // The viewer's comment reached the owner.
    owner.open_drawer(0).await?;
    let said = owner.find("comment-body").await?.text().await?;
    assert_eq!(said, "主图颜色是不是偏暗？");
    owner.click("close-drawer").await?;

    // The relay restarts on its data: sessions, places and members are kept. The owner's
    // rename made while it is back reaches the viewer, who never signed in again.
    let listen = relay.addr.to_string();
    assert!(relay.terminate().await?.success());
    let relay = RelayProcess::start_with(&relay_binary()?, &listen, data.path(), &app_dir()?, &[]).await?;
    assert!(relay.setup_link.is_none(), "the relay has its owner");
    wait_for("both browsers to be back online", || async {
        let (a, b) = (owner.connection_state().await?, viewer.connection_state().await?);
        Ok((a == "online" && b == "online").then_some(()))
    })
    .await?;
    owner.rename_task(0, "首页banner设计（重启后）").await?;
    owner.wait_task_titles(&["首页banner设计（重启后）"]).await?;
    viewer.wait_task_titles(&["首页banner设计（重启后）"]).await?;

    // The viewer stops pretending, and the owner removes them from the workspace: their
    // browser says so, and offers nothing to change (their old copy stays readable).
    viewer.client.execute("localStorage.setItem('launchplan.member', arguments[0])", vec![viewer_id]).await?;
    viewer.reload().await?;
    viewer.wait_task_titles(&["首页banner设计（重启后）"]).await?;
    owner.click("settings-link").await?;
    owner
        .run(
            "const row = [...document.querySelectorAll('[data-testid=\"member\"]')]
               .find(m => m.querySelector('[data-testid=\"member-name\"]').value === '小周');
             row.querySelector('[data-testid=\"remove-member\"]').click(); return true",
        )
        .await?;
    let said = viewer.find("not-a-member").await?.text().await?;
    assert!(said.contains("不是这个工作区的成员") || said.contains("no longer a member"), "{said}");
    assert!(
        !viewer.in_row(0, "task-title").await?.is_enabled().await?,
        "nothing is offered to a removed member"
    );
    viewer.screenshot(&artifacts, "signed-in-removed.png").await?;

    for page in [owner, viewer, stranger, again] {
        page.client.close().await?;
    }
    Ok(())
}
