//! A stored chunk that cannot be read is left where it is, never deleted (a later fix may read
//! it), and the document's other chunks still load.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use launchplan_e2e::wait_for;
use launchplan_shared::DocumentId;
use launchplan_shared::domain::{Task, commands};

use crate::support::{WsPeer, start_relay};

/// Runs `f` on the relay's chunk tree: the relay's layout, one sled tree `chunks` keyed by a
/// document's 16 bytes and the chunk's name. The relay must be stopped (sled locks its
/// directory). Returns once sled has let go of the directory: its lock outlives the handle
/// for a moment (its IO threads hold it), and a relay started before then would find its
/// storage locked.
async fn with_chunks<T>(
    data_dir: &Path,
    f: impl FnOnce(&sled::Tree) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let db = sled::Config::new().path(data_dir).open()?;
    let result = f(&db.open_tree("chunks")?);
    db.flush()?;
    drop(db);
    let lock_file = data_dir.join("db");
    wait_for("sled to let go of the data directory", || async {
        Ok(std::fs::File::open(&lock_file)?.try_lock().is_ok().then_some(()))
    })
    .await?;
    result
}

/// Every chunk stored for `doc`, by name.
async fn stored_chunks(data_dir: &Path, doc: DocumentId) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    with_chunks(data_dir, |chunks| {
        let mut found = BTreeMap::new();
        for entry in chunks.scan_prefix(doc.as_bytes()) {
            let (key, value) = entry?;
            found.insert(String::from_utf8(key[16..].to_vec())?, value.to_vec());
        }
        Ok(found)
    })
    .await
}

/// Replaces what is stored under `doc`'s chunk `name`.
async fn overwrite_chunk(data_dir: &Path, doc: DocumentId, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let mut key = doc.as_bytes().to_vec();
    key.extend_from_slice(name.as_bytes());
    with_chunks(data_dir, |chunks| {
        chunks.insert(key, bytes)?.context("no such chunk")?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_chunk_that_cannot_be_read_is_kept_and_the_rest_of_the_document_loads() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay(dir.path()).await?;
    let mut author = WsPeer::connect(&relay.sync_url(), "author").await?;
    let (doc, tasks) = author.create_project("春节礼盒", &["选品"]).await?;
    let status = relay.terminate().await?;
    assert!(status.success(), "SIGTERM stops the relay cleanly, got {status}");
    let first = stored_chunks(dir.path(), doc).await?;

    // One more edit: the relay stores it as one chunk of its own.
    let relay = start_relay(dir.path()).await?;
    author.reconnect(&relay.sync_url()).await?;
    let late = Task::new("包装设计", None, 9);
    author.edit(doc, |tx| commands::add_task(tx, &late)).await?;
    author.pump_until(|p| p.client.in_sync(&doc)).await?;
    let status = relay.terminate().await?;
    assert!(status.success(), "SIGTERM stops the relay cleanly, got {status}");
    let second = stored_chunks(dir.path(), doc).await?;
    let new: Vec<&String> = second.keys().filter(|k| !first.contains_key(*k)).collect();
    let [late_chunk] = new[..] else { anyhow::bail!("expected one new chunk, got {new:?}") };
    let late_chunk = late_chunk.clone();

    // The disk garbles it: the header stays, the rest is noise.
    let mut garbled = second[&late_chunk].clone();
    for byte in garbled.iter_mut().skip(8) {
        *byte ^= 0x5a;
    }
    overwrite_chunk(dir.path(), doc, &late_chunk, &garbled).await?;

    // A newcomer gets everything the other chunks hold, and not the garbled one.
    let relay = start_relay(dir.path()).await?;
    let mut newcomer = WsPeer::connect(&relay.sync_url(), "newcomer").await?;
    newcomer.fetch(doc).await?;
    let project = newcomer.project(doc)?;
    assert_eq!(project.meta.name, "春节礼盒");
    assert_eq!(project.tasks[&tasks[0].id].title, "选品");
    assert!(!project.tasks.contains_key(&late.id), "the garbled chunk was read");

    // Enough edits that the relay compacts what it read into one snapshot.
    for n in 0..70 {
        let task = Task::new(format!("任务 {n}"), None, n);
        newcomer.edit(doc, |tx| commands::add_task(tx, &task)).await?;
        newcomer.pump_until(|p| p.client.in_sync(&doc)).await?;
    }
    let status = relay.terminate().await?;
    assert!(status.success(), "SIGTERM stops the relay cleanly, got {status}");
    let third = stored_chunks(dir.path(), doc).await?;
    assert!(
        first.keys().all(|k| !third.contains_key(k)),
        "the relay compacted the chunks it read: {:?}",
        third.keys()
    );
    assert!(third.get(&late_chunk) == Some(&garbled), "the garbled chunk {late_chunk} is not kept as it was");

    // The snapshot loads, the garbled chunk is still refused, and the edit it held is not lost
    // for good: its author still has it and sends it again.
    let relay = start_relay(dir.path()).await?;
    let mut reader = WsPeer::connect(&relay.sync_url(), "reader").await?;
    reader.fetch(doc).await?;
    assert_eq!(reader.project(doc)?.tasks.len(), 1 + 70);
    author.reconnect(&relay.sync_url()).await?;
    author.pump_until(|p| p.client.in_sync(&doc)).await?;
    let mut again = WsPeer::connect(&relay.sync_url(), "again").await?;
    again.fetch(doc).await?;
    assert_eq!(again.project(doc)?.tasks[&late.id].title, "包装设计");
    Ok(())
}
