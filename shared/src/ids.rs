//! Identifiers. Each is a newtype with `Display` and `FromStr`.

mod document_id;
mod item_id;
mod member_id;
mod milestone_id;
mod peer_id;
mod phase_id;
mod task_id;

pub use document_id::{Companion, DocumentId};
pub use item_id::ItemId;
pub use member_id::MemberId;
pub use milestone_id::MilestoneId;
pub use peer_id::PeerId;
pub use phase_id::PhaseId;
pub use task_id::TaskId;

/// Hashes random 16-byte ids cheaply: they are already uniformly random, so mixing the
/// bytes once is enough (the default SipHash costs more than the scheduling arithmetic).
#[derive(Debug, Clone, Copy, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 =
                (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

/// A `HashMap` keyed by ids, with [`IdHasher`].
pub type IdMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

/// What a peer sent, quoted and escaped as Rust debug text, cut to 64 characters: for an
/// error that names it, whose text goes back to the peer (a frame may be megabytes long).
pub(crate) fn echo(text: &str) -> String {
    let quoted = format!("{text:?}");
    let mut chars = quoted.chars();
    let mut out: String = chars.by_ref().take(64).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseIdError {
    #[error("not a document id: {0} is not base58check")]
    NotBase58Check(String),
    #[error("not a document id: it holds {0} bytes, a document id holds 16")]
    WrongLength(usize),
    #[error("an id cannot be empty")]
    Empty,
    #[error("not a {kind} id: {value}")]
    Malformed { kind: &'static str, value: String },
}

/// Defines an id newtype over a random UUID, written as 32 lowercase hex digits, that maps to
/// Automerge as a string.
macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new random id.
            pub fn random() -> Self {
                Self(uuid::Uuid::new_v4())
            }

            /// The same id every time for the same `seed`: templates and tests use these so
            /// that their output is reproducible.
            pub fn derived(seed: &str) -> Self {
                Self(uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, seed.as_bytes()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0.simple())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ids::ParseIdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::try_parse(s).map(Self).map_err(|_| $crate::ids::ParseIdError::Malformed {
                    kind: $kind,
                    value: $crate::ids::echo(s),
                })
            }
        }

        impl autosurgeon::Reconcile for $name {
            type Key<'a> = autosurgeon::reconcile::NoKey;

            fn reconcile<R: autosurgeon::Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
                self.to_string().reconcile(reconciler)
            }
        }

        impl autosurgeon::Hydrate for $name {
            fn hydrate_string(s: &'_ str) -> Result<Self, autosurgeon::HydrateError> {
                s.parse()
                    .map_err(|e: $crate::ids::ParseIdError| autosurgeon::HydrateError::unexpected($kind, e.to_string()))
            }
        }
    };
}
pub(crate) use uuid_id;
