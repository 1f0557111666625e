//! Attachments between two teammates: a file A attaches opens in B (fetched from the relay
//! once, checked against its hash), and in A again with the relay stopped (from the
//! browser's own copy); a file attached offline goes up when the relay is back; a file larger
//! than the relay takes is refused with a message, and nothing is attached.

use fantoccini::Locator;
use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};
use serde_json::Value;

/// Page script: each attachment in the drawer as [name, state, preview shown and decoded].
const ATTACHMENTS: &str = "return [...document.querySelectorAll('[data-testid=\"attachment\"]')].map(li => [
  li.querySelector('[data-testid=\"attachment-open\"]')?.textContent ?? '',
  li.dataset.state,
  (li.querySelector('[data-testid=\"attachment-preview\"]')?.naturalWidth ?? 0) > 0,
]);";

/// Page script: the text of the file named `arguments[0]`, read through the link the drawer
/// shows for it.
const READ_FILE: &str = "const [name, done] = arguments;
const link = [...document.querySelectorAll('[data-testid=\"attachment-open\"]')].find(a => a.textContent === name);
if (!link || !link.href) { done(null); } else { fetch(link.href).then(r => r.text()).then(done, () => done(null)); }";

async fn attachments(page: &Page) -> anyhow::Result<Vec<(String, String, bool)>> {
    let value = page.client.execute(ATTACHMENTS, vec![]).await?;
    Ok(serde_json::from_value(value)?)
}

/// Waits until `page` shows the attachment `name` opened (and, for an image, decoded).
async fn wait_ready(page: &Page, name: &str, image: bool) -> anyhow::Result<()> {
    wait_for(&format!("{} to open {name}", page.name), || async {
        let found = attachments(page).await?;
        Ok(found
            .iter()
            .any(|(n, state, preview)| n == name && state == "ready" && *preview == image)
            .then_some(()))
    })
    .await
}

async fn read_file(page: &Page, name: &str) -> anyhow::Result<String> {
    let text = page.client.execute_async(READ_FILE, vec![Value::from(name)]).await?;
    Ok(text.as_str().unwrap_or_default().to_owned())
}

/// Shows the drawer's attachments (for the screenshot).
async fn scroll_to_attachments(page: &Page) -> anyhow::Result<()> {
    page.client
        .execute(
            "document.querySelector('[data-testid=\"attachments\"]').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await?;
    Ok(())
}

async fn attach(page: &Page, path: &std::path::Path) -> anyhow::Result<()> {
    let input = page.client.find(Locator::Css("[data-testid=\"attachment-input\"]")).await?;
    input.send_keys(&path.display().to_string()).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attachment_opens_for_a_teammate_and_offline_and_waits_to_upload() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let (binary, app) = (relay_binary()?, app_dir()?);
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let files = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let limit = ["--max-blob-bytes", "100000", "--no-auth"];
    let relay = RelayProcess::start_with(&binary, "127.0.0.1:0", data.path(), &app, &limit).await?;
    let listen = relay.addr.to_string();

    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"80\">\
               <rect width=\"120\" height=\"80\" fill=\"#c2410c\"/><text x=\"10\" y=\"45\" fill=\"white\">主图 v2</text></svg>";
    let banner = files.path().join("主图 v2.svg");
    std::fs::write(&banner, svg)?;
    let brief = files.path().join("卖点.txt");
    std::fs::write(&brief, "持久、显色、不沾杯")?;
    let later = files.path().join("质检报告.txt");
    std::fs::write(&later, "批次 A：合格")?;
    let large = files.path().join("原片.raw");
    std::fs::write(&large, vec![7u8; 150_000])?;

    let driver = ChromeDriver::start().await?;
    let a = Page::new(driver.browser(&profiles.path().join("a")).await?, "A");
    a.open(&relay.url()).await?;
    a.use_language("zh-CN").await?;
    a.create_project("口红新品").await?;
    a.add_task_with_enter("主图设计").await?;
    a.open_drawer(0).await?;
    attach(&a, &banner).await?;
    wait_ready(&a, "主图 v2.svg", true).await?;
    attach(&a, &brief).await?;
    wait_ready(&a, "卖点.txt", false).await?;

    // Larger than this relay takes: said, and not attached.
    attach(&a, &large).await?;
    let refused = a.find("attachment-error").await?.text().await?;
    assert!(refused.contains("146 KB") && refused.contains("中继"), "{refused}");
    assert_eq!(attachments(&a).await?.len(), 2, "the refused file is not on the task");

    // B, in a private window, opens the plan's link and the task: the files come from the relay.
    let b = Page::new(driver.private_browser().await?, "B");
    b.open(&a.share_link().await?).await?;
    b.use_language("en").await?;
    b.wait_task_titles(&["主图设计"]).await?;
    b.open_drawer(0).await?;
    wait_ready(&b, "主图 v2.svg", true).await?;
    wait_ready(&b, "卖点.txt", false).await?;
    assert_eq!(read_file(&b, "卖点.txt").await?, "持久、显色、不沾杯");
    assert_eq!(read_file(&b, "主图 v2.svg").await?, svg);
    scroll_to_attachments(&b).await?;
    b.screenshot(&artifacts, "attachments-b.png").await?;

    // The relay stops; A reloads the task and its files open from the browser's copy.
    a.wait_offline_ready().await?;
    relay.kill().await?;
    a.wait_connection("offline").await?;
    a.reload().await?;
    a.find("task-drawer").await?;
    wait_ready(&a, "主图 v2.svg", true).await?;
    assert_eq!(read_file(&a, "卖点.txt").await?, "持久、显色、不沾杯");

    // Offline, A attaches one more: it waits to upload, and goes up when the relay is back.
    attach(&a, &later).await?;
    wait_ready(&a, "质检报告.txt", false).await?;
    a.find("attachments-waiting").await?;
    scroll_to_attachments(&a).await?;
    a.screenshot(&artifacts, "attachments-a-offline.png").await?;
    let relay = RelayProcess::start_with(&binary, &listen, data.path(), &app, &limit).await?;
    wait_ready(&b, "质检报告.txt", false).await?;
    assert_eq!(read_file(&b, "质检报告.txt").await?, "批次 A：合格");
    wait_for("A's upload to be done", || async {
        Ok(a.client
            .find_all(Locator::Css("[data-testid=\"attachments-waiting\"]"))
            .await?
            .is_empty()
            .then_some(()))
    })
    .await?;

    // Removing takes it off the task for both.
    a.client
        .find(Locator::XPath(
            "//li[@data-testid='attachment'][.//a[text()='卖点.txt']]//button[@data-testid='attachment-remove']",
        ))
        .await?
        .click()
        .await?;
    wait_for("B to see the file removed", || async {
        let names: Vec<String> = attachments(&b).await?.into_iter().map(|(n, _, _)| n).collect();
        Ok((names.len() == 2 && !names.iter().any(|n| n == "卖点.txt")).then_some(()))
    })
    .await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
