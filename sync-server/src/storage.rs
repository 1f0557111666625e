//! Documents on disk: every stored chunk of a document in one sled tree, keyed by the
//! document's 16 id bytes followed by the chunk key, so that one prefix scan loads a document.
//!
//! Writes go through one writer thread that commits in groups: it takes every write waiting,
//! applies them all, flushes once, and only then answers each. A write is acknowledged only
//! once it is on disk, and concurrent writes share the cost of one flush.
//!
//! A write that would leave the disk with less than [`HEADROOM`] free is refused with the
//! reason (see [`Storage::problem`]), reads go on, and writes are taken again by themselves
//! once there is room. sled itself must never meet a full disk: after a failed write it
//! fails every read and write until the process restarts (and dropping it hangs).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use launchplan_shared::DocumentId;
use launchplan_shared::blob::BlobHash;
use launchplan_shared::sync::{ChunkKey, StorageOp};
use tokio::sync::oneshot;

use crate::metrics::Metrics;

/// Why storage failed. The relay logs these and tells the client only that it failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StorageError {
    #[error("sled: {0}")]
    Sled(String),
    #[error("the storage writer stopped")]
    WriterGone,
    #[error("the disk is full: {free} bytes free, a write needs {needed}")]
    DiskFull { free: u64, needed: u64 },
    /// Writes are refused until storage recovers: why.
    #[error("storage is not writable: {0}")]
    Unwritable(String),
}

/// Room a write must leave on the disk: sled appends to its log in segments of 512 KiB and
/// rewrites its snapshot, so a write of a few bytes can need more.
const HEADROOM: u64 = 8 * 1024 * 1024;
/// How often a failing storage checks whether it can write again.
const RECOVER_EVERY: Duration = Duration::from_secs(1);

impl From<sled::Error> for StorageError {
    fn from(e: sled::Error) -> Self {
        StorageError::Sled(e.to_string())
    }
}

struct WriteJob {
    doc: DocumentId,
    ops: Vec<StorageOp>,
    asked: Instant,
    done: oneshot::Sender<Result<(), StorageError>>,
}

/// The relay's sled database. Cheap to clone; the last clone dropped stops the writer
/// thread and waits for it, so that the database can be opened again at once.
#[derive(Clone)]
pub struct Storage {
    core: Arc<Core>,
    writer: Arc<Writer>,
}

/// The open database.
#[derive(Clone)]
struct Handles {
    db: sled::Db,
    chunks: sled::Tree,
    blobs: sled::Tree,
}

impl Handles {
    fn open(dir: &Path) -> Result<Self, StorageError> {
        let db = sled::Config::new().path(dir).open()?;
        let chunks = db.open_tree("chunks")?;
        let blobs = db.open_tree("blobs")?;
        Ok(Self { db, chunks, blobs })
    }
}

/// What the writer thread shares with readers.
struct Core {
    dir: PathBuf,
    handles: Handles,
    /// Why writes are refused now, if they are.
    problem: Mutex<Option<String>>,
    /// sled failed a write: it must be reopened before it writes again.
    poisoned: AtomicBool,
}

