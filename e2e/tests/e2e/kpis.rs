//! The workspace's KPIs as a lead reads them: two plans, a launch with a task finished late
//! and a campaign with one finished on time, add up to a 50% on-time rate; picking the
//! campaign kind, or a range with nothing finished in it, narrows what counts; a range that
//! ends before it starts is explained; the projects table exports as CSV for Excel.

use launchplan_e2e::browser::{Page, Solo};
use launchplan_e2e::{artifacts_dir, wait_for};
use launchplan_shared::domain::Date;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct Shown {
    finished: usize,
    rate: String,
    projects: Vec<(String, usize)>,
    rag: [usize; 3],
}

async fn shown(page: &Page) -> anyhow::Result<Shown> {
    let value = page
        .run(
            "const q = id => document.querySelector(`[data-testid=\"${id}\"]`);
             if (!q('kpis')) return null;
             const rag = q('kpi-rag').dataset;
             return {
               finished: Number(q('kpi-finished').dataset.count),
               rate: q('kpi-on-time').dataset.rate,
               projects: [...document.querySelectorAll('[data-testid=\"kpi-project\"]')]
                 .map(r => [r.querySelector('a').textContent, Number(r.dataset.finished)]),
               rag: [Number(rag.green), Number(rag.amber), Number(rag.red)],
             };",
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

async fn wait_shown(page: &Page, what: &str, want: impl Fn(&Shown) -> bool) -> anyhow::Result<Shown> {
    wait_for(what, || async { Ok(Some(shown(page).await?).filter(|s| want(s))) }).await
}

/// Makes a plan of `kind` (its index in the new-plan form) with `title` due `due`, and ticks
/// it done today.
async fn plan_with_one_done(
    page: &Page,
    name: &str,
    kind: &str,
    title: &str,
    due: Date,
) -> anyhow::Result<()> {
    page.click("workspace-name").await?;
    page.find("new-project-kind").await?.select_by_value(kind).await?;
    page.create_project(name).await?;
    page.add_task(title).await?;
    page.add_task("客服话术").await?;
    page.open_drawer(0).await?;
    page.set_date("drawer-due", &due.to_string()).await?;
    page.click("close-drawer").await?;
    page.toggle_done(0).await?;
    wait_for("the task to be done", || async {
        Ok(page.first_done_flags(1).await?.first().copied().filter(|d| *d))
    })
    .await?;
    Ok(())
}

/// The next file the page offers, once `button` is clicked: whether it starts with a UTF-8
/// byte-order mark, and its text.
async fn exported(page: &Page, button: &str) -> anyhow::Result<(bool, String)> {
    page.run(
        "window.offered = [];
         const make = URL.createObjectURL;
         URL.createObjectURL = blob => { window.offered.push(blob); return make(blob); };",
    )
    .await?;
    page.click(button).await?;
    let text = page
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.offered[0].arrayBuffer().then(b => {
               const bytes = new Uint8Array(b);
               const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
               done([bom, new TextDecoder().decode(bytes)]);
             }, e => done([false, String(e)]));",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(text)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workspace_kpis_add_up_every_plan_and_narrow_by_kind_and_date() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let solo = Solo::start("lead", "zh-CN").await?;
    let page = &solo.page;
    page.set_name("小王").await?;

    let today = launchplan_e2e::today();
    // The launch's task was due two days ago: late. The campaign's is due in two: on time.
    plan_with_one_done(page, "春季新品首发", "0", "主图拍摄", today.add_days(-2)).await?;
    plan_with_one_done(page, "双十一大促", "1", "优惠券配置", today.add_days(2)).await?;

    page.click("kpis-link").await?;
    let all =
        wait_shown(page, "both plans in the KPIs", |s| s.finished == 2 && s.projects.len() == 2).await?;
    assert_eq!(all.rate, "50", "{all:?}");
    assert_eq!(all.projects, [("双十一大促".to_owned(), 1), ("春季新品首发".to_owned(), 1)]);
    assert_eq!(all.rag.iter().sum::<usize>(), 2, "{all:?}");
    page.screenshot(&artifacts_dir()?, "kpis.png").await?;

    // The month's row of the table behind the chart counts both.
    let month = &today.to_string()[..7];
    let row = page
        .run(&format!(
            "const r = document.querySelector('[data-testid=\"kpi-month\"][data-month=\"{month}\"]');
             return r && Number(r.dataset.finished);"
        ))
        .await?;
    assert_eq!(row.as_u64(), Some(2), "this month's row");

    // Campaigns alone.
    page.find("kpi-kind").await?.select_by_value("1").await?;
    let campaigns = wait_shown(page, "the campaign alone", |s| s.projects.len() == 1).await?;
    assert_eq!((campaigns.finished, campaigns.rate.as_str()), (1, "100"), "{campaigns:?}");
    page.find("kpi-kind").await?.select_by_value("").await?;

    // From tomorrow on, nothing has been finished.
    page.set_date("kpi-from", &today.add_days(1).to_string()).await?;
    let none = wait_shown(page, "nothing finished from tomorrow", |s| s.finished == 0).await?;
    assert_eq!(none.rate, "", "no rate without work: {none:?}");
    assert_eq!(none.projects.len(), 2, "the plans are still listed");
    page.find("kpi-trend-empty").await?;
    // A range that ends before it starts says so.
    page.set_date("kpi-to", &today.to_string()).await?;
    page.find("kpi-bad-range").await?;
    page.set_date("kpi-from", &today.add_days(-30).to_string()).await?;
    wait_shown(page, "the month again", |s| s.finished == 2).await?;

    let (bom, csv) = exported(page, "export-projects").await?;
    assert!(bom, "a byte-order mark, for Excel");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("项目,类型,状态,未完成,已完成,按期率"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("双十一大促,大促活动,") && l.contains(",1,1,100%,")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("春季新品首发,新品首发,") && l.contains(",1,1,0%,")),
        "{lines:?}"
    );

    solo.close().await
}
