use std::fmt;
use std::str::FromStr;

use super::ParseIdError;

/// Names one end of a sync connection. automerge-repo peers choose their own ids; any
/// non-empty string is valid on the wire.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeerId(String);

impl PeerId {
    /// A fresh id for this process, `prefix-` followed by random hex.
    pub fn random(prefix: &str) -> Self {
        Self(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PeerId {
    type Err = ParseIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(ParseIdError::Empty);
        }
        Ok(Self(s.to_owned()))
    }
}
