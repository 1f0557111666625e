use std::fmt;

use sha2::{Digest, Sha256};

/// Names one stored piece of a document: a snapshot (the whole document, compressed) or an
/// incremental chunk (changes appended since). Keys are derived from the content, so writing
/// the same chunk twice is harmless and two different chunks never share a key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChunkKey(String);

const SNAPSHOT: &str = "snapshot-";
const INCREMENTAL: &str = "incremental-";

impl ChunkKey {
    pub fn snapshot(bytes: &[u8]) -> Self {
        Self(format!("{SNAPSHOT}{}", short_hash(bytes)))
    }

    pub fn incremental(bytes: &[u8]) -> Self {
        Self(format!("{INCREMENTAL}{}", short_hash(bytes)))
    }

    /// A key read back from storage; `None` if it is not one of ours.
    pub fn parse(key: &str) -> Option<Self> {
        let hex = key.strip_prefix(SNAPSHOT).or_else(|| key.strip_prefix(INCREMENTAL))?;
        (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Self(key.to_owned()))
    }

    pub fn is_snapshot(&self) -> bool {
        self.0.starts_with(SNAPSHOT)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ChunkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// A write the IO loop must make durable before it performs the effects that follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageOp {
    /// Store `bytes` under `key`.
    Put { key: ChunkKey, bytes: Vec<u8> },
    /// Store the snapshot `bytes` under `key`, make it durable, and only then delete the
    /// chunks it `replaces`: a crash at any instant leaves either the old chunks or the new
    /// snapshot (or both, which load to the same document).
    Compact { key: ChunkKey, bytes: Vec<u8>, replaces: Vec<ChunkKey> },
}

impl StorageOp {
    /// What the op means for a plain key-value map of one document's chunks: the reference
    /// semantics that every store (sled, IndexedDB, test doubles) implements.
    pub fn apply_to(self, chunks: &mut std::collections::BTreeMap<ChunkKey, Vec<u8>>) {
        match self {
            StorageOp::Put { key, bytes } => {
                chunks.insert(key, bytes);
            }
            StorageOp::Compact { key, bytes, replaces } => {
                chunks.insert(key, bytes);
                for old in replaces {
                    chunks.remove(&old);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_foreign_keys_are_refused() {
        let key = ChunkKey::incremental(b"change");
        assert_eq!(ChunkKey::parse(key.as_str()), Some(key.clone()));
        assert!(!key.is_snapshot());
        assert!(ChunkKey::snapshot(b"doc").is_snapshot());
        assert_ne!(ChunkKey::incremental(b"a"), ChunkKey::incremental(b"b"));
        assert_eq!(ChunkKey::parse("incremental-xyz"), None);
        assert_eq!(ChunkKey::parse("other-00000000000000000000000000000000"), None);
    }
}
