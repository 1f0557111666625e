//! Documents on disk: every stored chunk of a document in one sled tree, keyed by the
//! document's 16 id bytes followed by the chunk key, so that one prefix scan loads a document.

use std::path::Path;

use launchplan_shared::DocumentId;
use launchplan_shared::sync::{ChunkKey, StorageOp};

/// Why storage failed. The relay logs these and tells the client only that it failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("sled: {0}")]
    Sled(#[from] sled::Error),
    #[error("the storage task stopped: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// The relay's sled database. Cheap to clone.
#[derive(Clone)]
pub struct Storage {
    db: sled::Db,
    chunks: sled::Tree,
}

impl Storage {
    pub fn open(dir: &Path) -> Result<Self, StorageError> {
        let db = sled::Config::new().path(dir).open()?;
        let chunks = db.open_tree("chunks")?;
        Ok(Self { db, chunks })
    }

    /// This store's lasting identity, created on first use; peers key sync state by it.
    pub fn storage_id(&self) -> Result<String, StorageError> {
        const KEY: &[u8] = b"storage-id";
        if let Some(id) = self.db.get(KEY)? {
            return Ok(String::from_utf8_lossy(&id).into_owned());
        }
        let id = uuid::Uuid::new_v4().to_string();
        self.db.insert(KEY, id.as_bytes())?;
        self.db.flush()?;
        Ok(id)
    }

    /// Every chunk stored for `doc`.
    pub async fn load(&self, doc: DocumentId) -> Result<Vec<(ChunkKey, Vec<u8>)>, StorageError> {
        let chunks = self.chunks.clone();
        tokio::task::spawn_blocking(move || {
            let mut found = Vec::new();
            for entry in chunks.scan_prefix(doc.as_bytes()) {
                let (key, value) = entry?;
                let name = String::from_utf8_lossy(&key[16..]);
                match ChunkKey::parse(&name) {
                    Some(key) => found.push((key, value.to_vec())),
                    None => tracing::warn!(%doc, key = %name, "skipping a stored chunk with a foreign key"),
                }
            }
            Ok(found)
        })
        .await?
    }

    /// Performs `ops` in order and returns once they are on disk.
    pub async fn apply(&self, doc: DocumentId, ops: Vec<StorageOp>) -> Result<(), StorageError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            for op in ops {
                match op {
                    StorageOp::Put { key, bytes } => {
                        this.chunks.insert(row_key(doc, &key), bytes)?;
                    }
                    StorageOp::Compact { key, bytes, replaces } => {
                        // The snapshot is durable before anything it replaces goes.
                        this.chunks.insert(row_key(doc, &key), bytes)?;
                        this.db.flush()?;
                        for old in replaces {
                            this.chunks.remove(row_key(doc, &old))?;
                        }
                    }
                }
            }
            this.db.flush()?;
            Ok(())
        })
        .await?
    }

    /// Writes everything still in memory to disk.
    pub async fn flush(&self) -> Result<(), StorageError> {
        self.db.flush_async().await?;
        Ok(())
    }
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

    #[tokio::test]
    async fn chunks_survive_reopening_and_compaction_replaces_them() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let doc = DocumentId::random();
        let other = DocumentId::random();
        let (a, b) = (ChunkKey::incremental(b"a"), ChunkKey::incremental(b"b"));
        {
            let storage = Storage::open(dir.path())?;
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
        let storage = Storage::open(dir.path())?;
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
}
