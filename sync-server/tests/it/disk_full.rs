//! The relay on a disk that fills up: the real binary with its data on a 24 MiB tmpfs, one
//! writer pushing 40 MB. Writes are refused with the reason, reads go on, `/healthz` says
//! why, the relay writes again by itself once there is room, and SIGTERM stops it within 5 s
//! even while the disk is full. Nothing stored before is lost.
//!
//! Mounting a tmpfs needs root (CI runs as root); elsewhere this test fails and says so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use launchplan_shared::domain::{Task, commands};

use crate::support::{WsPeer, http_get, start_relay};

/// The tmpfs, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size_mib: u32) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mib}m"), "tmpfs"])
            .arg(dir.path())
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "cannot mount a {size_mib} MiB tmpfs for the relay's data (this test needs root, as CI has): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A file taking `bytes` of the disk.
    fn fill(&self, bytes: usize) -> anyhow::Result<PathBuf> {
        let path = self.path().join("filler");
        std::fs::write(&path, vec![0x5a; bytes])?;
        Ok(path)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// `len` characters that do not compress much.
fn ballast(n: usize, len: usize) -> String {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64 ^ n as u64;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            alphabet[(seed % 64) as usize] as char
        })
        .collect()
}

/// Puts 512 KB under a key of the plan's root (the reader ignores keys it does not know)
/// and waits for the relay to hold it: `Err` once the relay refuses it.
async fn push(writer: &mut WsPeer, doc: launchplan_shared::DocumentId, n: usize) -> anyhow::Result<()> {
    let bytes = ballast(n, 512 * 1024);
    writer
        .edit(doc, |tx| {
            use automerge::transaction::Transactable;
            tx.put(automerge::ROOT, format!("ballast-{n}"), bytes)?;
            Ok(())
        })
        .await?;
    writer.pump_until(|p| p.client.in_sync(&doc)).await
}

/// `GET /healthz`: the status line and the body.
async fn health(relay: &launchplan_e2e::relay::RelayProcess) -> anyhow::Result<(String, String)> {
    let response = http_get(relay, "/healthz").await?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    Ok((head.lines().next().unwrap_or_default().to_owned(), body.to_owned()))
}

#[tokio::test]
async fn a_full_disk_refuses_writes_keeps_reads_and_the_relay_recovers_and_stops_in_time()
-> anyhow::Result<()> {
    let disk = SmallDisk::mount(24)?;
    let relay = start_relay(disk.path()).await?;
    let mut writer = WsPeer::connect(&relay.sync_url(), "writer").await?;
    let (doc, _) = writer.create_project("双十一大促备战", &["主图拍摄"]).await?;
    let filler = disk.fill(8 * 1024 * 1024)?;

    // One writer pushes 40 MB in 512 KB changes: the disk cannot hold it.
    let mut refused = None;
    for n in 0..80 {
        if let Err(e) = push(&mut writer, doc, n).await {
            refused = Some(format!("{e:#}"));
            break;
        }
    }
    let refused = refused.expect("the relay stored 40 MB on a 24 MiB disk");
    assert!(refused.contains("could not store") && refused.contains("disk is full"), "{refused}");
    let (status, body) = health(&relay).await?;
    assert!(status.contains("503"), "/healthz with the disk full: {status}");
    assert!(body.contains("disk is full"), "/healthz says why: {body}");

    // Reads go on: a teammate opens the plan and gets what was stored.
    let mut reader = WsPeer::connect(&relay.sync_url(), "reader").await?;
    reader.fetch(doc).await?;
    let stored = reader.project(doc)?;
    assert_eq!(stored.meta.name, "双十一大促备战");
    assert!(stored.tasks.values().any(|t| t.title == "主图拍摄"));
    let stored_tasks = stored.tasks.len();

    // Room again: the relay writes again by itself, and says so.
    std::fs::remove_file(&filler)?;
    let waited = Instant::now();
    while !health(&relay).await?.0.contains("200") {
        assert!(waited.elapsed() < Duration::from_secs(15), "/healthz stayed 503 after space returned");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut writer = WsPeer::connect(&relay.sync_url(), "writer").await?;
    writer.fetch(doc).await?;
    let late = Task::new("客服话术", None, 99);
    writer.edit(doc, |tx| commands::add_task(tx, &late)).await?;
    writer.pump_until(|p| p.client.in_sync(&doc)).await?;

    // Full again, with a writer refused: SIGTERM still stops the relay within 5 s.
    let filler = disk.fill(8 * 1024 * 1024)?;
    for n in 100..180 {
        if push(&mut writer, doc, n).await.is_err() {
            break;
        }
    }
    assert!(health(&relay).await?.0.contains("503"), "the disk is full again");
    let asked = Instant::now();
    relay.terminate().await?;
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(5), "SIGTERM on a full disk took {took:?} to stop the relay");

    // Restarted with room: the plan is intact, with every change the relay acknowledged.
    std::fs::remove_file(&filler)?;
    let relay = start_relay(disk.path()).await?;
    let mut reader = WsPeer::connect(&relay.sync_url(), "reader").await?;
    reader.fetch(doc).await?;
    let reopened = reader.project(doc)?;
    assert!(reopened.tasks.values().any(|t| t.title == "客服话术"), "the change made after recovery is kept");
    assert!(reopened.tasks.len() > stored_tasks, "nothing acknowledged was lost");
    let status = relay.terminate().await?;
    assert!(status.success(), "a clean stop with room on the disk exits 0, got {status}");
    Ok(())
}
