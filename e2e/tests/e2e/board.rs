//! The board as two people use it: a card one drags shows in the other's board as it lands;
//! cards moved by both while both are offline end, once they are back, on one board that is
//! the same for both, every card on it once.

use launchplan_e2e::board::{DOWN, RIGHT};
use launchplan_e2e::pair::Pair;
use launchplan_e2e::{artifacts_dir, wait_for};

const TASKS: [&str; 5] = ["主图拍摄", "详情页文案", "优惠券配置", "客服话术", "直播脚本"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_dragged_to_in_progress_moves_live_and_offline_moves_merge_into_one_board()
-> anyhow::Result<()> {
    let _turn = launchplan_e2e::my_turn().await;
    let artifacts = artifacts_dir()?;
    let (pair, relay) = Pair::start().await?;
    let (a, b) = (&pair.a, &pair.b);
    pair.share_plan(&relay, "双十一大促备战", &TASKS).await?;
    for page in [a, b] {
        page.use_language("zh-CN").await?;
        page.open_board().await?;
        page.wait_column(0, &TASKS).await?;
    }
    assert_eq!(a.board_columns().await?, ["待开始", "进行中", "待审核", "已完成", "阻塞"]);

    // A drags 优惠券配置 to 进行中; B sees it land there, and it is in progress in B's list too.
    a.drag_card("优惠券配置", 1, 0).await?;
    a.wait_column(1, &["优惠券配置"]).await?;
    b.wait_column(1, &["优惠券配置"]).await?;
    b.wait_column(0, &["主图拍摄", "详情页文案", "客服话术", "直播脚本"]).await?;
    a.screenshot(&artifacts, "board-a-dragged.png").await?;
    b.screenshot(&artifacts, "board-b-live.png").await?;
    // Within a column: A drags 直播脚本 to the top of 待开始.
    a.drag_card("直播脚本", 0, 0).await?;
    b.wait_column(0, &["直播脚本", "主图拍摄", "详情页文案", "客服话术"]).await?;

    // Both go offline (the relay stops), and both move 主图拍摄, to different columns, and
    // reorder others.
    for page in [a, b] {
        page.wait_offline_ready().await?;
    }
    relay.kill().await?;
    for page in [a, b] {
        page.wait_connection("offline").await?;
    }
    a.drag_card("主图拍摄", 1, 1).await?;
    a.wait_column(1, &["优惠券配置", "主图拍摄"]).await?;
    a.drag_card("客服话术", 0, 0).await?;
    a.wait_column(0, &["客服话术", "直播脚本", "详情页文案"]).await?;
    b.drag_card("主图拍摄", 2, 0).await?;
    b.wait_column(2, &["主图拍摄"]).await?;
    b.drag_card("直播脚本", 0, 3).await?;
    b.wait_column(0, &["详情页文案", "客服话术", "直播脚本"]).await?;
    a.screenshot(&artifacts, "board-a-offline.png").await?;
    b.screenshot(&artifacts, "board-b-offline.png").await?;

    // Back online: one board for both, every card on it once.
    let relay = pair.restart_relay().await?;
    let board = wait_for("both boards to agree", || async {
        let (ha, hb) = (a.heads().await?, b.heads().await?);
        let (ca, cb) = (a.board_cells().await?, b.board_cells().await?);
        Ok((ha == hb && ca == cb).then_some(ca))
    })
    .await?;
    let mut all: Vec<&str> = board.iter().flatten().flatten().map(String::as_str).collect();
    all.sort();
    let mut expected = TASKS.to_vec();
    expected.sort();
    assert_eq!(all, expected, "every card once: {board:?}");
    let column_of = |title: &str| board[0].iter().position(|c| c.iter().any(|t| t == title));
    assert!(matches!(column_of("主图拍摄"), Some(1 | 2)), "one of the columns it was moved to: {board:?}");
    a.screenshot(&artifacts, "board-a-merged.png").await?;
    b.screenshot(&artifacts, "board-b-merged.png").await?;

    // From the keyboard: B picks up the top card of 待开始, moves it right twice and down
    // once (below what 待审核 holds), and puts it down; A sees it there.
    let top = board[0][0][0].clone();
    let mut review: Vec<String> = board[0][2].clone();
    review.push(top.clone());
    b.move_card_with_keys(&top, &[RIGHT, RIGHT, DOWN]).await?;
    let review: Vec<&str> = review.iter().map(String::as_str).collect();
    for page in [a, b] {
        page.wait_column(2, &review).await?;
    }
    // The list's filter holds on the board; "＋" adds a card at the top of its column.
    a.filter_words("优惠").await?;
    a.wait_column(1, &["优惠券配置"]).await?;
    a.filter_words("").await?;
    a.wait_column(0, &board[0][0][1..].iter().map(String::as_str).collect::<Vec<_>>()).await?;
    a.click_where("add-card", "data-status", "blocked").await?;
    a.type_into("card-input", "等待供应商报价\u{e007}").await?;
    b.wait_column(4, &["等待供应商报价"]).await?;

    // A limits 阻塞 to one card; a second one turns its header amber for B too.
    a.set_column_limit("blocked", "1").await?;
    wait_for("B to see the limit", || async {
        Ok((b.column_head("blocked").await? == ("1 / 1".into(), false)).then_some(()))
    })
    .await?;
    a.click_where("add-card", "data-status", "blocked").await?;
    a.type_into("card-input", "物流单号对接\u{e007}").await?;
    wait_for("B to see 阻塞 past its limit", || async {
        Ok((b.column_head("blocked").await? == ("2 / 1".into(), true)).then_some(()))
    })
    .await?;
    b.wait_column(4, &["物流单号对接", "等待供应商报价"]).await?;
    b.screenshot(&artifacts, "board-b-final.png").await?;

    pair.close().await?;
    assert!(relay.terminate().await?.success());
    Ok(())
}