struct Writer {
    jobs: Option<mpsc::Sender<WriteJob>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Storage {
    pub fn open(dir: &Path, metrics: Arc<Metrics>) -> Result<Self, StorageError> {
        Self::open_gated(dir, metrics, None)
    }

    /// [`Storage::open`] whose writer, when given a `gate`, starts only once the gate is
    /// opened (sent to or dropped): a test queues writes first, then lets them commit.
    fn open_gated(
        dir: &Path,
        metrics: Arc<Metrics>,
        gate: Option<mpsc::Receiver<()>>,
    ) -> Result<Self, StorageError> {
        let core = Arc::new(Core {
            dir: dir.to_owned(),
            handles: Handles::open(dir)?,
            problem: Mutex::new(None),
            poisoned: AtomicBool::new(false),
        });
        let (sender, jobs) = mpsc::channel();
        let writing = Arc::clone(&core);
        let thread = std::thread::Builder::new()
            .name("storage-writer".into())
            .spawn(move || {
                if let Some(gate) = gate {
                    let _ = gate.recv();
                }
                write_loop(&writing, &jobs, &metrics)
            })
            .map_err(|e| StorageError::Sled(format!("cannot start the writer thread: {e}")))?;
        let writer = Arc::new(Writer { jobs: Some(sender), thread: Some(thread) });
        Ok(Self { core, writer })
    }

    /// Why writes are refused now (the disk is full, sled failed), or `None` when they are
    /// not. Reads go on either way.
    pub fn problem(&self) -> Option<String> {
        self.core.problem()
    }

    /// The database itself, for the relay's other trees (accounts, secrets, the audit log),
    /// which are small and written rarely: their writers flush them themselves.
    pub(crate) fn database(&self) -> sled::Db {
        self.core.handles.db.clone()
    }

    /// This store's lasting identity, created on first use; peers key sync state by it.
    pub fn storage_id(&self) -> Result<String, StorageError> {
        const KEY: &[u8] = b"storage-id";
        let db = self.core.handles.db.clone();
        if let Some(id) = db.get(KEY)? {
            return Ok(String::from_utf8_lossy(&id).into_owned());
        }
        let id = uuid::Uuid::new_v4().to_string();
        db.insert(KEY, id.as_bytes())?;
        db.flush()?;
        Ok(id)
    }

    /// Every chunk stored for `doc`.
    pub async fn load(&self, doc: DocumentId) -> Result<Vec<(ChunkKey, Vec<u8>)>, StorageError> {
        let storage = self.clone();
        let loaded = tokio::task::spawn_blocking(move || storage.load_now(doc)).await;
        loaded.map_err(|_| StorageError::WriterGone)?
    }

    /// [`Storage::load`], on this thread: for start-up, before anything is served.
    pub(crate) fn load_now(&self, doc: DocumentId) -> Result<Vec<(ChunkKey, Vec<u8>)>, StorageError> {
        let mut found = Vec::new();
        for entry in self.core.handles.chunks.scan_prefix(doc.as_bytes()) {
            let (key, value) = entry?;
            let name = String::from_utf8_lossy(&key[16..]);
            match ChunkKey::parse(&name) {
                Some(key) => found.push((key, value.to_vec())),
                None => tracing::warn!(%doc, key = %name, "skipping a stored chunk with a foreign key"),
            }
        }
        Ok(found)
    }

    /// Whether anything is stored for `doc`.
    pub(crate) fn holds(&self, doc: DocumentId) -> Result<bool, StorageError> {
        Ok(self.core.handles.chunks.scan_prefix(doc.as_bytes()).next().transpose()?.is_some())
    }

    /// Performs `ops` in order and returns once they are on disk.
    pub async fn apply(&self, doc: DocumentId, ops: Vec<StorageOp>) -> Result<(), StorageError> {
        let (done, result) = oneshot::channel();
        let jobs = self.writer.jobs.as_ref().ok_or(StorageError::WriterGone)?;
        jobs.send(WriteJob { doc, ops, asked: Instant::now(), done })
            .map_err(|_| StorageError::WriterGone)?;
        result.await.map_err(|_| StorageError::WriterGone)?
    }

    /// The blob named `hash`, if it is stored.
    pub async fn blob(&self, hash: BlobHash) -> Result<Option<Vec<u8>>, StorageError> {
        let blobs = self.core.handles.blobs.clone();
        let found = tokio::task::spawn_blocking(move || blobs.get(hash.as_bytes())).await;
        Ok(found.map_err(|_| StorageError::WriterGone)??.map(|bytes| bytes.to_vec()))
    }

    /// Keeps `bytes` under `hash` (the caller has checked that it is their hash) and returns
    /// once they are on disk; `false` if they were stored already.
    pub async fn put_blob(&self, hash: BlobHash, bytes: Vec<u8>) -> Result<bool, StorageError> {
        if let Some(why) = self.core.problem() {
            return Err(StorageError::Unwritable(why));
        }
        let Handles { db, blobs, .. } = self.core.handles.clone();
        let core = Arc::clone(&self.core);
        let new = tokio::task::spawn_blocking(move || -> Result<bool, StorageError> {
            if blobs.contains_key(hash.as_bytes())? {
                return Ok(false);
            }
            core.check_room(bytes.len() as u64)?;
            blobs.insert(hash.as_bytes(), bytes)?;
            Ok(true)
        })
        .await
        .map_err(|_| StorageError::WriterGone)?
        .inspect_err(|e| self.core.failed(e))?;
        if new {
            db.flush_async().await.map_err(StorageError::from).inspect_err(|e| self.core.failed(e))?;
        }
        Ok(new)
    }

    /// Returns once everything written so far is on disk.
    pub async fn flush(&self) -> Result<(), StorageError> {
        self.apply(DocumentId::from_bytes([0; 16]), Vec::new()).await
    }
}

impl Core {
    fn problem(&self) -> Option<String> {
        self.problem.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Notes that a write failed: writes are refused until [`Core::recover`] succeeds.
    fn failed(&self, error: &StorageError) {
        if matches!(error, StorageError::Sled(_)) {
            self.poisoned.store(true, Ordering::Relaxed);
        }
        let mut problem = self.problem.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if problem.is_none() {
            tracing::error!(%error, "storage cannot write: refusing writes until it can");
        }
        *problem = Some(match error {
            StorageError::Sled(_) => format!("{error}; restart the relay once the disk is fixed"),
            _ => error.to_string(),
        });
    }

    /// Whether the disk has room for `bytes` more, and [`HEADROOM`].
    fn check_room(&self, bytes: u64) -> Result<(), StorageError> {
        let needed = bytes.saturating_add(HEADROOM);
        match fs2::available_space(&self.dir) {
            Ok(free) if free < needed => Err(StorageError::DiskFull { free, needed }),
            _ => Ok(()),
        }
    }

    /// Takes writes again once there is room and a small flushed write succeeds. Not after
    /// sled itself failed a write: it then fails everything, and dropping it hangs (so it
    /// cannot be reopened in this process); the relay says to restart it.
    fn recover(&self) {
        if self.poisoned.load(Ordering::Relaxed) || self.check_room(0).is_err() {
            return;
        }
        let probe = || -> Result<(), StorageError> {
            let db = &self.handles.db;
            db.insert(b"storage-probe", &b"ok"[..])?;
            db.flush()?;
            Ok(())
        };
        match probe() {
            Ok(()) => {
                *self.problem.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
                tracing::info!("storage writes again");
            }
            Err(e) => self.failed(&e),
        }
    }

    /// Applies every job's ops, flushes once, then deletes what compactions replaced.
    fn commit(&self, batch: &[WriteJob]) -> Result<(), StorageError> {
        let bytes: usize = batch
            .iter()
            .flat_map(|job| &job.ops)
            .map(|op| match op {
                StorageOp::Put { bytes, .. } | StorageOp::Compact { bytes, .. } => bytes.len(),
            })
            .sum();
        self.check_room(bytes as u64)?;
        commit(&self.handles.db, &self.handles.chunks, batch)
    }
}

fn write_loop(core: &Core, jobs: &mpsc::Receiver<WriteJob>, metrics: &Metrics) {
    loop {
        let failing = core.problem().is_some();
        let first = if failing {
            match jobs.recv_timeout(RECOVER_EVERY) {
                Ok(job) => Some(job),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match jobs.recv() {
                Ok(job) => Some(job),
                Err(_) => return,
            }
        };
        if failing {
            core.recover();
        }
        let Some(first) = first else { continue };
        let mut batch = vec![first];
        batch.extend(jobs.try_iter());
        let result = match core.problem() {
            Some(why) => Err(StorageError::Unwritable(why)),
            None => core.commit(&batch).inspect_err(|e| core.failed(e)),
        };
        metrics.flushes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for job in batch {
            metrics.storage_write(job.asked.elapsed());
            let _ = job.done.send(result.clone());
        }
    }
}

/// Applies every job's ops, flushes once, then deletes what compactions replaced. A crash
/// before the deletes leaves the old chunks beside the new snapshot: both load to the same
/// document.
fn commit(db: &sled::Db, chunks: &sled::Tree, batch: &[WriteJob]) -> Result<(), StorageError> {
    let mut replaced = Vec::new();
    for job in batch {
        for op in &job.ops {
            match op {
                StorageOp::Put { key, bytes } => {
                    chunks.insert(row_key(job.doc, key), bytes.as_slice())?;
                }
                StorageOp::Compact { key, bytes, replaces } => {
                    chunks.insert(row_key(job.doc, key), bytes.as_slice())?;
                    replaced.extend(replaces.iter().map(|old| row_key(job.doc, old)));
                }
            }
        }
    }
    db.flush()?;
    if !replaced.is_empty() {
        for key in replaced {
            chunks.remove(key)?;
        }
        db.flush()?;
    }
    Ok(())
}

fn row_key(doc: DocumentId, chunk: &ChunkKey) -> Vec<u8> {
    let mut key = Vec::with_capacity(16 + chunk.as_str().len());
    key.extend_from_slice(doc.as_bytes());
    key.extend_from_slice(chunk.as_str().as_bytes());
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &Path) -> Result<Storage, StorageError> {
        Storage::open(dir, Arc::new(Metrics::default()))
    }

    /// Opens `dir` again in this process, as a restarted relay would. sled lets go of its
    /// file lock from a background IO thread a moment after its last handle is dropped (a
    /// new process never waits: the old one has exited), so this waits for the lock, and
    /// for nothing else.
    async fn reopen(dir: &Path) -> anyhow::Result<Storage> {
        let waited = Instant::now();
        loop {
            match open(dir) {
                Err(StorageError::Sled(e)) if e.contains("could not acquire lock") => {
                    anyhow::ensure!(waited.elapsed() < Duration::from_secs(10), "sled kept its lock: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                opened => return Ok(opened?),
            }
        }
    }

    #[tokio::test]
    async fn chunks_survive_reopening_and_compaction_replaces_them() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let doc = DocumentId::random();
        let other = DocumentId::random();
        let (a, b) = (ChunkKey::incremental(b"a"), ChunkKey::incremental(b"b"));
        {
            let storage = open(dir.path())?;
            storage
                .apply(
                    doc,
                    vec![
                        StorageOp::Put { key: a.clone(), bytes: b"a".to_vec() },
                        StorageOp::Put { key: b.clone(), bytes: b"b".to_vec() },
                    ],
                )
                .await?;
            storage.apply(other, vec![StorageOp::Put { key: a.clone(), bytes: b"other".to_vec() }]).await?;
        }
        let storage = reopen(dir.path()).await?;
        let mut loaded = storage.load(doc).await?;
        loaded.sort();
        let mut expected = vec![(a.clone(), b"a".to_vec()), (b.clone(), b"b".to_vec())];
        expected.sort();
        assert_eq!(loaded, expected);

        let snapshot = ChunkKey::snapshot(b"ab");
        storage
            .apply(
                doc,
                vec![StorageOp::Compact {
                    key: snapshot.clone(),
                    bytes: b"ab".to_vec(),
                    replaces: vec![a, b],
                }],
            )
            .await?;
        assert_eq!(storage.load(doc).await?, vec![(snapshot, b"ab".to_vec())]);
        assert_eq!(storage.load(other).await?.len(), 1);
        Ok(())
    }

    #[tokio::test]
    async fn writes_waiting_together_share_one_flush() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let metrics = Arc::new(Metrics::default());
        let (open_gate, gate) = mpsc::channel();
        let storage = Storage::open_gated(dir.path(), Arc::clone(&metrics), Some(gate))?;
        let docs: Vec<DocumentId> = (0..200).map(|_| DocumentId::random()).collect();
        let mut writes: Vec<_> = docs
            .iter()
            .enumerate()
            .map(|(n, doc)| {
                let bytes = (n as u32).to_be_bytes().to_vec();
                Box::pin(
                    storage.apply(*doc, vec![StorageOp::Put { key: ChunkKey::incremental(&bytes), bytes }]),
                )
            })
            .collect();
        // Polled once, each write is queued and waits for its flush; the writer has not
        // started yet, so none can be done.
        for write in &mut writes {
            assert!(futures::poll!(write.as_mut()).is_pending(), "a write finished before any flush");
        }
        assert_eq!(metrics.flushes.load(std::sync::atomic::Ordering::Relaxed), 0);
        open_gate.send(())?;
        for write in writes {
            write.await?;
        }
        let flushes = metrics.flushes.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(flushes, 1, "200 writes waiting together took {flushes} flushes");
        for (n, doc) in docs.iter().enumerate() {
            let bytes = (n as u32).to_be_bytes().to_vec();
            assert_eq!(storage.load(*doc).await?, vec![(ChunkKey::incremental(&bytes), bytes)]);
        }
        Ok(())
    }
}
