//! Two people keep working with the relay gone, reload while still offline, and converge
//! when it returns: nothing lost, and the field both changed is marked as a conflict that
//! one of them resolves.

use launchplan_e2e::pair::Pair;
use launchplan_e2e::{artifacts_dir, wait_for};

const SEED_TASKS: [&str; 3] = ["页面优化", "优惠券配置", "客服培训"];
/// Edits each browser makes offline: new tasks, and renames of the first seed task.
const NEW_TASKS: usize = 30;
const RENAMES: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_edits_in_two_browsers_converge_with_the_conflict_marked() -> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let artifacts = artifacts_dir()?;
    let (pair, relay) = Pair::start().await?;
    let (a, b) = (&pair.a, &pair.b);
    pair.share_plan(&relay, "双十一大促备战", &SEED_TASKS).await?;
    a.wait_offline_ready().await?;
    b.wait_offline_ready().await?;

    relay.kill().await?;
    a.wait_connection("offline").await?;
    b.wait_connection("offline").await?;

    for (page, who) in [(&a, "A"), (&b, "B")] {
        for n in 0..NEW_TASKS {
            page.add_task(&format!("{who} 离线任务 {n}")).await?;
        }
        for n in 0..RENAMES {
            page.rename_task(0, &format!("页面优化（{who} 第 {n} 版）")).await?;
        }
    }
    let expected_count = SEED_TASKS.len() + 2 * NEW_TASKS;

    // Reload while still offline: everything comes back from the browser's own storage.
    for page in [a, b] {
        page.reload().await?;
        let titles = wait_for("the plan to come back after an offline reload", || async {
            let titles = page.task_titles().await?;
            Ok((titles.len() == SEED_TASKS.len() + NEW_TASKS).then_some(titles))
        })
        .await?;
        assert!(titles[0].starts_with("页面优化（"), "{titles:?}");
    }
    a.screenshot(&artifacts, "offline-a-before-reconnect.png").await?;

    let relay = pair.restart_relay().await?;
    let merged = wait_for("both browsers to converge", || async {
        let (ha, hb) = (a.heads().await?, b.heads().await?);
        let count = a.task_titles().await?.len();
        Ok((ha == hb && count == expected_count).then_some(count))
    })
    .await?;
    assert_eq!(merged, expected_count);
    // Each sees the other on the plan again.
    for page in [a, b] {
        wait_for("the other person to show as present", || async {
            Ok((page.present_names().await?.len() == 1).then_some(()))
        })
        .await?;
    }
    for page in [a, b] {
        let titles = page.task_titles().await?;
        for who in ["A", "B"] {
            for n in 0..NEW_TASKS {
                let title = format!("{who} 离线任务 {n}");
                assert!(titles.contains(&title), "{} lost {title:?}", page.name);
            }
        }
    }

    // Both renamed the same task: both see it marked, and in its drawer both last values.
    for page in [a, b] {
        wait_for("the conflict to be marked", || async {
            Ok((page.conflicted_tasks().await? == 1).then_some(()))
        })
        .await?;
        page.open_conflict(0).await?;
        let values = wait_for("the conflicting values to be offered", || async {
            let values = page.conflict_values().await?;
            Ok((values.len() == 2).then_some(values))
        })
        .await?;
        assert!(values.contains(&format!("页面优化（A 第 {} 版）", RENAMES - 1)), "{values:?}");
        assert!(values.contains(&format!("页面优化（B 第 {} 版）", RENAMES - 1)), "{values:?}");
    }
    a.screenshot(&artifacts, "offline-a-conflict.png").await?;

    // A keeps B's version; the conflict disappears everywhere and both agree.
    let keep = format!("页面优化（B 第 {} 版）", RENAMES - 1);
    a.keep_conflict_value(&keep).await?;
    for page in [a, b] {
        page.wait_task_title(0, &keep).await?;
        wait_for("the conflict to be resolved", || async {
            Ok((page.conflicted_tasks().await? == 0 && page.conflict_values().await?.is_empty())
                .then_some(()))
        })
        .await?;
    }
    wait_for("equal heads after resolving", || async {
        let (ha, hb) = (a.heads().await?, b.heads().await?);
        Ok((ha == hb).then_some(()))
    })
    .await?;
    b.screenshot(&artifacts, "offline-b-resolved.png").await?;

    pair.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
