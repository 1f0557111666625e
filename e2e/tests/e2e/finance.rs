//! The budget, on a relay that asks people to sign in: a finance member books a budget and a
//! cost against a task, imports costs from a CSV file Excel wrote in GB18030, is told row by
//! row why a bad file imported nothing, and sees the overspent line on the dashboard after
//! a reload. An editor on the same plan has no budget tab and no budget panel, and their
//! browser never asks for the finance document: nothing of it is in their storage.

use anyhow::Context;
use fantoccini::Locator;
use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::{artifacts_dir, wait_for};
use launchplan_shared::{Companion, DocumentId};

/// Page script: every key of the app's IndexedDB that belongs to document `arguments[0]`.
const KEYS_OF: &str = "
  const [doc, done] = arguments;
  const open = indexedDB.open('launchplan');
  open.onerror = () => done(['cannot open: ' + open.error]);
  open.onsuccess = () => {
    const db = open.result;
    const stores = [...db.objectStoreNames];
    if (stores.length === 0) return done([]);
    const tx = db.transaction(stores, 'readonly');
    const found = [];
    let left = stores.length;
    for (const name of stores) {
      const keys = tx.objectStore(name).getAllKeys();
      keys.onsuccess = () => {
        for (const key of keys.result) if (String(key).includes(doc)) found.push(name + ': ' + key);
        if (--left === 0) done(found);
      };
    }
  };";

async fn stored_keys(page: &Page, doc: &DocumentId) -> anyhow::Result<Vec<String>> {
    let found = page.client.execute_async(KEYS_OF, vec![doc.to_string().into()]).await?;
    Ok(serde_json::from_value(found)?)
}

/// The budget's planned and spent, in fen, as the summary says.
async fn totals(page: &Page) -> anyhow::Result<(i64, i64)> {
    let summary = page.find("budget-summary").await?;
    let read = |attr: &'static str| {
        let summary = summary.clone();
        async move {
            let value = summary.attr(attr).await?.context("a total")?;
            anyhow::Ok(value.parse::<i64>()?)
        }
    };
    Ok((read("data-planned").await?, read("data-spent").await?))
}

