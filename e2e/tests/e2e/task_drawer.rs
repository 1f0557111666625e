//! The task drawer between two teammates: both type into one description at once and both
//! texts survive (and text being composed by an input method is sent only when committed);
//! a task that needs approval cannot be completed by an editor until the approver approves;
//! an @mention in a comment names the member by id, so it follows a rename.

use fantoccini::Locator;
use launchplan_e2e::browser::{CTRL, Page};
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};

const HOME: char = '\u{e011}';
const END: char = '\u{e010}';

async fn value_of(page: &Page, id: &str) -> anyhow::Result<String> {
    Ok(page.find(id).await?.prop("value").await?.unwrap_or_default())
}

async fn text_of(page: &Page, id: &str) -> anyhow::Result<String> {
    Ok(page.find(id).await?.text().await?)
}

/// Waits until `page` shows element `id` with text containing `part`.
async fn wait_text(page: &Page, id: &str, part: &str) -> anyhow::Result<()> {
    wait_for(&format!("{} to show {part:?} in {id}", page.name), || async {
        let all = page.client.find_all(Locator::Css(&format!("[data-testid=\"{id}\"]"))).await?;
        for element in all {
            if element.text().await?.contains(part) {
                return Ok(Some(()));
            }
        }
        Ok(None)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_teammates_edit_one_task_in_the_drawer() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?).await?;
    let driver = ChromeDriver::start().await?;
    let a = Page::new(driver.browser(&profiles.path().join("a")).await?, "A");

    // A, the owner, makes a plan with one task and invites B as an editor.
    a.open(&relay.url()).await?;
    a.use_language("zh-CN").await?;
    a.set_name("王主管").await?;
    a.create_project("口红新品").await?;
    a.add_task_with_enter("主图拍摄").await?;
    let invite = a.invite("2").await?;
    let b = Page::new(driver.private_browser().await?, "B");
    b.join(&invite, "小周").await?;
    b.find("project-link").await?.click().await?;
    b.wait_task_titles(&["主图拍摄"]).await?;

    // Back to the plan from settings, through the plan list (the page that showed it before
    // is gone).
    a.click("workspace-name").await?;
    a.find("project-link").await?.click().await?;
    a.open_drawer(0).await?;
    b.open_drawer(0).await?;

    // The description: A writes, B sees it; then both type at once, A at the end, B at the start.
    a.find("drawer-description").await?.send_keys("卖点：持久。").await?;
    wait_for("B to see A's description", || async {
        Ok((value_of(&b, "drawer-description").await? == "卖点：持久。").then_some(()))
    })
    .await?;
    let (a_field, b_field) = (a.find("drawer-description").await?, b.find("drawer-description").await?);
    let (at_end, at_start) = (format!("{END}显色不沾杯"), format!("{HOME}【主推】"));
    let (typed_a, typed_b) = tokio::join!(a_field.send_keys(&at_end), b_field.send_keys(&at_start));
    typed_a?;
    typed_b?;
    let both = wait_for("both descriptions to agree", || async {
        let (da, db) = (value_of(&a, "drawer-description").await?, value_of(&b, "drawer-description").await?);
        Ok((da == db && da.contains("显色不沾杯") && da.contains("【主推】")).then_some(da))
    })
    .await?;
    assert_eq!(both, "【主推】卖点：持久。显色不沾杯");

    // Text an input method is still composing is not sent; it goes when committed.
    let heads = a.heads().await?;
    a.client
        .execute(
            "const f = document.querySelector('[data-testid=\"drawer-description\"]');
             f.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
             f.value = f.value + 'shou';
             f.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true, data: 'shou' }));",
            vec![],
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(a.heads().await?, heads, "nothing sent mid-composition");
    a.client
        .execute(
            "const f = document.querySelector('[data-testid=\"drawer-description\"]');
             f.value = f.value.replace(/shou$/, '首发');
             f.dispatchEvent(new CompositionEvent('compositionend', { data: '首发' }));",
            vec![],
        )
        .await?;
    wait_for("B to see the committed characters", || async {
        Ok(value_of(&b, "drawer-description").await?.ends_with("显色不沾杯首发").then_some(()))
    })
    .await?;

    // B logs two and a half hours; A sees the entry and the total.
    b.find("time-hours").await?.send_keys("2.5").await?;
    b.click("log-time").await?;
    wait_text(&a, "time-total", "2.5 h").await?;
    wait_text(&a, "time-entry", "小周").await?;
    assert!(
        a.client.find_all(Locator::Css("[data-testid=\"time-remove\"]")).await?.is_empty(),
        "A is offered no removal of B's hours"
    );

    // The history says who changed what: B's hours, and the description's words.
    a.client.find(Locator::Css("[data-testid=\"history\"] summary")).await?.click().await?;
    let logged = wait_for("A to see B's hours in the history", || async {
        let css = Locator::Css("[data-testid=\"history-entry\"][data-field=\"time_entries\"]");
        Ok(a.client.find_all(css).await?.into_iter().next())
    })
    .await?;
    let who = logged.find(Locator::Css("[data-testid=\"history-who\"]")).await?.text().await?;
    assert_eq!(who, "小周");
    let description = a
        .client
        .find(Locator::Css(
            "[data-testid=\"history-entry\"][data-field=\"description\"] [data-testid=\"history-after\"]",
        ))
        .await?
        .text()
        .await?;
    assert!(description.contains("显色不沾杯首发"), "{description}");

    // Approval: A asks an admin to approve. B (an editor) cannot approve, and cannot finish it.
    a.find("approval-role").await?.select_by_value("1").await?;
    a.click("request-approval").await?;
    wait_for("B to see the approval waiting", || async {
        Ok((b.find("approval-state").await?.attr("data-state").await?.as_deref() == Some("pending"))
            .then_some(()))
    })
    .await?;
    assert!(
        b.client.find_all(Locator::Css("[data-testid=\"approve\"]")).await?.is_empty(),
        "B has no approve button"
    );
    let heads = b.heads().await?;
    b.find("drawer-status").await?.select_by_value("done").await?;
    let refusal = text_of(&b, "error").await?;
    assert!(refusal.contains("approval") || refusal.contains("审批"), "{refusal:?}");
    assert_eq!(b.heads().await?, heads, "nothing written");
    assert_eq!(value_of(&b, "drawer-status").await?, "todo", "the field shows the status as it is");
    b.screenshot(&artifacts, "drawer-approval-refused.png").await?;
    a.click("approve").await?;
    wait_for("B to see it approved", || async {
        Ok((b.find("approval-state").await?.attr("data-state").await?.as_deref() == Some("approved"))
            .then_some(()))
    })
    .await?;
    b.find("drawer-status").await?.select_by_value("done").await?;
    wait_for("A to see the task done", || async {
        Ok(a.first_done_flags(1).await?.first().copied().filter(|d| *d))
    })
    .await?;

    // A mentions B, picking B from the @ list.
    a.find("comment-input").await?.send_keys("@小").await?;
    a.find("mention-option").await?.click().await?;
    a.find("comment-input").await?.send_keys("请确认主图").await?;
    a.click("comment-send").await?;
    wait_text(&b, "comment-mention", "@小周").await?;
    wait_text(&b, "comment-body", "@小周 请确认主图").await?;
    // B's inbox has it, unread, linking to the task; marking it read counts it down.
    let task_url = b.client.current_url().await?.to_string();
    b.click("my-work-link").await?;
    b.find("my-work").await?;
    wait_text(&b, "inbox-text", "王主管").await?;
    let mention = wait_for("the mention in B's inbox", || async {
        let css = Locator::Css("[data-testid=\"inbox-entry\"][data-kind=\"mention\"]");
        Ok(b.client.find_all(css).await?.into_iter().next())
    })
    .await?;
    assert_eq!(mention.attr("data-read").await?.as_deref(), Some("false"));
    assert!(mention.text().await?.contains("请确认主图"));
    let unread: usize = text_of(&b, "inbox-unread").await?.trim().parse()?;
    b.screenshot(&artifacts, "inbox-b.png").await?;
    mention.find(Locator::Css("[data-testid=\"mark-read\"]")).await?.click().await?;
    wait_for("the unread count to go down", || async {
        Ok((text_of(&b, "inbox-unread").await?.trim() == (unread - 1).to_string()).then_some(()))
    })
    .await?;
    mention.find(Locator::Css("[data-testid=\"entry-link\"]")).await?.click().await?;
    b.find("task-drawer").await?;
    assert_eq!(b.client.current_url().await?.to_string(), task_url, "the entry opens its task");

    // B renames themself; the mention follows.
    b.set_name("周敏").await?;
    wait_text(&a, "comment-mention", "@周敏").await?;
    a.screenshot(&artifacts, "drawer-a.png").await?;
    b.screenshot(&artifacts, "drawer-b.png").await?;

    // Ctrl+K: B jumps to the task by typing part of its title.
    b.click("close-drawer").await?;
    b.press(&[CTRL, 'k']).await?;
    b.find("palette-input").await?.send_keys("主图").await?;
    wait_text(&b, "palette-item", "主图拍摄").await?;
    b.screenshot(&artifacts, "palette-b.png").await?;
    b.find("palette-input").await?.send_keys("\u{e007}").await?;
    wait_for("the palette to open the task", || async {
        Ok((value_of(&b, "drawer-title").await? == "主图拍摄").then_some(()))
    })
    .await?;
    assert!(
        b.client.find_all(Locator::Css("[data-testid=\"palette\"]")).await?.is_empty(),
        "the palette closed"
    );

    a.client.close().await?;
    b.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
