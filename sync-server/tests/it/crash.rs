//! `kill -9` at random moments while several writers edit through the real relay binary:
//! everything any peer had received from the relay before a kill is there after the restart.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::Context;
use automerge::{ChangeHash, ReadDoc};
use launchplan_e2e::relay::RelayProcess;
use launchplan_shared::DocumentId;
use launchplan_shared::domain::{Task, commands};

use crate::support::{WsPeer, start_relay};

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
    let mut must_survive = BTreeSet::new();
    let mut edits = 0usize;

    for kill in 0..KILLS {
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
        // Write until the kill; writers then notice their connections ended.
        let _ = tokio::time::timeout(kill_after, writing).await;
        relay.kill().await?;
        for writer in &mut writers {
            let _ = writer.pump_for(Duration::from_millis(200)).await;
            must_survive.extend(received_from_relay(writer, doc));
        }

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
    println!("{KILLS} kills, {edits} edits, {} acknowledged changes all survived", must_survive.len());
    assert!(must_survive.len() > KILLS, "the test acknowledged too little to mean anything");
    Ok(())
}
