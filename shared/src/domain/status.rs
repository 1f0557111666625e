use std::fmt;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};

/// Where a task stands in its project's workflow. The five defaults are built in; a project
/// may later define its own, so an unknown key is kept as written, never dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// 待开始
    #[default]
    Todo,
    /// 进行中
    InProgress,
    /// 待审核
    Review,
    /// 已完成
    Done,
    /// 阻塞
    Blocked,
    Other(String),
}

impl Status {
    pub const DEFAULTS: [Status; 5] =
        [Status::Todo, Status::InProgress, Status::Review, Status::Done, Status::Blocked];

    pub fn key(&self) -> &str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in_progress",
            Status::Review => "review",
            Status::Done => "done",
            Status::Blocked => "blocked",
            Status::Other(key) => key,
        }
    }

    pub fn from_key(key: &str) -> Self {
        match key {
            "todo" => Status::Todo,
            "in_progress" => Status::InProgress,
            "review" => Status::Review,
            "done" => Status::Done,
            "blocked" => Status::Blocked,
            other => Status::Other(other.to_owned()),
        }
    }

    pub fn is_done(&self) -> bool {
        *self == Status::Done
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl serde::Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> serde::Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Status::from_key(&key))
    }
}

impl Reconcile for Status {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
        self.key().reconcile(reconciler)
    }
}

impl Hydrate for Status {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        Ok(Status::from_key(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_keys_survive() {
        for status in Status::DEFAULTS {
            assert_eq!(Status::from_key(status.key()), status);
        }
        assert_eq!(Status::from_key("qa").key(), "qa");
    }
}
