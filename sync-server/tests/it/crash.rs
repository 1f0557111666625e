//! `kill -9` at random moments while several writers edit through the real relay binary:
//! every round the relay acknowledges something, everything any peer had received from the
//! relay before a kill is there after the restart, and the writers end with one document.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::Context;
use automerge::{ChangeHash, ReadDoc};
use launchplan_e2e::relay::RelayProcess;
use launchplan_shared::DocumentId;
use launchplan_shared::domain::{Task, commands};

use crate::support::{WsPeer, pump_all_until, start_relay};

const KILLS: usize = 12;
const WRITERS: usize = 3;

/// Every change the relay has told `peer` about: what it says it holds of `doc`, and
/// everything the peer has from others (which can only have come through the relay).
///
/// A change is the peer's own when its actor is the peer's: an edit cut short by the kill
/// exists locally without ever having been sent, and must not count as received.
fn received_from_relay(peer: &WsPeer, doc: DocumentId) -> BTreeSet<ChangeHash> {
    let Some(am) = peer.client.doc(&doc) else { return BTreeSet::new() };
    let me = am.get_actor();
    let mut stack: Vec<ChangeHash> =
        am.get_changes(&[]).iter().filter(|c| c.actor_id() != me).map(|c| c.hash()).collect();
    // What the relay acknowledged, and everything that depends on, was acknowledged too.
    stack.extend(peer.client.relay_heads(&doc).unwrap_or_default());
    let mut received = BTreeSet::new();
    while let Some(hash) = stack.pop() {
        if received.insert(hash)
            && let Some(change) = am.get_change_by_hash(&hash)
        {
            stack.extend(change.deps().iter().copied());
        }
    }
    received
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_the_relay_acknowledged_is_lost_to_kill_9() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut relay = start_relay(dir.path()).await?;
    let listen = relay.addr.to_string();
    let url = relay.sync_url();
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() as u64;
    println!("crash test seed {seed}");
    let mut rng = seed;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };

    let mut first = WsPeer::connect(&url, "writer-0").await?;
    let (doc, _) = first.create_project("双十一大促备战", &["页面优化"]).await?;
    let mut writers = vec![first];
    for w in 1..WRITERS {
        let mut writer = WsPeer::connect(&url, &format!("writer-{w}")).await?;
        writer.fetch(doc).await?;
        writers.push(writer);
    }
    let mut must_survive: BTreeSet<ChangeHash> = BTreeSet::new();
    let mut edits = 0usize;

    for kill in 0..KILLS {
        // Every round has something acknowledged to lose: one writer's edit, stored and
        // confirmed, before the writing the kill cuts into.
        let confirmed = &mut writers[kill % WRITERS];
        let task = Task::new(format!("任务 {kill}-确认"), None, edits as i64);
        confirmed.edit(doc, |tx| commands::add_task(tx, &task)).await?;
        edits += 1;
        confirmed.pump_until(|p| p.client.in_sync(&doc)).await.with_context(|| format!("round {kill}"))?;

        let kill_after = Duration::from_millis(20 + next(250));
        let writing = async {
            loop {
                for (w, writer) in writers.iter_mut().enumerate() {
                    let task = Task::new(format!("任务 {kill}-{w}-{edits}"), None, edits as i64);
                    writer.edit(doc, |tx| commands::add_task(tx, &task)).await?;
                    edits += 1;
                    writer.pump_for(Duration::from_millis(1)).await?;
                }
            }
            #[allow(unreachable_code)]
            anyhow::Ok(())
        };
        // Write until the kill. The relay is up all along: any error is a failure.
        if let Ok(stopped) = tokio::time::timeout(kill_after, writing).await {
            stopped
                .with_context(|| format!("round {kill}: writing failed with the relay up (seed {seed})"))?;
        }
        relay.kill().await?;
        let before = must_survive.len();
        for (w, writer) in writers.iter_mut().enumerate() {
            // Read what arrived before the kill; the connection then ends.
            let ended = writer.pump_for(Duration::from_millis(200)).await;
            let ended = ended.err().with_context(|| format!("round {kill}: writer {w} still connected"))?;
            let ended = format!("{ended:#}");
            assert!(!ended.contains("the client closed"), "round {kill}: writer {w}: {ended}");
            must_survive.extend(received_from_relay(writer, doc));
        }
        assert!(must_survive.len() > before, "round {kill}: nothing acknowledged (seed {seed})");

        relay = RelayProcess::start(
            std::path::Path::new(env!("CARGO_BIN_EXE_launchplan-relay")),
            &listen,
            dir.path(),
            std::path::Path::new("/nonexistent"),
        )
        .await
        .with_context(|| format!("restart {kill}"))?;
        let mut check = WsPeer::connect(&url, &format!("checker-{kill}")).await?;
        check.fetch(doc).await?;
        let after = check.client.doc(&doc).context("open")?;
        let missing: Vec<_> = must_survive.iter().filter(|h| after.get_change_by_hash(h).is_none()).collect();
        assert!(missing.is_empty(), "kill {kill}: {} acknowledged changes lost (seed {seed})", missing.len());
        for writer in &mut writers {
            writer.reconnect(&url).await?;
        }
    }

    // One last edit each, one writer after the other: the others hear of it only if the
    // relay passes it on.
    for (w, writer) in writers.iter_mut().enumerate() {
        let task = Task::new(format!("任务 收尾-{w}"), None, edits as i64);
        writer.edit(doc, |tx| commands::add_task(tx, &task)).await?;
        edits += 1;
        writer.pump_until(|p| p.client.in_sync(&doc)).await.with_context(|| format!("last edit {w}"))?;
    }
    // Everyone ends with one document: what each had (edits cut short by a kill included),
    // which is also what a newcomer gets from the relay.
    let settled = |writers: &[WsPeer]| {
        let heads: Vec<_> = writers.iter().map(|w| w.client.doc(&doc).map(|d| d.get_heads())).collect();
        writers.iter().all(|w| w.client.in_sync(&doc)) && heads.windows(2).all(|p| p[0] == p[1])
    };
    pump_all_until(&mut writers, settled).await.with_context(|| format!("no convergence (seed {seed})"))?;
    let heads = writers[0].client.doc(&doc).context("open")?.get_heads();
    let mut newcomer = WsPeer::connect(&url, "newcomer").await?;
    newcomer.fetch(doc).await?;
    let settled_doc = newcomer.client.doc(&doc).context("open")?;
    assert_eq!(settled_doc.get_heads(), heads, "a newcomer gets what the writers agree on");
    assert!(must_survive.iter().all(|h| settled_doc.get_change_by_hash(h).is_some()));
    // Every edit is there, acknowledged or not: a writer keeps what the kill cut short and
    // sends it after reconnecting. (An edit the kill cut short is made but not counted.)
    let tasks = newcomer.project(doc)?.tasks.len();
    assert!(
        (edits + 1..=edits + 1 + KILLS).contains(&tasks),
        "{tasks} tasks from {edits} edits and the first (seed {seed})"
    );
    println!("{KILLS} kills, {edits} edits, {} acknowledged changes all survived", must_survive.len());
    Ok(())
}