async fn wait_totals(page: &Page, want: (i64, i64)) -> anyhow::Result<()> {
    wait_for(&format!("the budget to total {want:?}"), || async {
        Ok((totals(page).await.ok() == Some(want)).then_some(()))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finance_member_keeps_the_budget_and_an_editor_never_receives_it() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let files = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let relay =
        RelayProcess::start_with(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?, &[]).await?;
    let setup = relay.setup_link.clone().context("the relay prints an owner setup link")?;
    let driver = ChromeDriver::start().await?;

    let owner = Page::new(driver.private_browser().await?, "owner");
    owner.set_up_owner(&setup, "王主管").await?;
    owner.create_project("双十一大促").await?;
    owner.add_task("首页banner设计").await?;
    let plan: DocumentId =
        owner.find("project").await?.attr("data-doc").await?.context("the plan's id")?.parse()?;
    let finance_doc = plan.companion(Companion::Finance);
    // The owner lacks the finance role: no budget for them either.
    assert!(!owner.find("view-budget").await?.is_displayed().await?, "the owner is offered no budget");

    let money_link = owner.invite("5").await?;
    let editor_link = owner.invite("2").await?;
    let money = Page::new(driver.private_browser().await?, "finance");
    money.join(&money_link, "小钱").await?;
    money.click("project-link").await?;
    money.wait_task_titles(&["首页banner设计"]).await?;
    money.click("view-budget").await?;
    money.find("finance").await?;

    // A budget line, and a cost on the banner task that overspends it.
    money.type_into("new-line-category", "推广").await?;
    money.type_into("new-line-planned", "1,000").await?;
    money.click("add-line").await?;
    wait_totals(&money, (100_000, 0)).await?;
    money.type_into("new-cost-amount", "¥1200.50").await?;
    money.find("new-cost-task").await?.select_by_label("首页banner设计").await?;
    money.type_into("new-cost-note", "直通车").await?;
    money.click("add-cost").await?;
    wait_totals(&money, (100_000, 120_050)).await?;
    let line = money.find("budget-line").await?;
    assert_eq!(line.attr("data-over").await?.as_deref(), Some("true"), "the line is over budget");

    // A bad amount typed is refused with the reason, and nothing is written.
    money.type_into("new-cost-amount", "一千").await?;
    money.click("add-cost").await?;
    let refused = money.find("error").await?.text().await?;
    assert!(refused.contains("一千"), "{refused}");
    wait_totals(&money, (100_000, 120_050)).await?;

    // Costs from Excel in a Chinese locale: GB18030, with a date as Excel writes it. The
    // category 物流 is new, and is made for its cost.
    let excel = "日期,类别,金额(元),任务,备注\r\n2026/11/3,物流,300,首页banner设计,顺丰 加急\r\n";
    let (bytes, _, lossy) = encoding_rs::GB18030.encode(excel);
    assert!(!lossy);
    assert!(std::str::from_utf8(&bytes).is_err(), "the file is not UTF-8");
    let gb = files.path().join("费用.csv");
    std::fs::write(&gb, &bytes)?;
    money.find("import-csv").await?.send_keys(&gb.display().to_string()).await?;
    let result = money.find("import-result").await?;
    assert_eq!(result.attr("data-costs").await?.as_deref(), Some("1"));
    wait_totals(&money, (100_000, 150_050)).await?;
    let categories = money.run(
        "return [...document.querySelectorAll('[data-testid=\"budget-line\"]')].map(r => r.dataset.category)",
    );
    let categories: Vec<String> = serde_json::from_value(categories.await?)?;
    assert_eq!(categories, ["推广", "物流"]);

    // A file with a bad row imports nothing, and says which row and why.
    let bad = files.path().join("bad.csv");
    std::fs::write(&bad, "\u{feff}日期,类别,金额\n2026-11-04,推广,10\n2026-11-05,推广,十元\n")?;
    money.find("import-csv").await?.send_keys(&bad.display().to_string()).await?;
    let problems = money.find("import-problems").await?.text().await?;
    let row_named = problems.contains("第 3 行") || problems.contains("Row 3");
    assert!(row_named && problems.contains("十元"), "{problems}");
    wait_totals(&money, (100_000, 150_050)).await?;
    money.screenshot(&artifacts, "finance-budget.png").await?;

    // After a reload the budget view comes back with everything in it, and the dashboard
    // warns of the overspend.
    money.reload().await?;
    money.find("finance").await?;
    wait_totals(&money, (100_000, 150_050)).await?;
    money.open_dashboard().await?;
    let over = money.find("budget-over").await?.text().await?;
    assert!(over.contains("推广"), "{over}");
    money.screenshot(&artifacts, "finance-dashboard.png").await?;

    // The editor works on the same plan, and sees nothing of the money.
    let editor = Page::new(driver.private_browser().await?, "editor");
    editor.join(&editor_link, "小编").await?;
    editor.click("project-link").await?;
    editor.wait_task_titles(&["首页banner设计"]).await?;
    editor.open_dashboard().await?;
    assert!(!editor.find("view-budget").await?.is_displayed().await?, "the editor is offered no budget");
    let panels = editor.client.find_all(Locator::Css("[data-testid=\"dashboard-budget\"]")).await?;
    assert!(panels.is_empty(), "the editor's dashboard has no budget panel");
    // The plan itself arrived and is stored; the finance document never was.
    wait_for("the plan in the editor's storage", || async {
        Ok((!stored_keys(&editor, &plan).await?.is_empty()).then_some(()))
    })
    .await?;
    let leaked = stored_keys(&editor, &finance_doc).await?;
    assert!(leaked.is_empty(), "the editor's browser holds the budget: {leaked:?}");
    // The finance member's browser does hold it.
    assert!(!stored_keys(&money, &finance_doc).await?.is_empty(), "the finance member's budget is stored");
    editor.screenshot(&artifacts, "finance-editor-dashboard.png").await?;
    Ok(())
}
