//! Two people co-edit a plan of 5,000 tasks in six phases, put into the relay by another
//! program (as an integration or a script would): both open it, see each other's edits, and
//! end with the same document. Two of its tasks were written by a peer with other habits:
//! one the JavaScript library's way (signed integers, the title as text) opens like any
//! other; one holds a value the app cannot read, and shows with that field named.

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc, ScalarValue};
use launchplan_e2e::browser::Page;
use launchplan_e2e::chromedriver::ChromeDriver;
use launchplan_e2e::plan::big_plan;
use launchplan_e2e::relay::{RelayProcess, app_dir, relay_binary};
use launchplan_e2e::writer::put_doc;
use launchplan_e2e::{PATIENCE, artifacts_dir, wait_for};
use launchplan_shared::TaskId;
use launchplan_shared::domain::commands;

const TASKS: usize = 5_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_browsers_co_edit_a_plan_of_five_thousand_tasks() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let data = tempfile::tempdir()?;
    let profiles = tempfile::tempdir()?;
    let artifacts = artifacts_dir()?;
    let relay = RelayProcess::start(&relay_binary()?, "127.0.0.1:0", data.path(), &app_dir()?).await?;

    let project = big_plan(TASKS)?;
    let (js_style, unreadable) = (TaskId::random(), TaskId::random());
    let first_phase = project.phases[0].id.to_string();
    let written = put_doc(
        &relay.sync_url(),
        |tx| {
            commands::create_project(tx, &project)?;
            let (_, tasks) = tx.get(ROOT, "tasks")?.ok_or(commands::CommandError::NotAProject("tasks"))?;
            // The JavaScript library's habits: whole numbers as signed ints, strings as text.
            let task = tx.put_object(&tasks, js_style.to_string(), ObjType::Map)?;
            let title = tx.put_object(&task, "title", ObjType::Text)?;
            tx.splice_text(&title, 0, 0, "脚本写入：主图拍摄")?;
            tx.put(&task, "status", "in_progress")?;
            tx.put(&task, "created_at", ScalarValue::Int(0))?;
            tx.put(&task, "phase", first_phase.as_str())?;
            tx.put(&task, "duration_days", ScalarValue::Int(3))?;
            // And a field nobody can read as a number of days.
            let task = tx.put_object(&tasks, unreadable.to_string(), ObjType::Map)?;
            tx.put(&task, "title", "脚本写入：详情页")?;
            tx.put(&task, "created_at", ScalarValue::Int(1))?;
            tx.put(&task, "phase", first_phase.as_str())?;
            tx.put(&task, "duration_days", "五天")?;
            Ok(())
        },
        PATIENCE,
    )
    .await?;
    let link = format!("{}/#/p/{}", relay.url(), written.doc);

    let driver = ChromeDriver::start().await?;
    let a = Page::new(driver.browser(&profiles.path().join("a")).await?, "browser A");
    let b = Page::new(driver.private_browser().await?, "browser B");
    for page in [&a, &b] {
        page.open(&link).await?;
        wait_for(&format!("{} to open all {} tasks", page.name, TASKS + 2), || async {
            Ok((page.task_count().await? == TASKS + 2).then_some(()))
        })
        .await?;
        // Only what is on screen is drawn.
        let drawn = page
            .client
            .execute("return document.querySelectorAll('[data-testid=\"task-row\"]').length", vec![])
            .await?;
        let drawn = drawn.as_u64().unwrap_or(0);
        assert!(drawn > 5 && drawn < 100, "{} draws {drawn} rows of {}", page.name, TASKS + 2);
    }

    // The two tasks written by other peers come first in the first phase (they were created
    // earliest).
    let titles = a.first_titles(3).await?;
    assert_eq!(titles[..2], ["脚本写入：主图拍摄".to_owned(), "脚本写入：详情页".to_owned()], "{titles:?}");
    let problem = a.in_row(1, "task-problem").await?.text().await?;
    assert!(problem.contains("duration_days"), "the unreadable field is named: {problem:?}");
    a.open_drawer(1).await?;
    let field = a.find("task-problem-field").await?.text().await?;
    assert!(field.starts_with("duration_days"), "{field:?}");
    a.screenshot(&artifacts, "large-plan-unreadable-field.png").await?;

    // A renames the task with the unreadable field (that edit works; the bad value stays
    // for whoever wrote it to correct) and the third task; B ticks off the fourth.
    a.rename_task(1, "详情页（已核对）").await?;
    a.rename_task(2, "调研 · 第一个任务（A 改）").await?;
    b.toggle_done(3).await?;
    b.wait_task_title(1, "详情页（已核对）").await?;
    b.wait_task_title(2, "调研 · 第一个任务（A 改）").await?;
    wait_for("A to see B's tick", || async {
        Ok(a.first_done_flags(4).await?.get(3).copied().filter(|d| *d))
    })
    .await?;
    b.in_row(1, "task-problem").await?;

    // Both add a task at once; each sees both.
    a.add_task_to_long_plan("A：新增复盘会").await?;
    b.add_task_to_long_plan("B：新增客服话术").await?;
    for page in [&a, &b] {
        wait_for(&format!("{} to list both new tasks", page.name), || async {
            Ok((page.task_count().await? == TASKS + 4).then_some(()))
        })
        .await?;
    }
    wait_for("equal heads in both browsers", || async {
        let (ha, hb) = (a.heads().await?, b.heads().await?);
        Ok((ha == hb).then_some(()))
    })
    .await?;
    // A reloads: the plan shows from the view it kept while its document loads, and a task
    // added straight away is kept and reaches B.
    wait_for("A's edits to be saved", || async {
        Ok((a.find("save-state").await?.attr("data-pending").await?.as_deref() == Some("0")).then_some(()))
    })
    .await?;
    a.reload().await?;
    a.add_task_to_long_plan("A：重新打开后立刻添加").await?;
    for page in [&a, &b] {
        wait_for(&format!("{} to list the task added on reopening", page.name), || async {
            Ok((page.task_count().await? == TASKS + 5).then_some(()))
        })
        .await?;
    }

    // A quick-added task goes into the phase picked beside the field (the first, unless
    // another is picked): it closes that phase's tasks.
    let first_phase: Vec<String> =
        b.tasks_upto(Some(TASKS / 6 + 6)).await?.into_iter().map(|(_, title, _)| title).collect();
    let mut added = first_phase[first_phase.len() - 3..].to_vec();
    assert_eq!(added.last().map(String::as_str), Some("A：重新打开后立刻添加"), "{added:?}");
    added.sort();
    assert_eq!(
        added,
        ["A：新增复盘会", "A：重新打开后立刻添加", "B：新增客服话术"],
        "the first phase ends with the tasks added"
    );
    // The list ends with the last phase's last task, when one scrolls to it.
    assert_eq!(b.last_title().await?, format!("复盘 Review · 任务 {TASKS}"));
    a.screenshot(&artifacts, "large-plan-a.png").await?;
    b.screenshot(&artifacts, "large-plan-b.png").await?;

    a.client.close().await?;
    b.client.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
