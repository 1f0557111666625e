//! Attachments are kept by the relay as content-addressed blobs: a file is named by the
//! sha256 of its bytes, so a name can be checked against what it names, and the same file
//! uploaded twice is stored once.

use std::fmt;

use sha2::{Digest, Sha256};

/// The sha256 of a blob's bytes; written as 64 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlobHash([u8; 32]);

impl BlobHash {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(Sha256::digest(bytes).into())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Why a blob name is not a hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a blob is named by 64 hex digits (its sha256), not {0:?}")]
pub struct ParseBlobHashError(String);

impl std::str::FromStr for BlobHash {
    type Err = ParseBlobHashError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wrong = || ParseBlobHashError(s.chars().take(80).collect());
        // `from_str_radix` alone would take a sign ("+f").
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(wrong());
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(s.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| wrong())?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| wrong())?;
        }
        Ok(Self(bytes))
    }
}

impl fmt::Display for BlobHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_reads_back_from_its_text_and_names_only_its_bytes() {
        let hash = BlobHash::of(b"banner.png");
        let text = hash.to_string();
        assert_eq!(text.len(), 64);
        assert_eq!(text.parse::<BlobHash>(), Ok(hash));
        assert_eq!(text.to_uppercase().parse::<BlobHash>(), Ok(hash));
        assert_ne!(BlobHash::of(b"banner.jpg"), hash);
        // The sha256 of the empty string, as every tool prints it.
        assert_eq!(
            BlobHash::of(b"").to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        for bad in [
            "",
            "abc",
            &text[..63],
            &format!("{}g", &text[..63]),
            &format!("{text}0"),
            "+f".repeat(32).as_str(),
        ] {
            assert!(bad.parse::<BlobHash>().is_err(), "{bad:?} was taken for a hash");
        }
    }
}
