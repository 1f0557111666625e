//! The append-only audit log (sled tree `audit`): setups, tokens, invitations, and members
//! joining, leaving or changing roles, each with who and when, and the workspace it concerns.

use launchplan_shared::{DocumentId, MemberId};
use serde::{Deserialize, Serialize};

use crate::storage::StorageError;

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AuditEvent {
    pub(crate) at_ms: i64,
    /// Who did it; `None` for the relay itself or its command line.
    pub(crate) by: Option<MemberId>,
    pub(crate) action: String,
    pub(crate) detail: String,
    /// The workspace it concerns; `None` for the relay's own (setup, tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) workspace: Option<DocumentId>,
}

#[derive(Clone)]
pub(crate) struct AuditLog {
    tree: sled::Tree,
    db: sled::Db,
}

impl AuditLog {
    pub(crate) fn open(db: &sled::Db) -> Result<Self, StorageError> {
        Ok(Self { tree: db.open_tree("audit")?, db: db.clone() })
    }

    /// Appends `action` by `by` (about `workspace`, if any), and flushes.
    pub(crate) fn record(
        &self,
        by: Option<MemberId>,
        workspace: Option<DocumentId>,
        action: &str,
        detail: &str,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        let event =
            AuditEvent { at_ms: now_ms, by, action: action.to_owned(), detail: detail.to_owned(), workspace };
        let id = self.db.generate_id()?;
        self.tree.insert(id.to_be_bytes(), serde_json::to_vec(&event).expect("audit events serialize"))?;
        self.tree.flush()?;
        Ok(())
    }

    /// Newest first, at most `limit` events, of `workspace` only when given.
    pub(crate) fn list(
        &self,
        workspace: Option<DocumentId>,
        limit: usize,
    ) -> Result<Vec<AuditEvent>, StorageError> {
        let mut events = Vec::new();
        for entry in self.tree.iter().rev() {
            if events.len() == limit {
                break;
            }
            let (_, bytes) = entry?;
            if let Ok(event) = serde_json::from_slice::<AuditEvent>(&bytes)
                && (workspace.is_none() || event.workspace == workspace)
            {
                events.push(event);
            }
        }
        Ok(events)
    }
}
