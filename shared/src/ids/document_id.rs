use std::fmt;
use std::str::FromStr;

use super::ParseIdError;

/// An automerge-repo document id: 16 random bytes, written as base58check
/// (double-SHA-256 checksum, no version byte). As a URL it reads `automerge:<id>`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentId([u8; 16]);

const URL_PREFIX: &str = "automerge:";

impl DocumentId {
    pub fn random() -> Self {
        Self(*uuid::Uuid::new_v4().as_bytes())
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// `automerge:<id>`, the form automerge-repo users exchange.
    pub fn url(&self) -> String {
        format!("{URL_PREFIX}{self}")
    }

    /// The id of this plan's `companion` document. Every peer derives the same id, so two
    /// people who start a plan's comments at once start the same document, and the relay
    /// knows where the companion belongs as soon as it knows the plan. Stored documents are
    /// found by these ids: the derivation must never change.
    pub fn companion(&self, companion: Companion) -> Self {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(b"launchplan companion\0")
            .chain_update(companion.key().as_bytes())
            .chain_update(self.0)
            .finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        Self(bytes)
    }
}

/// A document kept beside each plan, apart from it because different people may have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Companion {
    /// The plan's budget and costs: only members with the finance role receive it.
    Finance,
    /// The comments on the plan's tasks: members who may not edit the plan may still comment.
    Comments,
}

impl Companion {
    pub const ALL: [Self; 2] = [Self::Finance, Self::Comments];

    fn key(self) -> &'static str {
        match self {
            Self::Finance => "finance",
            Self::Comments => "comments",
        }
    }
}

impl serde::Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DocumentId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl FromStr for DocumentId {
    type Err = ParseIdError;

    /// Accepts the bare id or the `automerge:` URL.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bare = s.strip_prefix(URL_PREFIX).unwrap_or(s);
        if bare.is_empty() {
            return Err(ParseIdError::Empty);
        }
        let bytes = bs58::decode(bare)
            .with_check(None)
            .into_vec()
            .map_err(|_| ParseIdError::NotBase58Check(crate::ids::echo(bare)))?;
        let array: [u8; 16] =
            bytes.as_slice().try_into().map_err(|_| ParseIdError::WrongLength(bytes.len()))?;
        Ok(Self(array))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_automerge_repo_id_parses() {
        // An id as automerge-repo's JavaScript implementation prints it.
        let id: DocumentId = "4NMNnkMhL8jXrdJ9jamS58PAVdXu".parse().expect("valid id");
        assert_eq!(id.to_string(), "4NMNnkMhL8jXrdJ9jamS58PAVdXu");
        let from_url: DocumentId = "automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu".parse().expect("valid url");
        assert_eq!(from_url, id);
    }

    #[test]
    fn corrupted_ids_are_rejected() {
        assert_eq!("".parse::<DocumentId>(), Err(ParseIdError::Empty));
        assert!(matches!(
            "4NMNnkMhL8jXrdJ9jamS58PAVdXv".parse::<DocumentId>(),
            Err(ParseIdError::NotBase58Check(_))
        ));
        assert!(matches!("not an id!".parse::<DocumentId>(), Err(ParseIdError::NotBase58Check(_))));
        let eight_bytes = bs58::encode([1u8; 8]).with_check().into_string();
        assert_eq!(eight_bytes.parse::<DocumentId>(), Err(ParseIdError::WrongLength(8)));
    }

    #[test]
    fn companions_are_the_same_everywhere_and_apart_from_each_other() {
        let plan: DocumentId = "4NMNnkMhL8jXrdJ9jamS58PAVdXu".parse().expect("valid id");
        let other = DocumentId::from_bytes([7; 16]);
        let finance = plan.companion(Companion::Finance);
        assert_eq!(finance, plan.companion(Companion::Finance));
        let all = [plan, finance, plan.companion(Companion::Comments), other.companion(Companion::Finance)];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(bytes in any::<[u8; 16]>()) {
            let id = DocumentId::from_bytes(bytes);
            prop_assert_eq!(id.to_string().parse::<DocumentId>(), Ok(id));
            prop_assert_eq!(id.url().parse::<DocumentId>(), Ok(id));
        }
    }
}
