//! Quick add reads what is typed as a person would say it: "明天下午三点前完成首页banner设计，
//! 负责人小王" becomes a task titled 首页banner设计, due tomorrow at 15:00, assigned to the
//! member 小王, and the teammate's browser shows it so. A name nobody in the workspace has is
//! said, not guessed. The microphone is offered exactly where the browser can listen.

use launchplan_e2e::pair::Pair;
use launchplan_e2e::{artifacts_dir, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoken_style_phrase_becomes_a_task_with_its_day_time_and_person_in_both_browsers()
-> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let artifacts = artifacts_dir()?;
    let (pair, relay) = Pair::start().await?;
    let (a, b) = (&pair.a, &pair.b);
    pair.share_plan(&relay, "双十一大促", &["主图拍摄"]).await?;
    a.use_language("zh-CN").await?;
    a.set_name("小王").await?;
    let today = launchplan_e2e::today();

    // What will be set shows under the field before Enter.
    a.type_into("task-input", "明天下午三点前完成首页banner设计，负责人小王").await?;
    let preview = wait_for("the quick-add preview to name 小王", || async {
        let preview = a.find("quick-add-preview").await?;
        let people = a.find("quick-add-people").await?.text().await?;
        Ok(people.contains("小王").then_some(preview))
    })
    .await?;
    assert_eq!(preview.attr("data-title").await?.as_deref(), Some("首页banner设计"));
    assert_eq!(preview.attr("data-due").await?, Some(today.add_days(1).to_string()));
    assert_eq!(preview.attr("data-time").await?.as_deref(), Some("15:00"));
    a.screenshot(&artifacts, "quick-add-preview.png").await?;
    a.click("add-task").await?;

    // B sees the task as it was said.
    b.wait_task_titles(&["主图拍摄", "首页banner设计"]).await?;
    b.open_drawer(1).await?;
    wait_for("B's drawer to show the due day and time", || async {
        let due = b.find("drawer-due").await?.prop("value").await?;
        let time = b.find("drawer-due-time").await?.prop("value").await?;
        Ok((due == Some(today.add_days(1).to_string()) && time.as_deref() == Some("15:00")).then_some(()))
    })
    .await?;
    b.screenshot(&artifacts, "quick-add-b-drawer.png").await?;
    // A, in the workspace, sees it assigned to its member 小王.
    a.open_drawer(1).await?;
    let assigned = wait_for("A's drawer to show the task assigned to 小王", || async {
        let checked = a
            .run(
                "return [...document.querySelectorAll('[data-testid=\"assignee-option\"]')]
                   .filter(l => l.querySelector('input').checked).map(l => l.textContent.trim())",
            )
            .await?;
        Ok((checked != serde_json::json!([])).then_some(checked))
    })
    .await?;
    assert_eq!(assigned, serde_json::json!(["小王"]));
    a.click("close-drawer").await?;
    b.click("close-drawer").await?;

    // Someone who is not a member is said, and the task is added unassigned.
    a.type_into("task-input", "后天 直播彩排 负责人老张 紧急").await?;
    let unknown = a.find("quick-add-unknown").await?.text().await?;
    assert!(unknown.contains("老张"), "{unknown}");
    a.type_into("task-input", "\u{e007}").await?;
    b.wait_task_titles(&["主图拍摄", "首页banner设计", "直播彩排"]).await?;
    b.open_drawer(2).await?;
    wait_for("the second task's due day in B", || async {
        let due = b.find("drawer-due").await?.prop("value").await?;
        Ok((due == Some(today.add_days(2).to_string())).then_some(()))
    })
    .await?;
    b.click("close-drawer").await?;
    a.open_drawer(2).await?;
    a.find("assignee-option").await?;
    let assigned = a
        .run("return document.querySelectorAll('[data-testid=\"assignee-option\"] input:checked').length")
        .await?;
    assert_eq!(assigned, serde_json::json!(0), "nobody is guessed for 老张");

    // The microphone is there exactly where the browser can listen.
    let can_listen =
        a.run("return 'SpeechRecognition' in window || 'webkitSpeechRecognition' in window").await?;
    let mics = a.run("return document.querySelectorAll('[data-testid=\"voice-input\"]').length").await?;
    assert_eq!(mics, serde_json::json!(u8::from(can_listen == serde_json::json!(true))), "{can_listen}");

    pair.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
